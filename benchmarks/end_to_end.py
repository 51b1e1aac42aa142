"""Where a caller's time goes, from JSON text in to report JSON out, measured side by side in one run.

    python benchmarks/end_to_end.py [--quick] [--sizes small,large,extra_large]

For each organisation size it prints two tables, every figure a median of
interleaved repetitions in the same process:

* **decisions only**: the statuses of the 30 built-in rules for every
  subject, by the hand-written checker (``benchmarks/handwritten.py``, the
  lower limit), the reference engine and the durable adapter; and, inside the
  durable adapter, the time spent in durable_rules' C calls alone (the
  engine's own floor);
* **end to end**: ``json.loads`` of the facts text plus of the report text
  (the floor: parsing the input and the output), ``load_facts``, building the
  report, ``to_json`` against ``json.dumps`` of the same plain data, and the
  whole path (text -> facts -> evaluate -> report JSON) on each engine.

Ratios are to the floor or to the hand-written decisions, measured in the
same run. The hand-written checker must agree with both engines first. Also
prints the time of ``import natssips_rules`` in a fresh interpreter.
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from handwritten import HandwrittenEngine, statuses
from orgs import count_facts, organisation

import natssips_rules as nr
import natssips_rules.engine.durable as durable
from natssips_rules.engine import compiled, get_engine
from natssips_rules.engine.subjects import Context
from natssips_rules.evaluation import build_report


def medians(runs: dict[str, Callable[[], Any]], budget: float, least: int = 7) -> dict[str, float]:
    """Median seconds of each run, repeated in turn (so the machine's state affects all alike)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    start = time.perf_counter()
    rounds = 0
    while rounds < least or time.perf_counter() - start < budget:
        for name, run in runs.items():
            began = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - began)
        rounds += 1
        if rounds >= 3000:
            break
    return {name: statistics.median(values) for name, values in times.items()}


class EngineClock:
    """Time spent inside durable_rules' C calls (assert, actions, delete) while it is installed."""

    CALLS = ("assert_facts", "start_action_for_state", "complete_and_start_action", "delete_state")

    def __init__(self) -> None:
        self.spent = 0.0
        self._real = {name: getattr(durable._engine, name) for name in self.CALLS}

    def __enter__(self) -> "EngineClock":
        for name, real in self._real.items():

            def timed(*args: Any, _real: Any = real) -> Any:
                began = time.perf_counter()
                try:
                    return _real(*args)
                finally:
                    self.spent += time.perf_counter() - began

            setattr(durable._engine, name, timed)
        return self

    def __exit__(self, *exc: Any) -> None:
        for name, real in self._real.items():
            setattr(durable._engine, name, real)


def engine_floor(ctx: Context, repeats: int) -> float:
    """Median seconds spent in the C engine's own calls per durable evaluation."""
    decide = compiled(get_engine("durable"), nr.builtin_rules()).decide
    samples = []
    for _ in range(repeats):
        with EngineClock() as clock:
            decide(ctx)
        samples.append(clock.spent)
    return statistics.median(samples)


def comparable(report: nr.Report) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("engine")
    return data


def import_time() -> float:
    """Milliseconds of ``import natssips_rules`` in a fresh interpreter (median of 7, less the interpreter's start)."""

    def run(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - began

    bare = statistics.median(run("pass") for _ in range(7))
    full = statistics.median(run("import natssips_rules") for _ in range(7))
    return (full - bare) * 1000


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="small,large,extra_large")
    args = parser.parse_args()
    budget = 0.6 if args.quick else 3.0
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}; natssips-rules {nr.__version__}"
    )
    print()
    decision_rows: list[str] = []
    end_rows: list[str] = []
    for size in args.sizes.split(","):
        if not measure_size(size, budget, decision_rows, end_rows):
            return 1
    print("Decisions only (the statuses of every rule for every subject), median ms:")
    print()
    print(row(["organisation", "facts", "findings", "way", "ms", "× hand-written"]))
    print(row(["---", "---:", "---:", "---", "---:", "---:"]))
    print("\n".join(decision_rows))
    print()
    print("End to end (JSON text in, report JSON out), median ms:")
    print()
    print(row(["organisation", "step", "ms", "× floor", "note"]))
    print(row(["---", "---", "---:", "---:", "---"]))
    print("\n".join(end_rows))
    print()
    print(f"import natssips_rules: {import_time():.0f} ms (fresh interpreter, less its own start)")
    return 0


