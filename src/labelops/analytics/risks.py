"""The risk register: what threatens a project, with its evidence, and who is on it.

A detector's finding is *recorded* against the open entry of (project, kind, subject): seen
again, the entry's severity, title and evidence are refreshed (and `last_seen_at`); a new entry
or a raised severity notifies the people who run the project and enqueues a webhook event (a
raised severity also puts an acknowledged entry back to open: it needs a fresh look). A PM
acknowledges an entry, assigns it (to a PM, an admin, or a lead of the vendor it is about),
resolves it with a required note, and may reopen it; PMs also add manual risks. The assignee
may acknowledge and resolve what was assigned to them.

Who is told: the project's creator if they are an active PM or admin, else every active PM (so
a project created by a script still reaches someone); plus, for a risk about a vendor or one of
its labelers, that vendor's leads; plus the assignee. Never the person who made the change.

Who sees what: PMs and admins the whole register; a vendor lead only entries about their vendor
or its labelers; a demander only the project-level entries of their own projects (no labeler,
vendor or manual entries: those name people); labelers and reviewers nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import audit, notify, projects
from labelops.analytics.models import Risk
from labelops.auth import SYSTEM, Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labelops.workforce import User, Vendor

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
KINDS = (
    "deadline_at_risk",
    "quality_below_target",
    "labeler_too_fast",
    "straight_lining",
    "idle_leases",
    "failing_gold",
    "vendor_under_delivery",
    "exposure_over_budget",
    "manual",
)
Status = Literal["open", "acknowledged", "resolved"]
MAX_NOTE = 2_000


@dataclass(frozen=True, slots=True)
class Finding:
    """What a detector saw: recorded into the register by `record_risk`."""

    kind: str
    subject: str
    severity: Severity
    title: str
    evidence: dict[str, Any] = field(default_factory=dict)
    labeler_id: int | None = None
    vendor_id: int | None = None


class NewRisk(BaseModel):
    title: str = Field(max_length=300)
    severity: Severity = "medium"
    note: str = Field(default="", max_length=MAX_NOTE)


class RiskAssignment(BaseModel):
    assignee: str = Field(max_length=64)


class Note(BaseModel):
    note: str = Field(default="", max_length=MAX_NOTE)


class RiskOut(BaseModel):
    id: int
    project_id: int
    kind: str
    subject: str
    severity: str
    title: str
    evidence: dict[str, Any]
    status: str
    labeler_id: int | None
    labeler: str | None
    vendor_id: int | None
    vendor: str | None
    assignee: str | None
    created_by: str | None
    created_at: datetime
    last_seen_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None


# ---------------------------------------------------------------------------------- recording


def record_risk(
    session: Session,
    *,
    project_id: int,
    kind: str,
    subject: str,
    severity: Severity,
    title: str,
    evidence: dict[str, Any],
    labeler_id: int | None = None,
    vendor_id: int | None = None,
) -> Risk:
    """Record a detector's finding on the open entry of (project, kind, subject): a new entry
    or a raised severity notifies the project's people and enqueues a webhook event."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown risk kind {kind!r}", code="invalid_kind", field="kind")
    if severity not in RANK:
        raise InvalidInput(f"unknown severity {severity!r}", code="invalid_severity")
    now = utcnow()
    risk = _open_entry(session, project_id, kind, subject)
    if risk is None:
        risk = Risk(
            project_id=project_id,
            kind=kind,
            subject=subject,
            severity=severity,
            title=title[:300],
            evidence=evidence,
            status="open",
            labeler_id=labeler_id,
            vendor_id=vendor_id,
            created_at=now,
            last_seen_at=now,
        )
        try:
            with session.begin_nested():  # the open-entry index decides a race between scans
                session.add(risk)
        except IntegrityError:
            raced = _open_entry(session, project_id, kind, subject)
            assert raced is not None
            return _refresh(session, raced, severity, title, evidence, now)
        audit.record(
            session,
            SYSTEM,
            "risk.raised",
            ("risk", risk.id),
            project_id=project_id,
            kind=kind,
            subject=subject,
            severity=severity,
        )
        _tell(session, SYSTEM, risk, "risk.raised", f"New {severity} risk: {risk.title}")
        return risk
    return _refresh(session, risk, severity, title, evidence, now)


def _open_entry(session: Session, project_id: int, kind: str, subject: str) -> Risk | None:
    return session.scalar(
        select(Risk).where(
            Risk.project_id == project_id,
            Risk.kind == kind,
            Risk.subject == subject,
            Risk.status != "resolved",
        )
    )


