"""Checks of the arguments of public functions: a wrong type is the library's own ArgumentError, naming the argument."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from natssips_rules._internal.structuring import shown
from natssips_rules.errors import ArgumentError

T = TypeVar("T")


def _names(types: type | tuple[type, ...]) -> str:
    found = types if isinstance(types, tuple) else (types,)
    return " or ".join("None" if t is type(None) else t.__name__ for t in found)


def instance(value: Any, types: type | tuple[type, ...], argument: str) -> Any:
    """``value`` if it is one of ``types``; else an ArgumentError naming ``argument``."""
    if (
        isinstance(value, bool)
        and bool not in (types if isinstance(types, tuple) else (types,))
        and int in (types if isinstance(types, tuple) else (types,))
    ):
        raise ArgumentError(f"expected {_names(types)}, not a bool", argument=argument)
    if not isinstance(value, types):
        raise ArgumentError(f"expected {_names(types)}, not {type(value).__name__}", argument=argument)
    return value


def items(value: Any, cls: type[T], argument: str) -> tuple[T, ...]:
    """The items of ``value``, a list (or other iterable, not text or a mapping) of ``cls``."""
    if isinstance(value, (str, bytes, bytearray, Mapping, cls)) or not isinstance(value, Iterable):
        raise ArgumentError(f"expected a list of {cls.__name__}, not {type(value).__name__}", argument=argument)
    found = tuple(value)
    for index, item in enumerate(found):
        if not isinstance(item, cls):
            raise ArgumentError(f"item {index} is {type(item).__name__}, not {cls.__name__}", argument=argument)
    return found


def choice(value: Any, allowed: Iterable[str], argument: str) -> str:
    """``value`` if it is one of the ``allowed`` names."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise ArgumentError(f"expected one of {', '.join(options)}, not {shown(value)}", argument=argument)
    return value
