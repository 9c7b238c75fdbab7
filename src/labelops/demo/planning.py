"""The PM's work before and around labeling, in the demo: demands in each state with their
negotiation, an evaluation, the main project's vendor allocations, and questions from the floor.
Everything goes through the contexts' own use cases, as a user's clicks would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import annotation, guidelines, projects
from labelops.auth import Actor
from labelops.db import utcnow
from labelops.projects import allocations, evaluation
from labelops.projects.demand_schemas import (
    Conversion,
    DemandUpdate,
    NewComment,
    NewDemand,
    Purpose,
    StatusChange,
    Volume,
)

ACME, BABEL = "Acme Labeling", "Babel Moderation"


def seed_planning(session: Session, actors: dict[str, Actor], main_project_id: int) -> None:
    pm, demander = actors["pat"], actors["dana"]
    today = utcnow().date()
    # Under negotiation: a thread, a change to the spec, and the PM's estimate.
    selfharm = projects.submit_demand(
        session,
        actor=demander,
        data=NewDemand(
            title="Self-harm signals — Q1 policy measurement",
            purpose=Purpose.POLICY_MEASUREMENT,
            description="Prevalence of self-harm promotion and instructions in public replies, "
            "to report in the Q1 transparency review.",
            taxonomy_template="ts-default",
            volumes=[
                Volume(language="en", volume=3000),
                Volume(language="es", volume=1500),
                Volume(language="id", volume=1000),
            ],
            deadline=today + timedelta(days=42),
            target_accuracy=0.92,
            target_alpha=0.67,
            budget=9000,
            severity_mix={"S0": 0.7, "S1": 0.15, "S2": 0.1, "S3": 0.05},
        ),
    )
    _talk(
        session,
        selfharm.id,
        [
            (demander, "We need this for the Q1 review; Indonesian matters most to the team."),
            (pm, "Overlap 3 puts English over budget; 2 with dynamic overlap fits. OK?"),
            (demander, "Fine, if the 0.92 accuracy target holds. Let's cut English to 2,500."),
        ],
    )
    projects.change_demand_status(
        session, actor=pm, demand_id=selfharm.id, data=StatusChange(status="evaluating")
    )
    projects.update_demand(
        session,
        actor=demander,
        demand_id=selfharm.id,
        data=DemandUpdate(
            volumes=[
                Volume(language="en", volume=2500),
                Volume(language="es", volume=1500),
                Volume(language="id", volume=1000),
            ]
        ),
    )
    # Agreed and turned into a project (waiting for items).
    evalset = projects.submit_demand(
        session,
        actor=demander,
        data=NewDemand(
            title="Arabic and Hindi hate speech — evaluation set",
            purpose=Purpose.EVALUATION_SET,
            taxonomy_template="ts-default",
            volumes=[Volume(language="ar", volume=500), Volume(language="hi", volume=500)],
            deadline=today + timedelta(days=30),
            target_accuracy=0.95,
        ),
    )
    for status in ("evaluating", "accepted"):
        projects.change_demand_status(
            session, actor=pm, demand_id=evalset.id, data=StatusChange(status=status)
        )
    projects.convert_demand(
        session,
        actor=pm,
        demand_id=evalset.id,
        data=Conversion(overlap=3, vendors=[ACME, BABEL]),
    )
    # Just in.
    projects.submit_demand(
        session,
        actor=demander,
        data=NewDemand(
            title="Election misinformation — Indonesian training data",
            purpose=Purpose.TRAINING_DATA,
            taxonomy_notes="Two labels: misleading about voting procedures, or not.",
            volumes=[Volume(language="id", volume=4000)],
            deadline=today + timedelta(days=60),
            budget=5000,
        ),
    )
    # The main project's items by language, shared between the vendors (Acme's share first).
    acme_share = {"en": 2 / 3, "es": 1 / 2, "ar": 0.0, "hi": 1 / 3, "id": 0.0}
    counts = session.execute(
        select(projects.Item.language, func.count())
        .where(projects.Item.project_id == main_project_id)
        .group_by(projects.Item.language)
    ).all()
    plan = []
    for language, count in counts:
        acme = round(count * acme_share.get(language, 0.5))
        plan += [(ACME, language, acme), (BABEL, language, count - acme)]
    allocations.set_allocations(
        session,
        actor=pm,
        project_id=main_project_id,
        allocations=[
            allocations.AllocationIn(vendor=vendor, language=language, items=items)
            for vendor, language, items in plan
            if items
        ],
    )


def seed_after_labeling(session: Session, actors: dict[str, Actor], project_id: int) -> None:
    """What needs labeled history: the PM's estimate of the demand under negotiation (handling
    times from the main project), and questions from the floor."""
    under_negotiation = session.scalar(
        select(projects.Demand.id).where(projects.Demand.status == "evaluating").limit(1)
    )
    if under_negotiation is not None:
        evaluation.estimate_demand(
            session,
            actor=actors["pat"],
            demand_id=under_negotiation,
            request=evaluation.EstimateRequest(overlap=2, aht_seconds={"id": 24.0}),
        )
    seed_questions(session, actors, project_id)


def seed_questions(session: Session, actors: dict[str, Actor], project_id: int) -> None:
    """Two questions from labelers on items they labeled: one answered, one still open."""
    asked = []
    for name, body in (
        ("alice", "Is sarcasm about someone's accent an insult or just rude?"),
        ("omar", "The reply quotes a slur to condemn it: does the quote count?"),
    ):
        labeler = actors[name]
        item_id = session.scalar(
            select(annotation.Annotation.item_id)
            .where(
                annotation.Annotation.project_id == project_id,
                annotation.Annotation.labeler_id == labeler.user_id,
            )
            .order_by(annotation.Annotation.id)
            .limit(1)
        )
        if item_id is None:
            continue
        asked.append(
            guidelines.ask_question(
                session,
                actor=labeler,
                project_id=project_id,
                data=guidelines.NewQuestion(item_id=item_id, body=body),
            )
        )
    if asked:
        guidelines.answer_question(
            session,
            actor=actors["pat"],
            question_id=asked[0].id,
            data=guidelines.NewAnswer(
                answer="Mocking an accent targets the person: label it as an insult.",
            ),
        )


def _talk(session: Session, demand_id: int, messages: list[tuple[Actor, str]]) -> None:
    for author, body in messages:
        projects.comment_on_demand(
            session, actor=author, demand_id=demand_id, data=NewComment(body=body)
        )
