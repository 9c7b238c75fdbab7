"""Domain errors. Contexts raise them; the web layer maps each to one HTTP status, in one place.

DomainError                      400  base: `code` is the stable machine name
├── InvalidInput                 422  a field or a line of input is wrong (names it)
├── NotAuthenticated             401  no or bad credentials
├── PermissionDenied             403  known actor, action not allowed
├── NotFound                     404  no such object, or not visible to the actor
└── Conflict                     409  valid request that the current state refuses
    └── LeaseExpired             409  a late submit that the overlap no longer allows
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class LeaseExpired(Conflict):
    code = "lease_expired"
