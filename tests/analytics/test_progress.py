import pytest

from labelops import analytics, distribution
from labelops.errors import PermissionDenied
from tests.factories import label_next, make_items, make_project


def test_batch_states_match_each_projects_progress(session, personas):
    first = make_project(session, personas.pat, overlap=2, name="first")
    second = make_project(session, personas.pat, overlap=1, name="second")
    make_items(session, personas.pat, first, 3)
    make_items(session, personas.pat, second, 2)
    label_next(session, personas.alice, first)
    label_next(session, personas.bruno, first)
    distribution.lease_next_item(session, actor=personas.alice, project_id=second.id)

    batch = analytics.item_states_by_project(
        session, actor=personas.pat, project_ids=[first.id, second.id]
    )

    for project in (first, second):
        single = analytics.project_progress(session, actor=personas.pat, project_id=project.id)
        assert batch[project.id] == single.items
    assert batch[first.id].model_dump() == {"total": 3, "queued": 2, "leased": 0, "done": 1}
    assert batch[second.id].model_dump() == {"total": 2, "queued": 1, "leased": 1, "done": 0}


def test_a_project_without_items_has_zero_states(session, personas):
    project = make_project(session, personas.pat)

    batch = analytics.item_states_by_project(session, actor=personas.pat, project_ids=[project.id])

    assert batch[project.id].model_dump() == {"total": 0, "queued": 0, "leased": 0, "done": 0}


def test_labelers_cannot_read_item_states(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(PermissionDenied):
        analytics.item_states_by_project(session, actor=personas.alice, project_ids=[project.id])
