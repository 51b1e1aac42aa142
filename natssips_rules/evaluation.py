"""``evaluate``: facts in, a report of findings out. Pure and thread-safe."""

import datetime
import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from natssips_rules import _args
from natssips_rules._version import __version__
from natssips_rules.engine import DEFAULT_ENGINE, Decisions, Engine, check_decisions, compiled, get_engine
from natssips_rules.engine.explain import Explainer, evidence_for
from natssips_rules.engine.subjects import Context, SubjectEntry
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.load import load_facts
from natssips_rules.facts.model import Action, ActionState, Organisation
from natssips_rules.report.model import (
    EvidenceItem,
    Finding,
    PlannedAction,
    Reason,
    Report,
    Status,
    SubjectRef,
    Summary,
    UnmatchedAction,
    WaiverOutcome,
    excluded_rules,
)
from natssips_rules.report.wording import SUGGESTION, status_text
from natssips_rules.rules.conditions import Named, children
from natssips_rules.rules.departures import departures
from natssips_rules.rules.files import RulesFile
from natssips_rules.rules.model import Level, Rule, RuleSet, Waiver, requirement_text
from natssips_rules.standards import builtin_rules

__all__ = ["EMPTY_LIST_ID", "evaluate"]

#: The id of the finding that stands for a list the facts record as empty.
EMPTY_LIST_ID = "(none)"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _message(
    rule: Rule, status: Status, subject: SubjectRef, reasons: tuple[Reason, ...], standard_level: Level | None, requirement: str
) -> str:
    """The finding in a sentence or two: the status, what the clause asks (``requirement``), and the parts that decided it."""
    name = subject.name
    tailored = (
        f" The Trust reports this clause at '{rule.level.words}'; the standard says '{standard_level.words}'."
        if standard_level is not None and standard_level is not rule.level
        else ""
    )
    because = "; ".join(r.text for r in reasons)
    if rule.level is Level.MAY and status in (Status.MET, Status.NOT_MET):
        # a "may" is a suggestion: never worded as a requirement met or missed
        what = "A suggestion the Trust has chosen" if standard_level is not None else f"{SUGGESTION[0].upper()}{SUGGESTION[1:]}"
        detail = f" Not in place: {_sentence(because)}" if status is Status.NOT_MET and because else ""
        return f"{name}: {status_text(status, rule.level)}. {what}: {requirement}{tailored}{detail}"
    if status is Status.MET:
        return f"{name}: met. {requirement}{tailored}"
    if status is Status.NOT_MET:
        detail = f" Not met: {_sentence(because)}" if because else ""
        return f"{name}: not met. Required: {requirement}{detail}{tailored}"
    if status is Status.NOT_APPLICABLE:
        reason = rule.applicability or "The rule does not apply to this subject."
        detail = f" ({because})" if because else ""
        return f"{name}: not applicable. {_sentence(reason + detail) if detail else reason}{tailored}"
    detail = f" Not known: {_sentence(because)}" if because else " Some of the facts it depends on are not known."
    return f"{name}: insufficient evidence. Required: {requirement}{detail}{tailored}"


def _remedies(rule: Rule) -> frozenset[str]:
    """The advice written in the rule's own parts (each ``Named`` part's remedy)."""
    found: set[str] = set()
    stack = [c for c in (rule.applies_when, rule.holds) if c is not None]
    while stack:
        cond = stack.pop()
        if isinstance(cond, Named) and cond.remedy:
            found.add(cond.remedy)
        stack.extend(children(cond))
    return frozenset(found)


def _remediation(rule: Rule, status: Status, reasons: tuple[Reason, ...], relevelled: bool = False) -> str | None:
    """What to do, preferring what people wrote: the remedy written for each part that decided the finding, and the
    question to answer for each fact not known; else the rule's own remediation (the standard's rule, or the Trust's
    from its rules file); only where there is neither, or where a Trust's tailoring changed the rule's level (its
    written advice speaks of the standard's level), the advice made from the condition, in the verb of the level in
    force."""
    if status in (Status.MET, Status.NOT_APPLICABLE):
        return None
    actions = list(dict.fromkeys(r.action for r in reasons if r.action))
    remedies = _remedies(rule)
    written = [a for a in actions if a in remedies or a.startswith("Record")]
    if written:
        return " ".join(_sentence(a) for a in written)
    if rule.remediation and not (relevelled and actions):
        return rule.remediation
    return " ".join(_sentence(a) for a in actions) or None


