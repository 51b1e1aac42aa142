"""A report's JSON text is what ``json.dumps(report.to_dict(), ensure_ascii=False)`` writes, whatever text the
facts and rules carry: the JSON a batch or a caller reads and the plain data ``to_dict`` gives never differ."""

import json
import pathlib

import attrs
import pytest
from hypothesis import given, strategies as st

import natssips_rules as nr

EXAMPLES = pathlib.Path(__file__).parent.parent.parent / "examples"
REPORT = nr.evaluate(EXAMPLES / "brookfield-day-surgery.json")

#: text of every kind: plain ASCII, accents and dashes, control characters, a literal backslash-u, lone surrogates
TEXT = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)),
    st.text(),
    st.text(alphabet='aé—’\\u0\x01\x7f\n"', max_size=20),
    st.sampled_from(["\\u00e9", "\ud800", "caf\u00e9", "tab\there", 'quote"', "x" * 3]),
)


@given(TEXT, TEXT)
def test_the_compact_text_is_what_the_plain_encoder_writes(name, message):
    finding = attrs.evolve(REPORT.findings[0], message=message)
    report = attrs.evolve(
        REPORT, organisation=attrs.evolve(REPORT.organisation, name=name), findings=(finding, *REPORT.findings[1:])
    )
    expected = json.dumps(report.to_dict(), ensure_ascii=False)
    assert report.to_json() == expected
    assert report.to_json(indent=2) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------
# The compact writer (report/writer.py) itself, without the general way to fall back on: every report the library
# makes is written by it, byte for byte as the plain encoder writes the report's plain data.

from natssips_rules.report.model import _compact_writer  # noqa: E402
from natssips_rules.rules.findings import EvidenceItem, Reason  # noqa: E402
from natssips_rules.testing import any_rule_sets, organisations  # noqa: E402


def plain_text(report: nr.Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False)


@given(any_rule_sets(0, 3), st.one_of(organisations(), organisations(known=0.3)), st.sampled_from(["reference", "durable"]))
def test_the_writer_writes_every_evaluated_report_as_the_plain_encoder_does(rules, org, engine):
    try:
        report = nr.evaluate(nr.load_facts(org), rules=nr.RuleSet([*nr.builtin_rules(), *rules]), engine=engine)
    except nr.EngineLimitError:  # durable refuses what it cannot run
        return
    assert _compact_writer()(report) == plain_text(report)


def test_the_writer_writes_the_examples_with_tailoring_local_rules_waivers_and_actions():
    files = [nr.load_rules_file(EXAMPLES / name) for name in ("northvale-local-rules.toml", "northvale-tailoring.toml")]
    for example in ("northvale-large-trust", "brookfield-day-surgery"):
        data = json.loads((EXAMPLES / f"{example}.json").read_text())
        for kind in (None, "health_board"):
            if kind:
                data["kind"], data["nation"] = kind, "wales"
            report = nr.evaluate(nr.load_facts(data), rules=nr.compose_files(files))
            assert (report.waivers and report.tailoring) or example != "northvale-large-trust"
            assert _compact_writer()(report) == plain_text(report)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)


@given(st.lists(st.tuples(TEXT, st.one_of(SCALARS, st.lists(SCALARS, max_size=4)), st.booleans()), max_size=5), SCALARS)
def test_the_writer_writes_every_value_a_finding_can_hold(evidence, reason_value):
    """Evidence and reasons hold null, yes/no, numbers of any size (and the floats the encoder writes as NaN or
    Infinity), text of every kind and lists of them."""
    items = tuple(EvidenceItem(path=path, value=value, absent=absent) for path, value, absent in evidence)
    reason = Reason(text="r", state="failed", path="p", value=reason_value)
    finding = attrs.evolve(REPORT.findings[0], evidence=items, reasons=(reason,))
    report = attrs.evolve(REPORT, findings=(finding, *REPORT.findings[1:]))
    assert _compact_writer()(report) == plain_text(report)


@given(TEXT, TEXT)
def test_the_writer_writes_text_of_every_kind(name, message):
    finding = attrs.evolve(REPORT.findings[0], message=message, remediation=message)
    report = attrs.evolve(
        REPORT, organisation=attrs.evolve(REPORT.organisation, name=name), findings=(finding, *REPORT.findings[1:])
    )
    assert _compact_writer()(report) == plain_text(report)


def test_a_report_built_by_hand_with_values_not_of_their_types_is_written_the_general_way():
    """A caller's report holding a number for a title or text for a status: the writer does not guess, the general
    way writes what it can, and says what it cannot as it always has."""
    odd_title = attrs.evolve(REPORT.findings[0], title=5)
    report = attrs.evolve(REPORT, findings=(odd_title, *REPORT.findings[1:]))
    assert report.to_json() == plain_text(report)
    odd_absent = attrs.evolve(REPORT.findings[0], evidence=(EvidenceItem(path="p", value=1, absent=1),))
    report = attrs.evolve(REPORT, findings=(odd_absent, *REPORT.findings[1:]))
    assert report.to_json() == plain_text(report)
    assert '"absent": 1' in report.to_json()
    odd_status = attrs.evolve(REPORT.findings[0], status="met")
    report = attrs.evolve(REPORT, findings=(odd_status, *REPORT.findings[1:]))
    with pytest.raises(AttributeError):
        report.to_dict()
    with pytest.raises(AttributeError):
        report.to_json()


def test_a_subclass_of_report_is_written_with_its_own_fields():
    @attrs.frozen(kw_only=True)
    class Annotated(nr.Report):
        note: str = "reviewed"

    report = Annotated(**{field.name: getattr(REPORT, field.name) for field in attrs.fields(nr.Report)})
    assert report.to_json() == plain_text(report)
    assert '"note": "reviewed"' in report.to_json()
