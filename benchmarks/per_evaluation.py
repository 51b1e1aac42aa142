"""Median time per evaluation of each engine on the bundled examples, side by side in one run.

Run: python benchmarks/per_evaluation.py [--runs N]
Also reports the one-off cost of compiling the built-in rule set for the durable engine.
"""

import argparse
import pathlib
import statistics
import time

import natssips_rules as nr
from natssips_rules.engine.durable import _Compiled

EXAMPLES = sorted(pathlib.Path(__file__).resolve().parent.parent.joinpath("examples").glob("*.json"))


def median_ms(fn, runs: int) -> float:
    fn()  # warm up (and compile once)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    rules = nr.builtin_rules()
    compile_times = []
    for _ in range(20):
        start = time.perf_counter()
        compiled = _Compiled(rules)
        compile_times.append(time.perf_counter() - start)
        del compiled
    print(f"compile built-in rules ({len(rules)} rules) for durable: median {statistics.median(compile_times) * 1000:.2f} ms")
    print(f"{'example':<28} {'durable ms':>11} {'reference ms':>13} {'ratio':>6}")
    for path in EXAMPLES:
        org = nr.load_facts(path)
        durable = median_ms(lambda org=org: nr.evaluate(org, engine="durable"), args.runs)
        reference = median_ms(lambda org=org: nr.evaluate(org, engine="reference"), args.runs)
        print(f"{path.stem:<28} {durable:>11.3f} {reference:>13.3f} {durable / reference:>6.2f}")


if __name__ == "__main__":
    main()
