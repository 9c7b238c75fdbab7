"""The guidelines as a reader sees them: one document from a version, its label sections with
their examples, and the glossary for the reader's locales.

The same Markdown text is what the diff between two versions compares, so a labeler's "what
changed" shows exactly what they read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from labelops import projects
from labelops.guidelines.examples import ExampleOut, example_rows, examples_of
from labelops.guidelines.models import GuidelineVersion
from labelops.guidelines.render import render_markdown

_HEADINGS = (
    ("definition", "Definition"),
    ("use_when", "Use when"),
    ("not_when", "Don't use when"),
)


@dataclass(frozen=True, slots=True)
class LabelSection:
    key: str
    name: str
    group: str | None
    definition_html: str
    use_when_html: str
    not_when_html: str
    examples: list[ExampleOut] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GlossaryRow:
    locale: str
    term: str
    definition_html: str


@dataclass(frozen=True, slots=True)
class Document:
    """A version rendered for reading (HTML fragments are sanitised)."""

    version: int | None
    intro_html: str
    labels: list[LabelSection]
    glossary: list[GlossaryRow]
    changelog: str

    @property
    def is_empty(self) -> bool:
        return not (self.intro_html.strip() or self.labels or self.glossary)


def version_markdown(schema: projects.LabelSchema, version: GuidelineVersion | None) -> str:
    """The whole version as one Markdown text: intro, label sections, glossary."""
    if version is None:
        return ""
    parts = [version.body.rstrip()] if version.body.strip() else []
    names = _label_names(schema)
    for key in _ordered_keys(schema, version.sections):
        section = version.sections[key]
        parts.append(f"## {names.get(key, key)} (`{key}`)")
        for name, heading in _HEADINGS:
            text = str(section.get(name, "")).strip()
            if text:
                parts.append(f"**{heading}:** {text}")
    if version.glossary:
        parts.append("## Glossary")
        parts.extend(
            f"- `{row['locale']}` **{row['term']}**: {row['definition']}"
            for row in version.glossary
        )
    return "\n\n".join(parts) + ("\n" if parts else "")


def render_document(
    session: Session,
    *,
    project: projects.Project,
    version: GuidelineVersion | None,
    locales: Collection[str] | None = None,
    with_examples: bool = True,
) -> Document:
    """The version as the labeling screen and the guidelines page show it: the intro, each
    label's definition, use and don't-use with its examples, and the glossary for `locales`
    (all of it when None). Examples without a section are shown under their label too."""
    schema = projects.label_schema(project)
    examples = _examples_by_label(session, project.id) if with_examples else {}
    if version is None:
        return Document(None, "", [], [], "")
    groups = {child.key: label.name for label in schema.labels for child in label.children}
    names = _label_names(schema)
    keys = _ordered_keys(schema, {**dict.fromkeys(examples), **version.sections})
    labels = [
        LabelSection(
            key=key,
            name=names.get(key, key),
            group=groups.get(key),
            definition_html=_html(version.sections.get(key, {}), "definition"),
            use_when_html=_html(version.sections.get(key, {}), "use_when"),
            not_when_html=_html(version.sections.get(key, {}), "not_when"),
            examples=examples.get(key, []),
        )
        for key in keys
    ]
    glossary = [
        GlossaryRow(row["locale"], row["term"], render_markdown(row["definition"]))
        for row in version.glossary
        if locales is None or _reads(locales, row["locale"])
    ]
    return Document(
        version=version.version,
        intro_html=render_markdown(version.body),
        labels=labels,
        glossary=glossary,
        changelog=version.changelog,
    )


def _reads(locales: Collection[str], locale: str) -> bool:
    """`es` reads `es-mx` slang and `es-mx` reads `es`: a glossary row is for a language."""
    base = locale.split("-")[0]
    return any(reader.split("-")[0] == base for reader in locales)


def _html(section: dict[str, str], name: str) -> str:
    text = str(section.get(name, "")).strip()
    return render_markdown(text) if text else ""


def _label_names(schema: projects.LabelSchema) -> dict[str, str]:
    names: dict[str, str] = {}
    for label in schema.labels:
        names[label.key] = label.name
        for child in label.children:
            names[child.key] = child.name
    return names


def _ordered_keys(schema: projects.LabelSchema, wanted: Collection[str]) -> list[str]:
    """Keys in schema order (group, then its children); unknown keys last, sorted."""
    order: list[str] = []
    for label in schema.labels:
        order.append(label.key)
        order.extend(child.key for child in label.children)
    present = set(wanted)
    return [key for key in order if key in present] + sorted(present - set(order))


def _examples_by_label(session: Session, project_id: int) -> dict[str, list[ExampleOut]]:
    rows: Sequence[ExampleOut] = example_rows(
        session, [e.id for e in examples_of(session, project_id)]
    )
    by_label: dict[str, list[ExampleOut]] = {}
    for example in rows:
        for key in example.labels:
            by_label.setdefault(key, []).append(example)
    return by_label
