"""Waivers applied to findings: a waived finding keeps the status the rule gave, and nothing is removed."""

import datetime
from typing import Literal

import attrs

from natssips_rules.report.model import WaiverOutcome
from natssips_rules.rules.findings import Finding, Status
from natssips_rules.rules.model import Waiver

__all__ = ["apply_waivers"]


def apply_waivers(
    findings: tuple[Finding, ...], waivers: list[Waiver], when: datetime.date
) -> tuple[tuple[Finding, ...], tuple[WaiverOutcome, ...]]:
    """Waive the findings unexpired waivers cover; mark those expired ones cover. Nothing is removed."""
    if not waivers:
        return findings, ()
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
