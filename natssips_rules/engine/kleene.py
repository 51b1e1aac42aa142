"""Kleene's three-valued logic, as every engine decides in it.

A truth is ``True``, ``False`` or ``None`` (unknown: a fact the condition
needs was not supplied). :func:`status` is the architecture's table from the
truths of a rule's ``applies_when`` and ``holds`` to the status of a finding.
"""

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from natssips_rules.rules.findings import Status

__all__ = ["Truth", "all_of", "all_of_parts", "any_of", "any_of_parts", "range_truth", "status", "sum_range"]

_P = TypeVar("_P")

#: True, False or None (unknown).
Truth = bool | None


def all_of_parts(parts: Iterable[_P], truth: Callable[..., Truth], *args: Any) -> Truth:
    """Kleene conjunction of the truths ``truth(part, *args)`` of ``parts``: False at the first part that is False,
    else unknown if any part is unknown, else True (parts after a False one are not judged)."""
    result: Truth = True
    for part in parts:
        value = truth(part, *args)
        if value is False:
            return False
        if value is None:
            result = None
    return result


def any_of_parts(parts: Iterable[_P], truth: Callable[..., Truth], *args: Any) -> Truth:
    """Kleene disjunction of the truths ``truth(part, *args)`` of ``parts``: True at the first part that is True,
    else unknown if any part is unknown, else False."""
    result: Truth = False
    for part in parts:
        value = truth(part, *args)
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _itself(value: Truth) -> Truth:
    return value


def all_of(values: Iterable[Truth]) -> Truth:
    """Kleene conjunction: False if any part is False, else unknown if any is unknown, else True."""
    return all_of_parts(values, _itself)


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene disjunction: True if any part is True, else unknown if any is unknown, else False."""
    return any_of_parts(values, _itself)


def range_truth(op: str, low: float, high: float, n: float) -> Truth:
    """Compare a number known only to lie in [low, high] (high may be infinite) with ``n``."""
    if op == ">=":
        return True if low >= n else (False if high < n else None)
    if op == ">":
        return True if low > n else (False if high <= n else None)
    if op == "<=":
        return True if high <= n else (False if low > n else None)
    if op == "<":
        return True if high < n else (False if low >= n else None)
    if op == "==":
        return True if low == high == n else (False if n < low or n > high else None)
    return False if low == high == n else (True if n < low or n > high else None)


def sum_range(pairs: Iterable[tuple[Truth, float | None]]) -> tuple[float, float]:
    """The lowest and highest a sum can be, from each item's match (true, false, unknown) and number (None: unknown).

    Numbers in the facts are never negative: an item whose match or number is
    unknown may add nothing, or its number (or anything, if that is unknown).
    The sums are exactly rounded (``math.fsum``), so the order of the items
    never changes them and every engine gets the same numbers.
    """
    low: list[float] = []
    high: list[float] = []
    unbounded = False
    for match, number in pairs:
        if match is False:
            continue
        if number is None:
            unbounded = True
            continue
        high.append(number)
        if match is True:
            low.append(number)
    return math.fsum(low), (math.inf if unbounded else math.fsum(high))


def status(applies: Truth, holds: Truth) -> Status:
    """The status of a finding from the truths of ``applies_when`` and ``holds`` (the architecture's table)."""
    if applies is False:
        return Status.NOT_APPLICABLE
    if applies is True and holds is True:
        return Status.MET
    if applies is True and holds is False:
        return Status.NOT_MET
    return Status.INSUFFICIENT_EVIDENCE
