"""Plain-text rendering of a report, for a NatSSIPs lead reading it in a terminal or an email."""

import textwrap

from natssips_rules.report.model import Finding, Report, Status
from natssips_rules.report.wording import counts_text, level_text, status_text, suggestions_text, value_text
from natssips_rules.rules.model import Level

__all__ = ["render_text"]

_WIDTH = 100


def _wrap(text: str, indent: str, hanging: str | None = None) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent if hanging is None else hanging)


def _finding(finding: Finding) -> list[str]:
    subject = finding.subject
    about = "" if subject.kind == "organisation" else f" [{subject.kind.replace('_', ' ')}: {subject.name}]"
    optional = finding.level is Level.MAY
    mark = status_text(finding.status, finding.level).upper()
    level = level_text(finding.level, finding.standard_level)
    local = "[local] " if finding.origin != "natssips" else ""
    lines = [f"  {mark} ({level}) {local}{finding.title}{about}"]
    lines.append(_wrap(finding.message, " " * 17))
    if finding.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED):
        shown = "; ".join(f"{item.path} = {value_text(item.value)}" for item in finding.evidence)
        if shown:
            lines.append(_wrap(f"Evidence read: {shown}", " " * 17))
        if finding.remediation:
            label = "Suggestion" if optional else "To do"
            lines.append(_wrap(f"{label}: {finding.remediation}", " " * 17))
    for action in finding.actions:
        due = f", due {action.due.isoformat()}" if action.due else ""
        state = f" [{action.state.replace('_', ' ')}]" if action.state else ""
        owner = f" Owner: {action.owner}." if action.owner else ""
        overdue = " OVERDUE." if action.overdue else ""
        lines.append(_wrap(f"Action {action.id}{state}{due}: {action.description}{owner}{overdue}", " " * 17))
    return lines


def _provenance(report: Report) -> list[str]:
    """Where the rules came from, what the Trust changed, and the waivers: what a Board must see."""
    out: list[str] = []
    local = [s for s in report.sources if s.kind != "builtin"]
    if local:
        out += ["", "Rules evaluated:"]
        for source in report.sources:
            version = f" {source.version}" if source.version else ""
            what = {"builtin": "built-in (NatSSIPs 2)", "file": "local, from", "entry_point": "local, from package",
                    "python": "local, from code"}.get(source.kind, source.kind)
            name = "" if source.kind == "python" else f" {source.name}{version}"
            out.append(f"  - {len(source.rule_ids)} {what}{name}")
    if report.tailoring:
        out += ["", "Changes from the national standard (tailoring):"]
        for record in report.tailoring:
            if record.action == "set_parameter":
                change = f"parameter {record.parameter} changed from {value_text(record.previous)} to {value_text(record.value)}"
            elif record.action == "set_level":
                change = f"reported at '{Level(record.value).words}'; the standard says '{Level(record.previous).words}'"
            else:
                change = "excluded: not evaluated"
            text = f"- {record.rule_id}: {change}. Rationale: {record.rationale} Approved by: {record.approved_by}."
            out.append(_wrap(text, "  ", "    "))
    if report.waivers:
        out += ["", "Waivers:"]
        for outcome in report.waivers:
            waiver = outcome.waiver
            who = waiver.subject or "every subject"
            state = {
                "applied": f"applied to {', '.join(outcome.subjects)}",
                "expired": f"EXPIRED on {waiver.expires.isoformat()}: no effect on {', '.join(outcome.subjects)}",
                "unused": "not used: nothing it covers is unmet",
                "no_such_subject": f"NAMES NO SUBJECT of this rule in these facts ({waiver.subject!r}): check the id",
            }[outcome.state]
            text = (
                f"- {waiver.rule_id} for {who}, until {waiver.expires.isoformat()}: {state}. "
                f"Justification: {waiver.justification} Approved by: {waiver.approved_by}."
            )
            out.append(_wrap(text, "  ", "    "))
    return out


def render_text(report: Report) -> str:
    """The report as readable text: headline counts, then findings by section and clause."""
    out = [
        f"NatSSIPs 2 organisational standards: {report.organisation.name}",
        f"As of {report.as_of.isoformat()} | engine {report.engine} | natssips-rules {report.library_version}"
        f" | rules {report.ruleset_digest[:12]}",
        "",
        f"Summary: {counts_text(report.summary.overall)}",
    ]
    suggestions = suggestions_text(report.summary.suggestions)
    if suggestions:
        out.append(suggestions)
    out += _provenance(report)
    section = None
    clause = None
    for finding in report.findings:
        if finding.section != section:
            section = finding.section
            counts = report.summary.by_section.get(section, {})
            out += ["", section, "=" * min(len(section), _WIDTH), f"({counts_text(counts)})"]
        if finding.rule_id != clause:
            clause = finding.rule_id
            cited = "" if finding.origin == "natssips" else f" ({finding.citation.document}, {finding.citation.clause})"
            out += ["", _wrap(f'"{finding.citation.quote}"{cited}', "  ")]
        out += _finding(finding)
    out.append("")
    return "\n".join(out)
