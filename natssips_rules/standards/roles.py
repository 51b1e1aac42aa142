"""Roles For NatSSIPs Delivery, Implementation and Sustainment.

Every passage of the section is a :class:`Clause` here, in the order of the
standard, and each rule sits beside the clause it cites. A rule is made by
its clause (``CLAUSE.rule(...)``), so its id, citation and level (the
clause's own verb) come from the standard's text. The "In summary" statement
is not a rule of its own: it is summarised by the clauses after it, which
keep their own levels (see ``SUMMARY``).

Conditions are written in the standard's terms: ``yes(path)`` (a yes/no fact
is yes), ``one_of(path, parameter)``, named parts such as ``LARGE_TRUST`` ("the
organisation is a large Trust") or ``ROLE_HOLDER`` ("the lead the role rests
on"), each with what to do when it is not met.
"""

from natssips_rules.facts.model import Profession, Seniority, SteeringResponsibility, SupportArea
from natssips_rules.rules.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    In,
    Includes,
    IsKnown,
    Named,
    Not,
    Option,
    Param,
    Present,
    WithinDays,
    exists,
    for_all,
)
from natssips_rules.rules.model import Parameter, Rule, SubjectKind

from .common import (
    FOOTNOTES,
    LARGE_TRUST,
    LARGE_TRUST_PARAMETERS,
    RELEVANT_SITE,
    Clause,
    at_least,
    if_then,
    one_of,
    sized_sum,
    yes,
)

__all__ = ["CLAUSES", "SECTION", "rules"]

SECTION = "Roles For NatSSIPs Delivery, Implementation and Sustainment"

_SUMMARISED = (
    "An 'In summary' statement: it is assessed through the clauses of its section, each at its own level, not as "
    "a rule of its own. Composing them into one 'must' would report a 'should' of the standard as a 'must'."
)

SUMMARY = Clause(
    id="roles.summary",
    section=SECTION,
    kind="summary",
    text="In summary: Every Trust/Healthcare Board must have an adequately resourced leadership team to deliver the NatSSIPs.",
    not_assessable=_SUMMARISED,
)

# --------------------------------------------------------------------------
# Readings shared by several clauses

_CLINICIAN_PROFESSIONS = Parameter(
    name="clinician_professions",
    default=tuple(
        p.value
        for p in (
            Profession.MEDICAL,
            Profession.NURSING,
            Profession.MIDWIFERY,
            Profession.PHARMACY,
            Profession.ALLIED_HEALTH_PROFESSIONAL,
        )
    ),
    description="Professions that count as a clinician.",
    interpretation=(
        "Footnote d: 'Clinician deliberately includes medical, nursing, midwifery, pharmacy and Allied Health "
        "Professionals.' Its 'includes' opens the list rather than closing it: the five professions footnote d names are "
        "clinicians, and others may be. By default the library counts those five, and only those, as clinicians; that "
        "is this library's reading of an open 'includes', not a closed list of the standard's. A Trust whose NatSSIPs "
        "lead is, say, a consultant clinical scientist practising invasive procedures adds healthcare_science; "
        "removing one of the five is not a reading of footnote d."
    ),
    reading="this library's reading of footnote d's open 'includes', not a closed list of the standard's",
)

_SENIOR_GRADES = Parameter(
    name="senior_grades",
    default=(Seniority.SENIOR.value,),
    description="Seniority grades that count as senior.",
    interpretation=(
        "NatSSIPs does not define 'senior'. The facts record each person's seniority in the organisation's own "
        "grading; by default only 'senior' (consultant or equivalent, or an Agenda for Change band 8 or above) counts."
    ),
)

_SENIOR_READING = Parameter(
    name="senior_clinician_reading",
    default=("not_in_training",),
    choices=("not_in_training", "grade_only"),
    description="Whether a person in training can count as a senior clinician ('grade_only': the grade alone decides).",
    interpretation=(
        "A person in training is not a senior clinician, whatever their grade (a trainee on a band 8a post does not "
        "lead NatSSIPs as 'a named ... senior clinician'): by default a lead must be known not to be in training. "
        "A Trust whose grading already excludes trainees from 'senior' may choose 'grade_only'."
    ),
)


def _senior_clinician(person: str) -> Named:
    """``person`` (a path to a person) is a senior clinician who practises clinically in invasive procedures."""
    return Named(
        "a senior clinician practising clinically in invasive procedures",
        AllOf(
            [
                one_of(f"{person}.seniority", "senior_grades"),
                if_then(Option("senior_clinician_reading", "not_in_training"), Not(yes(f"{person}.in_training"))),
                one_of(f"{person}.profession", "clinician_professions"),
                yes(f"{person}.practises_invasive_procedures"),
            ]
        ),
        remedy="Name as lead a senior clinician (not in training) who practises clinically in invasive procedures",
    )


# --------------------------------------------------------------------------

BOARD_MEMBER_CLAUSE = Clause(
    id="roles.board-member",
    section=SECTION,
    kind="clause",
    text=("Trusts / Healthcare Boards^b should have a named Board-member^c with NatSSIPs within their portfolio."),
    footnotes="bc",
)

BOARD_MEMBER = BOARD_MEMBER_CLAUSE.rule(
    title="A named Board member holds NatSSIPs in their portfolio",
    judged_for=SubjectKind.ORGANISATION,
    holds=Named(
        "a named member of the Board holds NatSSIPs in their portfolio",
        yes("board.natssips_portfolio_holder.board_member"),
        remedy="Give NatSSIPs to the portfolio of a named voting member of the Board",
    ),
    requirement="A named member of the Board holds NatSSIPs within their portfolio.",
    remediation=(
        "Name the Board member whose portfolio includes NatSSIPs (board.natssips_portfolio_holder) and record that "
        "they sit on the Board; the Board's portfolio list or terms of reference evidence it."
    ),
    interpretation=(
        "Footnote b: the Board is the level of the organisation with statutory responsibility. A person named as "
        "holding the portfolio who does not sit on the Board does not meet the clause; a Board recorded as having "
        "no portfolio holder (false) does not meet it either."
    ),
)

NATSSIPS_LEAD_CLAUSE = Clause(
    id="roles.natssips-lead",
    section=SECTION,
    kind="clause",
    text=(
        "There should be a named, substantive senior clinician^d, **practising clinically within the invasive "
        "procedures domain**, who is responsible for strategic direction and oversight of the implementation, "
        "development and improvements related to NatSSIPs."
    ),
    footnotes="d",
)

