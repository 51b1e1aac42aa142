"""The measured envelope of durable_rules' C engine, checked before a ruleset is created.

durable_rules 2.0.28 keeps its Rete network in fixed-size tables and does not
check all of them: past some sizes it aborts the process, loops for ever or
compares wrongly (see docs/performance.md, "Engine limits", for each limit,
how it was measured and the symptom). A ruleset the engine refuses has
already taken a handle that is never returned, so every limit is checked here,
on the ruleset JSON, *before* ``create_ruleset``; the adapter then splits the
rule set over several engine rulesets (shards) until each fits, and refuses
with a ``RuleError`` a single rule that cannot fit.

:func:`measure` rebuilds the engine's alpha network the way its ``rete.c``
does: one node per distinct test (property, operator, constant) under the
same parent, but one node per occurrence of a test against another pattern's
fact (a join); an ``$and`` is a chain; each disjunct of an ``$or`` is a child of
the same parent, all leading to one forward node; ``$nex`` tests and forward
nodes go on the parent's "next list"; every other test in the parent's
hash table of children. From it come the sizes the engine's tables hold, and
a bound on the engine's depth-first stack for any one fact.
"""

import bisect
import json
import math
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "LIMITS",
    "Measure",
    "count_tests",
    "measure",
    "violations",
]

#: The engine's limits (the largest value that works), each with its name in the engine's source.
LIMITS: dict[str, tuple[int, str]] = {
    # events.c MAX_STACK_SIZE 64: one fact matching more pending tests aborts the evaluation (error 303)
    "stack": (64, "tests one fact can match at once (MAX_STACK_SIZE)"),
    # rules.h NEXT_BUCKET_LENGTH 512: a full table of children makes the engine loop for ever
    "children": (511, "distinct tests under one node (NEXT_BUCKET_LENGTH)"),
    # rules.h NEXT_LIST_LENGTH 128 (off by one): $nex tests and $or forward nodes under one node
    "next_list": (127, "$nex tests and alternatives under one node (NEXT_LIST_LENGTH)"),
    # rules.h BETA_LIST_LENGTH 256 (off by one): engine rules whose pattern ends on one node
    "betas": (255, "engine rules ending on one test (BETA_LIST_LENGTH)"),
    # rete.c MAX_ACTIONS 4096
    "rules": (4096, "engine rules in one ruleset (MAX_ACTIONS)"),
    # rete.h MAX_SEQUENCE_EXPRESSIONS 32: 2 x ($and + $or) + joins in one pattern
    "expressions": (31, "expressions in one pattern (MAX_SEQUENCE_EXPRESSIONS)"),
    # state.h MAX_MESSAGE_FRAMES 16: patterns one engine rule joins
    "patterns": (16, "patterns in one engine rule (MAX_MESSAGE_FRAMES)"),
    # events.c reduceString: string lengths are 16-bit
    "text_bytes": (65535, "bytes of a text constant (reduceString's 16-bit lengths)"),
    # measured: a join after an $or in one pattern is ignored (every fact of the kind joins)
    "join_after_or": (0, "joins after an $or in one pattern (the engine ignores them)"),
}

_OPERATORS = {"$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$ex", "$nex"}
_ORDERING = {"$eq", "$neq", "$lt", "$lte", "$gt", "$gte"}


@attrs.define(eq=False)
class _Node:
    prop: str = ""
    op: str = ""
    value: Any = None  # a constant (as a key), ("join", alias, property), or None
    forward: bool = False
    children: dict[Any, "_Node"] = attrs.Factory(dict)
    next_list: list["_Node"] = attrs.Factory(list)
    betas: int = 0

    def key(self) -> tuple[Any, ...]:
        return (self.prop, self.op, self.value)


def _constant(value: Any) -> Any:
    # the engine tells numbers, booleans and texts apart when it shares nodes
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    # two texts are the same constant to the engine exactly when they are equal (their JSON is then equal too)
    return ("text", value)


@attrs.frozen
class Measure:
    """The sizes of one ruleset's network, each with where it is largest (an engine rule name)."""

    stack: int
    children: tuple[int, str]
    next_list: tuple[int, str]
    betas: tuple[int, str]
    rules: int
    expressions: tuple[int, str]
    patterns: tuple[int, str]
    text_bytes: tuple[int, str]
    join_after_or: tuple[int, str] = (0, "")

    def value(self, name: str) -> tuple[int, str]:
        found = getattr(self, name)
        return found if isinstance(found, tuple) else (found, "")


