"""Facts in a spreadsheet: the template workbook, and reading it back.

The workbook is generated from the facts model (:mod:`natssips_rules.facts.model`),
so it follows the model: every field declared there has its row or column,
with the field's plain-English question as a note. One sheet, *Organisation*,
holds the single facts as rows (question, answer, what counts as evidence);
each list of the model (people, sites, specialties, NatSSIPs leads, actions,
the steering group's members, the eleven staffing factors) has a sheet with a
column per field. The first row of every sheet names the fields as the JSON
facts do (``natssips_lead.sessions_per_week``), so an error names the same
field in both.

A blank cell means *not known*, as ``null`` does in JSON. Three kinds of
cell say more than a value:

* **"is there one?"** (yes/no) beside an object or reference that may be
  recorded as absent: *no* records that there is none (``false`` in JSON);
* **"… known?"** (yes) for a list on its own sheet: *yes* with no rows on the
  sheet records that the list is known to be empty; a blank with no rows means
  not known;
* a list of enumerated values (the steering group's responsibilities, the
  areas a lead can get support from) is one yes/no cell per value: all blank
  is not known; once one is answered, a blank counts as no.

Reading a workbook never evaluates a formula: a cell holding a formula is
refused (type the value instead). Every problem is reported at once with the
sheet, the cell and the column (``People!D7 (profession)``), and nothing is
half-loaded: the values read go through :func:`~natssips_rules.load_facts`'s
checks, whose paths are turned back into cells.

This module needs the ``xlsx`` extra (``pip install 'natssips-rules[xlsx]'``,
which brings openpyxl); it is imported only when a workbook is read or written.
"""

from __future__ import annotations

import datetime
import enum
import html
import io
import os
import pathlib
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from xml.parsers import expat as pyexpat

import attrs

from natssips_rules.errors import FactsError, FactsProblem, WorkbookWarning
from natssips_rules.facts import model as m
from natssips_rules.facts.formats import DAMAGED_ZIP_ERRORS, damaged_workbook, refuse_other_formats
from natssips_rules.facts.paths import fields_of

__all__ = [
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_UNPACKED_BYTES",
    "SHEETS",
    "load_workbook_facts",
    "template_columns",
    "write_template",
]

#: Largest workbook file read, in bytes.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Largest total size of the files packed in a workbook (a zip), in bytes: a zip bomb is refused before it is unpacked.
MAX_WORKBOOK_UNPACKED_BYTES = 50 * 1024 * 1024
#: Most files packed in a workbook.
MAX_WORKBOOK_MEMBERS = 500
#: Most cells the sheets of a workbook hold together (counted before the workbook is opened: a full
#: People sheet of 10,000 people is 100,010 cells).
MAX_WORKBOOK_CELLS = 600_000
#: The last row a sheet's cells may reach: :data:`~natssips_rules.facts.model.MAX_ITEMS` entries and the header.
MAX_SHEET_ROWS = m.MAX_ITEMS + 1
#: The last column a sheet's cells may reach (AZ): the widest sheet of the template (19 columns) and a margin, so that
#: a stray note just beside the template's columns is named cell by cell, while one far away (XFD) is refused before
#: the workbook is opened.
MAX_SHEET_COLUMNS = 52

#: Most shared strings (the distinct texts a spreadsheet program stores once, for cells to refer to) a workbook holds.
MAX_SHARED_STRINGS = 200_000
#: Most characters of text (cells, shared strings, notes) in all the XML of a workbook, as parsed: each text of the
#: facts is at most :data:`~natssips_rules.facts.model.MAX_STRING_LENGTH` characters.
MAX_WORKBOOK_TEXT = 20_000_000
#: Most XML elements in all the parts of a workbook together, as parsed (a cell is two to four).
MAX_WORKBOOK_ELEMENTS = 3_000_000
#: Most XML elements in one part besides those of its cells and shared strings (styles, column widths, comments,
#: drawings, the document's properties; a template sheet has about a hundred, the styles about two hundred: 190,000 cell
#: formats took openpyxl 11 s and 160 MB, and changed how the dates were read).
MAX_PART_ELEMENTS = 50_000
#: Most sheets a workbook lists (the template has nine): the spreadsheet library reads every one.
MAX_WORKBOOK_SHEETS = 64
#: Longest single piece of XML (a tag with its attributes, a comment) read, in bytes: a parser holds it whole.
MAX_XML_TOKEN_BYTES = 1 << 20

YES = "yes"
NO = "no"
#: The sheet of drop-down lists (hidden; read back by nothing).
LISTS_SHEET = "Lists"
ORGANISATION_SHEET = "Organisation"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the installation
        raise FactsError(
            [
                FactsProblem(
                    "",
                    "reading or writing workbooks needs openpyxl, the xlsx extra: pip install 'natssips-rules[xlsx]' (from a checkout: pip install '.[xlsx]')",
                )
            ]
        ) from None
    return openpyxl


# --------------------------------------------------------------------------
# The layout, derived from the facts model


@attrs.frozen
class Column:
    """One answer cell's meaning: a field reached by ``path`` from the row's object.

    ``role`` is ``value`` (the field's value), ``exists`` (the "is there one?"
    cell of an object or reference that may be absent), ``known`` (a list kept
    on its own sheet is known) or ``member`` (one value of a list of
    enumerated values: yes/no).
    """

    path: tuple[str, ...]
    role: str
    spec: m.FieldSpec
    choices: type[enum.Enum] | None = None
    member: enum.Enum | None = None
    ref: str | None = None
    sheet_of_list: str | None = None

    @property
    def key(self) -> str:
        dotted = ".".join(self.path)
        if self.role == "exists":
            return f"{dotted}: is there one?"
        if self.role == "known":
            return f"{dotted}: known?"
        if self.role == "member":
            assert self.member is not None
            return f"{dotted}: {self.member.value}"
        return dotted

    def question(self, owner: str) -> str:
        label = self.spec.label
        if self.role == "exists":
            return f"Is there {_a(label)}? Answer no to record that there is none; leave blank if not known."
        if self.role == "known":
            return (
                f"Is the list of {label} on the '{self.sheet_of_list}' sheet known? Answer yes when it is, even with no rows "
                "(there are none); leave blank if not known."
            )
        asked = (self.spec.question or f"{label[:1].upper()}{label[1:]}?").replace("{name}", owner)
        if self.role == "member":
            assert self.member is not None
            return f"{asked} — {getattr(self.member, 'label', self.member.value)}: yes or no"
        return asked

    def allowed(self) -> str:
        """What may be written in the cell, in words."""
        if self.role in ("exists", "member") or self.spec.kind == "flag":
            return "yes or no"
        if self.role == "known":
            return "yes"
        if self.role == "label":
            return "(written by the template; not read)"
        kind = self.spec.kind
        if kind == "enum":
            assert self.choices is not None
            return "one of: " + ", ".join(_label(v) for v in self.choices)
        if kind == "date":
            return "a date"
        if kind == "fraction":
            return "a number from 0 to 1"
        if kind == "whole":
            return f"a whole number ({self.spec.unit})" if self.spec.unit else "a whole number"
        if kind == "number":
            return f"a number ({self.spec.unit})" if self.spec.unit else "a number"
        if kind == "ref":
            return f"the id of a {self.ref} on the '{_REF_SHEETS[self.ref or '']}' sheet"
        return "text"


