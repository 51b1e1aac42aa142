"""Four ways of evaluating the built-in rules, side by side on the same organisations, in one run.

    python benchmarks/compare.py [--quick] [--output benchmarks/results.md]

* ``handwritten``: the rules written out in plain Python (benchmarks/handwritten.py), the lower limit;
* ``reference``: the library's interpreter of the rule data;
* ``durable``: the library's adapter to durable_rules' C engine (the default engine);
* ``naive``: durable_rules through its ``durable.lang`` host, one fact per call (benchmarks/naive_durable.py).

All four produce the same kind of report. Before timing, the handwritten
checker must agree with both engines on every organisation (the run stops
otherwise); the naive way's disagreements are counted and reported. Times are
medians of repeated evaluations of the same loaded facts; ratios are to the
handwritten checker measured in the same run.
"""

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from handwritten import evaluate_handwritten
from naive_durable import evaluate_naive
from orgs import SIZES, count_facts, organisation

import natssips_rules as nr
from natssips_rules.engine.durable import DurableEngine


def median_time(run: Callable[[], Any], budget: float, least: int = 5) -> float:
    """Median seconds of ``run``, repeated for about ``budget`` seconds (at least ``least`` times)."""
    times: list[float] = []
    spent = 0.0
    while len(times) < least or spent < budget:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
        if len(times) >= 2000:
            break
    return statistics.median(times)


def comparable(report: nr.Report) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("engine")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (less time per measurement)")
    parser.add_argument("--output", type=Path, help="also write the tables (Markdown) to this file")
    args = parser.parse_args()
    budget = 0.3 if args.quick else 2.0

    ways: dict[str, Callable[[nr.Organisation], nr.Report]] = {
        "handwritten": evaluate_handwritten,
        "reference": lambda org: nr.evaluate(org, engine="reference"),
        "durable": lambda org: nr.evaluate(org, engine="durable"),
        "naive": evaluate_naive,
    }
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}; natssips-rules {nr.__version__}; {len(nr.builtin_rules())} built-in rules.",
        "",
        "| organisation | facts | findings | way | median ms | evaluations/s | × handwritten | findings differing |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    scaling: list[tuple[str, int, dict[str, float]]] = []
    for size in SIZES:
        data = organisation(size)
        org = nr.load_facts(data)
        facts = count_facts(data)
        expected = comparable(nr.evaluate(org, engine="reference"))
        durable = comparable(nr.evaluate(org, engine="durable"))
        hand = comparable(evaluate_handwritten(org))
        if not (expected == durable == hand):
            print(f"{size}: the handwritten checker and the engines disagree; not timing", file=sys.stderr)
            return 1
        naive_report = evaluate_naive(org)
        naive_wrong = sum(
            1
            for a, b in zip(naive_report.findings, nr.evaluate(org, engine="reference").findings, strict=True)
            if a.status != b.status
        )
        times: dict[str, float] = {}
        for name, way in ways.items():
            way(org)  # warm: compiled rules, caches
            times[name] = median_time(lambda way=way, org=org: way(org), budget)
        base = times["handwritten"]
        findings = len(expected["findings"])
        for name, seconds in times.items():
            wrong = str(naive_wrong) if name == "naive" else "0"
            lines.append(
                f"| {size} | {facts:,} | {findings} | {name} | {seconds * 1000:.2f} | {1 / seconds:,.0f} | "
                f"{seconds / base:.2f} | {wrong} |"
            )
        scaling.append((size, facts, times))
        print(f"{size} done", file=sys.stderr)

    def compile_once() -> None:
        ruleset = nr.RuleSet(list(nr.builtin_rules()))
        DurableEngine().compile(ruleset)

    compile_ms = median_time(compile_once, budget) * 1000
    lines += [
        "",
        f"Compiling the built-in rule set for the durable engine (once per rule set, then cached): {compile_ms:.1f} ms.",
        "",
    ]
    lines += [
        "Scaling (time per 1,000 facts, ms):",
        "",
        "| organisation | facts | handwritten | reference | durable |",
        "|---|---:|---:|---:|---:|",
    ]
    for size, facts, times in scaling:
        per = {k: v * 1000 / facts * 1000 for k, v in times.items()}
        lines.append(f"| {size} | {facts:,} | {per['handwritten']:.3f} | {per['reference']:.3f} | {per['durable']:.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
