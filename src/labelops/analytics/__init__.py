"""Analytics: how the operation is going, derived from the facts.

Glossary: *progress* counts items by state (queued, leased, done), annotations, skips and
*active labelers* (who submitted in the last 15 minutes or hold a live lease).
"""

from labelops.analytics.bottlenecks import Bottlenecks, Stage, project_bottlenecks
from labelops.analytics.models import HourlyRollup, Risk, RollupWatermark
from labelops.analytics.progress import (
    ItemStates,
    LabelerProgress,
    LanguageProgress,
    Progress,
    item_states_by_project,
    project_progress,
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
    "INVOICE_COLUMNS",
    "Bottlenecks",
    "HourlyRollup",
    "InvoiceLine",
    "ItemStates",
    "LabelerProgress",
    "LanguageProgress",
    "Median",
    "Outlook",
    "Progress",
    "Rate",
    "Risk",
    "RollupWatermark",
    "Scenario",
    "Scorecard",
    "Scorecards",
    "Stage",
    "WhatIf",
    "WhatIfResult",
    "invoice_check",
    "item_states_by_project",
    "median_interval",
    "project_bottlenecks",
    "project_outlook",
    "project_progress",
    "project_scorecards",
    "what_if",
    "wilson_text",
]
