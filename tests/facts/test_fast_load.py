"""The loader's fast path accepts only what the full path accepts, and builds the same facts."""

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.errors import FactsError
from natssips_rules.facts import _fast
from natssips_rules.facts.load import _structure, check_integrity
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
        fast = _fast.build(Organisation, data, [])
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


def every_reference(obj, cls):
    """Each reference ``obj`` and what it holds carry (an id, or a tuple of ids), with the class it refers to,
    found by walking the facts classes' fields."""
    from natssips_rules.facts.paths import fields_of

    found = []
    for name, info in fields_of(cls).items():
        value = getattr(obj, name)
        if value is None or value is False:
            continue
        if info.kind in ("ref", "reflist"):
            found.append((value, info.type))
        elif info.kind in ("object", "evidence"):
            found += every_reference(value, info.type)
        elif info.kind == "collection":
            for item in value:
                found += every_reference(item, info.type)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.7))
def test_the_fast_path_meets_every_reference_the_facts_hold(org):
    """The integrity check trusts the references the fast path met: they are every reference there is."""
    data = json.loads(json.dumps(nr.dump_facts(org)))
    met = []
    built = _fast.build(Organisation, data, met)
    key = lambda pair: (repr(pair[0]), pair[1].__name__)  # noqa: E731
    assert sorted(met, key=key) == sorted(every_reference(built, Organisation), key=key)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.9, max_people=4), st.data())
def test_a_reference_to_nothing_is_found_where_it_is(org, data):
    """A reference damaged to name no entry: the fast path's facts are refused with the walk's own problem."""
    plain = json.loads(json.dumps(nr.dump_facts(org)))
    built = _fast.build(Organisation, plain, [])
    places = [path for path in leaves(plain) if _is_reference(built, path)]
    if not places:
        return
    path = data.draw(st.sampled_from(places))
    damaged = replaced(plain, path, "nobody-at-all")
    with pytest.raises(FactsError) as refused:
        nr.load_facts(damaged)
    assert [p.message for p in refused.value.problems] == [p.message for p in check_integrity(_structure(damaged, None))]
    assert any("refers to 'nobody-at-all'" in p.message for p in refused.value.problems)


def _is_reference(obj, path, cls=Organisation):
    """Whether ``path`` (keys and indexes into the plain data of ``obj``) is a reference, or an item of a list of them."""
    from natssips_rules.facts.paths import fields_of

    if not path or isinstance(path[0], int):
        return False
    info = fields_of(cls).get(path[0])
    if info is None:
        return False
    rest, value = path[1:], getattr(obj, path[0])
    if info.kind == "ref":
        return not rest
    if info.kind == "reflist":
        return len(rest) == 1 and isinstance(rest[0], int)
    if info.kind in ("object", "evidence") and value not in (None, False):
        return _is_reference(value, rest, info.type)
    if info.kind == "collection" and rest and isinstance(rest[0], int):
        return _is_reference(value[rest[0]], rest[1:], info.type)
    return False