NATSSIPS_LEAD = NATSSIPS_LEAD_CLAUSE.rule(
    title="A named, substantive senior clinician leads NatSSIPs",
    judged_for=SubjectKind.ORGANISATION,
    holds=exists(
        "natssips_leads",
        AllOf(
            [
                Named(
                    "holds a substantive (permanent) post",
                    yes("person.substantive"),
                    remedy="Appoint a substantive senior clinician as NatSSIPs lead, or make the lead's post substantive",
                ),
                _senior_clinician("person"),
                Named(
                    "is responsible for the strategic direction and oversight of NatSSIPs",
                    yes("responsible_for_strategy_and_oversight"),
                    remedy="Write the responsibility for NatSSIPs' strategic direction and oversight into the lead's job description",
                ),
            ]
        ),
    ),
    parameters=(_CLINICIAN_PROFESSIONS, _SENIOR_GRADES, _SENIOR_READING),
    requirement=(
        "At least one named NatSSIPs lead is a substantive senior clinician ({senior_grades}, not in training unless the "
        "Trust reads otherwise) of a clinical profession ({clinician_professions}) who practises clinically in invasive "
        "procedures and is responsible for the strategic direction and oversight of NatSSIPs."
    ),
    remediation=(
        "Record the NatSSIPs lead (natssips_leads) and, for the person named, their profession, seniority, whether "
        "they are in training, substantive post and clinical practice in invasive procedures, and that the role's "
        "responsibilities are documented (job description or job plan)."
    ),
    interpretation="Where the lead role is shared, one lead meeting every part of the clause is enough.",
)

#: The lead(s) the role rests on: "This individual" of the clauses that follow the lead clause.
ROLE_HOLDER = Named(
    "the lead is a clinician responsible for the strategic direction and oversight of NatSSIPs (the individual the role rests on)",
    AllOf([one_of("person.profession", "clinician_professions"), yes("responsible_for_strategy_and_oversight")]),
)

_HOLDS_ROLE_APPLICABILITY = (
    "Applies where a NatSSIPs lead is a clinician responsible for NatSSIPs' strategic direction and oversight: "
    "'this individual' of the clause. Without one, roles.natssips-lead is not met and this clause has no one to apply to."
)

_CO_LEAD_READING = Parameter(
    name="co_lead_reading",
    default=("combined",),
    choices=("combined", "each"),
    description="Where the role rests on several leads: their time and support counted together ('combined') or each on its own ('each').",
    interpretation=(
        "The standard speaks of 'The Trust NatSSIPs lead(s)'. Where the role is shared by several clinical leads, "
        "their job-plan sessions and administrative support count together against the organisation's threshold "
        "(the evidence shows each lead's share); 'each' asks every one of them to reach it alone."
    ),
)

LEAD_TIME_CLAUSE = Clause(
    id="roles.natssips-lead.time",
    section=SECTION,
    kind="clause",
    parent=NATSSIPS_LEAD_CLAUSE,
    text=(
        "This individual should have sufficient, transparently allocated time within their job-plan for this role, "
        "commensurate with the size of the organisation"
    ),
)

_LEAD_TIME_PARAMETERS = (
    Parameter(
        name="lead_min_sessions_large",
        default=2.0,
        unit="sessions per week",
        description="Least job-plan time for the role in a large Trust.",
        interpretation=(
            "NatSSIPs asks for 'sufficient' time 'commensurate with the size of the organisation' without a "
            "figure. The default, two programmed activities (sessions) a week in a large Trust, is this "
            "library's starting point for a Trust to review, not a NatSSIPs figure."
        ),
        lenient="lower",
    ),
    Parameter(
        name="lead_min_sessions_other",
        default=1.0,
        unit="sessions per week",
        description="Least job-plan time for the role in an organisation that is not large.",
        interpretation=(
            "As for lead_min_sessions_large: one programmed activity (session) a week is the library's default "
            "for smaller organisations, not a NatSSIPs figure."
        ),
        lenient="lower",
    ),
)


def _enough(field: str, large: str, other: str, remedy: str) -> AnyOf:
    """The role holders' ``field`` reaches the size threshold: together, or each one (the co_lead_reading)."""
    together = Named(
        "the leads the role rests on together reach the threshold for the organisation's size",
        sized_sum("natssips_leads", field, ROLE_HOLDER, large=large, other=other),
        remedy=remedy,
    )
    each = Named(
        "each lead the role rests on reaches the threshold for the organisation's size",
        AllOf(
            [
                for_all("natssips_leads", if_then(ROLE_HOLDER, at_least(field, other))),
                if_then(LARGE_TRUST, for_all("natssips_leads", if_then(ROLE_HOLDER, at_least(field, large)))),
            ]
        ),
        remedy=remedy,
    )
    return AnyOf([AllOf([Option("co_lead_reading", "combined"), together]), AllOf([Option("co_lead_reading", "each"), each])])


LEAD_TIME = LEAD_TIME_CLAUSE.rule(
    title="The NatSSIPs lead(s) have sufficient, transparently allocated job-plan time",
    judged_for=SubjectKind.ORGANISATION,
    applies_when=exists("natssips_leads", ROLE_HOLDER),
    applicability=_HOLDS_ROLE_APPLICABILITY,
    holds=AllOf(
        [
            for_all(
                "natssips_leads",
                if_then(
                    ROLE_HOLDER,
                    Named(
                        "the time is transparently allocated in the job plan",
                        yes("time_transparently_allocated"),
                        remedy="Write the NatSSIPs sessions into the lead's signed job plan",
                    ),
                ),
            ),
            _enough(
                "job_plan_sessions_per_week",
                "lead_min_sessions_large",
                "lead_min_sessions_other",
                "Allocate more job-plan sessions to the NatSSIPs lead role in the next job-planning round",
            ),
        ]
    ),
    parameters=(*LARGE_TRUST_PARAMETERS, _CLINICIAN_PROFESSIONS, _CO_LEAD_READING, *_LEAD_TIME_PARAMETERS),
    requirement=(
        "The NatSSIPs lead's time for the role is transparently allocated in their job plan and, for the lead(s) the "
        "role rests on, reaches at least {lead_min_sessions_other} sessions a week ({lead_min_sessions_large} in a large Trust)."
    ),
    remediation=(
        "Record each lead's job-plan sessions for the NatSSIPs role (natssips_leads[].job_plan_sessions_per_week) and "
        "that they are transparently allocated (time_transparently_allocated); the signed job plan evidences both."
    ),
    interpretation=(
        "'This individual' is the named senior clinician of the clause before: judged for the lead(s) who are "
        "clinicians responsible for NatSSIPs' strategic direction and oversight, not for a non-clinical co-lead. "
        "'Sufficient ... commensurate with the size of the organisation' is read as a least number of sessions a "
        "week, higher for a large Trust, for the role holders together (co_lead_reading); 'transparently allocated' "
        "as the time being written into the job plan."
    ),
)

