"""Evaluating a demand: gather the history the estimator rests on, run it, store the estimate
with the demand, and set the actual beside it once the demand's project has run.

Where the figures come from (each result says which, as "source"):

- AHT per language: the median handling time of labels in earlier projects with the same
  taxonomy (the demand's template: same schema digest, or made from a demand naming the same
  template) in that language, delivered or archived ones first, any if none is; with the count
  it rests on. A PM's figure for a language overrides it; with neither, a default of 30 s.
- Labels per item: the overlap; under dynamic overlap, the PM's expected figure, else the mean
  labels of finished items in earlier dynamic projects of the same taxonomy, else the overlap.
- Daily throughput history: labels a day in that language in the same projects (weekdays with
  no label count as zero days).
- Vendors: every vendor's languages, less what running projects' allocations already take.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from labelops import annotation, audit, workforce
from labelops.auth import Action, Actor
from labelops.db import utcnow
from labelops.errors import DomainError, InvalidInput
from labelops.languages import normalize_language
from labelops.projects import demands, estimator
from labelops.projects.allocations import (
    DEFAULT_AHT_SECONDS,
    committed_weekly_hours,
    labels_per_finished_item,
)
from labelops.projects.models import Demand, DemandEstimate, Item, Project
from labelops.projects.schemas import ProjectStatus
from labelops.projects.taxonomy import LabelSchema, taxonomy_template

Language = Annotated[str, AfterValidator(normalize_language)]
FINISHED = (ProjectStatus.DELIVERED.value, ProjectStatus.ARCHIVED.value)


class EstimateRequest(BaseModel):
    """The PM's overrides; everything left out takes the history or the documented default."""

    model_config = ConfigDict(extra="forbid")

    aht_seconds: dict[Language, float] = Field(
        default_factory=dict, description="handling seconds per label, by language"
    )
    overlap: int = Field(default=3, ge=1, le=20)
    dynamic_overlap: bool = False
    expected_labels_per_item: float | None = Field(default=None, ge=1, le=50)
    shrinkage: float = Field(default=0.25, ge=0, lt=1)
    occupancy: float = Field(default=0.85, gt=0, le=1)
    paid_hours_per_week: float = Field(default=40, gt=0, le=80)
    vendors: dict[Language, list[str]] | None = Field(
        default=None, description="the PM's vendor mix per language, in fill order"
    )
    start: date | None = Field(default=None, description="first working day (default: today)")


class EstimateOut(BaseModel):
    id: int
    demand_id: int
    created_at: datetime
    created_by: str | None
    inputs: dict[str, Any]
    result: dict[str, Any]


class ActualRow(BaseModel):
    language: str  # "all" for the total
    labels: int
    estimated_labels: int
    labels_error_pct: float | None
    labeler_hours: float
    estimated_hours: float
    hours_error_pct: float | None
    cost: float
    estimated_cost: float
    cost_error_pct: float | None


class ActualOut(BaseModel):
    project_id: int
    project_status: str
    estimate_id: int
    rows: list[ActualRow]
    unpriced_labels: int  # labels by vendors with no rate for the language (not in the cost)
    completed_on: date | None  # last label's day, once the project is delivered or archived
    estimated_p50: date | None
    estimated_p85: date | None
    completion_error_days: int | None


# -- access ----------------------------------------------------------------------------------


def get_demand(session: Session, *, actor: Actor, demand_id: int, manage: bool = False) -> Demand:
    """A demand the actor may see (demands.get_demand's rule); with `manage`, only for those
    who evaluate demands."""
    if manage:
        actor.require(Action.MANAGE_DEMANDS)
    return demands.get_demand(session, actor=actor, demand_id=demand_id)


def demand_languages(demand: Demand) -> list[tuple[str, int]]:
    return [(str(row["language"]), int(row.get("volume", 0))) for row in demand.volumes]


# -- running an estimate ---------------------------------------------------------------------


