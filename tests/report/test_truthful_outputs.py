"""What the library tells people around the statuses is true: nothing is dropped, nothing is applied out of its time.

Each test names the defect it guards against; each runs on both engines.
"""

import datetime
import io
import json
import pathlib

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.report.xlsx import report_workbook
from natssips_rules.testing import organisations

ROOT = pathlib.Path(__file__).parent.parent.parent
LARGE = ROOT / "examples/northvale-large-trust.json"
ENGINES = ["reference", "durable"]


def large_data() -> dict:
    return json.loads(LARGE.read_text())


# --------------------------------------------------------------------------
# silent drops: an action whose rule or subject id matches no finding is listed, never dropped


@pytest.mark.parametrize("engine", ENGINES)
def test_an_action_naming_no_finding_is_listed_in_every_format(engine):
    data = large_data()
    data["actions"] += [
        {"id": "T1", "rule": "roles.site-lead", "subject": "riversid", "description": "Typo in the subject id."},
        {"id": "T2", "rule": "roles.site-leed", "description": "Typo in the rule id."},
    ]
    report = nr.evaluate(data, engine=engine)
    expected = [("T1", "roles.site-lead", "riversid", "no_such_subject"), ("T2", "roles.site-leed", None, "no_such_rule")]
    assert [(u.action.id, u.rule_id, u.subject, u.reason) for u in report.unmatched_actions] == expected
    # every matched action is still beside its finding, and none is counted twice
    attached = {a.id for f in report.findings for a in f.actions}
    assert attached | {"T1", "T2"} == {a["id"] for a in data["actions"]} and not attached & {"T1", "T2"}
    text = " ".join(nr.render_text(report).split())
    assert "Actions and waivers that match no finding:" in text
    assert "Action T1 (rule roles.site-lead, subject riversid): the rule is not judged for this subject" in text
    assert "Action T2 (rule roles.site-leed): no rule of this id was evaluated" in text
    for page in (nr.render_markdown(report), nr.render_html(report)):
        assert "Actions and waivers that match no finding" in page and "Typo in the rule id." in page
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(report)))
    rows = {row[0]: row for row in wb["Actions"].iter_rows(min_row=2, values_only=True)}
    assert rows["T2"][4] == "roles.site-leed" and "matches no finding" in rows["T2"][5]
    assert nr.Report.from_json(report.to_json()) == report


@pytest.mark.parametrize("engine", ENGINES)
def test_a_waiver_naming_no_subject_is_listed_with_the_unmatched_actions(engine):
    waiver = nr.Waiver(
        rule_id="roles.site-lead", subject="riversid", justification="j", approved_by="a", expires=nr.load_facts(LARGE).as_of
    )
    report = nr.evaluate(LARGE, waivers=[waiver], engine=engine)
    assert [w.state for w in report.waivers] == ["no_such_subject"]
    text = " ".join(nr.render_text(report).split())
    assert "Actions and waivers that match no finding: - Waiver of rule roles.site-lead for subject riversid" in text


# --------------------------------------------------------------------------
# waivers are in force only from their approval date until their expiry, for every evaluation


@pytest.mark.parametrize("engine", ENGINES)
def test_a_waiver_is_not_applied_before_its_approval_date(engine):
    """A waiver approved on 2026-02-05 waives nothing as of 2025-06-30, and waives from its approval day on."""
    waiver = nr.Waiver(
        rule_id="roles.assurance.public-account",
        justification="j",
        approved_by="Trust Board",
        approved_on=datetime.date(2026, 2, 5),
        expires=datetime.date(2026, 6, 30),
    )
    results = {}
    for day in (
        datetime.date(2025, 6, 30),
        datetime.date(2026, 2, 4),
        datetime.date(2026, 2, 5),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 7, 1),
    ):
        report = nr.evaluate(LARGE, waivers=[waiver], as_of=day, engine=engine)
        (finding,) = report.findings_for("roles.assurance.public-account")
        (outcome,) = report.waivers
        results[day.isoformat()] = (finding.status.value, finding.waiver_state, outcome.state)
    assert results == {
        "2025-06-30": ("not_met", "not_yet_approved", "not_yet_approved"),
        "2026-02-04": ("not_met", "not_yet_approved", "not_yet_approved"),
        "2026-02-05": ("waived", "active", "applied"),
        "2026-06-30": ("waived", "active", "applied"),
        "2026-07-01": ("not_met", "expired", "expired"),
    }