LEAD_ADMIN_CLAUSE = Clause(
    id="roles.natssips-lead.admin-support",
    section=SECTION,
    kind="clause",
    parent=NATSSIPS_LEAD_CLAUSE,
    text=(
        "This individual should have sufficient, transparently allocated administrative support for the role, "
        "commensurate with the size of the organisation"
    ),
)

LEAD_ADMIN = LEAD_ADMIN_CLAUSE.rule(
    title="The NatSSIPs lead(s) have sufficient, transparently allocated administrative support",
    judged_for=SubjectKind.ORGANISATION,
    applies_when=exists("natssips_leads", ROLE_HOLDER),
    applicability=_HOLDS_ROLE_APPLICABILITY,
    holds=AllOf(
        [
            for_all(
                "natssips_leads",
                if_then(
                    ROLE_HOLDER,
                    Named(
                        "the support is transparently allocated",
                        yes("admin_support_transparently_allocated"),
                        remedy="Allocate the administrative support to the NatSSIPs role openly (in the business plan or rota)",
                    ),
                ),
            ),
            _enough(
                "admin_support_wte",
                "lead_min_admin_wte_large",
                "lead_min_admin_wte_other",
                "Fund administrative support for the NatSSIPs lead role",
            ),
        ]
    ),
    parameters=(
        *LARGE_TRUST_PARAMETERS,
        _CLINICIAN_PROFESSIONS,
        _CO_LEAD_READING,
        Parameter(
            name="lead_min_admin_wte_large",
            default=0.5,
            unit="WTE",
            description="Least administrative support for the role in a large Trust.",
            interpretation=(
                "NatSSIPs asks for 'sufficient' support 'commensurate with the size of the organisation' without a "
                "figure. Half a whole-time equivalent in a large Trust is this library's default, not a NatSSIPs figure."
            ),
            lenient="lower",
        ),
        Parameter(
            name="lead_min_admin_wte_other",
            default=0.2,
            unit="WTE",
            description="Least administrative support for the role in an organisation that is not large.",
            interpretation="As for lead_min_admin_wte_large: 0.2 WTE (a day a week) is the library's default, not a NatSSIPs figure.",
            lenient="lower",
        ),
    ),
    requirement=(
        "The lead(s) the role rests on have administrative support for the role, transparently allocated, of at least "
        "{lead_min_admin_wte_other} WTE ({lead_min_admin_wte_large} WTE in a large Trust)."
    ),
    remediation=(
        "Record the administrative support allocated to the NatSSIPs role (natssips_leads[].admin_support_wte) and "
        "that it is transparently allocated (admin_support_transparently_allocated), e.g. in the business plan or rota."
    ),
    interpretation=(
        "Judged for the lead(s) the role rests on (see roles.natssips-lead.time). 'Sufficient ... commensurate with "
        "the size of the organisation' is read as a least WTE, higher for a large Trust, for the role holders together "
        "(co_lead_reading)."
    ),
)

LEAD_AUTHORITY_CLAUSE = Clause(
    id="roles.natssips-lead.authority",
    section=SECTION,
    kind="clause",
    parent=NATSSIPS_LEAD_CLAUSE,
    text=(
        "This individual should have the ability, and authority, to be able to obtain strategic and operational "
        "support from across the organisation including, but not limited to: Information Technology (IT); "
        "education; quality improvement support; and procurement"
    ),
)

LEAD_AUTHORITY = LEAD_AUTHORITY_CLAUSE.rule(
    title="The NatSSIPs lead(s) can obtain support from across the organisation",
    judged_for=SubjectKind.ORGANISATION,
    applies_when=exists("natssips_leads", ROLE_HOLDER),
    applicability=_HOLDS_ROLE_APPLICABILITY,
    holds=for_all(
        "natssips_leads",
        if_then(
            ROLE_HOLDER,
            Named(
                "has the authority to obtain support from each required part of the organisation",
                Includes("authority_to_obtain_support", Param("required_support_areas")),
                remedy="Set out in the lead's terms of reference (or the scheme of delegation) the authority to obtain support from each area",
            ),
        ),
    ),
    parameters=(
        _CLINICIAN_PROFESSIONS,
        Parameter(
            name="required_support_areas",
            default=tuple(
                a.value
                for a in (
                    SupportArea.INFORMATION_TECHNOLOGY,
                    SupportArea.EDUCATION,
                    SupportArea.QUALITY_IMPROVEMENT,
                    SupportArea.PROCUREMENT,
                )
            ),
            description="Parts of the organisation the lead must be able to obtain support from.",
            interpretation=(
                "The four areas the clause names. The clause says 'including, but not limited to', so a Trust may "
                "add areas; it may not remove these and still claim the clause."
            ),
            from_standard=True,
        ),
    ),
    requirement=(
        "Each lead the role rests on has the ability and authority to obtain support from at least {required_support_areas}."
    ),
    remediation=(
        "Record the areas each lead has authority to obtain support from (natssips_leads[].authority_to_obtain_support), "
        "as set out in the lead's terms of reference or scheme of delegation."
    ),
    interpretation=(
        "Judged for the lead(s) the role rests on (see roles.natssips-lead.time): authority is personal, so each of "
        "them needs it for every area."
    ),
)

STEERING_GROUP_CLAUSE = Clause(
    id="roles.steering-group",
    section=SECTION,
    kind="clause",
    text=(
        "Each Trust should have a formally constituted multidisciplinary steering group (to include all relevant "
        "professions and sites), chaired by the NatSSIPs lead, with responsibility for:"
    ),
)

_STEERING_GROUP_MAKEUP = (
    "Each Trust should have a formally constituted multidisciplinary steering group (to include all relevant "
    "professions and sites)"
)

