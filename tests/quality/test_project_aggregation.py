import numpy as np
import pytest
from sqlalchemy import select

from labelops import annotation, distribution, guidelines, quality
from labelops.audit import AuditEvent
from labelops.errors import Conflict, InvalidInput, PermissionDenied
from labelops.quality.confusion import disagreement
from tests.factories import make_items, make_project


def label_items(session, project, answers):
    """Each labeler leases until the queue is dry, answering by item: {actor: {external_id:
    labels}}; an item missing from a labeler's answers gets "ok"."""
    for actor, by_item in answers.items():
        while True:
            lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
            if lease is None:
                break
            labels = by_item.get(lease.item.external_id, ["ok"])
            annotation.submit_annotation(
                session,
                actor=actor,
                assignment_id=lease.assignment_id,
                submission=annotation.NewSubmission(labels=list(labels), duration_ms=800),
            )


@pytest.fixture
def split_project(session, personas):
    """Four items: item-0 and item-1 unanimous ok; on item-2 and item-3 bruno (Babel) says
    abuse.insult where alice and amir (Acme) say ok; item-3 also gets amir's threat."""
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 4)
    label_items(
        session,
        project,
        {
            personas.alice: {},
            personas.amir: {"item-3": ["abuse.threat"]},
            personas.bruno: {"item-2": ["abuse.insult"], "item-3": ["abuse.insult"]},
        },
    )
    return project


def test_dawid_skene_labels_every_item_and_describes_every_labeler(
    session, personas, split_project
):
    result = quality.project_aggregation(
        session, actor=personas.pat, project_id=split_project.id, method="ds"
    )

    assert (result.method, result.answers, result.items) == ("ds", 12, 4)
    assert result.labels == ["abuse.insult", "abuse.threat", "ok"]
    assert {labeler.username: labeler.answers for labeler in result.labelers} == {
        "alice": 4,
        "amir": 4,
        "bruno": 4,
    }
    for labeler in result.labelers:
        assert np.allclose(np.sum(labeler.matrix, axis=1), 1.0)
        assert len(labeler.matrix) == 3
        assert sum(labeler.answers_by_true_label) == pytest.approx(labeler.answers, abs=1e-5)
    assert sum(result.priors) == pytest.approx(1.0, abs=1e-5)
    labels = {i.external_id: i.label for i in result.item_labels}
    assert [labels[f"item-{n}"] for n in range(3)] == ["ok", "ok", "ok"]


def test_the_labeler_who_disagrees_has_the_lowest_accuracy(session, personas):
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 10)
    insults = {f"item-{n}": ["abuse.insult"] for n in (7, 8, 9)}
    label_items(
        session,
        project,
        {
            personas.alice: insults,
            personas.amir: insults,
            personas.bruno: {f"item-{n}": ["abuse.insult"] for n in (1, 2, 3, 7)},
        },
    )

    result = quality.project_aggregation(
        session, actor=personas.pat, project_id=project.id, method="ds"
    )

    assert result.labelers[0].username == "bruno"
    assert result.labelers[0].accuracy < min(lab.accuracy for lab in result.labelers[1:])


@pytest.mark.parametrize("method", ["mv", "ds", "ods"])
def test_item_labels_are_least_confident_first_and_paged(session, personas, split_project, method):
    everything = quality.project_aggregation(
        session, actor=personas.pat, project_id=split_project.id, method=method
    )
    page = quality.project_aggregation(
        session, actor=personas.pat, project_id=split_project.id, method=method, items=2, offset=1
    )

    confidences = [i.confidence for i in everything.item_labels]
    assert confidences == sorted(confidences)
    assert page.item_labels == everything.item_labels[1:3]


def test_majority_vote_confidence_is_the_share_of_the_winning_answer(
    session, personas, split_project
):
    result = quality.project_aggregation(
        session, actor=personas.pat, project_id=split_project.id, method="mv"
    )

    shares = {i.external_id: i.confidence for i in result.item_labels}
    assert [i.external_id for i in result.item_labels] == ["item-3", "item-2", "item-0", "item-1"]
    assert shares == pytest.approx({"item-0": 1.0, "item-1": 1.0, "item-2": 2 / 3, "item-3": 1 / 3})


