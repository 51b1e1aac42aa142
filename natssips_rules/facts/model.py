"""Typed facts about one organisation.

Every class is a frozen attrs class. ``None`` always means *no evidence was
supplied*; ``False``, ``0`` and an empty list are known values. Fields that
hold the id of another fact (a person, a site) say so in their metadata
(``ref``), so the rules can follow them and the loader can check them.

Each field is declared once, here, with what the rest of the library needs
to know about it (:class:`FieldSpec`): its kind and limits (checked when an
object is made), a short ``label`` and the plain-English ``question`` a
person answers to supply it (used by reports, questions lists and
templates). Building an object in Python converts the obvious plain values
(an enumeration's value as text, a date as ``YYYY-MM-DD``, a list where a
tuple is kept) and refuses anything else with a :class:`~natssips_rules.FactsError`
naming the class, the field, the value and what is allowed; every problem of
the object is reported at once.

Limits (string length, number range, list size) keep every value inside what
the rules engines compare correctly.
"""

import datetime
import enum
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs

from natssips_rules._internal import validators as c
from natssips_rules._internal.converters import list_to_tuple
from natssips_rules.errors import FactsError, FactsProblem

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
    "FieldSpec",
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
    "field_spec",
    "problem_owner",
    "words_of",
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


class _Labelled(enum.Enum):
    """An enumeration whose members have a label for readers (the value in words, unless given)."""

    @property
    def label(self) -> str:
        value: str = self.value
        return _ENUM_LABELS.get(self, value.replace("_", " "))


class OrganisationKind(_Labelled):
    """What kind of organisation the facts describe."""

    NHS_TRUST = "nhs_trust"
    NHS_FOUNDATION_TRUST = "nhs_foundation_trust"
    HEALTH_BOARD = "health_board"
    HEALTH_AND_SOCIAL_CARE_TRUST = "health_and_social_care_trust"
    INDEPENDENT_PROVIDER = "independent_provider"


class Nation(_Labelled):
    """The UK nation the organisation is in."""

    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"


class Profession(_Labelled):
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


class Seniority(_Labelled):
    """How senior a person is, in the organisation's own grading."""

    SENIOR = "senior"
    MIDDLE = "middle"
    JUNIOR = "junior"


class SupportArea(_Labelled):
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


class SteeringResponsibility(_Labelled):
    """The responsibilities the standard lists for the steering group."""

    STRATEGIC_OVERSIGHT = "strategic_oversight"
    DATA_REVIEW = "data_review"
    BOARD_ASSURANCE = "board_assurance"
    GOVERNANCE_UPDATES = "governance_updates"
    POLICY_SIGN_OFF = "policy_sign_off"
    BEYOND_CHECKLISTS = "beyond_checklists"
    HUMAN_FACTORS = "human_factors"
    STRATEGY_ALIGNMENT = "strategy_alignment"