STEERING_GROUP = STEERING_GROUP_CLAUSE.rule(
    title="A formally constituted steering group, chaired by the NatSSIPs lead",
    judged_for=SubjectKind.STEERING_GROUP,
    holds=AllOf(
        [
            Named(
                "the group is formally constituted",
                yes("formally_constituted"),
                remedy="Approve terms of reference for the NatSSIPs steering group through the Trust's governance",
            ),
            AnyOf(
                [
                    AllOf(
                        [
                            Option("steering_group_chair", "role_holder"),
                            Named(
                                "a NatSSIPs lead the role rests on (a clinician responsible for NatSSIPs' strategic "
                                "direction and oversight) chairs it",
                                exists("organisation.natssips_leads", AllOf([ROLE_HOLDER, yes("chairs_steering_group")])),
                                remedy="Have the NatSSIPs lead the role rests on (the senior clinician lead) chair the steering group",
                            ),
                        ]
                    ),
                    AllOf(
                        [
                            Option("steering_group_chair", "any_lead"),
                            Named(
                                "a NatSSIPs lead chairs it",
                                exists("organisation.natssips_leads", yes("chairs_steering_group")),
                                remedy="Have the NatSSIPs lead chair the steering group",
                            ),
                        ]
                    ),
                ]
            ),
        ]
    ),
    parameters=(
        _CLINICIAN_PROFESSIONS,
        Parameter(
            name="steering_group_chair",
            default=("role_holder",),
            choices=("role_holder", "any_lead"),
            description=(
                "Which NatSSIPs lead may chair the steering group: a lead the role rests on ('role_holder'), or any "
                "lead recorded in natssips_leads ('any_lead')."
            ),
            interpretation=(
                "The clause's 'chaired by the NatSSIPs lead': the NatSSIPs lead the section names is 'a named, substantive senior "
                "clinician ... who is responsible for strategic direction and oversight of the implementation, "
                "development and improvements related to NatSSIPs', and the clauses that follow ('This individual "
                "should have ...') are judged for that lead only. By default the chair is read the same way: a lead "
                "who is a clinician responsible for NatSSIPs' strategic direction and oversight chairs the group; a "
                "non-clinical operational co-lead in the chair does not meet it. A Trust whose steering group's terms "
                "of reference give the chair to any of its NatSSIPs leads chooses 'any_lead', and the report lists "
                "that tailoring."
            ),
        ),
    ),
    requirement=(
        "The Trust has a formally constituted NatSSIPs steering group, chaired by the NatSSIPs lead (a lead the role "
        "rests on, unless the Trust's tailoring records that its terms of reference say otherwise)."
    ),
    remediation=(
        "Record that the steering group is formally constituted (steering_group.formally_constituted; its approved "
        "terms of reference evidence it) and that the NatSSIPs lead chairs it (natssips_leads[].chairs_steering_group), "
        "with the chair's profession (people) and responsibility for NatSSIPs' strategy and oversight "
        "(natssips_leads[].responsible_for_strategy_and_oversight)."
    ),
    interpretation=(
        "'Formally constituted' is read as having terms of reference approved through the Trust's governance. "
        "The clause's 'chaired by the NatSSIPs lead' is read as chaired by a lead the role rests on: a clinician responsible for "
        "NatSSIPs' strategic direction and oversight, the 'named, substantive senior clinician' of roles.natssips-lead "
        "(see steering_group_chair). Where the role is shared by several such leads, any of them may chair it. "
        "A Trust recorded as having no steering group (false) does not meet it. That it is multidisciplinary, and "
        "includes the relevant professions and sites, is checked by roles.steering-group.professions and "
        "roles.steering-group.sites."
    ),
)

#: The professions that could take part in invasive procedures (the clinical ones, footnote d's and healthcare science).
_POSSIBLY_RELEVANT = (
    Profession.MEDICAL,
    Profession.NURSING,
    Profession.MIDWIFERY,
    Profession.PHARMACY,
    Profession.ALLIED_HEALTH_PROFESSIONAL,
    Profession.HEALTHCARE_SCIENCE,
)

#: Specialties whose invasive procedures involve a profession, by default (matched against a specialty's id or name).
_SPECIALTIES_IMPLYING: dict[Profession, tuple[str, ...]] = {
    Profession.MIDWIFERY: (
        "obstetrics",
        "obstetrics-gynaecology",
        "obstetrics-and-gynaecology",
        "maternity",
        "Obstetrics",
        "Obstetrics and Gynaecology",
        "Obstetrics & Gynaecology",
        "Maternity",
    ),
}


def _specialties_param(p: Profession) -> str:
    return f"specialties_implying_{p.value}"


def _implied_by_specialty(p: Profession) -> Named:
    """A specialty performing invasive procedures involves ``p`` (by the parameter naming such specialties)."""
    name = _specialties_param(p)
    return Named(
        f"a specialty that performs invasive procedures involves {p.label} (parameter {name})",
        exists(
            "organisation.specialties",
            AllOf([yes("performs_invasive_procedures"), AnyOf([In("id", Param(name)), In("name", Param(name))])]),
        ),
    )


def _relevant(p: Profession) -> Named:
    """``p`` is a relevant profession: the organisation records it, one of its specialties implies it, or the Trust lists it.

    Where the organisation does not record its professions, whether a profession that could be relevant is one is
    unknown (so a group without it is insufficient evidence, never met); one that could not be is not relevant.
    """
    recorded = Includes("organisation.invasive_procedure_professions", (p.value,))
    parts: list[Condition] = [
        AllOf(
            [
                AnyOf([Option("professions_possibly_relevant", p.value), IsKnown("organisation.invasive_procedure_professions")]),
                recorded,
            ]
        ),
        Option("steering_group_professions", p.value),
    ]
    if p in _POSSIBLY_RELEVANT:
        # where the organisation records its professions, a specialty list it has not recorded adds nothing to them
        listed = AnyOf([Not(IsKnown("organisation.invasive_procedure_professions")), IsKnown("organisation.specialties")])
        parts.insert(1, AllOf([listed, _implied_by_specialty(p)]))
    return Named(f"{p.label} is a relevant profession", AnyOf(parts))


_RELEVANT_PROFESSIONS = Named(
    "each relevant profession has a member",
    AllOf(
        [
            if_then(
                _relevant(p),
                Named(
                    f"a member of the group is of the {p.label} profession",
                    exists("members", In("profession", (p.value,))),
                    remedy=f"Add a member of the {p.label} profession to the steering group",
                ),
            )
            for p in Profession
        ]
    ),
)

