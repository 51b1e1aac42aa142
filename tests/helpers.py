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


class PoisonEngine:
    """The reference engine, except for organisations whose id asks for trouble (for batch tests).

    An id starting ``die`` kills its own process (SIGKILL), ``abort`` aborts
    it (SIGABRT, as a crashing C engine would), ``hang`` never returns.
    """

    name = "poison"

    def compile(self, ruleset: nr.RuleSet) -> "Poisoned":
        from natssips_rules.engine import get_engine

        return Poisoned(get_engine("reference").compile(ruleset))


class UnstartableEngine(PoisonEngine):
    """An engine no worker process can unpack: each worker ends (exit status 3) as it starts (for batch tests)."""

    def __reduce__(self) -> Any:
        return (_cannot_start, ())


def _cannot_start() -> None:
    raise SystemExit(3)


class Poisoned:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def decide(self, ctx: Any) -> Any:
        import os
        import signal
        import time

        if ctx.org.id.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        if ctx.org.id.startswith("abort"):
            os.abort()
        if ctx.org.id.startswith("hang"):
            time.sleep(3600)
        return self.inner.decide(ctx)
