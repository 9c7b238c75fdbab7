"""Test data for audits: a project whose items all have their labels, built through the real
use cases."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from labelops import annotation, distribution, projects
from labelops.auth import Actor
from tests.factories import Personas, make_items, make_project


def label_all(
    session: Session,
    labeler: Actor,
    project: projects.Project,
    choose: Callable[[distribution.LeasedItem], list[str]],
) -> int:
    """The labeler labels every item left for them, each with `choose(item)`."""
    done = 0
    while lease := distribution.lease_next_item(session, actor=labeler, project_id=project.id):
        annotation.submit_annotation(
            session,
            actor=labeler,
            assignment_id=lease.assignment_id,
            submission=annotation.NewSubmission(labels=choose(lease.item), duration_ms=900),
        )
        done += 1
    return done


def every_fourth_an_insult(item: distribution.LeasedItem) -> list[str]:
    return ["abuse.insult"] if int(item.external_id.rsplit("-", 1)[1]) % 4 == 0 else ["ok"]


def labeled_lot(
    session: Session,
    personas: Personas,
    *,
    english: int = 40,
    spanish: int = 12,
    quality_target: float | None = 0.9,
) -> projects.Project:
    """English and Spanish items each labeled once by alice (every fourth an insult)."""
    project = make_project(
        session,
        personas.pat,
        name="Audited project",
        languages=["en", "es"],
        quality_target=quality_target,
        vendors=["Acme"],
    )
    make_items(session, personas.pat, project, english, language="en", prefix="en")
    if spanish:
        make_items(session, personas.pat, project, spanish, language="es", prefix="es")
    label_all(session, personas.alice, project, every_fourth_an_insult)
    return project
