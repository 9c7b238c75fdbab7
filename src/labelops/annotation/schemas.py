from __future__ import annotations

import enum
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class NewSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labels: list[str] = Field(min_length=1, max_length=50, description="leaf label keys")
    duration_ms: int | None = Field(
        default=None, ge=0, le=86_400_000, description="time the labeler spent on the item"
    )


class SkipReason(enum.StrEnum):
    CANNOT_READ_LANGUAGE = "cannot_read_language"
    UNCLEAR_GUIDELINES = "unclear_guidelines"
    DISTRESSING = "distressing"
    BROKEN_ITEM = "broken_item"
    OTHER = "other"


class NewSkip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: SkipReason
    note: str | None = Field(default=None, max_length=1000)


class GoldFeedback(BaseModel):
    """What a labeler sees after answering a gold item."""

    expected: list[str]
    explanation: str
    correct: bool


class AnnotationOut(BaseModel):
    id: int
    assignment_id: int
    item_id: int
    labels: list[str]
    duration_ms: int | None
    guideline_version: int | None
    submitted_at: datetime
    is_late: bool
    gold: GoldFeedback | None = Field(
        default=None, description="for a gold item: the expected answer, shown after answering"
    )
