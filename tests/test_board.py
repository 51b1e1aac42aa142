"""The Board assurance report: Markdown and self-contained, accessible HTML; actions beside findings."""

import html
import html.parser
import pathlib
import shutil
import subprocess

import pytest

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.report.board import render_html, render_markdown

ROOT = pathlib.Path(__file__).parent.parent
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
    for heading in ("## Summary", "## What we still need to know", "## Action plans", "## Interpretations and parameters in force", "## Provenance"):
        assert heading in page
    assert "Not met, with no action plan:" in page and "OVERDUE" in page
    assert "> Trusts / Healthcare Boards should have a named Board-member with NatSSIPs within their portfolio." in page


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
    args = ["evaluate", str(EXAMPLES[1]), "--rules", "examples/northvale-local-rules.toml", "--rules", "examples/northvale-tailoring.toml"]
    assert main([*args, "--format", "html", "--output", str(out)]) == 0
    page = out.read_text()
    assert "Changes from the national standard" in page and "(local rule)" in page and "Waivers" in page
    assert "the standard says should" in page
    assert parse(page).problems == []


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_headless_browser_opens_the_report_without_errors(tmp_path, path):
    page = tmp_path / "report.html"
    report = report_of(path)
    page.write_text(render_html(report))
    done = subprocess.run(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0
    assert f"NatSSIPs assurance report: {html.escape(report.organisation.name)}" in done.stdout
    assert "Uncaught" not in done.stderr
