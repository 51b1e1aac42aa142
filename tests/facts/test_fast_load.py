"""The loader's fast path accepts only what the full path accepts, and builds the same facts."""

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.errors import FactsError
from natssips_rules.facts import _fast
from natssips_rules.facts.load import _structure
from natssips_rules.facts.model import Organisation
from natssips_rules.testing import organisations

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    0.5,
    1.5,
    1e9,
    1e9 + 1,
    10**10,
    math.nan,
    math.inf,
    -0.0,
    "",
    " ",
    "x",
    "x" * 2001,
    "bad \ud800 text",
    "2026-02-30",
    "2026-03-31",
    "31/03/2026",
    "nhs_trust",
    "medical",
    "senior",
    "yes",
    [],
    [None],
    ["medical", "medical"],
    ["p0"],
    ["p0", "p0"],
    ["p0", "p1"],
    {},
    {"unknown": 1},
    {"id": "p0"},
    [{}],
    3.0,
    2**63,
]


def leaves(value, path=()):
    """Every place in plain data where a value can be replaced (keys of objects, items of lists)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*path, key)
            yield from leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*path, index)
            yield from leaves(inner, (*path, index))


def replaced(data, path, new):
    out = copy.deepcopy(data)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return out


def both_paths(data):
    """(fast result or None when unsure, full result or the FactsError)."""
    try:
        fast = _fast.build(Organisation, data)
    except _fast.Unsure:
        fast = None
    try:
        full = _structure(data, None)
    except FactsError as exc:
        full = exc
    return fast, full


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.7))
def test_the_fast_path_builds_exactly_what_the_full_path_builds(org):
    data = json.loads(json.dumps(nr.dump_facts(org)))
    fast, full = both_paths(data)
    assert fast is not None, "valid facts should take the fast path"
    assert fast == full == org


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.8, max_people=3, max_sites=2, max_specialties=2), st.data())
def test_the_fast_path_never_accepts_what_the_full_path_refuses(org, data):
    """One place of valid facts damaged with every odd value in turn: where the fast path accepts, the full path agrees."""
    plain = json.loads(json.dumps(nr.dump_facts(org)))
    places = list(leaves(plain))
    path = data.draw(st.sampled_from(places)) if places else ("beds",)
    for odd in ODD_VALUES:
        fast, full = both_paths(replaced(plain, path, odd))
        if fast is not None:
            assert not isinstance(full, FactsError), (
                f"the fast path accepted {odd!r} at {path}, which the full path refuses: {full}"
            )
            assert fast == full


@pytest.mark.slow
def test_every_place_of_an_example_damaged_with_every_odd_value():
    """The same, swept without sampling over every place of the small example (a list of ids among them)."""
    plain = json.loads(json.dumps(nr.dump_facts(nr.load_facts("examples/brookfield-day-surgery.json"))))
    accepted_wrongly = []
    for path in leaves(plain):
        for odd in ODD_VALUES:
            fast, full = both_paths(replaced(plain, path, odd))
            if fast is not None and (isinstance(full, FactsError) or fast != full):
                accepted_wrongly.append((path, odd))
    assert accepted_wrongly == []


def test_a_damaged_document_still_reports_every_problem():
    data = json.loads(json.dumps(nr.dump_facts(nr.load_facts("examples/northvale-large-trust.json"))))
    data["beds"] = -1
    data["people"][0]["profession"] = "surgeon"
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(data)
    assert {p.path for p in info.value.errors} == {"beds", "people[0].profession"}
