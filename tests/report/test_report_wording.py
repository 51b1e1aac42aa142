"""The Board report's words: free text cannot reverse or hide the library's own words, in HTML as in Markdown.

A name from the facts, a rule's title from a Trust's rules file or a
waiver's justification may hold a right-to-left override (U+202E), an
isolate, an ANSI escape or a carriage return. The text report and the
Markdown write them as escapes (``\\u202e``, ``\\x1b``); the HTML page must
too, or the override runs on into "not met", the dates and the actions.
"""

import json
import pathlib
import unicodedata

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.report.board import render_html, render_markdown
from natssips_rules.report.text import render_text
from tests.report.test_board import parse

ROOT = pathlib.Path(__file__).parent.parent.parent
LARGE = ROOT / "examples/northvale-large-trust.json"
LOCAL_RULES = ROOT / "examples/northvale-local-rules.toml"

#: Bidirectional embeddings, overrides, isolates and marks.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
#: Control characters, a line and a paragraph separator, and bidirectional controls, as free text may hold them.
HOSTILE = "\u202eTreatment\u202c \u2067Centre\u2069 \x1b[31mred\x1b[0m \x07bell\x85next\u2028line\r\nend\x00"


def forbidden(page: str) -> set[str]:
    """The characters a page must not hold: controls other than newline and tab, separators, bidirectional controls."""
    return {ch for ch in page if ch in BIDI or (unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch not in "\n\t")}


def hostile_report() -> tuple[nr.Report, nr.RuleSet]:
    org = nr.load_facts(LARGE)
    sites = list(org.sites or ())
    sites[2] = attrs.evolve(sites[2], name="Riverside " + HOSTILE)
    actions = list(org.actions or ())
    actions[0] = attrs.evolve(actions[0], description="Agree " + HOSTILE)
    org = attrs.evolve(org, name="Northvale " + HOSTILE, id="northvale\u202e1", sites=sites, actions=actions)
    in_toml = json.dumps(HOSTILE.replace("\x00", ""))[1:-1]  # JSON's escapes are TOML's; a rules file holds no NUL
    local = LOCAL_RULES.read_text(encoding="utf-8")
    local = local.replace('title = "Each site lead', f'title = "{in_toml} Each site lead', 1)
    local = local.replace('section = "4.2 Site leadership"', f'section = "4.2 {in_toml}"', 1)
    waivers = (
        '[[waivers]]\nrule = "staffing.intelligence.staffing-algorithms"\n'
        f'justification = "Agreed {in_toml}"\napproved_by = "Board {in_toml}"\nexpires = 2026-09-30\n'
    )
    rules = nr.compose_files([nr.loads_rules(local, source="local.toml"), nr.loads_rules(waivers, source="waivers.toml")])
    return nr.evaluate(org, rules=rules), rules


@pytest.fixture(scope="module")
def hostile() -> tuple[nr.Report, nr.RuleSet]:
    return hostile_report()


@pytest.mark.parametrize(
    ("render", "code"),
    [(render_html, "<code>northvale\\u202e1</code>"), (render_markdown, "`northvale\\u202e1`")],
    ids=["html", "markdown"],
)
def test_no_override_or_control_character_reaches_the_board_report(hostile, render, code):
    report, rules = hostile
    page = render(report, rules)
    assert forbidden(page) == set()
    # written as escapes a reader can see (in Markdown, with their backslash escaped)
    assert page.count("u202eTreatment") >= 5 and "x1b" in page and "u2067Centre" in page
    assert code in page  # an id, shown as code


def test_every_place_free_text_enters_the_html_writes_it_escaped(hostile):
    report, rules = hostile
    page = render_html(report, rules)
    # one line, as in the Markdown: whitespace (a newline, U+0085, U+2028) is a space; other controls are escapes
    escaped = "\\u202eTreatment\\u202c \\u2067Centre\\u2069 \\x1b[31mred\\x1b[0m \\x07bell next line end\\x00"
    assert f"<h1>NatSSIPs assurance report: Northvale {escaped}</h1>" in page  # the organisation's name
    assert f"Riverside {escaped}" in page  # a site's name
    assert f"Agree {escaped}" in page  # an action's description
    assert "<code>northvale\\u202e1</code>" in page  # an id
    escaped = escaped.removesuffix("\\x00")  # a rules file holds no NUL
    assert f"{escaped} Each site lead" in page and f"4.2 {escaped}" in page  # a local rule's title and section
    assert f"Agreed {escaped}" in page and f"Board {escaped}" in page  # a waiver's justification and approver
    assert parse(page).problems == []


def test_the_html_shows_a_hostile_name_as_the_text_report_does(hostile):
    report, rules = hostile
    text = " ".join(render_text(report, all_findings=True).split())
    page = render_html(report, rules)
    assert forbidden(text) == set()
    name = "Riverside \\u202eTreatment\\u202c \\u2067Centre\\u2069 \\x1b[31mred\\x1b[0m \\x07bell"
    assert name in text and name in page


def test_usual_text_is_unchanged_in_the_html():
    report = nr.evaluate(LARGE)
    page = render_html(report)
    assert "Riverside Treatment Centre" in page and "\\u" not in page and "\\x" not in page
