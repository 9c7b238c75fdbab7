"""Annotation: the judgements labelers make.

Glossary: an *annotation* is one labeler's labels for one item, with the guideline version
they worked under and their handling time; a *skip* hands an item back with a reason; a
*release* hands back an item not yet worked on.
"""

from labelops.annotation.models import Annotation
from labelops.annotation.schemas import (
    AnnotationOut,
    GoldFeedback,
    NewSkip,
    NewSubmission,
    SkipReason,
)
from labelops.annotation.service import release_item, skip_item, submit_annotation

__all__ = [
    "Annotation",
    "AnnotationOut",
    "GoldFeedback",
    "NewSkip",
    "NewSubmission",
    "SkipReason",
    "release_item",
    "skip_item",
    "submit_annotation",
]
