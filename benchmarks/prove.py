"""How long the analysis takes: the built-in rule set, rule by rule, with and without checking the witnesses.

    python benchmarks/prove.py [--rules RULES.toml ...]

Target: the full built-in set analysed (witnesses checked on both engines) in
under 30 s on the 2-core development machine. Prints each rule's time and
reachable statuses, then the totals of one run side by side.
"""

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

import natssips_rules as nr
from natssips_rules import analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", action="append", default=[], help="also a rules file (local rules, tailoring)")
    args = parser.parse_args()
    ruleset = nr.compose_files([nr.load_rules_file(p) for p in args.rules]) if args.rules else nr.builtin_rules()
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}; {len(ruleset)} rules")
    print()
    print("| rule | seconds | reachable statuses |")
    print("|---|---:|---|")
    started = time.perf_counter()
    checked = analysis.analyse(ruleset)
    total_checked = time.perf_counter() - started
    for r in checked.rules:
        statuses = ", ".join(s.value for s in analysis.STATUSES if r.reachable(s))
        print(f"| {r.rule_id} | {r.seconds:.2f} | {statuses} |")
    started = time.perf_counter()
    analysis.analyse(ruleset, check=False)
    total_unchecked = time.perf_counter() - started
    print()
    print(f"whole set, witnesses checked on both engines: {total_checked:.1f} s (target: under 30 s)")
    print(f"whole set, witnesses not checked: {total_unchecked:.1f} s")
    for p in checked.problems:
        print(f"{p.severity}: {p.rule_id}: {p.message}")


if __name__ == "__main__":
    main()
