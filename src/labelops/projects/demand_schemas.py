"""Demands as they come in and go out: the spec a demander asks for, its thread and history,
and the delivery measured against it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from labelops.db import utcnow
from labelops.projects.schemas import Language, ProjectStatus
from labelops.projects.taxonomy import LabelSchema, template_names

SEVERITY_TIERS = ("S0", "S1", "S2", "S3", "S4")
MAX_COMMENT_CHARS = 5000
MAX_NOTE_CHARS = 2000


class Purpose(enum.StrEnum):
    TRAINING_DATA = "training_data"
    EVALUATION_SET = "evaluation_set"
    POLICY_MEASUREMENT = "policy_measurement"
    OTHER = "other"


class DemandStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    EVALUATING = "evaluating"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CONVERTED = "converted"


# submitted → evaluating → accepted → converted (by convert_demand only); a PM may reject, and
# the demander withdraw, before conversion; a PM may take an accepted demand back to evaluating.
TRANSITIONS: dict[DemandStatus, frozenset[DemandStatus]] = {
    DemandStatus.SUBMITTED: frozenset(
        {DemandStatus.EVALUATING, DemandStatus.REJECTED, DemandStatus.WITHDRAWN}
    ),
    DemandStatus.EVALUATING: frozenset(
        {DemandStatus.ACCEPTED, DemandStatus.REJECTED, DemandStatus.WITHDRAWN}
    ),
    DemandStatus.ACCEPTED: frozenset({DemandStatus.EVALUATING, DemandStatus.WITHDRAWN}),
    DemandStatus.REJECTED: frozenset(),
    DemandStatus.WITHDRAWN: frozenset(),
    DemandStatus.CONVERTED: frozenset(),
}
# What the PM decides; the demander may only withdraw.
PM_MOVES = frozenset({DemandStatus.EVALUATING, DemandStatus.ACCEPTED, DemandStatus.REJECTED})
DEMANDER_MOVES = frozenset({DemandStatus.WITHDRAWN})


class Volume(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language
    volume: int = Field(gt=0, le=100_000_000, description="items wanted in this language")


def _check_volumes(volumes: list[Volume]) -> list[Volume]:
    seen: set[str] = set()
    for volume in volumes:
        if volume.language in seen:
            raise ValueError(f"language {volume.language!r} is listed twice")
        seen.add(volume.language)
    return volumes


def _check_severity_mix(mix: dict[str, float] | None) -> dict[str, float] | None:
    if mix is None:
        return None
    unknown = sorted(set(mix) - set(SEVERITY_TIERS))
    if unknown:
        raise ValueError(f"unknown severity tier {unknown[0]!r} (expected S0 to S4)")
    if any(share < 0 or share > 1 for share in mix.values()):
        raise ValueError("each share must lie between 0 and 1")
    total = sum(mix.values())
    if abs(total - 1) > 0.01:
        raise ValueError(f"shares must add up to 1 (100 %), not {total:.2f}")
    return {tier: mix[tier] for tier in SEVERITY_TIERS if tier in mix}


def _check_template(name: str | None) -> str | None:
    if name is not None and name not in template_names():
        raise ValueError(f"no taxonomy template {name!r} (known: {', '.join(template_names())})")
    return name


def _check_deadline(deadline: date | None) -> date | None:
    if deadline is not None and deadline < utcnow().date():
        raise ValueError(f"{deadline.isoformat()} is in the past")
    return deadline


Volumes = Annotated[
    list[Volume], Field(min_length=1, max_length=50), AfterValidator(_check_volumes)
]
SeverityMix = Annotated[dict[str, float] | None, AfterValidator(_check_severity_mix)]
Template = Annotated[str | None, AfterValidator(_check_template)]
Deadline = Annotated[date | None, AfterValidator(_check_deadline)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=10_000)]


class NewDemand(BaseModel):
    """What a demander asks for. Either a shipped taxonomy template or a description of the
    taxonomy wanted (taxonomy_notes)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Title
    purpose: Purpose
    description: Text = ""
    taxonomy_template: Template = None
    taxonomy_notes: Text = ""
    volumes: Volumes
    deadline: Deadline = None
    target_accuracy: float | None = Field(default=None, gt=0.0, le=1.0)
    target_alpha: float | None = Field(default=None, ge=-1.0, le=1.0)
    budget: float | None = Field(default=None, ge=0.0, le=1e12)
    severity_mix: SeverityMix = None


class DemandUpdate(BaseModel):
    """A change to a demand's spec: only the fields sent change (null clears the optional
    ones)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Title | None = None
    purpose: Purpose | None = None
    description: Text | None = None
    taxonomy_template: Template = None
    taxonomy_notes: Text | None = None
    volumes: Volumes | None = None
    deadline: Deadline = None
    target_accuracy: float | None = Field(default=None, gt=0.0, le=1.0)
    target_alpha: float | None = Field(default=None, ge=-1.0, le=1.0)
    budget: float | None = Field(default=None, ge=0.0, le=1e12)
    severity_mix: SeverityMix = None

    @field_validator("title", "purpose", "volumes", "description", "taxonomy_notes")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be cleared")
        return value


# The spec's fields, in the order pages show them.
SPEC_FIELDS = tuple(DemandUpdate.model_fields)


class NewComment(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: DemandStatus
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class Conversion(BaseModel):
    """How an accepted demand becomes a project: the label schema (default: the demand's
    taxonomy template), overlap, staffing and the project's first status."""

    model_config = ConfigDict(extra="forbid")

    label_schema: LabelSchema | None = None
    overlap: int = Field(default=1, ge=1, le=25)
    vendors: list[str] = Field(default_factory=list)
    guidelines: str = Field(default="", max_length=500_000)
    status: ProjectStatus = ProjectStatus.APPROVED


class DeliveryDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class CommentOut(BaseModel):
    id: int
    author: str
    author_role: str
    body: str
    created_at: datetime


class ChangeOut(BaseModel):
    id: int
    actor: str
    field: str
    old: Any
    new: Any
    created_at: datetime


class DemandOut(BaseModel):
    id: int
    title: str
    purpose: Purpose
    description: str
    taxonomy_template: str | None
    taxonomy_notes: str
    volumes: list[Volume]
    total_volume: int
    deadline: date | None
    target_accuracy: float | None
    target_alpha: float | None
    budget: float | None
    severity_mix: dict[str, float] | None
    status: DemandStatus
    demander: str
    pm: str | None
    project_id: int | None
    decision_note: str | None
    delivery: str | None
    delivery_note: str | None
    delivery_decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DemandDetail(DemandOut):
    comments: list[CommentOut]
    changes: list[ChangeOut]


class LanguageDelivery(BaseModel):
    language: str
    asked: int
    imported: int
    done: int


class DeliveryReport(BaseModel):
    """The delivery against the agreed spec: volumes, date and quality, asked vs achieved."""

    demand_id: int
    project_id: int
    project_status: str
    languages: list[LanguageDelivery]
    deadline: date | None
    delivered_at: datetime | None
    on_time: bool | None  # None: not delivered yet, or no deadline
    target_accuracy: float | None
    measured_accuracy: float | None  # the latest accepted audit's stratified estimate
    accuracy_interval: tuple[float, float] | None
    accepted_audits: int
    meets_accuracy: bool | None
    target_alpha: float | None
    measured_alpha: float | None  # Krippendorff's alpha over the project's annotations
    meets_alpha: bool | None
    can_decide: bool  # the project is delivered and its delivery not yet accepted
    delivery: str | None
    delivery_note: str | None
    delivery_decided_at: datetime | None
