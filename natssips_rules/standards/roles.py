"""Roles For NatSSIPs Delivery, Implementation and Sustainment.

Every passage of the section is a :class:`Clause` here, in the order of the
standard, and each rule sits beside the clause it cites. The "In summary"
statement is not a rule of its own: it is summarised by the clauses after it,
which keep their own levels (see ``SUMMARY``).
"""

from natssips_rules.facts.model import Profession, Seniority, SteeringResponsibility, SupportArea
from natssips_rules.rules.conditions import AllOf, Covers, In, Includes, Named, Not, Option, Param, WithinDays, exists
from natssips_rules.rules.model import Parameter, Rule, SubjectKind

from .common import FOOTNOTES, LARGE_TRUST, LARGE_TRUST_PARAMETERS, Clause, one_of, sized, yes

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
    interpretation="Footnote d: clinician deliberately includes medical, nursing, midwifery, pharmacy and Allied Health Professionals.",
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
    holds=yes("board.natssips_portfolio_holder.board_member"),
    requirement="A named member of the Board holds NatSSIPs within their portfolio.",
    remediation=(
        "Name the Board member whose portfolio includes NatSSIPs (board.natssips_portfolio_holder) and record that "
        "they sit on the Board; the Board's portfolio list or terms of reference evidence it."
    ),
    interpretation=(
        "Footnote b: the Board is the level of the organisation with statutory responsibility. A person named as "
        "holding the portfolio who does not sit on the Board does not meet the clause."
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
                yes("person.substantive"),
                one_of("person.seniority", "senior_grades"),
                one_of("person.profession", "clinician_professions"),
                yes("person.practises_invasive_procedures"),
                yes("responsible_for_strategy_and_oversight"),
            ]
        ),
    ),
    parameters=(_CLINICIAN_PROFESSIONS, _SENIOR_GRADES),
    requirement=(
        "At least one named NatSSIPs lead is a substantive senior clinician who practises clinically in invasive "
        "procedures and is responsible for the strategic direction and oversight of NatSSIPs."
    ),
    remediation=(
        "Record the NatSSIPs lead (natssips_leads) and, for the person named, their profession, seniority, "
        "substantive post and clinical practice in invasive procedures, and that the role's responsibilities are "
        "documented (job description or job plan)."
    ),
    interpretation="Where the lead role is shared, one lead meeting every part of the clause is enough.",
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