STEERING_GROUP_PROFESSIONS = STEERING_GROUP_CLAUSE.rule(
    id="roles.steering-group.professions",
    passage=_STEERING_GROUP_MAKEUP,
    title="The steering group is multidisciplinary: its members include each relevant profession",
    judged_for=SubjectKind.STEERING_GROUP,
    holds=_RELEVANT_PROFESSIONS,
    parameters=(
        Parameter(
            name="professions_possibly_relevant",
            default=tuple(p.value for p in _POSSIBLY_RELEVANT),
            description=(
                "Professions that could take part in invasive procedures: where the facts do not say which professions "
                "take part in the organisation's, the group is met only if it includes each of them."
            ),
            interpretation=(
                "NatSSIPs asks for a steering group 'to include all relevant professions' without listing them. The "
                "relevant professions are what the facts say: those the organisation records as taking part in its "
                "invasive procedures (invasive_procedure_professions), those its specialties imply (the "
                "specialties_implying_* parameters) and any the Trust lists (steering_group_professions). Where the "
                "organisation does not record its professions, the library never assumes which they are: a group "
                "that includes each profession that could take part (by default footnote d's clinicians, medical, "
                "nursing, midwifery, pharmacy and allied health professionals, and healthcare science) is met, since "
                "whatever the relevant professions are it includes them; a group that lacks a profession a specialty "
                "implies is not met; otherwise the evidence is insufficient, and the finding asks which professions "
                "take part. The list is this library's reading, not a NatSSIPs one."
            ),
        ),
        *(
            Parameter(
                name=_specialties_param(p),
                default=_SPECIALTIES_IMPLYING.get(p, ()),
                description=(
                    f"Specialties (by id or name) whose invasive procedures involve {p.label}: where one of them "
                    f"performs invasive procedures, {p.label} is a relevant profession."
                ),
                interpretation=(
                    (
                        "Obstetric procedures (caesarean sections in maternity theatres, for example) involve midwives, "
                        "so by default a specialty with the id or name obstetrics, obstetrics-gynaecology, "
                        "obstetrics-and-gynaecology or maternity (or those names capitalised) makes midwifery relevant. "
                    )
                    if p in _SPECIALTIES_IMPLYING
                    else "None by default. "
                )
                + "A specialty matches when its id or its name is exactly one of the list's; a Trust lists its own "
                "specialties' ids. This mapping is this library's reading, not a NatSSIPs one.",
            )
            for p in _POSSIBLY_RELEVANT
        ),
        Parameter(
            name="steering_group_professions",
            default=(),
            description="Professions the Trust holds relevant whatever the facts record: the group must include each.",
            interpretation=(
                "A Trust may name professions it holds relevant to its invasive procedures (for example midwifery "
                "where it has maternity theatres but its facts record no obstetric specialty); the group must then "
                "include a member of each. The default names none: the facts decide."
            ),
        ),
    ),
    requirement=(
        "The steering group's members include at least one person of each relevant profession: those the organisation "
        "records as taking part in its invasive procedures, those its specialties imply and those the Trust lists; "
        "where the organisation does not record its professions, each of {professions_possibly_relevant}."
    ),
    remediation=(
        "List the steering group's members (steering_group.members) and record each member's profession in people, "
        "and which professions take part in the organisation's invasive procedures (invasive_procedure_professions); "
        "the group's membership list in its terms of reference evidences it."
    ),
    interpretation=(
        "The clause's 'to include all relevant professions' is read from what the facts say, never from a fixed list: a profession "
        "is relevant when the organisation records it as taking part in its invasive procedures "
        "(invasive_procedure_professions), when a specialty performing invasive procedures implies it (obstetrics "
        "makes midwifery relevant: the specialties_implying_* parameters), or when the Trust lists it "
        "(steering_group_professions); each relevant profession needs a member. Where the organisation does not "
        "record its professions they cannot be known, and unknown is never met: the group is met only if it already "
        "includes every profession that could be relevant (professions_possibly_relevant), not met if it lacks one "
        "its specialties imply, and otherwise insufficient evidence, with the question which professions take part."
    ),
)

STEERING_GROUP_SITES = STEERING_GROUP_CLAUSE.rule(
    id="roles.steering-group.sites",
    passage=_STEERING_GROUP_MAKEUP,
    title="Each site where invasive procedures are performed is represented on the steering group",
    judged_for=SubjectKind.SITE,
    applies_when=RELEVANT_SITE,
    applicability="Applies to each site where invasive procedures are performed (a relevant site).",
    holds=Named(
        "the site is represented on the steering group",
        yes("represented_on_steering_group"),
        remedy="Give the site a seat on the NatSSIPs steering group (for example its site lead)",
    ),
    requirement="The site is represented on the Trust's NatSSIPs steering group.",
    remediation=(
        "Record that the site is represented on the steering group (sites[].represented_on_steering_group), for "
        "example through its site lead's membership, as the group's terms of reference show, and whether invasive "
        "procedures are performed there (sites[].performs_invasive_procedures)."
    ),
    interpretation=(
        "'All relevant ... sites' is read as every site where invasive procedures are performed "
        "(performs_invasive_procedures); whether each site is one must be recorded."
    ),
)


def _responsibility(
    member: SteeringResponsibility, suffix: str, text: str, references: tuple[str, ...] = ()
) -> tuple[Clause, Rule]:
    """The clause of one of the steering group's eight responsibilities, and the rule checking it."""
    clause = Clause(
        id=f"roles.steering-group.{suffix}",
        section=SECTION,
        kind="clause",
        text=text,
        references=references,
        parent=STEERING_GROUP_CLAUSE,
    )
    rule = clause.rule(
        title=f"The steering group is responsible for: {clause.quote}",
        judged_for=SubjectKind.STEERING_GROUP,
        holds=Named(
            f"the group's remit records: {clause.quote}",
            Includes("responsibilities", (member.value,)),
            remedy=f"Add to the steering group's terms of reference: {clause.quote}",
        ),
        requirement=f"The steering group's remit includes: {clause.quote}.",
        remediation=(
            f"Record the responsibility in steering_group.responsibilities ({member.value!r}); the group's terms "
            "of reference, or its minutes, evidence it."
        ),
        interpretation=(
            "The responsibility is read from the group's recorded remit (its terms of reference); how well the "
            "group discharges it is for the assurance the lead gives, not for this rule."
        ),
    )
    return clause, rule


_RESPONSIBILITIES = (
    _responsibility(SteeringResponsibility.STRATEGIC_OVERSIGHT, "strategic-oversight", "Strategic oversight"),
    _responsibility(SteeringResponsibility.DATA_REVIEW, "data-review", "Review of relevant data / intelligence/ insight"),
    _responsibility(SteeringResponsibility.BOARD_ASSURANCE, "board-assurance", "Provision of assurance to the Board"),
    _responsibility(
        SteeringResponsibility.GOVERNANCE_UPDATES,
        "governance-updates",
        "Providing updates as a standing agenda item to Governance and Quality Boards",
    ),
    _responsibility(
        SteeringResponsibility.POLICY_SIGN_OFF,
        "policy-sign-off",
        "Organisational sign-off of NatSSIPs-related policies and procedures",
    ),
    _responsibility(
        SteeringResponsibility.BEYOND_CHECKLISTS,
        "beyond-checklists",
        "Reinforcing that NatSSIPs are more than 'checklists' and that they require a strategy for organisational "
        "as well as Sequential Standards improvement",
    ),
    _responsibility(
        SteeringResponsibility.HUMAN_FACTORS,
        "human-factors",
        "Embedding systems and human factors knowledge and understanding⁴⁹",
        references=("49",),
    ),
    _responsibility(
        SteeringResponsibility.STRATEGY_ALIGNMENT,
        "strategy-alignment",
        "Ensuring alignment of NatSSIPs with Trust Safety Strategy and Quality Objectives",
    ),
)

