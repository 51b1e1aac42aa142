"""Assembling the report: each decision explained into a finding, actions shown beside it, waivers applied, sorted, counted."""

import datetime
from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from natssips_rules._version import __version__
from natssips_rules.engine import Decisions
from natssips_rules.engine.subjects import Context, SubjectEntry
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.model import Action, ActionState, Organisation
from natssips_rules.facts.nouns import in_own_words, names_to_keep, organisation_noun
from natssips_rules.report.model import Report, Summary, UnmatchedAction, excluded_rules
from natssips_rules.report.wording import SUGGESTION, status_text
from natssips_rules.rules.findings import EvidenceItem, Finding, PlannedAction, Reason, Status, SubjectRef
from natssips_rules.rules.model import Level, Rule, RuleSet, Waiver, requirement_text

from .compiled import Run, compiled_explanations
from .explain import Explainer, evidence_for, remedies_of
from .waivers import apply_waivers

__all__ = ["EMPTY_LIST_ID", "build_report", "kept_names", "reasons_in_own_words"]

#: The id of the finding that stands for a list the facts record as empty.
EMPTY_LIST_ID = "(none)"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _message(
    rule: Rule,
    status: Status,
    subject: SubjectRef,
    reasons: tuple[Reason, ...],
    standard_level: Level | None,
    requirement: str,
    noun: str = "Trust",
) -> str:
    """The finding in a sentence or two: the status, what the clause asks (``requirement``), and the parts that decided it.

    ``noun`` names the organisation in the library's own words ("Trust", "Health Board", "organisation").
    """
    name = subject.name
    own = rule.origin == "natssips"  # a local rule's texts are the organisation's own words: kept as written
    if own:
        requirement = in_own_words(requirement, noun)
    tailored = (
        f" The {noun} reports this clause at '{rule.level.words}'; the standard says '{standard_level.words}'."
        if standard_level is not None and standard_level is not rule.level
        else ""
    )
    because = "; ".join(r.text for r in reasons)
    if rule.level is Level.MAY and status in (Status.MET, Status.NOT_MET):
        # a "may" is a suggestion: never worded as a requirement met or missed
        what = f"A suggestion the {noun} has chosen" if standard_level is not None else f"{SUGGESTION[0].upper()}{SUGGESTION[1:]}"
        detail = f" Not in place: {_sentence(because)}" if status is Status.NOT_MET and because else ""
        return f"{name}: {status_text(status, rule.level)}. {what}: {requirement}{tailored}{detail}"
    if status is Status.MET:
        return f"{name}: met. {requirement}{tailored}"
    if status is Status.NOT_MET:
        detail = f" Not met: {_sentence(because)}" if because else ""
        return f"{name}: not met. Required: {requirement}{detail}{tailored}"
    if status is Status.NOT_APPLICABLE:
        reason = rule.applicability or "The rule does not apply to this subject."
        if own:
            reason = in_own_words(reason, noun)
        detail = f" ({because})" if because else ""
        return f"{name}: not applicable. {_sentence(reason + detail) if detail else reason}{tailored}"
    detail = f" Not known: {_sentence(because)}" if because else " Some of the facts it depends on are not known."
    return f"{name}: insufficient evidence. Required: {requirement}{detail}{tailored}"


def _remediation(
    rule: Rule,
    status: Status,
    reasons: tuple[Reason, ...],
    remedies: frozenset[str],
    noun: str = "Trust",
    relevelled: bool = False,
) -> str | None:
    """What to do, preferring what people wrote: the remedy written for each part that decided the finding, and the
    question to answer for each fact not known; else the rule's own remediation (the standard's rule, or the Trust's
    from its rules file); only where there is neither, or where a Trust's tailoring changed the rule's level (its
    written advice speaks of the standard's level), the advice made from the condition, in the verb of the level in
    force. The library's own words name the organisation by ``noun``; a local rule's are kept as written (``remedies``:
    the advice written in the rule's parts, so worded)."""
    if status in (Status.MET, Status.NOT_APPLICABLE):
        return None
    own = rule.origin == "natssips"
    actions = list(dict.fromkeys(r.action for r in reasons if r.action))
    written = [a for a in actions if a in remedies or a.startswith("Record")]
    if written:
        return " ".join(_sentence(a) for a in written)
    if rule.remediation and not (relevelled and actions):
        return in_own_words(rule.remediation, noun) if own else rule.remediation
    return " ".join(_sentence(a) for a in actions) or None


