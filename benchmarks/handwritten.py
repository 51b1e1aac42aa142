"""A hand-written plain-Python checker of the 30 built-in rules, at their default parameters.

It is the practical lower limit for the benchmarks: each rule written out as
Python over the facts objects, in the same three-valued logic, with nothing
interpreted. It lives only here, and ``benchmarks/compare.py`` checks that it
agrees with both engines before timing anything. Its report is built with the
library's own report code, so the three produce the same output and are timed
for the same work.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from natssips_rules import Report, RuleSet, Status, builtin_rules, evaluate
from natssips_rules.engine.subjects import Context
from natssips_rules.facts.model import Organisation

Truth = bool | None

CLINICIANS = {"medical", "nursing", "midwifery", "pharmacy", "allied_health_professional"}
SUPPORT = {"information_technology", "education", "quality_improvement", "procurement"}
GROUP_PROFESSIONS = ("medical", "nursing", "allied_health_professional")


def AND(*values: Truth) -> Truth:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def OR(*values: Truth) -> Truth:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def NOT(value: Truth) -> Truth:
    return None if value is None else not value


def is_true(value: Any) -> Truth:
    return None if value is None else value is True


def at_least(value: Any, threshold: float) -> Truth:
    return None if value is None else value >= threshold


def one_of(value: Any, allowed: set[str]) -> Truth:
    return None if value is None else value.value in allowed


def includes(values: Any, wanted: Iterable[str]) -> Truth:
    if values is None:
        return None
    present = {v.value for v in values}
    return all(w in present for w in wanted)


def exists(items: Any, test: Callable[[Any], Truth]) -> Truth:
    if items is None:
        return None
    truths = [test(item) for item in items]
    if any(t is True for t in truths):
        return True
    return False if all(t is False for t in truths) else None


def attr(obj: Any, name: str) -> Any:
    return None if obj is None else getattr(obj, name)


def decide(applies: Truth, holds: Truth) -> str:
    if applies is False:
        return "not_applicable"
    if applies is True and holds is True:
        return "met"
    if applies is True and holds is False:
        return "not_met"
    return "insufficient_evidence"


def statuses(org: Organisation, as_of: datetime.date) -> dict[tuple[str, str], str]:
    """The status of every built-in rule for every subject, written out by hand."""
    people = {p.id: p for p in org.people or ()}
    person = people.get
    large = OR(at_least(org.beds, 1000), None if org.sites is None else len(org.sites) >= 3)
    out: dict[tuple[str, str], str] = {}
    oid = org.id

    holder = person(attr(org.board, "natssips_portfolio_holder") or "")
    out[("roles.board-member", oid)] = decide(True, is_true(attr(holder, "board_member")))

    def good_lead(lead: Any) -> Truth:
        p = person(lead.person)
        return AND(
            is_true(attr(p, "substantive")),
            one_of(attr(p, "seniority"), {"senior"}),
            one_of(attr(p, "profession"), CLINICIANS),
            is_true(attr(p, "practises_invasive_procedures")),
            is_true(lead.responsible_for_strategy_and_oversight),
        )

    out[("roles.natssips-lead", oid)] = decide(True, exists(org.natssips_leads, good_lead))
    for lead in org.natssips_leads or ():
        sessions = lead.job_plan_sessions_per_week
        out[("roles.natssips-lead.time", lead.person)] = decide(
            True, AND(is_true(lead.time_transparently_allocated), at_least(sessions, 1.0), OR(NOT(large), at_least(sessions, 2.0)))
        )
        wte = lead.admin_support_wte
        out[("roles.natssips-lead.admin-support", lead.person)] = decide(
            True, AND(is_true(lead.admin_support_transparently_allocated), at_least(wte, 0.2), OR(NOT(large), at_least(wte, 0.5)))
        )
        out[("roles.natssips-lead.authority", lead.person)] = decide(True, includes(lead.authority_to_obtain_support, SUPPORT))

    group = org.steering_group
    sg = "steering_group"
    members = attr(group, "members")
    member_people = None if members is None else [people[m] for m in members]
    chaired = exists(org.natssips_leads, lambda lead: is_true(lead.chairs_steering_group))
    out[("roles.steering-group", sg)] = decide(True, AND(is_true(attr(group, "formally_constituted")), chaired))
    covers = AND(*(exists(member_people, lambda p, v=v: None if p.profession is None else p.profession.value == v) for v in GROUP_PROFESSIONS))
    out[("roles.steering-group.professions", sg)] = decide(True, covers)
    for site in org.sites or ():
        out[("roles.steering-group.sites", site.id)] = decide(True, is_true(site.represented_on_steering_group))
    responsibilities = attr(group, "responsibilities")
    for suffix, value in (
        ("strategic-oversight", "strategic_oversight"), ("data-review", "data_review"),
        ("board-assurance", "board_assurance"), ("governance-updates", "governance_updates"),
        ("policy-sign-off", "policy_sign_off"), ("beyond-checklists", "beyond_checklists"),
        ("human-factors", "human_factors"), ("strategy-alignment", "strategy_alignment"),
    ):
        out[(f"roles.steering-group.{suffix}", sg)] = decide(True, includes(responsibilities, [value]))
    for specialty in org.specialties or ():
        relevant = is_true(specialty.performs_invasive_procedures)
        lead_person = person(specialty.natssips_lead or "")
        holds = AND(
            one_of(attr(lead_person, "seniority"), {"senior"}),
            one_of(attr(lead_person, "profession"), CLINICIANS),
            is_true(attr(lead_person, "practises_invasive_procedures")),
            is_true(specialty.lead_has_governance_responsibility),
            is_true(specialty.lead_represented_on_steering_group),
        )
        out[("roles.specialty-lead", specialty.id)] = decide(relevant, holds)
        out[("roles.trainees.specialty-groups", specialty.id)] = decide(AND(False, relevant), is_true(specialty.trainees_part_of_group))
    for site in org.sites or ():
        out[("roles.site-lead", site.id)] = decide(large, is_true(attr(site.natssips_lead, "time_allocated")))
    out[("roles.trainees", sg)] = decide(True, exists(member_people, lambda p: is_true(p.in_training)))
    assurance = org.assurance
    out[("roles.assurance", oid)] = decide(True, AND(is_true(attr(assurance, "to_board")), is_true(attr(assurance, "to_sites"))))
    account = attr(assurance, "public_account")
    published = attr(account, "published_on")
    recent = None if published is None else 0 <= (as_of - published).days <= 366
    out[("roles.assurance.public-account", oid)] = decide(
        True, AND(recent, is_true(attr(account, "publicly_available")), is_true(attr(account, "reports_measurable_outcomes")))
    )
    pss = org.patient_safety_specialists
    out[("roles.patient-safety-specialists", oid)] = decide(True, is_true(attr(pss, "natssips_in_strategic_remit")))
    out[("roles.patient-safety-specialists.integration", oid)] = decide(True, is_true(attr(pss, "integration_with_other_roles_considered")))
    factors = attr(org.staffing, "factors")
    for name in ("permanent_vs_agency", "trained_and_competent", "skill_mix", "rested_staff", "resources", "list_planning",
                 "patient_flow", "supportive_culture", "resilience_and_wellbeing", "elective_vs_emergency", "sharing_concerns"):
        factor = attr(factors, name)
        out[("staffing.account", name)] = decide(True, is_true(attr(factor, "described_by_lead")))
        out[("staffing.intelligence", name)] = decide(True, is_true(attr(factor, "informs_steering_group")))
    informed = attr(group, "informed_by")
    out[("staffing.intelligence.performance-measures", sg)] = decide(
        True, OR(includes(informed, ["agency_staffing_rates"]), includes(informed, ["staff_turnover"]))
    )
    out[("staffing.intelligence.cultural-surveys", sg)] = decide(True, includes(informed, ["cultural_surveys"]))
    out[("staffing.intelligence.staffing-algorithms", sg)] = decide(True, includes(informed, ["staffing_algorithms"]))
    esc = org.escalation
    out[("staffing.escalation", oid)] = decide(
        True, AND(is_true(attr(esc, "procedure_in_place")), is_true(attr(esc, "risk_assessment")), is_true(attr(esc, "escalation_route")))
    )
    return out


class _Handwritten:
    """The code above as an engine for the built-in rule set (the engine seam of natssips_rules.engine)."""

    def __init__(self, ruleset: RuleSet) -> None:
        if ruleset is not builtin_rules():
            raise ValueError("the handwritten checker knows only the built-in rule set")
        self.rules = ruleset.rules

    def decide(self, ctx: Context) -> list[list[Status]]:
        decided = statuses(ctx.org, ctx.as_of)
        return [[Status(decided[(rule.id, entry.ref.id)]) for entry in ctx.subjects(rule.subject)] for rule in self.rules]


class HandwrittenEngine:
    """An engine whose decisions are the hand-written code above."""

    name = "handwritten"

    def compile(self, ruleset: RuleSet) -> _Handwritten:
        return _Handwritten(ruleset)


def evaluate_handwritten(org: Organisation) -> Report:
    """The same report ``natssips_rules.evaluate`` gives, with the statuses decided by the code above."""
    return evaluate(org, engine=HandwrittenEngine())
