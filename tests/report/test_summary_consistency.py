"""One figure, one meaning, everywhere: every output prints the report's one summary model.

For generated organisations evaluated with generated local rules, tailoring
(exclusions, levels, including a "should" reported as "may") and waivers, on
both engines, each format is rendered and the figures it prints are parsed
back out of it and compared with :class:`~natssips_rules.Summary`: the text
report, the Board report in Markdown and HTML, JSON, the workbook, the diff
and the annual account.
"""

import datetime
import html.parser
import io
import json
import re
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

import natssips_rules as nr
from natssips_rules.report.account import annual_account
from natssips_rules.report.diff import diff_reports, render_diff
from natssips_rules.report.model import GROUPS, group_of
from natssips_rules.report.xlsx import report_workbook
from natssips_rules.testing import AS_OF, local_rules, organisations

STATUSES = [s.value for s in nr.Status]
BUILTIN_IDS = [r.id for r in nr.builtin_rules()]


def empty() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


# the words each format uses for a status ("in place" for a suggestion met)
WORDS = {
    "not met": "not_met",
    "insufficient evidence": "insufficient_evidence",
    "waived": "waived",
    "met": "met",
    "not applicable": "not_applicable",
    "not in place": "not_met",
    "in place": "met",
}


def parse_counts(text: str) -> dict[str, int]:
    """ "12 not met, 2 waived, 42 met" (the words of counts_text) back to counts."""
    counts = empty()
    if text.strip() == "none":
        return counts
    for part in text.split(", "):
        number, words = part.strip().split(" ", 1)
        counts[WORDS[words]] += int(number)
    return counts


def applicable(counts: dict[str, int]) -> int:
    return sum(n for s, n in counts.items() if s != "not_applicable")


def position(text: str, what: str) -> dict[str, int] | None:
    """The counts in a sentence "Of the 67 checks of <what> ... that apply, 42 are met (63%), 12 are not met, ..."."""
    flat = " ".join(text.split())
    if re.search(rf"None of the checks of {re.escape(what)}[^.]*? applies\.", flat):
        return empty()
    m = re.search(rf"Of the (\d+) checks of {re.escape(what)}[^,]*? that apply, (.*?)\.(?: |$)", flat)
    if m is None:
        return None
    counts = empty()
    for status, pattern in (
        ("met", r"(\d+) (?:is|are) met"),
        ("not_met", r"(\d+) (?:is|are) not met"),
        ("insufficient_evidence", r"(\d+) lacks? the evidence"),
        ("waived", r"(\d+) (?:is|are) waived"),
    ):
        found = re.search(pattern, m.group(2))
        counts[status] = int(found.group(1)) if found else 0
    assert int(m.group(1)) == applicable(counts), f"the total of {what!r} is not the sum of its parts: {m.group(0)}"
    return counts


