import json

import pytest
from sqlalchemy import func, select

from labelops import guidelines, projects
from labelops.db import Database
from tests.factories import jsonl, label_next, make_items, make_project
from tests.pages.cookie_browser import CookieBrowsers, page_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def _new_project_form(csrf: str, **fields: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "csrf_token": csrf,
        "name": "Hate speech, Arabic",
        "description": "Q4 sample",
        "languages": "ar, en",
        "overlap": "3",
        "lease_minutes": "15",
        "schema_source": "default",
        "kind": "single",
        "guidelines": "# Read it all\n\nThen choose.",
        "vendors": ["Acme"],
        "demander": "dana",
    }
    form.update(fields)
    return form


def _project_count(db: Database) -> int | None:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(projects.Project))


def test_pm_creates_a_project_through_the_form(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)

    response = client.post("/projects/new", data=_new_project_form(csrf))

    assert response.status_code == 303
    project_id = int(response.headers["location"].rsplit("/", 1)[1])
    with db.read() as session:
        project = projects.project_out(session, session.get(projects.Project, project_id))
        current = guidelines.current_guidelines(session, project_id)
    assert (project.name, project.languages, project.overlap) == (
        "Hate speech, Arabic",
        ["ar", "en"],
        3,
    )
    assert (project.lease_seconds, project.vendors, project.demander) == (900, ["Acme"], "dana")
    assert project.label_schema.labels[0].key == "hate"
    assert current is not None
    assert current.body.startswith("# Read it all")


def test_new_project_with_a_pasted_schema_takes_the_chosen_kind(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)
    schema = {"labels": ["toxic", "fine"]}

    response = client.post(
        "/projects/new",
        data=_new_project_form(
            csrf, schema_source="custom", custom_schema=json.dumps(schema), kind="multi"
        ),
    )

    assert response.status_code == 303
    with db.read() as session:
        project = session.scalars(select(projects.Project)).one()
        schema_out = projects.label_schema(project)
    assert schema_out.kind == "multi"
    assert [(label.key, label.hotkey) for label in schema_out.labels] == [
        ("toxic", "1"),
        ("fine", "2"),
    ]


def test_new_project_form_names_the_field_of_broken_schema_json(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)

    response = client.post(
        "/projects/new",
        data=_new_project_form(csrf, schema_source="custom", custom_schema='{"labels": [}'),
    )

    assert response.status_code == 422
    assert "Label schema: not valid JSON (line 1, column 13)" in response.text
    assert "Hate speech, Arabic" in response.text  # what was typed is kept
    assert _project_count(db) == 0


def test_new_project_form_names_the_field_of_an_invalid_schema(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)
    schema = {"labels": [{"key": "a", "name": "A", "description": "A", "hotkey": "s"}, "b"]}

    response = client.post(
        "/projects/new",
        data=_new_project_form(csrf, schema_source="custom", custom_schema=json.dumps(schema)),
    )

    assert response.status_code == 422
    assert "Label schema: label &#39;a&#39;: hotkey &#39;s&#39; is reserved" in response.text


def test_new_project_form_names_a_bad_language(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)

    response = client.post("/projects/new", data=_new_project_form(csrf, languages="en, x y"))

    assert response.status_code == 422
    assert "Languages: #2: &#39;x y&#39; is not a language tag" in response.text
    assert 'id="languages" name="languages"' in response.text
    assert 'aria-invalid="true" aria-describedby="languages-error"' in response.text


def test_new_project_form_names_an_unknown_vendor(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)

    response = client.post("/projects/new", data=_new_project_form(csrf, vendors=["Nobody"]))

    assert response.status_code == 422
    assert "Vendors: no vendor named &#39;Nobody&#39;" in response.text


def test_a_form_post_without_the_csrf_token_is_refused(server, db, people, browser_client):
    client = browser_client("pat")

    response = client.post("/projects/new", data=_new_project_form(""))

    assert response.status_code == 403
    assert "CSRF" in response.text
    assert _project_count(db) == 0


def test_a_labeler_cannot_open_the_new_project_form(server, people, browser_client):
    client = browser_client("alice")

    response = client.get("/projects/new")

    assert response.status_code == 403
    assert "You don&#39;t have access to this" in response.text
    assert "a labeler may not create project" in response.text


def test_project_page_shows_progress_guidelines_and_schema(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, guidelines="Be **kind**.")
        make_items(session, people.pat, project, 3)
        label_next(session, people.alice, project, ["abuse.threat"])
    client = browser_client("pat")

    response = client.get(f"/projects/{project.id}")

    assert response.status_code == 200
    page = response.text
    assert (
        '<span class="stat-value" data-field="annotations" id="annotation-count">1</span>' in page
    )
    assert '<dd data-field="items.total">3</dd>' in page
    assert "<td>alice</td><td>Acme</td>" in page
    assert "<p>Be <strong>kind</strong>.</p>" in page
    assert '<code class="schema-key">abuse.threat</code>' in page
    assert f'action="/projects/{project.id}/import"' in page
    assert f"/api/v1/projects/{project.id}/export?format=csv&amp;raw=true" in page


