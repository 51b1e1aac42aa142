"""What we still need to know: the questions whose answers would settle findings, most useful first.

Each fact a rule needs and cannot find gives its finding a reason with a
plain-English question (written once beside the field in the facts model,
with the subject's name: "How many job-plan sessions a week does Dr Osei
have for the NatSSIPs lead role?"). :func:`questions` gathers them from a
report: one entry per question, with the data path for integrators, the
findings it would help settle, and ranked by how many that is.
"""

import json
from typing import Any

import attrs

from natssips_rules.errors import ArgumentError
from natssips_rules.report.model import Report
from natssips_rules.rules.findings import Status

__all__ = ["Question", "questions", "questions_json"]


@attrs.frozen(kw_only=True)
class Question:
    """One fact the report needs, as a question: where it goes in the facts, and what answering it would settle."""

    question: str
    #: Where the answer goes in the facts (``natssips_leads[p-osei].job_plan_sessions_per_week``).
    path: str | None
    #: The findings (rule id, subject id) the answer would help settle.
    findings: tuple[tuple[str, str], ...]

    @property
    def settles(self) -> int:
        """How many findings the answer would help settle."""
        return len(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "path": self.path,
            "settles": self.settles,
            "findings": [{"rule_id": rule, "subject": subject} for rule, subject in self.findings],
        }


def questions(report: Report) -> tuple[Question, ...]:
    """The questions of ``report``'s insufficient-evidence findings, ranked by how many findings each would settle.

    Every finding that lacks evidence (waived or not) is in at least one question's ``findings``.
    """
    if not isinstance(report, Report):
        raise ArgumentError(f"expected a Report, not {type(report).__name__}", argument="report")
    found: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    for finding in report.findings:
        status = finding.underlying_status if finding.status is Status.WAIVED else finding.status
        if status is not Status.INSUFFICIENT_EVIDENCE:
            continue
        where = (finding.rule_id, finding.subject.id)
        keys = [(r.question, r.path) for r in finding.reasons if r.state == "unknown" and r.question]
        if not keys:
            # no part of the condition asked: ask for each fact the rule read and did not find, or about the finding
            keys = [
                (f"What is recorded at {item.path} for {finding.subject.name}?", item.path)
                for item in finding.evidence
                if item.value is None and not item.absent
            ]
        if not keys:
            keys = [(f"What facts would settle '{finding.title}' for {finding.subject.name}?", None)]
        for key in keys:
            if where not in found.setdefault(key, []):
                found[key].append(where)
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]), item[0][1] or "", item[0][0]))
    return tuple(Question(question=q, path=path, findings=tuple(where)) for (q, path), where in ranked)


def questions_json(report: Report) -> str:
    """The questions as JSON (for governance software to turn into a form)."""
    asked = questions(report)
    data = {
        "organisation": {"id": report.organisation.id, "name": report.organisation.name},
        "as_of": report.as_of.isoformat(),
        "questions": [q.to_dict() for q in asked],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
