"""A small document model, written once and rendered as Markdown or as HTML.

The Board report is built as a :class:`Document` of blocks (headings,
paragraphs, lists, tables, quotes, status bars); :func:`to_markdown` and
:func:`to_html` render the same blocks, so the two formats always say the same
thing. All text is escaped here, once: free text from the facts and rules
files (an organisation named ``<script>``, a link ``[x](javascript:...)``)
reaches neither format as markup, and in both it is one line with control
characters and bidirectional overrides written as escapes (``\\x1b``,
``\\u202e``), as in the text report: a name cannot reverse or hide the words
around it.
"""

import html
import re
from collections.abc import Sequence
from typing import Union

import attrs

from natssips_rules.report.wording import plain_text

__all__ = [
    "Bar",
    "Block",
    "Bullets",
    "Chart",
    "Code",
    "ColumnChart",
    "Document",
    "Heading",
    "Inline",
    "Legend",
    "Note",
    "Paragraph",
    "Quote",
    "Section",
    "Strong",
    "Table",
    "Tag",
    "Text",
    "md_escape",
    "to_html",
    "to_markdown",
]


@attrs.frozen
class Code:
    """Inline code (a data path, a rule id)."""

    text: str


@attrs.frozen
class Strong:
    """Strong emphasis."""

    text: str


@attrs.frozen
class Tag:
    """A short label with a class for colour (a status), always written out in words."""

    text: str
    kind: str


Inline = Union[str, Code, Strong, Tag]
Text = Union[str, Sequence[Inline]]


@attrs.frozen
class Heading:
    level: int
    text: str
    anchor: str | None = None


@attrs.frozen
class Paragraph:
    text: Text


@attrs.frozen
class Note:
    """A small, muted paragraph (for integrators: data paths, provenance)."""

    text: Text


@attrs.frozen
class Bullets:
    items: Sequence[Text]
    ordered: bool = False


@attrs.frozen
class Quote:
    text: str


@attrs.frozen
class Bar:
    """A stacked bar of counts per status (an inline SVG picture in HTML, with its text alternative)."""

    label: str
    parts: Sequence[tuple[str, str, int, str]]  # (status key, words, count, colour)


@attrs.frozen
class Chart:
    """A line of shares (0 to 1, ``None`` where there is none) over periods: an inline SVG picture in HTML, readable in
    print and in greyscale (a dark line, marked and labelled points), with its text alternative; words in Markdown.

    A ``small`` chart is a sparkline for a table cell (its figures are in the cells beside it).
    """

    label: str
    points: Sequence[tuple[str, float | None]]
    small: bool = False


@attrs.frozen
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[Union[Text, Bar, Chart]]]
    caption: str | None = None
    #: The first cell of each row heads the row (a screen reader reads it with each cell).
    row_headers: bool = True
    #: Right-aligned numeric columns (by index).
    numeric: Sequence[int] = ()
    #: On a narrow screen, each row is shown as a card (for wide tables of text).
    stack_when_narrow: bool = False
    #: Relative column widths (percentages) for the HTML; equal widths where not given.
    widths: Sequence[int] = ()
    #: Small type and tight cells, words kept whole (a wide grid of short values, such as a matrix of statuses).
    compact: bool = False


@attrs.frozen
class Legend:
    """What the bars' colours mean: (status key, words, colour). HTML only: in Markdown the bars are words."""

    parts: Sequence[tuple[str, str, str]]


@attrs.frozen
class ColumnChart:
    """A small column chart of one share over time (an inline SVG in HTML), with its text alternative.

    ``points`` are (label, percentage 0-100); each column is labelled with its
    value, so the chart reads in greyscale and in print. Markdown shows the
    text alternative only.
    """

    title: str
    points: Sequence[tuple[str, float]]
    alt: str


Block = Union[Heading, Paragraph, Note, Bullets, Quote, Table, Legend, Chart, ColumnChart, "Section"]


@attrs.frozen
class Section:
    """A titled part of the document (``<section>`` in HTML); ``break_before`` starts it on a new printed page;
    ``reference`` marks a part read for reference rather than in full (set smaller in print)."""

    heading: Heading
    blocks: Sequence[Block]
    break_before: bool = False
    reference: bool = False


