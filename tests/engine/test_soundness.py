"""What the rule checks accept, both engines evaluate: correctly, the same way, or refused with the library's error.

Each test here pins a rule shape that once gave a wrong finding, a stale reason or a crash (issue 27).
"""

import json

import pytest
from hypothesis import given, note, strategies as st

import natssips_rules as nr
from natssips_rules.engine.subjects import Context
from natssips_rules.evaluation import EMPTY_LIST_ID
from natssips_rules.evaluation.assemble import kept_names, reasons_in_own_words
from natssips_rules.evaluation.explain import Explainer
from natssips_rules.rules import conditions as c
from natssips_rules.testing import LIMIT_DATES, any_rule_sets, any_rules, local_rules, organisations
from tests.helpers import org_data

ENGINES = ["reference", "durable"]


def rule(
    holds: c.Condition, subject: str = "site", *, rule_id: str = "trust.r1", parameters: tuple[nr.Parameter, ...] = ()
) -> nr.Rule:
    if not parameters and isinstance(holds, c.Option):
        parameters = (
            nr.Parameter(name="reading", default=("strict",), description="d", interpretation="i", choices=("strict", "loose")),
        )
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
    holds = c.AllOf(
        [c.Covers("organisation.people", "profession", ("nursing",)), c.Covers("organisation.people", "profession", ("medical",))]
    )
    why = ["Test Trust: people may include no medical (required: at least one of each: medical)", "Bob: profession: not known"]
    expected = [(site, "insufficient_evidence", why) for site in ("s1", "s2", "s3")]
    assert expected == findings(PEOPLE, [rule(holds)], engine)


def problems(make: object) -> list[tuple[str | None, str]]:
    """The (location, message) of each problem of the RuleError that ``make()`` raises."""
    with pytest.raises(nr.RuleError) as caught:
        make()  # type: ignore[operator]
    return [(p.path, p.message) for p in caught.value.problems]


def test_a_covers_inside_a_counts_where_is_refused_when_the_rule_is_made():
    """A covers is a count per value; like a count, it is refused in a count's or a sum's 'where' (durable once
    said insufficient evidence where the reference engine said met)."""
    inner = c.Covers("organisation.people", "profession", ("nursing",))
    message = "a covers cannot be nested inside a count's or a sum's 'where' (it counts the entries of its list)"
    assert [("holds.where", message)] == problems(lambda: rule(c.Count("sites", ">=", 1, inner), "organisation"))
    where = c.Covers("organisation.people", "profession", ("nursing",))
    assert [("holds.where", message)] == problems(
        lambda: rule(c.Sum("natssips_leads", "admin_support_wte", ">=", 1, where), "organisation")
    )


def test_a_covers_inside_a_where_is_refused_in_a_rules_file_too():
    holds = {
        "op": "count",
        "path": "sites",
        "compare": ">=",
        "value": 1,
        "where": {"op": "covers", "path": "organisation.people", "field": "profession", "values": ["nursing"]},
    }
    entry = {
        "id": "trust.r1",
        "title": "t",
        "level": "must",
        "subject": "organisation",
        "requirement": "r",
        "remediation": "x",
        "citation": {"document": "Trust policy", "section": "1", "clause": "1.1", "quote": "q"},
        "holds": holds,
    }
    with pytest.raises(nr.RulesFileError) as caught:
        nr.loads_rules(json.dumps({"rules": [entry]}), format="json")
    message = "a covers cannot be nested inside a count's or a sum's 'where' (it counts the entries of its list)"
    assert [("holds.where", message)] == [(p.path, p.message) for p in caught.value.problems]


def test_a_sum_of_a_dotted_field_is_refused_when_the_rule_is_made():
    """A sum over a path through the entries once passed the checks and then raised AttributeError on both engines."""
    message = "'natssips_lead.name': a sum adds up a number field of the list's entries themselves, not a path through them"
    assert [("holds.field", message)] == problems(lambda: rule(c.Sum("organisation.sites", "natssips_lead.name", ">=", 1)))


