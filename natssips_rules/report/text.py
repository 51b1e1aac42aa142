"""Plain-text rendering of a report, for a NatSSIPs lead reading it in a terminal or an email.

What needs attention comes first: the position in a sentence, then every
finding not met (requirements whose action is overdue or missing first), then
those that lack evidence, then the waived ones; what is met or does not apply
is counted, and listed only with ``all_findings=True`` (``--all``). The rules'
provenance, the Trust's tailoring and its waivers close the report.

Free text from the facts and rules files is shown on its own line: newlines,
control characters and bidirectional overrides in a name or a description are
written escaped (``\\n``, ``\\x1b``), so no input can forge a line that looks
like a finding or colour the terminal.
"""

import textwrap
from collections.abc import Iterable

from natssips_rules._internal import arguments as _args
from natssips_rules.report.attention import (
    UNMATCHED_HEADING,
    action_state,
    group_words,
    is_requirement,
    position_sentences,
    rules_line,
    source_rules,
    unmatched,
    unmet,
)
from natssips_rules.report.model import GROUPS, Report, group_of
from natssips_rules.report.wording import (
    counts_text,
    evidence_text,
    level_text,
    plain_text,
    status_text,
    suggestions_text,
    value_text,
)
from natssips_rules.rules.findings import Finding, Status
from natssips_rules.rules.model import Level

__all__ = ["render_text"]

_WIDTH = 100
_INDENT = " " * 4


def _wrap(text: str, indent: str, hanging: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if hanging is None else hanging,
        break_on_hyphens=False,
    )


def _subject(finding: Finding) -> str:
    subject = finding.subject
    if subject.kind == "organisation":
        return ""
    return f" [{subject.kind.replace('_', ' ')}: {plain_text(subject.name)}]"


def _finding(finding: Finding, *, detail: bool, noun: str) -> list[str]:
    t = plain_text
    mark = status_text(finding.status, finding.level).upper()
    level = level_text(finding.level, finding.standard_level, noun=noun)
    local = f"[{noun[:1].upper()}{noun[1:]} rule] " if finding.origin != "natssips" else ""
    lines = [_wrap(f"{mark} ({level}) {local}{t(finding.title)}{_subject(finding)}", "  ", _INDENT)]
    if not detail:
        return lines
    lines.append(_wrap(t(finding.message), _INDENT))
    cited = "" if finding.origin == "natssips" else f" ({t(finding.citation.document)}, {t(finding.citation.clause)})"
    lines.append(_wrap(f'Clause: "{t(finding.citation.quote)}"{cited}', _INDENT))
    if finding.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED):
        if finding.remediation:
            label = "Suggestion" if finding.level is Level.MAY else "To do"
            lines.append(_wrap(f"{label}: {t(finding.remediation)}", _INDENT))
        shown = "; ".join(f"{t(item.path)} = {t(evidence_text(item))}" for item in finding.evidence)
        if shown:
            lines.append(_wrap(f"Evidence read: {shown}", _INDENT))
    if finding.status is Status.NOT_MET and is_requirement(finding):
        lines.append(_wrap(f"Plan: {action_state(finding).words}.", _INDENT))
    for action in finding.actions:
        due = f", due {action.due.isoformat()}" if action.due else ""
        state = f" [{action.state.replace('_', ' ')}]" if action.state else ""
        owner = f" Owner: {t(action.owner)}." if action.owner else ""
        overdue = " OVERDUE." if action.overdue else ""
        lines.append(_wrap(f"Action {t(action.id)}{state}{due}: {t(action.description)}{owner}{overdue}", _INDENT))
    return lines


def _group(title: str, findings: list[Finding], *, detail: bool, noun: str) -> list[str]:
    if not findings:
        return []
    out = ["", f"{title} ({len(findings)})", "-" * min(len(title) + 8, _WIDTH)]
    for finding in findings:
        out += _finding(finding, detail=detail, noun=noun)
        if detail:
            out.append("")
    if detail:
        out.pop()
    return out


def _in_group(report: Report, status: Status, group: str) -> list[Finding]:
    """The findings of one status in one group of the summary; not met requirements and Trust rules most urgent first."""
    if status is Status.NOT_MET and group != "suggestions":
        return [u.finding for u in unmet(report, origin="natssips" if group == "requirements" else "local")]
    return [f for f in report.findings if f.status is status and group_of(f) == group]


def _groups(report: Report, statuses: Iterable[Status], *, detail: bool) -> list[str]:
    """A heading per status and group of the summary, with its count: the same figures as the summary's."""
    out: list[str] = []
    for status in statuses:
        for group in GROUPS:
            found = _in_group(report, status, group)
            level = Level.MAY if group == "suggestions" else None
            words = group_words(group, report.noun)
            out += _group(f"{status_text(status, level).upper()}: {words}", found, detail=detail, noun=report.noun)
    return out


def _not_listed(report: Report) -> str:
    parts = []
    for group in GROUPS:
        counts = report.summary.group(group)
        met, na = counts[Status.MET.value], counts[Status.NOT_APPLICABLE.value]
        if met or na:
            level = Level.MAY if group == "suggestions" else None
            parts.append(f"{group_words(group, report.noun)}: {met} {status_text(Status.MET, level)}, {na} not applicable")
    return "Not listed (--all lists every finding): " + ("; ".join(parts) if parts else "nothing") + "."


