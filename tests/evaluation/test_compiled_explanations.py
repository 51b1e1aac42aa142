"""The compiled explanations (evaluation/compiled.py) say exactly what the definition (evaluation/explain.py) says:
the whole report, built from the same decisions both ways, on generated organisations, generated local rules,
tailoring and every evaluation date the limits allow, on both engines."""

import json
import pathlib

import pytest
from hypothesis import given, note, strategies as st

import natssips_rules as nr
from natssips_rules.engine import check_decisions, compiled, get_engine
from natssips_rules.engine.subjects import Context
from natssips_rules.errors import ArgumentError
from natssips_rules.evaluation import build_report
from natssips_rules.evaluation.compiled import compiled_explanations
from natssips_rules.testing import LIMIT_DATES, any_rule_sets, local_rule_sets, organisations

ROOT = pathlib.Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples"


def both_ways(org: nr.Organisation, ruleset: nr.RuleSet, engine: str, as_of=None) -> tuple[dict, dict]:
    """The report built from one engine's decisions, explained compiled and interpreted (each on a fresh context)."""
    chosen = get_engine(engine)
    when = org.as_of if as_of is None else as_of
    decisions = compiled(chosen, ruleset).decide(Context(org, when))
    check_decisions(decisions, ruleset, Context(org, when), engine)
    made = {
        how: build_report(Context(org, when), ruleset, decisions, engine=engine, waivers=ruleset.waivers, explanations=how)
        for how in ("compiled", "interpreted")
    }
    return made["compiled"].to_dict(), made["interpreted"].to_dict()


def agree(org: nr.Organisation, ruleset: nr.RuleSet, as_of=None) -> None:
    for engine in ("reference", "durable"):
        try:
            fast, definition = both_ways(org, ruleset, engine, as_of)
        except (nr.RuleError, nr.EngineLimitError) as refused:  # durable refuses what it cannot run
            note(f"{engine} refused: {refused}")
            continue
        assert fast == definition


@given(
    any_rule_sets(1, 4),
    st.one_of(organisations(), organisations(known=0.9), organisations(known=0.3)),
    st.sampled_from([None, *LIMIT_DATES]),
)
def test_every_shape_of_local_rule_is_explained_as_the_definition_explains_it(rules, org, as_of):
    """Rules of every shape the checks accept (deep paths, lists, sums, covers, options), beside the built-in ones."""
    agree(nr.load_facts(org), nr.RuleSet([*nr.builtin_rules(), *rules]), as_of)


@given(local_rule_sets(1, 6), organisations(known=0.7))
def test_a_trust_s_rules_are_explained_as_the_definition_explains_them(rules, org):
    agree(nr.load_facts(org), nr.RuleSet([*nr.builtin_rules(), *rules]))


@pytest.mark.parametrize("kind", ["acute_trust", "health_board"])
@pytest.mark.parametrize("example", ["northvale-large-trust", "brookfield-day-surgery"])
def test_the_examples_with_their_tailoring_and_local_rules(example, kind):
    data = json.loads((EXAMPLES / f"{example}.json").read_text())
    if kind == "health_board":
        data["kind"], data["nation"] = "health_board", "wales"  # the organisation named in the library's own words
    files = [nr.load_rules_file(EXAMPLES / name) for name in ("northvale-local-rules.toml", "northvale-tailoring.toml")]
    agree(nr.load_facts(data), nr.compose_files(files))


def test_a_rule_set_is_compiled_once_and_kept():
    ruleset = nr.RuleSet(list(nr.builtin_rules()))
    assert compiled_explanations(ruleset) is compiled_explanations(ruleset)
    assert len(compiled_explanations(ruleset).forms) == len(ruleset)


def test_an_unknown_way_of_explaining_is_refused():
    org = nr.load_facts(EXAMPLES / "brookfield-day-surgery.json")
    with pytest.raises(ArgumentError, match="explanations"):
        build_report(Context(org, org.as_of), nr.builtin_rules(), [], engine="reference", explanations="guessed")


def test_what_is_said_of_a_value_is_worked_out_once_per_value_never_for_an_equal_one():
    """The memo of what is said of a value keys it by type and exact digits: 1, 1.0 and True, 0.0 and -0.0 are said
    each as itself, as the definition says them."""
    from natssips_rules.evaluation.compiled import Run, _Leaf

    org = nr.load_facts(EXAMPLES / "northvale-large-trust.json")
    forms = compiled_explanations(nr.builtin_rules()).forms
    leaves = []

    def walk(node):
        if isinstance(node, _Leaf):
            leaves.append(node)
        for attr in ("parts", "inner"):
            found = getattr(node, attr, None)
            for child in found if isinstance(found, tuple) else ([found] if found is not None else []):
                walk(child)

    for form in forms:
        walk(form.holds)
    numbers = [leaf for leaf in leaves if leaf.words is not None and leaf.sample.info.is_number]
    assert numbers
    run = Run(Context(org, org.as_of))
    for leaf in numbers:
        for want in (False, True):
            for value in (1, 1.0, True, 0.0, -0.0, 1, -0.0):
                said = leaf.said(want, value, "where", "Who", None, run)
                assert said == leaf._said(want, value, "where", "Who", None, run.ctx, None)
                assert type(said.value) is type(value) and str(said.value) == str(value)
