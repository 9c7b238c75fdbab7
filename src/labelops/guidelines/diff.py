"""What changed between two versions of a text: a unified diff of the Markdown, lines marked for
ins/del highlighting, and (for guidelines) the labels and glossary terms that changed."""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Actor
from labelops.errors import InvalidInput
from labelops.guidelines.document import version_markdown
from labelops.guidelines.models import GuidelineVersion
from labelops.guidelines.service import changed_labels, get_version


class DiffLine(BaseModel):
    kind: Literal["same", "ins", "del", "hunk"]
    text: str


class GlossaryTerm(BaseModel):
    locale: str
    term: str


class GuidelineDiff(BaseModel):
    project_id: int
    from_version: int
    to_version: int
    unified: str
    lines: list[DiffLine]
    changed_labels: list[str]
    glossary_added: list[GlossaryTerm]
    glossary_removed: list[GlossaryTerm]
    glossary_changed: list[GlossaryTerm]


def text_diff(
    before: str, after: str, *, before_name: str, after_name: str
) -> tuple[str, list[DiffLine]]:
    """A unified diff with three lines of context, and the same as typed lines."""
    diff = list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            fromfile=before_name,
            tofile=after_name,
            lineterm="",
        )
    )
    lines: list[DiffLine] = []
    for line in diff[2:]:  # the two file-name lines are in `unified` only
        if line.startswith("@@"):
            lines.append(DiffLine(kind="hunk", text=line))
        elif line.startswith("+"):
            lines.append(DiffLine(kind="ins", text=line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine(kind="del", text=line[1:]))
        else:
            lines.append(DiffLine(kind="same", text=line[1:]))
    return "\n".join(diff) + ("\n" if diff else ""), lines


def diff_versions(
    session: Session, *, actor: Actor, project_id: int, from_version: int, to_version: int
) -> GuidelineDiff:
    """What changed between any two versions of the project's guidelines (either order)."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    if from_version < 0:
        raise InvalidInput("from must be a version number", code="invalid_version", field="from")
    before = (
        None if from_version == 0 else get_version(session, project.id, from_version, field="from")
    )
    after = get_version(session, project.id, to_version, field="to")
    return diff_of(project, before, after)


def diff_of(
    project: projects.Project, before: GuidelineVersion | None, after: GuidelineVersion
) -> GuidelineDiff:
    """The diff from `before` (None: from nothing) to `after`."""
    schema = projects.label_schema(project)
    from_version = before.version if before else 0
    unified, lines = text_diff(
        version_markdown(schema, before),
        version_markdown(schema, after),
        before_name=f"version {from_version}",
        after_name=f"version {after.version}",
    )
    old = _terms(before.glossary if before else [])
    new = _terms(after.glossary)
    return GuidelineDiff(
        project_id=project.id,
        from_version=from_version,
        to_version=after.version,
        unified=unified,
        lines=lines,
        changed_labels=changed_labels(before.sections if before else {}, after.sections),
        glossary_added=[_term(key) for key in sorted(new.keys() - old.keys())],
        glossary_removed=[_term(key) for key in sorted(old.keys() - new.keys())],
        glossary_changed=[
            _term(key) for key in sorted(old.keys() & new.keys()) if old[key] != new[key]
        ],
    )


def _terms(glossary: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(row["locale"], row["term"]): " ".join(row["definition"].split()) for row in glossary}


def _term(key: tuple[str, str]) -> GlossaryTerm:
    return GlossaryTerm(locale=key[0], term=key[1])
