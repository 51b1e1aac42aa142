"""Batch throughput with 1 and 2 worker processes on the large organisation.

    python benchmarks/batch_throughput.py [--lines 400]
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from orgs import organisation

from natssips_rules.batch import evaluate_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=400)
    parser.add_argument("--size", default="large")
    args = parser.parse_args()
    lines = [json.dumps(organisation(args.size, seed)) for seed in range(args.lines)]
    print(f"{args.lines} {args.size} organisations (distinct), durable engine")
    print("| jobs | seconds | organisations/s |")
    print("|---:|---:|---:|")
    for jobs in (1, 2):
        start = time.perf_counter()
        count = sum(1 for _ in evaluate_lines(lines, jobs=jobs))
        elapsed = time.perf_counter() - start
        assert count == args.lines
        print(f"| {jobs} | {elapsed:.1f} | {count / elapsed:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
