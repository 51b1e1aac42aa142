"""The library's errors: one base class, each subclass also the closest built-in error.

Every failure caused by what a caller passed in is one of these, and each
carries structured fields (what, where, why) so no caller needs to read the
message text:

* :class:`FactsError` - facts that are not valid (``errors``: each problem with its path);
* :class:`RuleError` - a rule or rule set that is not valid, or that an engine cannot run
  (``problems``: each with the rule, the path within it and the input key at fault);
* :class:`RulesFileError` - a rules file that is not valid (``problems``: entry, path, message);
* :class:`ReportError` - a saved report that is not valid (``errors``: each with its path);
* :class:`ArgumentError` - an argument of the wrong type or value;
* :class:`EngineError` - a defect of an engine, never a verdict on the organisation;
* :class:`EngineUnavailableError` - an engine whose optional dependency is not installed
  (``extra`` names the extra that installs it).

One warning, not an error: :class:`WorkbookWarning` - something in a facts workbook was set
aside, not read (the facts still load).
"""

from collections.abc import Sequence

import attrs

__all__ = [
    "MAX_PROBLEMS_SHOWN",
    "AnalysisError",
    "ArgumentError",
    "ConditionDataError",
    "EngineError",
    "EngineLimitError",
    "EngineUnavailableError",
    "FactsError",
    "FactsProblem",
    "JSONTextError",
    "NatssipsRulesError",
    "PathError",
    "ReportError",
    "RuleError",
    "RuleProblem",
    "RulesFileError",
    "RulesFileProblem",
    "WorkbookWarning",
]

#: The most problems an error's message lists; the rest are counted (all stay in its ``problems``).
MAX_PROBLEMS_SHOWN = 50


class NatssipsRulesError(Exception):
    """Base class of every error this library raises on purpose.

    ``problems`` lists what is wrong, each with where it is, for the errors
    about an input (facts, a report, rules, a rules file); it is empty for the
    others, whose message says it all.
    """

    problems: tuple[object, ...] = ()


def _listing(noun: str, where: str, problems: Sequence[object]) -> str:
    count = len(problems)
    shown = "\n".join(f"  - {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = f"\n  ... and {count - MAX_PROBLEMS_SHOWN:,} more" if count > MAX_PROBLEMS_SHOWN else ""
    plural = "problem" if count == 1 else "problems"
    return f"{count:,} {plural} in {noun}{where}:\n{shown}{more}"


@attrs.frozen
class FactsProblem:
    """One problem in a facts document: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FactsError(NatssipsRulesError, ValueError):
    """The facts are not valid.

    ``problems`` lists every problem found, each with the path of the value
    (``specialties[3].natssips_lead``). Nothing is half-loaded: either all the
    facts are valid, or this is raised.
    """

    def __init__(self, problems: Sequence[FactsProblem], *, source: str | None = None) -> None:
        self.problems: tuple[FactsProblem, ...] = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        super().__init__(_listing("the facts", where, self.problems))

    @property
    def errors(self) -> tuple[FactsProblem, ...]:
        """The same as ``problems`` (the name of earlier releases)."""
        return self.problems


class ReportError(NatssipsRulesError, ValueError):
    """A saved report is not valid: ``problems`` lists every problem with its path."""

    def __init__(self, problems: Sequence[FactsProblem], *, source: str | None = None) -> None:
        self.problems: tuple[FactsProblem, ...] = tuple(problems)
        self.source = source
        where = f" {source}" if source else ""
        super().__init__(_listing("the report", where, self.problems))

    @property
    def errors(self) -> tuple[FactsProblem, ...]:
        """The same as ``problems`` (the name of earlier releases)."""
        return self.problems


@attrs.frozen
class RuleProblem:
    """One problem with a rule: the rule, where in it (``holds.of[2]``), the input key at fault, and what is wrong.

    ``key`` names the part of the input the problem is about where that is not
    the rule's own data: ``"rule"`` (the id a tailoring or waiver names),
    ``"parameter"``, ``"value"``, ``"level"``, ``"subject"``.
    """

    rule_id: str | None
    path: str | None
    message: str
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.rule_id:
            parts.append(f"rule {self.rule_id!r}")
        if self.path:
            parts.append(f"at {self.path!r}")
        prefix = ", ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class RuleError(NatssipsRulesError, ValueError):
    """A rule (or rule set) is not valid, or an engine cannot run it.

    ``problems`` lists every problem found; ``rule_id``, ``path``, ``key`` and
    ``reason`` are those of the first, for the common case of one.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        rule_id: str | None = None,
        path: str | None = None,
        key: str | None = None,
        problems: Sequence[RuleProblem] = (),
    ) -> None:
        found = list(problems)
        if message is not None:
            found.insert(0, RuleProblem(rule_id, path, message, key))
        if not found:
            raise ValueError("a RuleError needs a message or problems")
        self.problems: tuple[RuleProblem, ...] = tuple(found)
        first = self.problems[0]
        self.rule_id = first.rule_id
        self.path = first.path
        self.key = first.key
        self.reason = first.message
        if len(self.problems) == 1:
            super().__init__(str(first))
        else:
            super().__init__(_listing("the rules", "", self.problems))


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
        super().__init__(_listing("the rules file", where, self.problems))


class ArgumentError(NatssipsRulesError, TypeError, ValueError):
    """An argument of the wrong type or value was passed to the library (``argument`` names it)."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}" if argument else message)


class EngineLimitError(NatssipsRulesError, ValueError):
    """An organisation is beyond what the chosen engine can run safely (e.g. too many facts for one durable session).

    Not a defect and not a verdict: the reference engine evaluates it.
    """


class EngineError(NatssipsRulesError, RuntimeError):
    """An engine failed or disagreed with its own invariants.

    This is a defect of the library or of the rules engine, never a verdict on
    the organisation: non-compliance is reported as a finding, not raised.
    """


class EngineUnavailableError(EngineError, ImportError):
    """The engine asked for needs an optional dependency that is not installed (or does not import).

    Not a defect and not a verdict: install the extra named by ``extra``
    (``pip install 'natssips-rules[durable]'``), or use the reference engine
    (the default), which gives the same report. ``engine`` names the engine,
    ``module`` the module that could not be imported.
    """

    def __init__(self, message: str, *, engine: str, extra: str, module: str) -> None:
        self.engine = engine
        self.extra = extra
        self.module = module
        super().__init__(message)
        self.name = module  # as ImportError names the module
        self.msg = message


class PathError(NatssipsRulesError, ValueError):
    """A path does not name a field of the facts model (the message says why)."""


class ConditionDataError(NatssipsRulesError, ValueError):
    """A condition in data form is malformed; ``where`` locates it and ``reason`` says why."""

    def __init__(self, message: str, where: str) -> None:
        self.where = where
        self.reason = message
        super().__init__(f"{where}: {message}")


class AnalysisError(NatssipsRulesError, RuntimeError):
    """The analysis cannot be done: the prover is not installed, or a witness did not give its status (a defect)."""


class JSONTextError(NatssipsRulesError, ValueError):
    """JSON text that cannot be read as a document: the message says why."""


class WorkbookWarning(UserWarning):
    """Something in a facts workbook was set aside, not read (a column the template does not have); the facts load.

    Issued once per workbook read, with ``warnings.warn``; the command line prints it as a warning.
    """
