"""What needs attention first, worded once for every format.

The Board report's executive summary, the text report's opening and the
questions all start from the same reading of a report: the position in one
sentence, every requirement not met with the state of its action plan, the
evidence still missing. The standard's requirements (the built-in rules) and
the Trust's own rules are always counted apart; a "may" of the standard is a
suggestion and never counted as a requirement.
"""

from collections.abc import Iterable, Mapping, Sequence

import attrs

from natssips_rules.report.model import Report, Summary, group_of
from natssips_rules.rules.findings import Finding, PlannedAction, Status
from natssips_rules.rules.model import Level

__all__ = [
    "ACTION_STATES",
    "GROUP_WORDS",
    "UNMATCHED_HEADING",
    "Unmet",
    "action_state",
    "is_requirement",
    "position_sentences",
    "rules_line",
    "tailoring_line",
    "unmatched",
    "unmet",
    "waivers_line",
]

#: The state of the plan for a requirement not met, most urgent first.
ACTION_STATES = ("overdue", "no_plan", "planned", "complete")

_STATE_WORDS = {
    "overdue": "action overdue",
    "no_plan": "no action plan",
    "planned": "action planned",
    "complete": "action recorded as complete, but the requirement is still not met",
}


#: How every output names the three groups of :class:`~natssips_rules.report.model.Summary`.
GROUP_WORDS = {
    "requirements": "NatSSIPs requirements",
    "suggestions": "NatSSIPs suggestions ('may', not requirements)",
    "local": "the Trust's own rules (not NatSSIPs)",
}


def group_words(group: str, noun: str) -> str:
    """How every output names one of the three groups, the organisation named by ``noun`` ("Trust", "Health Board")."""
    return GROUP_WORDS[group].replace("Trust", noun)


def source_rules(report: Report, rule_ids: Sequence[str]) -> tuple[int, int]:
    """Of a rule source's ``rule_ids``: how many were evaluated, and how many the tailoring excluded."""
    excluded = {t.rule_id for t in report.tailoring if t.action == "exclude"}
    dropped = sum(1 for r in rule_ids if r in excluded)
    return len(rule_ids) - dropped, dropped


def rules_line(summary: Summary, noun: str = "Trust") -> str:
    """The rules evaluated, net of the tailoring's exclusions, in one sentence (the organisation named by ``noun``)."""
    rules = summary.rules
    natssips = rules.get("natssips", 0)
    text = f"Rules evaluated: {natssips} of NatSSIPs"
    excluded = rules.get("excluded", 0)
    if excluded:
        text += f" ({excluded} more excluded by the {noun}'s tailoring, not evaluated)"
    local = rules.get("local", 0)
    if local:
        text += f" and {local} of the {noun}'s own"
    return text + "."


def is_requirement(finding: Finding) -> bool:
    """A requirement (not a 'may' of the standard), counted by the standard's own level where a Trust re-levelled it."""
    return (finding.standard_level or finding.level) is not Level.MAY


@attrs.frozen
class Unmet:
    """A requirement not met, with the state of the organisation's plan for it."""

    finding: Finding
    state: str  # one of ACTION_STATES
    #: The action that decides the state (the overdue one, else the next due), if any.
    action: PlannedAction | None

    @property
    def words(self) -> str:
        """The plan's state in words: "action overdue (A2, due 2025-03-31)", "no action plan"."""
        text = _STATE_WORDS[self.state]
        action = self.action
        if action is None:
            return text
        due = f", due {action.due.isoformat()}" if action.due else ", no due date"
        return f"{text} ({action.id}{due if self.state != 'complete' else ''})"


def action_state(finding: Finding) -> Unmet:
    """The state of the plan for one finding: overdue, no plan, planned (with the next due date) or complete."""
    actions = finding.actions
    overdue = [a for a in actions if a.overdue]
    if overdue:
        return Unmet(finding, "overdue", min(overdue, key=lambda a: (a.due is None, a.due, a.id)))
    open_ = [a for a in actions if a.state != "complete"]
    if open_:
        return Unmet(finding, "planned", min(open_, key=lambda a: (a.due is None, a.due, a.id)))
    if actions:
        return Unmet(finding, "complete", actions[0])
    return Unmet(finding, "no_plan", None)


def unmet(report: Report, *, origin: str = "natssips") -> list[Unmet]:
    """Every NatSSIPs requirement (``origin`` "natssips") or Trust rule (``origin`` "local") not met, most urgent first (overdue, no plan, planned, complete), then in report order."""
    group = "requirements" if origin == "natssips" else "local"
    found = [action_state(f) for f in report.findings if f.status is Status.NOT_MET and group_of(f) == group]
    rank = {state: i for i, state in enumerate(ACTION_STATES)}
    return sorted(found, key=lambda u: rank[u.state])


