"""Who is acting, and what each role may do.

Two checks guard every use case: the role→action table below (may this kind of user do this at
all?) and the scope rules of the context that owns the object (may this user see this project,
this vendor's labelers?). Out-of-scope objects answer NotFound, so their existence is not leaked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from labelops.errors import PermissionDenied


class Role(enum.StrEnum):
    ADMIN = "admin"
    PM = "pm"
    DEMANDER = "demander"
    VENDOR_LEAD = "vendor_lead"
    REVIEWER = "reviewer"
    LABELER = "labeler"


class Action(enum.StrEnum):
    MANAGE_VENDORS = "manage_vendors"
    CREATE_USER = "create_user"
    LIST_USERS = "list_users"
    CREATE_PROJECT = "create_project"
    MANAGE_PROJECT = "manage_project"  # settings, staffing, import
    VIEW_PROJECT = "view_project"
    VIEW_PROGRESS = "view_progress"
    EXPORT = "export"
    EXPORT_RAW = "export_raw"
    LABEL = "label"
    REVIEW = "review"  # audit verdicts, escalated items, disputes
    DISPUTE = "dispute"  # contest a gold verdict or a review correction
    SUBMIT_DEMAND = "submit_demand"  # ask for labeled data; comment on and accept one's own
    MANAGE_DEMANDS = "manage_demands"  # evaluate, negotiate, decide, convert to a project
    MANAGE_RESOURCES = "manage_resources"  # vendors' languages, rates, capacity; allocations
    VIEW_CAPACITY = "view_capacity"  # allocations against capacity (a vendor lead: their own)
    MANAGE_SOPS = "manage_sops"  # publish operating procedures
    ASK_QUESTION = "ask_question"  # a question from the floor on an item


_ALL = frozenset(Role)
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.MANAGE_VENDORS: frozenset({Role.ADMIN, Role.PM}),
    Action.CREATE_USER: frozenset({Role.ADMIN, Role.PM, Role.VENDOR_LEAD}),
    Action.LIST_USERS: frozenset({Role.ADMIN, Role.PM, Role.VENDOR_LEAD}),
    Action.CREATE_PROJECT: frozenset({Role.ADMIN, Role.PM}),
    Action.MANAGE_PROJECT: frozenset({Role.ADMIN, Role.PM}),
    Action.VIEW_PROJECT: _ALL,
    Action.VIEW_PROGRESS: frozenset({Role.ADMIN, Role.PM, Role.DEMANDER, Role.VENDOR_LEAD}),
    Action.EXPORT: frozenset({Role.ADMIN, Role.PM, Role.DEMANDER, Role.VENDOR_LEAD}),
    Action.EXPORT_RAW: frozenset({Role.ADMIN, Role.PM, Role.VENDOR_LEAD}),
    Action.LABEL: frozenset({Role.LABELER}),
    Action.REVIEW: frozenset({Role.ADMIN, Role.PM, Role.REVIEWER}),
    Action.DISPUTE: frozenset({Role.LABELER}),
    Action.SUBMIT_DEMAND: frozenset({Role.ADMIN, Role.PM, Role.DEMANDER}),
    Action.MANAGE_DEMANDS: frozenset({Role.ADMIN, Role.PM}),
    Action.MANAGE_RESOURCES: frozenset({Role.ADMIN, Role.PM}),
    Action.VIEW_CAPACITY: frozenset({Role.ADMIN, Role.PM, Role.VENDOR_LEAD}),
    Action.MANAGE_SOPS: frozenset({Role.ADMIN, Role.PM}),
    Action.ASK_QUESTION: frozenset({Role.LABELER, Role.REVIEWER}),
}

# Which roles a creator may hand out when creating a user.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.ADMIN: _ALL,
    Role.PM: frozenset({Role.DEMANDER, Role.VENDOR_LEAD, Role.REVIEWER, Role.LABELER}),
    Role.VENDOR_LEAD: frozenset({Role.LABELER}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated user, as the use cases see them."""

    user_id: int | None
    username: str
    role: Role
    vendor_id: int | None = None
    languages: frozenset[str] = field(default_factory=frozenset)

    def can(self, action: Action) -> bool:
        return self.role in PERMISSIONS[action]

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise PermissionDenied(f"a {self.role.value} may not {action.value.replace('_', ' ')}")

    @property
    def is_staff(self) -> bool:
        """PMs and admins see every project and every vendor."""
        return self.role in (Role.ADMIN, Role.PM)


# The CLI acts as this actor when no --as user is given: full rights, no user row.
SYSTEM = Actor(user_id=None, username="system", role=Role.ADMIN)
