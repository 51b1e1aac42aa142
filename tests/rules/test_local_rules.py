"""Local rules (Python, rules files, entry points), tailoring of the built-in rules, and waivers."""

import datetime
import json
import pathlib
import re
import sys
import textwrap

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.engine import get_engine

from ..helpers import AS_OF, both, org_data

LARGE = "examples/northvale-large-trust.json"
LOCAL = "examples/northvale-local-rules.toml"
TAILORING = "examples/northvale-tailoring.toml"


def site_sessions_rule(rule_id: str = "trust.site-lead-sessions", **changes) -> nr.Rule:
    rule = nr.Rule(
        id=rule_id,
        title="Each site lead has at least one session a week",
        citation=nr.Citation(
            document="Example Trust Safer Procedures Policy",
            section="4.2",
            clause="4.2.3",
            quote="Each site NatSSIPs lead must have at least one session per week for the role.",
        ),
        level=nr.Level.MUST,
        subject=nr.SubjectKind.SITE,
        holds=nr.Compare("natssips_lead.sessions_per_week", ">=", nr.Param("least")),
        parameters=[nr.Parameter(name="least", default=1.0, description="d", interpretation="i", lenient="lower")],
        requirement="The site lead has at least one session a week.",
        remediation="Agree the sessions in the site lead's job plan.",
        origin="local",
    )
    return attrs.evolve(rule, **changes)


SITES = org_data(
    people=[{"id": "p1", "name": "A"}, {"id": "p2", "name": "B"}],
    sites=[
        {"id": "s1", "name": "One", "natssips_lead": {"person": "p1", "sessions_per_week": 1.0}},
        {"id": "s2", "name": "Two", "natssips_lead": {"person": "p2", "sessions_per_week": 0.5}},
        {"id": "s3", "name": "Three"},
    ],
)


# --------------------------------------------------------------------------
# Local rules from Python


def test_a_local_rule_runs_beside_the_builtin_ones_on_both_engines():
    builtin = nr.builtin_rules()
    digest = builtin.digest
    ruleset = nr.compose([site_sessions_rule()])
    assert nr.builtin_rules() is builtin and builtin.digest == digest and len(builtin) == 30
    assert len(ruleset) == 31 and ruleset.digest != digest
    found = [(r, s, st) for r, s, st in both(SITES, ruleset) if r == "trust.site-lead-sessions"]
    assert found == [
        ("trust.site-lead-sessions", "s1", "met"),
        ("trust.site-lead-sessions", "s2", "not_met"),
        ("trust.site-lead-sessions", "s3", "insufficient_evidence"),
    ]
    report = nr.evaluate(SITES, rules=ruleset)
    local = report.findings_for("trust.site-lead-sessions")
    assert {f.origin for f in local} == {"local"} and local[0].citation.document.startswith("Example Trust")
    assert [s.kind for s in report.sources] == ["builtin", "python"]
    assert report.sources[1].rule_ids == ("trust.site-lead-sessions",)
    builtin_only = nr.evaluate(SITES)
    assert [f for f in report.findings if f.origin == "natssips"] == list(builtin_only.findings)


def test_a_local_rule_may_not_take_a_builtin_id_or_share_an_id_or_pose_as_the_standard():
    with pytest.raises(
        nr.RuleError, match=re.escape("rule 'roles.site-lead', at 'id': a local rule may not take the id of a built-in rule")
    ):
        nr.compose([site_sessions_rule("roles.site-lead")])
    with pytest.raises(nr.RuleError, match="rule 'x', at 'id': two local rules share this id"):
        nr.compose([site_sessions_rule("x"), site_sessions_rule("x")])
    with pytest.raises(nr.RuleError, match="origin='local'"):
        nr.compose([site_sessions_rule(origin="natssips")])


# --------------------------------------------------------------------------
# Rules files


def test_the_example_files_load_and_run_identically_on_both_engines():
    local = nr.load_rules_file(LOCAL)
    tailoring = nr.load_rules_file(TAILORING)
    assert [r.id for r in local.rules] == [
        "northvale.site-lead-sessions",
        "northvale.steering-group-quarterly",
        "northvale.agency-staffing-reviewed",
    ]
    assert all(r.origin == "local" for r in local.rules)
    ruleset = nr.compose_files([local, tailoring])
    waivers = [*local.waivers, *tailoring.waivers]
    statuses = both(pathlib.Path(LARGE), ruleset, waivers=waivers)
    assert {s for _, _, s in statuses} >= {"met", "not_met", "insufficient_evidence", "waived"}
    by_key = {(r, s): st for r, s, st in statuses}
    assert by_key[("northvale.site-lead-sessions", "riverside")] == "not_met"
    assert by_key[("northvale.agency-staffing-reviewed", "northvale")] == "met"
    assert by_key[("roles.site-lead", "ashby-moor")] == "waived"
    assert not any(r == "staffing.intelligence.staffing-algorithms" for r, _, _ in statuses)


