"""Batch runs survive what national runs meet: a dying worker, a hang, undecodable bytes, lone
surrogates, bare carriage returns, over-long lines, Ctrl-C; one line's trouble costs that line only."""

import io
import json
import os
import pathlib
import resource
import signal
import subprocess
import sys
import time

import pytest

from natssips_rules.batch import MAX_JOBS, MAX_LINE_TIMEOUT, BatchResult, BatchStats, evaluate_lines, read_lines
from natssips_rules.cli import main
from tests.helpers import PoisonEngine, UnstartableEngine, org_data

ROOT = pathlib.Path(__file__).parent.parent.parent


def line(org_id: str, **extra) -> str:
    return json.dumps(org_data(id=org_id, **extra))


def outcomes(results) -> list[tuple[int, str]]:
    return [(r.line, r.kind) for r in results]


# --------------------------------------------------------------------------
# reading lines


def test_lines_split_on_newline_only_and_crlf_is_tolerated():
    data = b'{"a": 1}\r\n{"b":\r 2}\n\n{"c": 3}'
    assert list(read_lines(io.BytesIO(data))) == [b'{"a": 1}', b'{"b":\r 2}', b"", b'{"c": 3}']


def test_a_long_line_is_not_held_in_memory():
    data = b"x" * 1000 + b"\n" + b'{"ok": 1}\n' + b"y" * 5000
    got = list(read_lines(io.BytesIO(data), max_bytes=100))
    assert got[1] == b'{"ok": 1}'
    assert [type(g).__name__ for g in got] == ["LineTooLong", "bytes", "LineTooLong"]
    assert got[0].size == 1000 and got[2].size == 5000


def test_a_bare_carriage_return_does_not_split_a_line():
    text = line("cr1").replace('"name": ', '"name":\r ').encode()
    results = list(evaluate_lines(read_lines(io.BytesIO(text + b"\n" + line("cr2").encode())), results="reports", jobs=0))
    assert outcomes(results) == [(1, "evaluated"), (2, "evaluated")]


def test_an_undecodable_line_is_refused_by_number_and_the_rest_evaluated():
    data = "\n".join(line(f"o{i}") for i in range(7)).encode() + b"\n" + b'{"id": "\xff"}\n' + line("o8").encode()
    results = list(evaluate_lines(read_lines(io.BytesIO(data)), results="reports", jobs=0))
    assert outcomes(results) == [(i, "evaluated") for i in range(1, 8)] + [(8, "refused"), (9, "evaluated")]
    assert "not valid UTF-8" in results[7].error


def test_a_lone_surrogate_is_refused_where_it_enters():
    results = list(evaluate_lines([line("s1", name="bad \ud800 name"), line("s2")], results="reports", jobs=0))
    assert outcomes(results) == [(1, "refused"), (2, "evaluated")]
    assert any(p.path == "name" and "surrogate" in p.message for p in results[0].problems)
    # and every output line can be written
    for text in evaluate_lines([line("s1", name="bad \ud800 name")], jobs=0):
        text.encode("utf-8")


# --------------------------------------------------------------------------
# workers that die or hang


@pytest.mark.parametrize("trouble", ["die", "abort"])
def test_a_worker_that_dies_costs_its_line_only(trouble):
    lines = [line("a1"), line(f"{trouble}-1"), line("a2"), line("a3"), line(f"{trouble}-2"), line("a4")]
    stats = BatchStats()
    results = list(evaluate_lines(lines, engine=PoisonEngine(), jobs=2, results="reports", stats=stats))
    assert [r.line for r in results] == [1, 2, 3, 4, 5, 6]
    kinds = {r.line: r.kind for r in results}
    assert kinds == {1: "evaluated", 2: "failed", 3: "evaluated", 4: "evaluated", 5: "failed", 6: "evaluated"}
    expected = "signal 9, SIGKILL" if trouble == "die" else "signal 6, SIGABRT"
    assert results[1].error == f"the evaluation process ended abnormally ({expected})"
    assert (stats.evaluated, stats.refused, stats.failed) == (4, 0, 2)


def test_workers_that_cannot_start_fail_every_line_and_the_run_ends():
    started = time.monotonic()
    results = list(evaluate_lines([line("u1"), line("u2"), line("u3")], engine=UnstartableEngine(), jobs=2, results="reports"))
    assert outcomes(results) == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert all("exit status 3" in r.error for r in results)
    assert time.monotonic() - started < 120


