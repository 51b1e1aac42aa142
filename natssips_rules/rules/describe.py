"""Conditions in words, for the rule catalogue and for anyone reading a rule.

``describe(cond, params)`` gives Markdown list lines saying what the condition
checks, with each parameter's name and the value in force.
"""

from typing import Any, assert_never

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
    children,
)

__all__ = ["definitions", "describe", "value_words"]

_OPS = {"==": "is", "!=": "is not", "<": "is less than", "<=": "is at most", ">": "is more than", ">=": "is at least"}
_COUNT_OPS = {"==": "exactly", "!=": "other than", "<": "fewer than", "<=": "at most", ">": "more than", ">=": "at least"}


def value_words(value: Any) -> str:
    """A constant as a reader would write it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value) if value else "(none)"
    if isinstance(value, str):
        return f"`{value}`"
    return str(value)


def _value(value: Any, params: dict[str, Any]) -> str:
    if isinstance(value, Param):
        return f"parameter `{value.name}` (now {value_words(params.get(value.name))})"
    return value_words(value)


def _one_line(cond: Condition, params: dict[str, Any]) -> str | None:
    """The condition as one phrase, or None when it needs a nested list."""
    match cond:
        case Compare():
            return f"`{cond.path}` {_OPS[cond.op]} {_value(cond.value, params)}"
        case IsKnown():
            return f"`{cond.path}` is known (evidence was supplied)"
        case In():
            return f"`{cond.path}` is one of {_value(cond.values, params)}"
        case Includes():
            return f"`{cond.path}` includes {_value(cond.values, params)}"
        case WithinDays():
            return f"`{cond.path}` is on or before the evaluation date and at most {_value(cond.days, params)} days before it"
        case Covers():
            return f"for each of {_value(cond.values, params)}, at least one of `{cond.path}` has `{cond.field}` equal to it"
        case Option():
            return f"parameter `{cond.param}` (now {value_words(params.get(cond.param))}) includes `{cond.value}`"
        case Present():
            return f"`{cond.path}` is recorded and there is one (not recorded as none)"
        case Sum() if cond.where is None:
            return f"the `{cond.field}` of the entries of `{cond.path}`, added up, {_OPS[cond.op]} {_value(cond.value, params)}"
        case Count() if cond.where is None:
            return f"`{cond.path}` has {_COUNT_OPS[cond.op]} {_value(cond.value, params)} entries"
        case Named():
            return cond.name
        case Not() if isinstance(cond.condition, Named):
            return f"not: {cond.condition.name}"
        case Not() if _one_line(cond.condition, params) is not None:
            return f"not: {_one_line(cond.condition, params)}"
    return None


def _implication(cond: AnyOf) -> tuple[Condition, Condition] | None:
    """``AnyOf([Not(if_), then])``: "if ..., then ..."."""
    if len(cond.conditions) == 2 and isinstance(cond.conditions[0], Not):
        return cond.conditions[0].condition, cond.conditions[1]
    return None


def _flatten(cond: AllOf | AnyOf) -> list[Condition]:
    """The parts of a conjunction (or disjunction), with nested ones of the same kind inlined."""
    out: list[Condition] = []
    for sub in cond.conditions:
        if type(sub) is type(cond):
            out += _flatten(sub)
        else:
            out.append(sub)
    return out


def describe(cond: Condition, params: dict[str, Any], indent: int = 0) -> list[str]:
    """Markdown list lines (``- ...``) describing ``cond``, nested by ``indent`` levels."""
    pad = "  " * indent
    line = _one_line(cond, params)
    if line is not None:
        return [f"{pad}- {line}"]
    match cond:
        case AnyOf() if _implication(cond) is not None:
            condition, then = _implication(cond)  # type: ignore[misc]
            head = _one_line(condition, params)
            if head is None:
                return [
                    f"{pad}- if all this holds:",
                    *describe(condition, params, indent + 1),
                    f"{pad}- then:",
                    *describe(then, params, indent + 1),
                ]
            then_line = _one_line(then, params)
            if then_line is not None:
                return [f"{pad}- if {head}: {then_line}"]
            return [f"{pad}- if {head}:", *describe(then, params, indent + 1)]
        case AllOf() | AnyOf():
            head = "all of:" if isinstance(cond, AllOf) else "at least one of:"
            out = [f"{pad}- {head}"]
            for sub in _flatten(cond):
                out += describe(sub, params, indent + 1)
            return out
        case Not():
            return [f"{pad}- not:", *describe(cond.condition, params, indent + 1)]
        case Sum():
            assert cond.where is not None
            head = f"the `{cond.field}` of the entries of `{cond.path}` that have the following, added up, {_OPS[cond.op]} {_value(cond.value, params)}:"
            return [f"{pad}- {head}", *describe(cond.where, params, indent + 1)]
        case Count():
            assert cond.where is not None
            if cond.op == "==" and cond.value == 0 and isinstance(cond.where, Not):
                head, where = f"every entry of `{cond.path}` (true when there are none) has:", cond.where.condition
            elif cond.op == ">=" and cond.value == 1:
                head, where = f"at least one entry of `{cond.path}` has:", cond.where
            else:
                head = f"{_COUNT_OPS[cond.op]} {_value(cond.value, params)} entries of `{cond.path}` have:"
                where = cond.where
            return [f"{pad}- {head}", *describe(where, params, indent + 1)]
        case Compare() | IsKnown() | In() | Includes() | Present() | WithinDays() | Covers() | Option() | Named():
            raise TypeError(f"{type(cond).__name__} is described in one line by _one_line")  # pragma: no cover
    assert_never(cond)  # mypy names a kind of condition no case describes


def definitions(cond: Condition | None, params: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The named parts of ``cond`` (each once, outermost first), with what each means as list lines."""
    out: list[tuple[str, list[str]]] = []
    seen: set[str] = set()

    def walk(node: Condition) -> None:
        if isinstance(node, Named) and node.name not in seen:
            seen.add(node.name)
            out.append((node.name, describe(node.condition, params, 1)))
        for sub in children(node):
            walk(sub)

    if cond is not None:
        walk(cond)
    return out
