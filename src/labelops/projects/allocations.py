"""Allocations and the capacity board: the PM splits a project's items per language across
vendors, and every vendor's weekly load from running projects is weighed against its capacity.

Load of one allocation (labeler-hours a week) =
    remaining labels × AHT ÷ 3600 ÷ weeks left until the project's deadline (at least one week),
where remaining labels = allocated items × labels per item − labels the vendor has already
given in that project and language (never below zero); labels per item is the overlap, or under
dynamic overlap the mean labels of the project's finished items (the overlap until one is
finished); AHT is the median handling time of the project's labels in that language (a default
of 30 s until there is one). A project without a deadline is counted as spreading its remaining
work over the next four weeks, and is marked so. Only running projects load vendors.
"""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from labelops import annotation, audit, distribution, workforce
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import InvalidInput, PermissionDenied
from labelops.projects.access import get_visible_project
from labelops.projects.models import Item, Project, VendorAllocation
from labelops.projects.schemas import ProjectStatus

DEFAULT_AHT_SECONDS = 30.0
OPEN_ENDED_WEEKS = 4.0
MIN_WEEKS = 1.0


class AllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vendor: str = Field(min_length=1, max_length=100)
    language: str = Field(min_length=2, max_length=16)
    items: int = Field(ge=0, le=100_000_000)


class AllocationOut(BaseModel):
    vendor_id: int
    vendor: str
    language: str
    items: int


class LoadingProject(BaseModel):
    project_id: int
    name: str
    deadline: date | None
    weeks_left: float
    remaining_labels: float
    aht_seconds: float
    weekly_hours: float


class CapacityRow(BaseModel):
    vendor_id: int
    vendor: str
    language: str
    hourly_rate: float | None
    weekly_capacity: float
    weekly_load: float
    over_allocated: bool
    projects: list[LoadingProject]


# -- allocations -----------------------------------------------------------------------------


def list_allocations(session: Session, *, actor: Actor, project_id: int) -> list[AllocationOut]:
    """A project's allocations (a vendor lead: their own vendor's only)."""
    actor.require(Action.VIEW_CAPACITY)
    get_visible_project(session, actor, project_id)
    query = (
        select(VendorAllocation, workforce.Vendor.name)
        .join(workforce.Vendor, workforce.Vendor.id == VendorAllocation.vendor_id)
        .where(VendorAllocation.project_id == project_id)
        .order_by(VendorAllocation.language, workforce.Vendor.name)
    )
    if actor.role is Role.VENDOR_LEAD:
        query = query.where(VendorAllocation.vendor_id == actor.vendor_id)
    return [
        AllocationOut(vendor_id=row.vendor_id, vendor=name, language=row.language, items=row.items)
        for row, name in session.execute(query)
    ]


def set_allocations(
    session: Session, *, actor: Actor, project_id: int, allocations: list[AllocationIn]
) -> list[AllocationOut]:
    """Replace a project's allocations: each vendor must staff the language, and a language's
    allocated items may not exceed the project's items in it."""
    actor.require(Action.MANAGE_RESOURCES)
    project = get_visible_project(session, actor, project_id)
    staffed = {
        (row.vendor, row.language): row.vendor_id
        for row in workforce.list_vendor_languages(session)
    }
    vendor_ids = {name: vendor_id for (name, _), vendor_id in staffed.items()}
    items_by_language = _items_by_language(session, project_id)
    allocated: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(allocations):
        where = f"allocations[{index}]"
        if (entry.vendor, entry.language) in seen:
            raise InvalidInput(
                f"{entry.vendor} is allocated {entry.language} twice",
                code="duplicate_allocation",
                field=f"{where}.vendor",
            )
        seen.add((entry.vendor, entry.language))
        if entry.language not in project.languages:
            raise InvalidInput(
                f"project {project.name!r} has no language {entry.language!r}",
                code="unknown_language",
                field=f"{where}.language",
            )
        if (entry.vendor, entry.language) not in staffed:
            known = entry.vendor in vendor_ids or workforce.find_vendor(session, entry.vendor)
            raise InvalidInput(
                f"vendor {entry.vendor!r} does not staff {entry.language}"
                if known
                else f"no vendor {entry.vendor!r}",
                code="vendor_not_staffing" if known else "unknown_vendor",
                field=f"{where}.vendor",
            )
        allocated[entry.language] = allocated.get(entry.language, 0) + entry.items
        available = items_by_language.get(entry.language, 0)
        if allocated[entry.language] > available:
            raise InvalidInput(
                f"{allocated[entry.language]} items allocated in {entry.language}, but the "
                f"project has {available}",
                code="over_allocated_items",
                field=f"{where}.items",
            )
    session.execute(delete(VendorAllocation).where(VendorAllocation.project_id == project_id))
    now = utcnow()
    session.add_all(
        VendorAllocation(
            project_id=project_id,
            vendor_id=staffed[(entry.vendor, entry.language)],
            language=entry.language,
            items=entry.items,
            created_by_id=actor.user_id,
            updated_at=now,
        )
        for entry in allocations
        if entry.items > 0
    )
    session.flush()
    audit.record(
        session,
        actor,
        "project.allocations_set",
        ("project", project_id),
        project_id=project_id,
        allocations=[entry.model_dump() for entry in allocations],
    )
    return list_allocations(session, actor=actor, project_id=project_id)


def _items_by_language(session: Session, project_id: int) -> dict[str, int]:
    query = (
        select(Item.language, func.count())
        .where(Item.project_id == project_id)
        .group_by(Item.language)
    )
    return dict(session.execute(query).all())


