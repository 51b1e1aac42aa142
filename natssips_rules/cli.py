"""The ``natssips-rules`` command: a thin layer over the public API."""

import argparse
import datetime
import pathlib
import sys
from collections.abc import Sequence

from natssips_rules.engine import ENGINES
from natssips_rules.errors import FactsError
from natssips_rules.evaluate import evaluate
from natssips_rules.load import load_facts
from natssips_rules.render import render_text

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
    ev.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report (default: text)")
    ev.add_argument("--as-of", type=_date, help="judge the facts as at this date (YYYY-MM-DD) instead of their own as_of")
    ev.add_argument("--engine", choices=ENGINES, default="durable", help="the engine to use (default: durable)")
    cat = commands.add_parser("catalogue", help="print the rule catalogue: every passage of the standard and its rules")
    cat.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)")
    return parser


def _catalogue_json() -> str:
    import json

    import attrs

    from natssips_rules.standards import catalogue

    return json.dumps([attrs.asdict(entry) for entry in catalogue()], indent=2, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 evaluated, 2 bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        try:
            org = load_facts(args.file)
        except FactsError as exc:
            print(f"natssips-rules: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        report = evaluate(org, as_of=args.as_of, engine=args.engine)
        if args.format == "json":
            sys.stdout.write(report.to_json() + "\n")
        else:
            sys.stdout.write(render_text(report))
        return EXIT_OK
    if args.command == "catalogue":
        if args.format == "json":
            sys.stdout.write(_catalogue_json() + "\n")
        else:
            from natssips_rules.standards.catalogue import render_markdown

            sys.stdout.write(render_markdown())
        return EXIT_OK
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse refuses it first
    return EXIT_BAD_INPUT  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
