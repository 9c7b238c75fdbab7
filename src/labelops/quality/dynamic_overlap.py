"""Dynamic overlap: after each submission, decide whether an item is done, needs one more
labeler, or goes to a reviewer.

A project with `max_overlap` set starts every item at `overlap` labelers (the minimum). Once an
item has at least that many answers, its posterior (`posterior.LabelModel`, from the project's
stored fit) decides, in the submitting transaction:

- confident (≥ `target_confidence`): its open slots close, so nobody else is served it (leases in
  flight may still submit — and a lease that expires or is skipped hands its slot back, as the
  queue's invariant demands; the next answer then closes it again);
- not confident, with answers still on their way: wait for them;
- not confident, none on their way, below `max_overlap`: one more labeler (target and open slots
  up by one, by a guarded update that re-checks the counters it decided on);
- not confident at `max_overlap`: an escalation for a reviewer (at most one per item).

The fit is one-coin Dawid–Skene (`FIT_METHOD`: on the benchmark's data it stopped items as
accurately as the full model with fewer labels), each labeler's matrix shrunk towards the default
labeler by their number of answers. It is refitted from every annotation of the project
(`posterior.should_refit`: first at 30 answers, then after each 10 % growth, at least 50 new).
Counting the project's annotations is not free, so it is done on every submission only until
the first fit, then on one submission in `REFIT_CHECK_EVERY` (by annotation id); the refit
itself runs in that submitting request. Its parsed matrices are kept per process, keyed by the
fit's stamp. Fixed-overlap projects never come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from labelops import annotation, audit, distribution, projects
from labelops.auth import Action, Actor, Role
from labelops.db import FastStatement, table, utcnow
from labelops.errors import Conflict, NotFound
from labelops.quality.models import Escalation, QualityFit
from labelops.quality.posterior import (
    Decision,
    LabelModel,
    answer_key,
    decide,
    fit_label_model,
    should_refit,
)
from labelops.workforce import User

REFIT_CHECK_EVERY = 20
FIT_METHOD = "ods"  # bench/dynamic_overlap.py: fewer labels than "ds" at equal accuracy
SYSTEM = Actor(user_id=None, username="system", role=Role.ADMIN)

_queue = table(distribution.QueueEntry)
_annotations = table(annotation.Annotation)
_fits = table(QualityFit)
_escalations = table(Escalation)

_ITEM_ANSWERS = FastStatement(
    select(_annotations.c.labeler_id, _annotations.c.labels).where(
        _annotations.c.project_id == bindparam("project_id"),
        _annotations.c.item_id == bindparam("item_id"),
    )
)
_ENTRY = FastStatement(
    select(_queue.c.target, _queue.c.submitted, _queue.c.open_slots).where(
        _queue.c.item_id == bindparam("item_id")
    )
)
_FIT_STAMP = FastStatement(
    select(_fits.c.annotations, _fits.c.fitted_at).where(
        _fits.c.project_id == bindparam("project_id")
    )
)
_FIT = select(_fits.c.labels, _fits.c.priors, _fits.c.confusion).where(
    _fits.c.project_id == bindparam("project_id")
)
# Parsed fits by project, with the (annotations, fitted_at) stamp they were read at: a fit holds
# a matrix per labeler, too much JSON to parse on every submission. Any process that sees a newer
# stamp reads the fit again.
_MODELS: dict[int, tuple[tuple[int, datetime], LabelModel]] = {}
_MODELS_KEPT = 256
_COUNT = FastStatement(
    select(func.count()).where(_annotations.c.project_id == bindparam("project_id"))
)
# Done: the open slots go; leased ones stay counted in the target (open = target − submitted −
# leased keeps holding).
_CLOSE = FastStatement(
    update(_queue)
    .where(_queue.c.item_id == bindparam("item_id"), _queue.c.open_slots > 0)
    .values(target=_queue.c.target - _queue.c.open_slots, open_slots=0)
)
# One more: only if nothing changed since we looked (no slot open, no lease out, same target).
_ONE_MORE = FastStatement(
    update(_queue)
    .where(
        _queue.c.item_id == bindparam("item_id"),
        _queue.c.target == bindparam("target"),
        _queue.c.submitted == _queue.c.target,
        _queue.c.open_slots == 0,
        _queue.c.target < bindparam("max_overlap"),
    )
    .values(target=_queue.c.target + 1, open_slots=1)
)


def after_submission(
    session: Session, *, project: projects.ProjectView, item_id: int, annotation_id: int
) -> Decision:
    """Close, widen or escalate an item of a dynamic-overlap project after one of its answers
    was stored (same transaction)."""
    connection = session.connection()
    model = _current_model(session, project, annotation_id)
    answers = [
        (str(labeler_id), answer_key(labels))
        for labeler_id, labels in _ITEM_ANSWERS.run(
            connection, {"project_id": project.id, "item_id": item_id}
        ).all()
    ]
    best, confidence, _ = model.posterior(answers)
    entry = _ENTRY.run(connection, {"item_id": item_id}).one()
    decision = decide(
        confidence=confidence,
        target_confidence=project.target_confidence,
        submitted=entry.submitted,
        pending=entry.target - entry.submitted,
        target=entry.target,
        min_overlap=project.overlap,
        max_overlap=project.max_overlap or project.overlap,
    )
    if decision is Decision.DONE:
        _CLOSE.run(connection, {"item_id": item_id})
    elif decision is Decision.MORE:
        params = {"item_id": item_id, "target": entry.target, "max_overlap": project.max_overlap}
        _ONE_MORE.run(connection, params)
    elif decision is Decision.ESCALATE:
        _escalate(session, project.id, item_id, best, confidence)
    return decision


def _current_model(
    session: Session, project: projects.ProjectView, annotation_id: int
) -> LabelModel:
    connection = session.connection()
    stamp = _FIT_STAMP.run(connection, {"project_id": project.id}).one_or_none()
    if stamp is None or annotation_id % REFIT_CHECK_EVERY == 0:
        count = int(_COUNT.run(connection, {"project_id": project.id}).scalar())
        if should_refit(count, None if stamp is None else stamp.annotations):
            return refit(session, project_id=project.id)
    if stamp is None:
        return LabelModel.untrained(_schema_keys(session, project))
    cached = _MODELS.get(project.id)
    if cached is not None and cached[0] == tuple(stamp):
        return cached[1]
    fit = connection.execute(_FIT, {"project_id": project.id}).one()
    model = LabelModel.from_fit(fit.labels, fit.priors, fit.confusion)
    if len(_MODELS) >= _MODELS_KEPT:
        _MODELS.clear()
    _MODELS[project.id] = ((stamp.annotations, stamp.fitted_at), model)
    return model


def refit(session: Session, *, project_id: int) -> LabelModel:
    """Fit the project's label model (priors, each labeler's confusion matrix) on all its
    annotations and store it as the project's quality fit."""
    view = projects.find_view(session, project_id)
    if view is None:
        raise NotFound(f"no project {project_id}", code="project_not_found")
    rows = session.execute(
        select(_annotations.c.item_id, _annotations.c.labeler_id, _annotations.c.labels).where(
            _annotations.c.project_id == project_id
        )
    ).all()
    triples = [
        (item_id, str(labeler_id), answer_key(labels)) for item_id, labeler_id, labels in rows
    ]
    keys = _schema_keys(session, view)
    labels = keys + sorted({key for _, _, key in triples} - set(keys))
    if not triples:
        return LabelModel.untrained(labels)
    model = fit_label_model(triples, labels, method=FIT_METHOD)
    values = {
        "project_id": project_id,
        "method": FIT_METHOD,
        "labels": list(model.labels),
        "priors": model.priors.tolist(),
        "confusion": {key: matrix.tolist() for key, matrix in model.confusion.items()},
        "annotations": len(triples),
        "fitted_at": utcnow(),
    }
    _upsert(session.connection(), values)
    audit.record(
        session,
        SYSTEM,
        "quality.refit",
        ("project", project_id),
        project_id=project_id,
        annotations=len(triples),
        labelers=len(model.confusion),
    )
    return model