LEAD_TIME = LEAD_TIME_CLAUSE.rule(
    title="The NatSSIPs lead has sufficient, transparently allocated job-plan time",
    judged_for=SubjectKind.NATSSIPS_LEAD,
    holds=AllOf(
        [
            yes("time_transparently_allocated"),
            sized("job_plan_sessions_per_week", large="lead_min_sessions_large", other="lead_min_sessions_other"),
        ]
    ),
    parameters=(
        *LARGE_TRUST_PARAMETERS,
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
    ),
    requirement=(
        "The lead's time for the role is transparently allocated in their job plan and reaches the sessions a week "
        "set for an organisation of this size."
    ),
    remediation=(
        "Record the lead's job-plan sessions for the NatSSIPs role (job_plan_sessions_per_week) and that they are "
        "transparently allocated (time_transparently_allocated); the signed job plan evidences both."
    ),
    interpretation=(
        "'Sufficient ... commensurate with the size of the organisation' is read as a least number of sessions a "
        "week, higher for a large Trust; 'transparently allocated' as the time being written into the job plan."
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
    title="The NatSSIPs lead has sufficient, transparently allocated administrative support",
    judged_for=SubjectKind.NATSSIPS_LEAD,
    holds=AllOf(
        [
            yes("admin_support_transparently_allocated"),
            sized("admin_support_wte", large="lead_min_admin_wte_large", other="lead_min_admin_wte_other"),
        ]
    ),
    parameters=(
        *LARGE_TRUST_PARAMETERS,
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
        "The lead has administrative support for the role, transparently allocated, of at least the whole-time "
        "equivalent set for an organisation of this size."
    ),
    remediation=(
        "Record the administrative support allocated to the NatSSIPs role (admin_support_wte) and that it is "
        "transparently allocated (admin_support_transparently_allocated), e.g. in the business plan or rota."
    ),
    interpretation="'Sufficient ... commensurate with the size of the organisation' is read as a least WTE, higher for a large Trust.",
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
    title="The NatSSIPs lead can obtain support from across the organisation",
    judged_for=SubjectKind.NATSSIPS_LEAD,
    holds=Includes("authority_to_obtain_support", Param("required_support_areas")),
    parameters=(
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
        ),
    ),
    requirement=(
        "The lead has the ability and authority to obtain support from at least IT, education, quality improvement "
        "and procurement."
    ),
    remediation=(
        "Record the areas the lead has authority to obtain support from (authority_to_obtain_support), as set out "
        "in the lead's terms of reference or scheme of delegation."
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
    holds=AllOf([yes("formally_constituted"), exists("organisation.natssips_leads", yes("chairs_steering_group"))]),
    requirement="The Trust has a formally constituted NatSSIPs steering group, chaired by the NatSSIPs lead.",
    remediation=(
        "Record that the steering group is formally constituted (steering_group.formally_constituted; its approved "
        "terms of reference evidence it) and that the NatSSIPs lead chairs it (natssips_leads[].chairs_steering_group)."
    ),
    interpretation=(
        "'Formally constituted' is read as having terms of reference approved through the Trust's governance. "
        "Where the lead role is shared, the group is chaired by the NatSSIPs lead when any of the leads chairs it. "
        "That it is multidisciplinary, and includes the relevant professions and sites, is checked by "
        "roles.steering-group.professions and roles.steering-group.sites."
    ),
)

STEERING_GROUP_PROFESSIONS = STEERING_GROUP_CLAUSE.rule(
    id="roles.steering-group.professions",
    passage=_STEERING_GROUP_MAKEUP,
    title="The steering group is multidisciplinary: its members include each relevant profession",
    judged_for=SubjectKind.STEERING_GROUP,
    holds=Covers("members", "profession", Param("steering_group_professions")),
    parameters=(
        Parameter(
            name="steering_group_professions",
            default=tuple(p.value for p in (Profession.MEDICAL, Profession.NURSING, Profession.ALLIED_HEALTH_PROFESSIONAL)),
            description="Professions of which the steering group's members must include at least one person each.",
            interpretation=(
                "NatSSIPs asks for 'all relevant professions' without listing them. The default is the professions "
                "that deliver invasive procedures in every acute setting: medical (operators and anaesthetists), "
                "nursing (theatre and procedure-room nurses) and allied health professionals (operating department "
                "practitioners, radiographers). A Trust adds midwifery, pharmacy or healthcare science where they "
                "take part in its invasive procedures."
            ),
        ),
    ),
    requirement="The steering group's members include at least one person of each relevant profession.",
    remediation=(
        "List the steering group's members (steering_group.members) and record each member's profession in people; "
        "the group's membership list in its terms of reference evidences it."
    ),
)

STEERING_GROUP_SITES = STEERING_GROUP_CLAUSE.rule(
    id="roles.steering-group.sites",
    passage=_STEERING_GROUP_MAKEUP,
    title="Each site is represented on the steering group",
    judged_for=SubjectKind.SITE,
    holds=yes("represented_on_steering_group"),
    requirement="The site is represented on the Trust's NatSSIPs steering group.",
    remediation=(
        "Record that the site is represented on the steering group (sites[].represented_on_steering_group), for "
        "example through its site lead's membership, as the group's terms of reference show."
    ),
    interpretation=(
        "'All relevant ... sites' is read as every site in the facts: a site is recorded where the organisation "
        "performs invasive procedures."
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
        holds=Includes("responsibilities", (member.value,)),
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
            one_of("natssips_lead.seniority", "senior_grades"),
            one_of("natssips_lead.profession", "clinician_professions"),
            yes("natssips_lead.practises_invasive_procedures"),
            yes("lead_has_governance_responsibility"),
            yes("lead_represented_on_steering_group"),
        ]
    ),
    parameters=(_CLINICIAN_PROFESSIONS, _SENIOR_GRADES, _NOT_RELEVANT),
    requirement=(
        "The specialty has a named senior clinician who practises invasive procedures, is responsible for the "
        "specialty's NatSSIPs governance and is represented on the Trust NatSSIPs group."
    ),
    remediation=(
        "Name the specialty's NatSSIPs lead (specialties[].natssips_lead) with their profession, seniority and "
        "clinical practice in people, and record their governance responsibility and their representation on the "
        "steering group; the specialty's governance structure evidences both."
    ),
    interpretation=(
        "Footnote e: the lead may hold other governance roles in the specialty; the rule asks only that one named "
        "person holds this responsibility. Representation on the Trust NatSSIPs group may be in person or by a "
        "deputy, so it is recorded as a fact of the specialty rather than read from the group's members."
    ),
)

