"""The overview across organisations: what it compares, what it refuses, what it never says.

Reports come from generated organisations (natssips_rules.testing) evaluated on
both engines; an independent reading of each report's findings is the oracle
for the overview's figures.
"""

import datetime
import io
import json
import pathlib
import zipfile

import attrs
import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.overview import OverviewBuilder, overview_schema
from natssips_rules.report.overview_files import overview_of_files
from natssips_rules.report.overview_render import overview_workbook, render_overview_html, render_overview_markdown
from natssips_rules.testing import organisations

ROOT = pathlib.Path(__file__).parent.parent.parent
ENGINES = ["reference", "durable"]
Q = [datetime.date(2025, 6, 30), datetime.date(2025, 9, 30), datetime.date(2025, 12, 31), datetime.date(2026, 3, 31)]
#: Text that stands for a person in the facts and rules: the overview must carry none of it.
MARK = "Zqxperson"

TAILORING = nr.Tailoring(
    parameters=[
        nr.ParameterSetting(
            rule_id="roles.natssips-lead.time",
            parameter="lead_min_sessions_large",
            value=1.5,
            rationale="Two co-leads share the role",
            approved_by=f"Dr {MARK} Approver",
        )
    ],
    levels=[nr.LevelChange(rule_id="staffing.escalation", level="must", rationale="Mandatory here", approved_by=f"{MARK} Board")],
    exclusions=[nr.Exclusion(rule_id="roles.trainees", rationale="No tool yet", approved_by=f"{MARK} C")],
)
LOCAL = nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml")
BUILTIN = nr.builtin_rules()
REQUIREMENTS = {r.id for r in BUILTIN if r.level is not nr.Level.MAY}
WORST = ["not_met", "insufficient_evidence", "waived", "met", "not_applicable"]


def named(org: nr.Organisation, number: int, when: datetime.date) -> nr.Organisation:
    """``org`` as organisation ``number`` at ``when``, its people named with the mark, with an action owned by one."""
    people = (
        tuple(attrs.evolve(p, name=f"{MARK} Person{i}") for i, p in enumerate(org.people or ()))
        if org.people is not None
        else None
    )
    action = nr.Action(
        id="A1",
        rule="roles.board-member",
        description="Name a Board member",
        owner=f"{MARK} Owner",
        due=when - datetime.timedelta(days=30),
        state=nr.ActionState.PLANNED,
    )
    return attrs.evolve(org, id=f"org-{number}", name=f"Organisation {number}", as_of=when, people=people, actions=(action,))


@st.composite
def regions(draw: st.DrawFn) -> list[tuple[nr.Organisation, int]]:
    """Organisations at one or more quarter ends: (facts, how evaluated: 0 built-in, 1 tailored, 2 with local rules)."""
    n = draw(st.integers(1, 3))
    out = []
    for number in range(n):
        dates = draw(st.lists(st.sampled_from(Q), min_size=1, max_size=3, unique=True))
        how = draw(st.sampled_from([0, 0, 1, 2]))
        for when in dates:
            org = draw(organisations(max_people=6, max_sites=3, max_specialties=3, as_of=when, known=0.8))
            out.append((named(org, number, when), how))
    return out


def rules_for(how: int) -> nr.RuleSet | None:
    if how == 1:
        return nr.compose(tailoring=TAILORING)
    if how == 2:
        return nr.compose(LOCAL.rules)
    return None


def evaluated(region: list[tuple[nr.Organisation, int]], engine: str) -> list[nr.Report]:
    return [nr.evaluate(org, rules=rules_for(how), engine=engine) for org, how in region]


def expected_cells(report: nr.Report) -> dict[str, str]:
    """The oracle: per built-in requirement, the least favourable status over the report's findings."""
    out: dict[str, str] = {}
    for f in report.findings:
        if f.origin == "natssips" and f.rule_id in REQUIREMENTS:
            out[f.rule_id] = min(out.get(f.rule_id, "not_applicable"), f.status.value, key=WORST.index)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=10)
