"""The JSON API under /api/v1: one router per context."""

from fastapi import APIRouter

from labelops.web.api import labeling, people, projects, reports

router = APIRouter(prefix="/api/v1")
for module in (people, projects, labeling, reports):
    router.include_router(module.router)