@pytest.mark.parametrize("engine", ENGINES)
def test_not_within_days_of_the_whole_calendar_is_judged_and_explained(engine):
    """``not within_days`` with 739,706 days (beyond as_of's distance from 0001-01-01) once raised OverflowError
    while wording the requirement; the largest span allowed is judged on both engines."""
    data = org_data(sites=[{"id": "s1", "name": "North"}])
    assert [("s1", "met", [])] == findings(data, [rule(c.WithinDays("organisation.as_of", 739_706))], engine)
    failed = findings(data, [rule(c.Not(c.WithinDays("organisation.as_of", 739_706)))], engine)
    assert [("s1", "not_met", ["Test Trust: date the facts describe: 2026-03-31"])] == failed
    failed = findings(data, [rule(c.Not(c.WithinDays("organisation.as_of", 3_652_058)))], engine)
    assert [("s1", "not_met", ["Test Trust: date the facts describe: 2026-03-31"])] == failed


def test_within_days_beyond_the_calendar_is_refused():
    message = "3,652,059 days is more than any two dates are apart (3,652,058 days); use is_known to ask for any date"
    assert [("holds", message)] == problems(lambda: rule(c.WithinDays("organisation.as_of", 3_652_059)))


def test_a_condition_nested_thousands_deep_in_python_is_refused_with_the_librarys_error():
    """Files are bounded at 32 levels; a rule built in Python once raised a raw RecursionError at 2,000."""
    cond: c.Condition = c.IsKnown("name")
    for _ in range(2_000):
        cond = c.Not(cond)
    assert [("holds", "conditions are nested more than 32 deep")] == problems(lambda: rule(cond))
    assert [("applies_when", "conditions are nested more than 32 deep")] == problems(lambda: _with_applies(cond))


def _with_applies(cond: c.Condition) -> nr.Rule:
    return nr.Rule(
        id="trust.r1",
        title="t",
        citation=nr.Citation(document="d", section="1", clause="1", quote="q"),
        level="must",
        subject="site",
        holds=c.IsKnown("name"),
        applies_when=cond,
        requirement="r",
        remediation="x",
        origin="local",
    )


SAME_FACT = org_data(
    people=[{"id": "p1", "name": "Ann", "profession": "nursing"}, {"id": "p2", "name": "Bob", "profession": "medical"}],
    steering_group={"members": ["p1", "p2"], "formally_constituted": True},
    natssips_leads=[{"person": "p1", "job_plan_sessions_per_week": 1.0}, {"person": "p2", "job_plan_sessions_per_week": 2.0}],
    board={"natssips_portfolio_holder": "p1"},
    staffing={"factors": {"skill_mix": {"described_by_lead": True}, "resources": {"described_by_lead": False}}},
)

#: Rules that read one fact along two paths (durable_rules never matches one fact with two patterns of a rule,
#: so on durable they never fired), with the findings the reference engine gives (by subject id).
SAME_FACT_RULES = {
    "the steering group reads its own members through the organisation": (
        rule(
            c.AllOf([c.Compare("formally_constituted", "==", True), c.Count("organisation.steering_group.members", ">=", 2)]),
            "steering_group",
        ),
        [("steering_group", "met")],
    ),
    "a lead who is (or is not) the Board's portfolio holder": (
        rule(
            c.AllOf(
                [
                    c.Compare("person.profession", "==", "nursing"),
                    c.Compare("organisation.board.natssips_portfolio_holder.profession", "==", "nursing"),
                ]
            ),
            "natssips_lead",
        ),
        [("p1", "met"), ("p2", "not_met")],
    ),
    "a staffing factor reads its own entry in organisation.staffing.factors": (
        rule(
            c.AllOf(
                [
                    c.Compare("described_by_lead", "==", True),
                    c.Compare("organisation.staffing.factors.skill_mix.described_by_lead", "==", True),
                ]
            ),
            "staffing_factor",
        ),
        [
            ("permanent_vs_agency", "insufficient_evidence"),
            ("trained_and_competent", "insufficient_evidence"),
            ("skill_mix", "met"),
            ("rested_staff", "insufficient_evidence"),
            ("resources", "not_met"),
        ]
        + [
            (factor, "insufficient_evidence")
            for factor in (
                "list_planning",
                "patient_flow",
                "supportive_culture",
                "resilience_and_wellbeing",
                "elective_vs_emergency",
                "sharing_concerns",
            )
        ],
    ),
    "an entry of a counted list is also the Board's portfolio holder": (
        rule(
            c.Count(
                "organisation.people",
                "==",
                1,
                c.AllOf(
                    [
                        c.Compare("profession", "==", "nursing"),
                        c.Compare("organisation.board.natssips_portfolio_holder.profession", "==", "nursing"),
                    ]
                ),
            ),
            "organisation",
        ),
        [("org", "met")],
    ),
    "a steering-group member counted through the steering group and the organisation": (
        rule(
            c.Count("members", ">=", 1, c.Compare("organisation.steering_group.formally_constituted", "==", True)),
            "steering_group",
        ),
        [("steering_group", "met")],
    ),
}


