"""Rules as data: ``Rule``, ``Citation``, ``Level``, ``Parameter``, ``RuleSet``.

A rule says, for each subject of one kind (the organisation, each site, each
specialty, each NatSSIPs lead), when it applies and what holds when the
clause it cites is met. Both are conditions of
:mod:`natssips_rules.rules.conditions`. A rule cites the verbatim text it rests on,
keeps the standard's own modal verb as its level, and names every threshold
as a parameter with a documented default.
"""

import datetime
import enum
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, Union

import attrs

from natssips_rules._internal import validators as c
from natssips_rules._internal.converters import list_to_tuple
from natssips_rules.errors import RuleError, RuleProblem
from natssips_rules.facts import model as _facts
from natssips_rules.rules.check import (
    MAX_LIST_VALUES,
    MAX_RULE_TEXT,
    MAX_RULES_PER_SET,
    check_rule,
    check_value,
)
from natssips_rules.rules.conditions import CONDITION_TYPES, Condition, condition_to_data

__all__ = [
    "Citation",
    "Footnote",
    "Level",
    "Parameter",
    "ParameterValue",
    "Rule",
    "RuleSet",
    "RuleSource",
    "StandardText",
    "SubjectKind",
    "TailoringRecord",
    "Waiver",
    "requirement_text",
]

ParameterValue = Union[bool, int, float, str, tuple[str, ...]]
#: Where a rule comes from: the standard (built in) or a Trust's own policy.
Origin = Literal["natssips", "local"]


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


def _to_level(value: "Level | str") -> "Level":
    """A level, or its text value (anything else is left for the rule's check to refuse)."""
    if isinstance(value, str) and value in Level._value2member_map_:
        return Level(value)
    return value  # type: ignore[return-value]


def _to_subject(value: "SubjectKind | str") -> "SubjectKind":
    """A subject kind, or its text value (anything else is left for the rule's check to refuse)."""
    if isinstance(value, str) and value in SubjectKind._value2member_map_:
        return SubjectKind(value)
    return value  # type: ignore[return-value]


def _refuse(obj: Any, checks: dict[str, c.Check], rule_id: str | None = None) -> None:
    """Check every field of ``obj``; raise one ``RuleError`` naming the class and each field at fault."""
    problems = c.check_fields(obj, ((name, check, False) for name, check in checks.items()))
    if problems:
        name = type(obj).__name__
        raise RuleError(problems=[RuleProblem(rule_id, f"{name}.{field}", message) for field, message in problems])


_TEXT = c.text(max_length=MAX_RULE_TEXT)
_OPTIONAL_TEXT = c.optional(_TEXT)
_TEXTS = c.tuple_of(_TEXT, max_items=MAX_LIST_VALUES)


@attrs.frozen
class Footnote:
    """A footnote of the standard qualifying a clause (marker and verbatim text)."""

    marker: str
    text: str

    def __attrs_post_init__(self) -> None:
        _refuse(self, {"marker": _TEXT, "text": _TEXT})


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

    def __attrs_post_init__(self) -> None:
        _refuse(self, _CITATION_CHECKS)


_CITATION_CHECKS: dict[str, c.Check] = {
    "document": _TEXT,
    "edition": _OPTIONAL_TEXT,
    "section": _TEXT,
    "clause": _TEXT,
    "quote": _TEXT,
    "footnotes": c.tuple_of(c.instance(Footnote, "a Footnote"), max_items=100),
    "references": c.tuple_of(_TEXT, max_items=100),
    "url": _OPTIONAL_TEXT,
}


def _parameter_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return _TEXTS(value)
    problem = check_value(value)
    if problem:
        raise c.Refused(problem)
    return value


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
    lenient: Literal["lower", "higher"] | None = None
    #: For a parameter choosing between readings: the readings it may take
    #: (its value is one of them, or a list of them).
    choices: tuple[str, ...] | None = attrs.field(default=None, converter=list_to_tuple)
    #: The default is the standard's own (a list its text gives), not a reading of this library.
    from_standard: bool = False
    #: How a finding names the default where it is this library's reading of the standard's words rather
    #: than a figure of its own (e.g. "this library's reading of footnote d's open 'includes'").
    reading: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(self, _PARAMETER_CHECKS)