def _a(label: str) -> str:
    return label if label.startswith(("the ", "a ", "an ")) else f"a {label}"


def _label(value: enum.Enum) -> str:
    return str(getattr(value, "label", value.value))


_REF_SHEETS = {"person": "People", "site": "Sites"}


@attrs.frozen
class Sheet:
    """A list of the model kept on its own sheet: one row per entry."""

    name: str
    #: Where the list is in the organisation (``("sites",)``; the staffing factors: ``("staffing", "factors")``).
    path: tuple[str, ...]
    #: ``items`` (a list of objects), ``reflist`` (a list of ids) or ``factors`` (the eleven staffing factors, one row each).
    kind: str
    columns: tuple[Column, ...]


#: How each list sheet's column notes name the entry of a row ("How senior is this person ...?").
_ROW_OWNERS = {
    "People": "this person",
    "Sites": "this site",
    "Specialties": "this specialty",
    "NatSSIPs leads": "this lead",
    "Actions": "this action",
    "Steering group members": "this member",
    "Staffing factors": "this staffing factor",
}

_SHEET_NAMES = {
    "people": "People",
    "sites": "Sites",
    "specialties": "Specialties",
    "natssips_leads": "NatSSIPs leads",
    "actions": "Actions",
    "members": "Steering group members",
    "factors": "Staffing factors",
}


def _columns(cls: type[Any], prefix: tuple[str, ...], sheets: list[Sheet]) -> list[Column]:
    """The answer cells for one object of ``cls`` (its fields, nested objects flattened); lists become sheets."""
    out: list[Column] = []
    for f in attrs.fields(cls):
        spec: m.FieldSpec = f.metadata["spec"]
        info = fields_of(cls)[f.name]
        path = (*prefix, f.name)
        if info.kind in ("object", "evidence"):
            if info.type is m.StaffingFactors:
                out.append(Column(path, "exists", spec))
                sheets.append(_factors_sheet(path))
                continue
            if spec.absent_ok:
                out.append(Column(path, "exists", spec))
            out.extend(_columns(info.type, path, sheets))
        elif info.kind == "enumset":
            out.extend(Column(path, "member", spec, choices=info.type, member=v) for v in info.type)
        elif info.kind == "collection":
            name = _SHEET_NAMES[f.name]
            out.append(Column(path, "known", spec, sheet_of_list=name))
            sheets.append(Sheet(name, path, "items", tuple(_columns(info.type, (), sheets))))
        elif info.kind == "reflist":
            name = _SHEET_NAMES[f.name]
            out.append(Column(path, "known", spec, sheet_of_list=name))
            person = m.FieldSpec("ref", "the member", "Who is a member?", check=spec.check)
            sheets.append(Sheet(name, path, "reflist", (Column(("member",), "value", person, ref=f.metadata.get("ref")),)))
        else:
            if info.kind == "ref" and spec.absent_ok:
                out.append(Column(path, "exists", spec))
            choices = info.type if isinstance(info.type, type) and issubclass(info.type, enum.Enum) else None
            out.append(Column(path, "value", spec, choices=choices, ref=f.metadata.get("ref")))
    return out


def _factors_sheet(path: tuple[str, ...]) -> Sheet:
    cols: list[Column] = [
        Column(("staffing_factor",), "label", m.FieldSpec("text", "the staffing factor (as the template lists it)")),
        Column(("factor",), "exists", m.FieldSpec("object", "record of this factor")),
    ]
    cols.extend(_columns(m.StaffingFactor, (), []))
    return Sheet(_SHEET_NAMES["factors"], path, "factors", tuple(cols))


def _layout() -> tuple[tuple[Column, ...], tuple[Sheet, ...]]:
    sheets: list[Sheet] = []
    rows = _columns(m.Organisation, (), sheets)
    return tuple(rows), tuple(sheets)


ORGANISATION_ROWS, LIST_SHEETS = _layout()
#: Every sheet of the template, in order.
SHEETS: tuple[str, ...] = (ORGANISATION_SHEET, *(s.name for s in LIST_SHEETS), LISTS_SHEET)
_ORG_HEADERS = ("field", "question", "answer", "what may be written")


def template_columns() -> dict[str, list[str]]:
    """Each sheet's field keys, in order (the Organisation sheet: its rows)."""
    out = {ORGANISATION_SHEET: [c.key for c in ORGANISATION_ROWS]}
    out.update({s.name: [c.key for c in s.columns] for s in LIST_SHEETS})
    return out


# --------------------------------------------------------------------------
# Writing


#: Characters a workbook cannot store (XML 1.0 forbids them); shared with the report workbook.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_value(col: Column, value: Any, where: str, problems: list[FactsProblem]) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, enum.Enum):
        return _label(value)
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            problems.append(FactsProblem(where, "holds a control character, which a workbook cannot store"))
            return None
    return value


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if obj is None or obj is False:
            return None
        obj = getattr(obj, name)
    return obj


def _answer(col: Column, owner_obj: Any) -> Any:
    """The value a column shows for ``owner_obj`` (the organisation or a list entry)."""
    parent = _get(owner_obj, col.path[:-1])
    if parent is False:
        return None
    value = None if parent is None else getattr(parent, col.path[-1])
    if col.role == "exists":
        return None if value is None else (value is not False)
    if col.role == "known":
        return None if value is None else True
    if col.role == "member":
        return None if value is None else (col.member in value)
    return None if value is False and col.spec.absent_ok else value


def write_template(org: m.Organisation | None, *, rule_ids: Sequence[str], subject_ids: Sequence[str]) -> bytes:
    """The facts template as ``.xlsx`` bytes: blank, or filled in with ``org``'s facts.

    The Actions sheet's ``rule`` column offers ``rule_ids`` and refuses others; its ``subject`` column offers
    ``subject_ids`` (warning on others). :func:`natssips_rules.facts_workbook` gives them from a rule set and
    the organisation's subjects. Raises :class:`FactsError` when a fact cannot be stored in a workbook (text
    holding a control character).
    """
    from natssips_rules.errors import ArgumentError

    if org is not None and not isinstance(org, m.Organisation):
        raise ArgumentError(f"expected an Organisation or None, not {type(org).__name__}", argument="org")
    template = _Template(list(rule_ids), list(subject_ids))
    template.organisation_sheet(org)
    template.list_sheets(org)
    template.lists.sheet_state = "hidden"
    template.wb.move_sheet(LISTS_SHEET, offset=len(template.wb.sheetnames))
    if template.problems:
        raise FactsError(template.problems)
    return workbook_bytes(template.wb)


