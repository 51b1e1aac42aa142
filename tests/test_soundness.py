"""What the rule checks accept, both engines evaluate: correctly, the same way, or refused with the library's error.

Each test here pins a rule shape that once gave a wrong finding, a stale reason or a crash (issue 27).
"""

import pytest

import natssips_rules as nr
from natssips_rules.rules import conditions as c
from tests.helpers import org_data

ENGINES = ["reference", "durable"]


def rule(holds: c.Condition, subject: str = "site", *, rule_id: str = "trust.r1", parameters: tuple[nr.Parameter, ...] = ()) -> nr.Rule:
    return nr.Rule(
        id=rule_id,
        title="A local rule",
        citation=nr.Citation(document="Trust policy", section="1", clause="1.1", quote="A clause."),
        level="must",
        subject=subject,
        holds=holds,
        parameters=parameters,
        requirement="The condition holds.",
        remediation="Do what it asks.",
        origin="local",
    )


def findings(org: object, rules: list[nr.Rule], engine: str) -> list[tuple[str, str, list[str]]]:
    report = nr.evaluate(org, rules=nr.RuleSet(rules), engine=engine)
    return [(f.subject.id, f.status.value, [r.text for r in f.reasons]) for f in report.findings]


PEOPLE = org_data(
    people=[{"id": "p1", "name": "Ann", "profession": "nursing"}, {"id": "p2", "name": "Bob"}],
    sites=[{"id": "s1", "name": "North"}, {"id": "s2", "name": "South"}, {"id": "s3", "name": "West"}],
)


@pytest.mark.parametrize("engine", ENGINES)
def test_two_covers_of_an_organisation_list_in_one_rule_are_each_judged(engine):
    """Two ``covers`` of ``organisation.people`` in one rule: nursing is covered, medical may not be (Bob's profession
    is not known), so the rule is insufficient evidence for every site, for that reason. The reference engine once
    said met (a memo keyed on the id of a temporary node found the first covers' truth for the second)."""
    holds = c.AllOf([c.Covers("organisation.people", "profession", ("nursing",)), c.Covers("organisation.people", "profession", ("medical",))])
    why = ["Test Trust: people may include no medical (required: at least one of each: medical)", "Bob: profession: not known"]
    expected = [(site, "insufficient_evidence", why) for site in ("s1", "s2", "s3")]
    assert expected == findings(PEOPLE, [rule(holds)], engine)
