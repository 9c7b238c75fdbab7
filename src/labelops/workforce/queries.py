"""Reads of the workforce, scoped to what the actor may see."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops.auth import Action, Actor, Role
from labelops.errors import NotFound
from labelops.workforce.models import User, UserLanguage, Vendor
from labelops.workforce.schemas import UserOut, VendorOut


def list_users(session: Session, *, actor: Actor, role: Role | None = None) -> list[UserOut]:
    """Users the actor may see: everyone for staff, their own vendor's people for a vendor lead."""
    actor.require(Action.LIST_USERS)
    query = select(User, Vendor.name).outerjoin(Vendor, Vendor.id == User.vendor_id)
    if not actor.is_staff:
        query = query.where(User.vendor_id == actor.vendor_id)
    if role is not None:
        query = query.where(User.role == role.value)
    rows = session.execute(query.order_by(User.username)).all()
    languages: dict[int, list[str]] = defaultdict(list)
    ids = [user.id for user, _ in rows]
    for user_id, language in session.execute(
        select(UserLanguage.user_id, UserLanguage.language)
        .where(UserLanguage.user_id.in_(ids))
        .order_by(UserLanguage.language)
    ):
        languages[user_id].append(language)
    return [_out(user, vendor, languages[user.id]) for user, vendor in rows]


def get_user(session: Session, *, actor: Actor, user_id: int) -> UserOut:
    """One user, if the actor may see them (themselves always)."""
    if actor.user_id != user_id:
        actor.require(Action.LIST_USERS)
        user = session.get(User, user_id)
        if user is None or not (actor.is_staff or user.vendor_id == actor.vendor_id):
            raise NotFound(f"no user {user_id}", code="user_not_found")
    return describe_user(session, user_id=user_id)


def describe_user(session: Session, *, user_id: int) -> UserOut:
    """A user as the API shows them (no scope check: the caller has done it)."""
    row = session.execute(
        select(User, Vendor.name)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .where(User.id == user_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"no user {user_id}", code="user_not_found")
    langs = session.scalars(
        select(UserLanguage.language)
        .where(UserLanguage.user_id == user_id)
        .order_by(UserLanguage.language)
    )
    return _out(row[0], row[1], list(langs))


def list_vendors(session: Session, *, actor: Actor) -> list[VendorOut]:
    """Vendors: all for staff, only their own for anyone else."""
    query = select(Vendor).order_by(Vendor.name)
    if not actor.is_staff:
        query = query.where(Vendor.id == actor.vendor_id)
    return [VendorOut(id=v.id, name=v.name) for v in session.scalars(query)]


def _out(user: User, vendor: str | None, languages: list[str]) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        vendor=vendor,
        languages=languages,
        is_active=user.is_active,
        created_at=user.created_at,
    )