def test_json_and_toml_rules_files_define_the_same_rules(tmp_path):
    import tomllib

    with open(LOCAL, "rb") as handle:
        data = tomllib.load(handle)
    path = tmp_path / "local.json"
    path.write_text(json.dumps(data))
    assert nr.load_rules_file(path).ruleset().digest == nr.load_rules_file(LOCAL).ruleset().digest


RULE = """
[[rules]]
id = "trust.sessions"
title = "Site leads have time"
level = "must"
subject = "site"
requirement = "r"
remediation = "m"
[rules.citation]
document = "Trust policy"
section = "4"
clause = "4.1"
quote = "Site leads must have time."
[rules.holds]
op = "compare"
path = "natssips_lead.sessions_per_week"
compare = ">="
value = 1
"""


def problems_of(text: str, tmp_path, name: str = "bad.toml") -> tuple[str, list[nr.RulesFileProblem]]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    with pytest.raises(nr.RulesFileError) as caught:
        nr.load_rules_file(path)
    assert caught.value.source == str(path) and str(path) in str(caught.value)
    return str(caught.value), list(caught.value.problems)


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    message, _ = problems_of("[[rules]\nid = 1\n", tmp_path)
    assert "not valid TOML" in message and "line 1" in message


def test_a_json_syntax_error_and_duplicate_keys_are_reported(tmp_path):
    message, _ = problems_of('{"rules": [', tmp_path, "bad.json")
    assert "not valid JSON" in message
    message, _ = problems_of('{"rules": [], "rules": []}', tmp_path, "dup.json")
    assert "'rules' appears twice" in message


def test_an_unknown_field_path_names_the_rule_and_the_condition(tmp_path):
    message, problems = problems_of(RULE.replace("natssips_lead.sessions_per_week", "natssips_lead.sesions"), tmp_path)
    assert len(problems) == 1
    assert problems[0].item == "rule 'trust.sessions'" and problems[0].path == "holds"
    assert "no field 'sesions'" in message


def test_a_type_mismatch_names_the_rule_and_path(tmp_path):
    message, problems = problems_of(RULE.replace("value = 1", 'value = "one"'), tmp_path)
    assert problems[0].item == "rule 'trust.sessions'" and "compare it with a number" in message
    message, _ = problems_of(RULE.replace('compare = ">="', 'compare = "~"'), tmp_path)
    assert "unknown comparison '~'" in message


def test_unknown_parameter_enum_level_subject_and_op_are_errors_at_load(tmp_path):
    message, _ = problems_of(RULE.replace("value = 1", 'value = { param = "nope" }'), tmp_path)
    assert "unknown parameter 'nope'" in message
    enum_rule = RULE.replace(
        'op = "compare"\npath = "natssips_lead.sessions_per_week"\ncompare = ">="\nvalue = 1',
        'op = "in"\npath = "natssips_lead.person.profession"\nvalues = ["surgeon"]',
    )
    message, _ = problems_of(enum_rule, tmp_path)
    assert "'surgeon' is not one of" in message
    message, problems = problems_of(
        RULE.replace('level = "must"', 'level = "shall"').replace('subject = "site"', 'subject = "ward"'), tmp_path
    )
    assert {p.path for p in problems} == {"level", "subject"}
    message, _ = problems_of(RULE.replace('op = "compare"', 'op = "matches"'), tmp_path)
    assert "unknown op 'matches'" in message and "holds" in message


def test_duplicate_and_builtin_ids_are_refused_with_the_id(tmp_path):
    message, problems = problems_of(RULE + RULE, tmp_path)
    assert problems[0].item == "rule 'trust.sessions'" and "two local rules share this id (rules[0] and rules[1])" in message
    message, _ = problems_of(RULE.replace('id = "trust.sessions"', 'id = "roles.site-lead"'), tmp_path)
    assert "rule 'roles.site-lead'" in message and "id of a built-in rule" in message


