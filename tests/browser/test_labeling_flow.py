"""The labeling screen in a real browser: keyboard only, prefetch, right-to-left text, skips,
and the PM's dashboard following along."""

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from labelops import annotation, distribution, projects
from labelops.db import Database
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import Personas, jsonl, label_next, make_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def browsing(chromium, server):
    session = Browsing(chromium, server)
    yield session
    session.close()
    assert session.problems == []


@pytest.fixture
def screens(request):
    return screens_for(request.node.name)


GUIDELINES = """# How to label

1. Read the **whole** text.
2. Is someone insulted or threatened? → **Abuse**, then pick *Insult* or *Threat*.
3. Nothing applies → **Fine**.

Skip with a reason when you cannot read the language or it is too much right now.
"""
ARABIC = "هذا نص تجريبي باللغة العربية، مع كلمة English في وسطه."
ENGLISH = [
    "You people never listen. Go away.",
    "I will find you after school, watch out.",
    "Lovely weather at the lake today!",
    "Can someone explain the new rules?",
]


def _project(
    db: Database,
    people: Personas,
    *,
    arabic: bool = True,
    english: list[str] = ENGLISH,
    **fields: Any,
) -> projects.Project:
    rows = [
        {"external_id": f"en-{i}", "text": text, "language": "en"} for i, text in enumerate(english)
    ]
    if arabic:
        rows.append({"external_id": "ar-0", "text": ARABIC, "language": "ar"})
    with db.write() as session:
        project = make_project(
            session, people.pat, languages=["en", "ar"], guidelines=GUIDELINES, **fields
        )
        if rows:
            projects.import_items(
                session,
                actor=people.pat,
                project_id=project.id,
                stream=io.BytesIO(jsonl(rows)),
                fmt="jsonl",
            )
    return project


def _open_labeling(page: Page, project_id: int) -> None:
    page.goto(f"/label/{project_id}")
    expect(page.locator("#item-card")).to_be_visible()


def _shown_item(page: Page) -> str:
    return page.locator("#item-external-id").inner_text()


def _next_item_after(page: Page, previous: str) -> str:
    expect(page.locator("#item-external-id")).not_to_have_text(previous)
    return _shown_item(page)


def _annotations(db: Database, project_id: int) -> list[tuple[str, list[str], int | None]]:
    with db.read() as session:
        rows = session.execute(
            select(projects.Item.external_id, annotation.Annotation.labels)
            .add_columns(annotation.Annotation.duration_ms)
            .join(projects.Item, projects.Item.id == annotation.Annotation.item_id)
            .where(annotation.Annotation.project_id == project_id)
            .order_by(annotation.Annotation.id)
        ).all()
    return [(ext, labels, duration) for ext, labels, duration in rows]


def _statuses(db: Database, project_id: int) -> dict[str, str]:
    """Each assignment's status, by its item's external id."""
    with db.read() as session:
        rows = session.execute(
            select(projects.Item.external_id, distribution.Assignment.status)
            .join(projects.Item, projects.Item.id == distribution.Assignment.item_id)
            .where(distribution.Assignment.project_id == project_id)
        ).all()
    return {external_id: status for external_id, status in rows}  # noqa: C416 (typed rows)


