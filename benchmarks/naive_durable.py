"""durable_rules used the naive way: its ``durable.lang`` host, one ``assert_fact`` call per fact.

The same compiled rules as the library's adapter, the same facts, but driven
as durable_rules' documentation shows: the global host (with its timer
thread), Python actions called back by the host, and each fact asserted on
its own. It is here to measure what the adapter's guards and batching are
worth, in time and in correctness: ``compare.py`` reports how many of its
findings differ from the engines' (joins with facts asserted in earlier calls
are unreliable in the engine; see DURABLE_RULES.md and
tests/test_durable_guards.py).
"""

import itertools
from collections.abc import Iterator
from typing import Any

from durable.engine import MessageNotHandledException, MessageObservedException
from durable.lang import get_host

from natssips_rules import Report, Status, SubjectRef, Summary, builtin_rules
from natssips_rules._version import __version__
from natssips_rules.engine.common import Context, subjects
from natssips_rules.engine.durable import safe_ids
from natssips_rules.engine.durable.compile import Program, compile_ruleset, flatten
from natssips_rules.evaluate import _finding
from natssips_rules.facts import Organisation

_NAME = "natssips_naive"
_PROGRAM: Program | None = None
_RECORD: dict[str, Any] = {}
_SESSIONS = itertools.count(1)


def _action(rule_name: str) -> Any:
    def run(c: Any) -> None:
        raw = c.__dict__.get("_m", c.__dict__.get("m"))
        frames = raw if isinstance(raw, list) else [raw]
        _RECORD.setdefault(rule_name, []).extend(frames)

    return run


def _program() -> Program:
    global _PROGRAM
    if _PROGRAM is None:
        program = compile_ruleset(builtin_rules())
        definition = {name: {**rule, "run": _action(name)} for name, rule in program.rules_json.items()}
        get_host().register_rulesets({_NAME: definition})
        _PROGRAM = program
    return _PROGRAM


def _assert_each(facts: list[dict[str, Any]]) -> None:
    host = get_host()
    for fact in facts:
        try:
            host.assert_fact(_NAME, fact)
        except (MessageNotHandledException, MessageObservedException):
            pass


def _ids(count: int) -> Iterator[str]:
    return iter(safe_ids(count))


def evaluate_naive(org: Organisation) -> Report:
    """The built-in rules run through durable_rules' host, one fact per call."""
    program = _program()
    sid = f"n{next(_SESSIONS)}"
    ids = _ids(200_000)
    facts, by_class, subject_ids = flatten(org, org.as_of, program, ids, sid)
    _RECORD.clear()
    host = get_host()
    matched: dict[tuple[int, str], dict[str, set[str]]] = {}
    if program.collectors:
        _assert_each([*facts, {"id": next(ids), "sid": sid, "kind": "$barrier", "phase": 1}])
        for name, frames in _RECORD.items():
            if name in program.collectors:
                per_owner = matched.setdefault(program.collectors[name], {})
                for frame in frames:
                    per_owner.setdefault(frame["o"]["id"], set()).add(frame["i"]["id"])
        host.delete_state(_NAME, sid)
        _RECORD.clear()
    counts = []
    for node in program.counts:
        for owner in by_class.get(node.owner, ()):
            fact = {"id": next(ids), "sid": sid, "kind": f"$count{node.index}", "owner": owner["id"]}
            size = owner.get(node.size_property)
            if size is not None:
                if node.where is None:
                    low = high = size
                else:
                    hits = matched.get((node.index, "t"), {}).get(owner["id"], set())
                    misses = matched.get((node.index, "f"), {}).get(owner["id"], set())
                    low, high = len(hits), size - len(misses)
                fact["lo"], fact["hi"] = low, high
            counts.append(fact)
    _assert_each([*facts, *counts, {"id": next(ids), "sid": sid, "kind": "$barrier", "phase": 2}])
    decided: dict[tuple[int, str], set[str]] = {}
    for name, frames in _RECORD.items():
        if name in program.decisions:
            bucket = decided.setdefault(program.decisions[name], set())
            for frame in frames:
                bucket.add(frame["s"]["id"])
    host.delete_state(_NAME, sid)
    ruleset = builtin_rules()
    ctx = Context(org, org.as_of)
    ranked = []
    for index, rule in enumerate(ruleset):
        objects = rule.subject.objects
        for entry in subjects(rule.subject, ctx):
            fid = subject_ids[entry.key]
            fired = [s for s in ("met", "not_met", "not_applicable") if fid in decided.get((index, s), ())]
            status = Status(fired[0]) if len(fired) == 1 else Status.INSUFFICIENT_EVIDENCE
            rank = objects.index(entry.location) if entry.location in objects else 0
            ranked.append(((index, entry.ref.kind, rank, entry.ref.id), _finding(rule, status, entry, ctx)))
    findings = tuple(f for _, f in sorted(ranked, key=lambda pair: pair[0]))
    return Report(
        organisation=SubjectRef("organisation", org.id, org.name),
        as_of=org.as_of,
        findings=findings,
        summary=Summary.of(findings),
        engine="durable.lang (naive)",
        library_version=__version__,
        ruleset_digest=ruleset.digest,
        sources=ruleset.sources,
    )
