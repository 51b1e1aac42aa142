"""Every claim of the analysis is true: each cause of a false "never", a false "contradicts", a false alarm, a missed
problem or a claim made from an interrupted solver has a test here (each fails on the analysis before issue 28)."""

import datetime
import json
import signal
import subprocess
import sys
import textwrap

import pytest

import natssips_rules as nr
from natssips_rules.cli import main

analysis = pytest.importorskip("natssips_rules.analysis")
z3 = pytest.importorskip("z3")

CITATION = nr.Citation(document="Example Trust policy", section="1", clause="1.1", quote="A Trust clause.")
ENGINES = ("reference", "durable")


def local(rule_id, holds, subject="organisation", applies_when=None, parameters=()):
    return nr.Rule(
        id=rule_id,
        title=rule_id,
        citation=CITATION,
        level="must",
        subject=subject,
        holds=holds,
        applies_when=applies_when,
        requirement="It holds.",
        remediation="Make it hold.",
        origin="local",
        parameters=list(parameters),
    )


def org(**fields):
    return {"id": "o", "name": "O", "kind": "nhs_trust", "nation": "england", "as_of": "2026-03-31", **fields}


def statuses(rule, facts, **kwargs):
    """The statuses each engine gives ``rule`` on ``facts``."""
    out = set()
    for engine in ENGINES:
        out |= {f.status for f in nr.evaluate(facts, rules=nr.RuleSet((rule,)), engine=engine, **kwargs).findings_for(rule.id)}
    return out


def problems(rules, **kwargs):
    return {
        (p.kind, p.rule_id, p.other) for p in analysis.analyse(nr.compose(rules), **kwargs).problems if p.severity == "problem"
    }


# --------------------------------------------------------------------------
# false "never" claims


def test_every_staffing_factor_is_a_subject_not_only_the_first():
    """Subject factor ii fails when its own account is missing while factor i's is there; only factor i was encoded."""
    rule = local(
        "trust.factor",
        nr.AnyOf(
            [
                nr.Compare("described_by_lead", "==", True),
                nr.Not(nr.Compare("organisation.staffing.factors.permanent_vs_agency.described_by_lead", "==", True)),
            ]
        ),
        subject="staffing_factor",
    )
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.NOT_MET)
    facts = org(
        staffing={"factors": {"permanent_vs_agency": {"described_by_lead": True}, "skill_mix": {"described_by_lead": False}}}
    )
    assert nr.Status.NOT_MET in statuses(rule, facts)


def test_one_person_may_hold_two_roles():
    """The Board's portfolio holder may be the steering group's member: a rule naming one person in both can be met."""
    rule = local(
        "trust.same-person",
        nr.AllOf(
            [
                nr.Compare("board.natssips_portfolio_holder.id", "==", "p1"),
                nr.Count("steering_group.members", ">=", 1, nr.Compare("id", "==", "p1")),
                nr.Compare("board.natssips_portfolio_holder.profession", "==", "medical"),
            ]
        ),
    )
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.MET)
    witness = result.witnesses[nr.Status.MET]
    assert [p["id"] for p in witness["people"]].count("p1") == 1  # one person, listed once


def test_the_list_bound_is_per_list_two_doctors_and_two_nurses():
    rule = local(
        "trust.mix",
        nr.AllOf(
            [
                nr.Count("steering_group.members", ">=", 2, nr.Compare("profession", "==", "medical")),
                nr.Count("steering_group.members", ">=", 2, nr.Compare("profession", "==", "nursing")),
            ]
        ),
    )
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.MET) and result.bound == ()


def test_at_most_20_members_can_fail_with_21():
    rule = local("trust.small-group", nr.Count("steering_group.members", "<=", 20))
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.NOT_MET) and result.bound == ()
    assert len(result.witnesses[nr.Status.NOT_MET]["steering_group"]["members"]) == 21


