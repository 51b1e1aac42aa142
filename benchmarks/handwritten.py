"""A hand-written plain-Python checker of the 30 built-in rules, at their default parameters.

It is the practical lower limit for the benchmarks: each rule written out as
Python over the facts objects, in the same three-valued logic, with nothing
interpreted. It lives only here, and ``benchmarks/compare.py`` checks that it
agrees with both engines before timing anything. Its report is built with the
library's own report code, so the three produce the same output and are timed
for the same work.
"""

import datetime
import math
from collections.abc import Callable, Iterable
from typing import Any

from natssips_rules import Report, RuleSet, Status, builtin_rules, evaluate
from natssips_rules.engine.subjects import Context
from natssips_rules.facts.model import Organisation

Truth = bool | None

CLINICIANS = {"medical", "nursing", "midwifery", "pharmacy", "allied_health_professional"}
SUPPORT = {"information_technology", "education", "quality_improvement", "procurement"}
GROUP_PROFESSIONS = ("medical", "nursing", "allied_health_professional")
ALL_PROFESSIONS = (
    "medical",
    "nursing",
    "midwifery",
    "pharmacy",
    "allied_health_professional",
    "healthcare_science",
    "management",
    "administrative",
    "other",
)
FACTORS = (
    "permanent_vs_agency",
    "trained_and_competent",
    "skill_mix",
    "rested_staff",
    "resources",
    "list_planning",
    "patient_flow",
    "supportive_culture",
    "resilience_and_wellbeing",
    "elective_vs_emergency",
    "sharing_concerns",
)
UNKNOWN_LIST = "(not known)"


class _Absent:
    """An object or reference the facts record as absent (``false``): every field of it is known to be none."""


ABSENT = _Absent()


def AND(*values: Truth) -> Truth:
    if False in values:
        return False
    return None if None in values else True


def OR(*values: Truth) -> Truth:
    if True in values:
        return True
    return None if None in values else False


def NOT(value: Truth) -> Truth:
    return None if value is None else not value


def obj(value: Any) -> Any:
    """An object or reference field's value: ABSENT for ``false``, None when not known."""
    return ABSENT if value is False else value


def field(owner: Any, name: str) -> Any:
    """A field of ``owner`` (None: not known; ABSENT: the owner is recorded absent)."""
    if owner is None:
        return None
    if owner is ABSENT:
        return ABSENT
    return getattr(owner, name)


def is_true(value: Any) -> Truth:
    if value is ABSENT:
        return False
    return None if value is None else value is True


def one_of(value: Any, allowed: Iterable[str]) -> Truth:
    if value is ABSENT:
        return False
    return None if value is None else value.value in allowed


def at_least(value: Any, threshold: float) -> Truth:
    if value is ABSENT:
        return False
    return None if value is None else value >= threshold


def more_than(value: Any, threshold: float) -> Truth:
    if value is ABSENT:
        return False
    return None if value is None else value > threshold


def includes(values: Any, wanted: Iterable[str]) -> Truth:
    if values is ABSENT:
        return False
    if values is None:
        return None
    have = {v.value for v in values}
    return all(w in have for w in wanted)


def count(items: Any, test: Callable[[Any], Truth] | None = None) -> tuple[float, float] | None:
    """The lowest and highest number of items that match (None: the list is not known)."""
    if items is ABSENT:
        return 0, 0
    if items is None:
        return None
    low = high = 0
    for item in items:
        match = True if test is None else test(item)
        low += match is True
        high += match is not False
    return low, high


def total(items: Any, number: Callable[[Any], float | None], test: Callable[[Any], Truth]) -> tuple[float, float] | None:
    """The lowest and highest sum of ``number`` over the matching items (numbers are never negative)."""
    if items is ABSENT:
        return 0, 0
    if items is None:
        return None
    low: list[float] = []
    high: list[float] = []
    unbounded = False
    for item in items:
        match = test(item)
        if match is False:
            continue
        value = number(item)
        if value is None:
            unbounded = True
            continue
        high.append(value)
        if match is True:
            low.append(value)
    return math.fsum(low), (math.inf if unbounded else math.fsum(high))


def ge(span: tuple[float, float] | None, n: float) -> Truth:
    if span is None:
        return None
    low, high = span
    return True if low >= n else (False if high < n else None)


