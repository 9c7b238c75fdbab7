"""Guidelines: what labelers follow.

Glossary: a *guideline version* is one published Markdown text of a project's guidelines;
versions only grow, and every annotation records the version its labeler worked under. A
*guideline example* is a real item kept with its right answer and why, shown with the guidelines.
A *question from the floor* is a labeler's question on an item they were given; the PM's answer
can become a guideline example in one step.
Glossary: a *guideline version* is one published version of a project's guidelines (a Markdown
introduction, a section per label — definition, when to use, when not to — a per-locale
*glossary* of slang and coded terms, and a changelog); versions only grow, and every annotation
records the version its labeler worked under. A labeler *acknowledges* the current version (and
the *SOPs*, standard operating procedures, for their role) before their next item. A *guideline
example* is a real item kept with its right answer and why, shown with the guidelines.
"""

from labelops.guidelines.acks import (
    BLOCK_CODE,
    Acknowledgement,
    AckStatus,
    LabelerAck,
    Pending,
    acknowledge,
    acknowledge_for_everyone,
    acknowledged,
    acknowledgement_status,
    last_acknowledged_version,
    pending_for,
)
from labelops.guidelines.diff import DiffLine, GlossaryTerm, GuidelineDiff, diff_of, diff_versions
from labelops.guidelines.document import Document, render_document, version_markdown
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
    GlossaryEntry,
    NewGuidelines,
    Published,
    Section,
    VersionSummary,
    add_version,
    all_label_keys,
    changed_labels,
    current_guidelines,
    current_version_number,
    find_version,
    get_version,
    list_versions,
    publish,
    publish_guidelines,
)
from labelops.guidelines.sops import (
    NewSop,
    NewSopVersion,
    SopDiff,
    SopOut,
    SopSummary,
    SopVersionOut,
    acknowledge_sop,
    create_sop,
    diff_sop,
    get_sop,
    list_sops,
    publish_sop_version,
    unacknowledged_sops,
)

__all__ = [
    "BLOCK_CODE",
    "AckStatus",
    "Acknowledgement",
    "DiffLine",
    "Document",
    "ExampleOut",
    "GlossaryEntry",
    "GlossaryTerm",
    "GuidelineAck",
    "GuidelineDiff",
    "GuidelineExample",
    "GuidelineVersion",
    "LabelerAck",
    "NewAnswer",
    "NewExample",
    "NewGuidelines",
    "NewQuestion",
    "NewSop",
    "NewSopVersion",
    "Pending",
    "Published",
    "Question",
    "QuestionOut",
    "QuestionState",
    "QuestionSummary",
    "Section",
    "Sop",
    "SopAck",
    "SopDiff",
    "SopOut",
    "SopSummary",
    "SopVersion",
    "SopVersionOut",
    "VersionSummary",
    "acknowledge",
    "acknowledge_for_everyone",
    "acknowledge_sop",
    "acknowledged",
    "acknowledgement_status",
    "add_example",
    "add_version",
    "age_text",
    "all_label_keys",
    "answer_question",
    "ask_question",
    "changed_labels",
    "create_sop",
    "current_guidelines",
    "current_version_number",
    "diff_of",
    "diff_sop",
    "diff_versions",
    "examples_of",
    "find_version",
    "get_question",
    "get_sop",
    "get_version",
    "last_acknowledged_version",
    "list_examples",
    "list_questions",
    "list_sops",
    "list_versions",
    "pending_for",
    "publish",
    "publish_guidelines",
    "publish_sop_version",
    "question_summary",
    "render_document",
    "render_markdown",
    "unacknowledged_sops",
    "version_markdown",
]