@pytest.mark.slow
def test_a_hang_becomes_a_failed_line():
    started = time.monotonic()
    results = list(
        evaluate_lines([line("b1"), line("hang"), line("b2")], engine=PoisonEngine(), jobs=1, line_timeout=3, results="reports")
    )
    assert outcomes(results) == [(1, "evaluated"), (2, "failed"), (3, "evaluated")]
    assert "longer than the time limit (3 s)" in results[1].error
    assert time.monotonic() - started < 60


def test_a_killed_worker_in_the_command_is_reported_and_the_run_goes_on(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([line("c1"), line("die"), line("c2")]) + "\n")
    target = tmp_path / "out.jsonl"
    from natssips_rules import cli

    original = cli._cmd_batch

    def with_poison(args):
        args.engine = PoisonEngine()
        return original(args)

    cli._COMMANDS["evaluate-batch"] = with_poison
    try:
        assert main(["evaluate-batch", str(source), "--output", str(target), "--jobs", "2"]) == 1
    finally:
        cli._COMMANDS["evaluate-batch"] = original
    err = capsys.readouterr().err
    assert "2 evaluated, 0 refused, 1 failed, of 3 lines" in err
    out = [json.loads(x) for x in target.read_text().splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3] and out[1]["kind"] == "failed" and "signal 9" in out[1]["error"]


# --------------------------------------------------------------------------
# a national run's worth of damage


def damaged_batch(path: pathlib.Path, n: int) -> dict[str, list[int]]:
    """``n`` lines, 1% damaged, of every kind; returns the line numbers of each kind of damage."""
    kinds = {"bad_utf8": [], "surrogate": [], "bare_cr_in_string": [], "not_json": [], "bad_facts": [], "too_deep": []}
    with path.open("wb") as out:
        for number in range(1, n + 1):
            damage = list(kinds)[number // 100 % len(kinds)] if number % 100 == 50 else None
            if damage == "bad_utf8":
                data = line(f"o{number}").encode().replace(b"Test", b"T\xffst")
            elif damage == "surrogate":
                data = line(f"o{number}", name="\ud800").encode("utf-8", "surrogatepass")
            elif damage == "bare_cr_in_string":
                data = line(f"o{number}").replace("Test Trust", "Test\rTrust").encode()
            elif damage == "not_json":
                data = line(f"o{number}")[:-5].encode()
            elif damage == "bad_facts":
                data = line(f"o{number}", beds=-1, kind="hospital").encode()
            elif damage == "too_deep":
                data = ("[" * 100_000 + "]" * 100_000).encode()
            else:
                data = line(f"o{number}", beds=number % 900).encode()
            if damage:
                kinds[damage].append(number)
            out.write(data + (b"\r\n" if number % 7 == 0 else b"\n"))
    return kinds


def run_batch(source: pathlib.Path, target: pathlib.Path, *extra: str) -> tuple[subprocess.CompletedProcess, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "natssips_rules.cli", "evaluate-batch", str(source), "--output", str(target), *extra],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
    )
    return done, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


@pytest.mark.slow
def test_ten_thousand_lines_with_one_percent_damaged(tmp_path):
    source = tmp_path / "national.jsonl"
    damage = damaged_batch(source, 10_000)
    bad = {number for numbers in damage.values() for number in numbers}
    assert len(bad) == 100
    target = tmp_path / "out.jsonl"
    done, _ = run_batch(source, target, "--jobs", "2")
    print("\n" + done.stderr.strip(), f"(exit {done.returncode})")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == "natssips-rules: 9900 evaluated, 100 refused, 0 failed, of 10000 lines"
    out = [json.loads(x) for x in target.read_text().splitlines()]
    assert [o["line"] for o in out] == list(range(1, 10_001))
    refused = {o["line"] for o in out if o.get("kind") == "refused"}
    assert refused == bad
    assert all("report" in o for o in out if o["line"] not in bad)


@pytest.mark.slow
def test_memory_stays_flat_as_the_batch_grows(tmp_path):
    sizes = {}
    for n in (500, 5_000):
        source = tmp_path / f"in{n}.jsonl"
        damaged_batch(source, n)
        # each size in its own process tree, so the high-water marks do not mix
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import resource, subprocess, sys;"
                    f"subprocess.run([sys.executable, '-m', 'natssips_rules.cli', 'evaluate-batch', {str(source)!r}, '--output', {str(tmp_path / 'o.jsonl')!r}, '--jobs', '0'], capture_output=True);"
                    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
                ),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
        sizes[n] = int(probe.stdout.strip())
    print(f"\nmaximum resident memory: {sizes[500] // 1024} MB at 500 lines, {sizes[5_000] // 1024} MB at 5,000 lines")
    assert sizes[5_000] < sizes[500] * 1.25


