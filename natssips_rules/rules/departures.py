"""Tailoring that goes below the standard's own words.

Most parameters are this library's reading of a vague term ("sufficient",
"large Trust"): a Trust may set them as it judges. Some are the standard's own
words: a list its text gives (the support areas "including, but not limited
to: IT; education; quality improvement support; and procurement"), marked
``from_standard``. A Trust that removes an item of such a list, lowers such a
figure in the lenient direction, or reports a clause at a weaker level than
the standard's verb ("should" reported as "may") no longer checks the
standard's words. That is allowed (it is the Trust's decision, with its
rationale and approval), but it must be visible: ``check`` warns, and each
finding judged under it carries the verdict against the standard's own words
as well as the tailored one.
"""

from typing import Any

import attrs

from natssips_rules.rules.model import Level, RuleSet, TailoringRecord

__all__ = ["Departure", "departures"]

#: How demanding each level is (a lower rank is weaker).
_RANK = {Level.MUST: 4, Level.SHOULD: 3, Level.SHOULD_AIM_TO: 2, Level.SHOULD_CONSIDER: 2, Level.MAY: 1}


@attrs.frozen
class Departure:
    """One tailoring of one rule that goes below the standard's own words, and how, in words."""

    rule_id: str
    what: str


def value_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def _below(record: TailoringRecord, base: RuleSet) -> str | None:
    if record.rule_id not in base:
        return None
    rule = base[record.rule_id]
    if record.action == "set_level":
        before, after = Level(record.previous), Level(record.value)
        if _RANK[after] < _RANK[before]:
            return f"reported at '{after.words}' by the Trust's tailoring; the standard says '{before.words}'"
        return None
    if record.action != "set_parameter" or record.parameter is None:
        return None
    parameter = next((p for p in rule.parameters if p.name == record.parameter), None)
    if parameter is None or not parameter.from_standard:
        return None
    previous, value = record.previous, record.value
    if isinstance(previous, (list, tuple)):
        kept = set(value) if isinstance(value, (list, tuple)) else {value}
        removed = [item for item in previous if item not in kept]
        if removed:
            return (
                f"{value_text(list(removed))} removed from {record.parameter} (the standard's own list) by the Trust's tailoring"
            )
        return None
    if isinstance(previous, (int, float)) and isinstance(value, (int, float)) and parameter.lenient is not None:
        easier = value < previous if parameter.lenient == "lower" else value > previous
        if easier:
            return (
                f"{record.parameter} changed from {value_text(previous)} (the standard's own figure) to "
                f"{value_text(value)} by the Trust's tailoring"
            )
    return None


def departures(ruleset: RuleSet, *, base: RuleSet) -> tuple[Departure, ...]:
    """Each tailoring of ``ruleset`` that goes below the standard's own words (``base``: the built-in rules)."""
    out = []
    for record in ruleset.tailoring:
        what = _below(record, base)
        if what is not None:
            out.append(Departure(record.rule_id, what))
    return tuple(out)
