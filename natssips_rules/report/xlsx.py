"""A report as a workbook, for the governance team's own spreadsheets.

Sheets: *Summary* (counts by section, with a chart), *Findings* (one row per
rule and subject, its status coloured, filterable), *Actions* (overdue
first), *Questions* (what we still need to know) and *Provenance* (the rules,
tailoring, waivers, digest and version). Every value is written as a value
(text is never taken for a formula). Needs the ``xlsx`` extra (openpyxl).
"""

from __future__ import annotations

from typing import Any

from natssips_rules.errors import ArgumentError
from natssips_rules.facts.xlsx import UNSTORABLE, workbook_bytes
from natssips_rules.report.attention import action_state, position_sentences, rules_line
from natssips_rules.report.model import Report
from natssips_rules.report.questions import questions
from natssips_rules.report.wording import escape_character, evidence_text, level_text, status_text, value_text
from natssips_rules.rules.findings import Finding, Status
from natssips_rules.rules.model import Level

__all__ = ["report_workbook"]

#: Fill colour of each status (the RAG colours a governance team expects; insufficient evidence amber).
STATUS_FILLS = {
    Status.MET: "C6EFCE",
    Status.NOT_MET: "FFC7CE",
    Status.INSUFFICIENT_EVIDENCE: "FFEB9C",
    Status.NOT_APPLICABLE: "E7E6E6",
    Status.WAIVED: "DDEBF7",
}
_MAX_CELL = 32_767  # the most characters a workbook cell holds


def _cell_text(text: str) -> str:
    """Text a workbook can store: control characters shown as escapes, at most a cell's length."""
    text = UNSTORABLE.sub(lambda found: escape_character(found.group()), text)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _subject(finding: Finding) -> str:
    return finding.subject.name if finding.subject.kind != "organisation" else "the organisation"


def _evidence(finding: Finding) -> str:
    return "; ".join(f"{e.path} = {evidence_text(e)}" for e in finding.evidence)


def _reasons(finding: Finding) -> str:
    return " ".join(r.text for r in finding.reasons)