# -- the board -------------------------------------------------------------------------------


def capacity_board(
    session: Session, *, actor: Actor, today: date | None = None
) -> list[CapacityRow]:
    """Per vendor × language: weekly capacity against the weekly load of running projects'
    allocations, over-allocation flagged with the projects causing it."""
    actor.require(Action.VIEW_CAPACITY)
    if actor.role is Role.VENDOR_LEAD and actor.vendor_id is None:
        raise PermissionDenied("a vendor lead without a vendor has no capacity to see")
    vendor_id = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    today = today or utcnow().date()
    rows: dict[tuple[int, str], CapacityRow] = {}
    for offer in workforce.list_vendor_languages(session, vendor_id=vendor_id):
        rows[(offer.vendor_id, offer.language)] = CapacityRow(
            vendor_id=offer.vendor_id,
            vendor=offer.vendor,
            language=offer.language,
            hourly_rate=offer.hourly_rate,
            weekly_capacity=offer.weekly_hours,
            weekly_load=0.0,
            over_allocated=False,
            projects=[],
        )
    for allocation, vendor, loading in running_loads(session, today=today, vendor_id=vendor_id):
        row = rows.setdefault(
            (allocation.vendor_id, allocation.language),
            CapacityRow(
                vendor_id=allocation.vendor_id,
                vendor=vendor,
                language=allocation.language,
                hourly_rate=None,
                weekly_capacity=0.0,
                weekly_load=0.0,
                over_allocated=False,
                projects=[],
            ),
        )
        row.projects.append(loading)
        row.weekly_load += loading.weekly_hours
    for row in rows.values():
        row.over_allocated = row.weekly_load > row.weekly_capacity + 1e-9
    return sorted(rows.values(), key=lambda r: (r.vendor, r.language))


def committed_weekly_hours(
    session: Session, *, today: date, except_project: int | None = None
) -> dict[tuple[str, str], float]:
    """Labeler-hours a week that running projects' allocations take, by (vendor, language)."""
    taken: dict[tuple[str, str], float] = {}
    for allocation, vendor, loading in running_loads(session, today=today):
        if allocation.project_id == except_project:
            continue
        key = (vendor, allocation.language)
        taken[key] = taken.get(key, 0.0) + loading.weekly_hours
    return taken


def running_loads(
    session: Session, *, today: date, vendor_id: int | None = None
) -> list[tuple[VendorAllocation, str, LoadingProject]]:
    """Each allocation of a running project with the weekly load it puts on its vendor."""
    query = (
        select(VendorAllocation, workforce.Vendor.name, Project)
        .join(workforce.Vendor, workforce.Vendor.id == VendorAllocation.vendor_id)
        .join(Project, Project.id == VendorAllocation.project_id)
        .where(Project.status == ProjectStatus.RUNNING.value)
        .order_by(Project.id)
    )
    if vendor_id is not None:
        query = query.where(VendorAllocation.vendor_id == vendor_id)
    found = []
    figures: dict[int, ProjectFigures] = {}
    for allocation, vendor, project in session.execute(query):
        if project.id not in figures:
            figures[project.id] = project_figures(session, project)
        facts = figures[project.id]
        done = facts.labels_by_vendor.get((allocation.vendor_id, allocation.language), 0)
        remaining = max(allocation.items * facts.labels_per_item - done, 0.0)
        aht = facts.aht_seconds.get(allocation.language, DEFAULT_AHT_SECONDS)
        weeks = (
            OPEN_ENDED_WEEKS
            if project.deadline is None
            else max((project.deadline - today).days / 7, MIN_WEEKS)
        )
        loading = LoadingProject(
            project_id=project.id,
            name=project.name,
            deadline=project.deadline,
            weeks_left=weeks,
            remaining_labels=remaining,
            aht_seconds=aht,
            weekly_hours=remaining * aht / 3600 / weeks,
        )
        found.append((allocation, vendor, loading))
    return found


class ProjectFigures(BaseModel):
    labels_per_item: float
    aht_seconds: dict[str, float]
    labels_by_vendor: dict[tuple[int, str], int]


def project_figures(session: Session, project: Project) -> ProjectFigures:
    """What a project has shown so far: labels per finished item, median AHT per language,
    labels given per (vendor, language)."""
    a = annotation.Annotation
    durations: dict[str, list[int]] = {}
    by_vendor: dict[tuple[int, str], int] = {}
    query = (
        select(Item.language, a.vendor_id, a.duration_ms)
        .join(Item, Item.id == a.item_id)
        .where(a.project_id == project.id)
    )
    for language, vendor_id, duration_ms in session.execute(query):
        if duration_ms is not None:
            durations.setdefault(language, []).append(duration_ms)
        if vendor_id is not None:
            by_vendor[(vendor_id, language)] = by_vendor.get((vendor_id, language), 0) + 1
    return ProjectFigures(
        labels_per_item=labels_per_finished_item([project.id], session) or project.overlap
        if project.max_overlap is not None
        else project.overlap,
        aht_seconds={lang: statistics.median(ms) / 1000 for lang, ms in durations.items()},
        labels_by_vendor=by_vendor,
    )


def labels_per_finished_item(project_ids: list[int], session: Session) -> float | None:
    """Mean labels of the projects' finished (non-gold) items; None when none is finished."""
    entry = distribution.QueueEntry
    mean: Any = session.scalar(
        select(func.avg(entry.submitted)).where(
            entry.project_id.in_(project_ids),
            entry.is_gold.is_(False),
            entry.open_slots == 0,
            entry.submitted >= entry.target,
        )
    )
    return None if mean is None else float(mean)
