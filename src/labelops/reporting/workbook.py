"""The project report as an Excel workbook with native charts (XlsxWriter).

Sheets: Summary, Progress, Quality, Vendors, Labelers, Risks. Every chart is an Excel chart over
the cells of its sheet, so a PM can restyle it or copy it into slides, and every figure is a
typed cell (percentages as numbers with a percent format, dates as dates).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from labelops import analytics
from labelops.reporting.status import ReportData

SHEETS = ("Summary", "Progress", "Quality", "Vendors", "Labelers", "Risks")
_BLUE, _LIGHT, _GREY, _AMBER = "#2F5F8A", "#8FB1CF", "#DFE4EA", "#C9962E"


def write_workbook(data: ReportData) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    styles = _Styles(book)
    sheets = {name: book.add_worksheet(name) for name in SHEETS}
    _summary(book, sheets["Summary"], styles, data)
    _progress(book, sheets["Progress"], styles, data)
    _quality(book, sheets["Quality"], styles, data)
    _vendors(book, sheets["Vendors"], styles, data)
    _labelers(book, sheets["Labelers"], styles, data)
    _risks(sheets["Risks"], styles, data)
    book.set_properties(
        {"title": f"{data.project.name}: status report", "subject": "labelops project report"}
    )
    book.close()
    return output.getvalue()


class _Styles:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.muted = book.add_format({"font_color": "#59636E", "italic": True})
        self.head = book.add_format({"bold": True, "bg_color": "#E8ECF2", "bottom": 1})
        self.label = book.add_format({"bold": True})
        self.pct = book.add_format({"num_format": "0.0%"})
        self.num = book.add_format({"num_format": "#,##0"})
        self.dec = book.add_format({"num_format": "0.00"})
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})


def _table(
    sheet: Any,
    styles: _Styles,
    top: int,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[Any | None],
) -> int:
    """Write a header and rows from `top`; the row after the table."""
    for col, name in enumerate(header):
        sheet.write_string(top, col, name, styles.head)
    for r, row in enumerate(rows, start=top + 1):
        for col, value in enumerate(row):
            _cell(sheet, r, col, value, formats[col])
    return top + 1 + len(rows)


def _cell(sheet: Any, row: int, col: int, value: Any, style: Any | None) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, style)
    elif hasattr(value, "year"):
        sheet.write_datetime(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _summary(book: Any, sheet: Any, styles: _Styles, data: ReportData) -> None:
    project, items = data.project, data.progress.items
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 22)
    sheet.write_string(0, 0, project.name, styles.title)
    sheet.write_string(1, 0, f"Status report as of {data.as_of:%Y-%m-%d %H:%M} UTC", styles.muted)
    alpha = data.quality.agreement.alpha
    rows: list[tuple[str, Any, Any]] = [
        ("Status", project.status, None),
        ("Languages", ", ".join(project.languages), None),
        ("Deadline", data.deadline, styles.day),
        ("Items", items.total, styles.num),
        ("Done", items.done, styles.num),
        ("Done (share)", data.done_share, styles.pct),
        ("Annotations", data.progress.annotations, styles.num),
        ("Labels this week", data.this_week, styles.num),
        ("Labels the week before", data.last_week, styles.num),
        ("Labels still needed", data.outlook.labels_needed, styles.num),
        ("Forecast completion (P50)", data.outlook.p50, styles.day),
        ("Forecast completion (P85)", data.outlook.p85, styles.day),
        ("Krippendorff's alpha", alpha, styles.dec),
        ("Accepted audit accuracy", data.accepted_audit_accuracy, styles.pct),
        ("Quality target", project.quality_target, styles.pct),
        ("Open risks", len(data.risks), styles.num),
    ]
    for r, (name, value, style) in enumerate(rows, start=3):
        sheet.write_string(r, 0, name, styles.label)
        _cell(sheet, r, 1, value, style)
    states = [("Done", items.done), ("In progress", items.leased), ("Queued", items.queued)]
    top = 3
    sheet.write_string(top, 3, "Items by state", styles.head)
    sheet.write_string(top, 4, "Items", styles.head)
    for r, (name, count) in enumerate(states, start=top + 1):
        sheet.write_string(r, 3, name)
        sheet.write_number(r, 4, count, styles.num)
    chart = book.add_chart({"type": "doughnut"})
    chart.add_series(
        {
            "name": "Items by state",
            "categories": ["Summary", top + 1, 3, top + 3, 3],
            "values": ["Summary", top + 1, 4, top + 3, 4],
            "points": [{"fill": {"color": c}} for c in (_BLUE, _LIGHT, _GREY)],
        }
    )
    chart.set_title({"name": "Items by state"})
    sheet.insert_chart(top + 5, 3, chart, {"x_scale": 0.9, "y_scale": 0.9})


def _progress(book: Any, sheet: Any, styles: _Styles, data: ReportData) -> None:
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 6, 12)
    sheet.write_string(0, 0, "Labels per day (last 28 days)", styles.label)
    end = _table(
        sheet,
        styles,
        1,
        ["Day", "Labels"],
        [(d.day, d.labels) for d in data.days],
        [styles.day, styles.num],
    )
    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Labels",
            "categories": ["Progress", 2, 0, end - 1, 0],
            "values": ["Progress", 2, 1, end - 1, 1],
            "fill": {"color": _BLUE},
        }
    )
    chart.set_title({"name": "Throughput per day"})
    chart.set_legend({"none": True})
    chart.set_x_axis({"date_axis": True, "num_format": "mm-dd"})
    sheet.insert_chart(1, 3, chart, {"x_scale": 1.4})
    top = end + 2
    sheet.write_string(top, 0, "Items by language", styles.label)
    languages = data.progress.by_language
    last = _table(
        sheet,
        styles,
        top + 1,
        ["Language", "Done", "In progress", "Queued", "Total"],
        [(x.language, x.done, x.leased, x.queued, x.total) for x in languages],
        [None, styles.num, styles.num, styles.num, styles.num],
    )
    if languages:
        stacked = book.add_chart({"type": "bar", "subtype": "stacked"})
        for col, colour in ((1, _BLUE), (2, _LIGHT), (3, _GREY)):
            stacked.add_series(
                {
                    "name": ["Progress", top + 1, col],
                    "categories": ["Progress", top + 2, 0, last - 1, 0],
                    "values": ["Progress", top + 2, col, last - 1, col],
                    "fill": {"color": colour},
                }
            )
        stacked.set_title({"name": "Items by language and state"})
        sheet.insert_chart(top, 7, stacked)


def _quality(book: Any, sheet: Any, styles: _Styles, data: ReportData) -> None:
    report = data.quality
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 6, 13)
    sheet.write_string(0, 0, "Gold accuracy per labeler (Wilson 95 % interval)", styles.label)
    gold = [g for g in report.gold if g.accuracy is not None]
    end = _table(
        sheet,
        styles,
        1,
        ["Labeler", "Vendor", "Answered", "Correct", "Accuracy", "Low", "High"],
        [(g.username, g.vendor, g.answered, g.correct, g.accuracy, *g.interval) for g in gold],
        [None, None, styles.num, styles.num, styles.pct, styles.pct, styles.pct],
    )
    if gold:
        for r, g in enumerate(gold, start=2):  # error bar lengths, beside the table
            sheet.write_number(r, 8, (g.accuracy or 0) - g.interval[0])
            sheet.write_number(r, 9, g.interval[1] - (g.accuracy or 0))
        sheet.write_string(1, 8, "minus", styles.head)
        sheet.write_string(1, 9, "plus", styles.head)
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "Gold accuracy",
                "categories": ["Quality", 2, 0, end - 1, 0],
                "values": ["Quality", 2, 4, end - 1, 4],
                "fill": {"color": _BLUE},
                "y_error_bars": {
                    "type": "custom",
                    "minus_values": ["Quality", 2, 8, end - 1, 8],
                    "plus_values": ["Quality", 2, 9, end - 1, 9],
                },
            }
        )
        chart.set_title({"name": "Gold accuracy with 95 % intervals"})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
        chart.set_legend({"none": True})
        sheet.insert_chart(1, 11, chart, {"x_scale": 1.2})
    top = max(end, 18) + 2
    sheet.write_string(top, 0, "Agreement", styles.label)
    rows = [("All", report.agreement)] + [(b.key, b.agreement) for b in report.by_language]
    last = _table(
        sheet,
        styles,
        top + 1,
        ["Scope", "Answers", "Items", "Percent", "Krippendorff's alpha", "Fleiss' kappa"],
        [(k, a.answers, a.tasks, a.percent, a.alpha, a.fleiss) for k, a in rows],
        [None, styles.num, styles.num, styles.pct, styles.dec, styles.dec],
    )
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Krippendorff's alpha",
            "categories": ["Quality", top + 2, 0, last - 1, 0],
            "values": ["Quality", top + 2, 4, last - 1, 4],
            "fill": {"color": _LIGHT},
        }
    )
    chart.set_title({"name": "Agreement (alpha) overall and by language"})
    chart.set_x_axis({"min": -0.2, "max": 1})
    chart.set_legend({"none": True})
    sheet.insert_chart(top, 7, chart)
    if data.audits is not None:
        audit_top = last + 2
        sheet.write_string(audit_top, 0, "Audits", styles.label)
        _table(
            sheet,
            styles,
            audit_top + 1,
            ["Audit", "Status", "Sample", "Reviewed", "Accuracy", "Low", "High"],
            [
                (
                    a.name,
                    a.status,
                    a.sample_size,
                    a.estimate.reviewed,
                    a.estimate.accuracy,
                    a.estimate.interval[0] if a.estimate.interval else None,
                    a.estimate.interval[1] if a.estimate.interval else None,
                )
                for a in data.audits
            ],
            [None, None, styles.num, styles.num, styles.pct, styles.pct, styles.pct],
        )


_CARD_HEADER = [
    "Name",
    "Vendor",
    "Answers",
    "Accepted",
    "Rejected",
    "Gold accuracy",
    "Audit accuracy",
    "Agreement",
    "SLA attainment",
    "Rework rate",
    "Per active hour",
    "Median handling (s)",
    "Cost",
    "Cost per accepted",
]


def _card_rows(cards: Sequence[analytics.Scorecard]) -> list[tuple[Any, ...]]:
    return [
        (
            c.name,
            c.vendor,
            c.answers,
            c.accepted,
            c.rejected,
            c.gold.value,
            c.audit.value,
            c.agreement.value,
            c.sla.value if c.sla else None,
            c.rework.value,
            c.per_active_hour,
            None if c.aht_ms.value is None else c.aht_ms.value / 1000,
            c.cost,
            c.cost_per_accepted,
        )
        for c in cards
    ]


def _card_formats(styles: _Styles) -> list[Any | None]:
    pct = styles.pct
    return [
        None,
        None,
        styles.num,
        styles.num,
        styles.num,
        pct,
        pct,
        pct,
        pct,
        pct,
        styles.dec,
        styles.dec,
        styles.money,
        styles.money,
    ]


def _vendors(book: Any, sheet: Any, styles: _Styles, data: ReportData) -> None:
    cards = data.scorecards.vendors
    sheet.set_column(0, 1, 18)
    sheet.set_column(2, 13, 12)
    sheet.write_string(0, 0, "Vendor scorecards", styles.label)
    end = _table(sheet, styles, 1, _CARD_HEADER, _card_rows(cards), _card_formats(styles))
    if cards:
        chart = book.add_chart({"type": "column"})
        for col, colour in ((5, _BLUE), (6, _LIGHT), (7, _AMBER)):
            chart.add_series(
                {
                    "name": ["Vendors", 1, col],
                    "categories": ["Vendors", 2, 0, end - 1, 0],
                    "values": ["Vendors", 2, col, end - 1, col],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": "Quality by vendor"})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
        sheet.insert_chart(end + 2, 0, chart, {"x_scale": 1.3})


def _labelers(book: Any, sheet: Any, styles: _Styles, data: ReportData) -> None:
    cards = data.scorecards.labelers
    sheet.set_column(0, 1, 18)
    sheet.set_column(2, 13, 12)
    sheet.write_string(0, 0, "Labeler scorecards", styles.label)
    end = _table(sheet, styles, 1, _CARD_HEADER, _card_rows(cards), _card_formats(styles))
    if cards:
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Rework rate",
                "categories": ["Labelers", 2, 0, end - 1, 0],
                "values": ["Labelers", 2, 9, end - 1, 9],
                "fill": {"color": _AMBER},
            }
        )
        chart.set_title({"name": "Rework rate by labeler"})
        chart.set_x_axis({"num_format": "0%"})
        chart.set_legend({"none": True})
        sheet.insert_chart(end + 2, 0, chart, {"x_scale": 1.3, "y_scale": 1.3})


def _risks(sheet: Any, styles: _Styles, data: ReportData) -> None:
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 4, 16)
    sheet.write_string(0, 0, "Open risks", styles.label)
    _table(
        sheet,
        styles,
        1,
        ["Severity", "Kind", "Title", "Status", "Raised"],
        [(r.severity, r.kind, r.title, r.status, r.created_at) for r in data.risks],
        [None, None, None, None, styles.when],
    )
    if not data.risks:
        sheet.write_string(2, 0, "No open risk.", styles.muted)
