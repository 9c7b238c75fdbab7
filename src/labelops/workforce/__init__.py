"""Workforce: the people who do the work and how they sign in.

Glossary: a *vendor* is an outside company that supplies *labelers* and has a *vendor lead*;
a *user* has one role (admin, pm, demander, vendor_lead, reviewer, labeler) and the languages
they read; an *API token* authenticates scripts, a *web session* a browser. Vendor isolation:
a vendor lead sees only their own vendor's people.
"""

from labelops.workforce.capacity import (
    VendorLanguageIn,
    VendorLanguageOut,
    VendorLanguages,
    get_vendor_languages,
    list_vendor_languages,
    set_vendor_languages,
)
from labelops.workforce.models import (
    ApiToken,
    User,
    UserLanguage,
    Vendor,
    VendorLanguage,
    WebSession,
)
from labelops.workforce.queries import describe_user, get_user, list_users, list_vendors
from labelops.workforce.schemas import NewUser, NewVendor, UserOut, VendorOut
from labelops.workforce.service import (
    VerifiedLogin,
    WebLogin,
    actor_from_token,
    actor_from_web_session,
    create_user,
    create_vendor,
    end_web_session,
    find_vendor,
    issue_token,
    revoke_token,
    start_web_session,
    verify_login,
)

__all__ = [
    "ApiToken",
    "NewUser",
    "NewVendor",
    "User",
    "UserLanguage",
    "UserOut",
    "Vendor",
    "VendorLanguage",
    "VendorLanguageIn",
    "VendorLanguageOut",
    "VendorLanguages",
    "VendorOut",
    "VerifiedLogin",
    "WebLogin",
    "WebSession",
    "actor_from_token",
    "actor_from_web_session",
    "create_user",
    "create_vendor",
    "describe_user",
    "end_web_session",
    "find_vendor",
    "get_user",
    "get_vendor_languages",
    "issue_token",
    "list_users",
    "list_vendor_languages",
    "list_vendors",
    "revoke_token",
    "set_vendor_languages",
    "start_web_session",
    "verify_login",
]
