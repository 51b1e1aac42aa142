"""A generator of hostile workbooks: small files that expand, or lie about themselves, once parsed.

Each is the template workbook with one part rewritten (or added). Every one is
a few hundred kilobytes at most, and every one must be refused by
:func:`natssips_rules.load_facts` with a :class:`~natssips_rules.FactsError`
naming the part (the file in the archive) that is at fault, within a couple of
seconds and well within 100 MB (``benchmarks/hostile_workbooks.py`` measures
it, in a subprocess under a memory limit).

``hostile_workbooks()`` gives ``{name: (bytes, part)}``: the workbook and the
part its refusal must name. Nothing here depends on the code under test except
the template itself.
"""

from __future__ import annotations

import io
import pathlib
import re
import zipfile
from collections.abc import Callable

EXAMPLE = pathlib.Path(__file__).resolve().parent.parent.parent / "examples" / "brookfield-day-surgery.xlsx"
#: Whitespace before the sheet's root element: 20 MB that pack to 20 KB. An XML parser that caps the expansion
#: of entities at a multiple of the input it has read (expat 2.4+: 100 times) lets this much input expand 2 GB.
PADDING = b" " * 20_000_000

#: The People sheet in the template's archive.
PEOPLE = "xl/worksheets/sheet2.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
CORE = "docProps/core.xml"
BOOK = "xl/workbook.xml"
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def template() -> bytes:
    """A valid workbook (the small example Trust's), so that a hostile part that gets through is *accepted*."""
    return EXAMPLE.read_bytes()


def rewritten(base: bytes, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """``base`` with some parts replaced (bytes) or edited (a function of the old bytes); new names are added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        names = old.namelist()
        for name in names:
            data = old.read(name)
            edit = parts.get(name)
            new.writestr(name, edit(data) if callable(edit) else data if edit is None else edit)
        for name, edit in parts.items():
            if name not in names:
                new.writestr(name, edit(b"") if callable(edit) else edit)
    return out.getvalue()


def _rows(sheet: bytes, rows: bytes) -> bytes:
    """A worksheet with ``rows`` added at the end of its sheetData."""
    return sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def _with_doctype(sheet: bytes, doctype: bytes, rows: bytes) -> bytes:
    return doctype + _rows(sheet, rows)


def _with_strings(base: bytes, strings: bytes, cells: bytes = b"") -> bytes:
    """The template with a shared strings part (and, optionally, cells on the People sheet that use it)."""

    def types(data: bytes) -> bytes:
        override = f'<Override PartName="/{STRINGS}" ContentType="{_STRINGS_TYPE}"/>'.encode()
        return data.replace(b"</Types>", override + b"</Types>", 1)

    def rels(data: bytes) -> bytes:
        rel = f'<Relationship Id="rIdStrings" Type="{_STRINGS_REL}" Target="sharedStrings.xml"/>'.encode()
        return data.replace(b"</Relationships>", rel + b"</Relationships>", 1)

    parts: dict[str, bytes | Callable[[bytes], bytes]] = {
        "[Content_Types].xml": types,
        "xl/_rels/workbook.xml.rels": rels,
        STRINGS: strings,
    }
    if cells:
        parts[PEOPLE] = lambda sheet: _rows(sheet, cells)
    return rewritten(base, parts)


def billion_laughs(base: bytes) -> bytes:
    """Nine levels of entities, each ten of the one below, referenced five times: 1.5 GB of 'lol's."""
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 9)]
    doctype = ("<!DOCTYPE worksheet [" + "".join(levels) + "]>").encode() + PADDING
    row = b'<row r="500"><c r="A500" t="inlineStr"><is><t>' + b"&lol8;" * 5 + b"</t></is></c></row>"
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, row)})


def quadratic_blowup(base: bytes) -> bytes:
    """One 50 KB entity referenced 30,000 times: 1.5 GB of text, with no nesting."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "' + b"a" * 50_000 + b'">]>' + PADDING
    row = b'<row r="500"><c r="A500" t="inlineStr"><is><t>' + b"&a;" * 30_000 + b"</t></is></c></row>"
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, row)})


def small_billion_laughs(base: bytes) -> bytes:
    """The classic ten levels in a few hundred bytes (10^9 'lol's): caught by expat 2.4+ itself, not by older ones."""
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = ("<!DOCTYPE worksheet [" + "".join(levels) + "]>").encode()
    row = b'<row r="500"><c r="A500" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, row)})


def external_entity(base: bytes) -> bytes:
    """An entity that names a file of the host: its contents must never reach a cell (nor the file be opened)."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    row = b'<row r="500"><c r="A500" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, row)})


def parameter_entity(base: bytes) -> bytes:
    """A parameter entity fetched from elsewhere (the out-of-band exfiltration pattern)."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>'
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, b"")})


