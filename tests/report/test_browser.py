"""The Board report in a real browser: it fits the screen at 1280, 1024 and 768 px, opens on the
executive summary, and prints on A4.

Runs headless Chromium (the system's ``chromium``, or the browser named by
``NATSSIPS_BROWSER``); skipped where none is installed. The report has no
scripts: the test adds one to a copy, which measures the laid-out page and
writes the figures into the DOM that ``--dump-dom`` prints.
"""

import html
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

import natssips_rules as nr
from natssips_rules.report.board import render_html

ROOT = pathlib.Path(__file__).parent.parent.parent
BROWSER = (
    os.environ.get("NATSSIPS_BROWSER")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
    or shutil.which("google-chrome")
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (set NATSSIPS_BROWSER to use another)")

WIDTHS = (1280, 1024, 768, 390)
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions"]

MEASURE = """
<script>
window.addEventListener("load", () => {
  const de = document.documentElement;
  const heading = document.querySelector("h2");
  const box = heading.getBoundingClientRect();
  const beyond = [];
  for (const el of document.querySelectorAll("body *")) {
    const b = el.getBoundingClientRect();
    if (b.width && b.right > window.innerWidth + 0.5) beyond.push(el.tagName + "." + el.className);
  }
  let tallest = 0;
  for (const td of document.querySelectorAll("td")) {
    const lines = td.getBoundingClientRect().height / (parseFloat(getComputedStyle(td).lineHeight) || 20);
    tallest = Math.max(tallest, lines);
  }
  const tops = {};
  for (const h of document.querySelectorAll("h3")) {
    if (!(h.textContent in tops)) tops[h.textContent] = h.getBoundingClientRect().top;
  }
  const gaps = document.querySelector("h3 + table");
  const firstGap = gaps ? gaps.querySelector("tbody tr") : null;
  const out = {viewport: window.innerWidth, viewport_height: window.innerHeight, document_width: de.scrollWidth,
               first_heading: heading.textContent, first_heading_bottom: box.bottom, beyond: beyond.slice(0, 5),
               tallest_cell_lines: Math.round(tallest), h3_tops: tops,
               first_gap_bottom: firstGap ? firstGap.getBoundingClientRect().bottom : null};
  const host = window.parent !== window ? parent.document : document;  // in a frame (a phone's width): write to the page around it
  const pre = host.createElement("pre");
  pre.id = "measured"; pre.style.whiteSpace = "pre-wrap"; pre.style.wordBreak = "break-all";
  pre.textContent = JSON.stringify(out);
  host.body.appendChild(pre);
});
</script>
"""


def large_report_page() -> str:
    rules = nr.compose_files(
        [
            nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml"),
            nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml"),
        ]
    )
    facts = nr.load_facts(ROOT / "examples/northvale-large-trust.json")
    return render_html(nr.evaluate(facts, rules=rules), rules, facts=facts)


def run_browser(*args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run([BROWSER, *FLAGS, *args], capture_output=True, text=True, timeout=120)


#: The narrowest window headless Chromium opens; a narrower screen (a phone) is measured in a frame of its width.
NARROWEST_WINDOW = 500


def measure(page: pathlib.Path, width: int) -> dict:
    if width < NARROWEST_WINDOW:
        frame = page.with_name(f"phone-{width}.html")
        frame.write_text(
            f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{page.name}" width="{width}" height="844" '
            'style="border:0"></iframe></body></html>',
            encoding="utf-8",
        )
        done = run_browser(
            "--window-size=1280,900", "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", frame.as_uri()
        )
    else:
        done = run_browser(f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measured"[^>]*>([^<]*)</pre>', done.stdout)
    assert found, "the page did not finish loading"
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict[int, dict]:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "report.html"
    page.write_text(large_report_page().replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    figures = {width: measure(page, width) for width in WIDTHS}
    print("\nbrowser measurements of the large example's Board report:")
    for width, got in figures.items():
        print(f"  {width} px: {json.dumps(got)}")
    return figures


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_the_board_report_fits_the_screen(measured, width):
    got = measured[width]
    assert got["viewport"] == width
    assert got["document_width"] == width, f"horizontal scrolling at {width} px: {got['beyond']}"
    assert got["beyond"] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_executive_summary_opens_the_page(measured, width):
    got = measured[width]
    assert got["first_heading"] == "Executive summary"
    assert got["first_heading_bottom"] <= got["viewport_height"], "the summary's heading is below the fold"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_cell_is_squeezed_into_a_tall_column(measured, width):
    assert measured[width]["tallest_cell_lines"] <= 30


def test_the_report_prints_on_a4(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(large_report_page(), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    done = run_browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}, boxes  # A4 in points
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2


@pytest.mark.parametrize("path", sorted(ROOT.joinpath("examples").glob("*.json")), ids=lambda p: p.stem)
def test_a_headless_browser_opens_every_example_report(tmp_path, path):
    report = nr.evaluate(path)
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    done = run_browser("--dump-dom", page.as_uri())
    assert done.returncode == 0
    assert f"NatSSIPs assurance report: {html.escape(report.organisation.name)}" in done.stdout
    assert "Uncaught" not in done.stderr


def test_the_first_screen_at_1280_shows_the_position_the_ask_and_the_first_gaps(measured):
    got = measured[1280]
    tops = got["h3_tops"]
    assert list(tops)[:3] == ["Position", "The Board is asked to", "Gaps and their owners"]
    assert got["first_gap_bottom"] is not None
    assert got["first_gap_bottom"] <= got["viewport_height"], "the first gap is below the fold"


def printed_pages(tmp_path: pathlib.Path, page_html: str, name: str) -> int:
    page = tmp_path / f"{name}.html"
    page.write_text(page_html, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    done = run_browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


#: The Board paper's printed length (issue 29): its front section on at most 4 A4 pages, the whole on at most 15.
FRONT_PAGES, WHOLE_PAGES = 4, 15


def test_the_large_example_prints_as_a_board_paper(tmp_path):
    """Printed to A4, the large example's front section (executive summary and counts) takes at most 4 pages and the
    whole paper at most 15: tables stay tables in print (the card layout is for narrow screens only)."""
    from natssips_rules.report.board import board_document
    from natssips_rules.report.document import Document, to_html

    rules = nr.compose_files(
        [
            nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml"),
            nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml"),
        ]
    )
    facts = nr.load_facts(ROOT / "examples/northvale-large-trust.json")
    doc = board_document(nr.evaluate(facts, rules=rules), rules, facts=facts)
    front = Document(
        doc.title, doc.subtitle, [b for b in doc.blocks if getattr(b.heading, "anchor", None) in ("executive-summary", "summary")]
    )
    assert len(front.blocks) == 2
    front_pages = printed_pages(tmp_path, to_html(front), "front")
    whole_pages = printed_pages(tmp_path, to_html(doc), "whole")
    print(f"\nprinted on A4: front section {front_pages} pages, whole paper {whole_pages} pages")
    assert 1 <= front_pages <= FRONT_PAGES
    assert front_pages < whole_pages <= WHOLE_PAGES


def test_print_uses_the_table_layout_not_the_cards():
    """The cards (each row a block, its column labels written in) are for screens narrower than 900 px; an A4 page is
    narrower than that, so the rule must name the screen, or print gets a stray box of column labels."""
    from natssips_rules.report.document import _CSS

    narrow = re.findall(r"@media([^{]*)\{", _CSS)
    assert any("max-width:900px" in m for m in narrow)
    assert all("screen" in m for m in narrow if "max-width" in m)
