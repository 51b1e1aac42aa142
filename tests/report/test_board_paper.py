"""The Board paper: an owner on every gap, the evidence an inspector follows, plain words in the body, the trend,
and the output's format from its file name."""

import hashlib
import json
import pathlib
import re

import attrs
import pytest
from hypothesis import given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.board import board_document, render_html, render_markdown
from natssips_rules.report.owners import documents, facts_digest, gaps
from natssips_rules.testing import organisations

ROOT = pathlib.Path(__file__).parent.parent.parent
LARGE = ROOT / "examples/northvale-large-trust.json"
SMALL = ROOT / "examples/brookfield-day-surgery.json"
SERIES = sorted((ROOT / "examples/series/reports").glob("*.json"))
ENGINES = ["reference", "durable"]


def large(engine: str = "reference"):
    rules = nr.compose_files(
        [
            nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml"),
            nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml"),
        ]
    )
    facts = nr.load_facts(LARGE)
    return nr.evaluate(facts, rules=rules, engine=engine), rules, facts


def body_and_record(page: str) -> tuple[str, str]:
    body, record = page.split("## For the record", 1)
    return body, record


@pytest.mark.parametrize("engine", ENGINES)
def test_every_gap_of_the_large_example_has_an_owner_in_the_html(engine):
    report, rules, facts = large(engine)
    found = gaps(report, facts)
    unmet = [f for f in report.findings if f.status is nr.Status.NOT_MET and (f.standard_level or f.level) is not nr.Level.MAY]
    assert len(found) == len(unmet) == 14
    assert all(g.owner for g in found)
    page = render_html(report, rules, facts=facts)
    for gap in found:
        assert gap.owner.replace("'", "&#x27;") in page
    # from the action where there is one, else the person the facts name in the accountable role, marked
    by_subject = {(g.finding.rule_id, g.finding.subject.id): g for g in found}
    assert (by_subject["roles.board-member", "northvale"].owner, by_subject["roles.board-member", "northvale"].owner_from) == (
        "Company Secretary",
        "action",
    )
    site = by_subject["northvale.site-lead-sessions", "riverside"]
    assert (site.owner, site.owner_from) == ("Mr Gareth Dobson, site NatSSIPs lead", "role")
    assert "no action yet" in page


def test_the_boards_own_gap_comes_first_then_the_most_overdue():
    report, _, facts = large()
    found = gaps(report, facts)
    assert found[0].finding.rule_id == "roles.board-member" and found[0].board_level
    overdue = [g.days_overdue for g in found if g.days_overdue]
    assert overdue == sorted(overdue, reverse=True) == [59, 31]
    assert all(
        g.days_overdue == (report.as_of - g.action.due).days for g in found if g.days_overdue and g.action and g.action.due
    )


@settings(max_examples=30, deadline=None)
@given(organisations())
def test_any_organisations_gaps_each_have_an_owner(org):
    """Whatever the facts leave out (no leads named, no Board), every requirement not met gets an owner."""
    report = nr.evaluate(org)
    found = gaps(report, org)
    assert len(found) == sum(
        1 for f in report.findings if f.status is nr.Status.NOT_MET and (f.standard_level or f.level) is not nr.Level.MAY
    )
    assert all(g.owner.strip() for g in found)
    assert all(g.owner.strip() for g in gaps(report))  # without the facts too: a role is named


def test_the_supporting_documents_are_shown_beside_the_findings_they_evidence():
    report, rules, facts = large()
    docs = documents(facts)
    assert [d.label for d in docs] == [f"D{i}" for i in range(1, 8)]
    page = render_markdown(report, rules, facts=facts)
    body, record = body_and_record(page)
    for doc in docs:
        assert doc.ref.title in record and (doc.ref.url is None or doc.ref.url in record)
    terms = next(d for d in docs if d.about == "steering_group")
    # beside the steering group's clauses, with its date
    row = next(line for line in body.splitlines() if "A formally constituted steering group" in line)
    assert f"{terms.label} {terms.ref.title} ({terms.ref.date.isoformat()})" in row


def test_met_rows_give_a_reason_and_the_body_has_no_internals():
    report, rules, facts = large()
    page = render_markdown(report, rules, facts=facts).replace("\\_", "_")  # Markdown escapes the underscores of names
    body, record = body_and_record(page)
    for finding in report.findings:
        assert finding.rule_id not in body, finding.rule_id
        assert finding.rule_id in record
    assert report.ruleset_digest not in body and "engine" not in body.lower() and "JSON report" not in body
    names = {p.name for rule in rules for p in rule.parameters}
    assert [name for name in names if name in body] == []
    assert "site_lead_sessions_more_than" in record
    assert "(required: more than 0.0 sessions per week; this library's default, not a NatSSIPs figure)" in body
    # a met row says why, in a sentence (it was "—")
    met_rows = [line for line in body.splitlines() if line.startswith("| ") and "**Met**" in line]
    assert met_rows and all("| — |" not in line.split("**Met**", 1)[1][:6] for line in met_rows)


