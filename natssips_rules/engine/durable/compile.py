"""Compile rule data to durable_rules' ruleset JSON.

Part of the durable adapter (see ``__init__``); it knows the engine's data
formats and the guards they need, but does not import the engine.

How a rule becomes engine rules
-------------------------------
Each condition is compiled twice, to the patterns under which it is
definitely *true* and definitely *false* (Kleene logic: a missing field makes
every engine comparison false, so unknown facts match neither). Patterns are
kept in disjunctive normal form whose atoms are tests on one fact each; facts
reached by a path (a nested object, a reference by id) are joined by equality
on their engine id. A rule's ``applies_when`` and ``holds`` are
each planned as a formula over *parts*: a part is a sub-condition whose
patterns stay small (at most :data:`PART_LIMIT` alternatives each way), compiled
to engine rules that record, per subject, that the part is definitely true or
definitely false. A condition whose patterns would grow beyond that (a
conjunction of many alternatives multiplies them) is cut at its ``all``,
``any`` and ``not`` nodes into smaller parts, and the adapter combines the
parts' outcomes in Kleene logic, then reads the status from the table
(applies false: not applicable; applies and holds true: met; applies true
and holds false: not met; otherwise insufficient evidence).

Counts are accumulated in two phases: phase-1 engine rules match the items
that definitely match (and definitely do not match) each count's ``where``;
the adapter tallies them and asserts one ``$count`` fact per owner, with the
lowest and highest possible count; phase-2 rules (the decisions) join those.
Every engine rule starts with the barrier fact of its phase, asserted last in
its batch, so no rule fires before all the facts it may join are in.
"""

import enum
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, assert_never

import attrs

from natssips_rules.engine.kleene import range_truth
from natssips_rules.errors import EngineError, RuleError
from natssips_rules.facts.model import Organisation
from natssips_rules.facts.paths import FieldInfo, fields_of, resolve_path
from natssips_rules.rules.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Count,
    Covers,
    In,
    Includes,
    IsKnown,
    Named,
    Not,
    Option,
    Param,
    Present,
    Sum,
    WithinDays,
    expand_covers,
)
from natssips_rules.rules.model import Rule, RuleSet

__all__ = [
    "ABSENT_PROPERTY",
    "COPY_OF",
    "IN_CHUNK",
    "MAX_PROPERTIES",
    "NONE_VALUE",
    "PART_LIMIT",
    "CountNode",
    "Formula",
    "Program",
    "compile_rules",
    "compile_ruleset",
    "copy_kind",
    "kind_name",
    "prop",
]

#: Most alternatives (disjuncts) one part's patterns may have, each way; a larger condition is cut into parts.
PART_LIMIT = 64
#: Most values of an ``in`` list tested under one node (the engine's table of tests under a node holds 511).
IN_CHUNK = 256
#: The engine refuses facts with more than 252 properties; stay below.
MAX_PROPERTIES = 240
#: Frames handed to one action at most (the engine batches matches up to this).
ACTION_CAP = 1000
#: Most engine rules starting on one barrier pattern: the engine keeps at most 256 rules after any one
#: pattern (BETA_LIST_LENGTH in durable_rules' rules.h); each group of rules has its own barrier fact.
BARRIER_GROUP_SIZE = 128

AliasKey = tuple[str, ...]
Atom = tuple[AliasKey, Any]
Conjunct = tuple[Atom, ...]
DNF = list[Conjunct]

TRUE: DNF = [()]
FALSE: DNF = []

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_ENGINE_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


