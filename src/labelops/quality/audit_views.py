"""Reading audits: progress, the running stratified estimate against the quality target, the
strata and the sampled items. Audits are reviewers' and PMs' business: labelers, vendor leads
and demanders never see them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Action, Actor
from labelops.errors import NotFound
from labelops.quality.models import Audit, AuditItem
from labelops.quality.sampling import Estimate, StratumTally, stratified_accuracy
from labelops.workforce import User


class StratumOut(BaseModel):
    key: str
    language: str
    label: str
    population: int
    sample: int
    reviewed: int
    correct: int
    accuracy: float | None


class EstimateOut(BaseModel):
    accuracy: float | None
    interval: tuple[float, float] | None
    reviewed: int
    correct: int
    quality_target: float | None
    # Point estimate ≥ target (None: no target, or no verdict yet).
    meets_target: bool | None
    # The whole interval lies on the side of the target the point estimate is on.
    conclusive: bool | None


class AuditOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    name: str
    batch_id: int | None
    status: str
    method: str
    margin: float
    confidence_level: float
    expected_accuracy: float
    population: int
    sample_size: int
    estimate: EstimateOut
    created_by: str | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


class AuditItemOut(BaseModel):
    id: int
    item_id: int
    external_id: str
    text: str
    language: str
    stratum: str
    final_labels: list[str]
    verdict: str | None
    corrected_labels: list[str] | None
    note: str | None
    reviewer: str | None
    reviewed_at: datetime | None


class AuditDetail(AuditOut):
    strata: list[StratumOut]
    items: list[AuditItemOut]


def get_audit_row(
    session: Session, actor: Actor, audit_id: int, *, for_update: bool = False
) -> tuple[Audit, projects.Project]:
    """The audit and its project, if the actor may review it; `for_update` locks the audit row
    (PostgreSQL), so a verdict cannot land on an audit being decided."""
    actor.require(Action.REVIEW)
    row = session.get(Audit, audit_id, with_for_update=for_update)
    if row is None:
        raise NotFound(f"no audit {audit_id}", code="audit_not_found")
    try:
        project = projects.get_project(session, actor=actor, project_id=row.project_id)
    except NotFound:
        raise NotFound(f"no audit {audit_id}", code="audit_not_found") from None
    return row, project


def tallies(session: Session, audit_ids: Sequence[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """Per audit and stratum: (reviewed, correct)."""
    rows = session.execute(
        select(
            AuditItem.audit_id,
            AuditItem.stratum,
            func.count(AuditItem.verdict),
            func.count(AuditItem.verdict).filter(AuditItem.verdict == "correct"),
        )
        .where(AuditItem.audit_id.in_(audit_ids))
        .group_by(AuditItem.audit_id, AuditItem.stratum)
    )
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for audit_id, stratum, reviewed, correct in rows:
        found[audit_id][stratum] = (reviewed, correct)
    return found


def strata_of(row: Audit, tallies: dict[str, tuple[int, int]]) -> list[StratumOut]:
    strata = []
    for key, s in sorted(row.strata.items()):
        reviewed, correct = tallies.get(key, (0, 0))
        strata.append(
            StratumOut(
                key=key,
                language=s["language"],
                label=s["label"],
                population=s["population"],
                sample=s["sample"],
                reviewed=reviewed,
                correct=correct,
                accuracy=correct / reviewed if reviewed else None,
            )
        )
    return strata


def estimate_of(strata: Sequence[StratumOut], target: float | None) -> EstimateOut:
    found: Estimate = stratified_accuracy(
        [StratumTally(s.population, s.sample, s.reviewed, s.correct) for s in strata]
    )
    interval = (found.low, found.high) if found.low is not None and found.high is not None else None
    meets = conclusive = None
    if target is not None and found.accuracy is not None and interval is not None:
        meets = found.accuracy >= target
        conclusive = interval[0] >= target if meets else interval[1] < target
    return EstimateOut(
        accuracy=found.accuracy,
        interval=interval,
        reviewed=found.reviewed,
        correct=found.correct,
        quality_target=target,
        meets_target=meets,
        conclusive=conclusive,
    )


def _out(
    session: Session, row: Audit, project: projects.Project, strata: Sequence[StratumOut]
) -> AuditOut:
    names = _usernames(session, [row.created_by_id, row.decided_by_id])
    return AuditOut(
        id=row.id,
        project_id=row.project_id,
        project_name=project.name,
        name=row.name,
        batch_id=row.batch_id,
        status=row.status,
        method=row.method,
        margin=row.margin,
        confidence_level=row.confidence_level,
        expected_accuracy=row.expected_accuracy,
        population=row.population,
        sample_size=row.sample_size,
        estimate=estimate_of(strata, project.quality_target),
        created_by=names.get(row.created_by_id),
        created_at=row.created_at,
        decided_by=names.get(row.decided_by_id),
        decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


def _usernames(session: Session, user_ids: Sequence[int | None]) -> dict[int | None, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {user_id: username for user_id, username in rows}  # noqa: C416 (rows are not pairs)


def list_audits(session: Session, *, actor: Actor, project_id: int) -> list[AuditOut]:
    """The project's audits, newest first, each with its progress and running estimate."""
    actor.require(Action.REVIEW)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    rows = session.scalars(
        select(Audit).where(Audit.project_id == project.id).order_by(Audit.id.desc())
    ).all()
    found = tallies(session, [r.id for r in rows])
    return [_out(session, r, project, strata_of(r, found[r.id])) for r in rows]


