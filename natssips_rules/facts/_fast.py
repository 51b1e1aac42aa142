"""The loader's fast path: valid facts built in one pass, without collecting problems.

:func:`build` makes an :class:`~natssips_rules.facts.model.Organisation` from
parsed JSON data when every value is plainly valid, checking each field as
the facts classes' own checks do (the same kinds, limits and conversions),
and setting the fields directly instead of running each class's checks again.
Each class gets a builder with its fields' checks written out, made once (as
attrs writes a class's ``__init__``).
At the first value it is not sure of it gives up (:class:`Unsure`), and the
loader takes its full path, which reports every problem with its path. So it
accepts a subset of what the full path accepts and builds equal objects (a
property test holds the two paths equal on generated valid facts and on
facts damaged at random); it never decides that something is wrong.
"""

import datetime
import functools
import math
import threading
import types
from collections.abc import Callable
from typing import Any

import attrs

from natssips_rules._internal.structuring import encodable
from natssips_rules.facts import model as m
from natssips_rules.facts.paths import fields_of

__all__ = ["Met", "Refs", "Unsure", "build"]


class Unsure(Exception):
    """A value the fast path does not accept as plainly valid: the full path decides."""


_Row = tuple[str, str, str, bool, bool, Any]
#: The references a build met: each an id or a tuple of ids, with the class it refers to.
Refs = list[tuple[Any, type[Any]]]


class Met:
    """What a build met besides the objects it made: each reference (an id or a tuple of ids, with the class it
    refers to), how many keys the objects read had, and each text value holding a colon. The loader checks the
    references from ``refs``, and from ``keys`` and ``texts`` that no object of the JSON text had a key twice."""

    __slots__ = ("keys", "refs", "texts")

    def __init__(self) -> None:
        self.keys = 0
        self.refs: Refs = []
        self.texts: list[str] = []


def _plan(cls: type[Any]) -> tuple[tuple[_Row, ...], frozenset[str]]:
    """For each field: name, its check's kind, its kind to the rules, required, may be False, and what it holds."""
    rows = []
    for f in attrs.fields(cls):
        spec: m.FieldSpec = f.metadata["spec"]
        info = fields_of(cls)[f.name]
        extra: Any = None
        if info.kind in ("object", "collection", "evidence", "ref", "reflist"):
            extra = info.type  # the class held, or for a reference the class it refers to
        elif info.kind == "enumset" or spec.kind == "enum":
            extra = {member.value: member for member in info.type}
        rows.append((f.name, spec.kind, info.kind, spec.required, spec.absent_ok, extra))
    return tuple(rows), frozenset(a.name for a in attrs.fields(cls))


def _text_id(value: Any) -> str:
    """An item of a list of references: the "id" check of :data:`_CHECKS`, as a function."""
    if type(value) is not str or len(value) > m.MAX_STRING_LENGTH or not value.strip() or not encodable(value):
        raise Unsure
    return value


def _number(value: Any, kind: str) -> Any:
    kind_of = type(value)
    if kind_of is float:
        if kind == "whole" or not math.isfinite(value):
            raise Unsure
    elif kind_of is not int:
        raise Unsure
    if value < 0 or value > (1 if kind == "fraction" else m.MAX_NUMBER):
        raise Unsure
    return value


def _date(value: Any) -> datetime.date:
    if type(value) is not str or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise Unsure
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Unsure from None


def _set(name: str, obj: Any, value: Any) -> None:
    """Set field ``name`` of a class without slots (past a frozen class's guard)."""
    object.__setattr__(obj, name, value)


def _unsure() -> Any:
    raise Unsure


#: The check of each kind of field, as the statements of a builder (``v``: the value, not None; ``{E}``: what
#: the field holds, its enumeration's values or its class): each leaves the value to set in ``v``, or raises
#: Unsure. They mirror the facts classes' own checks (model.py); tests/facts/test_fast_load.py holds the two equal.
_CHECKS = {
    "flag": ["if v is not True and v is not False: unsure()"],
    "text": [
        "if type(v) is not str or len(v) > MAX_TEXT or not (v.isascii() or encodable(v)): unsure()",
        'if ":" in v: met.texts.append(v)',
    ],
    "id": [
        "if type(v) is not str or len(v) > MAX_TEXT or not v.strip() or not (v.isascii() or encodable(v)): unsure()",
        'if ":" in v: met.texts.append(v)',
    ],
    "number": ["v = number(v, 'number')"],
    "whole": ["v = number(v, 'whole')"],
    "fraction": ["v = number(v, 'fraction')"],
    "date": ["v = date(v)"],
    "enum": ["v = {E}.get(v) if type(v) is str else None", "if v is None: unsure()"],
    "object": ["v = {B}(v, met)"],
    "collection": [
        "if type(v) is not list or len(v) > MAX_ITEMS: unsure()",
        "v = tuple([{B}(item, met) for item in v])",
    ],
    "enumset": [
        "if type(v) is not list or len(v) > MAX_ITEMS: unsure()",
        "v = tuple([{E}[item] if type(item) is str and item in {E} else unsure() for item in v])",
        "if len(set(v)) != len(v): unsure()",
    ],
    "reflist": [
        "if type(v) is not list or len(v) > MAX_ITEMS: unsure()",
        "v = tuple([text_id(item) for item in v])",
        "if len(set(v)) != len(v): unsure()",
        'met.texts.extend([item for item in v if ":" in item])',
    ],
}
_CHECKS["ref"] = [*_CHECKS["id"], "met.refs.append((v, {E}))"]
_CHECKS["reflist"] = [*_CHECKS["reflist"], "met.refs.append((v, {E}))"]
_CHECKS["evidence"] = _CHECKS["object"]
#: The checks known to keep the duplicate-key count true: their values are never text holding a colon, or the text
#: holding one is added to ``met.texts`` (named, not derived from ``_CHECKS``, so that a new check is looked at).
_COUNTED = frozenset(
    {
        "flag",
        "text",
        "id",
        "ref",
        "reflist",
        "number",
        "whole",
        "fraction",
        "date",
        "enum",
        "enumset",
        "object",
        "collection",
        "evidence",
    }
)


