"""The library's errors: one base class, each subclass also a built-in error."""

from collections.abc import Sequence

import attrs

__all__ = [
    "EngineError",
    "FactsError",
    "FactsProblem",
    "NatssipsRulesError",
    "RuleError",
    "RulesFileError",
    "RulesFileProblem",
]


class NatssipsRulesError(Exception):
    """Base class of every error this library raises on purpose."""


@attrs.frozen
class FactsProblem:
    """One problem in a facts document: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FactsError(NatssipsRulesError, ValueError):
    """The facts given to :func:`natssips_rules.load_facts` are not valid.

    ``errors`` lists every problem found, each with the path of the value
    (``specialties[3].natssips_lead``). Nothing is half-loaded: either all the
    facts load, or this is raised.
    """

    def __init__(self, errors: Sequence[FactsProblem], *, source: str | None = None) -> None:
        self.errors: tuple[FactsProblem, ...] = tuple(errors)
        self.source = source
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {problem}" for problem in self.errors)
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the facts{where}:\n{lines}")


class RuleError(NatssipsRulesError, ValueError):
    """A rule (or rule set) is not valid against the facts model.

    ``rule_id`` names the rule and ``path`` the condition or field concerned.
    """

    def __init__(self, message: str, *, rule_id: str | None = None, path: str | None = None) -> None:
        self.rule_id = rule_id
        self.path = path
        self.reason = message
        parts = []
        if rule_id:
            parts.append(f"rule {rule_id!r}")
        if path:
            parts.append(f"at {path!r}")
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


@attrs.frozen
class RulesFileProblem:
    """One problem in a rules file: the rule (or tailoring, waiver) concerned, where in it, and what is wrong."""

    item: str | None
    path: str | None
    message: str

    def __str__(self) -> str:
        parts = [p for p in (self.item, f"at {self.path!r}" if self.path else None) if p]
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


class RulesFileError(NatssipsRulesError, ValueError):
    """A rules file (local rules, tailoring, waivers) is not valid.

    ``problems`` lists every problem found, each naming the rule (or tailoring
    or waiver entry) and the path within it; ``source`` names the file.
    Nothing of a bad file is used.
    """

    def __init__(self, problems: Sequence[RulesFileProblem], *, source: str | None = None) -> None:
        self.problems: tuple[RulesFileProblem, ...] = tuple(problems)
        self.source = source
        where = f" {source}" if source else ""
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the rules file{where}:\n{lines}")


class EngineError(NatssipsRulesError, RuntimeError):
    """An engine failed or disagreed with its own invariants.

    This is a defect of the library or of the rules engine, never a verdict on
    the organisation: non-compliance is reported as a finding, not raised.
    """
