"""The properties the rule set must have, over the full built-in rule set and both engines.

Each property is its own test (ARCHITECTURE.md, "Properties the tests must
prove"). Every test notes the facts it used as JSON, so a failure prints the
counter-example organisation as a reader would write it.
"""

import functools
import json
import subprocess
import sys

import attrs
import pytest
from hypothesis import given, note, settings, strategies as st

import natssips_rules as nr
from natssips_rules.engine.subjects import UNKNOWN_LIST_ID
from natssips_rules.evaluation import EMPTY_LIST_ID
from natssips_rules.facts.model import STAFFING_FACTOR_FIELDS
from natssips_rules.rules.conditions import IsKnown, children
from natssips_rules.standards.source import is_verbatim
from natssips_rules.testing import erased, filled, local_rule_sets, local_rules, organisations, shuffled

ENGINES = ("durable", "reference")
#: Organisations with half their optional facts unknown, and dense ones (nine in ten known)
#: that reach the combinations where rules are met or not met.
ORGS = st.one_of(organisations(), organisations(known=0.9))
DECIDED = {nr.Status.MET, nr.Status.NOT_MET, nr.Status.NOT_APPLICABLE}


def show(org: nr.Organisation, label: str = "facts") -> None:
    note(f"{label}:\n{json.dumps(nr.dump_facts(org), indent=1)}")


def statuses(report: nr.Report) -> dict[tuple[str, str], nr.Status]:
    return {(f.rule_id, f.subject.id): f.status for f in report.findings}


def expected_subjects(org: nr.Organisation, kind: nr.SubjectKind) -> list[str]:
    """The subjects a rule of ``kind`` must be judged for, worked out from the facts alone."""
    if kind is nr.SubjectKind.ORGANISATION:
        return [org.id]
    if kind is nr.SubjectKind.STEERING_GROUP:
        return ["steering_group"]
    if kind is nr.SubjectKind.STAFFING_FACTOR:
        return list(STAFFING_FACTOR_FIELDS)
    items = getattr(org, kind.collection)
    if items is None:
        return [UNKNOWN_LIST_ID]  # a list not known: one finding saying so
    if not items:
        return [EMPTY_LIST_ID]  # a list known to be empty: one finding saying there is nothing to judge
    if kind is nr.SubjectKind.NATSSIPS_LEAD:
        return sorted(lead.person for lead in items)
    return sorted(item.id for item in items)


# 1 ---------------------------------------------------------------------------


@pytest.mark.slow
@given(ORGS)
def test_exactly_one_allowed_status_per_rule_and_subject(org):
    """Every rule is judged once for each of its subjects, never for anything else, with an allowed status."""
    show(org)
    for engine in ENGINES:
        report = nr.evaluate(org, engine=engine)
        for rule in nr.builtin_rules():
            findings = report.findings_for(rule.id)
            subjects = [f.subject.id for f in findings]
            wanted = expected_subjects(org, rule.subject)
            if rule.subject is nr.SubjectKind.STAFFING_FACTOR:
                assert subjects == wanted, (engine, rule.id)  # the standard's order
            else:
                assert sorted(subjects) == wanted, (engine, rule.id)
            assert len(set(subjects)) == len(subjects)
            assert {f.status for f in findings} <= set(nr.Status) - {nr.Status.WAIVED}


SPARSE = st.one_of(organisations(known=0.0), organisations(known=0.2), organisations())


@given(SPARSE)
def test_every_rule_gives_at_least_one_finding_on_every_organisation(org):
    """No clause vanishes from a report: a list left out or empty still gives its rules a finding, on both engines."""
    show(org)
    for engine in ENGINES:
        report = nr.evaluate(org, engine=engine)
        judged = {f.rule_id for f in report.findings}
        assert judged == {rule.id for rule in nr.builtin_rules()}, (engine, sorted({r.id for r in nr.builtin_rules()} - judged))
        for f in report.findings:
            if f.subject.id == UNKNOWN_LIST_ID:
                assert f.status in (nr.Status.INSUFFICIENT_EVIDENCE, nr.Status.NOT_APPLICABLE), f.rule_id
            if f.subject.id == EMPTY_LIST_ID:
                assert f.status is nr.Status.NOT_APPLICABLE, f.rule_id


# 2 ---------------------------------------------------------------------------


def _read_for_a_default(rule: nr.Rule) -> set[str]:
    """Fields a rule reads through ``is_known``: a default reading used while a fact is silent (documented as such)."""
    found: set[str] = set()

    def walk(cond: nr.Condition) -> None:
        if isinstance(cond, IsKnown):
            found.add(cond.path.rsplit(".", 1)[-1])
        for sub in children(cond):
            walk(sub)

    for cond in (rule.applies_when, rule.holds):
        if cond is not None:
            walk(cond)
    return found


DEFAULT_READINGS = {rule.id: _read_for_a_default(rule) for rule in nr.builtin_rules()}


