"""Guidelines: what labelers follow.

Glossary: a *guideline version* is one published Markdown text of a project's guidelines;
versions only grow, and every annotation records the version its labeler worked under. A
*guideline example* is a real item kept with its right answer and why, shown with the guidelines.
"""

from labelops.guidelines.examples import (
    ExampleOut,
    NewExample,
    add_example,
    examples_of,
    list_examples,
)
from labelops.guidelines.models import (
    GuidelineAck,
    GuidelineExample,
    GuidelineVersion,
    Question,
    Sop,
    SopAck,
    SopVersion,
)
from labelops.guidelines.render import render_markdown
from labelops.guidelines.service import (
    add_version,
    current_guidelines,
    current_version_number,
    publish_guidelines,
)

__all__ = [
    "ExampleOut",
    "GuidelineAck",
    "GuidelineExample",
    "GuidelineVersion",
    "NewExample",
    "Question",
    "Sop",
    "SopAck",
    "SopVersion",
    "add_example",
    "add_version",
    "current_guidelines",
    "current_version_number",
    "examples_of",
    "list_examples",
    "publish_guidelines",
    "render_markdown",
]
