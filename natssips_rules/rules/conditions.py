"""The condition language: a small closed set of frozen nodes.

A rule's ``applies_when`` and ``holds`` are trees of these nodes. They are
data: both engines interpret them, they serialise to plain dicts (and so to
TOML or JSON), and they are checked against the facts model before they run.
There is deliberately no node that calls Python code.

Every node is judged in Kleene's three-valued logic: true, false or unknown
(a fact it needs was not supplied).
"""

import enum
from typing import Any, Union, assert_never

import attrs

from natssips_rules._internal.converters import as_tuple
from natssips_rules._internal.structuring import describe
from natssips_rules.errors import ConditionDataError

__all__ = [
    "COMPARISON_OPERATORS",
    "CONDITION_TYPES",
    "MAX_CONDITION_DEPTH",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Count",
    "Covers",
    "In",
    "Includes",
    "IsKnown",
    "Named",
    "Not",
    "Option",
    "Param",
    "Present",
    "Sum",
    "WithinDays",
    "children",
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
class Sum:
    """The sum of the number ``field`` over the items of the list at ``path`` matching ``where``, compared.

    For example, the NatSSIPs leads' job-plan sessions together:
    ``Sum("natssips_leads", "job_plan_sessions_per_week", ">=", Param("lead_min_sessions"))``.
    Numbers in the facts are never negative, so an item whose number (or
    whose match) is unknown makes the sum a range from what is known upwards;
    the comparison is true or false only when the whole range agrees.
    """

    path: str
    field: str
    op: str
    value: int | float | Param
    where: "Condition | None" = None


@attrs.frozen
class Present:
    """The fact at ``path`` (a nested object, or a reference to a person or site) exists.

    True when it is there, false when the facts record that there is none
    (``false`` in place of the object or id: "known: there is none"), unknown
    when nothing was said.
    """

    path: str


@attrs.frozen
class WithinDays:
    """The date at ``path`` is on or before ``as_of`` and at most ``days`` days before it.

    A date after ``as_of`` is not evidence at that date: the condition is then
    unknown (a fact from the future is neither met nor failed; the finding says
    why).
    """

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


@attrs.frozen
class Named:
    """A part of a condition with a name a reader understands ("the organisation is a large Trust").

    It means exactly what ``condition`` means; the name is how the rule
    catalogue and the findings speak of it, and ``remedy`` (optional) says
    what to do when this part is not met.
    """

    name: str
    condition: "Condition"
    remedy: str | None = None


Condition = Union[Compare, IsKnown, AllOf, AnyOf, Not, In, Includes, Count, Sum, Present, WithinDays, Covers, Option, Named]
#: The node classes of the language (for ``isinstance``).
CONDITION_TYPES: tuple[type[Any], ...] = (
    Compare,
    IsKnown,
    AllOf,
    AnyOf,
    Not,
    In,
    Includes,
    Count,
    Sum,
    Present,
    WithinDays,
    Covers,
    Option,
    Named,
)


def children(cond: Condition) -> tuple[Condition, ...]:
    """The conditions directly inside ``cond`` (a count's ``where`` is judged per item of its list)."""
    match cond:
        case AllOf() | AnyOf():
            return cond.conditions
        case Not() | Named():
            return (cond.condition,)
        case Count() | Sum():
            return () if cond.where is None else (cond.where,)
        case Compare() | IsKnown() | In() | Includes() | Present() | WithinDays() | Covers() | Option():
            return ()
    assert_never(cond)  # mypy names a kind of condition whose parts no case gives


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
    Sum: "sum",
    Present: "present",
    WithinDays: "within_days",
    Covers: "covers",
    Option: "option",
    Named: "named",
}


def _value_to_data(value: Any) -> Any:
    if isinstance(value, Param):
        return {"param": value.name}
    if isinstance(value, tuple):
        return list(value)
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
        case Sum():
            summed: dict[str, Any] = {
                "op": "sum",
                "path": cond.path,
                "field": cond.field,
                "compare": cond.op,
                "value": _value_to_data(cond.value),
            }
            if cond.where is not None:
                summed["where"] = condition_to_data(cond.where)
            return summed
        case Present():
            return {"op": "present", "path": cond.path}
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
        case Named():
            named: dict[str, Any] = {"op": "named", "name": cond.name, "of": condition_to_data(cond.condition)}
            if cond.remedy is not None:
                named["remedy"] = cond.remedy
            return named
    assert_never(cond)  # mypy names a kind of condition no case writes


#: The deepest nesting of conditions a rule may have (all/any/not/count 'where').
MAX_CONDITION_DEPTH = 32

# Each op's keys, and what each key holds: "path"/"text" (text), "compare" (an operator), "value" (a
# constant or {param = ...}), "values" (a list of constants or {param = ...}), "count" (a whole number or
# {param = ...}), "of" (one condition for not, a non-empty list for all/any), "where" (an optional condition).
_SHAPES: dict[str, dict[str, str]] = {
    "all": {"of": "conditions"},
    "any": {"of": "conditions"},
    "not": {"of": "condition"},
    "compare": {"path": "text", "compare": "text", "value": "value"},
    "is_known": {"path": "text"},
    "in": {"path": "text", "values": "values"},
    "includes": {"path": "text", "values": "values"},
    "count": {"path": "text", "compare": "text", "value": "count", "where": "where"},
    "sum": {"path": "text", "field": "text", "compare": "text", "value": "number", "where": "where"},
    "present": {"path": "text"},
    "within_days": {"path": "text", "days": "count"},
    "covers": {"path": "text", "field": "text", "values": "values"},
    "option": {"param": "text", "value": "text"},
    "named": {"name": "text", "of": "condition", "remedy": "optional_text"},
}
_OPTIONAL = {"where", "remedy"}