class _Template:
    """The template workbook being written: its sheets, the hidden sheet of drop-down lists, the cell checks."""

    def __init__(self, rule_ids: list[str], subject_ids: list[str]) -> None:
        openpyxl = _openpyxl()
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        self.Comment, self.Alignment, self.DataValidation, self.column_letter = (
            Comment,
            Alignment,
            DataValidation,
            get_column_letter,
        )
        self.rule_ids, self.subject_ids = rule_ids, subject_ids
        self.wb = openpyxl.Workbook()
        self.problems: list[FactsProblem] = []
        self.bold = Font(bold=True)
        self.head_fill = PatternFill("solid", fgColor="DDE7F0")
        self.lists = self.wb.create_sheet(LISTS_SHEET)
        self.list_ranges: dict[str, str] = {}

    def choices(self, key: str, values: list[str]) -> str:
        """The range of the hidden sheet holding ``values`` (written the first time ``key`` is asked for)."""
        if key not in self.list_ranges:
            column = self.column_letter(len(self.list_ranges) + 1)
            self.lists[f"{column}1"] = key
            for i, value in enumerate(values, start=2):
                self.lists[f"{column}{i}"] = value
            self.list_ranges[key] = f"{LISTS_SHEET}!${column}$2:${column}${len(values) + 1}"
        return self.list_ranges[key]

    def validation(self, col: Column) -> Any:
        kind = col.spec.kind
        if col.role in ("exists", "member") or (col.role == "value" and kind == "flag"):
            dv = self.DataValidation(type="list", formula1=self.choices("yes/no", [YES, NO]))
        elif col.role == "known":
            dv = self.DataValidation(type="list", formula1=self.choices("yes", [YES]))
        elif kind == "enum" and col.choices is not None:
            dv = self.DataValidation(type="list", formula1=self.choices(col.choices.__name__, [_label(v) for v in col.choices]))
        elif kind == "ref" and col.ref in _REF_SHEETS:
            dv = self.DataValidation(type="list", formula1=f"'{_REF_SHEETS[col.ref]}'!$A$2:$A${m.MAX_ITEMS + 1}")
        elif col.path == ("rule",) and col.role == "value" and col.spec.kind == "id":  # Actions: the rule it addresses
            dv = self.DataValidation(type="list", formula1=self.choices("rule ids", self.rule_ids))
            dv.error = (
                "Expected the id of a rule: choose it from the list (a mistyped id addresses no rule). A local rule is "
                "listed when the template is made with its rules file (natssips-rules template FILE.xlsx --rules RULES.toml)."
            )
            dv.errorTitle, dv.showErrorMessage, dv.allow_blank = "rule", True, True
            return dv
        elif col.path == ("subject",) and col.role == "value":  # Actions: the subject it addresses
            dv = self.DataValidation(type="list", formula1=self.choices("subjects", self.subject_ids), errorStyle="warning")
            dv.error = (
                "Not one of the organisation's subjects when the template was made (its id, its sites', specialties' and "
                "leads' ids, steering_group, the staffing factors): check the id; a site or specialty added since is fine."
            )
            dv.errorTitle, dv.showErrorMessage, dv.allow_blank = "subject", True, True
            return dv
        elif kind == "date":
            dv = self.DataValidation(type="date", operator="greaterThan", formula1="1")
        elif kind == "fraction":
            dv = self.DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
        elif kind == "whole":
            dv = self.DataValidation(type="whole", operator="between", formula1="0", formula2=str(m.MAX_NUMBER))
        elif kind == "number":
            dv = self.DataValidation(type="decimal", operator="between", formula1="0", formula2=str(m.MAX_NUMBER))
        else:
            return None
        dv.error = f"Expected {col.allowed()}."
        dv.errorTitle = col.key
        dv.showErrorMessage = True
        dv.allow_blank = True
        return dv

    def put(self, ws: Any, ref: str, col: Column, value: Any, where: str) -> None:
        value = _cell_value(col, value, where, self.problems)
        cell = ws[ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text starting with '=' stays text, never a formula
        if col.spec.kind == "date" and col.role == "value":
            cell.number_format = "yyyy-mm-dd"

    def organisation_sheet(self, org: m.Organisation | None) -> None:
        """The Organisation sheet: one row per single fact, with its question and what may be written."""
        owner = org.name if org is not None else "the organisation"
        # the Organisation sheet: one row per single fact
        ws = self.wb.active
        ws.title = ORGANISATION_SHEET
        for i, title in enumerate(_ORG_HEADERS, start=1):
            c = ws.cell(row=1, column=i, value=title)
            c.font, c.fill = self.bold, self.head_fill
        wrap = self.Alignment(wrap_text=True, vertical="top")
        for row, col in enumerate(ORGANISATION_ROWS, start=2):
            ws.cell(row=row, column=1, value=col.key)
            ws.cell(row=row, column=2, value=col.question(owner)).alignment = wrap
            ws.cell(row=row, column=4, value=col.allowed()).alignment = wrap
            if org is not None:
                self.put(ws, f"C{row}", col, _answer(col, org), f"{ORGANISATION_SHEET}!C{row} ({col.key})")
            dv = self.validation(col)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(f"C{row}")
        ws.column_dimensions["A"].width = 42
        ws.column_dimensions["B"].width = 70
        ws.column_dimensions["C"].width = 28
        ws.column_dimensions["D"].width = 40
        ws.freeze_panes = "C2"

    def list_sheets(self, org: m.Organisation | None) -> None:
        """One sheet per list of the facts (people, sites, ...), a row per entry."""
        # one sheet per list
        for sheet in LIST_SHEETS:
            ws = self.wb.create_sheet(sheet.name)
            letters = [self.column_letter(i) for i in range(1, len(sheet.columns) + 1)]
            for letter, col in zip(letters, sheet.columns, strict=True):
                c = ws[f"{letter}1"]
                c.value = col.key
                c.font, c.fill = self.bold, self.head_fill
                c.comment = self.Comment(
                    f"{col.question(_ROW_OWNERS[sheet.name])}\nWrite: {col.allowed()}.", "natssips-rules", width=320, height=120
                )
                ws.column_dimensions[letter].width = max(14, min(40, len(col.key) + 2))
                dv = self.validation(col)
                if dv is not None:
                    ws.add_data_validation(dv)
                    dv.add(f"{letter}2:{letter}{m.MAX_ITEMS + 1}")
            ws.freeze_panes = "A2"
            if sheet.kind == "factors":
                for r, name in enumerate(m.STAFFING_FACTOR_FIELDS, start=2):
                    ws[f"A{r}"] = _factor_label(name)
            if org is None:
                continue
            for r, entry in enumerate(_entries(org, sheet), start=2):
                for letter, col in zip(letters, sheet.columns, strict=True):
                    where = f"{sheet.name}!{letter}{r} ({col.key})"
                    if col.role == "label":
                        continue
                    if sheet.kind == "reflist":
                        value: Any = entry
                    elif sheet.kind == "factors" and col.path == ("factor",):
                        value = None if entry is None else entry is not False
                    elif sheet.kind == "factors" and entry is False:
                        value = None
                    else:
                        value = _answer(col, entry)
                    self.put(ws, f"{letter}{r}", col, value, where)


def _factor_label(name: str) -> str:
    """A staffing factor's label in column A of the Staffing factors sheet ("i. permanent vs agency staff")."""
    meta = attrs.fields_dict(m.StaffingFactors)[name].metadata
    return f"{meta['numeral']}. {meta['label']}"


def workbook_bytes(wb: Any) -> bytes:
    """An openpyxl workbook saved as ``.xlsx`` bytes (openpyxl's warnings about its own defaults silenced)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb.save(buffer)
    return buffer.getvalue()


def _entries(org: m.Organisation, sheet: Sheet) -> list[Any]:
    value = _get(org, sheet.path)
    if sheet.kind == "factors":
        if value is None or value is False:
            return []
        return [getattr(value, name) for name in m.STAFFING_FACTOR_FIELDS]
    return list(value or ())


# --------------------------------------------------------------------------
# Reading


def _zip_guard(data: bytes, where: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FactsError([FactsProblem("", "not an .xlsx workbook (it is not a zip archive)")], source=where) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_WORKBOOK_MEMBERS:
            raise FactsError(
                [FactsProblem("", f"the workbook packs {len(members):,} files; at most {MAX_WORKBOOK_MEMBERS:,} are read")],
                source=where,
            )
        unpacked = sum(info.file_size for info in members)
        if unpacked > MAX_WORKBOOK_UNPACKED_BYTES:
            raise FactsError(
                [
                    FactsProblem(
                        "", f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_WORKBOOK_UNPACKED_BYTES:,} are read"
                    )
                ],
                source=where,
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise FactsError([FactsProblem("", "not an .xlsx workbook (it has no xl/workbook.xml)")], source=where)
        titles = _sheet_titles(archive)
        problems: list[FactsProblem] = []
        budget = _Budget(where)
        for info in members:
            if info.is_dir():
                continue
            scan = _PartScan(info.filename, titles.get(info.filename), budget)
            scan.run(archive, info)
            title = titles.get(info.filename) or info.filename
            if scan.far is not None:
                problems.append(scan.far)
            elif scan.rows > MAX_SHEET_ROWS:
                many = f"more than {MAX_SHEET_ROWS:,}" if scan.stopped else f"{scan.rows:,}"
                problems.append(
                    FactsProblem(
                        "", f"a sheet ({title}) holds {many} rows; a sheet holds at most {m.MAX_ITEMS:,} entries and its header"
                    )
                )
        twice = budget.same_part_twice()
        if twice is not None:
            problems.append(twice)
        if problems:
            raise FactsError(problems, source=where)


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's file in the archive -> the sheet's title (from xl/workbook.xml and its relationships); best effort."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[str, str] = {}
    for tag in _RELATIONSHIP_TAG.findall(rels):
        ident, target = _attribute(tag, b"Id"), _attribute(tag, b"Target")
        if ident and target:
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[ident] = posixpath.normpath(target)
    titles: dict[str, str] = {}
    for tag in _SHEET_ENTRY_TAG.findall(book):
        name, ident = _attribute(tag, b"name"), _attribute(tag, rb"(?:[\w.-]+:)?id")
        if name and ident and ident in targets:
            titles[targets[ident]] = html.unescape(name)
    return titles


def _attribute(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag)
    if not found:
        return None
    return (found.group(1) if found.group(1) is not None else found.group(2)).decode("utf-8", "replace")


_RELATIONSHIP_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_SHEET_ENTRY_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")


class _Budget:
    """What the parts of one workbook hold together, counted as they are parsed."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.elements = 0
        self.cells = 0
        self.text = 0
        #: Each workbook part (its root is <workbook>): the relationship id of each sheet it lists.
        self.books: dict[str, list[str | None]] = {}
        #: Each relationships part: id -> target.
        self.relationships: dict[str, dict[str, str]] = {}

    def same_part_twice(self) -> FactsProblem | None:
        """Two sheets of a workbook that are one part: the spreadsheet library would read (and hold) it once per sheet."""
        for book, ids in self.books.items():
            folder, name = posixpath.split(book)
            targets = self.relationships.get(posixpath.join(folder, "_rels", name + ".rels"), {})
            seen: set[str] = set()
            for ident in ids:
                target = targets.get(ident or "")
                if target is None:
                    continue
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                if part in seen:
                    return FactsProblem(
                        book, f"two sheets are the same part ({part}); each sheet of the template is a part of its own"
                    )
                seen.add(part)
        return None


class _StopPart(Exception):
    """Stop reading a part: what it holds is already known (a cell far away, too many rows)."""


class _PartScan:
    """One part of a workbook (a file in the zip), parsed as XML before any spreadsheet library sees it.

    The parse is expat's, streamed, with the document type refused where it
    begins: no entity is ever declared, so none is ever expanded, and what is
    counted here is what any XML parser will read. Cells and their positions
    follow the spreadsheet library's own rules (openpyxl 3.1: every child of a
    row is a cell, whatever its name; a row's ``r`` may be ``"5.0"``; a cell
    without ``r`` follows the one before; a character reference in ``r`` is
    read as the character), never what the sheet says of itself
    (``<dimension>``). A row inside a row, where the library's order of
    reading would differ from this one's, is refused. Every part but the
    shared strings, notes, workbook and relationships is read as a sheet is
    (openpyxl reads a part as a sheet when the workbook says it is one,
    whatever its root element).
    """

    def __init__(self, name: str, title: str | None, budget: _Budget) -> None:
        self.name = name
        self.label = f"{title} ({name})" if title else name
        self.title = title or name
        self.budget = budget
        self.kind = ""
        self.elements = 0
        #: elements that stand for cells or strings (a part's allowance of elements grows with them)
        self.units = 0
        self.strings = 0
        self.rows = 0
        self.row = 0
        self.column = 0
        #: The first cell or range beyond the limits.
        self.far: FactsProblem | None = None
        #: The scan stopped at too many rows.
        self.stopped = False
        #: For a sheet: how deep the element being read is, and how deep the row it is in (0: in none).
        self.depth = 0
        self.row_depth = 0
        self.parser: Any = None

    def refuse(self, message: str) -> FactsError:
        return FactsError([FactsProblem(self.label, message)], source=self.budget.where)

    def run(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.CharacterDataHandler = self._text
        self.parser = parser
        fed = 0
        try:
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(1 << 16)
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        return
                    fed += len(chunk)
                    if fed - parser.CurrentByteIndex > MAX_XML_TOKEN_BYTES:
                        raise self.refuse(
                            f"a single piece of XML (a tag, a comment) of more than {MAX_XML_TOKEN_BYTES:,} bytes; "
                            "save the workbook again from a spreadsheet program"
                        )
        except _StopPart:
            return
        except pyexpat.ExpatError as exc:
            if exc.code in _ENCODING_ERRORS:
                raise self.refuse(
                    f"XML in an encoding that is not read ({pyexpat.errors.messages[exc.code]}); save the "
                    "workbook again from a spreadsheet program"
                ) from None
            return  # not XML (a picture), or not well-formed: no XML parser reads it further than this one did
        except DAMAGED_ZIP_ERRORS:
            raise  # a bad CRC, a misstated size, a truncated member: the workbook is damaged (said so by the caller)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            return  # encrypted or otherwise unreadable: the spreadsheet library cannot read it either, and says so

    def _doctype(self, name: str, *_: Any) -> None:
        raise self.refuse(
            "a document type declaration (<!DOCTYPE>): a workbook never needs one, and the entities it "
            "declares can expand to gigabytes; save the workbook again from a spreadsheet program"
        )

    def _entity(self, *_: Any) -> None:  # pragma: no cover - an entity is declared only inside a document type, refused first
        raise self.refuse("an entity declaration (<!ENTITY>): a workbook never needs one")

    def _text(self, text: str) -> None:
        budget = self.budget
        budget.text += len(text)
        if budget.text > MAX_WORKBOOK_TEXT:
            raise self.refuse(
                f"the workbook's parts hold more than {MAX_WORKBOOK_TEXT:,} characters of text; "
                f"each text of the facts is at most {m.MAX_STRING_LENGTH:,}"
            )

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self._element()
        local = name.rpartition(" ")[2]
        if not self.kind:
            # any other part is read as a sheet would be: the spreadsheet library reads a part as a sheet when the workbook
            # says it is one, whatever its root element
            self.kind = _PART_KINDS.get(local, "sheet")
            if self.kind == "sheet":  # a handler of its own, and one at each element's end: a cell is a row's child
                self.parser.StartElementHandler = self._sheet_start
                self.parser.EndElementHandler = self._sheet_end
                self.depth = 1
                return
        if self.kind == "strings" and local == "si":
            self.units += 1
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise self.refuse(
                    f"more than {MAX_SHARED_STRINGS:,} shared strings (distinct texts); a workbook holds at most "
                    f"{MAX_SHARED_STRINGS:,}"
                )
        elif self.kind == "comments" and local == "comment":
            self._range(attrs.get("ref", ""), "a comment")
        elif self.kind == "book" and local == "sheet":
            sheets = self.budget.books.setdefault(self.name, [])
            sheets.append(attrs.get(_RELATIONSHIP_ID))
            if len(sheets) > MAX_WORKBOOK_SHEETS:
                raise self.refuse(f"more than {MAX_WORKBOOK_SHEETS} sheets; the template has {len(SHEETS)}")
        elif self.kind == "rels" and local == "Relationship":
            self.budget.relationships.setdefault(self.name, {})[attrs.get("Id", "")] = attrs.get("Target", "")

    def _element(self) -> None:
        budget = self.budget
        budget.elements += 1
        self.elements += 1
        if budget.elements > MAX_WORKBOOK_ELEMENTS:
            raise self.refuse(f"the workbook's parts hold more than {MAX_WORKBOOK_ELEMENTS:,} XML elements")
        if self.elements > MAX_PART_ELEMENTS + 12 * self.units:
            raise self.refuse(f"more than {MAX_PART_ELEMENTS:,} XML elements besides its cells and texts")

    def _sheet_start(self, name: str, attrs: dict[str, str]) -> None:
        self._element()
        self.depth += 1
        if self.row_depth:  # inside a row
            if name == _ROW:
                raise self.refuse("a row inside a row; save the workbook again from a spreadsheet program")
            if self.depth == self.row_depth + 1:  # the spreadsheet library takes every child of a row for a cell
                self._cell(attrs.get("r"))
        elif name == _ROW:
            self.row_depth = self.depth
            self._row(attrs.get("r"))
        elif name.endswith(_RANGE_ELEMENTS):
            local = name.rpartition(" ")[2]
            if local in ("mergeCell", "hyperlink"):
                self._range(attrs.get("ref", ""), "a merged range" if local == "mergeCell" else "a hyperlink")

    def _sheet_end(self, name: str) -> None:
        if self.depth == self.row_depth:
            self.row_depth = 0
        self.depth -= 1

    def _count_cells(self, count: int) -> None:
        self.units += 1
        self.budget.cells += count
        if self.budget.cells > MAX_WORKBOOK_CELLS:
            raise self.refuse(
                f"the sheets hold more than {MAX_WORKBOOK_CELLS:,} cells (counted up to this sheet, merged ranges "
                f"and hyperlinks cell by cell); a workbook holds at most {MAX_WORKBOOK_CELLS:,}"
            )

    def _row(self, ref: str | None) -> None:
        self.rows += 1
        self.units += 1
        if self.rows > MAX_SHEET_ROWS + 1:  # one more than may be: enough to tell, and the cells of that row are read
            self.stopped = True
            raise _StopPart
        self.column = 0
        if ref is None:
            self.row += 1
            return
        try:  # as the spreadsheet library reads it: a whole number, or a number with a fraction of zero
            self.row = int(ref)
        except ValueError:
            try:
                number = float(ref)
            except ValueError:
                return
            if number.is_integer():
                self.row = int(number)

    def _cell(self, ref: str | None) -> None:
        self._count_cells(1)
        if ref:
            position = _openpyxl_position(ref)
            if position is None:
                return  # the spreadsheet library refuses it
            row, self.column = position
        else:
            self.column += 1
            row = self.row
        if row > MAX_SHEET_ROWS:
            self._far(
                f"{self.title}!{_column_letters(self.column)}{row}",
                f"a cell below row {MAX_SHEET_ROWS:,}; a sheet holds at most {m.MAX_ITEMS:,} entries and its header: clear it",
            )
        elif self.column > MAX_SHEET_COLUMNS:
            self._far(
                f"{self.title}!{_column_letters(self.column)}{row}",
                f"a cell beyond column {_column_letters(MAX_SHEET_COLUMNS)}, far beyond the template's columns: clear it",
            )

    def _range(self, ref: str, what: str) -> None:
        """A range whose every cell the spreadsheet library makes (a merge, a hyperlink) or one cell (a comment)."""
        found = _RANGE.fullmatch(ref)
        if found is None:
            self._far(self.label, f"{what} over {ref[:40]!r}, which is not a range of cells the reader takes: remove it")
            return
        first = (_column_number(found.group(1).upper()), int(found.group(2)))
        last = (_column_number(found.group(3).upper()), int(found.group(4))) if found.group(3) else first
        columns, rows = sorted((first[0], last[0])), sorted((first[1], last[1]))
        if rows[1] > MAX_SHEET_ROWS or columns[1] > MAX_SHEET_COLUMNS:
            self._far(
                f"{self.title}!{ref}",
                f"{what} reaching beyond row {MAX_SHEET_ROWS:,} or column "
                f"{_column_letters(MAX_SHEET_COLUMNS)}, far beyond the template's cells: remove it",
            )
            return
        self._count_cells((columns[1] - columns[0] + 1) * (rows[1] - rows[0] + 1))

    def _far(self, at: str, message: str) -> None:
        self.far = FactsProblem(at, message)
        raise _StopPart


def _openpyxl_position(ref: str) -> tuple[int, int] | None:
    """A cell's ``r`` as the spreadsheet library (openpyxl 3.1, ``coordinate_to_tuple``) reads it: (row, column), or None
    where it refuses it. Letters up to the first ASCII digit, then whatever ``int`` takes (``"5 "``, ``"1_0000"``)."""
    cut = len(ref) - 1
    for index, character in enumerate(ref):
        if character in "0123456789":
            cut = index
            break
    letters, digits = ref[:cut], ref[cut:]
    if not 1 <= len(letters) <= 3 or not all("A" <= ch <= "Z" for ch in letters.upper()):
        return None
    column = _column_number(letters.upper())
    try:
        return int(digits), column
    except ValueError:
        return None


_PART_KINDS = {"sst": "strings", "comments": "comments", "workbook": "book", "Relationships": "rels"}
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
#: A row, as the spreadsheet library finds it (expat's name: the namespace, a space, the local name).
_ROW = "http://schemas.openxmlformats.org/spreadsheetml/2006/main row"
_RANGE_ELEMENTS = ("mergeCell", "hyperlink")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,9}))?")
_ENCODING_ERRORS = {
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_UNKNOWN_ENCODING],
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_INCORRECT_ENCODING],
}


