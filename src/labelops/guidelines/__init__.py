"""Guidelines: what labelers follow.

Glossary: a *guideline version* is one published Markdown text of a project's guidelines;
versions only grow, and every annotation records the version its labeler worked under. A
*guideline example* is a real item kept with its right answer and why, shown with the guidelines.
A *question from the floor* is a labeler's question on an item they were given; the PM's answer
can become a guideline example in one step.
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
from labelops.guidelines.questions import (
    NewAnswer,
    NewQuestion,
    QuestionOut,
    QuestionState,
    QuestionSummary,
    age_text,
    answer_question,
    ask_question,
    get_question,
    list_questions,
    question_summary,
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
    "NewAnswer",
    "NewExample",
    "NewQuestion",
    "Question",
    "QuestionOut",
    "QuestionState",
    "QuestionSummary",
    "Sop",
    "SopAck",
    "SopVersion",
    "add_example",
    "add_version",
    "age_text",
    "answer_question",
    "ask_question",
    "current_guidelines",
    "current_version_number",
    "examples_of",
    "get_question",
    "list_examples",
    "list_questions",
    "publish_guidelines",
    "question_summary",
    "render_markdown",
]
