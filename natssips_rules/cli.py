"""The ``natssips-rules`` command: a thin layer over the public API.

Exit codes: 0 the command did its job (whatever the findings say, unless
``--fail-on`` asks otherwise); 1 ``--fail-on`` found findings of that status,
or a batch line's evaluation did not finish, or ``--prove`` found a problem in
the rules; 2 the input (facts, rules file, report, options, a batch line) is
not valid, or is beyond what the chosen engine can run, with every problem and
where it is, or ``--engine durable`` without the ``durable`` extra installed;
3 an internal failure (an engine or the analysis failed: a defect, never a
verdict or a finding); 130 interrupted (Ctrl-C; ``--prove`` then prints no
claim); 143 stopped by SIGTERM (what ``timeout``, ``kill`` and job schedulers
send), handled as Ctrl-C is: an output file is written whole or not at all,
and ``evaluate-batch --output`` keeps the lines finished so far. Every error
of the library is caught as one family (``NatssipsRulesError``): no user
error ends in a traceback.
"""

import argparse
import datetime
import json
import os
import pathlib
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from natssips_rules._version import __version__
from natssips_rules.engine import DEFAULT_ENGINE, ENGINES
from natssips_rules.errors import (
    AnalysisError,
    EngineError,
    EngineUnavailableError,
    FactsError,
    FactsProblem,
    NatssipsRulesError,
    ReportError,
    RulesFileError,
    WorkbookWarning,
)
from natssips_rules.facts.load import parse_json_text
from natssips_rules.report.model import Report
from natssips_rules.report.wording import plain_text, value_text
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import Level, RuleSet
from natssips_rules.rules.plugins import ENTRY_POINT_GROUP

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class _Terminated(BaseException):
    """SIGTERM was received: raised where the command is, so it ends as after Ctrl-C (outputs whole, or not at all)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the cleaning up short
    raise _Terminated


class _Usage(NatssipsRulesError):
    """A problem with how the command was called (a path that cannot be written, reports of two organisations)."""


def _date(text: str) -> datetime.date:
    """A date given as YYYY-MM-DD, checked as the facts' dates are (``20260101`` and ``2026-W01-1`` are refused)."""
    from natssips_rules._internal.validators import Refused, date

    try:
        found: datetime.date = date(text)
    except Refused as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return found


def _rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules",
        type=pathlib.Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a rules file of local rules, tailoring and waivers (.toml or .json); may be repeated",
    )
    parser.add_argument(
        "--plugins",
        action="store_true",
        help=f"also load rules from installed packages (entry point group {ENTRY_POINT_GROUP!r})",
    )


def _engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help=f"the engine that decides the statuses (default: {DEFAULT_ENGINE})",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="natssips-rules",
        description="Check an organisation's facts against the organisational standards of NatSSIPs 2.",
    )
    parser.add_argument("--version", action="version", version=f"natssips-rules {__version__}", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _evaluate_parser(commands)
    _reading_parsers(commands)
    _rules_parsers(commands)
    return parser


def _evaluate_parser(commands: Any) -> None:
    """The ``evaluate`` command's options."""
    ev = commands.add_parser("evaluate", help="evaluate one organisation's facts (JSON, or a workbook) and print the findings")
    ev.add_argument(
        "file", type=pathlib.Path, help="the organisation's facts: a JSON file, or an .xlsx workbook made from the template"
    )
    ev.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="the report as text, JSON, the Board assurance report in Markdown, HTML or PDF (pdf: the pdf extra), or a "
        "workbook (xlsx) (default: from the --output file's extension, else text)",
    )
    ev.add_argument(
        "--output",
        "-o",
        type=pathlib.Path,
        help="write the report to this file (replaced only once it is complete); its extension (.txt .json .md .html .pdf "
        ".xlsx) sets the format, and one that contradicts --format is refused",
    )
    ev.add_argument(
        "--previous",
        action="append",
        default=[],
        type=pathlib.Path,
        metavar="REPORT",
        help="an earlier report (JSON) or facts of the organisation, for the Board report's trend; repeat for a series",
    )
    ev.add_argument("--as-of", type=_date, help="judge the facts as at this date (YYYY-MM-DD) instead of their own as_of")
    ev.add_argument(
        "--fail-on",
        choices=("not_met", "insufficient_evidence"),
        action="append",
        help="exit 1 when a requirement is not met (not_met), or not met or without evidence (insufficient_evidence); "
        "may be repeated (every value given counts)",
    )
    ev.add_argument(
        "--all",
        action="store_true",
        dest="all_findings",
        help="text format: list every finding, also those met or not applicable (by default they are counted)",
    )
    _engine_option(ev)
    _rule_options(ev)