def _applicable(counts: Mapping[str, int]) -> int:
    return sum(n for status, n in counts.items() if status != Status.NOT_APPLICABLE.value)


def _counted(counts: Mapping[str, int], what: str) -> str:
    """ "Of the 45 checks of NatSSIPs requirements that apply, 20 are met, 9 are not met and 12 lack evidence; 4 are waived." """
    total = _applicable(counts)
    if not total:
        return f"None of the {what} applies."
    parts = []
    for status, one, many in (
        (Status.MET, "is met", "are met"),
        (Status.NOT_MET, "is not met", "are not met"),
        (Status.INSUFFICIENT_EVIDENCE, "lacks the evidence to judge it", "lack the evidence to judge them"),
        (Status.WAIVED, "is waived", "are waived"),
    ):
        n = counts.get(status.value, 0)
        if n:
            share = f" ({100 * n / total:.0f}%)" if status is Status.MET else ""
            parts.append(f"{n} {one if n == 1 else many}{share}")
    return f"Of the {total} {what} that apply, {_listed(parts)}."


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _plans(found: Iterable[Unmet]) -> str:
    states = [u.state for u in found]
    if not states:
        return ""
    parts = []
    for state, words in (
        ("overdue", "an overdue action"),
        ("no_plan", "no action plan"),
        ("planned", "an action in hand"),
        ("complete", "an action recorded as complete"),
    ):
        n = states.count(state)
        if n:
            parts.append(f"{n} {'has' if n == 1 else 'have'} {words}")
    return f" Of those not met, {_listed(parts)}."


def position_sentences(report: Report) -> list[str]:
    """The position in a sentence or two: the NatSSIPs requirements, then the Trust's own rules where there are any."""
    summary = report.summary
    out = [_counted(summary.overall, "checks of NatSSIPs requirements (one per requirement and subject)") + _plans(unmet(report))]
    if any(f.origin != "natssips" for f in report.findings):
        out.append(_counted(summary.local, f"checks of the {report.noun}'s own rules") + _plans(unmet(report, origin="local")))
    return out


def tailoring_line(report: Report) -> str | None:
    """The Trust's changes to the national rules in one line, or None where there are none."""
    records = report.tailoring
    if not records:
        return None
    rules = len({t.rule_id for t in records})
    kinds = []
    for action, words in (
        ("set_parameter", "threshold or reading changed"),
        ("set_level", "level changed"),
        ("exclude", "excluded"),
    ):
        n = sum(1 for t in records if t.action == action)
        if n:
            kinds.append(f"{n} {words}")
    return f"The {report.noun} has tailored {rules} national rule{'s' if rules != 1 else ''} ({', '.join(kinds)}); each change, its rationale and approval are listed at the end."


def waivers_line(report: Report) -> str | None:
    """The waivers in one line, or None where there are none."""
    if not report.waivers:
        return None
    states: list[str] = [w.state for w in report.waivers]
    parts = []
    for state, words in (
        ("applied", "applied"),
        ("expired", "expired (no effect)"),
        ("not_yet_approved", "not yet approved at this date (no effect)"),
        ("unused", "not needed"),
        ("no_such_subject", "naming no subject in these facts"),
    ):
        n = states.count(state)
        if n:
            parts.append(f"{n} {words}")
    n = len(states)
    return f"{n} waiver{'s' if n != 1 else ''}: {', '.join(parts)}; the detail is listed at the end."


#: The heading every format gives the actions and waivers that match no finding.
UNMATCHED_HEADING = "Actions and waivers that match no finding"


def unmatched(report: Report) -> list[str]:
    """Each action and waiver that matches no finding, in a sentence: listed, never dropped (a Trust checks the id)."""
    out = []
    for entry in report.unmatched_actions:
        action = entry.action
        target = f"rule {entry.rule_id}" + (f", subject {entry.subject}" if entry.subject else "")
        why = (
            "no rule of this id was evaluated (a misspelt id, or a rule no longer in the rule set)"
            if entry.reason == "no_such_rule"
            else "the rule is not judged for this subject in these facts (a misspelt id, or a subject that has gone)"
        )
        out.append(f"Action {action.id} ({target}): {why}. The action: {action.description}")
    for outcome in report.waivers:
        if outcome.state == "no_such_subject":
            waiver = outcome.waiver
            out.append(
                f"Waiver of rule {waiver.rule_id} for subject {waiver.subject}: the rule is not judged for this subject "
                "in these facts (a misspelt id, or a subject that has gone); it waives nothing."
            )
    return out
