"""Plain-text rendering of a report, for a NatSSIPs lead reading it in a terminal or an email."""

import textwrap

from natssips_rules.report import Finding, Report, Status

__all__ = ["render_text"]

_MARK = {
    Status.MET: "MET",
    Status.NOT_MET: "NOT MET",
    Status.INSUFFICIENT_EVIDENCE: "UNKNOWN",
    Status.NOT_APPLICABLE: "N/A",
    Status.WAIVED: "WAIVED",
}

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {Status(s).label}" for s, n in counts.items() if n)


def _finding(finding: Finding) -> list[str]:
    subject = finding.subject
    about = "" if subject.kind == "organisation" else f" [{subject.kind.replace('_', ' ')}: {subject.name}]"
    lines = [f"  {_MARK[finding.status]:<8} ({finding.level.words}) {finding.title}{about}"]
    lines.append(_wrap(finding.message, " " * 13))
    if finding.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
        shown = ", ".join(f"{item.path} = {'not supplied' if item.value is None else item.value}" for item in finding.evidence)
        if shown:
            lines.append(_wrap(f"Evidence read: {shown}", " " * 13))
        if finding.remediation:
            lines.append(_wrap(f"To do: {finding.remediation}", " " * 13))
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
