"""Acknowledgements: a labeler reads the project's current guidelines (and the SOPs for
labelers) before their next item. The queue holds them until they have (`acknowledged`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import String, and_, bindparam, cast, exists, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import audit, distribution, projects
from labelops.auth import Action, Actor, Role
from labelops.db import FastStatement
from labelops.errors import InvalidInput
from labelops.guidelines.diff import GuidelineDiff, diff_of
from labelops.guidelines.models import GuidelineAck, Sop, SopAck, SopVersion
from labelops.guidelines.service import current_guidelines, current_version_number, find_version
from labelops.guidelines.sops import SopOut, unacknowledged_sops
from labelops.workforce import User, Vendor

BLOCK_CODE = "guidelines_unacknowledged"

_SOP_CURRENT = (
    select(func.max(SopVersion.version)).where(SopVersion.sop_id == Sop.id).scalar_subquery()
)
# Roles are a short JSON list of fixed role names: matching the quoted name in its text form
# works alike on SQLite's JSON text and PostgreSQL's JSONB, and the table has a handful of rows.
_FOR_LABELERS = cast(Sop.roles, String).like(f'%"{Role.LABELER.value}"%')

# The gate's one round trip: has the labeler acknowledged the current version, and how many
# SOPs for labelers have a current version they have not. Both lookups hit unique indexes.
_GATE = FastStatement(
    select(
        exists()
        .where(
            GuidelineAck.project_id == bindparam("project_id"),
            GuidelineAck.user_id == bindparam("user_id"),
            GuidelineAck.version == bindparam("version"),
        )
        .label("acked"),
        select(func.count(Sop.id))
        .where(
            _FOR_LABELERS,
            ~exists().where(
                SopAck.sop_id == Sop.id,
                SopAck.user_id == bindparam("user_id"),
                SopAck.version == _SOP_CURRENT,
            ),
        )
        .scalar_subquery()
        .label("unread_sops"),
    )
)


def acknowledged(
    session: Session, ctx: distribution.LeaseContext, eligibility: distribution.Eligibility
) -> distribution.Eligibility:
    """On a project with guidelines, a labeler gets items only once they acknowledged its
    current version and the current SOPs for labelers."""
    version = ctx.project.guideline_version
    if version is None:
        return eligibility
    row = _GATE.run(
        session.connection(),
        {"project_id": ctx.project.id, "user_id": ctx.actor.user_id, "version": version},
    ).one()
    if row.acked and not row.unread_sops:
        return eligibility
    what = []
    if not row.acked:
        what.append(f"version {version} of this project's guidelines")
    if row.unread_sops:
        what.append(f"{row.unread_sops} operating procedure{'s' if row.unread_sops > 1 else ''}")
    return eligibility.block(
        BLOCK_CODE,
        f"please read {' and '.join(what)} and confirm you have read them before your next "
        f"item: {acknowledge_path(ctx.project.id)}",
    )


def acknowledge_path(project_id: int) -> str:
    return f"/label/{project_id}"


class Acknowledgement(BaseModel):
    project_id: int
    version: int
    current_version: int
    acknowledged_at: datetime
    released: bool  # the current version is acknowledged (SOPs aside)


def acknowledge(
    session: Session, *, actor: Actor, project_id: int, version: int
) -> Acknowledgement:
    """Record that the actor read a version of the project's guidelines. Only the current
    version releases the queue; acknowledging again is harmless."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    if find_version(session, project.id, version) is None:
        raise InvalidInput(
            f"version: the project has no guideline version {version}",
            code="unknown_version",
            field="version",
        )
    assert actor.user_id is not None
    ack = _find(session, project.id, actor.user_id, version)
    if ack is None:
        ack = GuidelineAck(project_id=project.id, user_id=actor.user_id, version=version)
        try:
            with session.begin_nested():  # the same labeler in two tabs
                session.add(ack)
                session.flush()
        except IntegrityError:
            ack = _find(session, project.id, actor.user_id, version)
            assert ack is not None
        else:
            audit.record(
                session,
                actor,
                "guidelines.acknowledged",
                ("guideline_ack", ack.id),
                project_id=project.id,
                version=version,
            )
    current = current_version_number(session, project.id) or version
    return Acknowledgement(
        project_id=project.id,
        version=version,
        current_version=current,
        acknowledged_at=ack.acknowledged_at,
        released=version == current,
    )


def _find(session: Session, project_id: int, user_id: int, version: int) -> GuidelineAck | None:
    return session.scalars(
        select(GuidelineAck).where(
            GuidelineAck.project_id == project_id,
            GuidelineAck.user_id == user_id,
            GuidelineAck.version == version,
        )
    ).first()


