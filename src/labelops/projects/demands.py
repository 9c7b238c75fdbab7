"""Demands: a demander asks for labeled data, negotiates the spec with a PM in a thread, the PM
decides, and an accepted demand becomes a project whose delivery the demander accepts.

Scope: a demander sees their own demands only (others' answer NotFound); PMs and admins see
every demand; other roles may not see demands at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from labelops import audit
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labelops.projects.demand_schemas import (
    DEMANDER_MOVES,
    PM_MOVES,
    SPEC_FIELDS,
    TRANSITIONS,
    ChangeOut,
    CommentOut,
    Conversion,
    DemandDetail,
    DemandOut,
    DemandStatus,
    DemandUpdate,
    NewComment,
    NewDemand,
    StatusChange,
    Volume,
)
from labelops.projects.models import Demand, DemandChange, DemandComment, Project
from labelops.projects.schemas import NewProject
from labelops.projects.service import create_project
from labelops.projects.taxonomy import LabelSchema, taxonomy_template
from labelops.workforce import User

# A demander edits the spec while it is being discussed; a PM until it becomes a project.
DEMANDER_EDITS = frozenset({DemandStatus.SUBMITTED, DemandStatus.EVALUATING})
PM_EDITS = frozenset({DemandStatus.SUBMITTED, DemandStatus.EVALUATING, DemandStatus.ACCEPTED})


def submit_demand(session: Session, *, actor: Actor, data: NewDemand) -> Demand:
    """A demander asks for labeled data; the demand waits for a PM as `submitted`."""
    actor.require(Action.SUBMIT_DEMAND)
    if actor.user_id is None:
        raise PermissionDenied("a demand needs a user who asks for it")
    check_taxonomy(data.taxonomy_template, data.taxonomy_notes)
    now = utcnow()
    demand = Demand(
        **_spec_columns(data.model_dump(mode="json")),
        deadline=data.deadline,
        status=DemandStatus.SUBMITTED.value,
        demander_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(demand)
    session.flush()
    audit.record(session, actor, "demand.submitted", ("demand", demand.id), title=demand.title)
    return demand


def get_demand(
    session: Session, *, actor: Actor, demand_id: int, for_update: bool = False
) -> Demand:
    """A demand the actor may see: their own for a demander, any for a PM; NotFound otherwise."""
    actor.require(Action.SUBMIT_DEMAND)
    demand = session.get(Demand, demand_id, with_for_update=for_update)
    if demand is None or not _sees(actor, demand):
        raise NotFound(f"no demand {demand_id}", code="demand_not_found")
    return demand


def list_demands(
    session: Session, *, actor: Actor, status: DemandStatus | None = None
) -> list[Demand]:
    """The demands the actor may see, newest first, optionally in one status."""
    actor.require(Action.SUBMIT_DEMAND)
    query = select(Demand).where(_visible(actor)).order_by(Demand.id.desc())
    if status is not None:
        query = query.where(Demand.status == status.value)
    return list(session.scalars(query))


def update_demand(session: Session, *, actor: Actor, demand_id: int, data: DemandUpdate) -> Demand:
    """Change the spec: one change row per changed field; an accepted demand goes back to
    evaluating, since what was accepted is no longer what is asked."""
    demand = get_demand(session, actor=actor, demand_id=demand_id, for_update=True)
    status = DemandStatus(demand.status)
    allowed = PM_EDITS if actor.is_staff else DEMANDER_EDITS
    if status not in allowed:
        raise Conflict(f"a {status} demand can no longer be changed", code="demand_closed")
    wanted = data.model_dump(mode="json", exclude_unset=True)
    template = wanted.get("taxonomy_template", demand.taxonomy_template)
    check_taxonomy(template, wanted.get("taxonomy_notes", demand.taxonomy_notes))
    now = utcnow()
    changed = []
    for field in SPEC_FIELDS:
        if field not in wanted:
            continue
        old, new = _stored(demand, field), wanted[field]
        if old == new:
            continue
        setattr(demand, field, getattr(data, field) if field == "deadline" else new)
        session.add(_change(demand, actor, field, old, new, now))
        changed.append(field)
    if not changed:
        return demand
    if status is DemandStatus.ACCEPTED:
        _move(session, demand, actor, DemandStatus.EVALUATING, now)
    demand.updated_at = now
    session.flush()
    audit.record(session, actor, "demand.updated", ("demand", demand.id), fields=changed)
    return demand


def comment_on_demand(
    session: Session, *, actor: Actor, demand_id: int, data: NewComment
) -> DemandComment:
    """A message in the negotiation, from the demander or a PM."""
    demand = get_demand(session, actor=actor, demand_id=demand_id)
    assert actor.user_id is not None  # every actor who sees a demand is a user
    comment = DemandComment(demand_id=demand.id, author_id=actor.user_id, body=data.body)
    session.add(comment)
    demand.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "demand.commented", ("demand", demand.id), comment_id=comment.id)
    return comment


def change_demand_status(
    session: Session, *, actor: Actor, demand_id: int, data: StatusChange
) -> Demand:
    """Move a demand along its lifecycle: a PM evaluates, accepts or rejects (with a reason);
    the demander withdraws it before it becomes a project."""
    demand = get_demand(session, actor=actor, demand_id=demand_id, for_update=True)
    target, current = data.status, DemandStatus(demand.status)
    if target is DemandStatus.CONVERTED:
        raise InvalidInput(
            "a demand becomes a project by converting it", code="use_convert", field="status"
        )
    if target in PM_MOVES:
        actor.require(Action.MANAGE_DEMANDS)
    elif target in DEMANDER_MOVES and actor.user_id != demand.demander_id:
        raise PermissionDenied("only the demander may withdraw their demand")
    if target not in TRANSITIONS[current]:
        raise Conflict(f"a {current} demand cannot become {target}", code="invalid_transition")
    if target is DemandStatus.REJECTED and not data.note:
        raise InvalidInput("say why the demand is rejected", code="note_required", field="note")
    now = utcnow()
    _move(session, demand, actor, target, now)
    if target in PM_MOVES:
        demand.pm_id = actor.user_id
        if target is not DemandStatus.EVALUATING or data.note:
            demand.decision_note = data.note or None
    elif data.note:
        demand.decision_note = data.note
    demand.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        f"demand.{target}",
        ("demand", demand.id),
        old=current.value,
        note=data.note or None,
    )
    return demand


def convert_demand(session: Session, *, actor: Actor, demand_id: int, data: Conversion) -> Project:
    """Turn an accepted demand into its project (name, languages, schema, deadline, quality
    target, demander from the demand), in the same transaction as the demand's new status."""
    actor.require(Action.MANAGE_DEMANDS)
    demand = get_demand(session, actor=actor, demand_id=demand_id, for_update=True)
    if demand.status != DemandStatus.ACCEPTED:
        raise Conflict(
            f"only an accepted demand becomes a project; this one is {demand.status}",
            code="invalid_transition",
        )
    project = create_project(session, actor=actor, data=_new_project(session, demand, data))
    now = utcnow()
    _move(session, demand, actor, DemandStatus.CONVERTED, now)
    demand.project_id = project.id
    demand.pm_id = demand.pm_id or actor.user_id
    demand.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "demand.converted",
        ("demand", demand.id),
        project_id=project.id,
    )
    return project