def kind_name(cls: type[Any]) -> str:
    """The engine ``kind`` of facts of a class (``SteeringGroup`` -> ``steering_group``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


# --------------------------------------------------------------------------
# DNF helpers


def _and(a: DNF, b: DNF) -> DNF:
    if len(a) * len(b) > PART_LIMIT:
        raise _TooLarge()
    out = [x + y for x in a for y in b]
    if any(not _fits(conjunct) for conjunct in out):
        raise _TooLarge()
    return out


#: Most patterns one engine rule joins (the engine's MAX_MESSAGE_FRAMES is 16), with room for the
#: barrier and the fixed patterns of a count's item.
MAX_ALIASES = 13
#: Most alternatives (``$or``) in the tests of one pattern (2 each, with 2 for the ``$and`` and 1 per
#: join, against the engine's 31 expressions).
MAX_ALTERNATIVES = 12


def _fits(conjunct: Conjunct) -> bool:
    """Whether one conjunct stays within what one engine rule may hold (patterns, and expressions per pattern)."""
    aliases = {alias[:i] for alias, _ in conjunct for i in range(1, len(alias) + 1)}
    if len(aliases) > MAX_ALIASES:
        return False
    alternatives: dict[AliasKey, int] = {}
    for alias, test in conjunct:
        alternatives[alias] = alternatives.get(alias, 0) + json.dumps(test).count('"$or"')
    return all(n <= MAX_ALTERNATIVES for n in alternatives.values())


def _or(a: DNF, b: DNF) -> DNF:
    if len(a) + len(b) > PART_LIMIT:
        raise _TooLarge()
    return a + b


class _TooLarge(Exception):
    pass


# --------------------------------------------------------------------------


@attrs.frozen
class CountNode:
    """A count (or a sum) in some rule: which list of which owner, what the items must match, what is summed."""

    index: int
    owner: type[Any]
    field: str
    item: type[Any]
    by_reference: bool
    where: Condition | None
    params: dict[str, Any] = attrs.field(eq=False, hash=False)
    #: For a sum: the number field of the items that is added up.
    summed: str | None = None

    @property
    def size_property(self) -> str:
        return f"{self.field}__n"


#: The value an object or reference field holds in the engine when the facts record there is none.
NONE_VALUE = "$none"
#: The property of a subject's fact when the facts record that the subject does not exist.
ABSENT_PROPERTY = "absent__"


#: Engine properties the adapter gives every fact; a facts field of the same name
#: (``Organisation.kind``, every entity's ``id``) must never overwrite them.
RESERVED_PROPERTIES = frozenset({"id", "sid", "kind", "parent", "coll"})


def prop(name: str) -> str:
    """The engine property holding the facts field ``name`` (facts field names never contain ``__``)."""
    return f"{name}__v" if name in RESERVED_PROPERTIES else name


def _property(info: FieldInfo) -> str:
    """The engine property holding a field (lists hold their length)."""
    if info.kind in ("collection", "reflist", "enumset"):
        return f"{info.name}__n"
    return prop(info.name)


class _Compiler:
    """Compiles conditions of one rule (or one count's ``where``) to DNF."""

    def __init__(
        self,
        program: "Program",
        base: AliasKey,
        base_cls: type[Any],
        params: dict[str, Any],
        root: AliasKey,
        *,
        base_may_be_absent: bool = False,
    ) -> None:
        self.program = program
        self.alias_class: dict[AliasKey, type[Any]] = {base: base_cls, root: Organisation}
        self.base = base
        self.base_cls = base_cls
        self.params = params
        self.root = root
        self.base_may_be_absent = base_may_be_absent

    def value(self, value: Any) -> Any:
        return self.params[value.name] if isinstance(value, Param) else value

    def locate(self, path: str) -> tuple[AliasKey, list[AliasKey], FieldInfo, type[Any]]:
        """The alias owning the last field, the aliases on the way, the field, and its owner class."""
        resolved = resolve_path(self.base_cls, path)
        alias = self.root if resolved.from_root else self.base
        chain = [alias]
        for info, target in resolved.hops:
            alias = (*alias, info.name)
            self.alias_class[alias] = target
            self.program.need(target, None)
            chain.append(alias)
        for (info, _), owner_alias in zip(resolved.hops, chain, strict=False):
            self.program.need(self.alias_class[owner_alias], info.name)
        self.program.need(resolved.owner, resolved.field.name)
        if resolved.field.kind in ("object", "ref"):
            # an object or reference read as a whole (present, is_known): its fact must be written
            self.program.need(resolved.field.type, None)
        return alias, chain, resolved.field, resolved.owner

    def nex(self, alias: AliasKey, name: str) -> Any:
        """The test "``name`` is not known" on ``alias``'s fact.

        A subject the facts record as absent is a fact with no fields: every
        field of it is known (there is none), so on the subject's own fact the
        test also asks that it is not the absent subject.
        """
        if self.base_may_be_absent and alias == self.base:
            return {"$and": [{"$nex": {name: 1}}, {"$nex": {ABSENT_PROPERTY: 1}}]}
        return {"$nex": {name: 1}}

    def missing(self, chain: list[AliasKey], path: str) -> DNF:
        """Patterns under which some step of the path to the last field is not known."""
        resolved = resolve_path(self.base_cls, path)
        out: DNF = []
        for (info, _), owner_alias in zip(resolved.hops, chain, strict=False):
            out.append(((owner_alias, self.nex(owner_alias, prop(info.name))),))
        return out

    def absent(self, chain: list[AliasKey], path: str, *, last: bool = False) -> DNF:
        """Patterns under which the facts record that something on the path does not exist.

        The subject itself (an absent steering group, staffing factor), an
        object or reference on the way, and (``last``) the last field when it
        is an object or reference field itself.
        """
        resolved = resolve_path(self.base_cls, path)
        out: DNF = []
        if self.base_may_be_absent and not resolved.from_root:
            out.append(((chain[0], {ABSENT_PROPERTY: True}),))
        for (info, _), owner_alias in zip(resolved.hops, chain, strict=False):
            if info.absent_ok:
                out.append(((owner_alias, {prop(info.name): NONE_VALUE}),))
        if last and resolved.field.absent_ok:
            out.append(((chain[-1], {prop(resolved.field.name): NONE_VALUE}),))
        return out

    def compile(self, cond: Condition) -> tuple[DNF, DNF]:
        """(true patterns, false patterns) of ``cond``."""
        match cond:
            case AllOf():
                t, f = TRUE, FALSE
                for sub in cond.conditions:
                    st, sf = self.compile(sub)
                    t, f = _and(t, st), _or(f, sf)
                return t, f
            case AnyOf():
                t, f = FALSE, TRUE
                for sub in cond.conditions:
                    st, sf = self.compile(sub)
                    t, f = _or(t, st), _and(f, sf)
                return t, f
            case Not():
                t, f = self.compile(cond.condition)
                return f, t
            case Named():
                return self.compile(cond.condition)
            case IsKnown():
                alias, chain, info, _ = self.locate(cond.path)
                name = _property(info)
                known: DNF = [((alias, {"$ex": {name: 1}}),), *self.absent(chain, cond.path)]
                unknown = [*self.missing(chain, cond.path), ((alias, self.nex(alias, name)),)]
                return known, unknown
            case Present():
                alias, chain, info, _ = self.locate(cond.path)
                name = prop(info.name)
                there: DNF = [((alias, {"$and": [{"$ex": {name: 1}}, {"$neq": {name: NONE_VALUE}}]}),)]
                return there, self.absent(chain, cond.path, last=True)
            case Compare():
                alias, chain, info, _ = self.locate(cond.path)
                value = self.value(cond.value)
                if isinstance(value, enum.Enum):  # pragma: no cover - values are plain in rule data
                    value = value.value
                yes_dnf: DNF = [((alias, _test(cond.op, prop(info.name), value)),)]
                no_dnf: DNF = [((alias, _test(_NEGATE[cond.op], prop(info.name), value)),)]
                return yes_dnf, [*no_dnf, *self.absent(chain, cond.path)]
            case In():
                alias, chain, info, _ = self.locate(cond.path)
                values = list(self.value(cond.values))
                name = prop(info.name)
                gone = self.absent(chain, cond.path)
                if not values:
                    return FALSE, [((alias, {"$ex": {name: 1}}),), *gone]
                no = [{"$ex": {name: 1}}] + [{"$neq": {name: v}} for v in values]
                return self.members(alias, name, values), [((alias, {"$and": no}),), *gone]
            case Includes():
                alias, chain, info, _ = self.locate(cond.path)
                values = list(self.value(cond.values))
                gone = self.absent(chain, cond.path)
                if not values:
                    return [((alias, {"$ex": {_property(info): 1}}),)], gone
                yes = [{f"{info.name}__{v}": True} for v in values]
                no = [{f"{info.name}__{v}": False} for v in values]
                return [((alias, _all(yes)),)], [((alias, _any(no)),), *gone]
            case WithinDays():
                alias, chain, info, _ = self.locate(cond.path)
                days = self.value(cond.days)
                name = prop(info.name)
                # a date after the evaluation date (age below 0) is not evidence: neither true nor false
                within = [{"$gte": {name: 0}}, {"$lte": {name: days}}]
                return [((alias, _all(within)),)], [((alias, {"$gt": {name: days}}),), *self.absent(chain, cond.path)]
            case Count() | Sum():
                return self.count(cond)
            case Covers():
                return self.compile(expand_covers(cond, self.value(cond.values)))
            case Option():
                return (TRUE, FALSE) if cond.value in self.params[cond.param] else (FALSE, TRUE)
        assert_never(cond)  # mypy names a kind of condition no case compiles

    def members(self, alias: AliasKey, name: str, values: list[Any]) -> DNF:
        """Patterns under which the property ``name`` holds one of ``values``.

        The engine keeps the tests under one node in a table of 512 and loops
        for ever once it is full, so a long list is cut into chunks of
        :data:`IN_CHUNK` values, each under its own test that every fact passes
        (its ``kind`` is not a made-up name), in an engine rule of its own.
        """
        if len(values) <= IN_CHUNK:
            return [((alias, _any([{name: v} for v in values])),)]
        out: DNF = []
        for start in range(0, len(values), IN_CHUNK):
            guard = {"$neq": {"kind": f"$chunk{self.program.next_chunk()}"}}
            out.append(((alias, {"$and": [guard, _any([{name: v} for v in values[start : start + IN_CHUNK]])]}),))
        return out

    def count(self, cond: Count | Sum) -> tuple[DNF, DNF]:
        alias, chain, info, owner = self.locate(cond.path)
        summed = cond.field if isinstance(cond, Sum) else None
        node = self.program.add_count(owner, info, cond.where, self.params, summed)
        key = (*alias, f"#{node.index}")
        self.alias_class[key] = _CountFact
        n = self.value(cond.value)
        # a list in (or of) something the facts record as absent holds nothing: the count or sum is 0
        gone = self.absent(chain, cond.path)
        static = range_truth(cond.op, 0, 0, n)
        lo, hi = "lo", "hi"
        tests: dict[str, tuple[Any, Any]] = {
            ">=": ({"$gte": {lo: n}}, {"$lt": {hi: n}}),
            ">": ({"$gt": {lo: n}}, {"$lte": {hi: n}}),
            "<=": ({"$lte": {hi: n}}, {"$gt": {lo: n}}),
            "<": ({"$lt": {hi: n}}, {"$gte": {lo: n}}),
            "==": (_all([{lo: n}, {hi: n}]), _any([{"$lt": {hi: n}}, {"$gt": {lo: n}}])),
            "!=": (_any([{"$lt": {hi: n}}, {"$gt": {lo: n}}]), _all([{lo: n}, {hi: n}])),
        }
        yes, no = tests[cond.op]
        if static:
            return [((key, yes),), *gone], [((key, no),)]
        return [((key, yes),)], [((key, no),), *gone]


class _CountFact:
    """Marker class for the alias of a ``$count`` fact."""


def _all(tests: list[Any]) -> Any:
    flat: list[Any] = []
    for test in tests:
        if isinstance(test, dict) and set(test) == {"$and"}:
            flat.extend(test["$and"])
        else:
            flat.append(test)
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _any(tests: list[Any]) -> Any:
    return tests[0] if len(tests) == 1 else {"$or": tests}


def _test(op: str, name: str, value: Any) -> Any:
    if op == "==":
        return {name: value}
    if op == "!=":
        # a missing field fails every comparison, "!=" included; say so explicitly anyway
        return {"$and": [{"$ex": {name: 1}}, {"$neq": {name: value}}]}
    return {_ENGINE_OPS[op]: {name: value}}


@attrs.frozen
class Formula:
    """How parts combine (Kleene logic): a part, ``and``/``or``/``not`` of formulas, or a constant."""

    op: str
    part: int = -1
    args: tuple["Formula", ...] = ()

    def truth(self, fired: dict[tuple[int, str], set[str]], key: str) -> bool | None:
        """The truth for the fact ``key`` (a subject or an item), from the parts' engine rules that fired for it."""
        if self.op == "part":
            true = key in fired.get((self.part, "t"), ())
            false = key in fired.get((self.part, "f"), ())
            if true and false:
                # a defect of the compiler: never guess, fail this evaluation instead
                raise EngineError(f"the durable engine found part {self.part} both true and false for one fact")
            return True if true else (False if false else None)
        if self.op in ("true", "false"):
            return self.op == "true"
        values = [a.truth(fired, key) for a in self.args]
        if self.op == "not":
            return None if values[0] is None else not values[0]
        if self.op == "and":
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)

    def parts(self) -> list[int]:
        return [self.part] if self.op == "part" else [p for a in self.args for p in a.parts()]


