"""Use cases of the workforce: vendors, users, and how they prove who they are."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, delete, func, literal_column, select, update
from sqlalchemy.orm import Session

from labelops import audit
from labelops.auth import GRANTABLE_ROLES, Action, Actor, Role
from labelops.db import FastStatement, utcnow
from labelops.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from labelops.workforce.models import ApiToken, User, UserLanguage, Vendor, WebSession
from labelops.workforce.schemas import NewUser

# argon2id with the library's RFC 9106 "low memory" defaults. Tests swap in a cheaper profile.
password_hasher = PasswordHasher()

_BAD_LOGIN = "wrong username or password"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_vendor(session: Session, name: str) -> Vendor | None:
    return session.scalars(select(Vendor).where(Vendor.name == name)).one_or_none()


def create_vendor(session: Session, *, actor: Actor, name: str) -> Vendor:
    """Register a vendor; names are unique."""
    actor.require(Action.MANAGE_VENDORS)
    name = name.strip()
    if not name:
        raise InvalidInput("a vendor needs a name", field="name")
    if find_vendor(session, name) is not None:
        raise Conflict(f"vendor {name!r} already exists", code="vendor_exists")
    vendor = Vendor(name=name)
    session.add(vendor)
    session.flush()
    audit.record(session, actor, "vendor.created", ("vendor", vendor.id), name=name)
    return vendor


def _vendor_for_new_user(session: Session, actor: Actor, data: NewUser) -> int | None:
    if actor.role is Role.VENDOR_LEAD:
        own = session.get(Vendor, actor.vendor_id) if actor.vendor_id else None
        if own is None or (data.vendor is not None and data.vendor != own.name):
            raise PermissionDenied("a vendor lead creates users of their own vendor only")
        return own.id
    if data.vendor is None:
        if data.role is Role.VENDOR_LEAD:
            raise InvalidInput("a vendor_lead needs a vendor", field="vendor")
        return None
    vendor = find_vendor(session, data.vendor)
    if vendor is None:  # admins and PMs name new vendors as they staff them
        vendor = create_vendor(session, actor=actor, name=data.vendor)
    return vendor.id


def create_user(session: Session, *, actor: Actor, data: NewUser) -> User:
    """Create a user; who may grant which role is fixed by GRANTABLE_ROLES."""
    actor.require(Action.CREATE_USER)
    if data.role not in GRANTABLE_ROLES.get(actor.role, frozenset()):
        raise PermissionDenied(f"a {actor.role.value} may not create a {data.role.value}")
    if data.role is Role.LABELER and not data.languages:
        raise InvalidInput("a labeler needs at least one language", field="languages")
    if session.scalars(select(User.id).where(User.username == data.username)).first():
        raise Conflict(f"username {data.username!r} is taken", code="username_taken")
    user = User(
        username=data.username,
        password_hash=password_hasher.hash(data.password),
        role=data.role.value,
        vendor_id=_vendor_for_new_user(session, actor, data),
    )
    session.add(user)
    session.flush()
    session.add_all(UserLanguage(user_id=user.id, language=lang) for lang in set(data.languages))
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        ("user", user.id),
        role=data.role.value,
        languages=sorted(set(data.languages)),
    )
    return user


@dataclass(frozen=True, slots=True)
class VerifiedLogin:
    """A username and password that matched, checked outside any write transaction (argon2 is
    slow on purpose, and on SQLite a write transaction holds every other writer)."""

    user_id: int
    new_hash: str | None  # the password rehashed with current parameters, when they changed


def verify_login(session: Session, *, username: str, password: str) -> VerifiedLogin:
    """Check a username and password; NotAuthenticated unless they match an active user."""
    user = session.scalars(select(User).where(User.username == username.strip())).one_or_none()
    if user is None or not user.is_active:
        # Hash anyway so that timing does not tell which usernames exist.
        password_hasher.hash(password)
        raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
    try:
        password_hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials") from None
    rehash = password_hasher.check_needs_rehash(user.password_hash)
    return VerifiedLogin(user.id, password_hasher.hash(password) if rehash else None)


def _logged_in_user(session: Session, login: VerifiedLogin) -> User:
    user = session.get(User, login.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated(_BAD_LOGIN, code="bad_credentials")
    if login.new_hash is not None:
        user.password_hash = login.new_hash
    return user


def issue_token(session: Session, *, login: VerifiedLogin) -> tuple[str, User]:
    """A new API token for a verified login; only its digest is kept."""
    user = _logged_in_user(session, login)
    token = "lo_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    session.flush()
    audit.record(session, _as_actor(session, user), "token.issued", ("user", user.id))
    return token, user


def revoke_token(session: Session, *, token: str) -> None:
    """Revoke an API token (logout of a script)."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@dataclass(frozen=True, slots=True)
