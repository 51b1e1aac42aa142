"""The catalogue: every passage of the two sections, with the rules that check it.

Each entry is a passage of the standard in its own words (a clause, an "In
summary" statement, a staffing factor, a footnote, or text that sets the
context). An entry is checked by at least one rule, or says why it cannot be
checked from organisational facts; never neither.
"""

import attrs

from natssips_rules.rules import Footnote, RuleSet, SubjectKind

from . import roles, staffing
from .common import FOOTNOTES, Clause

__all__ = ["CatalogueEntry", "catalogue", "clauses"]


@attrs.frozen(kw_only=True)
class CatalogueEntry:
    """One passage of the standard and how the library covers it."""

    id: str
    section: str
    #: ``clause``, ``summary``, ``factor``, ``footnote`` or ``context``.
    kind: str
    #: The source's own words (only what is not text is normalised away).
    quote: str
    #: Footnotes qualifying the passage (marker and verbatim text).
    footnotes: tuple[Footnote, ...]
    #: Reference numbers the passage carries in the standard (its bibliography).
    references: tuple[str, ...]
    #: The clause this one continues (a sub-bullet's parent), if any.
    parent: str | None
    #: Ids of the rules checking this passage.
    rule_ids: tuple[str, ...]
    #: Why no rule checks this passage, where none does.
    not_assessable: str | None
    #: For a summary statement: the rules of the clauses it summarises.
    summarised_by: tuple[str, ...] = ()


def clauses() -> tuple[Clause, ...]:
    """Every passage of both sections, in source order."""
    return (*roles.CLAUSES, *staffing.CLAUSES)


def _rules_for(clause: Clause, ruleset: RuleSet) -> tuple[str, ...]:
    if clause.kind == "factor":
        # the factors are the subjects of the per-factor rules, not their citations
        return tuple(r.id for r in ruleset if r.origin == "natssips" and r.subject is SubjectKind.STAFFING_FACTOR)
    if clause.kind == "footnote":
        marker = clause.id.rsplit("-", 1)[-1]
        return tuple(r.id for r in ruleset if any(f.marker == marker for f in r.citation.footnotes))
    return tuple(r.id for r in ruleset if r.origin == "natssips" and r.citation.clause == clause.id)


def catalogue(rules: RuleSet | None = None) -> tuple[CatalogueEntry, ...]:
    """The catalogue, in source order, with the rules of ``rules`` (the built-in set by default) per entry."""
    if rules is None:
        from . import builtin_rules

        rules = builtin_rules()
    out = []
    for clause in clauses():
        rule_ids = _rules_for(clause, rules)
        summarised_by: tuple[str, ...] = ()
        if clause.kind == "summary":
            summarised_by = tuple(r.id for r in rules if r.origin == "natssips" and r.section == clause.section)
        out.append(
            CatalogueEntry(
                id=clause.id,
                section=clause.section,
                kind=clause.kind,
                quote=clause.quote,
                footnotes=tuple(FOOTNOTES[m] for m in clause.footnotes),
                references=clause.references,
                parent=clause.parent,
                rule_ids=rule_ids,
                not_assessable=None if rule_ids else clause.not_assessable,
                summarised_by=summarised_by,
            )
        )
    return tuple(out)
