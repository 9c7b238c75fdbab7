"""Distribution: the labeling queue.

Glossary: a *queue entry* says how many more labelers an item wants (its *open slots* out of
its *target*, the project's overlap); an *assignment* is one labeler's turn at one item, held
by a *lease* that expires; *eligibility rules* decide which items a labeler may be given.
"""

from labelops.distribution.assignments import (
    AlreadySubmitted,
    AssignmentRef,
    claim_submission,
    end_assignment,
    get_own_assignment,
    get_own_assignment_and_project,
)
from labelops.distribution.leases import (
    MAX_ACTIVE_LEASES,
    Lease,
    LeasedItem,
    expire_leases,
    lease_next_item,
)
from labelops.distribution.models import Assignment, AssignmentStatus, QueueEntry
from labelops.distribution.queue import enqueue_items, mark_gold, retarget
from labelops.distribution.rules import Eligibility, LeaseContext, Rule, rules

__all__ = [
    "MAX_ACTIVE_LEASES",
    "AlreadySubmitted",
    "Assignment",
    "AssignmentRef",
    "AssignmentStatus",
    "Eligibility",
    "Lease",
    "LeaseContext",
    "LeasedItem",
    "QueueEntry",
    "Rule",
    "claim_submission",
    "end_assignment",
    "enqueue_items",
    "expire_leases",
    "get_own_assignment",
    "get_own_assignment_and_project",
    "lease_next_item",
    "mark_gold",
    "retarget",
    "rules",
]
