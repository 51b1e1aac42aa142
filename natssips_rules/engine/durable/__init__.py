"""The durable engine: rule data run in durable_rules' C core (Rete).

This package is the only place that imports durable_rules, and it owns every
guard listed in the project's DURABLE_RULES.md:

* the C module ``durable_rules_engine`` is driven directly (never the
  ``durable.lang`` host, its global state or its timer threads); the action
  loop runs synchronously in the caller's thread;
* each session asserts, in one batch, every fact its rules may join, with a
  *barrier* fact last, and every engine rule starts with a pattern on its
  phase's barrier, so joins never see facts in arrival order (a join with a
  fact asserted in an earlier call was seen to be missed);
* a rule on the barrier always fires, so every session runs an action before
  ``delete_state`` (deleting a session that ran none frees uninitialised memory);
* ``assert_facts`` is never called with an empty batch (the barrier is in every one);
* the return code of ``assert_facts`` is read (1 = some fact matched no rule,
  harmless; 2 = a fact was seen as a duplicate, which is an error here);
* facts only, never events; every fact has an explicit ``id`` whose 32-bit
  FNV-1 hashes (as the engine looks facts and joins up) are checked distinct;
* one fresh session per evaluation, always deleted in ``finally``; a ruleset
  whose session could not be deleted is discarded;
* every pattern tests ``kind`` first, so the engine's own state fact and the
  barrier never match a rule about facts;
* "is known" is compiled explicitly (``$ex``/``$nex``); unknown facts are left
  out of the engine facts rather than sent as ``null``;
* facts are typed before they reach the engine (``"10" == 10`` and
  ``True == 1`` are true there), numbers are written without exponents and
  NaN/Infinity are refused at the facts boundary; integers, strings and list
  sizes are bounded there (see ``natssips_rules.facts.model``);
* parameters are compiled into the rules as constants; values joined from
  another fact are only ever compared for equality;
* facts are sorted going in (in the order of the facts document, which the
  adapter fixes) and findings are sorted coming out;
* one lock per compiled rule set: the engine is not re-entrant.
"""

import json
import math
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import durable_rules_engine as _engine

from natssips_rules.engine.kleene import status, sum_range
from natssips_rules.engine.subjects import Context, SubjectEntry, SubjectKey
from natssips_rules.errors import EngineError, EngineLimitError, RuleError, RuleProblem
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import Rule, RuleSet

from .compile import ABSENT_PROPERTY, Program, compile_rules, prop
from .encoding import dumps
from .envelope import LIMITS, count_tests, measure, violations
from .facts import EngineFacts, copies_of, write_facts

__all__ = [
    "BYTES_PER_TEST",
    "MAX_ENGINE_TESTS",
    "DurableEngine",
    "count_facts",
    "fired_status",
    "fnv1_32",
    "record_frames",
    "safe_ids",
]

#: The session id; one session is live per compiled rule set at a time.
SID = "1"

_RESULT_OK = 0
_RESULT_UNMATCHED = 1  # some fact matched no rule: harmless
_RESULT_OBSERVED = 2  # a fact with the same identity was already asserted


def fnv1_32(text: str) -> int:
    """The engine's 32-bit hash of a string, as its ``fnv1Hash32`` in ``state.c`` computes it.

    Despite the name, the engine xors each byte before multiplying (FNV-1a
    order), and xors bytes as signed chars.
    """
    value = 0x811C9DC5
    for byte in text.encode():
        value ^= byte if byte < 0x80 else byte - 0x100 & 0xFFFFFFFF
        value = (value * 16777619) & 0xFFFFFFFF
    return value