def test_a_vendor_lead_sees_their_own_labelers_fitted_on_their_answers(
    session, personas, split_project
):
    result = quality.project_aggregation(
        session, actor=personas.vic, project_id=split_project.id, method="ds"
    )

    assert sorted(labeler.username for labeler in result.labelers) == ["alice", "amir"]
    assert result.answers == 8


def test_multi_choice_answers_are_aggregated_as_a_whole(session, personas):
    project = make_project(
        session, personas.pat, overlap=2, label_schema={"kind": "multi", "labels": ["a", "b"]}
    )
    make_items(session, personas.pat, project, 1)
    label_items(session, project, {personas.alice: {"item-0": ["b", "a"]}})
    label_items(session, project, {personas.bruno: {"item-0": ["a", "b"]}})

    result = quality.project_aggregation(
        session, actor=personas.pat, project_id=project.id, method="ds"
    )

    assert result.labels == ["a|b"]
    assert [(i.label, i.confidence) for i in result.item_labels] == [("a|b", 1.0)]


def test_a_project_without_annotations_has_an_empty_fit(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 2)

    result = quality.project_aggregation(session, actor=personas.pat, project_id=project.id)

    assert (result.answers, result.labelers, result.item_labels) == (0, [], [])


def test_an_unknown_method_is_refused_naming_the_field(session, personas, split_project):
    with pytest.raises(InvalidInput) as refused:
        quality.project_aggregation(
            session, actor=personas.pat, project_id=split_project.id, method="em"
        )

    assert (refused.value.code, refused.value.field) == ("bad_method", "method")


def test_labelers_and_reviewers_cannot_read_the_aggregation(session, personas, split_project):
    for actor in (personas.alice, personas.rita):
        with pytest.raises(PermissionDenied):
            quality.project_aggregation(session, actor=actor, project_id=split_project.id)


# --- confusion mining --------------------------------------------------------------------------


def test_the_pair_most_confused_comes_first_with_its_disagreements(
    session, personas, split_project
):
    report = quality.confusion_report(session, actor=personas.pat, project_id=split_project.id)

    first = report.pairs[0]
    assert first.labels == ("abuse.insult", "ok")
    # item-2: bruno vs alice and amir (2 pairs); item-3: bruno vs alice (1)
    assert first.disagreements == 3
    assert first.expected_confusions == pytest.approx(
        first.first_as_second + first.second_as_first, abs=1e-3
    )
    assert first.expected_confusions > report.pairs[-1].expected_confusions


def test_disputed_items_are_those_with_the_most_disagreement_first(
    session, personas, split_project
):
    report = quality.confusion_report(session, actor=personas.pat, project_id=split_project.id)

    assert [(i.external_id, i.answers, i.disagreement) for i in report.items] == [
        ("item-3", {"abuse.insult": 1, "abuse.threat": 1, "ok": 1}, 1.0),
        ("item-2", {"abuse.insult": 1, "ok": 2}, pytest.approx(0.5794, abs=1e-4)),
    ]
    assert report.items[0].excerpt == "text number 3"
    assert report.items[0].has_example is False


def test_disagreement_is_zero_when_unanimous_and_one_when_evenly_split():
    counts = np.array([[3, 0, 0], [1, 1, 0], [1, 1, 1], [2, 2, 2], [1, 0, 0], [0, 0, 0]])

    assert disagreement(counts).round(4).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_confusion_limits_are_checked(session, personas, split_project):
    with pytest.raises(InvalidInput) as refused:
        quality.confusion_report(
            session, actor=personas.pat, project_id=split_project.id, items=10_000
        )

    assert refused.value.field == "items"


# --- guideline examples ------------------------------------------------------------------------


def item_id(session, project, external_id):
    from labelops import projects

    return session.scalars(
        select(projects.Item.id).where(
            projects.Item.project_id == project.id, projects.Item.external_id == external_id
        )
    ).one()


