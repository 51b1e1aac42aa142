"""Who owns each gap, and the documents that evidence each finding: what the Board paper needs from the facts.

A gap is a requirement not met. Its owner is the owner of the organisation's
action for it when there is one; otherwise the person the facts name in the
role accountable for that clause, marked "no action yet":

- a clause about the Board (a fact of ``board`` was read): the Board member
  holding NatSSIPs in their portfolio;
- a site: the site's NatSSIPs lead; a specialty: the specialty's NatSSIPs lead;
- anything else: the organisation's NatSSIPs lead (the standard makes the lead
  "responsible for strategic direction and oversight of the implementation").

Where the facts do not name that person (or the report is read back without
its facts), the role is named instead ("the site's NatSSIPs lead (not named
in the facts)"), falling back to the organisation's NatSSIPs lead: a gap is
never without an owner. Which role is accountable for which clause is this
library's reading, not the standard's words; the Board paper says so.

The documents are the :class:`~natssips_rules.facts.model.EvidenceRef` the
facts record (terms of reference, job plans, minutes ...): each evidences the
findings that read a fact of the object it is attached to.
"""

import datetime
import hashlib
import json
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from natssips_rules.facts.model import EvidenceRef, Organisation
from natssips_rules.report.attention import action_state, is_requirement
from natssips_rules.report.model import Report
from natssips_rules.rules.findings import Finding, PlannedAction, Status
from natssips_rules.rules.model import Level

__all__ = ["Document", "Gap", "documents", "documents_for", "facts_digest", "gaps", "owner_of"]


@attrs.frozen
class Document:
    """A supporting document recorded in the facts, the part of the facts it evidences (``board``, ``sites[x]``),
    and its label in the paper (``D1``, in the facts' order)."""

    about: str
    ref: EvidenceRef
    label: str = ""

    def words(self) -> str:
        """'D2 Title (2025-06-18)': the label, title and date (the list of documents gives where each is)."""
        date = f" ({self.ref.date.isoformat()})" if self.ref.date else ""
        return f"{self.label} {self.ref.title}{date}".strip()


@attrs.frozen(kw_only=True)
class Gap:
    """A requirement not met, with its owner and the state of its action."""

    finding: Finding
    owner: str
    #: ``action``: the owner of the organisation's action; ``role``: the accountable role, no action yet.
    owner_from: Literal["action", "role"]
    action: PlannedAction | None
    #: Days past the action's due date at the report's date (0 when in date or not dated).
    days_overdue: int

    @property
    def board_level(self) -> bool:
        """A gap of the Board's own (a fact about the Board was read)."""
        return _about_board(self.finding)


def _reads(finding: Finding, prefix: str) -> bool:
    return any(e.path == prefix or e.path.startswith((prefix + ".", prefix + "[")) for e in finding.evidence) or any(
        r.path is not None and (r.path == prefix or r.path.startswith((prefix + ".", prefix + "["))) for r in finding.reasons
    )


def _about_board(finding: Finding) -> bool:
    """A clause about the Board itself: it read a fact of the Board, or whether someone sits on the Board."""
    return _reads(finding, "board") or any(e.path.endswith(".board_member") for e in finding.evidence)


def _person(facts: Organisation | None, person_id: Any) -> str | None:
    if facts is None or not isinstance(person_id, str) or not facts.people:
        return None
    return next((p.name for p in facts.people if p.id == person_id), None)


def _lead(facts: Organisation | None) -> str:
    if facts is not None and facts.natssips_leads:
        names = [_person(facts, lead.person) or lead.person for lead in facts.natssips_leads]
        return f"{' and '.join(names)}, NatSSIPs lead{'s' if len(names) > 1 else ''}"
    return "The NatSSIPs lead (not named in the facts)"


