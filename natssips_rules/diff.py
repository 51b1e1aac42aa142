"""What changed between two reports of the same organisation, and the annual public account.

:func:`diff_reports` compares two reports finding by finding (rule and
subject): new, resolved, improved, regressed, unchanged, or no longer judged.
It warns when the rule sets differ: a change of rules is not a change of the
Trust. :func:`annual_account` drafts, from a series of reports over a year,
the "annual, publicly available account of progress and measurable outcomes"
the standard asks the NatSSIPs lead for: a draft for a person to edit.
"""

import datetime
import json
from collections.abc import Sequence
from typing import Any

import attrs

from natssips_rules.report import Finding, Report, Status, SubjectRef
from natssips_rules.rules import Level

__all__ = ["Change", "ReportDiff", "annual_account", "diff_reports"]

#: How good a status is, for telling an improvement from a regression.
_RANK = {
    Status.NOT_MET: 0,
    Status.INSUFFICIENT_EVIDENCE: 1,
    Status.WAIVED: 2,
    Status.MET: 3,
    Status.NOT_APPLICABLE: 3,
}
KINDS = ("new", "resolved", "improved", "regressed", "unchanged", "removed")


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


@attrs.frozen(kw_only=True)
class ReportDiff:
    """The comparison of two reports of one organisation."""

    organisation: SubjectRef
    before_as_of: datetime.date
    after_as_of: datetime.date
    same_rules: bool
    warnings: tuple[str, ...]
    changes: tuple[Change, ...]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in KINDS}

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, (Status, Level)):
                return value.value
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value

        data: dict[str, Any] = attrs.asdict(self, value_serializer=lambda _i, _a, v: plain(v))
        data["counts"] = self.counts()
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def _kind(before: Status | None, after: Status | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "removed"
    if before == after:
        return "unchanged"
    if after in (Status.MET, Status.NOT_APPLICABLE) and before in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED):
        return "resolved"
    return "improved" if _RANK[after] > _RANK[before] else ("regressed" if _RANK[after] < _RANK[before] else "unchanged")


def diff_reports(before: Report, after: Report) -> ReportDiff:
    """Compare two reports of the same organisation (``before`` the earlier)."""
    warnings = []
    if before.organisation.id != after.organisation.id:
        warnings.append(f"The reports are of different organisations ({before.organisation.id!r} and {after.organisation.id!r}).")
    same_rules = before.ruleset_digest == after.ruleset_digest
    if not same_rules:
        warnings.append(
            f"The rule sets differ (digest {before.ruleset_digest[:12]} and {after.ruleset_digest[:12]}): some changes may "
            "come from a change of rules, parameters or library version, not from a change in the Trust."
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
            )
        )
    return ReportDiff(
        organisation=after.organisation,
        before_as_of=before.as_of,
        after_as_of=after.as_of,
        same_rules=same_rules,
        warnings=tuple(warnings),
        changes=tuple(changes),
    )


def _label(status: Status | None) -> str:
    return "—" if status is None else status.label


