"""The facts template workbook a NatSSIPs lead fills in (the ``xlsx`` extra).

The workbook itself is written by the facts layer (:func:`natssips_rules.facts.xlsx.write_template`, beside the
reader that reads it back); here it gets what it offers in its drop-downs, which the facts alone do not know: the
ids of the rule set's rules and the subjects those rules are judged for in the organisation.
"""

from natssips_rules.engine.subjects import UNKNOWN_LIST_ID, Context
from natssips_rules.errors import ArgumentError
from natssips_rules.facts import model as m
from natssips_rules.facts.xlsx import UNSTORABLE, write_template
from natssips_rules.rules.model import RuleSet, SubjectKind
from natssips_rules.standards import builtin_rules

__all__ = ["facts_workbook"]


def facts_workbook(org: m.Organisation | None = None, *, rules: RuleSet | None = None) -> bytes:
    """The facts template as ``.xlsx`` bytes: blank, or filled in with ``org``'s facts.

    ``load_facts`` reads it back (from a path ending in ``.xlsx``, or the
    bytes). The Actions sheet's ``rule`` column offers the ids of ``rules``
    (default: the built-in rules; pass the rule set with the Trust's local
    rules to offer theirs too) and refuses others; its ``subject`` column
    offers the organisation's subjects (warning on others: a site added since
    is fine). Raises :class:`~natssips_rules.FactsError` when a fact cannot be
    stored in a workbook (text holding a control character).
    """
    if rules is None:
        rules = builtin_rules()
    elif not isinstance(rules, RuleSet):
        raise ArgumentError(f"expected a RuleSet or None, not {type(rules).__name__}", argument="rules")
    if org is not None and not isinstance(org, m.Organisation):
        raise ArgumentError(f"expected an Organisation or None, not {type(org).__name__}", argument="org")
    return write_template(org, rule_ids=[rule.id for rule in rules], subject_ids=_subject_ids(org))


def _subject_ids(org: m.Organisation | None) -> list[str]:
    """The ids an action's ``subject`` may name: the subjects the rules are judged for in ``org`` (in a blank
    template, those every organisation has: the steering group and the staffing factors)."""
    if org is None:
        return ["steering_group", *m.STAFFING_FACTOR_FIELDS]
    ctx = Context(org, org.as_of)
    found = [entry.ref.id for kind in SubjectKind for entry in ctx.subjects(kind) if entry.ref.id != UNKNOWN_LIST_ID]
    return [i for i in dict.fromkeys(found) if not UNSTORABLE.search(i)]