class ActionState(_Labelled):
    """Where an action of the organisation's plan stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class IntelligenceSource(_Labelled):
    """Kinds of data that can inform the steering group."""

    AGENCY_STAFFING_RATES = "agency_staffing_rates"
    STAFF_TURNOVER = "staff_turnover"
    CULTURAL_SURVEYS = "cultural_surveys"
    STAFFING_ALGORITHMS = "staffing_algorithms"
    INCIDENT_REPORTS = "incident_reports"
    AUDIT = "audit"


_ENUM_LABELS: dict[enum.Enum, str] = {
    OrganisationKind.NHS_TRUST: "NHS Trust",
    OrganisationKind.NHS_FOUNDATION_TRUST: "NHS Foundation Trust",
    OrganisationKind.HEALTH_BOARD: "Health Board",
    OrganisationKind.HEALTH_AND_SOCIAL_CARE_TRUST: "Health and Social Care Trust",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
    Nation.ENGLAND: "England",
    Nation.SCOTLAND: "Scotland",
    Nation.WALES: "Wales",
    Profession.ALLIED_HEALTH_PROFESSIONAL: "allied health professional",
    SupportArea.INFORMATION_TECHNOLOGY: "information technology (IT)",
    SupportArea.QUALITY_IMPROVEMENT: "quality improvement",
    SupportArea.HUMAN_RESOURCES: "human resources",
    SteeringResponsibility.POLICY_SIGN_OFF: "sign-off of NatSSIPs-related policies and procedures",
    SteeringResponsibility.BEYOND_CHECKLISTS: "reinforcing that NatSSIPs are more than checklists",
}


def words_of(value: Any) -> str:
    """A value in words: an enumeration's value by its label, a list as "a, b and c", yes/no for a boolean."""
    if isinstance(value, (list, tuple)):
        items = [words_of(v) for v in value]
        if not items:
            return "(none)"
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, str):
        for cls in _Labelled.__subclasses__():
            member = cls._value2member_map_.get(value)
            if member is not None:
                return str(member.label)  # type: ignore[attr-defined]
    return str(value)


# --------------------------------------------------------------------------
# Fields: each declared once, with its kind, limits, label and question

FieldKind = Literal[
    "id", "text", "number", "whole", "fraction", "flag", "date", "enum", "object", "ref", "items", "reflist", "evidence"
]


@attrs.frozen
class FieldSpec:
    """What the library knows about one field of the facts.

    ``kind`` is how the value is checked: ``id`` (non-blank text), ``text``,
    ``number``, ``whole`` (a whole number), ``fraction`` (a number from 0 to
    1), ``flag`` (yes/no), ``date``, ``enum`` (one value of an enumeration),
    ``object`` (a nested fact), ``ref`` (the id of another fact), ``items``
    (a list), ``reflist`` (a list of ids) or ``evidence`` (where a Board could
    see it). An ``object`` or ``ref`` field with ``absent_ok`` may hold
    ``False``: known, there is none (a site with no NatSSIPs lead, a Board with
    no portfolio holder), which is not the same as ``None``, not known.
    ``label`` names the value in a sentence ("job-plan sessions a week
    for the NatSSIPs role"); ``question`` is what a person answers to supply
    it, with ``{name}`` for the fact's owner ("How many ... does {name} have
    ...?"); ``unit`` is the unit of a number; ``unique`` says a list may not
    repeat a value.
    """

    kind: FieldKind
    label: str
    question: str | None = None
    unit: str | None = None
    unique: bool = False
    required: bool = False
    #: The facts may record that there is none (``false`` in place of the object or id).
    absent_ok: bool = False
    check: Callable[[Any], Any] = attrs.field(default=None, eq=False, repr=False)


def field_spec(cls: type[Any], name: str) -> FieldSpec:
    """The :class:`FieldSpec` of field ``name`` of facts class ``cls``."""
    spec: FieldSpec = attrs.fields_dict(cls)[name].metadata["spec"]
    return spec


_TEXT = c.text(max_length=MAX_STRING_LENGTH, empty=True)
_ID = c.text(max_length=MAX_STRING_LENGTH)
_NUMBER = c.number(minimum=0, maximum=MAX_NUMBER)
_WHOLE = c.number(minimum=0, maximum=MAX_NUMBER, whole=True)
_FRACTION = c.number(minimum=0, maximum=1, meaning="is a proportion between 0 and 1")


def _field(spec: FieldSpec, *, ref: str | None = None, converter: Callable[[Any], Any] | None = None) -> Any:
    metadata: dict[str, Any] = {"spec": spec, "unit": spec.unit}
    if ref is not None:
        metadata["ref"] = ref
    if spec.kind == "evidence":
        metadata["evidence"] = True
    if spec.required:
        return attrs.field(metadata=metadata, converter=converter)
    return attrs.field(default=None, metadata=metadata, converter=converter)