def eq(span: tuple[float, float] | None, n: float) -> Truth:
    if span is None:
        return None
    low, high = span
    return True if low == high == n else (False if n < low or n > high else None)


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
    oid = org.id
    out: dict[tuple[str, str], str] = {}
    leads = org.natssips_leads
    performing_sites = count(org.sites, lambda site: is_true(site.performs_invasive_procedures))
    large = OR(at_least(org.beds, 1000), ge(performing_sites, 3))

    board = obj(org.board)
    holder_id = obj(field(board, "natssips_portfolio_holder"))
    holder = holder_id if holder_id in (None, ABSENT) else person(holder_id)
    out[("roles.board-member", oid)] = decide(True, is_true(field(holder, "board_member")))

    def senior_clinician(p: Any) -> Truth:
        return AND(
            one_of(p.seniority, {"senior"}),
            NOT(is_true(p.in_training)),
            one_of(p.profession, CLINICIANS),
            is_true(p.practises_invasive_procedures),
        )

    def good_lead(lead: Any) -> Truth:
        p = person(lead.person)
        return AND(is_true(p.substantive), senior_clinician(p), is_true(lead.responsible_for_strategy_and_oversight))

    out[("roles.natssips-lead", oid)] = decide(True, ge(count(leads, good_lead), 1))

    def rests_on(lead: Any) -> Truth:
        return AND(one_of(person(lead.person).profession, CLINICIANS), is_true(lead.responsible_for_strategy_and_oversight))

    role = ge(count(leads, rests_on), 1)

    def none_fail(test: Callable[[Any], Truth]) -> Truth:
        return eq(count(leads, lambda lead: NOT(OR(NOT(rests_on(lead)), test(lead)))), 0)

    sessions = total(leads, lambda lead: lead.job_plan_sessions_per_week, rests_on)
    out[("roles.natssips-lead.time", oid)] = decide(
        role,
        AND(
            none_fail(lambda lead: is_true(lead.time_transparently_allocated)),
            AND(ge(sessions, 1.0), OR(NOT(large), ge(sessions, 2.0))),
        ),
    )
    support = total(leads, lambda lead: lead.admin_support_wte, rests_on)
    out[("roles.natssips-lead.admin-support", oid)] = decide(
        role,
        AND(
            none_fail(lambda lead: is_true(lead.admin_support_transparently_allocated)),
            AND(ge(support, 0.2), OR(NOT(large), ge(support, 0.5))),
        ),
    )
    out[("roles.natssips-lead.authority", oid)] = decide(
        role, none_fail(lambda lead: includes(lead.authority_to_obtain_support, SUPPORT))
    )

    group = obj(org.steering_group)
    sg = "steering_group"
    members = field(group, "members")
    member_people = members if members in (None, ABSENT) else [person(m) for m in members]
    # chaired by a lead the role rests on (the default reading of steering_group_chair)
    chaired = ge(count(leads, lambda lead: AND(rests_on(lead), is_true(lead.chairs_steering_group))), 1)
    out[("roles.steering-group", sg)] = decide(True, AND(is_true(field(group, "formally_constituted")), chaired))

    def has(profession: str) -> Truth:
        return ge(count(member_people, lambda p: one_of(p.profession, {profession})), 1)

    professions = org.invasive_procedure_professions
    if professions is None:
        covered = AND(*(has(p) for p in GROUP_PROFESSIONS))
    else:
        covered = AND(*(OR(NOT(includes(professions, [p])), has(p)) for p in ALL_PROFESSIONS))
    out[("roles.steering-group.professions", sg)] = decide(True, covered)
    for suffix, value in (
        ("strategic-oversight", "strategic_oversight"),
        ("data-review", "data_review"),
        ("board-assurance", "board_assurance"),
        ("governance-updates", "governance_updates"),
        ("policy-sign-off", "policy_sign_off"),
        ("beyond-checklists", "beyond_checklists"),
        ("human-factors", "human_factors"),
        ("strategy-alignment", "strategy_alignment"),
    ):
        out[(f"roles.steering-group.{suffix}", sg)] = decide(True, includes(field(group, "responsibilities"), [value]))

    sites = org.sites
    for site in sites if sites is not None else ():
        performs = is_true(site.performs_invasive_procedures)
        out[("roles.steering-group.sites", site.id)] = decide(performs, is_true(site.represented_on_steering_group))
        lead = obj(site.natssips_lead)
        present = None if lead is None else lead is not ABSENT
        allocated = AND(is_true(field(lead, "time_allocated")), more_than(field(lead, "sessions_per_week"), 0.0))
        out[("roles.site-lead", site.id)] = decide(AND(large, performs), AND(present, allocated))
    if sites is None:
        out[("roles.steering-group.sites", UNKNOWN_LIST)] = decide(None, None)
        out[("roles.site-lead", UNKNOWN_LIST)] = decide(AND(large, None), None)

    trainees = org.mdt_trainees_in_invasive_areas
    specialties = org.specialties
    for specialty in specialties if specialties is not None else ():
        relevant = is_true(specialty.performs_invasive_procedures)
        lead_id = obj(specialty.natssips_lead)
        lead_person = lead_id if lead_id in (None, ABSENT) else person(lead_id)
        holds = AND(
            one_of(field(lead_person, "seniority"), {"senior"}),
            NOT(is_true(field(lead_person, "in_training"))),
            one_of(field(lead_person, "profession"), CLINICIANS),
            is_true(field(lead_person, "practises_invasive_procedures")),
            is_true(specialty.lead_has_governance_responsibility),
            is_true(specialty.lead_represented_on_steering_group),
        )
        out[("roles.specialty-lead", specialty.id)] = decide(relevant, holds)
        # the trainee groups parameter is "steering_group" by default: the specialty groups' rule does not apply
        out[("roles.trainees.specialty-groups", specialty.id)] = decide(False, is_true(specialty.trainees_part_of_group))
    if specialties is None:
        out[("roles.specialty-lead", UNKNOWN_LIST)] = decide(None, None)
        out[("roles.trainees.specialty-groups", UNKNOWN_LIST)] = decide(False, None)

    in_training = ge(count(member_people, lambda p: is_true(p.in_training)), 1)
    out[("roles.trainees", sg)] = decide(OR(is_true(trainees), in_training), in_training)

    assurance = obj(org.assurance)
    out[("roles.assurance", oid)] = decide(
        True, AND(is_true(field(assurance, "to_board")), is_true(field(assurance, "to_sites")))
    )
    account = obj(field(assurance, "public_account"))
    published = field(account, "published_on")
    if published is ABSENT:
        recent: Truth = False
    elif published is None:
        recent = None
    else:
        age = (as_of - published).days
        recent = None if age < 0 else age <= 366
    out[("roles.assurance.public-account", oid)] = decide(
        True, AND(recent, is_true(field(account, "publicly_available")), is_true(field(account, "reports_measurable_outcomes")))
    )
    pss = obj(org.patient_safety_specialists)
    present_pss = None if pss is None else pss is not ABSENT
    out[("roles.patient-safety-specialists", oid)] = decide(present_pss, is_true(field(pss, "natssips_in_strategic_remit")))
    out[("roles.patient-safety-specialists.integration", oid)] = decide(
        present_pss, is_true(field(pss, "integration_with_other_roles_considered"))
    )
    factors = obj(field(obj(org.staffing), "factors"))
    for name in FACTORS:
        factor = obj(field(factors, name))
        out[("staffing.account", name)] = decide(True, is_true(field(factor, "described_by_lead")))
        out[("staffing.intelligence", name)] = decide(True, is_true(field(factor, "informs_steering_group")))
    informed = field(group, "informed_by")
    out[("staffing.intelligence.performance-measures", sg)] = decide(
        True, OR(includes(informed, ["agency_staffing_rates"]), includes(informed, ["staff_turnover"]))
    )
    out[("staffing.intelligence.cultural-surveys", sg)] = decide(True, includes(informed, ["cultural_surveys"]))
    out[("staffing.intelligence.staffing-algorithms", sg)] = decide(True, includes(informed, ["staffing_algorithms"]))
    esc = obj(org.escalation)
    out[("staffing.escalation", oid)] = decide(
        True,
        AND(
            is_true(field(esc, "procedure_in_place")),
            is_true(field(esc, "risk_assessment")),
            is_true(field(esc, "escalation_route")),
        ),
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


#: One engine object, as the library's own engines are: its form is compiled once per rule set, not per evaluation.
HANDWRITTEN = HandwrittenEngine()


def evaluate_handwritten(org: Organisation) -> Report:
    """The same report ``natssips_rules.evaluate`` gives, with the statuses decided by the code above."""
    return evaluate(org, engine=HANDWRITTEN)