@attrs.frozen
class Document:
    title: str
    subtitle: Text
    blocks: Sequence[Block]


# --------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def _one_line(text: str) -> tuple[str, str, str]:
    """Free text as (leading space, body, trailing space): whitespace collapsed (newlines, tabs, line separators),
    keeping one space at either end where there was any; other control characters and bidirectional overrides
    in the body written as escapes (:func:`~natssips_rules.report.wording.plain_text`)."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return lead, plain_text(" ".join(text.split())), trail


def md_escape(text: str, *, line_start: bool = True) -> str:
    """Free text made inert in Markdown: markup characters escaped, HTML tags shown as text, one line.

    Whitespace is collapsed (a newline in a name cannot start a heading or a
    list item), keeping one space at either end where there was any.
    """
    lead, body, trail = _one_line(text)
    body = _MD_SPECIAL.sub(r"\\\1", body)
    if line_start and not lead:
        body = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), body)
    return lead + body + trail


def _md_inline(text: Text) -> str:
    if isinstance(text, str):
        return md_escape(text)
    out = []
    for i, part in enumerate(text):
        if isinstance(part, Code):
            body = _one_line(part.text)[1].replace("`", "'")
            out.append(f"`{body}`")
        elif isinstance(part, (Strong, Tag)):
            out.append(f"**{md_escape(part.text.strip(), line_start=False)}**")
        else:
            out.append(md_escape(part, line_start=i == 0))
    return "".join(out)


def _md_cell(cell: Union[Text, Bar, Chart]) -> str:
    if isinstance(cell, Bar):
        return md_escape(_bar_words(cell))
    if isinstance(cell, Chart):
        return md_escape(chart_words(cell))
    return _md_inline(cell)


def chart_words(chart: Chart) -> str:
    """A chart's text alternative: its label, then each period and share."""
    words = ", ".join(f"{period} {'none applicable' if share is None else f'{share:.0%}'}" for period, share in chart.points)
    return f"{chart.label}: {words}"


def _bar_words(bar: Bar) -> str:
    words = ", ".join(f"{count} {text}" for _, text, count, _ in bar.parts if count)
    return f"{bar.label}: {words or 'no findings'}"


def _md_block(block: Block, out: list[str]) -> None:
    match block:
        case Section():
            _md_block(block.heading, out)
            for inner in block.blocks:
                _md_block(inner, out)
        case Heading():
            out += ["#" * block.level + " " + md_escape(block.text), ""]
        case Paragraph():
            out += [_md_inline(block.text), ""]
        case Note():
            out += [f"*{_md_inline(block.text)}*", ""]
        case Bullets():
            out += [f"{f'{i}.' if block.ordered else '-'} {_md_inline(item)}" for i, item in enumerate(block.items, 1)]
            out.append("")
        case Quote():
            out += [f"> {md_escape(block.text)}", ""]
        case Legend():
            pass
        case Chart():
            out += [f"*{md_escape(block.label)}*", "", "| period | share met |", "|---|---:|"]
            out += [f"| {md_escape(p)} | {'—' if v is None else f'{v:.0%}'} |" for p, v in block.points]
            out.append("")
        case ColumnChart():
            out += [f"*{md_escape(block.title)}:* {md_escape(block.alt, line_start=False)}", ""]
        case Table():
            if block.caption:
                out += [f"*{md_escape(block.caption)}*", ""]
            # a bar is a picture of the counts beside it: Markdown shows the counts only
            shown = [i for i in range(len(block.header)) if not any(isinstance(row[i], (Bar, Chart)) for row in block.rows)]
            out.append("| " + " | ".join(md_escape(block.header[i]) for i in shown) + " |")
            out.append("|" + "|".join("---:" if i in block.numeric else "---" for i in shown) + "|")
            for row in block.rows:
                out.append("| " + " | ".join(_md_cell(row[i]) for i in shown) + " |")
            out.append("")


