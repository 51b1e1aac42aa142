"""Engines: compile a rule set once, then decide the status of each rule for each subject.

An engine is an object with a ``name`` and a ``compile(ruleset)`` method
(:class:`Engine`); what it compiles to has one method, ``decide(ctx)``
(:class:`CompiledRules`), giving for rule ``i`` of the set the status of each
subject of ``ctx.subjects(rule.subject)``, in that order. Everything else a
report holds (subjects, evidence, actions, waivers, counts) is worked out
once, the same for every engine, by :func:`natssips_rules.evaluate`.

The registry names the engines the library ships; each is imported only
when first used. The durable engine needs durable_rules, an optional extra
(``pip install 'natssips-rules[durable]'``, which compiles a C extension):
asking for it without that installed raises
:class:`~natssips_rules.errors.EngineUnavailableError` naming the extra. A new
engine is one module and one line here (or any object meeting
:class:`Engine`, passed to ``evaluate(engine=...)``; its name is the one its
reports record, so it may not take the name of an engine the library ships).
A rule set keeps what each engine object compiled from it, by the engine
object (never by its name).
"""

import functools
import importlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from natssips_rules.engine.subjects import Context
from natssips_rules.errors import ArgumentError, EngineError, EngineUnavailableError
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import RuleSet

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "MAX_COMPILED_ENGINES",
    "CompiledRules",
    "Decisions",
    "Engine",
    "check_decisions",
    "compiled",
    "get_engine",
]

#: For rule ``i`` of the rule set, the status of each of its subjects, in the order of ``ctx.subjects``.
Decisions = Sequence[Sequence[Status]]


class CompiledRules(Protocol):
    """A rule set compiled by one engine; safe to use from several threads."""

    def decide(self, ctx: Context) -> Decisions:
        """The status of every rule for every one of its subjects in ``ctx``."""
        ...


@runtime_checkable
class Engine(Protocol):
    """Something that compiles a rule set once, for deciding statuses many times."""

    @property
    def name(self) -> str:
        """The name recorded in every report this engine produces."""
        ...

    def compile(self, ruleset: RuleSet) -> CompiledRules:
        """The rule set compiled (checked for what this engine can run; may raise ``RuleError``)."""
        ...


#: The engines the library ships: name -> (module, class), imported when first used.
_REGISTRY: dict[str, tuple[str, str]] = {
    "durable": ("natssips_rules.engine.durable", "DurableEngine"),
    "reference": ("natssips_rules.engine.reference", "ReferenceEngine"),
}

#: The engines that need an optional dependency: name -> (the module it imports, the extra that installs it).
_REQUIRES: dict[str, tuple[str, str]] = {
    "durable": ("durable_rules_engine", "durable"),
}

#: The names of the engines the library ships.
ENGINES: tuple[str, ...] = tuple(_REGISTRY)
#: The engine ``evaluate`` uses unless told otherwise.
DEFAULT_ENGINE = "reference"


@functools.cache
def _shipped(name: str) -> Engine:
    """The one object of the engine the library ships under ``name`` (so what it compiles is kept and found again)."""
    module, cls = _REGISTRY[name]
    found: Engine = getattr(_import_engine(name, module), cls)()
    return found


def get_engine(engine: "str | Engine") -> Engine:
    """The engine named ``engine`` (or ``engine`` itself, if it is one).

    An engine object that is not one the library ships may not take the name of one (``"reference"``,
    ``"durable"``): its reports would pass for that engine's.
    """
    if isinstance(engine, str):
        if engine not in _REGISTRY:
            raise ArgumentError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}", argument="engine")
        return _shipped(engine)
    if not isinstance(engine, Engine):
        raise ArgumentError(
            f"expected the name of an engine ({', '.join(ENGINES)}) or an Engine, not {type(engine).__name__}", argument="engine"
        )
    name = engine.name
    if not isinstance(name, str) or not name:
        raise ArgumentError("an engine's name is non-empty text (reports record it)", argument="engine")
    if name in _REGISTRY and (type(engine).__module__, type(engine).__qualname__) != _REGISTRY[name]:
        raise ArgumentError(
            f"an engine named {name!r} is the library's own; give {type(engine).__name__} another name", argument="engine"
        )
    return engine


def _import_engine(engine: str, module: str) -> object:
    """The module of the engine named ``engine``; ``EngineUnavailableError`` if the package it needs does not import."""
    required = _REQUIRES.get(engine)
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if required is None or exc.name != required[0]:
            raise
        needed, extra = required
        missing = isinstance(exc, ModuleNotFoundError) or "None in sys.modules" in str(exc)
        why = "is not installed" if missing else f"is installed but does not import ({exc})"
        hint = (
            ' (on Python 3.13 durable_rules 2.0.28 must be built with CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject")'
            if not missing and "PyEval_CallObject" in str(exc)
            else ""
        )
        raise EngineUnavailableError(
            f"the {engine!r} engine needs durable_rules ({needed}), which {why}: install the {extra!r} extra "
            f"(pip install 'natssips-rules[{extra}]', or '.[{extra}]' from a checkout; it compiles a C extension, so it needs a C compiler and the "
            f"Python headers){hint}, or use the reference engine (the default), which gives the same report",
            engine=engine,
            extra=extra,
            module=needed,
        ) from None


#: The most engine objects whose compiled forms one rule set keeps (beyond it, the oldest is compiled again if used).
MAX_COMPILED_ENGINES = 8


def compiled(engine: Engine, ruleset: RuleSet) -> CompiledRules:
    """``ruleset`` compiled by ``engine``: done once per rule set and engine object, then kept with the rule set."""
    with ruleset.compile_lock:
        for holder, found in ruleset.compiled_forms:
            if holder is engine:
                return found  # type: ignore[return-value]
        ruleset.verify()  # the rules compiled are the rules the digest describes
        made = engine.compile(ruleset)
        forms = ruleset.compiled_forms
        forms.append((engine, made))
        # a caller that makes a new engine object for every evaluation would otherwise grow the rule set (and the
        # search above) without end: the oldest engine's form is let go beyond MAX_COMPILED_ENGINES
        engines = [index for index, (holder, _) in enumerate(forms) if isinstance(holder, Engine)]
        if len(engines) > MAX_COMPILED_ENGINES:
            del forms[engines[0]]
        return made


def check_decisions(decisions: Decisions, ruleset: RuleSet, ctx: Context, engine: str) -> None:
    """Raise ``EngineError`` unless ``decisions`` has one status for every rule and subject."""
    if len(decisions) != len(ruleset):
        raise EngineError(f"engine {engine!r} decided {len(decisions)} rules of {len(ruleset)}")
    for rule, statuses in zip(ruleset, decisions, strict=True):
        if len(statuses) != len(ctx.subjects(rule.subject)):
            raise EngineError(f"engine {engine!r} gave {len(statuses)} statuses for rule {rule.id!r}, not one per subject")
