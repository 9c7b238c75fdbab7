"""What a project report says, gathered once for the Excel workbook and the weekly status page.

Who reads it changes what it holds: a demander's report names no labeler (labelers are numbered)
and shows only risks about the project as a whole; a vendor lead's holds their own vendor's
people and work (the figures come from contexts that already enforce that).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy.orm import Session

from labelops import analytics, projects, quality
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.quality import AuditOut, QualityReport

DAYS = 28


class DayCount(BaseModel):
    day: date
    labels: int


class RiskLine(BaseModel):
    kind: str
    severity: str
    title: str
    status: str
    created_at: datetime


class ReportData(BaseModel):
    project: projects.ProjectOut
    deadline: date | None
    as_of: datetime
    for_demander: bool
    progress: analytics.Progress
    days: list[DayCount]  # the last 28 days, oldest first, zeros included
    this_week: int
    last_week: int
    outlook: analytics.Outlook
    quality: QualityReport
    audits: list[AuditOut] | None  # None: the reader may not see audits
    scorecards: analytics.Scorecards
    risks: list[RiskLine]

    @property
    def done_share(self) -> float:
        total = self.progress.items.total
        return self.progress.items.done / total if total else 0.0

    @property
    def accepted_audit_accuracy(self) -> float | None:
        accepted = [a for a in self.audits or [] if a.status == "accepted"]
        return accepted[0].estimate.accuracy if accepted else None


def project_report(session: Session, *, actor: Actor, project_id: int) -> ReportData:
    """Everything the workbook and the status page show, as the actor may see it."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    days = _days(session, project.id, now.date())
    for_demander = actor.role is Role.DEMANDER
    cards = analytics.project_scorecards(session, actor=actor, project_id=project.id)
    report = quality.project_quality(session, actor=actor, project_id=project.id)
    if for_demander:
        cards, report = _anonymous(cards, report)
    return ReportData(
        project=projects.project_out(session, project),
        deadline=project.deadline,
        as_of=now,
        for_demander=for_demander,
        progress=analytics.project_progress(session, actor=actor, project_id=project.id),
        days=days,
        this_week=sum(d.labels for d in days[-7:]),
        last_week=sum(d.labels for d in days[-14:-7]),
        outlook=analytics.project_outlook(session, project),
        quality=report,
        audits=(
            quality.list_audits(session, actor=actor, project_id=project.id)
            if actor.can(Action.REVIEW)
            else None
        ),
        scorecards=cards,
        risks=_risks(session, project.id, actor),
    )


def _days(session: Session, project_id: int, today: date) -> list[DayCount]:
    """Labels per UTC day over the last DAYS days, from the dashboard's hourly rollups."""
    first = today - timedelta(days=DAYS - 1)
    hours = analytics.totals_by(
        session, project_id, "hour", since=datetime.combine(first, time.min, tzinfo=UTC)
    )
    counted: dict[date, int] = defaultdict(int)
    for hour, (count, _) in hours.items():
        counted[hour.date()] += count
    return [
        DayCount(day=first + timedelta(days=n), labels=counted[first + timedelta(days=n)])
        for n in range(DAYS)
    ]


def _risks(session: Session, project_id: int, actor: Actor) -> list[RiskLine]:
    """The open entries of the register as the actor may see it (its own rule)."""
    return [
        RiskLine(
            kind=risk.kind,
            severity=risk.severity,
            title=risk.title,
            status=risk.status,
            created_at=risk.created_at,
        )
        for risk in analytics.list_risks(session, actor=actor, project_id=project_id)
        if risk.status != "resolved"
    ]


def _anonymous(
    cards: analytics.Scorecards, report: QualityReport
) -> tuple[analytics.Scorecards, QualityReport]:
    """Labelers numbered in a stable order, for readers who need no names."""
    names = sorted({card.name for card in cards.labelers} | {g.username for g in report.gold})
    alias = {name: f"Labeler {n}" for n, name in enumerate(names, start=1)}
    labelers = [card.model_copy(update={"name": alias[card.name]}) for card in cards.labelers]
    gold = [g.model_copy(update={"username": alias[g.username]}) for g in report.gold]
    return (
        cards.model_copy(update={"labelers": labelers}),
        report.model_copy(update={"gold": gold, "pauses": [], "drift_alerts": []}),
    )