def test_missing_keys_and_unknown_keys_are_named(tmp_path):
    message, problems = problems_of(RULE.replace('remediation = "m"\n', 'remedy = "m"\n'), tmp_path)
    assert {(p.path, p.message.split(" (")[0]) for p in problems} == {
        ("remediation", "'remediation' is required"),
        ("remedy", "unknown key 'remedy'"),
    }
    message, _ = problems_of("[tailor]\n", tmp_path)
    assert "unknown key 'tailor'" in message


def test_a_local_rule_quoting_natssips_must_quote_it_verbatim(tmp_path):
    text = RULE.replace(
        'document = "Trust policy"', 'document = "National Safety Standards for Invasive Procedures (NatSSIPs) 2"'
    )
    message, _ = problems_of(text, tmp_path)
    assert "quote the standard's own words" in message


TAILOR = """
[[tailoring.{kind}]]
rule = "{rule}"
{extra}
rationale = "Because."
approved_by = "Committee"
"""


def test_tailoring_needs_a_rationale_and_who_approved_it(tmp_path):
    text = TAILOR.format(kind="exclude", rule="roles.trainees", extra="").replace('rationale = "Because."\n', "")
    message, problems = problems_of(text, tmp_path)
    assert problems[0].item == "tailoring.exclude[0]" and problems[0].path == "rationale"
    assert "'rationale' is required" in message
    text = TAILOR.format(kind="exclude", rule="roles.trainees", extra="").replace('"Committee"', '"  "')
    message, _ = problems_of(text, tmp_path)
    assert "approved_by" in message and "non-empty" in message


def test_tailoring_an_unknown_rule_or_parameter_or_a_wrong_value_is_an_error(tmp_path):
    message, problems = problems_of(TAILOR.format(kind="exclude", rule="roles.nope", extra=""), tmp_path)
    assert problems[0].item == "tailoring.exclude[0]" and problems[0].path == "rule" and "no built-in rule" in message
    text = TAILOR.format(kind="parameters", rule="roles.site-lead", extra='parameter = "min_beds"\nvalue = 800')
    message, problems = problems_of(text, tmp_path)
    assert problems[0].path == "parameter" and "large_trust_min_beds" in message
    text = TAILOR.format(kind="parameters", rule="roles.site-lead", extra='parameter = "large_trust_min_beds"\nvalue = "many"')
    message, problems = problems_of(text, tmp_path)
    assert problems[0].path == "value" and "not a number" in message
    text = TAILOR.format(kind="parameters", rule="roles.trainees", extra='parameter = "trainee_groups"\nvalue = ["wards"]')
    message, _ = problems_of(text, tmp_path)
    assert "'wards' is not one of the parameter's choices" in message
    text = TAILOR.format(kind="levels", rule="roles.trainees", extra='level = "critical"')
    message, problems = problems_of(text, tmp_path)
    assert problems[0].path == "level"


def test_waivers_are_checked_at_load(tmp_path):
    base = '[[waivers]]\nrule = "{rule}"\njustification = "j"\napproved_by = "a"\nexpires = {expires}\n'
    message, problems = problems_of(base.format(rule="roles.nope", expires="2026-09-30"), tmp_path)
    assert problems[0].item == "waivers[0]" and problems[0].path == "rule"
    message, problems = problems_of(base.format(rule="roles.site-lead", expires='"30/09/2026"'), tmp_path)
    assert problems[0].path == "expires" and "not a date" in message
    excluded = TAILOR.format(kind="exclude", rule="roles.site-lead", extra="") + base.format(
        rule="roles.site-lead", expires="2026-09-30"
    )
    message, _ = problems_of(excluded, tmp_path)
    assert "after exclusions" in message


def test_loading_a_file_never_runs_code(tmp_path):
    marker = tmp_path / "ran"
    text = RULE.replace('quote = "Site leads must have time."', f"quote = \"__import__('pathlib').Path('{marker}').touch()\"")
    path = tmp_path / "rules.toml"
    path.write_text(text)
    rules_file = nr.load_rules_file(path)
    nr.evaluate(SITES, rules=rules_file.ruleset())
    assert not marker.exists()


# --------------------------------------------------------------------------
# Tailoring


