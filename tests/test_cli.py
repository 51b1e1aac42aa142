"""The command line: readable reports, JSON, and exit 2 with messages (no traceback) on bad input."""

import json
import subprocess
import sys

from natssips_rules.cli import main

from .helpers import org_data

LARGE = "examples/northvale-large-trust.json"


def test_text_report(capsys):
    assert main(["evaluate", LARGE]) == 0
    out = capsys.readouterr().out
    assert "Northvale" in out and "NOT MET" in out and "Roles For NatSSIPs Delivery" in out


def test_json_report_and_options(capsys):
    assert main(["evaluate", LARGE, "--format", "json", "--as-of", "2026-06-30", "--engine", "reference"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-06-30" and data["engine"] == "reference"
    assert {f["status"] for f in data["findings"]} <= {"met", "not_met", "insufficient_evidence", "not_applicable", "waived"}


def test_bad_input_exits_2_with_paths(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "name": "X", "kind": "hospital", "nation": "england", "as_of": "2026-13-01"}))
    assert main(["evaluate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "kind:" in err and "as_of:" in err and "Traceback" not in err


def test_the_installed_command_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = subprocess.run([sys.executable, "-m", "natssips_rules", "evaluate", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_catalogue_command_prints_the_generated_page_or_json(capsys):
    assert main(["catalogue"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# The rule catalogue") and "Rule `staffing.escalation`" in out
    assert main(["catalogue", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries[0]["id"] == "roles.summary" and entries[0]["not_assessable"]
    assert {"id", "section", "kind", "quote", "footnotes", "references", "rule_ids", "not_assessable"} <= set(entries[1])


def test_a_may_is_reported_as_a_suggestion_not_a_shortfall(capsys):
    assert main(["evaluate", LARGE]) == 0
    out = capsys.readouterr().out
    assert "Suggestions of the standard ('may', not counted with the requirements)" in out
    for line in out.splitlines():
        if "(may) The steering group" in line:
            assert line.lstrip().startswith(("IN PLACE", "NOT IN PLACE", "INSUFFICIENT EVIDENCE", "NOT APPLICABLE")), line
    assert "UNKNOWN" not in out, "one name for each status everywhere"


def test_version_and_every_option_has_help(capsys):
    import pytest

    from natssips_rules import __version__
    from natssips_rules.cli import _parser

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"natssips-rules {__version__}"
    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help text"


def test_output_into_a_folder_that_does_not_exist_is_refused_without_traceback(tmp_path, capsys):
    assert main(["evaluate", LARGE, "--output", str(tmp_path / "nowhere" / "r.html"), "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_a_failed_run_leaves_the_previous_report_whole(tmp_path, capsys, monkeypatch):
    out = tmp_path / "report.html"
    assert main(["evaluate", LARGE, "--format", "html", "--output", str(out)]) == 0
    before = out.read_bytes()

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    import os

    monkeypatch.setattr(os, "fsync", broken)
    assert main(["evaluate", LARGE, "--format", "html", "--output", str(out)]) == 2
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind
    assert "No space left" in capsys.readouterr().err


def test_fail_on_for_pipelines(capsys):
    assert main(["evaluate", LARGE, "--fail-on", "not_met", "--format", "json"]) == 1
    assert main(["evaluate", "examples/brookfield-day-surgery.json", "--fail-on", "not_met", "--format", "json"]) == 0
    assert main(
        ["evaluate", "examples/brookfield-day-surgery.json", "--fail-on", "insufficient_evidence", "--format", "json"]
    ) in (0, 1)
    assert main(["evaluate", LARGE, "--format", "json"]) == 0  # the default stays 0 whatever the findings


def test_check_given_a_facts_file_says_so(capsys):
    assert main(["check", LARGE]) == 2
    assert "looks like an organisation's facts" in capsys.readouterr().err


def test_as_of_before_the_facts_date_warns(capsys):
    assert main(["evaluate", LARGE, "--as-of", "2025-01-01", "--format", "json"]) == 0
    assert "warning: --as-of 2025-01-01 is before the date the facts describe" in capsys.readouterr().err


def test_account_and_diff_of_two_organisations_are_refused(tmp_path, capsys):
    assert main(["account", LARGE, "examples/brookfield-day-surgery.json"]) == 2
    assert "of 2" in capsys.readouterr().err
    assert main(["diff", LARGE, "examples/brookfield-day-surgery.json"]) == 2
    assert "one organisation" in capsys.readouterr().err


def test_a_waiver_naming_no_subject_is_an_error_in_check_with_facts(tmp_path, capsys):
    rules = tmp_path / "w.toml"
    rules.write_text(
        '[[waivers]]\nrule = "roles.site-lead"\nsubject = "riversid"\njustification = "j"\napproved_by = "a"\nexpires = 2026-12-31\n'
    )
    assert main(["check", str(rules)]) == 0
    capsys.readouterr()
    assert main(["check", str(rules), "--facts", LARGE]) == 2
    assert "'riversid' is not a subject of rule roles.site-lead" in capsys.readouterr().err
    assert main(["evaluate", LARGE, "--rules", str(rules)]) == 0
    assert "NAMES NO SUBJECT" in capsys.readouterr().out


def test_as_of_is_a_date_written_as_the_facts_write_it(capsys):
    import datetime

    import pytest

    from natssips_rules.cli import _parser

    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    with_as_of = {name for name, sub in commands.items() if any("--as-of" in a.option_strings for a in sub._actions)}
    assert with_as_of == {"evaluate", "evaluate-batch"}
    for name in sorted(with_as_of):
        assert _parser().parse_args([name, LARGE, "--as-of", "2026-01-01"]).as_of == datetime.date(2026, 1, 1)
        for text, said in [
            ("20260101", "expected a date as YYYY-MM-DD, got '20260101'"),
            ("2026-W01-1", "expected a date as YYYY-MM-DD, got '2026-W01-1'"),
            ("2026-1-1", "expected a date as YYYY-MM-DD, got '2026-1-1'"),
            ("2026-02-30", "'2026-02-30' is not a real date"),
        ]:
            with pytest.raises(SystemExit) as done:
                main([name, LARGE, "--as-of", text])
            assert done.value.code == 2, (name, text)
            assert f"argument --as-of: {said}" in capsys.readouterr().err, (name, text)


def test_a_repeated_fail_on_keeps_every_value_not_only_the_last(tmp_path, capsys):
    """Facts with nothing known: no requirement is not met, every one lacks evidence. ``--fail-on`` given twice
    counts both values (before, the last one given silently replaced the first)."""
    facts = tmp_path / "unknown.json"
    facts.write_text(json.dumps(org_data()), encoding="utf-8")
    assert main(["evaluate", str(facts), "--fail-on", "not_met"]) == 0
    assert main(["evaluate", str(facts), "--fail-on", "insufficient_evidence"]) == 1
    assert main(["evaluate", str(facts), "--fail-on", "insufficient_evidence", "--fail-on", "not_met"]) == 1
    assert main(["evaluate", str(facts), "--fail-on", "not_met", "--fail-on", "insufficient_evidence"]) == 1
