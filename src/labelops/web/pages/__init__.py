"""Server-rendered pages: one module per area, assembled into one router.

`project_form` comes before `projects`, so `/projects/new` is not read as a project id.
"""

from fastapi import APIRouter

from labelops.web.pages import (
    audits,
    auth,
    dashboard,
    demands,
    disputes,
    escalations,
    evaluation,
    guidelines,
    imports,
    labeling,
    project_form,
    projects,
    qualification,
    quality,
    questions,
    resources,
    risks,
    scorecards,
    sops,
    users,
)

PAGES = (
    auth,
    project_form,
    projects,
    imports,
    labeling,
    qualification,
    quality,
    disputes,
    questions,
    audits,
    escalations,
    scorecards,
    demands,
    risks,
    guidelines,
    sops,
    users,
    evaluation,
    resources,
    dashboard,
)
router = APIRouter(include_in_schema=False)
for module in PAGES:
    router.include_router(module.router)
