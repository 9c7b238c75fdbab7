"""Vendors' languages: the hourly rate and the weekly labeler-hours each vendor offers per
language (what evaluation prices and forecasts with, and allocations are weighed against).

*Weekly hours* are hours of handling items (labeler-hours), not paid seat hours: the vendor's
shrinkage and idle time are theirs to price into the rate.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from labelops import audit
from labelops.auth import Action, Actor, Role
from labelops.errors import InvalidInput, NotFound, PermissionDenied
from labelops.workforce.models import Vendor, VendorLanguage
from labelops.workforce.schemas import Language


class VendorLanguageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language
    hourly_rate: float = Field(ge=0, le=10_000, description="price of one labeler-hour")
    weekly_hours: float = Field(ge=0, le=100_000, description="labeler-hours a week")
    label_rate: float | None = Field(
        default=None, ge=0, le=10_000, description="price per label when billed per unit"
    )


class VendorLanguageOut(BaseModel):
    vendor_id: int
    vendor: str
    language: str
    hourly_rate: float
    weekly_hours: float
    label_rate: float | None = None


class VendorLanguages(BaseModel):
    vendor_id: int
    vendor: str
    languages: list[VendorLanguageOut]


def _visible_vendor(session: Session, actor: Actor, vendor_id: int) -> Vendor:
    if not (actor.can(Action.MANAGE_RESOURCES) or actor.role is Role.VENDOR_LEAD):
        raise PermissionDenied(f"a {actor.role.value} may not see vendors' rates and capacity")
    vendor = session.get(Vendor, vendor_id)
    if vendor is None or (not actor.is_staff and actor.vendor_id != vendor_id):
        raise NotFound(f"no vendor {vendor_id}", code="vendor_not_found")
    return vendor


def get_vendor_languages(session: Session, *, actor: Actor, vendor_id: int) -> VendorLanguages:
    """A vendor's languages with rate and weekly hours (a vendor lead: their own vendor only)."""
    vendor = _visible_vendor(session, actor, vendor_id)
    rows = session.scalars(
        select(VendorLanguage)
        .where(VendorLanguage.vendor_id == vendor_id)
        .order_by(VendorLanguage.language)
    )
    return VendorLanguages(
        vendor_id=vendor.id,
        vendor=vendor.name,
        languages=[_out(row, vendor.name) for row in rows],
    )


def set_vendor_languages(
    session: Session, *, actor: Actor, vendor_id: int, languages: list[VendorLanguageIn]
) -> VendorLanguages:
    """Replace a vendor's languages with the full list given (PM or admin)."""
    actor.require(Action.MANAGE_RESOURCES)
    vendor = _visible_vendor(session, actor, vendor_id)
    seen: set[str] = set()
    for index, entry in enumerate(languages):
        if entry.language in seen:
            raise InvalidInput(
                f"language {entry.language!r} is listed twice",
                code="duplicate_language",
                field=f"languages[{index}].language",
            )
        seen.add(entry.language)
    session.execute(delete(VendorLanguage).where(VendorLanguage.vendor_id == vendor_id))
    session.add_all(
        VendorLanguage(
            vendor_id=vendor_id,
            language=entry.language,
            hourly_rate=entry.hourly_rate,
            weekly_hours=entry.weekly_hours,
            label_rate=entry.label_rate,
        )
        for entry in languages
    )
    session.flush()
    audit.record(
        session,
        actor,
        "vendor.languages_set",
        ("vendor", vendor_id),
        languages=[entry.model_dump() for entry in languages],
    )
    return get_vendor_languages(session, actor=actor, vendor_id=vendor.id)


def list_vendor_languages(
    session: Session, *, vendor_id: int | None = None
) -> list[VendorLanguageOut]:
    """Every vendor's languages (for evaluation and the capacity board; callers scope them)."""
    query = (
        select(VendorLanguage, Vendor.name)
        .join(Vendor, Vendor.id == VendorLanguage.vendor_id)
        .order_by(Vendor.name, VendorLanguage.language)
    )
    if vendor_id is not None:
        query = query.where(VendorLanguage.vendor_id == vendor_id)
    return [_out(row, name) for row, name in session.execute(query)]


def _out(row: VendorLanguage, vendor: str) -> VendorLanguageOut:
    return VendorLanguageOut(
        vendor_id=row.vendor_id,
        vendor=vendor,
        language=row.language,
        hourly_rate=row.hourly_rate,
        weekly_hours=row.weekly_hours,
        label_rate=row.label_rate,
    )
