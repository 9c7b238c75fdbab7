"""The risk register: recording findings (upsert), the PM's transitions, who sees what, who is
told, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from labelops import analytics, notify
from labelops.audit import AuditEvent
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_project

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def raise_risk(
    session,
    project,
    *,
    kind="labeler_too_fast",
    subject=None,
    severity="medium",
    labeler=None,
    evidence=None,
):
    return analytics.record_risk(
        session,
        project_id=project.id,
        kind=kind,
        subject=subject or (f"labeler:{labeler.user_id}" if labeler else "project"),
        severity=severity,
        title=f"{kind} {severity}",
        evidence=evidence or {"ratio": 0.2},
        labeler_id=labeler.user_id if labeler else None,
        vendor_id=labeler.vendor_id if labeler else None,
    )


def inbox(session, actor):
    return [n.title for n in notify.list_notifications(session, actor=actor)]


def outbox(session):
    return [
        (m.event, m.payload["severity"])
        for m in session.scalars(select(notify.WebhookMessage).order_by(notify.WebhookMessage.id))
    ]


def test_seeing_the_same_risk_again_updates_the_open_entry(session, personas):
    project = make_project(session, personas.pat)
    with time_machine.travel(T0, tick=False):
        first = raise_risk(session, project, labeler=personas.alice, evidence={"ratio": 0.3})
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        again = raise_risk(session, project, labeler=personas.alice, evidence={"ratio": 0.25})

    assert again.id == first.id
    assert again.evidence == {"ratio": 0.25}
    assert (again.created_at, again.last_seen_at) == (T0, T0 + timedelta(minutes=10))
    assert inbox(session, personas.pat) == ["New medium risk: labeler_too_fast medium"]
    assert outbox(session) == [("risk.raised", "medium")]


def test_a_raised_severity_notifies_again_and_needs_a_fresh_acknowledgement(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project, labeler=personas.alice)
    analytics.acknowledge_risk(session, actor=personas.pat, risk_id=risk.id)

    raise_risk(session, project, labeler=personas.alice, severity="high")

    assert (risk.severity, risk.status, risk.acknowledged_by_id) == ("high", "open", None)
    assert inbox(session, personas.pat) == [
        "Risk now high: labeler_too_fast high",
        "New medium risk: labeler_too_fast medium",
    ]
    assert outbox(session) == [("risk.raised", "medium"), ("risk.severity_raised", "high")]


def test_a_lowered_severity_is_recorded_without_a_notification(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project, severity="high")

    raise_risk(session, project, severity="low")

    assert risk.severity == "low"
    assert len(inbox(session, personas.pat)) == 1


def test_a_resolved_risk_seen_again_is_a_new_entry(session, personas):
    project = make_project(session, personas.pat)
    first = raise_risk(session, project)
    analytics.resolve_risk(session, actor=personas.pat, risk_id=first.id, note="fixed the data")

    second = raise_risk(session, project)

    assert second.id != first.id
    assert (first.status, second.status) == ("resolved", "open")


def test_the_vendor_lead_hears_of_risks_about_their_labelers_only(session, personas):
    project = make_project(session, personas.pat)

    raise_risk(session, project, labeler=personas.alice)  # Acme, vic's vendor
    raise_risk(session, project, labeler=personas.bruno)  # Babel

    assert inbox(session, personas.vic) == ["New medium risk: labeler_too_fast medium"]
    assert len(inbox(session, personas.pat)) == 2


def test_a_project_made_by_a_script_notifies_every_pm(session, personas):
    from labelops.auth import SYSTEM

    project = make_project(session, SYSTEM)

    raise_risk(session, project)

    assert len(inbox(session, personas.pat)) == 1
    assert inbox(session, personas.admin) == []


def test_the_pm_acknowledges_assigns_and_resolves_with_a_note(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project, labeler=personas.alice)

    analytics.acknowledge_risk(session, actor=personas.pat, risk_id=risk.id)
    analytics.assign_risk(session, actor=personas.pat, risk_id=risk.id, assignee="vic")
    analytics.resolve_risk(session, actor=personas.vic, risk_id=risk.id, note="  retrained alice ")

    out = analytics.get_risk(session, actor=personas.pat, risk_id=risk.id)
    assert (
        out.status,
        out.acknowledged_by,
        out.assignee,
        out.resolved_by,
        out.resolution_note,
    ) == ("resolved", "pat", "vic", "vic", "retrained alice")
    assert "Assigned to you: labeler_too_fast medium" in inbox(session, personas.vic)
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "risk", AuditEvent.object_id == risk.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["risk.raised", "risk.acknowledged", "risk.assigned", "risk.resolved"]


def test_resolving_needs_a_note(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project)

    with pytest.raises(InvalidInput) as error:
        analytics.resolve_risk(session, actor=personas.pat, risk_id=risk.id, note="   ")

    assert (error.value.code, error.value.field) == ("no_note", "note")
    assert risk.status == "open"


def test_a_risk_about_the_project_cannot_go_to_a_vendor_lead(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project)

    with pytest.raises(InvalidInput) as error:
        analytics.assign_risk(session, actor=personas.pat, risk_id=risk.id, assignee="vic")

    assert (error.value.code, error.value.field) == ("invalid_assignee", "assignee")


def test_a_risk_cannot_go_to_a_labeler_or_another_vendors_lead(session, personas):
    from labelops.auth import Role
    from tests.factories import make_user

    make_user(session, "vera", Role.VENDOR_LEAD, vendor="Babel")
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project, labeler=personas.alice)

    for who in ("alice", "vera", "nobody"):
        with pytest.raises(InvalidInput):
            analytics.assign_risk(session, actor=personas.pat, risk_id=risk.id, assignee=who)


def test_acknowledging_twice_is_a_conflict(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project)
    analytics.acknowledge_risk(session, actor=personas.pat, risk_id=risk.id)

    with pytest.raises(Conflict):
        analytics.acknowledge_risk(session, actor=personas.admin, risk_id=risk.id)


def test_reopening_a_resolved_risk(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project)
    analytics.resolve_risk(session, actor=personas.pat, risk_id=risk.id, note="done")

    analytics.reopen_risk(session, actor=personas.pat, risk_id=risk.id, note="it is back")

    assert (risk.status, risk.resolved_at, risk.resolution_note) == ("open", None, "done")


def test_reopening_is_refused_when_the_risk_was_raised_again_since(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project)
    analytics.resolve_risk(session, actor=personas.pat, risk_id=risk.id, note="done")
    raise_risk(session, project)

    with pytest.raises(Conflict) as error:
        analytics.reopen_risk(session, actor=personas.pat, risk_id=risk.id)

    assert error.value.code == "risk_reraised"


def test_a_vendor_lead_may_not_work_on_a_risk_not_assigned_to_them(session, personas):
    project = make_project(session, personas.pat)
    risk = raise_risk(session, project, labeler=personas.alice)

    with pytest.raises(PermissionDenied):
        analytics.acknowledge_risk(session, actor=personas.vic, risk_id=risk.id)


def test_manual_risks_are_numbered_and_notify_the_other_pms(session, personas):
    project = make_project(session, personas.admin)
    data = analytics.NewRisk(title="Vendor strike announced", severity="high", note="from email")

    first = analytics.add_manual_risk(session, actor=personas.pat, project_id=project.id, data=data)
    second = analytics.add_manual_risk(
        session, actor=personas.pat, project_id=project.id, data=data
    )

    assert (first.subject, second.subject) == ("manual:1", "manual:2")
    assert first.evidence == {"note": "from email"}
    assert first.created_by_id == personas.pat.user_id
    assert inbox(session, personas.admin)[0] == "New high risk: Vendor strike announced"
    assert inbox(session, personas.pat) == []


def test_a_manual_risk_needs_a_title_and_a_pm(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(InvalidInput) as error:
        analytics.add_manual_risk(
            session, actor=personas.pat, project_id=project.id, data=analytics.NewRisk(title=" ")
        )
    with pytest.raises(PermissionDenied):
        analytics.add_manual_risk(
            session, actor=personas.vic, project_id=project.id, data=analytics.NewRisk(title="x")
        )

    assert error.value.field == "title"


# ---------------------------------------------------------------------------------- who sees what


def _world(session, personas):
    project = make_project(session, personas.pat, demander="dana", vendors=["Acme", "Babel"])
    about_alice = raise_risk(session, project, labeler=personas.alice)
    about_bruno = raise_risk(session, project, labeler=personas.bruno)
    about_project = raise_risk(session, project, kind="quality_below_target", subject="gold")
    manual = analytics.add_manual_risk(
        session, actor=personas.pat, project_id=project.id, data=analytics.NewRisk(title="m")
    )
    return project, about_alice, about_bruno, about_project, manual


def _seen(session, actor, project):
    return {r.id for r in analytics.list_risks(session, actor=actor, project_id=project.id)}


def test_a_pm_sees_the_whole_register(session, personas):
    project, *risks = _world(session, personas)

    assert _seen(session, personas.pat, project) == {r.id for r in risks}


def test_a_vendor_lead_sees_only_risks_about_their_vendor(session, personas):
    project, about_alice, about_bruno, _, _ = _world(session, personas)

    assert _seen(session, personas.vic, project) == {about_alice.id}
    with pytest.raises(NotFound):
        analytics.get_risk(session, actor=personas.vic, risk_id=about_bruno.id)


def test_a_demander_sees_only_project_level_risks(session, personas):
    project, about_alice, _, about_project, _ = _world(session, personas)

    assert _seen(session, personas.dana, project) == {about_project.id}
    with pytest.raises(NotFound):
        analytics.get_risk(session, actor=personas.dana, risk_id=about_alice.id)


def test_labelers_and_reviewers_see_no_register(session, personas):
    project, *_ = _world(session, personas)

    for actor in (personas.alice, personas.rita):
        with pytest.raises((PermissionDenied, NotFound)):
            analytics.list_risks(session, actor=actor, project_id=project.id)


def test_the_register_lists_unresolved_and_most_severe_first(session, personas):
    project = make_project(session, personas.pat)
    low = raise_risk(session, project, subject="a", severity="low")
    critical = raise_risk(session, project, subject="b", severity="critical")
    done = raise_risk(session, project, subject="c", severity="critical")
    analytics.resolve_risk(session, actor=personas.pat, risk_id=done.id, note="ok")
    medium = raise_risk(session, project, subject="d", severity="medium")

    listed = analytics.list_risks(session, actor=personas.pat, project_id=project.id)
    only_open = analytics.list_risks(
        session, actor=personas.pat, project_id=project.id, status="open", severity="medium"
    )

    assert [r.id for r in listed] == [critical.id, medium.id, low.id, done.id]
    assert [r.id for r in only_open] == [medium.id]


# ---------------------------------------------------------------------------------- inbox


def test_reading_notifications(session, personas):
    project = make_project(session, personas.pat)
    raise_risk(session, project, subject="a")
    raise_risk(session, project, subject="b")
    first = notify.list_notifications(session, actor=personas.pat)[-1]

    notify.mark_read(session, actor=personas.pat, notification_id=first.id)
    unread_after_one = notify.unread_count(session, user_id=personas.pat.user_id)
    marked = notify.mark_all_read(session, actor=personas.pat)

    assert (unread_after_one, marked) == (1, 1)
    assert notify.unread_count(session, user_id=personas.pat.user_id) == 0


def test_someone_elses_notification_is_not_found(session, personas):
    project = make_project(session, personas.pat)
    raise_risk(session, project)
    theirs = notify.list_notifications(session, actor=personas.pat)[0]

    with pytest.raises(NotFound):
        notify.mark_read(session, actor=personas.vic, notification_id=theirs.id)