def entity_in_a_cell_reference(base: bytes) -> bytes:
    """The far-away-cell guard bypassed by an entity: the file says r="&far;", the parser reads XFD1048576."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY far "XFD1048576">]>'
    row = b'<row r="500"><c r="&far;" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewritten(base, {PEOPLE: lambda sheet: _with_doctype(sheet, doctype, row)})


def doctype_in_utf16(base: bytes) -> bytes:
    """A billion laughs in UTF-16: a byte search for '<!DOCTYPE' finds nothing; an XML parser reads it all."""

    def edit(sheet: bytes) -> bytes:
        text = billion_laughs_sheet(sheet).decode("utf-8")
        return '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16") + text.encode("utf-16-le")

    return rewritten(base, {PEOPLE: edit})


def billion_laughs_sheet(sheet: bytes) -> bytes:
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = ("<!DOCTYPE worksheet [" + "".join(levels) + "]>").encode()
    return doctype + _rows(sheet, b'<row r="500"><c r="A500" t="inlineStr"><is><t>&lol9;</t></is></c></row>')


def doctype_in_the_styles(base: bytes) -> bytes:
    """The entities sit in a part no guard reads as a sheet: the styles."""
    doctype = b'<!DOCTYPE styleSheet [<!ENTITY a "' + b"a" * 50_000 + b'">]>'
    return rewritten(base, {STYLES: lambda styles: doctype + styles.replace(b"<numFmts", b"<numFmts", 1)})


def many_shared_strings(base: bytes) -> bytes:
    """Four million empty shared strings: 40 MB of XML, a few hundred KB packed; each becomes an object."""
    body = b"<si><t/></si>" * 3_500_000
    return _with_strings(base, b"<sst " + _NS.encode() + b">" + body + b"</sst>")


def one_huge_shared_string(base: bytes) -> bytes:
    """One shared string of 45 million characters (each string of the facts is at most 2,000)."""
    return _with_strings(base, b"<sst " + _NS.encode() + b"><si><t>" + b"x" * 45_000_000 + b"</t></si></sst>")


def shared_strings_far_away(base: bytes) -> bytes:
    """A shared string placed far away: the guard must read where the cell is, not what the sheet says of itself."""
    strings = b"<sst " + _NS.encode() + b"><si><t>far</t></si></sst>"
    cells = b'<row r="500"><c r="&#88;FD500" t="s"><v>0</v></c></row>'
    return _with_strings(base, strings, cells)


def cells_not_named_c(base: bytes) -> bytes:
    """700,000 cells written as <x/>: the spreadsheet library takes every child of a row for a cell."""
    rows = b"".join(b'<row r="%d">' % r + b"<x/>" * 50 + b"</row>" for r in range(2, 7002))
    return rewritten(
        base, {PEOPLE: lambda sheet: _rows(sheet, rows), "xl/worksheets/sheet3.xml": lambda sheet: _rows(sheet, rows)}
    )


def many_rows(base: bytes) -> bytes:
    """A million empty rows, with no cells: rows alone are objects once parsed."""
    return rewritten(base, {PEOPLE: lambda sheet: _rows(sheet, b'<row ht="20" customHeight="1"/>' * 1_000_000)})


def row_number_as_a_float(base: bytes) -> bytes:
    """r="1048576.0" is read as row 1,048,576 by the parser; a guard reading only digits sees the next row."""
    return rewritten(
        base, {PEOPLE: lambda sheet: _rows(sheet, b'<row r="1048576.0"><c t="inlineStr"><is><t>x</t></is></c></row>')}
    )


def lying_dimension(base: bytes) -> bytes:
    """The sheet says it is A1:A1; its cell, written with a character reference, is at XFD1048576."""

    def edit(sheet: bytes) -> bytes:
        sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', sheet)
        return _rows(sheet, b'<row r="500"><c r="&#88;FD500" t="inlineStr"><is><t>x</t></is></c></row>')

    return rewritten(base, {PEOPLE: edit})


def greater_than_in_an_attribute(base: bytes) -> bytes:
    """'>' is allowed in an attribute's value: a guard that ends a tag at the first '>' misses the r after it."""
    return rewritten(
        base,
        {
            PEOPLE: lambda sheet: _rows(
                sheet, b'<row r="500"><c s="0" x:y=">" xmlns:x="urn:x" r="XFD500" t="inlineStr"><is><t>x</t></is></c></row>'
            )
        },
    )


def merged_everything(base: bytes) -> bytes:
    """One merged range over the whole sheet: the spreadsheet library makes a cell for each of 17 billion."""

    def edit(sheet: bytes) -> bytes:
        merge = b'<mergeCells count="1"><mergeCell ref="A500:XFD1048576"/></mergeCells>'
        return sheet.replace(b"</sheetData>", b"</sheetData>" + merge, 1)

    return rewritten(base, {PEOPLE: edit})


