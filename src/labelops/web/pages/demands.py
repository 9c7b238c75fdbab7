"""Demands in the browser: the demander's form and list, and one demand's page with its spec,
history, thread, decisions, conversion and delivery."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, ValidationError

from labelops import projects
from labelops.auth import Action
from labelops.errors import Conflict, InvalidInput
from labelops.projects.demand_schemas import SEVERITY_TIERS, TRANSITIONS
from labelops.web.deps import Ctx
from labelops.web.pages.common import FieldError, errors_by_field, field_errors, redirect, render
from labelops.web.pages.project_form import _optional, _percent

router = APIRouter()

PURPOSES = {
    "training_data": "Training data",
    "evaluation_set": "Evaluation set",
    "policy_measurement": "Policy measurement",
    "other": "Other",
}
STATUS_NAMES = {
    "submitted": "Submitted",
    "evaluating": "Evaluating",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "converted": "Converted",
}
FIELD_LABELS = {
    "title": "Title",
    "purpose": "Purpose",
    "description": "Description",
    "taxonomy_template": "Taxonomy",
    "taxonomy_notes": "Taxonomy description",
    "volumes": "Volumes",
    "deadline": "Deadline",
    "target_accuracy": "Target accuracy",
    "target_alpha": "Target alpha",
    "budget": "Budget",
    "severity_mix": "Severity mix",
    "status": "Status",
    "note": "Note",
    "body": "Message",
    "label_schema": "Label schema",
    "overlap": "Overlap",
    "vendors": "Vendors",
    "delivery": "Delivery",
}
# What the PM's buttons say, per target status.
PM_ACTIONS = {
    "evaluating": "Start evaluating",
    "accepted": "Accept",
    "rejected": "Reject",
}
MIN_VOLUME_ROWS = 3


class DemandForm(BaseModel):
    """The form as typed: every field a string until it is checked."""

    title: str = ""
    purpose: str = "training_data"
    description: str = ""
    taxonomy_template: str = ""
    taxonomy_notes: str = ""
    language: list[str] = []
    volume: list[str] = []
    deadline: str = ""
    target_accuracy: str = ""
    target_alpha: str = ""
    budget: str = ""
    S0: str = ""
    S1: str = ""
    S2: str = ""
    S3: str = ""
    S4: str = ""
    csrf_token: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """The volume rows to show: those typed, and a few blank ones to fill."""
        typed = list(zip(self.language, self.volume, strict=False))
        typed = [(lang, vol) for lang, vol in typed if lang.strip() or vol.strip()]
        return typed + [("", "")] * max(1, MIN_VOLUME_ROWS - len(typed))


class MessageForm(BaseModel):
    body: str = ""
    csrf_token: str = ""


class StatusForm(BaseModel):
    status: str
    note: str = ""
    csrf_token: str = ""


class ConvertForm(BaseModel):
    overlap: str = "1"
    project_status: Literal["approved", "running"] = "approved"
    custom_schema: str = ""
    csrf_token: str = ""


class DeliveryForm(BaseModel):
    decision: Literal["accept", "reject"]
    note: str = ""
    csrf_token: str = ""


@router.get("/demands")
def demand_list(
    request: Request, ctx: Ctx, status: Annotated[str | None, Query()] = None
) -> Response:
    wanted = projects.DemandStatus(status) if status in STATUS_NAMES else None
    with ctx.read_page() as (session, actor, _csrf):
        every = projects.demands_out(session, projects.list_demands(session, actor=actor))
    counts = {name: sum(d.status == name for d in every) for name in STATUS_NAMES}
    return render(
        request,
        "demands.html",
        actor=actor,
        rows=[d for d in every if wanted is None or d.status == wanted],
        total=len(every),
        counts=counts,
        status=wanted.value if wanted else None,
        status_names=STATUS_NAMES,
        purposes=PURPOSES,
    )


@router.get("/demands/new")
def new_demand_form(request: Request, ctx: Ctx) -> Response:
    return _form_page(request, ctx, DemandForm(taxonomy_template="ts-default"))


@router.post("/demands/new")
def submit_demand(request: Request, ctx: Ctx, form: Annotated[DemandForm, Form()]) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            spec = projects.NewDemand.model_validate(spec_from_form(form))
            demand_id = projects.submit_demand(session, actor=actor, data=spec).id
    except (ValidationError, InvalidInput) as error:
        return _form_page(request, ctx, form, field_errors(error, FIELD_LABELS))
    return redirect(f"/demands/{demand_id}")


@router.get("/demands/{demand_id}/edit")
def edit_demand_form(request: Request, demand_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, _csrf):
        demand = projects.demand_out(
            session, projects.get_demand(session, actor=actor, demand_id=demand_id)
        )
    return _form_page(request, ctx, form_from_demand(demand), demand_id=demand_id)


@router.post("/demands/{demand_id}/edit")
def edit_demand(
    request: Request, demand_id: int, ctx: Ctx, form: Annotated[DemandForm, Form()]
) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            current = projects.get_demand(session, actor=actor, demand_id=demand_id)
            spec = spec_from_form(form)
            if spec["deadline"] == (current.deadline and current.deadline.isoformat()):
                del spec["deadline"]  # unchanged: a date since passed is not re-checked
            projects.update_demand(
                session,
                actor=actor,
                demand_id=demand_id,
                data=projects.DemandUpdate.model_validate(spec),
            )
    except (ValidationError, InvalidInput, Conflict) as error:
        problems = (
            [FieldError("", error.message)]
            if isinstance(error, Conflict)
            else field_errors(error, FIELD_LABELS)
        )
        return _form_page(request, ctx, form, problems, demand_id=demand_id)
    return redirect(f"/demands/{demand_id}#history")


@router.get("/demands/{demand_id}")
def demand_page(request: Request, demand_id: int, ctx: Ctx) -> Response:
    return _page(request, ctx, demand_id)


@router.post("/demands/{demand_id}/comments")
def post_comment(
    request: Request, demand_id: int, ctx: Ctx, form: Annotated[MessageForm, Form()]
) -> Response:
    return _act(
        request,
        ctx,
        demand_id,
        form.csrf_token,
        lambda session, actor: projects.comment_on_demand(
            session,
            actor=actor,
            demand_id=demand_id,
            data=projects.NewComment.model_validate({"body": form.body}),
        ),
        anchor="thread",
        typed={"body": form.body},
    )


@router.post("/demands/{demand_id}/status")
def change_status(
    request: Request, demand_id: int, ctx: Ctx, form: Annotated[StatusForm, Form()]
) -> Response:
    return _act(
        request,
        ctx,
        demand_id,
        form.csrf_token,
        lambda session, actor: projects.change_demand_status(
            session,
            actor=actor,
            demand_id=demand_id,
            data=projects.StatusChange.model_validate({"status": form.status, "note": form.note}),
        ),
        typed={"note": form.note},
    )


@router.post("/demands/{demand_id}/convert")
def convert(
    request: Request, demand_id: int, ctx: Ctx, form: Annotated[ConvertForm, Form()]
) -> Response:
    def conversion(session: Any, actor: Any) -> Any:
        data: dict[str, Any] = {"overlap": form.overlap.strip(), "status": form.project_status}
        if form.custom_schema.strip():
            data["label_schema"] = _schema_json(form.custom_schema)
        return projects.convert_demand(
            session,
            actor=actor,
            demand_id=demand_id,
            data=projects.Conversion.model_validate(data),
        )

    return _act(
        request,
        ctx,
        demand_id,
        form.csrf_token,
        conversion,
        typed={"custom_schema": form.custom_schema},
    )


@router.post("/demands/{demand_id}/delivery")
def decide_delivery(
    request: Request, demand_id: int, ctx: Ctx, form: Annotated[DeliveryForm, Form()]
) -> Response:
    return _act(
        request,
        ctx,
        demand_id,
        form.csrf_token,
        lambda session, actor: projects.decide_delivery(
            session,
            actor=actor,
            demand_id=demand_id,
            data=projects.DeliveryDecision.model_validate(
                {"decision": form.decision, "note": form.note}
            ),
        ),
        anchor="delivery",
        typed={"delivery_note": form.note},
    )


def spec_from_form(form: DemandForm) -> dict[str, Any]:
    """The form's values as a demand's spec; InvalidInput naming the field for what cannot be
    read (the spec's own rules are checked by its schema)."""
    volumes = []
    for row, (language, volume) in enumerate(zip(form.language, form.volume, strict=False), 1):
        if not language.strip() and not volume.strip():
            continue
        try:
            count = int(volume.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise InvalidInput(
                f"row {row}: enter the number of items as a whole number", field="volumes"
            ) from None
        volumes.append({"language": language, "volume": count})
    return {
        "title": form.title,
        "purpose": form.purpose,
        "description": form.description,
        "taxonomy_template": form.taxonomy_template or None,
        "taxonomy_notes": form.taxonomy_notes,
        "volumes": volumes,
        "deadline": form.deadline.strip() or None,
        "target_accuracy": _optional(_percent, form.target_accuracy, field="target_accuracy"),
        "target_alpha": _optional(_decimal, form.target_alpha, field="target_alpha"),
        "budget": _optional(_decimal, form.budget, field="budget"),
        "severity_mix": _severity_mix(form),
    }


def form_from_demand(demand: projects.DemandOut) -> DemandForm:
    mix = demand.severity_mix or {}
    return DemandForm(
        title=demand.title,
        purpose=demand.purpose.value,
        description=demand.description,
        taxonomy_template=demand.taxonomy_template or "",
        taxonomy_notes=demand.taxonomy_notes,
        language=[v.language for v in demand.volumes],
        volume=[str(v.volume) for v in demand.volumes],
        deadline=demand.deadline.isoformat() if demand.deadline else "",
        target_accuracy=_pct(demand.target_accuracy),
        target_alpha="" if demand.target_alpha is None else f"{demand.target_alpha:g}",
        budget="" if demand.budget is None else f"{demand.budget:g}",
        **{tier: _pct(mix.get(tier)) for tier in SEVERITY_TIERS},
    )


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:g}"


def _decimal(text: str, *, field: str) -> float:
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        raise InvalidInput("enter a number", field=field) from None


def _severity_mix(form: DemandForm) -> dict[str, float] | None:
    typed = {tier: getattr(form, tier).strip() for tier in SEVERITY_TIERS}
    if not any(typed.values()):
        return None
    return {tier: _percent(text, field="severity_mix") for tier, text in typed.items() if text}


def _schema_json(text: str) -> Any:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}",
            field="label_schema",
        ) from None
    return {"labels": raw} if isinstance(raw, list) else raw


