"""Audit pages: a PM plans and starts an audit from the project, reviewers go through the
sampled items one by one, and the audit page shows the estimate against the quality target with
the accept and reject buttons. Plain forms throughout; static/audit_review.js only adds keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError

from labelops import projects, quality
from labelops.auth import Action, Actor
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import (
    FieldError,
    errors_by_field,
    field_errors,
    redirect,
    render,
)

router = APIRouter()

FIELD_NAMES = {
    "name": "Name",
    "batch_id": "Items",
    "margin": "Margin",
    "expected_accuracy": "Expected accuracy",
    "labels": "Right label",
    "verdict": "Verdict",
}


@dataclass(frozen=True, slots=True)
class LeafChoice:
    key: str
    name: str  # "Group › Label" for a child


def _choices(schema: projects.LabelSchema) -> list[LeafChoice]:
    found = []
    for label in schema.labels:
        for leaf in label.children or (label,):
            name = f"{label.name} › {leaf.name}" if label.children else leaf.name
            found.append(LeafChoice(leaf.key, name))
    return found


def _form_data(
    name: str, batch: str, margin_points: str, expected_percent: str
) -> quality.NewAudit:
    """The form's figures (points and percents) as the service takes them (shares)."""
    try:
        margin = float(margin_points) / 100
    except ValueError:
        raise InvalidInput("margin must be a number of points", field="margin") from None
    try:
        expected = float(expected_percent) / 100
    except ValueError:
        raise InvalidInput(
            "expected accuracy must be a percentage", field="expected_accuracy"
        ) from None
    return quality.NewAudit(
        name=name,
        batch_id=int(batch) if batch.strip().isdigit() else None,
        margin=margin,
        expected_accuracy=expected,
    )