def test_a_count_beyond_the_largest_bound_is_a_bounded_note_not_a_problem():
    rule = local("trust.huge", nr.Count("natssips_leads", "<=", 100))
    result = analysis.analyse_rule(rule)
    assert result.never(nr.Status.NOT_MET) and result.bound == (f"at most {analysis.MAX_BOUND} entries in `natssips_leads`",)
    [found] = [p for p in analysis.analyse(nr.compose([rule])).problems if p.rule_id == "trust.huge"]
    assert found.kind == "never_fails" and found.severity == "note"
    assert f"for organisations with at most {analysis.MAX_BOUND} entries in `natssips_leads`" in found.message
    assert "larger ones" in found.message


def test_dates_over_the_facts_whole_range_and_a_free_evaluation_date():
    """Published more than 100,000 days (274 years) before the evaluation date: dates of 1900-2100 judged at a fixed
    date in 2026 could not reach it, though facts accept 0001-9999 and any evaluation date."""
    rule = local("trust.ancient", nr.Not(nr.WithinDays("assurance.public_account.published_on", 100_000)))
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.MET)
    assert statuses(rule, org(assurance={"public_account": {"published_on": "1700-06-01"}})) == {nr.Status.MET}
    # a million days (2,738 years) needs an evaluation date after the year 2738
    far = local(
        "trust.far",
        nr.AllOf(
            [nr.Present("assurance.public_account"), nr.Not(nr.WithinDays("assurance.public_account.published_on", 1_000_000))]
        ),
    )
    result = analysis.analyse_rule(far)
    assert result.reachable(nr.Status.MET)
    facts = org(assurance={"public_account": {"published_on": "0005-01-01"}})
    assert statuses(far, facts) == {nr.Status.NOT_MET}  # at its own date (2026)
    assert statuses(far, facts, as_of=datetime.date(9000, 1, 1)) == {nr.Status.MET}
    fixed = analysis.analyse_rule(far, as_of=datetime.date(2026, 3, 31))
    assert fixed.never(nr.Status.MET)  # at that date only, as asked


def test_a_sum_of_fractions_is_never_claimed_beyond_what_floating_point_shows():
    """0.1 + 0.2 adds up to 0.30000000000000004 in the engines: 'never met' from exact arithmetic would be false."""
    target = 0.1 + 0.2
    rule = local(
        "trust.sessions",
        nr.AllOf(
            [
                nr.Count("natssips_leads", "==", 1, nr.Compare("job_plan_sessions_per_week", "==", 0.1)),
                nr.Count("natssips_leads", "==", 1, nr.Compare("job_plan_sessions_per_week", "==", 0.2)),
                nr.Count("natssips_leads", "==", 2),
                nr.Sum("natssips_leads", "job_plan_sessions_per_week", "==", target),
            ]
        ),
    )
    leads = [{"person": "a", "job_plan_sessions_per_week": 0.1}, {"person": "b", "job_plan_sessions_per_week": 0.2}]
    facts = org(people=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], natssips_leads=leads)
    assert statuses(rule, facts) == {nr.Status.MET}
    found = [p for p in analysis.analyse(nr.compose([rule])).problems if p.rule_id == "trust.sessions"]
    assert all(p.severity == "note" for p in found), found
    assert all("floating point" in p.message for p in found if p.kind == "never_met")


def test_covers_on_a_text_field_is_analysed_not_a_crash():
    rule = local("trust.named-sites", nr.Covers("sites", "name", ("North", "South")))
    result = analysis.analyse_rule(rule)
    assert result.reachable(nr.Status.MET) and result.reachable(nr.Status.NOT_MET)
    assert sorted(s["name"] for s in result.witnesses[nr.Status.MET]["sites"] if s["name"] in ("North", "South")) >= [
        "North",
        "South",
    ]


# --------------------------------------------------------------------------
# false "contradicts", false alarms


def test_rules_that_never_apply_together_do_not_contradict():
    """A local rule for specialties without invasive procedures (no lead there) against roles.specialty-lead (with them)."""
    rule = local(
        "trust.no-lead-where-none",
        nr.Not(nr.Present("natssips_lead")),
        subject="specialty",
        applies_when=nr.Compare("performs_invasive_procedures", "==", False),
    )
    assert not {p for p in problems([rule]) if p[0] == "contradicts"}