class WebLogin:
    cookie_token: str
    csrf_token: str


def start_web_session(session: Session, *, login: VerifiedLogin, hours: int) -> WebLogin:
    """Open a browser session for a verified login, lasting `hours`."""
    user = _logged_in_user(session, login)
    web = WebLogin(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=_digest(web.cookie_token),
            csrf_token=web.csrf_token,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    session.flush()
    audit.record(session, _as_actor(session, user), "session.started", ("user", user.id))
    return web


def end_web_session(session: Session, *, cookie_token: str) -> None:
    """Log a browser session out."""
    session.execute(delete(WebSession).where(WebSession.token_hash == _digest(cookie_token)))


_LANGUAGES = select(UserLanguage.language).where(UserLanguage.user_id == bindparam("user_id"))


def _languages(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(session.connection().execute(_LANGUAGES, {"user_id": user_id}).scalars())


def _as_actor(session: Session, user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        vendor_id=user.vendor_id,
        languages=_languages(session, user.id),
    )


# The user and the languages they read, in one round trip: this runs on every request.
_READS = (
    # A literal separator: a bound one would be spliced into the SQL again on every execution.
    select(func.aggregate_strings(UserLanguage.language, literal_column("','")))  # type: ignore[arg-type]  # the stubs say str; SQL literals work
    .where(UserLanguage.user_id == User.id)
    .scalar_subquery()
)
_ACTOR_COLUMNS = (User.id, User.username, User.role, User.vendor_id, _READS.label("languages"))
_BY_TOKEN = FastStatement(
    select(*_ACTOR_COLUMNS)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        User.is_active.is_(True),
    )
)
_BY_WEB_SESSION = (
    select(*_ACTOR_COLUMNS, WebSession.csrf_token)
    .join(WebSession, WebSession.user_id == User.id)
    .where(
        WebSession.token_hash == bindparam("digest"),
        WebSession.expires_at > bindparam("now"),
        User.is_active.is_(True),
    )
)


def _actor(row: Row[Any]) -> Actor:
    languages = frozenset(row.languages.split(",")) if row.languages else frozenset()
    return Actor(row.id, row.username, Role(row.role), row.vendor_id, languages)


def actor_from_token(session: Session, token: str) -> Actor:
    """The actor behind a bearer token; NotAuthenticated if it is unknown or revoked."""
    row = _BY_TOKEN.run(session.connection(), {"digest": _digest(token)}).one_or_none()
    if row is None:
        raise NotAuthenticated("unknown or revoked API token", code="bad_token")
    return _actor(row)


def actor_from_web_session(session: Session, cookie_token: str) -> tuple[Actor, str]:
    """The actor and CSRF token of a live browser session; NotAuthenticated otherwise."""
    row = (
        session.connection()
        .execute(_BY_WEB_SESSION, {"digest": _digest(cookie_token), "now": utcnow()})
        .one_or_none()
    )
    if row is None:
        raise NotAuthenticated("your session has ended; please log in again", code="no_session")
    return _actor(row), row.csrf_token
