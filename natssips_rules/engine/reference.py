"""The reference engine: a direct interpreter of the rule data.

It is the executable definition of the semantics, and the oracle the
``durable`` engine is tested against. Conditions are judged in Kleene's
three-valued logic: ``True``, ``False`` or ``None`` (unknown).
"""

import datetime
import enum
import operator
from collections.abc import Callable
from typing import Any

from natssips_rules.facts.paths import ROOT, resolve_path, resolved_path
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
    enum_value,
)
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import Rule, RuleSet

from .kleene import Truth, all_of, all_of_parts, any_of, any_of_parts, range_truth, status, sum_range
from .subjects import Context

__all__ = ["ABSENT", "FROM_ROOT", "MISSING", "OPS", "ReferenceEngine", "decide", "judge", "read"]

#: The comparison operators of ``Compare``, by their sign.
OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

#: How a path from the organisation (not from the subject) starts.
FROM_ROOT = ROOT + "."

#: A path whose value was not supplied (unknown).
MISSING = object()
#: A path through (or to) a fact the facts record as absent: known, there is none.
ABSENT = object()


def _param(value: Any, params: dict[str, Any]) -> Any:
    return params[value.name] if isinstance(value, Param) else value


def read(obj: Any, cls: type[Any], path: str, ctx: Context) -> Any:
    """The value at ``path`` from ``obj``: the value, ``MISSING`` (unknown) or ``ABSENT`` (known: there is none).

    ``obj`` is ``False`` for a subject the facts record as absent.
    """
    resolved = resolved_path(cls, path)
    if resolved.from_root:
        obj = ctx.org
    elif obj is False:
        return ABSENT
    names = resolved.names
    if resolved.hops:  # most facts read are the object's own: no step to follow
        for (info, target), name in zip(resolved.hops, names, strict=False):
            value = getattr(obj, name)
            if value is None:
                return MISSING
            if value is False:
                return ABSENT
            obj = ctx.entities[target][value] if info.kind == "ref" else value
    value = getattr(obj, names[-1])
    if value is None:
        return MISSING
    if value is False and resolved.field.kind in ("object", "ref"):
        return ABSENT
    return value


def _items(obj: Any, cls: type[Any], path: str, ctx: Context) -> tuple[list[Any], type[Any]] | None:
    """The items of the list at ``path`` (an absent container holds none), and their class; None if unknown."""
    items = read(obj, cls, path, ctx)
    if items is MISSING:
        return None
    info = resolve_path(cls, path).field
    if items is ABSENT:
        return [], info.type
    if info.kind == "reflist":
        return [ctx.entities[info.type][i] for i in items], info.type
    return list(items), info.type


def _once(cond: Count | Sum | Covers, ctx: Context, params: dict[str, Any]) -> Truth:
    """A list condition over the organisation's own list (``organisation.sites``): the same for every subject, so
    judged once per evaluation and rule (a rule about each site counting the sites would otherwise count them
    for each site, as many times over as there are sites)."""
    key = ("once", id(cond), id(params))
    memo = ctx.memo
    if key in memo:
        found: Truth = memo[key]
        return found
    ctx.keep(cond, params)  # so that no condition or parameters made later take these ids during the evaluation
    found = memo[key] = _judge_list(cond, ctx.org, ctx.org.__class__, ctx, params)
    return found


