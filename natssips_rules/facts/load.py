"""Loading facts from plain data (dict, JSON text, file) and dumping them back.

One cattrs converter does both directions. Loading is strict: unknown keys,
wrong types (``"yes"`` is not a boolean, ``"3"`` is not a number), bad enum
values, impossible dates, NaN and Infinity, and values beyond the limits in
:mod:`natssips_rules.facts.model` are errors. Every problem is collected with its
path and raised together as one :class:`~natssips_rules.FactsError`; nothing
is half-loaded.
"""

import datetime
import enum
import json
import math
import pathlib
import re
import typing
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from natssips_rules.errors import FactsError, FactsProblem, JSONTextError
from natssips_rules.facts.model import FieldValueError, Organisation
from natssips_rules.facts.paths import entity_collections, fields_of

__all__ = ["MAX_DOCUMENT_BYTES", "JSONTextError", "dump_facts", "load_facts", "parse_json_text"]

#: Largest facts document accepted (JSON text or file), in bytes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _expect(value: Any, kind: type[Any] | tuple[type[Any], ...], label: str) -> None:
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise TypeError(f"expected {label}, got a boolean ({json.dumps(value)})")
    if not isinstance(value, kind):
        raise TypeError(f"expected {label}, got {_describe(value)}")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _structure_bool(value: Any, _: Any) -> bool:
    _expect(value, bool, "true or false")
    return bool(value)


def _structure_int(value: Any, _: Any) -> int:
    _expect(value, int, "a whole number")
    return int(value)


def _structure_float(value: Any, _: Any) -> float:
    _expect(value, (int, float), "a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _structure_str(value: Any, _: Any) -> str:
    _expect(value, str, "text")
    return str(value)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _structure_date(value: Any, _: Any) -> datetime.date:
    _expect(value, str, "a date as text (YYYY-MM-DD)")
    if not _DATE.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    allowed = [m.value for m in cls]
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{_describe(value)} is not allowed; expected one of: {', '.join(allowed)}")
    return cls(value)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(datetime.date, _structure_date)
    conv.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum)

    def structure_tuple(value: Any, tp: Any) -> tuple[Any, ...]:
        _expect(value, list, "a list")
        list_type: Any = list[typing.get_args(tp)[0]]  # type: ignore[misc]
        return tuple(conv.get_structure_hook(list_type)(value, list_type))

    def is_tuple(tp: Any) -> bool:
        return typing.get_origin(tp) is tuple

    conv.register_structure_hook_func(is_tuple, structure_tuple)

    conv.register_structure_hook_factory(attrs.has, lambda tp: _object_hook(conv, tp))
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda e: e.value)
    return conv


def _object_hook(conv: cattrs.Converter, tp: Any) -> Any:
    inner = make_dict_structure_fn(tp, conv, _cattrs_forbid_extra_keys=True)

    def hook(value: Any, cls: Any) -> Any:
        _expect(value, dict, "an object")
        return inner(value, cls)

    return hook


_CONVERTER = _make_converter()


def _format_exception(exc: BaseException, tp: type[Any] | None) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        fields = ", ".join(sorted(attrs.fields_dict(exc.cl))) if attrs.has(exc.cl) else ""
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        hint = f" (allowed: {fields})" if fields else ""
        return f"unknown key(s) {keys}{hint}"
    if isinstance(exc, FieldValueError):
        return f"{_FIELD_MARK}{exc.field}{_FIELD_MARK}{exc}"
    if isinstance(exc, KeyError):
        return "required key is missing"
    if isinstance(exc, (TypeError, ValueError)):
        return str(exc)
    return f"invalid value ({type(exc).__name__}: {exc})"  # pragma: no cover - defensive


def _path(cattrs_path: str) -> str:
    if cattrs_path == "$":
        return ""
    if cattrs_path.startswith("$."):
        return cattrs_path[2:]
    if cattrs_path.startswith("$"):
        return cattrs_path[1:]
    return cattrs_path


_FIELD_MARK = "\x00"


