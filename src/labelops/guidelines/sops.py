"""Standard operating procedures: versioned texts (escalating urgent content, breaks, the QA
process) shown to the roles they name and acknowledged like guidelines. A labeler's unread
SOPs hold their queue with the guidelines (see `acks.acknowledged`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import audit
from labelops.auth import Action, Actor, Role
from labelops.errors import Conflict, InvalidInput, NotFound
from labelops.guidelines.diff import DiffLine, text_diff
from labelops.guidelines.models import Sop, SopAck, SopVersion
from labelops.guidelines.render import render_markdown
from labelops.workforce import User

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


class NewSop(BaseModel):
    slug: str = Field(pattern=SLUG, description="stable name in URLs, e.g. urgent-escalation")
    title: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(min_length=1, description="who must read it")
    body: str = Field(min_length=1, max_length=200_000, description="Markdown")


class NewSopVersion(BaseModel):
    body: str = Field(min_length=1, max_length=200_000, description="Markdown")
    changelog: str = Field(default="", max_length=20_000)


class SopSummary(BaseModel):
    slug: str
    title: str
    roles: list[str]
    version: int
    changelog: str
    updated_at: datetime
    acknowledged_version: int | None
    acknowledged: bool


class SopVersionOut(BaseModel):
    version: int
    body: str
    html: str
    changelog: str
    created_by: str | None
    created_at: datetime


class SopOut(SopSummary):
    versions: list[SopVersionOut]


class SopDiff(BaseModel):
    slug: str
    from_version: int
    to_version: int
    unified: str
    lines: list[DiffLine]


def create_sop(session: Session, *, actor: Actor, data: NewSop) -> SopOut:
    """Create an SOP with its first version; slugs are unique."""
    actor.require(Action.MANAGE_SOPS)
    if session.scalars(select(Sop.id).where(Sop.slug == data.slug)).first() is not None:
        raise Conflict(f"an SOP named {data.slug!r} already exists", code="sop_exists")
    sop = Sop(slug=data.slug, title=data.title.strip(), roles=sorted({r.value for r in data.roles}))
    try:
        with session.begin_nested():  # two PMs creating the same slug at once
            session.add(sop)
            session.flush()
    except IntegrityError:
        raise Conflict(f"an SOP named {data.slug!r} already exists", code="sop_exists") from None
    session.add(SopVersion(sop_id=sop.id, version=1, body=data.body, created_by_id=actor.user_id))
    session.flush()
    audit.record(session, actor, "sop.created", ("sop", sop.id), slug=sop.slug, roles=sop.roles)
    return get_sop(session, actor=actor, slug=sop.slug)


def publish_sop_version(
    session: Session, *, actor: Actor, slug: str, data: NewSopVersion
) -> SopOut:
    """Publish the next version of an SOP; everyone it names acknowledges it again."""
    actor.require(Action.MANAGE_SOPS)
    sop = _sop(session, slug)
    version = _latest(session, sop.id) + 1
    row = SopVersion(
        sop_id=sop.id,
        version=version,
        body=data.body,
        changelog=data.changelog.strip(),
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():  # two PMs publishing at once: one wins, one retries
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(
            "someone published a version of this SOP at the same moment; reload and retry",
            code="sop_version_conflict",
        ) from None
    audit.record(session, actor, "sop.published", ("sop", sop.id), slug=slug, version=version)
    return get_sop(session, actor=actor, slug=slug)


def list_sops(session: Session, *, actor: Actor) -> list[SopSummary]:
    """The SOPs for the actor's role (a PM: all of them), unacknowledged first."""
    sops = session.scalars(select(Sop).order_by(Sop.title)).all()
    summaries = [_summary(session, actor, sop) for sop in sops if _may_read(actor, sop)]
    return sorted(summaries, key=lambda s: (s.acknowledged, s.title.casefold()))


def get_sop(session: Session, *, actor: Actor, slug: str) -> SopOut:
    """An SOP with every version, newest first, if it is for the actor's role."""
    sop = _sop(session, slug)
    if not _may_read(actor, sop):
        raise NotFound(f"no SOP {slug!r}", code="sop_not_found")
    rows = session.execute(
        select(SopVersion, User.username)
        .outerjoin(User, User.id == SopVersion.created_by_id)
        .where(SopVersion.sop_id == sop.id)
        .order_by(SopVersion.version.desc())
    ).all()
    versions = [
        SopVersionOut(
            version=row.version,
            body=row.body,
            html=render_markdown(row.body),
            changelog=row.changelog,
            created_by=username,
            created_at=row.created_at,
        )
        for row, username in rows
    ]
    return SopOut(**_summary(session, actor, sop).model_dump(), versions=versions)