@attrs.define
class Program:
    """A compiled rule set: engine rules, and what the adapter needs to run them."""

    rules_json: dict[str, Any] = attrs.Factory(dict)
    #: engine rule name -> (part index, "t" or "f"): the rule records the part's outcome for its base fact
    part_rules: dict[str, tuple[int, str]] = attrs.Factory(dict)
    #: part index -> the phase (session) its engine rules run in: 1 for a count's 'where', 2 for a rule's conditions
    part_phase: dict[int, int] = attrs.Factory(dict)
    #: for rule i of the rule set: (its applies_when formula, or None; its holds formula)
    formulas: list[tuple["Formula | None", "Formula"]] = attrs.Factory(list)
    #: for count i: the formula of its 'where', judged per item (None: every item counts)
    where_formulas: dict[int, "Formula"] = attrs.Factory(dict)
    counts: list[CountNode] = attrs.Factory(list)
    count_keys: dict[Any, int] = attrs.Factory(dict)
    #: phase -> engine rules so far; each group of BARRIER_GROUP_SIZE rules starts on its own barrier fact
    rules_in_phase: dict[int, int] = attrs.Factory(dict)
    #: chunks of long ``in`` lists so far (each has its own guard test)
    chunks: int = 0
    #: engine kind -> how many copies of its facts some engine rule matches (see :func:`copy_kind`)
    copies: dict[str, int] = attrs.Factory(dict)

    def next_chunk(self) -> int:
        self.chunks += 1
        return self.chunks

    def next_group(self, phase: int) -> int:
        """The barrier group of the next engine rule of ``phase`` (so no barrier pattern has more than a group's rules)."""
        count = self.rules_in_phase.get(phase, 0)
        self.rules_in_phase[phase] = count + 1
        return count // BARRIER_GROUP_SIZE

    def groups(self, phase: int) -> int:
        """How many barrier facts the session of ``phase`` asserts."""
        return max(1, -(-self.rules_in_phase.get(phase, 0) // BARRIER_GROUP_SIZE))

    #: facts class -> the fields rules read (None in the set: the facts must exist)
    needed: dict[type[Any], set[str | None]] = attrs.Factory(dict)
    #: dotted path -> facts class, for every single-object subject some rule is judged for
    subject_objects: dict[str, type[Any]] = attrs.Factory(dict)
    #: facts classes some rule is judged for
    subject_classes: set[type[Any]] = attrs.Factory(set)
    #: organisation list field -> facts class, for every list whose items some rule is judged for
    subject_lists: dict[str, type[Any]] = attrs.Factory(dict)

    def need(self, cls: type[Any], field: str | None) -> None:
        self.needed.setdefault(cls, set()).add(field)

    def add_count(
        self, owner: type[Any], info: FieldInfo, where: Condition | None, params: dict[str, Any], summed: str | None = None
    ) -> CountNode:
        """The count (or sum) of ``info`` of ``owner``; one node for every rule that counts the same thing the same way."""
        key = (owner, info.name, summed, where, None if where is None else tuple(sorted(params.items())))
        found = self.count_keys.get(key)
        if found is not None:
            return self.counts[found]
        node = CountNode(len(self.counts), owner, info.name, info.type, info.kind == "reflist", where, params, summed)
        self.counts.append(node)
        self.count_keys[key] = node.index
        self.need(owner, info.name)
        self.need(info.type, None)
        if summed is not None:
            self.need(info.type, summed)
        return node


def _is_join(test: Any) -> bool:
    """A test against another pattern's fact (``{"id": {"a0": "person"}}``)."""
    if not isinstance(test, dict) or len(test) != 1:
        return False
    ((key, value),) = test.items()
    return not key.startswith("$") and isinstance(value, dict) and not next(iter(value), "$").startswith("$")


def _is_or(test: Any) -> bool:
    return isinstance(test, dict) and set(test) == {"$or"}


def _joins_last(pattern: Any) -> Any:
    """The pattern's tests in the order the engine needs: plain tests, then joins, then alternatives (``$or``).

    The engine makes a node of its own for every join and pushes every one
    under a node a fact reaches onto its stack of 64: after the plain tests, a
    join is reached only by the facts that pass them. A join after an ``$or``
    is silently ignored by the engine (every fact of the kind joins), so
    alternatives always come last.
    """
    if not (isinstance(pattern, dict) and set(pattern) == {"$and"}):
        return pattern
    tests = pattern["$and"]
    plain = [t for t in tests if not _is_join(t) and not _is_or(t)]
    return {"$and": plain + [t for t in tests if _is_join(t)] + [t for t in tests if _is_or(t)]}


#: The property of a copy of a fact holding the engine id of the fact it copies (see :func:`copy_kind`).
COPY_OF = "copy__"


def copy_kind(kind: str, copy: int) -> str:
    """The engine kind of the ``copy``-th copy of the facts of ``kind`` (0: the facts themselves).

    durable_rules never matches one fact with two patterns of one rule: a rule
    reading the same fact along two paths (a steering-group rule reading
    ``organisation.steering_group.members``, a lead who is also the Board's
    portfolio holder) would never fire. So within one engine rule the second
    pattern on facts of a kind matches copies of them (same properties, a
    kind of their own, :data:`COPY_OF` naming the original), the third
    another copy, and so on; every pattern then has facts of its own to match,
    whether or not the paths meet at one fact.
    """
    return kind if copy == 0 else f"{kind}#{copy}"


def _kind_of(alias: AliasKey, cls: type[Any]) -> str:
    return f"$count{int(alias[-1][1:])}" if cls is _CountFact else kind_name(cls)


def _pattern(alias: AliasKey, names: dict[AliasKey, str], cls: type[Any], tests: list[Any], copies: dict[AliasKey, int]) -> Any:
    """The pattern of ``alias``: its kind (or copy of it, ``copies``), its join to its parent, and ``tests``."""
    kind = copy_kind(_kind_of(alias, cls), copies.get(alias, 0))
    parent_id = "id" if copies.get(alias[:-1], 0) == 0 else COPY_OF  # a copy's own id is not the original's
    own_id = "id" if copies.get(alias, 0) == 0 else COPY_OF
    if cls is _CountFact:
        base = [{"kind": kind}, {"owner": {names[alias[:-1]]: parent_id}}]
    elif len(alias) == 1:
        base = [{"kind": kind}]
    else:
        base = [{"kind": kind}, {own_id: {names[alias[:-1]]: prop(alias[-1])}}]
    return _joins_last(_all(base + tests))


def barrier_pattern(phase: int, group: int) -> Any:
    """The pattern on the barrier fact of ``phase`` and ``group`` that starts every engine rule."""
    return {"b": {"$and": [{"kind": "$barrier"}, {"phase": phase}, {"g": group}]}}


def _materialise(
    program: Program,
    conjunct: Conjunct,
    fixed: dict[AliasKey, tuple[str, Any]],
    classes: dict[AliasKey, type[Any]],
    barrier: int,
    group: int,
) -> list[Any]:
    """The engine ``all`` list for one conjunct: barrier first, then parents before children; the second
    pattern on facts of one kind matches copies of them (see :func:`copy_kind`)."""
    tests: dict[AliasKey, list[Any]] = {}
    for alias, test in conjunct:
        tests.setdefault(alias, []).append(test)
        for i in range(1, len(alias)):
            tests.setdefault(alias[:i], [])
    names: dict[AliasKey, str] = {}
    out: list[Any] = [barrier_pattern(barrier, group)]
    seen: dict[str, int] = {}
    for alias, (name, pattern) in fixed.items():
        names[alias] = name
        if alias in classes and classes[alias] is not _CountFact:  # the fixed patterns are on the facts themselves
            seen[kind_name(classes[alias])] = 1
        extra = tests.pop(alias, [])
        out.append({name: _joins_last(_all([pattern, *extra]) if extra else pattern)})
    copies: dict[AliasKey, int] = {}
    for alias in sorted(tests, key=lambda a: (len(a), a)):
        kind = _kind_of(alias, classes[alias])
        copies[alias] = seen.get(kind, 0)
        seen[kind] = copies[alias] + 1
        if copies[alias]:
            program.copies[kind] = max(program.copies.get(kind, 0), copies[alias])
    for i, alias in enumerate(sorted(tests, key=lambda a: (len(a), a))):
        names[alias] = f"a{i}"
        out.append({names[alias]: _pattern(alias, names, classes[alias], tests[alias], copies)})
    return out


def _plan(
    program: Program,
    make: "Callable[[], _Compiler]",
    cond: Condition,
    fixed: dict[AliasKey, tuple[str, Any]],
    phase: int,
    where: str,
) -> Formula:
    """``cond`` as a formula over parts small enough for the engine (see the module's docstring)."""
    compiler = make()
    try:
        yes, no = compiler.compile(cond)
    except _TooLarge:
        match cond:
            case AllOf() | AnyOf():
                op = "and" if isinstance(cond, AllOf) else "or"
                return Formula(op, args=tuple(_plan(program, make, c, fixed, phase, where) for c in cond.conditions))
            case Not():
                return Formula("not", args=(_plan(program, make, cond.condition, fixed, phase, where),))
            case Named():
                return _plan(program, make, cond.condition, fixed, phase, where)
            case Covers():
                return _plan(program, make, expand_covers(cond, compiler.value(cond.values)), fixed, phase, where)
        raise RuleError(
            f"{where}: one condition alone expands to more than {PART_LIMIT} alternatives for the durable engine; "
            "split it into smaller conditions, or use the reference engine"
        ) from None
    if yes == TRUE and no == FALSE:
        return Formula("true")
    if yes == FALSE and no == TRUE:
        return Formula("false")
    index = len(program.part_phase)
    program.part_phase[index] = phase
    for label, dnf in (("t", yes), ("f", no)):
        for n, conjunct in enumerate(_dedupe(dnf)):
            name = f"p{index}_{label}_{n}"
            program.part_rules[name] = (index, label)
            group = program.next_group(phase)
            program.rules_json[name] = {
                "all": _materialise(program, conjunct, fixed, compiler.alias_class, phase, group),
                "cap": ACTION_CAP,
            }
    return Formula("part", part=index)


def compile_ruleset(ruleset: RuleSet) -> Program:
    """Compile every rule of ``ruleset`` (with its parameters in force) to engine rules."""
    return compile_rules(ruleset.rules)


def compile_rules(rules: Sequence[Rule]) -> Program:
    """Compile ``rules`` (with their parameters in force) to the engine rules of one engine ruleset."""
    program = Program()
    program.need(Organisation, None)
    for rule in rules:
        subject_cls = rule.subject.facts_class
        params = rule.parameter_values()
        root: AliasKey = ("s",) if subject_cls is Organisation else ("r",)
        program.need(subject_cls, None)
        program.subject_classes.add(subject_cls)
        if rule.subject.collection is not None:
            program.subject_lists[rule.subject.collection] = subject_cls
            program.need(Organisation, rule.subject.collection)
        for path in rule.subject.objects:
            # the objects on the way to a single-object subject are emitted, so the subject is found
            program.subject_objects[path] = subject_cls
            owner: type[Any] = Organisation
            for name in path.split("."):
                program.need(owner, name)
                owner = fields_of(owner)[name].type
                program.need(owner, None)
        may_be_absent = bool(rule.subject.objects)  # a single-object subject the facts may record as absent

        def make(
            subject_cls: type[Any] = subject_cls,
            params: dict[str, Any] = params,
            root: AliasKey = root,
            may_be_absent: bool = may_be_absent,
        ) -> _Compiler:
            return _Compiler(program, ("s",), subject_cls, params, root, base_may_be_absent=may_be_absent)

        fixed: dict[AliasKey, tuple[str, Any]] = {("s",): ("s", {"kind": kind_name(subject_cls)})}
        where = f"rule {rule.id!r}"
        applies = None if rule.applies_when is None else _plan(program, make, rule.applies_when, fixed, 2, where)
        program.formulas.append((applies, _plan(program, make, rule.holds, fixed, 2, where)))
    # counts are added while compiling; each 'where' is planned after the rules (a count never holds a count)
    done = 0
    while done < len(program.counts):
        _compile_where(program, program.counts[done])
        done += 1
    # every session runs at least one action (guard: delete_state after no action crashes)
    for phase in (1, 2):
        program.rules_json[f"start{phase}"] = {"all": [barrier_pattern(phase, 0)]}
    return program


def _compile_where(program: Program, node: CountNode) -> None:
    """A count's 'where', planned per item of the list (in the first session)."""
    if node.where is None:
        return
    owner_cls = node.owner
    root: AliasKey = ("o",) if owner_cls is Organisation else ("r",)
    if node.by_reference:
        base: AliasKey = ("i", "target")
        item_pattern: Any = {"$and": [{"kind": "$link"}, {"parent": {"o": "id"}}, {"coll": node.field}]}
    else:
        base = ("i",)
        item_pattern = {"$and": [{"kind": kind_name(node.item)}, {"parent": {"o": "id"}}, {"coll": node.field}]}

    def make() -> _Compiler:
        compiler = _Compiler(program, base, node.item, node.params, root)
        compiler.alias_class[("o",)] = owner_cls
        if node.by_reference:
            compiler.alias_class[("i",)] = _CountFact  # the link fact; never materialised from here
        return compiler

    fixed: dict[AliasKey, tuple[str, Any]] = {("o",): ("o", {"kind": kind_name(owner_cls)}), ("i",): ("i", item_pattern)}
    program.where_formulas[node.index] = _plan(program, make, node.where, fixed, 1, f"a count of {node.field!r}")


def _dedupe(dnf: DNF) -> list[Conjunct]:
    seen: set[str] = set()
    out = []
    for conjunct in dnf:
        key = json.dumps(sorted(json.dumps([list(a), t], sort_keys=True) for a, t in conjunct))
        if key not in seen:
            seen.add(key)
            out.append(conjunct)
    return out
