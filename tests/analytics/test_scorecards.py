"""Scorecards and the invoice check on a constructed project whose figures are worked out by
hand: three labelers, two vendors, four items at overlap 3."""

import pytest
from sqlalchemy import select

from labelops import analytics, annotation, distribution, workforce
from labelops.errors import PermissionDenied
from tests.factories import make_items, make_project

ANSWERS = {  # item -> labeler -> label; finals by majority: ok, insult, insult, ok
    "item-0": {"alice": "ok", "bruno": "ok", "amir": "ok"},
    "item-1": {"alice": "ok", "bruno": "abuse.insult", "amir": "abuse.insult"},
    "item-2": {"alice": "ok", "bruno": "abuse.insult", "amir": "abuse.insult"},
    "item-3": {"alice": "ok", "bruno": "ok", "amir": "abuse.insult"},
}
DURATIONS = {"alice": 1000, "bruno": 1500, "amir": 2000}


def answer_everything(session, personas, project):
    for name in ("alice", "bruno", "amir"):
        actor = getattr(personas, name)
        while lease := distribution.lease_next_item(session, actor=actor, project_id=project.id):
            label = ANSWERS[lease.item.external_id][name]
            annotation.submit_annotation(
                session,
                actor=actor,
                assignment_id=lease.assignment_id,
                submission=annotation.NewSubmission(labels=[label], duration_ms=DURATIONS[name]),
            )


@pytest.fixture
def project(session, personas):
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 4)
    answer_everything(session, personas, project)
    vendors = dict(session.execute(select(workforce.Vendor.name, workforce.Vendor.id)).all())
    session.add_all(
        [
            workforce.VendorLanguage(
                vendor_id=vendors["Acme"], language="en", hourly_rate=30.0, weekly_hours=100
            ),
            workforce.VendorLanguage(
                vendor_id=vendors["Babel"],
                language="en",
                hourly_rate=20.0,
                weekly_hours=100,
                label_rate=0.05,
            ),
        ]
    )
    session.flush()
    return project


def by_name(cards):
    return {card.name: card for card in cards}


def test_each_labelers_answers_are_judged_against_the_majority(session, personas, project):
    cards = analytics.project_scorecards(session, actor=personas.pat, project_id=project.id)

    labelers = by_name(cards.labelers)
    assert {
        name: (c.answers, c.accepted, c.rejected, c.undecided) for name, c in labelers.items()
    } == {
        "alice": (4, 2, 2, 0),
        "bruno": (4, 4, 0, 0),
        "amir": (4, 3, 1, 0),
    }
    assert labelers["alice"].rework.value == 0.5
    assert (labelers["alice"].agreement.successes, labelers["alice"].agreement.n) == (3, 8)
    assert (labelers["bruno"].agreement.successes, labelers["bruno"].agreement.n) == (5, 8)
    assert (labelers["amir"].agreement.successes, labelers["amir"].agreement.n) == (4, 8)
    assert labelers["alice"].aht_ms.value == 1000
    assert labelers["alice"].gold.value is None
    assert labelers["alice"].sla is None


def test_vendors_add_up_their_labelers_and_price_their_work(session, personas, project):
    cards = analytics.project_scorecards(session, actor=personas.pat, project_id=project.id)

    vendors = by_name(cards.vendors)
    acme, babel = vendors["Acme"], vendors["Babel"]
    assert (acme.answers, acme.accepted, acme.rejected) == (8, 5, 3)
    assert (babel.answers, babel.accepted, babel.rejected) == (4, 4, 0)
    # Acme bills by the hour: 30 x (4 x 1 s + 4 x 2 s) = 0.10; Babel 0.05 a label.
    assert acme.cost == pytest.approx(0.10)
    assert acme.cost_per_accepted == pytest.approx(0.02)
    assert babel.cost == pytest.approx(0.20)
    assert babel.cost_per_accepted == pytest.approx(0.05)
    assert acme.rework.low is not None
    assert acme.rework.high is not None
    assert acme.rework.low < 3 / 8 < acme.rework.high


def test_a_vendor_lead_sees_only_their_vendor_and_its_labelers(session, personas, project):
    cards = analytics.project_scorecards(session, actor=personas.vic, project_id=project.id)

    assert [card.name for card in cards.vendors] == ["Acme"]
    assert sorted(card.name for card in cards.labelers) == ["alice", "amir"]


def test_labelers_cannot_read_scorecards(session, personas, project):
    with pytest.raises(PermissionDenied):
        analytics.project_scorecards(session, actor=personas.alice, project_id=project.id)


def test_the_invoice_check_bills_every_answer_against_the_accepted(session, personas, project):
    lines = analytics.invoice_check(session, actor=personas.pat, project_id=project.id)

    assert [(x.vendor, x.language, x.billable, x.accepted, x.rejected) for x in lines] == [
        ("Acme", "en", 8, 5, 3),
        ("Babel", "en", 4, 4, 0),
    ]
    acme, babel = lines
    assert (acme.amount, acme.rate) == (0.1, "30.00 per hour")
    # accepted: alice 2 x 30 x 1 s + amir 3 x 30 x 2 s = 0.0667
    assert acme.accepted_amount == 0.07
    assert (babel.amount, babel.accepted_amount, babel.rate) == (0.2, 0.2, "0.05 per label")


def test_an_unknown_invoice_period_names_the_field(session, personas, project):
    with pytest.raises(Exception, match="week or month") as raised:
        analytics.invoice_check(session, actor=personas.pat, project_id=project.id, period="day")
    assert getattr(raised.value, "field", None) == "period"


def test_the_median_interval_uses_the_binomial_order_statistics():
    median = analytics.median_interval(range(1, 101))

    assert (median.value, median.low, median.high) == (50.5, 40.0, 61.0)
    assert analytics.median_interval([3, 1, 2]).low is None
    assert analytics.median_interval([]).value is None