@pytest.mark.parametrize("name", sorted(SAME_FACT_RULES))
def test_a_rule_reading_one_fact_along_two_paths_fires_on_both_engines(name):
    """Once insufficient evidence on durable for every subject; now the engines' whole reports agree."""
    made, expected = SAME_FACT_RULES[name]
    reports = {engine: nr.evaluate(SAME_FACT, rules=nr.RuleSet([made]), engine=engine).to_dict() for engine in ENGINES}
    for report in reports.values():
        report.pop("engine")
    assert reports["reference"] == reports["durable"]
    assert expected == [(f["subject"]["id"], f["status"]) for f in reports["durable"]["findings"]]


@given(local_rules())
def test_a_rules_to_data_loads_back_as_a_rules_file(made):
    """``Rule.to_data()`` written as JSON is a rules file holding the same rule (it once failed on 'origin',
    'footnotes' and the parameters' 'value')."""
    loaded = nr.loads_rules(json.dumps({"rules": [made.to_data()]}), format="json").rules
    assert (made,) == loaded


def test_to_data_with_footnotes_and_every_parameter_field_loads_back():
    made = nr.Rule(
        id="trust.r2",
        title="t",
        level="should",
        subject="organisation",
        requirement="r",
        remediation="x",
        origin="local",
        citation=nr.Citation(
            document="Trust policy",
            edition="2",
            section="1",
            clause="1.1",
            quote="q",
            url="https://example.org",
            footnotes=[nr.Footnote(marker="a", text="A note.")],
            references=["7"],
        ),
        holds=c.AllOf([c.Compare("beds", ">=", c.Param("beds")), c.Option("reading", "strict")]),
        applies_when=c.IsKnown("beds"),
        applicability="When beds are known.",
        interpretation="Ours.",
        parameters=[
            nr.Parameter(name="beds", default=400, description="d", interpretation="i", unit="beds", lenient="lower"),
            nr.Parameter(name="reading", default=("strict",), description="d", interpretation="i", choices=("strict", "loose")),
        ],
    )
    assert (made,) == nr.loads_rules(json.dumps({"rules": [made.to_data()]}), format="json").rules


def test_a_parameter_given_both_as_default_and_value_is_refused():
    data = rule(
        c.Compare("organisation.beds", ">=", c.Param("n")),
        parameters=(nr.Parameter(name="n", default=3, description="d", interpretation="i"),),
    ).to_data()
    data["parameters"][0]["default"] = 3
    with pytest.raises(nr.RulesFileError) as caught:
        nr.loads_rules(json.dumps({"rules": [data]}), format="json")
    message = "give the parameter's default (or its value, as Rule.to_data() writes it), once"
    assert [("parameters[0]", message)] == [(p.path, p.message) for p in caught.value.problems]


# --------------------------------------------------------------------------
# The promise, as a property: what the checks accept, both engines evaluate, alike, with the memo-free reasons


def memo_free_reasons(report: nr.Report, ruleset: nr.RuleSet, org: nr.Organisation) -> list[tuple[nr.Reason, ...]]:
    """Each finding's reasons as an explanation of that finding alone gives them (a fresh evaluation context each,
    so nothing worked out for another finding or rule can leak into it)."""
    out = []
    for finding in report.findings:
        if finding.subject.id == EMPTY_LIST_ID:
            out.append(finding.reasons)
            continue
        rule_ = ruleset[finding.rule_id]
        ctx = Context(org, report.as_of)
        entry = next(e for e in ctx.subjects(rule_.subject) if e.ref == finding.subject)
        reasons = Explainer(set()).explain(rule_, finding.underlying_status or finding.status, entry, ctx)
        out.append(reasons_in_own_words(reasons, report.noun, kept_names(ctx)))  # the report's words for the organisation
    return out


