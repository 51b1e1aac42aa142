"""``evaluate``: facts in, a report of findings out. Pure and thread-safe.

The one entry point: it checks the facts at the boundary, has the engine
decide a status per rule and subject, and has :func:`~.assemble.build_report`
explain and assemble the findings.
"""

import datetime
import os
from collections.abc import Iterable
from typing import Any

import attrs

from natssips_rules._internal import arguments as _args
from natssips_rules.engine import DEFAULT_ENGINE, Engine, check_decisions, compiled, get_engine
from natssips_rules.engine.subjects import Context
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.load import load_facts
from natssips_rules.facts.model import Organisation
from natssips_rules.report.model import Report
from natssips_rules.report.wording import status_text
from natssips_rules.rules.departures import departures
from natssips_rules.rules.files import RulesFile
from natssips_rules.rules.findings import Status
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
    report = build_report(ctx, ruleset, decisions, engine=chosen.name, waivers=waiver_list)
    return _with_standard_verdicts(report, ruleset, ctx, chosen)


def _with_standard_verdicts(report: Report, ruleset: RuleSet, ctx: Context, chosen: Engine) -> Report:
    """Each finding judged under a tailoring below the standard's own words, with the verdict against those words too."""
    if not ruleset.tailoring:
        return report
    base = builtin_rules()
    found = departures(ruleset, base=base)
    if not found:
        return report
    how: dict[str, list[str]] = {}
    for departure in found:
        how.setdefault(departure.rule_id, []).append(departure.what)
    originals = RuleSet([base[rule_id] for rule_id in how])
    decided = compiled(chosen, originals).decide(ctx)
    check_decisions(decided, originals, ctx, chosen.name)
    statuses: dict[tuple[str, str], Status] = {}
    for rule, row in zip(originals, decided, strict=True):
        for entry, status in zip(ctx.subjects(rule.subject), row, strict=True):
            statuses[(rule.id, entry.ref.id)] = status
    findings = []
    for finding in report.findings:
        standard = statuses.get((finding.rule_id, finding.subject.id))
        if finding.rule_id not in how or standard is None:
            findings.append(finding)
            continue
        what = "; ".join(how[finding.rule_id])
        tailored = finding.underlying_status or finding.status
        note = (
            f" As tailored: {status_text(tailored, finding.level)}; against the standard's own words: "
            f"{status_text(standard, finding.standard_level or finding.level)} ({what})."
        )
        findings.append(attrs.evolve(finding, standard_status=standard, departure=what, message=finding.message + note))
    return attrs.evolve(report, findings=findings)


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
