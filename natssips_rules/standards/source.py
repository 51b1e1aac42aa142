"""The text of the standard shipped with the package, and how quotes are matched to it.

Only this text may be quoted as a NatSSIPs citation. Quotes are compared after
normalising what is not text: whitespace, footnote markers (``^b``,
``^{50 51}``, superscript reference numbers), bold markers and the markdown
link around "Team Briefs".
"""

import functools
import re
from importlib import resources

from natssips_rules.rules.model import StandardText

__all__ = ["DOCUMENT", "EDITION", "SOURCE_FILE", "STANDARD", "is_verbatim", "normalise", "source_text"]

DOCUMENT = "National Safety Standards for Invasive Procedures (NatSSIPs) 2"
EDITION = "2023"
SOURCE_FILE = "natssips2-organisational-standards-roles-and-staffing.txt"

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def source_text() -> str:
    """The source text of the two organisational sections, as shipped."""
    return _source()


@functools.cache
def _source() -> str:
    return resources.files("natssips_rules.standards").joinpath("source").joinpath(SOURCE_FILE).read_text(encoding="utf-8")


def normalise(text: str) -> str:
    """``text`` without what is not text: markers, markup and repeated whitespace."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"\^\{[^}]*\}", "", text)
    text = re.sub(r"\^[a-z](?![a-z])", "", text)
    text = re.sub(f"[{_SUPERSCRIPTS}]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _normalised_source() -> str:
    return normalise(_source())


def is_verbatim(quote: str) -> bool:
    """``quote`` is, after normalisation, a passage of the source text."""
    wanted = normalise(quote)
    return bool(wanted) and wanted in _normalised_source()


#: The standard's text as the rules layer reads it (the built-in rule set carries it).
STANDARD = StandardText(document=DOCUMENT, is_verbatim=is_verbatim, normalise=normalise)
