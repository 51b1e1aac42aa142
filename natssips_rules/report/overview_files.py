"""Reading reports for the overview from files: report JSON files, folders of them, and ``evaluate-batch`` output.

Each file is read as a stream: a JSON Lines file one line at a time (a line's
size bounded as the batch bounds it), so twelve thousand reports never sit in
memory together. A file is JSON Lines when its first line is a whole JSON
object and more follows; otherwise it is one report (compact or indented). A
line of ``evaluate-batch`` output is ``{"line": n, "report": {...}}`` (used),
or a refused or failed line (no report: said in the overview, never silently
left out); a line may also be a report itself. In a folder, the files ending
in ``.json``, ``.jsonl`` or ``.ndjson`` are read (in name order, sub-folders
included).
"""

import itertools
import json
import pathlib
from collections.abc import Iterable, Iterator
from typing import Any

from natssips_rules._internal.jsonlines import LineTooLong, read_lines
from natssips_rules.errors import ArgumentError, FactsProblem, ReportError
from natssips_rules.facts.load import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES as MAX_LINE_BYTES
from natssips_rules.report.overview import Overview, OverviewBuilder

__all__ = ["overview_of_files", "report_files"]

_SUFFIXES = (".json", ".jsonl", ".ndjson")


def report_files(paths: Iterable[pathlib.Path]) -> Iterator[pathlib.Path]:
    """The files named, and in each folder named the report files it holds (sorted)."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
            if not found:
                raise ArgumentError(f"{path}: the folder holds no report files (.json, .jsonl, .ndjson)", argument="reports")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise ArgumentError(f"{path}: no such file or folder", argument="reports")


def _parse(raw: bytes, where: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ReportError([FactsProblem("", f"not JSON: {exc}")], source=where) from None


def _add_line(builder: OverviewBuilder, data: Any, where: str) -> None:
    if isinstance(data, dict) and "report" in data:
        builder.add_data(data["report"], where)
    elif isinstance(data, dict) and data.get("kind") in ("refused", "failed") and "findings" not in data:
        builder.not_a_report(f"{where} ({data['kind']})")
    else:
        builder.add_data(data, where)


def _read_file(builder: OverviewBuilder, path: pathlib.Path) -> None:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ArgumentError(f"{path}: cannot read the file: {exc.strerror or exc}", argument="reports") from None
    with handle:
        lines = read_lines(handle, MAX_LINE_BYTES)
        first = next(lines, None)
        if first is None:
            raise ReportError([FactsProblem("", "the file is empty")], source=str(path))
        pending: list[bytes | LineTooLong] = [first]
        second = next(lines, None)
        while isinstance(second, bytes) and not second.strip():
            pending.append(second)
            second = next(lines, None)
        whole_line = isinstance(first, bytes) and first.strip().startswith(b"{") and _is_object(first)
        if second is not None and whole_line:  # JSON Lines
            number = 1
            for raw in itertools.chain(pending, [second], lines):
                if isinstance(raw, LineTooLong):
                    raise ReportError(
                        [FactsProblem("", f"the line is {raw.size} bytes, more than a report may be ({MAX_LINE_BYTES})")],
                        source=f"{path} line {number}",
                    )
                if raw.strip():
                    _add_line(builder, _parse(raw, f"{path} line {number}"), f"{path} line {number}")
                number += 1
            return
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise ReportError(
            [FactsProblem("", f"the file is larger than a report may be ({MAX_DOCUMENT_BYTES} bytes)")], source=str(path)
        )
    _add_line(builder, _parse(path.read_bytes(), str(path)), str(path))


def _is_object(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


def overview_of_files(paths: Iterable[pathlib.Path], *, period: str = "date") -> Overview:
    """The overview of the reports in ``paths`` (files and folders; see the module's description), read as a stream.

    Reports are checked for what the overview reads: a damaged one raises
    :class:`~natssips_rules.errors.ReportError` naming the file and line; two
    of one organisation as of one date raise
    :class:`~natssips_rules.errors.ArgumentError` naming both.
    """
    builder = OverviewBuilder(period=period)
    for path in report_files(paths):
        _read_file(builder, path)
    return builder.build()