def _problems_from(exc: BaseException) -> list[FactsProblem]:
    problems = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_format_exception):
        message, _, where = line.rpartition(" @ ")
        path = _path(where)
        if message.startswith(_FIELD_MARK):
            _, field, message = message.split(_FIELD_MARK, 2)
            path = f"{path}.{field}" if path else field
        problems.append(FactsProblem(path, message or line))
    return problems


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def parse_json_text(text: str | bytes) -> Any:
    """Parse JSON strictly (a key twice in one object is an error); raises ``JSONTextError`` with the reason."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise JSONTextError(f"the key {exc.key!r} appears twice in one object") from None
    except json.JSONDecodeError as exc:
        raise JSONTextError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except UnicodeDecodeError as exc:
        raise JSONTextError(f"not valid UTF-8 text: {exc.reason}") from None
    except RecursionError:
        raise JSONTextError("the JSON is nested too deeply") from None


def _parse_json(text: str | bytes, source: str | None) -> Any:
    if len(text) > MAX_DOCUMENT_BYTES:
        raise FactsError([FactsProblem("", f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes")], source=source)
    try:
        return parse_json_text(text)
    except JSONTextError as exc:
        raise FactsError([FactsProblem("", str(exc))], source=source) from None


def load_facts(data: dict[str, Any] | str | bytes | pathlib.Path) -> Organisation:
    """Load an :class:`Organisation` from a dict, JSON text or a JSON file.

    Raises :class:`~natssips_rules.FactsError` listing every problem with its
    path; never returns a partly loaded organisation.
    """
    source: str | None = None
    if isinstance(data, pathlib.Path):
        source = str(data)
        try:
            raw = data.read_bytes()
        except OSError as exc:
            raise FactsError([FactsProblem("", f"cannot read the file: {exc.strerror or exc}")], source=source) from None
        data = _parse_json(raw, source)
    elif isinstance(data, (str, bytes)):
        data = _parse_json(data, None)
    if not isinstance(data, dict):
        raise FactsError([FactsProblem("", f"the facts must be a JSON object, not {_describe(data)}")], source=source)
    try:
        org = _CONVERTER.structure(data, Organisation)
    except (ClassValidationError, IterableValidationError) as exc:
        raise FactsError(_problems_from(exc), source=source) from None
    except (TypeError, ValueError) as exc:  # pragma: no cover - raised outside a class, e.g. by a hook
        raise FactsError([FactsProblem("", str(exc))], source=source) from None
    except RecursionError:  # pragma: no cover - the facts model is shallow
        raise FactsError([FactsProblem("", "the facts are nested too deeply")], source=source) from None
    problems = check_integrity(org)
    if problems:
        raise FactsError(problems, source=source)
    return org


def dump_facts(org: Organisation) -> dict[str, Any]:
    """The plain, JSON-ready dict of an organisation (the inverse of ``load_facts``).

    Unknown (``None``) facts are left out, exactly as a newcomer would write them.
    """
    result: dict[str, Any] = _CONVERTER.unstructure(org)
    return result


def check_integrity(org: Organisation) -> list[FactsProblem]:
    """Problems across facts: repeated ids and references to facts that do not exist."""
    problems: list[FactsProblem] = []
    known: dict[type[Any], set[str]] = {}
    for cls, field in entity_collections().items():
        items = getattr(org, field) or ()
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                problems.append(FactsProblem(f"{field}[{index}].id", f"the id {item.id!r} is used by another entry of {field}"))
            seen.add(item.id)
        known[cls] = seen
    for collection in ("specialties", "natssips_leads", "actions"):
        items = getattr(org, collection) or ()
        key = "person" if collection == "natssips_leads" else "id"
        seen = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                problems.append(FactsProblem(f"{collection}[{index}].{key}", f"{value!r} appears twice in {collection}"))
            seen.add(value)

    def walk(obj: Any, path: str) -> None:
        for name, info in fields_of(type(obj)).items():
            value = getattr(obj, name)
            if value is None:
                continue
            here = f"{path}.{name}" if path else name
            if info.kind == "ref":
                _check_ref(value, info.type, here)
            elif info.kind == "reflist":
                for index, item in enumerate(value):
                    _check_ref(item, info.type, f"{here}[{index}]")
            elif info.kind == "object":
                walk(value, here)
            elif info.kind == "collection":
                for index, item in enumerate(value):
                    walk(item, f"{here}[{index}]")

    def _check_ref(value: str, cls: type[Any], path: str) -> None:
        if value not in known[cls]:
            field = entity_collections()[cls]
            problems.append(FactsProblem(path, f"refers to {value!r}, which is not the id of any entry of {field}"))

    walk(org, "")
    return problems
