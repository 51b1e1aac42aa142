"""Facts in and out: loading from plain data (dict, JSON text, a file), the one boundary check, and dumping back.

Loading is strict: unknown keys, wrong types (``"yes"`` is not a boolean,
``"3"`` is not a number), bad enum values, impossible dates, NaN and
Infinity, text that cannot be written as UTF-8, values beyond the limits of
:mod:`natssips_rules.facts.model`, repeated ids and references to facts that
do not exist are errors. Every problem is collected with its path and raised
together as one :class:`~natssips_rules.FactsError`; nothing is half-loaded.

One cattrs converter does both directions: its structure hook for a facts
class structures the nested facts, hands the plain values to the class
(whose construction checks and converts every field), and gathers every
problem of the object and of what it holds, each with its path.

:func:`check_facts` is the one boundary every route shares: facts loaded
here, and an :class:`Organisation` built in Python (or changed with
``attrs.evolve``), get the same checks before any engine sees them. The
verdict is kept for each organisation object, so it is checked once.
"""

import datetime
import enum
import json
import os
import pathlib
import re
import sys
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs

from natssips_rules._internal.files import read_bounded
from natssips_rules._internal.identity_memo import IdentityMemo
from natssips_rules._internal.structuring import describe
from natssips_rules.errors import ArgumentError, FactsError, FactsProblem, JSONTextError
from natssips_rules.facts import _fast, model as _model
from natssips_rules.facts.formats import OLE2_MAGIC, ZIP_MAGIC, is_workbook_file
from natssips_rules.facts.model import Organisation, field_spec
from natssips_rules.facts.paths import entity_collections, fields_of

__all__ = ["MAX_DOCUMENT_BYTES", "check_facts", "dump_facts", "facts_object", "load_facts", "parse_json_text"]