def _text(label: str, question: str | None = None, *, required: bool = False) -> Any:
    check = _ID if required else c.optional(_TEXT)
    return _field(FieldSpec("id" if required else "text", label, question, required=required, check=check))


def _absent_or(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``False`` (known: there is none), or a value ``check`` accepts."""

    def run(value: Any) -> Any:
        return value if value is False else check(value)

    return run


def _ref(target: str, label: str, question: str | None = None, *, required: bool = False, absent_ok: bool = False) -> Any:
    check = _ID if required else c.optional(_absent_or(_ID) if absent_ok else _ID)
    return _field(FieldSpec("ref", label, question, required=required, absent_ok=absent_ok, check=check), ref=target)


def _number(label: str, question: str, *, unit: str, fraction: bool = False, whole: bool = False) -> Any:
    kind: FieldKind = "fraction" if fraction else "whole" if whole else "number"
    check = _FRACTION if fraction else _WHOLE if whole else _NUMBER
    return _field(FieldSpec(kind, label, question, unit=unit, check=c.optional(check)))


def _flag(label: str, question: str) -> Any:
    return _field(FieldSpec("flag", label, question, check=c.optional(c.boolean)))


def _date(label: str, question: str | None = None, *, required: bool = False) -> Any:
    check = c.date if required else c.optional(c.date)
    return _field(FieldSpec("date", label, question, required=required, check=check))


def _enum(cls: type[enum.Enum], label: str, question: str | None = None, *, required: bool = False) -> Any:
    check = c.enum_member(cls) if required else c.optional(c.enum_member(cls))
    return _field(FieldSpec("enum", label, question, required=required, check=check))


def _enums(cls: type[enum.Enum], label: str, question: str) -> Any:
    check = c.optional(c.tuple_of(c.enum_member(cls), max_items=MAX_ITEMS, unique=True))
    return _field(FieldSpec("items", label, question, unique=True, check=check), converter=list_to_tuple)


def _object(cls: type[Any], label: str, question: str | None = None) -> Any:
    """A nested fact; ``False`` records that there is none."""
    check = c.optional(_absent_or(c.instance(cls, f"a {cls.__name__}")))
    return _field(FieldSpec("object", label, question, absent_ok=True, check=check))


def _items(cls: type[Any], label: str, question: str | None = None) -> Any:
    check = c.optional(c.tuple_of(c.instance(cls, f"a {cls.__name__}"), max_items=MAX_ITEMS))
    return _field(FieldSpec("items", label, question, check=check), converter=list_to_tuple)


def _evidence(label: str = "where the evidence can be seen") -> Any:
    return _field(FieldSpec("evidence", label, check=c.optional(c.instance(EvidenceRef, "an EvidenceRef"))))


def _checks(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
    found = _CHECKS.get(cls)
    if found is None:
        extra = [f.name for f in attrs.fields(cls) if "spec" not in f.metadata]
        if extra:  # a caller's subclass with fields of its own: nothing in the library reads or checks them
            raise FactsError(
                [
                    FactsProblem(
                        f"{cls.__name__}.{name}",
                        "is not a field of the facts model (a subclass of a facts class cannot add fields; keep your "
                        "own data beside the facts)",
                    )
                    for name in extra
                ]
            )
        found = _CHECKS[cls] = tuple(
            (f.name, f.metadata["spec"].check, c.accepts_none(f.metadata["spec"].check)) for f in attrs.fields(cls)
        )
    return found


_CHECKS: dict[type[Any], tuple[tuple[str, Callable[[Any], Any], bool], ...]] = {}


def problem_owner(name: str, ident: object) -> str:
    """How a problem found when an object is made names it: ``Person['p-osei']`` when its ``id`` is usable text
    (so the entry at fault can be found among hundreds built from a database), else the class, ``Person``."""
    if isinstance(ident, str) and ident.strip() and len(ident) <= 200 and ident.isprintable():
        return f"{name}[{str(ident)!r}]"
    return name


def _refuse_bad_fields(self: Any) -> None:
    """Check every field of a facts object; keep converted values; raise one FactsError with every problem."""
    problems = c.check_fields(self, _checks(type(self)))
    if problems:
        owner = problem_owner(type(self).__name__, getattr(self, "id", None))
        raise FactsError([FactsProblem(f"{owner}.{field}", message) for field, message in problems])


class _Checked:
    """Base of the facts classes: every field is checked when an object is made."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        _refuse_bad_fields(self)


# --------------------------------------------------------------------------
# The facts


@attrs.frozen(kw_only=True)
class EvidenceRef(_Checked):
    """Where a Board could see the evidence for a fact ("show me")."""

    title: str = _text("the document's title", required=True)
    date: datetime.date | None = _date("the document's date")
    url: str | None = _text("where the document can be found")


@attrs.frozen(kw_only=True)
class Person(_Checked):
    """Someone who holds a NatSSIPs role or belongs to a NatSSIPs group."""

    id: str = _text("identifier", required=True)
    name: str = _text("name", required=True)
    profession: Profession | None = _enum(Profession, "profession", "What is {name}'s profession?")
    seniority: Seniority | None = _enum(Seniority, "seniority", "How senior is {name} in the organisation's grading?")
    #: Holds a substantive (permanent) post, not a locum or interim one.
    substantive: bool | None = _flag("holds a substantive (permanent) post", "Does {name} hold a substantive (permanent) post?")
    #: Practises clinically within the invasive procedures domain.
    practises_invasive_procedures: bool | None = _flag(
        "practises clinically in invasive procedures", "Does {name} practise clinically within the invasive procedures domain?"
    )
    #: A member of the multidisciplinary team who is in training.
    in_training: bool | None = _flag("is in training", "Is {name} a member of the multidisciplinary team in training?")
    #: Sits on the Board (the level with statutory responsibility).
    board_member: bool | None = _flag("sits on the Board", "Does {name} sit on the Board?")
    #: The site the person mainly works at.
    site: str | None = _ref("site", "main site", "At which site does {name} mainly work?")
    job_title: str | None = _text("job title", "What is {name}'s job title?")


@attrs.frozen(kw_only=True)
class Board(_Checked):
    """The Board: the level of the organisation with statutory responsibility."""

    #: The Board member with NatSSIPs within their portfolio.
    natssips_portfolio_holder: str | Literal[False] | None = _ref(
        "person",
        "Board member holding NatSSIPs in their portfolio",
        "Which Board member holds NatSSIPs within their portfolio?",
        absent_ok=True,
    )
    portfolio_evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class NatssipsLead(_Checked):
    """The organisation's NatSSIPs lead (one entry per lead where it is shared)."""

    person: str = _ref("person", "the lead", required=True)
    #: Responsible for strategic direction and oversight of NatSSIPs.
    responsible_for_strategy_and_oversight: bool | None = _flag(
        "is responsible for strategic direction and oversight of NatSSIPs",
        "Is {name} responsible for the strategic direction and oversight of NatSSIPs?",
    )
    #: Time for the role in the job plan, in programmed activities (sessions) a week.
    job_plan_sessions_per_week: float | None = _number(
        "job-plan sessions a week for the NatSSIPs lead role",
        "How many job-plan sessions a week does {name} have for the NatSSIPs lead role?",
        unit="sessions per week",
    )
    #: That time is transparently allocated in the job plan.
    time_transparently_allocated: bool | None = _flag(
        "time transparently allocated in the job plan", "Is {name}'s time for the role transparently allocated in their job plan?"
    )
    #: Administrative support for the role, in whole-time equivalents.
    admin_support_wte: float | None = _number(
        "administrative support for the role", "How much administrative support (WTE) does {name} have for the role?", unit="WTE"
    )
    #: That support is transparently allocated.
    admin_support_transparently_allocated: bool | None = _flag(
        "administrative support transparently allocated", "Is {name}'s administrative support transparently allocated?"
    )
    #: Parts of the organisation the lead has the ability and authority to obtain support from.
    authority_to_obtain_support: tuple[SupportArea, ...] | None = _enums(
        SupportArea,
        "parts of the organisation the lead has authority to obtain support from",
        "From which parts of the organisation does {name} have the ability and authority to obtain support?",
    )
    #: Chairs the organisation's NatSSIPs steering group.
    chairs_steering_group: bool | None = _flag(
        "chairs the NatSSIPs steering group", "Does {name} chair the NatSSIPs steering group?"
    )
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class SiteLead(_Checked):
    """A site's NatSSIPs lead."""

    person: str = _ref("person", "the site lead", required=True)
    sessions_per_week: float | None = _number(
        "sessions a week for the site lead role",
        "How many sessions a week does the NatSSIPs lead for {name} have for the role?",
        unit="sessions per week",
    )
    time_allocated: bool | None = _flag("time allocated for the role", "Is time allocated for the NatSSIPs lead role at {name}?")


@attrs.frozen(kw_only=True)
class Site(_Checked):
    """A hospital or other site of the organisation where invasive procedures happen."""

    id: str = _text("identifier", required=True)
    name: str = _text("name", required=True)
    #: Invasive procedures are performed at the site (so it is a relevant site, and counts towards a large Trust).
    performs_invasive_procedures: bool | None = _flag(
        "performs invasive procedures", "Are invasive procedures performed at {name}?"
    )
    natssips_lead: SiteLead | Literal[False] | None = _object(
        SiteLead, "the site's NatSSIPs lead", "Who is the NatSSIPs lead for {name}?"
    )
    #: The site is represented on the organisation's NatSSIPs steering group.
    represented_on_steering_group: bool | None = _flag(
        "represented on the NatSSIPs steering group", "Is {name} represented on the NatSSIPs steering group?"
    )


@attrs.frozen(kw_only=True)
class Specialty(_Checked):
    """A specialty group of the organisation."""

    id: str = _text("identifier", required=True)
    name: str = _text("name", required=True)
    #: The specialty performs invasive procedures (so NatSSIPs is relevant to it).
    performs_invasive_procedures: bool | None = _flag(
        "performs invasive procedures", "Does the {name} specialty perform invasive procedures?"
    )
    #: The senior clinician responsible for specialty-level governance of NatSSIPs.
    natssips_lead: str | Literal[False] | None = _ref(
        "person",
        "the specialty's NatSSIPs lead",
        "Who is the named senior clinician responsible for NatSSIPs in {name}?",
        absent_ok=True,
    )
    lead_has_governance_responsibility: bool | None = _flag(
        "lead responsible for specialty-level governance of NatSSIPs",
        "Is the {name} NatSSIPs lead responsible for specialty-level governance of NatSSIPs?",
    )
    lead_represented_on_steering_group: bool | None = _flag(
        "lead represented on the Trust NatSSIPs group", "Is the {name} NatSSIPs lead represented on the Trust NatSSIPs group?"
    )
    #: MDT members in training are a formal part of the specialty's NatSSIPs governance group.
    trainees_part_of_group: bool | None = _flag(
        "MDT members in training a formal part of its NatSSIPs group",
        "Are MDT members in training a formal part of the {name} NatSSIPs group?",
    )


@attrs.frozen(kw_only=True)
class SteeringGroup(_Checked):
    """The organisation's multidisciplinary NatSSIPs steering group."""

    formally_constituted: bool | None = _flag(
        "formally constituted", "Is the NatSSIPs steering group formally constituted (with approved terms of reference)?"
    )
    terms_of_reference: EvidenceRef | None = _evidence("terms of reference")
    #: Ids of the people who are members.
    members: tuple[str, ...] | None = _field(
        FieldSpec(
            "reflist",
            "members",
            "Who are the members of the NatSSIPs steering group?",
            unique=True,
            check=c.optional(c.tuple_of(_ID, max_items=MAX_ITEMS, unique=True)),
        ),
        ref="person",
        converter=list_to_tuple,
    )
    responsibilities: tuple[SteeringResponsibility, ...] | None = _enums(
        SteeringResponsibility, "recorded responsibilities", "Which responsibilities does the steering group's remit record?"
    )
    informed_by: tuple[IntelligenceSource, ...] | None = _enums(
        IntelligenceSource, "data informing it", "Which kinds of data inform the intelligence the steering group uses?"
    )
    meetings_in_last_year: int | None = _number(
        "meetings in the last year", "How many times has the steering group met in the last year?", unit="meetings", whole=True
    )


@attrs.frozen(kw_only=True)
class PublicAccount(_Checked):
    """The annual, publicly available account of progress and measurable outcomes."""

    published_on: datetime.date | None = _date("date published", "When was the latest annual NatSSIPs account published?")
    publicly_available: bool | None = _flag("publicly available", "Is the annual NatSSIPs account publicly available?")
    reports_measurable_outcomes: bool | None = _flag(
        "reports measurable outcomes", "Does the annual NatSSIPs account report measurable outcomes?"
    )
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class Assurance(_Checked):
    """Assurance the NatSSIPs lead(s) give to the sites and the Board."""

    to_board: bool | None = _flag(
        "assurance given to the Board", "Do the NatSSIPs lead(s) give assurance on NatSSIPs to the Board?"
    )
    to_sites: bool | None = _flag(
        "assurance given to the sites", "Do the NatSSIPs lead(s) give assurance on NatSSIPs to the sites?"
    )
    last_board_report_on: datetime.date | None = _date(
        "date of the last report to the Board", "When did the NatSSIPs lead(s) last report to the Board?"
    )
    public_account: PublicAccount | Literal[False] | None = _object(
        PublicAccount,
        "the annual public account",
        "Does {name} publish an annual, publicly available account of progress and measurable outcomes related to NatSSIPs?",
    )


@attrs.frozen(kw_only=True)
class PatientSafetySpecialists(_Checked):
    """How NatSSIPs sits with the organisation's patient safety specialists."""

    natssips_in_strategic_remit: bool | None = _flag(
        "NatSSIPs within their strategic remit", "Is NatSSIPs within the strategic remit of the patient safety specialists?"
    )
    integration_with_other_roles_considered: bool | None = _flag(
        "integration with other patient safety specialist roles considered",
        "Has the Board considered how NatSSIPs activities integrate with other patient safety specialist roles?",
    )
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class StaffingFactor(_Checked):
    """What is known about one of the eleven staffing factors (i-xi)."""

    #: The NatSSIPs lead(s)' account of the services describes the state of this factor.
    described_by_lead: bool | None = _flag(
        "described in the lead's account of the services",
        "Does the NatSSIPs lead's account of the services describe the state of {name}?",
    )
    #: Data relating to this factor informs the intelligence used by the steering group.
    informs_steering_group: bool | None = _flag(
        "data informing the steering group", "Does data on {name} inform the intelligence used by the NatSSIPs steering group?"
    )
    #: The state of the factor in the organisation's own words (for reports; never judged).
    state_summary: str | None = _text("state in the organisation's own words", "How would you summarise the state of {name}?")
    evidence: EvidenceRef | None = _evidence()


def _factor(numeral: str, label: str) -> Any:
    spec = FieldSpec(
        "object", label, absent_ok=True, check=c.optional(_absent_or(c.instance(StaffingFactor, "a StaffingFactor")))
    )
    return attrs.field(default=None, metadata={"spec": spec, "unit": None, "numeral": numeral, "label": label})


@attrs.frozen(kw_only=True)
class StaffingFactors(_Checked):
    """The eleven factors on which safety in invasive procedures relies, one field each, in the standard's order.

    Each field's metadata holds the factor's numeral (i-xi) and a short label;
    the factors' own words are in ``natssips_rules.standards.staffing``.
    """

    permanent_vs_agency: StaffingFactor | Literal[False] | None = _factor("i", "permanent vs agency staff")
    trained_and_competent: StaffingFactor | Literal[False] | None = _factor("ii", "trained and competent staff")
    skill_mix: StaffingFactor | Literal[False] | None = _factor("iii", "skill mix")
    rested_staff: StaffingFactor | Literal[False] | None = _factor("iv", "rested staff")
    resources: StaffingFactor | Literal[False] | None = _factor("v", "resources")
    list_planning: StaffingFactor | Literal[False] | None = _factor("vi", "list planning")
    patient_flow: StaffingFactor | Literal[False] | None = _factor("vii", "patient flow")
    supportive_culture: StaffingFactor | Literal[False] | None = _factor("viii", "supportive culture")
    resilience_and_wellbeing: StaffingFactor | Literal[False] | None = _factor("ix", "resilience and wellbeing")
    elective_vs_emergency: StaffingFactor | Literal[False] | None = _factor("x", "elective vs emergency")
    sharing_concerns: StaffingFactor | Literal[False] | None = _factor("xi", "sharing concerns")


#: The staffing factors' field names, in the standard's order (i-xi).
STAFFING_FACTOR_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(StaffingFactors))