def _finding(
    rule: Rule,
    status: Status,
    entry: SubjectEntry,
    ctx: Context,
    explainer: Explainer,
    requirement: str,
    standard_level: Level | None = None,
) -> Finding:
    reasons = explainer.explain(rule, status, entry, ctx)
    return Finding(
        standard_level=standard_level,
        rule_id=rule.id,
        title=rule.title,
        status=status,
        level=rule.level,
        subject=entry.ref,
        citation=rule.citation,
        message=_message(rule, status, entry.ref, reasons, standard_level, requirement),
        evidence=evidence_for(rule, entry, ctx),
        remediation=_remediation(rule, status, reasons, standard_level is not None and standard_level is not rule.level),
        origin=rule.origin,
        reasons=reasons,
    )


def _nothing_to_judge(rule: Rule, ctx: Context) -> Finding:
    """The finding of a rule judged for each entry of a list the facts record as empty: not applicable."""
    field = rule.subject.collection or ""
    words = field.replace("_", " ")
    name = f"No {words} listed"
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        status=Status.NOT_APPLICABLE,
        level=rule.level,
        subject=SubjectRef(rule.subject.value, EMPTY_LIST_ID, name),
        citation=rule.citation,
        message=f"{name}: not applicable. The organisation records no {words}, so there is none to judge against this clause.",
        evidence=(EvidenceItem(f"{field} (number of entries)", 0),),
        origin=rule.origin,
    )


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
    ruleset = _ruleset(rules)
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


def _ruleset(rules: object) -> RuleSet:
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


def build_report(
    ctx: Context,
    ruleset: RuleSet,
    decisions: Decisions,
    *,
    engine: str,
    waivers: Sequence[Waiver] = (),
) -> Report:
    """The report every engine gives: findings with evidence, actions and waivers, sorted, counted.

    ``decisions[i][j]``, the status of rule ``i`` for its ``j``-th subject in
    ``ctx``, is the only thing an engine decides.
    """
    org, when = ctx.org, ctx.as_of
    relevelled = {t.rule_id: Level(t.previous) for t in ruleset.tailoring if t.action == "set_level"}
    explainer = Explainer({(t.rule_id, t.parameter) for t in ruleset.tailoring if t.action == "set_parameter" and t.parameter})
    ranked: list[tuple[tuple[int, str, int, str], Finding]] = []
    for index, (rule, statuses) in enumerate(zip(ruleset, decisions, strict=True)):
        objects = rule.subject.objects
        if not statuses and rule.subject.collection is not None:
            # a list known to be empty: nothing to judge, said in one finding rather than none
            ranked.append(((index, rule.subject.value, 0, ""), _nothing_to_judge(rule, ctx)))
            continue
        requirement = requirement_text(rule)  # the same for every subject of the rule
        for entry, status in zip(ctx.subjects(rule.subject), statuses, strict=True):
            # subjects of a fixed set (the staffing factors) keep the standard's order; others sort by id,
            # so the order of the lists in the facts never changes the report
            rank = objects.index(entry.location) if entry.location in objects else 0
            finding = _finding(rule, status, entry, ctx, explainer, requirement, relevelled.get(rule.id))
            ranked.append(((index, entry.ref.kind, rank, entry.ref.id), finding))
    with_actions, unmatched = _attach_actions(tuple(finding for _, finding in sorted(ranked, key=lambda pair: pair[0])), org, when)
    ordered, outcomes = _apply_waivers(with_actions, list(waivers), when)
    return Report(
        organisation=SubjectRef("organisation", org.id, org.name),
        as_of=when,
        findings=ordered,
        summary=Summary.of(ordered, excluded=excluded_rules(ruleset.tailoring)),
        engine=engine,
        library_version=__version__,
        ruleset_digest=ruleset.digest,
        sources=ruleset.sources,
        tailoring=ruleset.tailoring,
        waivers=outcomes,
        unmatched_actions=unmatched,
    )


