"""Every state change made by a use case leaves an audit row saying who did what."""

from sqlalchemy import select

from labelops import guidelines, projects, workforce
from labelops.audit import AuditEvent
from labelops.auth import Role
from tests.factories import PASSWORD, make_items, make_project


def actions(session) -> list[tuple[str, str, str]]:
    rows = session.execute(
        select(AuditEvent.actor_name, AuditEvent.action, AuditEvent.object_type).order_by(
            AuditEvent.id
        )
    )
    return [tuple(row) for row in rows]


def test_project_lifecycle_actions_are_audited(session, personas):
    before = len(actions(session))
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 2)
    projects.update_project(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=projects.ProjectUpdate(status=projects.ProjectStatus.PAUSED),
    )
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="v2")

    assert actions(session)[before:] == [
        ("pat", "guidelines.published", "guideline_version"),
        ("pat", "project.created", "project"),
        ("pat", "items.imported", "import_batch"),
        ("pat", "project.updated", "project"),
        ("pat", "guidelines.published", "guideline_version"),
    ]


def test_update_records_what_changed(session, personas):
    project = make_project(session, personas.pat)

    projects.update_project(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=projects.ProjectUpdate(lease_seconds=120),
    )

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "project.updated")).one()
    assert event.data == {"changes": {"lease_seconds": 120}}
    assert event.project_id == project.id


def test_user_creation_and_logins_are_audited(session, personas):
    before = len(actions(session))
    workforce.create_user(
        session,
        actor=personas.vic,
        data=workforce.NewUser(
            username="newbie", password=PASSWORD, role=Role.LABELER, languages=["en"]
        ),
    )
    login = workforce.verify_login(session, username="newbie", password=PASSWORD)
    workforce.issue_token(session, login=login)
    workforce.start_web_session(session, login=login, hours=1)

    assert actions(session)[before:] == [
        ("vic", "user.created", "user"),
        ("newbie", "token.issued", "user"),
        ("newbie", "session.started", "user"),
    ]