def test_project_page_hides_management_from_a_demander(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, demander="dana")
    client = browser_client("dana")

    page = client.get(f"/projects/{project.id}").text

    assert 'id="annotation-count"' in page
    assert "/import" not in page
    assert "Publish a new version" not in page
    assert "raw=true" not in page


def test_pause_button_pauses_a_running_project(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project.id}").text)

    response = client.post(
        f"/projects/{project.id}/status", data={"status": "paused", "csrf_token": csrf}
    )

    assert response.status_code == 303
    assert "Resume" in client.get(f"/projects/{project.id}").text


def test_a_transition_the_lifecycle_forbids_shows_a_conflict_page(
    server, db, people, browser_client
):
    with db.write() as session:
        project = make_project(session, people.pat)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project.id}").text)

    response = client.post(
        f"/projects/{project.id}/status", data={"status": "draft", "csrf_token": csrf}
    )

    assert response.status_code == 409
    assert "a running project cannot become draft" in response.text


def test_publishing_guidelines_adds_a_version(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, guidelines="v1")
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project.id}").text)

    response = client.post(
        f"/projects/{project.id}/guidelines", data={"body": "v2 *now*", "csrf_token": csrf}
    )

    assert response.status_code == 303
    page = client.get(f"/projects/{project.id}").text
    assert "Version 2" in page
    assert "<p>v2 <em>now</em></p>" in page


def test_import_form_reports_each_rejected_line_by_number(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project.id}").text)
    upload = jsonl(
        [
            {"external_id": "a", "text": "fine"},
            {"external_id": "b"},
            {"external_id": "c", "text": "also fine"},
        ]
    )

    response = client.post(
        f"/projects/{project.id}/import",
        data={"csrf_token": csrf, "format": "auto"},
        files={"file": ("batch.jsonl", upload, "application/x-ndjson")},
    )

    assert response.status_code == 200
    page = response.text
    assert "Imported <strong data-imported>2</strong> items" in page
    assert "<strong data-rejected>1</strong> line rejected" in page
    assert '<tr><td class="num">2</td><td><code>' in page
    with db.read() as session:
        stored = session.scalars(
            select(projects.Item.external_id).order_by(projects.Item.external_id)
        ).all()
    assert stored == ["a", "c"]


def test_import_of_an_unreadable_file_says_nothing_was_imported(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project.id}").text)

    response = client.post(
        f"/projects/{project.id}/import",
        data={"csrf_token": csrf, "format": "csv"},
        files={"file": ("empty.csv", b"", "text/csv")},
    )

    assert response.status_code == 422
    assert "Nothing was imported." in response.text


def test_projects_list_shows_done_over_total(server, db, people, browser_client):
    with db.write() as session:
        project = make_project(session, people.pat, name="Spam sweep", languages=["en", "es"])
        make_items(session, people.pat, project, 4)
        label_next(session, people.alice, project)
    client = browser_client("pat")

    page = client.get("/projects").text

    assert f'<a class="row-title" href="/projects/{project.id}">Spam sweep</a>' in page
    assert "<strong>1</strong> / 4" in page
    assert '<span class="lang">es</span>' in page
    assert 'href="/projects/new"' in page


def test_quality_settings_are_typed_as_percentages(server, db, people, browser_client):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)
    form = _new_project_form(
        csrf,
        max_overlap="5",
        target_confidence="90",
        gold_rate="10 %",
        gold_threshold="70",
        quality_target="",
        qualification_items="4",
    )

    response = client.post("/projects/new", data=form)

    assert response.status_code == 303
    project_id = int(response.headers["location"].rsplit("/", 1)[1])
    with db.read() as session:
        project = projects.project_out(session, session.get(projects.Project, project_id))
    assert (project.max_overlap, project.target_confidence, project.gold_rate) == (5, 0.9, 0.1)
    assert (project.gold_threshold, project.quality_target) == (0.7, None)
    assert (project.qualification_items, project.qualification_pass_mark) == (4, 0.8)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gold_threshold", "ninety", "enter a percentage"),
        ("gold_rate", "80", "Gold share"),
        ("max_overlap", "2", "cannot be below overlap"),
        ("qualification_tries", "1.5", "enter a whole number"),
    ],
)
def test_a_bad_quality_setting_is_named(server, db, people, browser_client, field, value, message):
    client = browser_client("pat")
    csrf = page_token(client.get("/projects/new").text)

    response = client.post("/projects/new", data=_new_project_form(csrf, **{field: value}))

    assert response.status_code == 422
    assert f'href="#field-{field}"' in response.text
    assert message in response.text
    assert _project_count(db) == 0