def _refresh(
    session: Session,
    risk: Risk,
    severity: Severity,
    title: str,
    evidence: dict[str, Any],
    now: datetime,
) -> Risk:
    previous = risk.severity
    risk.title, risk.evidence, risk.last_seen_at = title[:300], evidence, now
    if severity == previous:
        session.flush()  # a refresh of what was already known: not an event
        return risk
    risk.severity = severity
    raised = RANK[severity] > RANK[previous]
    if raised and risk.status == "acknowledged":
        risk.status, risk.acknowledged_at, risk.acknowledged_by_id = "open", None, None
    session.flush()
    action = "risk.severity_raised" if raised else "risk.severity_lowered"
    audit.record(
        session,
        SYSTEM,
        action,
        ("risk", risk.id),
        project_id=risk.project_id,
        previous=previous,
        severity=severity,
    )
    if raised:
        _tell(session, SYSTEM, risk, action, f"Risk now {severity}: {risk.title}")
    return risk


def _tell(session: Session, actor: Actor, risk: Risk, event: str, title: str) -> None:
    """Notify the people who run the project, and enqueue the webhook event."""
    project = session.get(projects.Project, risk.project_id)
    assert project is not None
    people = set(_recipients(session, project, risk)) - {actor.user_id}
    link = f"/projects/{project.id}/risks#risk-{risk.id}"
    notify.notify(
        session,
        user_ids=[p for p in people if p is not None],
        kind="risk",
        title=title,
        body=f"{project.name}: {_kind_name(risk.kind)}",
        link=link,
        project_id=project.id,
    )
    notify.enqueue_webhook(
        session,
        event=event,
        payload={
            "risk_id": risk.id,
            "project_id": project.id,
            "project": project.name,
            "kind": risk.kind,
            "subject": risk.subject,
            "severity": risk.severity,
            "status": risk.status,
            "title": risk.title,
            "evidence": risk.evidence,
            "link": link,
            "by": actor.username,
        },
    )


def _recipients(session: Session, project: projects.Project, risk: Risk) -> list[int]:
    staff = (Role.ADMIN.value, Role.PM.value)
    creator = None
    if project.created_by_id is not None:
        creator = session.scalar(
            select(User.id).where(
                User.id == project.created_by_id, User.is_active, User.role.in_(staff)
            )
        )
    found = (
        [creator]
        if creator is not None
        else list(session.scalars(select(User.id).where(User.is_active, User.role == "pm")))
    )
    if risk.vendor_id is not None:
        found += session.scalars(
            select(User.id).where(
                User.is_active,
                User.role == Role.VENDOR_LEAD.value,
                User.vendor_id == risk.vendor_id,
            )
        )
    if risk.assignee_id is not None:
        found.append(risk.assignee_id)
    return found


def _kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("_", " "))


KIND_NAMES = {
    "deadline_at_risk": "Deadline at risk",
    "quality_below_target": "Quality below target",
    "labeler_too_fast": "Labeler far faster than peers",
    "straight_lining": "Straight-lining",
    "idle_leases": "Long idle leases",
    "failing_gold": "Failing gold",
    "vendor_under_delivery": "Vendor under-delivery",
    "exposure_over_budget": "Exposure over budget",
    "manual": "Manual",
}


# ---------------------------------------------------------------------------------- the PM's work


