"""Quality: how good the labels are, and who gives them.

Glossary: a *gold* item has a known answer and is mixed into labelers' queues unannounced; *gold
accuracy* is a labeler's share of gold answered right, with a Wilson 95 % interval; a *pause*
holds a labeler off a project (failing gold) until a PM lifts it; *majority vote* picks each
item's most frequent answer, and its *agreement share* is the share of annotators who gave it.
"""

from labelops.quality.gold import (
    GoldEntry,
    LabelerGold,
    PauseOut,
    gold_accuracy,
    gold_feedback,
    lift_pause,
    list_pauses,
    not_paused,
    record_gold_answer,
    set_gold_answers,
    wilson_interval,
)
from labelops.quality.majority import Vote, majority_vote
from labelops.quality.models import GoldAnswer, LabelerPause

__all__ = [
    "GoldAnswer",
    "GoldEntry",
    "LabelerGold",
    "LabelerPause",
    "PauseOut",
    "Vote",
    "gold_accuracy",
    "gold_feedback",
    "lift_pause",
    "list_pauses",
    "majority_vote",
    "not_paused",
    "record_gold_answer",
    "set_gold_answers",
    "wilson_interval",
]