def _finding(
    rule: Rule,
    status: Status,
    entry: SubjectEntry,
    explained: tuple[tuple[Reason, ...], tuple[EvidenceItem, ...]],
    words: tuple[str, frozenset[str]],
    requirement: str,
    standard_level: Level | None = None,
    noun: str = "Trust",
) -> Finding:
    """One finding: ``explained`` holds its reasons (in the organisation's words) and evidence, ``words`` the rule's
    title and written advice in the organisation's words."""
    reasons, evidence = explained
    title, remedies = words
    return Finding(
        standard_level=standard_level,
        rule_id=rule.id,
        title=title,
        status=status,
        level=rule.level,
        subject=entry.ref,
        citation=rule.citation,
        message=_message(rule, status, entry.ref, reasons, standard_level, requirement, noun),
        evidence=evidence,
        remediation=_remediation(
            rule, status, reasons, remedies, noun, standard_level is not None and standard_level is not rule.level
        ),
        origin=rule.origin,
        reasons=reasons,
    )


def reasons_in_own_words(reasons: tuple[Reason, ...], noun: str, keep: tuple[str, ...] = ()) -> tuple[Reason, ...]:
    """The reasons, naming the organisation by ``noun`` (see :func:`in_own_words`); the names in ``keep`` (the
    facts' own names that hold the word "Trust", see :func:`kept_names`) are left as they are.

    Reasons are the library's sentences, for local rules too ("the Trust's own figure", "as the organisation is a
    large Trust"); a local rule's part names inside them are rewritten with them.
    """
    if noun == "Trust":
        return reasons
    return tuple(
        attrs.evolve(
            r,
            text=in_own_words(r.text, noun, keep),
            question=None if r.question is None else in_own_words(r.question, noun, keep),
            action=None if r.action is None else in_own_words(r.action, noun, keep),
        )
        for r in reasons
    )


def kept_names(ctx: Context) -> tuple[str, ...]:
    """The facts' own names (the organisation's, its people's, sites', ...) that the library's rewording of "Trust"
    must leave alone."""
    return names_to_keep([ctx.org.name, *(getattr(obj, "name", None) for objs in ctx.entities.values() for obj in objs.values())])


def _nothing_to_judge(rule: Rule, ctx: Context, noun: str = "Trust") -> Finding:
    """The finding of a rule judged for each entry of a list the facts record as empty: not applicable."""
    field = rule.subject.collection or ""
    words = field.replace("_", " ")
    name = f"No {words} listed"
    return Finding(
        rule_id=rule.id,
        title=in_own_words(rule.title, noun) if rule.origin == "natssips" else rule.title,
        status=Status.NOT_APPLICABLE,
        level=rule.level,
        subject=SubjectRef(rule.subject.value, EMPTY_LIST_ID, name),
        citation=rule.citation,
        message=f"{name}: not applicable. The organisation records no {words}, so there is none to judge against this clause.",
        evidence=(EvidenceItem(f"{field} (number of entries)", 0),),
        origin=rule.origin,
    )


