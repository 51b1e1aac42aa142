"""Hostile input: the only outcomes are a report, or FactsError (exit 2) with paths; nothing else.

Arbitrary JSON (wrong types, huge and deep structures, huge strings and
numbers, NaN/Infinity, unicode, duplicate ids, dangling references) goes into
``load_facts``, ``evaluate`` on both engines, and the command line.
"""

import json
import math
import pathlib

import attrs
import pytest
from hypothesis import HealthCheck, given, note, settings, strategies as st

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.facts.load import MAX_DOCUMENT_BYTES
from natssips_rules.testing import organisations

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "𝔑𝔞𝔱𝔖𝔖𝔌𝔓𝔰", "2026-02-30", "2026-03-31", "nhs_trust", "p0", "s0", "1e400", "NaN"]),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def paths_of(data, prefix=()):
    """Every position in a JSON value: (steps, value)."""
    yield prefix, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, (*prefix, index))


def replaced(data, steps, value):
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(data, dict):
        return {**data, head: replaced(data[head], rest, value)}
    items = list(data)
    items[head] = replaced(items[head], rest, value)
    return items


@st.composite
def hostile_documents(draw):
    """A valid organisation's JSON with one place replaced, a key added, or an entry duplicated."""
    data = nr.dump_facts(draw(organisations()))
    positions = list(paths_of(data))
    steps, value = draw(st.sampled_from(positions))
    action = draw(st.sampled_from(["replace", "add", "duplicate"]))
    if action == "replace":
        return replaced(data, steps, draw(JSON))
    if action == "add" and isinstance(value, dict):
        return replaced(data, steps, {**value, draw(st.text(max_size=12)): draw(JSON)})
    if action == "duplicate" and isinstance(value, list) and value:
        return replaced(data, steps, [*value, value[0]])
    return data


def outcome(document) -> str:
    """Load and evaluate ``document``; 'report' or 'refused'. Any other exception fails the test."""
    try:
        org = nr.load_facts(document)
    except nr.FactsError as exc:
        assert exc.errors, "a FactsError always lists its problems"
        for problem in exc.errors:
            assert isinstance(problem.path, str) and problem.message
        return "refused"
    durable = nr.evaluate(org)
    reference = nr.evaluate(org, engine="reference")
    assert durable.findings == reference.findings
    return "report"


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_documents())
def test_a_damaged_document_gives_a_report_or_a_facts_error(document):
    note(json.dumps(document, default=str)[:4000])
    outcome(document)


@given(JSON)
def test_arbitrary_json_gives_a_report_or_a_facts_error(document):
    outcome(document)
    text = json.dumps(document, allow_nan=True)
    outcome(text)
    outcome(text.encode())


@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_a_facts_error(raw):
    try:
        nr.load_facts(raw)
    except nr.FactsError:
        pass


BASE = {"id": "org", "name": "T", "kind": "nhs_trust", "nation": "england", "as_of": "2026-03-31"}


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        (json.dumps({**BASE, "name": "x" * 5_000_000}), "at most 2,000"),
        (json.dumps({**BASE, "people": [{"id": f"p{i}", "name": "n"} for i in range(10_001)]}), "at most 10,000"),
        (json.dumps({**BASE, "beds": 10**400}), "at most"),
        (json.dumps({**BASE, "staffing": {"agency_staffing_rate": 1e308}}), "between 0 and 1"),
        (json.dumps({**BASE, "staffing": {"staff_turnover_rate": math.inf}}), "finite"),
        ('{"id": "org", "id": "org2"}', "appears twice"),
        (json.dumps({**BASE, "board": {"natssips_portfolio_holder": "nobody"}}), "'nobody'"),
        ("\ufeff" + json.dumps(BASE), "not valid JSON"),
        (b'{"id": "\xff"}', "not valid UTF-8"),
        (json.dumps(BASE)[:-1] + ', "beds": ' + "9" * 5000 + "}", "a number of 5,000 digits"),
        ({**BASE, "beds": 10**5000}, "a whole number of about 5,001 digits"),
    ],
    ids=[
        "deep",
        "huge-string",
        "too-many-items",
        "huge-integer",
        "huge-float",
        "infinity",
        "duplicate-key",
        "dangling",
        "bom",
        "bad-utf8",
        "integer-beyond-python-text",
        "integer-beyond-python-dict",
    ],
)
def test_oversized_and_malformed_documents_are_refused_with_a_reason(document, fragment):
    with pytest.raises(nr.FactsError) as caught:
        nr.load_facts(document)
    assert fragment in str(caught.value)


def test_a_document_larger_than_the_limit_is_refused_before_parsing():
    with pytest.raises(nr.FactsError, match="larger than"):
        nr.load_facts(b" " * (MAX_DOCUMENT_BYTES + 1))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=st.one_of(hostile_documents(), JSON))
def test_the_command_line_exits_0_or_2_and_never_prints_a_traceback(document, tmp_path_factory, capsys):
    path = tmp_path_factory.mktemp("hostile") / "facts.json"
    path.write_text(json.dumps(document, allow_nan=True))
    code = main(["evaluate", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in captured.err
    if code == 0:
        json.loads(captured.out)
    else:
        assert captured.err.startswith("natssips-rules: ")


#: A whole number longer than Python writes out as text (its int/str limit is 4,300 digits by default).
ENORMOUS = 10**5000


def test_a_whole_number_too_long_to_write_is_refused_on_every_route():
    """Messages show the values they refuse; one that Python cannot write out is named by its size, never a crash."""
    org = nr.load_facts("examples/brookfield-day-surgery.json")
    hex_number = "0x" + "f" * 5000  # TOML reads hexadecimal of any length
    local = pathlib.Path("examples/northvale-local-rules.toml").read_text()
    attempts = {
        "constructor": lambda: nr.Organisation(
            id="x", name="X", kind="nhs_trust", nation="england", as_of="2026-01-01", beds=ENORMOUS
        ),
        "evolved": lambda: nr.evaluate(attrs.evolve(org, beds=ENORMOUS)),
        "rule constant": lambda: nr.loads_rules(
            local.replace('value = { param = "min_site_lead_sessions" }', f"value = {hex_number}", 1)
        ),
        "parameter default": lambda: nr.loads_rules(local.replace("default = 1.0", f"default = {hex_number}", 1)),
        "decimal in TOML": lambda: nr.loads_rules("x = " + "9" * 5000),
        "rules JSON": lambda: nr.loads_rules('{"waivers": [], "x": ' + "9" * 5000 + "}", format="json"),
        "tailoring": lambda: nr.loads_rules(
            '[[tailoring.parameters]]\nrule = "roles.natssips-lead.time"\nparameter = "lead_min_sessions_large"\n'
            f'value = {hex_number}\nrationale = "r"\napproved_by = "a"\n'
        ),
        "report": lambda: nr.Report.from_json('{"x": ' + "9" * 5000 + "}"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(nr.NatssipsRulesError) as caught:
            attempt()
        assert "digits" in str(caught.value), name