def _provenance(report: Report) -> list[str]:
    """Where the rules came from, what the organisation changed, and the waivers: what a Board must see."""
    t = plain_text
    out: list[str] = ["", _wrap(rules_line(report.summary, report.noun), "")]
    for source in report.sources:
        version = f" {t(source.version)}" if source.version else ""
        what = {
            "builtin": "built-in (NatSSIPs 2)",
            "file": "local, from",
            "entry_point": "local, from package",
            "python": "local, from code",
        }.get(source.kind, source.kind)
        name = "" if source.kind in ("python", "builtin") else f" {t(source.name)}{version}"
        evaluated, dropped = source_rules(report, source.rule_ids)
        left_out = f" ({dropped} excluded by the tailoring)" if dropped else ""
        files = f" (its files: {t(source.digest)})" if source.digest else ""
        out.append(f"  - {evaluated} {what}{name}{left_out}{files}")
    departed = [f for f in report.findings if f.departure]
    if departed:
        out += ["", f"Judged below the standard's own words ({len(departed)}): as tailored, and against the standard's words:"]
        for f in departed:
            tailored = status_text(f.underlying_status or f.status, f.level)
            standard = status_text(f.standard_status or f.status, f.standard_level or f.level)
            text = f"- {t(f.title)}{_subject(f)}: as tailored, {tailored}; against the standard's own words, {standard} ({t(f.departure or '')})."
            out.append(_wrap(text, "  ", _INDENT))
    if report.tailoring:
        out += ["", "Changes from the national standard (tailoring):"]
        for record in report.tailoring:
            if record.action == "set_parameter":
                change = f"parameter {t(record.parameter or '')} changed from {t(value_text(record.previous))} to {t(value_text(record.value))}"
            elif record.action == "set_level":
                change = f"reported at '{Level(record.value).words}'; the standard says '{Level(record.previous).words}'"
            else:
                change = "excluded: not evaluated"
            text = f"- {t(record.rule_id)}: {change}. Rationale: {t(record.rationale)} Approved by: {t(record.approved_by)}."
            out.append(_wrap(text, "  ", _INDENT))
    listed = unmatched(report)
    if listed:
        out += ["", f"{UNMATCHED_HEADING}:"]
        out += [_wrap(f"- {t(line)}", "  ", _INDENT) for line in listed]
    if report.waivers:
        out += ["", "Waivers:"]
        for outcome in report.waivers:
            waiver = outcome.waiver
            who = t(waiver.subject) if waiver.subject else "every subject"
            subjects = ", ".join(t(s) for s in outcome.subjects)
            state = {
                "applied": f"applied to {subjects}",
                "expired": f"EXPIRED on {waiver.expires.isoformat()}: no effect on {subjects}",
                "not_yet_approved": f"NOT YET APPROVED at this date: no effect on {subjects}",
                "unused": "not used: nothing it covers is unmet",
                "no_such_subject": f"NAMES NO SUBJECT of this rule in these facts ({who}): check the id",
            }[outcome.state]
            since = f"from {waiver.approved_on.isoformat()} " if waiver.approved_on else ""
            text = (
                f"- {t(waiver.rule_id)} for {who}, {since}until {waiver.expires.isoformat()}: {state}. "
                f"Justification: {t(waiver.justification)} Approved by: {t(waiver.approved_by)}."
            )
            out.append(_wrap(text, "  ", _INDENT))
    return out


def _counts_by_section(report: Report) -> Iterable[str]:
    summary = report.summary
    for title, sections, total in (
        ("NatSSIPs requirements by section", summary.by_section, summary.overall),
        (f"The {report.noun}'s own rules by document and section", summary.local_by_section, summary.local),
    ):
        if not sections:
            continue
        yield ""
        yield f"{title} (all: {counts_text(total)}):"
        for section, counts in sections.items():
            yield _wrap(f"- {plain_text(section)}: {counts_text(counts)}", "  ", _INDENT)


def render_text(report: Report, *, all_findings: bool = False) -> str:
    """The report as readable text, what needs attention first.

    Findings not met, then those lacking evidence, then waived ones, each with
    its reasons, what to do and the action plan; met and not-applicable
    findings are counted (and listed one line each with ``all_findings``).
    """
    _args.instance(report, Report, "report")
    _args.instance(all_findings, bool, "all_findings")
    out = [
        f"NatSSIPs 2 organisational standards: {plain_text(report.organisation.name)}",
        f"As of {report.as_of.isoformat()} | engine {report.engine} | natssips-rules {report.library_version}"
        f" | rules {report.ruleset_digest[:12]}",
        "",
    ]
    out += [_wrap(sentence, "") for sentence in position_sentences(report)]
    suggestions = suggestions_text(report.summary.suggestions)
    if suggestions:
        out.append(_wrap(suggestions, ""))
    out += _groups(report, (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED), detail=True)
    if all_findings:
        out += _groups(report, (Status.MET, Status.NOT_APPLICABLE), detail=False)
    else:
        out += ["", _wrap(_not_listed(report), "")]
    out += list(_counts_by_section(report))
    out += _provenance(report)
    out.append("")
    return "\n".join(out)