def test_each_kind_of_tailoring_changes_the_digest_and_is_reported():
    base = nr.builtin_rules()
    changes = {
        "parameter": nr.Tailoring(
            parameters=[nr.ParameterSetting(parameter="large_trust_min_beds", value=800, rationale="r", approved_by="a")]
        ),
        "exclude": nr.Tailoring(exclusions=[nr.Exclusion(rule_id="roles.trainees", rationale="r", approved_by="a")]),
        "level": nr.Tailoring(
            levels=[nr.LevelChange(rule_id="staffing.escalation", level=nr.Level.MUST, rationale="r", approved_by="a")]
        ),
    }
    digests = {base.digest}
    for tailoring in changes.values():
        ruleset = nr.compose(tailoring=tailoring)
        assert ruleset.tailoring and ruleset.digest not in digests
        digests.add(ruleset.digest)
    assert nr.compose().digest == base.digest  # nothing changed, nothing differs
    parameter = nr.compose(tailoring=changes["parameter"])
    assert {t.rule_id for t in parameter.tailoring} == {
        "roles.natssips-lead.time",
        "roles.natssips-lead.admin-support",
        "roles.site-lead",
    }
    assert parameter["roles.site-lead"].parameter_values()["large_trust_min_beds"] == 800
    assert base["roles.site-lead"].parameter_values()["large_trust_min_beds"] == 1000


def test_a_tailored_parameter_changes_the_finding_on_both_engines():
    data = org_data(
        beds=900,
        people=[{"id": "p1", "name": "A"}],
        sites=[
            {
                "id": "s1",
                "name": "S",
                "performs_invasive_procedures": True,
                "natssips_lead": {"person": "p1", "time_allocated": False},
            }
        ],
    )
    assert ("roles.site-lead", "s1", "not_applicable") in both(data)
    tailoring = nr.Tailoring(
        parameters=[nr.ParameterSetting(parameter="large_trust_min_beds", value=800, rationale="r", approved_by="a")]
    )
    assert ("roles.site-lead", "s1", "not_met") in both(data, nr.compose(tailoring=tailoring))


def test_excluded_and_relevelled_rules_show_in_json_and_text():
    tailoring = nr.Tailoring(
        exclusions=[nr.Exclusion(rule_id="roles.trainees", rationale="Not for us.", approved_by="Board")],
        levels=[nr.LevelChange(rule_id="staffing.escalation", level=nr.Level.MUST, rationale="Policy.", approved_by="Board")],
    )
    report = nr.evaluate(pathlib.Path(LARGE), rules=nr.compose(tailoring=tailoring))
    assert not report.findings_for("roles.trainees")
    escalation = report.findings_for("staffing.escalation")[0]
    assert escalation.level is nr.Level.MUST and escalation.standard_level is nr.Level.SHOULD
    data = json.loads(report.to_json())
    assert [(t["action"], t["rule_id"]) for t in data["tailoring"]] == [
        ("set_level", "staffing.escalation"),
        ("exclude", "roles.trainees"),
    ]
    assert data["tailoring"][0]["previous"] == "should" and data["tailoring"][0]["value"] == "must"
    assert nr.Report.from_json(report.to_json()) == report
    from natssips_rules.report.text import render_text

    text = render_text(report)
    assert "roles.trainees: excluded: not evaluated. Rationale: Not for us." in text
    assert "(must; tailored by the Trust, the standard says should)" in text


# --------------------------------------------------------------------------
# Waivers


def waiver(rule_id: str, expires: datetime.date, subject: str | None = None) -> nr.Waiver:
    return nr.Waiver(rule_id=rule_id, subject=subject, justification="Recruiting.", approved_by="CMO", expires=expires)


def test_waived_expired_and_unused_waivers():
    ruleset = nr.compose([site_sessions_rule()])
    later, earlier = AS_OF + datetime.timedelta(days=30), AS_OF - datetime.timedelta(days=1)
    waivers = [
        waiver("trust.site-lead-sessions", later, "s2"),  # s2 is not met: waived
        waiver("trust.site-lead-sessions", earlier, "s3"),  # expired: s3 stays insufficient
        waiver("trust.site-lead-sessions", later, "s1"),  # s1 is met: unused
    ]
    statuses = both(SITES, ruleset, waivers=waivers)
    assert [(s, st) for r, s, st in statuses if r == "trust.site-lead-sessions"] == [
        ("s1", "met"),
        ("s2", "waived"),
        ("s3", "insufficient_evidence"),
    ]
    report = nr.evaluate(SITES, rules=ruleset, waivers=waivers)
    s1, s2, s3 = report.findings_for("trust.site-lead-sessions")
    assert s2.underlying_status is nr.Status.NOT_MET and s2.waiver == waivers[0] and s2.waiver_state == "active"
    assert "waived until" in s2.message and "not met" in s2.message
    assert s3.waiver == waivers[1] and s3.waiver_state == "expired" and "expired" in s3.message
    assert s1.waiver is None
    assert [o.state for o in report.waivers] == ["applied", "expired", "unused"]
    assert report.summary.local["waived"] == 1 and report.summary.overall["waived"] == 0  # a local rule is not NatSSIPs
    assert nr.Report.from_json(report.to_json()) == report


