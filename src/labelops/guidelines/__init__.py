"""Guidelines: what labelers follow.

Glossary: a *guideline version* is one published Markdown text of a project's guidelines;
versions only grow, and every annotation records the version its labeler worked under.
"""

from labelops.guidelines.models import GuidelineExample, GuidelineVersion
from labelops.guidelines.render import render_markdown
from labelops.guidelines.service import (
    add_version,
    current_guidelines,
    current_version_number,
    publish_guidelines,
)

__all__ = [
    "GuidelineExample",
    "GuidelineVersion",
    "add_version",
    "current_guidelines",
    "current_version_number",
    "publish_guidelines",
    "render_markdown",
]
