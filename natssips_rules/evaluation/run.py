"""``evaluate``: facts in, a report of findings out. Pure and thread-safe.

The one entry point: it checks the facts at the boundary, has the engine
decide a status per rule and subject, and has :func:`~.assemble.build_report`
explain and assemble the findings.
"""

import datetime
import os
from collections.abc import Iterable
from typing import Any

from natssips_rules._internal import arguments as _args
from natssips_rules.engine import DEFAULT_ENGINE, Engine, check_decisions, compiled, get_engine
from natssips_rules.engine.subjects import Context
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.load import load_facts
from natssips_rules.facts.model import Organisation
from natssips_rules.report.model import Report
from natssips_rules.rules.files import RulesFile
from natssips_rules.rules.model import RuleSet, Waiver
from natssips_rules.standards import builtin_rules

from .assemble import build_report

__all__ = ["evaluate", "ruleset_of"]


def evaluate(
    facts: "Organisation | dict[str, Any] | str | bytes | os.PathLike[str]",
    *,
    rules: "RuleSet | RulesFile | None" = None,
    waivers: Iterable[Waiver] = (),
    as_of: datetime.date | None = None,
    engine: "str | Engine" = DEFAULT_ENGINE,
) -> Report:
    """Evaluate an organisation against a rule set (the built-in one by default).

    ``facts`` is an :class:`Organisation` or anything :func:`load_facts` takes
    (a dict, a JSON file's path, JSON text); whichever it is, it is checked
    the same way before any engine sees it (a :class:`FactsError` lists every
    problem).
    ``rules`` is a :class:`RuleSet`, e.g. from :func:`natssips_rules.compose`
    (local rules and tailoring) or :func:`~natssips_rules.compose_files`, or
    a :class:`RulesFile` (the built-in rules with that one file's rules,
    tailoring and waivers). ``waivers`` are applied to
    the findings (see :class:`natssips_rules.Waiver`), with those the rule set
    carries (from its rules files); each must name a rule of the set. ``as_of`` overrides the date the facts carry. ``engine`` names
    one of :data:`~natssips_rules.engine.ENGINES` (``"durable"``:
    durable_rules' Rete engine; ``"reference"``: a plain interpreter of the
    same rules), or is an :class:`~natssips_rules.engine.Engine`; every engine
    gives the same report.
    """
    chosen = get_engine(engine)
    ruleset = ruleset_of(rules)
    given_waivers = _args.items(waivers, Waiver, "waivers")
    if as_of is not None and (not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime)):
        raise ArgumentError(f"expected a datetime.date, not {type(as_of).__name__}", argument="as_of")
    org = load_facts(facts)  # the one boundary: an Organisation built in Python gets the same checks
    when = org.as_of if as_of is None else as_of
    waiver_list = [*ruleset.waivers, *given_waivers]
    for waiver in waiver_list:
        if waiver.rule_id not in ruleset:
            raise ArgumentError(f"a waiver names rule {waiver.rule_id!r}, which is not in the rule set", argument="waivers")
    ctx = Context(org, when)
    decisions = compiled(chosen, ruleset).decide(ctx)
    check_decisions(decisions, ruleset, ctx, chosen.name)
    return build_report(ctx, ruleset, decisions, engine=chosen.name, waivers=waiver_list)


def ruleset_of(rules: object) -> RuleSet:
    """The rule set ``rules`` names: the built-in one, a RuleSet, or a RulesFile's (with its waivers)."""
    if rules is None:
        return builtin_rules()
    if isinstance(rules, RulesFile):
        return rules.ruleset()
    if not isinstance(rules, RuleSet):
        raise ArgumentError(
            f"expected a RuleSet (from compose or compose_files) or a RulesFile, not {type(rules).__name__}", argument="rules"
        )
    return rules


