"""Realistic organisations by size, for the benchmarks (deterministic: seeded).

small        1 site,    5 specialties,    ~30 people
medium       3 sites,  15 specialties,   ~120 people
large        8 sites,  40 specialties,   ~400 people
extra_large 30 sites, 150 specialties, ~3,000 people

Each is valid facts (as plain data) with a realistic mix: most facts known,
some gaps and some unknowns, so every status occurs.
"""

import random
from typing import Any

from natssips_rules.facts.model import STAFFING_FACTOR_FIELDS

SIZES: dict[str, tuple[int, int, int]] = {
    "small": (1, 5, 30),
    "medium": (3, 15, 120),
    "large": (8, 40, 400),
    "extra_large": (30, 150, 3000),
}

PROFESSIONS = ["medical", "nursing", "allied_health_professional", "midwifery", "pharmacy", "healthcare_science", "management"]
SUPPORT = ["information_technology", "education", "quality_improvement", "procurement", "clinical_governance"]
RESPONSIBILITIES = [
    "strategic_oversight",
    "data_review",
    "board_assurance",
    "governance_updates",
    "policy_sign_off",
    "beyond_checklists",
    "human_factors",
    "strategy_alignment",
]
SOURCES = ["agency_staffing_rates", "staff_turnover", "cultural_surveys", "staffing_algorithms", "incident_reports", "audit"]


def organisation(size: str, seed: int = 0) -> dict[str, Any]:
    """Facts of one organisation of ``size``, as plain data (``seed`` varies the details)."""
    n_sites, n_specialties, n_people = SIZES[size]
    rng = random.Random(f"{size}-{seed}")

    def maybe(value: Any, known: float = 0.9) -> Any:
        return value if rng.random() < known else None

    def flag(yes: float = 0.8) -> bool | None:
        return maybe(rng.random() < yes)

    people = []
    for i in range(n_people):
        people.append(
            {
                "id": f"p{i}",
                "name": f"Person {i}",
                "profession": maybe(rng.choice(PROFESSIONS)),
                "seniority": maybe(rng.choice(["senior", "middle", "junior"])),
                "substantive": flag(0.85),
                "practises_invasive_procedures": flag(0.7),
                "in_training": flag(0.15),
                "board_member": maybe(i < 12),
                "site": maybe(f"s{i % n_sites}"),
            }
        )
    sites = []
    for i in range(n_sites):
        site: dict[str, Any] = {"id": f"s{i}", "name": f"Site {i}", "represented_on_steering_group": flag(0.85)}
        if rng.random() < 0.9:
            site["natssips_lead"] = {
                "person": f"p{rng.randrange(n_people)}",
                "sessions_per_week": maybe(rng.choice([0.5, 1.0, 1.5, 2.0])),
                "time_allocated": flag(0.8),
            }
        sites.append(site)
    specialties = []
    for i in range(n_specialties):
        specialties.append(
            {
                "id": f"sp{i}",
                "name": f"Specialty {i}",
                "performs_invasive_procedures": flag(0.85),
                "natssips_lead": maybe(f"p{rng.randrange(n_people)}", 0.85),
                "lead_has_governance_responsibility": flag(0.8),
                "lead_represented_on_steering_group": flag(0.75),
                "trainees_part_of_group": flag(0.6),
            }
        )
    leads = [
        {
            "person": "p0",
            "responsible_for_strategy_and_oversight": True,
            "job_plan_sessions_per_week": rng.choice([1.0, 1.5, 2.0, 3.0]),
            "time_transparently_allocated": flag(0.9),
            "admin_support_wte": maybe(rng.choice([0.2, 0.4, 0.6])),
            "admin_support_transparently_allocated": flag(0.8),
            "authority_to_obtain_support": rng.sample(SUPPORT, k=rng.randint(2, len(SUPPORT))),
            "chairs_steering_group": True,
        }
    ]
    members = sorted({f"p{rng.randrange(n_people)}" for _ in range(min(n_people, 12 + n_sites * 2))} | {"p0"})
    factors = {
        name: {"described_by_lead": flag(0.8), "informs_steering_group": flag(0.7)}
        for name in STAFFING_FACTOR_FIELDS
        if rng.random() < 0.9
    }
    data: dict[str, Any] = {
        "id": f"{size}-{seed}",
        "name": f"{size.replace('_', ' ').title()} Trust {seed}",
        "kind": "nhs_foundation_trust",
        "nation": "england",
        "as_of": "2026-03-31",
        "beds": {"small": 120, "medium": 600, "large": 1400, "extra_large": 4800}[size],
        "staff_headcount": n_people * 10,
        "people": people,
        "sites": sites,
        "specialties": specialties,
        "board": {"natssips_portfolio_holder": "p1"},
        "natssips_leads": leads,
        "steering_group": {
            "formally_constituted": True,
            "members": members,
            "responsibilities": rng.sample(RESPONSIBILITIES, k=rng.randint(5, 8)),
            "informed_by": rng.sample(SOURCES, k=rng.randint(2, 5)),
            "meetings_in_last_year": rng.randint(3, 10),
        },
        "assurance": {
            "to_board": True,
            "to_sites": flag(0.8),
            "public_account": {
                "published_on": rng.choice(["2025-06-30", "2024-11-20"]),
                "publicly_available": True,
                "reports_measurable_outcomes": flag(0.7),
            },
        },
        "patient_safety_specialists": {
            "natssips_in_strategic_remit": flag(0.7),
            "integration_with_other_roles_considered": flag(0.5),
        },
        "staffing": {
            "factors": factors,
            "agency_staffing_rate": round(rng.uniform(0.02, 0.15), 3),
            "staff_turnover_rate": round(rng.uniform(0.05, 0.2), 3),
        },
        "escalation": {"procedure_in_place": True, "risk_assessment": flag(0.8), "escalation_route": flag(0.8)},
    }
    return _without_nones(data)


def _without_nones(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nones(v) for v in value]
    return value


def count_facts(data: Any) -> int:
    """The number of scalar facts in a document (a measure of its size)."""
    if isinstance(data, dict):
        return sum(count_facts(v) for v in data.values())
    if isinstance(data, list):
        return sum(count_facts(v) for v in data)
    return 1
