"""A report's compact JSON written from its classes: the text ``json.dumps(report.to_dict())`` writes, made faster.

:meth:`Report.to_json` writes each report of a batch and of every evaluation
that ends in JSON. Making the plain data first (``to_dict``) and then
encoding it makes a dict for every object and writes again what is the same
in every finding of a rule (its citation: the clause's verbatim words and
footnotes, about a fifth of a report). This writer makes the text from the
report's objects directly: a writer is generated once per class from its
attrs fields (the field names and order the converter writes), each value
written by its declared type; a citation is written once per report however
many findings hold it; every other value is written by the converter and the
encoder as ``to_dict`` writes it.

The text is byte for byte the text of ``json.dumps(report.to_dict(),
ensure_ascii=False)`` (compact, ``", "`` and ``": "`` between items): the
tests compare the two on generated reports. A value the writer does not
expect of its declared type raises ``NotPlain``, and :meth:`Report.to_json`
then writes the report the general way, which either writes it or says what
is wrong.
"""

import enum
import json
import math
import types
import typing
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any, Literal

import attrs
import cattrs

from natssips_rules.rules.findings import EvidenceItem, EvidenceValue, Finding, Reason, SubjectRef
from natssips_rules.rules.model import Citation

__all__ = ["NotPlain", "report_writer"]

#: Classes written field by field; every other class is written by the converter and the encoder.
_WRITTEN = (Finding, SubjectRef, EvidenceItem, Reason)
#: Classes whose objects a report shares between findings: each object is written once per report.
_SHARED = (Citation,)

_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


_UNIONS = (typing.Union, types.UnionType)


class NotPlain(Exception):
    """A value not of its declared type: the report is written the general way instead."""


def _value(value: Any) -> str:
    """A value seen in the facts (null, yes/no, a number, text or a list of them), as the encoder writes it."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if kind is list:
        return "[" + ", ".join([_value(item) for item in value]) + "]"
    return _ENCODE(value)  # anything else as to_dict hands it to the encoder (the converter writes it as it is)


def _literal_text(tp: Any) -> bool:
    """``str``, a ``Literal`` of text, or either or None."""
    args = typing.get_args(tp) if typing.get_origin(tp) in _UNIONS else (tp,)
    return all(
        arg is str
        or arg is type(None)
        or (typing.get_origin(arg) is Literal and all(type(v) is str for v in typing.get_args(arg)))
        for arg in args
    )


def _optional(tp: Any) -> tuple[Any, bool]:
    """``(T, True)`` for ``T | None``, else ``(tp, False)``."""
    if typing.get_origin(tp) in _UNIONS:
        args = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0], True
    return tp, False


class _Writers:
    """The writers of one converter's classes, generated on first use."""

    def __init__(self, converter: cattrs.Converter) -> None:
        self.converter = converter
        self.written: dict[type[Any], Callable[[Any, dict[int, str]], str]] = {}

    def general(self, tp: Any) -> Callable[[Any], str]:
        """A value of type ``tp`` written as ``to_dict`` writes it: the converter's plain data, encoded."""
        hook = self.converter.get_unstructure_hook(tp)
        return lambda value: _ENCODE(hook(value))

    def of_class(self, cls: type[Any]) -> Callable[[Any, dict[int, str]], str]:
        if cls not in self.written:
            if cls in _WRITTEN:
                write = self.generate(cls)
            else:
                general = self.general(cls)
                write = lambda value, memo: general(value)  # noqa: E731
            self.written[cls] = _once(write) if cls in _SHARED else write
        return self.written[cls]

    def _field(self, tp: Any, names: dict[str, Any], index: int, value: str) -> str:
        """The expression that writes ``value`` (a local's name) of declared type ``tp``; adds what it needs to ``names``."""
        inner, optional = _optional(tp)
        none = f'"null" if {value} is None else ' if optional else ""
        if tp is str or _literal_text(tp):
            text = f"_enc({value}) if type({value}) is str else _not_plain()"
            return text if tp is str else f'"null" if {value} is None else {text}'
        if tp is bool:
            return f'"true" if {value} is True else "false" if {value} is False else _not_plain()'
        if tp == EvidenceValue:
            return f"_enc({value}) if type({value}) is str else _value({value})"
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            # keyed by the members' ids: a member is its enumeration's one object of that value
            names[f"_e{index}"] = {id(member): _ENCODE(self.converter.unstructure(member, inner)) for member in inner}
            return f"{none}(_e{index}.get(id({value})) or _not_plain())"
        if attrs.has(inner):
            names[f"_w{index}"] = self.of_class(inner)
            return f"{none}_w{index}({value}, memo)"
        args = typing.get_args(tp)
        if typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis and attrs.has(args[0]):
            names[f"_w{index}"] = self.of_class(args[0])
            return f'"[" + ", ".join([_w{index}(item, memo) for item in {value}]) + "]"'
        names[f"_g{index}"] = self.general(tp)
        return f"_g{index}({value})"

    def generate(self, cls: type[Any]) -> Callable[[Any, dict[int, str]], str]:
        """The writer of ``cls``: its fields' values written in one f-string, in the order of its attrs fields."""
        hints = typing.get_type_hints(cls)
        names: dict[str, Any] = dict(_NAMES)
        lines = ["def write(o, memo):"]
        pieces = []
        for index, field in enumerate(attrs.fields(cls)):
            lines.append(f"    v{index} = o.{field.name}")
            lines.append(f"    t{index} = {self._field(hints[field.name], names, index, f'v{index}')}")
            pieces.append(f"{encode_basestring(field.name)}: {{t{index}}}")
        body = ", ".join(pieces).replace("\\", "\\\\").replace("'", "\\'")
        lines.append(f"    return f'{{{{{body}}}}}'")
        exec("\n".join(lines), names)
        write: Callable[[Any, dict[int, str]], str] = names["write"]
        return write


def _not_plain() -> str:
    raise NotPlain


#: What the generated writers call.
_NAMES = {"_enc": encode_basestring, "_value": _value, "_not_plain": _not_plain}


def _once(write: Callable[[Any, dict[int, str]], str]) -> Callable[[Any, dict[int, str]], str]:
    """``write``, remembering the text of each object for the report being written."""

    def once(value: Any, memo: dict[int, str]) -> str:
        # the memo lives while one report is written, and the report holds the object: its id is no other's meanwhile
        text = memo.get(id(value))
        if text is None:
            text = memo[id(value)] = write(value, memo)
        return text

    return once


def report_writer(converter: cattrs.Converter, report_class: type[Any]) -> Callable[[Any], str]:
    """The compact JSON writer of ``report_class``; raises ``NotPlain`` where a value is not of its declared type."""
    write = _Writers(converter).generate(report_class)
    return lambda report: write(report, {})  # a memo for each report written
