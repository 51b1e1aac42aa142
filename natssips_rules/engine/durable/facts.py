"""Facts -> engine facts: how an organisation is written for durable_rules' C engine.

Part of the durable adapter (see ``__init__``): it knows the engine's fact
format and the guards it needs, but does not import the engine.

Every object of the organisation that some compiled rule may read becomes
one flat engine fact: ``id`` (an explicit, hash-checked id), ``sid`` (the
session), ``kind`` (the facts class), ``parent``/``coll`` (the object and
field holding it), and the fields the rules read: scalars as they are (dates
as their age in days at the evaluation date), a list as its length
(``<field>__n``), a set of enumerated values as one flag per member, a nested
object or a reference as the engine id of the fact it names. Unknown facts
are left out (a missing property fails every engine comparison). The entities
no rule is judged for (people, mostly) are written only when some written
fact refers to them.
"""

import datetime
import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from natssips_rules.engine.subjects import SubjectKey, UnknownItem, object_at
from natssips_rules.facts.model import Organisation
from natssips_rules.facts.paths import FieldInfo, entity_collections, fields_of

from .compile import ABSENT_PROPERTY, COPY_OF, MAX_PROPERTIES, NONE_VALUE, Program, copy_kind, kind_name, prop

__all__ = ["EngineFacts", "copies_of", "engine_value", "write_facts"]

Fact = dict[str, Any]


def engine_value(value: Any, as_of: datetime.date) -> Any:
    """A scalar fact as the engine sees it (dates become their age in days at ``as_of``)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date):
        return (as_of - value).days
    return value


@attrs.frozen
class EngineFacts:
    """An organisation written as engine facts.

    ``facts`` in the order written; ``by_class`` the facts of each facts class
    (for counts); ``subjects`` the engine id of the fact of each subject, by
    where it sits in the organisation (:data:`SubjectKey`). A single-object
    subject the facts leave out is written as a fact with no fields and no
    parent (so no path from the organisation reaches it, exactly as if it
    were absent).
    """

    facts: list[Fact]
    by_class: dict[type[Any], list[Fact]]
    subjects: dict[SubjectKey, str]
    #: (parent fact id, list field) -> the engine ids of its items (item facts, or links for a list of ids), in order
    children: dict[tuple[str, str], list[str]] = attrs.Factory(dict)


def write_facts(org: Organisation, as_of: datetime.date, program: Program, ids: Iterable[str], sid: str) -> EngineFacts:
    """The engine facts for ``org``, with the fields ``program``'s rules read (and the copies they match)."""
    stream = iter(ids)
    written = _Writer(org, as_of, program, stream, sid).write()
    written.facts.extend(copies_of(written.facts, program, stream))
    return written


def copies_of(facts: list[Fact], program: Program, ids: Iterator[str]) -> list[Fact]:
    """The copies of ``facts`` that ``program``'s engine rules match (see :func:`.compile.copy_kind`): each the
    same properties under a kind of its own, with the id of the fact it copies."""
    if not program.copies:
        return []
    out: list[Fact] = []
    for fact in facts:
        wanted = program.copies.get(fact["kind"], 0)
        for copy in range(1, wanted + 1):
            out.append({**fact, "id": next(ids), "kind": copy_kind(fact["kind"], copy), COPY_OF: fact["id"]})
    return out