def _act(
    request: Request,
    ctx: Ctx,
    demand_id: int,
    csrf: str,
    action: Any,
    *,
    anchor: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    """Do one thing to the demand, then show it again (with the problem, if there was one)."""
    try:
        with ctx.write(csrf=csrf) as (session, actor):
            action(session, actor)
    except (ValidationError, InvalidInput, Conflict) as error:
        problems = (
            field_errors(error, FIELD_LABELS)
            if isinstance(error, ValidationError | InvalidInput)
            else [FieldError("", error.message)]
        )
        return _page(request, ctx, demand_id, problems=problems, typed=typed or {})
    return redirect(f"/demands/{demand_id}" + (f"#{anchor}" if anchor else ""))


def _page(
    request: Request,
    ctx: Ctx,
    demand_id: int,
    *,
    problems: list[FieldError] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        detail = projects.demand_detail(session, actor=actor, demand_id=demand_id)
        delivery = projects.delivery_report(session, actor=actor, demand_id=demand_id)
        project = (
            projects.project_out(
                session, projects.get_project(session, actor=actor, project_id=detail.project_id)
            )
            if detail.project_id
            else None
        )
    is_pm = actor.can(Action.MANAGE_DEMANDS)
    is_demander = actor.user_id is not None and detail.demander == actor.username
    moves = TRANSITIONS[detail.status]
    pm_moves = [(s.value, PM_ACTIONS[s.value]) for s in moves if is_pm and s.value in PM_ACTIONS]
    if detail.status == projects.DemandStatus.ACCEPTED:
        pm_moves = [(s, "Reopen the evaluation" if s == "evaluating" else t) for s, t in pm_moves]
    editable = detail.status in (
        projects.DemandStatus.SUBMITTED,
        projects.DemandStatus.EVALUATING,
    ) or (is_pm and detail.status == projects.DemandStatus.ACCEPTED)
    problems = problems or []
    return render(
        request,
        "demand.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if problems else 200,
        demand=detail,
        project=project,
        delivery=delivery,
        problems=problems,
        error_for=errors_by_field(problems),
        typed=typed or {},
        purposes=PURPOSES,
        status_names=STATUS_NAMES,
        field_labels=FIELD_LABELS,
        is_pm=is_pm,
        pm_moves=pm_moves,
        can_withdraw=is_demander and projects.DemandStatus.WITHDRAWN in moves,
        can_convert=is_pm and detail.status == projects.DemandStatus.ACCEPTED,
        can_edit=editable,
        can_decide_delivery=is_demander and delivery is not None and delivery.can_decide,
    )


def _form_page(
    request: Request,
    ctx: Ctx,
    form: DemandForm,
    errors: list[FieldError] | None = None,
    *,
    demand_id: int | None = None,
) -> Response:
    with ctx.read_page() as (_session, actor, csrf):
        actor.require(Action.SUBMIT_DEMAND)
    errors = errors or []
    return render(
        request,
        "demand_new.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if errors else 200,
        form=form,
        errors=errors,
        error_for=errors_by_field(errors),
        demand_id=demand_id,
        purposes=PURPOSES,
        templates=projects.template_names(),
        tiers=SEVERITY_TIERS,
    )