#: Largest facts document accepted (JSON text or file), in bytes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class _Problems(Exception):
    """Every problem found below one value, each with its path relative to that value."""

    def __init__(self, problems: list[FactsProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def _within(problems: list[FactsProblem], path: str) -> list[FactsProblem]:
    return [
        FactsProblem(_join(path, p.path) if p.path and not p.path.startswith("[") else f"{path}{p.path}", p.message)
        for p in problems
    ]


_FACTS_CLASSES = frozenset(
    value
    for value in vars(_model).values()
    if isinstance(value, type) and attrs.has(value) and issubclass(value, _model._Checked)
)


def _object_hook(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    """The structure hook of one facts class (its fields worked out once)."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in attrs.fields(cls)]
    allowed = ", ".join(names)
    required = [f.name for f in attrs.fields(cls) if f.metadata["spec"].required]
    nested: dict[str, Any] = {}
    for name in names:
        tp = _strip_optional(hints[name])
        if attrs.has(tp):
            nested[name] = tp
        elif typing.get_origin(tp) is tuple and attrs.has(typing.get_args(tp)[0]):
            nested[name] = list[typing.get_args(tp)[0]]  # type: ignore[misc]
    prefix = f"{cls.__name__}."

    def hook(data: Any, _: Any) -> Any:
        if not isinstance(data, dict):
            raise _Problems([FactsProblem("", f"expected an object, got {describe(data)}")])
        problems: list[FactsProblem] = []
        for key in data:
            if key not in nested and key not in names:
                problems.append(FactsProblem(str(key), f"unknown key {key!r} (allowed: {allowed})"))
        missing = [name for name in required if data.get(name) is None]
        problems += [FactsProblem(name, f"{name!r} is required") for name in missing]
        kwargs: dict[str, Any] = {}
        for name in names:
            if name not in data:
                continue
            value = data[name]
            target = nested.get(name)
            if target is None or value is None or value is False:  # False: known, there is none (checked by the class)
                kwargs[name] = value
                continue
            try:
                kwargs[name] = conv.structure(value, target)
            except _Problems as exc:
                problems += _within(exc.problems, name)
        if not missing:
            # made even when something it holds failed, so this object's own problems are reported in the same round
            try:
                made = cls(**kwargs)
            except FactsError as exc:  # paths as the document's: the class (and its id) are where the path leads
                named = f"{_model.problem_owner(cls.__name__, kwargs.get('id'))}."
                problems += [FactsProblem(p.path.removeprefix(named).removeprefix(prefix), p.message) for p in exc.problems]
            else:
                if not problems:
                    return made
        raise _Problems(problems)

    return hook


def _list_hook(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    item = typing.get_args(tp)[0]

    def hook(data: Any, _: Any) -> Any:
        if not isinstance(data, (list, tuple)):  # a tuple from a caller's dict, as the facts classes take one
            raise _Problems([FactsProblem("", f"expected a list, got {describe(data)}")])
        if len(data) > _model.MAX_ITEMS:
            raise _Problems([FactsProblem("", f"has {len(data):,} items; at most {_model.MAX_ITEMS:,} are allowed")])
        out = []
        problems: list[FactsProblem] = []
        for index, value in enumerate(data):
            try:
                out.append(conv.structure(value, item))
            except _Problems as exc:
                problems += _within(exc.problems, f"[{index}]")
        if problems:
            raise _Problems(problems)
        return tuple(out)

    return hook


def _strip_optional(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None) and a != typing.Literal[False]]
    return args[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1 else tp


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(omit_if_default=True)
    conv.register_structure_hook_factory(lambda t: t in _FACTS_CLASSES, lambda t: _object_hook(conv, t))

    def is_facts_list(tp: Any) -> bool:
        return typing.get_origin(tp) is list and typing.get_args(tp)[0] in _FACTS_CLASSES

    conv.register_structure_hook_factory(is_facts_list, lambda t: _list_hook(conv, t))
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda e: e.value)
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    return conv


_CONVERTER = _make_converter()


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # built in C; only an object with a repeated key is looked at again
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
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
    except ValueError:  # a whole number longer than Python reads (sys.get_int_max_str_digits())
        raise JSONTextError(f"not valid JSON: {_long_number(text)}") from None


def _long_number(text: str | bytes) -> str:
    """Where the whole number too long to read is, in words (the parser does not say)."""
    limit = sys.get_int_max_str_digits()
    if isinstance(text, bytes):
        text = text.decode(json.detect_encoding(text), errors="replace")
    # a number stands after ':', '[' or ',' (or first), perhaps with a sign
    found = re.search(rf"(?:^|[:\[,])\s*-?(\d{{{limit + 1},}})", text)
    if found is None:  # pragma: no cover - the only ValueError json.loads raises past the cases above
        return f"a number has more than {limit:,} digits"
    start, end = found.span(1)
    before = text[:start]
    line = before.count("\n") + 1
    column = start - (before.rfind("\n") + 1) + 1
    return f"a number of {end - start:,} digits, more than the {limit:,} a number may have (line {line}, column {column})"


def _parse_json(text: str | bytes, source: str | None) -> Any:
    if len(text) > MAX_DOCUMENT_BYTES:
        raise FactsError([FactsProblem("", f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes")], source=source)
    try:
        return parse_json_text(text)
    except JSONTextError as exc:
        raise FactsError([FactsProblem("", str(exc))], source=source) from None


def _object(data: Any, source: str | None) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise FactsError([FactsProblem("", f"the facts must be a JSON object, not {describe(data)}")], source=source)
    return data


def facts_object(text: str | bytes, source: str | None = None) -> dict[str, Any]:
    """JSON text (only: never a file's path or a workbook) parsed strictly into the facts' object, as
    :func:`load_facts` parses JSON text; a :class:`~natssips_rules.FactsError` otherwise."""
    return _object(_parse_json(text, source), source)


#: What may come before the first '{' or '[' of JSON text given as a str.
_BLANK = " \t\r\n\ufeff"


def load_facts(data: "dict[str, Any] | str | bytes | os.PathLike[str] | Organisation") -> Organisation:
    """Load an :class:`Organisation` from a dict, a JSON file's path, JSON text, or a workbook.

    ``data`` is a dict (parsed JSON); a path (``str`` or :class:`os.PathLike`)
    of a JSON file, or of an ``.xlsx`` workbook made from the facts template
    (:func:`~natssips_rules.facts_workbook`; needs the ``xlsx`` extra); JSON
    text (``bytes``, or a ``str`` starting with ``{``) or a workbook's bytes; or
    an :class:`Organisation` built in Python, which gets the same checks.
    Raises :class:`~natssips_rules.FactsError` listing every problem with its
    path; never returns a partly loaded organisation.
    """
    if isinstance(data, Organisation):
        check_facts(data)
        return data
    source: str | None = None
    if isinstance(data, os.PathLike) or (isinstance(data, str) and data.lstrip(_BLANK)[:1] not in ("{", "[")):
        path = pathlib.Path(data)
        if path.suffix.lower() == ".xlsx" or is_workbook_file(path):  # by name, or by content (.ods, .xls: refused by name)
            from natssips_rules.facts.xlsx import load_workbook_facts

            return load_workbook_facts(path, build=load_facts)
        source = str(path)
        return facts_from_text(read_bounded(path, MAX_DOCUMENT_BYTES), source)
    if isinstance(data, bytes) and data.startswith((ZIP_MAGIC, OLE2_MAGIC)):  # a workbook's bytes (.xls: refused by name)
        from natssips_rules.facts.xlsx import load_workbook_facts

        return load_workbook_facts(data, build=load_facts)
    if isinstance(data, (str, bytes)):
        return facts_from_text(data)
    return _built(_object(data, source), source)  # a caller's dict, or anything else given in its place


def facts_from_text(text: str | bytes, source: str | None = None) -> Organisation:
    """An :class:`Organisation` from JSON text only (never a file's path or a workbook), as :func:`load_facts`
    loads JSON text; a :class:`~natssips_rules.FactsError` otherwise."""
    found = _plainly_valid(text)
    if found is None:  # anything unusual: parsed strictly, then built and checked, every problem reported
        return _built(facts_object(text, source), source)
    org, met = found
    return _checked(org, met.refs, source)


def _plainly_valid(text: str | bytes) -> "tuple[Organisation, _fast.Met] | None":
    """The facts of JSON text that is plainly valid, parsed and built in one pass each; None where not sure.

    The text is parsed without the duplicate-key hook (which makes the parser build a list of pairs for every
    object), and that no object had a key twice is made sure from counts instead (:func:`_no_key_twice`). Where
    anything is unusual (a parse error, a value the fast path is unsure of, a count that does not add up), the
    caller takes the strict path, which parses again with the hook and says what is wrong.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        return None
    if isinstance(text, bytes) and json.detect_encoding(text) not in ("utf-8", "utf-8-sig"):
        return None  # UTF-16 or UTF-32: its colons are not bytes to count
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not valid JSON, a number too long, undecodable text: said by the strict path
        return None
    if type(data) is not dict:
        return None
    met = _fast.Met()
    try:
        org: Organisation = _fast.build(Organisation, data, met)
    except _fast.Unsure:
        return None
    return (org, met) if _no_key_twice(text, met) else None


def _no_key_twice(text: str | bytes, met: "_fast.Met") -> bool:
    """Whether no object of ``text`` had a key twice, from counts, for facts the fast path built (``met``).

    In JSON text a colon is either between a key and its value or inside a string. The parser keeps one value for each
    key of an object, so the keys built (``met.keys``) are the key-value pairs of the text less one for each repeat of a
    key. The colons inside the strings as written are at least the colons of the strings as read less those
    written as the escape ``\\u003a`` or ``\\u003A`` (each such six characters is counted, even one whose
    backslash is itself escaped: more, never fewer); and the fast path reads every string of the text as a field
    name or an enumeration's value (which hold none), a date, or a text value (those holding a colon are in
    ``met.texts``). So the colons of the text less that many are at least the pairs, which are at least the keys
    built: if they equal the keys built, no key was repeated. (In UTF-8 bytes a colon byte is a colon; other
    encodings are not counted.)
    """
    # most facts hold no backslash at all (no escape of any kind): one search for one character says so
    if isinstance(text, str):
        colons = text.count(":")
        escaped = text.count("\\u003a") + text.count("\\u003A") if "\\" in text else 0
    else:
        colons = text.count(b":")
        escaped = text.count(b"\\u003a") + text.count(b"\\u003A") if b"\\" in text else 0
    inside = sum(value.count(":") for value in met.texts) - escaped
    return colons - inside == met.keys


def _built(data: dict[str, Any], source: str | None) -> Organisation:
    """Facts from plain data: in one pass where plainly valid, else by the full path; checked across facts."""
    met = _fast.Met()
    refs: _fast.Refs | None = met.refs
    try:
        org: Organisation = _fast.build(Organisation, data, met)  # plainly valid facts, in one pass
    except _fast.Unsure:
        org = _structure(data, source)
        refs = None
    return _checked(org, refs, source)


def _checked(org: Organisation, refs: "_fast.Refs | None", source: str | None) -> Organisation:
    problems = check_integrity(org, refs)
    if problems:
        raise FactsError(problems, source=source)
    _mark_checked(org)
    return org


def _structure(data: dict[str, Any], source: str | None) -> Organisation:
    """The full path: every value checked by its class, every problem reported with its path."""
    try:
        org: Organisation = _CONVERTER.structure(data, Organisation)
    except _Problems as exc:
        raise FactsError(exc.problems, source=source) from None
    except RecursionError:  # pragma: no cover - the facts model is shallow and JSON depth is bounded by the parser
        raise FactsError([FactsProblem("", "the facts are nested too deeply")], source=source) from None
    return org


def dump_facts(org: Organisation) -> dict[str, Any]:
    """The plain, JSON-ready dict of an organisation (the inverse of ``load_facts``).

    Unknown (``None``) facts are left out, exactly as a newcomer would write them.
    """
    if not isinstance(org, Organisation):
        raise ArgumentError(f"expected an Organisation, not {type(org).__name__}", argument="org")
    result: dict[str, Any] = _CONVERTER.unstructure(org)
    return result


# --------------------------------------------------------------------------
# The boundary every route shares


#: The organisations that passed every check, by identity (an organisation is checked once).
_CHECKED: IdentityMemo[bool] = IdentityMemo()


def _mark_checked(org: Organisation) -> None:
    _CHECKED.setdefault(org, True)


def _is_checked(org: Organisation) -> bool:
    return _CHECKED.get(org) is not None


def check_facts(org: Organisation) -> None:
    """Raise :class:`~natssips_rules.FactsError` unless ``org`` passes every check ``load_facts`` makes.

    For an organisation built in Python: every object is of its facts class
    and every field holds a value its class accepts (as the class checked it
    when it was made; an object altered after that is caught here), and ids
    and references hold together. The verdict is kept for the object, so
    evaluating the same organisation again checks nothing twice.
    """
    if not isinstance(org, Organisation):
        raise ArgumentError(f"expected an Organisation (or facts to load), not {type(org).__name__}", argument="facts")
    if _is_checked(org):
        return
    problems = _check_objects(org, Organisation, "")
    if not problems:
        problems = check_integrity(org)
    if problems:
        raise FactsError(problems)
    _mark_checked(org)


def _check_objects(obj: Any, cls: type[Any], path: str) -> list[FactsProblem]:
    """Every field of ``obj`` and of what it holds re-checked (nothing converted: values must already be right)."""
    if type(obj) is not cls:
        return [FactsProblem(path, f"expected a {cls.__name__}, got {type(obj).__name__}")]
    problems: list[FactsProblem] = []
    for name, info in fields_of(cls).items():
        value = getattr(obj, name)
        here = _join(path, name)
        try:
            kept = field_spec(cls, name).check(value)
        except ValueError as exc:  # the check's own refusal (Refused), locating the item at fault
            problems.append(FactsProblem(f"{here}{getattr(exc, 'where', '')}", str(exc)))
            continue
        if kept is not value and kept != value:
            problems.append(
                FactsProblem(here, f"holds {describe(value)}, which the class would have converted; rebuild the object")
            )
            continue
        if value is None or value is False:
            continue
        if info.kind in ("object", "evidence"):
            problems += _check_objects(value, info.type, here)
        elif info.kind == "collection":
            for index, item in enumerate(value):
                problems += _check_objects(item, info.type, f"{here}[{index}]")
    return problems


_LINKS: dict[type[Any], tuple[tuple[str, str, Any], ...]] = {}


def _resolved(refs: "_fast.Refs", known: dict[type[Any], set[str]]) -> bool:
    """Whether each reference (an id, or a tuple of ids) names an entry of the class it refers to."""
    for value, target in refs:
        ids = known[target]
        if type(value) is tuple:
            if not ids.issuperset(value):
                return False
        elif value not in ids:
            return False
    return True


def _links(cls: type[Any]) -> tuple[tuple[str, str, Any], ...]:
    """The fields of ``cls`` that refer to other facts or hold facts: (name, kind, class)."""
    found = _LINKS.get(cls)
    if found is None:
        found = _LINKS[cls] = tuple(
            (name, info.kind, info.type)
            for name, info in fields_of(cls).items()
            if info.kind in ("ref", "reflist", "object", "collection")
        )
    return found


def _repeats(values: list[Any], path: str, message: str) -> list[FactsProblem]:
    """A problem for each value of ``values`` after its first (``path`` and ``message`` name its ``index`` and
    ``value``)."""
    seen: set[Any] = set()
    problems = []
    for index, value in enumerate(values):
        if value in seen:
            problems.append(FactsProblem(path.format(index=index), message.format(value=value)))
        seen.add(value)
    return problems


def check_integrity(org: Organisation, refs: "_fast.Refs | None" = None) -> list[FactsProblem]:
    """Problems across facts: repeated ids and references to facts that do not exist.

    ``refs``: every reference the organisation holds, as the fast path met them while building it; where each
    refers to an existing entry, the objects need not be walked to find them (where one does not, they are, to
    say where it is).
    """
    problems: list[FactsProblem] = []
    known: dict[type[Any], set[str]] = {}
    for cls, field in entity_collections().items():
        ids = [item.id for item in getattr(org, field) or ()]
        known[cls] = set(ids)
        if len(known[cls]) != len(ids):  # some id is used twice: each entry after the first with it is named
            problems += _repeats(ids, f"{field}[{{index}}].id", f"the id {{value!r}} is used by another entry of {field}")
    for collection in ("specialties", "natssips_leads", "actions"):
        key = "person" if collection == "natssips_leads" else "id"
        values = [getattr(item, key) for item in getattr(org, collection) or ()]
        if len(set(values)) != len(values):
            problems += _repeats(values, f"{collection}[{{index}}].{key}", f"{{value!r}} appears twice in {collection}")

    if refs is not None and not problems and _resolved(refs, known):
        return problems

    def walk(obj: Any, path: str) -> None:
        # only the fields that refer to, or hold, other facts; a path is written out only for a problem
        for name, kind, target in _links(type(obj)):
            value = getattr(obj, name)
            if value is None or value is False:
                continue
            if kind == "ref":
                if value not in known[target]:
                    _check_ref(value, target, f"{path}.{name}" if path else name)
            elif kind == "reflist":
                wanted = known[target]
                for index, item in enumerate(value):
                    if item not in wanted:
                        _check_ref(item, target, f"{path}.{name}[{index}]" if path else f"{name}[{index}]")
            elif kind == "object":
                walk(value, f"{path}.{name}" if path else name)
            else:
                here = f"{path}.{name}" if path else name
                for index, item in enumerate(value):
                    walk(item, f"{here}[{index}]")

    def _check_ref(value: str, cls: type[Any], path: str) -> None:
        if value not in known[cls]:
            field = entity_collections()[cls]
            problems.append(FactsProblem(path, f"refers to {value!r}, which is not the id of any entry of {field}"))

    walk(org, "")
    return problems