_PARAMETER_CHECKS: dict[str, c.Check] = {
    "name": c.text(max_length=200),
    "default": _parameter_value,
    "description": _TEXT,
    "interpretation": _TEXT,
    "unit": _OPTIONAL_TEXT,
    "lenient": c.optional(c.literal("lower", "higher")),
    "choices": c.optional(_TEXTS),
    "from_standard": c.boolean,
    "reading": _OPTIONAL_TEXT,
}


def _condition(value: Any) -> Any:
    if not isinstance(value, CONDITION_TYPES):
        raise c.Refused(f"expected a condition (Compare, AllOf, ...), got {type(value).__name__}")
    return value


@attrs.frozen(kw_only=True)
class Rule:
    """One checkable clause: data, compiled by both engines.

    Built from Python or from a rules file, a rule is checked when it is made:
    every field's type (``level`` and ``subject`` may be given as their text
    values), and its conditions against the facts model and the limits the
    engines honour. Every problem is reported at once, in one ``RuleError``.
    """

    id: str
    title: str
    citation: Citation
    level: Level = attrs.field(converter=_to_level)
    subject: SubjectKind = attrs.field(converter=_to_subject)
    holds: Condition
    requirement: str
    remediation: str
    applies_when: Condition | None = None
    applicability: str | None = None
    parameters: tuple[Parameter, ...] = attrs.field(default=(), converter=list_to_tuple)
    interpretation: str | None = None
    #: ``natssips`` for the built-in rules; ``local`` for a Trust's own.
    origin: Origin = "natssips"

    def __attrs_post_init__(self) -> None:
        rule_id = self.id if isinstance(self.id, str) else None
        _refuse(self, _RULE_CHECKS, rule_id)
        check_rule(self)

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
                    "from_standard": p.from_standard,
                    "reading": p.reading,
                }
                for p in self.parameters
            ],
            "interpretation": self.interpretation,
            "remediation": self.remediation,
        }
        return data


