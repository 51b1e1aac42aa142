"""Batch evaluation: JSON Lines in, JSON Lines out, in order, streaming, bad lines reported by number."""

import itertools
import json
import pathlib
import pickle

import natssips_rules as nr
from natssips_rules.batch import WINDOW_PER_JOB, BatchStats, evaluate_lines
from natssips_rules.cli import main

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.parent.joinpath("examples").glob("*.json"))


def example_lines() -> list[str]:
    lines = [json.dumps(json.loads(path.read_text())) for path in EXAMPLES]
    return [lines[0], "", '{"id": "broken"}', lines[1]]


def test_each_line_gives_its_report_or_its_problems_in_order():
    stats = BatchStats()
    out = [json.loads(line) for line in evaluate_lines(example_lines(), stats=stats)]
    assert [item["line"] for item in out] == [1, 3, 4]
    assert out[0]["report"] == nr.evaluate(EXAMPLES[0]).to_dict()
    assert out[2]["report"] == nr.evaluate(EXAMPLES[1]).to_dict()
    assert "report" not in out[1] and {p["path"] for p in out[1]["problems"]} >= {"name", "kind", "nation", "as_of"}
    assert (stats.evaluated, stats.refused) == (2, 1)


def test_two_worker_processes_give_the_same_lines():
    rules = nr.load_rules_file("examples/northvale-local-rules.toml").ruleset()
    lines = example_lines() * 3
    assert list(evaluate_lines(lines, rules=rules, jobs=2)) == list(evaluate_lines(lines, rules=rules))


def test_lines_are_streamed_not_read_ahead():
    read = 0
    source = json.dumps(json.loads(EXAMPLES[0].read_text()))

    def endless():
        nonlocal read
        for _ in itertools.count():
            read += 1
            yield source

    first = next(evaluate_lines(endless()))
    assert json.loads(first)["line"] == 1
    assert read <= WINDOW_PER_JOB


def test_a_rule_set_pickles_as_its_data():
    ruleset = nr.compose(
        tailoring=nr.Tailoring(exclusions=[nr.Exclusion(rule_id="roles.trainees", rationale="r", approved_by="a")])
    )
    nr.evaluate(EXAMPLES[0], rules=ruleset)  # compiled, so it carries an engine handle
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy == ruleset and copy.digest == ruleset.digest and copy.tailoring == ruleset.tailoring
    assert nr.evaluate(EXAMPLES[0], rules=copy) == nr.evaluate(EXAMPLES[0], rules=ruleset)


def test_the_command_reports_bad_lines_and_exits_2(tmp_path, capsys):
    source = tmp_path / "orgs.jsonl"
    source.write_text("\n".join(example_lines()) + "\n")
    target = tmp_path / "reports.jsonl"
    assert main(["evaluate-batch", str(source), "--output", str(target), "--jobs", "2"]) == 2
    assert "2 evaluated, 1 refused" in capsys.readouterr().err
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert [item["line"] for item in out] == [1, 3, 4] and "error" in out[1]
    good = tmp_path / "good.jsonl"
    good.write_text(example_lines()[0] + "\n")
    assert main(["evaluate-batch", str(good), "-o", str(tmp_path / "r.jsonl")]) == 0


def test_the_command_refuses_jobs_and_line_timeouts_beyond_their_bounds(tmp_path, capsys):
    from natssips_rules.batch import MAX_JOBS, MAX_LINE_TIMEOUT

    source = tmp_path / "orgs.jsonl"
    source.write_text(example_lines()[0] + "\n")
    target = tmp_path / "reports.jsonl"
    for option, value, said in [
        ("--jobs", str(MAX_JOBS + 1), f"--jobs must be 0 (this process) to {MAX_JOBS}, not {MAX_JOBS + 1}"),
        ("--jobs", "1000", "--jobs must be 0 (this process) to 64, not 1000"),
        ("--jobs", "-1", "--jobs must be 0 (this process) to 64, not -1"),
        ("--line-timeout", "inf", "--line-timeout must be above 0 and at most 86400 seconds (a day), not inf"),
        ("--line-timeout", "nan", "not nan"),
        ("--line-timeout", "1e300", "not 1e+300"),
        ("--line-timeout", str(MAX_LINE_TIMEOUT + 1), "not 86401"),
        ("--line-timeout", "0", "not 0"),
    ]:
        # refused before any worker process is started or any line read
        assert main(["evaluate-batch", str(source), "--output", str(target), option, value]) == 2, (option, value)
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, (option, value, err)
    assert not target.exists()
    from natssips_rules.cli import _parser

    batch = next(a for a in _parser()._actions if a.dest == "command").choices["evaluate-batch"]
    helps = {a.dest: a.help for a in batch._actions}
    assert f"at most {MAX_JOBS}" in helps["jobs"] and f"at most {MAX_LINE_TIMEOUT:.0f}" in helps["line_timeout"]