def _check_kind(kind: str, info_kind: str) -> str:
    """Which of :data:`_CHECKS` a field takes: its check's kind, or for a list (``items``) its kind to the rules."""
    return kind if kind in _CHECKS else info_kind


def _make_builder(cls: type[Any]) -> Callable[[Any, Met], Any]:
    """A function building ``cls`` from plain data with each field's check written out (as attrs writes an
    ``__init__``), so that no field's kind is looked up while building."""
    fields, names = _plan(cls)
    namespace: dict[str, Any] = {
        "unsure": _unsure,
        "new": object.__new__,
        "setattr": object.__setattr__,
        "cls": cls,
        "names": names,
        "number": _number,
        "date": _date,
        "encodable": encodable,
        "text_id": _text_id,
        "MAX_TEXT": m.MAX_STRING_LENGTH,
        "MAX_ITEMS": m.MAX_ITEMS,
    }
    lines = [
        "def builder(data, met):",
        "    if type(data) is not dict or not names.issuperset(data):",  # every key is a field's name
        "        unsure()",
        "    met.keys += len(data)",
        "    obj = new(cls)",
        "    get = data.get",
    ]
    for index, (name, kind, info_kind, required, absent_ok, extra) in enumerate(fields):
        namespace[f"E{index}"] = extra
        if _check_kind(kind, info_kind) in ("object", "collection", "evidence"):
            namespace[f"B{index}"] = _builder_of(extra)  # the builder of the class it holds, called directly
        # a slot's own descriptor sets it without looking the name up (a frozen class's fields are set past its guard)
        slot = getattr(cls, name, None)
        namespace[f"S{index}"] = slot.__set__ if isinstance(slot, types.MemberDescriptorType) else functools.partial(_set, name)
        lines.append(f"    v = get({name!r})")
        lines.append("    if v is None:")
        lines.append("        unsure()" if required else "        pass")
        if absent_ok:
            lines.append("    elif v is False:")
            lines.append("        pass")
        lines.append("    else:")
        check = _check_kind(kind, info_kind)
        if (info_kind in ("ref", "reflist")) != (check in ("ref", "reflist")):  # every reference is added to refs
            raise TypeError(f"{cls.__name__}.{name}: a reference to the rules ({info_kind}) is checked as {check}")
        # the text a build does not add to met.texts holds no colon (the duplicate-key check counts them): the
        # field names, the values of enumerations, dates (checked as YYYY-MM-DD)
        if ":" in name or (check in ("enum", "enumset") and any(":" in value for value in extra)):
            raise TypeError(f"{cls.__name__}.{name}: a field name or enumeration value holds a colon")
        if check not in _COUNTED:
            raise TypeError(f"{cls.__name__}.{name}: its check ({check}) is not known to add its text to met.texts")
        lines.extend(
            f"        {statement.replace('{E}', f'E{index}').replace('{B}', f'B{index}')}" for statement in _CHECKS[check]
        )
        lines.append(f"    S{index}(obj, v)")
    lines.append("    return obj")
    exec(compile("\n".join(lines), f"<natssips_rules fast builder of {cls.__name__}>", "exec"), namespace)
    built: Callable[[Any, Met], Any] = namespace["builder"]
    return built


_BUILDERS: dict[type[Any], Callable[[Any, Met], Any]] = {}


#: The classes whose builders are being made, by the thread holding :data:`_MAKING_LOCK` (the facts classes hold no
#: cycle; one would be refused). One thread makes builders at a time: another waits, then finds them made.
_MAKING: set[type[Any]] = set()
_MAKING_LOCK = threading.RLock()


def _builder_of(cls: type[Any]) -> Callable[[Any, Met], Any]:
    builder = _BUILDERS.get(cls)
    if builder is not None:
        return builder
    with _MAKING_LOCK:
        builder = _BUILDERS.get(cls)
        if builder is None:
            if cls in _MAKING:
                raise TypeError(f"the facts classes hold a cycle through {cls.__name__}")
            _MAKING.add(cls)
            try:
                builder = _BUILDERS[cls] = _make_builder(cls)
            finally:
                _MAKING.discard(cls)
        return builder


def build(cls: type[Any], data: Any, met: Met) -> Any:
    """An instance of facts class ``cls`` from plain data, or :class:`Unsure`; what it met besides is added to
    ``met``."""
    return _builder_of(cls)(data, met)
