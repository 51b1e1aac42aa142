"""Diff of two reports and the annual public account, on the committed quarterly series of the large example."""

import json
import pathlib

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.account import annual_account
from natssips_rules.report.diff import diff_reports, render_diff

SERIES = pathlib.Path(__file__).parent.parent.parent / "examples" / "series"
FACTS = sorted(SERIES.glob("northvale-*.json"))
REPORTS = sorted((SERIES / "reports").glob("northvale-*.json"))


def test_the_committed_series_reports_are_current():
    assert [p.name for p in FACTS] == [p.name for p in REPORTS] and len(FACTS) == 4
    for facts, report in zip(FACTS, REPORTS, strict=True):
        assert nr.Report.from_json(report.read_text()) == nr.evaluate(facts), (
            f"{report} is stale: run PYTHONPATH=. python examples/series/make_series.py"
        )


def reports() -> list[nr.Report]:
    return [nr.Report.from_json(p.read_text()) for p in REPORTS]


def test_a_year_of_change_is_classified_per_rule_and_subject():
    first, *_, last = reports()
    diff = diff_reports(first, last)
    assert diff.same_rules and diff.warnings == ()
    counts = diff.counts()
    assert counts["resolved"] == 13 and counts["regressed"] == 1 and counts["improved"] == 0 and counts["new"] == 0
    # not met -> insufficient evidence is not an improvement: the evidence was lost
    assert counts["evidence_lost"] == 1
    assert counts["unchanged"] + counts["not_applicable"] + 15 == len(last.findings)
    regressed = [c for c in diff.changes if c.kind == "regressed"]
    assert [(c.rule_id, c.subject.id, c.before, c.after) for c in regressed] == [
        ("roles.steering-group.sites", "ashby-moor", nr.Status.MET, nr.Status.NOT_MET)
    ]


def test_a_change_of_rules_is_flagged_not_passed_off_as_a_change_of_the_trust():
    before = reports()[-1]
    tailored = nr.compose(
        tailoring=nr.Tailoring(exclusions=[nr.Exclusion(rule_id="roles.trainees", rationale="r", approved_by="a")])
    )
    after = nr.evaluate(FACTS[-1], rules=tailored)
    diff = diff_reports(before, after)
    assert not diff.same_rules and "rule sets differ" in diff.warnings[0]
    assert [(c.rule_id, c.kind) for c in diff.changes if c.kind not in ("unchanged", "not_applicable")] == [
        ("roles.trainees", "removed")
    ]


def test_the_annual_account_is_a_draft_with_outcomes_over_time():
    text = annual_account(reports())
    assert "**Draft for editing.**" in text
    assert "At 2026-03-31, 39 of the 59 applicable requirements were met (66%), against 46% at 2025-06-30." in text
    for date in ("2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"):
        assert f"| {date} |" in text
    assert '<svg role="img" aria-label="Share of requirements met: Jun 2025 46%' in text
    assert "Fallen back:" in text and "Ashby Moor Community Hospital (met → not met)" in text
    assert annual_account(list(reversed(reports()))) == text  # the order given does not matter


def test_the_annual_account_refuses_no_reports_or_two_organisations():
    with pytest.raises(nr.ArgumentError, match="at least one Report"):
        annual_account([])
    other = nr.evaluate(pathlib.Path("examples/brookfield-day-surgery.json"))
    with pytest.raises(nr.ArgumentError, match="of 2 organisations"):
        annual_account([reports()[0], other])
    with pytest.raises(nr.ArgumentError, match="different organisations"):
        nr.diff_reports(reports()[0], other)


