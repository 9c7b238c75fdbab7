"""The FastAPI application: the JSON API under /api/v1 and the server-rendered pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import labelops
from labelops.config import Settings
from labelops.db import Database
from labelops.web import api, errors, pages

_HERE = Path(__file__).parent


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """An app bound to one database (opened from the settings unless given)."""
    app = FastAPI(
        title="labelops",
        version=labelops.__version__,
        summary="Labeling operations for Trust & Safety data.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db or Database(
        settings.resolved_database_url(),
        sqlite_synchronous=settings.sqlite_synchronous,
        pool_size=settings.pool_size,
    )
    app.state.templates = Jinja2Templates(directory=_HERE / "templates")
    errors.install(app)
    for router in api.ROUTERS:  # each directly on the app: one level of routing, not two
        app.include_router(router, prefix=api.PREFIX)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

    @app.get("/api/v1/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness: answers without touching the database."""
        return {"status": "ok", "version": labelops.__version__}

    return app


def app_from_environment() -> FastAPI:
    """The app of one `labelops serve --workers N` process, configured from LABELOPS_*."""
    app = create_app(Settings())
    app.state.db.start_checkpointer()
    return app