def _reading_parsers(commands: Any) -> None:
    """The commands that read facts or reports: ``questions`` and ``evaluate-batch``."""
    qs = commands.add_parser(
        "questions", help="what we still need to know: the questions whose answers would settle findings, most useful first"
    )
    qs.add_argument("file", type=pathlib.Path, help="the organisation's facts, or a saved report (JSON)")
    qs.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    qs.add_argument(
        "--output", "-o", type=pathlib.Path, help="write the questions to this file (replaced only once it is complete)"
    )
    _engine_option(qs)
    _rule_options(qs)
    batch = commands.add_parser(
        "evaluate-batch",
        help="evaluate JSON Lines of organisations (one facts object a line) into JSON Lines of reports",
    )
    batch.add_argument("input", help="the JSON Lines file, or - for standard input")
    batch.add_argument("--output", "-o", default="-", help="where to write the JSON Lines results (default: standard output)")
    batch.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="worker processes (default: 1, at most 64); 0 evaluates in this process, without isolation or time limit",
    )
    batch.add_argument(
        "--line-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop a line's evaluation after this many seconds and report the line as failed (default: 60, at most 86400)",
    )
    batch.add_argument("--as-of", type=_date, help="judge every organisation as at this date")
    _engine_option(batch)
    _rule_options(batch)


def _rules_parsers(commands: Any) -> None:
    """The commands about rules and reports over time: ``check``, ``rules``, ``diff``, ``account``, ``overview``,
    ``schema``, ``template`` and ``catalogue``."""
    check = commands.add_parser("check", help="check a rules file (local rules, tailoring, waivers) and print what it defines")
    check.add_argument("file", type=pathlib.Path, help="the rules file (.toml or .json)")
    check.add_argument(
        "--facts", type=pathlib.Path, help="also check the file's waivers against these facts (each names a subject that exists)"
    )
    _prove_options(check)
    listing = commands.add_parser("rules", help="list the effective rule set: ids, levels, subjects, parameters and sources")
    _rule_options(listing)
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    listing.add_argument(
        "--prove",
        action="store_true",
        help="prove which statuses each rule can give, with witnesses (the prove extra); exit 1 when a problem is found",
    )
    _prove_options(listing, prove_flag=False)
    dif = commands.add_parser("diff", help="what changed between two reports (or facts files) of one organisation")
    dif.add_argument("old", type=pathlib.Path, help="the earlier report (JSON) or facts")
    dif.add_argument("new", type=pathlib.Path, help="the later report (JSON) or facts")
    dif.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    _engine_option(dif)
    _rule_options(dif)
    acc = commands.add_parser(
        "account", help="draft the annual public account (Markdown) from a year of reports (or facts files)"
    )
    acc.add_argument(
        "files", type=pathlib.Path, nargs="+", help="reports (JSON) or facts files of one organisation, in any order"
    )
    acc.add_argument("--output", "-o", type=pathlib.Path, help="write the draft to this file (replaced only once it is complete)")
    _engine_option(acc)
    _rule_options(acc)
    ovw = commands.add_parser(
        "overview", help="an overview across organisations (HTML, Markdown, JSON or a workbook) from many reports"
    )
    ovw.add_argument(
        "reports",
        type=pathlib.Path,
        nargs="*",
        help="report JSON files, folders of them, or the JSON Lines that evaluate-batch writes",
    )
    ovw.add_argument(
        "--format", choices=("html", "markdown", "json", "xlsx"), default="html", help="output format (default: html)"
    )
    ovw.add_argument(
        "--period",
        choices=("date", "month", "quarter", "year"),
        default="date",
        help="group the reports in time by their date (default), month, quarter or year; "
        "an organisation's latest report in each period is used",
    )
    ovw.add_argument("--output", "-o", type=pathlib.Path, help="write to this file (replaced only once it is complete)")
    ovw.add_argument("--schema", action="store_true", help="print the JSON Schema of the overview's JSON instead")
    commands.add_parser("schema", help="print the JSON Schema of the facts (generated from the facts model)")
    tpl = commands.add_parser("template", help="write the facts template workbook (.xlsx) to fill in, blank or from facts")
    tpl.add_argument("output", type=pathlib.Path, help="the workbook to write (.xlsx); replaced only once it is complete")
    tpl.add_argument("--from", dest="facts", type=pathlib.Path, help="fill the template in with these facts (JSON or .xlsx)")
    _rule_options(tpl)  # the Actions sheet's rule column offers these rules' ids
    cat = commands.add_parser("catalogue", help="print the rule catalogue: every passage of the standard and its rules")
    cat.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)")


# --------------------------------------------------------------------------
# Input and output


