"""The project report: the Excel workbook with native charts, its JSON, the weekly status page
and `labelops report`."""

import io
import re
import zipfile

import openpyxl
import pytest

from labelops import reporting
from tests.api.test_labeling_api import label_all, project_with_items
from tests.api.test_quality_api import force_gold_rate, label, project_with_gold
from tests.pages.cookie_browser import CookieBrowsers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


@pytest.fixture
def project_id(server, people):
    project_id = project_with_items(server, count=4, overlap=2, demander="dana")
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["ok"])
    return project_id


def workbook(server, project_id, who="pat"):
    response = server.client(who).get(f"/api/v1/projects/{project_id}/report.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    return response.content


def values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_its_six_sheets_with_the_figures(server, project_id):
    content = workbook(server, project_id)

    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == list(reporting.SHEETS)
    summary = {row[0]: row[1] for row in values(book["Summary"]) if row and row[0]}
    assert summary["Items"] == 4
    assert summary["Done"] == 4
    assert summary["Done (share)"] == 1.0
    assert summary["Annotations"] == 8
    assert summary["Labels this week"] == 8
    assert summary["Krippendorff's alpha"] is None or summary["Krippendorff's alpha"] <= 1
    days = [row for row in values(book["Progress"])[2:30] if row[0] is not None]
    assert len(days) == 28
    assert sum(row[1] for row in days) == 8
    vendors = values(book["Vendors"])
    assert vendors[1][:5] == ["Name", "Vendor", "Answers", "Accepted", "Rejected"]
    assert sorted((row[0], row[2]) for row in vendors[2:4]) == [("Acme", 4), ("Babel", 4)]
    labelers = {row[0] for row in values(book["Labelers"])[2:4]}
    assert labelers == {"alice", "bruno"}
    assert values(book["Risks"])[2][0] == "No open risk."


def test_the_charts_are_native_excel_charts_over_the_sheets_cells(server, project_id):
    content = workbook(server, project_id)

    archive = zipfile.ZipFile(io.BytesIO(content))
    charts = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    assert len(charts) >= 6
    sources = " ".join(archive.read(name).decode() for name in charts)
    for sheet in ("Summary", "Progress", "Quality", "Vendors", "Labelers"):
        assert f"{sheet}!$" in sources, sheet


def test_gold_accuracy_is_charted_with_its_intervals(server, people, db):
    project_id = project_with_gold(server)
    force_gold_rate(db, project_id)
    for _ in range(3):
        label(server.client("alice"), project_id, ["ok"])

    content = workbook(server, project_id)

    book = openpyxl.load_workbook(io.BytesIO(content))
    gold = values(book["Quality"])[2]
    assert gold[:5] == ["alice", "Acme", 3, 0, 0.0]
    assert gold[6] == pytest.approx(0.5615, abs=1e-3)  # Wilson upper bound of 0/3
    archive = zipfile.ZipFile(io.BytesIO(content))
    sources = " ".join(
        archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/")
    )
    assert "<c:errBars>" in sources


def test_a_demanders_report_names_no_labeler(server, project_id):
    content = workbook(server, project_id, who="dana")

    book = openpyxl.load_workbook(io.BytesIO(content))
    names = {row[0] for row in values(book["Labelers"])[2:4]}
    assert names == {"Labeler 1", "Labeler 2"}
    text = " ".join(str(v) for ws in book for row in values(ws) for v in row if v)
    assert "alice" not in text
    assert "bruno" not in text


def test_labelers_get_no_report(server, project_id):
    response = server.client("alice").get(f"/api/v1/projects/{project_id}/report.xlsx")

    assert response.status_code == 403


def test_the_report_json_carries_the_weekly_figures(server, project_id):
    response = server.client("pat").get(f"/api/v1/projects/{project_id}/report")

    body = response.json()
    assert (body["this_week"], body["last_week"]) == (8, 0)
    assert len(body["days"]) == 28
    assert body["outlook"]["labels_needed"] == 0


def test_the_weekly_status_page_prints_the_headline_for_the_demander(
    server, project_id, browser_client
):
    page = browser_client("dana").get(f"/projects/{project_id}/status")

    assert page.status_code == 200
    assert 'data-field="done">100.0 %' in page.text
    assert 'data-field="this-week">8<' in page.text
    assert "alice" not in page.text
    assert "@media print" not in page.text  # the print rules live in the stylesheet
    assert f"/api/v1/projects/{project_id}/report.xlsx" in page.text


def test_the_risks_sheet_lists_the_open_risks_the_reader_may_see(server, project_id):
    server.client("pat").post(
        f"/api/v1/projects/{project_id}/risks",
        json={"title": "Holiday week at Acme", "severity": "high", "note": "half the team off"},
    )

    pms = openpyxl.load_workbook(io.BytesIO(workbook(server, project_id)))["Risks"]
    demanders = openpyxl.load_workbook(io.BytesIO(workbook(server, project_id, who="dana")))

    assert values(pms)[2][:4] == ["high", "manual", "Holiday week at Acme", "open"]
    assert values(demanders["Risks"])[2][0] == "No open risk."  # manual risks may name people