def report_workbook(report: Report) -> bytes:
    """The ``.xlsx`` bytes of ``report``'s workbook (write them to a file ending in ``.xlsx``)."""
    if not isinstance(report, Report):
        raise ArgumentError(f"expected a Report, not {type(report).__name__}", argument="report")
    from natssips_rules.facts.xlsx import _openpyxl

    openpyxl = _openpyxl()
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    head = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, headers: list[str], widths: list[int]) -> Any:
        ws = wb.create_sheet(title) if wb.sheetnames != ["Sheet"] else wb.active
        ws.title = title
        for i, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
            c = ws.cell(row=1, column=i, value=name)
            c.font, c.fill = bold, head
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        return ws

    def put(ws: Any, row: int, values: list[Any]) -> None:
        for i, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = _cell_text(value)
            cell = ws.cell(row=row, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.alignment = wrap

    # Summary: the position, then counts by section with a chart
    statuses = list(Status)
    ws = sheet("Summary", ["section", *(s.label for s in statuses)], [48, 10, 10, 14, 14, 10])
    summary = report.summary
    # NatSSIPs sections, their total, then the Trust's own sections and their total: each block adds up to its total
    sections = sorted(summary.by_section.items())
    for r, (section, counts) in enumerate(sections, start=2):
        put(ws, r, [section, *(counts.get(s.value, 0) for s in statuses)])
    last = 1 + len(sections)
    put(ws, last + 1, ["all NatSSIPs requirements", *(summary.overall.get(s.value, 0) for s in statuses)])
    ws[last + 1][0].font = bold
    at = last + 2
    if summary.local_by_section:
        at += 1
        for section, counts in sorted(summary.local_by_section.items()):
            put(ws, at, [section, *(counts.get(s.value, 0) for s in statuses)])
            at += 1
    put(ws, at, [f"all of the {report.noun}'s own rules (not NatSSIPs)", *(summary.local.get(s.value, 0) for s in statuses)])
    ws[at][0].font = bold
    # the suggestions ("may"), counted apart from the requirements, in their own words ("in place", not "met")
    put(ws, at + 2, ["suggestions of the standard ('may', not counted with the requirements)",
                      *(status_text(s, Level.MAY) for s in statuses)])
    put(ws, at + 3, ["all suggestions of the standard", *(summary.suggestions.get(s.value, 0) for s in statuses)])
    for c in ws[at + 2] + ws[at + 3]:
        c.font = bold
    put(ws, at + 4, [rules_line(summary, report.noun)])
    note_row = at + 6
    put(ws, note_row, [f"{report.organisation.name}, as of {report.as_of.isoformat()}"])
    for i, sentence in enumerate(position_sentences(report), start=1):
        put(ws, note_row + i, [sentence])
    if last >= 2:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Findings by section"
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(statuses), min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        for series, status in zip(chart.series, statuses, strict=True):
            series.graphicalProperties.solidFill = STATUS_FILLS[status]
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "H2")

    # Findings: one row per rule and subject
    headers = ["rule", "title", "from", "level", "subject", "status", "why", "requirement", "clause", "evidence", "what to do", "action"]
    ws = sheet("Findings", headers, [26, 40, 12, 12, 26, 16, 50, 50, 50, 50, 40, 36])
    for r, f in enumerate(report.findings, start=2):
        plan = action_state(f) if f.actions else None
        level = level_text(f.level, f.standard_level, noun=report.noun)
        put(ws, r, [
            f.rule_id, f.title, "NatSSIPs" if f.origin == "natssips" else f"{report.noun[:1].upper()}{report.noun[1:]} rule", level, _subject(f),
            status_text(f.status, f.level), _reasons(f) or f.message, f.message, f.citation.quote, _evidence(f),
            f.remediation or "", plan.words if plan is not None else "",
        ])
        ws.cell(row=r, column=6).fill = PatternFill("solid", fgColor=STATUS_FILLS[f.status])
    ws.auto_filter.ref = f"A1:L{max(2, len(report.findings) + 1)}"

    # Actions: overdue first, then by due date
    ws = sheet("Actions", ["action", "state", "overdue", "due", "rule", "subject", "description", "owner", "lead committee"],
               [10, 12, 10, 12, 26, 26, 50, 24, 24])
    rows: dict[str, list[Any]] = {}
    for f in report.findings:
        for a in f.actions:
            row = rows.setdefault(a.id, [a.id, a.state or "", "yes" if a.overdue else "no", a.due, f.rule_id, _subject(f),
                                         a.description, a.owner or "", a.lead_committee or ""])
            if _subject(f) not in str(row[5]).split("; "):
                row[5] = f"{row[5]}; {_subject(f)}"
    for entry in report.unmatched_actions:
        a = entry.action
        rows.setdefault(a.id, [a.id, a.state or "", "yes" if a.overdue else "no", a.due, entry.rule_id,
                               f"{entry.subject or ''} (matches no finding: check the id)".strip(),
                               a.description, a.owner or "", a.lead_committee or ""])
    ordered = sorted(rows.values(), key=lambda v: (v[2] != "yes", v[3] is None, v[3] or report.as_of, v[0]))
    for r, values in enumerate(ordered, start=2):
        put(ws, r, values)
        if values[3] is not None:
            ws.cell(row=r, column=4).number_format = "yyyy-mm-dd"
    ws.auto_filter.ref = f"A1:I{max(2, len(ordered) + 1)}"

    # Questions: what we still need to know
    ws = sheet("Questions", ["rank", "question", "findings it would help settle", "where in the facts"], [6, 80, 14, 50])
    for r, q in enumerate(questions(report), start=2):
        put(ws, r, [r - 1, q.question, q.settles, q.path or ""])

    # Provenance
    ws = sheet("Provenance", ["item", "value"], [30, 90])
    items: list[tuple[str, Any]] = [
        ("organisation", f"{report.organisation.name} ({report.organisation.id})"),
        ("as of", report.as_of.isoformat()),
        ("engine", report.engine),
        ("natssips-rules version", report.library_version),
        ("rule set digest", report.ruleset_digest),
    ]
    excluded = {t.rule_id for t in report.tailoring if t.action == "exclude"}
    items.append(("rules evaluated", rules_line(report.summary, report.noun)))
    for s in report.sources:
        evaluated = [r for r in s.rule_ids if r not in excluded]
        dropped = len(s.rule_ids) - len(evaluated)
        left_out = f", {dropped} excluded by the tailoring" if dropped else ""
        items.append((f"rules from ({s.kind})", f"{s.name} {s.version or ''}".strip() + f" ({len(evaluated)} rules evaluated{left_out})"
                      + (f"; its files: {s.digest}" if s.digest else "")))
    for t in report.tailoring:
        change = t.action.replace("_", " ") + (f" {t.parameter}" if t.parameter else "")
        if t.action != "exclude":
            change += f": {value_text(t.previous)} -> {value_text(t.value)}"
        items.append((f"tailoring: {t.rule_id}", f"{change}; {t.rationale} (approved by {t.approved_by})"))
    for w in report.waivers:
        who = f" for {w.waiver.subject}" if w.waiver.subject else ""
        items.append((f"waiver: {w.waiver.rule_id}{who}", f"{w.state.replace('_', ' ')}; " + (f"from {w.waiver.approved_on.isoformat()} " if w.waiver.approved_on else "")
                      + f"until {w.waiver.expires.isoformat()}; "
                      f"{w.waiver.justification} (approved by {w.waiver.approved_by})"))
    for r, (item, value) in enumerate(items, start=2):
        put(ws, r, [item, value])

    return workbook_bytes(wb)
