"""Both engines give identical reports: on the examples and on generated organisations."""

import pathlib

import pytest

import natssips_rules as nr

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.parent.joinpath("examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_give_identical_reports_on_both_engines(path):
    org = nr.load_facts(path)
    durable, reference = nr.evaluate(org, engine="durable").to_dict(), nr.evaluate(org, engine="reference").to_dict()
    assert durable.pop("engine") == "durable" and reference.pop("engine") == "reference"
    assert durable == reference


def test_the_large_example_shows_met_not_met_and_unknown():
    report = nr.evaluate(nr.load_facts(EXAMPLES[[p.stem for p in EXAMPLES].index("northvale-large-trust")]), engine="durable")
    seen = {f.status for f in report.findings}
    assert {nr.Status.MET, nr.Status.NOT_MET, nr.Status.INSUFFICIENT_EVIDENCE} <= seen


# Engine agreement, one finding per rule and subject, and round trips on generated
# organisations are properties of the whole rule set: see test_properties.py.
