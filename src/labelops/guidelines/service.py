"""Use cases of guidelines: publishing versions and reading them.

A version holds a Markdown introduction, a section per label (definition, when to use it, when
not to), a glossary of slang and coded terms per locale, and a changelog. Publishing computes
which labels' sections changed against the previous version; the PM may then ask every labeler
to pass the quiz again (`recalibrate`) and send items labeled under the old definitions to
reviewers (`rereview`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from labelops import audit, projects
from labelops.auth import Action, Actor
from labelops.db import utcnow
from labelops.errors import InvalidInput, NotFound
from labelops.guidelines.models import GuidelineVersion
from labelops.languages import normalize_language
from labelops.workforce import User

SECTION_FIELDS = ("definition", "use_when", "not_when")


class Section(BaseModel):
    """What a label means, when to use it and when not to (Markdown each)."""

    definition: str = Field(default="", max_length=20_000)
    use_when: str = Field(default="", max_length=20_000)
    not_when: str = Field(default="", max_length=20_000)

    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTION_FIELDS)


class GlossaryEntry(BaseModel):
    """A slang or coded term labelers meet in one locale, and what it means."""

    locale: str = Field(min_length=2, max_length=35)
    term: str = Field(min_length=1, max_length=200)
    definition: str = Field(min_length=1, max_length=5_000)


class NewGuidelines(BaseModel):
    """A new version. Only `body` is needed; the rest is optional."""

    body: str = Field(default="", max_length=500_000, description="Markdown introduction")
    sections: dict[str, Section] = Field(default_factory=dict, description="per label key")
    glossary: list[GlossaryEntry] = Field(default_factory=list, max_length=5_000)
    changelog: str = Field(default="", max_length=20_000)
    recalibrate: bool = Field(
        default=False, description="every labeler passes the qualification quiz again"
    )
    rereview: bool = Field(
        default=False,
        description="items labeled under an older version with a changed label go to reviewers",
    )


class Published(BaseModel):
    project_id: int
    version: int
    changed_labels: list[str]
    requalify_after: datetime | None
    rereview_escalations: int | None


class VersionSummary(BaseModel):
    version: int
    changelog: str
    changed_labels: list[str]
    created_by: str | None
    created_at: datetime


def current_guidelines(session: Session, project_id: int) -> GuidelineVersion | None:
    """The latest published version, or None when the project has none yet."""
    return session.scalars(
        select(GuidelineVersion)
        .where(GuidelineVersion.project_id == project_id)
        .order_by(GuidelineVersion.version.desc())
        .limit(1)
    ).first()


def find_version(session: Session, project_id: int, version: int) -> GuidelineVersion | None:
    return session.scalars(
        select(GuidelineVersion).where(
            GuidelineVersion.project_id == project_id, GuidelineVersion.version == version
        )
    ).first()


def get_version(
    session: Session, project_id: int, version: int, *, field: str = "version"
) -> GuidelineVersion:
    """One version of the project's guidelines; NotFound naming the field otherwise."""
    row = find_version(session, project_id, version)
    if row is None:
        raise NotFound(
            f"{field}: the project has no guideline version {version}",
            code="guideline_version_not_found",
        )
    return row


_CURRENT_VERSION = select(func.max(GuidelineVersion.version)).where(
    GuidelineVersion.project_id == bindparam("project_id")
)


def current_version_number(session: Session, project_id: int) -> int | None:
    version: int | None = (
        session.connection().execute(_CURRENT_VERSION, {"project_id": project_id}).scalar()
    )
    return version


def list_versions(session: Session, *, actor: Actor, project_id: int) -> list[VersionSummary]:
    """Every version of the project's guidelines, newest first."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    rows = session.execute(
        select(GuidelineVersion, User.username)
        .outerjoin(User, User.id == GuidelineVersion.created_by_id)
        .where(GuidelineVersion.project_id == project.id)
        .order_by(GuidelineVersion.version.desc())
    ).all()
    return [
        VersionSummary(
            version=row.version,
            changelog=row.changelog,
            changed_labels=list(row.changed_labels),
            created_by=username,
            created_at=row.created_at,
        )
        for row, username in rows
    ]


def add_version(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    body: str,
    sections: dict[str, Any] | None = None,
    glossary: list[dict[str, Any]] | None = None,
    changelog: str = "",
) -> GuidelineVersion:
    """Append the next version, with the labels whose section changed against the previous one;
    the caller has checked the actor may manage the project and validated the content."""
    previous = current_guidelines(session, project_id)
    version = (previous.version if previous else 0) + 1
    sections = sections or {}
    row = GuidelineVersion(
        project_id=project_id,
        version=version,
        body=body,
        sections=sections,
        glossary=glossary or [],
        changelog=changelog.strip(),
        changed_labels=changed_labels(previous.sections if previous else {}, sections),
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    projects.set_guideline_version(session, project_id=project_id, version=version)
    audit.record(
        session,
        actor,
        "guidelines.published",
        ("guideline_version", row.id),
        project_id=project_id,
        version=version,
        changed_labels=row.changed_labels,
    )
    return row


def changed_labels(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Label keys whose section was added, removed or reworded between two versions."""
    keys = set(before) | set(after)
    return sorted(
        key for key in keys if _section_text(before.get(key)) != _section_text(after.get(key))
    )


