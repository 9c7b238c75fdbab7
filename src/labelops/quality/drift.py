"""Drift: a Bernoulli CUSUM on each labeler's gold results, in the order they were given.

Each gold answer adds its log-likelihood ratio of "accuracy has dropped to p1" against "accuracy
is p0": ln(p1/p0) < 0 when right, ln((1 - p1)/(1 - p0)) > 0 when wrong. The statistic never goes
below 0; when it reaches the control limit h, an alert is raised with the evidence and the
statistic starts again from 0 (one alert per excursion). The drift began right after the last
time the statistic was 0.

In control is the project's standard, not the labeler's own start: p0 = the gold threshold
+ 0.10 (0.90 when the project has none, at most 0.97) and p1 = p0 - 0.20, a drop that takes a
labeler well below the threshold. The labeler's early accuracy would rest on a handful of
answers (20 answers at 90 % are ±13 points), so a chart tuned on it inherits that noise as false
alarms or blindness, and someone who started badly would be compared with their own bad start;
the project's figure is the same for everyone and gives one documented false-alarm rate.

h is the smallest limit at which a labeler working at exactly p0 sees a false alarm at most once
in ARL0 = 500 gold answers on average, computed by the Markov-chain method of Brook & Evans
(1972) on a fine grid (`average_run_length`); tests check it against simulation. For the default
design (p0 = 0.90, p1 = 0.70) that gives h ≈ 3.64 with an in-control run length of ≈ 529
answers, and a labeler who drops to 0.70 is caught after about 21 gold answers on average.
The chart reads only the answers given since the labeler's last lifted pause, like the pause
rule; it costs one pass over that labeler's gold answers per gold answer.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import BaseModel
from scipy import sparse
from scipy.sparse import linalg
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from labelops import annotation, audit, projects
from labelops.auth import Action, Actor, Role
from labelops.db import FastStatement, utcnow
from labelops.errors import Conflict, NotFound
from labelops.quality.models import DriftAlert, GoldAnswer, LabelerPause
from labelops.workforce import User, Vendor

ARL0 = 500.0  # gold answers between false alarms for a labeler exactly at p0
MARGIN = 0.10  # p0 above the project's gold threshold
DROP = 0.20  # the drop the chart is tuned to catch
DEFAULT_P0 = 0.90
MAX_P0 = 0.97
_GRID = 2_000
_PATH_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Design:
    """A Bernoulli CUSUM: in-control accuracy p0, out-of-control p1, control limit h."""

    p0: float
    p1: float
    h: float

    @property
    def right(self) -> float:
        """The increment of a right answer (negative)."""
        return math.log(self.p1 / self.p0)

    @property
    def wrong(self) -> float:
        """The increment of a wrong answer (positive)."""
        return math.log((1 - self.p1) / (1 - self.p0))


@dataclass(frozen=True, slots=True)
class Alarm:
    at: int  # index of the answer that took the statistic to h
    start: int  # index of the excursion's first answer (right after the statistic was 0)
    statistic: float


def average_run_length(p: float, *, p0: float, p1: float, h: float) -> float:
    """Expected number of answers before an alarm, for a labeler right with probability p
    (Brook & Evans: the statistic as a Markov chain on a grid of `_GRID` cells below h)."""
    design = Design(p0, p1, h)
    step = h / _GRID
    cells = np.arange(_GRID)
    after_right = np.maximum(0, np.rint(cells + design.right / step)).astype(np.int64)
    after_wrong = np.rint(cells + design.wrong / step).astype(np.int64)
    inside = after_wrong < _GRID
    rows = np.concatenate([cells, cells[inside]])
    cols = np.concatenate([after_right, after_wrong[inside]])
    values = np.concatenate([np.full(_GRID, p), np.full(int(inside.sum()), 1 - p)])
    moves = sparse.csr_matrix((values, (rows, cols)), shape=(_GRID, _GRID))
    lengths = linalg.spsolve((sparse.identity(_GRID, format="csr") - moves).tocsc(), np.ones(_GRID))
    return float(lengths[0])


@functools.lru_cache(maxsize=64)
def control_limit(p0: float, p1: float, arl0: float = ARL0) -> float:
    """The smallest h at which a labeler at p0 runs at least `arl0` answers between false
    alarms (bisection on the Markov-chain run length)."""
    low, high = 0.0, 1.0
    while average_run_length(p0, p0=p0, p1=p1, h=high) < arl0:
        low, high = high, high * 2
    for _ in range(40):
        middle = (low + high) / 2
        if average_run_length(p0, p0=p0, p1=p1, h=middle) < arl0:
            low = middle
        else:
            high = middle
    # The statistic moves by two fixed steps, so the run length is a step function of h and
    # `high` sits on a jump: step a hair past it, where rounding cannot tip the answer.
    return high + 0.002


def design_for(gold_threshold: float | None) -> Design:
    """The chart of a project: p0 its standard, p1 a drop of DROP from it, h for ARL0."""
    p0 = DEFAULT_P0 if gold_threshold is None else min(MAX_P0, gold_threshold + MARGIN)
    p0 = round(max(p0, DROP + 0.05), 4)
    p1 = round(p0 - DROP, 4)
    return Design(p0, p1, control_limit(p0, p1))


def cusum(results: Sequence[bool], design: Design) -> tuple[list[float], list[Alarm]]:
    """The statistic after each answer, and the alarms (the statistic restarts after each)."""
    statistic, start = 0.0, 0
    path: list[float] = []
    alarms: list[Alarm] = []
    for index, correct in enumerate(results):
        if statistic == 0.0:
            start = index
        statistic = max(0.0, statistic + (design.right if correct else design.wrong))
        path.append(statistic)
        if statistic >= design.h:
            alarms.append(Alarm(at=index, start=start, statistic=statistic))
            statistic = 0.0
    return path, alarms


class DriftAlertOut(BaseModel):
    id: int
    labeler_id: int
    username: str
    vendor: str | None
    method: str
    statistic: float
    threshold: float
    message: str
    evidence: dict[str, Any]
    created_at: datetime
    acknowledged_at: datetime | None


_ANSWERS = FastStatement(
    select(annotation.Annotation.labels, GoldAnswer.labels, annotation.Annotation.submitted_at)
    .join(GoldAnswer, GoldAnswer.item_id == annotation.Annotation.item_id)
    .where(
        annotation.Annotation.labeler_id == bindparam("labeler_id"),
        annotation.Annotation.project_id == bindparam("project_id"),
        annotation.Annotation.submitted_at > bindparam("since"),
    )
    .order_by(annotation.Annotation.submitted_at, annotation.Annotation.id)
)
_LAST_LIFT = FastStatement(
    select(func.max(LabelerPause.lifted_at)).where(
        LabelerPause.project_id == bindparam("project_id"),
        LabelerPause.labeler_id == bindparam("labeler_id"),
    )
)
_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def watch_labeler(session: Session, *, project: projects.ProjectView, labeler_id: int) -> None:
    """Run the chart over the labeler's gold answers (since their last lifted pause) and raise a
    drift alert when the latest answer takes it to its limit."""
    connection = session.connection()
    keys = {"project_id": project.id, "labeler_id": labeler_id}
    since = _LAST_LIFT.run(connection, keys).scalar() or _EPOCH
    rows = _ANSWERS.run(connection, {**keys, "since": since}).all()
    results = [sorted(given) == expected for given, expected, _ in rows]
    design = design_for(project.gold_threshold)
    path, alarms = cusum(results, design)
    if alarms and alarms[-1].at == len(results) - 1:
        _raise(session, project.id, labeler_id, design, results, path, alarms[-1], rows)


def reexamine_drift(
    session: Session, *, actor: Actor, project: projects.Project, item_id: int
) -> list[DriftAlert]:
    """After a gold answer is corrected, run the chart again for the labelers who answered it
    and have an open drift alert; where the corrected record no longer reaches the limit
    anywhere, the alerts are withdrawn (closed with a note, audited)."""
    answered = select(annotation.Annotation.labeler_id).where(
        annotation.Annotation.item_id == item_id
    )
    alerts = session.scalars(
        select(DriftAlert).where(
            DriftAlert.project_id == project.id,
            DriftAlert.acknowledged_at.is_(None),
            DriftAlert.labeler_id.in_(answered),
        )
    ).all()
    design = design_for(project.gold_threshold)
    connection = session.connection()
    withdrawn: list[DriftAlert] = []
    for labeler_id in sorted({alert.labeler_id for alert in alerts}):
        keys = {"project_id": project.id, "labeler_id": labeler_id}
        since = _LAST_LIFT.run(connection, keys).scalar() or _EPOCH
        rows = _ANSWERS.run(connection, {**keys, "since": since}).all()
        _, alarms = cusum([sorted(given) == expected for given, expected, _ in rows], design)
        if alarms:
            continue
        for alert in alerts:
            if alert.labeler_id == labeler_id:
                alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), actor.user_id
                alert.message += (
                    " — withdrawn: a gold answer was corrected and the chart no longer "
                    "reaches its limit"
                )
                withdrawn.append(alert)
    session.flush()
    for alert in withdrawn:
        audit.record(
            session,
            actor,
            "drift_alert.withdrawn",
            ("drift_alert", alert.id),
            project_id=project.id,
            labeler_id=alert.labeler_id,
            item_id=item_id,
        )
    return withdrawn


def _raise(
    session: Session,
    project_id: int,
    labeler_id: int,
    design: Design,
    results: Sequence[bool],
    path: Sequence[float],
    alarm: Alarm,
    rows: Sequence[Any],
) -> None:
    evidence = drift_evidence(design, results, path, alarm)
    evidence["drift_started_at"] = rows[alarm.start][2].isoformat()
    window, earlier = evidence["window"], evidence["earlier"]
    before = (
        f"{earlier['correct']}/{earlier['answers']} ({earlier['accuracy']:.0%}) before"
        if earlier["answers"]
        else "no earlier answers"
    )
    message = (
        f"gold accuracy dropped: {window['correct']}/{window['answers']} "
        f"({window['accuracy']:.0%}) since gold answer #{alarm.start + 1}, against {before}; "
        f"CUSUM {alarm.statistic:.2f} reached its limit {design.h:.2f}"
    )
    alert = DriftAlert(
        project_id=project_id,
        labeler_id=labeler_id,
        method="cusum",
        statistic=alarm.statistic,
        threshold=design.h,
        message=message,
        evidence=evidence,
    )
    session.add(alert)
    session.flush()
    system = Actor(user_id=None, username="system", role=Role.ADMIN)
    audit.record(
        session,
        system,
        "drift_alert.raised",
        ("drift_alert", alert.id),
        project_id=project_id,
        labeler_id=labeler_id,
    )


def drift_evidence(
    design: Design, results: Sequence[bool], path: Sequence[float], alarm: Alarm
) -> dict[str, Any]:
    """What the alert shows: the excursion's accuracy against the earlier one, the last values
    of the statistic, and the chart's design."""
    window = results[alarm.start : alarm.at + 1]
    earlier = results[: alarm.start]

    def share(part: Sequence[bool]) -> dict[str, Any]:
        right = sum(part)
        return {
            "answers": len(part),
            "correct": right,
            "accuracy": right / len(part) if part else None,
        }

    return {
        "answers": alarm.at + 1,
        "correct": sum(results[: alarm.at + 1]),
        "drift_started_at_answer": alarm.start + 1,
        "window": share(window),
        "earlier": share(earlier),
        "statistic": [round(v, 4) for v in path[max(0, alarm.at + 1 - _PATH_SHOWN) : alarm.at + 1]],
        "p0": design.p0,
        "p1": design.p1,
        "h": design.h,
        "arl0": ARL0,
    }


