"""Imports every context's tables so that `Base.metadata` describes the whole schema."""

from labelops import (
    analytics,
    annotation,
    audit,
    distribution,
    guidelines,
    notify,
    projects,
    quality,
    workforce,
)
from labelops.db import Base

metadata = Base.metadata

__all__ = [
    "analytics",
    "annotation",
    "audit",
    "distribution",
    "guidelines",
    "metadata",
    "notify",
    "projects",
    "quality",
    "workforce",
]
