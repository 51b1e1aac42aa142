"""The loader's fast path: valid facts built in one pass, without collecting problems.

:func:`build` makes an :class:`~natssips_rules.facts.model.Organisation` from
parsed JSON data when every value is plainly valid, checking each field as
the facts classes' own checks do (the same kinds, limits and conversions),
and setting the fields directly instead of running each class's checks again.
At the first value it is not sure of it gives up (:class:`Unsure`), and the
loader takes its full path, which reports every problem with its path. So it
accepts a subset of what the full path accepts and builds equal objects (a
property test holds the two paths equal on generated valid facts and on
facts damaged at random); it never decides that something is wrong.
"""

import datetime
import math
from typing import Any

import attrs

from natssips_rules.facts import model as m
from natssips_rules.facts.paths import fields_of

__all__ = ["Unsure", "build"]


class Unsure(Exception):
    """A value the fast path does not accept as plainly valid: the full path decides."""


_Plan = tuple[tuple[tuple[str, str, str, bool, bool, Any], ...], frozenset[str]]
_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    """For each field: name, its check's kind, its kind to the rules, required, may be False, and what it holds."""
    found = _PLANS.get(cls)
    if found is None:
        rows = []
        for f in attrs.fields(cls):
            spec: m.FieldSpec = f.metadata["spec"]
            info = fields_of(cls)[f.name]
            extra: Any = None
            if info.kind in ("object", "collection", "evidence"):
                extra = info.type
            elif info.kind == "enumset" or spec.kind == "enum":
                extra = {member.value: member for member in info.type}
            rows.append((f.name, spec.kind, info.kind, spec.required, spec.absent_ok, extra))
        found = _PLANS[cls] = (tuple(rows), frozenset(a.name for a in attrs.fields(cls)))
    return found


def _text(value: Any, *, blank_ok: bool) -> str:
    if type(value) is not str or len(value) > m.MAX_STRING_LENGTH:
        raise Unsure
    if not blank_ok and not value.strip():
        raise Unsure
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Unsure from None
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


def build(cls: type[Any], data: Any) -> Any:
    """An instance of facts class ``cls`` from plain data, or :class:`Unsure`."""
    if type(data) is not dict:
        raise Unsure
    fields, names = _plan(cls)
    if not data.keys() <= names:
        raise Unsure
    obj = object.__new__(cls)
    for name, kind, info_kind, required, absent_ok, extra in fields:
        value = data.get(name)
        if value is None:
            if required:
                raise Unsure
        elif value is False and absent_ok:
            pass
        elif kind == "flag":
            if value is not True and value is not False:
                raise Unsure
        elif kind == "text":
            _text(value, blank_ok=True)
        elif kind in ("id", "ref"):
            _text(value, blank_ok=False)
        elif kind in ("number", "whole", "fraction"):
            _number(value, kind)
        elif kind == "date":
            if type(value) is not str or len(value) != 10 or value[4] != "-" or value[7] != "-":
                raise Unsure
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                raise Unsure from None
        elif kind == "enum":
            value = extra.get(value) if type(value) is str else None
            if value is None:
                raise Unsure
        elif info_kind in ("object", "evidence"):
            value = build(extra, value)
        elif info_kind == "collection":
            if type(value) is not list or len(value) > m.MAX_ITEMS:
                raise Unsure
            value = tuple(build(extra, item) for item in value)
        elif info_kind in ("enumset", "reflist"):
            if type(value) is not list or len(value) > m.MAX_ITEMS:
                raise Unsure
            if info_kind == "enumset":
                if any(type(item) is not str or item not in extra for item in value):
                    raise Unsure
                value = tuple(extra[item] for item in value)
            else:
                value = tuple(_text(item, blank_ok=False) for item in value)
            if len(set(value)) != len(value):
                raise Unsure
        else:  # pragma: no cover - a field kind the fast path does not know: the full path decides
            raise Unsure
        object.__setattr__(obj, name, value)
    return obj
