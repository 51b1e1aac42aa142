"""The reference engine: a direct interpreter of the rule data.

It is the executable definition of the semantics, and the oracle the
``durable`` engine is tested against. Conditions are judged in Kleene's
three-valued logic: ``True``, ``False`` or ``None`` (unknown).
"""

import datetime
import operator
from collections.abc import Callable, Iterable
from typing import Any

from natssips_rules.facts.paths import fields_of, resolve_path
from natssips_rules.report.model import Status
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
    WithinDays,
    enum_value,
    expand_covers,
)
from natssips_rules.rules.model import Rule, RuleSet

from .subjects import Context

__all__ = ["ReferenceEngine", "decide", "judge"]

Truth = bool | None

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

_MISSING = object()


def _param(value: Any, params: dict[str, Any]) -> Any:
    return params[value.name] if isinstance(value, Param) else value


def _resolve(obj: Any, cls: type[Any], path: str, ctx: Context) -> Any:
    """The value at ``path`` from ``obj``, or ``_MISSING`` where a step on the way is unknown."""
    resolved = resolve_path(cls, path)
    names = path.split(".")
    if resolved.from_root:
        obj = ctx.org
        names = names[1:]
    for (info, target), name in zip(resolved.hops, names, strict=False):
        value = getattr(obj, name)
        if value is None:
            return _MISSING
        obj = ctx.entities[target][value] if info.kind == "ref" else value
    return getattr(obj, names[-1])


def _and(values: Iterable[Truth]) -> Truth:
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _or(values: Iterable[Truth]) -> Truth:
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _count_truth(op: str, low: int, high: int, n: int) -> Truth:
    """Compare a count known only to lie in [low, high] with ``n``."""
    compare = _OPS[op]
    outcomes = {compare(c, n) for c in _boundary_counts(op, low, high, n)}
    if len(outcomes) == 1:
        return outcomes.pop()
    return None


def _boundary_counts(op: str, low: int, high: int, n: int) -> list[int]:
    # Every comparison with n changes value only at n (and n+1 for ">", n-1 for "<");
    # checking the ends of the range and n itself where it lies inside is enough.
    points = {low, high}
    for candidate in (n - 1, n, n + 1):
        if low <= candidate <= high:
            points.add(candidate)
    return sorted(points)


def judge(cond: Condition, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    """The three-valued truth of ``cond`` for ``obj`` (an instance of ``cls``)."""
    match cond:
        case AllOf():
            return _and(judge(c, obj, cls, ctx, params) for c in cond.conditions)
        case AnyOf():
            return _or(judge(c, obj, cls, ctx, params) for c in cond.conditions)
        case Not():
            value = judge(cond.condition, obj, cls, ctx, params)
            return None if value is None else not value
        case Named():
            return judge(cond.condition, obj, cls, ctx, params)
        case IsKnown():
            value = _resolve(obj, cls, cond.path, ctx)
            return value is not _MISSING and value is not None
        case Compare():
            value = _resolve(obj, cls, cond.path, ctx)
            if value is _MISSING or value is None:
                return None
            return bool(_OPS[cond.op](enum_value(value), _param(cond.value, params)))
        case In():
            value = _resolve(obj, cls, cond.path, ctx)
            if value is _MISSING or value is None:
                return None
            return enum_value(value) in _param(cond.values, params)
        case Includes():
            value = _resolve(obj, cls, cond.path, ctx)
            if value is _MISSING or value is None:
                return None
            present = {enum_value(v) for v in value}
            return all(v in present for v in _param(cond.values, params))
        case WithinDays():
            value = _resolve(obj, cls, cond.path, ctx)
            if value is _MISSING or value is None:
                return None
            assert isinstance(value, datetime.date)
            age = (ctx.as_of - value).days
            return bool(0 <= age <= _param(cond.days, params))
        case Count():
            items = _resolve(obj, cls, cond.path, ctx)
            if items is _MISSING or items is None:
                return None
            owner = resolve_path(cls, cond.path)
            info = fields_of(owner.owner)[cond.path.split(".")[-1]]
            item_cls = info.type
            if info.kind == "reflist":
                items = [ctx.entities[item_cls][i] for i in items]
            if cond.where is None:
                low = high = len(items)
            else:
                truths = [judge(cond.where, item, item_cls, ctx, params) for item in items]
                low = sum(1 for t in truths if t is True)
                high = sum(1 for t in truths if t is not False)
            return _count_truth(cond.op, low, high, _param(cond.value, params))
        case Covers():
            return judge(expand_covers(cond, _param(cond.values, params)), obj, cls, ctx, params)
        case Option():
            return cond.value in params[cond.param]
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover


def decide(rule: Rule, obj: Any, ctx: Context, params: dict[str, Any]) -> Status:
    """The status of ``rule`` for one subject object (the table of the architecture, in Kleene logic)."""
    cls = rule.subject.facts_class
    applies: Truth = True if rule.applies_when is None else judge(rule.applies_when, obj, cls, ctx, params)
    if applies is False:
        return Status.NOT_APPLICABLE
    holds = judge(rule.holds, obj, cls, ctx, params)
    if applies is True and holds is True:
        return Status.MET
    if applies is True and holds is False:
        return Status.NOT_MET
    return Status.INSUFFICIENT_EVIDENCE


class _Compiled:
    """The rule set with each rule's parameter values in force, ready to interpret."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.rules = tuple((rule, rule.parameter_values()) for rule in ruleset)

    def decide(self, ctx: Context) -> list[list[Status]]:
        return [[decide(rule, entry.obj, ctx, params) for entry in ctx.subjects(rule.subject)] for rule, params in self.rules]


class ReferenceEngine:
    """The reference engine: interprets the rule data directly (pure Python; the oracle)."""

    name = "reference"

    def compile(self, ruleset: RuleSet) -> _Compiled:
        return _Compiled(ruleset)

