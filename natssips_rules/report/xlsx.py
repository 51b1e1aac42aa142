"""A report as a workbook, for the governance team's own spreadsheets.

Sheets: *Summary* (counts by section, with a chart), *Findings* (one row per
rule and subject, its status coloured, filterable, with an owner and due date
on every gap), *Actions* (overdue first, most late first), *Questions* (what
we still need to establish) and *Provenance* (the rules, tailoring, waivers,
digests and version). Every value is written as a value (text is never taken
for a formula). Every sheet prints landscape on A4, fitted to the page's
width, with its header row repeated on each page. Needs the ``xlsx`` extra
(openpyxl).
"""

from __future__ import annotations

from typing import Any

from natssips_rules.errors import ArgumentError
from natssips_rules.facts.model import Organisation
from natssips_rules.facts.xlsx import UNSTORABLE, workbook_bytes
from natssips_rules.report.attention import action_state, position_sentences, rules_line, source_rules
from natssips_rules.report.model import Report
from natssips_rules.report.owners import Document, documents, documents_for, facts_digest, owner_of
from natssips_rules.report.questions import questions
from natssips_rules.report.wording import escape_character, evidence_text, status_text, value_text
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
#: Solid, dark fills for the chart's bars (each at least 4.5:1 against the white page), in the order of ``Status``.
CHART_FILLS = {
    Status.MET: "1B5E20",
    Status.NOT_MET: "B71C1C",
    Status.INSUFFICIENT_EVIDENCE: "7A4F00",
    Status.NOT_APPLICABLE: "616161",
    Status.WAIVED: "0D47A1",
}
_MAX_CELL = 32_767  # the most characters a workbook cell holds