def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters if isinstance(letters, str) else letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_bytes(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str | None]:
    """The workbook's bytes (read no further than the limit) and its path, if it has one."""
    from natssips_rules._internal.files import read_bounded

    where = None if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else read_bounded(pathlib.Path(source), MAX_WORKBOOK_BYTES)
    if len(data) > MAX_WORKBOOK_BYTES:
        raise FactsError([FactsProblem("", f"the workbook is larger than {MAX_WORKBOOK_BYTES:,} bytes")], source=where)
    return data, where


class _Reader:
    """Turns the workbook's cells into the facts' plain data, remembering which cell each path came from."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.problems: list[FactsProblem] = []
        #: A sheet could not be read at all (its layout is not the template's): the facts read are incomplete.
        self.unreadable = False
        #: JSON path of a value -> the cell it came from ("People!D7 (profession)").
        self.cells: dict[str, str] = {}
        #: Columns beyond the template's, set aside (not read): sheet -> column letter -> its heading (row 1), if any.
        self.set_aside: dict[str, dict[str, Any]] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(FactsProblem(where, message))

    # one cell -------------------------------------------------------------

    def value(self, col: Column, raw: Any, where: str) -> Any:
        """The plain value of one cell (None when blank); problems noted against ``where``."""
        if isinstance(raw, str):
            if col.role == "value" and col.path == ("id",) and raw.strip() and raw != raw.strip():
                # an entry's own id with a stray space: blamed here, on the id's own cell, not on every cell referring to
                # it; read without the space so those references are not reported as well (the facts still do not load)
                self.problem(
                    where,
                    f"the id {_show(raw)} has a space (or other blank) at its start or end; ids are matched "
                    "exactly, so the cells that refer to it would not find it: remove the space",
                )
                return raw.strip()
            if col.role == "value" and col.spec.kind in ("text", "id", "ref"):
                return raw or None  # text and references are kept as typed (a reference with a stray space names nobody)
            raw = raw.strip()
            if raw == "":
                return None
        if raw is None:
            return None
        if col.role in ("exists", "member", "known") or col.spec.kind == "flag":
            if isinstance(raw, bool):
                answer = raw
            elif isinstance(raw, str) and raw.lower() in (YES, NO, "true", "false", "y", "n"):
                answer = raw.lower() in (YES, "true", "y")
            else:
                self.problem(where, f"{_show(raw)} is not {col.allowed()}")
                return None
            if col.role == "known" and not answer:
                self.problem(where, "answer yes when the list is known, or leave blank")
                return None
            return answer
        kind = col.spec.kind
        if kind == "enum" and col.choices is not None:
            text = str(raw).strip().lower()
            for member in col.choices:
                if text in (member.value.lower(), _label(member).lower()):
                    return member.value
            self.problem(where, f"{_show(raw)} is not {col.allowed()}")
            return None
        if kind == "date":
            if isinstance(raw, datetime.datetime):
                if raw.time() != datetime.time(0, 0):
                    self.problem(where, f"{_show(raw)} has a time of day; a date is expected")
                    return None
                return raw.date().isoformat()
            if isinstance(raw, datetime.date):
                return raw.isoformat()
            if isinstance(raw, str):
                uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
                if uk:  # a date typed as text the UK way, day first
                    try:
                        return datetime.date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1))).isoformat()
                    except ValueError:
                        self.problem(where, f"{_show(raw)} is not a date (day/month/year)")
                        return None
                return raw
            return raw
        if kind in ("id", "text", "ref"):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
                return str(int(raw))  # an id typed as a number
            if isinstance(raw, (datetime.date, datetime.time)):
                self.problem(where, f"{_show(raw)} is a date; {col.allowed()} is expected")
                return None
            return raw if isinstance(raw, str) else str(raw)
        if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
            self.problem(where, f"{_show(raw)} is a date or time; {col.allowed()} is expected")
            return None
        return raw

    # a group of cells for one object --------------------------------------

    def build(self, columns: tuple[Column, ...], cells: list[tuple[Any, str]], json_prefix: str) -> dict[str, Any]:
        """The plain dict of one object (the organisation or a list entry) from its answer cells."""
        data: dict[str, Any] = {}
        exists: dict[tuple[str, ...], tuple[bool, str]] = {}
        members: dict[tuple[str, ...], list[tuple[Column, bool | None, str]]] = {}
        for col, (raw, where) in zip(columns, cells, strict=True):
            if col.role == "label":
                continue
            answer = self.value(col, raw, where)
            path = col.path
            json_path = _json_path(json_prefix, path)
            if col.role == "exists":
                if answer is not None:
                    exists[path] = (answer, where)
                self.cells.setdefault(json_path, where)
                continue
            if col.role == "member":
                members.setdefault(path, []).append((col, answer, where))
                self.cells.setdefault(json_path, where)
                continue
            if col.role == "known":
                self.cells.setdefault(json_path, where)
                if answer:
                    _put(data, path, [])  # the sheet's rows, if any, replace it
                continue
            self.cells[json_path] = where
            if answer is not None:
                _put(data, path, answer)
        for path, answers in members.items():
            if all(a is None for _, a, _ in answers):
                continue
            _put(data, path, [col.member.value for col, a, _ in answers if a and col.member is not None])
        # "is there one?": no records that there is none; yes makes the object even with nothing else known
        for path, (answer, where) in sorted(exists.items(), key=lambda item: len(item[0])):
            if any(_lookup(data, path[:i]) is False for i in range(1, len(path))):
                if answer:
                    self.problem(where, "answered yes, but what holds it is answered no (there is none)")
                continue
            held = _lookup(data, path)
            if not answer:
                if held not in (None, _MISSING):
                    self.problem(where, "answered no (there is none), but facts about it are given on this sheet")
                    continue
                _put(data, path, False)
            elif held is _MISSING or held is None:
                spec = next(c.spec for c in columns if c.path == path)
                if spec.kind == "ref":
                    continue  # there is one, but whom is not known
                _put(data, path, {})
        return data


class _Missing:
    pass


_MISSING = _Missing()


def _lookup(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    obj: Any = data
    for name in path:
        if not isinstance(obj, dict) or name not in obj:
            return _MISSING
        obj = obj[name]
    return obj


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    obj = data
    for name in path[:-1]:
        nxt = obj.get(name)
        if not isinstance(nxt, dict):
            nxt = obj[name] = {}
        obj = nxt
    obj[path[-1]] = value


def _json_path(prefix: str, path: tuple[str, ...]) -> str:
    dotted = ".".join(path)
    if not prefix:
        return dotted
    return f"{prefix}.{dotted}" if dotted else prefix


def _show(raw: Any) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(cell: Any) -> Any:
    """A cell's value; a formula or an error value (already reported) reads as blank."""
    return None if cell.data_type in ("f", "e") else cell.value