def _role(finding: Finding, facts: Organisation | None) -> str:
    """The person (or, where the facts name nobody, the role) accountable for ``finding``'s clause."""
    subject = finding.subject
    if _about_board(finding):
        board = facts.board if facts is not None else None
        holder = board.natssips_portfolio_holder if board else None
        name = _person(facts, holder)
        if name:
            return f"{name}, Board portfolio holder for NatSSIPs"
        return "The Board (no member named as holding NatSSIPs)"
    if subject.kind == "site":
        site = next((s for s in (facts.sites or ()) if s.id == subject.id), None) if facts is not None else None
        lead = site.natssips_lead if site is not None and site.natssips_lead else None
        name = _person(facts, lead.person) if lead else None
        if name:
            return f"{name}, site NatSSIPs lead"
        return f"{_lead(facts)} (no site lead named)"
    if subject.kind == "specialty":
        specialty = next((s for s in (facts.specialties or ()) if s.id == subject.id), None) if facts is not None else None
        name = _person(facts, specialty.natssips_lead) if specialty is not None else None
        if name:
            return f"{name}, specialty NatSSIPs lead"
        return f"{_lead(facts)} (no specialty lead named)"
    return _lead(facts)


def owner_of(finding: Finding, facts: Organisation | None = None) -> tuple[str, Literal["action", "role"], PlannedAction | None]:
    """Who owns ``finding``: (owner, ``action`` or ``role``, the deciding action if any)."""
    action = action_state(finding).action if finding.actions else None
    if action is not None and action.state == "complete":
        action = None  # a complete action no longer carries the gap
    if action is not None and action.owner:
        return action.owner, "action", action
    return _role(finding, facts), "role", action


def _days_overdue(action: PlannedAction | None, as_of: datetime.date) -> int:
    if action is None or not action.overdue or action.due is None:
        return 0
    return max(0, (as_of - action.due).days)


def gaps(report: Report, facts: Organisation | None = None) -> list[Gap]:
    """Every requirement not met, each with an owner: the Board's own first, then the most overdue, then by level."""
    found = []
    order: dict[int, int] = {}
    for index, finding in enumerate(report.findings):
        order[id(finding)] = index
        if finding.status is not Status.NOT_MET or not is_requirement(finding):
            continue
        owner, owner_from, action = owner_of(finding, facts)
        found.append(
            Gap(
                finding=finding,
                owner=owner,
                owner_from=owner_from,
                action=action,
                days_overdue=_days_overdue(action, report.as_of),
            )
        )
    levels = [level.value for level in Level]

    def key(gap: Gap) -> tuple[int, int, int, int, int]:
        rank = levels.index((gap.finding.standard_level or gap.finding.level).value)
        return (not gap.board_level, gap.finding.origin != "natssips", -gap.days_overdue, rank, order[id(gap.finding)])

    return sorted(found, key=key)


def _walk(value: Any, path: str, out: list[Document]) -> None:
    if isinstance(value, EvidenceRef):
        out.append(Document(path.rsplit(".", 1)[0] if "." in path else "", value))
        return
    if isinstance(value, tuple):
        for item in value:
            key = getattr(item, "id", None) or getattr(item, "person", None)
            if attrs.has(type(item)) and isinstance(key, str):
                _walk(item, f"{path}[{key}]", out)
        return
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            inner = getattr(value, field.name)
            if inner is not None and inner is not False:
                _walk(inner, f"{path}.{field.name}" if path else field.name, out)


def documents(facts: Organisation) -> list[Document]:
    """Every supporting document the facts record, in the facts' order."""
    out: list[Document] = []
    _walk(facts, "", out)
    return [attrs.evolve(d, label=f"D{i}") for i, d in enumerate(out, 1)]


def documents_for(finding: Finding, docs: Sequence[Document]) -> list[Document]:
    """The documents evidencing ``finding``: those attached to an object whose facts it read."""
    return [d for d in docs if d.about and (_reads(finding, d.about) or (d.about == "board" and _about_board(finding)))]


def facts_digest(facts: Organisation) -> str:
    """The SHA-256 of the facts as canonical JSON: the same facts always give the same digest."""
    from natssips_rules.facts.load import dump_facts

    text = json.dumps(dump_facts(facts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