@attrs.frozen(kw_only=True)
class Staffing(_Checked):
    """Invasive area staffing: the eleven factors, and the organisation's staffing numbers.

    The numbers are facts for local rules and reports: NatSSIPs itself does
    not quantify staffing needs, and no built-in rule judges them.
    """

    factors: StaffingFactors | Literal[False] | None = _object(
        StaffingFactors, "the eleven staffing factors", "What does {name} record about each of the eleven staffing factors?"
    )
    agency_staffing_rate: float | None = _number(
        "agency staffing rate",
        "What proportion of shifts in invasive areas is filled by agency staff?",
        unit="proportion of shifts",
        fraction=True,
    )
    staff_turnover_rate: float | None = _number(
        "staff turnover rate", "What proportion of invasive area staff leave in a year?", unit="proportion a year", fraction=True
    )


@attrs.frozen(kw_only=True)
class EscalationProcedure(_Checked):
    """What happens when invasive procedures do not take place or are delayed for safety."""

    procedure_in_place: bool | None = _flag(
        "a clear procedure in place",
        "Is there a clear procedure for when invasive procedures do not take place or are delayed due to safety concerns?",
    )
    risk_assessment: bool | None = _flag(
        "a risk assessment", "Does the procedure for invasive procedures stopped or delayed for safety include a risk assessment?"
    )
    escalation_route: bool | None = _flag(
        "an escalation route",
        "Does the procedure for invasive procedures stopped or delayed for safety include an escalation route?",
    )
    evidence: EvidenceRef | None = _evidence()


