"""Rules as data: ``Rule``, ``Citation``, ``Level``, ``Parameter``, ``RuleSet``.

A rule says, for each subject of one kind (the organisation, each site, each
specialty, each NatSSIPs lead), when it applies and what holds when the
clause it cites is met. Both are conditions of
:mod:`natssips_rules.rules.conditions`. A rule cites the verbatim text it rests on,
keeps the standard's own modal verb as its level, and names every threshold
as a parameter with a documented default.
"""

import enum
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Union

import attrs

from natssips_rules._convert import list_to_tuple
from natssips_rules.errors import RuleError
from natssips_rules.facts import model as _facts
from natssips_rules.rules.check import check_rule
from natssips_rules.rules.conditions import Condition, condition_to_data

__all__ = [
    "Citation",
    "Footnote",
    "Level",
    "Parameter",
    "ParameterValue",
    "Rule",
    "RuleSet",
    "RuleSource",
    "SubjectKind",
    "TailoringRecord",
]

ParameterValue = Union[bool, int, float, str, tuple[str, ...]]


class Level(enum.Enum):
    """The standard's own modal verb for a clause, kept visible in every finding."""

    MUST = "must"
    SHOULD = "should"
    SHOULD_AIM_TO = "should_aim_to"
    SHOULD_CONSIDER = "should_consider"
    MAY = "may"

    @property
    def words(self) -> str:
        """The modal verb as the standard writes it."""
        return self.value.replace("_", " ")


class SubjectKind(enum.Enum):
    """What a rule is judged for: one finding per subject of this kind."""

    ORGANISATION = "organisation"
    SITE = "site"
    SPECIALTY = "specialty"
    NATSSIPS_LEAD = "natssips_lead"
    STEERING_GROUP = "steering_group"
    STAFFING_FACTOR = "staffing_factor"

    @property
    def facts_class(self) -> type[Any]:
        return _SUBJECT_CLASSES[self]

    @property
    def collection(self) -> str | None:
        """The organisation field listing the subjects, for a kind judged per list item."""
        return _SUBJECT_COLLECTIONS.get(self)

    @property
    def objects(self) -> tuple[str, ...]:
        """The dotted paths of the subjects, for a kind with a fixed set of single subjects.

        The steering group is one subject; the staffing factors are always the
        eleven of the standard, whether or not the facts mention them.
        """
        return _SUBJECT_OBJECTS.get(self, ())


_SUBJECT_CLASSES: dict[SubjectKind, type[Any]] = {
    SubjectKind.ORGANISATION: _facts.Organisation,
    SubjectKind.SITE: _facts.Site,
    SubjectKind.SPECIALTY: _facts.Specialty,
    SubjectKind.NATSSIPS_LEAD: _facts.NatssipsLead,
    SubjectKind.STEERING_GROUP: _facts.SteeringGroup,
    SubjectKind.STAFFING_FACTOR: _facts.StaffingFactor,
}
_SUBJECT_COLLECTIONS: dict[SubjectKind, str] = {
    SubjectKind.SITE: "sites",
    SubjectKind.SPECIALTY: "specialties",
    SubjectKind.NATSSIPS_LEAD: "natssips_leads",
}
_SUBJECT_OBJECTS: dict[SubjectKind, tuple[str, ...]] = {
    SubjectKind.STEERING_GROUP: ("steering_group",),
    SubjectKind.STAFFING_FACTOR: tuple(f"staffing.factors.{name}" for name in _facts.STAFFING_FACTOR_FIELDS),
}


@attrs.frozen
class Footnote:
    """A footnote of the standard qualifying a clause (marker and verbatim text)."""

    marker: str
    text: str


@attrs.frozen(kw_only=True)
class Citation:
    """Where a rule comes from: the document, the clause and its verbatim words."""

    document: str
    edition: str | None = None
    section: str
    clause: str
    quote: str
    footnotes: tuple[Footnote, ...] = attrs.field(default=(), converter=list_to_tuple)
    #: Reference numbers the clause carries (the standard's bibliography).
    references: tuple[str, ...] = attrs.field(default=(), converter=list_to_tuple)
    url: str | None = None


@attrs.frozen(kw_only=True)
class Parameter:
    """A named value a rule compares with, instead of a bare literal.

    ``lenient`` says which way of moving a numeric threshold makes the rule
    easier to meet (``"lower"`` or ``"higher"``), where that is meaningful.
    """

    name: str
    default: ParameterValue = attrs.field(converter=list_to_tuple)
    description: str
    interpretation: str
    unit: str | None = None
    lenient: str | None = None
    #: For a parameter choosing between readings: the readings it may take
    #: (its value is one of them, or a list of them).
    choices: tuple[str, ...] | None = attrs.field(default=None, converter=list_to_tuple)