def test_a_rules_file_gives_waivers_their_approval_date_and_check_warns_without_one(tmp_path, capsys):
    from natssips_rules.cli import main

    dated = nr.load_rules_file("examples/northvale-tailoring.toml")
    assert [w.approved_on.isoformat() for w in dated.waivers] == ["2026-01-15", "2025-06-11", "2026-02-05"]
    undated = tmp_path / "undated.toml"
    undated.write_text('[[waivers]]\nrule = "roles.site-lead"\njustification = "j"\napproved_by = "a"\nexpires = 2026-09-30\n')
    assert main(["check", str(undated)]) == 0
    assert "warning: no approved_on date" in capsys.readouterr().out
    backwards = tmp_path / "backwards.toml"
    backwards.write_text(
        '[[waivers]]\nrule = "roles.site-lead"\njustification = "j"\napproved_by = "a"\n'
        "approved_on = 2026-10-01\nexpires = 2026-09-30\n"
    )
    with pytest.raises(nr.RulesFileError, match=r"waivers\[0\].*approved on 2026-10-01, after it expires"):
        nr.load_rules_file(backwards)
    with pytest.raises(nr.RuleError, match="after it expires"):
        nr.Waiver(
            rule_id="r",
            justification="j",
            approved_by="a",
            approved_on=datetime.date(2026, 10, 1),
            expires=datetime.date(2026, 9, 30),
        )


# --------------------------------------------------------------------------
# the public account does not mislead the public


@pytest.mark.parametrize("engine", ENGINES)
def test_the_account_never_says_every_requirement_is_met_when_gaps_are_waived(engine):
    """Every gap waived: the account lists the waived items, says they are not met, and states the waivers applied."""
    data = large_data()
    data["actions"] = [{**data["actions"][0], "description": "Dr Miriam Hartley to agree the job plan."}]
    first = nr.evaluate(data, engine=engine)
    gaps = sorted({f.rule_id for f in first.findings if f.status in (nr.Status.NOT_MET, nr.Status.INSUFFICIENT_EVIDENCE)})
    waivers = [
        nr.Waiver(
            rule_id=r,
            justification="Dr Miriam Hartley agreed.",
            approved_by="Board",
            approved_on=datetime.date(2026, 1, 1),
            expires=datetime.date(2026, 12, 31),
        )
        for r in gaps
    ]
    report = nr.evaluate(data, waivers=waivers, engine=engine)
    assert not [f for f in report.findings if f.status in (nr.Status.NOT_MET, nr.Status.INSUFFICIENT_EVIDENCE)]
    account = nr.annual_account([report])
    assert "Every applicable requirement is met." not in account
    waived = [
        f for f in report.findings if f.status is nr.Status.WAIVED and f.origin == "natssips" and f.level is not nr.Level.MAY
    ]
    still = account.split("## Still to do")[1].split("##")[0]
    assert sum(
        1 for line in still.splitlines() if "the Trust has accepted this for now (waived until 2026-12-31)" in line
    ) == len(waived)
    assert f"No requirement is open other than the {len(waived)} waived above: they are not met." in still
    # the waivers applied are stated; the Trust's free text (an action naming a person, a justification) is left out
    assert account.count("- Waiver: ") == len(gaps) and "Miriam" not in account and "Hartley" not in account
    assert "left out of this draft" in account


