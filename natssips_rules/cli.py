"""The ``natssips-rules`` command: a thin layer over the public API."""

import argparse
import datetime
import json
import pathlib
import sys
from collections.abc import Sequence

import attrs
import cattrs

from natssips_rules.engine import DEFAULT_ENGINE, ENGINES
from natssips_rules.errors import FactsError, FactsProblem, RuleError, RulesFileError
from natssips_rules.evaluation import evaluate
from natssips_rules.facts.load import load_facts
from natssips_rules.report.account import annual_account
from natssips_rules.report.board import render_html, render_markdown
from natssips_rules.report.diff import diff_reports, render_diff
from natssips_rules.report.model import Report
from natssips_rules.report.text import render_text
from natssips_rules.report.wording import value_text
from natssips_rules.rules.files import RulesFile, compose_files, load_rules_file
from natssips_rules.rules.model import RuleSet, Waiver
from natssips_rules.rules.plugins import ENTRY_POINT_GROUP, load_plugin_rules
from natssips_rules.standards import builtin_rules

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="natssips-rules",
        description="Check an organisation's facts against the organisational standards of NatSSIPs 2.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ev = commands.add_parser("evaluate", help="evaluate one organisation's facts (a JSON file) and print the findings")
    ev.add_argument("file", type=pathlib.Path, help="the organisation's facts, as JSON")
    ev.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="the report as text, JSON, or the Board assurance report in Markdown or HTML (default: text)",
    )
    ev.add_argument("--output", "-o", type=pathlib.Path, help="write the report to this file instead of standard output")
    ev.add_argument("--as-of", type=_date, help="judge the facts as at this date (YYYY-MM-DD) instead of their own as_of")
    ev.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help=f"the engine to use (default: {DEFAULT_ENGINE})")
    _rule_options(ev)
    batch = commands.add_parser(
        "evaluate-batch",
        help="evaluate JSON Lines of organisations (one facts object a line) into JSON Lines of reports",
    )
    batch.add_argument("input", help="the JSON Lines file, or - for standard input")
    batch.add_argument("--output", "-o", default="-", help="where to write the JSON Lines results (default: standard output)")
    batch.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default: 1)")
    batch.add_argument("--as-of", type=_date, help="judge every organisation as at this date")
    batch.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help=f"the engine to use (default: {DEFAULT_ENGINE})")
    _rule_options(batch)
    check = commands.add_parser("check", help="check a rules file (local rules, tailoring, waivers) and print what it defines")
    check.add_argument("file", type=pathlib.Path, help="the rules file (.toml or .json)")
    listing = commands.add_parser("rules", help="list the effective rule set: ids, levels, subjects, parameters and sources")
    _rule_options(listing)
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    dif = commands.add_parser("diff", help="what changed between two reports (or facts files) of one organisation")
    dif.add_argument("old", type=pathlib.Path, help="the earlier report (JSON) or facts")
    dif.add_argument("new", type=pathlib.Path, help="the later report (JSON) or facts")
    dif.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _rule_options(dif)
    acc = commands.add_parser(
        "account", help="draft the annual public account (Markdown) from a year of reports (or facts files)"
    )
    acc.add_argument("files", type=pathlib.Path, nargs="+", help="reports (JSON) or facts files, in any order")
    acc.add_argument("--output", "-o", type=pathlib.Path, help="write the draft to this file")
    _rule_options(acc)
    commands.add_parser("schema", help="print the JSON Schema of the facts (generated from the facts model)")
    cat = commands.add_parser("catalogue", help="print the rule catalogue: every passage of the standard and its rules")
    cat.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)")
    return parser


def _catalogue_json() -> str:
    from natssips_rules.standards import catalogue

    return json.dumps([attrs.asdict(entry) for entry in catalogue()], indent=2, ensure_ascii=False)