_NOT_RELEVANT = Parameter(
    name="specialties_not_relevant",
    default=(),
    description="Ids of specialties the Trust judges not relevant although they perform invasive procedures.",
    interpretation=(
        "NatSSIPs says 'every relevant speciality group' without defining relevant. A specialty is read as relevant "
        "when it performs invasive procedures (performs_invasive_procedures). A Trust may list here specialties it "
        "judges not relevant, for example where their invasive work is governed within another specialty's group; "
        "the default lists none."
    ),
)

#: A specialty is relevant: it performs invasive procedures, and the Trust has not listed it as not relevant.
RELEVANT_SPECIALTY = Named(
    "the specialty is relevant (it performs invasive procedures, and the Trust has not listed it as not relevant)",
    AllOf([yes("performs_invasive_procedures"), Not(In("id", Param("specialties_not_relevant")))]),
)

_RELEVANT_APPLICABILITY = (
    "Applies to each specialty that performs invasive procedures, unless the Trust lists it as not relevant "
    "(parameter specialties_not_relevant)."
)

SPECIALTY_LEAD_CLAUSE = Clause(
    id="roles.specialty-lead",
    section=SECTION,
    kind="clause",
    text=(
        "Every relevant speciality group within a Trust should have a named senior clinician^e, again practising "
        "clinically within invasive procedures with responsibility for speciality level governance of NatSSIPs and "
        "with representation on the Trust NatSSIPs group."
    ),
    footnotes="e",
)

SPECIALTY_LEAD = SPECIALTY_LEAD_CLAUSE.rule(
    title="Each relevant specialty has a named senior clinician leading its NatSSIPs governance",
    judged_for=SubjectKind.SPECIALTY,
    applies_when=RELEVANT_SPECIALTY,
    applicability=_RELEVANT_APPLICABILITY,
    holds=AllOf(
        [
            _senior_clinician("natssips_lead"),
            Named(
                "the lead is responsible for the specialty's NatSSIPs governance",
                yes("lead_has_governance_responsibility"),
                remedy="Write the specialty-level governance of NatSSIPs into the lead's responsibilities",
            ),
            Named(
                "the lead is represented on the Trust NatSSIPs group",
                yes("lead_represented_on_steering_group"),
                remedy="Give the specialty's NatSSIPs lead (or a deputy) a seat on the Trust NatSSIPs steering group",
            ),
        ]
    ),
    parameters=(_CLINICIAN_PROFESSIONS, _SENIOR_GRADES, _SENIOR_READING, _NOT_RELEVANT),
    requirement=(
        "The specialty has a named senior clinician ({senior_grades}, not in training) who practises invasive "
        "procedures, is responsible for the specialty's NatSSIPs governance and is represented on the Trust NatSSIPs group."
    ),
    remediation=(
        "Name the specialty's NatSSIPs lead (specialties[].natssips_lead) with their profession, seniority, whether "
        "they are in training and their clinical practice in people, and record their governance responsibility and "
        "their representation on the steering group; the specialty's governance structure evidences both."
    ),
    interpretation=(
        "Footnote e: the lead may hold other governance roles in the specialty; the rule asks only that one named "
        "person holds this responsibility. Representation on the Trust NatSSIPs group may be in person or by a "
        "deputy, so it is recorded as a fact of the specialty rather than read from the group's members. A specialty "
        "recorded as having no lead (false) does not meet the clause."
    ),
)

SITE_LEAD_CLAUSE = Clause(
    id="roles.site-lead",
    section=SECTION,
    kind="clause",
    text=("In large Trusts, each site should have a NatSSIPs lead with allocated time to support the trust-wide remit."),
)

_SITE_LEAD_SESSIONS = Compare("natssips_lead.sessions_per_week", ">", Param("site_lead_sessions_more_than"))

SITE_LEAD = SITE_LEAD_CLAUSE.rule(
    title="In a large Trust, each site has a NatSSIPs lead with allocated time",
    judged_for=SubjectKind.SITE,
    applies_when=AllOf([LARGE_TRUST, RELEVANT_SITE]),
    applicability="Applies in a large Trust, to each site where invasive procedures are performed.",
    holds=AllOf(
        [
            Named(
                "the site has a NatSSIPs lead",
                Present("natssips_lead"),
                remedy="Appoint a NatSSIPs lead for the site",
            ),
            Named(
                "time is allocated for the role",
                AllOf(
                    [
                        # a record that time is not allocated (no, or too few sessions) decides against
                        AnyOf([Not(IsKnown("natssips_lead.time_allocated")), yes("natssips_lead.time_allocated")]),
                        AnyOf([Not(IsKnown("natssips_lead.sessions_per_week")), _SITE_LEAD_SESSIONS]),
                        # either record shows that time is allocated
                        AnyOf([yes("natssips_lead.time_allocated"), _SITE_LEAD_SESSIONS]),
                    ]
                ),
                remedy="Allocate sessions for the site lead role in the lead's job plan",
            ),
        ]
    ),
    parameters=(
        *LARGE_TRUST_PARAMETERS,
        Parameter(
            name="site_lead_sessions_more_than",
            default=0.0,
            unit="sessions per week",
            description="Allocated time for a site lead means more than this many sessions a week.",
            interpretation=(
                "'With allocated time' is read as more than this many sessions a week where the sessions are "
                "recorded: a lead with no sessions has no allocated time, whatever the allocation flag says. A Trust "
                "may ask for more (say 0.5); the default asks only for some time, and is this library's reading, not "
                "a NatSSIPs figure."
            ),
            lenient="lower",
        ),
    ),
    requirement=(
        "The site has a NatSSIPs lead with time allocated to support the trust-wide remit: recorded as allocated, or "
        "as more than {site_lead_sessions_more_than} sessions a week, and neither recorded as not allocated nor as "
        "{site_lead_sessions_more_than} sessions or fewer."
    ),
    remediation=(
        "Record the site's NatSSIPs lead (sites[].natssips_lead), and that time is allocated for the role "
        "(time_allocated) or how many sessions a week (sessions_per_week), e.g. from their job plan; and whether invasive procedures "
        "are performed at the site (sites[].performs_invasive_procedures)."
    ),
    interpretation=(
        "'In large Trusts' is read by the large_trust_* parameters; 'each site' as each site where invasive procedures are "
        "performed. The clause's 'a NatSSIPs lead with allocated time' asks that time be allocated, not that it be recorded "
        "twice: either record shows it, a record that time is allocated for the role (time_allocated) or more than "
        "site_lead_sessions_more_than sessions a week (sessions_per_week), so one of them is enough. A record "
        "against it decides against it: time recorded as not allocated, or sessions recorded at or below "
        "site_lead_sessions_more_than, is not allocated time whatever the other record says (so a site met on one "
        "record becomes not met when the other, once recorded, contradicts it). With neither recorded the evidence "
        "is insufficient. The clause does not ask that a site lead be a senior clinician. A site recorded as having "
        "no lead (false) does not meet it."
    ),
)