@given(region=regions())
def test_the_figures_are_those_of_each_organisations_latest_report(engine, region):
    """Each organisation's row is its latest report read independently: only the standard's requirements, the least
    favourable status over their subjects, tailored ones marked and not counted; the same from the reports' JSON."""
    reports = evaluated(region, engine)
    ov = nr.overview(reports)
    latest = {}
    for r in reports:
        if r.organisation.id not in latest or r.as_of > latest[r.organisation.id].as_of:
            latest[r.organisation.id] = r
    assert sorted(o.id for o in ov.organisations) == sorted(latest)
    ids = [r.rule_id for r in ov.requirements]
    assert set(ids) <= REQUIREMENTS  # never a local rule, never a "may"
    for line in ov.organisations:
        report = latest[line.id]
        assert line.as_of == report.as_of
        assert (line.nation, line.kind) == (report.nation.value, report.organisation_kind.value)
        tailored = {t.rule_id: t.action for t in report.tailoring}
        cells = {c.rule_id: c for c in line.cells}
        expected = expected_cells(report)
        for rule_id, cell in cells.items():
            assert cell.status == expected.get(rule_id, "not_assessed")
            assert cell.tailoring == ((tailored[rule_id],) if rule_id in tailored else ())
        compared = [s for r, s in expected.items() if r not in tailored and r in cells]
        assert line.counts.met == compared.count("met")
        assert line.counts.not_met == compared.count("not_met")
        assert line.counts.insufficient_evidence == compared.count("insufficient_evidence")
        assert line.tailored == len([r for r in tailored if r in cells])
        assert line.overdue_actions == len(
            {
                a.id
                for f in report.findings
                if f.origin == "natssips" and f.rule_id in REQUIREMENTS
                for a in f.actions
                if a.overdue
            }
        )
    for req in ov.requirements:  # a tailored requirement counts nowhere across organisations
        column = [c for o in ov.organisations for c in o.cells if c.rule_id == req.rule_id]
        assert req.counts.applicable + req.counts.not_applicable + req.tailored + req.not_assessed == len(column)
    assert [r.counts.gaps for r in ov.requirements] == sorted((r.counts.gaps for r in ov.requirements), reverse=True)
    assert [o.counts.gaps for o in ov.organisations] == sorted((o.counts.gaps for o in ov.organisations), reverse=True)
    assert sum(g.organisations for g in ov.by_nation) == sum(g.organisations for g in ov.by_kind) == len(latest)
    from_json = OverviewBuilder()
    for i, r in enumerate(reports):
        from_json.add_data(json.loads(r.to_json()), f"item {i}")
    assert from_json.build() == ov


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=5)
@given(region=regions())
def test_no_person_is_named_in_any_format(engine, region):
    """People's names, action owners and tailoring approvers are in the reports; the overview carries none of them."""
    reports = evaluated(region, engine)
    assert any(MARK in r.to_json() for r in reports)  # the reports do name them
    ov = nr.overview(reports)
    for text in (ov.to_json(), render_overview_html(ov), render_overview_markdown(ov)):
        assert MARK not in text
    with zipfile.ZipFile(io.BytesIO(overview_workbook(ov))) as book:
        assert not [n for n in book.namelist() if MARK.encode() in book.read(n)]


