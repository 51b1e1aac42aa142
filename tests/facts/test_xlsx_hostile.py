"""Hostile workbooks (tests/facts/hostile_workbooks.py): each refused with FactsError naming the part at fault.

Each is read in a subprocess under an address-space limit (and a generous
wall-clock limit against a hang), so that a regression fails the test instead
of taking the machine down. Times and peak memory are measured by
``benchmarks/hostile_workbooks.py``, not asserted here.
"""

import io
import json
import pathlib
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.facts import xlsx
from tests.facts import hostile_workbooks as hw

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
MEMORY_LIMIT = 400 * 1024 * 1024

CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import natssips_rules as nr
try:
    nr.load_facts(open(sys.argv[1], "rb").read())
except nr.FactsError as exc:
    print(json.dumps({"refused": [str(p) for p in exc.errors], "openpyxl": "openpyxl" in sys.modules}))
else:
    print(json.dumps({"accepted": True}))
"""


def read_in_a_subprocess(path: pathlib.Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(MEMORY_LIMIT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def books():
    return hw.hostile_workbooks()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(hw.MAKERS))
def test_each_hostile_workbook_is_refused_naming_its_part_before_a_spreadsheet_library_reads_it(name, books, tmp_path):
    data, part = books[name]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    outcome = read_in_a_subprocess(path)
    assert "refused" in outcome, f"{name}: accepted"
    assert len(outcome["refused"]) == 1, outcome
    problem = outcome["refused"][0]
    sheet = "People" if part == hw.PEOPLE else None
    assert part in problem or (sheet is not None and problem.startswith((f"{sheet}!", f"a sheet ({sheet})"))), problem
    assert outcome["openpyxl"] is False  # refused on what the XML parser read, before openpyxl opened the workbook


def test_the_hostile_workbooks_are_small_files():
    for name, (data, _part) in hw.hostile_workbooks().items():
        assert len(data) < 150_000, name
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert sum(i.file_size for i in archive.infolist()) <= xlsx.MAX_WORKBOOK_UNPACKED_BYTES, name


def test_the_base_of_the_hostile_workbooks_is_accepted():
    """So each refusal is due to the hostile part alone."""
    assert nr.load_facts(hw.template()).name


def test_a_document_type_is_refused_wherever_it_is_even_a_harmless_one():
    for part in ("xl/workbook.xml", "[Content_Types].xml", "xl/theme/theme1.xml", "docProps/app.xml", "xl/sharedStrings.xml"):
        data = hw.rewritten(
            hw.template(),
            {
                part: lambda old: (
                    b'<?xml version="1.0"?><!DOCTYPE x>'
                    + (old.split(b"?>", 1)[-1] if old.startswith(b"<?xml") else old or b"<x/>")
                )
            },
        )
        with pytest.raises(nr.FactsError) as info:
            nr.load_facts(data)
        assert [p.path for p in info.value.errors] == [part], part
        assert "document type declaration" in str(info.value)


# --------------------------------------------------------------------------
# positions are read as the spreadsheet library reads them


def row_ref(draw, number):
    """A row's r as a spreadsheet file may write it: digits, a float, or absent (the row after the one before)."""
    return draw(st.sampled_from([f' r="{number}"', f' r="{number}.0"', f' r="{number}e0"', f' r=" {number} "']))


def cell_ref(draw, column, row):
    """A cell's r: its letters (some as character references, in either case), or absent."""
    letters = xlsx._column_letters(column)
    spelled = "".join(f"&#{ord(ch)};" if draw(st.booleans()) else ch for ch in letters)
    return draw(st.sampled_from([f' r="{letters}{row}"', f' r="{spelled.lower()}{row}"', f' r="{spelled}{row} "', ""]))


@st.composite
def sheets_near_the_limits(draw):
    rows = []
    for number in sorted(draw(st.sets(st.integers(xlsx.MAX_SHEET_ROWS - 2, xlsx.MAX_SHEET_ROWS + 2), min_size=1, max_size=3))):
        cells = []
        column = 0
        for _ in range(draw(st.integers(1, 3))):
            column = draw(st.integers(column + 1, column + 1 + xlsx.MAX_SHEET_COLUMNS))
            ref = cell_ref(draw, column, number)  # without r, a cell follows the one before
            tag = draw(st.sampled_from(["c", "c", "c", "v", "x:c"]))  # every child of a row is a cell, whatever its name
            cells.append(f'<{tag}{ref} xmlns:x="urn:x" t="inlineStr"><is><t>x</t></is></{tag}>')
        rows.append(f"<row{row_ref(draw, number)}>{''.join(cells)}</row>")
    return "".join(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets_near_the_limits())
def test_the_guard_places_cells_where_openpyxl_does(rows):
    """Refused by the guard exactly when openpyxl (fed the same sheet) puts a cell beyond the last row or column."""
    data = hw.rewritten(
        hw.template(), {hw.PEOPLE: lambda sheet: sheet.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1)}
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["People"]
    beyond = any(r > xlsx.MAX_SHEET_ROWS or c > xlsx.MAX_SHEET_COLUMNS for r, c in ws._cells)
    try:
        xlsx._zip_guard(data, "book")
    except nr.FactsError as exc:
        refused = [str(p) for p in exc.errors]
    else:
        refused = []
    assert bool(refused) == beyond, (refused, sorted(k for k in ws._cells if k[0] > 9000))
    if beyond:
        first = min((r, c) for r, c in ws._cells if r > xlsx.MAX_SHEET_ROWS or c > xlsx.MAX_SHEET_COLUMNS)
        assert refused[0].startswith(f"People!{xlsx._column_letters(first[1])}{first[0]}: "), (refused, first)
