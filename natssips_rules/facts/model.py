"""Typed facts about one organisation.

Every class is a frozen attrs class. ``None`` always means *no evidence was
supplied*; ``False``, ``0`` and an empty list are known values. Fields that
hold the id of another fact (a person, a site) say so in their metadata
(``ref``), so the rules can follow them and the loader can check them.

Limits (string length, number range, list size) keep every value inside what
the rules engine compares correctly; they are checked by the validators here
and so by :func:`natssips_rules.load_facts`.
"""

import datetime
import enum
import math
from typing import Any

import attrs

from natssips_rules._convert import list_to_tuple

__all__ = [
    "MAX_ITEMS",
    "MAX_NUMBER",
    "MAX_STRING_LENGTH",
    "STAFFING_FACTOR_FIELDS",
    "Action",
    "ActionState",
    "Assurance",
    "Board",
    "EscalationProcedure",
    "EvidenceRef",
    "IntelligenceSource",
    "Nation",
    "NatssipsLead",
    "Organisation",
    "OrganisationKind",
    "PatientSafetySpecialists",
    "Person",
    "Profession",
    "PublicAccount",
    "Seniority",
    "Site",
    "SiteLead",
    "Specialty",
    "Staffing",
    "StaffingFactor",
    "StaffingFactors",
    "SteeringGroup",
    "SteeringResponsibility",
    "SupportArea",
]

#: Longest string accepted anywhere in the facts (the engine mis-compares
#: strings of 64 KiB and more; this stays far below).
MAX_STRING_LENGTH = 2000
#: Largest magnitude of any number in the facts (integers above 2**63-1
#: saturate in the engine; this stays far below and keeps floats exact enough).
MAX_NUMBER = 1_000_000_000
#: Most items in any one list of the facts.
MAX_ITEMS = 10_000


# --------------------------------------------------------------------------
# Enumerations (the JSON value is the enum's value)


class OrganisationKind(enum.Enum):
    """What kind of organisation the facts describe."""

    NHS_TRUST = "nhs_trust"
    NHS_FOUNDATION_TRUST = "nhs_foundation_trust"
    HEALTH_BOARD = "health_board"
    HEALTH_AND_SOCIAL_CARE_TRUST = "health_and_social_care_trust"
    INDEPENDENT_PROVIDER = "independent_provider"


class Nation(enum.Enum):
    """The UK nation the organisation is in."""

    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"


class Profession(enum.Enum):
    """A person's profession (footnote d lists the clinical ones)."""

    MEDICAL = "medical"
    NURSING = "nursing"
    MIDWIFERY = "midwifery"
    PHARMACY = "pharmacy"
    ALLIED_HEALTH_PROFESSIONAL = "allied_health_professional"
    HEALTHCARE_SCIENCE = "healthcare_science"
    MANAGEMENT = "management"
    ADMINISTRATIVE = "administrative"
    OTHER = "other"


class Seniority(enum.Enum):
    """How senior a person is, in the organisation's own grading."""

    SENIOR = "senior"
    MIDDLE = "middle"
    JUNIOR = "junior"


class SupportArea(enum.Enum):
    """Parts of the organisation a NatSSIPs lead may need support from."""

    INFORMATION_TECHNOLOGY = "information_technology"
    EDUCATION = "education"
    QUALITY_IMPROVEMENT = "quality_improvement"
    PROCUREMENT = "procurement"
    CLINICAL_GOVERNANCE = "clinical_governance"
    HUMAN_RESOURCES = "human_resources"
    FINANCE = "finance"
    COMMUNICATIONS = "communications"
    ESTATES = "estates"


class SteeringResponsibility(enum.Enum):
    """The responsibilities the standard lists for the steering group."""

    STRATEGIC_OVERSIGHT = "strategic_oversight"
    DATA_REVIEW = "data_review"
    BOARD_ASSURANCE = "board_assurance"
    GOVERNANCE_UPDATES = "governance_updates"
    POLICY_SIGN_OFF = "policy_sign_off"
    BEYOND_CHECKLISTS = "beyond_checklists"
    HUMAN_FACTORS = "human_factors"
    STRATEGY_ALIGNMENT = "strategy_alignment"


