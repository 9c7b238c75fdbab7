"""Reporting: what leaves labelops.

Glossary: an *export* streams a project's items with their majority label and agreement, or
(raw) every individual annotation, as JSONL or CSV.
"""

from labelops.reporting.export import (
    FORMATS,
    MEDIA_TYPES,
    ExportFormat,
    ExportPlan,
    plan_export,
    stream_export,
)

__all__ = ["FORMATS", "MEDIA_TYPES", "ExportFormat", "ExportPlan", "plan_export", "stream_export"]
