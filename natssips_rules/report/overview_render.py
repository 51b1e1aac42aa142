"""The overview across organisations as one self-contained HTML page, as Markdown, and as a workbook.

The page, in the order those who assure many organisations read: the position
across organisations; the most common gaps and how many organisations each
affects; the organisations ranked by gaps and by overdue actions; the
breakdown by nation and by kind of organisation; the trend, overall and per
requirement, when the reports span several periods; then the requirement ×
organisation matrix (statuses in words and colour, requirements ordered by
gaps) and what the figures count. Built as one
:class:`~natssips_rules.report.document.Document` (HTML and Markdown say the
same; all text escaped there). The workbook (the ``xlsx`` extra) has the
matrix and each list on its own filterable sheet.
"""

from typing import Any

from natssips_rules.errors import ArgumentError
from natssips_rules.report.document import (
    Bar,
    Block,
    Chart,
    Document,
    Heading,
    Inline,
    Legend,
    Note,
    Paragraph,
    Section,
    Strong,
    Table,
    Tag,
    Text,
    to_html,
    to_markdown,
)
from natssips_rules.report.overview import Counts, GroupLine, MatrixCell, OrganisationLine, Overview, RequirementLine
from natssips_rules.report.overview_read import _KINDS, _NATIONS

__all__ = ["overview_document", "overview_workbook", "render_overview_html", "render_overview_markdown"]

_WORDS = {
    "met": "met",
    "not_met": "not met",
    "insufficient_evidence": "insufficient evidence",
    "waived": "waived",
    "not_applicable": "not applicable",
    "not_assessed": "not assessed",
}
_COLOURS = {
    "not_met": "#c62828",
    "insufficient_evidence": "#f9a825",
    "waived": "#1565c0",
    "met": "#2e7d32",
    "not_applicable": "#9e9e9e",
}
_FILLS = {
    "met": "C6EFCE",
    "not_met": "FFC7CE",
    "insufficient_evidence": "FFEB9C",
    "waived": "DDEBF7",
    "not_applicable": "E7E6E6",
    "not_assessed": "FFFFFF",
}
_TAILORING = {"set_parameter": "a parameter set", "set_level": "its level changed", "exclude": "excluded"}
#: Organisations per table of the matrix (a wider table would not print).
MATRIX_COLUMNS = 6
#: Requirements listed as the most common gaps.
COMMON_GAPS = 10


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _bar(label: str, c: Counts) -> Bar:
    parts = [(k, _WORDS[k], getattr(c, k), colour) for k, colour in _COLOURS.items()]
    return Bar(label, parts)


#: The matrix's words for each status: short enough for a narrow column (its legend says them in full).
_SHORT = {**_WORDS, "insufficient_evidence": "insufficient", "not_applicable": "n/a", "not_assessed": "not assessed"}


def _cell_text(cell: MatrixCell) -> Text:
    words = _SHORT[cell.status]
    if cell.subjects > 1 and cell.gap_subjects:
        words += f" {cell.gap_subjects}/{cell.subjects}"
    if cell.tailoring:
        how = ", ".join(_TAILORING[t] for t in cell.tailoring)
        return [Tag(words, cell.status if cell.status in _COLOURS else "planned"), f"; tailored ({how}), not compared"]
    if cell.status == "not_assessed":
        return [Tag(words, "planned")]
    return [Tag(words, cell.status)]


def _org_label(o: OrganisationLine) -> str:
    return o.name


def _nation(o: OrganisationLine) -> str:
    return f"{_NATIONS.get(o.nation or '', 'not recorded')}, {_KINDS.get(o.kind or '', 'kind not recorded')}"