class _Writer:
    """Writes one organisation; each field kind has its own method."""

    def __init__(self, org: Organisation, as_of: datetime.date, program: Program, ids: Iterator[str], sid: str) -> None:
        self.org = org
        self.as_of = as_of
        self.program = program
        self.ids = ids
        self.sid = sid
        self.needed = program.needed
        self.out = EngineFacts([], {}, {}, {})
        self.entities = entity_collections()
        # every entity a rule may join gets its id up front, so references can be written before their target
        self.entity_ids: dict[tuple[type[Any], str], str] = {
            (cls, item.id): next(ids)
            for cls, field in self.entities.items()
            if cls in self.needed
            for item in getattr(org, field) or ()
        }
        self.referenced: set[tuple[type[Any], str]] = set()
        self.deferred: list[tuple[str, type[Any], tuple[Any, ...], str]] = []

    def write(self) -> EngineFacts:
        self.out.subjects[("", 0)] = self.emit(self.org, Organisation, None, None, path="")
        self._send_referenced()
        for field, cls in self.program.subject_lists.items():
            if getattr(self.org, field) is None:
                # the list is not known: one subject, every field unknown (see engine.subjects)
                self.out.subjects[(field, -1)] = self.emit(UnknownItem(), cls, None, None)
        for path, cls in self.program.subject_objects.items():
            if (path, 0) not in self.out.subjects:
                if object_at(self.org, path) is False:
                    self.out.subjects[(path, 0)] = self._absent_subject(cls)
                else:
                    self.out.subjects[(path, 0)] = self.emit(cls(), cls, None, None)
        return self.out

    def _absent_subject(self, cls: type[Any]) -> str:
        """A single-object subject the facts record as absent: a fact that says so, and nothing else."""
        fid = next(self.ids)
        fact: Fact = {"id": fid, "sid": self.sid, "kind": kind_name(cls), ABSENT_PROPERTY: True}
        self.out.facts.append(fact)
        self.out.by_class.setdefault(cls, []).append(fact)
        return fid

    def emit(
        self, obj: Any, cls: type[Any], parent: str | None, coll: str | None, fid: str | None = None, path: str | None = None
    ) -> str:
        """Write ``obj`` (and what it holds) as facts; returns its engine id."""
        fid = fid or next(self.ids)
        if path is not None and path in self.program.subject_objects:
            self.out.subjects[(path, 0)] = fid
        fact: Fact = {"id": fid, "sid": self.sid, "kind": kind_name(cls)}
        if parent is not None:
            fact["parent"] = parent
            fact["coll"] = coll
        read = self.needed.get(cls, set())
        for name, info in fields_of(cls).items():
            value = getattr(obj, name)
            if value is None or info.kind == "evidence":
                continue
            if value is False and info.kind in ("object", "ref"):
                # known: there is none; a value no fact has as its id, so no join reaches anything
                if info.type in self.needed and (info.kind == "object" or name in read):
                    fact[prop(name)] = NONE_VALUE
                continue
            if info.kind == "object":
                if info.type in self.needed:
                    here = None if path is None else (name if cls is Organisation else f"{path}.{name}")
                    fact[prop(name)] = self.emit(value, info.type, fid, name, path=here)
            elif info.kind == "collection":
                self._collection(fact, cls, info, value, name in read)
            elif name in read:
                self._read_field(fact, info, value)
        if len(fact) > MAX_PROPERTIES:  # pragma: no cover - the facts model keeps far below
            raise ValueError(f"a {cls.__name__} fact would have {len(fact)} properties; the engine takes at most 252")
        self.out.facts.append(fact)
        self.out.by_class.setdefault(cls, []).append(fact)
        return fid

    def _read_field(self, fact: Fact, info: FieldInfo, value: Any) -> None:
        """A field some rule reads: a scalar, a set of enumerated values, a reference or a list of references."""
        name = info.name
        if info.kind == "scalar":
            fact[prop(name)] = engine_value(value, self.as_of)
        elif info.kind == "enumset":
            fact[f"{name}__n"] = len(value)
            for member in info.type:
                fact[f"{name}__{member.value}"] = member in value
        elif info.kind == "ref":
            if info.type in self.needed:
                fact[prop(name)] = self.entity_ids[(info.type, value)]
                self.referenced.add((info.type, value))
        elif info.kind == "reflist":
            fact[f"{name}__n"] = len(value)
            if info.type in self.needed:
                # the links are only for counts matching the items; a bare size needs none
                links = self.out.children.setdefault((fact["id"], name), [])
                for target in value:
                    self.referenced.add((info.type, target))
                    link = next(self.ids)
                    links.append(link)
                    self.out.facts.append(
                        {
                            "id": link,
                            "sid": self.sid,
                            "kind": "$link",
                            "parent": fact["id"],
                            "coll": name,
                            "target": self.entity_ids[(info.type, target)],
                        }
                    )

    def _collection(self, fact: Fact, cls: type[Any], info: FieldInfo, items: tuple[Any, ...], read: bool) -> None:
        """A list of nested facts: its length if read, and its items if some rule may reach them."""
        name = info.name
        if read:
            fact[f"{name}__n"] = len(items)
        if info.type not in self.needed:
            return
        if cls is Organisation and info.type in self.entities and not read and info.type not in self.program.subject_classes:
            # entities no rule is judged for or counts: written only if some fact refers to them
            self.deferred.append((name, info.type, items, fact["id"]))
            return
        children = self.out.children.setdefault((fact["id"], name), [])
        for index, item in enumerate(items):
            pre = self.entity_ids.get((info.type, getattr(item, "id", "")))
            child = self.emit(item, info.type, fact["id"], name, pre)
            children.append(child)
            if cls is Organisation:
                self.out.subjects[(name, index)] = child

    def _send_referenced(self) -> None:
        """Write the deferred entities some written fact refers to (until no new reference appears)."""
        sent: set[tuple[type[Any], str]] = set()
        while True:
            wanted = [
                (name, cls, item, parent)
                for name, cls, items, parent in self.deferred
                for item in items
                if (cls, item.id) in self.referenced and (cls, item.id) not in sent
            ]
            if not wanted:
                return
            for name, cls, item, parent in wanted:
                sent.add((cls, item.id))
                self.emit(item, cls, parent, name, self.entity_ids[(cls, item.id)])