def _planned(action: Action, when: datetime.date) -> PlannedAction:
    return PlannedAction(
        id=action.id,
        description=action.description,
        owner=action.owner,
        lead_committee=action.lead_committee,
        due=action.due,
        state=None if action.state is None else action.state.value,
        overdue=action.due is not None and action.due < when and action.state is not ActionState.COMPLETE,
    )


def _attach_actions(
    findings: tuple[Finding, ...], org: Organisation, when: datetime.date
) -> tuple[tuple[Finding, ...], tuple[UnmatchedAction, ...]]:
    """Show each of the organisation's actions beside the findings it addresses; statuses are untouched.

    An action that matches no finding (its rule or subject id names nothing judged here) is returned apart, to be
    listed: never dropped.
    """
    if not org.actions:
        return findings, ()
    by_rule: dict[str, list[Action]] = {}
    for action in org.actions:
        by_rule.setdefault(action.rule, []).append(action)
    used: set[int] = set()
    out = []
    for finding in findings:
        matching = []
        for action in by_rule.get(finding.rule_id, ()):
            if action.subject is None or action.subject == finding.subject.id:
                used.add(id(action))
                matching.append(_planned(action, when))
        out.append(attrs.evolve(finding, actions=matching) if matching else finding)
    judged = {f.rule_id for f in findings}
    unmatched = tuple(
        UnmatchedAction(
            action=_planned(action, when),
            rule_id=action.rule,
            subject=action.subject,
            reason="no_such_subject" if action.rule in judged else "no_such_rule",
        )
        for action in org.actions
        if id(action) not in used
    )
    return tuple(out), unmatched


def _apply_waivers(
    findings: tuple[Finding, ...], waivers: list[Waiver], when: datetime.date
) -> tuple[tuple[Finding, ...], tuple[WaiverOutcome, ...]]:
    """Waive the findings unexpired waivers cover; mark those expired ones cover. Nothing is removed."""
    applied: dict[int, list[str]] = {i: [] for i in range(len(waivers))}
    out = []
    for finding in findings:
        if finding.status not in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
            out.append(finding)
            continue
        covering = [(i, w) for i, w in enumerate(waivers) if w.covers(finding.rule_id, finding.subject.id)]
        active = [(i, w) for i, w in covering if w.active_on(when)]
        if active:
            # the waiver that lasts longest (then the first given) is the one shown
            i, waiver = max(active, key=lambda pair: (pair[1].expires, -pair[0]))
            applied[i].append(finding.subject.id)
            out.append(
                attrs.evolve(
                    finding,
                    status=Status.WAIVED,
                    underlying_status=finding.status,
                    waiver=waiver,
                    waiver_state="active",
                    message=_waived_message(finding, waiver),
                )
            )
        elif covering:
            i, waiver = max(covering, key=lambda pair: (pair[1].expires, -pair[0]))
            applied[i].append(finding.subject.id)
            in_effect = waiver.state_on(when)
            if in_effect == "expired":
                note = f" A waiver expired on {waiver.expires.isoformat()} and no longer applies."
            else:
                assert waiver.approved_on is not None
                note = f" A waiver approved on {waiver.approved_on.isoformat()} was not yet in force at {when.isoformat()}."
            out.append(attrs.evolve(finding, waiver=waiver, waiver_state=in_effect, message=finding.message + note))
        else:
            out.append(finding)
    judged = {(f.rule_id, f.subject.id) for f in findings}
    outcomes = []
    for i, waiver in enumerate(waivers):
        subjects = tuple(applied[i])
        state: Literal["applied", "expired", "not_yet_approved", "unused", "no_such_subject"]
        if subjects:
            in_force = waiver.state_on(when)
            state = "applied" if in_force == "active" else in_force
        elif waiver.subject is not None and (waiver.rule_id, waiver.subject) not in judged:
            state = "no_such_subject"  # a misspelt id must not pass for "nothing to waive"
        else:
            state = "unused"
        outcomes.append(WaiverOutcome(waiver=waiver, state=state, subjects=subjects))
    return tuple(out), tuple(outcomes)


def _waived_message(finding: Finding, waiver: Waiver) -> str:
    return (
        f"{finding.subject.name}: waived until {waiver.expires.isoformat()} (the rule gives: "
        f"{finding.status.label}). Justification: {waiver.justification} Approved by {waiver.approved_by}."
    )
