"""Audit pages through cookie sessions and forms, as a browser without scripts would use them."""

from __future__ import annotations

import re

import pytest

from labelops import quality
from labelops.quality.sampling import sample_size
from tests.audit_data import labeled_lot
from tests.pages.cookie_browser import CookieBrowsers, form_token, page_token


@pytest.fixture
def browsers(server):
    with CookieBrowsers(server) as made:
        yield made


@pytest.fixture
def lot(db, people):
    with db.write() as session:
        return labeled_lot(session, people, english=20, spanish=4).id


def start_audit(browsers, project_id, **fields):
    pat = browsers("pat")
    page = pat.get(f"/projects/{project_id}/audits")
    form = {"batch": "", "margin": "10", "expected": "90", "name": "", **fields}
    return pat, pat.post(
        f"/projects/{project_id}/audits", data={**form, "csrf_token": page_token(page.text)}
    )


def audit_id_of(response) -> int:
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_the_pm_sees_the_sample_size_before_starting(browsers, lot):
    pat = browsers("pat")

    page = pat.get(
        f"/projects/{lot}/audits", params={"preview": "1", "margin": "10", "expected": "90"}
    )

    size = re.search(r'<strong id="plan-size">(\d+)</strong> of (\d+)', page.text)
    assert page.status_code == 200
    assert size is not None
    assert (int(size[1]), int(size[2])) == (sample_size(0.1, 0.9, population=24), 24)
    assert 'id="start-audit"' in page.text


def test_the_pm_starts_an_audit_and_lands_on_its_page(browsers, lot, db, people):
    pat, response = start_audit(browsers, lot, name="Week 48")

    page = pat.get(response.headers["location"])

    assert response.status_code == 303
    assert page.status_code == 200
    assert "Week 48" in page.text
    assert 'id="review-link"' in page.text
    with db.read() as session:
        audits = quality.list_audits(session, actor=people.pat, project_id=lot)
    assert [(a.name, a.population) for a in audits] == [("Week 48", 24)]


def test_a_margin_that_is_not_a_number_is_named(browsers, lot):
    _, response = start_audit(browsers, lot, margin="lots")

    assert response.status_code == 422
    assert "Margin: margin must be a number of points" in response.text


def test_a_margin_out_of_range_is_named(browsers, lot):
    _, response = start_audit(browsers, lot, margin="60")

    assert response.status_code == 422
    assert "Margin:" in response.text


def test_a_reviewer_marks_an_item_and_moves_to_the_next(browsers, lot):
    _, started = start_audit(browsers, lot)
    audit_id = audit_id_of(started)
    rita = browsers("rita")
    screen = rita.get(f"/audits/{audit_id}/review")
    first = re.search(r'action="/audits/\d+/items/(\d+)/verdict"', screen.text)
    assert first is not None

    response = rita.post(
        f"/audits/{audit_id}/items/{first[1]}/verdict",
        data={"verdict": "correct", "labels": "ok", "csrf_token": form_token(screen.text)},
    )
    following = rita.get(response.headers["location"])

    assert response.status_code == 303
    assert response.headers["location"] == f"/audits/{audit_id}/review"
    assert "Item 2 of" in following.text
    assert 'dir="auto" lang="' in following.text


def test_incorrect_without_the_right_label_is_named(browsers, lot):
    _, started = start_audit(browsers, lot)
    audit_id = audit_id_of(started)
    rita = browsers("rita")
    screen = rita.get(f"/audits/{audit_id}/review")
    first = re.search(r'action="/audits/\d+/items/(\d+)/verdict"', screen.text)
    assert first is not None

    response = rita.post(
        f"/audits/{audit_id}/items/{first[1]}/verdict",
        data={"verdict": "incorrect", "csrf_token": form_token(screen.text)},
    )

    assert response.status_code == 422
    assert "Right label: an incorrect verdict needs the right labels" in response.text


def test_accepting_an_unfinished_audit_says_what_is_missing(browsers, lot):
    pat, started = start_audit(browsers, lot)
    audit_id = audit_id_of(started)
    page = pat.get(f"/audits/{audit_id}")

    response = pat.post(
        f"/audits/{audit_id}/decision",
        data={"decision": "accept", "csrf_token": form_token(page.text)},
    )

    assert response.status_code == 409
    assert "still to review before the batch can be accepted" in response.text


def test_reviewers_find_audits_in_their_navigation_and_labelers_do_not(browsers, lot):
    start_audit(browsers, lot, name="For Rita")

    rita_home = browsers("rita").get("/audits")
    alice = browsers("alice")
    alice_home = alice.get("/label")
    alice_audits = alice.get("/audits")

    assert '<a href="/audits"' in rita_home.text
    assert "For Rita" in rita_home.text
    assert '<a href="/audits"' not in alice_home.text
    assert alice_audits.status_code == 403


def test_the_project_page_links_to_its_audits_for_staff_and_reviewers(browsers, lot):
    link = f'href="/projects/{lot}/audits"'

    pages = {who: browsers(who).get(f"/projects/{lot}").text for who in ("pat", "rita", "alice")}

    assert (link in pages["pat"], link in pages["rita"], link in pages["alice"]) == (
        True,
        True,
        False,
    )


def test_a_project_without_a_target_says_so(browsers, db, people):
    with db.write() as session:
        project_id = labeled_lot(session, people, english=6, spanish=0, quality_target=None).id

    page = browsers("pat").get(f"/projects/{project_id}/audits")

    assert "This project has no quality target" in page.text
