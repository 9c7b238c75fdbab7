"""The evaluation arithmetic: pure functions over plain inputs, no database.

Per language, from the items wanted:

- labels = ⌈items × labels per item⌉; labels per item is the overlap, or under dynamic overlap
  the expected number of labelers an item takes (history or the PM's figure);
- labeler-hours = labels × AHT ÷ 3600 (AHT: average handling time per label, in seconds);
- FTE = labeler-hours ÷ (weeks until the deadline × paid hours a week × (1 − shrinkage) ×
  occupancy), the usual workforce formula (available time = paid time less shrinkage, of which
  the occupancy share is spent handling items);
- staffing: vendors' *weekly hours* are the labeler-hours of handling a vendor can give a week
  for that language; what running projects' allocations already take is subtracted. The plan
  takes the cheapest vendors first (or the PM's vendors, in the PM's order), each at its full
  free hours, until together they reach the weekly pace the deadline needs; with no deadline,
  or when they fall short, every vendor of the language is taken;
- cost = Σ over the vendors used of hourly rate × their share of the labeler-hours (vendors bill
  handling hours; their shrinkage and idle time are priced into their rate);
- forecast: daily throughput = weekly hours staffed × 3600 ÷ AHT ÷ 5 working days, simulated
  day by day (working days, Monday to Friday) 10,000 times with a seeded generator: with enough
  history, a bootstrap of past daily label counts rescaled to that mean (the shape of the days
  is kept, the level is the capacity's); else a lognormal day-to-day variation around it
  (σ = 0.35 by default, mean-preserving). A demand is complete when its slowest language is;
  a language no vendor staffs is left out of the demand's dates (it is a no_vendor risk).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
from numpy.typing import NDArray

WORKING_DAYS_PER_WEEK = 5
MIN_HISTORY_DAYS = 5  # fewer days of history than this: the lognormal model instead
HORIZON_WORKING_DAYS = 5 * 260  # five years: a forecast beyond it is "not within reach"
_BLOCK_DAYS = 64

Source = Literal["history", "pm", "default", "overlap"]
Severity = Literal["high", "medium"]


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The workforce figures behind an estimate; every one can be overridden per estimate."""

    paid_hours_per_week: float = 40.0
    shrinkage: float = 0.25
    occupancy: float = 0.85
    runs: int = 10_000
    seed: int = 20_261_125
    daily_sigma: float = 0.35  # lognormal σ of a day's throughput when there is no history

    @property
    def productive_hours_per_fte_week(self) -> float:
        """Handling hours one FTE gives a week: paid × (1 − shrinkage) × occupancy."""
        return self.paid_hours_per_week * (1 - self.shrinkage) * self.occupancy


@dataclass(frozen=True, slots=True)
class VendorOffer:
    """A vendor staffing a language: rate, weekly hours, and the hours running projects take."""

    vendor: str
    language: str
    hourly_rate: float
    weekly_hours: float
    committed_hours: float = 0.0

    @property
    def free_hours(self) -> float:
        return max(self.weekly_hours - self.committed_hours, 0.0)


@dataclass(frozen=True, slots=True)
class LanguageDemand:
    """What one language of a demand asks for, with the figures the estimate rests on."""

    language: str
    items: int
    labels_per_item: float
    labels_per_item_source: Source
    aht_seconds: float
    aht_source: Source
    aht_basis: int = 0  # annotations the historical AHT rests on
    daily_history: tuple[int, ...] = ()  # labels a working day in earlier projects


@dataclass(frozen=True, slots=True)
class VendorShare:
    vendor: str
    hourly_rate: float
    weekly_hours: float  # of this vendor's free hours, what the plan uses
    labeler_hours: float
    cost: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """Completion in working days from the start, and the dates, at P50 and P85."""

    p50_days: int | None
    p85_days: int | None
    p50_date: date | None
    p85_date: date | None
    model: Literal["bootstrap", "lognormal", "none"]
    daily_labels: float  # mean simulated throughput
    # Share of runs finished by each working day (for the chart): cdf[k] = P(done by day k+1).
    cdf: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Risk:
    code: Literal["no_vendor", "capacity_short", "budget_short", "deadline_infeasible"]
    severity: Severity
    evidence: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class LanguageEstimate:
    language: str
    items: int
    labels_per_item: float
    labels_per_item_source: Source
    labels: int
    aht_seconds: float
    aht_source: Source
    aht_basis: int
    labeler_hours: float
    weeks: float | None
    fte: float | None
    needed_weekly_hours: float | None
    free_weekly_hours: float
    staffed_weekly_hours: float
    vendors: tuple[VendorShare, ...]
    cost: float
    forecast: Forecast