def estimate_demand(
    session: Session, *, actor: Actor, demand_id: int, request: EstimateRequest
) -> EstimateOut:
    """Estimate a demand (labels, hours, FTE, cost, P50/P85, risks) and store it with it."""
    demand = get_demand(session, actor=actor, demand_id=demand_id, manage=True)
    languages = dict(demand_languages(demand))
    _check_request(session, request, languages)
    start = request.start or utcnow().date()
    result = run_estimate(session, demand=demand, request=request, start=start)
    stored = DemandEstimate(
        demand_id=demand.id,
        inputs={**request.model_dump(mode="json"), "start": start.isoformat()},
        result=estimate_json(result),
        created_by_id=actor.user_id,
    )
    session.add(stored)
    session.flush()
    audit.record(
        session,
        actor,
        "demand.estimated",
        ("demand", demand.id),
        estimate_id=stored.id,
        cost=round(result.cost, 2),
        p50=str(result.forecast.p50_date),
        risks=[risk.code for risk in result.risks],
    )
    return _out(session, stored)


def _check_request(session: Session, request: EstimateRequest, languages: dict[str, int]) -> None:
    for language in request.aht_seconds:
        if language not in languages:
            raise InvalidInput(
                f"the demand has no language {language!r}",
                code="unknown_language",
                field=f"aht_seconds.{language}",
            )
        if not 0 < request.aht_seconds[language] <= 3600:
            raise InvalidInput(
                "handling time must be between 0 and 3600 seconds",
                field=f"aht_seconds.{language}",
            )
    staffed = {(o.vendor, o.language) for o in workforce.list_vendor_languages(session)}
    for language, names in (request.vendors or {}).items():
        if language not in languages:
            raise InvalidInput(
                f"the demand has no language {language!r}",
                code="unknown_language",
                field=f"vendors.{language}",
            )
        for name in names:
            if (name, language) not in staffed:
                raise InvalidInput(
                    f"vendor {name!r} does not staff {language}",
                    code="vendor_not_staffing",
                    field=f"vendors.{language}",
                )


def run_estimate(
    session: Session, *, demand: Demand, request: EstimateRequest, start: date
) -> estimator.Estimate:
    """The estimator over this instance's history and vendors (nothing is stored)."""
    history = _history_projects(session, demand)
    dynamic = [p.id for p in history if p.max_overlap is not None]
    expected = labels_per_finished_item(dynamic, session) if dynamic else None
    wanted = []
    for language, volume in demand_languages(demand):
        aht, aht_source, basis, daily = _aht_and_days(session, history, language)
        if language in request.aht_seconds:
            aht, aht_source, basis = request.aht_seconds[language], "pm", 0
        per_item, per_item_source = _labels_per_item(request, expected)
        wanted.append(
            estimator.LanguageDemand(
                language=language,
                items=volume,
                labels_per_item=per_item,
                labels_per_item_source=per_item_source,
                aht_seconds=aht,
                aht_source=aht_source,
                aht_basis=basis,
                daily_history=daily,
            )
        )
    return estimator.estimate(
        start=start,
        deadline=demand.deadline,
        budget=demand.budget,
        languages=wanted,
        offers=vendor_offers(session, today=start, except_project=demand.project_id),
        vendor_choice=request.vendors or None,
        assumptions=estimator.Assumptions(
            paid_hours_per_week=request.paid_hours_per_week,
            shrinkage=request.shrinkage,
            occupancy=request.occupancy,
        ),
    )


class HistoryHint(BaseModel):
    language: str
    volume: int
    aht_seconds: float
    aht_source: str  # history | default
    aht_basis: int
    history_days: int


def history_hints(session: Session, *, actor: Actor, demand_id: int) -> list[HistoryHint]:
    """Per language of the demand, the handling time an estimate would use without a PM's
    figure, and what it rests on (for the evaluation form)."""
    demand = get_demand(session, actor=actor, demand_id=demand_id)
    history = _history_projects(session, demand)
    hints = []
    for language, volume in demand_languages(demand):
        aht, source, basis, daily = _aht_and_days(session, history, language)
        hints.append(
            HistoryHint(
                language=language,
                volume=volume,
                aht_seconds=aht,
                aht_source=source,
                aht_basis=basis,
                history_days=len(daily),
            )
        )
    return hints


