"""Give the demo's labeling a past: the simulated labelers answer within seconds, so their work
is spread back over the last days, as a real project's would be, for the dashboard's charts,
burn-down and forecast to have something to show. Demo data only; every timestamp of a piece of
work moves together (lease, expiry, end, submission), so the facts stay consistent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, projects
from labelops.distribution import Assignment


def spread_over_days(session: Session, project_id: int, *, days: int) -> None:
    """Move the project's import back `days + 1` days and its answers, in the order they were
    given, onto the last `days` days (today included), a little more each day. (Row by row in
    Python: date arithmetic in SQL differs between the engines, and a demo has few rows.)"""
    for batch in session.scalars(
        select(projects.ImportBatch).where(projects.ImportBatch.project_id == project_id)
    ):
        batch.created_at -= timedelta(days=days + 1)
    answers = session.scalars(
        select(annotation.Annotation)
        .where(annotation.Annotation.project_id == project_id)
        .order_by(annotation.Annotation.id)
    ).all()
    turns = {
        turn.id: turn
        for turn in session.scalars(
            select(Assignment).where(Assignment.id.in_([a.assignment_id for a in answers]))
        )
    }
    # Day d (0 = the oldest) gets a share growing with d: the team ramps up.
    weights = [1 + d / days for d in range(days)]
    total, start = sum(weights), 0
    for day, weight in enumerate(weights):
        count = round(len(answers) * weight / total) if day < days - 1 else len(answers) - start
        back = timedelta(days=days - 1 - day)
        for answer in answers[start : start + count]:
            turn = turns[answer.assignment_id]
            turn.leased_at -= back
            turn.lease_expires_at -= back
            if turn.ended_at is not None:
                turn.ended_at -= back
            answer.leased_at -= back
            answer.submitted_at -= back
        start += count
    session.flush()
