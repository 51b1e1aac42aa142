"""The command line: readable reports, JSON, and exit 2 with messages (no traceback) on bad input."""

import json
import subprocess
import sys

from natssips_rules.cli import main

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
