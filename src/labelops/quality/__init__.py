"""Quality: how good the labels are, and who gives them.

Glossary: a *gold* item has a known answer and is mixed into labelers' queues unannounced; *gold
accuracy* is a labeler's share of gold answered right, with a Wilson 95 % interval; a *pause*
holds a labeler off a project (failing gold) until a PM lifts it; *majority vote* picks each
item's most frequent answer, and its *agreement share* is the share of annotators who gave it;
*agreement* (Krippendorff's alpha, Fleiss' and Cohen's kappa) is how far labelers agree beyond
chance; a *qualification quiz* of gold items must be passed before a project's real items; a
*dispute* contests a gold verdict or a review correction; a *drift alert* says a labeler's gold
accuracy has dropped (a CUSUM on their gold answers); an *audit* reviews a stratified random
sample of a batch's final labels to estimate its accuracy, and the PM accepts or rejects the
batch against the project's quality target. *Dynamic overlap* stops an item early when its
*posterior* (from the project's *fit*: class priors and each labeler's confusion matrix) is
confident, adds a labeler when it is not, and *escalates* it to a reviewer at the maximum.
*Aggregation* (majority vote, Dawid–Skene, one-coin) gives each item a label with a posterior
confidence and each labeler a *confusion matrix*; *confusion mining* ranks the label pairs and
items labelers disagree on.
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
from labelops.quality.audit_views import (
    AuditDetail,
    AuditItemOut,
    AuditOut,
    BatchOut,
    audit_batches,
    get_audit,
    list_audits,
    list_open_audits,
)
from labelops.quality.audits import (
    AuditPlan,
    Decision,
    NewAudit,
    Verdict,
    create_audit,
    decide_audit,
    plan_audit,
    record_verdict,
)
from labelops.quality.confusion import (
    ConfusedPair,
    ConfusionReport,
    DisputedItem,
    confusion_report,
    fitted_views,
)
from labelops.quality.disputes import (
    DisputeOut,
    NewDispute,
    Resolution,
    list_disputes,
    open_dispute,
    resolve_dispute,
)
from labelops.quality.drift import (
    DriftAlertOut,
    acknowledge_drift_alert,
    list_drift_alerts,
    open_drift_alerts,
)
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
from labelops.quality.qualification import (
    Quiz,
    QuizResult,
    find_open_quiz,
    get_quiz_result,
    qualified,
    quiz_path,
    start_attempt,
    submit_attempt,
)
from labelops.quality.qualification_standing import (
    LabelerQualification,
    QualificationOverview,
    qualification_overview,
    reset_qualification,
)
from labelops.quality.report import QualityReport, project_quality
from labelops.quality.rereview import escalate_for_guideline_change
from labelops.quality.reviewed import ReviewedLabel, reviewed_labels

__all__ = [
    "METHODS",
    "AgreementReport",
    "Answers",
    "Audit",
    "AuditDetail",
    "AuditItem",
    "AuditItemOut",
    "AuditOut",
    "AuditPlan",
    "BatchOut",
    "ConfusedPair",
    "ConfusionReport",
    "Decision",
    "Dispute",
    "DisputeOut",
    "DisputedItem",
    "DriftAlert",
    "DriftAlertOut",
    "Escalation",
    "EscalationOut",
    "GoldAnswer",
    "GoldEntry",
    "GoldImportResult",
    "ItemLabel",
    "LabelerConfusion",
    "LabelerGold",
    "LabelerPause",
    "LabelerQualification",
    "NewAudit",
    "NewDispute",
    "PairKappa",
    "PauseOut",
    "ProjectAggregation",
    "ProjectFit",
    "QualificationAttempt",
    "QualificationOverview",
    "QualityFit",
    "QualityReport",
    "Quiz",
    "QuizResult",
    "Resolution",
    "ReviewedLabel",
    "Verdict",
    "Vote",
    "acknowledge_drift_alert",
    "after_submission",
    "agreement_report",
    "alpha_by_label",
    "audit_batches",
    "check_method",
    "cohen_kappa_pairs",
    "confusion_report",
    "create_audit",
    "decide_audit",
    "escalate_for_guideline_change",
    "find_open_quiz",
    "fit_project",
    "fitted_views",
    "fleiss_kappa",
    "get_audit",
    "get_quiz_result",
    "gold_accuracy",
    "gold_feedback",
    "import_gold",
    "krippendorff_alpha",
    "lift_pause",
    "list_audits",
    "list_disputes",
    "list_drift_alerts",
    "list_escalations",
    "list_open_audits",
    "list_pauses",
    "majority_vote",
    "not_paused",
    "open_dispute",
    "open_drift_alerts",
    "percent_agreement",
    "plan_audit",
    "project_aggregation",
    "project_quality",
    "qualification_overview",
    "qualified",
    "quiz_path",
    "record_gold_answer",
    "record_verdict",
    "refit",
    "reset_qualification",
    "resolve_dispute",
    "resolve_escalation",
    "reviewed_labels",
    "set_gold_answers",
    "start_attempt",
    "submit_attempt",
    "wilson_interval",
    "worker_agreement",
]
