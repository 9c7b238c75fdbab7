"""The JSON API under /api/v1: one router per context.

The labeling loop's router comes first: routes are matched in order, and its two endpoints
carry most of the traffic.
"""

from fastapi import APIRouter

from labelops.web.api import (
    aggregation,
    audits,
    dashboard,
    demands,
    disputes,
    escalations,
    evaluation,
    guidelines,
    labeling,
    people,
    projects,
    qualification,
    quality,
    questions,
    reports,
    resources,
    risks,
    scorecards,
)

PREFIX = "/api/v1"
ROUTERS: tuple[APIRouter, ...] = (
    labeling.router,
    people.router,
    projects.router,
    quality.router,
    qualification.router,
    aggregation.router,
    reports.router,
    disputes.router,
    audits.router,
    escalations.router,
    scorecards.router,
    questions.router,
    demands.router,
    evaluation.router,
    resources.router,
    risks.router,
    guidelines.router,
    dashboard.router,
)
