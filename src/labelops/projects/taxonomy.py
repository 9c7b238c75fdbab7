"""Label schemas: single- or multi-choice over a taxonomy of at most two levels.

A label with children is a group: labelers pick one of its children, never the group itself.
Every label has a description and a keyboard key; group keys are unique at the top level, child
keys within their group (the labeling screen reads one key for the group, one for the child).
A label may carry a default severity tier (S0–S4), an exposure class (E0–E3) and the EU DSA
statement-of-reasons category it maps to, written as the transparency database's API constant.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from labelops.errors import InvalidInput

# "s"/"S" skip, "Q" (shift+q) asks a question about the item, "?" shows the shortcuts.
RESERVED_KEYS = frozenset({"s", "S", "Q", "?", " "})
_AUTO_KEYS = "1234567890abcdefghijklmnopqrtuvwxyz"  # no "s": it skips

# The 16 statement-of-reasons categories of the EU DSA transparency database, as its API spells
# them (schema in force since 1 July 2025, Implementing Regulation (EU) 2024/2835), with their
# official names.
DSA_CATEGORIES: dict[str, str] = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE": "Animal welfare",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION": "Consumer information infringements",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE": "Cyber violence",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN": "Cyber violence against women",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": (
        "Data protection and privacy violations"
    ),
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH": "Illegal or harmful speech",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": "Intellectual property infringements",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": (
        "Negative effects on civic discourse or elections"
    ),
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE": (
        "Type of alleged illegal content not specified by the notifier"
    ),
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC": "Other violation of provider's terms and conditions",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS": "Protection of minors",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY": "Risk for public security",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD": "Scams and/or fraud",
    "STATEMENT_CATEGORY_SELF_HARM": "Self-harm",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS": (
        "Unsafe, non-compliant or prohibited products"
    ),
    "STATEMENT_CATEGORY_VIOLENCE": "Violence",
}
_DSA_BY_NAME = {name.lower(): constant for constant, name in DSA_CATEGORIES.items()}


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$", description="stable machine name")
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=2000)
    hotkey: str = Field(min_length=1, max_length=1)
    severity: str | None = Field(default=None, pattern=r"^S[0-4]$", description="default tier")
    exposure: str | None = Field(default=None, pattern=r"^E[0-3]$", description="exposure class")
    dsa_category: str | None = Field(default=None, max_length=100)
    children: tuple[Label, ...] = ()

    @field_validator("dsa_category", mode="before")
    @classmethod
    def _dsa_constant(cls, value: Any) -> Any:
        # The official name ("Self-harm") is read as its constant; anything else is refused.
        if not isinstance(value, str) or value in DSA_CATEGORIES:
            return value
        found = _DSA_BY_NAME.get(value.strip().replace("\u2019", "'").lower())
        if found is None:
            raise ValueError(
                f"{value!r} is not an EU DSA statement-of-reasons category; use one of "
                + ", ".join(DSA_CATEGORIES)
            )
        return found

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # "toxic" is short for {"key": "toxic", "name": "toxic", "description": "toxic"}.
        if isinstance(value, str):
            return {"key": value, "name": value, "description": value}
        return value

    @property
    def is_group(self) -> bool:
        return bool(self.children)


class LabelSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["single", "multi"] = "single"
    labels: tuple[Label, ...] = Field(min_length=2, max_length=36)

    @model_validator(mode="before")
    @classmethod
    def _assign_hotkeys(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("labels"), list):
            value = {**value, "labels": _with_hotkeys(value["labels"])}
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        keys: set[str] = set()
        _check_level(self.labels, keys, where="top level")
        for label in self.labels:
            for child in label.children:
                if child.children:
                    raise ValueError(f"label {child.key!r}: taxonomies have at most two levels")
            _check_level(label.children, keys, where=f"group {label.key!r}")
        return self

    @functools.cached_property
    def leaves(self) -> dict[str, Label]:
        """Selectable labels by key."""
        found: dict[str, Label] = {}
        for label in self.labels:
            for leaf in label.children or (label,):
                found[leaf.key] = leaf
        return found

    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def check_selection(self, labels: Sequence[str]) -> list[str]:
        """The labels of a submission, validated and in a canonical order."""
        if not labels:
            raise InvalidInput("pick at least one label", code="no_label", field="labels")
        if self.kind == "single" and len(labels) != 1:
            raise InvalidInput(
                "this project takes exactly one label", code="one_label", field="labels"
            )
        unknown = [key for key in labels if key not in self.leaves]
        if unknown:
            raise InvalidInput(
                f"unknown label {unknown[0]!r} (groups are not selectable)",
                code="unknown_label",
                field="labels",
            )
        return sorted(set(labels))


def _with_hotkeys(labels: list[Any]) -> list[Any]:
    """Fill missing hotkeys in order, skipping keys a sibling already uses."""
    used = {lab["hotkey"] for lab in labels if isinstance(lab, dict) and lab.get("hotkey")}
    free = iter(k for k in _AUTO_KEYS if k not in used)
    filled: list[Any] = []
    for label in labels:
        if isinstance(label, str):
            label = {"key": label, "name": label, "description": label}
        if isinstance(label, dict):
            label = dict(label)
            if not label.get("hotkey"):
                label["hotkey"] = next(free, "")
            if isinstance(label.get("children"), list):
                label["children"] = _with_hotkeys(label["children"])
        filled.append(label)
    return filled


def _check_level(labels: Sequence[Label], keys: set[str], *, where: str) -> None:
    hotkeys: set[str] = set()
    for label in labels:
        if label.key in keys:
            raise ValueError(f"label key {label.key!r} is used twice")
        keys.add(label.key)
        if label.hotkey in RESERVED_KEYS:
            raise ValueError(f"label {label.key!r}: hotkey {label.hotkey!r} is reserved")
        if label.hotkey in hotkeys:
            raise ValueError(f"{where}: hotkey {label.hotkey!r} is used twice")
        hotkeys.add(label.hotkey)


_schema_by_digest: dict[str, LabelSchema] = {}


def cached_schema(digest: str) -> LabelSchema | None:
    return _schema_by_digest.get(digest)


def schema_from_stored(raw: dict[str, Any], digest: str) -> LabelSchema:
    """A stored schema, parsed once per process per digest."""
    cached = _schema_by_digest.get(digest)
    if cached is None:
        cached = LabelSchema.model_validate(raw)
        _schema_by_digest[digest] = cached
    return cached


def template_names() -> list[str]:
    """The taxonomy templates labelops ships (files in projects/templates/), by name."""
    folder = resources.files("labelops.projects").joinpath("templates")
    return sorted(
        p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
    )


class TemplateInfo(BaseModel):
    name: str
    title: str
    summary: str


# A template file is a label schema plus its "title" and "summary", which are not part of it.
_TEMPLATE_META = ("title", "summary")


def _template_file(name: str) -> dict[str, Any]:
    if name not in template_names():
        raise InvalidInput(
            f"no taxonomy template {name!r} (known: {', '.join(template_names())})",
            code="unknown_template",
            field="taxonomy_template",
        )
    folder = resources.files("labelops.projects").joinpath("templates")
    data: dict[str, Any] = json.loads(folder.joinpath(f"{name}.json").read_text())
    return data


def taxonomy_template(name: str) -> dict[str, Any]:
    """A shipped taxonomy template's label schema; InvalidInput for an unknown name."""
    return {k: v for k, v in _template_file(name).items() if k not in _TEMPLATE_META}


def list_templates() -> list[TemplateInfo]:
    """The shipped taxonomy templates with their titles, by name."""
    found = []
    for name in template_names():
        data = _template_file(name)
        found.append(
            TemplateInfo(name=name, title=data.get("title", name), summary=data.get("summary", ""))
        )
    return found


def default_taxonomy() -> dict[str, Any]:
    """The shipped two-level T&S taxonomy template (see projects/templates/ts-default.json)."""
    return taxonomy_template("ts-default")
