"""`labelops risks scan | list` on a real database."""

import pytest
from typer.testing import CliRunner

from labelops import quality
from labelops.cli import app
from labelops.db import Database
from tests.factories import make_personas, make_project


@pytest.fixture
def env(databases, tmp_path):
    url = databases.new_url()
    return {"LABELOPS_DATABASE_URL": url, "LABELOPS_DATA_DIR": str(tmp_path)}


@pytest.fixture
def project_id(env):
    """A running project with a labeler paused for failing gold."""
    db = Database(env["LABELOPS_DATABASE_URL"])
    with db.write() as session:
        people = make_personas(session)
        project = make_project(session, people.pat, name="Scanned")
        session.add(
            quality.LabelerPause(
                project_id=project.id,
                labeler_id=people.alice.user_id,
                reason="failing_gold",
                message="gold accuracy 1/8",
            )
        )
    db.dispose()
    return project.id


def run(env, *args):
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_scan_records_findings_and_list_prints_them(env, project_id):
    scanned = run(env, "risks", "scan", str(project_id))
    again = run(env, "risks", "scan")  # every running project
    listed = run(env, "risks", "list", str(project_id))

    assert scanned.exit_code == 0, scanned.output
    assert f"project {project_id}: 1 finding(s)" in scanned.output
    assert f"project {project_id}: 1 finding(s)" in again.output
    assert listed.output.count("failing_gold") == 1
    assert "alice is paused" in listed.output


def test_scanning_as_a_labeler_is_refused(env, project_id):
    result = run(env, "risks", "scan", str(project_id), "--as", "alice")

    assert result.exit_code == 1
    assert "forbidden" in result.output


def test_serve_starts_each_background_job_only_when_configured(tmp_path, databases):
    from labelops.cli.app import start_background_jobs
    from labelops.config import Settings

    db = Database(databases.new_url())
    try:
        quiet = start_background_jobs(
            Settings(data_dir=tmp_path, rollup_seconds=0, risk_scan_minutes=0, webhook_url=None),
            db,
        )
        both = start_background_jobs(
            Settings(data_dir=tmp_path, webhook_url="http://127.0.0.1:9/hook"), db
        )
        for job in [*quiet, *both]:
            job.stop()
    finally:
        db.dispose()

    assert quiet == []
    assert [job.name for job in both] == ["rollup-refresh", "risk-scan", "webhook-sender"]
