"""Checking rules against the facts model, before any engine sees them.

:func:`check_rule` finds every problem of a rule at once (each with its
location in the rule) and raises one :class:`~natssips_rules.RuleError`
listing them. Each kind of condition node has its own small check, in the
table ``_CHECKS``.
"""

import datetime
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from natssips_rules._internal.structuring import encodable, shown
from natssips_rules.errors import PathError, RuleError, RuleProblem
from natssips_rules.facts.model import MAX_STRING_LENGTH
from natssips_rules.facts.paths import FieldInfo, ResolvedPath, resolve_path
from natssips_rules.rules.conditions import (
    COMPARISON_OPERATORS,
    CONDITION_TYPES,
    MAX_CONDITION_DEPTH,
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
    children,
)


class _ParameterLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def choices(self) -> tuple[str, ...] | None: ...
    @property
    def default(self) -> Any: ...


class _SubjectLike(Protocol):
    @property
    def facts_class(self) -> type[Any]: ...


class RuleLike(Protocol):
    """What :func:`check_rule` reads of a rule (a :class:`~natssips_rules.Rule`, checked as it is made)."""

    @property
    def id(self) -> str: ...
    @property
    def holds(self) -> Condition: ...
    @property
    def applies_when(self) -> Condition | None: ...
    @property
    def parameters(self) -> Sequence[_ParameterLike]: ...
    @property
    def subject(self) -> _SubjectLike: ...
    def parameter_values(self) -> dict[str, Any]: ...


__all__ = [
    "MAX_CONDITION_NODES",
    "MAX_DAYS",
    "MAX_LIST_VALUES",
    "MAX_NUMBER_CONSTANT",
    "MAX_RULES_PER_SET",
    "MAX_RULE_TEXT",
    "MAX_TEXT_CONSTANT",
    "check_condition",
    "check_rule",
    "check_value",
    "too_deep",
]

# Limits every rule is held to, whatever engine runs it (each engine may refuse more; see the engines).
#: Most rules in one rule set (built-in and local together).
MAX_RULES_PER_SET = 10_000
#: Most condition nodes in one rule (its applies_when and holds together).
MAX_CONDITION_NODES = 5_000
#: Most values in one list of a condition or parameter (``in``, ``includes``, ``covers``, list parameters).
MAX_LIST_VALUES = 10_000
#: Longest text constant a condition may compare with (no fact is longer: see the facts model).
MAX_TEXT_CONSTANT = MAX_STRING_LENGTH
#: Largest magnitude of a number a condition may compare with.
MAX_NUMBER_CONSTANT = 1e15
#: Longest text of a rule (title, requirement, quote, interpretation, ...).
MAX_RULE_TEXT = 20_000
#: Most days a ``within_days`` may allow: the span of the calendar (0001-01-01 to 9999-12-31), beyond which
#: every date is within it.
MAX_DAYS = (datetime.date.max - datetime.date.min).days