@pytest.mark.slow
def test_ctrl_c_ends_the_run_cleanly(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(line(f"o{i}") for i in range(20_000)) + "\n")
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "natssips_rules.cli", "evaluate-batch", str(source), "--output", str(target), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    time.sleep(6)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("natssips-rules: interrupted after ")
    out = target.read_text().splitlines()
    assert out, "the lines done before Ctrl-C are kept"
    assert [json.loads(x)["line"] for x in out] == list(range(1, len(out) + 1))


class _StopAt:
    """A file standing in for the output's temporary file: the stop arrives at its ``at``-th write, ``before`` or
    ``after`` the bytes reach it (the moments a signal can fall at, made certain rather than left to timing)."""

    def __init__(self, real, at: int, when: str):
        self.real, self.at, self.when, self.writes = real, at, when, 0

    def write(self, data):
        self.writes += 1
        if self.writes == self.at and self.when == "before":
            raise KeyboardInterrupt
        written = self.real.write(data)
        if self.writes == self.at and self.when == "after":
            raise KeyboardInterrupt
        return written

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("at", [1, 2, 5])
def test_the_count_a_stopped_run_reports_is_of_the_lines_the_output_holds(tmp_path, capsys, monkeypatch, at, when):
    """A stop that cuts a line (the bytes written but the line not yet counted as whole) drops the line and its count:
    the summary never counts a line the output does not hold, nor holds one it does not count."""
    import tempfile

    real = tempfile.NamedTemporaryFile
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", lambda *a, **k: _StopAt(real(*a, **k), at, when))
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([line("o1"), "[1]", line("o3"), line("o4"), "{", line("o6"), line("o7")]) + "\n")
    target = tmp_path / "out.jsonl"
    assert main(["evaluate-batch", str(source), "--output", str(target), "--jobs", "0"]) == 130
    out = [json.loads(x) for x in target.read_text().splitlines()]
    assert [x["line"] for x in out] == list(range(1, at))
    evaluated = sum("report" in x for x in out)
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"interrupted after {evaluated} evaluated, {len(out) - evaluated} refused, 0 failed, of {len(out)} lines" in last
    assert sorted(f.name for f in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.parametrize("to", ["the process", "its process group"])
def test_sigterm_ends_the_run_as_ctrl_c_does(tmp_path, to):
    """What `timeout` or a scheduler sends (to the process, or to its whole group, workers included): the lines done are
    kept whole and in order, the run says how many, no worker prints a traceback, and no temporary file is left."""
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(line(f"o{i}") for i in range(20_000)) + "\n")
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "natssips_rules.cli", "evaluate-batch", str(source), "--output", str(target), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # until lines are being written (a loaded machine may take a while to start)
        partial = [f for f in tmp_path.iterdir() if f.name.startswith(".out.jsonl.")]
        if partial and partial[0].stat().st_size > 100_000:
            break
        time.sleep(0.1)
    if to == "the process":
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("natssips-rules: stopped by SIGTERM after "), last
    assert sorted(f.name for f in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no temporary file left
    out = target.read_text().splitlines()
    assert out, "the lines done before SIGTERM are kept"
    assert [json.loads(x)["line"] for x in out] == list(range(1, len(out) + 1))  # each whole, a prefix, in order
    assert f"after {len(out)} evaluated, 0 refused, 0 failed, of {len(out)} lines" in last


def test_evaluate_lines_checks_its_arguments_when_called():
    from natssips_rules import ArgumentError

    for kwargs in (
        {"jobs": -1},
        {"jobs": "2"},
        {"line_timeout": 0},
        {"results": "xml"},
        {"engine": "nope"},
        {"rules": []},
        {"waivers": [1]},
    ):
        with pytest.raises(ArgumentError):
            evaluate_lines([], **kwargs)
    with pytest.raises(ArgumentError):
        evaluate_lines("not a list of lines")


@pytest.mark.parametrize(
    "timeout", [float("inf"), 1e300, float("nan"), MAX_LINE_TIMEOUT + 1, pytest.param(10**400, id="10**400"), -1, 0.0]
)
def test_a_line_timeout_beyond_the_bounds_is_refused_when_called(timeout):
    from natssips_rules import ArgumentError

    with pytest.raises(ArgumentError) as refused:
        evaluate_lines([line("t1")], line_timeout=timeout)
    assert refused.value.argument == "line_timeout"
    assert "above 0 and at most 86,400 (a day)" in str(refused.value)


@pytest.mark.parametrize("jobs", [MAX_JOBS + 1, 1000, pytest.param(10**400, id="10**400")])
def test_more_worker_processes_than_the_maximum_are_refused_when_called(jobs):
    from natssips_rules import ArgumentError

    with pytest.raises(ArgumentError) as refused:
        evaluate_lines([line("j1")], jobs=jobs)  # refused before any process is started
    assert refused.value.argument == "jobs" and f"0 (this process) to {MAX_JOBS} worker processes" in str(refused.value)


def test_the_largest_bounds_are_accepted():
    results = list(evaluate_lines([line("t1")], jobs=1, line_timeout=MAX_LINE_TIMEOUT, results="reports"))
    assert outcomes(results) == [(1, "evaluated")]
    evaluate_lines([], jobs=MAX_JOBS).close()  # accepted when called; no process started, as nothing is read


# --------------------------------------------------------------------------
# a line is JSON text, never a file's path


@pytest.mark.parametrize("jobs", [0, 1])
def test_a_line_is_never_read_as_a_file_path(jobs, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(line("on-disc"))
    example = ROOT / "examples" / "brookfield-day-surgery.json"
    paths = [str(example), "examples/brookfield-day-surgery.json", str(facts), str(tmp_path / "facts.xlsx"), "/etc/hostname"]
    results = list(evaluate_lines([*paths, line("p1")], jobs=jobs, results="reports"))
    assert outcomes(results) == [(i, "refused") for i in range(1, len(paths) + 1)] + [(len(paths) + 1, "evaluated")]
    for result in results[:-1]:
        assert result.report is None
        assert [(p.path, p.message.split(":")[0]) for p in result.problems] == [("", "not valid JSON")], result.error
        assert "file" not in result.error


@pytest.mark.parametrize("jobs", [0, 1])
def test_json_that_is_not_an_object_is_refused(jobs):
    named = json.dumps("examples/brookfield-day-surgery.json")  # a JSON string holding a path is text, not a file
    expected = {
        "null": "null",
        '"x"': "text 'x'",
        "1": "the number 1",
        "[]": "a list",
        "true": "true",
        named: "text 'examples/brookfield-day-surgery.json'",
    }
    results = list(evaluate_lines(list(expected), jobs=jobs, results="reports"))
    assert outcomes(results) == [(i, "refused") for i in range(1, len(expected) + 1)]
    for result, what in zip(results, expected.values(), strict=True):
        assert result.report is None
        assert [(p.path, p.message) for p in result.problems] == [("", f"the facts must be a JSON object, not {what}")]


def test_a_line_naming_a_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    source = tmp_path / "in.jsonl"
    source.write_text(f"{fifo}\n{line('f1')}\n")
    target = tmp_path / "out.jsonl"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "natssips_rules.cli", "evaluate-batch", str(source), "--output", str(target), "--jobs", "0"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a line naming a FIFO was opened as a file, and the run blocked")
    assert done.returncode == 2, done.stderr
    out = [json.loads(x) for x in target.read_text().splitlines()]
    assert [(o["line"], o.get("kind", "evaluated")) for o in out] == [(1, "refused"), (2, "evaluated")]
    assert "not valid JSON" in out[0]["error"]


def test_reports_can_be_had_as_objects():
    results = list(evaluate_lines([line("r1"), "{", line("r2")], results="reports", jobs=0))
    assert all(isinstance(r, BatchResult) for r in results)
    assert results[0].report is not None and results[0].report.organisation.id == "r1"
    assert results[1].kind == "refused" and results[1].report is None


def test_every_output_file_gets_the_permissions_a_new_file_would(tmp_path):
    """Outputs are written to a temporary file (created 0600) and renamed into place: the batch's and a report's alike."""
    source = tmp_path / "in.jsonl"
    source.write_text(line("m1") + "\n")
    mask = os.umask(0o022)
    try:
        assert main(["evaluate-batch", str(source), "--output", str(tmp_path / "out.jsonl"), "--jobs", "0"]) == 0
        assert main(["evaluate", "examples/brookfield-day-surgery.json", "--output", str(tmp_path / "report.txt")]) == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "report.txt").stat().st_mode & 0o777 == 0o644
