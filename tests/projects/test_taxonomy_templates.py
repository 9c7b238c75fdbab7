import pytest
from pydantic import ValidationError

from labelops import projects
from labelops.projects.taxonomy import RESERVED_KEYS


@pytest.fixture(params=projects.template_names())
def template(request):
    return projects.taxonomy_template(request.param)


def test_every_shipped_template_is_a_valid_label_schema(template):
    schema = projects.LabelSchema.model_validate(template)

    assert len(schema.leaves) >= 2


def test_every_leaf_has_a_severity_tier_an_exposure_class_and_a_description(template):
    schema = projects.LabelSchema.model_validate(template)

    missing = [
        key
        for key, leaf in schema.leaves.items()
        if not (leaf.severity and leaf.exposure and leaf.description.strip() != key)
    ]

    assert missing == []


def test_every_harm_category_maps_to_a_dsa_category():
    schema = projects.LabelSchema.model_validate(projects.default_taxonomy())

    mapped = {label.key: label.dsa_category for label in schema.labels}

    # "No violation / unclear" is no harm: no statement of reasons is issued for it.
    assert mapped.pop("none") is None
    assert all(category in projects.DSA_CATEGORIES for category in mapped.values())
    assert mapped["hate"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert mapped["child_safety"] == "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"


def test_the_dsa_list_is_the_sixteen_current_categories():
    assert len(projects.DSA_CATEGORIES) == 16
    assert "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT" not in projects.DSA_CATEGORIES


def test_a_dsa_category_given_by_its_official_name_is_read_as_its_constant():
    label = projects.Label(key="x", name="x", description="x", hotkey="1", dsa_category="Self-harm")

    assert label.dsa_category == "STATEMENT_CATEGORY_SELF_HARM"


def test_an_unknown_dsa_category_is_refused():
    with pytest.raises(ValidationError, match="not an EU DSA statement-of-reasons category"):
        projects.Label(key="x", name="x", description="x", hotkey="1", dsa_category="Rudeness")


def test_a_custom_schema_needs_no_dsa_category():
    label = projects.Label(key="x", name="x", description="x", hotkey="1")

    assert label.dsa_category is None


def test_shift_q_is_kept_for_questions_and_no_label_may_take_it():
    assert "Q" in RESERVED_KEYS
    with pytest.raises(ValidationError, match="reserved"):
        projects.LabelSchema.model_validate(
            {"labels": [{"key": "a", "name": "a", "description": "a", "hotkey": "Q"}, "b"]}
        )


def test_templates_are_listed_with_their_titles():
    listed = projects.list_templates()

    assert [t.name for t in listed] == projects.template_names()
    assert listed[0].title == "Trust & Safety (default)"
    assert "title" not in projects.taxonomy_template(listed[0].name)
