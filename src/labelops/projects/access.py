"""Who sees which project.

- admin, pm, reviewer: every project.
- demander: projects made for them.
- vendor_lead: projects their vendor is staffed on, and projects open to all labelers.
- labeler: projects their vendor is staffed on, projects that name them, and projects open to
  all labelers when they read one of its languages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from labelops.auth import Actor, Role
from labelops.db import FastStatement
from labelops.errors import NotFound
from labelops.projects.models import Project, ProjectMember, ProjectVendor

_ProjectId = QueryableAttribute[int] | int


class Visible(Protocol):
    """What the access rules read of a project (a Project row or a ProjectView)."""

    @property
    def id(self) -> int: ...
    @property
    def demander_id(self) -> int | None: ...
    @property
    def open_to_all_labelers(self) -> bool: ...
    @property
    def languages(self) -> Collection[str]: ...


@dataclass(frozen=True, slots=True)
class ProjectView:
    """The few facts of a project that the labeling loop needs, read without the ORM."""

    id: int
    name: str
    status: str
    languages: frozenset[str]
    overlap: int
    lease_seconds: int
    open_to_all_labelers: bool
    demander_id: int | None
    schema_digest: str
    guideline_version: int | None
    gold_rate: float
    gold_threshold: float | None
    gold_min_answers: int
    max_overlap: int | None
    target_confidence: float
    qualification_items: int


# Labeled, so that other contexts can join these columns onto their own rows.
VIEW_COLUMNS = (
    Project.id.label("view_project_id"),
    Project.name.label("view_name"),
    Project.status.label("view_status"),
    Project.languages.label("view_languages"),
    Project.overlap.label("view_overlap"),
    Project.lease_seconds.label("view_lease_seconds"),
    Project.open_to_all_labelers.label("view_open_to_all"),
    Project.demander_id.label("view_demander_id"),
    Project.schema_digest.label("view_schema_digest"),
    Project.guideline_version.label("view_guideline_version"),
    Project.gold_rate.label("view_gold_rate"),
    Project.gold_threshold.label("view_gold_threshold"),
    Project.gold_min_answers.label("view_gold_min_answers"),
    Project.max_overlap.label("view_max_overlap"),
    Project.target_confidence.label("view_target_confidence"),
    Project.qualification_items.label("view_qualification_items"),
)
_VIEW = FastStatement(select(*VIEW_COLUMNS).where(Project.id == bindparam("project_id")))

# One round trip: is the project staffed with this vendor, or does it name this user? A NULL
# vendor compares false, so a labeler without a vendor is matched by name only.
_STAFFED_OR_NAMED = FastStatement(
    select(
        or_(
            exists().where(
                ProjectVendor.project_id == bindparam("project_id"),
                ProjectVendor.vendor_id == bindparam("vendor_id"),
            ),
            exists().where(
                ProjectMember.project_id == bindparam("project_id"),
                ProjectMember.user_id == bindparam("user_id"),
            ),
        )
    )
)


def view_from_row(row: Any) -> ProjectView:
    """A ProjectView from a row that holds VIEW_COLUMNS."""
    return ProjectView(
        id=row.view_project_id,
        name=row.view_name,
        status=row.view_status,
        languages=frozenset(row.view_languages),
        overlap=row.view_overlap,
        lease_seconds=row.view_lease_seconds,
        open_to_all_labelers=row.view_open_to_all,
        demander_id=row.view_demander_id,
        schema_digest=row.view_schema_digest,
        guideline_version=row.view_guideline_version,
        gold_rate=row.view_gold_rate,
        gold_threshold=row.view_gold_threshold,
        gold_min_answers=row.view_gold_min_answers,
        max_overlap=row.view_max_overlap,
        target_confidence=row.view_target_confidence,
        qualification_items=row.view_qualification_items,
    )


def find_view(session: Session, project_id: int) -> ProjectView | None:
    row = _VIEW.run(session.connection(), {"project_id": project_id}).one_or_none()
    return None if row is None else view_from_row(row)


def get_visible_view(session: Session, actor: Actor, project_id: int) -> ProjectView:
    """The project's view if the actor may see it; NotFound otherwise."""
    return require_visible(session, actor, find_view(session, project_id), project_id)


def require_visible(
    session: Session, actor: Actor, view: ProjectView | None, project_id: int
) -> ProjectView:
    """The view, if there is one and the actor may see it; NotFound otherwise."""
    if view is None or not can_see(session, actor, view):
        raise NotFound(f"no project {project_id}", code="project_not_found")
    return view


def visible_projects(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Project: the projects the actor may see (for a labeler, a superset
    that `can_see` narrows by language)."""
    if actor.role in (Role.ADMIN, Role.PM, Role.REVIEWER):
        return true()
    if actor.role is Role.DEMANDER:
        return Project.demander_id == actor.user_id
    if actor.role is Role.VENDOR_LEAD:
        return or_(Project.open_to_all_labelers, _staffed(actor, Project.id))
    return or_(Project.open_to_all_labelers, _staffed_or_named(actor, Project.id))


def can_see(session: Session, actor: Actor, project: Visible) -> bool:
    if actor.role in (Role.ADMIN, Role.PM, Role.REVIEWER):
        return True
    if actor.role is Role.DEMANDER:
        return project.demander_id == actor.user_id
    if actor.role is Role.VENDOR_LEAD:
        return project.open_to_all_labelers or bool(
            session.scalar(select(_staffed(actor, project.id)))
        )
    if project.open_to_all_labelers and not actor.languages.isdisjoint(project.languages):
        return True
    staffed_or_named = _STAFFED_OR_NAMED.run(
        session.connection(),
        {"project_id": project.id, "vendor_id": actor.vendor_id, "user_id": actor.user_id},
    )
    return bool(staffed_or_named.scalar())


def get_visible_project(session: Session, actor: Actor, project_id: int) -> Project:
    """The project if the actor may see it; NotFound otherwise (existence is not leaked)."""
    project = session.get(Project, project_id)
    if project is None or not can_see(session, actor, project):
        raise NotFound(f"no project {project_id}", code="project_not_found")
    return project


def _staffed(actor: Actor, project_id: _ProjectId) -> ColumnElement[bool]:
    if actor.vendor_id is None:
        return false()
    return exists().where(
        ProjectVendor.project_id == project_id, ProjectVendor.vendor_id == actor.vendor_id
    )


def _staffed_or_named(actor: Actor, project_id: _ProjectId) -> ColumnElement[bool]:
    named = exists().where(
        ProjectMember.project_id == project_id, ProjectMember.user_id == actor.user_id
    )
    return or_(_staffed(actor, project_id), named)
