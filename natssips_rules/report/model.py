"""Findings and reports.

A :class:`Finding` is the status of one rule for one subject, with the
evidence read and the citation. A :class:`Report` gathers the findings of one
evaluation, sorted, with counts and the provenance needed to trust it (engine,
library version, digest of the rules). Reports round-trip through plain dicts
and JSON; the JSON keys are the attribute names and statuses are lower-case
strings.
"""

import datetime
import functools
import json
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.fns import identity

from natssips_rules._internal.converters import as_tuple
from natssips_rules._internal.structuring import describe, problems_of, strict_converter
from natssips_rules.errors import ArgumentError, FactsProblem, JSONTextError, ReportError
from natssips_rules.facts.load import parse_json_text
from natssips_rules.facts.model import Nation, OrganisationKind
from natssips_rules.facts.nouns import organisation_noun
from natssips_rules.report.writer import report_writer
from natssips_rules.rules.findings import EvidenceItem, EvidenceValue, Finding, PlannedAction, Reason, Status, SubjectRef
from natssips_rules.rules.model import Footnote, Level, RuleSource, SubjectKind, TailoringRecord, Waiver

__all__ = [
    "GROUPS",
    "EvidenceItem",
    "Finding",
    "PlannedAction",
    "Reason",
    "Report",
    "Status",
    "SubjectRef",
    "Summary",
    "UnmatchedAction",
    "WaiverOutcome",
    "excluded_rules",
    "group_of",
]
#: The status values, in the order every count lists them.
_STATUSES = tuple(status.value for status in Status)


@attrs.frozen(kw_only=True)
class UnmatchedAction:
    """An action of the organisation's plan that matches no finding: listed in every report, never dropped.

    ``reason`` is ``no_such_rule`` (its rule id is not a rule of the set
    evaluated: a misspelt id, or a rule the Trust's rule set no longer has) or
    ``no_such_subject`` (the rule is not judged for that subject in these
    facts: a misspelt subject id, or a site that has closed).
    """

    action: PlannedAction
    rule_id: str
    subject: str | None = None
    reason: Literal["no_such_rule", "no_such_subject"]


@attrs.frozen(kw_only=True)
class WaiverOutcome:
    """What one waiver did in an evaluation.

    ``state`` is ``applied`` (it waived the findings of ``subjects``),
    ``expired`` (past its date: the findings of ``subjects`` kept their status),
    ``not_yet_approved`` (the report's date is before its approval date: the
    findings of ``subjects`` kept their status),
    ``unused`` (no finding it covers was ``not_met`` or
    ``insufficient_evidence``) or ``no_such_subject`` (it names a subject the
    rule is not judged for in these facts: a misspelt id, or a site that has
    closed).
    """

    waiver: Waiver
    state: Literal["applied", "expired", "not_yet_approved", "unused", "no_such_subject"]
    subjects: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)


#: The three groups every output counts apart, in the order they are shown.
GROUPS = ("requirements", "local", "suggestions")


def group_of(finding: Finding) -> Literal["requirements", "suggestions", "local"]:
    """Which count a finding is in: a requirement of NatSSIPs, a suggestion of NatSSIPs ('may'), or the Trust's own rule.

    A clause a Trust's tailoring reports at another level is counted by the
    standard's own level (a "should" tailored to "may" stays a requirement).
    """
    if finding.origin != "natssips":
        return "local"
    return "suggestions" if (finding.standard_level or finding.level) is Level.MAY else "requirements"


def _empty() -> dict[str, int]:
    return dict.fromkeys(_STATUSES, 0)


