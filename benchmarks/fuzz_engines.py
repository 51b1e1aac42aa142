"""A long differential campaign: generated organisations x generated rule sets, both engines, at a Trust's scale.

    python benchmarks/fuzz_engines.py --minutes 30 [--max-rules 400] [--orgs 4] [--out fuzz-results] [--shapes]

Each case is one generated rule set (``natssips_rules.testing.local_rule_sets``:
up to ``--max-rules`` local rules with long ``in`` lists, deep nesting and
shared facts, composed with the built-in rules, and also on their own) and a
few generated organisations; every organisation is evaluated on both engines
and the reports compared. The cases run in a child process watched by this
one: a child that dies is a crash, a case that makes no progress for
``--case-timeout`` seconds is a hang; both are recorded with the case (its
rules and facts as JSON, in ``--out``) and the child is restarted. A rule set
the durable engine refuses (``RuleError``, ``EngineLimitError``) is counted
apart: a refusal is allowed, a different answer is not.

With ``--shapes`` the rule sets come from ``natssips_rules.testing.any_rule_sets``
instead (every node kind, covers and option included, ``organisation.`` and deep
paths, counts above 12, sums, numbers and day spans at their limits; rule sets
of up to ``--max-rules`` rules, on their own), each organisation is also
evaluated at 0001-01-01 and 9999-12-31, and every finding's reasons are
compared with the explanation of that finding alone (a stale reason is a
disagreement too).

Prints one summary line at the end; exit 1 if any crash, hang or disagreement.
Each case kept is also pickled (the Rule and Organisation objects), to replay it:
``rules, orgs = pickle.load(open(path, "rb"))``.
"""

import argparse
import json
import multiprocessing
import multiprocessing.connection
import pathlib
import pickle
import sys
import time
from typing import Any


def _memo_free_reasons(report: Any, ruleset: Any, org: Any) -> list[Any]:
    """Each finding's reasons from an explanation of that finding alone (a fresh context each)."""
    from natssips_rules.engine.subjects import Context
    from natssips_rules.evaluation import EMPTY_LIST_ID
    from natssips_rules.evaluation.assemble import kept_names, reasons_in_own_words
    from natssips_rules.evaluation.explain import Explainer

    out = []
    for finding in report.findings:
        if finding.subject.id == EMPTY_LIST_ID:
            out.append(finding.reasons)
            continue
        rule = ruleset[finding.rule_id]
        ctx = Context(org, report.as_of)
        entry = next(e for e in ctx.subjects(rule.subject) if e.ref == finding.subject)
        reasons = Explainer(set()).explain(rule, finding.underlying_status or finding.status, entry, ctx)
        out.append(reasons_in_own_words(reasons, report.noun, kept_names(ctx)))  # the report's words for the organisation
    return out


def _child(conn: Any, seed: int, max_rules: int, orgs_per_case: int, out: str, shapes: bool = False) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from hypothesis import HealthCheck, Phase, given, seed as hseed, settings, strategies as st

    import natssips_rules as nr
    from natssips_rules.testing import LIMIT_DATES, any_rule_sets, local_rule_sets, organisations

    folder = pathlib.Path(out)
    current = folder / f"current-{seed}.json"

    @hseed(seed)
    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(
        (any_rule_sets if shapes else local_rule_sets)(1, max_rules),
        st.lists(st.one_of(organisations(), organisations(known=0.9)), min_size=1, max_size=orgs_per_case),
    )
    def case(rules: tuple[nr.Rule, ...], orgs: list[nr.Organisation]) -> None:
        current.write_text(
            json.dumps({"rules": [r.to_data() for r in rules], "organisations": [nr.dump_facts(o) for o in orgs]}, default=str)
        )
        current.with_suffix(".pickle").write_bytes(pickle.dumps((rules, orgs)))
        counts = {"rule_sets": 0, "evaluations": 0, "refused": 0, "disagreements": 0, "rules": len(rules)}
        rulesets = (nr.RuleSet(list(rules)),) if shapes else (nr.compose(rules), nr.RuleSet(list(rules)))
        dates = (None, *LIMIT_DATES) if shapes else (None,)
        for ruleset in rulesets:
            counts["rule_sets"] += 1
            for org, as_of in ((org, as_of) for org in orgs for as_of in dates):
                report = nr.evaluate(org, rules=ruleset, engine="reference", as_of=as_of)
                stale = shapes and _memo_free_reasons(report, ruleset, org) != [f.reasons for f in report.findings]
                reference = report.to_dict()
                try:
                    durable = nr.evaluate(org, rules=ruleset, engine="durable", as_of=as_of).to_dict()
                except (nr.RuleError, nr.EngineLimitError):
                    counts["refused"] += 1
                    continue
                counts["evaluations"] += 1
                durable.pop("engine"), reference.pop("engine")
                if durable != reference or stale:
                    counts["disagreements"] += 1
                    stamp = f"{seed}-{time.time_ns()}"
                    (folder / f"disagreement-{stamp}.json").write_text(current.read_text())
                    (folder / f"disagreement-{stamp}.pickle").write_bytes(current.with_suffix(".pickle").read_bytes())
        conn.send(counts)

    case()