class ActionState(enum.Enum):
    """Where an action of the organisation's plan stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class IntelligenceSource(enum.Enum):
    """Kinds of data that can inform the steering group."""

    AGENCY_STAFFING_RATES = "agency_staffing_rates"
    STAFF_TURNOVER = "staff_turnover"
    CULTURAL_SURVEYS = "cultural_surveys"
    STAFFING_ALGORITHMS = "staffing_algorithms"
    INCIDENT_REPORTS = "incident_reports"
    AUDIT = "audit"


# --------------------------------------------------------------------------
# Validators (limits that keep values inside what the engine handles)


class FieldValueError(ValueError):
    """A field's value breaks a limit; ``field`` names it (so errors can give its path)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _check_string(_instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if len(value) > MAX_STRING_LENGTH:
        raise FieldValueError(attribute.name, f"{len(value)} characters long; at most {MAX_STRING_LENGTH} are allowed")


def _check_id(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    _check_string(instance, attribute, value)
    if isinstance(value, str) and not value.strip():
        raise FieldValueError(attribute.name, "must not be empty")


def _check_number(_instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{attribute.name} must be a number, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldValueError(attribute.name, f"must be a finite number, not {value!r}")
    if value < 0:
        raise FieldValueError(attribute.name, f"must not be negative (got {value!r})")
    if value > MAX_NUMBER:
        raise FieldValueError(attribute.name, f"must be at most {MAX_NUMBER:,} (got {value!r})")


def _check_fraction(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    _check_number(instance, attribute, value)
    if value is not None and value > 1:
        raise FieldValueError(attribute.name, f"is a proportion between 0 and 1 (got {value!r})")


def _check_items(_instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is not None and len(value) > MAX_ITEMS:
        raise FieldValueError(attribute.name, f"has {len(value)} items; at most {MAX_ITEMS} are allowed")


def _check_unique(_instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    _check_items(_instance, attribute, value)
    if value is not None and len(set(value)) != len(value):
        raise FieldValueError(attribute.name, "lists the same value more than once")


def _text(*, required: bool = False) -> Any:
    if required:
        return attrs.field(validator=_check_id)
    return attrs.field(default=None, validator=_check_string)


def _ref(target: str, *, required: bool = False) -> Any:
    """A field holding the id of another fact (``target`` names its kind)."""
    if required:
        return attrs.field(validator=_check_id, metadata={"ref": target})
    return attrs.field(default=None, validator=_check_string, metadata={"ref": target})


def _number(*, fraction: bool = False, unit: str | None = None) -> Any:
    return attrs.field(
        default=None, validator=_check_fraction if fraction else _check_number, metadata={"unit": unit}
    )


def _flag() -> Any:
    return attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(bool)))


def _date() -> Any:
    return attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(datetime.date)))


def _enum(cls: type[enum.Enum]) -> Any:
    return attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(cls)))


def _items(*, unique: bool = False) -> Any:
    return attrs.field(default=None, converter=list_to_tuple, validator=_check_unique if unique else _check_items)


def _evidence() -> Any:
    return attrs.field(default=None, metadata={"evidence": True})


# --------------------------------------------------------------------------
# The facts


@attrs.frozen(kw_only=True)
class EvidenceRef:
    """Where a Board could see the evidence for a fact ("show me")."""

    title: str = _text(required=True)
    date: datetime.date | None = _date()
    url: str | None = _text()


@attrs.frozen(kw_only=True)
class Person:
    """Someone who holds a NatSSIPs role or belongs to a NatSSIPs group."""

    id: str = _text(required=True)
    name: str = _text(required=True)
    profession: Profession | None = _enum(Profession)
    seniority: Seniority | None = _enum(Seniority)
    #: Holds a substantive (permanent) post, not a locum or interim one.
    substantive: bool | None = _flag()
    #: Practises clinically within the invasive procedures domain.
    practises_invasive_procedures: bool | None = _flag()
    #: A member of the multidisciplinary team who is in training.
    in_training: bool | None = _flag()
    #: Sits on the Board (the level with statutory responsibility).
    board_member: bool | None = _flag()
    #: The site the person mainly works at.
    site: str | None = _ref("site")
    job_title: str | None = _text()