def _position(ov: Overview) -> list[Block]:
    c = ov.position
    n = len(ov.organisations)
    when = ov.last.isoformat() if ov.first == ov.last else f"{ov.first.isoformat()} to {ov.last.isoformat()}"
    tailored = sum(1 for o in ov.organisations if o.tailored)
    gaps_orgs = sum(1 for o in ov.organisations if o.counts.gaps)
    overdue = sum(o.overdue_actions for o in ov.organisations)
    text: list[Inline] = [
        f"Across {n} organisation{'s' if n != 1 else ''}, at each one's latest report, ",
        Strong(f"{c.met} of {c.applicable} applicable NatSSIPs requirements were met ({_pct(c.share_met)})"),
        f"; {c.not_met} not met, {c.insufficient_evidence} without sufficient evidence and {c.waived} waived. "
        f"{gaps_orgs} organisation{'s have' if gaps_orgs != 1 else ' has'} at least one gap; "
        f"{overdue} action{'s are' if overdue != 1 else ' is'} overdue.",
    ]
    blocks: list[Block] = [Paragraph(text)]
    if tailored:
        blocks.append(
            Paragraph(
                f"{tailored} organisation{'s have' if tailored != 1 else ' has'} tailored some requirements: "
                "each such requirement is marked for the organisation and not compared."
            )
        )
    if len(ov.periods) > 1:
        first, last = ov.trend[0], ov.trend[-1]
        blocks.append(
            Paragraph(
                f"Over {len(ov.periods)} periods ({when}), the share of requirements met went from "
                f"{_pct(first.counts.share_met)} ({first.period}) to {_pct(last.counts.share_met)} ({last.period})."
            )
        )
    blocks += [Paragraph([Strong("Note:"), " ", note]) for note in ov.notes]
    share = {
        k: (getattr(c, k) / c.applicable if c.applicable else None) for k in ("met", "not_met", "insufficient_evidence", "waived")
    }
    blocks.append(
        Table(
            ["status", "requirements (organisation × requirement)", "share of those applicable"],
            [
                *([_WORDS[k], str(getattr(c, k)), _pct(share[k])] for k in ("met", "not_met", "insufficient_evidence", "waived")),
                ["applicable (compared)", str(c.applicable), ""],
                ["not applicable", str(c.not_applicable), ""],
            ],
            numeric=(1, 2),
            widths=[40, 35, 25],
        )
    )
    blocks.append(Legend([(k, _WORDS[k], colour) for k, colour in _COLOURS.items()]))
    blocks.append(Table(["", "findings"], [["all organisations", _bar("All organisations", c)]]))
    return blocks


def _common_gaps(ov: Overview) -> Section:
    with_gaps = [r for r in ov.requirements if r.counts.gaps][:COMMON_GAPS]
    if not with_gaps:
        return Section(
            Heading(2, "Most common gaps", "gaps"), [Paragraph("No organisation has a gap in a compared requirement.")]
        )
    rows: list[list[Any]] = [
        [
            [Strong(r.title), f" ({r.level.replace('_', ' ')}; {r.section})"],
            str(r.counts.gaps),
            str(r.counts.not_met),
            str(r.counts.insufficient_evidence),
            str(r.counts.applicable),
            str(r.tailored),
        ]
        for r in with_gaps
    ]
    return Section(
        Heading(2, "Most common gaps", "gaps"),
        [
            Paragraph(
                f"The {len(with_gaps)} requirements most often not met or without sufficient evidence, with how many "
                "organisations each affects: with a gap (not met, or insufficient evidence), of those where it applies "
                "and is compared; 'tailored': organisations that tailored it, not compared (every requirement is in "
                "the matrix below, the JSON and the workbook)."
            ),
            Table(
                ["requirement", "with a gap", "not met", "insufficient evidence", "applicable", "tailored"],
                rows,
                numeric=(1, 2, 3, 4, 5),
                widths=[48, 9, 8, 13, 12, 10],
                compact=True,
            ),
        ],
    )


def _rank_rows(lines: tuple[OrganisationLine, ...]) -> list[list[Any]]:
    return [
        [
            f"{i}. {_org_label(o)}",
            _nation(o),
            str(o.counts.gaps),
            str(o.counts.not_met),
            str(o.counts.insufficient_evidence),
            str(o.overdue_actions),
            str(o.tailored),
            _pct(o.counts.share_met),
            o.as_of.isoformat(),
        ]
        for i, o in enumerate(lines, 1)
    ]


_RANK_HEADER = [
    "organisation",
    "nation, kind",
    "gaps",
    "not met",
    "insufficient evidence",
    "overdue actions",
    "tailored",
    "share met",
    "as of",
]
_RANK_WIDTHS = [22, 18, 6, 7, 11, 9, 9, 8, 10]


def _rankings(ov: Overview) -> list[Section]:
    overdue = ov.by_overdue()
    return [
        Section(
            Heading(2, "Organisations ranked by gaps", "by-gaps"),
            [
                Table(_RANK_HEADER, _rank_rows(ov.organisations), numeric=(2, 3, 4, 5, 6, 7), compact=True, widths=_RANK_WIDTHS),
            ],
        ),
        Section(
            Heading(2, "Organisations ranked by overdue actions", "by-overdue"),
            [
                Table(_RANK_HEADER, _rank_rows(overdue), numeric=(2, 3, 4, 5, 6, 7), compact=True, widths=_RANK_WIDTHS)
                if overdue
                else Paragraph("No organisation has an overdue action on a NatSSIPs requirement."),
            ],
        ),
    ]


