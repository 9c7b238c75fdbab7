from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from labelops.languages import normalize_language
from labelops.projects.taxonomy import LabelSchema, default_taxonomy

Language = Annotated[str, AfterValidator(normalize_language)]


class ProjectStatus(enum.StrEnum):
    DRAFT = "draft"
    EVALUATING = "evaluating"
    APPROVED = "approved"
    RUNNING = "running"
    PAUSED = "paused"
    DELIVERED = "delivered"
    ARCHIVED = "archived"


# The lifecycle: draft → evaluating → approved → running ⇄ paused → delivered → archived.
TRANSITIONS: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    ProjectStatus.DRAFT: frozenset({ProjectStatus.EVALUATING, ProjectStatus.ARCHIVED}),
    ProjectStatus.EVALUATING: frozenset(
        {ProjectStatus.APPROVED, ProjectStatus.DRAFT, ProjectStatus.ARCHIVED}
    ),
    ProjectStatus.APPROVED: frozenset({ProjectStatus.RUNNING, ProjectStatus.ARCHIVED}),
    ProjectStatus.RUNNING: frozenset({ProjectStatus.PAUSED, ProjectStatus.DELIVERED}),
    ProjectStatus.PAUSED: frozenset(
        {ProjectStatus.RUNNING, ProjectStatus.DELIVERED, ProjectStatus.ARCHIVED}
    ),
    ProjectStatus.DELIVERED: frozenset({ProjectStatus.RUNNING, ProjectStatus.ARCHIVED}),
    ProjectStatus.ARCHIVED: frozenset(),
}


class NewProject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    languages: list[Language] = Field(min_length=1, max_length=50)
    label_schema: LabelSchema = Field(
        default_factory=lambda: LabelSchema.model_validate(default_taxonomy()),
        description="single- or multi-choice labels over a two-level taxonomy; "
        "default: the shipped T&S taxonomy",
    )
    overlap: int = Field(default=1, ge=1, le=25, description="distinct labelers per item")
    lease_seconds: int = Field(default=600, ge=30, le=86_400)
    max_text_chars: int = Field(default=20_000, ge=1, le=1_000_000)
    guidelines: str = Field(default="", max_length=500_000, description="Markdown")
    gold_rate: float = Field(
        default=0.0, ge=0.0, le=0.5, description="share of a labeler's items that are gold"
    )
    gold_threshold: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0,
        description="pause a labeler whose gold accuracy is below this with 95 % confidence",
    )
    gold_min_answers: int = Field(
        default=5, ge=1, le=1000, description="gold answers before anyone can be paused"
    )
    max_overlap: int | None = Field(
        default=None,
        ge=1,
        le=25,
        description="dynamic overlap: at most this many labelers per item (overlap is the "
        "minimum); none: fixed overlap",
    )
    target_confidence: float = Field(
        default=0.95,
        ge=0.5,
        le=0.999,
        description="dynamic overlap: an item is done once its label's posterior reaches this",
    )
    quality_target: float | None = Field(
        default=None, gt=0.0, le=1.0, description="accuracy a delivery must reach (audits)"
    )
    qualification_items: int = Field(
        default=0, ge=0, le=100, description="gold items in the qualification quiz (0: none)"
    )
    qualification_pass_mark: float = Field(
        default=0.8, gt=0.0, le=1.0, description="share of quiz items to answer right"
    )
    qualification_tries: int = Field(default=2, ge=1, le=10, description="tries at the quiz")
    vendors: list[str] = Field(default_factory=list, description="vendors staffed on it")
    labelers: list[str] = Field(default_factory=list, description="usernames named on it")
    open_to_all_labelers: bool | None = Field(
        default=None,
        description="any labeler who reads its languages may work on it; "
        "default: true when no vendors or labelers are named",
    )
    demander: str | None = Field(default=None, description="username of the demander")
    deadline: date | None = Field(default=None, description="the date the delivery is due")
    status: ProjectStatus = ProjectStatus.RUNNING


class ProjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    status: ProjectStatus | None = None
    overlap: int | None = Field(default=None, ge=1, le=25)
    lease_seconds: int | None = Field(default=None, ge=30, le=86_400)
    gold_rate: float | None = Field(default=None, ge=0.0, le=0.5)
    gold_threshold: float | None = Field(default=None, gt=0.0, le=1.0)
    gold_min_answers: int | None = Field(default=None, ge=1, le=1000)
    max_overlap: int | None = Field(default=None, ge=1, le=25)
    target_confidence: float | None = Field(default=None, ge=0.5, le=0.999)
    quality_target: float | None = Field(default=None, gt=0.0, le=1.0)
    qualification_items: int | None = Field(default=None, ge=0, le=100)
    qualification_pass_mark: float | None = Field(default=None, gt=0.0, le=1.0)
    qualification_tries: int | None = Field(default=None, ge=1, le=10)
    vendors: list[str] | None = None
    labelers: list[str] | None = None
    open_to_all_labelers: bool | None = None
    deadline: date | None = None


class ProjectOut(BaseModel):
    id: int
    name: str
    description: str
    status: ProjectStatus
    languages: list[str]
    label_schema: LabelSchema
    overlap: int
    lease_seconds: int
    max_text_chars: int
    gold_rate: float
    gold_threshold: float | None
    gold_min_answers: int
    max_overlap: int | None
    target_confidence: float
    quality_target: float | None
    qualification_items: int
    qualification_pass_mark: float
    qualification_tries: int
    open_to_all_labelers: bool
    vendors: list[str]
    labelers: list[str]
    demander: str | None
    deadline: date | None
    created_at: datetime


class RejectedLine(BaseModel):
    line: int
    error: str
    message: str


class ImportResult(BaseModel):
    batch_id: int
    imported: int
    rejected_count: int
    rejected: list[RejectedLine] = Field(description="the first 1,000 rejected lines")