def list_open_audits(session: Session, *, actor: Actor) -> list[AuditOut]:
    """Every audit still waiting for verdicts or a decision, oldest first (a reviewer's work)."""
    actor.require(Action.REVIEW)
    rows = session.scalars(select(Audit).where(Audit.status == "open").order_by(Audit.id)).all()
    counts = tallies(session, [r.id for r in rows])
    found = []
    for row in rows:
        project = session.get(projects.Project, row.project_id)
        if project is not None and projects.can_see(session, actor, project):
            found.append(_out(session, row, project, strata_of(row, counts[row.id])))
    return found


def get_audit(session: Session, *, actor: Actor, audit_id: int) -> AuditDetail:
    """An audit with its strata and every sampled item (text, final label, verdict)."""
    row, project = get_audit_row(session, actor, audit_id)
    strata = strata_of(row, tallies(session, [row.id])[row.id])
    item, reviewer = projects.Item, User
    rows = session.execute(
        select(AuditItem, item.external_id, item.text, item.language, reviewer.username)
        .join(item, item.id == AuditItem.item_id)
        .outerjoin(reviewer, reviewer.id == AuditItem.reviewer_id)
        .where(AuditItem.audit_id == row.id)
        .order_by(AuditItem.stratum, AuditItem.id)
    ).all()
    items = [
        AuditItemOut(
            id=a.id,
            item_id=a.item_id,
            external_id=external_id,
            text=text,
            language=language,
            stratum=a.stratum,
            final_labels=a.final_labels,
            verdict=a.verdict,
            corrected_labels=a.corrected_labels,
            note=a.note,
            reviewer=username,
            reviewed_at=a.reviewed_at,
        )
        for a, external_id, text, language, username in rows
    ]
    summary = _out(session, row, project, strata)
    return AuditDetail(**summary.model_dump(), strata=strata, items=items)


class BatchOut(BaseModel):
    id: int
    source: str
    imported: int
    created_at: datetime


def audit_batches(session: Session, *, actor: Actor, project_id: int) -> list[BatchOut]:
    """The project's import batches, newest first: the lots a PM may audit."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    batch = projects.ImportBatch
    rows = session.scalars(
        select(batch).where(batch.project_id == project.id).order_by(batch.id.desc())
    ).all()
    return [
        BatchOut(id=b.id, source=b.source, imported=b.imported, created_at=b.created_at)
        for b in rows
    ]