@attrs.frozen(kw_only=True)
class Summary:
    """The one summary every output prints: each figure means the same thing in every format.

    The findings fall in three groups, counted apart and by status:
    ``overall``, the requirements of NatSSIPs (the built-in rules, not "may");
    ``suggestions``, the suggestions of NatSSIPs ("may"); ``local``, the
    Trust's own rules, whatever their level (a Trust's policy is never counted
    as NatSSIPs). Every finding is in exactly one group.

    ``by_section`` splits ``overall`` by the standard's sections, and
    ``local_by_section`` splits ``local`` by the Trust's documents and
    sections: each adds up to its total. ``by_level`` splits the NatSSIPs
    findings by the standard's own level: its "may" row is ``suggestions``,
    the others add up to ``overall``.

    ``rules`` counts the rules evaluated, net of those the Trust's tailoring
    excluded: ``natssips`` and ``local`` rules evaluated, and ``excluded``
    (built-in rules the tailoring took out, not evaluated).
    """

    overall: dict[str, int]
    local: dict[str, int] = attrs.Factory(_empty)
    suggestions: dict[str, int] = attrs.Factory(_empty)
    by_section: dict[str, dict[str, int]] = attrs.Factory(dict)
    local_by_section: dict[str, dict[str, int]] = attrs.Factory(dict)
    by_level: dict[str, dict[str, int]] = attrs.Factory(dict)
    rules: dict[str, int] = attrs.Factory(lambda: {"natssips": 0, "local": 0, "excluded": 0})

    def group(self, name: str) -> dict[str, int]:
        """The counts of one of :data:`GROUPS`."""
        return {"requirements": self.overall, "suggestions": self.suggestions, "local": self.local}[name]

    @classmethod
    def of(cls, findings: tuple[Finding, ...], *, excluded: int = 0) -> "Summary":
        """Count ``findings``; ``excluded`` is the number of built-in rules the tailoring took out."""
        groups = {name: _empty() for name in GROUPS}
        by_section: dict[str, dict[str, int]] = {}
        local_by_section: dict[str, dict[str, int]] = {}
        by_level: dict[str, dict[str, int]] = {}
        rule_ids: dict[str, set[str]] = {"natssips": set(), "local": set()}
        for finding in findings:
            status = finding.status._value_  # the members' values, read directly (``value`` is a property)
            group = group_of(finding)
            groups[group][status] += 1
            rule_ids["local" if group == "local" else "natssips"].add(finding.rule_id)
            if group != "local":
                level = (finding.standard_level or finding.level)._value_
                counts = by_level.get(level) or by_level.setdefault(level, _empty())
                counts[status] += 1
            split = by_section if group == "requirements" else local_by_section if group == "local" else None
            if split is not None:
                section = finding.section
                counts = split.get(section) or split.setdefault(section, _empty())
                counts[status] += 1
        return cls(
            overall=groups["requirements"],
            local=groups["local"],
            suggestions=groups["suggestions"],
            by_section=by_section,
            local_by_section=local_by_section,
            by_level=by_level,
            rules={"natssips": len(rule_ids["natssips"]), "local": len(rule_ids["local"]), "excluded": excluded},
        )


