"""Is every claim of the analysis true? The corpus of local rules files, and the time for large rule sets.

    python benchmarks/analysis_corpus.py [--orgs 150] [--scale 200 1000] [--timeout 60]

For each file of tests/analysis/corpus (25 correct, 25 with one planted problem, listed in expected.json) it runs the
analysis and counts:

- crashes: the analysis raised (anything);
- false alarms: a problem on a correct file (notes are not problems);
- problems caught: a planted file whose planted problem is reported (a switched-off rule: as a note);
- false claims: a "never" (bounded ones included, except those rounding may refute), "contradicts" or "repeats"
  refuted by a randomised search: random organisations (natssips_rules.testing) and every witness the analysis
  built, each evaluated on both engines at its own date and at dates from 0001 to 9999.

Then, with --scale, the time to analyse that many generated local rules (natssips_rules.testing.local_rules) with
the built-in set, and how far the analysis got within --timeout.
"""

import argparse
import datetime
import json
import pathlib
import platform
import sys
import time
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))

import natssips_rules as nr
from natssips_rules import analysis

CORPUS = pathlib.Path(__file__).parent.parent / "tests" / "analysis" / "corpus"
DATES = (None, datetime.date(1, 6, 1), datetime.date(1990, 1, 1), datetime.date(9999, 1, 1))


def random_organisations(n: int) -> list:
    from hypothesis.errors import NonInteractiveExampleWarning

    from natssips_rules.testing import organisations

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        strategy = organisations(known=0.8)
        return [strategy.example() for _ in range(n)]


def refutations(result: analysis.SetAnalysis, ruleset: nr.RuleSet, pool: list) -> list[str]:
    """The claims of ``result`` a randomised search refutes (empty: none found)."""
    never = {
        r.rule_id: {s for s in analysis.STATUSES if r.never(s)}
        for r in result.rules
        if not any("floating point" in b for b in r.bound)
    }
    pairs = [(p.kind, p.rule_id, p.other) for p in result.problems if p.kind in ("contradicts", "repeats")]
    claimed = {rid for rid, ss in never.items() if ss} | {x for _, a, b in pairs for x in (a, b)}
    if not claimed:
        return []
    rules = nr.RuleSet(tuple(r for r in ruleset if r.id in claimed))
    witnesses = [w for r in result.rules for w in r.witnesses.values() if w is not None]
    found: list[str] = []
    for facts in [*pool, *witnesses]:
        for when in DATES:
            for engine in ("reference", "durable"):
                try:
                    report = nr.evaluate(facts, rules=rules, engine=engine, as_of=when)
                except nr.FactsError:
                    continue
                statuses: dict[str, dict[str, nr.Status]] = {}
                for f in report.findings:
                    statuses.setdefault(f.rule_id, {})[f.subject.id] = f.status
                for rid, ss in never.items():
                    hit = {s for s in statuses.get(rid, {}).values()} & ss
                    if hit:
                        found.append(f"{rid}: claimed never {sorted(s.value for s in hit)}, given on {engine} at {when}")
                for kind, a, b in pairs:
                    sa, sb = statuses.get(a, {}), statuses.get(b, {})
                    if kind == "contradicts":
                        met_a = [k for k, s in sa.items() if s is nr.Status.MET]
                        met_b = [k for k, s in sb.items() if s is nr.Status.MET]
                        same = ruleset[a].subject is ruleset[b].subject
                        if (same and set(met_a) & set(met_b)) or (not same and met_a and met_b):
                            found.append(f"{a} contradicts {b}: both met on {engine} at {when}")
                    elif any(sa[k] is not sb.get(k) for k in sa if k in sb):
                        found.append(f"{a} repeats {b}: statuses differ on {engine} at {when}")
        if found:
            break
    return found


def corpus(orgs: int, timeout: float) -> None:
    expected = json.loads((CORPUS / "expected.json").read_text())
    pool = random_organisations(orgs)
    crashes = false_alarms = caught = planted = 0
    false_claims: list[str] = []
    seconds: list[float] = []
    for path in sorted(CORPUS.glob("*/*.json")):
        if path.name == "expected.json":
            continue
        name = f"{path.parent.name}/{path.name}"
        ruleset = nr.load_rules_file(path).ruleset()
        started = time.perf_counter()
        try:
            result = analysis.analyse(ruleset, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - counted and shown
            crashes += 1
            print(f"CRASH {name}: {type(exc).__name__}: {exc}")
            continue
        seconds.append(time.perf_counter() - started)
        found = {(p.kind, p.rule_id, p.other) for p in result.problems if p.severity == "problem"}
        notes = {(p.kind, p.rule_id, p.other) for p in result.problems if p.severity == "note"}
        if path.parent.name == "correct":
            if found:
                false_alarms += len(found)
                print(f"FALSE ALARM {name}: {sorted(found)}")
        else:
            planted += 1
            want = {tuple(e) for e in expected[name]}
            if want <= (found | notes):
                caught += 1
            else:
                print(f"MISSED {name}: expected {sorted(want)}, found {sorted(found)} and notes {sorted(notes)}")
            extra = found - want
            if extra:
                print(f"  also on {name}: {sorted(extra)}")
        refuted = refutations(result, ruleset, pool)
        false_claims += [f"{name}: {r}" for r in refuted]
        for r in refuted[:3]:
            print(f"FALSE CLAIM {name}: {r}")
    print()
    print(
        f"files: {len(seconds) + crashes} ({planted} planted); organisations searched per file: {orgs} random + the witnesses, "
        f"at {len(DATES)} dates, on both engines"
    )
    print(
        f"false claims: {len(false_claims)}; false alarms: {false_alarms}; crashes: {crashes}; "
        f"problems caught: {caught} of {planted}"
    )
    print(f"analysis time per file: median {sorted(seconds)[len(seconds) // 2]:.1f} s, longest {max(seconds):.1f} s")


def scale(sizes: list[int], timeout: float) -> None:
    from hypothesis.errors import NonInteractiveExampleWarning

    from natssips_rules.testing import local_rules

    for n in sizes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonInteractiveExampleWarning)
            rules = [local_rules(rule_id=f"trust.rule-{i}").example() for i in range(n)]
        ruleset = nr.compose(rules)
        stages: dict[str, float] = {}
        started = time.perf_counter()

        def progress(stage: str, done: int, total: int, stages: dict[str, float] = stages, started: float = started) -> None:
            if done == total:
                stages[stage] = time.perf_counter() - started

        result = analysis.analyse(ruleset, timeout=timeout, progress=progress)
        took = time.perf_counter() - started
        done = ", ".join(f"{stage} done at {t:.1f} s" for stage, t in stages.items())
        state = (
            "complete"
            if result.stopped is None
            else f"PARTIAL ({result.stopped}; not analysed: {'; '.join(result.not_analysed)})"
        )
        problems = sum(p.severity == "problem" for p in result.problems)
        print(
            f"{n} local rules + {len(ruleset) - n} built-in: {took:.1f} s, {state}; {done}; {problems} problems, "
            f"{len(result.problems) - problems} notes"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=150, help="random organisations searched per file (default 150)")
    parser.add_argument("--scale", type=int, nargs="*", default=[], help="also time this many generated local rules")
    parser.add_argument("--timeout", type=float, default=60.0, help="the analysis' time limit (default 60 s)")
    parser.add_argument("--no-corpus", action="store_true", help="only the --scale runs")
    args = parser.parse_args()
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}")
    if not args.no_corpus:
        corpus(args.orgs, args.timeout)
    scale(args.scale, args.timeout)


if __name__ == "__main__":
    main()