@router.get("/audits")
def open_audits(request: Request, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        audits = quality.list_open_audits(session, actor=actor)
    return render(request, "audits.html", actor=actor, csrf=csrf, audits=audits)


@router.get("/projects/{project_id}/audits")
def project_audits(
    request: Request,
    project_id: int,
    ctx: Ctx,
    name: str = "",
    batch: str = "",
    margin: Annotated[str, Query()] = "2",
    expected: Annotated[str, Query()] = "95",
    preview: str = "",
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        audits = quality.list_audits(session, actor=actor, project_id=project.id)
        can_start = actor.can(Action.MANAGE_PROJECT)
        batches = (
            quality.audit_batches(session, actor=actor, project_id=project.id) if can_start else []
        )
        plan, errors = None, []
        if preview and can_start:
            try:
                data = _form_data(name, batch, margin, expected)
                plan = quality.plan_audit(session, actor=actor, project_id=project.id, data=data)
            except (InvalidInput, ValidationError) as error:
                errors = field_errors(error, FIELD_NAMES)
        project_name, target = project.name, project.quality_target
        names = {c.key: c.name for c in _choices(projects.label_schema(project))}
    return render(
        request,
        "audit_list.html",
        actor=actor,
        csrf=csrf,
        names=names,
        project_id=project_id,
        project_name=project_name,
        quality_target=target,
        audits=audits,
        can_start=can_start,
        batches=batches,
        form={"name": name, "batch": batch, "margin": margin, "expected": expected},
        plan=plan,
        errors=errors,
        error_for=errors_by_field(errors),
    )


@router.post("/projects/{project_id}/audits")
def start_audit(
    request: Request,
    project_id: int,
    ctx: Ctx,
    name: Annotated[str, Form()] = "",
    batch: Annotated[str, Form()] = "",
    margin: Annotated[str, Form()] = "2",
    expected: Annotated[str, Form()] = "95",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            data = _form_data(name, batch, margin, expected)
            created = quality.create_audit(session, actor=actor, project_id=project_id, data=data)
            audit_id = created.id
    except (InvalidInput, ValidationError, Conflict) as error:
        return _start_failed(request, ctx, project_id, error, name, batch, margin, expected)
    return redirect(f"/audits/{audit_id}")


def _start_failed(
    request: Request,
    ctx: Ctx,
    project_id: int,
    error: InvalidInput | ValidationError | Conflict,
    *form: str,
) -> Response:
    if isinstance(error, Conflict):
        errors = [FieldError("", error.message)]
    else:
        errors = field_errors(error, FIELD_NAMES)
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        audits = quality.list_audits(session, actor=actor, project_id=project.id)
        batches = quality.audit_batches(session, actor=actor, project_id=project.id)
        project_name, target = project.name, project.quality_target
        names = {c.key: c.name for c in _choices(projects.label_schema(project))}
    name, batch, margin, expected = form
    return render(
        request,
        "audit_list.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if not isinstance(error, Conflict) else 409,
        names=names,
        project_id=project_id,
        project_name=project_name,
        quality_target=target,
        audits=audits,
        can_start=True,
        batches=batches,
        form={"name": name, "batch": batch, "margin": margin, "expected": expected},
        plan=None,
        errors=errors,
        error_for=errors_by_field(errors),
    )


@router.get("/audits/{audit_id}")
def audit_page(request: Request, audit_id: int, ctx: Ctx, error: str = "") -> Response:
    with ctx.read_page() as (session, actor, csrf):
        detail = quality.get_audit(session, actor=actor, audit_id=audit_id)
        schema = projects.label_schema(
            projects.get_project(session, actor=actor, project_id=detail.project_id)
        )
    return render(
        request,
        "audit.html",
        actor=actor,
        csrf=csrf,
        audit=detail,
        names={c.key: c.name for c in _choices(schema)},
        can_decide=actor.can(Action.MANAGE_PROJECT) and detail.status == "open",
        can_review=actor.can(Action.REVIEW) and detail.status == "open",
        error=error,
    )


@router.post("/audits/{audit_id}/decision")
def decide(
    request: Request,
    audit_id: int,
    ctx: Ctx,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2_000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            quality.decide_audit(
                session,
                actor=actor,
                audit_id=audit_id,
                decision=quality.Decision.model_validate({"decision": decision, "note": note}),
            )
    except (Conflict, ValidationError) as error:
        message = error.message if isinstance(error, Conflict) else "choose accept or reject"
        return _audit_with_error(request, ctx, audit_id, message)
    return redirect(f"/audits/{audit_id}")


def _audit_with_error(request: Request, ctx: Ctx, audit_id: int, message: str) -> Response:
    response = audit_page(request, audit_id, ctx, error=message)
    response.status_code = 409
    return response


@router.get("/audits/{audit_id}/review")
def review_screen(
    request: Request, audit_id: int, ctx: Ctx, item: int | None = None, error: str = ""
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        actor.require(Action.REVIEW)
        detail = quality.get_audit(session, actor=actor, audit_id=audit_id)
        schema = projects.label_schema(
            projects.get_project(session, actor=actor, project_id=detail.project_id)
        )
    return _review(request, actor, csrf, detail, schema, item, error)


def _review(
    request: Request,
    actor: Actor,
    csrf: str,
    detail: quality.AuditDetail,
    schema: projects.LabelSchema,
    item: int | None,
    error: str,
    *,
    status_code: int = 200,
) -> Response:
    if detail.status != "open":
        return redirect(f"/audits/{detail.id}")
    items = detail.items
    ids = [entry.id for entry in items]
    position: int | None = ids.index(item) if item in ids else None
    if position is None:  # the first item still without a verdict
        position = next((n for n, e in enumerate(items) if e.verdict is None), None)
    if position is None:
        return redirect(f"/audits/{detail.id}")
    choices = _choices(schema)
    return render(
        request,
        "audit_review.html",
        actor=actor,
        csrf=csrf,
        status_code=status_code,
        audit=detail,
        entry=items[position],
        position=position,
        previous=ids[position - 1] if position > 0 else None,
        following=ids[position + 1] if position + 1 < len(ids) else None,
        choices=choices,
        names={c.key: c.name for c in choices},
        multi=schema.kind == "multi",
        error=error,
    )


@router.post("/audits/{audit_id}/items/{audit_item_id}/verdict")
def give_verdict(
    request: Request,
    audit_id: int,
    audit_item_id: int,
    ctx: Ctx,
    verdict: Annotated[str, Form()],
    labels: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=2_000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    # The picker is always on the form: a correct verdict simply ignores it.
    chosen = [label for label in labels or [] if label] if verdict == "incorrect" else None
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            quality.record_verdict(
                session,
                actor=actor,
                audit_id=audit_id,
                audit_item_id=audit_item_id,
                verdict=quality.Verdict.model_validate(
                    {"verdict": verdict, "labels": chosen, "note": note}
                ),
            )
    except (InvalidInput, ValidationError) as error:
        message = field_errors(error, FIELD_NAMES)[0].message
        with ctx.read_page() as (session, actor, csrf):
            detail = quality.get_audit(session, actor=actor, audit_id=audit_id)
            schema = projects.label_schema(
                projects.get_project(session, actor=actor, project_id=detail.project_id)
            )
        return _review(
            request, actor, csrf, detail, schema, audit_item_id, message, status_code=422
        )
    return redirect(f"/audits/{audit_id}/review")
