import pytest

from labelops import projects
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_project

SPEC = {
    "title": "Spam sample",
    "purpose": "policy_measurement",
    "taxonomy_notes": "spam / not spam",
    "volumes": [{"language": "en", "volume": 100}],
}
PM_MOVES = {"evaluating", "accepted", "rejected"}


def submitted(session, personas, **spec):
    data = projects.NewDemand.model_validate({**SPEC, **spec})
    return projects.submit_demand(session, actor=personas.dana, data=data)


def move(session, actor, demand, status, note="because"):
    return projects.change_demand_status(
        session,
        actor=actor,
        demand_id=demand.id,
        data=projects.StatusChange(status=projects.DemandStatus(status), note=note),
    )


def in_status(session, personas, status):
    demand = submitted(session, personas)
    path = {
        "submitted": [],
        "evaluating": ["evaluating"],
        "accepted": ["evaluating", "accepted"],
        "rejected": ["rejected"],
        "withdrawn": ["withdrawn"],
    }[status]
    for step in path:
        move(session, personas.dana if step == "withdrawn" else personas.pat, demand, step)
    return demand


ALLOWED = {
    ("submitted", "evaluating"),
    ("submitted", "rejected"),
    ("submitted", "withdrawn"),
    ("evaluating", "accepted"),
    ("evaluating", "rejected"),
    ("evaluating", "withdrawn"),
    ("accepted", "evaluating"),
    ("accepted", "withdrawn"),
}
STATES = ("submitted", "evaluating", "accepted", "rejected", "withdrawn")


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("target", [*STATES[1:]])
def test_the_lifecycle_allows_exactly_its_moves(session, personas, start, target):
    demand = in_status(session, personas, start)
    actor = personas.pat if target in PM_MOVES else personas.dana

    try:
        move(session, actor, demand, target)
        moved = True
    except Conflict:
        moved = False

    assert moved == ((start, target) in ALLOWED)


def test_a_spec_change_that_breaks_the_taxonomy_rule_changes_nothing(session, personas):
    demand = submitted(session, personas)

    with pytest.raises(InvalidInput) as raised:
        projects.update_demand(
            session,
            actor=personas.dana,
            demand_id=demand.id,
            data=projects.DemandUpdate(taxonomy_notes=""),
        )

    assert raised.value.field == "taxonomy_notes"
    assert demand.taxonomy_notes == "spam / not spam"


def test_other_roles_are_refused_and_other_demanders_do_not_find_it(session, personas):
    demand = submitted(session, personas)
    other = projects.NewDemand.model_validate(SPEC)

    for actor in (personas.vic, personas.rita, personas.alice):
        with pytest.raises(PermissionDenied):
            projects.get_demand(session, actor=actor, demand_id=demand.id)
    with pytest.raises(PermissionDenied):
        projects.submit_demand(session, actor=personas.alice, data=other)
    assert projects.get_demand(session, actor=personas.admin, demand_id=demand.id) is demand
    with pytest.raises(NotFound):
        projects.get_demand(session, actor=personas.dana, demand_id=demand.id + 1000)


def test_a_demand_submitted_by_a_pm_converts_without_a_demander(session, personas):
    data = projects.NewDemand.model_validate({**SPEC, "taxonomy_template": "ts-default"})
    demand = projects.submit_demand(session, actor=personas.pat, data=data)
    move(session, personas.pat, demand, "evaluating")
    move(session, personas.pat, demand, "accepted")

    project = projects.convert_demand(
        session, actor=personas.pat, demand_id=demand.id, data=projects.Conversion()
    )

    assert project.demander_id is None
    assert (demand.status, demand.project_id) == ("converted", project.id)


def test_a_project_made_by_hand_has_no_demand_to_deliver(session, personas):
    make_project(session, personas.pat, demander="dana")
    demand = submitted(session, personas)

    assert projects.delivery_report(session, actor=personas.dana, demand_id=demand.id) is None
