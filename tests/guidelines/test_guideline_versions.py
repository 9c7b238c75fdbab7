import pytest
from sqlalchemy import select

from labelops import audit, guidelines, projects
from labelops.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import make_items, make_project


def publish(session, actor, project, **fields):
    return guidelines.publish(
        session, actor=actor, project_id=project.id, data=guidelines.NewGuidelines(**fields)
    )


INSULT = {"definition": "Demeaning a person.", "use_when": "A person is targeted."}


def test_changed_labels_are_those_added_reworded_or_removed(session, personas):
    project = make_project(session, personas.pat)
    publish(
        session,
        personas.pat,
        project,
        body="v1",
        sections={"ok": {"definition": "Fine."}, "abuse.insult": INSULT},
    )

    row, published = publish(
        session,
        personas.pat,
        project,
        body="v2",
        sections={
            "abuse.insult": {**INSULT, "not_when": "Quoting to condemn."},
            "abuse.threat": {"definition": "Intent to harm."},
        },
    )

    assert published.changed_labels == ["abuse.insult", "abuse.threat", "ok"]
    assert row.changed_labels == ["abuse.insult", "abuse.threat", "ok"]


def test_rewrapping_a_section_does_not_count_as_a_change(session, personas):
    project = make_project(session, personas.pat)
    publish(session, personas.pat, project, sections={"abuse.insult": INSULT})

    _, published = publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": {**INSULT, "definition": "Demeaning\n  a person. "}},
    )

    assert published.changed_labels == []


def test_a_section_for_a_label_outside_the_schema_is_refused_naming_it(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(InvalidInput) as error:
        publish(session, personas.pat, project, sections={"spam": {"definition": "Ads."}})

    assert error.value.field == "sections.spam"
    assert "'spam' is not a label" in error.value.message
    assert guidelines.current_guidelines(session, project.id) is None


def test_glossary_locales_are_normalised_and_sorted(session, personas):
    project = make_project(session, personas.pat)

    row, _ = publish(
        session,
        personas.pat,
        project,
        glossary=[
            {"locale": "ES_mx", "term": "naco", "definition": "Classist slur."},
            {"locale": "en", "term": "unalive", "definition": "Kill, said to dodge filters."},
        ],
    )

    assert row.glossary == [
        {"locale": "en", "term": "unalive", "definition": "Kill, said to dodge filters."},
        {"locale": "es-mx", "term": "naco", "definition": "Classist slur."},
    ]


def test_a_bad_glossary_locale_names_its_row(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(InvalidInput) as error:
        publish(
            session,
            personas.pat,
            project,
            glossary=[
                {"locale": "en", "term": "unalive", "definition": "Kill."},
                {"locale": "english!", "term": "kys", "definition": "Kill yourself."},
            ],
        )

    assert error.value.field == "glossary.1.locale"


def test_a_term_twice_in_one_locale_is_refused(session, personas):
    project = make_project(session, personas.pat)
    entry = {"locale": "en", "term": "unalive", "definition": "Kill."}

    with pytest.raises(InvalidInput) as error:
        publish(session, personas.pat, project, glossary=[entry, {**entry, "term": "Unalive"}])

    assert (error.value.code, error.value.field) == ("duplicate_glossary_term", "glossary.1.term")


def test_only_managers_publish(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(PermissionDenied):
        publish(session, personas.alice, project, body="mine")


def test_publishing_is_audited_with_the_changed_labels(session, personas):
    project = make_project(session, personas.pat)

    row, _ = publish(session, personas.pat, project, sections={"ok": {"definition": "Fine."}})

    event = session.scalars(
        select(audit.AuditEvent).where(
            audit.AuditEvent.action == "guidelines.published",
            audit.AuditEvent.object_id == row.id,
        )
    ).one()
    assert event.data == {"version": 1, "changed_labels": ["ok"]}


def test_the_diff_shows_text_labels_and_glossary_changes(session, personas):
    project = make_project(session, personas.pat)
    publish(
        session,
        personas.pat,
        project,
        body="Read it all.",
        sections={"abuse.insult": INSULT},
        glossary=[{"locale": "en", "term": "ratio", "definition": "Pile-on."}],
    )
    publish(
        session,
        personas.pat,
        project,
        body="Read it all.",
        sections={"abuse.insult": {**INSULT, "definition": "Demeaning a person or a group."}},
        glossary=[{"locale": "en", "term": "unalive", "definition": "Kill."}],
    )

    diff = guidelines.diff_versions(
        session, actor=personas.alice, project_id=project.id, from_version=1, to_version=2
    )

    assert diff.changed_labels == ["abuse.insult"]
    assert [(t.locale, t.term) for t in diff.glossary_added] == [("en", "unalive")]
    assert [(t.locale, t.term) for t in diff.glossary_removed] == [("en", "ratio")]
    assert "-**Definition:** Demeaning a person." in diff.unified
    assert "+**Definition:** Demeaning a person or a group." in diff.unified
    assert [line.kind for line in diff.lines if line.text.startswith("**Definition")] == [
        "del",
        "ins",
    ]


def test_a_diff_to_a_missing_version_names_the_parameter(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")

    with pytest.raises(NotFound) as error:
        guidelines.diff_versions(
            session, actor=personas.pat, project_id=project.id, from_version=1, to_version=7
        )

    assert error.value.message.startswith("to:")


def test_the_document_shows_sections_with_examples_and_the_readers_glossary(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    item = session.scalars(
        select(projects.Item).where(projects.Item.project_id == project.id)
    ).one()
    guidelines.add_example(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=guidelines.NewExample(
            item_id=item.id, labels=["abuse.insult"], explanation="Mocking."
        ),
    )
    row, _ = publish(
        session,
        personas.pat,
        project,
        body="# Intro",
        sections={"abuse.insult": INSULT},
        glossary=[
            {"locale": "es-mx", "term": "naco", "definition": "Classist slur."},
            {"locale": "ar", "term": "x", "definition": "y"},
        ],
    )

    document = guidelines.render_document(
        session, project=project, version=row, locales=frozenset({"en", "es"})
    )

    assert "<h1>Intro</h1>" in document.intro_html
    assert [(s.key, s.group) for s in document.labels] == [("abuse.insult", "Abuse")]
    assert document.labels[0].use_when_html == "<p>A person is targeted.</p>\n"
    assert [e.explanation for e in document.labels[0].examples] == ["Mocking."]
    assert [g.term for g in document.glossary] == ["naco"]


def test_old_body_only_publishing_keeps_working(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")

    row = guidelines.publish_guidelines(
        session, actor=personas.pat, project_id=project.id, body="v2"
    )

    assert (row.version, row.body, row.sections, row.glossary) == (2, "v2", {}, [])
