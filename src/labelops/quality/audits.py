"""Audits: a PM samples a batch's finished items, reviewers judge each sampled final label, and
the PM accepts or rejects the batch against the project's quality target.

The lot is an import batch (or the whole project): its items that have all their labelers
(the queue's `submitted >= target`), gold excluded. Each item's *final label* is the majority
vote of its annotations, a multi-choice answer compared as its sorted set of labels; a tie has
no final label ("no majority") and is audited like any other, so the reviewer can say what it
should be. Strata are language × final label. The sample is sized and drawn by
`quality.sampling` and stored item by item, so it never changes once drawn.

The rule against the target: a batch *meets* the target when the estimated accuracy (the point
estimate) is at least the target; the page also says whether the 95 % interval lies wholly on
one side of it. Accepting needs every sampled item reviewed and, when the project has a target,
an estimate that meets it; rejecting may come early (a lot already failing needs no more review
hours). Without a target the PM's decision is free.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, audit, distribution, projects
from labelops.auth import Actor
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound
from labelops.quality.audit_views import (
    StratumOut,
    estimate_of,
    get_audit_row,
    strata_of,
    tallies,
)
from labelops.quality.majority import majority_vote
from labelops.quality.models import Audit, AuditItem
from labelops.quality.sampling import allocate, draw, sample_size

CONFIDENCE_LEVEL = 0.95
NO_MAJORITY = "no majority"


class NewAudit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200)
    batch_id: int | None = Field(default=None, description="an import batch; none: all items")
    margin: float = Field(
        default=0.02, ge=0.005, le=0.25, description="half-width of the 95 % interval wanted"
    )
    expected_accuracy: float = Field(default=0.95, gt=0.0, lt=1.0)
    seed: int | None = Field(default=None, description="for a reproducible draw")


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["correct", "incorrect"]
    labels: list[str] | None = Field(
        default=None, max_length=50, description="the right labels, when incorrect"
    )
    note: str = Field(default="", max_length=2_000)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=2_000)


class AuditPlan(BaseModel):
    batch_id: int | None
    margin: float
    expected_accuracy: float
    population: int
    sample_size: int
    strata: list[StratumOut]


# ---------------------------------------------------------------------------------- the lot


class Stratum:
    """Where an item falls: its language and its final label."""

    __slots__ = ("labels", "language")

    def __init__(self, language: str, labels: list[str]) -> None:
        self.language = language
        self.labels = labels

    @property
    def label(self) -> str:
        return "|".join(self.labels) or NO_MAJORITY

    @property
    def key(self) -> str:
        return f"{self.language}/{self.label}"


def _lot(session: Session, project: projects.Project, batch_id: int | None) -> dict[int, Stratum]:
    """Every finished, non-gold item of the lot with its language and final label."""
    if batch_id is not None:
        batch = session.get(projects.ImportBatch, batch_id)
        if batch is None or batch.project_id != project.id:
            raise InvalidInput(
                f"no import batch {batch_id} in this project",
                code="unknown_batch",
                field="batch_id",
            )
    stored, item, entry = annotation.Annotation, projects.Item, distribution.QueueEntry
    query = (
        select(stored.item_id, stored.labels, item.language)
        .join(item, item.id == stored.item_id)
        .join(entry, entry.item_id == stored.item_id)
        .where(
            stored.project_id == project.id,
            entry.is_gold.is_(False),
            entry.submitted >= entry.target,
        )
        .order_by(stored.item_id)
    )
    if batch_id is not None:
        query = query.where(item.batch_id == batch_id)
    answers: dict[int, list[list[str]]] = defaultdict(list)
    languages: dict[int, str] = {}
    for item_id, labels, language in session.execute(query):
        answers[item_id].append(labels)
        languages[item_id] = language
    multi = projects.label_schema(project).kind == "multi"
    lot = {}
    for item_id, given in answers.items():
        vote = majority_vote(given, multi=multi)
        labels = list(vote.labels) if vote.labels else []
        lot[item_id] = Stratum(languages[item_id], labels)
    return lot


def _plan(lot: dict[int, Stratum], data: NewAudit) -> tuple[dict[str, StratumOut], int]:
    members: dict[str, list[int]] = defaultdict(list)
    first: dict[str, Stratum] = {}
    for item_id, stratum in lot.items():
        members[stratum.key].append(item_id)
        first.setdefault(stratum.key, stratum)
    n = sample_size(data.margin, data.expected_accuracy, population=len(lot))
    allocation = allocate({key: len(ids) for key, ids in members.items()}, n)
    strata = {
        key: StratumOut(
            key=key,
            language=first[key].language,
            label=first[key].label,
            population=len(members[key]),
            sample=allocation[key],
            reviewed=0,
            correct=0,
            accuracy=None,
        )
        for key in sorted(members)
    }
    return strata, n


def plan_audit(session: Session, *, actor: Actor, project_id: int, data: NewAudit) -> AuditPlan:
    """How many items an audit of the lot would review, and how they spread over strata."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    strata, n = _plan(_lot(session, project, data.batch_id), data)
    return AuditPlan(
        batch_id=data.batch_id,
        margin=data.margin,
        expected_accuracy=data.expected_accuracy,
        population=sum(s.population for s in strata.values()),
        sample_size=n,
        strata=list(strata.values()),
    )


