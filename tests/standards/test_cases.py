"""Every built-in rule's example cases, kept as data in ``tests/standards/cases/<rule id>.json``.

Each file holds cases for one rule: a fragment of facts (merged into a minimal
organisation), optionally an ``as_of`` and parameter values, and the status
expected for every subject the rule is judged for (``"*"`` stands for every
subject not named). Each case runs on both engines, which must agree. A
reader can learn a rule from its cases; together they show every status the
rule can give.
"""

import datetime
import json
import pathlib

import attrs
import pytest

import natssips_rules as nr

from ..helpers import AS_OF, both, org_data

CASES = pathlib.Path(__file__).parent / "cases"
STATUSES = {s.value for s in nr.Status} - {"waived"}


def _load(path: pathlib.Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


FILES = sorted(CASES.glob("*.json"))
ALL_CASES = [
    pytest.param(path.stem, index, case, id=f"{path.stem}: {case['name']}")
    for path in FILES
    for index, case in enumerate(_load(path)["cases"])
]


def _with_parameters(rule: nr.Rule, values: dict) -> nr.Rule:
    known = {p.name for p in rule.parameters}
    unknown = set(values) - known
    assert not unknown, f"the case sets parameters the rule does not have: {sorted(unknown)}"
    parameters = [attrs.evolve(p, default=values[p.name]) if p.name in values else p for p in rule.parameters]
    return attrs.evolve(rule, parameters=parameters)


@pytest.mark.parametrize(("rule_id", "index", "case"), ALL_CASES)
def test_case(rule_id, index, case):
    assert set(case) <= {"name", "facts", "as_of", "parameters", "expect", "why"}, sorted(case)
    rule = _with_parameters(nr.builtin_rules()[rule_id], case.get("parameters", {}))
    when = datetime.date.fromisoformat(case.get("as_of", AS_OF.isoformat()))
    found = {subject: status for _, subject, status in both(org_data(**case["facts"]), nr.RuleSet([rule]), as_of=when)}
    expect = dict(case["expect"])
    default = expect.pop("*", None)
    assert set(expect) <= set(found), f"the case names subjects the rule is not judged for: {sorted(set(expect) - set(found))}"
    if default is None:
        assert set(expect) == set(found), (
            f"the case leaves subjects without an expected status: {sorted(set(found) - set(expect))}"
        )
    wanted = {subject: expect.get(subject, default) for subject in found}
    assert found == wanted


def test_every_builtin_rule_has_cases_showing_each_status_it_can_give():
    files = {path.stem: _load(path) for path in FILES}
    ids = [rule.id for rule in nr.builtin_rules()]
    assert sorted(files) == sorted(ids), "one case file per built-in rule, named by its id"
    for rule in nr.builtin_rules():
        data = files[rule.id]
        assert data["rule"] == rule.id
        seen = {status for case in data["cases"] for status in case["expect"].values()}
        assert seen <= STATUSES, rule.id
        possible = {"met", "not_met", "insufficient_evidence"} | ({"not_applicable"} if rule.applies_when else set())
        assert possible <= seen, f"{rule.id}: no case shows {sorted(possible - seen)}"
