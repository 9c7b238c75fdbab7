from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from labelops.auth import Role
from labelops.languages import normalize_language

Language = Annotated[str, AfterValidator(normalize_language)]
Username = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$", strip_whitespace=True)
]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username = Field(description="2–64 characters: lower-case letters, digits, _ . -")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    vendor: str | None = Field(default=None, min_length=1, max_length=100)
    languages: list[Language] = Field(default_factory=list, max_length=50)


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    vendor: str | None
    languages: list[str]
    is_active: bool
    created_at: datetime


class NewVendor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)


class VendorOut(BaseModel):
    id: int
    name: str