class _SafeIds:
    """Fact ids ``f0, f1, ...`` skipping any whose hashes would collide with an earlier one."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._hashes: set[int] = set()
        self._next = 0
        self._lock = threading.Lock()

    def first(self, count: int) -> list[str]:
        with self._lock:
            while len(self._ids) < count:
                candidate = f"f{self._next}"
                self._next += 1
                keys = (fnv1_32(candidate), fnv1_32(f"{SID}!{candidate}"))
                if any(k in self._hashes for k in keys):
                    continue
                self._hashes.update(keys)
                self._ids.append(candidate)
            return self._ids[:count]


_SAFE_IDS = _SafeIds()


def safe_ids(count: int) -> list[str]:
    """``count`` fact ids whose engine hashes are pairwise distinct."""
    return _SAFE_IDS.first(count)


def _id_stream() -> Iterator[str]:
    size = 256
    start = 0
    while True:
        batch = safe_ids(size)
        yield from batch[start:]
        start = size
        size *= 2


class _EngineRuleset:
    """A ruleset created in the engine, deleted when no longer referenced."""

    _names = 0
    _names_lock = threading.Lock()

    def __init__(self, rules_json: str) -> None:
        with _EngineRuleset._names_lock:
            _EngineRuleset._names += 1
            name = f"natssips_{_EngineRuleset._names}"
        self.handle: int = _engine.create_ruleset(name, rules_json)
        self._finalizer = weakref.finalize(self, _engine.delete_ruleset, self.handle)


#: Most engine facts one session holds: each costs the engine about 8.7 KB whatever its size, and the
#: time to join facts with the same key grows with the square of their number.
MAX_SESSION_FACTS = 50_000


class _Shard:
    """Some of the rule set's rules in one engine ruleset (within the engine's measured envelope), with its lock.

    An engine failure during one evaluation fails that evaluation alone: the
    session is never deleted after a failed call (the engine would free
    memory it never set), the engine's ruleset is replaced by a fresh one, and
    no later evaluation sees its state.
    """

    def __init__(self, indices: list[int], program: Program) -> None:
        self.indices = indices
        self.program = program
        self._rules_json = dumps(program.rules_json)
        self._ruleset = _EngineRuleset(self._rules_json)
        self.lock = threading.Lock()

    @property
    def handle(self) -> int:
        return self._ruleset.handle

    def run(self, ctx: Context) -> tuple[dict[tuple[int, str], set[str]], dict[tuple[str, int], str]]:
        """Evaluate; returns the facts each part fired for (by (part, "t"/"f")), and each subject's engine id."""
        program = self.program
        spare = _id_stream()
        written = write_facts(ctx.org, ctx.as_of, program, spare, SID)
        if len(written.facts) > MAX_SESSION_FACTS:
            raise EngineLimitError(
                f"the organisation gives {len(written.facts):,} engine facts; the durable engine is run with at most "
                f"{MAX_SESSION_FACTS:,} per evaluation (memory and time grow too fast beyond): use the reference engine"
            )
        fired: dict[tuple[int, str], set[str]] = {}
        with self.lock:
            if program.where_formulas:
                # session 1: each count's 'where', for each item
                self._session([*written.facts, *_barriers(program, 1, spare)], fired)
            counts = count_facts(program, written, fired, spare, SID)
            # session 2: the rules' parts, with every fact they join in the same batch
            self._session([*written.facts, *counts, *_barriers(program, 2, spare)], fired)
        return fired, written.subjects

    def _session(self, batch: list[dict[str, Any]], fired: dict[tuple[int, str], set[str]]) -> None:
        """One fresh session: assert the batch at once, run every action, delete the session."""
        try:
            result = _engine.assert_facts(self.handle, dumps(batch))
            code, offset = result[0], result[1]
            if code not in (_RESULT_OK, _RESULT_UNMATCHED):
                raise EngineError(f"durable_rules refused the facts (result {code})")
            self._actions(offset, fired)
        except BaseException as exc:
            # never delete_state after a failed call: the engine would read memory it never set (and abort);
            # drop the whole engine ruleset instead, and start afresh for the next evaluation
            self._ruleset = _EngineRuleset(self._rules_json)
            if isinstance(exc, EngineError) or not isinstance(exc, Exception):
                raise
            raise EngineError(f"durable_rules failed: {exc}") from exc
        try:
            _engine.delete_state(self.handle, SID)
        except Exception as exc:  # the engine's own error types are not exported: any failure here is the engine's
            self._ruleset = _EngineRuleset(self._rules_json)
            raise EngineError(f"durable_rules could not delete its session: {exc}") from exc

    def _actions(self, offset: int, fired: dict[tuple[int, str], set[str]]) -> None:
        """Run every pending action of the session at ``offset``, recording what each matched."""
        program = self.program
        result = _engine.start_action_for_state(self.handle, offset)
        messages = result[1] if result else None
        if not messages:
            # every session matches its start rule: no action means the engine dropped facts of the batch
            raise EngineError("durable_rules ran no action for the session (facts were dropped)")
        while messages:
            for name, frames in json.loads(messages).items():
                record_frames(program, name, [frames] if isinstance(frames, dict) else frames, fired)
            messages = _engine.complete_and_start_action(self.handle, offset)