def without_engine(report: nr.Report) -> dict[str, object]:
    data = report.to_dict()
    data.pop("engine")
    return data


@pytest.mark.slow
@given(any_rule_sets(1, 4), st.one_of(organisations(), organisations(known=0.9)), st.sampled_from([None, *LIMIT_DATES]))
def test_what_the_checks_accept_both_engines_evaluate_alike(rules, org, as_of):
    """Every rule set the checks accept (built in Python here) evaluates on both engines without an exception but
    the library's documented refusals, the whole reports agree, and every finding's reasons are the ones the
    finding's own explanation gives (no memo of another part, finding or rule leaks into them)."""
    ruleset = nr.RuleSet(rules)
    org = nr.load_facts(org)
    reference = nr.evaluate(org, rules=ruleset, engine="reference", as_of=as_of)
    assert memo_free_reasons(reference, ruleset, org) == [f.reasons for f in reference.findings]
    try:
        durable = nr.evaluate(org, rules=ruleset, engine="durable", as_of=as_of)
    except (nr.RuleError, nr.EngineLimitError) as refused:  # allowed: the durable engine refuses what it cannot run
        note(f"durable refused: {refused}")
        return
    assert without_engine(reference) == without_engine(durable)


@given(any_rules())
def test_the_wide_generator_reaches_only_rules_the_checks_accept(made):
    """The generator builds its rules through the constructors (which run the checks); they also load as files."""
    assert (made,) == nr.loads_rules(json.dumps({"rules": [made.to_data()]}), format="json").rules


# --------------------------------------------------------------------------
# The table: each shape of condition, what the checks say, and what each engine gives

TABLE_ORG = org_data(
    beds=450,
    people=[{"id": f"p{i}", "name": f"Person {i}", "profession": "nursing" if i % 2 else "medical"} for i in range(14)]
    + [{"id": "p99", "name": "Unknown profession"}],
    sites=[{"id": "s1", "name": "North", "performs_invasive_procedures": True}, {"id": "s2", "name": "South"}],
    steering_group={"members": ["p1", "p2"], "formally_constituted": True},
    natssips_leads=[
        {"person": "p1", "job_plan_sessions_per_week": 1.5, "admin_support_wte": 0.5},
        {"person": "p2", "job_plan_sessions_per_week": 2.0},
    ],
    board={"natssips_portfolio_holder": "p1"},
)
LONG = tuple(f"code {i}" for i in range(700))
DEEP: c.Condition = c.IsKnown("name")
for _depth in range(31):
    DEEP = c.Not(DEEP) if _depth % 2 else c.AllOf([DEEP])
TOO_DEEP = c.Not(DEEP)

