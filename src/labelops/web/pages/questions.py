"""Questions from the floor: the PM answers them (optionally keeping the item as a guideline
example); a vendor lead reads their labelers'; a labeler reads their own and the answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import BaseModel, ValidationError

from labelops import guidelines, projects
from labelops.auth import Action
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()


class AnswerForm(BaseModel):
    answer: str = ""
    example_labels: list[str] = []
    add_example: str = ""
    csrf_token: str = ""


@router.get("/projects/{project_id}/questions")
def question_list(request: Request, project_id: int, ctx: Ctx) -> Response:
    return _page(request, ctx, project_id)


@router.post("/projects/{project_id}/questions/{question_id}/answer")
def answer(
    request: Request,
    project_id: int,
    question_id: int,
    ctx: Ctx,
    form: Annotated[AnswerForm, Form()],
) -> Response:
    with_example = bool(form.add_example)
    labels = [key for key in form.example_labels if key]
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            if with_example and not labels:
                raise InvalidInput(
                    "pick the example's label", code="no_label", field="example_labels"
                )
            guidelines.answer_question(
                session,
                actor=actor,
                question_id=question_id,
                data=guidelines.NewAnswer(
                    answer=form.answer,
                    example_labels=labels if with_example else None,
                ),
            )
    except (InvalidInput, Conflict) as error:
        return _page(request, ctx, project_id, problem=error.message, failed=question_id)
    except ValidationError:
        return _page(
            request,
            ctx,
            project_id,
            problem="the answer is too long (5,000 characters at most)",
            failed=question_id,
        )
    return redirect(f"/projects/{project_id}/questions?answered={question_id}#answered")


def _page(
    request: Request,
    ctx: Ctx,
    project_id: int,
    *,
    problem: str = "",
    failed: int | None = None,
) -> Response:
    answered_id = request.query_params.get("answered")
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        schema = projects.label_schema(project)
        found = guidelines.list_questions(session, actor=actor, project_id=project.id)
        name = project.name
    groups = [
        (label.name, [(leaf.key, leaf.name) for leaf in label.children or (label,)])
        for label in schema.labels
    ]
    names = {
        key: name if group == name else f"{group} › {name}"
        for group, leaves in groups
        for key, name in leaves
    }
    open_questions = [q for q in found if q.answered_at is None]
    return render(
        request,
        "questions.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if problem else 200,
        project_id=project_id,
        project_name=name,
        open_questions=open_questions,
        answered=[q for q in found if q.answered_at is not None],
        oldest_age=guidelines.age_text(open_questions[0].created_at) if open_questions else None,
        age=guidelines.age_text,
        groups=groups,
        names=names,
        multi=schema.kind == "multi",
        can_answer=actor.can(Action.MANAGE_PROJECT),
        is_asker=actor.can(Action.ASK_QUESTION),
        just_answered=int(answered_id) if answered_id and answered_id.isdigit() else None,
        problem=problem,
        failed=failed,
    )
