import pytest

from labelops import workforce
from labelops.auth import SYSTEM, Role
from tests.factories import make_project
from tests.pages.cookie_browser import CookieBrowsers, page_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def _user_form(csrf: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "username": "nadia",
        "password": "a long enough password",
        "role": "labeler",
        "vendor": "Acme",
        "languages": "ar, fr",
    }
    form.update(fields)
    return form


def test_pm_adds_a_labeler_through_the_users_form(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/users").text)

    response = client.post("/users", data=_user_form(csrf))

    assert response.status_code == 303
    assert response.headers["location"] == "/users?created=nadia"
    assert "Created user <strong>nadia</strong>" in client.get("/users?created=nadia").text
    with db.read() as session:
        nadia = next(
            u for u in workforce.list_users(session, actor=SYSTEM) if u.username == "nadia"
        )
    assert (nadia.role, nadia.vendor, nadia.languages) == (Role.LABELER, "Acme", ["ar", "fr"])


def test_users_form_names_the_field_that_is_wrong(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/users").text)

    response = client.post("/users", data=_user_form(csrf, password="short"))

    assert response.status_code == 422
    assert "Password: String should have at least 10 characters" in response.text
    assert 'value="nadia"' in response.text
    assert "short" not in response.text.split("<form", 2)[-1].split("</form>")[0]


def test_users_form_says_when_a_username_is_taken(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/users").text)

    response = client.post("/users", data=_user_form(csrf, username="alice"))

    assert response.status_code == 422
    assert "Username: username &#39;alice&#39; is taken" in response.text


def test_users_form_offers_only_roles_the_actor_may_grant(server, people, browser_client):
    pm_page = browser_client("pat").get("/users").text
    lead_page = browser_client("vic").get("/users").text

    assert '<option value="reviewer"' in pm_page
    assert '<option value="pm"' not in pm_page
    assert '<option value="reviewer"' not in lead_page
    assert '<option value="labeler" selected>' in lead_page


def test_vendor_lead_sees_only_their_own_vendors_people(server, people, browser_client):
    client = browser_client("vic")

    page = client.get("/users").text

    assert "<strong>alice</strong>" in page
    assert "<strong>bruno</strong>" not in page
    assert 'value="Acme" readonly' in page


def test_a_labeler_cannot_open_the_users_page(server, people, browser_client):
    client = browser_client("alice")

    response = client.get("/users")

    assert response.status_code == 403


def test_labeler_home_lists_their_projects_with_a_start_button(server, db, people, browser_client):
    with db.write() as session:
        running = make_project(session, people.pat, name="Running one")
        make_project(session, people.pat, name="Spanish only", languages=["es"])
        bruno_cannot = make_project(session, people.pat, name="Not for Bruno", languages=["ar"])
    client = browser_client("bruno")

    page = client.get("/label").text

    assert f'href="/label/{running.id}">Start labeling</a>' in page
    assert "Spanish only" not in page
    assert f"/label/{bruno_cannot.id}" not in page


def test_labeling_screen_hands_the_schema_to_the_script(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, guidelines="Read **all** of it.")
    client = browser_client("alice")

    response = client.get(f"/label/{project.id}")

    assert response.status_code == 200
    page = response.text
    assert '<script type="application/json" id="labeling-config">' in page
    assert '"key": "abuse.threat"' in page or '"key":"abuse.threat"' in page
    assert '<meta name="csrf-token"' in page
    assert '<div class="item-text" id="item-text" dir="auto"></div>' in page
    assert "Read <strong>all</strong> of it." in page
    assert '<script src="/static/labeling.js" defer></script>' in page


def test_labeling_screen_of_a_paused_project_explains_why(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, status="paused")
    client = browser_client("alice")

    response = client.get(f"/label/{project.id}")

    assert response.status_code == 409
    assert "is paused, not running" in response.text


def test_labeling_screen_is_only_for_labelers(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat)
    client = browser_client("pat")

    assert client.get(f"/label/{project.id}").status_code == 403
    assert client.get("/label").status_code == 403


def test_labeling_screen_shows_the_guideline_examples(server, db, people, browser_client):
    from sqlalchemy import select

    from labelops import guidelines, projects
    from tests.factories import make_items

    with db.write() as session:
        project = make_project(session, people.pat)
        make_items(session, people.pat, project, 1)
        item = session.scalars(
            select(projects.Item).where(projects.Item.project_id == project.id)
        ).one()
        guidelines.add_example(
            session,
            actor=people.pat,
            project_id=project.id,
            data=guidelines.NewExample(
                item_id=item.id, labels=["ok"], explanation="Sarcasm <b>is</b> fine."
            ),
        )
    client = browser_client("alice")

    page = client.get(f"/label/{project.id}").text

    assert '<h3 id="examples-title">Examples</h3>' in page
    assert '<blockquote dir="auto">text number 0</blockquote>' in page
    assert "<code>ok</code> — Sarcasm &lt;b&gt;is&lt;/b&gt; fine." in page
