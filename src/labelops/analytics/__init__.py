"""Analytics: how the operation is going, derived from the facts.

Glossary: *progress* counts items by state (queued, leased, done), annotations, skips and
*active labelers* (who submitted in the last 15 minutes or hold a live lease). The *dashboard*
adds throughput, burn-down (labels still wanted, day by day), average handling time (AHT), the
backlog and a *forecast*: P50/P85 completion dates by Monte Carlo over recent daily throughput.
*Rollups* are annotations summed by hour, language, vendor and labeler; the *watermark* is the
last annotation they hold, and readers add the *tail* past it from the facts. The *risk
register* lists what threatens a project (a *risk*: kind, subject, severity, evidence), raised by
*detectors* (a *finding*) or added by hand, then acknowledged, assigned and resolved with a note.
*Scorecards* judge each vendor's and labeler's answers against the items' final labels; the
*bottleneck* view shows where items wait; a *what-if* compares the project with a scenario.
"""

from labelops.analytics.bottlenecks import (
    Bottlenecks,
    Stage,
    project_bottlenecks,
)
from labelops.analytics.dashboard import (
    Backlog,
    BurnPoint,
    Dashboard,
    DayBucket,
    HandlingTime,
    HourBucket,
    Sla,
    project_dashboard,
)
from labelops.analytics.detectors import (
    DETECTORS,
    ScanResult,
    detect_risks,
    record_findings,
    scan_risks,
    scan_running_projects,
)
from labelops.analytics.forecast import (
    Forecast,
    completion_forecast,
    deadline_risk,
    forecast_from,
)
from labelops.analytics.models import (
    HourlyRollup,
    Risk,
    RollupWatermark,
)
from labelops.analytics.progress import (
    ItemStates,
    LabelerProgress,
    LanguageProgress,
    Progress,
    item_states_by_project,
    project_progress,
)
from labelops.analytics.risks import (
    KIND_NAMES,
    KINDS,
    SEVERITIES,
    Finding,
    NewRisk,
    Note,
    RiskAssignment,
    RiskOut,
    acknowledge_risk,
    add_manual_risk,
    assign_risk,
    assignable_users,
    get_risk,
    list_risks,
    record_risk,
    reopen_risk,
    resolve_risk,
)
from labelops.analytics.rollups import (
    catch_up,
    refresh_all,
    refresh_rollups,
    totals_by,
)
from labelops.analytics.scorecards import (
    INVOICE_COLUMNS,
    InvoiceLine,
    Median,
    Rate,
    Scorecard,
    Scorecards,
    invoice_check,
    median_interval,
    project_scorecards,
    wilson_text,
)
from labelops.analytics.whatif import (
    Outlook,
    Scenario,
    WhatIf,
    WhatIfResult,
    project_outlook,
    what_if,
)

__all__ = [
    "DETECTORS",
    "INVOICE_COLUMNS",
    "KINDS",
    "KIND_NAMES",
    "SEVERITIES",
    "Backlog",
    "Bottlenecks",
    "BurnPoint",
    "Dashboard",
    "DayBucket",
    "Finding",
    "Forecast",
    "HandlingTime",
    "HourBucket",
    "HourlyRollup",
    "InvoiceLine",
    "ItemStates",
    "LabelerProgress",
    "LanguageProgress",
    "Median",
    "NewRisk",
    "Note",
    "Outlook",
    "Progress",
    "Rate",
    "Risk",
    "RiskAssignment",
    "RiskOut",
    "RollupWatermark",
    "ScanResult",
    "Scenario",
    "Scorecard",
    "Scorecards",
    "Sla",
    "Stage",
    "WhatIf",
    "WhatIfResult",
    "acknowledge_risk",
    "add_manual_risk",
    "assign_risk",
    "assignable_users",
    "catch_up",
    "completion_forecast",
    "deadline_risk",
    "detect_risks",
    "forecast_from",
    "get_risk",
    "invoice_check",
    "item_states_by_project",
    "list_risks",
    "median_interval",
    "project_bottlenecks",
    "project_dashboard",
    "project_outlook",
    "project_progress",
    "project_scorecards",
    "record_findings",
    "record_risk",
    "refresh_all",
    "refresh_rollups",
    "reopen_risk",
    "resolve_risk",
    "scan_risks",
    "scan_running_projects",
    "totals_by",
    "what_if",
    "wilson_text",
]