def _scalar_ok(value: Any) -> bool:
    return isinstance(value, (bool, int, float, str))


def _param_of(value: Any, where: str) -> Param | None:
    if isinstance(value, dict):
        if set(value) != {"param"} or not isinstance(value["param"], str):
            raise ConditionDataError("a parameter reference is a table with one key, 'param', naming the parameter", where)
        return Param(value["param"])
    return None


def _field_from_data(kind: str, value: Any, where: str, depth: int) -> Any:
    if kind == "text" or (kind == "optional_text" and value is not None):
        if not isinstance(value, str):
            raise ConditionDataError(f"expected text, not {_kind_of(value)}", where)
        return value
    if kind == "optional_text":
        return None
    if kind == "value":
        param = _param_of(value, where)
        if param is None and not _scalar_ok(value):
            raise ConditionDataError(f"expected a number, true/false, text or {{param = ...}}, not {_kind_of(value)}", where)
        return param or value
    if kind == "number":
        param = _param_of(value, where)
        if param is None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ConditionDataError(f"expected a number or {{param = ...}}, not {_kind_of(value)}", where)
        return param or value
    if kind == "count":
        param = _param_of(value, where)
        if param is None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConditionDataError(f"expected a whole number or {{param = ...}}, not {_kind_of(value)}", where)
        return param or value
    if kind == "values":
        param = _param_of(value, where)
        if param is not None:
            return param
        if not isinstance(value, list) or not all(_scalar_ok(v) for v in value):
            raise ConditionDataError("expected a list of values (text) or {param = ...}", where)
        return tuple(value)
    if kind == "condition" or kind == "where":
        return None if value is None else condition_from_data(value, where, _depth=depth + 1)
    if not isinstance(value, list) or not value:
        raise ConditionDataError("'of' must be a non-empty list of conditions", where)
    return [condition_from_data(item, f"{where}[{i}]", _depth=depth + 1) for i, item in enumerate(value)]


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return describe(value)


def condition_from_data(data: Any, where: str = "condition", *, _depth: int = 1) -> Condition:
    """Build a condition from its data form; malformed data raises ``ConditionDataError`` saying where."""
    if _depth > MAX_CONDITION_DEPTH:
        raise ConditionDataError(f"conditions are nested more than {MAX_CONDITION_DEPTH} deep", where)
    if not isinstance(data, dict):
        raise ConditionDataError(f"a condition is a table with an 'op' key, not {_kind_of(data)}", where)
    op = data.get("op")
    if not isinstance(op, str) or op not in _SHAPES:
        raise ConditionDataError(f"unknown op {op!r}; expected one of {', '.join(sorted(_SHAPES))}", where)
    shape = _SHAPES[op]
    extra = set(data) - set(shape) - {"op"}
    if extra:
        raise ConditionDataError(f"unexpected key(s) {', '.join(sorted(map(str, extra)))} for op {op!r}", where)
    missing = set(shape) - set(data) - _OPTIONAL
    if missing:
        raise ConditionDataError(f"missing key(s) {', '.join(sorted(missing))} for op {op!r}", where)
    f = {key: _field_from_data(kind, data.get(key), f"{where}.{key}", _depth) for key, kind in shape.items()}
    match op:
        case "all":
            return AllOf(f["of"])
        case "any":
            return AnyOf(f["of"])
        case "not":
            return Not(f["of"])
        case "compare":
            return Compare(f["path"], f["compare"], f["value"])
        case "is_known":
            return IsKnown(f["path"])
        case "in":
            return In(f["path"], f["values"])
        case "includes":
            return Includes(f["path"], f["values"])
        case "count":
            return Count(f["path"], f["compare"], f["value"], f["where"])
        case "sum":
            return Sum(f["path"], f["field"], f["compare"], f["value"], f["where"])
        case "present":
            return Present(f["path"])
        case "covers":
            return Covers(f["path"], f["field"], f["values"])
        case "option":
            return Option(f["param"], f["value"])
        case "named":
            return Named(f["name"], f["of"], f["remedy"])
    return WithinDays(f["path"], f["days"])


def paths_read(cond: Condition) -> list[str]:
    """The paths a condition reads, in order, without repeats (counts give their list)."""
    out: list[str] = []

    def walk(node: Condition) -> None:
        match node:
            case AllOf() | AnyOf() | Not() | Named():
                for sub in children(node):
                    walk(sub)
            case Compare() | IsKnown() | In() | Includes() | Count() | Sum() | Present() | WithinDays() | Covers():
                if node.path not in out:
                    out.append(node.path)
            case Option():
                pass  # reads a parameter, not a fact
            case _:
                assert_never(node)  # mypy names a kind of condition this walk misses

    walk(cond)
    return out


def enum_value(value: Any) -> Any:
    """The JSON form of a fact value (enum members become their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    return value