def _groups(title: str, anchor: str, groups: tuple[GroupLine, ...]) -> Section:
    rows: list[list[Any]] = [
        [
            g.label,
            str(g.organisations),
            str(g.counts.met),
            str(g.counts.gaps),
            str(g.counts.waived),
            _pct(g.counts.share_met),
            str(g.overdue_actions),
        ]
        for g in groups
    ]
    return Section(
        Heading(2, title, anchor),
        [
            Table(
                ["", "organisations", "met", "gaps", "waived", "share met", "overdue actions"],
                rows,
                numeric=(1, 2, 3, 4, 5, 6),
                widths=[27, 16, 10, 10, 12, 11, 14],
            ),
        ],
    )


def _trend(ov: Overview) -> Section:
    points = [(t.period, t.counts.share_met) for t in ov.trend]
    rows: list[list[Any]] = [
        [
            [Strong(r.title)],
            *(_pct(v) for v in r.trend),
            Chart(f"{r.title}: share of organisations meeting it", list(zip(ov.periods, r.trend, strict=True)), small=True),
        ]
        for r in ov.requirements
    ]
    counts = [
        [t.period, str(t.organisations), str(t.counts.met), str(t.counts.applicable), _pct(t.counts.share_met)] for t in ov.trend
    ]
    return Section(
        Heading(2, "Trend", "trend"),
        [
            Chart("Share of applicable NatSSIPs requirements met, all organisations", points),
            Table(
                ["period", "organisations reporting", "met", "applicable (compared)", "share met"], counts, numeric=(1, 2, 3, 4)
            ),
            Heading(3, "Per requirement: share of organisations meeting it"),
            Table(
                ["requirement", *ov.periods, "trend"],
                rows,
                numeric=tuple(range(1, len(ov.periods) + 1)),
                compact=True,
                widths=[45, *_spread(40, len(ov.periods)), 15] if len(ov.periods) <= 8 else (),
            ),
        ],
    )


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (i < total % parts) for i in range(parts)]


def _matrix(ov: Overview) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "Each requirement's status for each organisation at its latest report: the least favourable over its "
            'subjects (sites, specialties, ...), with how many have a gap ("not met 3/8": 3 of its 8 subjects have '
            'a gap). "insufficient" is insufficient evidence; "n/a" not applicable; "not assessed": the '
            "organisation's report has no finding for it. Requirements with the most gaps first; a tailored "
            "requirement is marked and not compared."
        ),
        Legend([(k, _WORDS[k], colour) for k, colour in _COLOURS.items()]),
    ]
    orgs = ov.organisations
    for start in range(0, len(orgs), MATRIX_COLUMNS):
        chunk = orgs[start : start + MATRIX_COLUMNS]
        index = {r.rule_id: i for i, r in enumerate(chunk[0].cells)} if chunk else {}
        rows: list[list[Any]] = [
            [[Strong(r.title)], *(_cell_text(o.cells[index[r.rule_id]]) for o in chunk)] for r in ov.requirements
        ]
        blocks.append(
            Table(
                ["requirement", *(_org_label(o) for o in chunk)],
                rows,
                compact=True,
                caption=f"Organisations {start + 1} to {start + len(chunk)} of {len(orgs)} (ranked by gaps)",
                widths=[100 - 12 * len(chunk), *([12] * len(chunk))],
            )
        )
    return Section(Heading(2, "Requirement × organisation", "matrix"), blocks)


def _about(ov: Overview) -> Section:
    items = [
        f"Reports read: {ov.reports_read}; used: {len(ov.organisations)} organisations' latest, and one per organisation and "
        f"period ({ov.period}) for the trend; superseded by a later report in the same period: {ov.reports_superseded}.",
        "natssips-rules versions: "
        + ", ".join(f"{v} ({n})" for v, n in ov.library_versions.items())
        + "; engines: "
        + ", ".join(f"{e} ({n})" for e, n in ov.engines.items())
        + f"; rule sets (by digest): {len(ov.ruleset_digests)}.",
    ]
    return Section(
        Heading(2, "About these figures", "about"),
        [
            Paragraph(
                "Only the requirements of NatSSIPs 2 (the built-in rules; not the standard's 'may' suggestions, and never an "
                "organisation's own rules) are compared. A requirement is counted once per organisation: met where every "
                "subject meets it, a gap where any is not met or lacks the evidence. 'Share met' is met of those applicable "
                "(met, not met, insufficient evidence, waived). No person is named: the overview keeps organisations, "
                "requirements and counts."
            ),
            *(Note(i) for i in items),
        ],
    )


