"""The new-project form: settings, label schema, guidelines and staffing in one page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, ValidationError

from labelops import projects, workforce
from labelops.auth import Action, Role
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
T = TypeVar("T")

FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "languages": "Languages",
    "overlap": "Overlap",
    "lease_minutes": "Lease",
    "lease_seconds": "Lease",
    "label_schema": "Label schema",
    "guidelines": "Guidelines",
    "vendors": "Vendors",
    "demander": "Demander",
    "max_overlap": "Most labelers per item",
    "target_confidence": "Target confidence",
    "gold_rate": "Gold share",
    "gold_threshold": "Pause below",
    "gold_min_answers": "Gold answers before a pause",
    "quality_target": "Quality target",
    "qualification_items": "Quiz items",
    "qualification_pass_mark": "Pass mark",
    "qualification_tries": "Tries",
    "deadline": "Deadline",
}
MAX_LEASE_MINUTES = 24 * 60


class ProjectForm(BaseModel):
    """The form as typed: every field a string until it is checked."""

    name: str = ""
    description: str = ""
    languages: str = ""
    overlap: str = "1"
    lease_minutes: str = "10"
    schema_source: Literal["default", "custom"] = "default"
    custom_schema: str = ""
    template: str = ""  # the shipped taxonomy template the custom schema started from
    kind: Literal["single", "multi"] = "single"
    guidelines: str = ""
    vendors: list[str] = []
    demander: str = ""
    max_overlap: str = ""
    target_confidence: str = "95"
    gold_rate: str = "0"
    gold_threshold: str = ""
    gold_min_answers: str = "5"
    quality_target: str = ""
    qualification_items: str = "0"
    qualification_pass_mark: str = "80"  # noqa: S105  (a pass mark, not a password)
    qualification_tries: str = "2"
    deadline: str = ""
    csrf_token: str = ""


@router.get("/projects/new")
def new_project_form(
    request: Request, ctx: Ctx, template: Annotated[str | None, Query()] = None
) -> Response:
    if not template:
        return _form_page(request, ctx, ProjectForm(custom_schema=_default_schema_json()))
    schema = projects.taxonomy_template(template)  # InvalidInput for an unknown name
    form = ProjectForm(
        schema_source="custom",
        template=template,
        custom_schema=_schema_json(schema),
        kind=schema.get("kind", "single"),
    )
    return _form_page(request, ctx, form)


@router.post("/projects/new")
def create_project(request: Request, ctx: Ctx, form: Annotated[ProjectForm, Form()]) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            actor.require(Action.CREATE_PROJECT)
            project = projects.create_project(session, actor=actor, data=new_project(form))
            project_id = project.id
    except (ValidationError, InvalidInput, Conflict) as error:
        problems = (
            [FieldError("", error.message)]
            if isinstance(error, Conflict)
            else field_errors(error, FIELD_LABELS)
        )
        return _form_page(request, ctx, form, problems, status_code=422)
    return redirect(f"/projects/{project_id}")


def new_project(form: ProjectForm) -> projects.NewProject:
    """The form's values as a project to create; ValidationError or InvalidInput naming the
    field otherwise."""
    minutes = _whole_number(form.lease_minutes, field="lease_minutes")
    if not 1 <= minutes <= MAX_LEASE_MINUTES:
        raise InvalidInput(f"between 1 and {MAX_LEASE_MINUTES} minutes", field="lease_minutes")
    return projects.NewProject.model_validate(
        {
            "name": form.name.strip(),
            "description": form.description.strip(),
            "languages": [part.strip() for part in form.languages.split(",") if part.strip()],
            "label_schema": _label_schema(form),
            "overlap": _whole_number(form.overlap, field="overlap"),
            "lease_seconds": minutes * 60,
            "guidelines": form.guidelines,
            "vendors": form.vendors,
            "demander": form.demander or None,
            "max_overlap": _optional(_whole_number, form.max_overlap, field="max_overlap"),
            "target_confidence": _percent(form.target_confidence, field="target_confidence"),
            "gold_rate": _percent(form.gold_rate, field="gold_rate"),
            "gold_threshold": _optional(_percent, form.gold_threshold, field="gold_threshold"),
            "gold_min_answers": _whole_number(form.gold_min_answers, field="gold_min_answers"),
            "quality_target": _optional(_percent, form.quality_target, field="quality_target"),
            "qualification_items": _whole_number(
                form.qualification_items, field="qualification_items"
            ),
            "qualification_pass_mark": _percent(
                form.qualification_pass_mark, field="qualification_pass_mark"
            ),
            "qualification_tries": _whole_number(
                form.qualification_tries, field="qualification_tries"
            ),
            "deadline": form.deadline.strip() or None,
        }
    )


def _label_schema(form: ProjectForm) -> dict[str, Any]:
    if form.schema_source == "default":
        return {**projects.default_taxonomy(), "kind": form.kind}
    try:
        raw = json.loads(form.custom_schema)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}",
            field="label_schema",
        ) from None
    if isinstance(raw, list):  # a bare list of labels
        raw = {"labels": raw}
    if not isinstance(raw, dict):
        raise InvalidInput('expected an object like {"labels": [...]}', field="label_schema")
    return {**raw, "kind": form.kind}


def _whole_number(text: str, *, field: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput("enter a whole number", field=field) from None


def _percent(text: str, *, field: str) -> float:
    """A percentage typed as 0–100 (a trailing % allowed), as a share 0–1."""
    try:
        value = float(text.strip().removesuffix("%").strip())
    except ValueError:
        raise InvalidInput("enter a percentage, e.g. 90", field=field) from None
    if not 0 <= value <= 100:
        raise InvalidInput("enter a percentage between 0 and 100", field=field)
    return value / 100


def _optional(parse: Callable[..., T], text: str, *, field: str) -> T | None:
    """Blank means not set."""
    return parse(text, field=field) if text.strip() else None


def _default_schema_json() -> str:
    return _schema_json(projects.default_taxonomy())


def _schema_json(schema: dict[str, Any]) -> str:
    """A schema as the editor shows it: without its kind, which the form asks for apart."""
    return json.dumps(
        {k: v for k, v in schema.items() if k != "kind"}, indent=2, ensure_ascii=False
    )


def _form_page(
    request: Request,
    ctx: Ctx,
    form: ProjectForm,
    errors: list[FieldError] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        actor.require(Action.CREATE_PROJECT)
        vendors = workforce.list_vendors(session, actor=actor)
        demanders = workforce.list_users(session, actor=actor, role=Role.DEMANDER)
    errors = errors or []
    return render(
        request,
        "project_new.html",
        actor=actor,
        csrf=csrf,
        status_code=status_code,
        form=form,
        errors=errors,
        error_for=errors_by_field(errors),
        vendors=vendors,
        demanders=demanders,
        templates=projects.list_templates(),
    )
