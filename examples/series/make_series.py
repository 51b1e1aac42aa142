"""Writes the Northvale example as it stood at the end of each quarter of 2025/26.

    PYTHONPATH=. python examples/series/make_series.py      (from the repository root)

The last quarter is examples/northvale-large-trust.json itself; the earlier
ones are the same Trust with the gaps it closed during the year still open
(and one site whose representation on the steering group lapsed in the last
quarter). Writes each quarter's facts here and its report (built-in rules,
default engine) in reports/. Used by the diff and annual account examples and
tests; a test fails when the committed reports are stale.
"""

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
LATEST = json.loads((HERE.parent / "northvale-large-trust.json").read_text())


def by_id(items, key="id"):
    return {item[key]: item for item in items}


def earlier(quarter: int) -> dict:
    """The facts at the end of quarter 1, 2 or 3 (quarter 4 is the latest example)."""
    d = copy.deepcopy(LATEST)
    d["as_of"] = {1: "2025-06-30", 2: "2025-09-30", 3: "2025-12-31"}[quarter]
    d.pop("actions", None)
    sites = by_id(d["sites"])
    specialties = by_id(d["specialties"])
    factors = d["staffing"]["factors"]
    group = d["steering_group"]
    sites["ashby-moor"]["represented_on_steering_group"] = True  # lapsed only in the last quarter
    if quarter <= 3:
        d["escalation"]["procedure_in_place"] = quarter == 3
        factors["sharing_concerns"]["described_by_lead"] = False
        specialties["cardiology"]["lead_represented_on_steering_group"] = False
    if quarter <= 2:
        group["responsibilities"] = [r for r in group["responsibilities"] if r not in ("human_factors", "strategy_alignment")]
        sites["st-aidans"]["natssips_lead"]["time_allocated"] = False
        for name in ("list_planning", "patient_flow"):
            factors[name]["described_by_lead"] = False
        d["assurance"]["to_sites"] = False
    if quarter == 1:
        group["formally_constituted"] = False
        d["patient_safety_specialists"].pop("natssips_in_strategic_remit", None)
        for name in ("trained_and_competent", "resources"):
            factors[name]["informs_steering_group"] = False
        specialties["obstetrics-gynaecology"]["lead_has_governance_responsibility"] = False
        d["natssips_leads"][0]["authority_to_obtain_support"] = ["information_technology", "education"]
    return d


def main() -> None:
    import natssips_rules as nr

    (HERE / "reports").mkdir(exist_ok=True)
    for facts in [earlier(1), earlier(2), earlier(3), LATEST]:
        name = f"northvale-{facts['as_of']}.json"
        (HERE / name).write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")
        (HERE / "reports" / name).write_text(nr.evaluate(facts).to_json(indent=2) + "\n")


if __name__ == "__main__":
    main()