@dataclass(frozen=True, slots=True)
class Estimate:
    start: date
    deadline: date | None
    budget: float | None
    vendor_selection: Literal["cheapest", "pm"]
    assumptions: Assumptions
    languages: tuple[LanguageEstimate, ...]
    labels: int
    labeler_hours: float
    fte: float | None
    cost: float
    forecast: Forecast
    risks: tuple[Risk, ...] = field(default=())


# -- the arithmetic ------------------------------------------------------------------------


def labels_needed(items: int, labels_per_item: float) -> int:
    """Judgements to collect: items × labels per item, rounded up."""
    return math.ceil(round(items * labels_per_item, 9))


def labeler_hours(labels: int, aht_seconds: float) -> float:
    return labels * aht_seconds / 3600


def weeks_between(start: date, deadline: date | None) -> float | None:
    """Calendar weeks from the start to the deadline (at least one day's worth)."""
    if deadline is None:
        return None
    return max((deadline - start).days, 1) / 7


def fte(hours: float, weeks: float, assumptions: Assumptions) -> float:
    """FTE = labeler-hours ÷ (weeks × paid hours × (1 − shrinkage) × occupancy)."""
    return hours / (weeks * assumptions.productive_hours_per_fte_week)


def staff(
    offers: Sequence[VendorOffer], hours: float, needed_weekly: float | None
) -> tuple[VendorShare, ...]:
    """Take the offers in order, each at its full free weekly hours, until together they reach
    the weekly pace the deadline needs (all of them when there is no deadline or they fall
    short); the labeler-hours are split in proportion to the weekly hours taken."""
    taken: list[VendorOffer] = []
    for offer in offers:
        if needed_weekly is not None and sum(o.free_hours for o in taken) >= needed_weekly:
            break
        if offer.free_hours > 0:
            taken.append(offer)
    weekly = sum(o.free_hours for o in taken)
    return tuple(
        VendorShare(
            vendor=offer.vendor,
            hourly_rate=offer.hourly_rate,
            weekly_hours=offer.free_hours,
            labeler_hours=hours * offer.free_hours / weekly,
            cost=hours * offer.free_hours / weekly * offer.hourly_rate,
        )
        for offer in taken
    )


def add_working_days(start: date, days: int) -> date:
    """The date at the end of the `days`-th working day, counting `start` as the first when it
    is a weekday (Saturdays and Sundays are not worked)."""
    current = start
    while current.weekday() >= WORKING_DAYS_PER_WEEK:
        current += timedelta(days=1)
    left = days - 1
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < WORKING_DAYS_PER_WEEK:
            left -= 1
    return current


# -- the Monte Carlo forecast ----------------------------------------------------------------


def completion_days(
    labels: int,
    daily_rate: float,
    history: Sequence[int],
    assumptions: Assumptions,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], Literal["bootstrap", "lognormal", "none"]]:
    """Working days each run takes to collect `labels` (HORIZON + 1 when not within reach)."""
    runs = assumptions.runs
    if labels <= 0:
        return np.zeros(runs, dtype=np.int64), "none"
    if daily_rate <= 0:
        return np.full(runs, HORIZON_WORKING_DAYS + 1, dtype=np.int64), "none"
    past = np.asarray(history, dtype=float)
    use_history = len(past) >= MIN_HISTORY_DAYS and past.mean() > 0
    scaled = past * (daily_rate / past.mean()) if use_history else past
    sigma = assumptions.daily_sigma
    done_by = np.zeros(runs)
    finished = np.full(runs, HORIZON_WORKING_DAYS + 1, dtype=np.int64)
    day = 0
    while day < HORIZON_WORKING_DAYS and (finished > HORIZON_WORKING_DAYS).any():
        block = min(_BLOCK_DAYS, HORIZON_WORKING_DAYS - day)
        if use_history:
            daily = rng.choice(scaled, size=(runs, block))
        else:
            normal = rng.standard_normal((runs, block))
            daily = daily_rate * np.exp(sigma * normal - sigma * sigma / 2)
        cumulative = done_by[:, None] + np.cumsum(daily, axis=1)
        reached = cumulative >= labels - 1e-9
        newly = reached.any(axis=1) & (finished > HORIZON_WORKING_DAYS)
        finished[newly] = day + 1 + reached[newly].argmax(axis=1)
        done_by = cumulative[:, -1]
        day += block
    return finished, "bootstrap" if use_history else "lognormal"