def overview_document(ov: Overview) -> Document:
    """The overview as a document (rendered by :func:`render_overview_html` and :func:`render_overview_markdown`)."""
    if not isinstance(ov, Overview):
        raise ArgumentError(f"expected an Overview, not {type(ov).__name__}", argument="overview")
    n = len(ov.organisations)
    span = ov.last.isoformat() if ov.first == ov.last else f"{ov.first.isoformat()} to {ov.last.isoformat()}"
    blocks: list[Block] = [
        Section(Heading(2, "Position across organisations", "position"), _position(ov)),
        _common_gaps(ov),
        *_rankings(ov),
        _groups("By nation", "by-nation", ov.by_nation),
        _groups("By kind of organisation", "by-kind", ov.by_kind),
    ]
    if len(ov.periods) > 1:
        blocks.append(_trend(ov))
    blocks += [_matrix(ov), _about(ov)]
    return Document("NatSSIPs: overview across organisations", f"{n} organisation{'s' if n != 1 else ''}; reports {span}", blocks)


def render_overview_html(ov: Overview) -> str:
    """The overview as one self-contained HTML page (no scripts, no network; prints on A4)."""
    return to_html(overview_document(ov))


def render_overview_markdown(ov: Overview) -> str:
    return to_markdown(overview_document(ov))


def overview_workbook(ov: Overview) -> bytes:
    """The overview as ``.xlsx`` bytes: Position, Matrix, Cells, Gaps, Organisations, Nations, Kinds, Trend (each filterable)."""
    if not isinstance(ov, Overview):
        raise ArgumentError(f"expected an Overview, not {type(ov).__name__}", argument="overview")
    from natssips_rules.facts.xlsx import workbook_bytes

    book = _Sheets()
    _position_and_matrix(book, ov)
    _lists(book, ov)
    return workbook_bytes(book.wb)


def _share(v: float | None) -> Any:
    return "" if v is None else round(v, 4)


class _Sheets:
    """The overview workbook being written: each sheet a header row, its rows, widths, frozen panes and a filter."""

    def __init__(self) -> None:
        from natssips_rules.facts.xlsx import _openpyxl

        openpyxl = _openpyxl()
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = openpyxl.Workbook()
        self.PatternFill = PatternFill
        self.bold, self.head = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(self, title: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
        from openpyxl.utils import get_column_letter

        from natssips_rules.report.xlsx import _cell_text as storable

        wb = self.wb
        ws = wb.active if wb.sheetnames == ["Sheet"] else wb.create_sheet(title)
        ws.title = title
        for r, values in enumerate([headers, *rows], start=1):
            for i, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=i, value=storable(value) if isinstance(value, str) else value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text is never taken for a formula
                    cell.alignment = self.wrap
                if r == 1:
                    cell.font, cell.fill = self.bold, self.head
        for i in range(1, len(headers) + 1):
            ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else widths[-1]
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 1)}"
        return ws