@pytest.mark.parametrize("engine", ENGINES)
def test_the_account_says_which_rules_and_files_it_applied(engine):
    files = [nr.load_rules_file(p) for p in ("examples/northvale-local-rules.toml", "examples/northvale-tailoring.toml")]
    report = nr.evaluate(LARGE, rules=nr.compose_files(files), engine=engine)
    account = " ".join(nr.annual_account([report]).split())
    assert (
        "## Rules applied - 2026-03-31: the NatSSIPs 2 rules of natssips-rules " in account
        and "examples/northvale-local-rules.toml, examples/northvale-tailoring.toml; Rules evaluated: 29 of NatSSIPs "
        "(1 more excluded by the Trust's tailoring, not evaluated) and 3 of the Trust's own."
        in account
    )
    assert "- Tailoring: `staffing.intelligence.staffing-algorithms`: not evaluated (excluded)." in account


# --------------------------------------------------------------------------
# questions: every finding that lacks evidence has one that can settle it


@settings(max_examples=40)
@given(st.one_of(organisations(), organisations(known=0.2), organisations(known=0.0)), st.sampled_from(ENGINES))
def test_every_finding_lacking_evidence_has_a_question(org, engine):
    """Each insufficient-evidence finding has an unknown part with a question, and is among that question's findings;
    the Board report says there is nothing to ask only when no finding lacks evidence."""
    report = nr.evaluate(org, engine=engine)
    asked = {where for q in nr.questions(report) for where in q.findings}
    lacking = [f for f in report.findings if nr.Status.INSUFFICIENT_EVIDENCE in (f.status, f.underlying_status)]
    for finding in lacking:
        assert any(r.state == "unknown" and r.question for r in finding.reasons), (finding.rule_id, finding.reasons)
        assert (finding.rule_id, finding.subject.id) in asked
    nothing = "Nothing: every finding rests on evidence supplied." in nr.render_markdown(report)
    assert nothing == (not lacking)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unknown_board_assurance_or_escalation_is_asked_about(engine):
    data = large_data()
    for key in ("board", "assurance", "escalation", "patient_safety_specialists"):
        data.pop(key)
    report = nr.evaluate(data, engine=engine)
    paths = {q.path: q.question for q in nr.questions(report)}
    name = data["name"]
    assert paths["board"] == f"Which member of the Board of {name} holds NatSSIPs within their portfolio?"
    assert paths["assurance"].startswith(f"How do the NatSSIPs lead(s) of {name} give assurance on NatSSIPs")
    assert paths["escalation"].startswith(f"Does {name} have a procedure, with a risk assessment and an escalation route")
    assert paths["patient_safety_specialists"].startswith(
        "Is NatSSIPs within the strategic remit of the patient safety specialists"
    )


# --------------------------------------------------------------------------
# one reading: an organisation that records no trainees is not judged on trainees


@pytest.mark.parametrize("engine", ENGINES)
def test_no_trainees_recorded_makes_the_trainee_rules_not_applicable_whatever_else_is_unknown(engine):
    data = large_data()
    data["mdt_trainees_in_invasive_areas"] = False
    data["steering_group"].pop("members")  # the group's members not known
    for specialty in data["specialties"]:
        specialty.pop("trainees_part_of_group", None)
    tailoring = nr.Tailoring(
        parameters=[
            nr.ParameterSetting(
                parameter="trainee_groups", value=["steering_group", "specialty_groups"], rationale="r", approved_by="a"
            )
        ]
    )
    report = nr.evaluate(data, rules=nr.compose(tailoring=tailoring), engine=engine)
    trainee = [f for f in report.findings if f.rule_id in ("roles.trainees", "roles.trainees.specialty-groups")]
    assert trainee and {f.status for f in trainee} == {nr.Status.NOT_APPLICABLE}
    assert not [q for q in nr.questions(report) if "training" in q.question or "trainee" in q.question]