def test_a_waiver_that_still_turns_missing_evidence_into_waived_is_not_useless():
    rule = local("trust.beds", nr.Compare("beds", ">=", 0))  # never false, but without evidence when beds are unknown
    waiver = nr.Waiver(rule_id="trust.beds", justification="j", approved_by="a", expires=datetime.date(2027, 1, 1))
    result = analysis.analyse(nr.compose([rule], waivers=[waiver]))
    assert "waiver_useless" not in {p.kind for p in result.problems}
    assert "never_fails" in {p.kind for p in result.problems if p.rule_id == "trust.beds"}


def test_a_witness_that_is_not_a_valid_organisation_is_not_a_problem_in_the_facts(monkeypatch, capsys, tmp_path):
    """No facts were given: a witness the facts model refuses leaves that status not decided (a note), never exit 2."""
    original = analysis._Builder.organisation

    def broken(self):
        out = original(self)
        out["beds"] = -1
        return out

    monkeypatch.setattr(analysis._Builder, "organisation", broken)
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps({"source": {"document": "P"}, "rules": [rule_data("trust.beds", {"op": "is_known", "path": "beds"})]})
    )
    code = main(["check", str(path), "--prove", "--timeout", "120"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "problem in the facts" not in out + err
    assert "not decided" in out and "no valid organisation could be built" in out


def rule_data(rule_id, holds, subject="organisation", **extra):
    return {
        "id": rule_id,
        "title": rule_id,
        "level": "must",
        "subject": subject,
        "requirement": "It holds.",
        "remediation": "Make it hold.",
        "citation": {"section": "1", "clause": "1.1", "quote": "A Trust clause."},
        "holds": holds,
        **extra,
    }


# --------------------------------------------------------------------------
# missed problems


@pytest.mark.slow
def test_local_rules_that_contradict_each_other_and_a_duplicate():
    many = local("trust.many-beds", nr.Compare("beds", ">=", 500))
    few = local("trust.few-beds", nr.Compare("beds", "<", 100))
    again = local("trust.many-beds-again", nr.Compare("beds", ">=", 500))
    found = problems([many, few, again])
    assert ("contradicts", "trust.many-beds", "trust.few-beds") in found
    assert ("repeats", "trust.many-beds", "trust.many-beds-again") in found


def test_rules_about_different_subjects_that_contradict():
    org_rule = local("trust.small", nr.Compare("beds", "<", 100))
    site_rule = local("trust.site-in-large", nr.Compare("organisation.beds", ">=", 200), subject="site")
    assert ("contradicts", "trust.small", "trust.site-in-large") in problems([org_rule, site_rule])


def test_a_part_that_can_never_matter():
    rule = local(
        "trust.part",
        nr.AllOf(
            [
                nr.Compare("beds", ">=", 100),
                nr.AnyOf(
                    [
                        nr.Compare("staff_headcount", ">=", 10),
                        nr.AllOf([nr.Compare("beds", "<", 50), nr.IsKnown("staff_headcount")]),
                    ]
                ),
            ]
        ),
    )
    found = [p for p in analysis.analyse(nr.compose([rule])).problems if p.rule_id == "trust.part"]
    assert [(p.kind, p.severity) for p in found] == [("part_never_matters", "problem")]
    assert "holds.of[1].of[1] (" in found[0].message and "can never matter" in found[0].message


def test_a_rule_whose_applicability_never_holds_is_reported_once():
    """beds > 10 and beds < 5: it never applies (unknown beds leave it without evidence, but it never applies)."""
    rule = local(
        "trust.never", nr.IsKnown("beds"), applies_when=nr.AllOf([nr.Compare("beds", ">", 10), nr.Compare("beds", "<", 5)])
    )
    found = [(p.kind, p.severity) for p in analysis.analyse(nr.compose([rule])).problems if p.rule_id == "trust.never"]
    assert found == [("never_applies", "problem")]


def test_a_local_rule_switched_off_by_its_own_default_reading_is_a_note():
    param = nr.Parameter(
        name="scope", default=("inpatient",), description="Which services the rule covers.", interpretation="A Trust's choice."
    )
    rule = local(
        "trust.day-cases", nr.IsKnown("beds"), applies_when=nr.AnyOf([nr.Option("scope", "day_case")]), parameters=[param]
    )
    found = [(p.kind, p.severity) for p in analysis.analyse(nr.compose([rule])).problems if p.rule_id == "trust.day-cases"]
    assert found == [("switched_off", "note")]


# --------------------------------------------------------------------------
# bounded, interruptible, exit codes


def test_an_interrupt_inside_the_solver_is_raised_not_read_as_unknown():
    """z3 turns SIGINT into 'unknown'; the budget raises KeyboardInterrupt instead (nothing is claimed).

    Run in a process of its own (with the default SIGINT handler, whatever other tests installed), with a time limit:
    a regression fails here instead of hanging the suite.
    """
    code = textwrap.dedent(
        """
        import os, signal, threading
        import z3
        from natssips_rules import analysis
        budget = analysis._Budget(None, None)
        solver = z3.Solver()
        xs = [z3.Int(f"x{i}") for i in range(30)]
        solver.add(z3.Sum([x * x * x for x in xs]) == 33, xs[0] * xs[1] * xs[2] == 123456789,
                   *[z3.And(x > -10**6, x < 10**6) for x in xs])
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            print("answer:", budget.check(solver))
        except KeyboardInterrupt:
            print("interrupted")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "interrupted", (done.stdout, done.stderr[-2000:])


def test_unknown_is_never_proven(monkeypatch):
    """Every solver answer unknown: no status is claimed never, no problem is reported; each is listed as not decided."""
    monkeypatch.setattr(analysis._Budget, "check", lambda self, solver: "unknown")
    rule = local("trust.never-met", nr.AllOf([nr.Compare("beds", ">=", 10), nr.Compare("beds", "<", 5)]))
    result = analysis.analyse(nr.compose([rule]), check=False)
    assert not result.has_problems
    [mine] = [r for r in result.rules if r.rule_id == "trust.never-met"]
    assert not any(mine.never(s) for s in analysis.STATUSES) and set(mine.undecided) == set(analysis.STATUSES)


def test_the_time_limit_gives_a_partial_result_that_lists_what_was_not_analysed():
    rules = [local(f"trust.r{i}", nr.Compare("beds", ">=", i)) for i in range(40)]
    result = analysis.analyse(nr.compose(rules), timeout=0.5)
    assert result.stopped == "the time limit of 0.5 s was reached" and not result.complete
    assert result.not_analysed
    done = [r for r in result.rules if r.refused is None and not r.undecided]
    assert len(done) < len(result.rules)
    for r in result.rules:  # what was not analysed claims nothing
        if r.refused is not None:
            assert not any(r.never(s) or r.reachable(s) for s in analysis.STATUSES)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "60", True])
def test_a_bad_timeout_is_refused_by_name(bad):
    with pytest.raises(nr.ArgumentError, match="timeout"):
        analysis.analyse(nr.builtin_rules(), timeout=bad)


def test_cli_exit_3_for_a_defect_and_2_for_a_bad_timeout(monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise analysis.AnalysisError("a planted defect")

    monkeypatch.setattr(analysis, "analyse", boom)
    assert main(["rules", "--prove"]) == 3
    assert "a defect of the library" in capsys.readouterr().err
    assert main(["rules", "--prove", "--timeout", "0"]) == 2


def test_cli_partial_result_is_said_and_exits_0_without_problems(capsys):
    assert main(["rules", "--prove", "--timeout", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "PARTIAL RESULT: the time limit of 0.3 s was reached; not analysed:" in out


@pytest.mark.slow
def test_ctrl_c_during_prove_exits_130_and_prints_no_claim(tmp_path):
    rules = [
        rule_data(
            f"trust.r{i}",
            {
                "op": "count",
                "path": "steering_group.members",
                "compare": ">=",
                "value": i % 7,
                "where": {"op": "compare", "path": "profession", "compare": "==", "value": "medical"},
            },
        )
        for i in range(300)
    ]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"source": {"document": "P"}, "rules": rules}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "natssips_rules", "check", str(path), "--prove"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=10)  # well into the analysis (300 rules take about a minute), past start-up
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    else:  # pragma: no cover - a machine fast enough to finish before the interrupt
        pytest.skip("the analysis finished before the interrupt")
    assert proc.returncode == 130, err
    assert out == "" and "interrupted" in err and "Traceback" not in err


# --------------------------------------------------------------------------
# the soundness property: witnesses reproduce, "never" survives a randomised search

from hypothesis import (  # noqa: E402
    HealthCheck,
    assume,
    given,
    settings,
    strategies as st,
)

from natssips_rules.testing import local_rules, organisations  # noqa: E402

MEDICAL = nr.Compare("profession", "==", "medical")
HARD_PARTS = st.one_of(
    st.builds(
        lambda values: nr.Covers("organisation.sites", "name", tuple(values)),
        st.lists(st.sampled_from(["North", "South", "Site 1"]), unique=True, min_size=1, max_size=2),
    ),
    st.builds(
        lambda op, n: nr.Count("organisation.steering_group.members", op, n, MEDICAL),
        st.sampled_from(["<=", ">=", "==", "!="]),
        st.sampled_from([2, 13, 20, 30]),
    ),
    st.builds(
        lambda op, n: nr.Count("organisation.natssips_leads", op, n), st.sampled_from(["<", ">"]), st.sampled_from([1, 25])
    ),
    st.builds(lambda v: nr.Compare("organisation.staffing.factors.skill_mix.described_by_lead", "==", v), st.booleans()),
    st.builds(
        lambda v: nr.Compare("organisation.board.natssips_portfolio_holder.profession", "==", v),
        st.sampled_from(["medical", "nursing"]),
    ),
    st.builds(
        lambda days: nr.WithinDays("organisation.assurance.public_account.published_on", days),
        st.sampled_from([0, 366, 100_000, 1_000_000]),
    ),
    st.builds(
        lambda op, v: nr.Sum("organisation.natssips_leads", "job_plan_sessions_per_week", op, v),
        st.sampled_from([">=", "<", "=="]),
        st.sampled_from([0.3, 0.1 + 0.2, 1.5, 2.25]),
    ),
)


@st.composite
def hard_local_rules(draw):
    """Generated local rules with a part the analysis once got wrong: covers, counts above the bound, deep paths, dates,
    fractional sums."""
    rule = draw(local_rules())
    part = draw(HARD_PARTS)
    if draw(st.booleans()):
        part = nr.Not(part)
    holds = draw(st.sampled_from([nr.AllOf, nr.AnyOf]))([rule.holds, part] if draw(st.booleans()) else [part, rule.holds])
    return nr.Rule(
        **{
            **{
                a: getattr(rule, a)
                for a in (
                    "id",
                    "title",
                    "citation",
                    "level",
                    "subject",
                    "applies_when",
                    "parameters",
                    "requirement",
                    "remediation",
                    "origin",
                )
            },
            "holds": holds,
        }
    )


def never_claims(result):
    """The statuses the analysis claims never (bounded claims included, except those rounding may refute)."""
    if any("floating point" in words for words in result.bound):
        return set()
    return {s for s in analysis.STATUSES if result.never(s)}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    hard_local_rules(),
    st.lists(organisations(known=0.8), min_size=1, max_size=3),
    st.none() | st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
)
def test_every_witness_reproduces_and_every_never_survives_a_randomised_search(rule, orgs, when):
    try:
        result = analysis.analyse_rule(rule)  # every witness is evaluated on both engines inside (else AnalysisError)
    except nr.RuleError:
        assume(False)  # a rule the analysis refuses by name (it reads the list of people, or sites and their references)
    never = never_claims(result)
    if any("facts' own date" in words for words in result.bound):
        when = None  # the claims are stated for evaluation on the facts' own date, and say so: searched there
    ruleset = nr.RuleSet((rule,))
    for facts in [*orgs, *(w for w in result.witnesses.values() if w is not None)]:
        for engine in ENGINES:
            seen = {f.status for f in nr.evaluate(facts, rules=ruleset, engine=engine, as_of=when).findings_for(rule.id)}
            refuted = seen & never
            assert not refuted, f"{rule.id}: {sorted(s.value for s in refuted)} claimed never, given on {engine} at {when}"
