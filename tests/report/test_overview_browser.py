"""The overview across organisations in a real browser: it fits the screen at 1280, 1024 and 768 px, opens on the
position, and prints on A4; its trend chart is readable without colour.

Runs headless Chromium like tests/test_browser.py (skipped where none is installed). The organisations are the
bundled examples under other ids, nations and kinds, at the four quarter ends of examples/series.
"""

import datetime
import itertools
import json
import pathlib
import re

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.report.overview_render import render_overview_html

from .test_browser import BROWSER, MEASURE, measure, run_browser

ROOT = pathlib.Path(__file__).parent.parent.parent
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (set NATSSIPS_BROWSER to use another)")
WIDTHS = (1280, 1024, 768)


def region_page() -> str:
    series = sorted((ROOT / "examples/series").glob("northvale-*.json"))
    places = itertools.cycle([(n, k) for n in nr.Nation for k in nr.OrganisationKind])
    reports = []
    for number in range(10):
        nation, kind = next(places)
        for path in series:
            org = nr.load_facts(path)
            org = attrs.evolve(org, id=f"org-{number}", name=f"Organisation {number} {kind.label}", nation=nation, kind=kind)
            if number % 3 == 1:
                org = attrs.evolve(org, board=False)
            reports.append(nr.evaluate(org))
    reports.append(
        nr.evaluate(attrs.evolve(nr.load_facts(ROOT / "examples/brookfield-day-surgery.json"), as_of=datetime.date(2026, 3, 31)))
    )
    return render_overview_html(nr.overview(reports))


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("overview") / "overview.html"
    path.write_text(region_page(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def measured(page) -> dict[int, dict]:
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    figures = {width: measure(probe, width) for width in WIDTHS}
    print("\nbrowser measurements of the overview:")
    for width, got in figures.items():
        print(f"  {width} px: {json.dumps(got)}")
    return figures


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_the_overview_fits_the_screen_and_opens_on_the_position(measured, width):
    got = measured[width]
    assert got["document_width"] == width, f"horizontal scrolling at {width} px: {got['beyond']}"
    assert got["beyond"] == []
    assert got["first_heading"] == "Position across organisations"
    assert got["first_heading_bottom"] <= got["viewport_height"]
    assert got["tallest_cell_lines"] <= 30


def test_the_overview_prints_on_a4_with_its_trend_in_words(page, tmp_path):
    pdf = tmp_path / "overview.pdf"
    done = run_browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}, boxes
    text = page.read_text(encoding="utf-8")
    # the chart draws in one dark ink (no colour needed) and labels each point with its value; its text alternative
    # names every period
    chart = re.search(r'<figure class="chart"><svg role="img" aria-label="([^"]*)"(.*?)</svg>', text, re.S)
    assert chart is not None
    alt, body = chart.groups()
    assert alt.startswith("Share of applicable NatSSIPs requirements met, all organisations: 2025-06-30 ")
    assert set(re.findall(r'stroke="(#[0-9a-f]+)"', body)) <= {"#bbb", "#ddd", "#1a1a1a"}
    assert len(re.findall(r'font-weight="700"[^>]*>\d+%</text>', body)) == 4
