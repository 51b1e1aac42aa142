"""The overview across organisations at national scale: 12,000 large reports in one evaluate-batch output.

    PYTHONPATH=. python benchmarks/overview.py WORK_FOLDER [--organisations 60] [--copies 50] [--quarters 4]

1. Writes the facts of ``--organisations`` large organisations (benchmarks/orgs.py
   sizes: 8 sites, 40 specialties, 400 people; all four nations and five kinds)
   at the end of each of ``--quarters`` quarters, as JSON Lines, and evaluates
   them with ``natssips-rules evaluate-batch`` (2 worker processes).
2. Makes ``--copies`` copies of each organisation under new ids (the report
   text with the id replaced: each copy's reports are the same size and shape
   as a real evaluation's), so the batch output holds organisations x copies
   x quarters reports (60 x 50 x 4 = 12,000 by default). Evaluating 12,000
   large organisations one by one would take this machine most of an hour; the
   overview reads reports, so copies measure the same work.
3. Runs ``natssips-rules overview`` on it (JSON, then HTML) under
   ``/usr/bin/time -v`` and prints wall time and peak memory (maximum resident
   set size) of each run.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from region import facts

CLI = [sys.executable, "-m", "natssips_rules"]


def measured(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one command run under /usr/bin/time -v."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr))
    return wall, cpu, int(peak.group(1)) / 1024 if peak else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=pathlib.Path)
    parser.add_argument("--organisations", type=int, default=60)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--size", default="large")
    parser.add_argument("--reuse", action="store_true", help="measure the overview of WORK_FOLDER/national.jsonl made before")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    facts_path, batch_path, big_path = (args.work / n for n in ("facts.jsonl", "batch.jsonl", "national.jsonl"))

    if big_path.exists() and args.reuse:
        return _measure(args, big_path)
    with facts_path.open("w", encoding="utf-8") as out:
        for number in range(args.organisations):
            for quarter in range(args.quarters):
                out.write(json.dumps(facts(number, quarter, size=args.size)) + "\n")
    start = time.perf_counter()
    subprocess.run([*CLI, "evaluate-batch", str(facts_path), "--output", str(batch_path), "--jobs", "2"], check=True)
    print(
        f"evaluate-batch: {args.organisations * args.quarters} {args.size} organisations in {time.perf_counter() - start:.1f} s"
    )

    lines = 0
    with batch_path.open(encoding="utf-8") as source, big_path.open("w", encoding="utf-8") as out:
        for text in source:
            org_id = json.loads(text)["report"]["organisation"]["id"]
            quoted = json.dumps(org_id)
            for copy in range(args.copies):
                out.write(text.replace(quoted, json.dumps(f"{org_id}-c{copy:03d}")))
                lines += 1
    size = big_path.stat().st_size
    print(f"{lines} reports, {size / 1e9:.2f} GB ({size / lines / 1e3:.0f} KB a report)")

    return _measure(args, big_path)


def _measure(args: argparse.Namespace, big_path: pathlib.Path) -> int:
    for fmt in ("json", "html"):
        out_path = args.work / f"overview.{fmt}"
        wall, cpu, peak = measured([*CLI, "overview", str(big_path), "--format", fmt, "--output", str(out_path)])
        print(f"overview --format {fmt}: {wall:.1f} s wall, {cpu:.1f} s CPU (user + system), peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