def _cells_of(ws: Any, row: int, count: int, sheet: str, keys: list[str]) -> list[tuple[Any, str]]:
    from openpyxl.utils import get_column_letter

    out = []
    for i in range(count):
        letter = get_column_letter(i + 1)
        out.append((_plain(ws.cell(row=row, column=i + 1)), f"{sheet}!{letter}{row} ({keys[i]})"))
    return out


def load_workbook_facts(
    source: str | os.PathLike[str] | bytes, *, build: Callable[[dict[str, Any]], m.Organisation]
) -> m.Organisation:
    """Read an organisation's facts from a workbook made from the template.

    The values read, as plain data, are checked and built by ``build``
    (:func:`~natssips_rules.load_facts`, which calls this for a workbook).
    Raises :class:`FactsError` listing every problem with its sheet, cell and
    column; nothing is half-loaded.
    """
    data, where = _read_bytes(source)
    refuse_other_formats(data, where)  # .ods, .xls, .xlsm, .xlsb: named, with how to save as .xlsx
    try:
        _zip_guard(data, where or "the workbook")
    except DAMAGED_ZIP_ERRORS as exc:  # a bad CRC, a misstated size, a truncated member
        raise damaged_workbook(exc, where) from None
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False, keep_links=False)
    except DAMAGED_ZIP_ERRORS as exc:
        raise damaged_workbook(exc, where) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; none may escape as a traceback
        raise FactsError(
            [FactsProblem("", f"cannot be read as a workbook: {type(exc).__name__}: {_short(exc)}")], source=where
        ) from None
    reader = _Reader(wb)
    plain = _read_organisation(reader, wb)
    if reader.unreadable:  # checking incomplete facts would only report what is missing because of it
        raise FactsError(_in_sheet_order(reader.problems), source=where)
    try:
        org = build(plain)
    except FactsError as exc:
        # the cells already refused read as blank, so the loader's problems are new ones: report both at once,
        # but not again for a cell already refused (its value "is required" only because it was refused)
        refused = {p.path for p in reader.problems}
        located = [FactsProblem(_locate(reader.cells, p.path), p.message) for p in exc.problems]
        located = [p for p in located if p.path not in refused]
        raise FactsError(_in_sheet_order([*reader.problems, *located]), source=where) from None
    if reader.problems:
        raise FactsError(_in_sheet_order(reader.problems), source=where)
    if reader.set_aside:
        warnings.warn(_set_aside_message(reader.set_aside, where), WorkbookWarning, stacklevel=2)
    return org