def check_value(value: Any) -> str | None:
    """Why a constant of a condition or a parameter cannot be used, or None if it can."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"{shown(value)} is not a finite number"
        if abs(value) > MAX_NUMBER_CONSTANT:
            return f"{shown(value)} is beyond the largest number a rule may use ({MAX_NUMBER_CONSTANT:,.0f})"
        return None
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CONSTANT:
            return f"a text of {len(value):,} characters; a rule compares with texts of at most {MAX_TEXT_CONSTANT:,} (no fact is longer)"
        if not encodable(value):
            return "the text holds a lone surrogate (text that cannot be written as UTF-8)"
        return None
    return f"{shown(value)} is not a number, true/false or text"


def _value_kind(info: FieldInfo) -> str:
    if info.type is bool:
        return "bool"
    if info.type in (int, float):
        return "number"
    if info.type is str:
        return "text"
    if info.type is datetime.date:
        return "date"
    return "enum"


def _check_constant(info: FieldInfo, value: Any, what: str) -> str | None:
    kind = _value_kind(info)
    if kind == "bool" and not isinstance(value, bool):
        return f"{what} is a yes/no field; compare it with true or false, not {shown(value)}"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{what} is a number; compare it with a number, not {shown(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{what}: {shown(value)} is not a finite number"
    if kind == "text" and not isinstance(value, str):
        return f"{what} is text; compare it with text, not {shown(value)}"
    if kind == "enum":
        allowed = [m.value for m in info.type]
        if value not in allowed:
            return f"{what}: {shown(value)} is not one of {', '.join(allowed)}"
    if kind == "date":
        return f"{what} is a date; use within_days (or is_known) for dates"
    return None


class _Checker:
    """Collects the problems of one condition tree, judged for one facts class."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.problems: list[tuple[str, str]] = []
        self.nodes = 0
        self.depth = 1

    def sub(self, cond: Condition, cls: type[Any], where: str, in_count: bool) -> None:
        """Check a node one level below the node being checked."""
        depth = self.depth
        self.check(cond, cls, where, in_count, depth + 1)
        self.depth = depth

    def add(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def value_of(self, value: Any, where: str) -> tuple[bool, Any]:
        """A constant, or a parameter's value in force; (False, None) for an unknown or unusable one."""
        if isinstance(value, Param):
            if value.name not in self.params:
                known = ", ".join(sorted(self.params)) or "none"
                self.add(where, f"unknown parameter {value.name!r} (the rule's parameters: {known})")
                return False, None
            value = self.params[value.name]
        values = value if isinstance(value, tuple) else (value,)
        if len(values) > MAX_LIST_VALUES:
            self.add(where, f"a list of {len(values):,} values; at most {MAX_LIST_VALUES:,} are allowed")
            return False, None
        for one in values:
            problem = check_value(one)
            if problem:
                self.add(where, problem)
                return False, None
        return True, value

    def resolve(self, cls: type[Any], path: str, where: str) -> ResolvedPath | None:
        try:
            return resolve_path(cls, path)
        except PathError as exc:
            self.add(where, f"{path!r}: {exc}")
            return None

    def field(self, cls: type[Any], path: str, where: str) -> FieldInfo | None:
        resolved = self.resolve(cls, path, where)
        return None if resolved is None else resolved.field

    def operator(self, op: str, where: str) -> None:
        if op not in COMPARISON_OPERATORS:
            self.add(where, f"unknown comparison {op!r}; expected one of {' '.join(COMPARISON_OPERATORS)}")

    def whole_number(self, value: Any, what: str, where: str) -> None:
        ok, number = self.value_of(value, where)
        if ok and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
            self.add(where, f"{what} a whole number of at least 0, not {shown(number)}")

    def values_list(self, values: Any, op: str, where: str) -> tuple[Any, ...] | None:
        ok, found = self.value_of(values, where)
        if not ok:
            return None
        if not isinstance(found, tuple):
            self.add(where, f"'{op}' needs a list of values")
            return None
        return found

    def check(self, cond: Condition, cls: type[Any], where: str, in_count: bool, depth: int = 1) -> None:
        checker = _CHECKS.get(type(cond))
        if checker is None:
            self.add(where, f"not a condition node: {type(cond).__name__}")
            return
        self.nodes += 1
        if self.nodes == MAX_CONDITION_NODES + 1:
            self.add(where, f"the rule has more than {MAX_CONDITION_NODES:,} condition nodes")
        if depth > MAX_CONDITION_DEPTH:
            self.add(where, f"conditions are nested more than {MAX_CONDITION_DEPTH} deep")
            return
        self.depth = depth
        checker(self, cond, cls, where, in_count)


def _all_any(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    if not cond.conditions:
        c.add(where, "an all/any node needs at least one condition")
    for i, sub in enumerate(cond.conditions):
        c.sub(sub, cls, f"{where}.of[{i}]", in_count)


def _not(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    c.sub(cond.condition, cls, f"{where}.of", in_count)


def _compare(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    info = c.field(cls, cond.path, where)
    c.operator(cond.op, where)
    if info is None:
        return
    if info.kind == "ref":
        c.add(
            where,
            f"{cond.path!r} holds the id of another fact; read a field through it (e.g. '{cond.path}.name') or use is_known",
        )
        return
    if info.kind != "scalar":
        c.add(where, f"{cond.path!r} is a {info.kind} field; compare can only read a single value")
        return
    ok, value = c.value_of(cond.value, where)
    if ok:
        message = _check_constant(info, value, repr(cond.path))
        if message:
            c.add(where, message)
    if _value_kind(info) in ("bool", "text", "enum") and cond.op not in ("==", "!="):
        c.add(where, f"{cond.path!r} is not a number; only == and != apply to it")


def _is_known(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    c.field(cls, cond.path, where)


def _in(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    info = c.field(cls, cond.path, where)
    values = c.values_list(cond.values, "in", where)
    if info is None:
        return
    if info.kind != "scalar" or _value_kind(info) not in ("enum", "text"):
        c.add(where, f"{cond.path!r} must be an enumerated or text field for 'in'")
        return
    for v in values or ():
        message = _check_constant(info, v, repr(cond.path))
        if message:
            c.add(where, message)


def _includes(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    info = c.field(cls, cond.path, where)
    values = c.values_list(cond.values, "includes", where)
    if info is None:
        return
    if info.kind != "enumset":
        c.add(where, f"{cond.path!r} must be a list of enumerated values for 'includes'")
        return
    allowed = [m.value for m in info.type]
    for v in values or ():
        if v not in allowed:
            c.add(where, f"{shown(v)} is not one of {', '.join(allowed)}")


def _list_field(c: _Checker, cls: type[Any], path: str, op: str, where: str) -> FieldInfo | None:
    resolved = c.resolve(cls, path, where)
    if resolved is None:
        return None
    if resolved.field.kind not in ("collection", "reflist"):
        c.add(where, f"{path!r} is a {resolved.field.kind} field; {op} needs a list of facts")
        return None
    return resolved.field


def _count(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    if in_count:
        c.add(where, "a count cannot be nested inside another count's 'where'")
    info = _list_field(c, cls, cond.path, "count", where)
    c.operator(cond.op, where)
    c.whole_number(cond.value, "a count is compared with", where)
    if info is not None and cond.where is not None:
        c.sub(cond.where, info.type, f"{where}.where", True)


def _sum(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    if in_count:
        c.add(where, "a sum cannot be nested inside a count's or a sum's 'where'")
    if isinstance(cond.field, str) and "." in cond.field:
        c.add(
            f"{where}.field",
            f"{cond.field!r}: a sum adds up a number field of the list's entries themselves, not a path through them",
        )
        return
    info = _list_field(c, cls, cond.path, "sum", where)
    c.operator(cond.op, where)
    ok, value = c.value_of(cond.value, where)
    if ok and (isinstance(value, bool) or not isinstance(value, (int, float))):
        c.add(where, f"a sum is compared with a number, not {shown(value)}")
    if info is None:
        return
    if info.kind != "collection":
        c.add(where, f"{cond.path!r} is a list of ids; sum needs a list of facts with a number field")
        return
    summed = c.field(info.type, cond.field, f"{where}.field")
    if summed is not None and not summed.is_number:
        c.add(f"{where}.field", f"{cond.field!r} of {info.type.__name__} is not a number")
    if cond.where is not None:
        c.sub(cond.where, info.type, f"{where}.where", True)


def _present(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    info = c.field(cls, cond.path, where)
    if info is not None and info.kind not in ("object", "ref"):
        c.add(
            where,
            f"{cond.path!r} is a {info.kind} field; present asks whether a nested fact or a referenced person or site exists",
        )


def _within_days(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    info = c.field(cls, cond.path, where)
    if info is not None and not (info.kind == "scalar" and info.type is datetime.date):
        c.add(where, f"{cond.path!r} is not a date")
    ok, days = c.value_of(cond.days, where)
    if ok and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        c.add(where, f"days must be a whole number of at least 0, not {shown(days)}")
    elif ok and days > MAX_DAYS:
        c.add(where, f"{days:,} days is more than any two dates are apart ({MAX_DAYS:,} days); use is_known to ask for any date")


def _covers(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    if in_count:
        # a covers is one count per value: as a count, it cannot be nested inside a count's or sum's 'where'
        c.add(where, "a covers cannot be nested inside a count's or a sum's 'where' (it counts the entries of its list)")
    values = c.values_list(cond.values, "covers", where)
    info = _list_field(c, cls, cond.path, "covers", where)
    if info is None:
        return
    for v in values or ():
        c.sub(Compare(cond.field, "==", v), info.type, f"{where}.field", True)


def _named(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    for key, value, required in (("name", cond.name, True), ("remedy", cond.remedy, False)):
        if value is None and not required:
            continue
        if not isinstance(value, str) or not value.strip():
            c.add(f"{where}.{key}", f"a named part's {key} is non-empty text, not {shown(value)}")
        elif len(value) > MAX_RULE_TEXT:
            c.add(f"{where}.{key}", f"{len(value):,} characters; at most {MAX_RULE_TEXT:,} are allowed")
    c.sub(cond.condition, cls, f"{where}.of", in_count)


def _option(c: _Checker, cond: Any, cls: type[Any], where: str, in_count: bool) -> None:
    if cond.param not in c.params:
        known = ", ".join(sorted(c.params)) or "none"
        c.add(where, f"unknown parameter {cond.param!r} (the rule's parameters: {known})")
    elif not isinstance(c.params[cond.param], tuple):
        c.add(where, f"option needs a list parameter; {cond.param!r} is {shown(c.params[cond.param])}")
    if not isinstance(cond.value, str):
        c.add(where, f"an option's value is text, not {shown(cond.value)}")


_CHECKS: dict[type[Any], Callable[[_Checker, Any, type[Any], str, bool], None]] = {
    AllOf: _all_any,
    AnyOf: _all_any,
    Not: _not,
    Compare: _compare,
    IsKnown: _is_known,
    In: _in,
    Includes: _includes,
    Count: _count,
    Sum: _sum,
    Present: _present,
    WithinDays: _within_days,
    Covers: _covers,
    Option: _option,
    Named: _named,
}


def check_condition(cond: Condition, cls: type[Any], params: dict[str, Any], *, where: str = "holds") -> list[tuple[str, str]]:
    """Problems with ``cond`` judged for facts class ``cls``: a list of (location, message).

    ``params`` maps the rule's parameter names to their values.
    """
    checker = _Checker(params)
    checker.check(cond, cls, where, False)
    return checker.problems


def _options(cond: Condition | None) -> Iterator[Option]:
    todo = [] if cond is None else [cond]
    while todo:
        node = todo.pop()
        if isinstance(node, Option):
            yield node
        elif isinstance(node, CONDITION_TYPES):
            todo.extend(reversed(children(node)))


def too_deep(cond: Any) -> bool:
    """Whether ``cond`` is nested more than :data:`MAX_CONDITION_DEPTH` deep (found without recursion, so a
    condition built in Python thousands deep is measured, not a ``RecursionError``)."""
    todo = [(cond, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_CONDITION_DEPTH:
            return True
        if isinstance(node, CONDITION_TYPES):
            todo.extend((sub, depth + 1) for sub in children(node) if sub is not None)
    return False


def check_rule(rule: RuleLike) -> None:
    """Raise ``RuleError`` listing every problem of ``rule`` (each with its location) if it does not fit the facts model.

    The rule's fields are of the right types (the rule checked them when it was made).
    """
    deep = [label for label, cond in (("holds", rule.holds), ("applies_when", rule.applies_when)) if too_deep(cond)]
    if deep:
        # refused before anything walks the condition (its checks, digest, equality all recurse)
        raise RuleError(
            problems=[
                RuleProblem(rule.id, label, f"conditions are nested more than {MAX_CONDITION_DEPTH} deep") for label in deep
            ]
        )
    problems: list[tuple[str | None, str]] = []
    names = [p.name for p in rule.parameters]
    if len(set(names)) != len(names):
        problems.append(("parameters", "two parameters share a name"))
    for p in rule.parameters:
        if p.choices is not None:
            chosen = p.default if isinstance(p.default, tuple) else (p.default,)
            for value in chosen:
                if value not in p.choices:
                    problems.append(
                        (f"parameters.{p.name}", f"{shown(value)} is not one of the parameter's choices ({', '.join(p.choices)})")
                    )
    params = rule.parameter_values()
    cls = rule.subject.facts_class
    checker = _Checker(params)
    checker.check(rule.holds, cls, "holds", False)
    if rule.applies_when is not None:
        checker.check(rule.applies_when, cls, "applies_when", False)
    problems += checker.problems
    choices = {p.name: p.choices for p in rule.parameters if p.choices is not None}
    for label, cond in (("holds", rule.holds), ("applies_when", rule.applies_when)):
        for node in _options(cond):
            allowed = choices.get(node.param)
            if allowed is not None and node.value not in allowed:
                problems.append(
                    (label, f"option {shown(node.value)} is not one of {node.param}'s choices ({', '.join(allowed)})")
                )
    if problems:
        raise RuleError(problems=[RuleProblem(rule.id, where, message) for where, message in problems])
