"""A converted demand's delivery, against the agreed spec: volumes per language, the date, and
the quality targets beside what quality has measured; the demander accepts or rejects it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import audit
from labelops.auth import SYSTEM, Actor
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, PermissionDenied
from labelops.projects.demand_schemas import (
    DeliveryDecision,
    DeliveryReport,
    DemandStatus,
    LanguageDelivery,
)
from labelops.projects.demands import get_demand, record_change
from labelops.projects.models import Demand, Project
from labelops.projects.schemas import ProjectStatus


def delivery_report(session: Session, *, actor: Actor, demand_id: int) -> DeliveryReport | None:
    """Asked vs delivered for a converted demand; None before it becomes a project."""
    # Imported here: both read projects' names as they load, and projects loads this module.
    from labelops import analytics, quality

    demand = get_demand(session, actor=actor, demand_id=demand_id)
    if demand.project_id is None:
        return None
    project = session.get(Project, demand.project_id)
    assert project is not None
    # The demand's own figures: whoever may see the demand may see how its delivery measures
    # up, so the quality context is read with full rights (audits are not the demander's own).
    progress = analytics.project_progress(session, actor=SYSTEM, project_id=project.id)
    report = quality.project_quality(session, actor=SYSTEM, project_id=project.id)
    audits = [
        a
        for a in quality.list_audits(session, actor=SYSTEM, project_id=project.id)
        if a.status == "accepted"
    ]
    done = {lang.language: lang for lang in progress.by_language}
    languages = [
        LanguageDelivery(
            language=v["language"],
            asked=int(v["volume"]),
            imported=done[v["language"]].total if v["language"] in done else 0,
            done=done[v["language"]].done if v["language"] in done else 0,
        )
        for v in demand.volumes
    ]
    delivered_at = _delivered_at(session, project)
    latest = audits[0].estimate if audits else None  # newest first
    accuracy = latest.accuracy if latest else None
    alpha = report.agreement.alpha
    return DeliveryReport(
        demand_id=demand.id,
        project_id=project.id,
        project_status=project.status,
        languages=languages,
        deadline=demand.deadline,
        delivered_at=delivered_at,
        on_time=(
            delivered_at.date() <= demand.deadline
            if delivered_at is not None and demand.deadline is not None
            else None
        ),
        target_accuracy=demand.target_accuracy,
        measured_accuracy=accuracy,
        accuracy_interval=latest.interval if latest else None,
        accepted_audits=len(audits),
        meets_accuracy=_meets(accuracy, demand.target_accuracy),
        target_alpha=demand.target_alpha,
        measured_alpha=alpha,
        meets_alpha=_meets(alpha, demand.target_alpha),
        can_decide=project.status == ProjectStatus.DELIVERED and demand.delivery != "accepted",
        delivery=demand.delivery,
        delivery_note=demand.delivery_note,
        delivery_decided_at=demand.delivery_decided_at,
    )


def decide_delivery(
    session: Session, *, actor: Actor, demand_id: int, data: DeliveryDecision
) -> Demand:
    """The demander accepts the delivered project, or rejects it with a reason (the PM then
    reopens the project and delivers again)."""
    demand = get_demand(session, actor=actor, demand_id=demand_id, for_update=True)
    if actor.user_id != demand.demander_id:
        raise PermissionDenied("only the demander accepts or rejects the delivery")
    project = session.get(Project, demand.project_id) if demand.project_id else None
    if demand.status != DemandStatus.CONVERTED or project is None:
        raise Conflict("the demand has no project yet", code="not_converted")
    if project.status != ProjectStatus.DELIVERED:
        raise Conflict(
            f"the project is {project.status}, not delivered", code="project_not_delivered"
        )
    if demand.delivery == "accepted":
        raise Conflict("the delivery is already accepted", code="delivery_decided")
    if data.decision == "reject" and not data.note:
        raise InvalidInput("say why the delivery is rejected", code="note_required", field="note")
    outcome = "accepted" if data.decision == "accept" else "rejected"
    record_change(session, demand, actor, "delivery", demand.delivery, outcome)
    demand.delivery = outcome
    demand.delivery_note = data.note or None
    demand.delivery_decided_at = demand.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        f"demand.delivery_{outcome}",
        ("demand", demand.id),
        project_id=project.id,
        note=data.note or None,
    )
    return demand


def _delivered_at(session: Session, project: Project) -> datetime | None:
    """When the project last became delivered (from the audit log), if it is delivered now."""
    if project.status != ProjectStatus.DELIVERED:
        return None
    events = session.execute(
        select(audit.AuditEvent.at, audit.AuditEvent.data)
        .where(
            audit.AuditEvent.project_id == project.id,
            audit.AuditEvent.action == "project.updated",
        )
        .order_by(audit.AuditEvent.id.desc())
    )
    for at, data in events:
        if (data or {}).get("changes", {}).get("status") == ProjectStatus.DELIVERED:
            delivered: datetime = at
            return delivered
    return None


def _meets(measured: float | None, target: float | None) -> bool | None:
    if measured is None or target is None:
        return None
    return measured >= target
