"""What the facts model looks like to the rules: fields, their kinds, and paths.

The rules name facts by dotted paths relative to the subject they judge
(``natssips_lead.sessions_per_week`` on a site). A path may follow a nested
object or a reference to another fact by id (``board.natssips_portfolio_holder.
board_member`` goes from the Board to the person holding the portfolio). A
path starting with ``organisation.`` starts from the organisation whatever the
subject. This module resolves paths against the attrs classes in
:mod:`natssips_rules.facts.model`, so rules can be checked before they run.
"""

import datetime
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs

from natssips_rules.errors import PathError
from natssips_rules.facts import model as _facts

__all__ = ["ROOT", "FieldInfo", "ResolvedPath", "entity_collections", "fields_of", "resolve_path"]

#: A path starting with this name starts from the organisation.
ROOT = "organisation"

FieldKind = Literal["scalar", "enumset", "object", "ref", "collection", "reflist", "evidence"]

#: Kinds of facts other facts refer to by id, and where they live in the organisation.
_REF_TARGETS: dict[str, tuple[type[Any], str]] = {
    "person": (_facts.Person, "people"),
    "site": (_facts.Site, "sites"),
}


@attrs.frozen
class FieldInfo:
    """One field of a facts class as the rules see it.

    ``kind`` is ``scalar`` (``type`` is bool, int, float, str, a date or an
    enum), ``enumset`` (a list of enum values), ``object`` (a nested class),
    ``ref`` (the id of a ``type`` fact), ``collection`` (a list of ``type``),
    ``reflist`` (a list of ids of ``type`` facts) or ``evidence`` (a document
    reference, which rules do not read).
    """

    name: str
    kind: FieldKind
    type: Any
    unit: str | None = None
    #: The field may hold ``False``: known, there is none (object and reference fields only).
    absent_ok: bool = False

    @property
    def is_number(self) -> bool:
        return self.kind == "scalar" and self.type in (int, float)


_ABSENT = typing.Literal[False]


def _strip_optional(tp: Any) -> Any:
    """The type a field holds when it holds a value: without ``None`` (unknown) and ``False`` (known: there is none)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None) and a != _ABSENT]
        if len(args) == 1:
            return args[0]
    return tp


def fields_of(cls: type[Any]) -> dict[str, FieldInfo]:
    """The fields of a facts class, by name, in declaration order."""
    key: Any = cls
    return _fields_of(key)


@functools.cache
def _fields_of(cls: Any) -> dict[str, FieldInfo]:
    hints = typing.get_type_hints(cls)
    out: dict[str, FieldInfo] = {}
    for field in attrs.fields(cls):
        tp = _strip_optional(hints[field.name])
        ref = field.metadata.get("ref")
        unit = field.metadata.get("unit")
        info: FieldInfo
        if field.metadata.get("evidence"):
            info = FieldInfo(field.name, "evidence", tp)
        elif typing.get_origin(tp) is tuple:
            item = typing.get_args(tp)[0]
            if ref:
                info = FieldInfo(field.name, "reflist", _REF_TARGETS[ref][0])
            elif isinstance(item, type) and issubclass(item, enum.Enum):
                info = FieldInfo(field.name, "enumset", item)
            else:
                info = FieldInfo(field.name, "collection", item)
        elif ref:
            info = FieldInfo(field.name, "ref", _REF_TARGETS[ref][0], absent_ok=field.metadata["spec"].absent_ok)
        elif attrs.has(tp):
            info = FieldInfo(field.name, "object", tp, absent_ok=field.metadata["spec"].absent_ok)
        elif tp in (bool, int, float, str, datetime.date) or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
            info = FieldInfo(field.name, "scalar", tp, unit)
        else:  # pragma: no cover - a facts class with an unsupported field type is a defect
            raise TypeError(f"{cls.__name__}.{field.name}: unsupported field type {tp!r}")
        out[field.name] = info
    return out


def entity_collections() -> dict[type[Any], str]:
    """Facts classes other facts refer to by id, and the organisation field listing them."""
    return {cls: field for cls, field in _REF_TARGETS.values()}


@attrs.frozen
class ResolvedPath:
    """A path resolved against the facts model.

    ``from_root`` says the path starts at the organisation; ``hops`` are the
    object and reference fields followed, each with the class it leads to;
    ``field`` is the last field, read on ``owner``; ``names`` are the field
    names followed (without the leading ``organisation``), one per hop and the
    last field's.
    """

    text: str
    from_root: bool
    hops: tuple[tuple[FieldInfo, type[Any]], ...]
    owner: type[Any]
    field: FieldInfo
    names: tuple[str, ...]


def resolve_path(cls: type[Any], path: str) -> ResolvedPath:
    """Resolve ``path`` from facts class ``cls`` (or from the organisation).

    Resolution is a pure function of its arguments, so it is memoised: the
    engines resolve the same few paths for every subject of every evaluation.
    """
    key: Any = cls  # a class is hashable; typeshed's Hashable does not say so of type[Any]
    return _resolve_path(key, path)


@functools.cache
def _resolve_path(cls: Any, path: str) -> ResolvedPath:
    if not isinstance(path, str) or not path:
        raise PathError("a path must be a non-empty string")
    names = path.split(".")
    from_root = names[0] == ROOT and len(names) > 1
    current: type[Any] = _facts.Organisation if from_root else cls
    if from_root:
        names = names[1:]
    hops: list[tuple[FieldInfo, type[Any]]] = []
    for index, name in enumerate(names):
        fields = fields_of(current)
        if name not in fields:
            known = ", ".join(fields)
            raise PathError(f"{current.__name__} has no field {name!r} (its fields: {known})")
        info = fields[name]
        last = index == len(names) - 1
        if last:
            if info.kind == "evidence":
                raise PathError(f"{current.__name__}.{name} is an evidence reference, which rules do not read")
            return ResolvedPath(path, from_root, tuple(hops), current, info, tuple(names))
        if info.kind not in ("object", "ref"):
            raise PathError(
                f"{current.__name__}.{name} is a {info.kind} field; a path can only go on through an object or a reference"
            )
        hops.append((info, info.type))
        current = info.type
    raise PathError("empty path")  # pragma: no cover - names is never empty


#: :func:`resolve_path`'s memo itself, for the engine's loop (one call fewer for each part it judges).
resolved_path = typing.cast(Callable[[type[Any], str], ResolvedPath], _resolve_path)
