"""Mild, synthetic social-media-style texts for a demo instance.

Every text carries the label its author intended (a leaf key of the demo taxonomy) and that
label's severity tier. The content is deliberately mild: playground insults, vague threats,
soft disclosures of distress, and stereotypes about made-up or generic groups. Links only ever
point at the reserved example.com / example.org domains.

Texts are built from per-language, per-label sentence templates (`texts_<lang>` modules) whose
`{slots}` are filled with names, places, foods, emoji and so on, using a `random.Random` seeded
by the caller, so a seed always gives the same texts.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from labelops.demo import texts_ar, texts_en, texts_es, texts_hi, texts_id


@dataclass(frozen=True, slots=True)
class DemoText:
    """One synthetic text and the label its author intended."""

    external_id: str
    text: str
    language: str
    intended_label: str
    severity: str
    code_mixed: bool


# (leaf key, severity, weight out of 200): 40 % no violation, 8 % needs context, 6.5 % each other.
_LABELS: Final[tuple[tuple[str, str, int], ...]] = (
    ("none.no_violation", "S0", 80),
    ("none.needs_context", "S1", 16),
    ("harass.insult", "S1", 13),
    ("harass.threat", "S3", 13),
    ("hate.stereotype", "S2", 13),
    ("hate.exclusion", "S2", 13),
    ("violence.glorification", "S2", 13),
    ("self_harm.disclosure", "S1", 13),
    ("spam.spam", "S1", 13),
    ("fraud.scam", "S2", 13),
)

LANGUAGES: tuple[str, ...] = ("en", "es", "ar", "hi", "id")
LABEL_KEYS: tuple[str, ...] = tuple(key for key, _, _ in _LABELS)
SEVERITY: Final[Mapping[str, str]] = {key: severity for key, severity, _ in _LABELS}

# Share of texts written code-mixed, in languages that have code-mixed templates (es, ar, hi).
_MIXED_RATE: Final = 0.12
# How many times to redraw a template and its slots when the text was already produced.
_MAX_TRIES: Final = 25

_Table = Mapping[str, tuple[str, ...]]

# Slots every language shares: emoji (positive, sad, annoyed; "" means none) and links.
_COMMON_SLOTS: Final[_Table] = {
    "emoji": ("😊", "🙌", "☀️", "👍", "😄", "🎉", "❤️", "✨", "", ""),
    "meh": ("😞", "😔", "💔", "🥀", "", ""),
    "mad": ("🙄", "😤", "🤡", "😒", "", ""),
    "link": (
        "example.com/free",
        "example.org/win",
        "https://example.com/gift",
        "example.org/bonus",
        "https://example.org/verify",
        "example.com/login",
    ),
}


@dataclass(frozen=True, slots=True)
class _Bank:
    """One language's templates and slot values, plain and code-mixed."""

    slots: _Table
    templates: _Table
    mixed_slots: _Table
    mixed_templates: _Table


_BANKS: Final[Mapping[str, _Bank]] = {
    module.LANGUAGE: _Bank(
        slots={**_COMMON_SLOTS, **module.SLOTS},
        templates=module.TEMPLATES,
        mixed_slots={**_COMMON_SLOTS, **module.MIXED_SLOTS},
        mixed_templates=module.MIXED_TEMPLATES,
    )
    for module in (texts_en, texts_es, texts_ar, texts_hi, texts_id)
}


def generate_texts(
    count: int, *, languages: Sequence[str] = LANGUAGES, seed: int = 7
) -> list[DemoText]:
    """Return `count` synthetic texts spread evenly over `languages`, deterministic for a seed.

    Languages take turns, so each gets `count // len(languages)` texts and the first
    `count % len(languages)` get one more. Within a language the labels follow the demo mix
    (40 % `none.no_violation`, 8 % `none.needs_context`, the rest spread evenly) as closely as
    the number of texts allows. External ids are `demo-<lang>-<nnnn>`, numbered per language.
    """
    langs = _check_arguments(count, languages)
    rng = random.Random(seed)
    sizes = [count // len(langs) + (1 if i < count % len(langs) else 0) for i in range(len(langs))]
    plans = {lang: _label_plan(size, rng) for lang, size in zip(langs, sizes, strict=True)}
    produced = dict.fromkeys(langs, 0)
    seen: set[str] = set()
    texts: list[DemoText] = []
    for i in range(count):
        lang = langs[i % len(langs)]
        number = produced[lang]
        produced[lang] += 1
        label = plans[lang][number]
        bank = _BANKS[lang]
        mixed = bool(bank.mixed_templates.get(label)) and rng.random() < _MIXED_RATE
        if mixed:
            text = _compose(rng, bank.mixed_templates[label], bank.mixed_slots, seen)
        else:
            text = _compose(rng, bank.templates[label], bank.slots, seen)
        texts.append(
            DemoText(
                external_id=f"demo-{lang}-{number:04d}",
                text=text,
                language=lang,
                intended_label=label,
                severity=SEVERITY[label],
                code_mixed=mixed,
            )
        )
    return texts


def _check_arguments(count: int, languages: Sequence[str]) -> list[str]:
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    if isinstance(languages, str):
        raise ValueError(f"languages must be a sequence of codes such as ({languages!r},)")
    langs = list(languages)
    if not langs:
        raise ValueError("languages must name at least one language")
    for lang in langs:
        if lang not in _BANKS:
            raise ValueError(
                f"unknown demo language {lang!r}; expected one of {', '.join(LANGUAGES)}"
            )
    if len(set(langs)) != len(langs):
        raise ValueError(f"languages must not repeat: {', '.join(langs)}")
    return langs


def _label_plan(size: int, rng: random.Random) -> list[str]:
    """`size` labels in the demo mix (largest remainder, ties broken at random), shuffled."""
    total = sum(weight for _, _, weight in _LABELS)
    quotas = {key: size * weight / total for key, _, weight in _LABELS}
    counts = {key: int(quota) for key, quota in quotas.items()}
    tie_break = list(LABEL_KEYS)
    rng.shuffle(tie_break)
    by_remainder = sorted(tie_break, key=lambda key: quotas[key] - counts[key], reverse=True)
    for key in by_remainder[: size - sum(counts.values())]:
        counts[key] += 1
    plan = [key for key in LABEL_KEYS for _ in range(counts[key])]
    rng.shuffle(plan)
    return plan


def _compose(rng: random.Random, templates: Sequence[str], slots: _Table, seen: set[str]) -> str:
    """Fill a random template; redraw a few times rather than repeat an earlier text."""
    text = ""
    for _ in range(_MAX_TRIES):
        text = _fill(rng.choice(templates), slots, rng)
        if text not in seen:
            break
    seen.add(text)
    return text


def _fill(template: str, slots: _Table, rng: random.Random) -> str:
    values: dict[str, str] = {}
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None and field not in values:
            values[field] = rng.choice(slots[field])
    text = " ".join(template.format_map(values).split())
    if template.startswith("{"):
        text = text[:1].upper() + text[1:]
    return text
