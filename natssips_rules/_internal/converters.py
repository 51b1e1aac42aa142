"""Converters shared by the attrs classes of the package."""

from collections.abc import Iterable
from typing import Any

__all__ = ["as_tuple", "list_to_tuple"]


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Any iterable as a tuple (for fields that are always sequences)."""
    return tuple(value)


def list_to_tuple(value: Any) -> Any:
    """A list as a tuple; anything else (None, a scalar, a tuple) unchanged."""
    return tuple(value) if isinstance(value, list) else value
