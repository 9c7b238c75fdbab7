"""Vendor and labeler scorecards, and the invoice check, derived from the annotations.

Every answer is judged against the item's *final* label, in this order of authority: a
reviewer's decision (a resolved escalation or an audit verdict), the gold answer, the majority
of two or more answers (no winner: undecided). An answer that is the item's only one and was
never reviewed is *unverified*: billable and counted as accepted, but it weighs on no accuracy.

- accepted: the answer equals the final label, or is unverified; rejected: it differs from a
  decided final label; undecided answers are neither (they wait).
- gold accuracy, audit accuracy (answers on reviewed items equal to the reviewer's label) and
  agreement (share of agreeing pairs with the other answers on the same items) with Wilson 95 %
  intervals; agreement pairs within an item are not independent, so its interval is narrower
  than the truth, and is labeled as approximate.
- throughput: answers per active hour (distinct clock hours with at least one submission);
  AHT: the median handling time with a distribution-free 95 % interval (order statistics).
- SLA attainment (projects with sla_hours): share of answers submitted within sla_hours of
  the item's import.
- rework rate: rejected answers / all answers (each needed another pass by a reviewer or peer).
- cost: by the vendor's per-label rate for the item's language when it bills per unit, else its
  hourly rate x handling hours; cost per accepted label = cost / accepted answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from scipy import stats
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import projects, quality
from labelops.annotation import Annotation
from labelops.auth import Action, Actor, Role
from labelops.errors import InvalidInput
from labelops.workforce import User, Vendor, VendorLanguage

Verdict = Literal["accepted", "rejected", "undecided", "unverified"]
Period = Literal["week", "month"]


class Rate(BaseModel):
    """A proportion with its Wilson 95 % interval (None when nothing was measured)."""

    n: int
    successes: int
    value: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, successes: int, n: int) -> Rate:
        if n == 0:
            return cls(n=0, successes=0, value=None, low=None, high=None)
        low, high = quality.wilson_interval(successes, n)
        return cls(n=n, successes=successes, value=successes / n, low=low, high=high)


class Median(BaseModel):
    """A median with a distribution-free 95 % interval from order statistics."""

    n: int
    value: float | None
    low: float | None
    high: float | None


class Scorecard(BaseModel):
    name: str
    vendor: str | None
    answers: int
    accepted: int
    rejected: int
    undecided: int
    gold: Rate
    audit: Rate
    agreement: Rate  # approximate interval (pairs within an item are not independent)
    sla: Rate | None
    rework: Rate
    per_active_hour: float | None
    active_hours: int
    aht_ms: Median
    cost: float | None
    cost_per_accepted: float | None


class Scorecards(BaseModel):
    project_id: int
    currency_note: str
    vendors: list[Scorecard]
    labelers: list[Scorecard]


class InvoiceLine(BaseModel):
    vendor: str
    period: str  # 2026-11 or 2026-W47
    language: str
    billable: int
    accepted: int
    rejected: int
    undecided: int
    handling_hours: float
    rate: str  # "0.05 per label" | "12.00 per hour" | "no rate"
    amount: float | None
    accepted_amount: float | None


@dataclass(slots=True)
class _Tally:
    answers: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold: list[int] = field(default_factory=lambda: [0, 0])
    audit: list[int] = field(default_factory=lambda: [0, 0])
    pairs: list[int] = field(default_factory=lambda: [0, 0])
    sla: list[int] = field(default_factory=lambda: [0, 0])
    durations: list[int] = field(default_factory=list)
    hours: set[datetime] = field(default_factory=set)
    cost: float = 0.0
    priced: bool = True


@dataclass(frozen=True, slots=True)
class _Answer:
    item_id: int
    labeler_id: int
    vendor_id: int | None
    labels: tuple[str, ...]
    duration_ms: int | None
    submitted_at: datetime
    language: str
    imported_at: datetime | None
    verdict: Verdict
    gold: bool | None  # right on a gold item
    audited: bool | None  # right on a reviewed item


def project_scorecards(session: Session, *, actor: Actor, project_id: int) -> Scorecards:
    """Scorecards of every vendor and labeler on the project, side by side (a vendor lead: their
    own vendor and its labelers)."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    vendor_only = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    answers = _judged_answers(session, project)
    rates = _rates(session)
    names, vendor_names = _names(session, {a.labeler_id for a in answers})
    pairs = _agreement_pairs(answers)
    by_labeler: dict[int, _Tally] = defaultdict(_Tally)
    by_vendor: dict[int | None, _Tally] = defaultdict(_Tally)
    for answer in answers:
        if vendor_only is not None and answer.vendor_id != vendor_only:
            continue
        for tally in (by_labeler[answer.labeler_id], by_vendor[answer.vendor_id]):
            _add(
                tally,
                answer,
                rates,
                project.sla_hours,
                pairs.get((answer.item_id, answer.labeler_id)),
            )
    labelers = [
        _card(names[labeler_id][0], names[labeler_id][1], tally)
        for labeler_id, tally in by_labeler.items()
    ]
    vendors = [
        _card(vendor_names.get(vendor_id, "(no vendor)"), vendor_names.get(vendor_id), tally)
        for vendor_id, tally in by_vendor.items()
    ]
    return Scorecards(
        project_id=project.id,
        currency_note="amounts are in the currency of the vendors' rates",
        vendors=sorted(vendors, key=lambda card: card.name),
        labelers=sorted(labelers, key=lambda card: (card.vendor or "", card.name)),
    )