def _set_aside_message(set_aside: dict[str, dict[str, Any]], where: str | None) -> str:
    """The one warning for the columns the template does not have, sheet by sheet."""
    parts = []
    for sheet in sorted(set_aside, key=lambda name: (SHEETS.index(name) if name in SHEETS else len(SHEETS), name)):
        columns = sorted(set_aside[sheet].items(), key=lambda item: _column_number(item[0]))
        named = [f"{letter} ({_show(heading)})" if heading not in (None, "") else letter for letter, heading in columns]
        parts.append(f"{sheet}!{', '.join(named)}")
    return (
        f"{where or 'the workbook'}: columns the template does not have were set aside and not read: {'; '.join(parts)} "
        "(the facts are read from the template's columns only)"
    )


_CELL = re.compile(r"^(?P<sheet>[^!]+)!(?P<col>[A-Z]+)(?P<row>\d+)")


def _in_sheet_order(problems: list[FactsProblem]) -> list[FactsProblem]:
    """Problems as a reader goes through the workbook: sheet by sheet, row by row, column by column."""

    def key(problem: FactsProblem) -> tuple[int, int, int, str]:
        found = _CELL.match(problem.path)
        sheet = found.group("sheet") if found else problem.path
        order = SHEETS.index(sheet) if sheet in SHEETS else -1
        if not found:
            return (order, 0, 0, problem.path)
        return (order, int(found.group("row")), _column_number(found.group("col")), problem.path)

    return sorted(problems, key=key)