#: The rows a sheet's print area reaches (a print area names its rows; the sheets hold far fewer).
_PRINTED_ROWS = 10_000


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    per_line = max(1, int(width * 1.1) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


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


def _requirement(finding: Finding) -> str:
    """What the rule requires, without the subject and status the message begins with."""
    text = finding.message
    prefix = f"{finding.subject.name}: "
    if text.startswith(prefix):
        text = text[len(prefix) :]
    text = text.partition(". ")[2] or text
    for lead in ("Required: ", "A suggestion of the standard (may), not a requirement: "):
        if text.startswith(lead):
            text = text[len(lead) :]
    return text.split(" Not met: ")[0].split(" Not known: ")[0].split(" Justification: ")[0]


def _tailoring(finding: Finding, noun: str) -> str:
    if finding.standard_level is None or finding.standard_level is finding.level:
        return ""
    return f"tailored by the {noun}: the standard says {finding.standard_level.words}"


def report_workbook(report: Report, *, facts: Organisation | None = None) -> bytes:
    """The ``.xlsx`` bytes of ``report``'s workbook (write them to a file ending in ``.xlsx``).

    ``facts``: the organisation evaluated, for the owner of each gap where it
    has no action (the person in the accountable role) and the supporting
    documents.
    """
    if not isinstance(report, Report):
        raise ArgumentError(f"expected a Report, not {type(report).__name__}", argument="report")
    if facts is not None and not isinstance(facts, Organisation):
        raise ArgumentError(f"expected an Organisation or None, not {type(facts).__name__}", argument="facts")
    book = _Book()
    docs = documents(facts) if facts is not None else []
    _summary_sheet(book, report)
    _findings_sheet(book, report, facts, docs)
    _actions_sheet(book, report, facts)
    _questions_sheet(book, report)
    _provenance_sheet(book, report, facts, docs)
    return workbook_bytes(book.wb)


def get_column_letter(number: int) -> str:
    """A column's letters (1 -> A), as openpyxl writes them (imported only when a workbook is written)."""
    from openpyxl.utils import get_column_letter as letters

    return str(letters(number))


class _Book:
    """The workbook being written: its styles, and sheets made and rows put the same way."""

    def __init__(self) -> None:
        from natssips_rules.facts.xlsx import _openpyxl

        openpyxl = _openpyxl()
        from openpyxl.chart import BarChart, Reference
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = openpyxl.Workbook()
        self.BarChart, self.Reference, self.PatternFill = BarChart, Reference, PatternFill
        self.bold = Font(bold=True)
        self.head = PatternFill("solid", fgColor="DDE7F0")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.printed_columns: dict[str, int] = {}

    def sheet(self, title: str, headers: list[str], widths: list[int], *, printed: int | None = None) -> Any:
        """A sheet with its header row; ``printed``: how many of its first columns are printed (all by default)."""
        wb = self.wb
        ws = wb.create_sheet(title) if wb.sheetnames != ["Sheet"] else wb.active
        ws.title = title
        for i, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
            c = ws.cell(row=1, column=i, value=name)
            c.font, c.fill, c.alignment = self.bold, self.head, self.wrap
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        # printed: landscape A4, as wide as the page (as many pages down as it takes), the header row on every page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        ws.print_options.gridLines = True
        if printed is not None:
            ws.print_area = f"A1:{get_column_letter(printed)}{_PRINTED_ROWS}"
        self.printed_columns[title] = printed or len(headers)
        return ws

    def put(self, ws: Any, row: int, values: list[Any]) -> None:
        lines = 1
        for i, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = _cell_text(value)
            cell = ws.cell(row=row, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.alignment = self.wrap
                if i <= self.printed_columns[ws.title]:
                    width = ws.column_dimensions[get_column_letter(i)].width or 10
                    lines = max(lines, _lines(value, width))
        # a row as tall as its longest wrapped printed text (a spreadsheet program does not grow it: text overprints the next row)
        ws.row_dimensions[row].height = min(409, 13 * lines + 2)


def _summary_sheet(book: _Book, report: Report) -> None:
    # Summary: the position, then counts by section with a chart
    statuses = list(Status)
    ws = book.sheet("Summary", ["section", *(s.label for s in statuses)], [48, 10, 10, 14, 14, 10])
    summary = report.summary
    # NatSSIPs sections, their total, then the Trust's own sections and their total: each block adds up to its total
    sections = sorted(summary.by_section.items())
    for r, (section, counts) in enumerate(sections, start=2):
        book.put(ws, r, [section, *(counts.get(s.value, 0) for s in statuses)])
    last = 1 + len(sections)
    book.put(ws, last + 1, ["all NatSSIPs requirements", *(summary.overall.get(s.value, 0) for s in statuses)])
    ws[last + 1][0].font = book.bold
    at = last + 2
    if summary.local_by_section:
        at += 1
        for section, counts in sorted(summary.local_by_section.items()):
            book.put(ws, at, [section, *(counts.get(s.value, 0) for s in statuses)])
            at += 1
    book.put(ws, at, [f"all of the {report.noun}'s own rules (not NatSSIPs)", *(summary.local.get(s.value, 0) for s in statuses)])
    ws[at][0].font = book.bold
    # the suggestions ("may"), counted apart from the requirements, in their own words ("in place", not "met")
    book.put(
        ws,
        at + 2,
        [
            "suggestions of the standard ('may', not counted with the requirements)",
            *(status_text(s, Level.MAY) for s in statuses),
        ],
    )
    book.put(ws, at + 3, ["all suggestions of the standard", *(summary.suggestions.get(s.value, 0) for s in statuses)])
    for c in ws[at + 2] + ws[at + 3]:
        c.font = book.bold
    book.put(ws, at + 4, [rules_line(summary, report.noun)])
    note_row = at + 6
    book.put(ws, note_row, [f"{report.organisation.name}, as of {report.as_of.isoformat()}"])
    for i, sentence in enumerate(position_sentences(report), start=1):
        book.put(ws, note_row + i, [sentence])
    if last >= 2:
        chart = book.BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Findings by section"
        chart.add_data(book.Reference(ws, min_col=2, max_col=1 + len(statuses), min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(book.Reference(ws, min_col=1, min_row=2, max_row=last))
        for series, status in zip(chart.series, statuses, strict=True):
            series.graphicalProperties.solidFill = CHART_FILLS[status]
            series.graphicalProperties.line.solidFill = CHART_FILLS[status]
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "H2")


def _findings_sheet(book: _Book, report: Report, facts: Organisation | None, docs: list[Document]) -> None:
    # Findings: one row per rule and subject; an owner and due date on every finding not met or lacking evidence
    # the first eight columns are what a reader needs on paper, and are printed; the rest are for the screen and filters
    headers = [
        "title",
        "subject",
        "status",
        "level",
        "why",
        "owner",
        "due",
        "action",
        "what to do",
        "tailoring",
        "from",
        "rule",
        "requirement",
        "clause",
        "evidence",
        "documents",
    ]
    last_column = get_column_letter(len(headers))
    ws = book.sheet("Findings", headers, [30, 18, 12, 8, 48, 26, 11, 26, 36, 22, 11, 24, 40, 44, 44, 36], printed=8)
    # a waived or not applicable finding's message says why it is so, not what the rule requires: take that from another
    # subject's finding of the rule, else the rule's title
    required: dict[str, str] = {}
    for f in report.findings:
        if f.status in (Status.MET, Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
            required.setdefault(f.rule_id, _requirement(f))
    for r, f in enumerate(report.findings, start=2):
        plan = action_state(f) if f.actions else None
        gap = f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE) or (
            f.status is Status.WAIVED and f.underlying_status is not None
        )
        owner, owner_from, action = owner_of(f, facts) if gap else ("", "role", None)
        if gap and owner_from == "role":
            owner += " (actions complete, still not met)" if f.actions else " (no action yet)"
        due = action.due if action is not None else None
        why = (
            _reasons(f)
            if f.status not in (Status.MET, Status.NOT_APPLICABLE)
            else ("the requirement holds" if f.status is Status.MET else f.message)
        )
        book.put(
            ws,
            r,
            [
                f.title,
                _subject(f),
                status_text(f.status, f.level),
                f.level.words,
                why or f.message,
                owner,
                due,
                plan.words if plan is not None else "",
                f.remediation or "",
                _tailoring(f, report.noun),
                "NatSSIPs" if f.origin == "natssips" else f"{report.noun[:1].upper()}{report.noun[1:]} rule",
                f.rule_id,
                required.get(f.rule_id, f.title),
                f.citation.quote,
                _evidence(f),
                "; ".join(d.words() + (f", {d.ref.url}" if d.ref.url else "") for d in documents_for(f, docs)),
            ],
        )
        ws.cell(row=r, column=3).fill = book.PatternFill("solid", fgColor=STATUS_FILLS[f.status])
        if due is not None:
            ws.cell(row=r, column=7).number_format = "yyyy-mm-dd"
    ws.auto_filter.ref = f"A1:{last_column}{max(2, len(report.findings) + 1)}"


def _actions_sheet(book: _Book, report: Report, facts: Organisation | None) -> None:
    # Actions: overdue first (the most late first), then by due date
    ws = book.sheet(
        "Actions",
        ["action", "state", "overdue", "due", "rule", "subject", "description", "owner", "lead committee"],
        [10, 12, 10, 12, 26, 26, 50, 24, 24],
    )
    rows: dict[str, list[Any]] = {}
    for f in report.findings:
        for a in f.actions:
            row = rows.setdefault(
                a.id,
                [
                    a.id,
                    a.state or "",
                    "yes" if a.overdue else "no",
                    a.due,
                    f.rule_id,
                    _subject(f),
                    a.description,
                    a.owner or owner_of(f, facts)[0] + " (not named in the action)",
                    a.lead_committee or "",
                ],
            )
            if _subject(f) not in str(row[5]).split("; "):
                row[5] = f"{row[5]}; {_subject(f)}"
    for entry in report.unmatched_actions:
        a = entry.action
        rows.setdefault(
            a.id,
            [
                a.id,
                a.state or "",
                "yes" if a.overdue else "no",
                a.due,
                entry.rule_id,
                f"{entry.subject or ''} (matches no finding: check the id)".strip(),
                a.description,
                a.owner or "",
                a.lead_committee or "",
            ],
        )
    # overdue ones by lateness (the earliest due date is the most late), then the rest by due date
    ordered = sorted(rows.values(), key=lambda v: (v[2] != "yes", v[3] is None, v[3] or report.as_of, v[0]))
    for r, values in enumerate(ordered, start=2):
        book.put(ws, r, values)
        if values[3] is not None:
            ws.cell(row=r, column=4).number_format = "yyyy-mm-dd"
    ws.auto_filter.ref = f"A1:I{max(2, len(ordered) + 1)}"


def _questions_sheet(book: _Book, report: Report) -> None:
    # Questions: what we still need to know
    ws = book.sheet(
        "Questions", ["rank", "question", "findings it would help settle", "where in the facts"], [6, 80, 14, 50]
    )  # to establish
    for r, q in enumerate(questions(report), start=2):
        book.put(ws, r, [r - 1, q.question, q.settles, q.path or ""])


def _provenance_sheet(book: _Book, report: Report, facts: Organisation | None, docs: list[Document]) -> None:
    # Provenance
    ws = book.sheet("Provenance", ["item", "value"], [30, 90])
    items: list[tuple[str, Any]] = [
        ("organisation", f"{report.organisation.name} ({report.organisation.id})"),
        ("as of", report.as_of.isoformat()),
        ("engine", report.engine),
        ("natssips-rules version", report.library_version),
        ("rule set digest", report.ruleset_digest),
        ("facts digest (SHA-256 of the facts as canonical JSON)", facts_digest(facts) if facts is not None else "not recorded"),
    ]
    items.append(("rules evaluated", rules_line(report.summary, report.noun)))
    for s in report.sources:
        evaluated, dropped = source_rules(report, s.rule_ids)
        left_out = f", {dropped} excluded by the tailoring" if dropped else ""
        items.append(
            (
                f"rules from ({s.kind})",
                f"{s.name} {s.version or ''}".strip()
                + f" ({evaluated} rules evaluated{left_out})"
                + (f"; its files: {s.digest}" if s.digest else ""),
            )
        )
    for name in dict.fromkeys(t.source for t in report.tailoring):
        items.append(("tailoring from", name or "rules given in code"))
    for d in docs:
        items.append((f"document {d.label}", d.words() + (f", {d.ref.url}" if d.ref.url else "")))
    for t in report.tailoring:
        change = t.action.replace("_", " ") + (f" {t.parameter}" if t.parameter else "")
        if t.action != "exclude":
            change += f": {value_text(t.previous)} -> {value_text(t.value)}"
        items.append((f"tailoring: {t.rule_id}", f"{change}; {t.rationale} (approved by {t.approved_by})"))
    for w in report.waivers:
        who = f" for {w.waiver.subject}" if w.waiver.subject else ""
        items.append(
            (
                f"waiver: {w.waiver.rule_id}{who}",
                f"{w.state.replace('_', ' ')}; "
                + (f"from {w.waiver.approved_on.isoformat()} " if w.waiver.approved_on else "")
                + f"until {w.waiver.expires.isoformat()}; "
                f"{w.waiver.justification} (approved by {w.waiver.approved_by})",
            )
        )
    for r, (item, value) in enumerate(items, start=2):
        book.put(ws, r, [item, value])