_RULE_CHECKS: dict[str, c.Check] = {
    "id": c.text(max_length=200),
    "title": _TEXT,
    "citation": c.instance(Citation, "a Citation"),
    "level": c.enum_member(Level),
    "subject": c.enum_member(SubjectKind),
    "holds": _condition,
    "requirement": _TEXT,
    "remediation": _TEXT,
    "applies_when": c.optional(_condition),
    "applicability": _OPTIONAL_TEXT,
    "parameters": c.tuple_of(c.instance(Parameter, "a Parameter"), max_items=100),
    "interpretation": _OPTIONAL_TEXT,
    "origin": c.literal("natssips", "local"),
}


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def requirement_text(rule: "Rule") -> str:
    """The rule's requirement in words, with each ``{parameter}`` it names replaced by the value in force.

    So the words follow a Trust's tailoring: with the support areas tailored
    to IT and education, the requirement names IT and education.
    """
    params = rule.parameter_values()

    def fill(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        return _facts.words_of(params[name])

    return _PLACEHOLDER.sub(fill, rule.requirement)


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
    installed package; ``name`` and ``version`` are its distribution's, and
    ``digest`` is ``sha256:<hex>`` of its files: see
    :func:`~natssips_rules.rules.plugins.files_digest`). A package is listed
    even when it contributes no rule: it ran in the host.
    """

    kind: Literal["builtin", "python", "file", "entry_point"]
    name: str
    version: str | None = None
    rule_ids: tuple[str, ...] = attrs.field(default=(), converter=list_to_tuple)
    digest: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(
            self,
            {
                "kind": c.literal("builtin", "python", "file", "entry_point"),
                "name": _TEXT,
                "version": _OPTIONAL_TEXT,
                "rule_ids": c.tuple_of(_TEXT, max_items=MAX_RULES_PER_SET),
                "digest": _OPTIONAL_TEXT,
            },
        )


@attrs.frozen(kw_only=True)
class TailoringRecord:
    """One change a Trust made to a built-in rule, listed in every report.

    ``action`` is ``set_parameter``, ``exclude`` or ``set_level``; ``previous``
    and ``value`` are the parameter values or levels before and after.
    """

    action: Literal["set_parameter", "exclude", "set_level"]
    rule_id: str
    parameter: str | None = None
    previous: Any = attrs.field(default=None, converter=_plain)
    value: Any = attrs.field(default=None, converter=_plain)
    rationale: str
    approved_by: str
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(
            self,
            {
                "action": c.literal("set_parameter", "exclude", "set_level"),
                "rule_id": _TEXT,
                "parameter": _OPTIONAL_TEXT,
                "rationale": _TEXT,
                "approved_by": _TEXT,
                "source": _OPTIONAL_TEXT,
            },
        )

    def to_data(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Waiver:
    """Accept, from ``approved_on`` until ``expires`` (both inclusive), that a rule is not met for a subject (None: every subject).

    A waiver is in force only in that window, for every evaluation: one
    approved in 2026 does not waive a finding as of 2025. Without
    ``approved_on`` it is in force at any date up to its expiry (``check``
    says so).
    """

    rule_id: str
    justification: str
    approved_by: str
    expires: datetime.date
    subject: str | None = None
    source: str | None = None
    approved_on: datetime.date | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(
            self,
            {
                "rule_id": _TEXT,
                "justification": _TEXT,
                "approved_by": _TEXT,
                "expires": c.date,
                "subject": _OPTIONAL_TEXT,
                "source": _OPTIONAL_TEXT,
                "approved_on": c.optional(c.date),
            },
        )
        if self.approved_on is not None and self.approved_on > self.expires:
            message = (
                f"the waiver is approved on {self.approved_on.isoformat()}, after it expires "
                f"({self.expires.isoformat()}): check both dates"
            )
            raise RuleError(problems=[RuleProblem(self.rule_id, "Waiver.approved_on", message)])

    def covers(self, rule_id: str, subject_id: str) -> bool:
        return self.rule_id == rule_id and (self.subject is None or self.subject == subject_id)

    def active_on(self, day: datetime.date) -> bool:
        """In force on ``day``: approved by then (where the approval date is given) and not expired."""
        return day <= self.expires and (self.approved_on is None or self.approved_on <= day)

    def state_on(self, day: datetime.date) -> Literal["active", "expired", "not_yet_approved"]:
        """``active``, ``expired`` (past its expiry) or ``not_yet_approved`` (before its approval date) on ``day``."""
        if day > self.expires:
            return "expired"
        return "active" if self.approved_on is None or self.approved_on <= day else "not_yet_approved"


def _content_digest(rules: tuple[Rule, ...], tailoring: tuple[TailoringRecord, ...]) -> str:
    """The digest of what the rules are: their data and parameters, and the tailoring (not where they were read from)."""
    canonical = json.dumps(
        {
            "rules": [r.to_data() for r in rules],
            "tailoring": [{k: v for k, v in t.to_data().items() if k != "source"} for t in tailoring],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@attrs.frozen
class StandardText:
    """The text of a standard, as the layer that ships it hands it to the rules: its document's name, and how a
    quote is matched to the text (``is_verbatim``) and written (``normalise``).

    The built-in rule set carries NatSSIPs' (:data:`natssips_rules.standards.source.STANDARD`); a rule set
    composed on it carries it on, so a local rule quoting NatSSIPs is checked against the standard's own words.
    """

    document: str
    is_verbatim: Callable[[str], bool]
    normalise: Callable[[str], str]


@attrs.frozen(init=False)
class RuleSet:
    """An immutable, ordered set of rules with distinct ids, and the waivers that go with them.

    Every rule was checked when it was made; a duplicate id is refused (never
    overwritten). ``digest`` identifies the rule data, parameters and
    tailoring, so two reports can be known to come from the same rules;
    where the rules were read from (a file's path) is not part of it.
    ``waivers`` (from rules files, or given to :func:`~natssips_rules.compose`)
    are applied by :func:`~natssips_rules.evaluate`.
    """

    rules: tuple[Rule, ...]
    digest: str
    #: The changes made to built-in rules to obtain this set (empty for the built-in set).
    tailoring: tuple[TailoringRecord, ...]
    #: Where the rules came from.
    sources: tuple[RuleSource, ...]
    #: Waivers that travel with the rules (applied by ``evaluate``).
    waivers: tuple[Waiver, ...]
    #: The standard the set's rules cite (``None``: a set not made on a standard's rules); not part of ``digest``.
    standard: StandardText | None = attrs.field(eq=False, repr=False)
    _by_id: dict[str, Rule] = attrs.field(eq=False, repr=False)
    #: What each engine object compiled from this rule set, as (engine, compiled) pairs, found by the engine's
    #: identity (filled when first evaluated; an engine's name never stands for it).
    compiled_forms: list[tuple[object, object]] = attrs.field(eq=False, repr=False)
    compile_lock: threading.Lock = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        tailoring: Iterable[TailoringRecord] = (),
        sources: Iterable[RuleSource] = (),
        waivers: Iterable[Waiver] = (),
        standard: StandardText | None = None,
    ) -> None:
        if isinstance(rules, (str, bytes, RuleSet)) or not isinstance(rules, Iterable):
            raise RuleError(f"a rule set is made from a list of Rule, not {type(rules).__name__}")
        items = tuple(rules)
        if len(items) > MAX_RULES_PER_SET:
            raise RuleError(f"{len(items):,} rules; a rule set holds at most {MAX_RULES_PER_SET:,}")
        by_id: dict[str, Rule] = {}
        problems: list[RuleProblem] = []
        for index, rule in enumerate(items):
            if not isinstance(rule, Rule):
                problems.append(RuleProblem(None, f"rules[{index}]", f"not a Rule: {type(rule).__name__}"))
            elif rule.id in by_id:
                problems.append(RuleProblem(rule.id, None, "two rules share this id"))
            else:
                by_id[rule.id] = rule
        changes = tuple(tailoring)
        found_sources = tuple(sources)
        found_waivers = tuple(waivers)
        for kind, values in ((TailoringRecord, changes), (RuleSource, found_sources), (Waiver, found_waivers)):
            for value in values:
                if not isinstance(value, kind):
                    problems.append(RuleProblem(None, None, f"not a {kind.__name__}: {type(value).__name__}"))
        for waiver in found_waivers:
            if isinstance(waiver, Waiver) and waiver.rule_id not in by_id:
                problems.append(
                    RuleProblem(waiver.rule_id, None, "a waiver names this rule, which is not in the rule set", "rule")
                )
        if problems:
            raise RuleError(problems=problems)
        digest = _content_digest(items, changes)
        if standard is not None and not isinstance(standard, StandardText):
            raise RuleError(f"a rule set's standard is a StandardText, not {type(standard).__name__}")
        self.__attrs_init__(items, digest, changes, found_sources, found_waivers, standard, by_id, [], threading.Lock())

    def verify(self) -> None:
        """Raise ``RuleError`` if a rule of the set was changed in place after the set was made (its digest no longer fits)."""
        if _content_digest(self.rules, self.tailoring) != self.digest:
            raise RuleError(
                "the rules changed after the rule set was made (a rule object was altered in place); "
                "rebuild the rule set from unaltered rules"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its data: the compiled engine forms and the lock are rebuilt where it is used
        return (_rebuild_ruleset, (self.rules, self.tailoring, self.sources, self.waivers, self.standard))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]


def _rebuild_ruleset(
    rules: tuple[Rule, ...],
    tailoring: tuple[TailoringRecord, ...],
    sources: tuple[RuleSource, ...],
    waivers: tuple[Waiver, ...] = (),
    standard: StandardText | None = None,
) -> RuleSet:
    return RuleSet(rules, tailoring=tailoring, sources=sources, waivers=waivers, standard=standard)