def check_monotone(step) -> None:
    """Kleene logic never lets knowing more undo a decision; a rule's documented default reading is the one exception.

    A rule that reads a fact through ``is_known`` uses a default while the
    fact is silent (roles.steering-group.professions asks for every profession
    that could be relevant while the organisation's professions are not
    recorded): learning that fact may change its finding, and only that.
    """
    show(step.less, "facts with less known")
    note(f"the fact that differs: {step.path}")
    field = step.path.rsplit(".", 1)[-1].split("[")[0]
    for engine in ENGINES:
        less = statuses(nr.evaluate(step.less, engine=engine))
        more = statuses(nr.evaluate(step.more, engine=engine))
        for key, status in less.items():
            if status in DECIDED and key in more and field not in DEFAULT_READINGS.get(key[0], ()):
                assert more[key] == status, (engine, key, status, more[key])


@pytest.mark.slow
@given(filled(ORGS))
def test_filling_in_an_unknown_fact_never_changes_a_decided_finding(step):
    """met, not_met and not_applicable stay what they were when one more fact becomes known."""
    check_monotone(step)


@pytest.mark.slow
@given(erased(ORGS))
def test_erasing_a_known_fact_never_creates_a_decision(step):
    """Erasing a fact never turns insufficient_evidence (or anything else) into met or a different decision."""
    check_monotone(step)


# 3 ---------------------------------------------------------------------------


@pytest.mark.slow
@given(st.data())
def test_the_order_of_lists_in_the_facts_never_matters(data):
    org = data.draw(ORGS)
    other = data.draw(shuffled(org))
    show(org)
    show(other, "the same facts in another order")
    for engine in ENGINES:
        assert nr.evaluate(org, engine=engine) == nr.evaluate(other, engine=engine)


@pytest.mark.slow
@given(ORGS)
def test_evaluating_twice_gives_the_same_report(org):
    show(org)
    for engine in ENGINES:
        assert nr.evaluate(org, engine=engine).to_json() == nr.evaluate(org, engine=engine).to_json()


_FRESH = """
import json, sys
import natssips_rules as nr
for line in sys.stdin:
    for engine in ("durable", "reference"):
        print(nr.evaluate(json.loads(line), engine=engine).to_json(indent=None))
"""


@settings(max_examples=3)
@given(st.lists(ORGS, min_size=4, max_size=4))
def test_a_fresh_process_gives_the_same_reports(orgs):
    lines = "".join(json.dumps(nr.dump_facts(org)) + "\n" for org in orgs)
    note(lines)
    done = subprocess.run([sys.executable, "-c", _FRESH], input=lines, capture_output=True, text=True, check=True)
    here = [nr.evaluate(org, engine=engine).to_json(indent=None) for org in orgs for engine in ENGINES]
    assert done.stdout.splitlines() == here


# 4 ---------------------------------------------------------------------------


@given(ORGS)
def test_the_engines_give_identical_reports(org):
    show(org)
    durable, reference = nr.evaluate(org, engine="durable").to_dict(), nr.evaluate(org, engine="reference").to_dict()
    assert durable.pop("engine") == "durable" and reference.pop("engine") == "reference"
    assert durable == reference


@settings(max_examples=20)
@given(organisations(max_people=60, max_sites=20, max_specialties=25))
def test_the_engines_agree_on_large_organisations(org):
    show(org)
    durable, reference = nr.evaluate(org, engine="durable").to_dict(), nr.evaluate(org, engine="reference").to_dict()
    durable.pop("engine"), reference.pop("engine")
    assert durable == reference


# 5 ---------------------------------------------------------------------------


@pytest.mark.slow
@given(ORGS)
def test_facts_and_reports_round_trip(org):
    show(org)
    assert nr.load_facts(nr.dump_facts(org)) == org
    assert nr.load_facts(json.dumps(nr.dump_facts(org))) == org
    report = nr.evaluate(org, engine="durable")
    assert nr.Report.from_json(report.to_json()) == report
    assert nr.Report.from_dict(report.to_dict()) == report


# 6 ---------------------------------------------------------------------------


@st.composite
def tailorings(draw):
    """Tailoring of any built-in rule: a numeric parameter moved, a level changed, a rule excluded."""
    rules = list(nr.builtin_rules())
    numeric = [
        (r.id, p.name)
        for r in rules
        for p in r.parameters
        if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)
    ]
    settings_ = [
        nr.ParameterSetting(
            rule_id=rule_id, parameter=name, value=draw(st.sampled_from([0, 1, 2, 500, 2000])), rationale="r", approved_by="a"
        )
        for rule_id, name in draw(st.lists(st.sampled_from(numeric), unique=True, max_size=3))
    ]
    ids = [r.id for r in rules]
    levels = [
        nr.LevelChange(rule_id=rule_id, level=draw(st.sampled_from(list(nr.Level))), rationale="r", approved_by="a")
        for rule_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    ]
    exclusions = [
        nr.Exclusion(rule_id=rule_id, rationale="r", approved_by="a")
        for rule_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    ]
    return nr.Tailoring(parameters=settings_, levels=levels, exclusions=exclusions)