def invoice_check(
    session: Session, *, actor: Actor, project_id: int, period: str = "month"
) -> list[InvoiceLine]:
    """Billable units by vendor, period and language against the accepted work: what a vendor's
    invoice should claim, and what of it was accepted."""
    actor.require(Action.VIEW_PROGRESS)
    if period not in ("week", "month"):
        raise InvalidInput("period must be week or month", code="bad_period", field="period")
    project = projects.get_project(session, actor=actor, project_id=project_id)
    vendor_only = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    answers = _judged_answers(session, project)
    rates = _rates(session)
    _, vendor_names = _names(session, {a.labeler_id for a in answers})
    lines: dict[tuple[str, str, str], InvoiceLine] = {}
    for answer in answers:
        if answer.vendor_id is None or (
            vendor_only is not None and answer.vendor_id != vendor_only
        ):
            continue
        vendor = vendor_names.get(answer.vendor_id, str(answer.vendor_id))
        key = (vendor, _period_of(answer.submitted_at, period), answer.language)
        line = lines.get(key)
        rate = rates.get((answer.vendor_id, answer.language))
        if line is None:
            line = lines[key] = InvoiceLine(
                vendor=key[0],
                period=key[1],
                language=key[2],
                billable=0,
                accepted=0,
                rejected=0,
                undecided=0,
                handling_hours=0.0,
                rate=_rate_text(rate),
                amount=None if rate is None else 0.0,
                accepted_amount=None if rate is None else 0.0,
            )
        _bill(line, answer, rate)
    for line in lines.values():
        line.handling_hours = round(line.handling_hours, 3)
        if line.amount is not None and line.accepted_amount is not None:
            line.amount, line.accepted_amount = (
                round(line.amount, 2),
                round(line.accepted_amount, 2),
            )
    return [lines[key] for key in sorted(lines)]


INVOICE_COLUMNS = tuple(InvoiceLine.model_fields)


def _bill(line: InvoiceLine, answer: _Answer, rate: VendorLanguage | None) -> None:
    accepted = answer.verdict in ("accepted", "unverified")
    line.billable += 1
    if accepted:
        line.accepted += 1
    elif answer.verdict == "rejected":
        line.rejected += 1
    else:
        line.undecided += 1
    line.handling_hours += (answer.duration_ms or 0) / 3_600_000
    if rate is not None and line.amount is not None and line.accepted_amount is not None:
        cost = _cost(answer, rate)
        line.amount += cost
        if accepted:
            line.accepted_amount += cost