def _eventually(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


def test_a_labeler_labels_three_items_with_the_keyboard_alone(
    server, db, people, browsing, screens
):
    project = _project(db, people)
    page = browsing.log_in("alice", screens=screens)
    screens.shot(page, "labeler-home")
    _open_labeling(page, project.id)
    screens.shot(page, "labeling-screen")

    first = _shown_item(page)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    second = _next_item_after(page, first)
    page.keyboard.press("2")
    screens.shot(page, "group-open")
    page.keyboard.press("1")
    screens.shot(page, "label-selected")
    page.keyboard.press("Enter")
    third = _next_item_after(page, second)
    page.keyboard.press("2")
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    _next_item_after(page, third)
    expect(page.locator("#done-count")).to_have_text("3")
    screens.shot(page, "after-three-items")

    stored = _annotations(db, project.id)
    assert [(ext, labels) for ext, labels, _ in stored] == [
        (first, ["ok"]),
        (second, ["abuse.insult"]),
        (third, ["abuse.threat"]),
    ]
    assert all(duration is not None and duration > 0 for _, _, duration in stored)
    assert {first, second, third} <= {"en-0", "en-1", "en-2", "en-3"}


def test_the_pm_sees_the_annotation_count_move_without_reloading(
    server, db, people, browsing, screens
):
    project = _project(db, people, overlap=2)
    with db.write() as session:
        for _ in range(3):
            label_next(session, people.bruno, project)
    labeler = browsing.log_in("alice")
    _open_labeling(labeler, project.id)
    pm = browsing.log_in("pat", viewport={"width": 1280, "height": 800})
    screens.shot(pm, "projects-list")
    pm.goto(f"/projects/{project.id}")
    count = pm.locator("#annotation-count")
    expect(count).to_have_text("3")
    pm.evaluate("window.sameDocument = true")
    screens.shot(pm, "pm-project-page")

    labeler.keyboard.press("1")
    labeler.keyboard.press("Enter")

    expect(count).to_have_text("4", timeout=15_000)
    assert pm.evaluate("window.sameDocument") is True
    expect(pm.locator('[data-table="labelers"]')).to_contain_text("alice")
    screens.shot(pm, "pm-project-page-updated", full_page=True)


def test_an_arabic_item_is_displayed_right_to_left(server, db, people, browsing, screens):
    project = _project(db, people, english=[])
    page = browsing.log_in("amir")

    _open_labeling(page, project.id)

    text = page.locator("#item-text")
    assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert text.get_attribute("lang") == "ar"
    assert text.text_content() == ARABIC
    expect(page.locator("#item-language")).to_have_text("ar")
    screens.shot(page, "arabic-item")


def test_item_text_is_shown_as_text_never_as_markup(server, db, people, browsing):
    hostile = '<img src=x onerror="document.title=1"><b>bold?</b>'
    project = _project(db, people, arabic=False, english=[hostile])
    page = browsing.log_in("alice")

    _open_labeling(page, project.id)

    text = page.locator("#item-text")
    assert text.text_content() == hostile
    assert text.locator("img, b").count() == 0


def test_the_skip_dialog_works_with_the_keyboard(server, db, people, browsing, screens):
    project = _project(db, people, arabic=False)
    page = browsing.log_in("alice")
    _open_labeling(page, project.id)
    skipped = _shown_item(page)
    dialog = page.locator("#skip-dialog")

    page.keyboard.press("s")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert _shown_item(page) == skipped
    page.keyboard.press("s")
    page.keyboard.press("3")
    page.keyboard.press("Tab")
    page.keyboard.type("too graphic for me today")
    screens.shot(page, "skip-dialog")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    _next_item_after(page, skipped)
    expect(page.locator("#status")).to_contain_text("Take a moment")
    with db.read() as session:
        row = session.execute(
            select(distribution.Assignment.status, distribution.Assignment.skip_reason)
            .add_columns(distribution.Assignment.skip_note)
            .join(projects.Item, projects.Item.id == distribution.Assignment.item_id)
            .where(projects.Item.external_id == skipped)
        ).one()
    assert tuple(row) == ("skipped", "distressing", "too graphic for me today")


def test_the_help_overlay_lists_every_key(server, db, people, browsing, screens):
    project = _project(db, people, arabic=False)
    page = browsing.log_in("alice")
    _open_labeling(page, project.id)
    help_dialog = page.locator("#help-dialog")

    page.keyboard.press("?")

    expect(help_dialog).to_be_visible()
    for name in ("Fine", "Abuse", "Insult", "Threat", "Skip this item", "Submit"):
        expect(help_dialog).to_contain_text(name)
    screens.shot(page, "help-overlay")
    page.keyboard.press("?")
    expect(help_dialog).to_be_hidden()


def test_nothing_to_label_offers_to_check_again(server, db, people, browsing, screens):
    project = _project(db, people, arabic=False, english=[])
    page = browsing.log_in("alice")
    page.goto(f"/label/{project.id}")
    expect(page.locator("#empty")).to_be_visible()
    screens.shot(page, "nothing-to-label")
    with db.write() as session:
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(
                jsonl([{"external_id": "late", "text": "New arrival", "language": "en"}])
            ),
            fmt="jsonl",
        )

    page.keyboard.press("r")

    expect(page.locator("#item-external-id")).to_have_text("late")


