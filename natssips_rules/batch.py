"""Batch evaluation: JSON Lines of organisations in, JSON Lines of results out.

Each input line is one organisation's facts (a JSON object). Each output line
is, in input order, either ``{"line": n, "report": {...}}`` or, for a line
that is not valid facts, ``{"line": n, "error": "...", "problems": [{"path":
..., "message": ...}]}``; a bad line never stops the others. Lines are read
and written as a stream, a window at a time, so memory does not grow with the
number of lines. With ``jobs > 1`` the lines are evaluated by that many
worker processes (started fresh, each compiling the rules once).
"""

import json
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from natssips_rules.engine import DEFAULT_ENGINE
from natssips_rules.errors import FactsError
from natssips_rules.evaluation import evaluate
from natssips_rules.facts.load import load_facts
from natssips_rules.rules.model import RuleSet, Waiver

__all__ = ["BatchStats", "evaluate_lines"]

#: Lines handed to the workers at a time, per worker.
WINDOW_PER_JOB = 32


@attrs.define
class BatchStats:
    """Counts of one batch run, updated as lines are done."""

    evaluated: int = 0
    refused: int = 0


@attrs.frozen
class _Job:
    rules: RuleSet | None
    waivers: tuple[Waiver, ...]
    engine: str
    as_of: Any


_WORKER_JOB: _Job | None = None


def _init_worker(job: bytes) -> None:
    global _WORKER_JOB
    _WORKER_JOB = pickle.loads(job)


def _one(job: _Job, number: int, line: str) -> tuple[str, bool]:
    """The output line for one input line, and whether the facts were valid."""
    try:
        report = evaluate(load_facts(line), rules=job.rules, waivers=job.waivers, as_of=job.as_of, engine=job.engine)
    except FactsError as exc:
        problems = [{"path": p.path, "message": p.message} for p in exc.errors]
        return json.dumps({"line": number, "error": str(exc), "problems": problems}, ensure_ascii=False), False
    return json.dumps({"line": number, "report": report.to_dict()}, ensure_ascii=False), True


def _work(item: tuple[int, str]) -> tuple[str, bool]:
    assert _WORKER_JOB is not None
    return _one(_WORKER_JOB, *item)


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def _windows(items: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    window: list[tuple[int, str]] = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


def evaluate_lines(
    lines: Iterable[str],
    *,
    rules: RuleSet | None = None,
    waivers: Iterable[Waiver] = (),
    engine: str = DEFAULT_ENGINE,
    as_of: Any = None,
    jobs: int = 1,
    stats: BatchStats | None = None,
    progress: Callable[[BatchStats], None] | None = None,
) -> Iterator[str]:
    """Evaluate each line (one organisation's facts as JSON) and yield one output line each, in order.

    Blank lines are skipped (but counted, so line numbers match the input).
    ``stats`` (if given) is updated as lines are done and ``progress`` called
    after each window.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    job = _Job(rules=rules, waivers=tuple(waivers), engine=engine, as_of=as_of)
    counts = stats if stats is not None else BatchStats()
    items = _numbered(lines)
    if jobs == 1:
        for window in _windows(items, WINDOW_PER_JOB):
            for number, line in window:
                out, ok = _one(job, number, line)
                counts.evaluated += ok
                counts.refused += not ok
                yield out
            if progress:
                progress(counts)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(pickle.dumps(job),)) as pool:
        for window in _windows(items, WINDOW_PER_JOB * jobs):
            # one window at a time: the pool never reads ahead of what is written
            for out, ok in pool.imap(_work, window, chunksize=max(1, len(window) // (jobs * 4))):
                counts.evaluated += ok
                counts.refused += not ok
                yield out
            if progress:
                progress(counts)
