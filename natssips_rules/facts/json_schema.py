"""A JSON Schema (draft 2020-12) of the facts, generated from the attrs model.

Governance software in any language can validate, or build, the facts it
sends with it. It states what the loader checks field by field (types,
allowed values, required keys, no unknown keys, the limits of
:mod:`natssips_rules.facts.model`); what a schema cannot say (that ids are unique
and references point to existing entries, that a date exists in the calendar)
is checked by :func:`natssips_rules.load_facts` and noted in the schema's
description.
"""

import datetime
import enum
import functools
import inspect
from typing import Any

import attrs

from natssips_rules._version import __version__
from natssips_rules.facts import model as f
from natssips_rules.facts.paths import fields_of

__all__ = ["facts_schema"]

SCHEMA_ID = "https://natssips-rules.example/schema/facts.json"


@functools.cache
def _source_lines(cls: Any) -> tuple[str, ...]:
    try:
        return tuple(inspect.getsource(cls).splitlines())
    except (OSError, TypeError):  # pragma: no cover - source not shipped
        return ()


def _doc(cls: type[Any], name: str) -> str | None:
    """The ``#:`` comment above a field in facts.py, if any (each class's source is read once)."""
    key: Any = cls  # classes are hashable; the cache's signature asks for Hashable
    lines = _source_lines(key)
    for i, line in enumerate(lines):
        if line.strip().startswith(f"{name}:"):
            comments: list[str] = []
            j = i - 1
            while j >= 0 and lines[j].strip().startswith("#:"):
                comments.insert(0, lines[j].strip()[2:].strip())
                j -= 1
            return " ".join(comments) or None
    return None


def _scalar(tp: Any, attribute: "attrs.Attribute[Any]") -> dict[str, Any]:
    spec: f.FieldSpec = attribute.metadata["spec"]
    if tp is bool:
        return {"type": "boolean"}
    if tp in (int, float):
        out: dict[str, Any] = {"type": "integer" if tp is int else "number", "minimum": 0, "maximum": f.MAX_NUMBER}
        if spec.kind == "fraction":
            out["maximum"] = 1
        return out
    if tp is str:
        out = {"type": "string", "maxLength": f.MAX_STRING_LENGTH}
        if spec.kind == "id":
            out["minLength"] = 1
            out["pattern"] = r"\S"
        return out
    if tp is datetime.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    assert isinstance(tp, type) and issubclass(tp, enum.Enum)
    return {"$ref": f"#/$defs/{tp.__name__}"}


def _class_schema(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    attributes = attrs.fields_dict(cls)
    for name, info in fields_of(cls).items():
        attribute = attributes[name]
        if attribute.default is attrs.NOTHING:
            required.append(name)
        if info.kind == "scalar":
            if isinstance(info.type, type) and issubclass(info.type, enum.Enum):
                _define(info.type, defs)
            schema = _scalar(info.type, attribute)
        elif info.kind in ("object", "evidence"):
            _define(info.type, defs)
            schema = {"$ref": f"#/$defs/{info.type.__name__}"}
        elif info.kind == "ref":
            schema = {"type": "string", "minLength": 1, "maxLength": f.MAX_STRING_LENGTH}
        else:
            if info.kind == "enumset":
                _define(info.type, defs)
                item: dict[str, Any] = {"$ref": f"#/$defs/{info.type.__name__}"}
            elif info.kind == "reflist":
                item = {"type": "string", "minLength": 1, "maxLength": f.MAX_STRING_LENGTH}
            else:
                _define(info.type, defs)
                item = {"$ref": f"#/$defs/{info.type.__name__}"}
            schema = {"type": "array", "items": item, "maxItems": f.MAX_ITEMS}
            if attribute.metadata["spec"].unique:
                schema["uniqueItems"] = True
        if info.kind == "ref" or info.kind == "reflist":
            target = "a person in people" if info.type is f.Person else "a site in sites"
            schema["description"] = f"The id of {target}" + (" (each)" if info.kind == "reflist" else "") + "."
        description = " ".join(filter(None, [schema.pop("description", None), _doc(cls, name)]))
        if attribute.default is not attrs.NOTHING:
            # optional: null (or leaving the key out) means no evidence was supplied;
            # false, where allowed, records that there is none
            absent = [{"const": False}] if attribute.metadata["spec"].absent_ok else []
            if "$ref" in schema or absent:
                schema = {"anyOf": [schema, *absent, {"type": "null"}]}
            else:
                schema["type"] = [schema["type"], "null"]
        if description:
            schema["description"] = description
        properties[name] = schema
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if cls.__doc__:
        out["description"] = " ".join(cls.__doc__.split())
    if required:
        out["required"] = required
    return out


def _define(tp: Any, defs: dict[str, Any]) -> None:
    name = tp.__name__
    if name in defs:
        return
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        defs[name] = {"enum": [m.value for m in tp], "description": " ".join((tp.__doc__ or name).split())}
        return
    defs[name] = {}  # placeholder while recursing
    defs[name] = _class_schema(tp, defs)


def facts_schema() -> dict[str, Any]:
    """The JSON Schema of an organisation's facts document."""
    defs: dict[str, Any] = {}
    root = _class_schema(f.Organisation, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"natssips-rules {__version__}: facts about one organisation",
        **root,
        "description": (
            "Facts about one organisation for natssips-rules. null or a missing key means no evidence was "
            "supplied. Beyond this schema, the loader also checks that ids are unique, that every reference "
            "names an existing person or site, and that dates exist in the calendar."
        ),
        "$defs": dict(sorted(defs.items())),
    }
