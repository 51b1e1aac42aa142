"""Plain-text rendering of a report, for a NatSSIPs lead reading it in a terminal or an email."""

import textwrap

from natssips_rules.report import Finding, Report, Status
from natssips_rules.rules import Level

__all__ = ["render_text"]

_MARK = {
    Status.MET: "MET",
    Status.NOT_MET: "NOT MET",
    Status.INSUFFICIENT_EVIDENCE: "UNKNOWN",
    Status.NOT_APPLICABLE: "N/A",
    Status.WAIVED: "WAIVED",
}

#: A "may" is a suggestion: its findings say whether it is in place, never "met" or "not met".
_MAY_MARK = {
    Status.MET: "IN PLACE",
    Status.NOT_MET: "NOT IN PLACE",
    Status.INSUFFICIENT_EVIDENCE: "UNKNOWN",
    Status.NOT_APPLICABLE: "N/A",
    Status.WAIVED: "WAIVED",
}

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {Status(s).label}" for s, n in counts.items() if n)


def _value(value: object) -> str:
    if value is None:
        return "not supplied"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _finding(finding: Finding) -> list[str]:
    subject = finding.subject
    about = "" if subject.kind == "organisation" else f" [{subject.kind.replace('_', ' ')}: {subject.name}]"
    optional = finding.level is Level.MAY
    mark = (_MAY_MARK if optional else _MARK)[finding.status]
    lines = [f"  {mark:<12} ({finding.level.words}) {finding.title}{about}"]
    lines.append(_wrap(finding.message, " " * 17))
    if finding.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
        shown = ", ".join(f"{item.path} = {_value(item.value)}" for item in finding.evidence)
        if shown:
            lines.append(_wrap(f"Evidence read: {shown}", " " * 17))
        if finding.remediation:
            label = "Suggestion" if optional else "To do"
            lines.append(_wrap(f"{label}: {finding.remediation}", " " * 17))
    return lines


def render_text(report: Report) -> str:
    """The report as readable text: headline counts, then findings by section and clause."""
    out = [
        f"NatSSIPs 2 organisational standards: {report.organisation.name}",
        f"As of {report.as_of.isoformat()} | engine {report.engine} | natssips-rules {report.library_version}"
        f" | rules {report.ruleset_digest[:12]}",
        "",
        f"Summary: {_counts(report.summary.overall)}",
    ]
    suggestions = report.summary.suggestions
    if any(suggestions.values()):
        taken = {
            "in place": suggestions.get(Status.MET.value, 0),
            "not in place": suggestions.get(Status.NOT_MET.value, 0),
            "unknown": suggestions.get(Status.INSUFFICIENT_EVIDENCE.value, 0),
            "not applicable": suggestions.get(Status.NOT_APPLICABLE.value, 0),
            "waived": suggestions.get(Status.WAIVED.value, 0),
        }
        shown = ", ".join(f"{n} {label}" for label, n in taken.items() if n)
        out.append(f"Suggestions of the standard ('may', not counted above): {shown}")
    section = None
    clause = None
    for finding in report.findings:
        if finding.citation.section != section:
            section = finding.citation.section
            counts = report.summary.by_section.get(section, {})
            out += ["", section, "=" * min(len(section), _WIDTH), f"({_counts(counts)})"]
        if finding.rule_id != clause:
            clause = finding.rule_id
            out += ["", _wrap(f'"{finding.citation.quote}"', "  ")]
        out += _finding(finding)
    out.append("")
    return "\n".join(out)