@attrs.frozen(kw_only=True)
class Board:
    """The Board: the level of the organisation with statutory responsibility."""

    #: The Board member with NatSSIPs within their portfolio.
    natssips_portfolio_holder: str | None = _ref("person")
    portfolio_evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class NatssipsLead:
    """The organisation's NatSSIPs lead (one entry per lead where it is shared)."""

    person: str = _ref("person", required=True)
    #: Responsible for strategic direction and oversight of NatSSIPs.
    responsible_for_strategy_and_oversight: bool | None = _flag()
    #: Time for the role in the job plan, in programmed activities (sessions) a week.
    job_plan_sessions_per_week: float | None = _number(unit="sessions per week")
    #: That time is transparently allocated in the job plan.
    time_transparently_allocated: bool | None = _flag()
    #: Administrative support for the role, in whole-time equivalents.
    admin_support_wte: float | None = _number(unit="WTE")
    #: That support is transparently allocated.
    admin_support_transparently_allocated: bool | None = _flag()
    #: Parts of the organisation the lead has the ability and authority to obtain support from.
    authority_to_obtain_support: tuple[SupportArea, ...] | None = _items(unique=True)
    #: Chairs the organisation's NatSSIPs steering group.
    chairs_steering_group: bool | None = _flag()
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class SiteLead:
    """A site's NatSSIPs lead."""

    person: str = _ref("person", required=True)
    sessions_per_week: float | None = _number(unit="sessions per week")
    time_allocated: bool | None = _flag()


@attrs.frozen(kw_only=True)
class Site:
    """A hospital or other site of the organisation where invasive procedures happen."""

    id: str = _text(required=True)
    name: str = _text(required=True)
    natssips_lead: SiteLead | None = None
    #: The site is represented on the organisation's NatSSIPs steering group.
    represented_on_steering_group: bool | None = _flag()


@attrs.frozen(kw_only=True)
class Specialty:
    """A specialty group of the organisation."""

    id: str = _text(required=True)
    name: str = _text(required=True)
    #: The specialty performs invasive procedures (so NatSSIPs is relevant to it).
    performs_invasive_procedures: bool | None = _flag()
    #: The senior clinician responsible for specialty-level governance of NatSSIPs.
    natssips_lead: str | None = _ref("person")
    lead_has_governance_responsibility: bool | None = _flag()
    lead_represented_on_steering_group: bool | None = _flag()
    #: MDT members in training are a formal part of the specialty's NatSSIPs governance group.
    trainees_part_of_group: bool | None = _flag()


@attrs.frozen(kw_only=True)
class SteeringGroup:
    """The organisation's multidisciplinary NatSSIPs steering group."""

    formally_constituted: bool | None = _flag()
    terms_of_reference: EvidenceRef | None = _evidence()
    #: Ids of the people who are members.
    members: tuple[str, ...] | None = attrs.field(
        default=None, converter=list_to_tuple, validator=_check_unique, metadata={"ref": "person"}
    )
    responsibilities: tuple[SteeringResponsibility, ...] | None = _items(unique=True)
    informed_by: tuple[IntelligenceSource, ...] | None = _items(unique=True)
    meetings_in_last_year: int | None = _number(unit="meetings")


@attrs.frozen(kw_only=True)
class PublicAccount:
    """The annual, publicly available account of progress and outcomes."""

    published_on: datetime.date | None = _date()
    publicly_available: bool | None = _flag()
    reports_measurable_outcomes: bool | None = _flag()
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class Assurance:
    """Assurance the NatSSIPs lead(s) give to the sites and the Board."""

    to_board: bool | None = _flag()
    to_sites: bool | None = _flag()
    last_board_report_on: datetime.date | None = _date()
    public_account: PublicAccount | None = None


@attrs.frozen(kw_only=True)
class PatientSafetySpecialists:
    """How NatSSIPs sits with the organisation's patient safety specialists."""

    natssips_in_strategic_remit: bool | None = _flag()
    integration_with_other_roles_considered: bool | None = _flag()
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class StaffingFactor:
    """What is known about one of the eleven staffing factors (i-xi)."""

    #: The NatSSIPs lead(s)' account of the services describes the state of this factor.
    described_by_lead: bool | None = _flag()
    #: Data relating to this factor informs the intelligence used by the steering group.
    informs_steering_group: bool | None = _flag()
    #: The state of the factor in the organisation's own words (for reports; never judged).
    state_summary: str | None = _text()
    evidence: EvidenceRef | None = _evidence()


