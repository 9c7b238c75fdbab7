"""Instance settings, read from `LABELOPS_*` environment variables.

One `Settings` object is built by the CLI (or a test) and passed down; nothing reads the
environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".labelops"


class Settings(BaseSettings):
    """Every setting, its default and its meaning (also listed in the README)."""

    model_config = SettingsConfigDict(env_prefix="LABELOPS_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Directory for the embedded SQLite database and other local files.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db. "
            "Default: a SQLite file `labelops.sqlite3` in the data directory."
        ),
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        default="NORMAL",
        description=(
            "SQLite `synchronous` pragma. NORMAL (WAL) survives a killed process; "
            "FULL also survives power loss, at some cost in write speed."
        ),
    )
    session_hours: int = Field(
        default=12, ge=1, le=24 * 30, description="Lifetime of a browser login session, in hours."
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send session cookies only over HTTPS (set it when serving behind TLS).",
    )
    pool_size: int = Field(
        default=40,
        ge=1,
        le=200,
        description="Database connections per app process (the thread pool runs 40 requests).",
    )

    risk_scan_minutes: int = Field(
        default=10,
        ge=0,
        le=24 * 60,
        description=(
            "How often `labelops serve` runs the risk detectors on every running project, "
            "in minutes (0: never; `labelops risks scan` still does)."
        ),
    )
    webhook_url: str | None = Field(
        default=None,
        description=(
            "Where `labelops serve` POSTs notification events (risks raised, escalated, "
            "resolved) as JSON, at least once, retrying with backoff. Unset: no webhook."
        ),
    )
    webhook_secret: str | None = Field(
        default=None,
        description=(
            "Signs each webhook body with HMAC-SHA256 in the X-Labelops-Signature header "
            "(`sha256=<hex>`). Unset: bodies are not signed."
        ),
    )
    rollup_seconds: float = Field(
        default=30,
        ge=0,
        description=(
            "Seconds between background refreshes of the analytics rollups in `labelops serve` "
            "(0: none; dashboards stay exact either way, reading the rest from the facts)."
        ),
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'labelops.sqlite3'}"
