"""Strict structuring of plain data (parsed JSON or TOML) with cattrs, for every document the library reads.

A strict converter never coerces: ``"3"`` is not a number, ``1`` is not
``true``, ``"yes"`` is not a boolean; unknown keys are errors; a date is a
TOML date or ``YYYY-MM-DD`` text; text that cannot be written as UTF-8 (a
lone surrogate) is refused. :func:`problems_of` turns cattrs' exception
group into ``(path, message)`` pairs, every problem found, each with the
path of the value (``rules[3].citation.quote``).
"""

import datetime
import enum
import json
import math
import re
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from natssips_rules.errors import ConditionDataError

__all__ = ["LocatedError", "describe", "encodable", "expect", "problems_of", "shown", "strict_converter", "structure_date"]

#: A whole number with more bits than this is named by its size in messages, not written out.
_MAX_SHOWN_BITS = 100


def shown(value: Any) -> str:
    """A value as a message shows it: its ``repr``, except that a whole number too long to write out is named by
    its size (Python refuses to write one of more than 4,300 digits, and nobody reads one of 40), a long list is
    cut, and a value whose ``repr`` fails is named by its type. Never raises."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_SHOWN_BITS:
        digits = int(value.bit_length() * 0.30103) + 1
        return f"a whole number of about {digits:,} digits"
    if type(value) in (list, tuple):
        items = [shown(item) for item in value[:10]] + (["..."] if len(value) > 10 else [])
        return ("[{}]" if type(value) is list else "({})").format(", ".join(items))
    if type(value) is dict:
        pairs = [f"{shown(key)}: {shown(item)}" for key, item in list(value.items())[:10]] + (["..."] if len(value) > 10 else [])
        return "{" + ", ".join(pairs) + "}"
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - a caller's object whose repr fails: a message must still be written
        return f"a value of type {type(value).__name__}"


def describe(value: Any) -> str:
    """A value as a reader of the input would name it ("text 'abc'", "a list", "null")."""
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"text {text!r}"
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {shown(value)}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the {'date' if isinstance(value, datetime.date) else 'time'} {value.isoformat()}"
    return type(value).__name__


def expect(value: Any, kind: type[Any] | tuple[type[Any], ...], label: str) -> None:
    """Raise ``TypeError`` unless ``value`` is of ``kind`` (a boolean is never a number)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise TypeError(f"expected {label}, got {describe(value)}")
    if not isinstance(value, kinds):
        raise TypeError(f"expected {label}, got {describe(value)}")


def encodable(text: str) -> bool:
    """``text`` can be written as UTF-8 (it holds no lone surrogate)."""
    if text.isascii():  # the common case, known without encoding
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class LocatedError(ValueError):
    """A problem found below the value being structured: ``where`` extends the path."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(message)


def _structure_bool(value: Any, _: Any) -> bool:
    expect(value, bool, "true or false")
    return bool(value)


def _structure_int(value: Any, _: Any) -> int:
    expect(value, int, "a whole number")
    return int(value)


def _structure_float(value: Any, _: Any) -> float:
    expect(value, (int, float), "a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {shown(value)}")
    return number


def _structure_str(value: Any, _: Any) -> str:
    expect(value, str, "text")
    if not encodable(value):
        raise ValueError("holds a lone surrogate (text that cannot be written as UTF-8)")
    return str(value)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def structure_date(value: Any, _: Any = None) -> datetime.date:
    """A date from ``YYYY-MM-DD`` text, or a date itself (never a date and time)."""
    if isinstance(value, datetime.datetime):
        raise TypeError(f"expected a date (YYYY-MM-DD), got a date and time ({value.isoformat()})")
    if isinstance(value, datetime.date):
        return value
    expect(value, str, "a date as text (YYYY-MM-DD)")
    if not _DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    allowed = [m.value for m in cls]
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{describe(value)} is not allowed; expected one of: {', '.join(allowed)}")
    return cls(value)


def strict_converter(*, omit_if_default: bool = False) -> cattrs.Converter:
    """A cattrs converter that structures plain data strictly (see the module's docstring)."""
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=omit_if_default)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(datetime.date, structure_date)
    conv.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum)

    def structure_tuple(value: Any, tp: Any) -> tuple[Any, ...]:
        expect(value, list, "a list")
        list_type: Any = list[typing.get_args(tp)[0]]  # type: ignore[misc]
        return tuple(conv.get_structure_hook(list_type)(value, list_type))

    def is_tuple(tp: Any) -> bool:
        return typing.get_origin(tp) is tuple

    conv.register_structure_hook_func(is_tuple, structure_tuple)

    def object_hook(tp: Any) -> Callable[[Any, Any], Any]:
        inner = make_dict_structure_fn(tp, conv, _cattrs_forbid_extra_keys=True)

        def hook(value: Any, cls: Any) -> Any:
            expect(value, dict, "an object (a table in TOML)")
            return inner(value, cls)

        return hook

    conv.register_structure_hook_factory(attrs.has, object_hook)
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda e: e.value)
    return conv


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def _walk(exc: BaseException, path: str, out: list[tuple[str, str]]) -> None:
    if isinstance(exc, ClassValidationError):
        noted, plain = exc.group_exceptions()
        for inner, note in noted:
            _walk(inner, _join(path, note.name), out)
        for inner in plain:
            _walk(inner, path, out)
    elif isinstance(exc, IterableValidationError):
        noted_items, plain = exc.group_exceptions()
        for inner, item_note in noted_items:
            _walk(inner, _join(path, item_note.index), out)
        for inner in plain:
            _walk(inner, path, out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        allowed = ", ".join(sorted(attrs.fields_dict(exc.cl))) if attrs.has(exc.cl) else ""
        for key in sorted(exc.extra_fields):
            out.append((_join(path, key), f"unknown key {key!r}" + (f" (allowed: {allowed})" if allowed else "")))
    elif isinstance(exc, ConditionDataError):
        where = exc.where.removeprefix(".")  # a condition read from a field is placed from that field ("holds.value")
        out.append((f"{path}{where}" if where.startswith("[") or not path else f"{path}.{where}".rstrip("."), exc.reason))
    elif isinstance(exc, LocatedError):
        out.append((_join(path, exc.where) if exc.where else path, str(exc)))
    elif isinstance(exc, KeyError):
        name = path.rsplit(".", 1)[-1] if path else "a key"
        out.append((path, f"{name!r} is required"))
    elif isinstance(exc, (TypeError, ValueError)):
        out.append((path, str(exc)))
    else:
        out.append((path, f"invalid value ({type(exc).__name__}: {exc})"))


def problems_of(exc: BaseException) -> list[tuple[str, str]]:
    """Every problem in a cattrs structuring error, as (path, message), the path from the document's root."""
    out: list[tuple[str, str]] = []
    _walk(exc, "", out)
    return out
