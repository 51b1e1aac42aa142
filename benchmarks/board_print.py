"""How many A4 pages the Board report prints to, in headless Chromium.

Renders the examples' Board reports (the large one with the Trust's local
rules and tailoring, the small one as it is), prints each to an A4 PDF with
``chromium --headless --print-to-pdf`` and counts the pages with ``pdfinfo``.
The "front section" ends where the page holding the first heading after it
(``FRONT_ENDS_AT``) begins: its page count is that page's number minus one,
or that page's number where the heading is not at the top of its page.

    python benchmarks/board_print.py [--keep FOLDER]

Needs ``chromium`` (or ``NATSSIPS_BROWSER``), ``pdfinfo`` and ``pdftotext`` (poppler-utils).
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import natssips_rules as nr
from natssips_rules.report.board import render_html

ROOT = pathlib.Path(__file__).parent.parent
#: The heading that opens the first part after the front section.
FRONT_ENDS_AT = ("Action plans",)


def pages(pdf: pathlib.Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def page_text(pdf: pathlib.Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def front_pages(pdf: pathlib.Path, total: int) -> tuple[int, str]:
    for marker in FRONT_ENDS_AT:
        for page in range(1, total + 1):
            lines = [line.strip() for line in page_text(pdf, page).splitlines()]
            if marker in lines:
                return page, marker
    return total, "(none)"


def print_pdf(browser: str, page: pathlib.Path, pdf: pathlib.Path) -> None:
    subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", type=pathlib.Path, help="keep the HTML and PDF files in this folder")
    args = parser.parse_args()
    browser = os.environ.get("NATSSIPS_BROWSER") or shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium", file=sys.stderr)
        return 1
    rules = nr.compose_files(
        [
            nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml"),
            nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml"),
        ]
    )
    large_facts = nr.load_facts(ROOT / "examples/northvale-large-trust.json")
    small_facts = nr.load_facts(ROOT / "examples/brookfield-day-surgery.json")
    cases = {
        "large": (nr.evaluate(large_facts, rules=rules), rules, large_facts),
        "small": (nr.evaluate(small_facts), nr.builtin_rules(), small_facts),
    }
    folder = args.keep or pathlib.Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    for name, (report, ruleset, facts) in cases.items():
        try:
            page_html = render_html(report, ruleset, facts=facts)  # type: ignore[call-arg]
        except TypeError:  # the report before the facts were a parameter
            page_html = render_html(report, ruleset)
        page = folder / f"{name}.html"
        page.write_text(page_html, encoding="utf-8")
        pdf = folder / f"{name}.pdf"
        print_pdf(browser, page, pdf)
        total = pages(pdf)
        at, marker = front_pages(pdf, total)
        print(f"{name}: {total} A4 pages; '{marker}' begins on page {at}")
    if args.keep is None:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
