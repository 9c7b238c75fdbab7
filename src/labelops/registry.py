"""Imports every context's tables so that `Base.metadata` describes the whole schema."""

from labelops import annotation, audit, distribution, guidelines, projects, quality, workforce
from labelops.db import Base

metadata = Base.metadata

__all__ = [
    "annotation",
    "audit",
    "distribution",
    "guidelines",
    "metadata",
    "projects",
    "quality",
    "workforce",
]