class _Network:
    def __init__(self) -> None:
        self.root = _Node(op="$type")
        # node (by identity; the node is held with its entry, so its id is never another's) -> the first engine rule that made it
        self.owner: dict[int, tuple[_Node, str]] = {}
        self.rules = 0
        self.expressions = (0, "")
        self.patterns = (0, "")
        self.text_bytes = (0, "")
        self.joins = 0
        self.join_after_or = (0, "")
        self.sizes: dict[str, int] = {}  # bytes of each text constant, as the engine reads it

    def add(self, name: str, rule: dict[str, Any]) -> None:
        self.rules += 1
        patterns = rule.get("all") or rule.get("any") or []
        if len(patterns) > self.patterns[0]:
            self.patterns = (len(patterns), name)
        for pattern in patterns:
            ((_, body),) = pattern.items()
            counter = [0]
            last = self._test(name, body, self.root, counter)
            last.betas += 1
            if counter[0] > self.expressions[0]:
                self.expressions = (counter[0], name)

    def _test(self, name: str, body: dict[str, Any], parent: _Node, counter: list[int]) -> _Node:
        if len(body) != 1:
            raise ValueError(f"{name}: a test object with {len(body)} keys (the engine reads only the first)")
        ((key, value),) = body.items()
        if key == "$and":
            counter[0] += 2
            node = parent
            alternatives = False
            for term in value:
                if alternatives and isinstance(term, dict) and len(term) == 1:
                    ((k, v),) = term.items()
                    if not k.startswith("$") and isinstance(v, dict):
                        self.join_after_or = (self.join_after_or[0] + 1, name)
                alternatives = alternatives or (isinstance(term, dict) and "$or" in term)
                node = self._test(name, term, node, counter)
            return node
        if key == "$or":
            counter[0] += 2
            forward = _Node(op="$forward", forward=True)
            self.owner.setdefault(id(forward), (forward, name))
            for term in value:
                self._test(name, term, parent, counter).next_list.append(forward)
            return forward
        if key in _OPERATORS:
            op = key
            ((prop, operand),) = value.items()
        else:
            op, prop, operand = "$eq", key, value
        if isinstance(operand, dict):
            # a test against another pattern's fact: the engine makes a node of its own for every
            # occurrence, never shared between rules (65 rules with the same join overflow the stack)
            ((alias, other),) = operand.items()
            counter[0] += 1
            node = _Node(prop=prop, op=op, value=("join", alias, other, self.joins))
            self.joins += 1
            parent.children[node.key()] = node
            self.owner.setdefault(id(node), (node, name))
            return node
        else:
            if isinstance(operand, str):
                size = self.sizes.get(operand)
                if size is None:  # each distinct text written out once (a list of codes recurs in many tests)
                    size = self.sizes[operand] = len(json.dumps(operand, ensure_ascii=False).encode("utf-8")) - 2
                if size > self.text_bytes[0]:
                    self.text_bytes = (size, name)
            operand = _constant(operand)
        node = _Node(prop=prop, op=op, value=operand)
        if op == "$nex":
            for existing in parent.next_list:
                if not existing.forward and existing.key() == node.key():
                    return existing
            parent.next_list.append(node)
        else:
            found = parent.children.get(node.key())
            if found is not None:
                return found
            parent.children[node.key()] = node
        self.owner.setdefault(id(node), (node, name))
        return node

    def nodes(self) -> list[_Node]:
        seen: dict[int, _Node] = {}
        todo = [self.root]
        while todo:
            node = todo.pop()
            if id(node) not in seen:
                seen[id(node)] = node
                todo += [*node.children.values(), *node.next_list]
        return list(seen.values())

    def stack_bound(self) -> int:
        """A bound on the engine's stack of pending matched tests, for any one fact (events.c ``handleAlpha``).

        The walk is depth first: a node pushes every child the fact matches,
        then each is popped and pushes its own. The bound takes, at each node,
        the most children one value can match at once (per property: at most
        one equality with a text or number, every ordering test the worst
        number satisfies, every join and ``$nex``), plus the deepest path.
        """

        def pushed(node: _Node) -> int:
            by_prop: dict[str, list[_Node]] = {}
            for child in node.children.values():
                by_prop.setdefault(child.prop, []).append(child)
            return len(node.next_list) + sum(_together(tests) for tests in by_prop.values())

        # depth first, without recursion (a long $and chain is thousands of nodes deep)
        memo: dict[int, int] = {}
        todo: list[tuple[_Node, bool]] = [(self.root, False)]
        while todo:
            node, children_done = todo.pop()
            if id(node) in memo:
                continue
            below = [*node.children.values(), *node.next_list]
            if not children_done:
                todo.append((node, True))
                todo += [(child, False) for child in below if id(child) not in memo]
                continue
            here = pushed(node)
            memo[id(node)] = max([here, *(here - 1 + memo[id(child)] for child in below)])
        return memo[id(self.root)]


