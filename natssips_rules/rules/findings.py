"""The findings vocabulary: what an evaluation says of one rule for one subject.

:class:`Status` (Kleene's three values, plus not applicable and waived),
:class:`SubjectRef` (whom or what a finding is about), :class:`EvidenceItem`
(a fact read), :class:`Reason` (a part of a condition that decided, in words),
:class:`PlannedAction` and :class:`Finding`. The engines speak in statuses and
subject references; the evaluation builds findings; the report gathers them.
"""

import datetime
import enum
from typing import Any, Literal, Union

import attrs

from natssips_rules._internal.converters import as_tuple
from natssips_rules.rules.model import Citation, Level, Waiver

__all__ = ["EvidenceItem", "EvidenceValue", "Finding", "PlannedAction", "Reason", "Status", "SubjectRef"]

EvidenceValue = Union[None, bool, int, float, str, list[Any]]


class Status(enum.Enum):
    """The outcome of a rule for one subject (Kleene three-valued logic)."""

    MET = "met"
    NOT_MET = "not_met"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@attrs.frozen
class SubjectRef:
    """Whom or what a finding is about: its kind, id and name."""

    kind: str
    id: str
    name: str


@attrs.frozen
class EvidenceItem:
    """A fact the rule read: where in the facts, and the value seen (null: not supplied).

    ``absent`` says the facts record that there is none (a site with no
    NatSSIPs lead): the value is then null, but it is known.
    """

    path: str
    value: EvidenceValue
    absent: bool = False


@attrs.frozen(kw_only=True)
class Reason:
    """One part of a rule's condition that decided a finding, in words, with the fact read.

    ``state`` is ``failed`` (this part is not met), ``unknown`` (a fact it
    needs is not known: ``question`` asks for it) or ``holds`` (a part that is
    true, where that decides: a specialty the Trust lists as not relevant).
    ``path`` locates the fact (``people[p2].substantive``) and ``value`` is
    what was read; ``action`` is what to do about this part.
    """

    text: str
    state: Literal["failed", "unknown", "holds"]
    path: str | None = None
    value: EvidenceValue = None
    question: str | None = None
    action: str | None = None


@attrs.frozen(kw_only=True)
class PlannedAction:
    """An action of the organisation's plan shown beside a finding; ``overdue`` is judged at the report's date."""

    id: str
    description: str
    owner: str | None = None
    lead_committee: str | None = None
    due: datetime.date | None = None
    state: Literal["planned", "in_progress", "complete"] | None = None
    overdue: bool = False


@attrs.frozen(kw_only=True)
class Finding:
    """The status of one rule for one subject."""

    rule_id: str
    title: str
    status: Status
    level: Level
    subject: SubjectRef
    citation: Citation
    message: str
    evidence: tuple[EvidenceItem, ...] = attrs.field(converter=as_tuple)
    remediation: str | None = None
    origin: Literal["natssips", "local"] = "natssips"
    #: The waiver covering this finding: ``waiver_state`` is ``active`` (the
    #: finding is ``waived``), ``expired`` or ``not_yet_approved`` (the report's
    #: date is before the waiver's approval date): those two had no effect.
    waiver: Waiver | None = None
    waiver_state: Literal["active", "expired", "not_yet_approved"] | None = None
    #: For a waived finding, the status the rule gave.
    underlying_status: Status | None = None
    #: Where a Trust's tailoring changed the level, the standard's own level.
    standard_level: Level | None = None
    #: The organisation's actions addressing this rule and subject (they never change the status).
    actions: tuple[PlannedAction, ...] = attrs.field(default=(), converter=as_tuple)
    #: The parts of the rule's condition that decided the status, in words (none for a finding that is met).
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=as_tuple)
    #: Where a Trust's tailoring goes below the standard's own words (a listed item removed, a figure eased, a
    #: "should" reported as "may"): the status against the standard's own words, and how the tailoring departs.
    standard_status: Status | None = None
    departure: str | None = None

    @property
    def section(self) -> str:
        """The section a report groups this finding under: the standard's, or a local document's."""
        if self.origin == "natssips":
            return self.citation.section
        return f"{self.citation.document}: {self.citation.section}"
