"""The Board report as a PDF: the same document as the HTML, laid out on A4 by WeasyPrint.

Needs the ``pdf`` extra (``pip install 'natssips-rules[pdf]'``): WeasyPrint,
which in turn needs the system's Pango library (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``). The page has no external resources; WeasyPrint is
given a fetcher that refuses every URL, so rendering never reaches the
network or the file system, whatever the facts' text holds.
"""

from collections.abc import Sequence
from typing import Any, NoReturn

from natssips_rules.errors import FactsProblem, ReportError
from natssips_rules.facts.model import Organisation
from natssips_rules.report.board import render_html
from natssips_rules.report.model import Report
from natssips_rules.rules.model import RuleSet

__all__ = ["render_pdf"]


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is installed but the system's Pango is not
        raise ReportError(
            [
                FactsProblem(
                    "",
                    f"writing a PDF needs WeasyPrint and the system's Pango library: pip install 'natssips-rules[pdf]' ({exc})",
                )
            ]
        ) from None
    return weasyprint


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the Board report fetches nothing; refused {url[:80]!r}")


def render_pdf(
    report: Report, rules: RuleSet | None = None, *, facts: Organisation | None = None, previous: Sequence[Report] = ()
) -> bytes:
    """The Board assurance report as PDF bytes (A4): the HTML of :func:`~natssips_rules.report.board.render_html`, printed."""
    page = render_html(report, rules, facts=facts, previous=previous)
    weasyprint = _weasyprint()
    data: bytes = weasyprint.HTML(string=page, url_fetcher=_no_fetching).write_pdf()
    return data