def _upsert(connection: Connection, values: dict[str, object]) -> None:
    # Two submissions may refit at once: the later write wins, neither fails.
    dialect = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = dialect(_fits).values(**values)
    excluded = statement.excluded
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[_fits.c.project_id],
            set_={name: excluded[name] for name in values if name != "project_id"},
        )
    )


def _schema_keys(session: Session, project: projects.ProjectView) -> list[str]:
    return sorted(projects.label_schema_of(session, project).leaves)


def _escalate(
    session: Session, project_id: int, item_id: int, best: str, confidence: float
) -> None:
    connection = session.connection()
    dialect = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    result = connection.execute(
        dialect(_escalations)
        .values(
            project_id=project_id,
            item_id=item_id,
            reason="low_confidence",
            labels=best.split("|") if best else [],
            confidence=confidence,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[_escalations.c.item_id])
        .returning(_escalations.c.id)
    )
    escalation_id = result.scalar()
    if escalation_id is not None:
        audit.record(
            session,
            SYSTEM,
            "item.escalated",
            ("escalation", escalation_id),
            project_id=project_id,
            item_id=item_id,
            confidence=round(confidence, 4),
        )


# --- reviewers ---------------------------------------------------------------------------------


class EscalatedAnswer(BaseModel):
    labeler_id: int
    username: str
    labels: list[str]
    submitted_at: datetime


