import re
from datetime import UTC, datetime, timedelta

import pytest

from labelops import projects
from labelops.auth import Role
from tests.factories import make_user
from tests.pages.cookie_browser import CookieBrowsers, form_token

NEXT_YEAR = (datetime.now(UTC).date() + timedelta(days=365)).isoformat()


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def demand_form(token, **overrides):
    return {
        "csrf_token": token,
        "title": "Hindi harassment training set",
        "purpose": "training_data",
        "taxonomy_template": "ts-default",
        "taxonomy_notes": "",
        "language": ["hi", "en", ""],
        "volume": ["4,000", "1000", ""],
        "deadline": NEXT_YEAR,
        "target_accuracy": "92",
        "target_alpha": "0.65",
        "budget": "8000",
        "S0": "60",
        "S1": "25",
        "S2": "15",
        **overrides,
    }


def submit_in_browser(client, **overrides):
    page = client.get("/demands/new")
    return client.post("/demands/new", data=demand_form(form_token(page.text), **overrides))


def test_a_demander_submits_the_form_and_lands_on_the_demand(server, db, people, browser_client):
    dana = browser_client("dana")

    response = submit_in_browser(dana)

    assert response.status_code == 303
    demand_id = int(response.headers["location"].rsplit("/", 1)[1])
    with db.read() as session:
        demand = session.get(projects.Demand, demand_id)
        assert demand is not None
        assert demand.volumes == [
            {"language": "hi", "volume": 4000},
            {"language": "en", "volume": 1000},
        ]
        assert demand.severity_mix == {"S0": 0.6, "S1": 0.25, "S2": 0.15}
        assert (demand.target_accuracy, demand.target_alpha, demand.budget) == (0.92, 0.65, 8000)
    page = dana.get(response.headers["location"])
    assert "Hindi harassment training set" in page.text
    assert "5,000 in 2 languages" in page.text


def test_the_form_names_the_field_that_is_wrong(server, people, browser_client):
    dana = browser_client("dana")

    mix = submit_in_browser(dana, S2="5")
    volume = submit_in_browser(dana, volume=["lots", "1000", ""])
    taxonomy = submit_in_browser(dana, taxonomy_template="")

    assert mix.status_code == volume.status_code == taxonomy.status_code == 422
    assert "Severity mix: shares must add up to 1 (100 %), not 0.90" in mix.text
    assert "Volumes: row 1: enter the number of items as a whole number" in volume.text
    assert "Taxonomy description: pick a taxonomy template" in taxonomy.text
    assert 'value="lots"' in volume.text  # what was typed is kept


def test_the_list_shows_a_demander_only_their_own(server, db, people, browser_client):
    with db.write() as session:
        make_user(session, "dora", Role.DEMANDER)
    submit_in_browser(browser_client("dora"), title="Dora's secret demand")
    dana = browser_client("dana")
    submit_in_browser(dana)

    mine = dana.get("/demands")
    staff = browser_client("pat").get("/demands")

    assert "Hindi harassment training set" in mine.text
    assert "Dora&#39;s secret demand" not in mine.text
    assert "Dora&#39;s secret demand" in staff.text
    assert 'href="/demands"' in mine.text  # in the navigation


def test_labelers_and_vendor_leads_cannot_open_demands(server, people, browser_client):
    response = submit_in_browser(browser_client("dana"))
    demand_url = response.headers["location"]

    codes = [
        browser_client(who).get(url).status_code
        for who in ("alice", "vic")
        for url in ("/demands", demand_url)
    ]
    nav = browser_client("vic").get("/projects").text

    assert codes == [403, 403, 403, 403]
    assert 'href="/demands"' not in nav


def test_a_pm_comments_and_takes_the_demand_on_its_page(server, db, people, browser_client):
    demand_url = submit_in_browser(browser_client("dana")).headers["location"]
    pat = browser_client("pat")
    page = pat.get(demand_url)

    commented = pat.post(
        f"{demand_url}/comments", data={"csrf_token": form_token(page.text), "body": "Why 4k?"}
    )
    moved = pat.post(
        f"{demand_url}/status", data={"csrf_token": form_token(page.text), "status": "evaluating"}
    )
    after = pat.get(demand_url).text

    assert commented.status_code == moved.status_code == 303
    assert "Why 4k?" in after
    assert 'id="demand-status">Evaluating<' in after
    assert f'href="{demand_url}/evaluation" id="evaluation-link"' in after
    assert re.search(
        r'class="history-what">Evaluating</span>\s*<span class="muted small">pat', after
    )


def test_rejecting_without_a_note_is_shown_on_the_page(server, people, browser_client):
    demand_url = submit_in_browser(browser_client("dana")).headers["location"]
    pat = browser_client("pat")
    page = pat.get(demand_url)

    response = pat.post(
        f"{demand_url}/status", data={"csrf_token": form_token(page.text), "status": "rejected"}
    )

    assert response.status_code == 422
    assert "Note: say why the demand is rejected" in response.text


def test_a_demander_changes_the_spec_and_the_history_shows_it(server, people, browser_client):
    dana = browser_client("dana")
    demand_url = submit_in_browser(dana).headers["location"]
    edit = dana.get(f"{demand_url}/edit")

    saved = dana.post(f"{demand_url}/edit", data=demand_form(form_token(edit.text), budget="9500"))
    page = dana.get(demand_url).text

    assert 'value="4000"' in edit.text
    assert saved.status_code == 303
    assert "Budget: 8000.0 → 9500.0" in page


def test_the_new_project_form_takes_a_deadline(server, db, people, browser_client):
    pat = browser_client("pat")
    form = pat.get("/projects/new")

    response = pat.post(
        "/projects/new",
        data={
            "csrf_token": form_token(form.text),
            "name": "Dated",
            "languages": "en",
            "deadline": "2031-03-31",
        },
    )

    assert response.status_code == 303
    with db.read() as session:
        project = session.query(projects.Project).one()
        assert project.deadline.isoformat() == "2031-03-31"
