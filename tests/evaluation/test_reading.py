"""Reports as their readers meet them: what needs attention first, questions, the public account, untrusted text.

A NatSSIPs lead reads the text report in a terminal or an email; a Board
member reads the Board report; the public reads the annual account. The
same hostile text (markup, control characters, forged lines) is fed to every
format.
"""

import json
import pathlib
import re

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.account import annual_account
from natssips_rules.report.board import render_html, render_markdown
from natssips_rules.report.diff import diff_reports, render_diff
from natssips_rules.report.questions import questions, questions_json
from natssips_rules.report.text import render_text

ROOT = pathlib.Path(__file__).parent.parent.parent
LARGE = ROOT / "examples/northvale-large-trust.json"
RULES_FILES = [ROOT / "examples/northvale-local-rules.toml", ROOT / "examples/northvale-tailoring.toml"]


def large_report() -> nr.Report:
    return nr.evaluate(LARGE, rules=nr.compose_files([nr.load_rules_file(p) for p in RULES_FILES]))


# --------------------------------------------------------------------------
# the text report: urgency first


def test_the_text_report_puts_not_met_first_then_insufficient_then_counts():
    """Headings go by urgency, each group of the summary apart, and each heading's count is the summary's."""
    report = large_report()
    text = render_text(report)
    lines = text.splitlines()
    heads = [
        line
        for line in lines
        if line.split(":")[0] in ("NOT MET", "NOT IN PLACE", "INSUFFICIENT EVIDENCE", "WAIVED", "MET", "NOT APPLICABLE")
    ]
    assert [h.split(":")[0] for h in heads] == [
        "NOT MET",
        "NOT MET",
        "NOT IN PLACE",
        "INSUFFICIENT EVIDENCE",
        "INSUFFICIENT EVIDENCE",
        "WAIVED",
    ]
    summary = report.summary
    assert f"NOT MET: NatSSIPs requirements ({summary.overall['not_met']})" in heads
    assert f"NOT MET: the Trust's own rules (not NatSSIPs) ({summary.local['not_met']})" in heads
    assert f"NOT IN PLACE: NatSSIPs suggestions ('may', not requirements) ({summary.suggestions['not_met']})" in heads
    flat = " ".join(text.split())
    assert (
        f"Not listed (--all lists every finding): NatSSIPs requirements: {summary.overall['met']} met, 0 not applicable; "
        f"the Trust's own rules (not NatSSIPs): {summary.local['met']} met, 0 not applicable; "
        f"NatSSIPs suggestions ('may', not requirements): {summary.suggestions['met']} in place, 0 not applicable."
    ) in flat
    # the first finding listed is a requirement whose action is overdue
    first = lines[lines.index(heads[0]) + 2]
    assert first.startswith("  NOT MET (should) In a large Trust, each site has a NatSSIPs lead with allocated time")
    assert "UNKNOWN" not in text and "N/A" not in text


def test_all_findings_lists_the_met_ones_one_line_each():
    report = large_report()
    text = render_text(report, all_findings=True)
    met = [f for f in report.findings if f.status is nr.Status.MET]
    assert f"MET: NatSSIPs requirements ({report.summary.overall['met']})" in text.splitlines()
    flat = " ".join(text.split())
    for finding in met:
        assert finding.title in flat


def test_the_cli_all_flag(capsys):
    assert main(["evaluate", str(LARGE)]) == 0
    short = capsys.readouterr().out
    assert main(["evaluate", str(LARGE), "--all"]) == 0
    full = capsys.readouterr().out
    assert "\nMET: " not in short and "\nMET: " in full and len(full) > len(short)


# --------------------------------------------------------------------------
# questions


