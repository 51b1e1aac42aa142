"""Batch evaluation: JSON Lines of organisations in, JSON Lines of results out.

Each input line is one organisation's facts: a JSON object, read as JSON text
only (a line is never taken for a file's path or a workbook). Each output line
is, in input order, one of:

- ``{"line": n, "report": {...}}``: the line was evaluated;
- ``{"line": n, "kind": "refused", "error": "...", "problems": [{"path": ..., "message": ...}]}``:
  the line is not valid facts (not UTF-8, not JSON, JSON but not an object,
  too long, or facts with problems), said with every problem and its path;
- ``{"line": n, "kind": "failed", "error": "..."}``: the evaluation did not
  finish: its worker process ended abnormally (a signal, an abort in an
  engine), it took longer than the time limit, or the library failed. A
  failure is never a verdict on the organisation.

One line's trouble, of any kind, costs only that line: each line is evaluated
in a worker process, a worker that dies or overruns is replaced, and the run
goes on. Lines are read and written as a stream, a window at a time, so memory
does not grow with the number of lines; a line's size is bounded while it is
read. With ``jobs=0`` the lines are evaluated in the calling process (no
isolation and no time limit: for small trusted inputs). At most
:data:`MAX_JOBS` worker processes are started, and a line's time limit is at
most :data:`MAX_LINE_TIMEOUT` seconds.
"""

import json
import multiprocessing
import multiprocessing.connection
import pickle
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Literal

import attrs

from natssips_rules._internal import arguments as _args, jsonlines as _jsonlines
from natssips_rules._internal.jsonlines import LineTooLong
from natssips_rules._internal.structuring import shown
from natssips_rules.engine import DEFAULT_ENGINE, ENGINES, Engine, get_engine
from natssips_rules.errors import ArgumentError, FactsError, FactsProblem, NatssipsRulesError
from natssips_rules.evaluation import evaluate, ruleset_of
from natssips_rules.facts.load import MAX_DOCUMENT_BYTES, facts_from_text
from natssips_rules.report.model import Report
from natssips_rules.rules.model import RuleSet, Waiver

__all__ = [
    "DEFAULT_LINE_TIMEOUT",
    "MAX_JOBS",
    "MAX_LINE_BYTES",
    "MAX_LINE_TIMEOUT",
    "BatchResult",
    "BatchStats",
    "LineTooLong",
    "evaluate_lines",
    "read_lines",
]

#: Lines in flight at a time, per worker.
WINDOW_PER_JOB = 32
#: The longest line read (bytes); a longer one is refused without being held in memory.
MAX_LINE_BYTES = MAX_DOCUMENT_BYTES
#: Seconds one line may take before its evaluation is stopped and the line reported as failed.
DEFAULT_LINE_TIMEOUT = 60.0
#: The longest time limit a line may be given (seconds): a day.
MAX_LINE_TIMEOUT = 86_400.0
#: The most worker processes one run starts (a fixed number, the same on every machine).
MAX_JOBS = 64


@attrs.define
class BatchStats:
    """Counts of one batch run, updated as lines are done: evaluated, refused (bad input), failed (did not finish)."""

    evaluated: int = 0
    refused: int = 0
    failed: int = 0

    @property
    def lines(self) -> int:
        return self.evaluated + self.refused + self.failed

    def count(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)


@attrs.frozen(kw_only=True)
class BatchResult:
    """The outcome of one input line: ``kind`` is ``evaluated`` (with its report), ``refused`` or ``failed``."""

    line: int
    kind: Literal["evaluated", "refused", "failed"]
    report: Report | None = None
    error: str | None = None
    problems: tuple[FactsProblem, ...] = ()
    #: The report as the worker wrote it (JSON text), when Report objects were not asked for.
    report_json: str | None = attrs.field(default=None, repr=False)

    def to_json(self) -> str:
        """The output line of JSON Lines."""
        if self.report_json is not None:
            return f'{{"line": {self.line}, "report": {self.report_json}}}'
        if self.report is not None:
            return json.dumps({"line": self.line, "report": self.report.to_dict()}, ensure_ascii=False)
        data: dict[str, Any] = {"line": self.line, "kind": self.kind, "error": self.error}
        if self.kind == "refused":
            data["problems"] = [{"path": p.path, "message": p.message} for p in self.problems]
        return json.dumps(data, ensure_ascii=False)


