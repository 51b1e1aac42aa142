"""durable_rules used the naive way: its ``durable.lang`` host, one ``assert_fact`` call per fact.

The same compiled rules as the library's adapter, the same facts, but driven
as durable_rules' documentation shows: the global host (with its timer
thread), Python actions called back by the host, and each fact asserted on
its own. It is here to measure what the adapter's guards and batching are
worth, in time and in correctness: ``compare.py`` reports how many of its
findings differ from the engines' (joins with facts asserted in earlier calls
are unreliable in the engine; see DURABLE_RULES.md and
tests/engine/test_durable_guards.py).
"""

import itertools
from collections.abc import Iterator
from typing import Any

from durable.engine import MessageNotHandledException, MessageObservedException
from durable.lang import get_host

from natssips_rules import EngineError, Report, RuleSet, Status, builtin_rules, evaluate
from natssips_rules.engine.durable import count_facts, fired_status, record_frames, safe_ids
from natssips_rules.engine.durable.compile import Program, compile_ruleset
from natssips_rules.engine.durable.facts import write_facts
from natssips_rules.engine.subjects import Context
from natssips_rules.facts.model import Organisation

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


class _Naive:
    def __init__(self, ruleset: RuleSet) -> None:
        if ruleset is not builtin_rules():
            raise ValueError("the naive way is measured on the built-in rule set")
        self.rules = ruleset.rules

    def decide(self, ctx: Context) -> list[list[Status]]:
        program = _program()
        sid = f"n{next(_SESSIONS)}"
        ids = _ids(200_000)
        written = write_facts(ctx.org, ctx.as_of, program, ids, sid)
        _RECORD.clear()
        host = get_host()
        fired: dict[tuple[int, str], set[str]] = {}
        if program.where_formulas:
            barriers = [{"id": next(ids), "sid": sid, "kind": "$barrier", "phase": 1, "g": g} for g in range(program.groups(1))]
            _assert_each([*written.facts, *barriers])
            for name, frames in _RECORD.items():
                record_frames(program, name, frames, fired)
            host.delete_state(_NAME, sid)
            _RECORD.clear()
        counts = count_facts(program, written, fired, ids, sid)
        barriers = [{"id": next(ids), "sid": sid, "kind": "$barrier", "phase": 2, "g": g} for g in range(program.groups(2))]
        _assert_each([*written.facts, *counts, *barriers])
        for name, frames in _RECORD.items():
            record_frames(program, name, frames, fired)
        host.delete_state(_NAME, sid)

        def status(index: int, rule: Any, entry: Any) -> Status:
            try:
                return fired_status(program, fired, written.subjects, index, rule, entry)
            except EngineError:  # the naive way may fire contradicting decisions; counted as unknown
                return Status.INSUFFICIENT_EVIDENCE

        return [[status(i, rule, entry) for entry in ctx.subjects(rule.subject)] for i, rule in enumerate(self.rules)]


class NaiveEngine:
    """The built-in rules run through durable_rules' host, one fact per call."""

    name = "durable.lang (naive)"

    def compile(self, ruleset: RuleSet) -> _Naive:
        return _Naive(ruleset)


def evaluate_naive(org: Organisation) -> Report:
    """The built-in rules run through durable_rules' host, one fact per call."""
    return evaluate(org, engine=NaiveEngine())