def add_manual_risk(session: Session, *, actor: Actor, project_id: int, data: NewRisk) -> Risk:
    """A PM adds a risk the detectors cannot see, with a severity and a note."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    title = data.title.strip()
    if not title:
        raise InvalidInput("give the risk a title", code="no_title", field="title")
    count = session.scalar(
        select(func.count())
        .select_from(Risk)
        .where(Risk.project_id == project.id, Risk.kind == "manual")
    )
    now = utcnow()
    risk = Risk(
        project_id=project.id,
        kind="manual",
        subject=f"manual:{int(count or 0) + 1}",
        severity=data.severity,
        title=title,
        evidence={"note": data.note.strip()} if data.note.strip() else {},
        status="open",
        created_by_id=actor.user_id,
        created_at=now,
        last_seen_at=now,
    )
    try:
        with session.begin_nested():
            session.add(risk)
    except IntegrityError:
        raise Conflict("another risk was added at the same moment; try again") from None
    audit.record(
        session,
        actor,
        "risk.added",
        ("risk", risk.id),
        project_id=project.id,
        severity=risk.severity,
        title=title,
    )
    _tell(session, actor, risk, "risk.raised", f"New {risk.severity} risk: {title}")
    return risk


def acknowledge_risk(session: Session, *, actor: Actor, risk_id: int) -> Risk:
    """A PM (or the assignee) has seen an open risk and is on it."""
    risk = _get_for_work(session, actor, risk_id, assignee_may=True)
    if risk.status != "open":
        raise Conflict(f"this risk is {risk.status}, not open", code="risk_not_open")
    risk.status, risk.acknowledged_by_id, risk.acknowledged_at = (
        "acknowledged",
        actor.user_id,
        utcnow(),
    )
    session.flush()
    audit.record(session, actor, "risk.acknowledged", ("risk", risk.id), project_id=risk.project_id)
    return risk


def assign_risk(session: Session, *, actor: Actor, risk_id: int, assignee: str) -> Risk:
    """A PM hands a risk to a PM, an admin, or a lead of the vendor the risk is about."""
    risk = _get_for_work(session, actor, risk_id, assignee_may=False)
    if risk.status == "resolved":
        raise Conflict("this risk is resolved; reopen it first", code="risk_resolved")
    if not assignee.strip():
        raise InvalidInput("choose who takes the risk", code="no_assignee", field="assignee")
    person = session.scalar(select(User).where(User.username == assignee.strip(), User.is_active))
    if person is None:
        raise InvalidInput(f"no active user {assignee!r}", code="unknown_user", field="assignee")
    if not _may_be_assigned(person, risk):
        raise InvalidInput(
            f"{person.username} cannot take this risk: assign it to a PM, an admin, or a lead "
            "of the vendor it is about",
            code="invalid_assignee",
            field="assignee",
        )
    risk.assignee_id = person.id
    session.flush()
    audit.record(
        session,
        actor,
        "risk.assigned",
        ("risk", risk.id),
        project_id=risk.project_id,
        assignee=person.username,
    )
    if person.id != actor.user_id:
        notify.notify(
            session,
            user_ids=[person.id],
            kind="risk",
            title=f"Assigned to you: {risk.title}",
            body=f"by {actor.username}",
            link=f"/projects/{risk.project_id}/risks#risk-{risk.id}",
            project_id=risk.project_id,
        )
    return risk


def _may_be_assigned(person: User, risk: Risk) -> bool:
    if person.role in (Role.ADMIN.value, Role.PM.value):
        return True
    return (
        person.role == Role.VENDOR_LEAD.value
        and risk.vendor_id is not None
        and person.vendor_id == risk.vendor_id
    )


def assignable_users(session: Session, *, risks: Sequence[RiskOut]) -> dict[int, list[str]]:
    """For each risk, who it may be assigned to (by name): PMs and admins, and the leads of
    the vendor it is about."""
    rows = session.execute(
        select(User.username, User.role, User.vendor_id)
        .where(User.is_active, User.role.in_(("admin", "pm", "vendor_lead")))
        .order_by(User.username)
    ).all()
    staff = [name for name, role, _ in rows if role != Role.VENDOR_LEAD.value]
    leads: dict[int, list[str]] = {}
    for name, role, vendor_id in rows:
        if role == Role.VENDOR_LEAD.value and vendor_id is not None:
            leads.setdefault(vendor_id, []).append(name)
    return {
        r.id: staff + (leads.get(r.vendor_id, []) if r.vendor_id is not None else []) for r in risks
    }


def resolve_risk(session: Session, *, actor: Actor, risk_id: int, note: str) -> Risk:
    """A PM (or the assignee) closes a risk, saying what was done (the note is required)."""
    risk = _get_for_work(session, actor, risk_id, assignee_may=True)
    text = note.strip()
    if not text:
        raise InvalidInput("say what was done about the risk", code="no_note", field="note")
    if risk.status == "resolved":
        raise Conflict("this risk is already resolved", code="risk_resolved")
    risk.status, risk.resolved_by_id, risk.resolved_at = "resolved", actor.user_id, utcnow()
    risk.resolution_note = text
    session.flush()
    audit.record(
        session, actor, "risk.resolved", ("risk", risk.id), project_id=risk.project_id, note=text
    )
    _tell(session, actor, risk, "risk.resolved", f"Resolved: {risk.title}")
    return risk


def reopen_risk(session: Session, *, actor: Actor, risk_id: int, note: str = "") -> Risk:
    """A PM reopens a resolved risk (unless the same problem already has an open entry)."""
    risk = _get_for_work(session, actor, risk_id, assignee_may=False)
    if risk.status != "resolved":
        raise Conflict(f"this risk is {risk.status}, not resolved", code="risk_not_resolved")
    if _open_entry(session, risk.project_id, risk.kind, risk.subject) is not None:
        raise Conflict(
            "the same risk has been raised again since: work on the open entry",
            code="risk_reraised",
        )
    risk.status = "open"
    risk.acknowledged_by_id = risk.acknowledged_at = None
    risk.resolved_by_id = risk.resolved_at = None
    session.flush()
    audit.record(
        session,
        actor,
        "risk.reopened",
        ("risk", risk.id),
        project_id=risk.project_id,
        note=note.strip(),
        previous_note=risk.resolution_note,
    )
    return risk


def _get_for_work(session: Session, actor: Actor, risk_id: int, *, assignee_may: bool) -> Risk:
    risk = session.get(Risk, risk_id)
    if risk is None or not _visible(session, actor, risk):
        raise NotFound(f"no risk {risk_id}", code="risk_not_found")
    if actor.can(Action.MANAGE_PROJECT):
        return risk
    if assignee_may and actor.user_id is not None and risk.assignee_id == actor.user_id:
        return risk
    raise PermissionDenied(f"a {actor.role.value} may not work on this risk")


def _visible(session: Session, actor: Actor, risk: Risk) -> bool:
    if not actor.can(Action.VIEW_PROGRESS):
        return False
    try:
        projects.get_project(session, actor=actor, project_id=risk.project_id)
    except NotFound:
        return False
    if actor.role is Role.VENDOR_LEAD:
        return risk.vendor_id is not None and risk.vendor_id == actor.vendor_id
    if actor.role is Role.DEMANDER:
        return risk.labeler_id is None and risk.vendor_id is None and risk.kind != "manual"
    return True


# ---------------------------------------------------------------------------------- reading


def list_risks(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    status: Status | None = None,
    kind: str | None = None,
    severity: Severity | None = None,
) -> list[RiskOut]:
    """The project's register as the actor may see it: unresolved first, the most severe
    first, then the most recently seen."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    query = select(Risk).where(Risk.project_id == project.id, _scope(actor))
    if status is not None:
        query = query.where(Risk.status == status)
    if kind is not None:
        query = query.where(Risk.kind == kind)
    if severity is not None:
        query = query.where(Risk.severity == severity)
    rank = case({name: -r for name, r in RANK.items()}, value=Risk.severity, else_=0)
    query = query.order_by(
        case((Risk.status == "resolved", 1), else_=0), rank, Risk.last_seen_at.desc(), Risk.id
    )
    return risks_out(session, list(session.scalars(query)))


