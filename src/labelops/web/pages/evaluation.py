"""A demand's evaluation: the PM's inputs, the estimate per language with its P50/P85
forecast and risks, the history of estimates, and the actual beside the latest."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError

from labelops import workforce
from labelops.auth import Action
from labelops.errors import InvalidInput
from labelops.projects import estimator, evaluation
from labelops.web.deps import Ctx
from labelops.web.pages.common import FieldError, errors_by_field, field_errors, redirect, render

router = APIRouter()

FIELD_LABELS = {
    "overlap": "Overlap",
    "expected_labels_per_item": "Expected labels per item",
    "shrinkage": "Shrinkage",
    "occupancy": "Occupancy",
    "paid_hours_per_week": "Paid hours a week",
    "start": "Start",
    "aht_seconds": "Handling time",
    "vendors": "Vendors",
}
RISK_NAMES = {
    "no_vendor": "No vendor",
    "capacity_short": "Capacity short",
    "budget_short": "Budget short",
    "deadline_infeasible": "Deadline",
}
SOURCE_NAMES = {
    "history": "history",
    "pm": "PM's figure",
    "default": "default",
    "overlap": "overlap",
}


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as plain strings (its per-language fields are named by language)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


@router.get("/demands/{demand_id}/evaluation")
def evaluation_page(
    request: Request,
    demand_id: int,
    ctx: Ctx,
    estimate: Annotated[int | None, Query()] = None,
) -> Response:
    return _page(request, ctx, demand_id, shown=estimate)


@router.post("/demands/{demand_id}/evaluation")
def run_estimate(request: Request, demand_id: int, ctx: Ctx, form: FormFields) -> Response:
    try:
        with ctx.write(csrf=form.get("csrf_token", "")) as (session, actor):
            languages = [
                lang
                for lang, _ in evaluation.demand_languages(
                    evaluation.get_demand(session, actor=actor, demand_id=demand_id, manage=True)
                )
            ]
            stored = evaluation.estimate_demand(
                session,
                actor=actor,
                demand_id=demand_id,
                request=request_from_form(form, languages),
            )
    except (ValidationError, InvalidInput) as error:
        errors = field_errors(error, FIELD_LABELS)
        return _page(request, ctx, demand_id, form=form, errors=errors)
    return redirect(f"/demands/{demand_id}/evaluation?estimate={stored.id}#result")


def request_from_form(form: dict[str, str], languages: list[str]) -> evaluation.EstimateRequest:
    """The estimate request from the form: blank fields take the defaults (or the history);
    percentages are typed as percent; vendors are names separated by commas, in fill order."""
    raw: dict[str, Any] = {
        "overlap": form.get("overlap") or 3,
        "dynamic_overlap": form.get("dynamic_overlap") == "on",
        "expected_labels_per_item": form.get("expected_labels_per_item") or None,
        "paid_hours_per_week": form.get("paid_hours_per_week") or 40,
        "start": form.get("start") or None,
    }
    for name, default in (("shrinkage", 25.0), ("occupancy", 85.0)):
        text = form.get(name, "").strip()
        try:
            raw[name] = (float(text) if text else default) / 100
        except ValueError:
            raise InvalidInput(f"{text!r} is not a percentage", field=name) from None
    raw["aht_seconds"] = {
        lang: form[f"aht_{lang}"] for lang in languages if form.get(f"aht_{lang}", "").strip()
    }
    vendors = {
        lang: [name.strip() for name in form[f"vendors_{lang}"].split(",") if name.strip()]
        for lang in languages
        if form.get(f"vendors_{lang}", "").strip()
    }
    raw["vendors"] = vendors or None
    return evaluation.EstimateRequest.model_validate(raw)


def _page(
    request: Request,
    ctx: Ctx,
    demand_id: int,
    *,
    shown: int | None = None,
    form: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        demand = evaluation.get_demand(session, actor=actor, demand_id=demand_id)
        estimates = evaluation.list_estimates(session, actor=actor, demand_id=demand_id)
        actual = evaluation.actual_vs_estimate(session, actor=actor, demand_id=demand_id)
        can_estimate = actor.can(Action.MANAGE_DEMANDS)
        hints = evaluation.history_hints(session, actor=actor, demand_id=demand_id)
        offers = workforce.list_vendor_languages(session) if can_estimate else []
        facts = {
            "title": demand.title,
            "deadline": demand.deadline,
            "budget": demand.budget,
            "taxonomy": demand.taxonomy_template or "described in the demand",
            "status": demand.status,
        }
    current = next((e for e in estimates if e.id == shown), estimates[0] if estimates else None)
    defaults = estimator.Assumptions()
    return render(
        request,
        "evaluation.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if errors else 200,
        demand_id=demand_id,
        demand=facts,
        hints=hints,
        vendors_by_language={
            hint.language: [o for o in offers if o.language == hint.language] for hint in hints
        },
        estimates=estimates,
        current=current,
        chart=_chart(current.result) if current else None,
        actual=actual,
        can_estimate=can_estimate,
        form=form or {},
        errors=errors or [],
        error_for=errors_by_field(errors or []),
        defaults=defaults,
        risk_names=RISK_NAMES,
        source_names=SOURCE_NAMES,
    )


def _chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """The overall forecast's CDF with the P50, P85 and deadline marks, in working days."""
    forecast = result.get("forecast") or {}
    cdf = forecast.get("cdf") or []
    if not cdf:
        return None
    deadline_day = None
    if result.get("deadline"):
        start, deadline = (
            date.fromisoformat(result["start"]),
            date.fromisoformat(result["deadline"]),
        )
        deadline_day = _working_days(start, deadline)
    return {
        "cdf": cdf,
        "p50": forecast.get("p50_days"),
        "p85": forecast.get("p85_days"),
        "deadline": deadline_day,
    }


def _working_days(start: date, end: date) -> int:
    """Working days from `start` through `end` (the count add_working_days inverts)."""
    days = 0
    current = start
    while current <= end:
        if current.weekday() < estimator.WORKING_DAYS_PER_WEEK:
            days += 1
        current = date.fromordinal(current.toordinal() + 1)
    return days