def _judged_answers(session: Session, project: projects.Project) -> list[_Answer]:
    item = projects.Item
    batch = projects.ImportBatch
    rows = session.execute(
        select(
            Annotation.item_id,
            Annotation.labeler_id,
            Annotation.vendor_id,
            Annotation.labels,
            Annotation.duration_ms,
            Annotation.submitted_at,
            item.language,
            batch.created_at,
        )
        .join(item, item.id == Annotation.item_id)
        .outerjoin(batch, batch.id == item.batch_id)
        .where(Annotation.project_id == project.id)
        .order_by(Annotation.item_id, Annotation.id)
    ).all()
    multi = projects.label_schema(project).kind == "multi"
    reviewed = quality.reviewed_labels(session, project.id)
    gold = {
        item_id: tuple(sorted(labels))
        for item_id, labels in session.execute(
            select(quality.GoldAnswer.item_id, quality.GoldAnswer.labels).where(
                quality.GoldAnswer.project_id == project.id
            )
        )
    }
    by_item: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for row in rows:
        by_item[row.item_id].append(tuple(sorted(row.labels)))
    finals: dict[int, tuple[str, ...] | None] = {}
    for item_id, given in by_item.items():
        if item_id in reviewed:
            finals[item_id] = tuple(sorted(reviewed[item_id][0]))
        elif item_id in gold:
            finals[item_id] = gold[item_id]
        elif len(given) >= 2:
            vote = quality.majority_vote([list(g) for g in given], multi=multi)
            finals[item_id] = None if vote.labels is None else tuple(sorted(vote.labels))
    answers = []
    for row in rows:
        labels = tuple(sorted(row.labels))
        final = finals.get(row.item_id, ())
        verdict: Verdict
        if final == ():
            verdict = "unverified"
        elif final is None:
            verdict = "undecided"
        else:
            verdict = "accepted" if labels == final else "rejected"
        answers.append(
            _Answer(
                item_id=row.item_id,
                labeler_id=row.labeler_id,
                vendor_id=row.vendor_id,
                labels=labels,
                duration_ms=row.duration_ms,
                submitted_at=row.submitted_at,
                language=row.language,
                imported_at=row.created_at,
                verdict=verdict,
                gold=(labels == gold[row.item_id]) if row.item_id in gold else None,
                audited=(
                    labels == tuple(sorted(reviewed[row.item_id][0]))
                    if row.item_id in reviewed
                    else None
                ),
            )
        )
    return answers


def _agreement_pairs(answers: Sequence[_Answer]) -> dict[tuple[int, int], tuple[int, int]]:
    """Per (item, labeler): agreeing pairs and all pairs with the item's other answers."""
    by_item: dict[int, list[_Answer]] = defaultdict(list)
    for answer in answers:
        by_item[answer.item_id].append(answer)
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    for item_id, given in by_item.items():
        if len(given) < 2:
            continue
        for answer in given:
            agreeing = sum(1 for other in given if other.labels == answer.labels) - 1
            pairs[(item_id, answer.labeler_id)] = (agreeing, len(given) - 1)
    return pairs


def _add(
    tally: _Tally,
    answer: _Answer,
    rates: dict[tuple[int, str], VendorLanguage],
    sla_hours: float | None,
    pairs: tuple[int, int] | None,
) -> None:
    tally.answers += 1
    tally.verdicts[answer.verdict] += 1
    if answer.gold is not None:
        tally.gold[0] += answer.gold
        tally.gold[1] += 1
    if answer.audited is not None:
        tally.audit[0] += answer.audited
        tally.audit[1] += 1
    if pairs is not None:
        tally.pairs[0] += pairs[0]
        tally.pairs[1] += pairs[1]
    if sla_hours is not None and answer.imported_at is not None:
        within = answer.submitted_at - answer.imported_at <= timedelta(hours=sla_hours)
        tally.sla[0] += within
        tally.sla[1] += 1
    if answer.duration_ms is not None:
        tally.durations.append(answer.duration_ms)
    tally.hours.add(answer.submitted_at.replace(minute=0, second=0, microsecond=0))
    rate = rates.get((answer.vendor_id, answer.language)) if answer.vendor_id else None
    if rate is None:
        tally.priced = False
    else:
        tally.cost += _cost(answer, rate)