@given(tailorings())
def test_every_natssips_citation_stays_verbatim_whatever_the_tailoring(tailoring):
    """Tailoring changes readings and levels, never the words a rule attributes to NatSSIPs."""
    builtin = {rule.id: rule for rule in nr.builtin_rules()}
    for rule in nr.compose(tailoring=tailoring):
        assert rule.origin == "natssips"
        assert is_verbatim(rule.citation.quote), rule.id
        assert rule.citation == builtin[rule.id].citation
        for footnote in rule.citation.footnotes:
            assert is_verbatim(footnote.text)
    assert {e.id for e in nr.catalogue() if e.rule_ids or e.not_assessable} == {e.id for e in nr.catalogue()}


# 7 ---------------------------------------------------------------------------


@pytest.mark.slow
@given(ORGS, local_rules())
def test_a_local_rule_never_changes_a_builtin_finding(org, rule):
    show(org)
    note(f"local rule: {json.dumps(rule.to_data(), indent=1)}")
    ruleset = nr.compose([rule])
    reports = {}
    for engine in ENGINES:
        alone = nr.evaluate(org, engine=engine)
        both = nr.evaluate(org, rules=ruleset, engine=engine)
        assert [f for f in both.findings if f.origin == "natssips"] == list(alone.findings)
        reports[engine] = both.to_dict()
        reports[engine].pop("engine")
    assert reports["durable"] == reports["reference"]


@pytest.mark.slow
@settings(max_examples=30)
@given(ORGS, local_rule_sets(1, 150))
def test_the_engines_agree_on_large_rule_sets(org, rules):
    """A Trust's rules file of up to 150 rules (long lists, deep nesting, shared facts), with and without the
    built-in rules: the durable engine, split over as many engine rulesets as its limits need, agrees with the
    reference engine on every finding."""
    show(org)
    note(f"{len(rules)} local rules")
    for ruleset in (nr.compose(rules), nr.RuleSet(list(rules))):
        reports = {}
        for engine in ENGINES:
            reports[engine] = nr.evaluate(org, rules=ruleset, engine=engine).to_dict()
            reports[engine].pop("engine")
        assert reports["durable"] == reports["reference"]


@given(st.sampled_from([r.id for r in nr.builtin_rules()]).flatmap(lambda rule_id: local_rules(rule_id=rule_id)))
def test_a_local_rule_cannot_take_a_builtin_id(rule):
    try:
        nr.compose([rule])
    except nr.RuleError as exc:
        assert exc.rule_id == rule.id and "id of a built-in rule" in str(exc)
    else:
        raise AssertionError(f"a local rule took the built-in id {rule.id!r}")


# 8 ---------------------------------------------------------------------------

LENIENT = [
    (rule.id, p.name, p.lenient, p.default) for rule in nr.builtin_rules() for p in rule.parameters if p.lenient is not None
]


@functools.cache
def alone(rule_id: str, name: str | None = None, value: float | None = None) -> nr.RuleSet:
    """One built-in rule as a rule set of its own, with one parameter moved (compiled once, cached)."""
    base = nr.RuleSet([nr.builtin_rules()[rule_id]])
    if name is None:
        return base
    setting = nr.ParameterSetting(rule_id=rule_id, parameter=name, value=value, rationale="r", approved_by="a")
    return nr.compose(tailoring=nr.Tailoring(parameters=[setting]), base=base)


@pytest.mark.slow
@given(ORGS, st.sampled_from([0.1, 0.5, 1, 2, 10, 400]))
def test_a_more_lenient_threshold_never_turns_met_into_not_met(org, step):
    show(org)
    for rule_id, name, lenient, default in LENIENT:
        value = default + step if lenient == "higher" else max(default - step, 0)
        if isinstance(default, int):
            value = int(value)
        for engine in ENGINES:
            before = nr.evaluate(org, rules=alone(rule_id), engine=engine).findings
            after = nr.evaluate(org, rules=alone(rule_id, name, value), engine=engine).findings
            for old, new in zip(before, after, strict=True):
                assert old.subject == new.subject
                if old.status is nr.Status.MET:
                    # it may stop applying (a higher bar for a large Trust), or become unknown; never a failure
                    assert new.status is not nr.Status.NOT_MET, (engine, rule_id, name, default, value, old.subject.id)


def test_every_lenient_parameter_is_a_number_and_says_which_way():
    assert LENIENT, "the built-in rules have numeric thresholds"
    for rule_id, name, lenient, default in LENIENT:
        assert lenient in ("lower", "higher") and isinstance(default, (int, float)), (rule_id, name)


def test_the_generated_rules_are_valid_rules():
    """The strategies build rules the library accepts (a defect here would hide behind every property)."""

    @settings(max_examples=50)
    @given(local_rules())
    def check(rule):
        assert attrs.has(type(rule))
        nr.RuleSet([rule])

    check()
