"""Both engines give identical reports: on the examples and on generated organisations."""

import json
import pathlib

import pytest
from hypothesis import given

import natssips_rules as nr
from natssips_rules.testing import organisations

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.joinpath("examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_give_identical_reports_on_both_engines(path):
    org = nr.load_facts(path)
    durable, reference = nr.evaluate(org).to_dict(), nr.evaluate(org, engine="reference").to_dict()
    assert durable.pop("engine") == "durable" and reference.pop("engine") == "reference"
    assert durable == reference


def test_the_large_example_shows_met_not_met_and_unknown():
    report = nr.evaluate(nr.load_facts(EXAMPLES[[p.stem for p in EXAMPLES].index("northvale-large-trust")]))
    seen = {f.status for f in report.findings}
    assert {nr.Status.MET, nr.Status.NOT_MET, nr.Status.INSUFFICIENT_EVIDENCE} <= seen


@given(organisations())
def test_generated_organisations_give_identical_reports(org):
    durable, reference = nr.evaluate(org).to_dict(), nr.evaluate(org, engine="reference").to_dict()
    durable.pop("engine"), reference.pop("engine")
    assert durable == reference


@given(organisations())
def test_exactly_one_finding_per_rule_and_subject(org):
    report = nr.evaluate(org)
    keys = [(f.rule_id, f.subject.kind, f.subject.id) for f in report.findings]
    assert len(keys) == len(set(keys))
    suggestions = sum(1 for f in report.findings if f.level is nr.Level.MAY)
    assert sum(report.summary.overall.values()) == len(report.findings) - suggestions
    assert sum(report.summary.suggestions.values()) == suggestions
    assert sum(sum(c.values()) for c in report.summary.by_level.values()) == len(report.findings)


@given(organisations())
def test_facts_and_reports_round_trip(org):
    assert nr.load_facts(nr.dump_facts(org)) == org
    assert nr.load_facts(json.dumps(nr.dump_facts(org))) == org
    report = nr.evaluate(org)
    assert nr.Report.from_json(report.to_json()) == report
    assert nr.Report.from_dict(report.to_dict()) == report