class EscalationOut(BaseModel):
    id: int
    item_id: int
    external_id: str
    text: str
    language: str
    reason: str
    labels: list[str]
    confidence: float
    created_at: datetime
    answers: list[EscalatedAnswer]
    resolved_at: datetime | None
    resolved_by: str | None
    resolved_labels: list[str] | None
    note: str | None


def list_escalations(
    session: Session, *, actor: Actor, project_id: int, resolved: bool = False
) -> list[EscalationOut]:
    """The project's escalated items, oldest first, each with every answer it got: the open
    ones, or (`resolved`) those a reviewer has decided."""
    actor.require(Action.REVIEW)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    done = Escalation.resolved_at.is_not(None)
    escalations = session.scalars(
        select(Escalation)
        .where(Escalation.project_id == project.id, done if resolved else ~done)
        .order_by(Escalation.id)
    ).all()
    return _describe(session, escalations)


def resolve_escalation(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    escalation_id: int,
    labels: Sequence[str],
    note: str | None = None,
) -> EscalationOut:
    """A reviewer decides an escalated item's final labels."""
    actor.require(Action.REVIEW)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or escalation.project_id != project.id:
        raise NotFound(
            f"no escalation {escalation_id} on this project", code="escalation_not_found"
        )
    if escalation.resolved_at is not None:
        raise Conflict("this escalation was already resolved", code="escalation_resolved")
    escalation.resolved_labels = projects.label_schema(project).check_selection(labels)
    escalation.resolved_by_id, escalation.resolved_at = actor.user_id, utcnow()
    escalation.note = note or None
    session.flush()
    audit.record(
        session,
        actor,
        "escalation.resolved",
        ("escalation", escalation.id),
        project_id=project.id,
        item_id=escalation.item_id,
        labels=escalation.resolved_labels,
    )
    return _describe(session, [escalation])[0]


def _describe(session: Session, escalations: Sequence[Escalation]) -> list[EscalationOut]:
    item_ids = [e.item_id for e in escalations]
    items = {
        item.id: item
        for item in session.scalars(select(projects.Item).where(projects.Item.id.in_(item_ids)))
    }
    answers: dict[int, list[EscalatedAnswer]] = {item_id: [] for item_id in item_ids}
    rows = session.execute(
        select(
            _annotations.c.item_id,
            _annotations.c.labeler_id,
            User.username,
            _annotations.c.labels,
            _annotations.c.submitted_at,
        )
        .join(User, User.id == _annotations.c.labeler_id)
        .where(_annotations.c.item_id.in_(item_ids))
        .order_by(_annotations.c.submitted_at, _annotations.c.id)
    )
    for item_id, labeler_id, username, labels, submitted_at in rows:
        answers[item_id].append(
            EscalatedAnswer(
                labeler_id=labeler_id, username=username, labels=labels, submitted_at=submitted_at
            )
        )
    names = select(User.id, User.username).where(
        User.id.in_({e.resolved_by_id for e in escalations if e.resolved_by_id})
    )
    reviewers: dict[int, str] = dict(session.execute(names).all())
    return [
        EscalationOut(
            id=e.id,
            item_id=e.item_id,
            external_id=items[e.item_id].external_id,
            text=items[e.item_id].text,
            language=items[e.item_id].language,
            reason=e.reason,
            labels=e.labels,
            confidence=e.confidence,
            created_at=e.created_at,
            answers=answers[e.item_id],
            resolved_at=e.resolved_at,
            resolved_by=reviewers.get(e.resolved_by_id) if e.resolved_by_id else None,
            resolved_labels=e.resolved_labels,
            note=e.note,
        )
        for e in escalations
    ]