def test_an_item_becomes_a_guideline_example_with_an_audit_row(session, personas, split_project):
    target = item_id(session, split_project, "item-3")

    added = guidelines.add_example(
        session,
        actor=personas.pat,
        project_id=split_project.id,
        data=guidelines.NewExample(
            item_id=target, labels=["ok"], explanation=" Mild. ", source="disagreement"
        ),
    )

    assert (added.item_id, added.labels, added.explanation, added.source, added.created_by) == (
        target,
        ["ok"],
        "Mild.",
        "disagreement",
        "pat",
    )
    assert guidelines.list_examples(session, actor=personas.alice, project_id=split_project.id) == [
        added
    ]
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "guideline_example.added")
    ).one()
    assert (audit.object_id, audit.project_id) == (added.id, split_project.id)


def test_the_confusion_report_marks_items_already_kept_as_examples(
    session, personas, split_project
):
    target = item_id(session, split_project, "item-3")
    guidelines.add_example(
        session,
        actor=personas.pat,
        project_id=split_project.id,
        data=guidelines.NewExample(item_id=target, labels=["ok"]),
    )

    report = quality.confusion_report(session, actor=personas.pat, project_id=split_project.id)

    assert [(i.external_id, i.has_example) for i in report.items] == [
        ("item-3", True),
        ("item-2", False),
    ]
    assert [e.item_id for e in report.examples] == [target]


@pytest.mark.parametrize(
    ("labels", "code"),
    [(["abuse"], "unknown_label"), (["ok", "abuse.insult"], "one_label")],
)
def test_example_labels_are_checked_against_the_schema(
    session, personas, split_project, labels, code
):
    target = item_id(session, split_project, "item-0")

    with pytest.raises(InvalidInput) as refused:
        guidelines.add_example(
            session,
            actor=personas.pat,
            project_id=split_project.id,
            data=guidelines.NewExample(item_id=target, labels=labels),
        )

    assert (refused.value.code, refused.value.field) == (code, "labels")


def test_an_item_of_another_project_cannot_be_an_example(session, personas, split_project):
    other = make_project(session, personas.pat, name="Other")
    make_items(session, personas.pat, other, 1, prefix="other")

    with pytest.raises(InvalidInput) as refused:
        guidelines.add_example(
            session,
            actor=personas.pat,
            project_id=split_project.id,
            data=guidelines.NewExample(item_id=item_id(session, other, "other-0"), labels=["ok"]),
        )

    assert (refused.value.code, refused.value.field) == ("unknown_item", "item_id")


def test_an_item_is_an_example_once(session, personas, split_project):
    data = guidelines.NewExample(item_id=item_id(session, split_project, "item-1"), labels=["ok"])
    guidelines.add_example(session, actor=personas.pat, project_id=split_project.id, data=data)

    with pytest.raises(Conflict) as refused:
        guidelines.add_example(session, actor=personas.pat, project_id=split_project.id, data=data)

    assert refused.value.code == "example_exists"


def test_only_managers_add_examples(session, personas, split_project):
    data = guidelines.NewExample(item_id=item_id(session, split_project, "item-1"), labels=["ok"])

    for actor in (personas.rita, personas.vic, personas.alice, personas.dana):
        with pytest.raises(PermissionDenied):
            guidelines.add_example(session, actor=actor, project_id=split_project.id, data=data)


def test_a_duplicate_that_slips_past_the_check_is_a_conflict(
    session, personas, split_project, monkeypatch
):
    from labelops.guidelines import examples

    data = guidelines.NewExample(item_id=item_id(session, split_project, "item-1"), labels=["ok"])
    guidelines.add_example(session, actor=personas.pat, project_id=split_project.id, data=data)
    monkeypatch.setattr(examples, "_find", lambda *args: None)  # as if added meanwhile

    with pytest.raises(Conflict) as refused:
        guidelines.add_example(session, actor=personas.pat, project_id=split_project.id, data=data)

    assert refused.value.code == "example_exists"
    assert len(guidelines.examples_of(session, split_project.id)) == 1
