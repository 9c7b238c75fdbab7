"""Analytics: how the operation is going, derived from the facts.

Glossary: *progress* counts items by state (queued, leased, done), annotations, skips and
*active labelers* (who submitted in the last 15 minutes or hold a live lease).
"""

from labelops.analytics.models import HourlyRollup, Risk, RollupWatermark
from labelops.analytics.progress import (
    ItemStates,
    LabelerProgress,
    LanguageProgress,
    Progress,
    item_states_by_project,
    project_progress,
)

__all__ = [
    "HourlyRollup",
    "ItemStates",
    "LabelerProgress",
    "LanguageProgress",
    "Progress",
    "Risk",
    "RollupWatermark",
    "item_states_by_project",
    "project_progress",
]
