"""Reporting: what leaves labelops.

Glossary: an *export* streams a project's items with their final label, majority label and
agreement, or (raw) every individual annotation, as JSONL, CSV, Parquet or Excel. A *report*
is the project's status as an Excel workbook with native charts (Summary, Progress, Quality,
Vendors, Labelers, Risks) or as the printable weekly status page.
"""

from labelops.reporting.export import (
    FORMATS,
    MEDIA_TYPES,
    ExportFormat,
    ExportPlan,
    plan_export,
    stream_export,
)
from labelops.reporting.status import DayCount, ReportData, RiskLine, project_report
from labelops.reporting.workbook import SHEETS, write_workbook

XLSX_MEDIA_TYPE = MEDIA_TYPES["xlsx"]

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "SHEETS",
    "XLSX_MEDIA_TYPE",
    "DayCount",
    "ExportFormat",
    "ExportPlan",
    "ReportData",
    "RiskLine",
    "plan_export",
    "project_report",
    "stream_export",
    "write_workbook",
]