TRAINEES_CLAUSE = Clause(
    id="roles.trainees",
    section=SECTION,
    kind="clause",
    text="MDT members in training should be a formal part of these groups.",
)

_TRAINEE_GROUPS = Parameter(
    name="trainee_groups",
    default=("steering_group",),
    choices=("steering_group", "specialty_groups"),
    description="Which groups 'these groups' means: the steering group, the specialties' NatSSIPs groups, or both.",
    interpretation=(
        "The clause follows the steering group, specialty lead and site lead clauses and says 'these groups' "
        "without naming them. The only group the section constitutes is the Trust NatSSIPs steering group, so by "
        "default trainees must be members of it. A Trust whose specialties run their own NatSSIPs governance "
        "groups adds 'specialty_groups', and each relevant specialty is then checked too."
    ),
)

#: MDT members in training work in the organisation's invasive procedure areas.
TRAINEES_HERE = Named(
    "MDT members in training work in the organisation's invasive procedure areas",
    yes("organisation.mdt_trainees_in_invasive_areas"),
)

#: The organisation has not recorded that no MDT members in training work in its invasive areas (never unknown).
TRAINEES_NOT_RULED_OUT = AnyOf(
    [Not(IsKnown("organisation.mdt_trainees_in_invasive_areas")), yes("organisation.mdt_trainees_in_invasive_areas")]
)

_TRAINEES_APPLICABILITY = (
    "Applies where MDT members in training work in the organisation's invasive procedure areas "
    "(mdt_trainees_in_invasive_areas); an organisation that records it has none cannot make them part of its groups, "
    "so the clause does not apply to it, whatever else is or is not known."
)

TRAINEES = TRAINEES_CLAUSE.rule(
    title="MDT members in training are a formal part of the steering group",
    judged_for=SubjectKind.STEERING_GROUP,
    # a trainee among the members shows that trainees work here, unless the organisation records that none do
    applies_when=AllOf(
        [
            Option("trainee_groups", "steering_group"),
            AnyOf([TRAINEES_HERE, AllOf([TRAINEES_NOT_RULED_OUT, exists("members", yes("in_training"))])]),
        ]
    ),
    applicability=(
        "Applies when the Trust reads 'these groups' as including the steering group (parameter trainee_groups). "
        + _TRAINEES_APPLICABILITY
    ),
    holds=Named(
        "a member of the group is in training",
        exists("members", yes("in_training")),
        remedy="Make an MDT member in training a formal member of the steering group",
    ),
    parameters=(_TRAINEE_GROUPS,),
    requirement="At least one MDT member in training is a formal member of the steering group.",
    remediation=(
        "List the steering group's members (steering_group.members) and record in people which of them are in "
        "training (in_training), and whether MDT members in training work in the organisation's invasive procedure "
        "areas (mdt_trainees_in_invasive_areas); the group's membership list evidences it."
    ),
    interpretation=(
        "'A formal part' is read as being a listed member of the group; one trainee member meets it. An organisation "
        "that records that no MDT members in training work in its invasive procedure areas is not asked to include them."
    ),
)

TRAINEES_SPECIALTY = TRAINEES_CLAUSE.rule(
    id="roles.trainees.specialty-groups",
    title="MDT members in training are a formal part of each specialty's NatSSIPs group",
    judged_for=SubjectKind.SPECIALTY,
    applies_when=AllOf(
        [
            Option("trainee_groups", "specialty_groups"),
            RELEVANT_SPECIALTY,
            AnyOf([TRAINEES_HERE, AllOf([TRAINEES_NOT_RULED_OUT, yes("trainees_part_of_group")])]),
        ]
    ),
    applicability=(
        "Applies to each relevant specialty only when the Trust reads 'these groups' as including the specialties' "
        "NatSSIPs groups (parameter trainee_groups; by default it does not). " + _TRAINEES_APPLICABILITY
    ),
    holds=Named(
        "MDT members in training are a formal part of the specialty's group",
        yes("trainees_part_of_group"),
        remedy="Make MDT members in training formal members of the specialty's NatSSIPs group",
    ),
    parameters=(_TRAINEE_GROUPS, _NOT_RELEVANT),
    requirement="MDT members in training are a formal part of the specialty's NatSSIPs governance group.",
    remediation=(
        "Record that trainees are formal members of the specialty's NatSSIPs group (specialties[].trainees_part_of_group), "
        "as its terms of reference or membership list show."
    ),
)

ASSURANCE_CLAUSE = Clause(
    id="roles.assurance",
    section=SECTION,
    kind="clause",
    text=("The Trust NatSSIPs lead(s) should provide assurance to the Site and the Board on all aspects of NatSSIPs."),
)

ASSURANCE = ASSURANCE_CLAUSE.rule(
    title="The NatSSIPs lead(s) give assurance to the sites and the Board",
    judged_for=SubjectKind.ORGANISATION,
    holds=AllOf(
        [
            Named("assurance is given to the Board", yes("assurance.to_board"), remedy="Report on NatSSIPs to the Board"),
            Named(
                "assurance is given to the sites",
                yes("assurance.to_sites"),
                remedy="Report on NatSSIPs to each site's governance meeting",
            ),
        ]
    ),
    requirement="The NatSSIPs lead(s) provide assurance on NatSSIPs both to the sites and to the Board.",
    remediation=(
        "Record that assurance is given to the Board (assurance.to_board) and to the sites (assurance.to_sites); "
        "Board and site governance minutes evidence it."
    ),
    interpretation=(
        "Whether the assurance covers 'all aspects of NatSSIPs' cannot be judged from organisational facts; the rule "
        "checks that assurance is given to both audiences."
    ),
)

