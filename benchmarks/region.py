"""A generated region: organisations of all four nations and kinds, over quarters, some tailored (deterministic: seeded).

    PYTHONPATH=. python benchmarks/region.py OUT_FOLDER [--organisations 40] [--quarters 4] [--size medium]

Writes one report per organisation and quarter (OUT_FOLDER/<id>-<date>.json),
evaluated with the organisation's own rule set: every fifth organisation
tailors the built-in rules (examples/northvale-tailoring.toml), every seventh
adds the Northvale local rules. The organisations improve quarter by quarter
(gaps close, as they would with an action plan) and carry actions, some
overdue. People are named ("Dr Given Family-N"), so a reader can check that
the overview names none of them. Then run ``natssips-rules overview OUT_FOLDER``.
"""

import argparse
import copy
import datetime
import pathlib
import random
import sys
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from orgs import organisation

ROOT = pathlib.Path(__file__).parent.parent
NATIONS = {
    "england": ["nhs_foundation_trust", "nhs_trust", "independent_provider"],
    "wales": ["health_board"],
    "scotland": ["health_board"],
    "northern_ireland": ["health_and_social_care_trust"],
}
QUARTER_ENDS = [(6, 30), (9, 30), (12, 31), (3, 31)]
PLACES = [
    "Ashford",
    "Brackley",
    "Calder",
    "Dunmore",
    "Elswick",
    "Farrow",
    "Glenmoor",
    "Holloway",
    "Inchmarsh",
    "Kelby",
    "Larkhill",
    "Morven",
    "Netherby",
    "Orwell",
    "Penrhos",
    "Quarrington",
    "Rathmore",
    "Selby",
    "Tarwin",
    "Upton",
]


def quarter_end(index: int) -> datetime.date:
    """The end of quarter ``index`` of the year from April 2025 (0: 30 June 2025)."""
    month, day = QUARTER_ENDS[index % 4]
    year = 2025 + (index + 1) // 4
    return datetime.date(year, month, day)


def _worsen(data: dict[str, Any], rng: random.Random, amount: float) -> None:
    """Open some gaps (more in earlier quarters): flags set to false, leads removed."""
    for site in data.get("sites", []):
        if rng.random() < amount:
            site["represented_on_steering_group"] = False
        if rng.random() < amount / 2:
            site.pop("natssips_lead", None)
    for specialty in data.get("specialties", []):
        if rng.random() < amount:
            specialty["lead_represented_on_steering_group"] = False
    if rng.random() < amount:
        data["escalation"]["risk_assessment"] = False
    if rng.random() < amount:
        data["assurance"]["to_sites"] = False
    if rng.random() < amount:
        data["patient_safety_specialists"]["natssips_in_strategic_remit"] = False


def facts(number: int, quarter: int, *, size: str = "medium") -> dict[str, Any]:
    """The facts of organisation ``number`` at the end of quarter ``quarter`` (0 is the earliest)."""
    rng = random.Random(f"region-{number}")
    nation = list(NATIONS)[number % 4]
    kind = NATIONS[nation][(number // 4) % len(NATIONS[nation])]
    data = organisation(size, number)
    place = PLACES[number % len(PLACES)] + ("" if number < len(PLACES) else f" {number // len(PLACES) + 1}")
    words = {
        "nhs_foundation_trust": "NHS Foundation Trust",
        "nhs_trust": "NHS Trust",
        "independent_provider": "Hospitals Ltd",
        "health_board": "Health Board",
        "health_and_social_care_trust": "Health and Social Care Trust",
    }
    data.update(id=f"org-{number:03d}", name=f"{place} {words[kind]}", nation=nation, kind=kind)
    for i, person in enumerate(data.get("people", [])):
        person["name"] = f"Dr Given{number} Family-{i}"
    when = quarter_end(quarter)
    data["as_of"] = when.isoformat()
    state = copy.deepcopy(data)
    _worsen(state, random.Random(f"region-{number}-{quarter}"), max(0.0, 0.8 - 0.25 * quarter) * (0.5 + rng.random()))
    state["actions"] = [
        {
            "id": f"A{j}",
            "rule": rule,
            "description": f"Close the gap in {rule}",
            "owner": f"Dr Given{number} Family-{j}",
            "due": (when - datetime.timedelta(days=rng.choice([-90, -30, 20, 45]))).isoformat(),
            "state": rng.choice(["planned", "in_progress"]),
        }
        for j, rule in enumerate(["roles.steering-group.sites", "staffing.escalation", "roles.assurance"][: rng.randint(0, 3)])
    ]
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--organisations", type=int, default=40)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--engine", default="reference")
    args = parser.parse_args(argv)
    import natssips_rules as nr

    tailoring = nr.load_rules_file(ROOT / "examples/northvale-tailoring.toml")
    local = nr.load_rules_file(ROOT / "examples/northvale-local-rules.toml")
    args.out.mkdir(parents=True, exist_ok=True)
    for number in range(args.organisations):
        files = ([tailoring] if number % 5 == 2 else []) + ([local] if number % 7 == 3 else [])
        rules = nr.compose_files(files) if files else None
        for quarter in range(args.quarters):
            report = nr.evaluate(nr.load_facts(facts(number, quarter, size=args.size)), rules=rules, engine=args.engine)
            (args.out / f"org-{number:03d}-{report.as_of.isoformat()}.json").write_text(report.to_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