def _section_text(section: Any) -> tuple[str, ...] | None:
    if not section:
        return None
    return tuple(" ".join(str(section.get(name, "")).split()) for name in SECTION_FIELDS)


def publish_guidelines(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    body: str | None = None,
    data: NewGuidelines | None = None,
) -> GuidelineVersion:
    """Publish a new version of a project's guidelines (body only, or a full `data`)."""
    return publish(
        session,
        actor=actor,
        project_id=project_id,
        data=data if data is not None else NewGuidelines(body=body or ""),
    )[0]


def publish(
    session: Session, *, actor: Actor, project_id: int, data: NewGuidelines
) -> tuple[GuidelineVersion, Published]:
    """Publish a new version: sections only for the schema's labels, glossary locales
    normalised; on request every labeler re-qualifies and items labeled under a changed
    definition go to reviewers."""
    actor.require(Action.MANAGE_PROJECT)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    sections = _checked_sections(projects.label_schema(project), data.sections)
    glossary = _checked_glossary(data.glossary)
    row = add_version(
        session,
        actor=actor,
        project_id=project.id,
        body=data.body,
        sections=sections,
        glossary=glossary,
        changelog=data.changelog,
    )
    requalify_after = None
    if data.recalibrate:
        requalify_after = project.requalify_after = utcnow()
        session.flush()
        audit.record(
            session,
            actor,
            "project.requalification_required",
            ("project", project.id),
            project_id=project.id,
            guideline_version=row.version,
        )
    escalated = None
    if data.rereview:
        from labelops import quality  # quality reads projects, which publishes through us

        escalated = quality.escalate_for_guideline_change(
            session,
            actor=actor,
            project_id=project.id,
            labels=_leaves_of(projects.label_schema(project), row.changed_labels),
            before_version=row.version,
        )
    return row, Published(
        project_id=project.id,
        version=row.version,
        changed_labels=list(row.changed_labels),
        requalify_after=requalify_after,
        rereview_escalations=escalated,
    )


def all_label_keys(schema: projects.LabelSchema) -> list[str]:
    """Every label key of the schema, groups before their children, in schema order."""
    keys: list[str] = []
    for label in schema.labels:
        keys.append(label.key)
        keys.extend(child.key for child in label.children)
    return keys


def _leaves_of(schema: projects.LabelSchema, keys: Sequence[str]) -> set[str]:
    """The selectable labels a set of keys stands for: a group stands for its children."""
    wanted = set(keys)
    leaves: set[str] = set()
    for label in schema.labels:
        for leaf in label.children or (label,):
            if leaf.key in wanted or label.key in wanted:
                leaves.add(leaf.key)
    return leaves


def _checked_sections(
    schema: projects.LabelSchema, sections: dict[str, Section]
) -> dict[str, dict[str, str]]:
    known = set(all_label_keys(schema))
    checked: dict[str, dict[str, str]] = {}
    for key, section in sections.items():
        if key not in known:
            raise InvalidInput(
                f"sections: {key!r} is not a label of this project's schema",
                code="unknown_label",
                field=f"sections.{key}",
            )
        if not section.is_empty():
            checked[key] = {name: getattr(section, name).strip() for name in SECTION_FIELDS}
    return checked


def _checked_glossary(entries: Sequence[GlossaryEntry]) -> list[dict[str, str]]:
    checked: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for position, entry in enumerate(entries):
        try:
            locale = normalize_language(entry.locale)
        except ValueError as error:
            raise InvalidInput(
                f"glossary row {position + 1}: {error}",
                code="invalid_locale",
                field=f"glossary.{position}.locale",
            ) from None
        term = entry.term.strip()
        if not term or not entry.definition.strip():
            raise InvalidInput(
                f"glossary row {position + 1}: a term and its definition are both needed",
                code="empty_glossary_entry",
                field=f"glossary.{position}.term",
            )
        if (locale, term.casefold()) in seen:
            raise InvalidInput(
                f"glossary row {position + 1}: {term!r} ({locale}) is already in the glossary",
                code="duplicate_glossary_term",
                field=f"glossary.{position}.term",
            )
        seen.add((locale, term.casefold()))
        checked.append({"locale": locale, "term": term, "definition": entry.definition.strip()})
    return sorted(checked, key=lambda row: (row["locale"], row["term"].casefold()))