@attrs.frozen(kw_only=True)
class Rule:
    """One checkable clause: data, compiled by both engines."""

    id: str
    title: str
    citation: Citation
    level: Level
    subject: SubjectKind
    holds: Condition
    requirement: str
    remediation: str
    applies_when: Condition | None = None
    applicability: str | None = None
    parameters: tuple[Parameter, ...] = attrs.field(default=(), converter=list_to_tuple)
    interpretation: str | None = None
    #: ``natssips`` for the built-in rules; ``local`` for a Trust's own.
    origin: str = "natssips"

    @property
    def section(self) -> str:
        return self.citation.section

    def parameter_values(self) -> dict[str, ParameterValue]:
        """The value in force of each parameter, by name."""
        return {p.name: p.default for p in self.parameters}

    def to_data(self) -> dict[str, Any]:
        """The rule as plain data (for digests, docs and rule files)."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "origin": self.origin,
            "level": self.level.value,
            "subject": self.subject.value,
            "citation": {
                "document": self.citation.document,
                "edition": self.citation.edition,
                "section": self.citation.section,
                "clause": self.citation.clause,
                "quote": self.citation.quote,
                "footnotes": [{"marker": f.marker, "text": f.text} for f in self.citation.footnotes],
                "references": list(self.citation.references),
                "url": self.citation.url,
            },
            "requirement": self.requirement,
            "applies_when": None if self.applies_when is None else condition_to_data(self.applies_when),
            "applicability": self.applicability,
            "holds": condition_to_data(self.holds),
            "parameters": [
                {
                    "name": p.name,
                    "value": list(p.default) if isinstance(p.default, tuple) else p.default,
                    "unit": p.unit,
                    "description": p.description,
                    "interpretation": p.interpretation,
                    "lenient": p.lenient,
                    "choices": None if p.choices is None else list(p.choices),
                }
                for p in self.parameters
            ],
            "interpretation": self.interpretation,
            "remediation": self.remediation,
        }
        return data


def _plain(value: Any) -> Any:
    """A parameter value or level as JSON-ready data (tuples become lists)."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Level):
        return value.value
    return value


@attrs.frozen(kw_only=True)
class RuleSource:
    """Where some of a rule set's rules came from.

    ``kind`` is ``builtin`` (this library), ``python`` (rules built in code),
    ``file`` (a rules file; ``name`` is its path) or ``entry_point`` (an
    installed package; ``name`` and ``version`` are its distribution's).
    """

    kind: str
    name: str
    version: str | None = None
    rule_ids: tuple[str, ...] = attrs.field(default=(), converter=list_to_tuple)


@attrs.frozen(kw_only=True)
class TailoringRecord:
    """One change a Trust made to a built-in rule, listed in every report.

    ``action`` is ``set_parameter``, ``exclude`` or ``set_level``; ``previous``
    and ``value`` are the parameter values or levels before and after.
    """

    action: str
    rule_id: str
    parameter: str | None = None
    previous: Any = attrs.field(default=None, converter=_plain)
    value: Any = attrs.field(default=None, converter=_plain)
    rationale: str
    approved_by: str
    source: str | None = None

    def to_data(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(init=False)
class RuleSet:
    """An immutable, ordered set of rules with distinct ids.

    Building one checks every rule against the facts model; a duplicate id is
    refused (never overwritten). ``digest`` identifies the rule data and
    parameters, so two reports can be known to come from the same rules.
    """

    rules: tuple[Rule, ...]
    digest: str
    #: The changes made to built-in rules to obtain this set (empty for the built-in set).
    tailoring: tuple[TailoringRecord, ...]
    #: Where the rules came from.
    sources: tuple[RuleSource, ...]
    _by_id: dict[str, Rule] = attrs.field(eq=False, repr=False)
    #: Compiled forms of this rule set, by engine name (filled lazily by the engines).
    engine_cache: dict[str, object] = attrs.field(eq=False, repr=False)
    engine_lock: threading.Lock = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        tailoring: Iterable[TailoringRecord] = (),
        sources: Iterable[RuleSource] = (),
    ) -> None:
        items = tuple(rules)
        by_id: dict[str, Rule] = {}
        for rule in items:
            if not isinstance(rule, Rule):
                raise RuleError(f"not a Rule: {rule!r}")
            if rule.id in by_id:
                raise RuleError("two rules share this id", rule_id=rule.id)
            check_rule(rule)
            by_id[rule.id] = rule
        changes = tuple(tailoring)
        canonical = json.dumps(
            {"rules": [r.to_data() for r in items], "tailoring": [t.to_data() for t in changes]},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        self.__attrs_init__(items, digest, changes, tuple(sources), by_id, {}, threading.Lock())

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its data: the compiled engine forms and the lock are rebuilt where it is used
        return (_rebuild_ruleset, (self.rules, self.tailoring, self.sources))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]


def _rebuild_ruleset(
    rules: tuple[Rule, ...], tailoring: tuple[TailoringRecord, ...], sources: tuple[RuleSource, ...]
) -> RuleSet:
    return RuleSet(rules, tailoring=tailoring, sources=sources)