def test_the_commands_take_reports_or_facts(tmp_path, capsys):
    assert main(["diff", str(REPORTS[0]), str(FACTS[-1]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["regressed"] == 1 and data["same_rules"] is True
    assert main(["diff", str(REPORTS[0]), str(REPORTS[-1]), "--format", "markdown"]) == 0
    assert (
        "| regressed | Each site where invasive procedures are performed is represented on the steering group"
        in capsys.readouterr().out
    )
    assert main(["diff", str(REPORTS[0]), str(REPORTS[-1])]) == 0
    out = capsys.readouterr().out
    assert "Fallen back (1):" in out and "Evidence lost (was judged, now lacks the evidence to judge) (1):" in out
    # titles and subjects, not rule ids
    assert (
        "Each site where invasive procedures are performed is represented on the steering group — Ashby Moor Community Hospital: met -> not met"
        in out
    )
    assert "roles.steering-group.sites" not in out
    out = tmp_path / "account.md"
    assert main(["account", *map(str, FACTS), "--output", str(out)]) == 0
    assert out.read_text() == annual_account(reports())
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["diff", str(bad), str(REPORTS[0])]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_an_account_of_one_evaluation_says_there_is_nothing_to_compare_yet():
    text = annual_account(reports()[:1])
    assert "Period: 2025-06-30 (1 evaluation)." in text
    assert (
        "At 2025-06-30, 27 of the 59 applicable requirements were met (46%). "
        "This is the first evaluation in the account: there is nothing earlier to compare it with yet." in text
    )
    assert "%) against" not in text and ", against" not in text and " to 2025-06-30" not in text
    changed = text.split("## What changed over the year\n", 1)[1].split("\n## ", 1)[0]
    assert changed.strip() == "Nothing to compare yet: the account has one evaluation, at 2025-06-30."
    assert "Period: 2025-06-30 to 2025-09-30 (2 evaluations)." in annual_account(reports()[:2])


def test_an_account_with_nothing_changed_says_so():
    first = reports()[0]
    later = nr.evaluate(FACTS[0], as_of=first.as_of.replace(month=7))
    assert [f.status for f in later.findings] == [f.status for f in first.findings]
    changed = annual_account([first, later]).split("## What changed over the year\n", 1)[1].split("\n## ", 1)[0]
    assert changed.strip() == (
        "Between 2025-06-30 and 2025-07-30, no NatSSIPs requirement changed its status (none became met, improved, "
        "fell back, lost its evidence, began or ceased to apply, or was newly or no longer assessed)."
    )


def test_the_annual_account_says_which_requirements_lost_their_evidence_or_are_no_longer_assessed():
    """A public account leaves out no change: a requirement met before and now without evidence is listed."""
    first = reports()[0]
    data = json.loads(FACTS[0].read_text())
    data["board"].pop("natssips_portfolio_holder")  # the fact roles.board-member reads, no longer supplied
    data["sites"] = [site for site in data["sites"] if site["id"] != "ashby-moor"]
    for key in ("natssips_leads", "people"):
        data[key] = [entry for entry in data.get(key, []) if "ashby-moor" not in json.dumps(entry)]
    later = nr.evaluate(data, as_of=first.as_of.replace(month=9))
    kinds = {c.kind for c in diff_reports(first, later).changes}
    assert {"evidence_lost", "removed"} <= kinds
    changed = annual_account([first, later]).split("## What changed over the year\n", 1)[1].split("\n## ", 1)[0]
    lost, gone = changed.split("No longer evidenced (judged before, now without the evidence to judge it):", 1)[1].split(
        "No longer assessed:"
    )
    assert (
        lost.strip()
        == "- A named Board member holds NatSSIPs in their portfolio — the organisation (not met → insufficient evidence)"
    )
    assert (
        "- Each site where invasive procedures are performed is represented on the steering group — Ashby Moor Community Hospital (met → —)"
        in gone
    )


def test_the_annual_account_refuses_two_reports_at_one_date():
    first = reports()[0]
    with pytest.raises(
        nr.ArgumentError, match=r"reports: items 0 and 2 are both as of 2025-06-30; an account takes one report per date"
    ):
        annual_account([first, reports()[1], first])
    evaluated = nr.evaluate(FACTS[0])
    with pytest.raises(nr.ArgumentError, match="items 1 and 2 are both as of 2025-06-30"):
        annual_account([reports()[-1], first, evaluated])


def test_the_account_command_names_the_files_at_one_date(capsys):
    assert main(["account", str(REPORTS[0]), str(REPORTS[1]), str(REPORTS[0])]) == 2
    err = capsys.readouterr().err
    assert f"the annual account takes one report per date; {REPORTS[0]} is given twice: leave one out" in err
    assert main(["account", str(REPORTS[0]), str(FACTS[0])]) == 2
    err = capsys.readouterr().err
    assert f"{REPORTS[0]} and {FACTS[0]} are both as of 2025-06-30: leave one out" in err
    assert main(["account", str(REPORTS[0])]) == 0
    assert "Period: 2025-06-30 (1 evaluation)." in capsys.readouterr().out


def test_a_requirement_met_before_and_not_applicable_now_is_a_change_of_its_own():
    """Met and not applicable rank alike, but a subject leaving (or entering) a clause's scope is shown, not hidden."""
    before = reports()[-1]
    met = next(f for f in before.findings if f.status is nr.Status.MET and f.level is not nr.Level.MAY and f.origin == "natssips")
    moved = attrs.evolve(met, status=nr.Status.NOT_APPLICABLE)
    after = attrs.evolve(before, findings=[moved if f is met else f for f in before.findings])
    after = attrs.evolve(after, summary=nr.Summary.of(after.findings))
    (change,) = [c for c in diff_reports(before, after).changes if c.kind not in ("unchanged", "not_applicable")]
    assert (change.kind, change.before, change.after) == ("no_longer_applies", nr.Status.MET, nr.Status.NOT_APPLICABLE)
    assert "No longer applies (was met) (1):" in render_diff(diff_reports(before, after))
    (back,) = [c for c in diff_reports(after, before).changes if c.kind not in ("unchanged", "not_applicable")]
    assert back.kind == "now_applies"
    assert "Now applies (and is met):" in annual_account([after, attrs.evolve(before, as_of=before.as_of.replace(year=2027))])


def test_a_report_edited_into_what_no_evaluation_writes_is_refused():
    data = json.loads(REPORTS[-1].read_text())
    first = data["findings"][0]
    twice = {**data, "findings": [*data["findings"], {**first, "status": "met"}]}
    with pytest.raises(nr.ReportError, match=r"findings\[\d+\]: a second finding for rule"):
        nr.Report.from_dict(twice)
    waived = {**data, "findings": [{**first, "status": "waived"}, *data["findings"][1:]]}
    with pytest.raises(nr.ReportError, match="a waived finding names its waiver"):
        nr.Report.from_dict(waived)
    ward = {**data, "findings": [{**first, "subject": {**first["subject"], "kind": "ward"}}, *data["findings"][1:]]}
    with pytest.raises(nr.ReportError, match="'ward' is not a kind of subject"):
        nr.Report.from_dict(ward)
