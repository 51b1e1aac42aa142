"""Helpers shared by the tests."""

import datetime
from typing import Any

import natssips_rules as nr

AS_OF = datetime.date(2026, 3, 31)


def org_data(**extra: Any) -> dict[str, Any]:
    """A minimal valid organisation as plain data, with ``extra`` keys added."""
    data: dict[str, Any] = {
        "id": "org",
        "name": "Test Trust",
        "kind": "nhs_trust",
        "nation": "england",
        "as_of": AS_OF.isoformat(),
    }
    data.update(extra)
    return data


def statuses(report: nr.Report) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.subject.id, f.status.value) for f in report.findings]


def both(org: nr.Organisation | dict[str, Any], rules: nr.RuleSet | None = None, **kwargs: Any) -> list[tuple[str, str, str]]:
    """Statuses from both engines; fails unless the whole reports agree (but for the engine name)."""
    durable = nr.evaluate(org, rules=rules, engine="durable", **kwargs)
    reference = nr.evaluate(org, rules=rules, engine="reference", **kwargs)
    a, b = durable.to_dict(), reference.to_dict()
    assert a.pop("engine") == "durable" and b.pop("engine") == "reference"
    assert a == b
    return statuses(durable)
