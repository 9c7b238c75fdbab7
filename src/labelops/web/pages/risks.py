"""The risk register page, and each user's notifications page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel

from labelops import analytics, notify, projects
from labelops.auth import Action
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import local_path, redirect, render

router = APIRouter()

STATUS_NAMES = {"open": "Open", "acknowledged": "Acknowledged", "resolved": "Resolved"}
PERCENT_KEYS = {
    "accuracy",
    "share",
    "project_share",
    "ratio",
    "threshold_ratio",
    "target",
    "time_elapsed",
    "share_of_expected",
}
KEY_NAMES = {
    "interval_95": "95 % interval",
    "p_value": "p-value",
    "median_ms": "Median handling time",
    "peers_median_ms": "Peers' median on the same items",
    "median_handling_ms": "Project's median handling time",
    "threshold_ratio": "Fires below",
    "project_share": "Share of this answer by others",
    "window_days": "Window (days)",
}


class CsrfForm(BaseModel):
    csrf_token: str = ""


class NoteForm(BaseModel):
    note: str = ""
    csrf_token: str = ""


class AssignForm(BaseModel):
    assignee: str = ""
    csrf_token: str = ""


class ManualForm(BaseModel):
    title: str = ""
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    note: str = ""
    csrf_token: str = ""


@router.get("/projects/{project_id}/risks")
def register(
    request: Request,
    project_id: int,
    ctx: Ctx,
    show: Annotated[Literal["open", "all"], Query()] = "open",
) -> Response:
    return _page(request, ctx, project_id, show=show)


@router.post("/projects/{project_id}/risks")
def add(
    request: Request, project_id: int, ctx: Ctx, form: Annotated[ManualForm, Form()]
) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            risk = analytics.add_manual_risk(
                session,
                actor=actor,
                project_id=project_id,
                data=analytics.NewRisk(title=form.title, severity=form.severity, note=form.note),
            )
            risk_id = risk.id
    except (InvalidInput, Conflict) as error:
        return _page(request, ctx, project_id, show="open", problem=error.message)
    return redirect(f"/projects/{project_id}/risks#risk-{risk_id}")


@router.post("/projects/{project_id}/risks/scan")
def scan(
    request: Request, project_id: int, ctx: Ctx, form: Annotated[CsrfForm, Form()]
) -> Response:
    with ctx.write(csrf=form.csrf_token) as (session, actor):
        project = projects.require_manageable(session, actor=actor, project_id=project_id)
        result = analytics.scan_risks(session, project.id)
    return redirect(f"/projects/{project_id}/risks?scanned={result.findings}")


@router.post("/risks/{risk_id}/{action}")
def act(
    request: Request,
    risk_id: int,
    action: Literal["acknowledge", "assign", "resolve", "reopen"],
    ctx: Ctx,
    note: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    project_id = 0
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            project_id = analytics.get_risk(session, actor=actor, risk_id=risk_id).project_id
            if action == "acknowledge":
                analytics.acknowledge_risk(session, actor=actor, risk_id=risk_id)
            elif action == "assign":
                analytics.assign_risk(session, actor=actor, risk_id=risk_id, assignee=assignee)
            elif action == "resolve":
                analytics.resolve_risk(session, actor=actor, risk_id=risk_id, note=note)
            else:
                analytics.reopen_risk(session, actor=actor, risk_id=risk_id, note=note)
    except (InvalidInput, Conflict) as error:
        if not project_id:
            raise
        return _page(
            request, ctx, project_id, show="all", problem=error.message, problem_risk=risk_id
        )
    return redirect(f"/projects/{project_id}/risks?show=all&done={risk_id}#risk-{risk_id}")


def _page(
    request: Request,
    ctx: Ctx,
    project_id: int,
    *,
    show: str,
    problem: str = "",
    problem_risk: int | None = None,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        risks = analytics.list_risks(session, actor=actor, project_id=project.id)
        can_manage = actor.can(Action.MANAGE_PROJECT)
        assignees = analytics.assignable_users(session, risks=risks) if can_manage else {}
        name = project.name
    unresolved = [r for r in risks if r.status != "resolved"]
    shown = risks if show == "all" else unresolved
    counts = {s: sum(r.severity == s for r in unresolved) for s in analytics.SEVERITIES}
    return render(
        request,
        "risks.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if problem else 200,
        project_id=project_id,
        project_name=name,
        risks=shown,
        show=show,
        open_count=len(unresolved),
        total=len(risks),
        counts=counts,
        severities=analytics.SEVERITIES,
        kind_names=analytics.KIND_NAMES,
        status_names=STATUS_NAMES,
        evidence_rows=evidence_rows,
        assignees=assignees,
        can_manage=can_manage,
        problem=problem,
        problem_risk=problem_risk,
        done=request.query_params.get("done"),
        scanned=request.query_params.get("scanned"),
    )


def evidence_rows(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """A risk's evidence as (name, value) lines a person reads: percentages, seconds."""
    return [(_key_name(key), _value(key, value)) for key, value in evidence.items()]


def _key_name(key: str) -> str:
    return KEY_NAMES.get(key, key.replace("_", " ").capitalize())


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key == "interval_95" and isinstance(value, list | tuple) and len(value) == 2:
        return f"{value[0]:.1%} – {value[1]:.1%}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith("_ms") and isinstance(value, int | float):
        return f"{value / 1000:.1f} s"
    if key in PERCENT_KEYS and isinstance(value, int | float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


# ---------------------------------------------------------------------------------- inbox


@router.get("/notifications")
def inbox(request: Request, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        listed = notify.list_notifications(session, actor=actor)
    return render(
        request,
        "notifications.html",
        actor=actor,
        csrf=csrf,
        notifications=listed,
        unread_here=sum(n.read_at is None for n in listed),
    )


@router.post("/notifications/{notification_id}/read")
def read(
    request: Request, notification_id: int, ctx: Ctx, form: Annotated[CsrfForm, Form()]
) -> Response:
    with ctx.write(csrf=form.csrf_token) as (session, actor):
        found = notify.mark_read(session, actor=actor, notification_id=notification_id)
        link = found.link
    return redirect(local_path(link, "/notifications"))


@router.post("/notifications/read-all")
def read_all(request: Request, ctx: Ctx, form: Annotated[CsrfForm, Form()]) -> Response:
    with ctx.write(csrf=form.csrf_token) as (session, actor):
        notify.mark_all_read(session, actor=actor)
    return redirect("/notifications")
