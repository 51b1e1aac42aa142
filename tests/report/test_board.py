"""The Board assurance report: Markdown and self-contained, accessible HTML; actions beside findings."""

import html
import html.parser
import pathlib

import pytest

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.board import render_html, render_markdown

ROOT = pathlib.Path(__file__).parent.parent.parent
EXAMPLES = sorted(ROOT.joinpath("examples").glob("*.json"))
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}


class Structure(html.parser.HTMLParser):
    """Checks nesting and collects what the accessibility checks need."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_titles = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "title" and "svg" in self.stack:
            self.svg_titles += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


def report_of(path, **kwargs):
    return nr.evaluate(path, **kwargs)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_html_is_well_formed_self_contained_and_accessible(path):
    page = render_html(report_of(path))
    assert page.startswith("<!DOCTYPE html>")
    doc = parse(page)
    assert doc.problems == [] and doc.stack == []
    tags = [t for t, _ in doc.tags]
    assert tags.count("h1") == 1 and "main" in tags and "title" in tags
    assert ("html", {"lang": "en-GB"}) in doc.tags
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not (name in ("src", "href") and value and "://" in value), (tag, name, value)
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in doc.tags if tag == "th")
    svgs = [attrs for tag, attrs in doc.tags if tag == "svg"]
    assert svgs and all(a.get("role") == "img" and a.get("aria-label") for a in svgs)
    assert doc.svg_titles >= len(svgs)
    text = " ".join(doc.text)
    for finding in report_of(path).findings:  # every status is written, never only coloured
        assert finding.subject.name in text


def test_the_markdown_report_has_every_part():
    page = render_markdown(report_of(EXAMPLES[1]))
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Executive summary", "## Summary", "## Action plans"]
    assert headings[-1] == "## For the record"
    record = page.split("## For the record", 1)[1]
    assert "### Interpretations and parameters in force" in record and "### Provenance" in record
    assert "### Not met, with no action yet" in page and "**Overdue**" in page
    assert "Trusts / Healthcare Boards should have a named Board-member with NatSSIPs within their portfolio." in page


def large_report():
    rules = nr.compose_files(
        [
            nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml"),
            nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml"),
        ]
    )
    return nr.evaluate(ROOT / "examples/northvale-large-trust.json", rules=rules), rules


def executive_summary(page: str) -> str:
    return page.split("## Executive summary", 1)[1].split("\n## ", 1)[0]


def gap_rows(summary: str) -> list[list[str]]:
    table = summary.split("### Gaps and their owners", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Requirement")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_the_executive_summary_lists_every_requirement_not_met_with_its_owner():
    report, rules = large_report()
    org = nr.load_facts(ROOT / "examples/northvale-large-trust.json")
    summary = executive_summary(render_markdown(report, rules, facts=org))
    unmet = [f for f in report.findings if f.status is nr.Status.NOT_MET and f.level is not nr.Level.MAY]
    rows = gap_rows(summary)
    assert sorted(row[1] for row in rows) == sorted(
        "The organisation" if f.subject.kind == "organisation" else f.subject.name for f in unmet
    )
    assert all(row[2] and row[2] != "—" for row in rows), "a gap without an owner"
    # the Board's own gap first, with its action's owner and due date
    assert rows[0][:4] == [
        "**A named Board member holds NatSSIPs in their portfolio**",
        "The organisation",
        "Company Secretary",
        "2026-05-07",
    ]
    # then the overdue ones, most overdue first
    overdue = [int(row[4]) for row in rows if row[4] != "—"]
    assert overdue == sorted(overdue, reverse=True) == [59, 31]
    # a gap with no action: the role the facts name, marked
    assert [
        "(as above)",
        "Trauma and Orthopaedics",
        "Mr Declan Gallagher, specialty NatSSIPs lead; **no action yet**",
        "—",
        "—",
    ] in rows
    assert "### What we still need to establish" in summary and "should tell us" not in summary
    assert "tailored 5 national rules" in summary and "3 waivers: 2 applied, 1 expired" in summary


def test_natssips_and_local_totals_are_apart():
    report, rules = large_report()
    page = render_markdown(report, rules)
    assert "| **All NatSSIPs requirements** |" in page and "| **All of the Trust's own rules** |" in page
    row = next(line for line in page.splitlines() if line.startswith("| **All NatSSIPs requirements**"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    overall = report.summary.overall
    assert cells == [str(overall[s]) for s in ("not_met", "insufficient_evidence", "waived", "met", "not_applicable")]
    natssips = [f for f in report.findings if f.origin == "natssips" and (f.standard_level or f.level) is not nr.Level.MAY]
    assert sum(overall.values()) == len(natssips)


def test_the_html_has_a_legend_for_the_bars():
    report, rules = large_report()
    doc = parse(render_html(report, rules))
    legend = [a for t, a in doc.tags if t == "ul" and a.get("class") == "legend"]
    assert len(legend) == 1 and legend[0].get("aria-label")
    text = " ".join(doc.text)
    for words in ("Not met", "Insufficient evidence", "Waived", "Met", "Not applicable"):
        assert words in text


def test_actions_sit_beside_findings_and_never_change_a_status():
    org = nr.load_facts(EXAMPLES[1])
    with_actions = nr.evaluate(org)
    import attrs

    without = nr.evaluate(attrs.evolve(org, actions=None))
    assert [f.status for f in with_actions.findings] == [f.status for f in without.findings]
    riverside = next(f for f in with_actions.findings if f.rule_id == "roles.site-lead" and f.subject.id == "riverside")
    assert [(a.id, a.overdue) for a in riverside.actions] == [("A2", True)]
    board = with_actions.findings_for("roles.board-member")[0]
    assert [(a.id, a.overdue) for a in board.actions] == [("A1", False)]
    assert nr.Report.from_json(with_actions.to_json()) == with_actions


def test_tailoring_local_rules_and_waivers_are_in_the_html(tmp_path):
    out = tmp_path / "report.html"
    args = [
        "evaluate",
        str(EXAMPLES[1]),
        "--rules",
        "examples/northvale-local-rules.toml",
        "--rules",
        "examples/northvale-tailoring.toml",
    ]
    assert main([*args, "--format", "html", "--output", str(out)]) == 0
    page = out.read_text()
    assert "Changes from the national standard" in page and "(the Trust&#x27;s own rule)" in page and "Waivers" in page
    assert "the standard says should" in page
    assert parse(page).problems == []


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_an_organisation_with_nothing_judged_is_not_told_every_requirement_is_met(engine):
    """Lists and facts left out: nothing can be judged, and the summary says so rather than "every ... is met"."""
    org = nr.Organisation(id="rv", name="River Vale NHS Trust", kind="nhs_trust", nation="england", as_of="2026-03-31")
    report = nr.evaluate(org, engine=engine)
    assert report.summary.overall["met"] == report.summary.overall["not_met"] == 0
    summary = executive_summary(render_markdown(report, nr.builtin_rules()))
    assert "No NatSSIPs requirement could be judged yet: the facts each needs are not known." in summary
    assert "that could be judged is met" not in summary
    judged = executive_summary(
        render_markdown(nr.evaluate(ROOT / "examples/brookfield-day-surgery.json", engine=engine), nr.builtin_rules())
    )
    assert "No NatSSIPs requirement could be judged yet" not in judged


def suggestions_sentence(page: str) -> str:
    return next(line for line in page.splitlines() if "Suggestions of the standard" in line)


def test_the_summary_counts_every_suggestion_waived_ones_too():
    """A waived 'may' is counted in the Board summary as in the text report: the counts add up to every suggestion."""
    waiver = '[[waivers]]\nrule = "staffing.intelligence.staffing-algorithms"\njustification = "j"\napproved_by = "a"\nexpires = 2026-09-30\n'
    rules = nr.loads_rules(waiver).ruleset()
    report = nr.evaluate(ROOT / "examples/northvale-large-trust.json", rules=rules)
    assert report.summary.suggestions["waived"] == 1
    sentence = "Suggestions of the standard ('may', not counted above): 1 not in place, 1 waived, 1 in place."
    assert suggestions_sentence(render_markdown(report, rules)) == sentence
    assert f"<p>{html.escape(sentence)}</p>" in render_html(report, rules)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_suggestions_counted_add_up(path):
    report = report_of(path)
    if not any(report.summary.suggestions.values()):
        assert "Suggestions of the standard" not in render_markdown(report)
        return
    counts = suggestions_sentence(render_markdown(report)).split(": ", 1)[1].rstrip(".").split(", ")
    assert sum(int(part.split(" ", 1)[0]) for part in counts) == sum(report.summary.suggestions.values())
    assert sum(1 for f in report.findings if f.level is nr.Level.MAY) == sum(report.summary.suggestions.values())
