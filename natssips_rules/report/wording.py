"""How statuses, levels and values are worded: one place for every output format.

Each status has one name everywhere (the JSON value with spaces: "met", "not
met", "insufficient evidence", "not applicable", "waived"). A "may" of the
standard is a suggestion: its findings say "in place" or "not in place",
never "met" or "not met", and are counted apart from the requirements.
"""

import datetime
import enum
import unicodedata
from collections.abc import Mapping
from typing import Any

from natssips_rules.rules.findings import EvidenceItem, Status
from natssips_rules.rules.model import Level

__all__ = [
    "STATUS_ORDER",
    "SUGGESTION",
    "counts_text",
    "escape_character",
    "evidence_text",
    "level_text",
    "plain_text",
    "status_text",
    "suggestions_text",
    "value_text",
]

#: The order statuses are listed in, most urgent first.
STATUS_ORDER = (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED, Status.MET, Status.NOT_APPLICABLE)

#: What a "may" is, in the words every format uses.
SUGGESTION = "a suggestion of the standard (may), not a requirement"

_MAY = {Status.MET: "in place", Status.NOT_MET: "not in place"}


def status_text(status: Status, level: Level | None = None) -> str:
    """The status in words ("in place" / "not in place" for a "may")."""
    if level is Level.MAY and status in _MAY:
        return _MAY[status]
    return status.label


def level_text(level: Level, standard_level: Level | None = None, *, noun: str = "Trust") -> str:
    """The level in force, and the standard's own where the organisation's tailoring changed it.

    ``noun`` names the organisation (``Report.noun``: "Trust", "Health Board" or "organisation").
    """
    if standard_level is None or standard_level is level:
        return level.words
    return f"{level.words}; tailored by the {noun}, the standard says {standard_level.words}"


def counts_text(counts: Mapping[str, int], *, suggestion: bool = False) -> str:
    """Non-zero counts of statuses, in :data:`STATUS_ORDER` ("3 not met, 12 met")."""
    level = Level.MAY if suggestion else None
    parts = [f"{counts.get(s.value, 0)} {status_text(s, level)}" for s in STATUS_ORDER if counts.get(s.value, 0)]
    return ", ".join(parts) or "none"


def suggestions_text(counts: Mapping[str, int]) -> str | None:
    """The line about the standard's suggestions, or None where there are none."""
    if not any(counts.values()):
        return None
    return f"Suggestions of the standard ('may', not counted with the requirements): {counts_text(counts, suggestion=True)}"


def evidence_text(item: EvidenceItem) -> str:
    """The value a finding read, in words: "none" where the facts record that there is none, else :func:`value_text`."""
    return "none" if item.absent else value_text(item.value)


def value_text(value: Any) -> str:
    """A fact or parameter value as a reader writes it."""
    if value is None:
        return "not supplied"
    if value is False:
        return "no"
    if value is True:
        return "yes"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Bidirectional controls, which can make text read differently from its order (CVE-2021-42574).
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def escape_character(ch: str) -> str:
    """One character as an escape a reader can see (``\\n``, ``\\x07``, ``\\u202e``)."""
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain_text(text: str) -> str:
    """Free text safe for a terminal or a plain-text email: one line, no control characters.

    Newlines, tabs, other control characters (ANSI escapes), line and
    paragraph separators and bidirectional overrides are written as escapes.
    """
    if text.isprintable():
        return text
    return "".join(
        escape_character(ch) if ch in _ESCAPES or ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
    )