# --------------------------------------------------------------------------
# what to do: the written remediation first; generated advice keeps the clause's verb


@settings(max_examples=30)
@given(st.one_of(organisations(), organisations(known=0.9)), st.sampled_from(ENGINES))
def test_advice_never_turns_a_should_into_a_must(org, engine):
    report = nr.evaluate(org, engine=engine)
    for finding in report.findings:
        if finding.level is not nr.Level.MUST:
            advice = " ".join([finding.remediation or "", *(r.action or "" for r in finding.reasons)])
            assert " must be " not in advice and " must include " not in advice and " must together " not in advice


@pytest.mark.parametrize("engine", ENGINES)
def test_a_trusts_own_remediation_is_shown_not_replaced(engine):
    rules_file = nr.loads_rules(
        """
[[rules]]
id = "trust.board-portfolio"
title = "The Board portfolio holder is named"
level = "should"
subject = "organisation"
requirement = "The Board portfolio holder is named."
remediation = "Ask the Company Secretary to add NatSSIPs to the portfolio schedule at the next Board."
holds = {op = "compare", path = "escalation.risk_assessment", compare = "==", value = false}
[rules.citation]
document = "Trust policy"
section = "1"
clause = "1.1"
quote = "The Board portfolio holder is named."
""",
        source="trust.toml",
    )
    report = nr.evaluate(LARGE, rules=rules_file, engine=engine)
    (finding,) = report.findings_for("trust.board-portfolio")
    assert finding.status is nr.Status.NOT_MET
    assert finding.remediation == "Ask the Company Secretary to add NatSSIPs to the portfolio schedule at the next Board."


# --------------------------------------------------------------------------
# reasons state only what decided the finding, under the parameters in force, attributed rightly