def judge(cond: Condition, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    """The three-valued truth of ``cond`` for ``obj`` (an instance of ``cls``): each kind of condition is judged
    by its own function below (looked up by the condition's class, one dictionary look-up for every part)."""
    try:
        how = _JUDGES[type(cond)]
    except KeyError:
        how = _judge_of(type(cond))
    return how(cond, obj, cls, ctx, params)


def _judge_of(kind: type[Any]) -> "Callable[..., Truth]":
    """The function judging a condition of a class derived from a kind of condition (kept for the next look-up)."""
    for base in kind.__mro__[1:]:
        if base in _JUDGES:
            how = _JUDGES[kind] = _JUDGES[base]
            return how
    raise TypeError(f"not a condition: {kind.__name__}")


def _compare(cond: Compare, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = read(obj, cls, cond.path, ctx)
    if value is MISSING:
        return None
    if value is ABSENT:
        return False  # a fact that does not exist fails every comparison
    wanted = cond.value
    return bool(
        OPS[cond.op](
            value._value_ if isinstance(value, enum.Enum) else value,  # a member's value (its property, less the call)
            params[wanted.name] if isinstance(wanted, Param) else wanted,
        )
    )


def _in(cond: In, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = read(obj, cls, cond.path, ctx)
    if value is MISSING:
        return None
    if value is ABSENT:
        return False
    values = cond.values
    return (value._value_ if isinstance(value, enum.Enum) else value) in (
        params[values.name] if isinstance(values, Param) else values
    )


def _all(cond: AllOf, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return all_of_parts(cond.conditions, judge, obj, cls, ctx, params)


def _any(cond: AnyOf, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return any_of_parts(cond.conditions, judge, obj, cls, ctx, params)


def _named(cond: Named, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return judge(cond.condition, obj, cls, ctx, params)


def _option(cond: Option, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return cond.value in params[cond.param]


def _not(cond: Not, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = judge(cond.condition, obj, cls, ctx, params)
    return None if value is None else not value


def _list(cond: Count | Sum | Covers, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return _once(cond, ctx, params) if cond.path.startswith(FROM_ROOT) else _judge_list(cond, obj, cls, ctx, params)


def _present(cond: Present, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = read(obj, cls, cond.path, ctx)
    return None if value is MISSING else value is not ABSENT


def _includes(cond: Includes, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = read(obj, cls, cond.path, ctx)
    if value is MISSING:
        return None
    if value is ABSENT:
        return False
    present = {enum_value(v) for v in value}
    return all(v in present for v in _param(cond.values, params))


def _is_known(cond: IsKnown, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    return read(obj, cls, cond.path, ctx) is not MISSING


def _within_days(cond: WithinDays, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    value = read(obj, cls, cond.path, ctx)
    if value is MISSING:
        return None
    if value is ABSENT:
        return False
    assert isinstance(value, datetime.date)
    age = (ctx.as_of - value).days
    if age < 0:
        return None  # dated after the evaluation date: not evidence at that date
    return bool(age <= _param(cond.days, params))


#: How each kind of condition is judged (every member of :data:`~natssips_rules.rules.conditions.Condition`, as
#: ``tests/engine`` checks; a class derived from one is judged as its base).
_JUDGES: dict[type[Any], Callable[..., Truth]] = {
    Compare: _compare,
    In: _in,
    AllOf: _all,
    AnyOf: _any,
    Named: _named,
    Option: _option,
    Not: _not,
    Count: _list,
    Sum: _list,
    Covers: _list,
    Present: _present,
    Includes: _includes,
    IsKnown: _is_known,
    WithinDays: _within_days,
}


def _judge_list(cond: Count | Sum | Covers, obj: Any, cls: type[Any], ctx: Context, params: dict[str, Any]) -> Truth:
    """The truth of a condition on a list (how many items match, what their numbers add up to, which values they cover)."""
    found = _items(obj, cls, cond.path, ctx)
    if found is None:
        return None
    items, item_cls = found
    if isinstance(cond, Covers):
        # what expand_covers says (one exists per value), judged here: its nodes would be temporaries
        field = cond.field
        return all_of(
            any_of(judge(Compare(field, "==", value), item, item_cls, ctx, params) for item in items)
            for value in _param(cond.values, params)
        )
    if isinstance(cond, Sum):
        pairs = [
            (True if cond.where is None else judge(cond.where, item, item_cls, ctx, params), getattr(item, cond.field))
            for item in items
        ]
        return range_truth(cond.op, *sum_range(pairs), _param(cond.value, params))
    if cond.where is None:
        low = high = len(items)
    else:
        low = high = 0  # the items that surely match, and those that may
        where = cond.where
        how = _JUDGES.get(type(where)) or _judge_of(type(where))  # the same part for every item: looked up once
        for item in items:
            truth = how(where, item, item_cls, ctx, params)
            if truth is not False:
                high += 1
                if truth is True:
                    low += 1
    return range_truth(cond.op, low, high, _param(cond.value, params))


def decide(rule: Rule, obj: Any, ctx: Context, params: dict[str, Any]) -> Status:
    """The status of ``rule`` for one subject object (the table of the architecture, in Kleene logic)."""
    cls = rule.subject.facts_class
    applies: Truth = True if rule.applies_when is None else judge(rule.applies_when, obj, cls, ctx, params)
    if applies is False:
        return Status.NOT_APPLICABLE
    return status(applies, judge(rule.holds, obj, cls, ctx, params))


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