def judged(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the checks that apply (what the position sentence gives)."""
    return {**counts, "not_applicable": 0}


def rules_figures(text: str) -> tuple[int, int, int]:
    flat = " ".join(text.split())
    m = re.search(
        r"Rules evaluated: (\d+) of NatSSIPs(?: \((\d+) more excluded[^)]*\))?(?: and (\d+) of the (?:Trust|Health Board|organisation)'s own)?\.",
        flat,
    )
    assert m is not None, "no 'Rules evaluated' sentence"
    return int(m.group(1)), int(m.group(3) or 0), int(m.group(2) or 0)


class Tables(html.parser.HTMLParser):
    """Every table row's cells, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs_: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


ORDER = ["not_met", "insufficient_evidence", "waived", "met", "not_applicable"]  # the Board tables' columns


def row_counts(cells: list[str]) -> dict[str, int]:
    return {status: int(cells[i + 1]) for i, status in enumerate(ORDER)}


def board_figures(rows: list[list[str]], report: nr.Report) -> None:
    summary = report.summary
    by_name = {cells[0].strip("* "): cells for cells in rows if len(cells) >= 6}
    assert row_counts(by_name["All NatSSIPs requirements"]) == summary.overall
    for section, counts in summary.by_section.items():
        assert row_counts(by_name[section]) == counts
    if summary.local_by_section:
        assert row_counts(by_name[f"All of the {report.noun}'s own rules"]) == summary.local
        for section, counts in summary.local_by_section.items():
            assert row_counts(by_name[section]) == counts


def check_text(report: nr.Report) -> None:
    summary = report.summary
    for all_findings in (False, True):
        text = nr.render_text(report, all_findings=all_findings)
        assert position(text, "NatSSIPs requirements") == judged(summary.overall)
        if summary.rules["local"]:
            assert position(text, f"the {report.noun}'s own rules") == judged(summary.local)
        else:
            assert position(text, f"the {report.noun}'s own rules") is None
        headed = {group: empty() for group in GROUPS}
        words = {
            "NatSSIPs requirements": "requirements",
            f"the {report.noun}'s own rules (not NatSSIPs)": "local",
            "NatSSIPs suggestions ('may', not requirements)": "suggestions",
        }
        for line in text.splitlines():
            m = re.fullmatch(r"([A-Z ]+): (.*) \((\d+)\)", line)
            if m:
                headed[words[m.group(2)]][WORDS[m.group(1).lower()]] = int(m.group(3))
        for group in GROUPS:
            expected = summary.group(group)
            shown = ("not_met", "insufficient_evidence", "waived") + (("met", "not_applicable") if all_findings else ())
            assert {s: headed[group][s] for s in shown} == {s: expected[s] for s in shown}, group
        flat = " ".join(text.split())
        if not all_findings:
            for group in GROUPS:
                counts = summary.group(group)
                if counts["met"] or counts["not_applicable"]:
                    met = "in place" if group == "suggestions" else "met"
                    label = {v: k for k, v in words.items()}[group]
                    assert f"{label}: {counts['met']} {met}, {counts['not_applicable']} not applicable" in flat
        m = re.search(r"NatSSIPs requirements by section \(all: (.*?)\):", flat)
        if summary.by_section:
            assert m is not None and parse_counts(m.group(1)) == summary.overall
        for section, counts in {**summary.by_section, **summary.local_by_section}.items():
            m = re.search(rf"- {re.escape(section)}: (.*?)(?: - | NatSSIPs| The {re.escape(report.noun)}| Rules evaluated)", flat)
            assert m is not None and parse_counts(m.group(1)) == counts
        if any(summary.suggestions.values()):
            m = re.search(
                r"Suggestions of the standard \('may', not counted with the requirements\): (.*?) (?:NOT|INSUFFICIENT|WAIVED|MET|Not listed)",
                flat,
            )
            assert m is not None and parse_counts(m.group(1)) == summary.suggestions
        assert rules_figures(text) == (summary.rules["natssips"], summary.rules["local"], summary.rules["excluded"])


def check_board(report: nr.Report) -> None:
    summary = report.summary
    markdown = nr.render_markdown(report)
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in markdown.splitlines() if line.startswith("| ")]
    board_figures(rows, report)
    assert position(markdown, "NatSSIPs requirements") == judged(summary.overall)
    assert rules_figures(markdown) == (summary.rules["natssips"], summary.rules["local"], summary.rules["excluded"])
    page = nr.render_html(report)
    tables = Tables()
    tables.feed(page)
    board_figures(tables.rows, report)
    text = re.sub(r"<[^>]+>", " ", page).replace("&#x27;", "'")
    assert position(text, "NatSSIPs requirements") == judged(summary.overall)
    assert rules_figures(text) == (summary.rules["natssips"], summary.rules["local"], summary.rules["excluded"])
    for rendered in (markdown, text):
        if any(summary.suggestions.values()):
            m = re.search(r"Suggestions of the standard \('may', not counted above\): (.*?)\.", " ".join(rendered.split()))
            assert m is not None and parse_counts(m.group(1)) == summary.suggestions


def check_json(report: nr.Report) -> None:
    data = json.loads(report.to_json())["summary"]
    summary = report.summary
    assert data["overall"] == summary.overall and data["local"] == summary.local and data["suggestions"] == summary.suggestions
    # one basis: the levels of NatSSIPs add up to the requirements, "may" to the suggestions; the sections to their totals
    levels = data["by_level"]
    assert {s: sum(c[s] for lvl, c in levels.items() if lvl != "may") for s in STATUSES} == data["overall"]
    assert levels.get("may", empty()) == data["suggestions"]
    assert {s: sum(c[s] for c in data["by_section"].values()) for s in STATUSES} == data["overall"]
    assert {s: sum(c[s] for c in data["local_by_section"].values()) for s in STATUSES} == data["local"]
    every = {s: data["overall"][s] + data["local"][s] + data["suggestions"][s] for s in STATUSES}
    assert every == {s: sum(1 for f in report.findings if f.status.value == s) for s in STATUSES}
    assert data["rules"]["natssips"] == len({f.rule_id for f in report.findings if f.origin == "natssips"})
    assert data["rules"]["local"] == len({f.rule_id for f in report.findings if f.origin != "natssips"})
    assert nr.Report.from_json(report.to_json()) == report


