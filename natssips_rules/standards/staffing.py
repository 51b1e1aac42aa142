"""Invasive Area Staffing and Resources.

Every passage of the section is a :class:`Clause` here, in the order of the
standard, and each rule sits beside the clause it cites.

NatSSIPs says it is "outside the scope of the NatSSIPs to directly quantify
these needs". No rule here passes or fails a Trust on a staffing number
(agency rate, turnover, ratios): those numbers are facts
(``staffing.agency_staffing_rate``, ``staffing.staff_turnover_rate``) for
reports and for a Trust's own local rules. What the section asks of the
organisation is an account of the eleven factors, data on them informing the
steering group, and a procedure for when procedures are stopped or delayed
for safety; those are the rules. The two factor rules are judged for each of
the eleven factors, which are always the subjects whatever the facts list.
"""

import attrs

from natssips_rules.facts.model import STAFFING_FACTOR_FIELDS, IntelligenceSource, StaffingFactors
from natssips_rules.rules.conditions import AllOf, AnyOf, Includes
from natssips_rules.rules.model import Rule, SubjectKind

from .common import Clause, yes

__all__ = ["CLAUSES", "SECTION", "rules"]

SECTION = "Invasive Area Staffing and Resources"

SUMMARY = Clause(
    id="staffing.summary",
    section=SECTION,
    kind="summary",
    text=(
        "In summary: Every Trust and service must have sufficiently skilled and knowledgeable teams to deliver "
        "invasive care safely."
    ),
    not_assessable=(
        "An 'In summary' statement: it is assessed through the clauses of its section, each at its own level. "
        "Whether teams are 'sufficiently skilled and knowledgeable' is not something NatSSIPs quantifies (see "
        "staffing.scope), so no rule judges it directly."
    ),
)

FACTORS_INTRODUCTION = Clause(
    id="staffing.factors",
    section=SECTION,
    kind="context",
    text="Safety in invasive procedures relies upon:",
    not_assessable=(
        "Introduces factors i-xi; it asks nothing of a Trust by itself. The factors are judged one by one by "
        "staffing.account and staffing.intelligence."
    ),
)


#: The eleven factors, in the standard's words, by the facts field that records each (StaffingFactors).
FACTOR_TEXTS: dict[str, str] = {
    "permanent_vs_agency": "Having sufficient numbers of permanent staff vs agency staff.",
    "trained_and_competent": "Appropriately trained and competent staff (trained in specialty safety aspects).",
    "skill_mix": (
        "Appropriate skill mix, and ratios of staff with relevant primary or postgraduate qualification (qualified in specialty)."
    ),
    "rested_staff": "Sufficiently rested staff who can take planned breaks during their shifts.",
    "resources": "Appropriate resources to plan for and perform the planned procedure.",
    "list_planning": "List planning and scheduling that includes adequate preparation time.",
    "patient_flow": "Flow in and out of the invasive procedures (e.g. ward beds, critical care facilities).",
    "supportive_culture": (
        "A supportive culture and civil behaviour. Staff able to report safety concerns or exception reporting "
        "without fear of reprisal."
    ),
    "resilience_and_wellbeing": "An understanding of how to support staff with building resilience, wellness and avoiding burnout.",
    "elective_vs_emergency": "An understanding of the safety differences and risks between elective vs emergency patients.",
    "sharing_concerns": "Mechanisms, such as Team Briefs that can be used to share concerns with staff and build trust.",
}


def _factor_clause(field: str) -> Clause:
    numeral = attrs.fields_dict(StaffingFactors)[field].metadata["numeral"]
    references = ("50", "51") if numeral == "ix" else ()
    text = FACTOR_TEXTS[field] + ("^{50 51}" if references else "")
    return Clause(
        id=f"staffing.factor.{numeral}",
        section=SECTION,
        kind="factor",
        text=f"{numeral}. {text}",
        references=references,
        parent=FACTORS_INTRODUCTION,
    )


FACTOR_CLAUSES: tuple[Clause, ...] = tuple(_factor_clause(field) for field in STAFFING_FACTOR_FIELDS)

SCOPE = Clause(
    id="staffing.scope",
    section=SECTION,
    kind="context",
    text=(
        "It is outside the scope of the NatSSIPs to directly quantify these needs, and they are intimately related "
        "with the processes, resources, and culture of the rest of the organisation and the wider healthcare system."
    ),
    not_assessable=(
        "States the limit of the standard and asks nothing of a Trust. It is why no built-in rule passes or fails a "
        "Trust on a staffing number: such thresholds belong in a Trust's local rules."
    ),
)

ACCOUNT_CLAUSE = Clause(
    id="staffing.account",
    section=SECTION,
    kind="clause",
    text=(
        "The Trust NatSSIPs lead(s) should give an account of the state of these factors when describing the "
        "services within their organisation."
    ),
)

ACCOUNT = ACCOUNT_CLAUSE.rule(
    title="The NatSSIPs lead's account of the services describes the state of each staffing factor",
    judged_for=SubjectKind.STAFFING_FACTOR,
    holds=yes("described_by_lead"),
    requirement="The NatSSIPs lead(s)' account of the services describes the state of this factor.",
    remediation=(
        "Describe the state of the factor in the NatSSIPs lead's account of the services (for example the annual "
        "NatSSIPs report to the Board) and record it (staffing.factors.<factor>.described_by_lead, with the "
        "report as evidence)."
    ),
    interpretation=(
        "Judged for each of factors i-xi. The rule checks that the account describes the factor's state, never what "
        "that state is: NatSSIPs does not quantify these needs."
    ),
)

