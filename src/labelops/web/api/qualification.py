"""Qualification: a labeler's quiz (start or resume, submit), everyone's standing, PM resets."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from labelops import quality
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_response

router = APIRouter(tags=["qualification"])


class QuizAnswers(BaseModel):
    answers: dict[str, list[str]] = Field(
        description='every quiz item\'s labels, by item id: {"<item id>": ["label", ...]}',
        max_length=100,
    )


@router.get("/projects/{project_id}/qualification", response_model=quality.QualificationOverview)
def qualification_overview(project_id: int, ctx: AuthCtx) -> Response:
    """The project's quiz settings; a labeler's own standing, or for a PM, demander or vendor
    lead every labeler's tries (a vendor lead: their vendor's) and any gap in the gold pool."""
    with ctx.read() as (session, actor):
        return json_response(
            quality.qualification_overview(session, actor=actor, project_id=project_id)
        )


@router.post("/projects/{project_id}/qualification/attempts", response_model=quality.Quiz)
def start_attempt(project_id: int, ctx: AuthCtx) -> Response:
    """Start a try at the quiz, or resume the unfinished one: its items and the label schema,
    never the answers."""
    with ctx.write() as (session, actor):
        return json_response(quality.start_attempt(session, actor=actor, project_id=project_id))


@router.post(
    "/projects/{project_id}/qualification/attempts/{attempt_id}",
    response_model=quality.QuizResult,
)
def submit_attempt(project_id: int, attempt_id: int, body: QuizAnswers, ctx: AuthCtx) -> Response:
    """Submit every answer of a try at once: the score, whether it passed, and for each item
    the answer given, the expected one and its explanation. Repeating it is harmless."""
    with ctx.write() as (session, actor):
        result = quality.submit_attempt(
            session,
            actor=actor,
            project_id=project_id,
            attempt_id=attempt_id,
            answers=body.answers,
        )
    return json_response(result)


@router.post(
    "/projects/{project_id}/qualification/labelers/{labeler_id}/reset",
    response_model=quality.LabelerQualification,
)
def reset_qualification(project_id: int, labeler_id: int, ctx: AuthCtx) -> Response:
    """Give a labeler their tries afresh (a PM); their failed tries stay on record."""
    with ctx.write() as (session, actor):
        standing = quality.reset_qualification(
            session, actor=actor, project_id=project_id, labeler_id=labeler_id
        )
    return json_response(standing)