def to_markdown(doc: Document) -> str:
    """The document as Markdown."""
    out = [f"# {md_escape(doc.title)}", "", _md_inline(doc.subtitle), ""]
    for block in doc.blocks:
        _md_block(block, out)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# HTML

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6rem;margin:.4rem 0}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}h3{margin:1.2rem 0 .4rem}
main>section:first-child h2{margin-top:1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem;table-layout:fixed}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f3f3;overflow-wrap:break-word;hyphens:auto}td.num,th.num{text-align:right}caption{text-align:left;font-weight:600;padding:.3rem 0}
blockquote{margin:.6rem 0;padding:.4rem .8rem;border-left:4px solid #888;background:#fafafa}
.tag{font-weight:700}.met{color:#1b5e20}.not_met{color:#b71c1c}.insufficient_evidence{color:#7a4f00}.waived{color:#0d47a1}.not_applicable{color:#555}.planned{color:#37474f}
.tag::before{content:"";display:inline-block;width:.7em;height:.7em;margin-right:.35em;border-radius:2px;background:currentColor}
.overdue{font-weight:700;color:#b71c1c}.note{color:#555;font-size:.88rem}code{font-size:.85em;background:#f3f3f3;padding:0 .2em;overflow-wrap:anywhere}
svg{display:block;max-width:100%;height:auto}figure.chart{margin:.4rem 0}.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.9rem;margin:.3rem 0 1rem;padding:0;list-style:none}
.legend li::before{content:"";display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;border-radius:2px;background:var(--c)}
.stack th[scope=row]{font-weight:400}.summary-table col.name{width:30%}.summary-table col.bar{width:22%}
table.compact{font-size:.74rem}.compact th,.compact td{padding:.2rem .3rem;overflow-wrap:normal;hyphens:manual}.compact .tag::before{display:none}
figure.chart{margin:.6rem 0}figure.chart svg{max-width:40rem}td.chart-cell svg{width:100%;max-width:8rem}
@media screen and (max-width:900px){
 .stack thead{position:absolute;left:-9999px}
 .stack,.stack tbody,.stack tr,.stack th,.stack td{display:block;width:100%}
 .stack tr{border:1px solid #ccc;margin:.6rem 0}.stack td,.stack th{border:none;border-top:1px solid #eee}
 .stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
 .summary-table{font-size:.85rem}.summary-table col.bar{visibility:collapse;width:0}.summary-table .bar-cell{display:none}
}
@media print{body{margin:0;max-width:none;font-size:9pt;line-height:1.25}h1{font-size:15pt;margin:0 0 .3rem}h2{font-size:12.5pt;margin-top:1rem}h3{font-size:10.5pt;margin-top:.8rem}
 h2,h3,h4,caption,.keep{break-after:avoid;page-break-after:avoid}tr,blockquote,li,svg{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}a{color:inherit}table{font-size:8.5pt;margin:.3rem 0}th,td{padding:.2rem .3rem}blockquote{padding:.2rem .5rem;margin:.3rem 0}
 .page-break{break-before:page;page-break-before:always}blockquote,.note{font-size:8.5pt}p{margin:.3rem 0}ul,ol{margin:.3rem 0}
 section[aria-labelledby="record"]{font-size:7.5pt}section[aria-labelledby="record"] table{font-size:7pt}
 section.reference table{font-size:7.5pt}section.reference blockquote{font-size:8pt}
 .summary-table th{font-size:7.5pt;hyphens:manual;overflow-wrap:normal}.summary-table col.name{width:27%}.summary-table col.bar{width:18%}
 section[aria-labelledby="record"] ul{columns:2;column-gap:1.5rem}section[aria-labelledby="record"] tr{break-inside:auto}}
@page{size:A4;margin:12mm 13mm}
"""


def _e(text: str) -> str:
    """Text for HTML, escaped: every text of the page passes here, so free text is one line with its control
    characters and bidirectional overrides written as escapes, as in the Markdown (a fast path for the usual text)."""
    if not text.isprintable():
        text = "".join(_one_line(text))
    return html.escape(text, quote=True)


def _html_inline(text: Text) -> str:
    if isinstance(text, str):
        return _e(text)
    out = []
    for part in text:
        if isinstance(part, Code):
            out.append(f"<code>{_e(part.text)}</code>")
        elif isinstance(part, Strong):
            out.append(f"<strong>{_e(part.text)}</strong>")
        elif isinstance(part, Tag):
            out.append(f'<span class="tag {_e(part.kind)}">{_e(part.text)}</span>')
        else:
            out.append(_e(part))
    return "".join(out)


def _svg(bar: Bar) -> str:
    total = sum(count for _, _, count, _ in bar.parts) or 1
    width, height, x = 300.0, 18, 0.0
    rects = []
    for key, text, count, colour in bar.parts:
        if not count:
            continue
        w = width * count / total
        rects.append(
            f'<rect class="{_e(key)}" x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}">'
            f"<title>{_e(text)}: {count}</title></rect>"
        )
        x += w
    alt = _bar_words(bar)
    return (
        f'<svg role="img" aria-label="{_e(alt)}" width="{width:.0f}" height="{height}" viewBox="0 0 {width:.0f} {height}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><title>{_e(alt)}</title>{"".join(rects)}</svg>'
    )


def _chart_svg(chart: Chart) -> str:
    """The chart as an inline SVG: no colour is needed to read it (a dark line; white points with a dark ring)."""
    alt = _e(chart_words(chart))
    if chart.small:
        width, height, left, right, top, bottom = 120, 28, 2, 2, 4, 4
    else:
        width, height, left, right, top, bottom = 640, 220, 44, 16, 22, 30
    n = len(chart.points)
    plot_w, plot_h = width - left - right, height - top - bottom

    inset = 4 if chart.small else 36  # the first and last points (and their labels) clear the frame

    def x(i: int) -> float:
        return left + inset + ((plot_w - 2 * inset) * i / (n - 1) if n > 1 else (plot_w - 2 * inset) / 2)

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    parts = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>']
    if not chart.small:
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            parts.append(
                f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="#ddd"/>'
                f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" fill="#333">{tick:.0%}</text>'
            )
    run: list[str] = []
    for i, (_, share) in enumerate(chart.points):
        if share is None:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#1a1a1a" stroke-width="2"/>')
            run = []
            continue
        run.append(f"{x(i):.1f},{y(share):.1f}")
    if len(run) > 1:
        parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#1a1a1a" stroke-width="2"/>')
    radius = 2.5 if chart.small else 4.5
    for i, (period, share) in enumerate(chart.points):
        if share is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(share):.1f}" r="{radius}" fill="#fff" stroke="#1a1a1a" stroke-width="2">'
                f"<title>{_e(period)}: {share:.0%}</title></circle>"
            )
            if not chart.small:
                parts.append(
                    f'<text x="{x(i):.1f}" y="{y(share) - 9:.1f}" font-size="12" font-weight="700" text-anchor="middle" '
                    f'fill="#1a1a1a">{share:.0%}</text>'
                )
        if not chart.small:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 10}" font-size="11" text-anchor="middle" fill="#333">{_e(period)}</text>'
            )
    return (
        f'<svg role="img" aria-label="{alt}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>{"".join(parts)}</svg>'
    )


def _column_chart_svg(chart: ColumnChart) -> str:
    """Columns in one dark ink with their values written on them: readable in greyscale and in print."""
    step, bar, top, height = 64, 40, 16, 90
    width = max(1, len(chart.points)) * step
    parts = []
    for i, (label, value) in enumerate(chart.points):
        share = min(100.0, max(0.0, value))
        h = height * share / 100
        x = i * step + (step - bar) / 2
        y = top + height - h
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="#1a3a5c"/>'
            f'<text x="{x + bar / 2:.0f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" fill="#000">{share:.0f}%</text>'
            f'<text x="{x + bar / 2:.0f}" y="{top + height + 13}" text-anchor="middle" font-size="10" fill="#000">{_e(label)}</text>'
        )
    axis = f'<line x1="0" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#000" stroke-width="1"/>'
    return (
        f'<figure class="chart"><svg role="img" aria-label="{_e(chart.alt)}" width="{width}" height="{top + height + 18}" '
        f'viewBox="0 0 {width} {top + height + 18}" xmlns="http://www.w3.org/2000/svg"><title>{_e(chart.alt)}</title>'
        f'{axis}{"".join(parts)}</svg><figcaption class="note">{_e(chart.title)}: {_e(chart.alt)}</figcaption></figure>'
    )


def _header_class(table: "Table", index: int) -> str:
    if table.rows and isinstance(table.rows[0][index], Bar):
        return ' class="bar-cell"'
    return ' class="num"' if index in table.numeric else ""


def _html_block(block: Block, out: list[str]) -> None:
    match block:
        case Section():
            anchor = block.heading.anchor
            labelled = f' aria-labelledby="{_e(anchor)}"' if anchor else ""
            classes = " ".join(
                c for c in ("page-break" if block.break_before else "", "reference" if block.reference else "") if c
            )
            out.append(f"<section{labelled}{f' class={chr(34)}{classes}{chr(34)}' if classes else ''}>")
            _html_block(block.heading, out)
            for inner in block.blocks:
                _html_block(inner, out)
            out.append("</section>")
        case Heading():
            anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
            out.append(f"<h{block.level}{anchor}>{_e(block.text)}</h{block.level}>")
        case Paragraph():
            out.append(f"<p>{_html_inline(block.text)}</p>")
        case Note():
            out.append(f'<p class="note">{_html_inline(block.text)}</p>')
        case Bullets():
            tag = "ol" if block.ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_html_inline(item)}</li>" for item in block.items) + f"</{tag}>")
        case Quote():
            out.append(f"<blockquote><p>{_e(block.text)}</p></blockquote>")
        case ColumnChart():
            out.append(_column_chart_svg(block))
        case Legend():
            items = "".join(f'<li style="--c:{_e(colour)}">{_e(text)}</li>' for _, text, colour in block.parts)
            out.append(f'<ul class="legend" aria-label="What the colours of the bars mean">{items}</ul>')
        case Chart():
            out.append(
                f'<figure class="chart">{_chart_svg(block)}<figcaption class="note">{_e(chart_words(block))}</figcaption></figure>'
            )
        case Table():
            classes = " ".join(
                c
                for c in (
                    "stack" if block.stack_when_narrow else "",
                    "compact" if block.compact else "",
                    "summary-table" if any(isinstance(cell, Bar) for row in block.rows for cell in row) else "",
                )
                if c
            )
            out.append(f"<table{f' class={chr(34)}{classes}{chr(34)}' if classes else ''}>")
            if block.caption:
                out.append(f"<caption>{_e(block.caption)}</caption>")
            if "summary-table" in classes:
                out.append('<colgroup><col class="name">' + "<col>" * (len(block.header) - 2) + '<col class="bar"></colgroup>')
            elif block.widths:
                out.append("<colgroup>" + "".join(f'<col style="width:{w}%">' for w in block.widths) + "</colgroup>")
            out.append(
                "<thead><tr>"
                + "".join(f'<th scope="col"{_header_class(block, i)}>{_e(h)}</th>' for i, h in enumerate(block.header))
                + "</tr></thead><tbody>"
            )
            for row in block.rows:
                cells = []
                for i, cell in enumerate(row):
                    label = f' data-label="{_e(block.header[i])}"' if block.stack_when_narrow and i else ""
                    numeric = ' class="num"' if i in block.numeric else ""
                    if isinstance(cell, Bar):
                        cells.append(f'<td class="bar-cell">{_svg(cell)}</td>')
                    elif isinstance(cell, Chart):
                        cells.append(f'<td class="chart-cell">{_chart_svg(cell)}</td>')
                    elif i == 0 and block.row_headers:
                        cells.append(f'<th scope="row">{_html_inline(cell)}</th>')
                    else:
                        cells.append(f"<td{label}{numeric}>{_html_inline(cell)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (no scripts, no external resources, prints on A4)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(doc.title)}</h1>",
        f'<p class="note">{_html_inline(doc.subtitle)}</p>',
        "</header>",
        "<main>",
    ]
    for block in doc.blocks:
        _html_block(block, out)
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
