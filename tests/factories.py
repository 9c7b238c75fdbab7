"""Plain, typed builders for test data, going through the real use cases."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, distribution, guidelines, projects, workforce
from labelops.auth import SYSTEM, Actor, Role

PASSWORD = "correct horse battery"


def make_user(
    session: Session,
    username: str,
    role: Role = Role.LABELER,
    *,
    vendor: str | None = None,
    languages: Sequence[str] = ("en",),
) -> Actor:
    user = workforce.create_user(
        session,
        actor=SYSTEM,
        data=workforce.NewUser(
            username=username,
            password=PASSWORD,
            role=role,
            vendor=vendor,
            languages=list(languages) if role is Role.LABELER else [],
        ),
    )
    return Actor(
        user.id,
        user.username,
        role,
        user.vendor_id,
        frozenset(languages) if role is Role.LABELER else frozenset(),
    )


@dataclass(frozen=True, slots=True)
class Personas:
    """Named people, as in the demo: a PM, labelers of two vendors, a vendor lead, a demander."""

    admin: Actor
    pat: Actor  # pm
    dana: Actor  # demander
    vic: Actor  # vendor lead of Acme
    rita: Actor  # reviewer
    alice: Actor  # labeler, Acme, en + es
    amir: Actor  # labeler, Acme, ar + en
    bruno: Actor  # labeler, Babel, en
    sofia: Actor  # labeler, Babel, es


def make_personas(session: Session) -> Personas:
    return Personas(
        admin=make_user(session, "admin", Role.ADMIN),
        pat=make_user(session, "pat", Role.PM),
        dana=make_user(session, "dana", Role.DEMANDER),
        vic=make_user(session, "vic", Role.VENDOR_LEAD, vendor="Acme"),
        rita=make_user(session, "rita", Role.REVIEWER),
        alice=make_user(session, "alice", vendor="Acme", languages=("en", "es")),
        amir=make_user(session, "amir", vendor="Acme", languages=("ar", "en")),
        bruno=make_user(session, "bruno", vendor="Babel", languages=("en",)),
        sofia=make_user(session, "sofia", vendor="Babel", languages=("es",)),
    )


SIMPLE_LABELS: dict[str, Any] = {
    "kind": "single",
    "labels": [
        {"key": "ok", "name": "Fine", "description": "No problem", "hotkey": "1"},
        {
            "key": "abuse",
            "name": "Abuse",
            "description": "Abusive content",
            "hotkey": "2",
            "children": [
                {"key": "abuse.insult", "name": "Insult", "description": "Insult", "hotkey": "1"},
                {"key": "abuse.threat", "name": "Threat", "description": "Threat", "hotkey": "2"},
            ],
        },
    ],
}


def make_project(
    session: Session,
    actor: Actor,
    *,
    overlap: int = 1,
    languages: Sequence[str] = ("en",),
    label_schema: dict[str, Any] | None = None,
    **fields: Any,
) -> projects.Project:
    data = projects.NewProject(
        name=fields.pop("name", "Test project"),
        languages=list(languages),
        label_schema=projects.LabelSchema.model_validate(label_schema or SIMPLE_LABELS),
        overlap=overlap,
        **fields,
    )
    project = projects.create_project(session, actor=actor, data=data)
    acknowledge_guidelines(session, project)
    return project


def acknowledge_guidelines(session: Session, project: projects.Project) -> None:
    """Every labeler has read the current guidelines: tests whose subject is not the
    acknowledgement gate find their labelers past it (set up directly: no audit rows)."""
    version = guidelines.current_version_number(session, project.id)
    if version is None:
        return
    acked = set(
        session.scalars(
            select(guidelines.GuidelineAck.user_id).where(
                guidelines.GuidelineAck.project_id == project.id,
                guidelines.GuidelineAck.version == version,
            )
        )
    )
    labelers = session.scalars(
        select(workforce.User.id).where(workforce.User.role == Role.LABELER.value)
    )
    session.add_all(
        guidelines.GuidelineAck(project_id=project.id, user_id=user_id, version=version)
        for user_id in labelers
        if user_id not in acked
    )
    session.flush()


def publish_acknowledged(
    session: Session, actor: Actor, project: projects.Project, body: str
) -> guidelines.GuidelineVersion:
    """Publish a new guideline version that every labeler has already acknowledged."""
    row = guidelines.publish_guidelines(session, actor=actor, project_id=project.id, body=body)
    acknowledge_guidelines(session, project)
    return row


def jsonl(rows: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


def make_items(
    session: Session,
    actor: Actor,
    project: projects.Project,
    count: int,
    *,
    language: str = "en",
    prefix: str = "item",
) -> projects.ImportResult:
    rows = [
        {"external_id": f"{prefix}-{i}", "text": f"text number {i}", "language": language}
        for i in range(count)
    ]
    return projects.import_items(
        session, actor=actor, project_id=project.id, stream=io.BytesIO(jsonl(rows)), fmt="jsonl"
    )


def label_next(
    session: Session, actor: Actor, project: projects.Project, labels: Sequence[str] = ("ok",)
) -> annotation.AnnotationOut | None:
    """The labeler leases their next item and submits `labels`; None if nothing was left."""
    lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    if lease is None:
        return None
    stored, _ = annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=lease.assignment_id,
        submission=annotation.NewSubmission(labels=list(labels), duration_ms=1200),
    )
    return stored