def vendor_offers(
    session: Session, *, today: date, except_project: int | None = None
) -> list[estimator.VendorOffer]:
    """Every vendor language with the weekly hours running projects already take from it."""
    taken = committed_weekly_hours(session, today=today, except_project=except_project)
    return [
        estimator.VendorOffer(
            vendor=offer.vendor,
            language=offer.language,
            hourly_rate=offer.hourly_rate,
            weekly_hours=offer.weekly_hours,
            committed_hours=taken.get((offer.vendor, offer.language), 0.0),
        )
        for offer in workforce.list_vendor_languages(session)
    ]


def _labels_per_item(
    request: EstimateRequest, history_mean: float | None
) -> tuple[float, estimator.Source]:
    if not request.dynamic_overlap:
        return float(request.overlap), "overlap"
    if request.expected_labels_per_item is not None:
        return request.expected_labels_per_item, "pm"
    if history_mean is not None:
        return history_mean, "history"
    return float(request.overlap), "overlap"


def _history_projects(session: Session, demand: Demand) -> list[Project]:
    """Earlier projects with the demand's taxonomy template (none without a template)."""
    if demand.taxonomy_template is None:
        return []
    try:
        digest = LabelSchema.model_validate(taxonomy_template(demand.taxonomy_template)).digest()
    except DomainError:
        return []
    same_template = select(Demand.project_id).where(
        Demand.taxonomy_template == demand.taxonomy_template, Demand.project_id.is_not(None)
    )
    query = select(Project).where(
        or_(Project.schema_digest == digest, Project.id.in_(same_template))
    )
    if demand.project_id is not None:
        query = query.where(Project.id != demand.project_id)
    return list(session.scalars(query.order_by(Project.id)))


def _aht_and_days(
    session: Session, history: list[Project], language: str
) -> tuple[float, estimator.Source, int, tuple[int, ...]]:
    """Median handling time (delivered/archived projects first) and daily label counts."""
    finished = [p.id for p in history if p.status in FINISHED]
    for ids in (finished, [p.id for p in history]):
        if not ids:
            continue
        a = annotation.Annotation
        rows = session.execute(
            select(a.duration_ms, a.submitted_at)
            .join(Item, Item.id == a.item_id)
            .where(a.project_id.in_(ids), Item.language == language)
        )
        facts = list(rows)
        durations = [ms for ms, _ in facts if ms is not None]
        if durations:
            daily = daily_counts([at.date() for _, at in facts])
            return statistics.median(durations) / 1000, "history", len(durations), daily
    return DEFAULT_AHT_SECONDS, "default", 0, ()


def daily_counts(days: list[date]) -> tuple[int, ...]:
    """Labels a day, from the first day to the last; weekdays without a label count as 0."""
    if not days:
        return ()
    counts = Counter(days)
    first, last = min(days), max(days)
    found = []
    day = first
    while day <= last:
        if day in counts or day.weekday() < estimator.WORKING_DAYS_PER_WEEK:
            found.append(counts.get(day, 0))
        day += timedelta(days=1)
    return tuple(found)


def estimate_json(result: estimator.Estimate) -> dict[str, Any]:
    """The estimate as stored and served: plain JSON (dates ISO, the CDF to four places)."""
    raw = asdict(result)
    return _jsonable(raw)  # type: ignore[no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


# -- reading estimates -----------------------------------------------------------------------


def list_estimates(session: Session, *, actor: Actor, demand_id: int) -> list[EstimateOut]:
    """A demand's estimates, newest first (PM, admin, and the demand's demander)."""
    demand = get_demand(session, actor=actor, demand_id=demand_id)
    stored = session.scalars(
        select(DemandEstimate)
        .where(DemandEstimate.demand_id == demand.id)
        .order_by(DemandEstimate.created_at.desc(), DemandEstimate.id.desc())
    )
    return [_out(session, row) for row in stored]


