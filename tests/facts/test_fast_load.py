"""The loader's fast path accepts only what the full path accepts, and builds the same facts."""

import copy
import json
import math
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.errors import FactsError
from natssips_rules.facts import _fast
from natssips_rules.facts.load import _plainly_valid, _structure, check_integrity
from natssips_rules.facts.model import Organisation
from natssips_rules.testing import organisations

EXAMPLES = pathlib.Path(__file__).parent.parent.parent / "examples"

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
        fast = _fast.build(Organisation, data, _fast.Met())
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
    met = _fast.Met()
    built = _fast.build(Organisation, data, met)
    key = lambda pair: (repr(pair[0]), pair[1].__name__)  # noqa: E731
    assert sorted(met.refs, key=key) == sorted(every_reference(built, Organisation), key=key)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.9, max_people=4), st.data())
def test_a_reference_to_nothing_is_found_where_it_is(org, data):
    """A reference damaged to name no entry: the fast path's facts are refused with the walk's own problem."""
    plain = json.loads(json.dumps(nr.dump_facts(org)))
    built = _fast.build(Organisation, plain, _fast.Met())
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


# --------------------------------------------------------------------------
# JSON text parsed without the duplicate-key hook: that no key was repeated is made sure from counts


def _encode(value, *, twice, colons, ascii_only, compact, path=()):
    """JSON text of plain data, written here so that the key ``twice[1]`` of the object at ``twice[0]`` can be
    written twice (its value again), and colons in strings written as the escape ``\\u003a`` where ``colons``."""
    comma, colon = (",", ":") if compact else (", ", ": ")
    if isinstance(value, dict):
        pairs = [(key, item) for key, item in value.items()]
        if twice is not None and twice[0] == path:
            at = [key for key, _ in pairs].index(twice[1])
            pairs.insert(twice[2] % (len(pairs) + 1), pairs[at])
        return (
            "{"
            + comma.join(
                _encode(key, twice=None, colons=colons, ascii_only=ascii_only, compact=compact)
                + colon
                + _encode(item, twice=twice, colons=colons, ascii_only=ascii_only, compact=compact, path=(*path, key))
                for key, item in pairs
            )
            + "}"
        )
    if isinstance(value, list):
        inner = (
            _encode(item, twice=twice, colons=colons, ascii_only=ascii_only, compact=compact, path=(*path, index))
            for index, item in enumerate(value)
        )
        return "[" + comma.join(inner) + "]"
    text = json.dumps(value, ensure_ascii=ascii_only)
    return text.replace(":", "\\u003a") if colons and isinstance(value, str) else text


def _objects(value, path=()):
    """The paths of the objects in plain data, with their keys."""
    if isinstance(value, dict):
        if value:
            yield path, list(value)
        for key, item in value.items():
            yield from _objects(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, (*path, index))


def _with_colons(plain):
    """The facts with a colon in the organisation's and each person's name (text the fast path reads)."""
    out = copy.deepcopy(plain)
    out["name"] = f"Trust: {out['name']}"
    for person in out.get("people") or []:
        person["name"] = f"Dr: {person['name']} (locum: yes)"
    return out


WRITTEN = st.fixed_dictionaries(
    {"colons": st.booleans(), "ascii_only": st.booleans(), "compact": st.booleans(), "bytes": st.booleans()}
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.8, max_people=4, max_sites=2, max_specialties=3), WRITTEN, st.data())
def test_a_key_written_twice_is_refused_however_the_text_is_written(org, written, data):
    """Plainly valid facts, written with one key of one object twice (its value again, so the parse is valid
    facts), colons in text values, escaped or not: refused, as the strict parser refuses them."""
    plain = _with_colons(json.loads(json.dumps(nr.dump_facts(org))))
    where, keys = data.draw(st.sampled_from(list(_objects(plain))))
    twice = (where, data.draw(st.sampled_from(keys)), data.draw(st.integers(0, 50)))
    options = {k: written[k] for k in ("colons", "ascii_only", "compact")}
    text = _encode(plain, twice=twice, **options)
    with pytest.raises(FactsError, match="appears twice in one object"):
        nr.load_facts(text.encode() if written["bytes"] else text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(known=0.8, max_people=4, max_sites=2, max_specialties=3), WRITTEN)
def test_text_without_a_repeated_key_loads_in_one_pass_as_the_data_loads(org, written):
    """The same texts without the repeat: the facts of the data, through the one-pass path (never refused)."""
    plain = _with_colons(json.loads(json.dumps(nr.dump_facts(org))))
    text = _encode(plain, twice=None, **{k: written[k] for k in ("colons", "ascii_only", "compact")})
    given_text = text.encode() if written["bytes"] else text
    assert _plainly_valid(given_text) is not None
    assert nr.load_facts(given_text) == nr.load_facts(plain)


def test_text_in_utf_16_with_a_key_twice_is_refused():
    plain = json.loads((EXAMPLES / "brookfield-day-surgery.json").read_text())
    text = '{"id": "x", ' + json.dumps(plain)[1:]
    with pytest.raises(FactsError, match="appears twice in one object"):
        nr.load_facts(text.encode("utf-16"))
    assert nr.load_facts(json.dumps(plain).encode("utf-16")) == nr.load_facts(plain)


def test_threads_loading_facts_for_the_first_time_together_each_load_them():
    """The builders are made on first use: threads doing that at once each get facts, never a false 'cycle'."""
    import subprocess
    import sys

    code = f"""
import threading
import natssips_rules as nr
text = open({str(EXAMPLES / "northvale-large-trust.json")!r}).read()
start = threading.Barrier(8)
failures = []
def load():
    start.wait()
    try:
        nr.load_facts(text)
    except Exception as exc:
        failures.append(repr(exc))
threads = [threading.Thread(target=load) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures), failures[:1])
"""
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.startswith("0 "), done.stdout
