"""Quality: how good the labels are, and who gives them.

Glossary: a *gold* item has a known answer and is mixed into labelers' queues unannounced; *gold
accuracy* is a labeler's share of gold answered right, with a Wilson 95 % interval; a *pause*
holds a labeler off a project (failing gold) until a PM lifts it; *majority vote* picks each
item's most frequent answer, and its *agreement share* is the share of annotators who gave it;
*agreement* (Krippendorff's alpha, Fleiss' and Cohen's kappa) is how far labelers agree beyond
chance; *aggregation* (majority vote, Dawid–Skene, one-coin) gives each item a label with a
posterior confidence and each labeler a *confusion matrix*; *confusion mining* ranks the label
pairs and items labelers disagree on.
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
from labelops.quality.confusion import ConfusedPair, ConfusionReport, DisputedItem, confusion_report
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
from labelops.quality.project_aggregation import (
    METHODS,
    ItemLabel,
    LabelerConfusion,
    ProjectAggregation,
    ProjectFit,
    check_method,
    fit_project,
    project_aggregation,
)
from labelops.quality.report import QualityReport, project_quality

__all__ = [
    "METHODS",
    "AgreementReport",
    "Answers",
    "Audit",
    "AuditItem",
    "ConfusedPair",
    "ConfusionReport",
    "Dispute",
    "DisputedItem",
    "DriftAlert",
    "Escalation",
    "GoldAnswer",
    "GoldEntry",
    "GoldImportResult",
    "ItemLabel",
    "LabelerConfusion",
    "LabelerGold",
    "LabelerPause",
    "PairKappa",
    "PauseOut",
    "ProjectAggregation",
    "ProjectFit",
    "QualificationAttempt",
    "QualityFit",
    "QualityReport",
    "Vote",
    "agreement_report",
    "alpha_by_label",
    "check_method",
    "cohen_kappa_pairs",
    "confusion_report",
    "fit_project",
    "fleiss_kappa",
    "gold_accuracy",
    "gold_feedback",
    "import_gold",
    "krippendorff_alpha",
    "lift_pause",
    "list_pauses",
    "majority_vote",
    "not_paused",
    "percent_agreement",
    "project_aggregation",
    "project_quality",
    "record_gold_answer",
    "set_gold_answers",
    "wilson_interval",
    "worker_agreement",
]
