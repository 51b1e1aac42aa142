"""What changed between two reports of the same organisation.

:func:`diff_reports` compares two reports finding by finding (rule and
subject): new, resolved, improved, regressed, unchanged, or no longer judged.
It warns when the rule sets differ: a change of rules is not a change of the
Trust.
"""

import datetime
import json
from typing import Any

import attrs

from natssips_rules._internal import arguments as _args
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.model import OrganisationKind
from natssips_rules.facts.nouns import organisation_noun
from natssips_rules.report.attention import group_words
from natssips_rules.report.document import md_escape
from natssips_rules.report.model import GROUPS, Report, group_of
from natssips_rules.report.wording import plain_text, status_text
from natssips_rules.rules.findings import Finding, Status, SubjectRef
from natssips_rules.rules.model import Level

__all__ = ["Change", "ReportDiff", "diff_reports", "render_diff"]

#: How good a status is, for telling an improvement from a regression.
_RANK = {
    Status.NOT_MET: 0,
    Status.INSUFFICIENT_EVIDENCE: 1,
    Status.WAIVED: 2,
    Status.MET: 3,
    Status.NOT_APPLICABLE: 3,
}
#: The kinds of change. ``evidence_lost``: a finding that had been judged
#: (met, not met, ...) now lacks the evidence to judge it; neither an
#: improvement nor a regression, and a Board should see it apart.
#: ``no_longer_applies`` / ``now_applies``: met before and not applicable now, or the reverse (the same rank,
#: but a change a Board should see: a subject left or entered the clause's scope).
#: ``unchanged``: the same status at both dates, and applies (the report's basis: checks that apply);
#: ``not_applicable``: not applicable at both dates (the report does not count those as checks either).
KINDS = (
    "new",
    "resolved",
    "improved",
    "regressed",
    "evidence_lost",
    "no_longer_applies",
    "now_applies",
    "unchanged",
    "not_applicable",
    "removed",
)


@attrs.frozen(kw_only=True)
class Change:
    """One (rule, subject) compared between two reports; ``before``/``after`` None where it was not judged."""

    rule_id: str
    title: str
    subject: SubjectRef
    kind: str
    before: Status | None
    after: Status | None
    level: Level
    origin: str = "natssips"
    #: The group of the report's summary it is counted in: ``requirements``, ``local`` or ``suggestions``.
    group: str = "requirements"


@attrs.frozen(kw_only=True)
class ReportDiff:
    """The comparison of two reports of one organisation."""

    organisation: SubjectRef
    before_as_of: datetime.date
    after_as_of: datetime.date
    same_rules: bool
    warnings: tuple[str, ...]
    changes: tuple[Change, ...]
    #: The organisation's kind (as in :attr:`Report.organisation_kind`): the diff's own words name it by it.
    organisation_kind: OrganisationKind | None = None

    @property
    def noun(self) -> str:
        """What the diff's own sentences call the organisation: "Trust", "Health Board" or "organisation"."""
        return organisation_noun(self.organisation_kind)

    def counts(self, group: str | None = None) -> dict[str, int]:
        """How many changes of each kind; of one group of the summary (``requirements``, ``local``, ``suggestions``) if given."""
        changes = [c for c in self.changes if group is None or c.group == group]
        return {kind: sum(1 for c in changes if c.kind == kind) for kind in KINDS}

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, (Status, Level, OrganisationKind)):
                return value.value
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value

        data: dict[str, Any] = attrs.asdict(self, value_serializer=lambda _i, _a, v: plain(v))
        data["counts"] = self.counts()
        data["counts_by_group"] = {group: self.counts(group) for group in GROUPS}
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def _kind(before: Status | None, after: Status | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "removed"
    if before == after:
        return "not_applicable" if after is Status.NOT_APPLICABLE else "unchanged"
    if after is Status.INSUFFICIENT_EVIDENCE:
        return "evidence_lost"
    if before is Status.MET and after is Status.NOT_APPLICABLE:
        return "no_longer_applies"
    if before is Status.NOT_APPLICABLE and after is Status.MET:
        return "now_applies"
    if after in (Status.MET, Status.NOT_APPLICABLE) and before in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED):
        return "resolved"
    return "improved" if _RANK[after] > _RANK[before] else ("regressed" if _RANK[after] < _RANK[before] else "unchanged")