def test_each_interpretation_is_explained_once():
    report, rules, facts = large()
    page = render_markdown(report, rules, facts=facts)
    for rule in rules:
        for p in rule.parameters:
            assert page.count(f"`{p.name}` = ") == len(
                {(q.name, q.default) for r in rules for q in r.parameters if q.name == p.name}
            )
    assert page.count("Footnote d: 'Clinician deliberately includes") == 1


def test_the_provenance_names_the_rules_files_the_tailoring_and_a_digest_of_the_facts():
    report, rules, facts = large()
    record = body_and_record(render_markdown(report, rules, facts=facts))[1]
    provenance = record.split("### Provenance", 1)[1]
    assert "northvale-local-rules.toml" in provenance and "northvale-tailoring.toml" in provenance
    digest = facts_digest(facts)
    assert f"`{digest}`" in provenance
    canonical = json.dumps(nr.dump_facts(facts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert digest == hashlib.sha256(canonical.encode()).hexdigest()
    assert facts_digest(attrs.evolve(facts, beds=(facts.beds or 0) + 1)) != digest


def test_the_board_is_asked_to_act_on_what_the_findings_say():
    report, rules, facts = large()
    summary = render_markdown(report, rules, facts=facts).split("### The Board is asked to", 1)[1].split("\n### ", 1)[0]
    asks = [line for line in summary.splitlines() if line.startswith("- ")]
    assert (
        asks[0]
        == "- **note** the 2 overdue actions (A4, Head of Theatres, 59 days late; A2, Divisional Director, Surgery, 31 days late)"
    )
    assert any(
        line.startswith("- **approve** the waivers in force, or end them: ") and "until 2026-09-30" in line for line in asks
    )
    unowned = sum(1 for g in gaps(report, facts) if g.owner_from == "role")
    assert f"- **agree owners** for the {unowned} gaps with no action yet" in summary


@pytest.mark.parametrize("engine", ENGINES)
def test_the_trend_against_earlier_reports(engine):
    facts = nr.load_facts(LARGE)
    report = nr.evaluate(facts, engine=engine)
    previous = [nr.Report.from_json(path.read_text()) for path in SERIES[:-1]]
    page = render_markdown(report, nr.builtin_rules(), facts=facts, previous=previous)
    position = page.split("### Position", 1)[1].split("\n### ", 1)[0]
    last = previous[-1].summary.overall
    then = 100 * last["met"] / sum(n for s, n in last.items() if s != "not_applicable")
    line = next(line for line in position.splitlines() if line.startswith("- **All NatSSIPs requirements**"))
    assert line.endswith(f"better than at {previous[-1].as_of.isoformat()} ({then:.0f}% met, {last['not_met']} not met then).")
    assert "2025-06-30: " in position and "2026-03-31: " in position  # the chart's text alternative
    html = render_html(report, nr.builtin_rules(), facts=facts, previous=previous)
    chart = re.search(r'<figure class="chart"><svg role="img" aria-label="([^"]+)"', html)
    assert chart and chart.group(1).count("% met") == len(previous) + 1


def test_earlier_reports_must_be_earlier_and_of_the_same_organisation():
    report = nr.evaluate(LARGE)
    with pytest.raises(nr.ArgumentError, match="previous"):
        board_document(report, previous=[report])
    with pytest.raises(nr.ArgumentError, match="one organisation"):
        board_document(report, previous=[attrs.evolve(nr.evaluate(SMALL), as_of=report.as_of.replace(year=2020))])
    with pytest.raises(nr.ArgumentError, match="facts"):
        board_document(report, facts=nr.load_facts(SMALL))


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["-o", "{d}/report.xlsx"], "xlsx"),
        (["-o", "{d}/report.md"], "markdown"),
        (["-o", "{d}/report.html"], "html"),
        (["-o", "{d}/report.json"], "json"),
        (["-o", "{d}/report.txt"], "text"),
        (["--format", "json", "-o", "{d}/json"], "json"),
    ],
)
def test_the_output_files_extension_sets_the_format(tmp_path, args, kind):
    out = pathlib.Path(args[-1].format(d=tmp_path))
    assert main(["evaluate", str(SMALL), *[a.format(d=tmp_path) for a in args]]) == 0
    data = out.read_bytes()
    check = {
        "xlsx": lambda: data.startswith(b"PK"),
        "markdown": lambda: data.startswith(b"# NatSSIPs assurance report"),
        "html": lambda: data.startswith(b"<!DOCTYPE html>"),
        "json": lambda: nr.Report.from_json(data).organisation.id == "brookfield",
        "text": lambda: not data.startswith((b"#", b"<", b"{", b"PK")),
    }
    assert check[kind]()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{d}/json"], "did you mean --format json?"),
        (["-o", "{d}/report"], "the format cannot be told from the file's name"),
        (["--format", "text", "-o", "{d}/report.xlsx"], "a .xlsx file holds xlsx, but --format text was asked"),
        (["--format", "html", "-o", "{d}/report.md"], "a .md file holds markdown, but --format html was asked"),
        (["--format", "pdf"], "give the file with --output"),
        (["--previous", str(SERIES[0])], "--previous gives the Board report's trend"),
    ],
)
def test_an_output_that_contradicts_the_format_is_refused(tmp_path, capsys, args, message):
    assert main(["evaluate", str(SMALL), *[a.format(d=tmp_path) for a in args]]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_pdf_is_the_same_paper(tmp_path):
    """With the pdf extra (WeasyPrint and the system's Pango): --format pdf writes an A4 PDF of the same document,
    every gap's owner in it. Skipped where WeasyPrint cannot be imported."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint (the pdf extra) or the system's Pango library is not installed")
    import shutil
    import subprocess

    out = tmp_path / "paper.pdf"
    args = [
        "evaluate",
        str(LARGE),
        "--rules",
        str(ROOT / "examples/northvale-local-rules.toml"),
        "--rules",
        str(ROOT / "examples/northvale-tailoring.toml"),
        "-o",
        str(out),
    ]
    assert main(args) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split())
        report, _, facts = large()
        for gap in gaps(report, facts):
            assert " ".join(gap.owner.split()) in text, gap.owner


def test_the_workbook_chart_uses_solid_high_contrast_colours():
    from natssips_rules.report.xlsx import CHART_FILLS

    def luminance(hex_colour: str) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for colour in CHART_FILLS.values():
        assert (1.05) / (luminance(colour) + 0.05) >= 4.5, colour  # against the white page
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(nr.report_workbook(nr.evaluate(LARGE))))
    colours = [s.graphicalProperties.solidFill.srgbClr for s in wb["Summary"]._charts[0].series]
    assert [getattr(c, "val", c) for c in colours] == [CHART_FILLS[s] for s in nr.Status]


@given(st.sampled_from(["report.XLSX", "r.Md", "x.HTML", "y.Json", "z.TXT"]))
def test_extensions_are_read_whatever_their_case(name):
    from natssips_rules.cli import report_format

    assert (
        report_format(None, pathlib.Path(name))
        == {".xlsx": "xlsx", ".md": "markdown", ".html": "html", ".json": "json", ".txt": "text"}[
            pathlib.Path(name).suffix.lower()
        ]
    )


def test_names_and_document_titles_from_the_facts_reach_the_paper_as_text():
    """An owner's name and a document's title are free text from the facts: escaped, one line, overrides shown."""
    data = json.loads(LARGE.read_text())
    data["steering_group"]["terms_of_reference"]["title"] = "<script>alert(1)</script>\u202eToR"
    data["steering_group"]["terms_of_reference"]["url"] = "javascript:alert(1)"
    lead = next(p for p in data["people"] if p["id"] == data["natssips_leads"][0]["person"])
    lead["name"] = "Dr <b>Bold</b>\nNew line"
    facts = nr.load_facts(data)
    report = nr.evaluate(facts)
    page = render_html(report, nr.builtin_rules(), facts=facts)
    assert "<script>" not in page and "<b>" not in page and "\u202e" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\u202eToR" in page
    assert "Dr &lt;b&gt;Bold&lt;/b&gt; New line" in page
    markdown = render_markdown(report, nr.builtin_rules(), facts=facts)
    assert "\u202e" not in markdown and "<script>" not in markdown


@pytest.mark.parametrize("engine", ENGINES)
def test_a_gap_whose_actions_are_complete_is_not_said_to_have_none(engine):
    """An action recorded as complete while the requirement is still not met: the owner falls to the accountable
    role, and the paper says the actions are complete, not that there is none."""
    data = json.loads(LARGE.read_text())
    for action in data["actions"]:
        if action["id"] == "A2":
            action["state"] = "complete"
    facts = nr.load_facts(data)
    report = nr.evaluate(facts, engine=engine)
    gap = next(g for g in gaps(report, facts) if g.finding.rule_id == "roles.site-lead" and g.finding.subject.id == "riverside")
    assert (gap.owner, gap.owner_from, gap.days_overdue) == ("Mr Gareth Dobson, site NatSSIPs lead", "role", 0)
    summary = render_markdown(report, nr.builtin_rules(), facts=facts).split("## Summary", 1)[0]
    row = next(line for line in summary.splitlines() if "| Riverside Treatment Centre |" in line and "Gareth Dobson" in line)
    assert "**actions complete, still not met**" in row and "no action yet" not in row


def test_a_trend_across_other_rules_says_so():
    """Earlier reports judged against other rules (here: without the Trust's tailoring and local rules) are compared
    with a warning; reports of the same rule set without one."""
    report, rules, facts = large()
    previous = [nr.Report.from_json(path.read_text()) for path in SERIES[:-1]]
    position = render_markdown(report, rules, facts=facts, previous=previous).split("### The Board is asked to", 1)[0]
    assert "judged against other rules" in position and "2025-06-30, 2025-09-30, 2025-12-31" in position
    same = render_markdown(nr.evaluate(facts), nr.builtin_rules(), facts=facts, previous=previous)
    assert "judged against other rules" not in same
