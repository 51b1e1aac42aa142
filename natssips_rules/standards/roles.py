"""Roles For NatSSIPs Delivery, Implementation and Sustainment.

Each rule sits beside the clause it cites. The clauses about the Board member
and the NatSSIPs lead (with the lead's time, support, authority and the
assurance the lead gives) are encoded here.
"""

from natssips_rules.conditions import AllOf, AnyOf, Compare, In, Includes, Not, Param, WithinDays, exists
from natssips_rules.facts import Profession, Seniority, SupportArea
from natssips_rules.rules import Level, Parameter, Rule, SubjectKind

from .common import LARGE_TRUST_PARAMETERS, cite, is_large_trust

__all__ = ["SECTION", "rules"]

SECTION = "Roles For NatSSIPs Delivery, Implementation and Sustainment"

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


def _sized(parameter_large: str, parameter_other: str, field: str) -> AllOf:
    """``field`` reaches the threshold for the organisation's size (two bands: large, and the rest)."""
    return AllOf(
        [
            Compare(field, ">=", Param(parameter_other)),
            AnyOf([Not(is_large_trust()), Compare(field, ">=", Param(parameter_large))]),
        ]
    )


BOARD_MEMBER = Rule(
    id="roles.board-member",
    title="A named Board member holds NatSSIPs in their portfolio",
    citation=cite(
        SECTION,
        "roles.board-member",
        "Trusts / Healthcare Boards^b should have a named Board-member^c with NatSSIPs within their portfolio.",
        footnotes="bc",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.ORGANISATION,
    holds=Compare("board.natssips_portfolio_holder.board_member", "==", True),
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

NATSSIPS_LEAD = Rule(
    id="roles.natssips-lead",
    title="A named, substantive senior clinician leads NatSSIPs",
    citation=cite(
        SECTION,
        "roles.natssips-lead",
        "There should be a named, substantive senior clinician^d, **practising clinically within the invasive "
        "procedures domain**, who is responsible for strategic direction and oversight of the implementation, "
        "development and improvements related to NatSSIPs.",
        footnotes="d",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.ORGANISATION,
    holds=exists(
        "natssips_leads",
        AllOf(
            [
                Compare("person.substantive", "==", True),
                In("person.seniority", Param("senior_grades")),
                In("person.profession", Param("clinician_professions")),
                Compare("person.practises_invasive_procedures", "==", True),
                Compare("responsible_for_strategy_and_oversight", "==", True),
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

LEAD_TIME = Rule(
    id="roles.natssips-lead.time",
    title="The NatSSIPs lead has sufficient, transparently allocated job-plan time",
    citation=cite(
        SECTION,
        "roles.natssips-lead.time",
        "This individual should have sufficient, transparently allocated time within their job-plan for this role, "
        "commensurate with the size of the organisation",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.NATSSIPS_LEAD,
    holds=AllOf(
        [
            Compare("time_transparently_allocated", "==", True),
            _sized("lead_min_sessions_large", "lead_min_sessions_other", "job_plan_sessions_per_week"),
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

LEAD_ADMIN = Rule(
    id="roles.natssips-lead.admin-support",
    title="The NatSSIPs lead has sufficient, transparently allocated administrative support",
    citation=cite(
        SECTION,
        "roles.natssips-lead.admin-support",
        "This individual should have sufficient, transparently allocated administrative support for the role, "
        "commensurate with the size of the organisation",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.NATSSIPS_LEAD,
    holds=AllOf(
        [
            Compare("admin_support_transparently_allocated", "==", True),
            _sized("lead_min_admin_wte_large", "lead_min_admin_wte_other", "admin_support_wte"),
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

LEAD_AUTHORITY = Rule(
    id="roles.natssips-lead.authority",
    title="The NatSSIPs lead can obtain support from across the organisation",
    citation=cite(
        SECTION,
        "roles.natssips-lead.authority",
        "This individual should have the ability, and authority, to be able to obtain strategic and operational "
        "support from across the organisation including, but not limited to: Information Technology (IT); "
        "education; quality improvement support; and procurement",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.NATSSIPS_LEAD,
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

ASSURANCE = Rule(
    id="roles.assurance",
    title="The NatSSIPs lead(s) give assurance to the sites and the Board",
    citation=cite(
        SECTION,
        "roles.assurance",
        "The Trust NatSSIPs lead(s) should provide assurance to the Site and the Board on all aspects of NatSSIPs.",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.ORGANISATION,
    holds=AllOf([Compare("assurance.to_board", "==", True), Compare("assurance.to_sites", "==", True)]),
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

PUBLIC_ACCOUNT = Rule(
    id="roles.assurance.public-account",
    title="An annual, publicly available account of progress and measurable outcomes",
    citation=cite(
        SECTION,
        "roles.assurance.public-account",
        "This assurance should include at a minimum an annual, publicly available account of progress and "
        "measurable outcomes related to NatSSIPs",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.ORGANISATION,
    holds=AllOf(
        [
            WithinDays("assurance.public_account.published_on", Param("annual_max_age_days")),
            Compare("assurance.public_account.publicly_available", "==", True),
            Compare("assurance.public_account.reports_measurable_outcomes", "==", True),
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

SITE_LEAD = Rule(
    id="roles.site-lead",
    title="In a large Trust, each site has a NatSSIPs lead with allocated time",
    citation=cite(
        SECTION,
        "roles.site-lead",
        "In large Trusts, each site should have a NatSSIPs lead with allocated time to support the trust-wide remit.",
    ),
    level=Level.SHOULD,
    subject=SubjectKind.SITE,
    applies_when=is_large_trust(),
    applicability="Applies only in a large Trust.",
    holds=Compare("natssips_lead.time_allocated", "==", True),
    parameters=LARGE_TRUST_PARAMETERS,
    requirement="The site has a NatSSIPs lead with time allocated to support the trust-wide remit.",
    remediation=(
        "Record the site's NatSSIPs lead (sites[].natssips_lead) and that time is allocated for the role "
        "(time_allocated), e.g. in their job plan."
    ),
    interpretation="'Large Trust' is read by the large_trust_* parameters; 'allocated time' as time recorded for the role.",
)


def rules() -> tuple[Rule, ...]:
    """The rules of this section, in the order of the standard."""
    return (BOARD_MEMBER, NATSSIPS_LEAD, LEAD_TIME, LEAD_ADMIN, LEAD_AUTHORITY, SITE_LEAD, ASSURANCE, PUBLIC_ACCOUNT)