def render_diff(diff: ReportDiff, fmt: str = "text") -> str:
    """The diff as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return diff.to_json() + "\n"
    counts = diff.counts()
    head = f"{diff.organisation.name}: {diff.before_as_of.isoformat()} to {diff.after_as_of.isoformat()}: " + ", ".join(
        f"{counts[k]} {k}" for k in KINDS if counts[k]
    )
    moved = [c for c in diff.changes if c.kind != "unchanged"]
    if fmt == "markdown":
        out = [f"# Changes: {diff.organisation.name}", "", head, ""]
        out += [f"> **Warning:** {w}" for w in diff.warnings]
        out += ["", "| change | rule | subject | before | after |", "|---|---|---|---|---|"]
        out += [
            f"| {c.kind} | {c.title.replace('|', '/')} (`{c.rule_id}`) | {c.subject.name} | {_label(c.before)} | {_label(c.after)} |"
            for c in moved
        ]
        return "\n".join(out) + "\n"
    out = [head, *(f"WARNING: {w}" for w in diff.warnings), ""]
    for kind in ("regressed", "resolved", "improved", "new", "removed"):
        group = [c for c in moved if c.kind == kind]
        if group:
            out.append(f"{kind.upper()} ({len(group)}):")
            out += [f"  {c.rule_id} [{c.subject.name}]: {_label(c.before)} -> {_label(c.after)}" for c in group]
            out.append("")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# The annual public account


def _requirements(report: Report, section: str | None = None) -> tuple[int, int]:
    """(met, applicable) requirements (not 'may'; not 'not applicable'), optionally in one section."""
    met = applicable = 0
    for f in report.findings:
        if f.level is Level.MAY or f.status is Status.NOT_APPLICABLE:
            continue
        if section is not None and f.citation.section != section:
            continue
        applicable += 1
        met += f.status is Status.MET
    return met, applicable


def _percent(met: int, applicable: int) -> str:
    return "—" if not applicable else f"{100 * met / applicable:.0f}%"


def _trend_svg(points: list[tuple[str, float]]) -> str:
    """A small line chart of the share of requirements met, with its text alternative."""
    width, height, pad = 360, 120, 24
    n = len(points)
    xs = [pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [height - pad - (height - 2 * pad) * share for _, share in points]
    alt = "Share of requirements met: " + ", ".join(f"{label} {share:.0%}" for label, share in points)
    dots = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="#2e7d32"><title>{label}: {share:.0%}</title></circle>'
        f'<text x="{x:.0f}" y="{height - 6}" font-size="10" text-anchor="middle">{label}</text>'
        for x, y, (label, share) in zip(xs, ys, points, strict=True)
    )
    line = " ".join(f"{x:.0f},{y:.0f}" for x, y in zip(xs, ys, strict=True))
    return (
        f'<svg role="img" aria-label="{alt}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
        f'<polyline points="{line}" fill="none" stroke="#2e7d32" stroke-width="2"/>{dots}</svg>'
    )


def annual_account(reports: Sequence[Report]) -> str:
    """A Markdown draft of the annual public account of progress and measurable outcomes, from a series of reports."""
    if not reports:
        raise ValueError("the annual account needs at least one report")
    series = sorted(reports, key=lambda r: r.as_of)
    first, last = series[0], series[-1]
    if len({r.organisation.id for r in series}) > 1:
        raise ValueError("the reports are of more than one organisation")
    sections = list(dict.fromkeys(f.citation.section for r in series for f in r.findings if f.origin == "natssips"))
    met, applicable = _requirements(last)
    out = [
        f"# NatSSIPs: annual account of progress and measurable outcomes — {last.organisation.name}",
        "",
        "> **Draft for editing.** Generated by natssips-rules from the Trust's own evaluations against the "
        "organisational standards of NatSSIPs 2. It is a starting point for the NatSSIPs lead: check every "
        "statement, add context and the Trust's own measures, and remove this note before publication.",
        "",
        f"Period: {first.as_of.isoformat()} to {last.as_of.isoformat()} ({len(series)} evaluations).",
        "",
        "## Where we stand",
        "",
        f"At {last.as_of.isoformat()}, {met} of the {applicable} applicable requirements were met "
        f"({_percent(met, applicable)}), against {_percent(*_requirements(first))} at {first.as_of.isoformat()}.",
        "",
        "## Measurable outcomes",
        "",
        "Share of the applicable requirements met, by section:",
        "",
        "| date | " + " | ".join(sections) + " | all |",
        "|---|" + "---:|" * (len(sections) + 1),
    ]
    for report in series:
        cells = [_percent(*_requirements(report, s)) for s in sections]
        out.append(f"| {report.as_of.isoformat()} | " + " | ".join(cells) + f" | {_percent(*_requirements(report))} |")
    points = []
    for report in series:
        m, a = _requirements(report)
        points.append((report.as_of.strftime("%b %Y"), m / a if a else 0.0))
    out += ["", _trend_svg(points), ""]
    out += [
        "Counts at each date (requirements; 'may' suggestions apart):",
        "",
        "| date | met | not met | insufficient evidence | waived |",
        "|---|---:|---:|---:|---:|",
    ]
    for report in series:
        c = report.summary.overall
        out.append(f"| {report.as_of.isoformat()} | {c['met']} | {c['not_met']} | {c['insufficient_evidence']} | {c['waived']} |")
    diff = diff_reports(first, last)
    out += ["", "## What changed over the year", ""]
    out += [f"> **Note:** {w}" for w in diff.warnings]
    for kind, words in (
        ("resolved", "Now met"),
        ("improved", "Improved"),
        ("regressed", "Fallen back"),
        ("new", "Newly assessed"),
    ):
        group = [c for c in diff.changes if c.kind == kind and c.level is not Level.MAY]
        if group:
            out += [f"{words}:", ""]
            out += [f"- {c.title} — {c.subject.name} ({_label(c.before)} → {_label(c.after)})" for c in group]
            out.append("")
    remaining = [
        f for f in last.findings if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE) and f.level is not Level.MAY
    ]
    out += ["## Still to do", ""]
    if remaining:
        for f in remaining:
            plan = f" Action: {f.actions[0].description}" if f.actions else ""
            out.append(f"- {f.title} — {f.subject.name}: {f.status.label}.{plan}")
    else:
        out.append("Every applicable requirement is met.")
    out += [
        "",
        "## About these figures",
        "",
        f"Each figure counts the findings of natssips-rules {last.library_version} at each date: one per requirement "
        "and subject (the organisation, each site, specialty, NatSSIPs lead, the steering group and each staffing "
        "factor). Requirements that do not apply, and the standard's optional suggestions ('may'), are not counted. "
        f"Rule set of the latest evaluation: {last.ruleset_digest[:12]}.",
    ]
    return "\n".join(out) + "\n"