def test_a_refused_submit_is_reported_and_labeling_carries_on(
    server, db, people, browsing, screens
):
    project = _project(db, people, arabic=False)
    page = browsing.log_in("alice")
    _open_labeling(page, project.id)
    refused = _shown_item(page)
    with db.write() as session:  # alice's lease lapses, and bruno takes the only place
        assignment_id = session.scalar(
            select(distribution.Assignment.id)
            .join(projects.Item, projects.Item.id == distribution.Assignment.item_id)
            .where(projects.Item.external_id == refused)
        )
        annotation.release_item(session, actor=people.alice, assignment_id=assignment_id)
        taken = label_next(session, people.bruno, project)
        assert taken is not None
        assert session.get(projects.Item, taken.item_id).external_id == refused

    page.keyboard.press("1")
    page.keyboard.press("Enter")

    _next_item_after(page, refused)
    expect(page.locator("#status")).to_contain_text("that answer was not stored")
    expect(page.locator("#done-count")).to_have_text("0")
    screens.shot(page, "refused-submit")


def test_the_labeling_screen_fits_a_large_screen(server, db, people, browsing, screens):
    project = _project(db, people, english=[])
    page = browsing.log_in("amir", viewport={"width": 1920, "height": 1080})

    _open_labeling(page, project.id)

    screens.shot(page, "labeling-screen-1920")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080


def test_a_pm_creates_a_project_in_the_browser(server, db, people, browsing, screens):
    page = browsing.log_in("pat")
    page.goto("/projects/new")
    screens.shot(page, "new-project-form", full_page=True)
    page.fill("#name", "Self-harm signals, Hindi")
    page.fill("#languages", "hi, en, not a tag")
    page.check('input[name="vendors"][value="Acme"]')
    page.click('button:has-text("Create project")')
    expect(page.locator("#form-errors")).to_contain_text("Languages: #3")
    screens.shot(page, "new-project-form-error")

    page.fill("#languages", "hi, en")
    page.check('input[name="schema_source"][value="custom"]')
    page.fill("#custom_schema", '{"labels": ["disclosure", "promotion", "none"]}')
    page.check('input[name="kind"][value="multi"]')
    page.fill("#guidelines", "## Disclosure\n\nSomeone talks about hurting **themselves**.")
    page.click('button:has-text("Create project")')

    expect(page.locator("h1")).to_contain_text("Self-harm signals, Hindi")
    expect(page.locator("#schema")).to_contain_text("disclosure")
    expect(page.locator(".facts")).to_contain_text("Multiple choice")
    screens.shot(page, "new-project-page", full_page=True)


def test_an_admin_adds_a_user_in_the_browser(server, db, people, browsing, screens):
    page = browsing.log_in("admin")
    page.goto("/users")
    screens.shot(page, "users-page", full_page=True)

    page.fill("#username", "nadia")
    page.fill("#password", "a long enough password")
    page.select_option("#role", "labeler")
    page.fill("#vendor", "Babel")
    page.fill("#languages", "ar, fr")
    page.click('button:has-text("Add user")')

    expect(page.locator(".notice-ok")).to_contain_text("Created user nadia")
    expect(page.locator("table")).to_contain_text("nadia")
    screens.shot(page, "users-page-created")


def test_leaving_the_screen_hands_back_the_prefetched_item(server, db, people, browsing):
    project = _project(db, people, arabic=False)
    page = browsing.log_in("alice")
    _open_labeling(page, project.id)
    shown = _shown_item(page)
    _eventually(lambda: len(_statuses(db, project.id)) == 2)  # the next one is prefetched

    page.goto("/label")

    _eventually(lambda: "released" in _statuses(db, project.id).values())
    statuses = _statuses(db, project.id)
    assert statuses.pop(shown) == "leased"  # still held: it comes back first on return
    assert list(statuses.values()) == ["released"]
