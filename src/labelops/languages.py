"""Language tags as labelops stores them: lower-case BCP 47 (`en`, `ar`, `pt-br`, `zh-hant`)."""

from __future__ import annotations

import re

_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def normalize_language(tag: str) -> str:
    """The canonical form of a language tag; ValueError if it is not one."""
    canonical = tag.strip().replace("_", "-").lower()
    if not _TAG.match(canonical):
        raise ValueError(f"{tag!r} is not a language tag (expected e.g. 'en', 'ar', 'pt-br')")
    return canonical