def _short(exc: BaseException) -> str:
    text = str(exc) or "no detail"
    return text if len(text) <= 200 else text[:197] + "..."


def _locate(cells: dict[str, str], path: str) -> str:
    """The cell a facts path came from: the path itself, else its nearest enclosing one that is known."""
    probe = path
    while probe:
        if probe in cells:
            return cells[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return path or ORGANISATION_SHEET


def _sheet_problems(reader: _Reader, ws: Any, width: int) -> None:
    """Formulas, error values, merged cells, cells beyond the template's columns, too many rows."""
    title = ws.title
    for merged in list(ws.merged_cells.ranges):
        reader.problem(f"{title}!{merged.coord}", "merged cells; unmerge them and give each cell its own value")
    # refused before the workbook is opened; never walk such a sheet
    if ws.max_row > MAX_SHEET_ROWS:
        reader.problem(f"{title}", f"{ws.max_row - 1:,} rows; a sheet holds at most {m.MAX_ITEMS:,}")
        return
    if ws.max_column > MAX_SHEET_COLUMNS:
        reader.problem(f"{title}", f"cells beyond column {_column_letters(MAX_SHEET_COLUMNS)}, far beyond the template's columns")
        return
    for cell in _stored_cells(ws):
        if cell.value is None:
            continue
        if cell.column > width:  # a column of the Trust's own (notes): set aside, not read, said once
            heading = ws.cell(row=1, column=cell.column).value
            reader.set_aside.setdefault(title, {}).setdefault(cell.column_letter, heading)
            continue
        if cell.data_type == "f" or (
            isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type not in ("s", "e")
        ):
            reader.problem(f"{title}!{cell.coordinate}", "a formula; formulas are never evaluated: type the value instead")
        elif cell.data_type == "e":
            reader.problem(f"{title}!{cell.coordinate}", f"an error value ({_show(cell.value)[1:-1]}); type the value instead")
        elif type(cell.value).__name__ not in ("str", "int", "float", "bool", "datetime", "date", "time", "timedelta"):
            reader.problem(
                f"{title}!{cell.coordinate}",
                f"a value of a kind a workbook cell of facts cannot hold ({type(cell.value).__name__})",
            )


def _stored_cells(ws: Any) -> list[Any]:
    """The cells a sheet stores, row by row (never the empty grid between them)."""
    return [ws._cells[key] for key in sorted(ws._cells)]


def _worksheet(reader: _Reader, wb: Any, name: str) -> Any | None:
    """The sheet ``name``, or None (reported) where it is a chart sheet."""
    ws = wb[name]
    if not hasattr(ws, "merged_cells"):  # a chart sheet (Move Chart -> New sheet) has no cells
        reader.problem(name, "a chart sheet, not the template's sheet")
        reader.unreadable = True
        return None
    return ws


def _read_organisation(reader: _Reader, wb: Any) -> dict[str, Any]:
    names = list(wb.sheetnames)
    for name in names:
        if name not in SHEETS:
            reader.problem(name, f"a sheet the template does not have; the sheets are: {', '.join(SHEETS[:-1])}")
    if ORGANISATION_SHEET not in names:
        reader.problem(ORGANISATION_SHEET, "the Organisation sheet is missing")
        reader.unreadable = True
        return {}
    ws = _worksheet(reader, wb, ORGANISATION_SHEET)
    if ws is None:
        return {}
    _sheet_problems(reader, ws, len(_ORG_HEADERS))
    keys = [c.key for c in ORGANISATION_ROWS]
    found = [ws.cell(row=r, column=1).value for r in range(2, len(keys) + 2)]
    for r, (key, got) in enumerate(zip(keys, found, strict=True), start=2):
        if got != key:
            reader.problem(
                f"{ORGANISATION_SHEET}!A{r}", f"expected the row {key!r}, found {_show(got)}: keep the template's rows"
            )
            reader.unreadable = True
            return {}
    if ws.max_row > len(keys) + 1 and any(
        ws.cell(row=r, column=c).value is not None for r in range(len(keys) + 2, ws.max_row + 1) for c in range(1, 5)
    ):
        reader.problem(f"{ORGANISATION_SHEET}!A{len(keys) + 2}", "rows beyond the template's")
    for r, key in enumerate(keys, start=2):
        for column, letter in ((2, "B"), (4, "D")):
            text = ws.cell(row=r, column=column).value
            if text is not None and not isinstance(text, str):  # the template writes text there; a number or date is an answer
                what = "question column" if letter == "B" else "hint column (what may be written)"
                reader.problem(f"{ORGANISATION_SHEET}!{letter}{r} ({key})", f"a value in the {what}; answers go in column C")
    cells = [(_plain(ws.cell(row=r, column=3)), f"{ORGANISATION_SHEET}!C{r} ({key})") for r, key in enumerate(keys, start=2)]
    data = reader.build(ORGANISATION_ROWS, cells, "")
    for sheet in LIST_SHEETS:
        _read_list(reader, wb, sheet, data, names)
    return data


def _rows(ws: Any, width: int) -> Iterator[int]:
    """The rows below the header with a value in the template's columns."""
    yield from sorted({r for (r, c), cell in ws._cells.items() if r >= 2 and c <= width and cell.value not in (None, "")})


def _read_list(reader: _Reader, wb: Any, sheet: Sheet, data: dict[str, Any], names: list[str]) -> None:
    known_key = ".".join(sheet.path)
    known = _lookup(data, sheet.path)
    if sheet.name not in names:
        if isinstance(known, list):
            reader.problem(sheet.name, f"the sheet is missing, but {known_key} is answered known")
        elif sheet.kind == "factors" and isinstance(known, dict):
            reader.problem(sheet.name, f"the sheet is missing, but {known_key} is answered known (is there one?: yes)")
        return
    ws = _worksheet(reader, wb, sheet.name)
    if ws is None:
        return
    width = len(sheet.columns)
    _sheet_problems(reader, ws, width)
    keys = [c.key for c in sheet.columns]
    from openpyxl.utils import get_column_letter

    for i, key in enumerate(keys, start=1):
        got = ws.cell(row=1, column=i).value
        if got != key:
            reader.problem(
                f"{sheet.name}!{get_column_letter(i)}1",
                f"expected the column {key!r}, found {_show(got)}: keep the template's columns",
            )
            reader.unreadable = True
            return
    rows = list(_rows(ws, width))
    if sheet.kind == "factors":
        _read_factors(reader, ws, sheet, data, rows, keys)
        return
    if not rows:
        return  # known and empty (answered yes on the Organisation sheet) or not known
    prefix = known_key
    entries: list[Any] = []
    for index, r in enumerate(rows):
        cells = _cells_of(ws, r, width, sheet.name, keys)
        entry_path = f"{prefix}[{index}]"
        reader.cells[entry_path] = f"{sheet.name}!A{r}"
        if sheet.kind == "reflist":
            col = sheet.columns[0]
            reader.cells[entry_path] = cells[0][1]
            entries.append(reader.value(col, cells[0][0], cells[0][1]))
        else:
            entries.append(reader.build(sheet.columns, cells, entry_path))
    if sheet.path[:-1] and _lookup(data, sheet.path[:-1]) is False:
        reader.problem(sheet.name, f"{'.'.join(sheet.path[:-1])} is answered as absent (no), but the sheet has rows")
        return
    _put(data, sheet.path, entries)


def _read_factors(reader: _Reader, ws: Any, sheet: Sheet, data: dict[str, Any], rows: list[int], keys: list[str]) -> None:
    """The eleven staffing factors: row i+2 is factor i (the template lists them in the standard's order, labelled in column A)."""
    fields = m.STAFFING_FACTOR_FIELDS
    for r in rows:
        if r - 2 >= len(fields):
            reader.problem(f"{sheet.name}!A{r}", f"row {r} is beyond the eleven staffing factors")
    moved = False
    for r, name in enumerate(fields, start=2):
        label = _factor_label(name)
        got = ws.cell(row=r, column=1).value
        if (got.strip() if isinstance(got, str) else got) != label:
            found = "a blank cell" if got is None else _show(got)
            reader.problem(
                f"{sheet.name}!A{r}", f"expected the factor {label!r}, found {found}: keep the template's rows, in its order"
            )
            moved = True
    if moved:  # the answers may be another factor's: read none of them
        reader.unreadable = True
        return
    factors: dict[str, Any] = {}
    for i, name in enumerate(fields):
        r = i + 2
        cells = _cells_of(ws, r, len(sheet.columns), sheet.name, keys)
        factor_path = f"{'.'.join(sheet.path)}.{name}"
        reader.cells[factor_path] = cells[0][1]
        built = reader.build(sheet.columns, cells, factor_path)
        flag = built.pop("factor", _MISSING)
        if flag is False:
            if built:
                reader.problem(cells[0][1], "answered no (not recorded as existing), but facts about the factor are given")
            factors[name] = False
        elif built or flag == {}:
            factors[name] = built
    if not factors:
        return
    if _lookup(data, sheet.path[:-1]) is False:
        reader.problem(sheet.name, "staffing is answered as absent (no), but the sheet has facts")
        return
    if _lookup(data, sheet.path) is False:
        reader.problem(sheet.name, "staffing.factors is answered as absent (no), but the sheet has facts")
        return
    _put(data, sheet.path, factors)