INTELLIGENCE_CLAUSE = Clause(
    id="staffing.intelligence",
    section=SECTION,
    kind="clause",
    text=(
        "Data relating to these aspects should inform the intelligence used by the NatSSIPs steering group. These "
        "may usefully include:"
    ),
)

INTELLIGENCE = INTELLIGENCE_CLAUSE.rule(
    passage="Data relating to these aspects should inform the intelligence used by the NatSSIPs steering group.",
    title="Data on each staffing factor informs the steering group's intelligence",
    judged_for=SubjectKind.STAFFING_FACTOR,
    holds=yes("informs_steering_group"),
    requirement="Data relating to this factor informs the intelligence used by the NatSSIPs steering group.",
    remediation=(
        "Bring data on the factor to the steering group (for example in its standing data pack) and record it "
        "(staffing.factors.<factor>.informs_steering_group)."
    ),
    interpretation="Judged for each of factors i-xi: 'these aspects' are the eleven factors.",
)


def _may_include(
    suffix: str, text: str, title: str, sources: tuple[IntelligenceSource, ...], interpretation: str
) -> tuple[Clause, Rule]:
    """A 'may usefully include' sub-bullet, and the rule reporting whether the group's data include it."""
    clause = Clause(
        id=f"staffing.intelligence.{suffix}",
        section=SECTION,
        kind="clause",
        text=text,
        parent=INTELLIGENCE_CLAUSE,
    )
    options = [Includes("informed_by", (source.value,)) for source in sources]
    rule = clause.rule(
        title=title,
        judged_for=SubjectKind.STEERING_GROUP,
        holds=options[0] if len(options) == 1 else AnyOf(options),
        requirement=f"The steering group's intelligence includes: {clause.quote}.",
        remediation=(
            "A suggestion of the standard, not a requirement: where useful, bring this data to the steering group "
            f"and record it in steering_group.informed_by ({', '.join(repr(s.value) for s in sources)})."
        ),
        interpretation=interpretation,
    )
    return clause, rule


_MAY_INCLUDE = (
    _may_include(
        "performance-measures",
        "Performance measures such as agency staffing rates, staff leaving rates/retention/turnover",
        "The steering group's intelligence may include staffing performance measures",
        (IntelligenceSource.AGENCY_STAFFING_RATES, IntelligenceSource.STAFF_TURNOVER),
        "Either measure the clause names (agency staffing rates, or leaving rates/retention/turnover) meets it.",
    ),
    _may_include(
        "cultural-surveys",
        "Cultural surveys (ability/opportunity to speak up, being listened to)",
        "The steering group's intelligence may include cultural surveys",
        (IntelligenceSource.CULTURAL_SURVEYS,),
        "A 'may': a finding that it is not in place is a suggestion, never a shortfall against the standard.",
    ),
    _may_include(
        "staffing-algorithms",
        "Specialty-based staffing algorithms for staffing",
        "The steering group's intelligence may include specialty-based staffing algorithms",
        (IntelligenceSource.STAFFING_ALGORITHMS,),
        "A 'may': a finding that it is not in place is a suggestion, never a shortfall against the standard.",
    ),
)

ESCALATION_CLAUSE = Clause(
    id="staffing.escalation",
    section=SECTION,
    kind="clause",
    text=(
        "There should be a clear procedure, risk assessment and escalation for when invasive procedures do not take "
        "place or are delayed due to safety concerns."
    ),
)

ESCALATION = ESCALATION_CLAUSE.rule(
    title="A procedure, risk assessment and escalation for procedures stopped or delayed for safety",
    judged_for=SubjectKind.ORGANISATION,
    holds=AllOf([yes("escalation.procedure_in_place"), yes("escalation.risk_assessment"), yes("escalation.escalation_route")]),
    requirement=(
        "There is a clear procedure, with a risk assessment and an escalation route, for when invasive procedures do "
        "not take place or are delayed due to safety concerns."
    ),
    remediation=(
        "Record the procedure (escalation.procedure_in_place), its risk assessment (escalation.risk_assessment) and "
        "escalation route (escalation.escalation_route); the approved policy evidences them."
    ),
    interpretation="'Clear' is read as written down and approved; the rule needs all three parts the clause names.",
)

#: Every passage of the section, in the order of the standard.
CLAUSES: tuple[Clause, ...] = (
    SUMMARY,
    FACTORS_INTRODUCTION,
    *FACTOR_CLAUSES,
    SCOPE,
    ACCOUNT_CLAUSE,
    INTELLIGENCE_CLAUSE,
    *(clause for clause, _ in _MAY_INCLUDE),
    ESCALATION_CLAUSE,
)


def rules() -> tuple[Rule, ...]:
    """The rules of this section, in the order of the standard."""
    return (ACCOUNT, INTELLIGENCE, *(rule for _, rule in _MAY_INCLUDE), ESCALATION)
