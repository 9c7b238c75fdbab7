"""Use cases of projects: creating them, changing their settings and lifecycle, staffing."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from labelops import audit, distribution, guidelines
from labelops.auth import Action, Actor, Role
from labelops.errors import Conflict, InvalidInput
from labelops.projects.access import ProjectView, get_visible_project, get_visible_view
from labelops.projects.models import Project, ProjectMember, ProjectVendor
from labelops.projects.schemas import TRANSITIONS, NewProject, ProjectStatus, ProjectUpdate
from labelops.projects.taxonomy import LabelSchema, cached_schema, schema_from_stored
from labelops.workforce import User, Vendor


def get_project(session: Session, *, actor: Actor, project_id: int) -> Project:
    """A project the actor may see; NotFound otherwise."""
    return get_visible_project(session, actor, project_id)


def get_labeling_project(session: Session, *, actor: Actor, project_id: int) -> ProjectView:
    """A project the labeler may work on now: visible to them and running."""
    actor.require(Action.LABEL)
    project = get_visible_view(session, actor, project_id)
    if project.status != ProjectStatus.RUNNING:
        raise Conflict(
            f"project {project.name!r} is {project.status}, not running",
            code="project_not_running",
        )
    return project


def label_schema(project: Project) -> LabelSchema:
    return schema_from_stored(project.label_schema, project.schema_digest)


def label_schema_of(session: Session, view: ProjectView) -> LabelSchema:
    """The project's label schema; parsed once per process for each schema."""
    return cached_schema(view.schema_digest) or schema_from_stored(
        session.connection().execute(_SCHEMA, {"project_id": view.id}).scalar_one(),
        view.schema_digest,
    )


_SCHEMA = select(Project.label_schema).where(Project.id == bindparam("project_id"))


def create_project(session: Session, *, actor: Actor, data: NewProject) -> Project:
    """Create a project with its label schema, overlap, staffing and first guidelines."""
    actor.require(Action.CREATE_PROJECT)
    _check_overlap_range(data.overlap, data.max_overlap)
    open_to_all = data.open_to_all_labelers
    if open_to_all is None:
        open_to_all = not data.vendors and not data.labelers
    project = Project(
        name=data.name.strip(),
        description=data.description,
        status=data.status.value,
        languages=sorted(set(data.languages)),
        label_schema=data.label_schema.model_dump(mode="json", exclude_defaults=True),
        schema_digest=data.label_schema.digest(),
        overlap=data.overlap,
        lease_seconds=data.lease_seconds,
        max_text_chars=data.max_text_chars,
        gold_rate=data.gold_rate,
        gold_threshold=data.gold_threshold,
        gold_min_answers=data.gold_min_answers,
        max_overlap=data.max_overlap,
        target_confidence=data.target_confidence,
        quality_target=data.quality_target,
        qualification_items=data.qualification_items,
        qualification_pass_mark=data.qualification_pass_mark,
        qualification_tries=data.qualification_tries,
        open_to_all_labelers=open_to_all,
        demander_id=_demander_id(session, data.demander),
        deadline=data.deadline,
        created_by_id=actor.user_id,
    )
    session.add(project)
    session.flush()
    _staff(session, project, vendors=data.vendors, labelers=data.labelers)
    if data.guidelines.strip():
        guidelines.add_version(session, actor=actor, project_id=project.id, body=data.guidelines)
    audit.record(
        session,
        actor,
        "project.created",
        ("project", project.id),
        project_id=project.id,
        name=project.name,
        overlap=project.overlap,
        languages=project.languages,
    )
    return project