def demand_out(session: Session, demand: Demand) -> DemandOut:
    names = _usernames(session, [demand.demander_id, demand.pm_id])
    return _out(demand, names)


def demands_out(session: Session, demands: list[Demand]) -> list[DemandOut]:
    names = _usernames(session, [u for d in demands for u in (d.demander_id, d.pm_id)])
    return [_out(d, names) for d in demands]


def demand_detail(session: Session, *, actor: Actor, demand_id: int) -> DemandDetail:
    """A demand with its thread of comments and the history of its spec, oldest first."""
    demand = get_demand(session, actor=actor, demand_id=demand_id)
    comments = session.execute(
        select(DemandComment, User.username, User.role)
        .join(User, User.id == DemandComment.author_id)
        .where(DemandComment.demand_id == demand.id)
        .order_by(DemandComment.id)
    ).all()
    changes = session.execute(
        select(DemandChange, User.username)
        .join(User, User.id == DemandChange.actor_id)
        .where(DemandChange.demand_id == demand.id)
        .order_by(DemandChange.id)
    ).all()
    return DemandDetail(
        **demand_out(session, demand).model_dump(),
        comments=[
            CommentOut(id=c.id, author=name, author_role=role, body=c.body, created_at=c.created_at)
            for c, name, role in comments
        ],
        changes=[
            ChangeOut(
                id=c.id,
                actor=name,
                field=c.field,
                old=c.old["value"],
                new=c.new["value"],
                created_at=c.created_at,
            )
            for c, name in changes
        ],
    )


