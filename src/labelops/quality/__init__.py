"""Quality: how good the labels are, and who gives them.

Glossary: a *gold* item has a known answer and is mixed into labelers' queues unannounced; *gold
accuracy* is a labeler's share of gold answered right, with a Wilson 95 % interval; a *pause*
holds a labeler off a project (failing gold) until a PM lifts it; *majority vote* picks each
item's most frequent answer, and its *agreement share* is the share of annotators who gave it;
*agreement* (Krippendorff's alpha, Fleiss' and Cohen's kappa) is how far labelers agree beyond
chance. *Dynamic overlap* stops an item early when its *posterior* (from the project's *fit*:
class priors and each labeler's confusion matrix) is confident, adds a labeler when it is not,
and *escalates* it to a reviewer at the maximum.
"""

from labelops.quality.agreement import (
    AgreementReport,
    PairKappa,
    agreement_report,
    alpha_by_label,
    cohen_kappa_pairs,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    worker_agreement,
)
from labelops.quality.answers import Answers
from labelops.quality.dynamic_overlap import (
    EscalationOut,
    after_submission,
    list_escalations,
    refit,
    resolve_escalation,
)
from labelops.quality.gold import (
    GoldEntry,
    LabelerGold,
    PauseOut,
    gold_accuracy,
    gold_feedback,
    lift_pause,
    list_pauses,
    not_paused,
    record_gold_answer,
    set_gold_answers,
    wilson_interval,
)
from labelops.quality.gold_import import GoldImportResult, import_gold
from labelops.quality.majority import Vote, majority_vote
from labelops.quality.models import (
    Audit,
    AuditItem,
    Dispute,
    DriftAlert,
    Escalation,
    GoldAnswer,
    LabelerPause,
    QualificationAttempt,
    QualityFit,
)
from labelops.quality.report import QualityReport, project_quality

__all__ = [
    "AgreementReport",
    "Answers",
    "Audit",
    "AuditItem",
    "Dispute",
    "DriftAlert",
    "Escalation",
    "EscalationOut",
    "GoldAnswer",
    "GoldEntry",
    "GoldImportResult",
    "LabelerGold",
    "LabelerPause",
    "PairKappa",
    "PauseOut",
    "QualificationAttempt",
    "QualityFit",
    "QualityReport",
    "Vote",
    "after_submission",
    "agreement_report",
    "alpha_by_label",
    "cohen_kappa_pairs",
    "fleiss_kappa",
    "gold_accuracy",
    "gold_feedback",
    "import_gold",
    "krippendorff_alpha",
    "lift_pause",
    "list_escalations",
    "list_pauses",
    "majority_vote",
    "not_paused",
    "percent_agreement",
    "project_quality",
    "record_gold_answer",
    "refit",
    "resolve_escalation",
    "set_gold_answers",
    "wilson_interval",
    "worker_agreement",
]