def _limits_text(found: list[tuple[str, int, int, str]]) -> str:
    return "; ".join(f"{LIMITS[name][1]}: {value:,} (the engine's limit is {limit:,})" for name, value, limit, _ in found)


#: Most engine tests (see :func:`.envelope.count_tests`) of one rule set on the durable engine: each costs the
#: engine about 3.1 KB (and this adapter about 0.7 KB while it measures the network), so this keeps a rule
#: set's first durable evaluation under about 1 GB and 10 s (docs/performance.md, "A bound on compiling").
MAX_ENGINE_TESTS = 200_000
#: Bytes of memory per engine test, as measured (engine and adapter together), for the message of a refusal.
BYTES_PER_TEST = 3_800


def _refuse_if_too_large(program: Program, rules: tuple[Rule, ...]) -> None:
    """Refuse, before any network is built or engine memory spent, a rule set beyond :data:`MAX_ENGINE_TESTS`."""
    tests = count_tests(program.rules_json)
    if tests > MAX_ENGINE_TESTS:
        raise EngineLimitError(
            f"the rule set ({len(rules):,} rules) compiles to {tests:,} engine tests, about "
            f"{tests * BYTES_PER_TEST / 1e9:.1f} GB for the durable engine; it is run with at most {MAX_ENGINE_TESTS:,} "
            f"(about {MAX_ENGINE_TESTS * BYTES_PER_TEST / 1e9:.1f} GB and 10 s to compile): use the reference engine "
            "(engine='reference', --engine reference), which evaluates it as it is, or make the rules smaller "
            "(an 'in' list costs about two tests per value)"
        )


def _refusal(rule: Rule, found: list[tuple[str, int, int, str]]) -> RuleProblem:
    return RuleProblem(
        rule.id,
        None,
        f"beyond what the durable engine can run safely ({_limits_text(found)}); use the reference engine "
        "(engine='reference', --engine reference), or make the condition smaller",
        "engine_limit",
    )


#: The sizes that grow with the number of rules in one engine ruleset (the others are sizes of one rule).
_GROWING = ("stack", "children", "next_list", "betas", "rules")


def _shards(rules: tuple[Rule, ...]) -> list[tuple[list[int], Program]]:
    """The rules split over few engine rulesets, each within the engine's envelope.

    The whole set is compiled once (refused up front past :data:`MAX_ENGINE_TESTS`) and measured once; if it
    fits, it is one ruleset. Otherwise it is cut at once into as many packs as its sizes exceed the
    engine's limits by (with a margin), each compiled and measured, and a pack that still does not fit is
    halved: about two measures of every rule, not one per level of halving. A rule that does not fit alone
    is refused (``RuleError``): the reference engine runs it.
    """
    whole = compile_rules(rules)
    _refuse_if_too_large(whole, rules)
    found = violations(measure(whole.rules_json))
    if not found:
        return [(list(range(len(rules))), whole)]
    del whole
    over = max((value / limit for name, value, limit, _ in found if name in _GROWING), default=1.0)
    packs = min(len(rules), max(2, math.ceil(over * 1.25)))
    size = math.ceil(len(rules) / packs)
    return _split(rules, [list(range(start, min(start + size, len(rules)))) for start in range(0, len(rules), size)])


def _split(rules: tuple[Rule, ...], work: list[list[int]]) -> list[tuple[list[int], Program]]:
    """Each group of rules of ``work`` as one engine ruleset, halving those that do not fit."""
    out: list[tuple[list[int], Program]] = []
    refused: list[RuleProblem] = []
    while work:
        indices = work.pop(0)
        program = compile_rules([rules[i] for i in indices])
        found = violations(measure(program.rules_json))
        if not found:
            out.append((indices, program))
        elif len(indices) > 1:
            half = len(indices) // 2
            work[:0] = [indices[:half], indices[half:]]
        else:
            refused.append(_refusal(rules[indices[0]], found))
    if refused:
        raise RuleError(problems=refused)
    return out