SITE_LEAD_CLAUSE = Clause(
    id="roles.site-lead",
    section=SECTION,
    kind="clause",
    text=("In large Trusts, each site should have a NatSSIPs lead with allocated time to support the trust-wide remit."),
)

SITE_LEAD = SITE_LEAD_CLAUSE.rule(
    title="In a large Trust, each site has a NatSSIPs lead with allocated time",
    judged_for=SubjectKind.SITE,
    applies_when=LARGE_TRUST,
    applicability="Applies only in a large Trust.",
    holds=yes("natssips_lead.time_allocated"),
    parameters=LARGE_TRUST_PARAMETERS,
    requirement="The site has a NatSSIPs lead with time allocated to support the trust-wide remit.",
    remediation=(
        "Record the site's NatSSIPs lead (sites[].natssips_lead) and that time is allocated for the role "
        "(time_allocated), e.g. in their job plan."
    ),
    interpretation="'Large Trust' is read by the large_trust_* parameters; 'allocated time' as time recorded for the role.",
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

TRAINEES = TRAINEES_CLAUSE.rule(
    title="MDT members in training are a formal part of the steering group",
    judged_for=SubjectKind.STEERING_GROUP,
    applies_when=Option("trainee_groups", "steering_group"),
    applicability="Applies when the Trust reads 'these groups' as including the steering group (parameter trainee_groups).",
    holds=exists("members", yes("in_training")),
    parameters=(_TRAINEE_GROUPS,),
    requirement="At least one MDT member in training is a formal member of the steering group.",
    remediation=(
        "List the steering group's members (steering_group.members) and record in people which of them are in "
        "training (in_training); the group's membership list evidences it."
    ),
    interpretation="'A formal part' is read as being a listed member of the group; one trainee member meets it.",
)

TRAINEES_SPECIALTY = TRAINEES_CLAUSE.rule(
    id="roles.trainees.specialty-groups",
    title="MDT members in training are a formal part of each specialty's NatSSIPs group",
    judged_for=SubjectKind.SPECIALTY,
    applies_when=AllOf([Option("trainee_groups", "specialty_groups"), RELEVANT_SPECIALTY]),
    applicability=(
        "Applies to each relevant specialty only when the Trust reads 'these groups' as including the specialties' "
        "NatSSIPs groups (parameter trainee_groups; by default it does not)."
    ),
    holds=yes("trainees_part_of_group"),
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
    holds=AllOf([yes("assurance.to_board"), yes("assurance.to_sites")]),
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
            WithinDays("assurance.public_account.published_on", Param("annual_max_age_days")),
            yes("assurance.public_account.publicly_available"),
            yes("assurance.public_account.reports_measurable_outcomes"),
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
                "year does not matter) before the evaluation date."
            ),
            lenient="higher",
        ),
    ),
    requirement=(
        "An account of progress and measurable outcomes related to NatSSIPs was published within the last year and "
        "is publicly available."
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

PATIENT_SAFETY_SPECIALISTS = PATIENT_SAFETY_SPECIALISTS_CLAUSE.rule(
    title="NatSSIPs is within the strategic remit of patient safety specialists",
    judged_for=SubjectKind.ORGANISATION,
    holds=yes("patient_safety_specialists.natssips_in_strategic_remit"),
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
    holds=yes("patient_safety_specialists.integration_with_other_roles_considered"),
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