def read_lines(stream: IO[bytes], max_bytes: int = MAX_LINE_BYTES) -> Iterator[bytes | LineTooLong]:
    """The lines of a binary stream, split on ``\\n`` only (JSON Lines; a ``\\r`` before it is dropped), each at most
    ``max_bytes`` (a longer one is replaced by a marker with its size, and reading goes on at the next line)."""
    return _jsonlines.read_lines(stream, max_bytes)


@attrs.frozen
class _Job:
    rules: RuleSet
    waivers: tuple[Waiver, ...]
    engine: "str | Engine"
    as_of: Any
    reports: bool  # send Report objects back (else their JSON)


def _refused(number: int, message: str, problems: tuple[FactsProblem, ...] | None = None) -> BatchResult:
    return BatchResult(line=number, kind="refused", error=message, problems=problems or (FactsProblem("", message),))


def _text(number: int, line: "str | bytes | LineTooLong") -> "str | BatchResult":
    """The line as text, or its refusal (too long, not UTF-8)."""
    if isinstance(line, LineTooLong):
        return _refused(number, f"the line is {line.size:,} bytes long; the limit is {MAX_LINE_BYTES:,}")
    if isinstance(line, (bytes, bytearray)):
        try:
            return bytes(line).decode("utf-8")
        except UnicodeDecodeError as exc:
            return _refused(number, f"the line is not valid UTF-8 text ({exc.reason} at byte {exc.start + 1})")
    if isinstance(line, str):
        if len(line) > MAX_LINE_BYTES:
            return _refused(number, f"the line is longer than {MAX_LINE_BYTES:,} characters")
        return line
    return _refused(number, f"a line must be text or bytes, not {type(line).__name__}")


def _evaluate_one(job: _Job, number: int, text: str) -> tuple[str, Any]:
    """("evaluated", report or its JSON) | ("refused", (message, problems)) | ("failed", message)."""
    try:
        # the line is JSON text only: never read as a file's path or a workbook
        report = evaluate(facts_from_text(text), rules=job.rules, waivers=job.waivers, as_of=job.as_of, engine=job.engine)
    except FactsError as exc:
        return "refused", (str(exc), tuple(exc.problems))
    except NatssipsRulesError as exc:
        return "failed", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a defect: reported on its line, never the end of the run
        return "failed", f"the library failed ({type(exc).__name__}: {exc})"
    return "evaluated", report if job.reports else report.to_json(indent=None)


def _result(number: int, kind: str, payload: Any) -> BatchResult:
    if kind == "evaluated":
        if isinstance(payload, Report):
            return BatchResult(line=number, kind="evaluated", report=payload)
        return BatchResult(line=number, kind="evaluated", report_json=payload)
    if kind == "refused":
        message, problems = payload
        return BatchResult(line=number, kind="refused", error=message, problems=problems)
    return BatchResult(line=number, kind="failed", error=payload)


# --------------------------------------------------------------------------
# workers


def _worker_main(conn: multiprocessing.connection.Connection, job_bytes: bytes) -> None:
    """A worker: evaluate each (number, text) received and send the outcome back, until told to stop."""
    # Ctrl-C (which a terminal sends to the whole process group) is the parent's to handle: it keeps the lines done and
    # stops its workers itself. SIGTERM keeps its default, so that a worker left without its parent can still be ended;
    # it ends the process without a word.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    job: _Job = pickle.loads(job_bytes)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent is gone: end quietly
            return
        if item is None:
            return
        number, text = item
        kind, payload = _evaluate_one(job, number, text)
        try:
            conn.send((number, kind, payload))
        except OSError:  # the parent is gone (a closed pipe): end quietly, without a traceback
            return


