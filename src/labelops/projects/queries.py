"""Reads of projects, scoped to what the actor may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops.auth import Actor, Role
from labelops.projects.access import can_see, visible_projects
from labelops.projects.models import Project, ProjectMember, ProjectVendor
from labelops.projects.schemas import ProjectOut, ProjectStatus
from labelops.projects.taxonomy import LabelSchema
from labelops.workforce import User, Vendor


def list_projects(session: Session, *, actor: Actor) -> list[Project]:
    """Projects the actor may see, newest first."""
    rows = session.scalars(
        select(Project).where(visible_projects(actor)).order_by(Project.id.desc())
    ).all()
    if actor.role is Role.LABELER:
        return [p for p in rows if can_see(session, actor, p)]
    return list(rows)


def project_out(session: Session, project: Project) -> ProjectOut:
    vendors = session.scalars(
        select(Vendor.name)
        .join(ProjectVendor, ProjectVendor.vendor_id == Vendor.id)
        .where(ProjectVendor.project_id == project.id)
        .order_by(Vendor.name)
    ).all()
    labelers = session.scalars(
        select(User.username)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project.id)
        .order_by(User.username)
    ).all()
    demander = session.get(User, project.demander_id) if project.demander_id else None
    return ProjectOut(
        id=project.id,
        name=project.name,
        description=project.description,
        status=ProjectStatus(project.status),
        languages=project.languages,
        label_schema=LabelSchema.model_validate(project.label_schema),
        overlap=project.overlap,
        lease_seconds=project.lease_seconds,
        max_text_chars=project.max_text_chars,
        gold_rate=project.gold_rate,
        gold_threshold=project.gold_threshold,
        gold_min_answers=project.gold_min_answers,
        max_overlap=project.max_overlap,
        target_confidence=project.target_confidence,
        quality_target=project.quality_target,
        qualification_items=project.qualification_items,
        qualification_pass_mark=project.qualification_pass_mark,
        qualification_tries=project.qualification_tries,
        open_to_all_labelers=project.open_to_all_labelers,
        vendors=list(vendors),
        labelers=list(labelers),
        demander=demander.username if demander else None,
        deadline=project.deadline,
        created_at=project.created_at,
    )