def measure_size(size: str, budget: float, decision_rows: list[str], end_rows: list[str]) -> bool:
    """Measure one organisation size; adds its rows. False if the ways disagree."""
    rules = nr.builtin_rules()
    data = organisation(size)
    text = json.dumps(data)
    org = nr.load_facts(text)
    ctx = Context(org, org.as_of)
    reports = {engine: nr.evaluate(org, engine=engine) for engine in ("reference", "durable")}
    hand = nr.evaluate(org, engine=HandwrittenEngine())
    if not comparable(hand) == comparable(reports["reference"]) == comparable(reports["durable"]):
        print(f"{size}: the hand-written checker and the engines disagree; no timing", file=sys.stderr)
        return False
    report = reports["reference"]
    report_text = report.to_json()
    plain = report.to_dict()
    deciders = {engine: compiled(get_engine(engine), rules).decide for engine in ("reference", "durable")}
    decisions = deciders["reference"](ctx)

    timed = medians(
        {
            "handwritten": lambda: statuses(org, org.as_of),
            "reference": lambda: deciders["reference"](ctx),
            "durable": lambda: deciders["durable"](ctx),
            "json.loads facts": lambda: json.loads(text),
            "json.loads report": lambda: json.loads(report_text),
            "load_facts": lambda: nr.load_facts(text),
            # a fresh context each time: the explanations' memo (paths followed, parts judged) is per evaluation
            "build report": lambda: build_report(Context(org, org.as_of), rules, decisions, engine="reference"),
            "to_json": lambda: report.to_json(),
            "json.dumps": lambda: json.dumps(plain, ensure_ascii=False),
            "to_json indented": lambda: report.to_json(indent=2),
            "end to end, reference": lambda: nr.evaluate(nr.load_facts(text), engine="reference").to_json(),
            "end to end, durable": lambda: nr.evaluate(nr.load_facts(text), engine="durable").to_json(),
        },
        budget,
    )
    floor_c = engine_floor(ctx, 31)
    hand = timed["handwritten"]
    facts = count_facts(data)
    findings = len(report.findings)
    for name in ("handwritten", "reference", "durable"):
        decision_rows.append(
            row([size, f"{facts:,}", f"{findings}", name, f"{timed[name] * 1000:.3f}", f"{timed[name] / hand:.1f}×"])
        )
    decision_rows.append(
        row(
            [size, f"{facts:,}", f"{findings}", "durable: C engine calls only", f"{floor_c * 1000:.3f}", f"{floor_c / hand:.1f}×"]
        )
    )
    floor = timed["json.loads facts"] + timed["json.loads report"]
    end_rows += [
        row([size, "floor: json.loads facts + report", f"{floor * 1000:.2f}", "1.0×", ""]),
        row(
            [
                size,
                "load_facts(text)",
                f"{timed['load_facts'] * 1000:.2f}",
                f"{timed['load_facts'] / floor:.1f}×",
                f"{timed['load_facts'] / timed['json.loads facts']:.1f}× json.loads of the facts",
            ]
        ),
        row(
            [
                size,
                "build the report (from decisions)",
                f"{timed['build report'] * 1000:.2f}",
                f"{timed['build report'] / floor:.1f}×",
                "",
            ]
        ),
        row(
            [
                size,
                "report.to_json()",
                f"{timed['to_json'] * 1000:.2f}",
                f"{timed['to_json'] / floor:.1f}×",
                f"{timed['to_json'] / timed['json.dumps']:.1f}× json.dumps of the same data",
            ]
        ),
        row(
            [
                size,
                "report.to_json(indent=2)",
                f"{timed['to_json indented'] * 1000:.2f}",
                f"{timed['to_json indented'] / floor:.1f}×",
                "what --format json writes, for people to read",
            ]
        ),
        row(
            [
                size,
                "end to end, reference",
                f"{timed['end to end, reference'] * 1000:.2f}",
                f"{timed['end to end, reference'] / floor:.1f}×",
                "",
            ]
        ),
        row(
            [
                size,
                "end to end, durable",
                f"{timed['end to end, durable'] * 1000:.2f}",
                f"{timed['end to end, durable'] / floor:.1f}×",
                "",
            ]
        ),
    ]
    return True


if __name__ == "__main__":
    sys.exit(main())