def create_audit(session: Session, *, actor: Actor, project_id: int, data: NewAudit) -> Audit:
    """Draw a stratified random sample of the lot's finished items, sized for the margin at
    95 % confidence, and open it for review."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    lot = _lot(session, project, data.batch_id)
    if not lot:
        raise Conflict(
            "there is nothing to audit yet: no item of this lot has all its labelers",
            code="nothing_to_audit",
        )
    strata, n = _plan(lot, data)
    seed = data.seed if data.seed is not None else random.SystemRandom().randrange(2**31)
    members: dict[str, list[int]] = defaultdict(list)
    for item_id, stratum in lot.items():
        members[stratum.key].append(item_id)
    sample = draw(members, {key: s.sample for key, s in strata.items()}, seed=seed)
    where = f"batch {data.batch_id}" if data.batch_id is not None else "all finished items"
    row = Audit(
        project_id=project.id,
        name=data.name.strip() or f"Audit of {where}",
        batch_id=data.batch_id,
        status="open",
        method="mv",
        margin=data.margin,
        confidence_level=CONFIDENCE_LEVEL,
        expected_accuracy=data.expected_accuracy,
        population=len(lot),
        sample_size=n,
        strata={
            key: s.model_dump(include={"language", "label", "population", "sample"})
            for key, s in strata.items()
        },
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    session.add_all(
        AuditItem(audit_id=row.id, item_id=item_id, stratum=key, final_labels=lot[item_id].labels)
        for key, item_ids in sample.items()
        for item_id in item_ids
    )
    session.flush()
    audit.record(
        session,
        actor,
        "audit.created",
        ("audit", row.id),
        project_id=project.id,
        batch_id=data.batch_id,
        population=len(lot),
        sample_size=n,
        seed=seed,
    )
    return row


# ---------------------------------------------------------------------------------- writing


def record_verdict(
    session: Session, *, actor: Actor, audit_id: int, audit_item_id: int, verdict: Verdict
) -> AuditItem:
    """A reviewer says whether a sampled final label is right, and what it should be when it
    is not; a verdict may change until the audit is decided."""
    row, project = get_audit_row(session, actor, audit_id, for_update=True)
    if row.status != "open":
        raise Conflict(f"this audit was already {row.status}", code="audit_decided")
    entry = session.get(AuditItem, audit_item_id)
    if entry is None or entry.audit_id != row.id:
        raise NotFound(f"no item {audit_item_id} in this audit", code="audit_item_not_found")
    corrected = _corrected_labels(project, entry, verdict)
    changed = entry.verdict is not None
    entry.verdict, entry.corrected_labels = verdict.verdict, corrected
    entry.note = verdict.note.strip() or None
    entry.reviewer_id, entry.reviewed_at = actor.user_id, utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "audit.verdict_changed" if changed else "audit.verdict",
        ("audit_item", entry.id),
        project_id=project.id,
        audit_id=row.id,
        item_id=entry.item_id,
        verdict=verdict.verdict,
        labels=corrected,
    )
    return entry


def _corrected_labels(
    project: projects.Project, entry: AuditItem, verdict: Verdict
) -> list[str] | None:
    if verdict.verdict == "correct":
        if verdict.labels:
            raise InvalidInput(
                "a correct verdict takes no labels", code="labels_not_expected", field="labels"
            )
        if not entry.final_labels:
            raise InvalidInput(
                "this item has no majority label to call correct; mark it incorrect and give "
                "the right label",
                code="no_final_label",
                field="verdict",
            )
        return None
    if not verdict.labels:
        raise InvalidInput(
            "an incorrect verdict needs the right labels", code="labels_required", field="labels"
        )
    labels = projects.label_schema(project).check_selection(verdict.labels)
    if labels == sorted(entry.final_labels):
        raise InvalidInput(
            "the right labels are the final labels themselves: mark the item correct instead",
            code="same_as_final",
            field="labels",
        )
    return labels


def decide_audit(session: Session, *, actor: Actor, audit_id: int, decision: Decision) -> Audit:
    """The PM accepts the batch (every sampled item reviewed and, with a quality target, the
    estimated accuracy at least the target) or rejects it (at any time)."""
    row, project = get_audit_row(session, actor, audit_id, for_update=True)
    projects.require_manageable(session, actor=actor, project_id=project.id)
    if row.status != "open":
        raise Conflict(f"this audit was already {row.status}", code="audit_decided")
    strata = strata_of(row, tallies(session, [row.id])[row.id])
    estimate = estimate_of(strata, project.quality_target)
    if decision.decision == "accept":
        missing = row.sample_size - estimate.reviewed
        if missing > 0:
            raise Conflict(
                f"{missing} sampled item{'s' if missing != 1 else ''} still to review before "
                "the batch can be accepted",
                code="audit_incomplete",
            )
        if estimate.meets_target is False:
            assert estimate.accuracy is not None
            assert project.quality_target is not None
            raise Conflict(
                f"estimated accuracy {estimate.accuracy:.1%} is below the project's quality "
                f"target {project.quality_target:.1%}: the batch cannot be accepted",
                code="below_target",
            )
    row.status = "accepted" if decision.decision == "accept" else "rejected"
    row.decided_by_id, row.decided_at = actor.user_id, utcnow()
    row.decision_note = decision.note.strip() or None
    row.accuracy = estimate.accuracy
    row.interval_low, row.interval_high = estimate.interval or (None, None)
    session.flush()
    audit.record(
        session,
        actor,
        f"audit.{row.status}",
        ("audit", row.id),
        project_id=project.id,
        accuracy=estimate.accuracy,
        interval=list(estimate.interval) if estimate.interval else None,
        quality_target=project.quality_target,
        reviewed=estimate.reviewed,
    )
    return row
