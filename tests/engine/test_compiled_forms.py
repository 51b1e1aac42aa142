"""What a rule set keeps of its compiled forms stays bounded, whatever engine objects a caller makes."""

import pathlib

import natssips_rules as nr
from natssips_rules.engine import MAX_COMPILED_ENGINES, Engine
from tests.helpers import PoisonEngine

EXAMPLE = pathlib.Path(__file__).parent.parent.parent / "examples" / "brookfield-day-surgery.json"


def without_engine(report: nr.Report) -> dict[str, object]:
    data = report.to_dict()
    data.pop("engine")
    return data


def test_a_new_engine_object_for_every_evaluation_does_not_grow_the_rule_set():
    """An integrator writing ``evaluate(org, engine=MyEngine())`` in a loop: each object's form is kept only among the
    most recent MAX_COMPILED_ENGINES, so the rule set does not grow (nor its search slow) with every evaluation."""
    ruleset = nr.RuleSet(list(nr.builtin_rules()))
    org = nr.load_facts(EXAMPLE)
    expected = without_engine(nr.evaluate(org, rules=ruleset))
    for _ in range(3 * MAX_COMPILED_ENGINES):
        report = nr.evaluate(org, rules=ruleset, engine=PoisonEngine())
        assert without_engine(report) == expected
    engines = [holder for holder, _ in ruleset.compiled_forms if isinstance(holder, Engine)]
    assert len(engines) == MAX_COMPILED_ENGINES
    # what explains the rule set is kept once, beside them, however many engines came and went
    assert len(ruleset.compiled_forms) == MAX_COMPILED_ENGINES + 1


def test_an_engine_used_again_keeps_its_one_form():
    ruleset = nr.RuleSet(list(nr.builtin_rules()))
    org = nr.load_facts(EXAMPLE)
    engine = PoisonEngine()
    for _ in range(5):
        nr.evaluate(org, rules=ruleset, engine=engine)
    assert [holder for holder, _ in ruleset.compiled_forms if isinstance(holder, Engine)] == [engine]
