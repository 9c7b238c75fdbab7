"""Picking the next item is a range scan of the open-slots index, never a scan of the project,
on both engines — and on PostgreSQL also under a generic (prepared) plan."""

from __future__ import annotations

import re

from labelops.distribution import leases
from tests.factories import make_items, make_project


def candidate_query(session, actor, project):
    """The lease's candidate query as it runs on this engine, with its parameters."""
    values = {"labeler_id": actor.user_id, "project_id": project.id, "language": "en"}
    return leases._plain_candidates().bind(session.get_bind().dialect, values)


def plan(session, statement: str, parameters) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return "\n".join(str(row[-1]) for row in rows)
    names: list[str] = []

    def positional(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", positional, statement)
    types = ["bigint" if isinstance(parameters[n], int) else "text" for n in names]
    values = ", ".join(
        str(parameters[n]) if isinstance(parameters[n], int) else f"'{parameters[n]}'"
        for n in names
    )
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE candidates ({', '.join(types)}) AS {sql}")
    try:
        rows = connection.exec_driver_sql(f"EXPLAIN EXECUTE candidates ({values})").all()
    finally:
        connection.exec_driver_sql("DEALLOCATE candidates")
    return "\n".join(row[0] for row in rows)


def test_candidates_come_from_the_open_slots_index(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 3000)
    session.connection().exec_driver_sql("ANALYZE")
    statement, parameters = candidate_query(session, personas.alice, project)

    explained = plan(session, statement, parameters)

    assert "ix_queue_entries_open" in explained, explained
    assert "SCAN queue_entries" not in explained, explained
    assert "Seq Scan on queue_entries" not in explained, explained