def _factor(numeral: str, label: str) -> Any:
    return attrs.field(default=None, metadata={"numeral": numeral, "label": label})


@attrs.frozen(kw_only=True)
class StaffingFactors:
    """The eleven factors on which safety in invasive procedures relies, one field each, in the standard's order.

    Each field's metadata holds the factor's numeral (i-xi) and a short label;
    the factors' own words are in ``natssips_rules.standards.staffing``.
    """

    permanent_vs_agency: StaffingFactor | None = _factor("i", "permanent vs agency staff")
    trained_and_competent: StaffingFactor | None = _factor("ii", "trained and competent staff")
    skill_mix: StaffingFactor | None = _factor("iii", "skill mix")
    rested_staff: StaffingFactor | None = _factor("iv", "rested staff")
    resources: StaffingFactor | None = _factor("v", "resources")
    list_planning: StaffingFactor | None = _factor("vi", "list planning")
    patient_flow: StaffingFactor | None = _factor("vii", "patient flow")
    supportive_culture: StaffingFactor | None = _factor("viii", "supportive culture")
    resilience_and_wellbeing: StaffingFactor | None = _factor("ix", "resilience and wellbeing")
    elective_vs_emergency: StaffingFactor | None = _factor("x", "elective vs emergency")
    sharing_concerns: StaffingFactor | None = _factor("xi", "sharing concerns")


#: The staffing factors' field names, in the standard's order (i-xi).
STAFFING_FACTOR_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(StaffingFactors))


@attrs.frozen(kw_only=True)
class Staffing:
    """Invasive area staffing: the eleven factors, and the organisation's staffing numbers.

    The numbers are facts for local rules and reports: NatSSIPs itself does
    not quantify staffing needs, and no built-in rule judges them.
    """

    factors: StaffingFactors | None = None
    agency_staffing_rate: float | None = _number(fraction=True, unit="proportion of shifts")
    staff_turnover_rate: float | None = _number(fraction=True, unit="proportion a year")


@attrs.frozen(kw_only=True)
class EscalationProcedure:
    """What happens when invasive procedures do not take place or are delayed for safety."""

    procedure_in_place: bool | None = _flag()
    risk_assessment: bool | None = _flag()
    escalation_route: bool | None = _flag()
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class Action:
    """An action of the organisation's own plan to meet a rule (as a Board Assurance Framework holds).

    Actions are shown beside the findings they address; they never change a status.
    """

    id: str = _text(required=True)
    #: The id of the rule the action addresses (a built-in or a local rule).
    rule: str = _text(required=True)
    #: The id of the subject it addresses (a site, specialty, ...); leave out for every subject of the rule.
    subject: str | None = _text()
    description: str = _text(required=True)
    owner: str | None = _text()
    lead_committee: str | None = _text()
    due: datetime.date | None = _date()
    state: ActionState | None = _enum(ActionState)


@attrs.frozen(kw_only=True)
class Organisation:
    """One Trust, Health Board or provider, as at a date."""

    id: str = _text(required=True)
    name: str = _text(required=True)
    kind: OrganisationKind = attrs.field(validator=attrs.validators.instance_of(OrganisationKind))
    nation: Nation = attrs.field(validator=attrs.validators.instance_of(Nation))
    #: The date the facts describe; evaluation judges "annual" and the like against it.
    as_of: datetime.date = attrs.field(validator=attrs.validators.instance_of(datetime.date))
    beds: int | None = _number(unit="beds")
    staff_headcount: int | None = _number(unit="people")
    people: tuple[Person, ...] | None = _items()
    sites: tuple[Site, ...] | None = _items()
    specialties: tuple[Specialty, ...] | None = _items()
    board: Board | None = None
    natssips_leads: tuple[NatssipsLead, ...] | None = _items()
    steering_group: SteeringGroup | None = None
    assurance: Assurance | None = None
    patient_safety_specialists: PatientSafetySpecialists | None = None
    staffing: Staffing | None = None
    escalation: EscalationProcedure | None = None
    #: The organisation's actions towards the rules not yet met.
    actions: tuple[Action, ...] | None = _items()
