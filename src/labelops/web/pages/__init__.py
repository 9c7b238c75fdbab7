"""Server-rendered pages: one module per area, assembled into one router.

`project_form` comes before `projects`, so `/projects/new` is not read as a project id.
"""

from fastapi import APIRouter

from labelops.web.pages import (
    audits,
    auth,
    dashboard,
    disputes,
    escalations,
    imports,
    labeling,
    project_form,
    projects,
    qualification,
    quality,
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
    audits,
    escalations,
    users,
    dashboard,
)
router = APIRouter(include_in_schema=False)
for module in PAGES:
    router.include_router(module.router)