def summarize(
    days: NDArray[np.int64],
    start: date,
    model: Literal["bootstrap", "lognormal", "none"],
    daily_labels: float,
) -> Forecast:
    """P50 and P85 of the simulated completion (the smallest day by which that share of runs
    has finished); None when that share does not finish within the horizon."""
    ordered = np.sort(days)
    p50, p85 = (int(ordered[math.ceil(q * len(ordered)) - 1]) for q in (0.5, 0.85))
    reach = [None if d > HORIZON_WORKING_DAYS else d for d in (p50, p85)]
    last = min(int(ordered[-1]), HORIZON_WORKING_DAYS)
    cdf = tuple(
        float(x) for x in np.searchsorted(ordered, np.arange(1, last + 1), "right") / len(days)
    )
    return Forecast(
        p50_days=reach[0],
        p85_days=reach[1],
        p50_date=None if reach[0] is None else add_working_days(start, max(reach[0], 1)),
        p85_date=None if reach[1] is None else add_working_days(start, max(reach[1], 1)),
        model=model,
        daily_labels=daily_labels,
        cdf=cdf if model != "none" else (),
    )


# -- the whole estimate ------------------------------------------------------------------


def estimate(
    *,
    start: date,
    deadline: date | None,
    budget: float | None,
    languages: Sequence[LanguageDemand],
    offers: Sequence[VendorOffer],
    vendor_choice: dict[str, list[str]] | None = None,
    assumptions: Assumptions | None = None,
) -> Estimate:
    """Labels, labeler-hours, FTE, cost, P50/P85 completion and feasibility risks of a demand."""
    assumptions = assumptions or Assumptions()
    rng = np.random.default_rng(assumptions.seed)
    weeks = weeks_between(start, deadline)
    results: list[LanguageEstimate] = []
    staffed_days: list[NDArray[np.int64]] = []
    for wanted in languages:
        result, days = _language(wanted, start, weeks, offers, vendor_choice, assumptions, rng)
        results.append(result)
        if result.vendors or result.labels == 0:
            staffed_days.append(days)
    if staffed_days:
        overall_days = np.maximum.reduce(staffed_days)
    else:
        never = HORIZON_WORKING_DAYS + 1 if any(r.labels for r in results) else 0
        overall_days = np.full(assumptions.runs, never, dtype=np.int64)
    models = {r.forecast.model for r in results}
    total_hours = sum(r.labeler_hours for r in results)
    overall = summarize(
        overall_days,
        start,
        "bootstrap" if "bootstrap" in models else "lognormal" if "lognormal" in models else "none",
        sum(r.forecast.daily_labels for r in results),
    )
    cost = sum(r.cost for r in results)
    partial = Estimate(
        start=start,
        deadline=deadline,
        budget=budget,
        vendor_selection="pm" if vendor_choice else "cheapest",
        assumptions=assumptions,
        languages=tuple(results),
        labels=sum(r.labels for r in results),
        labeler_hours=total_hours,
        fte=None if weeks is None else fte(total_hours, weeks, assumptions),
        cost=cost,
        forecast=overall,
    )
    return dataclasses.replace(partial, risks=tuple(risks_of(partial)))


