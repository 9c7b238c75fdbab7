"""Tests for the synthetic demo texts."""

from __future__ import annotations

import re
import string
from collections import Counter
from typing import Any

import pytest

from labelops.demo import texts_ar, texts_en, texts_es, texts_hi, texts_id
from labelops.demo.texts import LABEL_KEYS, LANGUAGES, SEVERITY, DemoText, generate_texts

_ARABIC = (0x0600, 0x06FF)
_DEVANAGARI = (0x0900, 0x097F)
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")
_SHARED_SLOTS = {"emoji", "meh", "mad", "link"}
_MODULES = (texts_en, texts_es, texts_ar, texts_hi, texts_id)


def _script_share(text: str, block: tuple[int, int]) -> float:
    """Share of a text's letters (Latin or in `block`) that are in `block`."""
    in_block = sum(block[0] <= ord(char) <= block[1] for char in text)
    latin = len(_LATIN_LETTER.findall(text))
    return in_block / (in_block + latin) if in_block + latin else 0.0


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_same_seed_gives_same_texts() -> None:
    assert generate_texts(200, seed=3) == generate_texts(200, seed=3)


def test_different_seeds_give_different_texts() -> None:
    assert generate_texts(200, seed=3) != generate_texts(200, seed=4)


def test_count_is_spread_evenly_over_languages() -> None:
    texts = generate_texts(603)
    per_language = Counter(text.language for text in texts)
    assert len(texts) == 603
    assert per_language == {"en": 121, "es": 121, "ar": 121, "hi": 120, "id": 120}


def test_only_the_requested_languages_are_used() -> None:
    texts = generate_texts(40, languages=("id", "ar"))
    assert Counter(text.language for text in texts) == {"id": 20, "ar": 20}


def test_zero_count_gives_no_texts() -> None:
    assert generate_texts(0) == []


def test_every_label_key_is_used_and_no_other() -> None:
    labels = {text.intended_label for text in generate_texts(600)}
    assert labels == set(LABEL_KEYS)


def test_label_mix_follows_the_demo_weights() -> None:
    counts = Counter(text.intended_label for text in generate_texts(600))
    assert counts["none.no_violation"] == 240  # 40 %
    assert 44 <= counts["none.needs_context"] <= 52  # 8 %
    assert all(35 <= counts[key] <= 43 for key in LABEL_KEYS[2:])  # 6.5 % each


def test_severity_matches_the_label() -> None:
    texts = generate_texts(300)
    assert all(text.severity == SEVERITY[text.intended_label] for text in texts)
    assert SEVERITY["none.no_violation"] == "S0"
    assert SEVERITY["harass.threat"] == "S3"


def test_external_ids_are_unique_and_name_the_language() -> None:
    texts = generate_texts(600)
    assert len({text.external_id for text in texts}) == len(texts)
    assert all(re.fullmatch(rf"demo-{t.language}-\d{{4}}", t.external_id) for t in texts)


def test_arabic_texts_are_mostly_arabic_script() -> None:
    arabic = [text for text in generate_texts(1000) if text.language == "ar"]
    assert arabic
    assert all(_script_share(text.text, _ARABIC) > 0.5 for text in arabic)
    plain = [text for text in arabic if not text.code_mixed]
    assert sum(_script_share(text.text, _ARABIC) for text in plain) / len(plain) > 0.9


def test_hindi_texts_are_mostly_devanagari() -> None:
    hindi = [t for t in generate_texts(1000) if t.language == "hi" and not t.code_mixed]
    assert hindi
    assert all(_script_share(text.text, _DEVANAGARI) > 0.5 for text in hindi)
    assert sum(_script_share(text.text, _DEVANAGARI) for text in hindi) / len(hindi) > 0.9


def test_code_mixed_texts_exist_only_in_spanish_arabic_and_hindi() -> None:
    mixed = {text.language for text in generate_texts(600) if text.code_mixed}
    assert mixed == {"es", "ar", "hi"}


def test_at_least_ninety_percent_distinct_at_600() -> None:
    texts = generate_texts(600)
    assert len({text.text for text in texts}) >= 0.9 * len(texts)


def test_no_text_is_longer_than_280_characters() -> None:
    assert max(len(text.text) for text in generate_texts(1000)) <= 280


def test_texts_have_no_unfilled_slots_or_stray_whitespace() -> None:
    for text in generate_texts(600):
        assert "{" not in text.text
        assert "}" not in text.text
        assert text.text == " ".join(text.text.split())


def test_links_only_use_reserved_example_domains() -> None:
    domains = {d for t in generate_texts(1000) for d in _DOMAIN.findall(t.text.lower())}
    assert domains == {"example.com", "example.org"}


@pytest.mark.parametrize("module", _MODULES, ids=lambda module: module.LANGUAGE)
def test_every_language_has_six_templates_per_label_with_known_slots(module: Any) -> None:
    slots = set(module.SLOTS) | _SHARED_SLOTS
    assert set(module.TEMPLATES) == set(LABEL_KEYS)
    assert all(len(module.TEMPLATES[key]) >= 6 for key in LABEL_KEYS)
    assert all(_fields(t) <= slots for key in LABEL_KEYS for t in module.TEMPLATES[key])


@pytest.mark.parametrize("module", _MODULES, ids=lambda module: module.LANGUAGE)
def test_code_mixed_templates_only_use_known_slots(module: Any) -> None:
    slots = set(module.MIXED_SLOTS) | _SHARED_SLOTS
    assert set(module.MIXED_TEMPLATES) <= set(LABEL_KEYS)
    assert all(_fields(t) <= slots for group in module.MIXED_TEMPLATES.values() for t in group)


def test_demo_text_is_immutable() -> None:
    text = generate_texts(1)[0]
    assert isinstance(text, DemoText)
    with pytest.raises(AttributeError):
        text.text = "changed"  # type: ignore[misc]


def test_negative_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="count must be zero or more"):
        generate_texts(-1)


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown demo language 'fr'"):
        generate_texts(10, languages=("en", "fr"))


def test_a_bare_string_of_languages_is_rejected() -> None:
    with pytest.raises(ValueError, match="sequence of codes"):
        generate_texts(10, languages="en")


def test_empty_languages_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least one language"):
        generate_texts(10, languages=())


def test_repeated_languages_are_rejected() -> None:
    with pytest.raises(ValueError, match="must not repeat"):
        generate_texts(10, languages=("en", "en"))


def test_default_languages_are_the_five_demo_languages() -> None:
    assert LANGUAGES == ("en", "es", "ar", "hi", "id")