@pytest.mark.parametrize("engine", ENGINES)
def test_two_reports_of_one_organisation_for_one_date_are_refused_naming_both(engine, tmp_path):
    org = named(nr.load_facts(ROOT / "examples/brookfield-day-surgery.json"), 1, Q[3])
    first = nr.evaluate(org, engine=engine)
    again = nr.evaluate(org, rules=nr.compose(tailoring=TAILORING), engine=engine)
    other = nr.evaluate(attrs.evolve(org, id="org-2"), engine=engine)
    with pytest.raises(nr.ArgumentError) as refused:
        nr.overview([first, other, again])
    assert "item 0 and item 2 are both reports of organisation 'org-1' as of 2026-03-31" in str(refused.value)
    with pytest.raises(nr.ArgumentError, match="item 0 and item 1 are both"):
        nr.overview([first, first])
    # from files: the files are named
    (tmp_path / "a.json").write_text(first.to_json())
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"line": 1, "report": other.to_dict()}) + "\n" + json.dumps({"line": 2, "report": again.to_dict()}) + "\n"
    )
    with pytest.raises(nr.ArgumentError) as refused:
        overview_of_files([tmp_path / "a.json", batch])
    assert f"{tmp_path / 'a.json'} and {batch} line 2 are both reports of organisation 'org-1'" in str(refused.value)
    assert main(["overview", str(tmp_path)]) == 2
    with pytest.raises(nr.ArgumentError, match=f"{tmp_path / 'a.json'} is given twice"):
        overview_of_files([tmp_path / "a.json", tmp_path / "a.json"])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tailored_requirement_is_marked_for_its_organisation_and_not_compared(engine):
    base = nr.load_facts(ROOT / "examples/northvale-large-trust.json")
    plain = nr.evaluate(named(base, 1, Q[3]), engine=engine)
    tailored = nr.evaluate(named(base, 2, Q[3]), rules=nr.compose(tailoring=TAILORING), engine=engine)
    ov = nr.overview([plain, tailored])
    rows = {o.id: {c.rule_id: c for c in o.cells} for o in ov.organisations}
    assert rows["org-2"]["roles.natssips-lead.time"].tailoring == ("set_parameter",)
    assert rows["org-2"]["staffing.escalation"].tailoring == ("set_level",)
    assert rows["org-2"]["roles.trainees"].tailoring == ("exclude",)
    assert rows["org-2"]["roles.trainees"].status == "not_assessed"
    assert not rows["org-1"]["roles.natssips-lead.time"].tailoring
    req = {r.rule_id: r for r in ov.requirements}
    for rule_id in ("roles.natssips-lead.time", "staffing.escalation", "roles.trainees"):
        assert req[rule_id].tailored == 1
        assert req[rule_id].counts.applicable + req[rule_id].counts.not_applicable == 1  # org-1 only
    page = render_overview_html(ov)
    assert "tailored (a parameter set), not compared" in page and "tailored (excluded), not compared" in page
    # a requirement every organisation excluded is still listed, excluded for each (its title from the built-in rules)
    alone = nr.overview([tailored])
    line = next(r for r in alone.requirements if r.rule_id == "roles.trainees")
    assert (line.title, line.tailored, line.counts.applicable) == (
        next(r.title for r in BUILTIN if r.id == "roles.trainees"),
        1,
        0,
    )
    assert next(c for c in alone.organisations[0].cells if c.rule_id == "roles.trainees").tailoring == ("exclude",)


def test_the_latest_report_in_a_period_is_used_and_mixed_versions_are_said():
    org = nr.load_facts(ROOT / "examples/brookfield-day-surgery.json")
    early = nr.evaluate(attrs.evolve(org, as_of=datetime.date(2026, 1, 15)))
    late = nr.evaluate(attrs.evolve(org, as_of=datetime.date(2026, 3, 20), board=False))
    old = attrs.evolve(nr.evaluate(attrs.evolve(org, id="other")), library_version="0.0.9", nation=None, organisation_kind=None)
    by_quarter = nr.overview([late, old, early], period="quarter")
    assert by_quarter.periods == ("2026-Q1",) and by_quarter.reports_superseded == 1
    line = next(o for o in by_quarter.organisations if o.id == org.id)
    assert line.as_of == late.as_of
    by_date = nr.overview([late, old, early])
    assert by_date.periods == ("2026-01-15", "2026-03-20", "2026-03-31") and by_date.reports_superseded == 0
    notes = " ".join(by_date.notes)
    assert f"2 versions of natssips-rules (0.0.9: 1, {nr.__version__}: 1)" in notes
    assert "do not record the nation or kind" in notes
    assert [g.label for g in by_date.by_nation] == ["England", "not recorded"]


def test_the_json_follows_its_schema_and_the_workbook_filters(tmp_path):
    reports = [nr.Report.from_json(p.read_text()) for p in sorted((ROOT / "examples/series/reports").glob("*.json"))]
    reports.append(nr.evaluate(ROOT / "examples/brookfield-day-surgery.json"))
    ov = nr.overview(reports)
    schema = overview_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(ov.to_json()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**json.loads(ov.to_json()), "surprise": 1}, schema)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(overview_workbook(ov)))
    assert book.sheetnames == ["Position", "Matrix", "Cells", "Gaps", "Organisations", "Nations", "Kinds", "Trend"]
    for name in book.sheetnames[1:]:
        assert book[name].auto_filter.ref, name
    matrix = book["Matrix"]
    assert [c.value for c in matrix[1]][2:] == [o.name for o in ov.organisations]
    assert matrix.max_row == 1 + len(ov.requirements)