@attrs.frozen(kw_only=True)
class Report:
    """The result of one evaluation of one organisation."""

    organisation: SubjectRef
    as_of: datetime.date
    findings: tuple[Finding, ...] = attrs.field(converter=as_tuple)
    summary: Summary
    engine: str
    library_version: str
    ruleset_digest: str
    #: Where the rules came from (the built-in set, rules files, packages, code).
    sources: tuple[RuleSource, ...] = attrs.field(default=(), converter=as_tuple)
    #: Every change a Trust made to the built-in rules, with rationale and approval.
    tailoring: tuple[TailoringRecord, ...] = attrs.field(default=(), converter=as_tuple)
    #: Every waiver given, and what it did.
    waivers: tuple[WaiverOutcome, ...] = attrs.field(default=(), converter=as_tuple)
    #: The organisation's actions that match no finding (a rule or subject id that names nothing judged here).
    unmatched_actions: tuple[UnmatchedAction, ...] = attrs.field(default=(), converter=as_tuple)
    #: The organisation's nation and kind, from its facts (null in reports written before they were recorded):
    #: the report's own sentences name the organisation by its kind ("the Health Board"; "the organisation" when
    #: the kind is not recorded), and an overview across organisations groups by both.
    nation: Nation | None = None
    organisation_kind: OrganisationKind | None = None

    @property
    def noun(self) -> str:
        """What the report's own sentences call the organisation: "Trust", "Health Board" or "organisation"."""
        return organisation_noun(self.organisation_kind)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain, JSON-ready data."""
        data: dict[str, Any] = _CONVERTER.unstructure(self)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str | None = None) -> "Report":
        """Rebuild a report from :meth:`to_dict` output, checked like facts.

        A damaged report raises :class:`~natssips_rules.ReportError` listing
        every problem with its path (a wrong type, an unknown status, a
        missing key, counts that do not match the findings).
        """
        if not isinstance(data, dict):
            raise ReportError([FactsProblem("", f"a report is a JSON object, not {describe(data)}")], source=source)
        try:
            report: Report = _CONVERTER.structure(data, cls)
        except (ClassValidationError, IterableValidationError, TypeError, ValueError) as exc:
            raise ReportError([FactsProblem(path, message) for path, message in problems_of(exc)], source=source) from None
        except RecursionError:
            raise ReportError([FactsProblem("", "the report is nested too deeply")], source=source) from None
        problems = _finding_problems(report.findings)
        if problems:
            raise ReportError(problems, source=source)
        if report.summary != Summary.of(report.findings, excluded=excluded_rules(report.tailoring)):
            raise ReportError([FactsProblem("summary", "the counts do not match the findings")], source=source)
        return report

    def to_json(self, *, indent: int | None = None) -> str:
        """The report as JSON text: compact by default; ``indent=2`` for people to read.

        The compact text is written from the report's classes (:mod:`.writer`), byte for byte the text of
        ``json.dumps(report.to_dict(), ensure_ascii=False)``; a report holding a value not of its declared type
        (built by hand) is written that general way, which writes it or says what is wrong.
        """
        if indent is None and type(self) is Report:  # a subclass's own fields are the converter's to write
            try:
                return _compact_writer()(self)
            except Exception:  # noqa: BLE001 - the general way below is the definition: it writes or explains
                pass
        # plain data made here holds no cycle: the encoder need not look for one
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, check_circular=False)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str | None = None) -> "Report":
        """Rebuild a report from :meth:`to_json` output (see :meth:`from_dict`)."""
        if not isinstance(text, (str, bytes)):
            raise ArgumentError(f"expected JSON text (str or bytes), not {type(text).__name__}", argument="text")
        try:
            data = parse_json_text(text)
        except JSONTextError as exc:
            raise ReportError([FactsProblem("", str(exc))], source=source) from None
        return cls.from_dict(data, source=source)

    def findings_for(self, rule_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule_id == rule_id)


def excluded_rules(tailoring: tuple[TailoringRecord, ...]) -> int:
    """How many rules a tailoring excluded (not evaluated)."""
    return len({t.rule_id for t in tailoring if t.action == "exclude"})


#: The kinds of subject a finding can be about.
_SUBJECT_KINDS = frozenset(kind.value for kind in SubjectKind)


def _finding_problems(findings: tuple[Finding, ...]) -> list[FactsProblem]:
    """What no evaluation writes, in a report read back (edited by hand, or damaged): a rule judged twice for
    one subject, a subject of no known kind, a waived finding without its waiver or the status it waives."""
    problems: list[FactsProblem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, finding in enumerate(findings):
        where = f"findings[{index}]"
        key = (finding.rule_id, finding.subject.kind, finding.subject.id)
        if key in seen:
            problems.append(
                FactsProblem(
                    where,
                    f"a second finding for rule {finding.rule_id!r} and subject {finding.subject.id!r} "
                    f"(the first is findings[{seen[key]}])",
                )
            )
        seen.setdefault(key, index)
        if finding.subject.kind not in _SUBJECT_KINDS:
            problems.append(
                FactsProblem(
                    f"{where}.subject.kind",
                    f"{describe(finding.subject.kind)} is not a kind of subject; "
                    f"expected one of: {', '.join(sorted(_SUBJECT_KINDS))}",
                )
            )
        waived = finding.status is Status.WAIVED
        if waived and (finding.waiver is None or finding.waiver_state != "active"):
            problems.append(FactsProblem(where, "a waived finding names its waiver, with waiver_state 'active'"))
        if waived and finding.underlying_status not in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
            problems.append(
                FactsProblem(
                    f"{where}.underlying_status", "a waived finding says what the rule gave: not_met or insufficient_evidence"
                )
            )
        if not waived and finding.underlying_status is not None:
            problems.append(FactsProblem(f"{where}.underlying_status", "only a waived finding has an underlying status"))
        if not waived and finding.waiver_state == "active":
            problems.append(FactsProblem(f"{where}.waiver_state", "an active waiver makes the finding waived"))
    return problems


def _evidence_value(value: Any, _: Any) -> Any:
    """A value seen in the facts, as a report holds it: null, yes/no, a number, text, or a list of those."""
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        return value
    if isinstance(value, list) and all(v is None or isinstance(v, (bool, int, float, str)) for v in value):
        return value
    raise TypeError(f"expected null, true/false, a number, text or a list of them, got {describe(value)}")


_PLAIN = (type(None), str, int, float, bool)


def _plain_union(tp: Any) -> bool:
    """A union of JSON values (``str | None``, ``EvidenceValue``, a ``Literal`` or None): written as it is."""
    if typing.get_origin(tp) not in (Union, types.UnionType):
        return False
    return all(
        arg in _PLAIN or typing.get_origin(arg) is Literal or (typing.get_origin(arg) is list and typing.get_args(arg) == (Any,))
        for arg in typing.get_args(tp)
    )


def _tuple_of_classes(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis and attrs.has(args[0])


def _make_converter() -> cattrs.Converter:
    conv = strict_converter()
    conv.register_unstructure_hook(Footnote, lambda f: {"marker": f.marker, "text": f.text})
    # writing a report: a union of JSON values is written as it is, and a tuple of findings (evidence, reasons)
    # as a list made in one comprehension, rather than through cattrs' general union and iterable hooks
    conv.register_unstructure_hook_func(_plain_union, identity)  # cattrs writes a field so hooked as it is, inline

    def tuple_of(tp: Any) -> Any:
        item = conv.get_unstructure_hook(typing.get_args(tp)[0])
        return lambda items: [item(x) for x in items]

    conv.register_unstructure_hook_factory(_tuple_of_classes, tuple_of)
    conv.register_structure_hook(EvidenceValue, _evidence_value)

    def literal(value: Any, tp: Any) -> Any:
        if not isinstance(value, str) or value not in tp.__args__:
            raise ValueError(f"{describe(value)} is not allowed; expected one of: {', '.join(tp.__args__)}")
        return value

    conv.register_structure_hook_func(lambda t: getattr(t, "__origin__", None) is Literal, literal)
    return conv


_CONVERTER = _make_converter()


@functools.cache
def _compact_writer() -> Callable[[Report], str]:
    """The report's compact JSON writer, generated on first use (not at import)."""
    return report_writer(_CONVERTER, Report)
