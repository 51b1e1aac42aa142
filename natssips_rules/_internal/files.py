"""Reading a file the library was given, within a bound on its size."""

import pathlib

from natssips_rules.errors import FactsError, FactsProblem

__all__ = ["read_bounded"]


def read_bounded(path: pathlib.Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a file (one more than the limit shows it is too large), or a FactsError."""
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except (OSError, ValueError) as exc:  # ValueError: a path holding a NUL character
        reason = getattr(exc, "strerror", None) or str(exc)
        hint = "" if path.suffix else " (text is read as a file's path unless it starts with '{')"
        raise FactsError([FactsProblem("", f"cannot read the file: {reason}{hint}")], source=str(path)) from None
