"""Server-rendered pages: one module per area, assembled into one router.

`project_form` comes before `projects`, so `/projects/new` is not read as a project id.
"""

from fastapi import APIRouter

from labelops.web.pages import (
    auth,
    escalations,
    imports,
    labeling,
    project_form,
    projects,
    users,
)

router = APIRouter(include_in_schema=False)
for module in (auth, project_form, projects, imports, labeling, users, escalations):
    router.include_router(module.router)
