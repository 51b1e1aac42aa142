"""The catalogue: every passage of the two sections, with the rules that check it.

Each entry is a passage of the standard in its own words (a clause, an "In
summary" statement, a staffing factor, a footnote, or text that sets the
context). An entry is checked by at least one rule, or says why it cannot be
checked from organisational facts; never neither.
"""

import attrs

from natssips_rules.errors import ArgumentError
from natssips_rules.rules.describe import definitions, describe, value_words
from natssips_rules.rules.model import Footnote, Rule, RuleSet, SubjectKind, requirement_text

from . import roles, staffing
from .builtin import builtin_rules
from .common import FOOTNOTES, Clause

__all__ = ["CatalogueEntry", "catalogue", "clauses", "render_markdown"]


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
        rules = builtin_rules()
    if not isinstance(rules, RuleSet):
        raise ArgumentError(f"expected a RuleSet, not {type(rules).__name__}", argument="rules")
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
                parent=None if clause.parent is None else clause.parent.id,
                rule_ids=rule_ids,
                not_assessable=None if rule_ids else clause.not_assessable,
                summarised_by=summarised_by,
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------
# The catalogue as a Markdown page (docs/catalogue.md is generated from this)

_SUBJECT_WORDS = {
    SubjectKind.ORGANISATION: "the organisation",
    SubjectKind.SITE: "each site",
    SubjectKind.SPECIALTY: "each specialty",
    SubjectKind.NATSSIPS_LEAD: "each NatSSIPs lead",
    SubjectKind.STEERING_GROUP: "the steering group",
    SubjectKind.STAFFING_FACTOR: "each of the eleven staffing factors (i-xi)",
}

_KIND_WORDS = {
    "clause": "Clause",
    "summary": "In summary",
    "factor": "Staffing factor",
    "footnote": "Footnote",
    "context": "Context",
}


def _rule_markdown(rule: Rule) -> list[str]:
    params = rule.parameter_values()
    out = [
        f"#### Rule `{rule.id}`: {rule.title}",
        "",
        f"- **Level:** {rule.level.words}",
        f"- **Judged for:** {_SUBJECT_WORDS[rule.subject]}",
        f"- **Requirement:** {requirement_text(rule)}",
    ]
    if rule.applies_when is not None:
        out.append(f"- **Applies when** ({rule.applicability or 'otherwise not applicable'}):")
        out += describe(rule.applies_when, params, 1)
    out.append("- **Met when:**")
    out += describe(rule.holds, params, 1)
    named = definitions(rule.applies_when, params) + definitions(rule.holds, params)
    for name, meaning in dict(named).items():
        out.append(f'- **Where "{name}" means:**')
        out += meaning
    if rule.interpretation:
        out.append(f"- **Interpretation:** {rule.interpretation}")
    out.append(f"- **What would evidence it:** {rule.remediation}")
    if rule.parameters:
        out += ["", "| parameter | default | meaning | interpretation |", "|---|---|---|---|"]
        for p in rule.parameters:
            unit = f" {p.unit}" if p.unit else ""
            choices = f" (choices: {value_words(p.choices)})" if p.choices else ""
            cells = [f"`{p.name}`", f"{value_words(p.default)}{unit}{choices}", p.description, p.interpretation]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out.append("")
    return out


def render_markdown(rules: RuleSet | None = None) -> str:
    """The catalogue as Markdown: every passage, verbatim, with the rules that check it or why none can."""
    if rules is None:
        rules = builtin_rules()
    entries = catalogue(rules)
    checked = sum(1 for e in entries if e.rule_ids)
    out = [
        "# The rule catalogue",
        "",
        "<!-- Generated from the rules by `natssips-rules catalogue`; do not edit by hand. -->",
        "",
        'Every passage of the two organisational sections of NatSSIPs 2 ("Roles For NatSSIPs Delivery,',
        'Implementation and Sustainment" and "Invasive Area Staffing and Resources"), in the order of the',
        "standard and in its own words, with the rules that check it, or the reason no rule can.",
        f"{len(entries)} passages: {checked} checked by {len(rules)} rules, and {len(entries) - checked} not",
        "assessable on their own (each with its reason).",
        "",
        "Levels are the standard's own verbs. A `may` is a suggestion: its findings say whether it is in place and",
        "are never counted as requirements met or not met. Every threshold and reading is a named parameter with",
        "its default and the reason for it; the defaults are this library's, not NatSSIPs figures, unless the",
        "interpretation says the value is the clause's own.",
        "",
    ]
    by_id = {rule.id: rule for rule in rules}
    section = None
    for entry in entries:
        if entry.section != section:
            section = entry.section
            out += [f"## {section}", ""]
        out += [f"### `{entry.id}` ({_KIND_WORDS[entry.kind]})", "", f"> {entry.quote}", ""]
        for footnote in entry.footnotes:
            out += [f"Footnote {footnote.marker}: {footnote.text}", ""]
        if entry.references:
            out += [f"References in the standard: {', '.join(entry.references)}.", ""]
        if entry.parent:
            out += [f"Continues `{entry.parent}`.", ""]
        if entry.not_assessable:
            out += [f"**Not assessable on its own.** {entry.not_assessable}", ""]
        if entry.summarised_by:
            out += ["Summarised by: " + ", ".join(f"`{r}`" for r in entry.summarised_by) + ".", ""]
        if entry.kind in ("factor", "footnote"):
            verb = "Judged as a subject of" if entry.kind == "factor" else "Qualifies"
            if entry.rule_ids:
                out += [f"{verb}: " + ", ".join(f"`{r}`" for r in entry.rule_ids) + ".", ""]
            continue
        for rule_id in entry.rule_ids:
            out += _rule_markdown(by_id[rule_id])
    return "\n".join(out).rstrip() + "\n"
