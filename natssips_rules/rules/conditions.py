"""The condition language: a small closed set of frozen nodes.

A rule's ``applies_when`` and ``holds`` are trees of these nodes. They are
data: both engines interpret them, they serialise to plain dicts (and so to
TOML or JSON), and they are checked against the facts model before they run.
There is deliberately no node that calls Python code.

Every node is judged in Kleene's three-valued logic: true, false or unknown
(a fact it needs was not supplied).
"""

import datetime
import enum
import math
from typing import Any, Union

import attrs

from natssips_rules._convert import as_tuple
from natssips_rules.facts.paths import FieldInfo, PathError, resolve_path

__all__ = [
    "COMPARISON_OPERATORS",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Count",
    "Covers",
    "In",
    "Includes",
    "IsKnown",
    "Not",
    "Option",
    "Param",
    "WithinDays",
    "condition_from_data",
    "condition_to_data",
    "exists",
    "expand_covers",
    "for_all",
    "paths_read",
]

COMPARISON_OPERATORS = ("==", "!=", "<", "<=", ">", ">=")

Scalar = Union[bool, int, float, str]


@attrs.frozen
class Param:
    """A reference to a named parameter of the rule (never a bare literal)."""

    name: str


Value = Union[Scalar, Param]
Values = Union[tuple[str, ...], Param]


def _tuple_of_str(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple)) else value


@attrs.frozen
class Compare:
    """The field at ``path`` compared with a constant or a parameter."""

    path: str
    op: str
    value: Value


@attrs.frozen
class IsKnown:
    """Evidence was supplied for the field at ``path`` (never unknown itself)."""

    path: str


@attrs.frozen
class AllOf:
    """Every condition holds (Kleene conjunction)."""

    conditions: tuple["Condition", ...] = attrs.field(converter=as_tuple)


@attrs.frozen
class AnyOf:
    """At least one condition holds (Kleene disjunction)."""

    conditions: tuple["Condition", ...] = attrs.field(converter=as_tuple)


@attrs.frozen
class Not:
    """The condition does not hold (unknown stays unknown)."""

    condition: "Condition"


@attrs.frozen
class In:
    """The enumerated or text field at ``path`` is one of ``values``."""

    path: str
    values: Values = attrs.field(converter=_tuple_of_str)


@attrs.frozen
class Includes:
    """The list of enumerated values at ``path`` includes every one of ``values``."""

    path: str
    values: Values = attrs.field(converter=_tuple_of_str)


@attrs.frozen
class Count:
    """The number of items of the list at ``path`` matching ``where``, compared.

    With ``where`` absent every item counts. Items whose match is unknown make
    the count a range; the comparison is true or false only when the whole
    range agrees.
    """

    path: str
    op: str
    value: int | Param
    where: "Condition | None" = None


@attrs.frozen
class WithinDays:
    """The date at ``path`` is on or before ``as_of`` and at most ``days`` days before it."""

    path: str
    days: int | Param


@attrs.frozen
class Covers:
    """Each of ``values`` is the ``field`` of at least one item of the list at ``path``.

    For example, the steering group's members cover the professions a Trust
    names: ``Covers("members", "profession", Param("steering_group_professions"))``.
    It means the same as one ``exists`` per value (see :func:`expand_covers`);
    unlike them, the values can be a parameter.
    """

    path: str
    field: str
    values: Values = attrs.field(converter=_tuple_of_str)


@attrs.frozen
class Option:
    """The reading a Trust chose: the list parameter ``param`` includes ``value``.

    Where the standard's words allow several readings, a rule can offer them
    as options of one parameter and guard each part with ``Option``; it is
    true or false, never unknown, and reads no facts.
    """

    param: str
    value: str


Condition = Union[Compare, IsKnown, AllOf, AnyOf, Not, In, Includes, Count, WithinDays, Covers, Option]


def exists(path: str, where: Condition | None = None) -> Count:
    """At least one item of the list at ``path`` matches ``where``."""
    return Count(path, ">=", 1, where)


def for_all(path: str, where: Condition) -> Count:
    """Every item of the list at ``path`` matches ``where`` (true for an empty list)."""
    return Count(path, "==", 0, Not(where))