def check_workbook(report: nr.Report) -> None:
    summary = report.summary
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(report)))
    rows = {row[0]: row[1:] for row in wb["Summary"].iter_rows(min_row=2, values_only=True) if row[0] is not None}
    order = [s.value for s in nr.Status]

    def counts(name: str) -> dict[str, int]:
        return dict(zip(order, rows[name][: len(order)], strict=True))

    assert counts("all NatSSIPs requirements") == summary.overall
    assert counts(f"all of the {report.noun}'s own rules (not NatSSIPs)") == summary.local
    assert counts("all suggestions of the standard") == summary.suggestions
    for section, expected in {**summary.by_section, **summary.local_by_section}.items():
        assert counts(section) == expected
    assert rules_figures(" ".join(str(k) for k in rows)) == (
        summary.rules["natssips"],
        summary.rules["local"],
        summary.rules["excluded"],
    )


def check_diff(report: nr.Report) -> None:
    diff = diff_reports(report, report)
    text = render_diff(diff)
    head = text.splitlines()[0]
    for group in GROUPS:
        counts = report.summary.group(group)
        assert diff.counts(group)["unchanged"] == applicable(counts)
        assert diff.counts(group)["not_applicable"] == counts["not_applicable"]
    words = {
        "NatSSIPs requirements": "requirements",
        f"the {report.noun}'s own rules (not NatSSIPs)": "local",
        "NatSSIPs suggestions ('may', not requirements)": "suggestions",
    }
    for label, group in words.items():
        counts = report.summary.group(group)
        m = re.search(rf"{re.escape(label)}: (\d+) unchanged \(and apply\)", head)
        assert (int(m.group(1)) if m else 0) == applicable(counts)


def check_account(report: nr.Report) -> None:
    text = annual_account([report])
    overall = report.summary.overall
    m = re.search(r"(\d+) of the (\d+) applicable requirements were met", text)
    assert m is not None and (int(m.group(1)), int(m.group(2))) == (overall["met"], applicable(overall))
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {report.as_of.isoformat()} | ") and line.count("|") == 6]
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    assert [int(c) for c in cells] == [overall["met"], overall["not_met"], overall["insufficient_evidence"], overall["waived"]]


def check_every_format(report: nr.Report) -> None:
    check_json(report)
    check_text(report)
    check_board(report)
    check_workbook(report)
    check_diff(report)
    check_account(report)


@st.composite
def tailored_rule_sets(draw: st.DrawFn) -> tuple[nr.RuleSet, list[nr.Waiver]]:
    """Built-in rules with generated local rules, exclusions, level changes (a "should" to "may" too) and waivers."""
    local = []
    for i in range(draw(st.integers(0, 3))):
        rule = draw(local_rules(rule_id=f"trust.rule-{i}"))
        document = draw(st.sampled_from(["Trust policy A", "Trust policy B"]))
        local.append(attrs.evolve(rule, citation=attrs.evolve(rule.citation, document=document, section=str(i % 2 + 1))))
    excluded = draw(st.lists(st.sampled_from(BUILTIN_IDS), max_size=2, unique=True))
    kept = [r for r in BUILTIN_IDS if r not in excluded]
    relevelled = draw(st.lists(st.sampled_from(kept), max_size=2, unique=True))
    tailoring = nr.Tailoring(
        exclusions=[nr.Exclusion(rule_id=r, rationale="r", approved_by="a") for r in excluded],
        levels=[
            nr.LevelChange(rule_id=r, level=draw(st.sampled_from(list(nr.Level))), rationale="r", approved_by="a")
            for r in relevelled
        ],
    )
    ruleset = nr.compose(local, tailoring=tailoring)
    ids = [r.id for r in ruleset]
    waivers = [
        nr.Waiver(
            rule_id=draw(st.sampled_from(ids)),
            justification="j",
            approved_by="a",
            expires=AS_OF + datetime.timedelta(days=draw(st.integers(-30, 60))),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    return ruleset, waivers


@pytest.mark.slow
@settings(max_examples=25)
@given(organisations(), tailored_rule_sets(), st.sampled_from(["reference", "durable"]))
def test_every_format_prints_the_summary_models_figures(org, rules, engine):
    """Text, Markdown, HTML, JSON, workbook, diff and account print the same figures, those of report.summary."""
    ruleset, waivers = rules
    report = nr.evaluate(org, rules=ruleset, waivers=waivers, engine=engine)
    assert all(group_of(f) in GROUPS for f in report.findings)
    check_every_format(report)


def test_the_large_example_prints_one_set_of_figures_everywhere():
    """The Northvale example with its local rules, tailoring (one exclusion) and waivers, on both engines."""
    files = [nr.load_rules_file(p) for p in ("examples/northvale-local-rules.toml", "examples/northvale-tailoring.toml")]
    for engine in ("reference", "durable"):
        report = nr.evaluate("examples/northvale-large-trust.json", rules=nr.compose_files(files), engine=engine)
        assert report.summary.rules == {"natssips": 29, "local": 3, "excluded": 1}
        assert applicable(report.summary.overall) == 67 and report.summary.overall["met"] == 42
        check_every_format(report)