def _position_and_matrix(book: _Sheets, ov: Overview) -> None:
    """The Position sheet, then the requirement x organisation Matrix (coloured, in words) and its Cells one a row."""
    c = ov.position
    book.sheet(
        "Position",
        ["item", "value"],
        [
            ["organisations", len(ov.organisations)],
            ["reports", f"{ov.first.isoformat()} to {ov.last.isoformat()}"],
            ["requirements met", c.met],
            ["not met", c.not_met],
            ["insufficient evidence", c.insufficient_evidence],
            ["waived", c.waived],
            ["applicable (compared)", c.applicable],
            ["share met", _share(c.share_met)],
            ["reports read", ov.reports_read],
            ["superseded in their period", ov.reports_superseded],
            ["natssips-rules versions", ", ".join(f"{v} ({n})" for v, n in ov.library_versions.items())],
            ["rule sets (by digest)", len(ov.ruleset_digests)],
            *(["note", note] for note in ov.notes),
        ],
        [28, 100],
    )
    orgs = ov.organisations
    index = {r.rule_id: i for i, r in enumerate(orgs[0].cells)}

    def word(cell: MatrixCell) -> str:
        text = _WORDS[cell.status] + (
            f" ({cell.gap_subjects} of {cell.subjects})" if cell.subjects > 1 and cell.gap_subjects else ""
        )
        return text + (" — tailored, not compared" if cell.tailoring else "")

    ws = book.sheet(
        "Matrix",
        ["requirement", "rule", *(o.name for o in orgs)],
        [[r.title, r.rule_id, *(word(o.cells[index[r.rule_id]]) for o in orgs)] for r in ov.requirements],
        [48, 30, 16],
    )
    for row, r in enumerate(ov.requirements, start=2):
        for col, o in enumerate(orgs, start=3):
            ws.cell(row=row, column=col).fill = book.PatternFill("solid", fgColor=_FILLS[o.cells[index[r.rule_id]].status])
    book.sheet(
        "Cells",
        [
            "organisation",
            "id",
            "nation",
            "kind",
            "as of",
            "requirement",
            "rule",
            "status",
            "subjects with a gap",
            "subjects",
            "tailoring (not compared)",
        ],
        [
            [
                o.name,
                o.id,
                o.nation or "",
                o.kind or "",
                o.as_of.isoformat(),
                r.title,
                r.rule_id,
                _WORDS[cell.status],
                cell.gap_subjects,
                cell.subjects,
                ", ".join(cell.tailoring),
            ]
            for o in orgs
            for r in ov.requirements
            for cell in (o.cells[index[r.rule_id]],)
        ],
        [30, 14, 14, 18, 12, 40, 30, 18, 10, 10, 18],
    )


def _lists(book: _Sheets, ov: Overview) -> None:
    """The Gaps, Organisations, Nations, Kinds and Trend sheets."""
    orgs = ov.organisations
    book.sheet(
        "Gaps",
        [
            "requirement",
            "rule",
            "level",
            "section",
            "clause",
            "organisations with a gap",
            "not met",
            "insufficient evidence",
            "waived",
            "met",
            "applicable (compared)",
            "tailored (not compared)",
            "not assessed",
        ],
        [_requirement_row(r) for r in ov.requirements],
        [44, 30, 10, 24, 10, 12],
    )
    org_head = [
        "rank",
        "organisation",
        "id",
        "nation",
        "kind",
        "as of",
        "gaps",
        "not met",
        "insufficient evidence",
        "waived",
        "met",
        "overdue actions",
        "tailored (not compared)",
        "share met",
        "natssips-rules",
        "engine",
    ]
    book.sheet(
        "Organisations",
        org_head,
        [
            [
                i,
                o.name,
                o.id,
                o.nation or "",
                o.kind or "",
                o.as_of.isoformat(),
                o.counts.gaps,
                o.counts.not_met,
                o.counts.insufficient_evidence,
                o.counts.waived,
                o.counts.met,
                o.overdue_actions,
                o.tailored,
                _share(o.counts.share_met),
                o.library_version,
                o.engine,
            ]
            for i, o in enumerate(orgs, 1)
        ],
        [6, 36, 14, 14, 18, 12, 8],
    )
    _groups_and_trend(book, ov)


def _groups_and_trend(book: _Sheets, ov: Overview) -> None:
    """The Nations, Kinds and Trend sheets."""
    for title, groups in (("Nations", ov.by_nation), ("Kinds", ov.by_kind)):
        book.sheet(
            title,
            ["group", "organisations", "met", "gaps", "waived", "applicable", "share met", "overdue actions"],
            [
                [
                    g.label,
                    g.organisations,
                    g.counts.met,
                    g.counts.gaps,
                    g.counts.waived,
                    g.counts.applicable,
                    _share(g.counts.share_met),
                    g.overdue_actions,
                ]
                for g in groups
            ],
            [30, 12],
        )
    book.sheet(
        "Trend",
        ["requirement", "rule", *ov.periods],
        [
            ["all requirements", "", *(_share(t.counts.share_met) for t in ov.trend)],
            *([r.title, r.rule_id, *(_share(v) for v in r.trend)] for r in ov.requirements),
        ],
        [44, 30, 12],
    )


def _requirement_row(r: RequirementLine) -> list[Any]:
    c = r.counts
    return [
        r.title,
        r.rule_id,
        r.level.replace("_", " "),
        r.section,
        r.clause,
        c.gaps,
        c.not_met,
        c.insufficient_evidence,
        c.waived,
        c.met,
        c.applicable,
        r.tailored,
        r.not_assessed,
    ]