def _report_from(path: pathlib.Path, ruleset: RuleSet, waivers: list[Waiver]) -> Report:
    """A report read from ``path``: a saved report as it is, or facts evaluated now."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise FactsError([FactsProblem("", f"cannot read {path}: {exc}")], source=str(path)) from None
    if isinstance(data, dict) and "findings" in data and "ruleset_digest" in data:
        try:
            return Report.from_dict(data)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:  # a damaged report is bad input
            raise FactsError([FactsProblem("", f"not a valid report: {exc}")], source=str(path)) from None
    return evaluate(load_facts(path), rules=ruleset, waivers=waivers)


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


def _effective(args: argparse.Namespace) -> tuple[RuleSet, list[Waiver]]:
    """The rule set and waivers the options ask for (raises RulesFileError or RuleError)."""
    files = [load_rules_file(path) for path in args.rules]
    extra, extra_sources = load_plugin_rules() if args.plugins else ((), ())
    if not files and not extra:
        return builtin_rules(), []
    ruleset = compose_files(files, extra=extra, extra_sources=extra_sources)
    return ruleset, [waiver for f in files for waiver in f.waivers]


def _describe_file(rules_file: RulesFile) -> str:
    lines = [f"{rules_file.source}: valid."]
    lines.append(f"Local rules ({len(rules_file.rules)}):")
    for rule in rules_file.rules:
        lines.append(f"  {rule.id} [{rule.level.words}, {rule.subject.value}] {rule.title}")
        lines.append(f"    cites: {rule.citation.document}, {rule.citation.section}, {rule.citation.clause}")
    t = rules_file.tailoring
    lines.append(f"Tailoring of built-in rules ({len(t.parameters) + len(t.exclusions) + len(t.levels)}):")
    for setting in t.parameters:
        target = setting.rule_id or "every built-in rule with it"
        lines.append(f"  set {setting.parameter} = {value_text(setting.value)} for {target} (approved by {setting.approved_by})")
    for exclusion in t.exclusions:
        lines.append(f"  exclude {exclusion.rule_id} (approved by {exclusion.approved_by})")
    for change in t.levels:
        lines.append(f"  report {change.rule_id} at level '{change.level.words}' (approved by {change.approved_by})")
    lines.append(f"Waivers ({len(rules_file.waivers)}):")
    for waiver in rules_file.waivers:
        who = waiver.subject or "every subject"
        lines.append(f"  {waiver.rule_id} for {who} until {waiver.expires.isoformat()} (approved by {waiver.approved_by})")
    return "\n".join(lines) + "\n"


def _list_rules(ruleset: RuleSet, fmt: str) -> str:
    if fmt == "json":
        data = {
            "digest": ruleset.digest,
            "sources": [attrs.asdict(source) for source in ruleset.sources],
            "tailoring": [record.to_data() for record in ruleset.tailoring],
            "rules": [rule.to_data() for rule in ruleset],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    origin = {rule_id: source for source in ruleset.sources for rule_id in source.rule_ids}
    lines = [f"{len(ruleset)} rules (digest {ruleset.digest[:12]})", ""]
    for rule in ruleset:
        source = origin.get(rule.id)
        where = (
            f"{source.kind}: {source.name}{' ' + source.version if source and source.version else ''}" if source else rule.origin
        )
        lines.append(f"{rule.id}  [{rule.level.words}] [{rule.subject.value}] {rule.title}")
        lines.append(f"    source: {where}; cites {rule.citation.document}, {rule.citation.clause}")
        for p in rule.parameters:
            unit = f" {p.unit}" if p.unit else ""
            lines.append(f"    parameter {p.name} = {value_text(p.default)}{unit}")
    if ruleset.tailoring:
        lines += ["", "Tailoring:"]
        for record in ruleset.tailoring:
            what = f" {record.parameter}" if record.parameter else ""
            change = "" if record.action == "exclude" else f" {value_text(record.previous)} -> {value_text(record.value)}"
            lines.append(f"  {record.action} {record.rule_id}{what}{change}: {record.rationale} (approved by {record.approved_by})")
    return "\n".join(lines) + "\n"


def _batch(args: argparse.Namespace) -> int:
    from natssips_rules.batch import BatchStats, evaluate_lines

    if args.jobs < 1:
        print("natssips-rules: --jobs must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        ruleset, waivers = _effective(args)
        source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    except (RulesFileError, RuleError, OSError) as exc:
        print(f"natssips-rules: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stats = BatchStats()
    show = sys.stderr.isatty()

    def progress(counts: BatchStats) -> None:
        if show:
            print(f"\r{counts.evaluated} evaluated, {counts.refused} refused", end="", file=sys.stderr, flush=True)

    try:
        sink = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
        try:
            for line in evaluate_lines(
                source,
                rules=ruleset,
                waivers=waivers,
                engine=args.engine,
                as_of=args.as_of,
                jobs=args.jobs,
                stats=stats,
                progress=progress,
            ):
                sink.write(line + "\n")
        finally:
            if sink is not sys.stdout:
                sink.close()
    finally:
        if source is not sys.stdin:
            source.close()
    if show:
        print(file=sys.stderr)
    print(f"natssips-rules: {stats.evaluated} evaluated, {stats.refused} refused", file=sys.stderr)
    return EXIT_OK if stats.refused == 0 else EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 evaluated, 2 bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "evaluate-batch":
        return _batch(args)
    if args.command == "check":
        try:
            rules_file = load_rules_file(args.file)
        except RulesFileError as exc:
            print(f"natssips-rules: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        sys.stdout.write(_describe_file(rules_file))
        return EXIT_OK
    if args.command == "rules":
        try:
            ruleset, _ = _effective(args)
        except (RulesFileError, RuleError) as exc:
            print(f"natssips-rules: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        sys.stdout.write(_list_rules(ruleset, args.format))
        return EXIT_OK
    if args.command == "evaluate":
        try:
            ruleset, waivers = _effective(args)
            org = load_facts(args.file)
        except (FactsError, RulesFileError, RuleError) as exc:
            print(f"natssips-rules: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        report = evaluate(org, rules=ruleset, waivers=waivers, as_of=args.as_of, engine=args.engine)
        if args.format == "json":
            text = report.to_json() + "\n"
        elif args.format == "markdown":
            text = render_markdown(report, ruleset)
        elif args.format == "html":
            text = render_html(report, ruleset)
        else:
            text = render_text(report)
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
        return EXIT_OK
    if args.command in ("diff", "account"):
        try:
            ruleset, waivers = _effective(args)
            paths = [args.old, args.new] if args.command == "diff" else args.files
            reports = [_report_from(path, ruleset, waivers) for path in paths]
        except (FactsError, RulesFileError, RuleError) as exc:
            print(f"natssips-rules: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.command == "diff":
            sys.stdout.write(render_diff(diff_reports(reports[0], reports[1]), args.format))
            return EXIT_OK
        draft = annual_account(reports)
        if args.output is None:
            sys.stdout.write(draft)
        else:
            args.output.write_text(draft, encoding="utf-8")
        return EXIT_OK
    if args.command == "schema":
        from natssips_rules.facts.json_schema import facts_schema

        sys.stdout.write(json.dumps(facts_schema(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if args.command == "catalogue":
        if args.format == "json":
            sys.stdout.write(_catalogue_json() + "\n")
        else:
            from natssips_rules.standards.catalogue import render_markdown as catalogue_markdown

            sys.stdout.write(catalogue_markdown())
        return EXIT_OK
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse refuses it first
    return EXIT_BAD_INPUT  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