#: name -> (subject, condition): one of each shape of the language, and the shapes the checks refuse.
SHAPES: dict[str, tuple[str, c.Condition]] = {
    "compare a subject field": ("site", c.Compare("performs_invasive_procedures", "==", True)),
    "compare an organisation. path": ("site", c.Compare("organisation.beds", ">=", 400)),
    "compare through a reference": ("organisation", c.Compare("board.natssips_portfolio_holder.profession", "==", "nursing")),
    "compare a number at the limit": ("organisation", c.Compare("beds", "<", 10**15)),
    "is_known": ("site", c.IsKnown("performs_invasive_procedures")),
    "present": ("organisation", c.Present("board.natssips_portfolio_holder")),
    "in": ("site", c.In("name", ("North", "West"))),
    "in, 700 values": ("site", c.In("name", (*LONG, "South"))),
    "includes": ("organisation", c.Includes("invasive_procedure_professions", ("nursing",))),
    "within_days": ("organisation", c.WithinDays("as_of", 30)),
    "not within_days 739,706": ("organisation", c.Not(c.WithinDays("as_of", 739_706))),
    "count": ("organisation", c.Count("sites", "==", 2)),
    "count above 12": ("organisation", c.Count("people", ">=", 13)),
    "count with where": ("organisation", c.Count("people", ">=", 7, c.Compare("profession", "==", "nursing"))),
    "count of an organisation. list per subject": (
        "site",
        c.Count("organisation.people", ">", 7, c.Compare("profession", "==", "medical")),
    ),
    "count of a list of a list (steering group members)": ("organisation", c.Count("steering_group.members", "==", 2)),
    "sum": ("organisation", c.Sum("natssips_leads", "job_plan_sessions_per_week", ">=", 3)),
    "sum with where, unknown number": (
        "organisation",
        c.Sum("natssips_leads", "admin_support_wte", ">=", 1, c.Compare("job_plan_sessions_per_week", ">", 0)),
    ),
    "covers": ("organisation", c.Covers("people", "profession", ("nursing", "medical"))),
    "covers, not known": ("organisation", c.Covers("people", "profession", ("pharmacy",))),
    "two covers of organisation. lists": (
        "site",
        c.AllOf(
            [
                c.Covers("organisation.people", "profession", ("nursing",)),
                c.Covers("organisation.people", "profession", ("midwifery",)),
            ]
        ),
    ),
    "option": ("organisation", c.Option("reading", "strict")),
    "named": ("organisation", c.Named("the Trust is large", c.Compare("beds", ">=", 500), "Grow.")),
    "nested 32 deep": ("site", DEEP),
    "one fact along two paths": (
        "steering_group",
        c.AllOf([c.Compare("formally_constituted", "==", True), c.Count("organisation.steering_group.members", ">=", 2)]),
    ),
    "refused: count inside a where": ("organisation", c.Count("sites", ">=", 1, c.Count("organisation.people", ">=", 1))),
    "refused: sum inside a where": (
        "organisation",
        c.Count("sites", ">=", 1, c.Sum("organisation.natssips_leads", "admin_support_wte", ">=", 1)),
    ),
    "refused: covers inside a where": (
        "organisation",
        c.Count("sites", ">=", 1, c.Covers("organisation.people", "profession", ("nursing",))),
    ),
    "refused: sum of a dotted field": ("organisation", c.Sum("sites", "natssips_lead.name", ">=", 1)),
    "refused: within_days beyond the calendar": ("organisation", c.WithinDays("as_of", 3_652_059)),
    "refused: nested 33 deep": ("site", TOO_DEEP),
    "refused: order of text": ("site", c.Compare("name", "<", "M")),
    "refused: unknown path": ("site", c.IsKnown("organisation.nothing")),
}
#: name -> what the checks say (the location of the refusal) or the statuses both engines give (by subject id).
EXPECTED: dict[str, str | list[tuple[str, str]]] = {
    "compare a subject field": [("s1", "met"), ("s2", "insufficient_evidence")],
    "compare an organisation. path": [("s1", "met"), ("s2", "met")],
    "compare through a reference": [("org", "met")],
    "compare a number at the limit": [("org", "met")],
    "is_known": [("s1", "met"), ("s2", "not_met")],
    "present": [("org", "met")],
    "in": [("s1", "met"), ("s2", "not_met")],
    "in, 700 values": [("s1", "not_met"), ("s2", "met")],
    "includes": [("org", "insufficient_evidence")],
    "within_days": [("org", "met")],
    "not within_days 739,706": [("org", "not_met")],
    "count": [("org", "met")],
    "count above 12": [("org", "met")],
    "count with where": [("org", "met")],
    "count of an organisation. list per subject": [("s1", "insufficient_evidence"), ("s2", "insufficient_evidence")],
    "count of a list of a list (steering group members)": [("org", "met")],
    "sum": [("org", "met")],
    "sum with where, unknown number": [("org", "insufficient_evidence")],
    "covers": [("org", "met")],
    "covers, not known": [("org", "insufficient_evidence")],
    "two covers of organisation. lists": [("s1", "insufficient_evidence"), ("s2", "insufficient_evidence")],
    "option": [("org", "met")],
    "named": [("org", "not_met")],
    "nested 32 deep": [("s1", "not_met"), ("s2", "not_met")],
    "one fact along two paths": [("steering_group", "met")],
    "refused: count inside a where": "holds.where",
    "refused: sum inside a where": "holds.where",
    "refused: covers inside a where": "holds.where",
    "refused: sum of a dotted field": "holds.field",
    "refused: within_days beyond the calendar": "holds",
    "refused: nested 33 deep": "holds",
    "refused: order of text": "holds",
    "refused: unknown path": "holds",
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_shape_is_refused_by_the_checks_or_evaluated_alike_by_both_engines(name):
    """The table: what the checks say of each shape (from Python and from a rules file alike) and, for those they
    accept, the statuses both engines give (their whole reports equal)."""
    subject, cond = SHAPES[name]
    expected = EXPECTED[name]
    entry = {
        "id": "trust.r1",
        "title": "t",
        "level": "must",
        "subject": subject,
        "requirement": "r",
        "remediation": "x",
        "citation": {"document": "Trust policy", "section": "1", "clause": "1.1", "quote": "q"},
    }
    if isinstance(expected, str):
        assert [expected] == [where for where, _ in problems(lambda: rule(cond, subject))]
        if name != "refused: nested 33 deep":  # a file's nesting is refused as it is read (see test_rule_boundary)
            with pytest.raises(nr.RulesFileError) as caught:
                nr.loads_rules(json.dumps({"rules": [{**entry, "holds": c.condition_to_data(cond)}]}), format="json")
            assert [expected] == [p.path for p in caught.value.problems]
        return
    made = rule(cond, subject)
    reports = [without_engine(nr.evaluate(TABLE_ORG, rules=nr.RuleSet([made]), engine=engine)) for engine in ENGINES]
    assert reports[0] == reports[1]
    assert expected == [(f["subject"]["id"], f["status"]) for f in reports[1]["findings"]]


# --------------------------------------------------------------------------
# A bound on compiling for the durable engine


def names_rules(count: int, values: int) -> nr.RuleSet:
    """``count`` rules, each an ``in`` list of ``values`` site names (as a Trust's rules file of codes)."""
    return nr.RuleSet(
        [rule(c.In("name", tuple(f"N{r}-{v}" for v in range(values))), rule_id=f"trust.names-{r}") for r in range(count)]
    )


def test_a_rule_set_beyond_the_engine_test_bound_is_refused_before_any_engine_memory_is_spent(monkeypatch):
    """A 1,000-rule file of 700-name lists once took 203 s and 5.48 GB on its first durable evaluation; a rule set
    compiling to more than MAX_ENGINE_TESTS engine tests is now refused with EngineLimitError, naming its size and
    the bound and pointing to the reference engine, before any engine ruleset is created."""
    import natssips_rules.engine.durable as durable

    assert durable.MAX_ENGINE_TESTS == 200_000
    monkeypatch.setattr(durable, "MAX_ENGINE_TESTS", 5_000)
    created: list[object] = []
    monkeypatch.setattr(durable, "_EngineRuleset", lambda *args: created.append(args))
    org = org_data(sites=[{"id": "s1", "name": "N0-0"}])
    with pytest.raises(nr.EngineLimitError) as caught:
        nr.evaluate(org, rules=names_rules(10, 700), engine="durable")
    assert str(caught.value) == (
        "the rule set (10 rules) compiles to 14,318 engine tests, about 0.1 GB for the durable engine; it is run with at "
        "most 5,000 (about 0.0 GB and 10 s to compile): use the reference engine (engine='reference', --engine reference), "
        "which evaluates it as it is, or make the rules smaller (an 'in' list costs about two tests per value)"
    )
    assert [] == created
    assert [("s1", "met")] == [(f.subject.id, f.status.value) for f in nr.evaluate(org, rules=names_rules(10, 700)).findings[:1]]


@pytest.mark.parametrize("count", [3, 40])
def test_a_rule_set_cut_into_packs_at_once_gives_the_reference_engines_report(count):
    """A rule set over the engine's limits is cut into packs in one step (then halved only where a pack still does
    not fit); the report is the reference engine's."""
    from natssips_rules.engine.durable import DurableEngine

    rules = names_rules(count, 300)
    compiled = DurableEngine().compile(rules)
    assert sorted(i for shard in compiled.shards for i in shard.indices) == list(range(count))
    assert (len(compiled.shards) > 1) == (count == 40)  # 40 rules exceed the engine's stack of 64 together
    org = org_data(sites=[{"id": "s1", "name": "N0-0"}, {"id": "s2", "name": "N2-299"}, {"id": "s3", "name": "elsewhere"}])
    reports = [without_engine(nr.evaluate(org, rules=rules, engine=engine)) for engine in ENGINES]
    assert reports[0] == reports[1]