def get_risk(session: Session, *, actor: Actor, risk_id: int) -> RiskOut:
    """One entry of a register the actor may see."""
    risk = session.get(Risk, risk_id)
    if risk is None or not _visible(session, actor, risk):
        raise NotFound(f"no risk {risk_id}", code="risk_not_found")
    return risks_out(session, [risk])[0]


def _scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.VENDOR_LEAD:
        return Risk.vendor_id == actor.vendor_id
    if actor.role is Role.DEMANDER:
        return Risk.labeler_id.is_(None) & Risk.vendor_id.is_(None) & (Risk.kind != "manual")
    return Risk.id.is_not(None)


def risks_out(session: Session, risks: Sequence[Risk]) -> list[RiskOut]:
    people = _user_names(
        session,
        [
            uid
            for r in risks
            for uid in (
                r.labeler_id,
                r.assignee_id,
                r.created_by_id,
                r.acknowledged_by_id,
                r.resolved_by_id,
            )
        ],
    )
    vendors = _vendor_names(session, [r.vendor_id for r in risks])
    return [
        RiskOut(
            id=r.id,
            project_id=r.project_id,
            kind=r.kind,
            subject=r.subject,
            severity=r.severity,
            title=r.title,
            evidence=r.evidence,
            status=r.status,
            labeler_id=r.labeler_id,
            labeler=_name(people, r.labeler_id),
            vendor_id=r.vendor_id,
            vendor=_name(vendors, r.vendor_id),
            assignee=_name(people, r.assignee_id),
            created_by=_name(people, r.created_by_id),
            created_at=r.created_at,
            last_seen_at=r.last_seen_at,
            acknowledged_by=_name(people, r.acknowledged_by_id),
            acknowledged_at=r.acknowledged_at,
            resolved_by=_name(people, r.resolved_by_id),
            resolved_at=r.resolved_at,
            resolution_note=r.resolution_note,
        )
        for r in risks
    ]


def _user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {key: name for key, name in rows}  # noqa: C416


def _vendor_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Vendor.id, Vendor.name).where(Vendor.id.in_(wanted)))
    return {key: name for key, name in rows}  # noqa: C416


def _name(names: dict[int, str], key: int | None) -> str | None:
    return None if key is None else names.get(key)
