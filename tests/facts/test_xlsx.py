"""Facts from a spreadsheet template, and reports out to a workbook (the ``xlsx`` extra)."""

import datetime
import io
import json
import math
import pathlib
import zipfile

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.facts import model as m, xlsx
from natssips_rules.testing import organisations

openpyxl = pytest.importorskip("openpyxl")

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted(ROOT.joinpath("examples").glob("*.json"))
LARGE = ROOT / "examples" / "northvale-large-trust.json"


def canonical(org: nr.Organisation) -> dict:
    """The facts with every list of enumerated values in the enumeration's order (a workbook asks value by value)."""

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [walk(v) for v in value]
            if items and all(isinstance(v, str) for v in items) and _enum_values(items):
                order = _enum_values(items)
                return sorted(items, key=order.index)
            return items
        return value

    return walk(json.loads(json.dumps(nr.dump_facts(org))))


def same(a, b) -> bool:
    """Equal, numbers to 15 significant digits (as a spreadsheet keeps them)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-15, abs_tol=0)
    return a == b and type(a) is type(b)


def _enum_values(items):
    for cls in (m.Profession, m.SupportArea, m.SteeringResponsibility, m.IntelligenceSource):
        values = [v.value for v in cls]
        if all(item in values for item in items):
            return values
    return None


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(data)
    return [str(p) for p in info.value.errors]


# --------------------------------------------------------------------------
# the template follows the facts model


def test_the_template_has_a_sheet_per_list_and_a_row_or_column_per_field():
    wb = workbook(nr.facts_workbook())
    assert wb.sheetnames == list(xlsx.SHEETS)
    assert wb["Lists"].sheet_state == "hidden"
    columns = xlsx.template_columns()
    # every field of every list's class has its column; every single fact its row
    assert {"id", "name", "profession", "seniority", "substantive", "in_training", "site"} <= set(columns["People"])
    assert {"natssips_lead: is there one?", "natssips_lead.person", "natssips_lead.sessions_per_week"} <= set(columns["Sites"])
    assert {f"authority_to_obtain_support: {v.value}" for v in m.SupportArea} <= set(columns["NatSSIPs leads"])
    assert {
        "board: is there one?",
        "board.natssips_portfolio_holder",
        "people: known?",
        "assurance.public_account.published_on",
        "steering_group.members: known?",
    } <= set(columns["Organisation"])
    for cls, sheet in ((m.Person, "People"), (m.Specialty, "Specialties"), (m.Action, "Actions")):
        assert [f.name for f in attrs.fields(cls)] == [k for k in columns[sheet] if ":" not in k and "." not in k]
    ws = wb["Organisation"]
    assert [c.value for c in ws[1]] == ["field", "question", "answer", "what may be written"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(row=rows["beds"], column=2).value == "How many beds does the organisation have?"
    assert ws.cell(row=rows["kind"], column=4).value.startswith("one of: NHS Trust, NHS Foundation Trust")


def test_cells_have_drop_downs_dates_and_notes():
    wb = workbook(nr.facts_workbook())
    people = wb["People"]
    header = {c.value: c.column_letter for c in people[1]}
    assert people[f"{header['profession']}1"].comment.text.startswith("What is this person's profession?")
    validations = {str(dv.sqref): dv for dv in people.data_validations.dataValidation}
    assert validations[f"{header['profession']}2:{header['profession']}10001"].formula1.startswith("Lists!")
    assert validations[f"{header['substantive']}2:{header['substantive']}10001"].type == "list"
    sites = wb["Sites"]
    head = {c.value: c.column_letter for c in sites[1]}
    refs = {str(dv.sqref): dv.formula1 for dv in sites.data_validations.dataValidation}
    assert refs[f"{head['natssips_lead.person']}2:{head['natssips_lead.person']}10001"] == "'People'!$A$2:$A$10001"
    org = workbook(nr.facts_workbook(nr.load_facts(LARGE)))["Organisation"]
    rows = {org.cell(row=r, column=1).value: r for r in range(2, org.max_row + 1)}
    as_of = org.cell(row=rows["as_of"], column=3)
    assert as_of.is_date and as_of.number_format == "yyyy-mm-dd"


# --------------------------------------------------------------------------
# the round trip


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_ship_as_workbooks_that_hold_the_same_facts(path):
    """examples/*.xlsx are kept current: regenerate with `natssips-rules template examples/X.xlsx --from examples/X.json`."""
    shipped = path.with_suffix(".xlsx")
    assert shipped.exists(), f"{shipped.name} is missing"
    assert canonical(nr.load_facts(shipped)) == canonical(nr.load_facts(path))
    report_json = nr.evaluate(path)
    report_xlsx = nr.evaluate(shipped)
    assert [(f.rule_id, f.subject.id, f.status) for f in report_xlsx.findings] == [
        (f.rule_id, f.subject.id, f.status) for f in report_json.findings
    ]


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
NAME = TEXT.filter(str.strip)  # required text may not be blank
ROUND_TRIPS = []


@st.composite
def organisations_with_text(draw):
    org = draw(organisations(known=draw(st.sampled_from([0.2, 0.6, 0.95]))))
    people = org.people
    if people:
        people = tuple(attrs.evolve(p, name=draw(NAME), job_title=draw(st.none() | TEXT)) for p in people)
    evidence = st.none() | st.builds(m.EvidenceRef, title=NAME, date=st.none() | st.dates(), url=st.none() | TEXT)
    actions = draw(
        st.none()
        | st.lists(
            st.builds(
                m.Action,
                id=st.sampled_from(["A1", "A2", "A3"]),
                rule=st.sampled_from(["roles.board-member", "local.x"]),
                subject=st.none() | TEXT,
                description=NAME,
                owner=st.none() | TEXT,
                due=st.none() | st.dates(),
                state=st.none() | st.sampled_from(list(m.ActionState)),
            ),
            max_size=3,
            unique_by=lambda a: a.id,
        )
    )
    board = org.board
    if board not in (None, False):
        board = attrs.evolve(board, portfolio_evidence=draw(evidence))
    return attrs.evolve(org, people=people, actions=actions, board=board, staff_headcount=draw(st.none() | st.integers(0, 10**6)))


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations_with_text())
def test_facts_to_workbook_to_facts_gives_the_same_facts(org):
    back = nr.load_facts(nr.facts_workbook(org))
    assert same(canonical(back), canonical(org))
    ROUND_TRIPS.append(1)


def test_the_round_trip_property_ran():
    print(f"\nround trips through a workbook: {len(ROUND_TRIPS)} generated organisations")
    assert len(ROUND_TRIPS) == 0 or len(ROUND_TRIPS) >= 50


def test_absence_is_kept_apart_from_not_known():
    org = nr.load_facts(json.loads(LARGE.read_text()) | {"board": False, "specialties": [], "natssips_leads": None})
    back = nr.load_facts(nr.facts_workbook(org))
    assert back.board is False and back.specialties == () and back.natssips_leads is None


# --------------------------------------------------------------------------
# what a spreadsheet user gets wrong, located by sheet, cell and column


def damaged(**edits) -> bytes:
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    for where, value in edits.items():
        sheet, cell = where.rsplit("_", 1)
        wb[sheet.replace("__", " ")][cell] = value
    return saved(wb)


def test_every_problem_at_once_with_its_cell_and_column():
    data = damaged(People_C7="surgeon", Sites_F3="two", Organisation_C7="maybe", Organisation_C6="2026-02-30", People_A3=None)
    assert problems_of(data) == [
        "Organisation!C6 (as_of): '2026-02-30' is not a real date",
        "Organisation!C7 (beds): expected a whole number, got text 'maybe'",
        "People!A3 (id): 'id' is required",
        "People!C7 (profession): 'surgeon' is not one of: medical, nursing, midwifery, pharmacy, allied health professional, "
        "healthcare science, management, administrative, other",
        "Sites!F3 (natssips_lead.sessions_per_week): expected a number, got text 'two'",
    ]


def test_a_reference_to_nobody_and_a_duplicate_id_name_their_cells():
    data = damaged(**{"NatSSIPs__leads_A2": "p-nobody", "People_A4": "p-hartley"})
    found = problems_of(data)
    assert any(p.startswith("NatSSIPs leads!A2 (person): refers to 'p-nobody'") for p in found), found
    assert any(p.startswith("People!A4 (id): the id 'p-hartley' is used by another entry") for p in found), found


def test_formulas_are_never_evaluated():
    found = problems_of(damaged(Organisation_C7="=1000+450"))
    assert found == ["Organisation!C7: a formula; formulas are never evaluated: type the value instead"]


def test_merged_cells_extra_sheets_and_stray_values_are_refused():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    wb["People"].merge_cells("B12:C13")
    wb.create_sheet("Notes")
    wb["Sites"]["Z2"] = "a note"
    found = problems_of(saved(wb))
    assert "People!B12:C13: merged cells; unmerge them and give each cell its own value" in found
    assert any(p.startswith("Notes: a sheet the template does not have") for p in found)
    assert not [p for p in found if p.startswith("Sites!Z2")]  # a column of the Trust's own: set aside, not refused


def test_a_moved_column_is_named():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    wb["People"]["C1"] = "job"
    assert problems_of(saved(wb)) == ["People!C1: expected the column 'profession', found 'job': keep the template's columns"]


def test_contradictions_between_a_none_answer_and_facts():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    ws = wb["Organisation"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=rows["board: is there one?"], column=3).value = "no"
    found = problems_of(saved(wb))
    assert found == [
        f"Organisation!C{rows['board: is there one?']} (board: is there one?): answered no (there is none), "
        "but facts about it are given on this sheet"
    ]


def test_dates_typed_the_uk_way_and_yes_no_in_any_case():
    org = nr.load_facts(damaged(Organisation_C6="31/03/2026"))
    assert org.as_of == datetime.date(2026, 3, 31)
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    header = {c.value: c.column_letter for c in wb["People"][1]}
    wb["People"][f"{header['substantive']}2"] = " YES "
    assert nr.load_facts(saved(wb)).people[0].substantive is True


def test_a_refused_required_cell_is_reported_once():
    """A date that is not one is refused; the loader's "is required" that follows from it is not said again."""
    assert problems_of(damaged(Organisation_C6="29/02/2025")) == [
        "Organisation!C6 (as_of): '29/02/2025' is not a date (day/month/year)"
    ]


def test_too_many_rows_is_refused():
    wb = workbook(nr.facts_workbook())
    ws = wb["Steering group members"]
    for r in range(2, m.MAX_ITEMS + 3):
        ws.cell(row=r, column=1, value=f"p{r}")
    found = problems_of(saved(wb))  # read in the file, before a spreadsheet library builds any cell
    assert found == [
        "Steering group members!A10002: a cell below row 10,001; a sheet holds at most 10,000 entries and its header: clear it"
    ]


@pytest.mark.parametrize("cell", ["XFD2000", "A1048576", "BA2"])
def test_one_stray_cell_far_away_is_refused_before_the_workbook_is_opened(cell):
    """Its row and column are read in the file: the workbook is never opened, nor the empty grid up to it walked."""
    wb = workbook(nr.facts_workbook())
    wb["People"][cell] = "x"
    found = problems_of(saved(wb))
    assert len(found) == 1 and found[0].startswith(f"People!{cell}: a cell "), found
    assert "row 10,001" in found[0] if cell == "A1048576" else "beyond column AZ" in found[0]


def test_the_column_limit_leaves_room_beside_every_template_sheet():
    widest = max(len(keys) for name, keys in xlsx.template_columns().items() if name != "Organisation")
    assert xlsx.MAX_SHEET_COLUMNS >= widest + 26
    wb = workbook(nr.facts_workbook())
    wb["People"]["AZ3"] = "a note"  # the last column allowed: set aside, like any column beyond the template's
    assert not [p for p in problems_of(saved(wb)) if p.startswith("People!")]
    wb["People"]["BA3"] = "a note"  # beyond it: refused before the workbook is opened
    assert problems_of(saved(wb)) == ["People!BA3: a cell beyond column AZ, far beyond the template's columns: clear it"]


def test_the_sheet_of_a_far_cell_is_named_however_the_archive_names_its_file():
    wb = workbook(nr.facts_workbook())
    wb.move_sheet("Actions", offset=-3)
    wb["Actions"]["A20000"] = "x"
    assert problems_of(saved(wb)) == [
        "Actions!A20000: a cell below row 10,001; a sheet holds at most 10,000 entries and its header: clear it"
    ]


@pytest.mark.slow
def test_too_many_cells_is_refused_before_the_workbook_is_opened():
    wb = workbook(nr.facts_workbook())
    for sheet in ("People", "Sites", "Specialties", "NatSSIPs leads", "Actions", "Staffing factors", "Steering group members"):
        ws = wb[sheet]
        for r in range(2, 10_002):
            for c in range(1, 10):
                ws.cell(row=r, column=c, value=1)
    assert "the sheets hold more than 600,000 cells" in problems_of(saved(wb))[0]


def factor_rows(wb):
    ws = wb["Staffing factors"]
    return ws, [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=12)]


def test_staffing_factors_are_read_by_their_labels_never_by_position_alone():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    ws, rows = factor_rows(wb)
    ws["C2"] = "no"
    rows[0][2] = "no"
    for c, (second, first) in enumerate(zip(rows[1], rows[0], strict=True), start=1):  # rows i and ii swapped, labels too
        ws.cell(row=2, column=c).value, ws.cell(row=3, column=c).value = second, first
    assert problems_of(saved(wb)) == [
        "Staffing factors!A2: expected the factor 'i. permanent vs agency staff', found 'ii. trained and competent staff': "
        "keep the template's rows, in its order",
        "Staffing factors!A3: expected the factor 'ii. trained and competent staff', found 'i. permanent vs agency staff': "
        "keep the template's rows, in its order",
    ]


@pytest.mark.parametrize("edit", ["deleted", "duplicated", "unknown"])
def test_a_missing_duplicated_or_unknown_staffing_factor_row_is_refused(edit):
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    ws, rows = factor_rows(wb)
    if edit == "deleted":
        ws.delete_rows(4)
    elif edit == "duplicated":
        ws.insert_rows(4)
        for c, value in enumerate(rows[1], start=1):
            ws.cell(row=4, column=c).value = value
    else:
        ws["A4"] = "iii. something else"
    found = problems_of(saved(wb))
    assert found[0].startswith("Staffing factors!A4: expected the factor 'iii. "), found
    assert all(p.startswith("Staffing factors!A") for p in found), found


def test_the_staffing_factors_sheet_deleted_while_the_factors_are_answered_known():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    del wb["Staffing factors"]
    assert problems_of(saved(wb)) == [
        "Staffing factors: the sheet is missing, but staffing.factors is answered known (is there one?: yes)"
    ]
    blank = workbook(nr.facts_workbook())
    del blank["Staffing factors"]
    with pytest.raises(nr.FactsError) as info:  # not answered known: only the required facts are missing
        nr.load_facts(saved(blank))
    assert not any("Staffing factors" in str(p) for p in info.value.errors)


def test_a_chart_sheet_in_place_of_a_template_sheet(tmp_path, capsys):
    from openpyxl.chart import BarChart

    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    index = wb.sheetnames.index("Actions")
    wb.remove(wb["Actions"])
    wb.create_chartsheet("Actions", index).add_chart(BarChart())
    path = tmp_path / "chart.xlsx"
    path.write_bytes(saved(wb))
    assert problems_of(path.read_bytes()) == ["Actions: a chart sheet, not the template's sheet"]
    assert main(["evaluate", str(path)]) == 2
    assert "Actions: a chart sheet, not the template's sheet" in capsys.readouterr().err


def test_error_values_and_answers_beside_the_answer_column_are_refused():
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    for sheet, cell, value in (("Staffing factors", "E3", "#N/A"), ("People", "J2", "#REF!")):
        wb[sheet][cell] = value
        wb[sheet][cell].data_type = "e"
    ws = wb["Organisation"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws[f"C{rows['beds']}"], ws[f"D{rows['beds']}"] = None, 40
    ws[f"C{rows['staff_headcount']}"], ws[f"B{rows['staff_headcount']}"] = None, 165
    assert problems_of(saved(wb)) == [
        f"Organisation!D{rows['beds']} (beds): a value in the hint column (what may be written); answers go in column C",
        f"Organisation!B{rows['staff_headcount']} (staff_headcount): a value in the question column; answers go in column C",
        "People!J2: an error value (#REF!); type the value instead",
        "Staffing factors!E3: an error value (#N/A); type the value instead",
    ]


def test_hostile_files():
    assert problems_of(b"PK\x03\x04 not really a zip") == ["not an .xlsx workbook (it is not a zip archive)"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (xlsx.MAX_WORKBOOK_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < 1_000_000
    assert problems_of(bomb.getvalue()) == [
        f"the workbook unpacks to {xlsx.MAX_WORKBOOK_UNPACKED_BYTES + 1 + 11:,} bytes; at most {xlsx.MAX_WORKBOOK_UNPACKED_BYTES:,} are read"
    ]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook")
        z.writestr("[Content_Types].xml", "<Types/>")
    found = problems_of(broken.getvalue())
    assert len(found) == 1 and found[0].startswith("cannot be read as a workbook: ")


def test_a_path_too_large_or_missing(tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\0" * xlsx.MAX_WORKBOOK_BYTES)
    with pytest.raises(nr.FactsError, match="the workbook is larger than 20,971,520 bytes"):
        nr.load_facts(big)
    with pytest.raises(nr.FactsError, match="the workbook is larger than 20,971,520 bytes"):
        nr.load_facts(big.read_bytes())  # the same bound for a workbook's bytes
    with pytest.raises(nr.FactsError, match="cannot read the file"):
        nr.load_facts(tmp_path / "missing.xlsx")


def test_text_a_workbook_cannot_hold_is_refused_when_writing():
    org = nr.load_facts(LARGE)
    org = attrs.evolve(org, people=(attrs.evolve(org.people[0], job_title="a\x07bell"), *org.people[1:]))
    with pytest.raises(nr.FactsError, match=r"People!J2 \(job_title\): holds a control character"):
        nr.facts_workbook(org)


def test_text_that_looks_like_a_formula_stays_text():
    org = nr.load_facts(LARGE)
    org = attrs.evolve(org, people=(attrs.evolve(org.people[0], job_title='=HYPERLINK("http://x")'), *org.people[1:]))
    data = nr.facts_workbook(org)
    assert nr.load_facts(data).people[0].job_title == '=HYPERLINK("http://x")'
    assert workbook(data)["People"]["J2"].data_type == "s"


# --------------------------------------------------------------------------
# the command line and the report workbook


def test_the_template_and_evaluate_commands(tmp_path, capsys):
    blank = tmp_path / "facts.xlsx"
    assert main(["template", str(blank)]) == 0
    assert workbook(blank.read_bytes()).sheetnames[0] == "Organisation"
    assert main(["template", str(tmp_path / "facts.json")]) == 2
    assert "give a file name ending in .xlsx" in capsys.readouterr().err
    filled = tmp_path / "northvale.xlsx"
    assert main(["template", str(filled), "--from", str(LARGE)]) == 0
    assert main(["evaluate", str(filled), "--format", "json", "--output", str(tmp_path / "r.json")]) == 0
    assert nr.Report.from_json((tmp_path / "r.json").read_text()).organisation.id == "northvale"
    assert main(["evaluate", str(blank)]) == 2
    assert "Organisation!C2 (id): 'id' is required" in capsys.readouterr().err
    assert main(["evaluate", str(filled), "--format", "xlsx"]) == 2
    assert "give the file with --output" in capsys.readouterr().err


def test_the_report_workbook(tmp_path):
    rules = nr.compose_files(
        [nr.load_rules_file(ROOT / "examples" / p) for p in ("northvale-local-rules.toml", "northvale-tailoring.toml")]
    )
    report = nr.evaluate(LARGE, rules=rules)
    out = tmp_path / "report.xlsx"
    assert (
        main(
            [
                "evaluate",
                str(LARGE),
                "--rules",
                str(ROOT / "examples/northvale-local-rules.toml"),
                "--rules",
                str(ROOT / "examples/northvale-tailoring.toml"),
                "--format",
                "xlsx",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    wb = workbook(out.read_bytes())
    assert wb.sheetnames == ["Summary", "Findings", "Actions", "Questions", "Provenance"]
    assert len(wb["Summary"]._charts) == 1
    findings = wb["Findings"]
    header = [c.value for c in findings[1]]
    # what a reader needs on paper first, and printed; the rest for the screen and filters
    assert header[:8] == ["title", "subject", "status", "level", "why", "owner", "due", "action"]
    assert {"tailoring", "rule", "requirement", "clause", "evidence", "documents"} <= set(header)
    assert findings.print_area.startswith("'Findings'!$A$1:$H$")
    assert findings.max_row == len(report.findings) + 1 and findings.auto_filter.ref.startswith("A1:P")
    colours = {
        findings.cell(row=r, column=3).value: findings.cell(row=r, column=3).fill.fgColor.rgb
        for r in range(2, findings.max_row + 1)
    }
    assert colours["not met"].endswith("FFC7CE") and colours["met"].endswith("C6EFCE")
    rows = [dict(zip(header, row, strict=True)) for row in findings.iter_rows(min_row=2, values_only=True)]
    # the level column holds only the level (a filter on it works); the tailoring has its own column
    assert {row["level"] for row in rows} <= {level.words for level in nr.Level}
    assert "tailored by the Trust: the standard says should" in {row["tailoring"] for row in rows}
    # every gap has an owner: its action's, else the person in the accountable role, marked
    gaps = [row for row in rows if row["status"] == "not met" and row["level"] != "may"]
    assert gaps and all(row["owner"] for row in gaps)
    board = next(row for row in rows if row["rule"] == "roles.board-member")
    assert (board["owner"], str(board["due"])[:10]) == ("Company Secretary", "2026-05-07")
    assert any(row["owner"].endswith("(no action yet)") for row in gaps)
    # "requirement" says what the rule requires; it no longer repeats "why"
    assert not [row for row in rows if row["why"] == row["requirement"]]
    # printed: landscape A4, fitted to the width, the header row repeated
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    actions = [[c.value for c in row] for row in wb["Actions"].iter_rows(min_row=2)]
    overdue = [a[2] for a in actions]
    assert overdue == sorted(overdue, key=lambda v: v != "yes") and "yes" in overdue
    summary = {row[0]: row[1:] for row in wb["Summary"].iter_rows(min_row=2, values_only=True) if row[0] is not None}
    counted = [
        *summary["all NatSSIPs requirements"],
        *summary["all of the Trust's own rules (not NatSSIPs)"],
        *summary["all suggestions of the standard"],
    ]
    assert sum(counted) == len(report.findings) and sum(summary["all suggestions of the standard"]) > 0
    words = summary["suggestions of the standard ('may', not counted with the requirements)"]
    assert "in place" in words and "not in place" in words
    questions = [row[1].value for row in wb["Questions"].iter_rows(min_row=2)]
    assert questions[0] == nr.questions(report)[0].question
    provenance = {row[0].value: row[1].value for row in wb["Provenance"].iter_rows(min_row=2)}
    assert provenance["rule set digest"] == report.ruleset_digest
    assert any(k.startswith("tailoring: ") for k in provenance) and any(k.startswith("waiver: ") for k in provenance)


@pytest.mark.slow
def test_a_workbook_saved_by_a_spreadsheet_program_reads_back_the_same(tmp_path):
    """The filled-in example, opened and saved again by LibreOffice Calc (skipped where it is not installed)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "in" / "northvale.xlsx"
    source.parent.mkdir()
    source.write_bytes((ROOT / "examples" / "northvale-large-trust.xlsx").read_bytes())
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    saved_again = out / "northvale.xlsx"
    assert saved_again.read_bytes() != source.read_bytes()  # really rewritten by the other program
    assert same(canonical(nr.load_facts(saved_again)), canonical(nr.load_facts(LARGE)))


def test_the_report_workbook_shows_text_it_cannot_store_as_escapes():
    data = json.loads(LARGE.read_text())
    data["sites"][0]["name"] = "Ward\x07One\ufffe"
    report = nr.evaluate(data)
    findings = workbook(nr.report_workbook(report))["Findings"]
    subjects = {row[1].value for row in findings.iter_rows(min_row=2)}
    assert "Ward\\x07One\\ufffe" in subjects


# --------------------------------------------------------------------------
# the spreadsheet user's first hour: other formats, damaged files, drop-downs, notes, stray spaces, own columns


def _rezip(data: bytes, change) -> bytes:
    """The archive ``data`` with each member's bytes passed through ``change(name, body)`` (None drops it)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def _ole2(*streams: str) -> bytes:
    """The start of an OLE2 compound file (as .xls and password-protected workbooks are) naming ``streams``."""
    return xlsx_formats.OLE2_MAGIC + b"\0" * 504 + b"".join(n.encode("utf-16-le") + b"\0" * 64 for n in streams)


def _office_files() -> dict[str, tuple[bytes, str]]:
    good = nr.facts_workbook(nr.load_facts(LARGE))
    macro = _rezip(
        good,
        lambda n, b: (
            b.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            if n == "[Content_Types].xml"
            else b
        ),
    )
    binary = _rezip(good, lambda n, b: b if n != "xl/workbook.xml" else None)
    binary = _zip(
        {
            **{
                i.filename: zipfile.ZipFile(io.BytesIO(binary)).read(i.filename)
                for i in zipfile.ZipFile(io.BytesIO(binary)).infolist()
            },
            "xl/workbook.bin": b"\x83\x01\x00",
        }
    )
    return {
        "ods": (
            _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
            "an OpenDocument spreadsheet (.ods)",
        ),
        "odt": (
            _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
            "an OpenDocument file that is not a spreadsheet",
        ),
        "xls": (_ole2("Workbook", "SummaryInformation"), "an Excel 97-2003 workbook (.xls)"),
        "encrypted": (_ole2("EncryptionInfo", "EncryptedPackage"), "a workbook protected by a password"),
        "xlsm": (macro, "a macro-enabled workbook (.xlsm)"),
        "xlsb": (binary, "an Excel binary workbook (.xlsb)"),
        "docx": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "a Word document, not a workbook"),
    }


xlsx_formats = pytest.importorskip("natssips_rules.facts.formats")


@pytest.mark.parametrize("kind", ["ods", "odt", "xls", "encrypted", "xlsm", "xlsb", "docx"])
def test_other_office_formats_are_recognised_by_content_and_refused_naming_the_format(kind, tmp_path, capsys):
    """Whatever the file is called (its own suffix, .xlsx or .json), an .ods, .xls, .xlsm, ... is named for what it is,
    with how to save it as .xlsx: from the API (a path or the bytes) and from evaluate, questions and template --from
    (before: "not valid UTF-8 text: invalid start byte", or the .xlsx reader's confusion)."""
    data, what = _office_files()[kind]
    for name in (f"facts.{kind}", "facts.xlsx", "facts.json"):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(nr.FactsError) as info:
            nr.load_facts(path)
        [problem] = info.value.errors
        assert problem.message.startswith(f"the file is {what}"), problem.message
        assert ".xlsx" in problem.message and info.value.source == str(path)
        for argv in (
            ["evaluate", str(path)],
            ["questions", str(path)],
            ["template", str(tmp_path / "out.xlsx"), "--from", str(path)],
        ):
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert f"the file is {what}" in err and "Traceback" not in err
        assert not (tmp_path / "out.xlsx").exists()
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(data)
    assert info.value.errors[0].message.startswith(f"the file is {what}")


def _bad_crc(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out, old, new = bytearray(data), info.CRC.to_bytes(4, "little"), (info.CRC ^ 0xFFFF).to_bytes(4, "little")
    out[info.header_offset + 14 : info.header_offset + 18] = new  # the local header
    central = data.rfind(b"PK\x05\x06")
    start = int.from_bytes(data[central + 16 : central + 20], "little")
    at = out.find(old, start)  # the central directory's copy
    out[at : at + 4] = new
    return bytes(out)


def _misstated_size(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out, old, new = bytearray(data), info.file_size.to_bytes(4, "little"), (info.file_size // 2).to_bytes(4, "little")
    out[info.header_offset + 22 : info.header_offset + 26] = new
    central = data.rfind(b"PK\x05\x06")
    start = int.from_bytes(data[central + 16 : central + 20], "little")
    at = out.find(old, start)
    out[at : at + 4] = new
    return bytes(out)


def _garbled(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out = bytearray(data)
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(body + 5, body + 40):  # the compressed stream itself: zlib cannot decode it
        out[i] ^= 0x5A
    return bytes(out)


@pytest.mark.parametrize("damage", [_bad_crc, _misstated_size, _garbled], ids=["bad-crc", "misstated-size", "garbled"])
@pytest.mark.parametrize("member", ["xl/worksheets/sheet2.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_a_damaged_workbook_is_the_librarys_error_not_a_zip_traceback(damage, member, tmp_path, capsys):
    """A workbook whose zip fails its own checks is a FactsError saying it is damaged and what to do, from the API
    and from evaluate and template --from (exit 2); before, a BadZipFile traceback."""
    data = damage(nr.facts_workbook(nr.load_facts(LARGE)), member)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(data)
    for source in (path, data):
        with pytest.raises(nr.FactsError) as info:
            nr.load_facts(source)
        messages = [p.message for p in info.value.errors]
        assert len(messages) == 1 and (
            messages[0].startswith("the workbook is damaged") or "cannot be read as a workbook" in messages[0]
        ), messages
    for argv in (["evaluate", str(path)], ["template", str(tmp_path / "out.xlsx"), "--from", str(path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "BadZipFile" not in err and "damaged.xlsx" in err


def test_the_actions_sheet_offers_the_rule_ids_and_the_organisations_subjects():
    """The rule column's drop-down holds exactly the rule set's ids (the built-in ones, or with a Trust's local rules)
    and refuses others; the subject column's holds the organisation's subjects and warns on others."""
    org = nr.load_facts(LARGE)
    local = nr.load_rules_file("examples/northvale-local-rules.toml").ruleset()
    for rules, expected in ((None, [r.id for r in nr.builtin_rules()]), (local, [r.id for r in local])):
        wb = workbook(nr.facts_workbook(org, rules=rules))
        ws, lists = wb["Actions"], wb[xlsx.LISTS_SHEET]
        header = {c.value: c.column_letter for c in ws[1]}

        def listed(letter: str, ws=ws, lists=lists):
            [dv] = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]
            sheet, cells = dv.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            assert sheet == xlsx.LISTS_SHEET
            return dv, [c.value for row in lists[f"{first}:{last}"] for c in row]

        rule_dv, rule_ids = listed(header["rule"])
        assert rule_ids == expected
        assert rule_dv.type == "list" and rule_dv.showErrorMessage and rule_dv.errorStyle in (None, "stop")
        subject_dv, subjects = listed(header["subject"])
        assert subject_dv.errorStyle == "warning"
    report = nr.evaluate(org)
    judged = {f.subject.id for f in report.findings}  # the built-in rules judge no NatSSIPs lead on its own
    assert judged <= set(subjects) and set(subjects) - judged == {lead.person for lead in org.natssips_leads or ()}
    assert len(subjects) == len(set(subjects))


def test_no_note_or_question_in_the_template_shows_a_raw_placeholder():
    """Before, 35 column notes read "Does {name} sit on the Board?"; they now name the row's entry ("this person")."""
    for org in (None, nr.load_facts(LARGE)):
        wb = workbook(nr.facts_workbook(org))
        notes = [(ws.title, c.coordinate, c.comment.text) for ws in wb for row in ws.iter_rows() for c in row if c.comment]
        texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert len(notes) > 35
        assert [n for n in notes if "{" in n[2] or "}" in n[2]] == []
        assert [t for t in texts if "{name}" in t] == []
    people = workbook(nr.facts_workbook())["People"]
    header = {c.value: c for c in people[1]}
    assert header["board_member"].comment.text.startswith("Does this person sit on the Board?")


@pytest.mark.parametrize("stray", [" ", "  ", "\t", "\u00a0"])
@pytest.mark.parametrize("where", ["end", "start"])
def test_a_stray_space_in_an_id_is_blamed_on_the_ids_own_cell(stray, where):
    """People!A2 holds 'p-hartley ' while other sheets refer to 'p-hartley': one problem, on the id's own cell (before:
    a problem on every cell referring to it, and none on the id)."""
    wb = workbook(nr.facts_workbook(nr.load_facts(LARGE)))
    ident = wb["People"]["A2"].value
    typed = ident + stray if where == "end" else stray + ident
    wb["People"]["A2"] = typed
    assert problems_of(saved(wb)) == [
        f"People!A2 (id): the id {typed!r} has a space (or other blank) at its start or end; ids are matched exactly, "
        "so the cells that refer to it would not find it: remove the space"
    ]


def test_columns_the_template_does_not_have_are_set_aside_and_said_once(tmp_path, capsys):
    """A "Notes" column (and a stray value beside it) on several sheets: the facts load as if they were not there,
    and one warning names every column set aside; the command says it once and evaluates (before: each cell refused)."""
    org = nr.load_facts(LARGE)
    plain = nr.load_facts(nr.facts_workbook(org))  # the same workbook without the Trust's own columns
    wb = workbook(nr.facts_workbook(org))
    for name in ("Organisation", "People", "Actions"):
        ws = wb[name]
        column = ws.max_column + 1
        ws.cell(row=1, column=column, value="Notes")
        ws.cell(row=2, column=column, value='=A2&" call back"')  # a formula in a column set aside is never read
        ws.cell(row=3, column=column + 2, value=42)
    path = tmp_path / "with-notes.xlsx"
    path.write_bytes(saved(wb))
    with pytest.warns(nr.errors.WorkbookWarning) as caught:
        got = nr.load_facts(path)
    assert got == plain
    assert len(caught) == 1
    assert str(caught[0].message) == (
        f"{path}: columns the template does not have were set aside and not read: Organisation!E ('Notes'), G; "
        "People!K ('Notes'), M; Actions!I ('Notes'), K (the facts are read from the template's columns only)"
    )
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("natssips-rules: warning: ") == 1 and "People!K ('Notes')" in captured.err
    assert json.loads(captured.out)["organisation"]["id"] == org.id
