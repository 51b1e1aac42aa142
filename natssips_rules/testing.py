"""Hypothesis strategies for valid facts, for testing rules (built-in or local).

Install the ``test`` extra (it brings Hypothesis). Every generated value
satisfies the validators of :mod:`natssips_rules.facts` and the loader's
integrity checks: ids are unique and every reference points to a fact that
exists. Unknown (``None``) values appear everywhere a fact is optional.

>>> from hypothesis import given
>>> from natssips_rules.testing import organisations
>>> @given(organisations())
... def test_my_rule(org): ...
"""

import datetime
from typing import Any, TypeVar

from hypothesis import strategies as st

from natssips_rules import facts as f

__all__ = [
    "AS_OF",
    "dates_around",
    "natssips_leads",
    "organisations",
    "people",
    "sites",
    "specialties",
    "staffing",
    "staffing_factors",
    "steering_groups",
]

#: The default evaluation date of generated organisations.
AS_OF = datetime.date(2026, 3, 31)

T = TypeVar("T")


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def _flag() -> st.SearchStrategy[bool | None]:
    return _maybe(st.booleans())


def _number(max_value: float) -> st.SearchStrategy[float | None]:
    return _maybe(
        st.sampled_from([0.0, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0]) | st.floats(min_value=0, max_value=max_value, allow_nan=False)
    )


def dates_around(as_of: datetime.date = AS_OF, *, days: int = 800) -> st.SearchStrategy[datetime.date]:
    """Dates within ``days`` of ``as_of`` (before and after), and the edges of a year."""
    edges = [as_of - datetime.timedelta(days=d) for d in (0, 1, 365, 366, 367)] + [as_of + datetime.timedelta(days=1)]
    spread = st.integers(min_value=-days, max_value=days).map(lambda d: as_of - datetime.timedelta(days=d))
    return st.sampled_from(edges) | spread


def _subset(enum_cls: Any) -> st.SearchStrategy[tuple[Any, ...] | None]:
    return _maybe(st.lists(st.sampled_from(list(enum_cls)), unique=True).map(tuple))


def people(ids: list[str], site_ids: list[str]) -> st.SearchStrategy[tuple[f.Person, ...]]:
    """One person for each id, with any mix of known and unknown attributes."""
    def person(pid: str) -> st.SearchStrategy[f.Person]:
        return st.builds(
            f.Person,
            id=st.just(pid),
            name=st.just(f"Person {pid}"),
            profession=_maybe(st.sampled_from(list(f.Profession))),
            seniority=_maybe(st.sampled_from(list(f.Seniority))),
            substantive=_flag(),
            practises_invasive_procedures=_flag(),
            in_training=_flag(),
            board_member=_flag(),
            site=_maybe(st.sampled_from(site_ids)) if site_ids else st.none(),
        )

    return st.tuples(*[person(pid) for pid in ids])


def _ref(ids: list[str]) -> st.SearchStrategy[str | None]:
    return _maybe(st.sampled_from(ids)) if ids else st.none()


def sites(ids: list[str], person_ids: list[str]) -> st.SearchStrategy[tuple[f.Site, ...]]:
    """One site for each id, each with or without a site lead."""
    def site(sid: str) -> st.SearchStrategy[f.Site]:
        lead = (
            _maybe(
                st.builds(
                    f.SiteLead,
                    person=st.sampled_from(person_ids),
                    sessions_per_week=_number(10),
                    time_allocated=_flag(),
                )
            )
            if person_ids
            else st.none()
        )
        return st.builds(
            f.Site,
            id=st.just(sid),
            name=st.just(f"Site {sid}"),
            natssips_lead=lead,
            represented_on_steering_group=_flag(),
        )

    return st.tuples(*[site(sid) for sid in ids])


def specialties(count: int, person_ids: list[str]) -> st.SearchStrategy[tuple[f.Specialty, ...]]:
    """``count`` specialties, each with or without a lead."""
    def specialty(index: int) -> st.SearchStrategy[f.Specialty]:
        return st.builds(
            f.Specialty,
            id=st.just(f"sp{index}"),
            name=st.just(f"Specialty {index}"),
            performs_invasive_procedures=_flag(),
            natssips_lead=_ref(person_ids),
            lead_has_governance_responsibility=_flag(),
            lead_represented_on_steering_group=_flag(),
            trainees_part_of_group=_flag(),
        )

    return st.tuples(*[specialty(i) for i in range(count)])


