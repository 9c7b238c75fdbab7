"""Use cases of guidelines: publishing versions and reading the current one."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from labelops import audit, projects
from labelops.auth import Action, Actor
from labelops.guidelines.models import GuidelineVersion


def current_guidelines(session: Session, project_id: int) -> GuidelineVersion | None:
    """The latest published version, or None when the project has none yet."""
    return session.scalars(
        select(GuidelineVersion)
        .where(GuidelineVersion.project_id == project_id)
        .order_by(GuidelineVersion.version.desc())
        .limit(1)
    ).first()


_CURRENT_VERSION = select(func.max(GuidelineVersion.version)).where(
    GuidelineVersion.project_id == bindparam("project_id")
)


def current_version_number(session: Session, project_id: int) -> int | None:
    version: int | None = (
        session.connection().execute(_CURRENT_VERSION, {"project_id": project_id}).scalar()
    )
    return version


def add_version(session: Session, *, actor: Actor, project_id: int, body: str) -> GuidelineVersion:
    """Append the next version; the caller has checked the actor may manage the project."""
    version = (current_version_number(session, project_id) or 0) + 1
    row = GuidelineVersion(
        project_id=project_id, version=version, body=body, created_by_id=actor.user_id
    )
    session.add(row)
    session.flush()
    projects.set_guideline_version(session, project_id=project_id, version=version)
    audit.record(
        session,
        actor,
        "guidelines.published",
        ("guideline_version", row.id),
        project_id=project_id,
        version=version,
    )
    return row


def publish_guidelines(
    session: Session, *, actor: Actor, project_id: int, body: str
) -> GuidelineVersion:
    """Publish a new version of a project's guidelines."""
    actor.require(Action.MANAGE_PROJECT)
    projects.get_project(session, actor=actor, project_id=project_id)
    return add_version(session, actor=actor, project_id=project_id, body=body)