class _Worker:
    def __init__(self, context: Any, job_bytes: bytes) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, job_bytes), daemon=True)
        self.process.start()
        child.close()
        self.line: int | None = None
        self.started = 0.0
        #: how many lines it has answered
        self.answers = 0

    def give(self, number: int, text: str) -> None:
        self.line, self.started = number, time.monotonic()
        self.conn.send((number, text))

    def stop(self, *, now: bool = False) -> None:
        if not now:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5.0)
        self.conn.close()


def _ended(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "an unknown signal"
        return f"the evaluation process ended abnormally (signal {-code}, {name})"
    return f"the evaluation process ended abnormally (exit status {code})"


def _pooled(
    job: _Job, items: Iterator[tuple[int, "str | bytes | LineTooLong"]], jobs: int, timeout: float
) -> Iterator[BatchResult]:
    """Evaluate in ``jobs`` worker processes; results in input order."""
    context = multiprocessing.get_context("spawn")
    job_bytes = pickle.dumps(job)
    workers = [_Worker(context, job_bytes) for _ in range(jobs)]
    window = WINDOW_PER_JOB * jobs
    queue: list[tuple[int, str]] = []  # read, decoded, waiting for a worker
    done: dict[int, BatchResult] = {}
    order: list[int] = []  # line numbers in input order, not yet yielded
    exhausted = False
    try:
        while True:
            # read ahead up to the window
            while not exhausted and len(order) < window:
                try:
                    number, line = next(items)
                except StopIteration:
                    exhausted = True
                    break
                order.append(number)
                text = _text(number, line)
                if isinstance(text, BatchResult):
                    done[number] = text
                else:
                    queue.append((number, text))
            for index, worker in enumerate(workers):
                if worker.line is None and queue:
                    number, text = queue.pop(0)
                    try:
                        worker.give(number, text)
                    except OSError:  # it ended while idle, before this line began
                        worker.process.join(5.0)
                        if worker.answers:  # it had worked: another worker takes the line
                            queue.insert(0, (number, text))
                        else:  # a worker that cannot even start: the line fails, saying why (so the run always ends)
                            done[number] = BatchResult(line=number, kind="failed", error=_ended(worker.process))
                        worker.stop(now=True)
                        workers[index] = _Worker(context, job_bytes)
            while order and order[0] in done:
                yield done.pop(order.pop(0))
            busy = [w for w in workers if w.line is not None]
            if not busy:
                if exhausted and not order:
                    return
                continue
            now = time.monotonic()
            wait = max(0.0, min(w.started + timeout for w in busy) - now)
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait)
            for index, worker in enumerate(workers):
                if worker.line is None:
                    continue
                number = worker.line
                failure: str | None = None
                if worker.conn in ready:
                    try:
                        got, kind, payload = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join(5.0)
                        failure = _ended(worker.process)
                    else:
                        done[got] = _result(got, kind, payload)
                        worker.line = None
                        worker.answers += 1
                        continue
                elif worker.process.sentinel in ready:
                    worker.process.join(5.0)
                    failure = _ended(worker.process)
                elif time.monotonic() - worker.started >= timeout:
                    failure = f"the evaluation took longer than the time limit ({timeout:g} s) and was stopped"
                if failure is not None:
                    done[number] = BatchResult(line=number, kind="failed", error=failure)
                    worker.stop(now=True)
                    workers[index] = _Worker(context, job_bytes)
    finally:
        for worker in workers:
            worker.stop(now=not exhausted)


def _in_process(job: _Job, items: Iterator[tuple[int, "str | bytes | LineTooLong"]]) -> Iterator[BatchResult]:
    for number, line in items:
        text = _text(number, line)
        if isinstance(text, BatchResult):
            yield text
            continue
        kind, payload = _evaluate_one(job, number, text)
        yield _result(number, kind, payload)


