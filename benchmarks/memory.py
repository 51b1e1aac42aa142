"""Memory stays flat: RSS after many evaluations is within a few MB of RSS after 1,000.

    python benchmarks/memory.py [--evaluations 100000] [--engine durable]

Evaluates the small example organisation over and over (each evaluation opens
and deletes a durable_rules session) and prints the resident set size at
checkpoints. Linux only (reads /proc/self/statm).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

import natssips_rules as nr

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--engine", default="durable", choices=("durable", "reference"))
    args = parser.parse_args()
    org = nr.load_facts(Path(__file__).parent.parent / "examples" / "brookfield-day-surgery.json")
    checkpoints = {1_000, 10_000, args.evaluations} | {n for n in (25_000, 50_000, 75_000) if n < args.evaluations}
    start = time.perf_counter()
    baseline = None
    print(f"engine {args.engine}; RSS before: {rss_mb():.1f} MB")
    for n in range(1, args.evaluations + 1):
        nr.evaluate(org, engine=args.engine)
        if n in checkpoints:
            rss = rss_mb()
            baseline = rss if n == 1_000 else baseline
            growth = "" if baseline is None or n == 1_000 else f" ({rss - baseline:+.1f} MB since 1,000)"
            print(f"after {n:>7,} evaluations: RSS {rss:.1f} MB{growth}  [{time.perf_counter() - start:.0f} s]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