def test_a_waiver_never_hides_a_finding():
    ruleset = nr.compose([site_sessions_rule()])
    plain = nr.evaluate(SITES, rules=ruleset)
    waived = nr.evaluate(SITES, rules=ruleset, waivers=[waiver("trust.site-lead-sessions", AS_OF)])
    assert [(f.rule_id, f.subject) for f in plain.findings] == [(f.rule_id, f.subject) for f in waived.findings]
    assert {f.status for f in waived.findings_for("trust.site-lead-sessions")} == {nr.Status.MET, nr.Status.WAIVED}


def test_a_waiver_for_a_rule_not_in_the_set_is_refused():
    with pytest.raises(ValueError, match=re.escape("'roles.nope'")):
        nr.evaluate(SITES, waivers=[waiver("roles.nope", AS_OF)])


def test_waivers_show_in_the_text_report(capsys):
    assert main(["evaluate", LARGE, "--rules", LOCAL, "--rules", TAILORING]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Changes from the national standard (tailoring):" in out
    assert "WAIVED" in out and "EXPIRED on 2026-01-31" in out and "[Trust rule]" in out
    assert "3 local, from examples/northvale-local-rules.toml" in out


# --------------------------------------------------------------------------
# Entry points


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """An installed distribution 'northvale-natssips' 1.2.3 declaring one entry point."""
    (tmp_path / "northvale_natssips.py").write_text(
        textwrap.dedent("""
        import natssips_rules as nr

        def local_rules():
            return [nr.Rule(
                id="northvale.plugin.quarterly",
                title="The steering group meets at least quarterly",
                citation=nr.Citation(document="Northvale policy", section="3", clause="3.1.2", quote="Quarterly."),
                level=nr.Level.MUST,
                subject=nr.SubjectKind.STEERING_GROUP,
                holds=nr.Compare("meetings_in_last_year", ">=", 4),
                requirement="The group met at least four times in the year.",
                remediation="Record the meetings.",
                origin="local",
            )]

        def broken():
            raise RuntimeError("no database")

        def exits():
            raise SystemExit(3)

        def alters():
            import natssips_rules as nr
            rule = nr.builtin_rules()["roles.board-member"]
            object.__setattr__(rule, "holds", nr.IsKnown("name"))  # in place, behind the frozen class's back
            return []

        def invents():
            return [nr.Rule(
                id="northvale.plugin.no-lead",
                title="No lead",
                citation=nr.Citation(document="National Safety Standards for Invasive Procedures (NatSSIPs) 2",
                                     section="Roles", clause="x", quote="Trusts need no NatSSIPs lead."),
                level=nr.Level.MUST,
                subject=nr.SubjectKind.ORGANISATION,
                holds=nr.IsKnown("name"),
                requirement="Nothing.",
                remediation="Nothing.",
                origin="local",
            )]
    """)
    )
    info = tmp_path / "northvale_natssips-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: northvale-natssips\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[natssips_rules.rules]\nnorthvale = northvale_natssips:local_rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield info
    sys.modules.pop("northvale_natssips", None)


def test_entry_point_rules_load_only_when_asked_and_run_on_both_engines(plugin):
    assert "northvale_natssips" not in sys.modules
    rules, sources = nr.load_plugin_rules()
    assert [r.id for r in rules] == ["northvale.plugin.quarterly"]
    assert [(s.kind, s.name, s.version) for s in sources] == [("entry_point", "northvale-natssips", "1.2.3")]
    ruleset = nr.compose(rules, sources=sources)
    data = org_data(steering_group={"meetings_in_last_year": 6})
    assert ("northvale.plugin.quarterly", "steering_group", "met") in both(data, ruleset)
    report = nr.evaluate(data, rules=ruleset)
    assert report.sources[-1].name == "northvale-natssips" and report.sources[-1].version == "1.2.3"


def test_the_cli_plugins_flag_and_a_broken_plugin(plugin, capsys):
    assert main(["rules", "--plugins"]) == 0
    assert "entry_point: northvale-natssips 1.2.3" in capsys.readouterr().out
    (plugin / "entry_points.txt").write_text("[natssips_rules.rules]\nnorthvale = northvale_natssips:broken\n")
    with pytest.raises(nr.RuleError, match="failed when loaded: RuntimeError: no database"):
        nr.load_plugin_rules()
    assert main(["evaluate", LARGE, "--plugins"]) == 2
    assert "the plugin 'northvale' (northvale_natssips:broken, from northvale-natssips 1.2.3)" in capsys.readouterr().err


def test_a_plugin_that_exits_is_reported_by_name(plugin, capsys):
    (plugin / "entry_points.txt").write_text("[natssips_rules.rules]\nnorthvale = northvale_natssips:exits\n")
    assert main(["evaluate", LARGE, "--plugins"]) == 2
    err = capsys.readouterr().err
    assert "the plugin 'northvale'" in err and "failed when loaded: SystemExit: 3" in err


def test_a_plugin_that_changes_a_builtin_rule_is_refused(plugin, capsys):
    rule = nr.builtin_rules()["roles.board-member"]
    holds = rule.holds
    (plugin / "entry_points.txt").write_text("[natssips_rules.rules]\nnorthvale = northvale_natssips:alters\n")
    try:
        with pytest.raises(nr.RuleError, match="changed a built-in rule of NatSSIPs; it is refused"):
            nr.load_plugin_rules()
        # and no later evaluation runs the altered rules: the rule set no longer fits its digest
        with pytest.raises(nr.RuleError, match="the rules changed after the rule set was made"):
            nr.compose([])
    finally:
        object.__setattr__(rule, "holds", holds)
    nr.builtin_rules().verify()


def test_a_plugin_citing_natssips_must_quote_it(plugin):
    (plugin / "entry_points.txt").write_text("[natssips_rules.rules]\nnorthvale = northvale_natssips:invents\n")
    rules, sources = nr.load_plugin_rules()
    with pytest.raises(nr.RuleError, match="must quote the standard's own words"):
        nr.compose(rules, sources=sources)


# --------------------------------------------------------------------------
# Command line


def test_check_describes_a_file_and_refuses_a_bad_one(tmp_path, capsys):
    assert main(["check", TAILORING]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "exclude staffing.intelligence.staffing-algorithms" in out and "Waivers (3)" in out
    bad = tmp_path / "bad.toml"
    bad.write_text(TAILOR.format(kind="exclude", rule="roles.nope", extra=""))
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "tailoring.exclude[0]" in err and "Traceback" not in err


def test_rules_lists_the_effective_set(capsys):
    assert main(["rules", "--rules", LOCAL, "--rules", TAILORING, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in data["rules"]]
    assert "northvale.site-lead-sessions" in ids and "staffing.intelligence.staffing-algorithms" not in ids
    assert {s["kind"] for s in data["sources"]} == {"builtin", "file"}
    assert any(t["action"] == "exclude" for t in data["tailoring"])
    assert main(["rules"]) == 0
    assert "30 rules" in capsys.readouterr().out


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_evaluating_again_with_one_rules_file_compiles_its_rules_once(engine, monkeypatch):
    """A RulesFile given to evaluate is made into its rule set (and compiled) once, not at every call."""
    rules_file = nr.load_rules_file("examples/northvale-local-rules.toml")
    chosen = get_engine(engine)
    compiles = []
    real = type(chosen).compile
    monkeypatch.setattr(type(chosen), "compile", lambda self, ruleset: compiles.append(ruleset) or real(self, ruleset))
    reports = [nr.evaluate("examples/northvale-large-trust.json", rules=rules_file, engine=engine) for _ in range(3)]
    assert len(compiles) == 1
    assert rules_file.ruleset() is rules_file.ruleset() is compiles[0]
    assert reports[0].findings == reports[2].findings
    assert reports[0] == nr.evaluate("examples/northvale-large-trust.json", rules=nr.compose_files([rules_file]), engine=engine)


def test_a_condition_s_wrong_value_is_placed_and_named_as_the_file_writes_it():
    text = textwrap.dedent("""
        [source]
        document = "Policy"
        [[rules]]
        id = "t.r"
        title = "T"
        level = "must"
        subject = "organisation"
        requirement = "R."
        remediation = "Do."
        [rules.citation]
        section = "1"
        clause = "1"
        quote = "Q."
        [rules.holds]
        op = "compare"
        path = "beds"
        compare = ">="
        value = 2026-01-01
    """)
    with pytest.raises(nr.RulesFileError) as caught:
        nr.loads_rules(text)
    (problem,) = caught.value.problems
    assert (problem.item, problem.path) == ("rule 't.r'", "holds.value")
    assert problem.message.endswith("not the date 2026-01-01")