def update_project(
    session: Session, *, actor: Actor, project_id: int, data: ProjectUpdate
) -> Project:
    """Change a project's settings, status or staffing; the lifecycle forbids some moves."""
    actor.require(Action.MANAGE_PROJECT)
    project = get_visible_project(session, actor, project_id)
    changes = data.model_dump(exclude_unset=True, mode="json")
    if data.status is not None and data.status != project.status:
        if data.status not in TRANSITIONS[ProjectStatus(project.status)]:
            raise Conflict(
                f"a {project.status} project cannot become {data.status}",
                code="invalid_transition",
            )
        project.status = data.status.value
    if data.overlap is not None and data.overlap != project.overlap:
        distribution.retarget(session, project_id=project.id, overlap=data.overlap)
        project.overlap = data.overlap
    for field in (
        "name",
        "description",
        "lease_seconds",
        "open_to_all_labelers",
        "gold_rate",
        "gold_min_answers",
        "target_confidence",
        "qualification_items",
        "qualification_pass_mark",
        "qualification_tries",
    ):
        if (value := getattr(data, field)) is not None:
            setattr(project, field, value)
    for field in (
        "gold_threshold",
        "max_overlap",
        "quality_target",
        "deadline",
    ):  # null clears these
        if field in data.model_fields_set:
            setattr(project, field, getattr(data, field))
    _check_overlap_range(project.overlap, project.max_overlap)
    if data.vendors is not None or data.labelers is not None:
        _staff(session, project, vendors=data.vendors, labelers=data.labelers, replace=True)
    session.flush()
    audit.record(
        session,
        actor,
        "project.updated",
        ("project", project.id),
        project_id=project.id,
        changes=changes,
    )
    return project


def _demander_id(session: Session, username: str | None) -> int | None:
    if username is None:
        return None
    user = _users(session, [username], field="demander")[0]
    if user.role != Role.DEMANDER:
        raise InvalidInput(f"{username!r} is not a demander", field="demander")
    return user.id


def _users(session: Session, usernames: Sequence[str], *, field: str) -> list[User]:
    found = {
        u.username: u for u in session.scalars(select(User).where(User.username.in_(usernames)))
    }
    for name in usernames:
        if name not in found:
            raise InvalidInput(f"no user named {name!r}", code="unknown_user", field=field)
    return [found[name] for name in usernames]


def _staff(
    session: Session,
    project: Project,
    *,
    vendors: Sequence[str] | None,
    labelers: Sequence[str] | None,
    replace: bool = False,
) -> None:
    if vendors is not None:
        rows = {v.name: v for v in session.scalars(select(Vendor).where(Vendor.name.in_(vendors)))}
        for name in vendors:
            if name not in rows:
                raise InvalidInput(
                    f"no vendor named {name!r}", code="unknown_vendor", field="vendors"
                )
        if replace:
            session.execute(delete(ProjectVendor).where(ProjectVendor.project_id == project.id))
        session.add_all(
            ProjectVendor(project_id=project.id, vendor_id=rows[n].id) for n in set(vendors)
        )
    if labelers is not None:
        users = _users(session, labelers, field="labelers")
        wrong = [u.username for u in users if u.role != Role.LABELER]
        if wrong:
            raise InvalidInput(f"{wrong[0]!r} is not a labeler", field="labelers")
        if replace:
            session.execute(delete(ProjectMember).where(ProjectMember.project_id == project.id))
        session.add_all(
            ProjectMember(project_id=project.id, user_id=u.id)
            for u in {u.id: u for u in users}.values()
        )
    session.flush()


def require_manageable(session: Session, *, actor: Actor, project_id: int) -> Project:
    """A project the actor may manage (settings, staffing, imports)."""
    actor.require(Action.MANAGE_PROJECT)
    return get_visible_project(session, actor, project_id)


_SET_GUIDELINE_VERSION = (
    update(Project)
    .where(Project.id == bindparam("project"))
    .values(guideline_version=bindparam("version"))
)


def set_guideline_version(session: Session, *, project_id: int, version: int) -> None:
    """Record the guideline version now in force (called by guidelines as it publishes)."""
    session.connection().execute(
        _SET_GUIDELINE_VERSION, {"project": project_id, "version": version}
    )


def _check_overlap_range(overlap: int, max_overlap: int | None) -> None:
    if max_overlap is not None and max_overlap < overlap:
        raise InvalidInput(
            f"max_overlap ({max_overlap}) cannot be below overlap ({overlap}), the minimum",
            code="invalid_overlap",
            field="max_overlap",
        )