def check_taxonomy(template: str | None, notes: str) -> None:
    """A demand names a shipped taxonomy template or describes the taxonomy it wants."""
    if template is None and not notes.strip():
        raise InvalidInput(
            "pick a taxonomy template or describe the taxonomy you need",
            code="taxonomy_required",
            field="taxonomy_notes",
        )


def record_change(
    session: Session, demand: Demand, actor: Actor, field: str, old: Any, new: Any
) -> None:
    """Add a line to the demand's history (also used for its status and delivery)."""
    session.add(_change(demand, actor, field, old, new, utcnow()))


def _new_project(session: Session, demand: Demand, data: Conversion) -> NewProject:
    schema = data.label_schema
    if schema is None:
        if demand.taxonomy_template is None:
            raise InvalidInput(
                "the demand names no taxonomy template: supply a label schema",
                code="label_schema_required",
                field="label_schema",
            )
        schema = LabelSchema.model_validate(taxonomy_template(demand.taxonomy_template))
    demander = session.get(User, demand.demander_id)
    return NewProject(
        name=demand.title,
        description=demand.description,
        languages=[v["language"] for v in demand.volumes],
        label_schema=schema,
        overlap=data.overlap,
        vendors=data.vendors,
        guidelines=data.guidelines,
        quality_target=demand.target_accuracy,
        deadline=demand.deadline,
        # Staff may submit demands too; a project's demander must be one by role.
        demander=demander.username if demander and demander.role == Role.DEMANDER else None,
        status=data.status,
    )


def _move(session: Session, demand: Demand, actor: Actor, target: DemandStatus, now: Any) -> None:
    session.add(_change(demand, actor, "status", demand.status, target.value, now))
    demand.status = target.value


def _change(demand: Demand, actor: Actor, field: str, old: Any, new: Any, now: Any) -> DemandChange:
    assert actor.user_id is not None
    # Each value is wrapped: SQLite gives a JSON column numeric affinity, so a bare number
    # would come back as a REAL rather than as JSON text.
    return DemandChange(
        demand_id=demand.id,
        actor_id=actor.user_id,
        field=field,
        old={"value": old},
        new={"value": new},
        created_at=now,
    )


def _stored(demand: Demand, field: str) -> Any:
    value = getattr(demand, field)
    return value.isoformat() if field == "deadline" and value is not None else value


def _spec_columns(spec: dict[str, Any]) -> dict[str, Any]:
    return {field: spec[field] for field in SPEC_FIELDS if field != "deadline"}


def _sees(actor: Actor, demand: Demand) -> bool:
    return actor.is_staff or demand.demander_id == actor.user_id


def _visible(actor: Actor) -> ColumnElement[bool]:
    return true() if actor.is_staff else Demand.demander_id == actor.user_id


def _usernames(session: Session, user_ids: list[int | None]) -> dict[int, str]:
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}  # noqa: C416 (rows are not pairs)


def _out(demand: Demand, names: dict[int, str]) -> DemandOut:
    return DemandOut(
        id=demand.id,
        title=demand.title,
        purpose=demand.purpose,
        description=demand.description,
        taxonomy_template=demand.taxonomy_template,
        taxonomy_notes=demand.taxonomy_notes,
        volumes=[Volume.model_validate(v) for v in demand.volumes],
        total_volume=sum(int(v["volume"]) for v in demand.volumes),
        deadline=demand.deadline,
        target_accuracy=demand.target_accuracy,
        target_alpha=demand.target_alpha,
        budget=demand.budget,
        severity_mix=demand.severity_mix,
        status=demand.status,
        demander=names.get(demand.demander_id, "?"),
        pm=names.get(demand.pm_id) if demand.pm_id is not None else None,
        project_id=demand.project_id,
        decision_note=demand.decision_note,
        delivery=demand.delivery,
        delivery_note=demand.delivery_note,
        delivery_decided_at=demand.delivery_decided_at,
        created_at=demand.created_at,
        updated_at=demand.updated_at,
    )