def _card(name: str, vendor: str | None, tally: _Tally) -> Scorecard:
    accepted = tally.verdicts["accepted"] + tally.verdicts["unverified"]
    rejected = tally.verdicts["rejected"]
    hours = len(tally.hours)
    cost = round(tally.cost, 2) if tally.priced else None
    return Scorecard(
        name=name,
        vendor=vendor,
        answers=tally.answers,
        accepted=accepted,
        rejected=rejected,
        undecided=tally.verdicts["undecided"],
        gold=Rate.of(*tally.gold),
        audit=Rate.of(*tally.audit),
        agreement=Rate.of(*tally.pairs),
        sla=Rate.of(*tally.sla) if tally.sla[1] else None,
        rework=Rate.of(rejected, tally.answers),
        per_active_hour=round(tally.answers / hours, 2) if hours else None,
        active_hours=hours,
        aht_ms=median_interval(tally.durations),
        cost=cost,
        cost_per_accepted=round(cost / accepted, 4) if cost is not None and accepted else None,
    )


def median_interval(values: Iterable[float], *, level: float = 0.95) -> Median:
    """The median with the distribution-free interval between the order statistics whose ranks
    come from Binomial(n, 1/2) (exact coverage >= level; none below 6 values)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Median(n=0, value=None, low=None, high=None)
    middle = n // 2
    value = float(ordered[middle]) if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if n < 6:
        return Median(n=n, value=value, low=None, high=None)
    lower_rank = int(stats.binom.ppf((1 - level) / 2, n, 0.5))  # 1-based rank of the low end
    lower_rank = max(lower_rank, 1)
    upper_rank = n - lower_rank + 1
    return Median(
        n=n, value=value, low=float(ordered[lower_rank - 1]), high=float(ordered[upper_rank - 1])
    )


def _cost(answer: _Answer, rate: VendorLanguage) -> float:
    if rate.label_rate is not None:
        return rate.label_rate
    return rate.hourly_rate * (answer.duration_ms or 0) / 3_600_000


def _rate_text(rate: VendorLanguage | None) -> str:
    if rate is None:
        return "no rate"
    if rate.label_rate is not None:
        return f"{rate.label_rate:.4g} per label"
    return f"{rate.hourly_rate:.2f} per hour"


def _rates(session: Session) -> dict[tuple[int, str], VendorLanguage]:
    return {(row.vendor_id, row.language): row for row in session.scalars(select(VendorLanguage))}


def _names(
    session: Session, labeler_ids: set[int]
) -> tuple[dict[int, tuple[str, str | None]], dict[int | None, str]]:
    people: dict[int, tuple[str, str | None]] = {
        user_id: (username, vendor)
        for user_id, username, vendor in session.execute(
            select(User.id, User.username, Vendor.name)
            .outerjoin(Vendor, Vendor.id == User.vendor_id)
            .where(User.id.in_(labeler_ids))
        )
    }
    vendors: dict[int | None, str] = {}
    for vendor_id, name in session.execute(select(Vendor.id, Vendor.name)):
        vendors[vendor_id] = name
    return people, vendors


def _period_of(moment: datetime, period: str) -> str:
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment.year}-{moment.month:02d}"


def wilson_text(rate: Rate) -> str:
    """'93.1 % (89.0–95.8)' for pages and workbooks; '—' when nothing was measured."""
    if rate.value is None or rate.low is None or rate.high is None:
        return "—"
    return f"{100 * rate.value:.1f} % ({100 * rate.low:.1f}–{100 * rate.high:.1f})"
