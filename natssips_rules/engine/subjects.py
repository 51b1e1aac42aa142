"""What every engine shares: the organisation judged and its subjects.

The *status* of a finding is decided by each engine on its own; the subjects
(worked out once per evaluation, in :meth:`Context.subjects`) are the same for
every engine, and so is the evidence shown beside the status
(:mod:`natssips_rules.evaluation.explain`).
"""

import datetime
from collections.abc import Iterator
from typing import Any

import attrs

from natssips_rules.facts.model import Organisation, Person, StaffingFactors
from natssips_rules.facts.paths import entity_collections
from natssips_rules.rules.findings import SubjectRef
from natssips_rules.rules.model import SubjectKind

__all__ = ["UNKNOWN_LIST_ID", "Context", "SubjectEntry", "SubjectKey", "UnknownItem", "object_at"]

#: Where a subject sits in the organisation: (list field, index) for an item of a
#: list of the organisation, (dotted path, 0) for a single object, ("", 0) for the organisation.
SubjectKey = tuple[str, int]


#: The id of the subject that stands for a list the facts leave out (``sites`` not known).
UNKNOWN_LIST_ID = "(not known)"


class UnknownItem:
    """An entry of a list that is not known: every field of it is unknown."""

    def __getattr__(self, name: str) -> None:
        return None

    def __repr__(self) -> str:
        return "UnknownItem()"


@attrs.frozen
class SubjectEntry:
    """One subject: its reference, the facts object and where it sits in the organisation.

    ``key`` says where the subject sits in the organisation (see
    :data:`SubjectKey`); an engine that works on its own copy of the facts
    finds the subject there.
    """

    ref: SubjectRef
    obj: Any
    location: str
    key: SubjectKey = ("", 0)


def object_at(org: Organisation, path: str) -> Any:
    """The object at a dotted path of object fields: None where a step is unknown, False where one is recorded absent."""
    obj: Any = org
    for name in path.split("."):
        if obj is None or obj is False:
            return obj
        obj = getattr(obj, name)
    return obj


def _object_subject(kind: SubjectKind, path: str, obj: Any) -> SubjectRef:
    if kind is SubjectKind.STAFFING_FACTOR:
        name = path.rsplit(".", 1)[-1]
        meta = attrs.fields_dict(StaffingFactors)[name].metadata
        return SubjectRef(kind.value, name, f"Factor {meta['numeral']} ({name.replace('_', ' ')})")
    return SubjectRef(kind.value, path, "The NatSSIPs steering group")


class Context:
    """The organisation being judged, with its entities indexed by id."""

    def __init__(self, org: Organisation, as_of: datetime.date) -> None:
        self.org = org
        self.as_of = as_of
        self.entities: dict[type[Any], dict[str, Any]] = {
            cls: {item.id: item for item in (getattr(org, field) or ())} for cls, field in entity_collections().items()
        }
        self.locations: dict[type[Any], dict[str, str]] = {
            cls: {item.id: f"{field}[{item.id}]" for item in (getattr(org, field) or ())}
            for cls, field in entity_collections().items()
        }

        self._subjects: dict[SubjectKind, tuple[SubjectEntry, ...]] = {}
        #: What the report's explanations worked out once for this evaluation (paths followed from an object).
        #: An entry keyed by ``id()`` s is added only with its objects kept (:meth:`keep`).
        self.memo: dict[Any, Any] = {}
        self._kept: dict[int, Any] = {}

    def keep(self, *objs: object) -> None:
        """Keep ``objs`` alive until the evaluation ends: every memo entry keyed by an ``id()`` keeps its objects.

        Then an ``id`` found in a memo is the id of the very object that made the entry (a live object's id is
        its own), never of one collected since whose id a new object (a condition built on the fly) reused.
        Looking up needs no keeping; adding an entry does.
        """
        kept = self._kept
        for obj in objs:
            kept.setdefault(id(obj), obj)

    def subjects(self, kind: SubjectKind) -> tuple[SubjectEntry, ...]:
        """The subjects of ``kind``, in the order of the facts: worked out once, shared by the engines and the report."""
        found = self._subjects.get(kind)
        if found is None:
            found = self._subjects[kind] = tuple(_walk_subjects(kind, self))
        return found

    def person_name(self, person_id: str) -> str:
        person = self.entities[Person].get(person_id)
        return person.name if person is not None else person_id


def _walk_subjects(kind: SubjectKind, ctx: Context) -> Iterator[SubjectEntry]:
    """The subjects of ``kind`` in the organisation, in the order of the facts."""
    org = ctx.org
    if kind is SubjectKind.ORGANISATION:
        yield SubjectEntry(SubjectRef(kind.value, org.id, org.name), org, "")
        return
    for path in kind.objects:
        # a subject the facts say nothing about is judged as an object with every field unknown
        obj = object_at(org, path)
        if obj is None:
            obj = kind.facts_class()  # judged with every field unknown; False (recorded absent) is judged as such
        yield SubjectEntry(_object_subject(kind, path, obj), obj, path, (path, 0))
    field = kind.collection
    if field is None:
        return
    items = getattr(org, field)
    if items is None:
        # the list is not known: one subject standing for its unknown entries, judged with every field unknown,
        # so a rule about each site still has a finding ("the sites are not known"), never none
        label = field.replace("_", " ")
        ref = SubjectRef(kind.value, UNKNOWN_LIST_ID, f"The organisation's {label} (not known)")
        yield SubjectEntry(ref, UnknownItem(), field, (field, -1))
        return
    for index, item in enumerate(items):
        if kind is SubjectKind.NATSSIPS_LEAD:
            ref = SubjectRef(kind.value, item.person, ctx.person_name(item.person))
        else:
            ref = SubjectRef(kind.value, item.id, item.name)
        # located by id, not position, so the evidence does not depend on the order of lists
        yield SubjectEntry(ref, item, f"{field}[{ref.id}]", (field, index))
