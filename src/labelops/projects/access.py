"""Who sees which project.

- admin, pm, reviewer: every project.
- demander: projects made for them.
- vendor_lead: projects their vendor is staffed on, and projects open to all labelers.
- labeler: projects their vendor is staffed on, projects that name them, and projects open to
  all labelers when they read one of its languages.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from labelops.auth import Actor, Role
from labelops.errors import NotFound
from labelops.projects.models import Project, ProjectMember, ProjectVendor

_ProjectId = QueryableAttribute[int] | int


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


def can_see(session: Session, actor: Actor, project: Project) -> bool:
    if actor.role in (Role.ADMIN, Role.PM, Role.REVIEWER):
        return True
    if actor.role is Role.DEMANDER:
        return project.demander_id == actor.user_id
    if actor.role is Role.VENDOR_LEAD:
        return project.open_to_all_labelers or bool(
            session.scalar(select(_staffed(actor, project.id)))
        )
    if project.open_to_all_labelers and actor.languages & set(project.languages):
        return True
    return bool(session.scalar(select(_staffed_or_named(actor, project.id))))


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
