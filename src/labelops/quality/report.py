"""The quality of a project, from its stored annotations: gold, pauses and agreement."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, projects
from labelops.auth import Action, Actor, Role
from labelops.quality.agreement import (
    AgreementReport,
    agreement_report,
    alpha_by_label,
)
from labelops.quality.answers import Answers
from labelops.quality.disputes import list_disputes
from labelops.quality.drift import DriftAlertOut, open_drift_alerts
from labelops.quality.gold import LabelerGold, PauseOut, gold_accuracy, list_pauses
from labelops.quality.models import GoldAnswer
from labelops.workforce import Vendor


class AgreementOut(BaseModel):
    answers: int
    tasks: int
    percent: float | None
    alpha: float | None
    fleiss: float | None

    @classmethod
    def of(cls, report: AgreementReport) -> AgreementOut:
        return cls(
            answers=report.answers,
            tasks=report.tasks,
            percent=report.percent,
            alpha=report.alpha,
            fleiss=report.fleiss,
        )


class Breakdown(BaseModel):
    key: str
    agreement: AgreementOut


class QualityReport(BaseModel):
    project_id: int
    gold_items: int
    gold: list[LabelerGold]
    pauses: list[PauseOut]
    agreement: AgreementOut
    alpha_by_label: dict[str, float | None]
    by_language: list[Breakdown]
    by_vendor: list[Breakdown]
    by_guideline_version: list[Breakdown]
    drift_alerts: list[DriftAlertOut]  # not yet acknowledged
    open_disputes: int | None  # None: the caller may not see disputes


def project_quality(session: Session, *, actor: Actor, project_id: int) -> QualityReport:
    """Gold accuracy, pauses and agreement (overall and by language, vendor, guideline version);
    a vendor lead sees their own vendor's labelers and annotations only."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    rows = _annotation_rows(session, project.id, actor)
    answers = Answers.from_triples((item, labeler, label) for item, labeler, label, *_ in rows)
    language = [r[3] for r in rows]
    vendor = [r[4] or "no vendor" for r in rows]
    version = [f"v{r[5]}" if r[5] is not None else "none" for r in rows]
    return QualityReport(
        project_id=project.id,
        gold_items=len(
            session.scalars(
                select(GoldAnswer.item_id).where(GoldAnswer.project_id == project.id)
            ).all()
        ),
        gold=gold_accuracy(session, actor=actor, project_id=project.id),
        pauses=list_pauses(session, actor=actor, project_id=project.id),
        agreement=AgreementOut.of(agreement_report(answers)),
        alpha_by_label={
            str(answers.labels[index]): value for index, value in alpha_by_label(answers).items()
        },
        by_language=_breakdown(answers, language),
        by_vendor=_breakdown(answers, vendor),
        by_guideline_version=_breakdown(answers, version),
        drift_alerts=open_drift_alerts(session, actor=actor, project_id=project.id),
        open_disputes=(
            len(list_disputes(session, actor=actor, project_id=project.id, status="open"))
            if actor.can(Action.REVIEW) or actor.role is Role.VENDOR_LEAD
            else None
        ),
    )


def _annotation_rows(
    session: Session, project_id: int, actor: Actor
) -> list[tuple[int, int, str, str, str | None, int | None]]:
    vendor_id = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    return annotation_rows(session, project_id, vendor_id=vendor_id)


def annotation_rows(
    session: Session, project_id: int, *, vendor_id: int | None
) -> list[tuple[int, int, str, str, str | None, int | None]]:
    """(item, labeler, answer, language, vendor, guideline version) of each annotation, only
    one vendor's when `vendor_id` is given; a multi-choice answer is its labels joined by |."""
    stored = annotation.Annotation
    item = projects.Item
    query = (
        select(
            stored.item_id,
            stored.labeler_id,
            stored.labels,
            item.language,
            Vendor.name,
            stored.guideline_version,
        )
        .join(item, item.id == stored.item_id)
        .outerjoin(Vendor, Vendor.id == stored.vendor_id)
        .where(stored.project_id == project_id)
    )
    if vendor_id is not None:
        query = query.where(stored.vendor_id == vendor_id)
    # A multi-choice answer is compared as a whole: the sorted set of its labels.
    return [
        (item_id, labeler, "|".join(labels), language, vendor, guideline)
        for item_id, labeler, labels, language, vendor, guideline in session.execute(query)
    ]


def _breakdown(answers: Answers, keys: Iterable[Hashable]) -> list[Breakdown]:
    """Agreement within each group of answers (keys: one per answer, in the answers' order)."""
    values = np.asarray([str(key) for key in keys], dtype=object)
    assert values.shape[0] == answers.n_answers, "one key per answer"
    return [
        Breakdown(
            key=key, agreement=AgreementOut.of(agreement_report(answers.select(values == key)))
        )
        for key in sorted(set(values.tolist()))
    ]