def test_the_command_reads_batch_output_and_says_what_held_no_report(tmp_path, capsys):
    facts = tmp_path / "facts.jsonl"
    org = json.loads((ROOT / "examples/brookfield-day-surgery.json").read_text())
    facts.write_text(json.dumps(org) + "\n" + "not json\n" + json.dumps({**org, "id": "b2", "as_of": "2025-12-31"}) + "\n")
    assert main(["evaluate-batch", str(facts), "--output", str(tmp_path / "out.jsonl"), "--jobs", "0"]) == 2  # a line refused
    assert main(["overview", str(tmp_path / "out.jsonl"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(o["id"] for o in data["organisations"]) == ["b2", org["id"]]
    assert data["not_reports"] == [f"{tmp_path / 'out.jsonl'} line 2 (refused)"]
    assert data["periods"] == ["2025-12-31", "2026-03-31"] and len(data["trend"]) == 2
    # a single report file, indented, is read as one report
    (tmp_path / "one.json").write_text(nr.evaluate(ROOT / "examples/brookfield-day-surgery.json").to_json(indent=2))
    assert main(["overview", str(tmp_path / "one.json"), "--format", "markdown"]) == 0
    assert "1 organisation; reports 2026-03-31" in capsys.readouterr().out
    assert main(["overview", str(tmp_path / "out.jsonl"), "--format", "xlsx"]) == 2  # a workbook needs --output
    assert main(["overview", "--schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "natssips-rules overview across organisations"


def test_a_damaged_report_is_refused_with_its_line_and_path(tmp_path, capsys):
    report = nr.evaluate(ROOT / "examples/brookfield-day-surgery.json").to_dict()
    report["findings"][0]["status"] = "fine"
    report["organisation"]["id"] = 7
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"line": 1, "report": report}) + "\n" + json.dumps({"line": 2, "kind": "failed", "error": "x"}) + "\n"
    )
    with pytest.raises(nr.ReportError) as refused:
        overview_of_files([path])
    message = str(refused.value)
    assert f"{path} line 1" in message and "findings[0].status" in message and "organisation.id" in message
    assert main(["overview", str(path)]) == 2
    assert "findings[0].status" in capsys.readouterr().err
    with pytest.raises(nr.ArgumentError, match="no report files"):
        overview_of_files([tmp_path / "empty"] if (tmp_path / "empty").mkdir() is None else [])
    with pytest.raises(nr.ArgumentError, match="expected an iterable of Report"):
        nr.overview(nr.evaluate(ROOT / "examples/brookfield-day-surgery.json"))
    with pytest.raises(nr.ArgumentError, match="item 0: expected a Report, not dict"):
        nr.overview([report])
    with pytest.raises(nr.ArgumentError, match="at least one report"):
        nr.overview([])
    with pytest.raises(nr.ArgumentError, match="not a period"):
        nr.overview([], period="week")


SERIES = [json.loads(p.read_text()) for p in sorted((ROOT / "examples/series/reports").glob("*.json"))]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.text(max_size=3),
    st.sampled_from(["met", "may", "local", "should"]),
    st.lists(st.integers(), max_size=1),
    st.dictionaries(st.text(max_size=1), st.integers(), max_size=1),
)


@settings(max_examples=60)
@given(
    which=st.integers(0, len(SERIES) - 1),
    index=st.integers(0, 200),
    key=st.sampled_from(
        [
            "rule_id",
            "status",
            "level",
            "standard_level",
            "origin",
            "title",
            "citation",
            "actions",
            "overdue",
            "id",
            "as_of",
            "library_version",
            "nation",
            "organisation_kind",
            "sources",
            "tailoring",
            "kind",
        ]
    ),
    value=ODD_VALUES,
)
def test_the_quick_and_the_careful_reading_of_report_json_agree(which, index, key, value):
    """A report's JSON is read quickly, or carefully where the quick reading meets anything unexpected: for any damage
    to a part the overview reads, both keep the same, or the careful reading refuses it (and the quick one gives way)."""
    import copy

    from natssips_rules.report.overview_read import _Catalogue, _keep_carefully, _keep_quickly

    data = copy.deepcopy(SERIES[which])
    finding = data["findings"][index % len(data["findings"])]
    if key in ("overdue", "id"):
        target = finding["actions"][0] if finding.get("actions") else data["organisation"]
    elif key == "kind":
        target = data["sources"][0] if index % 2 else (data["tailoring"][0] if data["tailoring"] else data["sources"][0])
        key = "kind" if target in data["sources"] else "action"
    elif key in ("as_of", "library_version", "nation", "organisation_kind", "sources", "tailoring"):
        target = data
    else:
        target = finding
    target[key] = value
    quick = _keep_quickly(data, "x", _Catalogue())
    try:
        careful = _keep_carefully(data, "x", _Catalogue())
    except nr.ReportError:
        assert quick is None
    else:
        assert quick is None or quick == careful