def _numbered(lines: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(lines, start=1):
        if isinstance(line, LineTooLong) or (line.strip() if isinstance(line, (str, bytes, bytearray)) else True):
            yield number, line


def evaluate_lines(
    lines: Iterable[str | bytes | LineTooLong],
    *,
    rules: RuleSet | None = None,
    waivers: Iterable[Waiver] = (),
    engine: "str | Engine" = DEFAULT_ENGINE,
    as_of: Any = None,
    jobs: int = 1,
    line_timeout: float = DEFAULT_LINE_TIMEOUT,
    results: Literal["json", "reports"] = "json",
    stats: BatchStats | None = None,
    progress: Callable[[BatchStats], None] | None = None,
) -> Iterator[Any]:
    """Evaluate each line (one organisation's facts as JSON) and yield one result a line, in order.

    ``lines`` are text or bytes (bytes are decoded per line: an undecodable
    line is refused by its number; :func:`read_lines` reads a binary file
    with each line's size bounded). Blank lines are skipped but counted, so
    numbers match the input. ``results="json"`` yields output lines (see the
    module's docstring); ``results="reports"`` yields :class:`BatchResult`
    objects carrying :class:`Report` objects. ``jobs`` worker processes
    evaluate the lines (``0``: this process, without isolation or time limit;
    at most :data:`MAX_JOBS`); a line taking longer than ``line_timeout``
    seconds (above 0, at most :data:`MAX_LINE_TIMEOUT`) is stopped and
    reported failed. Each line is parsed as JSON text only, never read as a
    file's path; a line that is not a JSON object is refused. ``stats`` (if
    given) is updated as lines are done and ``progress`` called after each
    result. Arguments are checked when called.
    """
    if isinstance(lines, (str, bytes)) or not isinstance(lines, Iterable):
        raise ArgumentError(f"expected an iterable of lines, not {type(lines).__name__}", argument="lines")
    ruleset = ruleset_of(rules)
    given_waivers = _args.items(waivers, Waiver, "waivers")
    if isinstance(engine, str):
        _args.choice(engine, ENGINES, "engine")
        get_engine(engine)  # an engine whose extra is not installed is refused here, not once a line
    else:
        _args.instance(engine, Engine, "engine")
    _args.instance(jobs, int, "jobs")
    if not 0 <= jobs <= MAX_JOBS:
        raise ArgumentError(f"expected 0 (this process) to {MAX_JOBS} worker processes, not {shown(jobs)}", argument="jobs")
    _args.instance(line_timeout, (int, float), "line_timeout")
    if not 0 < line_timeout <= MAX_LINE_TIMEOUT:  # also refuses infinity and NaN
        raise ArgumentError(
            f"expected a number of seconds above 0 and at most {MAX_LINE_TIMEOUT:,.0f} (a day), not {shown(line_timeout)}",
            argument="line_timeout",
        )
    _args.choice(results, ("json", "reports"), "results")
    _args.instance(stats, (BatchStats, type(None)), "stats")
    if progress is not None and not callable(progress):
        raise ArgumentError(f"expected a function, not {type(progress).__name__}", argument="progress")
    job = _Job(rules=ruleset, waivers=given_waivers, engine=engine, as_of=as_of, reports=results == "reports")
    counts = stats if stats is not None else BatchStats()
    return _run(job, iter(_numbered(lines)), jobs, float(line_timeout), results, counts, progress)


def _run(
    job: _Job,
    items: Iterator[tuple[int, Any]],
    jobs: int,
    timeout: float,
    results: str,
    counts: BatchStats,
    progress: Callable[[BatchStats], None] | None,
) -> Iterator[Any]:
    source = _in_process(job, items) if jobs == 0 else _pooled(job, items, jobs, timeout)
    for result in source:
        counts.count(result.kind)
        yield result if results == "reports" else result.to_json()
        if progress:
            progress(counts)