def natssips_leads(person_ids: list[str]) -> st.SearchStrategy[tuple[f.NatssipsLead, ...]]:
    """Zero or more NatSSIPs leads, each a different person."""
    if not person_ids:
        return st.just(())

    def lead(pid: str) -> st.SearchStrategy[f.NatssipsLead]:
        return st.builds(
            f.NatssipsLead,
            person=st.just(pid),
            responsible_for_strategy_and_oversight=_flag(),
            job_plan_sessions_per_week=_number(10),
            time_transparently_allocated=_flag(),
            admin_support_wte=_number(2),
            admin_support_transparently_allocated=_flag(),
            authority_to_obtain_support=_subset(f.SupportArea),
            chairs_steering_group=_flag(),
        )

    chosen = st.lists(st.sampled_from(person_ids), unique=True, max_size=3)
    return chosen.flatmap(lambda ids: st.tuples(*[lead(pid) for pid in ids]))


def steering_groups(person_ids: list[str]) -> st.SearchStrategy[f.SteeringGroup]:
    """A steering group whose members are drawn from the given person ids."""
    return st.builds(
        f.SteeringGroup,
        formally_constituted=_flag(),
        members=_maybe(st.lists(st.sampled_from(person_ids), unique=True).map(tuple)) if person_ids else st.none(),
        responsibilities=_subset(f.SteeringResponsibility),
        informed_by=_subset(f.IntelligenceSource),
        meetings_in_last_year=_maybe(st.integers(min_value=0, max_value=24)),
    )


def staffing_factors() -> st.SearchStrategy[f.StaffingFactors]:
    """The eleven staffing factors, each absent, blank or partly known."""
    factor = _maybe(
        st.builds(
            f.StaffingFactor,
            described_by_lead=_flag(),
            informs_steering_group=_flag(),
            state_summary=_maybe(st.sampled_from(["Stable.", "A concern: vacancies in recovery."])),
        )
    )
    return st.builds(f.StaffingFactors, **{name: factor for name in f.STAFFING_FACTOR_FIELDS})


def staffing() -> st.SearchStrategy[f.Staffing]:
    """Staffing facts: the factors and the staffing numbers (never judged by a built-in rule)."""
    return st.builds(
        f.Staffing,
        factors=_maybe(staffing_factors()),
        agency_staffing_rate=_maybe(st.floats(min_value=0, max_value=1)),
        staff_turnover_rate=_maybe(st.floats(min_value=0, max_value=1)),
    )


@st.composite
def organisations(
    draw: st.DrawFn,
    *,
    max_people: int = 12,
    max_sites: int = 5,
    max_specialties: int = 6,
    as_of: datetime.date = AS_OF,
) -> f.Organisation:
    """Whole organisations: from tiny to several sites, with unknowns everywhere."""
    n_people = draw(st.integers(min_value=0, max_value=max_people))
    n_sites = draw(st.integers(min_value=0, max_value=max_sites))
    person_ids = [f"p{i}" for i in range(n_people)]
    site_ids = [f"s{i}" for i in range(n_sites)]
    sites_known = draw(st.booleans())
    site_refs = site_ids if sites_known else []
    people_value = draw(_maybe(people(person_ids, site_refs)))
    refs = person_ids if people_value is not None else []
    return f.Organisation(
        id="org",
        name="Generated Trust",
        kind=draw(st.sampled_from(list(f.OrganisationKind))),
        nation=draw(st.sampled_from(list(f.Nation))),
        as_of=as_of,
        beds=draw(_maybe(st.sampled_from([0, 150, 999, 1000, 1500]) | st.integers(min_value=0, max_value=5000))),
        staff_headcount=draw(_maybe(st.integers(min_value=0, max_value=20000))),
        people=people_value,
        sites=draw(sites(site_ids, refs)) if sites_known else None,
        specialties=draw(_maybe(specialties(draw(st.integers(0, max_specialties)), refs))),
        board=draw(_maybe(st.builds(f.Board, natssips_portfolio_holder=_ref(refs)))),
        natssips_leads=draw(_maybe(natssips_leads(refs))),
        steering_group=draw(_maybe(steering_groups(refs))),
        assurance=draw(
            _maybe(
                st.builds(
                    f.Assurance,
                    to_board=_flag(),
                    to_sites=_flag(),
                    last_board_report_on=_maybe(dates_around(as_of)),
                    public_account=_maybe(
                        st.builds(
                            f.PublicAccount,
                            published_on=_maybe(dates_around(as_of)),
                            publicly_available=_flag(),
                            reports_measurable_outcomes=_flag(),
                        )
                    ),
                )
            )
        ),
        patient_safety_specialists=draw(
            _maybe(
                st.builds(
                    f.PatientSafetySpecialists,
                    natssips_in_strategic_remit=_flag(),
                    integration_with_other_roles_considered=_flag(),
                )
            )
        ),
        staffing=draw(_maybe(staffing())),
        escalation=draw(
            _maybe(
                st.builds(
                    f.EscalationProcedure,
                    procedure_in_place=_flag(),
                    risk_assessment=_flag(),
                    escalation_route=_flag(),
                )
            )
        ),
    )