def test_questions_are_plain_english_ranked_with_their_paths():
    report = large_report()
    asked = questions(report)
    assert asked, "the large example lacks some evidence"
    assert [q.settles for q in asked] == sorted((q.settles for q in asked), reverse=True)
    assert asked[0].question == "Who is the NatSSIPs lead for Ashby Moor Community Hospital?"
    assert asked[0].path == "sites[ashby-moor].natssips_lead"
    for q in asked:
        assert q.question.endswith("?") and "[" not in q.question and "_" not in q.question
    # every insufficient-evidence finding is helped by at least one question
    unsettled = {(f.rule_id, f.subject.id) for f in report.findings if f.status is nr.Status.INSUFFICIENT_EVIDENCE}
    helped = {where for q in asked for where in q.findings}
    assert unsettled <= helped
    data = json.loads(questions_json(report))
    assert data["questions"][0] == {**asked[0].to_dict()}


def test_the_questions_command(capsys, tmp_path):
    assert main(["questions", str(LARGE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2].startswith("1. ") and "answer in the facts at:" in out
    saved = tmp_path / "report.json"
    saved.write_text(large_report().to_json())
    assert main(["questions", str(saved), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["questions"]


def test_questions_refuse_what_is_not_a_report():
    with pytest.raises(nr.ArgumentError):
        questions({"findings": []})  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# the public account names roles, not people


def people_names(path: pathlib.Path) -> list[str]:
    return [p["name"] for p in json.loads(path.read_text())["people"]]


def test_the_public_account_names_no_individual():
    series = sorted(ROOT.joinpath("examples/series/reports").glob("*.json"))
    reports = [nr.Report.from_json(p.read_text()) for p in series]
    text = annual_account(reports)
    facts = sorted(ROOT.joinpath("examples/series").glob("*.json"))
    names = {name for path in facts for name in people_names(path)}
    assert names
    for name in names:
        assert name not in text, name


def test_the_public_account_speaks_of_a_lead_by_role():
    rule = nr.Rule(
        id="northvale.leads-not-in-training",
        title="No NatSSIPs lead is in training",
        citation=nr.Citation(document="Northvale policy", section="4", clause="4.1", quote="Leads are not in training."),
        level="must",
        subject="natssips_lead",
        holds=nr.Compare("person.in_training", "==", False),
        requirement="The lead is not in training.",
        remediation="Name a lead who has completed training.",
        origin="local",
    )
    data = json.loads(LARGE.read_text())
    lead = next(p for p in data["people"] if p["id"] == data["natssips_leads"][0]["person"])
    lead["in_training"] = True
    report = nr.evaluate(data, rules=nr.compose([rule]))
    assert any(f.subject.name == lead["name"] for f in report.findings if f.rule_id == rule.id)
    # the Board report may name the lead; the public account speaks of the role
    assert lead["name"] in render_markdown(report)
    # the account counts NatSSIPs only; were a NatSSIPs clause judged per lead, it would name the role
    as_if_national = attrs.evolve(report, findings=[attrs.evolve(f, origin="natssips") for f in report.findings])
    text = annual_account([as_if_national])
    assert "No NatSSIPs lead is in training — Trust NatSSIPs co-lead 1: not met." in text
    assert lead["name"] not in text


def test_the_public_account_counts_natssips_only():
    report = large_report()
    text = annual_account([report])
    assert "Each site lead has at least the job-plan time the Trust policy sets" not in text
    met = report.summary.overall["met"]
    applicable = sum(n for status, n in report.summary.overall.items() if status != "not_applicable")
    assert f"{met} of the {applicable} applicable requirements were met" in text


# --------------------------------------------------------------------------
# untrusted text, in every format

PAYLOAD = (
    "<script>alert(1)</script> [x](javascript:alert(1)) **b** \x1b[31mred\x1b[0m\n  NOT MET (must) Forged finding\r\u202eevil"
)


def hostile() -> tuple[nr.Report, nr.RuleSet]:
    data = json.loads(LARGE.read_text())
    data["name"] = "Trust " + PAYLOAD
    data["sites"][0]["name"] = "Site " + PAYLOAD
    data["people"][0]["name"] = "Dr " + PAYLOAD
    data["actions"][0]["description"] = "Do " + PAYLOAD
    rules = nr.compose_files([nr.load_rules_file(p) for p in RULES_FILES])
    return nr.evaluate(data, rules=rules), rules


def test_text_output_keeps_free_text_on_its_own_line():
    report, _ = hostile()
    for text in (render_text(report, all_findings=True), render_diff(diff_reports(report, report))):
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
        # a finding's headline starts at column 2; the forged text can only be a continuation (column 4)
        assert not any(line.startswith(("NOT MET (must) Forged", "  NOT MET (must) Forged")) for line in text.splitlines())
        flat = " ".join(text.split())
        assert "\\x1b[31mred" in flat and "\\n NOT MET (must) Forged finding" in flat


def test_markdown_output_escapes_markup():
    report, rules = hostile()
    for page in (render_markdown(report, rules), annual_account([report]), render_diff(diff_reports(report, report), "markdown")):
        assert "<script>" not in page
        assert not re.search(r"(?<!\\)\]\(javascript:", page)
        assert "\x1b" not in page and "\r" not in page
        assert "\\<script\\>" in page
        assert not any(line.lstrip().startswith("NOT MET (must) Forged") for line in page.splitlines())


def test_html_output_escapes_markup():
    report, rules = hostile()
    page = render_html(report, rules)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_json_round_trips_untrusted_text():
    report, _ = hostile()
    assert nr.Report.from_json(report.to_json()) == report
    assert PAYLOAD in report.to_json().encode().decode("unicode_escape", errors="ignore") or "\\u001b" in report.to_json()


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_a_fact_recorded_as_none_reads_none_in_every_format(engine):
    """A site whose NatSSIPs lead the facts record as absent: its evidence says "none", never "not supplied"."""
    data = json.loads(pathlib.Path("examples/northvale-large-trust.json").read_text())
    data["sites"][0]["natssips_lead"] = False
    report = nr.evaluate(data, engine=engine)
    finding = next(f for f in report.findings_for("roles.site-lead") if f.subject.id == "northvale-general")
    assert finding.status is nr.Status.NOT_MET
    text = " ".join(nr.render_text(report).split())
    assert "sites[northvale-general].natssips_lead = none" in text
    # what is missing is said once, as a whole (the lead), not as each of the lead's facts
    assert [e.path for e in finding.evidence if e.absent] == ["sites[northvale-general].natssips_lead"]
    assert "sites[northvale-general].natssips_lead = not supplied" not in text
    from natssips_rules.report.xlsx import _evidence

    assert "sites[northvale-general].natssips_lead = none" in _evidence(finding)
    assert "not supplied" not in _evidence(finding)


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_a_suggestion_not_in_place_is_worded_as_a_suggestion_in_its_reasons_and_remedy(engine):
    report = nr.evaluate(LARGE, engine=engine)
    (finding,) = report.findings_for("staffing.intelligence.cultural-surveys")
    assert finding.level is nr.Level.MAY and finding.status is nr.Status.NOT_MET
    words = " ".join(
        [
            finding.message,
            finding.remediation or "",
            *(r.text for r in finding.reasons),
            *(r.action or "" for r in finding.reasons),
        ]
    )
    assert "suggested: including cultural surveys" in finding.message
    # the rule's written remediation, worded as a suggestion
    assert finding.remediation == (
        "A suggestion of the standard, not a requirement: where useful, bring this data to the steering group "
        "and record it in steering_group.informed_by ('cultural_surveys')."
    )
    assert "required:" not in words and " must " not in words
    # relevelled by a Trust to a requirement, the same part is worded as one
    relevel = nr.LevelChange(rule_id="staffing.intelligence.cultural-surveys", level="must", rationale="r", approved_by="a")
    tailored = nr.compose(tailoring=nr.Tailoring(levels=[relevel]))
    (required,) = nr.evaluate(LARGE, rules=tailored, engine=engine).findings_for("staffing.intelligence.cultural-surveys")
    assert "required: including cultural surveys" in required.message
    assert required.remediation == "The NatSSIPs steering group: data informing it must include cultural surveys."