@attrs.frozen(kw_only=True)
class Action(_Checked):
    """An action of the organisation's own plan to meet a rule (as a Board Assurance Framework holds).

    Actions are shown beside the findings they address; they never change a status.
    """

    id: str = _text("identifier", required=True)
    #: The id of the rule the action addresses (a built-in or a local rule).
    rule: str = _text("the rule it addresses", required=True)
    #: The id of the subject it addresses (a site, specialty, ...); leave out for every subject of the rule.
    subject: str | None = _text("the subject it addresses")
    description: str = _text("description", required=True)
    owner: str | None = _text("owner")
    lead_committee: str | None = _text("lead committee")
    due: datetime.date | None = _date("due date")
    state: ActionState | None = _enum(ActionState, "state")


@attrs.frozen(kw_only=True)
class Organisation(_Checked):
    """One Trust, Health Board or provider, as at a date."""

    id: str = _text("identifier", required=True)
    name: str = _text("name", required=True)
    kind: OrganisationKind = _enum(OrganisationKind, "kind of organisation", required=True)
    nation: Nation = _enum(Nation, "nation", required=True)
    #: The date the facts describe; evaluation judges "annual" and the like against it.
    as_of: datetime.date = _date("date the facts describe", required=True)
    beds: int | None = _number("beds", "How many beds does {name} have?", unit="beds", whole=True)
    #: The professions that take part in the organisation's invasive procedures ("all relevant professions").
    invasive_procedure_professions: tuple[Profession, ...] | None = _enums(
        Profession,
        "professions taking part in its invasive procedures",
        "Which professions take part in {name}'s invasive procedures?",
    )
    #: Members of the multidisciplinary team in training work in the organisation's invasive procedure areas.
    mdt_trainees_in_invasive_areas: bool | None = _flag(
        "MDT members in training working in its invasive procedure areas",
        "Do members of the multidisciplinary team in training work in {name}'s invasive procedure areas?",
    )
    staff_headcount: int | None = _number("staff headcount", "How many staff does {name} employ?", unit="people", whole=True)
    people: tuple[Person, ...] | None = _items(Person, "people")
    sites: tuple[Site, ...] | None = _items(Site, "sites", "Which sites does {name} have where invasive procedures happen?")
    specialties: tuple[Specialty, ...] | None = _items(Specialty, "specialties", "Which specialty groups does {name} have?")
    board: Board | Literal[False] | None = _object(
        Board, "the Board", "Which member of the Board of {name} holds NatSSIPs within their portfolio?"
    )
    natssips_leads: tuple[NatssipsLead, ...] | None = _items(NatssipsLead, "NatSSIPs leads", "Who is {name}'s NatSSIPs lead?")
    steering_group: SteeringGroup | Literal[False] | None = _object(
        SteeringGroup, "the NatSSIPs steering group", "Does {name} have a NatSSIPs steering group, and who are its members?"
    )
    assurance: Assurance | Literal[False] | None = _object(
        Assurance,
        "assurance",
        "How do the NatSSIPs lead(s) of {name} give assurance on NatSSIPs: to the Board, to the sites, and in an annual public account?",
    )
    patient_safety_specialists: PatientSafetySpecialists | Literal[False] | None = _object(
        PatientSafetySpecialists,
        "the patient safety specialists",
        "Is NatSSIPs within the strategic remit of the patient safety specialists of {name}, and has the Board considered "
        "how NatSSIPs integrates with their roles?",
    )
    staffing: Staffing | Literal[False] | None = _object(
        Staffing, "staffing of invasive areas", "What does {name} record about the staffing of its invasive areas?"
    )
    escalation: EscalationProcedure | Literal[False] | None = _object(
        EscalationProcedure,
        "the escalation procedure",
        "Does {name} have a procedure, with a risk assessment and an escalation route, for invasive procedures that do not "
        "take place or are delayed due to safety concerns?",
    )
    #: The organisation's actions towards the rules not yet met.
    actions: tuple[Action, ...] | None = _items(Action, "action plan")


# every class's field kinds must match its type hints (a guard on this module, checked once at import)
for _cls in (
    EvidenceRef,
    Person,
    Board,
    NatssipsLead,
    SiteLead,
    Site,
    Specialty,
    SteeringGroup,
    PublicAccount,
    Assurance,
    PatientSafetySpecialists,
    StaffingFactor,
    StaffingFactors,
    Staffing,
    EscalationProcedure,
    Action,
    Organisation,
):
    for _f in attrs.fields(_cls):
        if "spec" not in _f.metadata:  # pragma: no cover - a field declared without its spec
            raise TypeError(f"{_cls.__name__}.{_f.name} has no FieldSpec")
    typing.get_type_hints(_cls)