def acknowledge_sop(session: Session, *, actor: Actor, slug: str, version: int) -> SopSummary:
    """Record that the actor read a version of an SOP for their role; only the current one
    counts, and acknowledging twice is harmless."""
    sop = _sop(session, slug)
    if not _may_read(actor, sop):
        raise NotFound(f"no SOP {slug!r}", code="sop_not_found")
    if not 1 <= version <= _latest(session, sop.id):
        raise InvalidInput(
            f"version: SOP {slug!r} has no version {version}",
            code="unknown_version",
            field="version",
        )
    assert actor.user_id is not None
    if _acked(session, sop.id, actor.user_id, version):
        return _summary(session, actor, sop)
    ack = SopAck(sop_id=sop.id, user_id=actor.user_id, version=version)
    try:
        with session.begin_nested():  # the same person in two tabs
            session.add(ack)
            session.flush()
    except IntegrityError:
        return _summary(session, actor, sop)
    audit.record(session, actor, "sop.acknowledged", ("sop", sop.id), slug=slug, version=version)
    return _summary(session, actor, sop)


def diff_sop(
    session: Session, *, actor: Actor, slug: str, from_version: int, to_version: int
) -> SopDiff:
    """What changed between two versions of an SOP."""
    sop_out = get_sop(session, actor=actor, slug=slug)
    bodies = {v.version: v.body for v in sop_out.versions}
    for name, number in (("from", from_version), ("to", to_version)):
        if number not in bodies and not (name == "from" and number == 0):
            raise NotFound(
                f"{name}: SOP {slug!r} has no version {number}", code="sop_version_not_found"
            )
    unified, lines = text_diff(
        bodies.get(from_version, ""),
        bodies[to_version],
        before_name=f"version {from_version}",
        after_name=f"version {to_version}",
    )
    return SopDiff(
        slug=slug, from_version=from_version, to_version=to_version, unified=unified, lines=lines
    )


def unacknowledged_sops(session: Session, *, actor: Actor) -> list[SopOut]:
    """The SOPs for the actor's role whose current version they have not acknowledged."""
    sops = session.scalars(select(Sop).order_by(Sop.title)).all()
    return [
        get_sop(session, actor=actor, slug=sop.slug)
        for sop in sops
        if actor.role.value in sop.roles and not _summary(session, actor, sop).acknowledged
    ]


def _may_read(actor: Actor, sop: Sop) -> bool:
    return actor.role.value in sop.roles or actor.can(Action.MANAGE_SOPS)


def _sop(session: Session, slug: str) -> Sop:
    sop = session.scalars(select(Sop).where(Sop.slug == slug)).first()
    if sop is None:
        raise NotFound(f"no SOP {slug!r}", code="sop_not_found")
    return sop


def _latest(session: Session, sop_id: int) -> int:
    latest: int | None = session.scalar(
        select(func.max(SopVersion.version)).where(SopVersion.sop_id == sop_id)
    )
    return latest or 0


def _acked(session: Session, sop_id: int, user_id: int, version: int) -> bool:
    return (
        session.scalars(
            select(SopAck.id).where(
                SopAck.sop_id == sop_id, SopAck.user_id == user_id, SopAck.version == version
            )
        ).first()
        is not None
    )


def _summary(session: Session, actor: Actor, sop: Sop) -> SopSummary:
    latest = session.scalars(
        select(SopVersion).where(SopVersion.sop_id == sop.id).order_by(SopVersion.version.desc())
    ).first()
    assert latest is not None, "an SOP is created with its first version"
    acked: int | None = (
        session.scalar(
            select(func.max(SopAck.version)).where(
                SopAck.sop_id == sop.id, SopAck.user_id == actor.user_id
            )
        )
        if actor.user_id is not None
        else None
    )
    return SopSummary(
        slug=sop.slug,
        title=sop.title,
        roles=list(sop.roles),
        version=latest.version,
        changelog=latest.changelog,
        updated_at=latest.created_at,
        acknowledged_version=acked,
        acknowledged=acked == latest.version,
    )