def expand_covers(cond: Covers, values: tuple[str, ...]) -> Condition:
    """``cond`` with its values in force, as one ``exists`` per value.

    With no values it holds whenever the list is known (and is unknown when the list is).
    """
    if not values:
        return Count(cond.path, ">=", 0)
    return AllOf([Count(cond.path, ">=", 1, Compare(cond.field, "==", v)) for v in values])


# --------------------------------------------------------------------------
# Data form: {"op": ..., ...}; used for digests, docs and rule files.

_NODE_NAMES: dict[type[Any], str] = {
    Compare: "compare",
    IsKnown: "is_known",
    AllOf: "all",
    AnyOf: "any",
    Not: "not",
    In: "in",
    Includes: "includes",
    Count: "count",
    WithinDays: "within_days",
    Covers: "covers",
    Option: "option",
}


def _value_to_data(value: Any) -> Any:
    if isinstance(value, Param):
        return {"param": value.name}
    if isinstance(value, tuple):
        return list(value)
    return value


def _value_from_data(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"param"}:
        return Param(value["param"])
    if isinstance(value, list):
        return tuple(value)
    return value


def condition_to_data(cond: Condition) -> dict[str, Any]:
    """The plain-dict form of a condition (JSON and TOML friendly)."""
    match cond:
        case AllOf() | AnyOf():
            return {"op": _NODE_NAMES[type(cond)], "of": [condition_to_data(c) for c in cond.conditions]}
        case Not():
            return {"op": "not", "of": condition_to_data(cond.condition)}
        case Count():
            data: dict[str, Any] = {"op": "count", "path": cond.path, "compare": cond.op, "value": _value_to_data(cond.value)}
            if cond.where is not None:
                data["where"] = condition_to_data(cond.where)
            return data
        case Compare():
            return {"op": "compare", "path": cond.path, "compare": cond.op, "value": _value_to_data(cond.value)}
        case IsKnown():
            return {"op": "is_known", "path": cond.path}
        case In() | Includes():
            return {"op": _NODE_NAMES[type(cond)], "path": cond.path, "values": _value_to_data(cond.values)}
        case WithinDays():
            return {"op": "within_days", "path": cond.path, "days": _value_to_data(cond.days)}
        case Covers():
            return {"op": "covers", "path": cond.path, "field": cond.field, "values": _value_to_data(cond.values)}
        case Option():
            return {"op": "option", "param": cond.param, "value": cond.value}
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover


class ConditionDataError(ValueError):
    """A condition in data form is malformed; ``where`` locates it."""

    def __init__(self, message: str, where: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")


_KEYS = {
    "all": {"op", "of"},
    "any": {"op", "of"},
    "not": {"op", "of"},
    "compare": {"op", "path", "compare", "value"},
    "is_known": {"op", "path"},
    "in": {"op", "path", "values"},
    "includes": {"op", "path", "values"},
    "count": {"op", "path", "compare", "value", "where"},
    "within_days": {"op", "path", "days"},
    "covers": {"op", "path", "field", "values"},
    "option": {"op", "param", "value"},
}


def condition_from_data(data: Any, where: str = "condition") -> Condition:
    """Build a condition from its data form; malformed data raises ``ConditionDataError``."""
    if not isinstance(data, dict):
        raise ConditionDataError(f"a condition is a table with an 'op' key, not {type(data).__name__}", where)
    op = data.get("op")
    if op not in _KEYS:
        raise ConditionDataError(f"unknown op {op!r}; expected one of {', '.join(sorted(_KEYS))}", where)
    extra = set(data) - _KEYS[op]
    if extra:
        raise ConditionDataError(f"unexpected key(s) {', '.join(sorted(extra))} for op {op!r}", where)
    optional = {"where"}
    missing = _KEYS[op] - set(data) - optional
    if missing:
        raise ConditionDataError(f"missing key(s) {', '.join(sorted(missing))} for op {op!r}", where)
    if op in ("all", "any"):
        items = data["of"]
        if not isinstance(items, list) or not items:
            raise ConditionDataError(f"'of' must be a non-empty list of conditions for op {op!r}", where)
        nodes = [condition_from_data(item, f"{where}.of[{i}]") for i, item in enumerate(items)]
        return AllOf(nodes) if op == "all" else AnyOf(nodes)
    if op == "not":
        return Not(condition_from_data(data["of"], f"{where}.of"))
    if op == "compare":
        return Compare(data["path"], data["compare"], _value_from_data(data["value"]))
    if op == "is_known":
        return IsKnown(data["path"])
    if op == "in":
        return In(data["path"], _value_from_data(data["values"]))
    if op == "includes":
        return Includes(data["path"], _value_from_data(data["values"]))
    if op == "count":
        sub = data.get("where")
        return Count(
            data["path"],
            data["compare"],
            _value_from_data(data["value"]),
            None if sub is None else condition_from_data(sub, f"{where}.where"),
        )
    if op == "covers":
        return Covers(data["path"], data["field"], _value_from_data(data["values"]))
    if op == "option":
        return Option(data["param"], data["value"])
    return WithinDays(data["path"], _value_from_data(data["days"]))


# --------------------------------------------------------------------------
# Checking a condition against the facts model


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
        return f"{what} is a yes/no field; compare it with true or false, not {value!r}"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{what} is a number; compare it with a number, not {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{what}: {value!r} is not a finite number"
    if kind == "text" and not isinstance(value, str):
        return f"{what} is text; compare it with text, not {value!r}"
    if kind == "enum":
        allowed = [m.value for m in info.type]
        if value not in allowed:
            return f"{what}: {value!r} is not one of {', '.join(allowed)}"
    if kind == "date":
        return f"{what} is a date; use within_days (or is_known) for dates"
    return None


def check_condition(cond: Condition, cls: type[Any], params: dict[str, Any], *, where: str = "holds", in_count: bool = False) -> list[tuple[str, str]]:
    """Problems with ``cond`` judged for facts class ``cls``: a list of (location, message).

    ``params`` maps the rule's parameter names to their values.
    """
    problems: list[tuple[str, str]] = []

    def value_of(value: Any, loc: str) -> tuple[bool, Any]:
        if isinstance(value, Param):
            if value.name not in params:
                known = ", ".join(sorted(params)) or "none"
                problems.append((loc, f"unknown parameter {value.name!r} (the rule's parameters: {known})"))
                return False, None
            return True, params[value.name]
        return True, value

    def resolve(path: str, loc: str) -> FieldInfo | None:
        try:
            return resolve_path(cls, path).field
        except PathError as exc:
            problems.append((loc, f"{path!r}: {exc}"))
            return None

    match cond:
        case AllOf() | AnyOf():
            if not cond.conditions:
                problems.append((where, "an all/any node needs at least one condition"))
            for i, sub in enumerate(cond.conditions):
                problems += check_condition(sub, cls, params, where=f"{where}.of[{i}]", in_count=in_count)
        case Not():
            problems += check_condition(cond.condition, cls, params, where=f"{where}.of", in_count=in_count)
        case Compare():
            info = resolve(cond.path, where)
            if cond.op not in COMPARISON_OPERATORS:
                problems.append((where, f"unknown comparison {cond.op!r}; expected one of {' '.join(COMPARISON_OPERATORS)}"))
            if info is not None:
                if info.kind == "ref":
                    problems.append((where, f"{cond.path!r} holds the id of another fact; read a field through it (e.g. '{cond.path}.name') or use is_known"))
                elif info.kind != "scalar":
                    problems.append((where, f"{cond.path!r} is a {info.kind} field; compare can only read a single value"))
                else:
                    ok, value = value_of(cond.value, where)
                    if ok:
                        message = _check_constant(info, value, repr(cond.path))
                        if message:
                            problems.append((where, message))
                    if _value_kind(info) in ("bool", "text", "enum") and cond.op not in ("==", "!="):
                        problems.append((where, f"{cond.path!r} is not a number; only == and != apply to it"))
        case IsKnown():
            resolve(cond.path, where)
        case In():
            info = resolve(cond.path, where)
            ok, values = value_of(cond.values, where)
            if info is not None:
                if info.kind != "scalar" or _value_kind(info) not in ("enum", "text"):
                    problems.append((where, f"{cond.path!r} must be an enumerated or text field for 'in'"))
                elif ok:
                    if not isinstance(values, tuple):
                        problems.append((where, "'in' needs a list of values"))
                    else:
                        for v in values:
                            message = _check_constant(info, v, repr(cond.path))
                            if message:
                                problems.append((where, message))
        case Includes():
            info = resolve(cond.path, where)
            ok, values = value_of(cond.values, where)
            if info is not None:
                if info.kind != "enumset":
                    problems.append((where, f"{cond.path!r} must be a list of enumerated values for 'includes'"))
                elif ok:
                    if not isinstance(values, tuple):
                        problems.append((where, "'includes' needs a list of values"))
                    else:
                        allowed = [m.value for m in info.type]
                        for v in values:
                            if v not in allowed:
                                problems.append((where, f"{v!r} is not one of {', '.join(allowed)}"))
        case Count():
            if in_count:
                problems.append((where, "a count cannot be nested inside another count's 'where'"))
            try:
                resolved = resolve_path(cls, cond.path)
            except PathError as exc:
                problems.append((where, f"{cond.path!r}: {exc}"))
                resolved = None
            if cond.op not in COMPARISON_OPERATORS:
                problems.append((where, f"unknown comparison {cond.op!r}; expected one of {' '.join(COMPARISON_OPERATORS)}"))
            ok, value = value_of(cond.value, where)
            if ok and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                problems.append((where, f"a count is compared with a whole number of at least 0, not {value!r}"))
            if resolved is not None:
                info = resolved.field
                if info.kind not in ("collection", "reflist"):
                    problems.append((where, f"{cond.path!r} is a {info.kind} field; count needs a list of facts"))
                elif cond.where is not None:
                    problems += check_condition(cond.where, info.type, params, where=f"{where}.where", in_count=True)
        case WithinDays():
            info = resolve(cond.path, where)
            if info is not None and not (info.kind == "scalar" and info.type is datetime.date):
                problems.append((where, f"{cond.path!r} is not a date"))
            ok, days = value_of(cond.days, where)
            if ok and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
                problems.append((where, f"days must be a whole number of at least 0, not {days!r}"))
        case Covers():
            ok, values = value_of(cond.values, where)
            try:
                resolved = resolve_path(cls, cond.path)
            except PathError as exc:
                problems.append((where, f"{cond.path!r}: {exc}"))
                resolved = None
            if resolved is not None:
                info = resolved.field
                if info.kind not in ("collection", "reflist"):
                    problems.append((where, f"{cond.path!r} is a {info.kind} field; covers needs a list of facts"))
                elif ok:
                    if not isinstance(values, tuple):
                        problems.append((where, "'covers' needs a list of values"))
                    else:
                        for v in values:
                            problems += check_condition(
                                Compare(cond.field, "==", v), info.type, params, where=f"{where}.field", in_count=True
                            )
        case Option():
            if cond.param not in params:
                known = ", ".join(sorted(params)) or "none"
                problems.append((where, f"unknown parameter {cond.param!r} (the rule's parameters: {known})"))
            elif not isinstance(params[cond.param], tuple):
                problems.append((where, f"option needs a list parameter; {cond.param!r} is {params[cond.param]!r}"))
            if not isinstance(cond.value, str):
                problems.append((where, f"an option's value is text, not {cond.value!r}"))
        case _:
            problems.append((where, f"not a condition node: {cond!r}"))
    return problems


def paths_read(cond: Condition) -> list[str]:
    """The paths a condition reads, in order, without repeats (counts give their list)."""
    out: list[str] = []

    def walk(node: Condition) -> None:
        match node:
            case AllOf() | AnyOf():
                for sub in node.conditions:
                    walk(sub)
            case Not():
                walk(node.condition)
            case Compare() | IsKnown() | In() | Includes() | Count() | WithinDays() | Covers():
                if node.path not in out:
                    out.append(node.path)

    walk(cond)
    return out


def enum_value(value: Any) -> Any:
    """The JSON form of a fact value (enum members become their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    return value