class _Compiled:
    """A rule set compiled into one or more engine rulesets (shards), each within the engine's envelope."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.rules = ruleset.rules
        self.shards = [_Shard(indices, program) for indices, program in _shards(ruleset.rules)]

    @property
    def program(self) -> Program:
        """The program of the first shard (the whole rule set when it fits in one)."""
        return self.shards[0].program

    def decide(self, ctx: Context) -> list[list[Status]]:
        """The status of every rule for each of its subjects in ``ctx``."""
        decisions: list[list[Status]] = [[] for _ in self.rules]
        for shard in self.shards:
            fired, subject_ids = shard.run(ctx)
            for local, index in enumerate(shard.indices):
                rule = self.rules[index]
                decisions[index] = [
                    fired_status(shard.program, fired, subject_ids, local, rule, entry) for entry in ctx.subjects(rule.subject)
                ]
        return decisions

    def run(self, ctx: Context) -> tuple[dict[tuple[int, str], set[str]], dict[tuple[str, int], str]]:
        """The first shard's run (see :meth:`_Shard.run`); for tools that read the engine's matches."""
        return self.shards[0].run(ctx)


def _barriers(program: Program, phase: int, ids: Iterator[str]) -> list[dict[str, Any]]:
    """The barrier facts of a phase, one per group of engine rules, asserted last in its batch."""
    return [
        {"id": next(ids), "sid": SID, "kind": "$barrier", "phase": phase, "g": group} for group in range(program.groups(phase))
    ]


def fired_status(
    program: Program,
    fired: dict[tuple[int, str], set[str]],
    subject_ids: dict[SubjectKey, str],
    index: int,
    rule: Rule,
    entry: SubjectEntry,
) -> Status:
    """The status of one rule for one subject, from its parts' outcomes (the table of the architecture)."""
    fid = subject_ids.get(entry.key)
    if fid is None:
        raise EngineError(f"the engine facts hold no fact for {entry.ref.name!r}, a subject of rule {rule.id!r}")
    applies_formula, holds_formula = program.formulas[index]
    applies = True if applies_formula is None else applies_formula.truth(fired, fid)
    if applies is False:
        return Status.NOT_APPLICABLE
    return status(applies, holds_formula.truth(fired, fid))


def record_frames(program: Program, name: str, frames: list[dict[str, Any]], fired: dict[tuple[int, str], set[str]]) -> None:
    """Record what one engine rule matched: the subject (or the item of a count) its part is true or false for."""
    found = program.part_rules.get(name)
    if found is None:
        return  # the start rules
    part, label = found
    base = "s" if program.part_phase[part] == 2 else "i"
    bucket = fired.setdefault((part, label), set())
    for frame in frames:
        bucket.add(frame[base]["id"])


def count_facts(
    program: Program,
    written: EngineFacts,
    fired: dict[tuple[int, str], set[str]],
    ids: Iterator[str],
    sid: str,
) -> list[dict[str, Any]]:
    """The ``$count`` facts of the decision session: each count's (or sum's) range for each owner (none if unknown).

    Each item's match is its 'where' formula over the first session's parts.
    An owner the facts record as absent holds nothing: its count and sum are
    0. A sum that may be any size has no ``hi`` (a missing property fails
    every comparison, which is what "unbounded" needs).
    """
    counts = []
    by_id = {fact["id"]: fact for fact in written.facts} if any(n.summed for n in program.counts) else {}
    for node in program.counts:
        formula = program.where_formulas.get(node.index)
        for owner in written.by_class.get(node.owner, ()):
            fact: dict[str, Any] = {"id": next(ids), "sid": sid, "kind": f"$count{node.index}", "owner": owner["id"]}
            if owner.get(ABSENT_PROPERTY):
                fact["lo"], fact["hi"] = 0, 0
            elif owner.get(node.size_property) is not None:
                items = written.children.get((owner["id"], node.field), [])
                matches = [True if formula is None else formula.truth(fired, item) for item in items]
                if node.summed is None:
                    fact["lo"] = sum(1 for m in matches if m is True)
                    fact["hi"] = sum(1 for m in matches if m is not False)
                else:
                    low, high = sum_range((m, by_id[item].get(prop(node.summed))) for m, item in zip(matches, items, strict=True))
                    fact["lo"] = low
                    if high != math.inf:
                        fact["hi"] = high
            counts.append(fact)
    return [*counts, *copies_of(counts, program, ids)]


class DurableEngine:
    """durable_rules' Rete engine (C), driven through this adapter's guards."""

    name = "durable"

    def compile(self, ruleset: RuleSet) -> _Compiled:
        return _Compiled(ruleset)