def _language(
    wanted: LanguageDemand,
    start: date,
    weeks: float | None,
    offers: Sequence[VendorOffer],
    vendor_choice: dict[str, list[str]] | None,
    assumptions: Assumptions,
    rng: np.random.Generator,
) -> tuple[LanguageEstimate, NDArray[np.int64]]:
    labels = labels_needed(wanted.items, wanted.labels_per_item)
    hours = labeler_hours(labels, wanted.aht_seconds)
    mine = _offers_for(wanted.language, offers, vendor_choice)
    needed_weekly = None if weeks is None else hours / weeks
    shares = staff(mine, hours, needed_weekly)
    staffed = sum(s.weekly_hours for s in shares)
    daily_rate = (
        staffed * 3600 / wanted.aht_seconds / WORKING_DAYS_PER_WEEK if wanted.aht_seconds else 0
    )
    days, model = completion_days(labels, daily_rate, wanted.daily_history, assumptions, rng)
    return (
        LanguageEstimate(
            language=wanted.language,
            items=wanted.items,
            labels_per_item=wanted.labels_per_item,
            labels_per_item_source=wanted.labels_per_item_source,
            labels=labels,
            aht_seconds=wanted.aht_seconds,
            aht_source=wanted.aht_source,
            aht_basis=wanted.aht_basis,
            labeler_hours=hours,
            weeks=weeks,
            fte=None if weeks is None else fte(hours, weeks, assumptions),
            needed_weekly_hours=needed_weekly,
            free_weekly_hours=sum(o.free_hours for o in mine),
            staffed_weekly_hours=staffed,
            vendors=shares,
            cost=sum(s.cost for s in shares),
            forecast=summarize(days, start, model, daily_rate),
        ),
        days,
    )


def _offers_for(
    language: str, offers: Sequence[VendorOffer], vendor_choice: dict[str, list[str]] | None
) -> list[VendorOffer]:
    """The language's vendors in fill order: the PM's, in their order; else cheapest first."""
    staffing = [o for o in offers if o.language == language]
    if vendor_choice and language in vendor_choice:
        by_name = {o.vendor: o for o in staffing}
        return [by_name[name] for name in vendor_choice[language] if name in by_name]
    return sorted(staffing, key=lambda o: (o.hourly_rate, o.vendor))


def risks_of(result: Estimate) -> list[Risk]:
    """The named feasibility risks, each with its evidence."""
    found: list[Risk] = []
    for lang in result.languages:
        if not lang.vendors and lang.labels > 0:
            found.append(
                Risk(
                    "no_vendor",
                    "high",
                    f"no vendor with free capacity staffs {lang.language}",
                    lang.language,
                )
            )
        elif lang.needed_weekly_hours is not None and (
            lang.staffed_weekly_hours < lang.needed_weekly_hours - 1e-9
        ):
            found.append(
                Risk(
                    "capacity_short",
                    "high",
                    f"{lang.language} needs {lang.needed_weekly_hours:.1f} labeler-hours a week "
                    f"to meet the deadline; its vendors have {lang.free_weekly_hours:.1f} free "
                    "after running projects' allocations",
                    lang.language,
                )
            )
    if result.budget is not None and result.cost > result.budget + 1e-9:
        found.append(
            Risk(
                "budget_short",
                "high",
                f"estimated cost {result.cost:,.2f} exceeds the budget {result.budget:,.2f} "
                f"by {result.cost - result.budget:,.2f}",
            )
        )
    found.extend(_deadline_risks(result))
    return found


def _deadline_risks(result: Estimate) -> list[Risk]:
    deadline, forecast = result.deadline, result.forecast
    if deadline is None or result.labels == 0:
        return []
    if forecast.p50_date is None or forecast.p50_date > deadline:
        when = forecast.p50_date.isoformat() if forecast.p50_date else "not within five years"
        return [
            Risk(
                "deadline_infeasible",
                "high",
                f"infeasible: the median forecast ({when}) is after the deadline "
                f"{deadline.isoformat()}",
            )
        ]
    if forecast.p85_date is None or forecast.p85_date > deadline:
        when = forecast.p85_date.isoformat() if forecast.p85_date else "not within five years"
        return [
            Risk(
                "deadline_infeasible",
                "medium",
                f"at risk: the P85 forecast ({when}) is after the deadline "
                f"{deadline.isoformat()}; the median ({forecast.p50_date}) is before it",
            )
        ]
    return []