def _together(tests: list[_Node]) -> int:
    """How many of these tests, on one property, one value can pass at once."""
    by_op: dict[str, list[float]] = {op: [] for op in _ORDERING}
    texts = others = 0
    for t in tests:
        kind = t.value[0] if isinstance(t.value, tuple) else None
        if t.op in _ORDERING and kind == "number":
            by_op[t.op].append(t.value[1])
        elif t.op == "$eq" and kind in ("text", "bool"):
            texts += 1
        else:
            others += 1
    worst = 0
    constants = [c for values in by_op.values() for c in values]
    if constants:
        for values in by_op.values():
            values.sort()
        points = {-math.inf, math.inf}
        for c in constants:
            points |= {c, math.nextafter(c, -math.inf), math.nextafter(c, math.inf)}
        for v in points:
            # how many constants c make each test true for the value v (sorted lists: O(log n) each)
            eq = bisect.bisect_right(by_op["$eq"], v) - bisect.bisect_left(by_op["$eq"], v)
            count = (
                eq
                + len(by_op["$neq"])
                - (bisect.bisect_right(by_op["$neq"], v) - bisect.bisect_left(by_op["$neq"], v))
                + bisect.bisect_right(by_op["$gte"], v)  # c <= v
                + bisect.bisect_left(by_op["$gt"], v)  # c < v
                + len(by_op["$lte"])
                - bisect.bisect_left(by_op["$lte"], v)  # c >= v
                + len(by_op["$lt"])
                - bisect.bisect_right(by_op["$lt"], v)  # c > v
            )
            worst = max(worst, count)
    # the engine reads true as 1: count both families, and every test of another kind
    return worst + min(1, texts) + others


def measure(rules: dict[str, Any]) -> Measure:
    """The sizes of the network the engine would build for ``rules`` (a ruleset's JSON, as a dict)."""
    network = _Network()
    for name, rule in rules.items():
        network.add(name, rule)
    nodes = network.nodes()

    def largest(size: Any) -> tuple[int, str]:
        node = max(nodes, key=size)
        return size(node), network.owner.get(id(node), (node, ""))[1]

    return Measure(
        stack=network.stack_bound(),
        children=largest(lambda n: len(n.children)),
        next_list=largest(lambda n: len(n.next_list)),
        betas=largest(lambda n: n.betas),
        rules=network.rules,
        expressions=network.expressions,
        patterns=network.patterns,
        text_bytes=network.text_bytes,
        join_after_or=network.join_after_or,
    )


def count_tests(rules: dict[str, Any]) -> int:
    """How many tests the engine rules hold (each test of a pattern, each alternative of an ``$or`` and its
    forward node): a bound on the nodes the engine builds for them (shared tests are built once), found in one
    pass over the JSON with no network built."""
    total = 0
    todo: list[Any] = [rule.get("all", ()) for rule in rules.values()]
    while todo:
        value = todo.pop()
        if isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key in ("$and", "$or"):
                    total += 1
                    todo.append(inner)
                elif isinstance(inner, dict) and not key.startswith("$") and next(iter(inner), "$").startswith("$"):
                    todo.append(inner)  # a pattern {alias: test}
                elif isinstance(inner, dict) and key.startswith("$") and key not in _OPERATORS:
                    todo.append(inner)
                else:
                    total += 1
    return total


def violations(found: Measure, names: Iterable[str] = LIMITS) -> list[tuple[str, int, int, str]]:
    """The limits ``found`` exceeds: (limit name, value, limit, engine rule where it is largest)."""
    out = []
    for name in names:
        value, where = found.value(name)
        limit = LIMITS[name][0]
        if value > limit:
            out.append((name, value, limit, where))
    return out
