"""Compile time and peak memory of a large rules file on the durable engine (one child process per size).

    python benchmarks/durable_compile.py [--rules 400 1000] [--values 700]

Each size writes a rules file of that many local rules, each an ``in`` list of ``--values`` distinct site
names (1,000 x 700 is an 8.4 MB JSON file, within the documented limits), loads it, and times the first
durable evaluation of a small organisation (the rule set is compiled then), in a fresh child process whose
peak resident memory (``ru_maxrss``) is reported. A refusal (``EngineLimitError``) is reported with its time.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time


def rules_file(rules: int, values: int) -> str:
    entries = [
        {
            "id": f"trust.names-{r}",
            "title": f"Site names {r}",
            "level": "must",
            "subject": "site",
            "requirement": "The site is one of the Trust's listed sites.",
            "remediation": "List the site.",
            "citation": {"document": "Trust policy", "section": "1", "clause": f"1.{r}", "quote": "Sites are listed."},
            "holds": {"op": "in", "path": "name", "values": [f"N{r}-{v}" for v in range(values)]},
        }
        for r in range(rules)
    ]
    return json.dumps({"rules": entries})


CHILD = """
import resource, sys, time
import natssips_rules as nr
rules = nr.load_rules_file(sys.argv[1]).ruleset(nr.RuleSet([]))
org = {"id": "o", "name": "O", "kind": "nhs_trust", "nation": "england", "as_of": "2026-03-31",
       "sites": [{"id": "s1", "name": "N0-0"}, {"id": "s2", "name": "Elsewhere"}]}
start = time.perf_counter()
try:
    nr.evaluate(org, rules=rules, engine="durable")
    outcome = "evaluated"
except nr.EngineLimitError as exc:
    outcome = "refused: " + str(exc).split(";")[0]
took = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{took:.2f}\\t{usage.ru_utime + usage.ru_stime:.2f}\\t{usage.ru_maxrss / 1024:.0f}\\t{outcome}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=int, nargs="+", default=[400, 1000])
    parser.add_argument("--values", type=int, default=700)
    args = parser.parse_args()
    print("| rules | file size | first durable evaluation (s, wall) | CPU of the process (s) | peak RSS (MB) | outcome |")
    print("|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for count in args.rules:
            path = pathlib.Path(folder) / f"rules-{count}.json"
            path.write_text(rules_file(count, args.values))
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(
                    f"| {count:,} | {path.stat().st_size / 1e6:.1f} MB | {time.perf_counter() - started:.1f} | - | - | "
                    f"failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]} |"
                )
                continue
            took, cpu, rss, outcome = done.stdout.strip().split("\t")
            print(f"| {count:,} | {path.stat().st_size / 1e6:.1f} MB | {took} | {cpu} | {rss} | {outcome} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