PUBLIC_ACCOUNT_CLAUSE = Clause(
    id="roles.assurance.public-account",
    section=SECTION,
    kind="clause",
    parent=ASSURANCE_CLAUSE,
    text=(
        "This assurance should include at a minimum an annual, publicly available account of progress and "
        "measurable outcomes related to NatSSIPs"
    ),
)

PUBLIC_ACCOUNT = PUBLIC_ACCOUNT_CLAUSE.rule(
    title="An annual, publicly available account of progress and measurable outcomes",
    judged_for=SubjectKind.ORGANISATION,
    holds=AllOf(
        [
            Named(
                "an account was published in the last year",
                WithinDays("assurance.public_account.published_on", Param("annual_max_age_days")),
                remedy="Publish this year's NatSSIPs account (for example in the Quality Account or on the Trust website)",
            ),
            Named(
                "the account is public",
                yes("assurance.public_account.publicly_available"),
                remedy="Make the account publicly available",
            ),
            Named(
                "the account reports measurable outcomes",
                yes("assurance.public_account.reports_measurable_outcomes"),
                remedy="Report measurable outcomes related to NatSSIPs in the account",
            ),
        ]
    ),
    parameters=(
        Parameter(
            name="annual_max_age_days",
            default=366,
            unit="days",
            description="Oldest the latest public account may be at the evaluation date.",
            interpretation=(
                "'Annual' is read as: the latest account was published no more than a year (366 days, so a leap "
                "year does not matter) before the evaluation date. An account dated after the evaluation date is "
                "not evidence at that date."
            ),
            lenient="higher",
        ),
    ),
    requirement=(
        "An account of progress and measurable outcomes related to NatSSIPs was published within the last "
        "{annual_max_age_days} days and is publicly available."
    ),
    remediation=(
        "Publish the annual NatSSIPs account (for example in the Quality Account or on the Trust website) and record "
        "its date, that it is public and that it reports measurable outcomes (assurance.public_account)."
    ),
)

PATIENT_SAFETY_SPECIALISTS_CLAUSE = Clause(
    id="roles.patient-safety-specialists",
    section=SECTION,
    kind="clause",
    text="Boards should aim to include NatSSIPs within the strategic remit of patient safety specialists",
)

_PSS_APPLICABILITY = (
    "Applies where the organisation has patient safety specialist roles; one that records it has none "
    "(patient_safety_specialists: false) is not asked about them."
)

PATIENT_SAFETY_SPECIALISTS = PATIENT_SAFETY_SPECIALISTS_CLAUSE.rule(
    title="NatSSIPs is within the strategic remit of patient safety specialists",
    judged_for=SubjectKind.ORGANISATION,
    applies_when=Present("patient_safety_specialists"),
    applicability=_PSS_APPLICABILITY,
    holds=Named(
        "NatSSIPs is within the patient safety specialists' strategic remit",
        yes("patient_safety_specialists.natssips_in_strategic_remit"),
        remedy="Add NatSSIPs to the patient safety specialists' strategic remit",
    ),
    requirement="NatSSIPs is included within the strategic remit of the patient safety specialists.",
    remediation=(
        "Record whether the patient safety specialists' remit includes NatSSIPs "
        "(patient_safety_specialists.natssips_in_strategic_remit); their role description or the patient safety "
        "strategy evidences it."
    ),
)

PATIENT_SAFETY_INTEGRATION_CLAUSE = Clause(
    id="roles.patient-safety-specialists.integration",
    section=SECTION,
    kind="clause",
    text=(
        "Trust Boards should consider how NatSSIPs related activities will integrate with other key patient safety "
        "specialist roles (e.g. for maternity)"
    ),
    parent=PATIENT_SAFETY_SPECIALISTS_CLAUSE,
)

PATIENT_SAFETY_INTEGRATION = PATIENT_SAFETY_INTEGRATION_CLAUSE.rule(
    title="The Board has considered how NatSSIPs integrates with other patient safety specialist roles",
    judged_for=SubjectKind.ORGANISATION,
    applies_when=Present("patient_safety_specialists"),
    applicability=_PSS_APPLICABILITY,
    holds=Named(
        "the Board has considered it",
        yes("patient_safety_specialists.integration_with_other_roles_considered"),
        remedy="Put the integration of NatSSIPs with other patient safety specialist roles to the Board",
    ),
    requirement=(
        "The Board has considered how NatSSIPs activities integrate with other key patient safety specialist roles "
        "(e.g. for maternity)."
    ),
    remediation=(
        "Record that the Board has considered it (patient_safety_specialists.integration_with_other_roles_considered); "
        "a Board or committee paper and its minutes evidence it."
    ),
    interpretation="'Consider' is met by a recorded consideration; the clause asks for no particular outcome.",
)

FOOTNOTE_CLAUSES = tuple(
    Clause(id=f"roles.footnote-{marker}", section=SECTION, kind="footnote", text=FOOTNOTES[marker].text) for marker in "bcde"
)

#: Every passage of the section, in the order of the standard.
CLAUSES: tuple[Clause, ...] = (
    SUMMARY,
    BOARD_MEMBER_CLAUSE,
    NATSSIPS_LEAD_CLAUSE,
    LEAD_TIME_CLAUSE,
    LEAD_ADMIN_CLAUSE,
    LEAD_AUTHORITY_CLAUSE,
    STEERING_GROUP_CLAUSE,
    *(clause for clause, _ in _RESPONSIBILITIES),
    SPECIALTY_LEAD_CLAUSE,
    SITE_LEAD_CLAUSE,
    TRAINEES_CLAUSE,
    ASSURANCE_CLAUSE,
    PUBLIC_ACCOUNT_CLAUSE,
    PATIENT_SAFETY_SPECIALISTS_CLAUSE,
    PATIENT_SAFETY_INTEGRATION_CLAUSE,
    *FOOTNOTE_CLAUSES,
)


def rules() -> tuple[Rule, ...]:
    """The rules of this section, in the order of the standard."""
    return (
        BOARD_MEMBER,
        NATSSIPS_LEAD,
        LEAD_TIME,
        LEAD_ADMIN,
        LEAD_AUTHORITY,
        STEERING_GROUP,
        STEERING_GROUP_PROFESSIONS,
        STEERING_GROUP_SITES,
        *(rule for _, rule in _RESPONSIBILITIES),
        SPECIALTY_LEAD,
        SITE_LEAD,
        TRAINEES,
        TRAINEES_SPECIALTY,
        ASSURANCE,
        PUBLIC_ACCOUNT,
        PATIENT_SAFETY_SPECIALISTS,
        PATIENT_SAFETY_INTEGRATION,
    )