def last_acknowledged_version(session: Session, project_id: int, user_id: int) -> int | None:
    version: int | None = session.scalar(
        select(func.max(GuidelineAck.version)).where(
            GuidelineAck.project_id == project_id, GuidelineAck.user_id == user_id
        )
    )
    return version


class Pending(BaseModel):
    """What holds a labeler: the version to read, what changed since the one they last read,
    and the SOPs to read."""

    project_id: int
    version: int | None
    changelog: str
    last_acknowledged: int | None
    diff: GuidelineDiff | None
    sops: list[SopOut]

    @property
    def is_held(self) -> bool:
        return self.version is not None or bool(self.sops)


def pending_for(session: Session, *, actor: Actor, project_id: int) -> Pending:
    """What the labeler must acknowledge on this project before their next item (nothing on a
    project without guidelines)."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    current = current_guidelines(session, project.id)
    empty = Pending(
        project_id=project.id,
        version=None,
        changelog="",
        last_acknowledged=None,
        diff=None,
        sops=[],
    )
    if current is None or actor.role is not Role.LABELER or actor.user_id is None:
        return empty
    last = last_acknowledged_version(session, project.id, actor.user_id)
    sops = unacknowledged_sops(session, actor=actor)
    if last == current.version:
        return empty.model_copy(update={"sops": sops})
    before = find_version(session, project.id, last) if last else None
    return Pending(
        project_id=project.id,
        version=current.version,
        changelog=current.changelog,
        last_acknowledged=last,
        diff=diff_of(project, before, current) if before is not None else None,
        sops=sops,
    )


class LabelerAck(BaseModel):
    labeler_id: int
    username: str
    vendor: str | None
    acknowledged_version: int | None
    acknowledged_at: datetime | None
    current: bool


class AckStatus(BaseModel):
    project_id: int
    version: int | None
    acknowledged: list[LabelerAck]
    waiting: list[LabelerAck]


def acknowledgement_status(session: Session, *, actor: Actor, project_id: int) -> AckStatus:
    """Who of the project's labelers acknowledged its current guidelines, and who not yet (a
    vendor lead sees their own vendor's labelers only)."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    version = current_version_number(session, project.id)
    staffed = or_(
        true()
        if project.open_to_all_labelers
        else User.vendor_id.in_(
            select(projects.ProjectVendor.vendor_id).where(
                projects.ProjectVendor.project_id == project.id
            )
        ),
        User.id.in_(
            select(projects.ProjectMember.user_id).where(
                projects.ProjectMember.project_id == project.id
            )
        ),
    )
    latest = (
        select(GuidelineAck.user_id, func.max(GuidelineAck.version).label("version"))
        .where(GuidelineAck.project_id == project.id)
        .group_by(GuidelineAck.user_id)
        .subquery()
    )
    query = (
        select(User.id, User.username, Vendor.name, latest.c.version, GuidelineAck.acknowledged_at)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(
            GuidelineAck,
            and_(
                GuidelineAck.project_id == project.id,
                GuidelineAck.user_id == User.id,
                GuidelineAck.version == latest.c.version,
            ),
        )
        .where(User.role == Role.LABELER.value, User.is_active.is_(True), staffed)
        .order_by(Vendor.name, User.username)
    )
    if actor.role is Role.VENDOR_LEAD:
        query = query.where(User.vendor_id == actor.vendor_id)
    rows = [
        LabelerAck(
            labeler_id=row[0],
            username=row[1],
            vendor=row[2],
            acknowledged_version=row[3],
            acknowledged_at=row[4],
            current=version is not None and row[3] == version,
        )
        for row in session.execute(query)
    ]
    return AckStatus(
        project_id=project.id,
        version=version,
        acknowledged=[r for r in rows if r.current],
        waiting=[r for r in rows if not r.current],
    )


def acknowledge_for_everyone(session: Session, *, actor: Actor, project_id: int) -> int:
    """Acknowledge the current version for every active labeler (demo seeding and tests whose
    subject is not the gate); returns how many acknowledgements were added."""
    current = current_guidelines(session, project_id)
    if current is None:
        return 0
    added = 0
    for (user_id,) in session.execute(
        select(User.id).where(User.role == Role.LABELER.value, User.is_active.is_(True))
    ):
        if _find(session, project_id, user_id, current.version) is None:
            session.add(
                GuidelineAck(project_id=project_id, user_id=user_id, version=current.version)
            )
            added += 1
    session.flush()
    audit.record(
        session,
        actor,
        "guidelines.acknowledged_for_all",
        ("guideline_version", current.id),
        project_id=project_id,
        version=current.version,
        added=added,
    )
    return added