def _out(session: Session, row: DemandEstimate) -> EstimateOut:
    author = session.get(workforce.User, row.created_by_id) if row.created_by_id else None
    return EstimateOut(
        id=row.id,
        demand_id=row.demand_id,
        created_at=row.created_at,
        created_by=author.username if author else None,
        inputs=row.inputs,
        result=row.result,
    )


def actual_vs_estimate(session: Session, *, actor: Actor, demand_id: int) -> ActualOut | None:
    """The demand's project's actual labels, hours, cost and completion beside the latest
    estimate, with the error in %; None before there is a project and an estimate."""
    demand = get_demand(session, actor=actor, demand_id=demand_id)
    latest = session.scalars(
        select(DemandEstimate)
        .where(DemandEstimate.demand_id == demand.id)
        .order_by(DemandEstimate.created_at.desc(), DemandEstimate.id.desc())
        .limit(1)
    ).first()
    if demand.project_id is None or latest is None:
        return None
    project = session.get(Project, demand.project_id)
    if project is None:
        return None
    rates = {
        (o.vendor_id, o.language): o.hourly_rate for o in workforce.list_vendor_languages(session)
    }
    a = annotation.Annotation
    facts = session.execute(
        select(Item.language, a.vendor_id, a.duration_ms, a.submitted_at)
        .join(Item, Item.id == a.item_id)
        .where(a.project_id == project.id)
    )
    labels: Counter[str] = Counter()
    hours: dict[str, float] = {}
    cost: dict[str, float] = {}
    unpriced = 0
    last: datetime | None = None
    for language, vendor_id, duration_ms, submitted_at in facts:
        labels[language] += 1
        spent = (duration_ms or 0) / 3_600_000
        hours[language] = hours.get(language, 0.0) + spent
        rate = rates.get((vendor_id, language)) if vendor_id is not None else None
        if rate is None:
            unpriced += 1
        else:
            cost[language] = cost.get(language, 0.0) + spent * rate
        last = submitted_at if last is None or submitted_at > last else last
    estimated = {row["language"]: row for row in latest.result.get("languages", [])}
    rows = [
        _actual_row(lang, labels[lang], hours.get(lang, 0.0), cost.get(lang, 0.0), estimated[lang])
        for lang in estimated
    ]
    rows.append(
        _actual_row(
            "all",
            sum(labels.values()),
            sum(hours.values()),
            sum(cost.values()),
            {
                "labels": latest.result.get("labels", 0),
                "labeler_hours": latest.result.get("labeler_hours", 0.0),
                "cost": latest.result.get("cost", 0.0),
            },
        )
    )
    forecast = latest.result.get("forecast", {})
    p50 = _date_or_none(forecast.get("p50_date"))
    completed = last.date() if last is not None and project.status in FINISHED else None
    return ActualOut(
        project_id=project.id,
        project_status=project.status,
        estimate_id=latest.id,
        rows=rows,
        unpriced_labels=unpriced,
        completed_on=completed,
        estimated_p50=p50,
        estimated_p85=_date_or_none(forecast.get("p85_date")),
        completion_error_days=(completed - p50).days if completed and p50 else None,
    )


def _actual_row(
    language: str, labels: int, hours: float, cost: float, estimated: dict[str, Any]
) -> ActualRow:
    return ActualRow(
        language=language,
        labels=labels,
        estimated_labels=int(estimated["labels"]),
        labels_error_pct=error_pct(labels, estimated["labels"]),
        labeler_hours=hours,
        estimated_hours=float(estimated["labeler_hours"]),
        hours_error_pct=error_pct(hours, estimated["labeler_hours"]),
        cost=cost,
        estimated_cost=float(estimated["cost"]),
        cost_error_pct=error_pct(cost, estimated["cost"]),
    )


def error_pct(actual: float, estimated: float) -> float | None:
    """(actual − estimate) ÷ estimate, in %; None against a zero estimate."""
    return None if not estimated else (actual - estimated) / estimated * 100


def _date_or_none(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