def diff_reports(before: Report, after: Report) -> ReportDiff:
    """Compare two reports of the same organisation (``before`` the earlier)."""
    if not isinstance(before, Report) or not isinstance(after, Report):
        raise ArgumentError("diff_reports compares two Report objects", argument="before, after")
    if before.organisation.id != after.organisation.id:
        raise ArgumentError(
            f"the reports are of different organisations ({before.organisation.id!r} and {after.organisation.id!r})",
            argument="after",
        )
    warnings = []
    same_rules = before.ruleset_digest == after.ruleset_digest
    if not same_rules:
        warnings.append(
            f"The rule sets differ (digest {before.ruleset_digest[:12]} and {after.ruleset_digest[:12]}): some changes may "
            f"come from a change of rules, parameters or library version, not from a change in the {after.noun}."
        )
    if after.as_of < before.as_of:
        warnings.append("The second report is dated before the first.")
    old = {(f.rule_id, f.subject.kind, f.subject.id): f for f in before.findings}
    new = {(f.rule_id, f.subject.kind, f.subject.id): f for f in after.findings}
    keys = list(new) + [k for k in old if k not in new]
    changes = []
    for key in keys:
        a: Finding | None = old.get(key)
        b: Finding | None = new.get(key)
        shown = b or a
        assert shown is not None
        changes.append(
            Change(
                rule_id=shown.rule_id,
                title=shown.title,
                subject=shown.subject,
                kind=_kind(a.status if a else None, b.status if b else None),
                before=a.status if a else None,
                after=b.status if b else None,
                level=shown.level,
                origin=shown.origin,
                group=group_of(shown),
            )
        )
    return ReportDiff(
        organisation=after.organisation,
        before_as_of=before.as_of,
        after_as_of=after.as_of,
        same_rules=same_rules,
        warnings=tuple(warnings),
        changes=tuple(changes),
        organisation_kind=after.organisation_kind,
    )


def _label(status: Status | None) -> str:
    return "—" if status is None else status_text(status)


_HEADINGS = {
    "regressed": "Fallen back",
    "evidence_lost": "Evidence lost (was judged, now lacks the evidence to judge)",
    "resolved": "Resolved",
    "improved": "Improved",
    "new": "Newly judged",
    "no_longer_applies": "No longer applies (was met)",
    "now_applies": "Now applies (and is met)",
    "removed": "No longer judged",
}


#: Kinds whose name alone would be misread in the summary line.
_KIND_WORDS = {"unchanged": "unchanged (and apply)", "not_applicable": "not applicable at both dates"}


def _subject_words(change: Change) -> str:
    return "the organisation" if change.subject.kind == "organisation" else change.subject.name


def render_diff(diff: ReportDiff, fmt: str = "text") -> str:
    """The diff as ``text``, ``markdown`` or ``json``; what fell back comes first."""
    _args.instance(diff, ReportDiff, "diff")
    _args.choice(fmt, ("text", "markdown", "json"), "fmt")
    if fmt == "json":
        return diff.to_json() + "\n"
    parts = []
    for name in GROUPS:
        counts = diff.counts(name)
        if any(counts.values()):
            kinds = ", ".join(f"{counts[k]} {_KIND_WORDS.get(k, k.replace('_', ' '))}" for k in KINDS if counts[k])
            parts.append(f"{group_words(name, diff.noun)}: {kinds}")
    head = f"{diff.organisation.name}: {diff.before_as_of.isoformat()} to {diff.after_as_of.isoformat()}: " + (
        "; ".join(parts) or "nothing judged"
    )
    moved = [c for c in diff.changes if c.kind not in ("unchanged", "not_applicable")]
    if fmt == "markdown":
        out = [f"# Changes: {md_escape(diff.organisation.name)}", "", md_escape(head), ""]
        out += [f"> **Warning:** {md_escape(w)}" for w in diff.warnings]
        out += ["", "| change | requirement | subject | before | after |", "|---|---|---|---|---|"]
        out += [
            f"| {c.kind.replace('_', ' ')} | {md_escape(c.title)} (`{c.rule_id}`) | {md_escape(_subject_words(c))} | "
            f"{_label(c.before)} | {_label(c.after)} |"
            for c in moved
        ]
        return "\n".join(out) + "\n"
    out = [plain_text(head), *(f"WARNING: {plain_text(w)}" for w in diff.warnings), ""]
    for kind, heading in _HEADINGS.items():
        changed = [c for c in moved if c.kind == kind]
        if changed:
            out.append(f"{heading} ({len(changed)}):")
            for c in changed:
                local = f" [{diff.noun[:1].upper()}{diff.noun[1:]} rule]" if c.origin != "natssips" else ""
                out.append(
                    f"  {plain_text(c.title)}{local} — {plain_text(_subject_words(c))}: {_label(c.before)} -> {_label(c.after)}"
                )
            out.append("")
    return "\n".join(out) + "\n"