def keep_case(out: pathlib.Path, seed: int, name: str) -> None:
    """Keep the case the child was on (its JSON and its pickle) under ``name``."""
    current = out / f"current-{seed}.json"
    if current.exists():
        current.rename(out / f"{name}.json")
        current.with_suffix(".pickle").rename(out / f"{name}.pickle")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--max-rules", type=int, default=400)
    parser.add_argument("--orgs", type=int, default=4, help="organisations per rule set")
    parser.add_argument("--case-timeout", type=float, default=120.0)
    parser.add_argument("--out", default="fuzz-results", help="folder for crashes, hangs and disagreements")
    parser.add_argument("--shapes", action="store_true", help="rules of every condition shape (any_rule_sets), at the limits")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")
    deadline = time.monotonic() + args.minutes * 60
    totals = {
        "cases": 0,
        "rule_sets": 0,
        "evaluations": 0,
        "refused": 0,
        "disagreements": 0,
        "crashes": 0,
        "hangs": 0,
        "largest": 0,
    }
    seed = 0
    while time.monotonic() < deadline:
        seed += 1
        parent, child_end = context.Pipe()
        child = context.Process(
            target=_child, args=(child_end, seed, args.max_rules, args.orgs, str(out), args.shapes), daemon=True
        )
        child.start()
        child_end.close()
        last = time.monotonic()
        while True:
            if time.monotonic() >= deadline:
                child.kill()
                child.join()
                break
            ready = multiprocessing.connection.wait([parent, child.sentinel], timeout=5)
            if parent in ready:
                try:
                    counts = parent.recv()
                except EOFError:
                    ready = [child.sentinel]
                else:
                    totals["cases"] += 1
                    totals["largest"] = max(totals["largest"], counts.pop("rules"))
                    for key, value in counts.items():
                        totals[key] += value
                    last = time.monotonic()
                    continue
            if child.sentinel in ready:
                child.join()
                totals["crashes"] += 1
                keep_case(out, seed, f"crash-{seed}-exit{child.exitcode}")
                print(f"crash: the child ended with {child.exitcode}; case kept in {out}", file=sys.stderr)
                break
            if time.monotonic() - last > args.case_timeout:
                child.kill()
                child.join()
                totals["hangs"] += 1
                keep_case(out, seed, f"hang-{seed}")
                print(f"hang: no case finished in {args.case_timeout:g} s; case kept in {out}", file=sys.stderr)
                break
        (out / f"current-{seed}.json").unlink(missing_ok=True)
        (out / f"current-{seed}.pickle").unlink(missing_ok=True)
    print(
        f"{args.minutes:g} minutes: {totals['cases']} cases ({totals['rule_sets']} rule sets of up to {totals['largest']} local "
        f"rules), {totals['evaluations']} organisations evaluated on both engines, {totals['refused']} refused by the "
        f"durable engine, {totals['disagreements']} disagreements, {totals['crashes']} crashes, {totals['hangs']} hangs"
    )
    return 1 if totals["disagreements"] or totals["crashes"] or totals["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