@pytest.mark.parametrize("engine", ENGINES)
def test_a_reason_states_no_requirement_of_a_reading_not_in_force(engine):
    """Under the default combined co-lead reading, the leads' time is judged together: no 'each lead needs 1.0'."""
    data = large_data()
    for lead in data["natssips_leads"]:
        lead["job_plan_sessions_per_week"] = 0.5
    report = nr.evaluate(data, engine=engine)
    (finding,) = report.findings_for("roles.natssips-lead.time")
    assert finding.status is nr.Status.NOT_MET
    texts = [r.text for r in finding.reasons]
    assert len(texts) == 1 and "together: 1.0 sessions per week" in texts[0]
    assert "lead_min_sessions_large, this library's default, not a NatSSIPs figure" in texts[0]
    assert "co_lead_reading" not in finding.message and "Trust's reading" not in finding.message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_reading_is_attributed_to_whoever_chose_it(engine):
    report = nr.evaluate(LARGE, engine=engine)
    (finding,) = [f for f in report.findings_for("roles.trainees.specialty-groups")][:1]
    assert finding.status is nr.Status.NOT_APPLICABLE
    assert [r.text for r in finding.reasons] == [
        "this library's default reading (trainee_groups; a Trust may change it) does not include 'specialty_groups'"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_what_is_missing_is_said_as_a_whole_not_member_by_member(engine):
    data = large_data()
    people = {p["id"]: p for p in data["people"]}
    members = data["steering_group"]["members"]
    data["steering_group"]["members"] = [
        m for m in members if people[m].get("profession") != "midwifery" and not people[m].get("in_training")
    ]
    for person in data["people"]:
        person.setdefault("in_training", False)
        if person["in_training"] is None:
            person["in_training"] = False
    data["board"]["natssips_portfolio_holder"] = False
    data["specialties"][0]["natssips_lead"] = False
    report = nr.evaluate(data, engine=engine)
    n = len(data["steering_group"]["members"])
    reasons = {
        f.rule_id: [r.text for r in f.reasons] for f in report.findings if f.subject.kind in ("steering_group", "organisation")
    }
    assert (
        reasons["roles.steering-group.professions"][0]
        == f"The NatSSIPs steering group: members: none of the {n} listed has profession midwifery"
    )
    assert reasons["roles.trainees"] == [f"The NatSSIPs steering group: members: none of the {n} listed is in training"]
    assert reasons["roles.board-member"] == [
        f"{data['name']}: Board member holding NatSSIPs in their portfolio: none (the facts record that there is none)"
    ]
    (lead,) = [f for f in report.findings_for("roles.specialty-lead") if f.subject.id == data["specialties"][0]["id"]]
    assert [r.text for r in lead.reasons] == [
        f"{data['specialties'][0]['name']}: the specialty's NatSSIPs lead: none (the facts record that there is none)"
    ]
    text = nr.render_text(report)
    assert "sits on the Board: none" not in text and "seniority: none" not in text


# --------------------------------------------------------------------------
# tailoring below the standard's own words: check warns, findings show both verdicts

BELOW = nr.Tailoring(
    parameters=[
        nr.ParameterSetting(
            rule_id="roles.natssips-lead.authority",
            parameter="required_support_areas",
            value=["information_technology", "education", "quality_improvement"],
            rationale="Procurement is handled centrally.",
            approved_by="Committee",
        )
    ],
    levels=[nr.LevelChange(rule_id="staffing.escalation", level="may", rationale="r", approved_by="a")],
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_listed_item_removed_shows_both_verdicts(engine):
    data = large_data()
    for lead in data["natssips_leads"]:
        lead["authority_to_obtain_support"] = ["information_technology", "education", "quality_improvement"]
    rules = nr.compose(tailoring=BELOW)
    report = nr.evaluate(data, rules=rules, engine=engine)
    (authority,) = report.findings_for("roles.natssips-lead.authority")
    assert (authority.status, authority.standard_status) == (nr.Status.MET, nr.Status.NOT_MET)
    assert (
        authority.departure
        == "procurement removed from required_support_areas (the standard's own list) by the Trust's tailoring"
    )
    assert authority.message.endswith(
        "As tailored: met; against the standard's own words: not met (" + authority.departure + ")."
    )
    (escalation,) = report.findings_for("staffing.escalation")
    assert escalation.departure == "reported at 'may' by the Trust's tailoring; the standard says 'should'"
    assert escalation.standard_status is not None
    text = " ".join(nr.render_text(report).split())
    assert (
        "Judged below the standard's own words (2): as tailored, and against the standard's words: - The NatSSIPs lead(s) can "
        "obtain support from across the organisation: as tailored, met; against the standard's own words, not met"
    ) in text
    page = nr.render_markdown(report, rules)
    assert (
        "Judged below the standard's own words" in page
        and "(set by the Trust's tailoring; the standard's own list or figure differs)" in page
    )
    assert nr.Report.from_json(report.to_json()) == report
    # a tailoring within the standard's words (adding an area) departs from nothing
    wider = nr.Tailoring(
        parameters=[
            nr.ParameterSetting(
                rule_id="roles.natssips-lead.authority",
                parameter="required_support_areas",
                value=["information_technology", "education", "quality_improvement", "procurement", "finance"],
                rationale="r",
                approved_by="a",
            )
        ]
    )
    assert not [f for f in nr.evaluate(data, rules=nr.compose(tailoring=wider), engine=engine).findings if f.departure]


def test_check_warns_of_a_tailoring_below_the_standards_words(tmp_path, capsys):
    from natssips_rules.cli import main

    path = tmp_path / "below.toml"
    path.write_text(
        '[[tailoring.parameters]]\nrule = "roles.natssips-lead.authority"\nparameter = "required_support_areas"\n'
        'value = ["information_technology", "education", "quality_improvement"]\nrationale = "r"\napproved_by = "a"\n'
    )
    assert main(["check", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "warning: roles.natssips-lead.authority: below the standard's own words: procurement removed from "
        "required_support_areas (the standard's own list) by the Trust's tailoring"
    ) in out
