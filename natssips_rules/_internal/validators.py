"""Checked value classes: every field checked at construction, every problem reported at once.

A class lists a check for each field (:data:`Check`): a function taking the
value and returning the value to keep (the obvious plain value converted: an
enumeration's value given as text, a date given as ``YYYY-MM-DD``, a list
where a tuple is kept) or raising :class:`Refused` saying what is wrong and
what is allowed. :func:`check_fields` runs them all, keeps the converted
values, and returns every problem as ``(field, message)``; each layer turns
those into its own error (``FactsError``, ``RuleError``), naming the class
and the field. attrs' own validators are not used: they stop at the first
failure and speak in ``Attribute(...)`` reprs.
"""

import datetime
import enum
import math
from collections.abc import Callable, Iterable
from typing import Any

from natssips_rules._internal.structuring import describe, encodable, shown

__all__ = [
    "Check",
    "Refused",
    "boolean",
    "check_fields",
    "date",
    "enum_member",
    "instance",
    "literal",
    "number",
    "optional",
    "text",
    "tuple_of",
]


class Refused(ValueError):
    """A value a check does not accept; the message says what is wrong and what is allowed.

    ``where`` locates the part of the value at fault (``[3]`` for a list's fourth item).
    """

    def __init__(self, message: str, where: str = "") -> None:
        self.where = where
        super().__init__(message)


Check = Callable[[Any], Any]


def optional(check: Check) -> Check:
    """``None``, or a value ``check`` accepts."""

    def run(value: Any) -> Any:
        return None if value is None else check(value)

    run.accepts_none = True  # type: ignore[attr-defined]
    return run


def accepts_none(check: Check) -> bool:
    """Whether ``check`` lets None through unchanged (so a None field need not be checked)."""
    return getattr(check, "accepts_none", False) is True


def text(*, max_length: int, empty: bool = False) -> Check:
    """Text of at most ``max_length`` characters that can be written as UTF-8 (non-blank unless ``empty``)."""

    def run(value: Any) -> Any:
        if not isinstance(value, str):
            raise Refused(f"expected text, got {describe(value)}")
        if len(value) > max_length:
            raise Refused(f"{len(value):,} characters long; at most {max_length:,} are allowed")
        if not empty and not value.strip():
            raise Refused("must not be empty")
        if not encodable(value):
            raise Refused("holds a lone surrogate (text that cannot be written as UTF-8)")
        # a subclass of str (a caller's str enumeration, a database driver's text type) is kept as the plain
        # text it holds: its own __str__ or __format__ would otherwise speak in the report
        return value if type(value) is str else str.__str__(value)

    return run


def boolean(value: Any) -> Any:
    """``True`` or ``False`` (never 1, 0 or "yes")."""
    if not isinstance(value, bool):
        hint = (
            " (SQLite, and other databases without a yes/no type, store booleans as 1 and 0: convert them, "
            "e.g. with bool(value), keeping None where the answer is not known)"
            if isinstance(value, int) and value in (0, 1)
            else ""
        )
        raise Refused(f"expected true or false, got {describe(value)}{hint}")
    return value


def number(*, minimum: float, maximum: float, whole: bool = False, meaning: str | None = None) -> Check:
    """A finite number between ``minimum`` and ``maximum`` (a whole number if ``whole``); never a boolean.

    ``meaning`` says what the range means, for the message when a value is outside it.
    """

    def run(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refused(f"expected {'a whole number' if whole else 'a number'}, got {describe(value)}")
        if isinstance(value, float):
            if not math.isfinite(value):
                raise Refused(f"must be a finite number, not {shown(value)}")
            if whole:
                raise Refused(f"expected a whole number, got {shown(value)}")
        if meaning is not None and not minimum <= value <= maximum:
            raise Refused(f"{meaning} (got {shown(value)})")
        if value < minimum:
            raise Refused(
                f"must be at least {minimum:,} (got {shown(value)})" if minimum else f"must not be negative (got {shown(value)})"
            )
        if value > maximum:
            raise Refused(f"must be at most {maximum:,} (got {shown(value)})")
        # a subclass of int or float is kept as the plain number it holds (its own methods never speak)
        if type(value) is int or type(value) is float:
            return value
        return int.__int__(value) if isinstance(value, int) else float.__float__(value)

    return run


def date(value: Any) -> Any:
    """A date, or ``YYYY-MM-DD`` text (converted); never a date and time."""
    if isinstance(value, datetime.datetime):
        raise Refused(f"expected a date, got a date and time ({value.isoformat()}); give the date alone")
    if isinstance(value, datetime.date):
        # a subclass of date is kept as the plain date it names
        return value if type(value) is datetime.date else datetime.date(value.year, value.month, value.day)
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise Refused(f"{value!r} is not a real date") from None
        raise Refused(f"expected a date as YYYY-MM-DD, got {value!r}")
    raise Refused(f"expected a date (YYYY-MM-DD), got {describe(value)}")


def enum_member(cls: type[enum.Enum]) -> Check:
    """A member of ``cls``, or its value as text (converted)."""
    by_value = {member.value: member for member in cls}
    allowed = ", ".join(str(v) for v in by_value)

    def run(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        raise Refused(f"{describe(value)} is not allowed; expected one of: {allowed}")

    return run


def literal(*values: str) -> Check:
    """One of the given words."""
    allowed = ", ".join(values)

    def run(value: Any) -> Any:
        if isinstance(value, str) and value in values:
            return value
        raise Refused(f"{describe(value)} is not allowed; expected one of: {allowed}")

    return run


def instance(cls: type[Any] | tuple[type[Any], ...], what: str) -> Check:
    """An instance of ``cls`` (named ``what`` in the message)."""

    def run(value: Any) -> Any:
        if not isinstance(value, cls):
            raise Refused(
                f"expected {what}, got {describe(value) if not hasattr(value, '__attrs_attrs__') else type(value).__name__}"
            )
        return value

    return run


def tuple_of(item: Check, *, max_items: int, unique: bool = False) -> Check:
    """A list or tuple (kept as a tuple) of at most ``max_items`` values each ``item`` accepts."""

    def run(value: Any) -> Any:
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
            raise Refused(f"expected a list, got {describe(value)}")
        items = tuple(value)
        if len(items) > max_items:
            raise Refused(f"has {len(items):,} items; at most {max_items:,} are allowed")
        out = []
        for index, one in enumerate(items):
            try:
                out.append(item(one))
            except Refused as exc:
                raise Refused(str(exc), f"[{index}]{exc.where}") from None
        if unique and len(set(out)) != len(out):
            raise Refused("lists the same value more than once")
        return tuple(out)

    return run


def check_fields(obj: Any, checks: Iterable[tuple[str, Check, bool]]) -> list[tuple[str, str]]:
    """Run each field's check on ``obj`` (a frozen attrs instance), keep converted values; every problem.

    ``checks`` are (field, check, whether the check lets None through unchanged).
    """
    problems: list[tuple[str, str]] = []
    for name, check, none_ok in checks:
        value = getattr(obj, name)
        if value is None and none_ok:
            continue
        try:
            kept = check(value)
        except Refused as exc:
            problems.append((f"{name}{exc.where}", str(exc)))
            continue
        if kept is not value:
            object.__setattr__(obj, name, kept)
    return problems
