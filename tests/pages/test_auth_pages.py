import pytest

from tests.factories import PASSWORD
from tests.pages.cookie_browser import CookieBrowsers, form_token, log_in, page_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def test_login_sets_a_session_cookie_and_redirects_to_next(server, people, browser_client):
    client = browser_client()

    response = log_in(client, "pat", next_="/projects?sort=name")

    assert response.status_code == 303
    assert response.headers["location"] == "/projects?sort=name"
    cookie = response.headers["set-cookie"]
    assert "labelops_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie
    assert "Secure" not in cookie
    assert client.get("/projects").status_code == 200


def test_login_without_next_sends_each_role_home(server, people, browser_client):
    labeler, pm = browser_client(), browser_client()

    to_labeler = log_in(labeler, "alice")
    to_pm = log_in(pm, "pat")

    assert to_labeler.headers["location"] == "/label"
    assert to_pm.headers["location"] == "/projects"


def test_login_ignores_a_next_that_leaves_the_site(server, people, browser_client):
    client = browser_client()

    response = log_in(client, "pat", next_="//evil.example/steal")

    assert response.headers["location"] == "/projects"


def test_login_with_a_wrong_password_shows_one_clear_message(server, people, browser_client):
    client = browser_client()
    form = client.get("/login")

    response = client.post(
        "/login",
        data={"username": "pat", "password": "not it", "csrf_token": form_token(form.text)},
    )

    assert response.status_code == 200
    assert response.text.count("Wrong username or password.") == 1
    assert 'value="pat"' in response.text
    assert "labelops_session" not in client.cookies


def test_login_without_the_login_form_token_is_refused(server, people, browser_client):
    client = browser_client()

    response = client.post("/login", data={"username": "pat", "password": PASSWORD})

    assert response.status_code == 403
    assert "This login form had expired" in response.text
    assert "labelops_session" not in client.cookies


def test_login_with_a_token_from_another_browser_is_refused(server, people, browser_client):
    attacker, victim = browser_client(), browser_client()
    token = form_token(attacker.get("/login").text)
    victim.get("/login")

    response = victim.post(
        "/login", data={"username": "pat", "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 403


def test_a_page_without_login_redirects_to_the_login_form(server, people, browser_client):
    client = browser_client()

    response = client.get("/projects/7?tab=import")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/projects/7%3Ftab%3Dimport"


def test_home_sends_a_labeler_to_label_and_a_pm_to_projects(server, people, browser_client):
    labeler, pm, nobody = browser_client("alice"), browser_client("pat"), browser_client()

    assert labeler.get("/").headers["location"] == "/label"
    assert pm.get("/").headers["location"] == "/projects"
    assert nobody.get("/").headers["location"] == "/login"


def test_login_page_sends_someone_logged_in_on_their_way(server, people, browser_client):
    client = browser_client("pat")

    response = client.get("/login?next=/users")

    assert response.status_code == 303
    assert response.headers["location"] == "/users"


def test_logout_ends_the_session(server, people, browser_client):
    client = browser_client("pat")
    page = client.get("/projects")

    response = client.post("/logout", data={"csrf_token": page_token(page.text)})

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/projects").status_code == 303


def test_logout_without_the_csrf_token_is_refused(server, people, browser_client):
    client = browser_client("pat")

    response = client.post("/logout")

    assert response.status_code == 403
    assert client.get("/projects").status_code == 200


def test_pages_forbid_framing_and_foreign_scripts(server, people, browser_client):
    client = browser_client("pat")

    response = client.get("/projects")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["cache-control"] == "no-store"
