"""Analytics: how the operation is going, derived from the facts.

Glossary: *progress* counts items by state (queued, leased, done), annotations, skips and
*active labelers* (who submitted in the last 15 minutes or hold a live lease). The *dashboard*
adds throughput, burn-down (labels still wanted, day by day), average handling time (AHT), the
backlog and a *forecast*: P50/P85 completion dates by Monte Carlo over recent daily throughput.
*Rollups* are annotations summed by hour, language, vendor and labeler; the *watermark* is the
last annotation they hold, and readers add the *tail* past it from the facts.
"""

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
from labelops.analytics.forecast import (
    Forecast,
    completion_forecast,
    deadline_risk,
    forecast_from,
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
from labelops.analytics.rollups import (
    RollupRefresher,
    catch_up,
    refresh_all,
    refresh_rollups,
)

__all__ = [
    "Backlog",
    "BurnPoint",
    "Dashboard",
    "DayBucket",
    "Forecast",
    "HandlingTime",
    "HourBucket",
    "HourlyRollup",
    "ItemStates",
    "LabelerProgress",
    "LanguageProgress",
    "Progress",
    "Risk",
    "RollupRefresher",
    "RollupWatermark",
    "Sla",
    "catch_up",
    "completion_forecast",
    "deadline_risk",
    "forecast_from",
    "item_states_by_project",
    "project_dashboard",
    "project_progress",
    "refresh_all",
    "refresh_rollups",
]