def list_drift_alerts(
    session: Session, *, actor: Actor, project_id: int, open_only: bool = False
) -> list[DriftAlertOut]:
    """The project's drift alerts, newest first (a vendor lead: their own labelers')."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    query = (
        select(DriftAlert, User.username, Vendor.name)
        .join(User, User.id == DriftAlert.labeler_id)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .where(DriftAlert.project_id == project.id)
        .order_by(DriftAlert.id.desc())
    )
    if open_only:
        query = query.where(DriftAlert.acknowledged_at.is_(None))
    if actor.role is Role.VENDOR_LEAD:
        query = query.where(User.vendor_id == actor.vendor_id)
    return [
        DriftAlertOut(
            id=alert.id,
            labeler_id=alert.labeler_id,
            username=username,
            vendor=vendor,
            method=alert.method,
            statistic=alert.statistic,
            threshold=alert.threshold,
            message=alert.message,
            evidence=alert.evidence,
            created_at=alert.created_at,
            acknowledged_at=alert.acknowledged_at,
        )
        for alert, username, vendor in session.execute(query)
    ]


def open_drift_alerts(session: Session, *, actor: Actor, project_id: int) -> list[DriftAlertOut]:
    """The drift alerts no PM has acknowledged yet (for the quality page)."""
    return list_drift_alerts(session, actor=actor, project_id=project_id, open_only=True)


def acknowledge_drift_alert(
    session: Session, *, actor: Actor, project_id: int, alert_id: int
) -> DriftAlert:
    """A PM has seen a drift alert and acted on it; it leaves the open list."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    alert = session.get(DriftAlert, alert_id)
    if alert is None or alert.project_id != project.id:
        raise NotFound(f"no drift alert {alert_id} on this project", code="alert_not_found")
    if alert.acknowledged_at is not None:
        raise Conflict("this alert was already acknowledged", code="alert_acknowledged")
    alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), actor.user_id
    session.flush()
    audit.record(
        session,
        actor,
        "drift_alert.acknowledged",
        ("drift_alert", alert.id),
        project_id=project.id,
        labeler_id=alert.labeler_id,
    )
    return alert