def build_report(
    ctx: Context,
    ruleset: RuleSet,
    decisions: Decisions,
    *,
    engine: str,
    waivers: Sequence[Waiver] = (),
    explanations: Literal["compiled", "interpreted"] = "compiled",
) -> Report:
    """The report every engine gives: findings with evidence, actions and waivers, sorted, counted.

    ``decisions[i][j]``, the status of rule ``i`` for its ``j``-th subject in
    ``ctx``, is the only thing an engine decides. ``explanations`` says how
    each finding is explained: by the rule set compiled into what explains it
    (:mod:`.compiled`, kept with the rule set) or by walking the rules'
    conditions (:mod:`.explain`, the definition); both give the same report.
    """
    org, when = ctx.org, ctx.as_of
    noun = organisation_noun(org.kind)
    keep = kept_names(ctx) if noun != "Trust" else ()  # names the rewording of "Trust" leaves alone: only if it rewords
    relevelled = {t.rule_id: Level(t.previous) for t in ruleset.tailoring if t.action == "set_level"}
    explain = _explaining(ctx, ruleset, explanations)
    ranked: list[tuple[tuple[int, str, int, str], Finding]] = []
    for index, (rule, statuses) in enumerate(zip(ruleset, decisions, strict=True)):
        objects = rule.subject.objects
        if not statuses and rule.subject.collection is not None:
            # a list known to be empty: nothing to judge, said in one finding rather than none
            ranked.append(((index, rule.subject.value, 0, ""), _nothing_to_judge(rule, ctx, noun)))
            continue
        requirement = requirement_text(rule)  # the same for every subject of the rule
        words, explained = explain(index, rule, noun)
        for entry, status in zip(ctx.subjects(rule.subject), statuses, strict=True):
            # subjects of a fixed set (the staffing factors) keep the standard's order; others sort by id,
            # so the order of the lists in the facts never changes the report
            rank = objects.index(entry.location) if entry.location in objects else 0
            reasons, evidence = explained(status, entry)
            if noun != "Trust":
                reasons = reasons_in_own_words(reasons, noun, keep)
            finding = _finding(rule, status, entry, (reasons, evidence), words, requirement, relevelled.get(rule.id), noun)
            ranked.append(((index, entry.ref.kind, rank, entry.ref.id), finding))
    with_actions, unmatched = _attach_actions(
        tuple(finding for _, finding in sorted(ranked, key=lambda pair: pair[0])), org, when
    )
    ordered, outcomes = apply_waivers(with_actions, list(waivers), when)
    return Report(
        organisation=SubjectRef("organisation", org.id, org.name),
        nation=org.nation,
        organisation_kind=org.kind,
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


#: How a rule's findings are explained: its title and written advice in the organisation's words, and for each
#: status and subject the reasons and the evidence.
_Explained = Callable[[Status, SubjectEntry], tuple[tuple[Reason, ...], tuple[EvidenceItem, ...]]]


def _explaining(
    ctx: Context, ruleset: RuleSet, how: str
) -> Callable[[int, Rule, str], tuple[tuple[str, frozenset[str]], _Explained]]:
    """For each rule of ``ruleset`` (by its index), what explains its findings in this evaluation."""
    if how == "compiled":
        forms = compiled_explanations(ruleset).forms
        run = Run(ctx)

        def compiled(index: int, rule: Rule, noun: str) -> tuple[tuple[str, frozenset[str]], _Explained]:
            form = forms[index]
            return form.words(noun), lambda status, entry: (form.explain(status, entry, run), form.evidence(entry, run))

        return compiled
    if how != "interpreted":
        raise ArgumentError(f"expected 'compiled' or 'interpreted', not {how!r}", argument="explanations")
    explainer = Explainer({(t.rule_id, t.parameter) for t in ruleset.tailoring if t.action == "set_parameter" and t.parameter})

    def interpreted(index: int, rule: Rule, noun: str) -> tuple[tuple[str, frozenset[str]], _Explained]:
        own = rule.origin == "natssips"
        title = in_own_words(rule.title, noun) if own else rule.title
        remedies = frozenset(in_own_words(r, noun) if own else r for r in remedies_of(rule))
        return (title, remedies), lambda status, entry: (
            explainer.explain(rule, status, entry, ctx),
            evidence_for(rule, entry, ctx),
        )

    return interpreted


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
    by_rule: dict[str, list[tuple[int, Action]]] = {}
    for index, action in enumerate(org.actions):
        by_rule.setdefault(action.rule, []).append((index, action))
    used: set[int] = set()
    out = []
    for finding in findings:
        matching = []
        for index, action in by_rule.get(finding.rule_id, ()):
            if action.subject is None or action.subject == finding.subject.id:
                used.add(index)
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
        for index, action in enumerate(org.actions)
        if index not in used
    )
    return tuple(out), unmatched
