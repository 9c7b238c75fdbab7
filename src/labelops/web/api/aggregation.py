"""Aggregation on a project, confusion mining, and guideline examples."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labelops import guidelines, quality
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["quality"])


@router.get("/projects/{project_id}/aggregation", response_model=quality.ProjectAggregation)
def aggregation(
    project_id: int, ctx: AuthCtx, method: str = "ds", items: int = 100, offset: int = 0
) -> Response:
    """Labels aggregated by majority vote (`mv`), Dawid–Skene (`ds`) or one-coin Dawid–Skene
    (`ods`): every labeler's confusion matrix (rows true label, columns given label), the class
    priors, whether EM converged, and a page of items' labels, least confident first."""
    with ctx.read() as (session, actor):
        return json_response(
            quality.project_aggregation(
                session,
                actor=actor,
                project_id=project_id,
                method=method,
                items=items,
                offset=offset,
            )
        )


@router.get("/projects/{project_id}/confusion", response_model=quality.ConfusionReport)
def confusion(
    project_id: int, ctx: AuthCtx, method: str = "ds", pairs: int = 10, items: int = 20
) -> Response:
    """The label pairs most confused (expected confusions under the model, and raw
    disagreements) and the items with the most disagreement, with the guideline examples."""
    with ctx.read() as (session, actor):
        return json_response(
            quality.confusion_report(
                session, actor=actor, project_id=project_id, method=method, pairs=pairs, items=items
            )
        )


@router.get("/projects/{project_id}/guideline-examples", response_model=list[guidelines.ExampleOut])
def list_examples(project_id: int, ctx: AuthCtx) -> Response:
    """The project's guideline examples: items with their right answer and why."""
    with ctx.read() as (session, actor):
        return json_list(guidelines.list_examples(session, actor=actor, project_id=project_id))


@router.post(
    "/projects/{project_id}/guideline-examples",
    response_model=guidelines.ExampleOut,
    status_code=201,
)
def add_example(project_id: int, body: guidelines.NewExample, ctx: AuthCtx) -> Response:
    """Keep an item as a guideline example of the given labels, with an explanation."""
    with ctx.write() as (session, actor):
        example = guidelines.add_example(session, actor=actor, project_id=project_id, data=body)
    return json_response(example, status_code=201)