def _put_in_place(written: str, target: pathlib.Path) -> None:
    """Rename a whole temporary file onto ``target``, with the permissions of the file it replaces or, for a new
    file, what the umask gives (never the temporary file's 0600)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    os.chmod(written, mode)
    os.replace(written, target)


def _write(text: str | bytes, output: pathlib.Path | None) -> None:
    """Write to standard output, or to ``output`` through a temporary file renamed into place only once it is whole."""
    _plugins_unaltered()
    if output is None:
        if isinstance(text, bytes):
            raise _Usage("a workbook cannot be written to the terminal: give the file with --output")
        sys.stdout.write(text)
        return
    target = output.resolve()
    if target.is_dir():
        raise _Usage(f"--output {output}: is a folder; give a file's path")
    if not target.parent.is_dir():
        raise _Usage(f"--output {output}: the folder {target.parent} does not exist")
    if isinstance(text, bytes):
        handle: Any = tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=f".{target.name}.", delete=False)
    else:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(handle.name, target)
    except BaseException:
        pathlib.Path(handle.name).unlink(missing_ok=True)
        raise


#: What this run of the command did that its end must know (reset by :func:`main`).
_RUN: dict[str, bool] = {}


def _plugins_unaltered() -> None:
    """Before any output: where this run loaded plugins, the library must still be as it was before they loaded."""
    if _RUN.get("plugins"):
        from natssips_rules.rules.plugins import verify_library

        verify_library()


#: The formats of ``evaluate``, and the file extensions that name them.
REPORT_FORMATS = ("text", "json", "markdown", "html", "pdf", "xlsx")
_EXTENSIONS = {
    ".txt": "text",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".xlsx": "xlsx",
}


def report_format(asked: str | None, output: pathlib.Path | None) -> str:
    """The format to write: the one asked for, or the one the output file's extension names.

    An extension that names another format than ``asked`` is refused (a workbook
    of plain text); so is an output file with no known extension when no
    format is asked (``-o json`` writes no file called ``json``).
    """
    if output is None:
        return asked or "text"
    named = _EXTENSIONS.get(output.suffix.lower())
    if named is not None and asked is not None and named != asked:
        raise _Usage(
            f"--output {output}: a {output.suffix} file holds {named}, but --format {asked} was asked; "
            f"give a file ending in {_suffix(asked)} or leave --format out"
        )
    if named is None and asked is None:
        hint = f" (did you mean --format {output.name}?)" if output.name.lower() in REPORT_FORMATS else ""
        raise _Usage(
            f"--output {output}: the format cannot be told from the file's name{hint}; end it in "
            f"{', '.join(sorted(set(_EXTENSIONS)))} or give --format"
        )
    return named or asked or "text"


def _suffix(form: str) -> str:
    return next(ext for ext, named in _EXTENSIONS.items() if named == form)


def _effective(args: argparse.Namespace) -> RuleSet:
    """The rule set the options ask for (with its files' waivers)."""
    from natssips_rules.standards import builtin_rules
    from natssips_rules.standards.local import compose_files, load_plugin_rules, load_rules_file

    files = [load_rules_file(path) for path in args.rules]
    extra, extra_sources = load_plugin_rules() if args.plugins else ((), ())
    _RUN["plugins"] = bool(args.plugins)
    if not files and not extra_sources:  # a plugin that gives no rule is still listed: it ran in the host
        return builtin_rules()
    return compose_files(files, extra=extra, extra_sources=extra_sources)


def _report_from(path: pathlib.Path, ruleset: RuleSet, engine: str) -> Report:
    """A report read from ``path``: a saved report as it is (checked), or facts evaluated now."""
    from natssips_rules.evaluation import evaluate
    from natssips_rules.facts.formats import is_workbook_file
    from natssips_rules.facts.load import load_facts

    if path.suffix.lower() == ".xlsx" or is_workbook_file(path):  # a workbook by name or by content (.ods, .xls: refused)
        return evaluate(load_facts(path), rules=ruleset, engine=engine)
    try:
        with path.open("rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise FactsError([FactsProblem("", f"cannot read the file: {exc.strerror or exc}")], source=str(path)) from None
    try:
        data = parse_json_text(raw)
    except NatssipsRulesError as exc:
        raise ReportError([FactsProblem("", str(exc))], source=str(path)) from None
    if isinstance(data, dict) and ("findings" in data or "ruleset_digest" in data):
        return Report.from_dict(data, source=str(path))
    return evaluate(load_facts(path), rules=ruleset, engine=engine)


def _one_organisation(reports: Sequence[Report], what: str) -> None:
    ids = sorted({r.organisation.id for r in reports})
    if len(ids) > 1:
        raise _Usage(f"{what} needs reports of one organisation; these are of {len(ids)}: {', '.join(ids)}")


# --------------------------------------------------------------------------
# The commands


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from natssips_rules.evaluation import evaluate
    from natssips_rules.facts.load import load_facts
    from natssips_rules.report.board import render_html, render_markdown
    from natssips_rules.report.text import render_text

    ruleset = _effective(args)
    org = load_facts(args.file)
    if args.as_of is not None and args.as_of < org.as_of:
        print(
            f"natssips-rules: warning: --as-of {args.as_of.isoformat()} is before the date the facts describe "
            f"({org.as_of.isoformat()}); facts dated after {args.as_of.isoformat()} are not evidence at that date",
            file=sys.stderr,
        )
    form = report_format(args.format, args.output)
    if form in ("xlsx", "pdf") and args.output is None:
        raise _Usage(f"--format {form} writes a {'workbook' if form == 'xlsx' else 'PDF'}: give the file with --output")
    if args.previous and form not in ("markdown", "html", "pdf"):
        raise _Usage(f"--previous gives the Board report's trend: use it with --format markdown, html or pdf, not {form}")
    report = evaluate(org, rules=ruleset, as_of=args.as_of, engine=args.engine)
    previous = [_report_from(path, ruleset, args.engine) for path in args.previous]

    def workbook() -> bytes:
        from natssips_rules.report.xlsx import report_workbook

        return report_workbook(report, facts=org)

    def pdf() -> bytes:
        from natssips_rules.report.pdf import render_pdf

        return render_pdf(report, ruleset, facts=org, previous=previous)

    renderers: dict[str, Callable[[], str | bytes]] = {
        "xlsx": workbook,
        "pdf": pdf,
        "json": lambda: report.to_json(indent=2) + "\n",
        "markdown": lambda: render_markdown(report, ruleset, facts=org, previous=previous),
        "html": lambda: render_html(report, ruleset, facts=org, previous=previous),
        "text": lambda: render_text(report, all_findings=args.all_findings),
    }
    _write(renderers[form](), args.output)
    if args.fail_on:  # every value given counts: a repeated --fail-on never silently keeps only the last
        failing = {Status.NOT_MET} | ({Status.INSUFFICIENT_EVIDENCE} if "insufficient_evidence" in args.fail_on else set())
        if any(f.status in failing and f.level is not Level.MAY for f in report.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def _cmd_questions(args: argparse.Namespace) -> int:
    from natssips_rules.report.questions import questions, questions_json

    report = _report_from(args.file, _effective(args), args.engine)
    if args.format == "json":
        _write(questions_json(report), args.output)
        return EXIT_OK
    asked = questions(report)
    out = [f"What we still need to know: {plain_text(report.organisation.name)}, as of {report.as_of.isoformat()}", ""]
    if not asked:
        out.append("Nothing: every finding rests on evidence supplied.")
    for number, q in enumerate(asked, 1):
        settles = f"would help settle {q.settles} finding{'s' if q.settles != 1 else ''}"
        out.append(f"{number}. {plain_text(q.question)} ({settles})")
        if q.path:
            out.append(f"   answer in the facts at: {plain_text(q.path)}")
    _write("\n".join(out) + "\n", args.output)
    return EXIT_OK


def _looks_like_facts(path: pathlib.Path) -> bool:
    from natssips_rules.rules.files import MAX_RULES_FILE_BYTES

    try:
        if path.suffix.lower() != ".json" or path.stat().st_size > MAX_RULES_FILE_BYTES:
            return False  # too large for a rules file: the loader says so without reading it
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and {"id", "kind", "as_of"} <= set(data)


def _cmd_check(args: argparse.Namespace) -> int:
    from natssips_rules.errors import RulesFileProblem
    from natssips_rules.evaluation import evaluate
    from natssips_rules.standards.local import load_rules_file

    if _looks_like_facts(args.file):
        raise _Usage(
            f"{args.file} looks like an organisation's facts, not a rules file; evaluate it with: natssips-rules evaluate {args.file}"
        )
    rules_file = load_rules_file(args.file)
    if args.facts is not None:
        report = evaluate(args.facts, rules=rules_file.ruleset())
        unmatched = [outcome for outcome in report.waivers if outcome.state == "no_such_subject"]
        if unmatched:
            raise RulesFileError(
                [
                    RulesFileProblem(
                        f"waiver of {o.waiver.rule_id}",
                        "subject",
                        f"{o.waiver.subject!r} is not a subject of rule {o.waiver.rule_id} in {args.facts}",
                    )
                    for o in unmatched
                ],
                source=str(args.file),
            )
        from natssips_rules.report.attention import unmatched as unmatched_entries

        for line in unmatched_entries(report):
            print(f"natssips-rules: warning: {args.facts}: {line}", file=sys.stderr)
    if args.prove:
        return _prove(rules_file.ruleset(), args)
    sys.stdout.write(_describe_file(rules_file))
    return EXIT_OK


def _prove_options(parser: argparse.ArgumentParser, *, prove_flag: bool = True) -> None:
    if prove_flag:
        parser.add_argument(
            "--prove",
            action="store_true",
            help="prove which statuses each rule can give, with witnesses (the prove extra); exit 1 when a problem is found",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text", help="output format of --prove (default: text)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="--prove: stop the analysis after this many seconds and report what was not analysed (default: 60, at most 86400)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=2048,
        metavar="MB",
        help="--prove: the most memory the solver may use, in megabytes (default: 2048)",
    )
    parser.add_argument(
        "--prove-as-of", type=_date, metavar="DATE", help="--prove: analyse for evaluation at this date only (default: any date)"
    )


class _Progress:
    """Progress of a long analysis on standard error: a line every 5 s on a terminal (30 s otherwise), none for a short run."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.last = self.clock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        every = 5.0 if sys.stderr.isatty() else 30.0  # a log file gets fewer lines
        if now - self.last >= every:
            self.last = now
            print(
                f"natssips-rules: analysing {stage}: {done} of {total} ({now - self.started:.0f} s)", file=sys.stderr, flush=True
            )


def _prove(ruleset: RuleSet, args: argparse.Namespace) -> int:
    """The analysis of ``ruleset``: a table of rules by statuses, and what was found.

    Exit 0 when no problem is found (notes and a partial result included), 1 when a problem is found, 2 when
    the prove extra is missing or an option is not valid, 3 when the analysis itself failed (a defect), 130 when
    interrupted (nothing is printed on standard output then).
    """
    from natssips_rules.analysis import AnalysisError, _z3, analyse

    fmt = args.format
    if not (0 < args.timeout <= 86400):
        raise _Usage(f"--timeout must be more than 0 and at most 86400 seconds, not {args.timeout:g}")
    if args.memory < 64:
        raise _Usage(f"--memory must be at least 64 (megabytes), not {args.memory}")
    try:
        _z3()
    except AnalysisError as exc:  # the extra is not installed: a usage problem, not a defect
        print(f"natssips-rules: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        result = analyse(ruleset, timeout=args.timeout, memory_mb=args.memory, as_of=args.prove_as_of, progress=_Progress())
    except KeyboardInterrupt:
        raise
    except NatssipsRulesError as exc:
        if isinstance(exc, AnalysisError):
            print(
                f"natssips-rules: the analysis failed (a defect of the library, not a finding about the rules): {exc}",
                file=sys.stderr,
            )
            return EXIT_INTERNAL
        raise
    except Exception as exc:  # noqa: BLE001 - a defect: said so, with its kind, never taken for a finding
        print(
            f"natssips-rules: the analysis failed (a defect of the library, not a finding about the rules): "
            f"{type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    code = EXIT_FINDINGS if result.has_problems else EXIT_OK
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return code
    sys.stdout.write("\n".join(_prove_lines(result)) + "\n")
    return code


def _prove_lines(result: Any) -> list[str]:
    """The analysis as text: a table of rules by statuses, the bounds, a partial result said so, and the problems."""
    from natssips_rules.analysis import STATUSES

    width = max(len(plain_text(r.rule_id)) for r in result.rules) if result.rules else 10
    heads = [s.label for s in STATUSES]
    bounded = any(r.bound and any(r.never(s) for s in STATUSES) for r in result.rules)
    lines = [
        "Each reachable status has a witness organisation, checked on both engines; 'never' is proven for every "
        "organisation the facts model admits"
        + (" (or within the bound its rule's note states: see below)" if bounded else "")
        + "; 'not decided' claims nothing either way. "
        f"{len(result.rules)} rules, {result.seconds:.1f} s.",
        "",
        f"{'rule':<{width}}  " + "  ".join(h.ljust(11) for h in heads).rstrip(),
    ]
    for r in result.rules:
        name = plain_text(r.rule_id)
        if r.refused is not None:
            lines.append(f"{name:<{width}}  (not analysed: see below)")
            continue
        cells = [
            ("reachable" if r.reachable(s) else "not decided" if s in r.undecided else "never" + ("*" if r.bound else "")).ljust(
                max(len(h), 11)
            )
            for s, h in zip(STATUSES, heads, strict=True)
        ]
        lines.append(f"{name:<{width}}  " + "  ".join(cells).rstrip())
    lines.append("")
    for r in result.rules:
        if r.bound and any(r.never(s) for s in STATUSES):
            lines.append(
                f"* {plain_text(r.rule_id)}: 'never' holds for organisations with {'; '.join(r.bound)}; larger ones not analysed"
            )
    if result.stopped is not None:
        lines.append(f"PARTIAL RESULT: {result.stopped}; not analysed: {'; '.join(result.not_analysed)}.")
        lines.append("Run again with a larger --timeout (or --memory) for a complete analysis.")
    if not result.problems:
        lines.append("No problem found." if result.stopped is None else "No problem found in what was analysed.")
    for p in result.problems:
        lines.append(f"{p.severity}: {plain_text(p.rule_id)}: {plain_text(p.message)}")
    return lines


def _describe_file(rules_file: "object") -> str:
    """What a rules file holds, for the terminal: every text from the file escaped (ESC, bidi controls, newlines)."""
    from natssips_rules.rules.files import RulesFile

    assert isinstance(rules_file, RulesFile)
    t = plain_text
    lines = [f"{t(rules_file.source)}: valid."]
    lines.append(f"Local rules ({len(rules_file.rules)}):")
    for rule in rules_file.rules:
        lines.append(f"  {t(rule.id)} [{rule.level.words}, {rule.subject.value}] {t(rule.title)}")
        lines.append(f"    cites: {t(rule.citation.document)}, {t(rule.citation.section)}, {t(rule.citation.clause)}")
    tailoring = rules_file.tailoring
    lines.append(
        f"Tailoring of built-in rules ({len(tailoring.parameters) + len(tailoring.exclusions) + len(tailoring.levels)}):"
    )
    for setting in tailoring.parameters:
        target = t(setting.rule_id) if setting.rule_id else "every built-in rule with it"
        lines.append(
            f"  set {t(setting.parameter)} = {t(value_text(setting.value))} for {target} (approved by {t(setting.approved_by)})"
        )
    for exclusion in tailoring.exclusions:
        lines.append(f"  exclude {t(exclusion.rule_id)} (approved by {t(exclusion.approved_by)})")
    for change in tailoring.levels:
        lines.append(f"  report {t(change.rule_id)} at level '{change.level.words}' (approved by {t(change.approved_by)})")
    from natssips_rules.rules.departures import departures

    for departure in departures(rules_file.ruleset(), base=rules_file.base):
        lines.append(
            f"  warning: {t(departure.rule_id)}: below the standard's own words: {t(departure.what)}; each finding "
            "of this rule will show its verdict as tailored and against the standard's words"
        )
    lines.append(f"Waivers ({len(rules_file.waivers)}):")
    for waiver in rules_file.waivers:
        who = t(waiver.subject) if waiver.subject else "every subject"
        since = f"from {waiver.approved_on.isoformat()} " if waiver.approved_on else ""
        lines.append(
            f"  {t(waiver.rule_id)} for {who} {since}until {waiver.expires.isoformat()} (approved by {t(waiver.approved_by)})"
        )
        if waiver.approved_on is None:
            lines.append(
                "    warning: no approved_on date: the waiver is applied to every evaluation up to its expiry, "
                "even one dated before it was approved; give approved_on = YYYY-MM-DD"
            )
    return "\n".join(lines) + "\n"


def _cmd_rules(args: argparse.Namespace) -> int:
    ruleset = _effective(args)
    if args.prove:
        return _prove(ruleset, args)
    if args.format == "json":
        data = {
            "digest": ruleset.digest,
            "sources": [attrs.asdict(source) for source in ruleset.sources],
            "tailoring": [record.to_data() for record in ruleset.tailoring],
            "rules": [rule.to_data() for rule in ruleset],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    origin = {rule_id: source for source in ruleset.sources for rule_id in source.rule_ids}
    t = plain_text  # every text from a rules file or a plugin, escaped for the terminal
    lines = [f"{len(ruleset)} rules (digest {ruleset.digest[:12]})", ""]
    for rule in ruleset:
        source = origin.get(rule.id)
        where = (
            f"{source.kind}: {t(source.name)}{' ' + t(source.version) if source.version else ''}"
            + (f" (its files: {t(source.digest)})" if source.digest else "")
            if source
            else rule.origin
        )
        lines.append(f"{t(rule.id)}  [{rule.level.words}] [{rule.subject.value}] {t(rule.title)}")
        lines.append(f"    source: {where}; cites {t(rule.citation.document)}, {t(rule.citation.clause)}")
        for p in rule.parameters:
            unit = f" {t(p.unit)}" if p.unit else ""
            lines.append(f"    parameter {t(p.name)} = {t(value_text(p.default))}{unit}")
    plugins = [source for source in ruleset.sources if source.kind == "entry_point"]
    if plugins:  # listed even when they give no rule: they ran in this process
        lines += ["", "Plugins loaded (trusted code, run in this process):"]
        for source in plugins:
            version = f" {t(source.version)}" if source.version else ""
            lines.append(f"  {t(source.name)}{version}: {len(source.rule_ids)} rules; its files: {t(source.digest or 'unknown')}")
    if ruleset.tailoring:
        lines += ["", "Tailoring:"]
        for record in ruleset.tailoring:
            what = f" {t(record.parameter)}" if record.parameter else ""
            change = "" if record.action == "exclude" else f" {t(value_text(record.previous))} -> {t(value_text(record.value))}"
            lines.append(
                f"  {record.action} {t(record.rule_id)}{what}{change}: {t(record.rationale)} (approved by {t(record.approved_by)})"
            )
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


class _Output:
    """Where a streamed output goes: standard output, or a temporary file renamed into place at the end."""

    def __init__(self, output: str) -> None:
        self.target: pathlib.Path | None = None
        self.handle: Any = sys.stdout
        if output != "-":
            target = pathlib.Path(output).resolve()
            if target.is_dir():
                raise _Usage(f"--output {output}: is a folder; give a file's path")
            if not target.parent.is_dir():
                raise _Usage(f"--output {output}: the folder {target.parent} does not exist")
            self.target = target
            self.handle = tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=f".{target.name}.", delete=False)
        #: Bytes of the lines written whole (a line cut by a signal lies beyond them and is dropped), and the counts
        #: (evaluated, refused, failed) of those lines: one attribute set in one step, so that a signal arriving at any
        #: moment leaves the bytes kept and the counts reported about the same lines.
        self.done: tuple[int, tuple[int, int, int]] = (0, (0, 0, 0))

    @property
    def whole(self) -> int:
        return self.done[0]

    def write_line(self, line: str, counts: tuple[int, int, int]) -> None:
        """Write one line; ``counts`` are those of the lines written once it is written whole."""
        if self.target is None:
            self.handle.write(line + "\n")
            self.handle.flush()
            self.done = (0, counts)
            return
        data = (line + "\n").encode("utf-8")
        self.handle.write(data)
        self.done = (self.done[0] + len(data), counts)

    def close(self, *, keep: bool) -> None:
        """Put the file in place (``keep``: with the lines written whole) or remove it; never leave it behind."""
        if self.target is None:
            self.handle.flush()
            return
        try:
            if keep:
                self.handle.flush()
                self.handle.truncate(self.whole)
                os.fsync(self.handle.fileno())
            self.handle.close()
            if keep:
                _put_in_place(self.handle.name, self.target)
        finally:
            pathlib.Path(self.handle.name).unlink(missing_ok=True)


def _cmd_batch(args: argparse.Namespace) -> int:
    from natssips_rules.batch import MAX_JOBS, MAX_LINE_TIMEOUT, BatchStats, evaluate_lines, read_lines

    if not 0 <= args.jobs <= MAX_JOBS:
        raise _Usage(f"--jobs must be 0 (this process) to {MAX_JOBS}, not {args.jobs}")
    if not 0 < args.line_timeout <= MAX_LINE_TIMEOUT:  # also refuses inf and nan
        raise _Usage(
            f"--line-timeout must be above 0 and at most {MAX_LINE_TIMEOUT:.0f} seconds (a day), not {args.line_timeout:g}"
        )
    ruleset = _effective(args)
    try:
        source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")
    except OSError as exc:
        raise _Usage(f"cannot read {args.input}: {exc.strerror or exc}") from None
    stats = BatchStats()
    show = sys.stderr.isatty()

    def progress(counts: BatchStats) -> None:
        if show and counts.lines % 10 == 0:
            print(
                f"\r{counts.evaluated} evaluated, {counts.refused} refused, {counts.failed} failed",
                end="",
                file=sys.stderr,
                flush=True,
            )

    interrupted = False
    signalled = ""
    sink = _Output(args.output)
    keep = False
    try:
        for line in evaluate_lines(
            read_lines(source),
            rules=ruleset,
            engine=args.engine,
            as_of=args.as_of,
            jobs=args.jobs,
            line_timeout=args.line_timeout,
            stats=stats,
            progress=progress,
        ):
            sink.write_line(line, (stats.evaluated, stats.refused, stats.failed))
        _plugins_unaltered()  # a plugin that altered the library during the run: the output is not kept
        keep = True
    except (KeyboardInterrupt, _Terminated) as stop:
        interrupted = keep = True  # every line written whole is kept
        signalled = "SIGTERM" if isinstance(stop, _Terminated) else ""
    finally:
        sink.close(keep=keep)
        if source is not sys.stdin.buffer:
            source.close()
    if show:
        print(file=sys.stderr)
    if interrupted:  # the lines the output holds: a line counted but cut by the signal was dropped with its count
        stats = BatchStats(*sink.done[1])
    summary = f"{stats.evaluated} evaluated, {stats.refused} refused, {stats.failed} failed, of {stats.lines} lines"
    if interrupted:
        how = f"stopped by {signalled}" if signalled else "interrupted"
        print(f"natssips-rules: {how} after {summary}; the output holds those lines, each whole, in order", file=sys.stderr)
        return EXIT_TERMINATED if signalled else EXIT_INTERRUPTED
    print(f"natssips-rules: {summary}", file=sys.stderr)
    if stats.failed:
        return EXIT_FINDINGS
    return EXIT_OK if stats.refused == 0 else EXIT_BAD_INPUT


def _cmd_diff(args: argparse.Namespace) -> int:
    from natssips_rules.report.diff import diff_reports, render_diff

    ruleset = _effective(args)
    reports = [_report_from(path, ruleset, args.engine) for path in (args.old, args.new)]
    _one_organisation(reports, "diff")
    text = render_diff(diff_reports(reports[0], reports[1]), args.format)
    _write(text, None)
    return EXIT_OK


def _cmd_account(args: argparse.Namespace) -> int:
    from natssips_rules.report.account import annual_account, dated_twice

    ruleset = _effective(args)
    reports = [_report_from(path, ruleset, args.engine) for path in args.files]
    _one_organisation(reports, "the annual account")
    twice = dated_twice(reports)
    if twice is not None:  # refused as annual_account refuses it, naming the files rather than the items
        first, second = (args.files[i] for i in twice)
        which = (
            f"{second} is given twice"
            if first == second
            else f"{first} and {second} are both as of {reports[twice[1]].as_of.isoformat()}"
        )
        raise _Usage(f"the annual account takes one report per date; {which}: leave one out")
    _write(annual_account(reports), args.output)
    return EXIT_OK


def _cmd_overview(args: argparse.Namespace) -> int:
    from natssips_rules.report.overview import overview_schema

    if args.schema:
        _write(json.dumps(overview_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
        return EXIT_OK
    if not args.reports:
        raise _Usage("give the reports: report JSON files, folders of them, or evaluate-batch output")
    if args.format == "xlsx" and args.output is None:
        raise _Usage("--format xlsx writes a workbook: give the file with --output")
    from natssips_rules.report.overview_files import overview_of_files
    from natssips_rules.report.overview_render import overview_workbook, render_overview_html, render_overview_markdown

    ov = overview_of_files(args.reports, period=args.period)
    renderers: dict[str, Callable[[], str | bytes]] = {
        "html": lambda: render_overview_html(ov),
        "markdown": lambda: render_overview_markdown(ov),
        "json": lambda: ov.to_json(indent=2) + "\n",
        "xlsx": lambda: overview_workbook(ov),
    }
    _write(renderers[args.format](), args.output)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from natssips_rules.facts.json_schema import facts_schema

    sys.stdout.write(json.dumps(facts_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _cmd_catalogue(args: argparse.Namespace) -> int:
    from natssips_rules.standards import catalogue
    from natssips_rules.standards.catalogue import render_markdown as catalogue_markdown

    if args.format == "json":
        sys.stdout.write(json.dumps([attrs.asdict(entry) for entry in catalogue()], indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(catalogue_markdown())
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from natssips_rules.facts.load import load_facts
    from natssips_rules.report.template import facts_workbook

    if args.output.suffix.lower() != ".xlsx":
        raise _Usage(f"{args.output}: the template is a workbook; give a file name ending in .xlsx")
    org = load_facts(args.facts) if args.facts is not None else None
    _write(facts_workbook(org, rules=_effective(args)), args.output)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "evaluate": _cmd_evaluate,
    "questions": _cmd_questions,
    "evaluate-batch": _cmd_batch,
    "check": _cmd_check,
    "rules": _cmd_rules,
    "diff": _cmd_diff,
    "account": _cmd_account,
    "overview": _cmd_overview,
    "schema": _cmd_schema,
    "template": _cmd_template,
    "catalogue": _cmd_catalogue,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (see the module's docstring)."""
    args = _parser().parse_args(argv)
    _RUN.clear()
    # SIGTERM ends the command as Ctrl-C does (only the main thread may handle signals; an embedding thread keeps its own)
    handles = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if handles else None
    try:
        return _warned_once(args)
    finally:
        if handles:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _warned_once(args: argparse.Namespace) -> int:
    """Run the command; a workbook's warnings are said once, plainly, on standard error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WorkbookWarning)
        try:
            return _run_command(args)
        finally:
            for warning in caught if not sys.stderr.closed else ():  # closed: the output's reader went away
                if issubclass(warning.category, WorkbookWarning):
                    print(f"natssips-rules: warning: {warning.message}", file=sys.stderr)
                else:
                    warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)


def run() -> None:
    """The ``natssips-rules`` program: :func:`main`, then exit with its status.

    A plugin (``--plugins``) may leave a thread running that is not a daemon;
    Python would wait for it for ever before exiting. The program says so and
    exits without waiting, once its output is flushed (every file it writes is
    already whole and closed).
    """
    code = main()
    left = [t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if not left:
        sys.exit(code)
    names = ", ".join(sorted(repr(t.name) for t in left)[:5])
    try:
        print(
            f"natssips-rules: exiting without waiting for {len(left)} thread(s) left running by a plugin ({names})",
            file=sys.stderr,
        )
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: the status still stands
        pass
    os._exit(code)


def _run_command(args: argparse.Namespace) -> int:
    """Run the command ``args`` names; the library's errors become messages and exit codes."""
    try:
        return _COMMANDS[args.command](args)
    except _Usage as exc:
        print(f"natssips-rules: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except EngineUnavailableError as exc:  # an option this installation cannot honour: not a defect
        print(f"natssips-rules: --engine {exc.engine}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (EngineError, AnalysisError) as exc:
        print(
            f"natssips-rules: an internal failure (a defect of the library, not a verdict on the organisation): {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except NatssipsRulesError as exc:  # the facts, rules, a report, an option, or beyond the chosen engine's limits
        print(f"natssips-rules: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # writing the output: a full disc, a closed pipe
        if isinstance(exc, BrokenPipeError):
            sys.stderr.close()
            return EXIT_OK
        print(f"natssips-rules: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("natssips-rules: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print("natssips-rules: stopped by SIGTERM", file=sys.stderr)
        return EXIT_TERMINATED


if __name__ == "__main__":  # pragma: no cover
    run()
