"""The JSON API under /api/v1: one router per context.

The labeling loop's router comes first: routes are matched in order, and its two endpoints
carry most of the traffic.
"""

from fastapi import APIRouter

from labelops.web.api import (
    aggregation,
    audits,
    dashboard,
    disputes,
    escalations,
    labeling,
    people,
    projects,
    qualification,
    quality,
    reports,
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
    dashboard.router,
)
