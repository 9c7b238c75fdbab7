"""Analytics: how the operation is going, derived from the facts.

Glossary: *progress* counts items by state (queued, leased, done), annotations, skips and
*active labelers* (who submitted in the last 15 minutes or hold a live lease). The *risk
register* lists what threatens a project (a *risk*: kind, subject, severity, evidence), raised by
*detectors* (a *finding*) or added by hand, then acknowledged, assigned and resolved with a note.
"""

from labelops.analytics.detectors import (
    DETECTORS,
    ScanResult,
    detect_risks,
    record_findings,
    scan_risks,
    scan_running_projects,
)
from labelops.analytics.models import HourlyRollup, Risk, RollupWatermark
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

__all__ = [
    "DETECTORS",
    "KINDS",
    "KIND_NAMES",
    "SEVERITIES",
    "Finding",
    "HourlyRollup",
    "ItemStates",
    "LabelerProgress",
    "LanguageProgress",
    "NewRisk",
    "Note",
    "Progress",
    "Risk",
    "RiskAssignment",
    "RiskOut",
    "RollupWatermark",
    "ScanResult",
    "acknowledge_risk",
    "add_manual_risk",
    "assign_risk",
    "assignable_users",
    "detect_risks",
    "get_risk",
    "item_states_by_project",
    "list_risks",
    "project_progress",
    "record_findings",
    "record_risk",
    "reopen_risk",
    "resolve_risk",
    "scan_risks",
    "scan_running_projects",
]
