"""Batch throughput: evaluations per second (and per core) with 1 and 2 worker processes, on both engines.

    python benchmarks/batch_throughput.py [--lines 400] [--size large]
    python benchmarks/batch_throughput.py --national      # a national year through the command line

The first form runs ``evaluate_lines`` (each line in a worker process, as
``evaluate-batch`` does) on distinct generated organisations and prints one
table, measured in one run, then the ceiling two processes reach without a
batch: two independent processes each evaluating half the lines in-process
(text in, compact report out), started together; the batch's two workers are
given as a share of it (target: at least 80%). ``--national`` writes 12,000 large organisations
(300 organisations x 40 quarterly snapshots) as JSON Lines and times
``natssips-rules evaluate-batch --jobs 2`` on them end to end (target: within
60 s on the 2-core development machine).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from orgs import organisation

from natssips_rules.batch import evaluate_lines

NATIONAL_YEAR = 12_000


def table(lines: list[str]) -> dict[tuple[str, int], float]:
    print("| engine | jobs | seconds | evaluations/s | per core | a national year (12,000) |")
    print("|---|---:|---:|---:|---:|---:|")
    rates = {}
    for engine in ("reference", "durable"):
        for jobs in (1, 2):
            start = time.perf_counter()
            count = sum(1 for _ in evaluate_lines(lines, jobs=jobs, engine=engine))
            elapsed = time.perf_counter() - start
            assert count == len(lines)
            rate = rates[(engine, jobs)] = count / elapsed
            print(
                f"| {engine} | {jobs} | {elapsed:.1f} | {rate:.0f} | {rate / jobs:.0f} | {NATIONAL_YEAR / rate:.0f} s |",
                flush=True,
            )
    return rates


_HALF = """
import json, sys, time
sys.path.insert(0, {root!r})
import natssips_rules as nr
lines = [line for line in open({source!r}, encoding="utf-8")][{part}::2]
for line in lines:
    nr.evaluate(line).to_json()
"""


def ceiling(lines: list[str]) -> float:
    """Evaluations a second of two independent processes evaluating half the lines each in-process, together."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "lines.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        root = str(Path(__file__).parent.parent)
        code = [_HALF.format(root=root, source=str(source), part=part) for part in (0, 1)]
        start = time.perf_counter()
        running = [subprocess.Popen([sys.executable, "-c", c]) for c in code]
        for process in running:
            if process.wait() != 0:
                raise SystemExit("an in-process half failed")
        return len(lines) / (time.perf_counter() - start)


def national() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "national.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for i in range(NATIONAL_YEAR):
                org = organisation("large", i % 300)
                org["id"] = f"{org['id']}-q{i // 300}"
                out.write(json.dumps(org) + "\n")
        size = source.stat().st_size
        target = Path(folder) / "reports.jsonl"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "natssips_rules.cli", "evaluate-batch", str(source), "--jobs", "2", "--output", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        print(done.stderr.strip().splitlines()[-1])
        print(
            f"{NATIONAL_YEAR:,} large organisations ({size / 1e6:.0f} MB of JSON Lines), evaluate-batch --jobs 2 "
            f"(default engine): {elapsed:.1f} s, {NATIONAL_YEAR / elapsed:.0f} evaluations/s, "
            f"{NATIONAL_YEAR / elapsed / 2:.0f} per core (target: within 60 s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=400)
    parser.add_argument("--size", default="large")
    parser.add_argument("--national", action="store_true", help="time a national year through the command line")
    args = parser.parse_args()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    if args.national:
        national()
        return 0
    lines = [json.dumps(organisation(args.size, seed)) for seed in range(args.lines)]
    print(f"{args.lines} {args.size} organisations (distinct), each line in a worker process")
    rates = table(lines)
    both = ceiling(lines)
    share = rates[("reference", 2)] / both
    print()
    print(
        f"Two independent processes evaluating in-process (default engine): {both:.0f} evaluations/s; "
        f"evaluate_lines with 2 workers: {rates[('reference', 2)]:.0f}, {share:.0%} of it (target: at least 80%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