def hyperlink_everywhere(base: bytes) -> bytes:
    """A hyperlink on a range of the whole sheet: the spreadsheet library makes every cell of it."""

    def edit(sheet: bytes) -> bytes:
        link = b'<hyperlinks><hyperlink ref="A500:XFD1048576" location="People!A1" display="x"/></hyperlinks>'
        at = sheet.find(b"<pageMargins")
        at = at if at >= 0 else sheet.find(b"</worksheet>")
        return sheet[:at] + link + sheet[at:]

    return rewritten(base, {PEOPLE: edit})


def many_styles(base: bytes) -> bytes:
    """Five million cell formats in the styles: each becomes an object."""

    def edit(styles: bytes) -> bytes:
        return re.sub(rb"<cellXfs[^>]*>", lambda m: m.group(0) + b"<xf/>" * 5_000_000, styles, count=1)

    return rewritten(base, {STYLES: edit})


def long_attribute(base: bytes) -> bytes:
    """One tag with a 5 MB attribute: a parser holds the whole tag in memory before it can say anything of it."""
    return rewritten(base, {PEOPLE: lambda sheet: _rows(sheet, b'<row r="600" x="' + b"a" * 5_000_000 + b'"/>')})


def long_comment(base: bytes) -> bytes:
    """A 30 MB comment, held whole by a parser."""
    return rewritten(base, {PEOPLE: lambda sheet: _rows(sheet, b"<!--" + b"a" * 30_000_000 + b"-->")})


def _listed(count: int) -> Callable[[bytes], bytes]:
    def book(data: bytes) -> bytes:
        entry = re.search(rb'<sheet name="People"[^>]*/>', data)
        assert entry is not None
        many = b"".join(
            entry.group(0).replace(b'name="People"', b'name="P%d"' % i).replace(b'sheetId="2"', b'sheetId="%d"' % (i + 100))
            for i in range(count)
        )
        return data.replace(b"</sheets>", many + b"</sheets>", 1)

    return book


def one_sheet_listed_many_times(base: bytes) -> bytes:
    """The People sheet listed 10,000 times in the workbook: the spreadsheet library reads the part once per entry."""
    return rewritten(base, {BOOK: _listed(10_000)})


def one_part_as_forty_sheets(base: bytes) -> bytes:
    """Forty sheets that are one part: every cell of it read and held forty times."""
    return rewritten(base, {BOOK: _listed(40)})


def deep_nesting(base: bytes) -> bytes:
    """Elements nested a million deep in a part the library reads as a whole tree (the document's properties)."""
    return rewritten(base, {CORE: b"<a>" * 1_000_000 + b"</a>" * 1_000_000})


#: name -> (the hostile workbook's maker, the part its refusal names)
MAKERS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "billion laughs": (billion_laughs, PEOPLE),
    "quadratic blowup": (quadratic_blowup, PEOPLE),
    "billion laughs, classic": (small_billion_laughs, PEOPLE),
    "external entity": (external_entity, PEOPLE),
    "parameter entity": (parameter_entity, PEOPLE),
    "entity in a cell reference": (entity_in_a_cell_reference, PEOPLE),
    "doctype in UTF-16": (doctype_in_utf16, PEOPLE),
    "doctype in the styles": (doctype_in_the_styles, STYLES),
    "many shared strings": (many_shared_strings, STRINGS),
    "one huge shared string": (one_huge_shared_string, STRINGS),
    "shared string far away": (shared_strings_far_away, PEOPLE),
    "cells not written as <c>": (cells_not_named_c, "xl/worksheets/sheet3.xml"),
    "many rows": (many_rows, PEOPLE),
    "row number as a float": (row_number_as_a_float, PEOPLE),
    "lying dimension": (lying_dimension, PEOPLE),
    "'>' in an attribute": (greater_than_in_an_attribute, PEOPLE),
    "merged range over the sheet": (merged_everything, PEOPLE),
    "hyperlink over the sheet": (hyperlink_everywhere, PEOPLE),
    "many styles": (many_styles, STYLES),
    "deep nesting": (deep_nesting, CORE),
    "a sheet listed 10,000 times": (one_sheet_listed_many_times, BOOK),
    "one part as forty sheets": (one_part_as_forty_sheets, BOOK),
    "a 5 MB attribute": (long_attribute, PEOPLE),
    "a 30 MB comment": (long_comment, PEOPLE),
}


def hostile_workbooks(base: bytes | None = None) -> dict[str, tuple[bytes, str]]:
    """Every hostile workbook: ``{name: (bytes, part named by its refusal)}``."""
    base = template() if base is None else base
    return {name: (make(base), part) for name, (make, part) in MAKERS.items()}
