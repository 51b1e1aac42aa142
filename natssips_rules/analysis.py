"""Prove properties of a rule set: which statuses each rule can give, with a witness organisation for each.

The condition language is small and closed, so each rule's conditions can be
translated into a satisfiability problem (z3) over a *symbolic organisation*,
in the same three-valued (Kleene) logic as the engines: every fact the rule
reads is either unknown or a typed value (numbers, enumerations, dates as day
numbers over the facts' whole range 0001-9999, yes/no, texts as the
constants the rule compares with or any other text), an object or reference
may be recorded absent, the evaluation date is free (or the one given), one
person may hold several roles, and every list read is unknown or known with
up to a bound of entries.

The bound of each list is computed from what the rules read of it: a list
that rules count up to n1, n2, ... needs at most (n1 + 1) + (n2 + 1) + ...
entries for every outcome of those counts (entries beyond those change no
count's truth), so a claim over such lists holds for *every* organisation.
Where that is more than :data:`MAX_BOUND`, or a rule adds up a list (a sum
can need any number of entries), the claim is *bounded* and says so in words
("for organisations with at most N entries in ...; larger ones not
analysed"): it is a note, never a problem on its own. Sums of fractional
numbers are decided in exact arithmetic while the engines add floating-point
numbers: a claim about them is marked bounded the same way.

For each rule and status the analysis answers **reachable**, with a witness
(a valid organisation for which both engines give the rule that status),
**never** (proven, or bounded as above), or **not decided** (the solver
answered unknown, the time or memory limit was reached, or no valid witness
could be built): an unknown answer is never read as proven. Ctrl-C
(``KeyboardInterrupt``, also when it reaches the solver) stops the analysis
and is raised again: nothing is claimed. :func:`analyse` takes a wall-clock
``timeout`` and a ``memory_mb`` bound for the solver; when either is
reached the result is partial and lists what was not analysed.

Needs the ``prove`` extra (``pip install 'natssips-rules[prove]'``, which
brings z3-solver).
"""

from __future__ import annotations

import ctypes
import datetime
import enum
import itertools
import math
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, assert_never

import attrs

from natssips_rules.errors import AnalysisError, ArgumentError, FactsError, NatssipsRulesError, RuleError
from natssips_rules.facts import model as m
from natssips_rules.facts.paths import ROOT, FieldInfo, fields_of, resolve_path
from natssips_rules.rules.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Count,
    Covers,
    In,
    Includes,
    IsKnown,
    Named,
    Not,
    Option,
    Param,
    Present,
    Sum,
    WithinDays,
    children,
    enum_value,
    expand_covers,
)
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import Rule, RuleSet, SubjectKind, Waiver

__all__ = [
    "DEFAULT_BOUND",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "MAX_BOUND",
    "STATUSES",
    "AnalysisError",
    "Problem",
    "RuleAnalysis",
    "SetAnalysis",
    "analyse",
    "analyse_rule",
]

#: Entries of a list a rule adds up (a sum has no bound that decides it for every organisation).
DEFAULT_BOUND = 3
#: The most entries of any one list considered; a list needing more makes the claims about it bounded.
MAX_BOUND = 24
#: The statuses an engine decides (waived is a Trust's decision, not the rule's).
STATUSES = (Status.MET, Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.NOT_APPLICABLE)
#: Wall-clock seconds one analysis (a rule set) may take by default.
DEFAULT_TIMEOUT = 60.0
#: Megabytes the solver may use by default.
DEFAULT_MEMORY_MB = 2048
#: The first and last day a fact's date may be (the facts model accepts the years 0001-9999).
FIRST_DAY = datetime.date.min.toordinal()
LAST_DAY = datetime.date.max.toordinal()


def _z3() -> Any:
    try:
        import z3
    except ImportError:  # pragma: no cover - depends on the installation
        raise AnalysisError("the analysis needs z3: pip install 'natssips-rules[prove]'") from None
    return z3


class _Stopped(Exception):
    """The time or memory limit of the analysis was reached (caught by :func:`analyse`; the result is partial)."""


class _Budget:
    """The wall-clock deadline and memory bound of one analysis, applied to every solver call."""

    def __init__(self, timeout: float | None, memory_mb: int | None) -> None:
        self.z3 = _z3()
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.memory_mb = memory_mb
        self.memory_before: Any = None
        self.stopped: str | None = None
        #: The rule being analysed, with what is found so far (for a partial result).
        self.current: Any = None
        self.interrupted = False
        self.waiting = False
        self.previous: Any = None

    # Ctrl-C is taken at safe points only (between solver calls, or while waiting for one, which it cancels):
    # an interrupt in the middle of building the solver's terms would leave them half made.

    def __enter__(self) -> _Budget:
        if self.memory_mb is not None:  # the solver's memory bound, for this analysis only
            self.memory_before = self.z3.get_param("memory_max_size")
            self.z3.set_param("memory_max_size", int(self.memory_mb))
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self.previous = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.memory_before is not None:
            self.z3.set_param("memory_max_size", self.memory_before)
            self.memory_before = None
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None
        if self.interrupted and exc[0] is None:
            raise KeyboardInterrupt

    def _on_interrupt(self, signum: int, frame: Any) -> None:
        self.interrupted = True
        if self.waiting:
            raise KeyboardInterrupt

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def tick(self) -> None:
        """Stop when the time is up (between solver calls, and between rules); raise a Ctrl-C taken meanwhile."""
        if self.interrupted:
            raise KeyboardInterrupt
        left = self.remaining()
        if left is not None and left <= 0:
            self.stopped = f"the time limit of {self.timeout:g} s was reached"
            raise _Stopped(self.stopped)

    def _interruptible(self, solver: Any) -> Any:
        """``solver.check()`` in a worker thread, so that Ctrl-C reaches Python at once and cancels the solver.

        The solver's own SIGINT handler is off: it would take an interrupt that lands in a short check and
        lose it (the check answers, the interrupt is gone).
        """
        solver.set("ctrl_c", False)
        if threading.current_thread() is not threading.main_thread():
            return solver.check()  # signals are handled in the main thread only
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["answer"] = solver.check()
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                box["error"] = exc

        worker = threading.Thread(target=work, name="natssips-rules analysis", daemon=True)
        worker.start()
        try:
            self.waiting = True
            if self.interrupted:
                raise KeyboardInterrupt
            worker.join()
        except KeyboardInterrupt:
            self.waiting = False
            # an interrupt given before the worker's check has begun is lost (the solver was idle): give it again
            # until the worker has stopped, so Ctrl-C never leaves the caller waiting on a solver that runs on
            while worker.is_alive():
                solver.ctx.interrupt()
                worker.join(0.05)
            raise
        finally:
            self.waiting = False
        if "error" in box:
            raise box["error"]
        return box["answer"]

    def check(self, solver: Any) -> str:
        """``sat``, ``unsat`` or ``unknown`` (never read as either): an interrupt is raised, the limits stop the analysis."""
        z3 = self.z3
        self.tick()
        left = self.remaining()
        if left is not None:
            solver.set("timeout", max(1, int(left * 1000)))
        try:
            answer = self._interruptible(solver)
        except z3.Z3Exception as exc:
            text = str(exc)
            if "memory" in text:
                self.stopped = f"the solver reached its memory bound of {self.memory_mb} MB"
                raise _Stopped(self.stopped) from None
            if "interrupt" in text or "cancel" in text:
                raise KeyboardInterrupt from None
            raise
        if answer == z3.sat:
            return "sat"
        if answer == z3.unsat:
            return "unsat"
        reason = solver.reason_unknown()
        if "memory" in reason:
            self.stopped = f"the solver reached its memory bound of {self.memory_mb} MB"
            raise _Stopped(self.stopped)
        if "interrupt" in reason:
            raise KeyboardInterrupt  # z3 took the Ctrl-C (SIGINT) and answered unknown: nothing is claimed
        if "cancel" in reason or reason == "timeout":
            # the solver's own time limit is the time left: before the deadline, a cancellation is the Ctrl-C
            # (SIGINT) the solver took; nothing is claimed
            left = self.remaining()
            if left is not None and left <= 0.05:
                self.tick()
                self.stopped = f"the time limit of {self.timeout:g} s was reached"
                raise _Stopped(self.stopped)
            if reason != "timeout":
                raise KeyboardInterrupt
        return "unknown"


# --------------------------------------------------------------------------
# The symbolic organisation


class _Sym:
    """A symbolic instance of a facts class: its fields' solver variables, made when a rule first reads them."""

    def __init__(self, enc: _Encoder, cls: type[Any], name: str, *, unknown: bool = False, in_list: str | None = None) -> None:
        self.enc = enc
        self.cls = cls
        self.name = name
        self.fields: dict[str, _Field] = {}
        #: An entry of a list that is not known: every field of its own is unknown (even those a real entry must have).
        self.unknown = unknown
        #: The list this is an entry of (entries of one list never share an id).
        self.in_list = in_list
        enc.syms.append(self)

    def field(self, name: str) -> _Field:
        found = self.fields.get(name)
        if found is None:
            info = fields_of(self.cls)[name]
            found = self.fields[name] = _Field(self.enc, info, f"{self.name}.{name}", self.cls, unknown=self.unknown)
        return found


class _Field:
    """One field of a symbolic object.

    ``state``: 0 not known, 1 known absent (objects and references that may be), 2 known.
    A scalar has a ``value``; an object or reference a ``target``; an enumerated set
    one yes/no per ``members``; a list a ``length`` and ``items`` (entry i exists when i < length).
    """

    def __init__(self, enc: _Encoder, info: FieldInfo, name: str, owner: type[Any], *, unknown: bool = False) -> None:
        z3 = enc.z3
        self.info = info
        self.name = name
        enc.names.add(name)
        self.state = z3.Int(f"{name}?")
        low_state = 1 if info.kind in ("object", "ref") and info.absent_ok else 2
        spec = m.field_spec(owner, info.name)
        if unknown:
            enc.facts.append(self.state == 0)
        elif spec.required:
            enc.facts.append(self.state == 2)
        else:
            enc.facts.append(z3.Or(self.state == 0, z3.And(self.state >= low_state, self.state <= 2)))
        self.value: Any = None
        self.target: _Sym | None = None
        self.members: dict[Any, Any] = {}
        self.items: list[_Sym] = []
        self.length: Any = None
        kind, tp = info.kind, info.type
        if kind in ("ref", "reflist"):
            enc.referenced.add(tp)
        if kind == "scalar":
            self.value = enc.scalar(tp, name)
            if spec.kind == "fraction":
                enc.facts.append(self.value <= 1)
            if tp is float:
                enc.floats = True
        elif kind in ("object", "ref"):
            self.target = _Sym(enc, tp, name)
        elif kind == "enumset":
            self.members = {member: z3.Bool(f"{name}:{member.value}") for member in tp}
        elif kind in ("collection", "reflist"):
            bound = enc.bound_for(info.name)
            self.length = z3.Int(f"{name}#")
            enc.facts.append(z3.And(self.length >= 0, self.length <= bound))
            self.items = [_Sym(enc, tp, f"{name}[{i}]", in_list=name) for i in range(bound)]

    def exists(self, i: int) -> Any:
        return self.length > i


@attrs.frozen
class _Read:
    """What reading a path gives: not known (``missing``), known absent (``absent``), else the field's value."""

    missing: Any
    absent: Any
    field: _Field


@attrs.frozen
class _Plan:
    """What the rules compared read: each list's bound, the texts they name, and what makes a claim bounded."""

    bounds: dict[str, int]
    strings: tuple[str, ...]
    #: Why a "never" claim is bounded, in words (empty: the claims hold for every organisation).
    bounded: tuple[str, ...]


class _Encoder:
    """Translates the conditions of one rule (or two, for a comparison) over one symbolic organisation."""

    def __init__(self, plan: _Plan, *, as_of: datetime.date | None = None, free_options: bool = False) -> None:
        self.z3 = _z3()
        self.facts: list[Any] = []  # constraints every organisation meets
        self.plan = plan
        self.bounds = plan.bounds
        self.strings = plan.strings
        self.string_codes = {text: i for i, text in enumerate(plan.strings)}
        self.syms: list[_Sym] = []
        self.names: set[str] = set()
        self.floats = False
        self.free_options = free_options
        #: Parts of a rule read as a given truth instead (by identity): the rule without a part.
        self.replace: dict[int, tuple[Any, Any]] = {}
        #: The classes some reference leads to, and the organisation's fields a rule reads.
        self.referenced: set[type[Any]] = set()
        self.counted: set[str] = set()
        self.reads_as_of = False
        #: The full names of the facts read (the leaves of the paths).
        self.leaves: set[str] = set()
        self.root = _Sym(self, m.Organisation, "org")
        self.as_of = as_of
        # the evaluation date: the one given, else the facts' own date (free)
        self.when = self.z3.IntVal(as_of.toordinal()) if as_of is not None else self.root.field("as_of").value

    def realisable(self, rule_id: str) -> list[Any]:
        """What makes the solver's model an organisation: entries of one list have distinct ids; one person (or site)
        reached twice is the same in both places; refused where a count would see entries the model does not hold."""
        z3 = self.z3
        if "people" in self.counted:
            raise RuleError(
                f"rule {rule_id!r}: the analysis cannot read the organisation's list of people (every person a fact refers "
                "to is on it, which the analysis does not model); the engines still evaluate the rule"
            )
        if "sites" in self.counted and m.Site in self.referenced:
            raise RuleError(
                f"rule {rule_id!r}: the analysis cannot read the organisation's list of sites while the rule also follows "
                "references to sites (each would add an entry); the engines still evaluate the rule"
            )
        out = []
        by_class: dict[type[Any], list[_Sym]] = {}
        for sym in self.syms:
            if "id" in sym.fields and sym.cls is not m.Organisation:
                by_class.setdefault(sym.cls, []).append(sym)
        for cls, syms in by_class.items():
            for a, b in itertools.combinations(syms, 2):
                ida, idb = a.fields["id"], b.fields["id"]
                same = z3.And(ida.state == 2, idb.state == 2, ida.value != -1, ida.value == idb.value)
                if cls in (m.Person, m.Site) and not (a.in_list is not None and a.in_list == b.in_list):
                    out.append(z3.Implies(same, _same(z3, a, b)))  # one person in two roles: the same facts in both
                else:
                    out.append(z3.Not(same))
        return out

    def bound_for(self, name: str) -> int:
        return self.bounds.get(name, 1)

    def scalar(self, tp: Any, name: str) -> Any:
        z3 = self.z3
        if tp is bool:
            return z3.Bool(name)
        if tp is int:
            v = z3.Int(name)
            self.facts.append(z3.And(v >= 0, v <= m.MAX_NUMBER))
            return v
        if tp is float:
            v = z3.Real(name)
            self.facts.append(z3.And(v >= 0, v <= m.MAX_NUMBER))
            return v
        if tp is datetime.date:
            v = z3.Int(name)  # the date's ordinal day, over the whole range the facts accept
            self.facts.append(z3.And(v >= FIRST_DAY, v <= LAST_DAY))
            return v
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            v = z3.Int(name)
            self.facts.append(z3.And(v >= 0, v < len(tp)))
            return v
        if tp is str:
            v = z3.Int(name)  # -1: a text no rule names; k: the k-th text a rule compares with
            self.facts.append(z3.And(v >= -1, v < len(self.strings)))
            return v
        raise TypeError(f"no encoding for {tp!r}")  # pragma: no cover - the facts model has no other scalar

    # reading paths -------------------------------------------------------

    def read(self, subject: _Sym, path: str) -> _Read:
        z3 = self.z3
        resolved = resolve_path(subject.cls, path)
        if isinstance(subject, _Prefixed) and not resolved.from_root:
            return self.read(self.root, f"{ROOT}.{subject.prefix}.{path}")
        names = resolved.names
        obj = self.root if resolved.from_root else subject
        if obj is self.root:
            self.counted.add(names[0])  # the organisation's lists this rule reads (counted, or known at all)
            if names == ("as_of",):
                self.reads_as_of = True
        missing: Any = z3.BoolVal(False)
        absent: Any = z3.BoolVal(False)
        for name in names[:-1]:
            f = obj.field(name)
            reached = z3.And(z3.Not(missing), z3.Not(absent))
            missing = z3.Or(missing, z3.And(reached, f.state == 0))
            absent = z3.Or(absent, z3.And(reached, f.state == 1))
            assert f.target is not None
            obj = f.target
        f = obj.field(names[-1])
        self.leaves.add(f.name)
        reached = z3.And(z3.Not(missing), z3.Not(absent))
        return _Read(z3.Or(missing, z3.And(reached, f.state == 0)), z3.Or(absent, z3.And(reached, f.state == 1)), f)

    # conditions, in Kleene logic: (true, false); neither is unknown ---------

    def cond(self, c: Condition, subject: _Sym, params: dict[str, Any]) -> tuple[Any, Any]:
        z3 = self.z3
        if self.replace and id(c) in self.replace:
            return self.replace[id(c)]
        match c:
            case AllOf():
                parts = [self.cond(x, subject, params) for x in c.conditions]
                return z3.And([t for t, _ in parts]), z3.Or([f for _, f in parts])
            case AnyOf():
                parts = [self.cond(x, subject, params) for x in c.conditions]
                return z3.Or([t for t, _ in parts]), z3.And([f for _, f in parts])
            case Not():
                t, f = self.cond(c.condition, subject, params)
                return f, t
            case Named():
                return self.cond(c.condition, subject, params)
            case Option():
                if self.free_options:  # any reading a Trust may choose
                    chosen = z3.Bool(f"option {c.param}={c.value}")
                    return chosen, z3.Not(chosen)
                truth = c.value in params[c.param]
                return z3.BoolVal(truth), z3.BoolVal(not truth)
            case IsKnown():
                r = self.read(subject, c.path)
                return z3.Not(r.missing), r.missing
            case Present():
                r = self.read(subject, c.path)
                return z3.And(z3.Not(r.missing), z3.Not(r.absent)), z3.And(z3.Not(r.missing), r.absent)
            case Compare():
                r = self.read(subject, c.path)
                holds = self.compare(r.field, c.op, _param(c.value, params))
                return self._valued(r, holds)
            case In():
                r = self.read(subject, c.path)
                values = _param(c.values, params)
                holds = self.member(r.field, values)
                return self._valued(r, holds)
            case Includes():
                r = self.read(subject, c.path)
                members = r.field.members
                wanted = [v for v in _param(c.values, params)]
                holds = z3.And([members[_member(r.field.info.type, v)] for v in wanted]) if wanted else z3.BoolVal(True)
                return self._valued(r, holds)
            case WithinDays():
                r = self.read(subject, c.path)
                age = self.when - r.field.value
                if self.as_of is None:
                    self.leaves.add("org.as_of")
                days = _param(c.days, params)
                known = z3.And(z3.Not(r.missing), z3.Not(r.absent))
                return z3.And(known, age >= 0, age <= days), z3.And(
                    z3.Not(r.missing), z3.Or(r.absent, z3.And(age >= 0, age > days))
                )
            case Count():
                r = self.read(subject, c.path)
                low, high = [], []
                for i, item in enumerate(r.field.items):
                    here = z3.And(z3.Not(r.absent), r.field.exists(i))
                    t, f = (z3.BoolVal(True), z3.BoolVal(False)) if c.where is None else self.cond(c.where, item, params)
                    low.append(z3.If(z3.And(here, t), 1, 0))
                    high.append(z3.If(z3.And(here, z3.Not(f)), 1, 0))
                t, f = _range(
                    z3,
                    c.op,
                    z3.Sum(low) if low else z3.IntVal(0),
                    z3.Sum(high) if high else z3.IntVal(0),
                    z3.BoolVal(False),
                    _param(c.value, params),
                )
                return z3.And(z3.Not(r.missing), t), z3.And(z3.Not(r.missing), f)
            case Sum():
                return self.sum(c, subject, params)
            case Covers():
                return self.cond(expand_covers(c, _param(c.values, params)), subject, params)
        assert_never(c)  # mypy names a kind of condition no case translates

    def sum(self, c: Sum, subject: _Sym, params: dict[str, Any]) -> tuple[Any, Any]:
        """A sum's truths: the lowest and highest the sum can be, from each entry's match and number."""
        z3 = self.z3
        r = self.read(subject, c.path)
        low, high, unbounded = [], [], []
        for i, item in enumerate(r.field.items):
            here = z3.And(z3.Not(r.absent), r.field.exists(i))
            t, f = (z3.BoolVal(True), z3.BoolVal(False)) if c.where is None else self.cond(c.where, item, params)
            number = item.field(c.field)
            known = number.state == 2
            value = z3.ToReal(number.value) if number.info.type is int else number.value
            low.append(z3.If(z3.And(here, t, known), value, 0))
            high.append(z3.If(z3.And(here, z3.Not(f), known), value, 0))
            unbounded.append(z3.And(here, z3.Not(f), z3.Not(known)))
        zero = z3.RealVal(0)
        t, f = _range(
            z3,
            c.op,
            z3.Sum(low) if low else zero,
            z3.Sum(high) if high else zero,
            z3.Or(unbounded) if unbounded else z3.BoolVal(False),
            _number(z3, _param(c.value, params)),
        )
        return z3.And(z3.Not(r.missing), t), z3.And(z3.Not(r.missing), f)

    def _valued(self, r: _Read, holds: Any) -> tuple[Any, Any]:
        z3 = self.z3
        return z3.And(z3.Not(r.missing), z3.Not(r.absent), holds), z3.And(z3.Not(r.missing), z3.Or(r.absent, z3.Not(holds)))

    def member(self, f: _Field, values: tuple[Any, ...]) -> Any:
        """The field's value is one of ``values`` (a text field: one range test per run of consecutive codes)."""
        z3 = self.z3
        if not values:
            return z3.BoolVal(False)
        if f.info.type is str and f.info.kind == "scalar":
            codes = sorted({self.string_codes[v] for v in values})
            runs: list[tuple[int, int]] = []
            for code in codes:
                if runs and runs[-1][1] == code - 1:
                    runs[-1] = (runs[-1][0], code)
                else:
                    runs.append((code, code))
            return z3.Or([z3.And(f.value >= lo, f.value <= hi) if lo != hi else f.value == lo for lo, hi in runs])
        return z3.Or([self.compare(f, "==", v) for v in values])

    def compare(self, f: _Field, op: str, value: Any) -> Any:
        z3 = self.z3
        tp = f.info.type
        if f.info.kind != "scalar":
            raise RuleError(f"the analysis cannot compare the {f.info.kind} field {f.info.name}")
        if tp is bool:
            other: Any = z3.BoolVal(bool(value))
        elif tp is str:
            other = z3.IntVal(self.string_codes[value])
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            other = z3.IntVal(list(tp).index(_member(tp, value)))
        elif tp is datetime.date:
            other = z3.IntVal((value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)).toordinal())
        elif tp is float:
            other = _number(z3, value)
        else:
            other = _number(z3, value) if isinstance(value, float) else z3.IntVal(value)
        v = f.value
        if tp is int and isinstance(value, float):
            v = z3.ToReal(v)
        return {
            "==": lambda: v == other,
            "!=": lambda: v != other,
            "<": lambda: v < other,
            "<=": lambda: v <= other,
            ">": lambda: v > other,
            ">=": lambda: v >= other,
        }[op]()


def _number(z3: Any, value: Any) -> Any:
    """A number as the solver's exact value of the engines' number (a float's exact binary value, not its decimal)."""
    if isinstance(value, float):
        numerator, denominator = value.as_integer_ratio()
        return z3.RealVal(numerator) / z3.RealVal(denominator) if denominator != 1 else z3.RealVal(numerator)
    return z3.RealVal(value) if not isinstance(value, bool) else z3.RealVal(int(value))


def _same(z3: Any, a: _Sym, b: _Sym) -> Any:
    """Every fact read of ``a`` and ``b`` is the same (one person, or site, reached in two places)."""
    out = []
    for name in a.fields.keys() & b.fields.keys():
        fa, fb = a.fields[name], b.fields[name]
        out.append(fa.state == fb.state)
        if fa.value is not None:
            out.append(z3.Implies(fa.state == 2, fa.value == fb.value))
        for member, var in fa.members.items():
            out.append(z3.Implies(fa.state == 2, var == fb.members[member]))
        if fa.target is not None and fb.target is not None:
            out.append(z3.Implies(fa.state == 2, _same(z3, fa.target, fb.target)))
    return z3.And(out) if out else z3.BoolVal(True)


def _param(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, Param):
        value = params[value.name]
    if isinstance(value, enum.Enum):
        return enum_value(value)
    if isinstance(value, (list, tuple)):
        return tuple(enum_value(v) for v in value)
    return value


def _member(tp: type[enum.Enum], value: Any) -> enum.Enum:
    return value if isinstance(value, tp) else tp(value)


def _range(z3: Any, op: str, low: Any, high: Any, unbounded: Any, n: Any) -> tuple[Any, Any]:
    """Kleene truth of "a number in [low, high] (high infinite when ``unbounded``) op n", as the engines judge it."""
    finite = z3.Not(unbounded)
    if op == ">=":
        return low >= n, z3.And(finite, high < n)
    if op == ">":
        return low > n, z3.And(finite, high <= n)
    if op == "<=":
        return z3.And(finite, high <= n), low > n
    if op == "<":
        return z3.And(finite, high < n), low >= n
    if op == "==":
        return z3.And(finite, low == high, low == n), z3.Or(n < low, z3.And(finite, n > high))
    return z3.Or(n < low, z3.And(finite, n > high)), z3.And(finite, low == high, low == n)


# --------------------------------------------------------------------------
# What to look at for one rule (or two)


def _conditions(rule: Rule) -> Iterator[Condition]:
    """Every condition node of the rule, a count's or sum's ``where`` included."""
    stack = [c for c in (rule.applies_when, rule.holds) if c is not None]
    while stack:
        c = stack.pop()
        yield c
        stack.extend(children(c))


def _plan(rules: Iterable[Rule]) -> _Plan:
    """Each list's bound (one entry per subject, n + 1 per count up to n), the texts compared, and what is bounded.

    Entries beyond (n1 + 1) + (n2 + 1) + ... change the truth of no count of a
    list (of those that match, n + 1 decide a count either way; of those whose
    match is unknown, as many as make n + 1 with them), so within that bound
    the claims hold for every organisation.
    """
    needed: dict[str, int] = {}
    summed: set[str] = set()
    floats: set[str] = set()
    strings: dict[str, None] = {}
    for rule in rules:
        params = rule.parameter_values()
        if rule.subject.collection is not None:
            needed[rule.subject.collection] = needed.get(rule.subject.collection, 0) + 1
        for c in _conditions(rule):
            if isinstance(c, Count):
                n = _param(c.value, params)
                name = c.path.split(".")[-1]
                needed[name] = needed.get(name, 0) + max(0, math.floor(n)) + 1
            elif isinstance(c, Covers):
                name = c.path.split(".")[-1]
                values = _param(c.values, params)
                needed[name] = needed.get(name, 0) + 2 * len(values)
                for v in values:
                    if isinstance(v, str):
                        strings.setdefault(v)
            elif isinstance(c, Sum):
                name = c.path.split(".")[-1]
                summed.add(name)
                try:
                    is_float = fields_of(resolve_path(rule.subject.facts_class, c.path).field.type)[c.field].type is float
                except (NatssipsRulesError, KeyError):  # a sum inside a count's `where`: its path is the entry's
                    is_float = True
                if is_float:
                    floats.add(f"`{c.field}` of `{name}`")
            elif isinstance(c, (Compare, In)):
                values = [_param(c.value, params)] if isinstance(c, Compare) else list(_param(c.values, params))
                for v in values:
                    if isinstance(v, str):
                        strings.setdefault(v)
    bounds: dict[str, int] = {}
    bounded: list[str] = []
    for name in sorted(needed.keys() | summed):
        want = needed.get(name, 0)
        if name in summed:
            want = max(want, DEFAULT_BOUND)
        bounds[name] = min(MAX_BOUND, max(1, want))
        if name in summed or want > MAX_BOUND:
            bounded.append(f"at most {bounds[name]} entries in `{name}`")
    if floats:
        bounded.append(f"sums decided in exact arithmetic ({', '.join(sorted(floats))}; the engines add in floating point)")
    return _Plan(bounds, tuple(strings), tuple(bounded))


@attrs.frozen
class _Scenario:
    """Where the subject is: ``path`` of the subject object from the organisation, or a list's entry, or a list not known."""

    kind: str  # "organisation", "object", "entry", "unknown_list", "empty_list"
    path: str = ""


def _reads_root(rule: Rule) -> bool:
    return any(
        isinstance(c, (Compare, IsKnown, In, Includes, Count, Sum, Present, WithinDays, Covers)) and c.path.startswith(f"{ROOT}.")
        for c in _conditions(rule)
    )


def _scenarios(subject: SubjectKind, *rules: Rule) -> list[_Scenario]:
    """Every place a subject of this kind can be: each of the single subjects a rule could tell apart, or a list's entry."""
    if subject is SubjectKind.ORGANISATION:
        return [_Scenario("organisation")]
    if subject.objects:
        # the staffing factors are alike: one stands for all, unless a rule reads the organisation (and so may tell them apart)
        objects = subject.objects if any(_reads_root(r) for r in rules) else subject.objects[:1]
        return [_Scenario("object", path) for path in objects]
    assert subject.collection is not None
    return [
        _Scenario("entry", subject.collection),
        _Scenario("unknown_list", subject.collection),
        _Scenario("empty_list", subject.collection),
    ]


def _subject_in(enc: _Encoder, scenario: _Scenario) -> tuple[_Sym, list[Any]]:
    """The subject's symbolic object, and what the scenario asks of the organisation."""
    if scenario.kind == "organisation":
        return enc.root, []
    if scenario.kind == "object":
        return _Prefixed(enc, scenario.path), []
    f = enc.root.field(scenario.path)
    if scenario.kind == "entry":
        return f.items[0], [f.state == 2, f.length >= 1]
    if scenario.kind == "unknown_list":
        return _Sym(enc, f.info.type, f"{scenario.path}[?]", unknown=True), [f.state == 0]
    return f.items[0], [f.state == 2, f.length == 0]


class _Prefixed(_Sym):
    """A single subject object (the steering group, a staffing factor): its paths are read from the organisation."""

    def __init__(self, enc: _Encoder, prefix: str) -> None:
        obj = enc.root
        for name in prefix.split("."):
            target = obj.field(name).target
            assert target is not None
            obj = target
        self.prefix = prefix
        self.enc = enc
        self.cls = obj.cls
        self.name = obj.name
        self.unknown = False
        self.in_list = None
        self.fields = obj.fields  # the same object, not a second one


def _applies(enc: _Encoder, rule: Rule, subject: _Sym) -> Any:
    """The rule is known to apply to the subject."""
    if rule.applies_when is None:
        return enc.z3.BoolVal(True)
    return enc.cond(rule.applies_when, subject, rule.parameter_values())[0]


def _statuses(enc: _Encoder, rule: Rule, subject: _Sym, scenario: _Scenario) -> dict[Status, Any]:
    z3 = enc.z3
    if scenario.kind == "empty_list":
        return {Status.NOT_APPLICABLE: z3.BoolVal(True)}
    params = rule.parameter_values()
    always = (z3.BoolVal(True), z3.BoolVal(False))
    applies = enc.cond(rule.applies_when, subject, params) if rule.applies_when is not None else always
    holds = enc.cond(rule.holds, subject, params)
    at, af = applies
    ht, hf = holds
    return {
        Status.MET: z3.And(at, ht),
        Status.NOT_MET: z3.And(at, hf),
        Status.NOT_APPLICABLE: af,
        Status.INSUFFICIENT_EVIDENCE: z3.And(z3.Not(af), z3.Not(z3.And(at, ht)), z3.Not(z3.And(at, hf))),
    }


# --------------------------------------------------------------------------
# Witnesses: a concrete organisation from the solver's model


class _Builder:
    def __init__(self, enc: _Encoder, model: Any) -> None:
        self.enc = enc
        self.model = model
        self.people: dict[str, dict[str, Any]] = {}
        self.sites: dict[str, dict[str, Any]] = {}
        self.counter = itertools.count(1)

    def ident(self, stem: str) -> str:
        """A text no rule names, never used before in this witness."""
        while True:
            text = f"{stem} {next(self.counter)}"
            if text not in self.enc.string_codes:
                return text

    def val(self, expr: Any) -> Any:
        return self.model.eval(expr, model_completion=True)

    def state(self, f: _Field) -> int:
        return int(self.val(f.state).as_long())

    def scalar(self, f: _Field) -> Any:
        z3 = self.enc.z3
        tp = f.info.type
        v = self.val(f.value)
        if tp is bool:
            return z3.is_true(v)
        if tp is int:
            return int(v.as_long())
        if tp is float:
            return float(v.as_fraction())
        if tp is datetime.date:
            return datetime.date.fromordinal(int(v.as_long())).isoformat()
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return list(tp)[int(v.as_long())].value
        code = int(v.as_long())
        return self.enc.strings[code] if code >= 0 else self.ident("other text")

    def obj(self, sym: _Sym, cls: type[Any], ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, f in sym.fields.items():
            value = self.field(f)
            if value is not None:
                out[name] = value
        for field in attrs.fields(cls):
            spec = m.field_spec(cls, field.name)
            if spec.required and field.name not in out:
                out[field.name] = self.default(cls, field.name, spec, ident)
        return out

    def default(self, cls: type[Any], name: str, spec: m.FieldSpec, ident: str) -> Any:
        if name == "as_of":
            assert self.enc.as_of is not None  # otherwise the organisation's as_of is always read
            return self.enc.as_of.isoformat()
        if spec.kind == "enum":
            tp = fields_of(cls)[name].type
            return next(iter(tp)).value
        if spec.kind == "ref":
            return self.person({})
        if name == "id":
            return ident
        return f"{cls.__name__} {ident}"

    def person(self, data: dict[str, Any]) -> str:
        """The person's id; one person reached in two places (the same id) is listed once, with every fact read of it."""
        ident = data.get("id") or self.ident("person")
        data = {**data, "id": ident}
        data.setdefault("name", f"Person {ident}")
        self.people[ident] = {**self.people.get(ident, {}), **data}
        return ident

    def site(self, data: dict[str, Any]) -> str:
        self.sites[data["id"]] = {**self.sites.get(data["id"], {}), **data}
        return str(data["id"])

    def field(self, f: _Field) -> Any:
        state = self.state(f)
        if state == 0:
            return None
        if state == 1:
            return False
        kind = f.info.kind
        if kind == "scalar":
            return self.scalar(f)
        if kind == "enumset":
            return [member.value for member, var in f.members.items() if self.enc.z3.is_true(self.val(var))]
        if kind == "object":
            assert f.target is not None
            return self.obj(f.target, f.info.type, self.ident("object"))
        if kind == "ref":
            assert f.target is not None
            data = self.obj(f.target, f.info.type, self.ident("person" if f.info.type is m.Person else "site"))
            return self.person(data) if f.info.type is m.Person else self.site(data)
        length = int(self.val(f.length).as_long())
        items: list[Any] = []
        for i in range(length):
            ident = self.ident(f.info.name)
            data = self.obj(f.items[i], f.info.type, ident)
            if kind == "reflist":
                items.append(self.person(data))
            else:
                items.append(data)
        return items

    def organisation(self) -> dict[str, Any]:
        org = self.obj(self.enc.root, m.Organisation, "witness")
        if self.people:
            org["people"] = [*(org.get("people") or []), *self.people.values()]
        if self.sites:
            listed = {site["id"]: site for site in (org.get("sites") or [])}
            for ident, site in self.sites.items():
                listed[ident] = {**listed.get(ident, {}), **site}
            org["sites"] = list(listed.values())
        return org


# --------------------------------------------------------------------------
# The analysis of one rule


@attrs.frozen
class RuleAnalysis:
    """Which statuses a rule can give: each with a witness organisation (plain facts data), proven never, or not decided.

    ``undecided`` maps each status neither shown nor proven never to why (the
    solver's unknown, the time limit, no valid witness): such a status is
    never claimed either way. ``bound`` says, in words, what every "never"
    of the rule is bounded by (empty: proven for every organisation).
    """

    rule_id: str
    witnesses: dict[Status, dict[str, Any] | None]
    seconds: float
    #: Why the rule was not analysed (a condition the analysis cannot model, or the limits), or None.
    refused: str | None = None
    undecided: dict[Status, str] = attrs.field(factory=dict)
    bound: tuple[str, ...] = ()
    #: The facts the rule reads (the solver's names), to tell which rules can bear on each other.
    reads: frozenset[str] = attrs.field(factory=frozenset, repr=False, eq=False)

    def reachable(self, status: Status) -> bool:
        return self.witnesses.get(status) is not None

    def never(self, status: Status) -> bool:
        """Proven: no organisation (within :attr:`bound`, if any) gets ``status`` from the rule."""
        return self.refused is None and not self.reachable(status) and status not in self.undecided

    def to_dict(self) -> dict[str, Any]:
        if self.refused is not None:
            return {"rule_id": self.rule_id, "not_analysed": self.refused, "seconds": round(self.seconds, 3)}
        return {
            "rule_id": self.rule_id,
            "statuses": {
                s.value: ("reachable" if self.reachable(s) else "not decided" if s in self.undecided else "unreachable")
                for s in STATUSES
            },
            "witnesses": {s.value: w for s, w in self.witnesses.items() if w is not None},
            "not_decided": {s.value: why for s, why in self.undecided.items()},
            "unreachable_bounded_by": list(self.bound),
            "seconds": round(self.seconds, 3),
        }


def _check_witness(
    ruleset: RuleSet, rule: Rule, status: Status, witness: dict[str, Any], as_of: datetime.date | None, floats: bool
) -> str | None:
    """Both engines give ``rule`` the claimed status on the witness (None), or why the witness shows nothing.

    A witness that gives another status is a defect of the analysis (:class:`AnalysisError`), except where the
    rule reads fractional numbers: the solver's exact numbers may round differently in the engines.
    """
    from natssips_rules.evaluation import evaluate

    for engine in ("reference", "durable"):
        try:
            report = evaluate(witness, rules=ruleset, engine=engine, as_of=as_of)
        except FactsError as exc:
            return f"no valid organisation could be built from the solver's answer ({exc.errors[0] if exc.errors else exc})"
        got = {f.status for f in report.findings_for(rule.id)}
        if status not in got:
            if floats:
                return f"the solver's organisation gives {', '.join(sorted(s.value for s in got))} once its numbers are rounded"
            raise AnalysisError(
                f"rule {rule.id!r}: the witness for {status.value} gives {sorted(s.value for s in got)} on the {engine} engine "
                "(a defect of the analysis; please report it)"
            )
    return None


def _leaves(enc: _Encoder, subject: SubjectKind) -> set[str]:
    own = {f"org.{subject.collection}"} if subject.collection else set()
    return {name for name in enc.leaves if name not in own}


def analyse_rule(
    rule: Rule, *, check: bool = True, as_of: datetime.date | None = None, timeout: float | None = None
) -> RuleAnalysis:
    """Every status ``rule`` can give, each with a witness checked on both engines (unless ``check`` is False).

    ``as_of`` fixes the evaluation date (by default it is free: any date the
    facts may carry); ``timeout`` bounds the wall-clock seconds (statuses not
    decided in time are listed in :attr:`RuleAnalysis.undecided`).
    """
    if not isinstance(rule, Rule):
        raise ArgumentError(f"expected a Rule, not {type(rule).__name__}", argument="rule")
    _check_arguments(as_of=as_of, timeout=timeout, memory_mb=None)
    try:
        with _Budget(timeout, None) as budget:
            return _analyse_rule(rule, check=check, as_of=as_of, budget=budget)
    except _Stopped:
        return _partial(budget, rule)
    except ctypes.ArgumentError as exc:
        _reraise_interrupt(exc)


def _reraise_interrupt(exc: ctypes.ArgumentError) -> NoReturn:
    """Ctrl-C while the solver's library is called reaches Python as a ctypes error naming it: raise it as the interrupt."""
    if "KeyboardInterrupt" in str(exc):
        raise KeyboardInterrupt from None
    raise exc


def _analyse_rule(rule: Rule, *, check: bool, as_of: datetime.date | None, budget: _Budget) -> RuleAnalysis:
    started = time.perf_counter()
    plan = _plan([rule])
    witnesses: dict[Status, dict[str, Any] | None] = dict.fromkeys(STATUSES)
    undecided: dict[Status, str] = {}
    bound = list(plan.bounded)
    reads: set[str] = set()
    budget.current = (rule, witnesses, undecided, started)
    alone = RuleSet((rule,))  # one rule set for every witness: the engines prepare it once
    for scenario in _scenarios(rule.subject, rule):
        wanted = [status for status in STATUSES if witnesses[status] is None]
        if not wanted:
            break
        # the rule encoded once for this place of its subject; each status is one more constraint on it
        enc = _Encoder(plan, as_of=as_of)
        subject, asks = _subject_in(enc, scenario)
        conditions = _statuses(enc, rule, subject, scenario)
        reads |= _leaves(enc, rule.subject)
        if enc.reads_as_of and as_of is None:
            bound.append("evaluation on the facts' own date (another --as-of date not analysed)")
        solver = enc.z3.Solver()
        solver.add(*enc.facts, *enc.realisable(rule.id), *asks)
        for status in wanted:
            if status not in conditions:
                continue
            solver.push()
            solver.add(conditions[status])
            answer = budget.check(solver)
            if answer == "sat":
                witness = _Builder(enc, solver.model()).organisation()
                why = _check_witness(alone, rule, status, witness, as_of, enc.floats) if check else None
                if why is None:
                    witnesses[status] = witness
                    undecided.pop(status, None)
                else:
                    undecided[status] = why
            elif answer == "unknown":
                undecided[status] = f"the solver could not decide it ({_reason(solver)})"
            solver.pop()
    budget.current = None
    for status in STATUSES:
        if witnesses[status] is not None:
            undecided.pop(status, None)
    return RuleAnalysis(
        rule.id,
        witnesses,
        time.perf_counter() - started,
        undecided=undecided,
        bound=tuple(dict.fromkeys(bound)),
        reads=frozenset(reads),
    )


def _reason(solver: Any) -> str:
    """Why the solver answered unknown, in its words."""
    try:
        return str(solver.reason_unknown())
    except _z3().Z3Exception:
        return "unknown"


def _partial(budget: _Budget, rule: Rule) -> RuleAnalysis:
    """The rule as far as it was analysed when the limits were reached: the rest not decided."""
    if budget.current is None or budget.current[0] is not rule:
        return RuleAnalysis(rule.id, dict.fromkeys(STATUSES), 0.0, refused=f"not analysed: {budget.stopped}")
    _, witnesses, undecided, started = budget.current
    budget.current = None
    for status in STATUSES:
        if witnesses[status] is None:
            undecided.setdefault(status, f"not analysed: {budget.stopped}")
    return RuleAnalysis(rule.id, dict(witnesses), time.perf_counter() - started, undecided=dict(undecided))


def _check_arguments(*, as_of: Any, timeout: Any, memory_mb: Any) -> None:
    if as_of is not None and (not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime)):
        raise ArgumentError(f"expected a datetime.date, not {type(as_of).__name__}", argument="as_of")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0
    ):
        raise ArgumentError(f"timeout must be a positive number of seconds (or None), not {timeout!r}", argument="timeout")
    if memory_mb is not None and (isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or memory_mb < 64):
        raise ArgumentError(
            f"memory_mb must be a whole number of megabytes, at least 64 (or None), not {memory_mb!r}", argument="memory_mb"
        )


# --------------------------------------------------------------------------
# The analysis of a rule set


@attrs.frozen
class Problem:
    """Something the analysis found about the rules, with its witness or its reason.

    ``severity`` is ``problem`` (a rule that cannot do its job: never met,
    never failed, contradicting or repeating another, a part that can never
    matter, made automatic or impossible by tailoring, a waiver that can never
    matter) or ``note`` (a rule switched off by a reading the Trust has not
    chosen, as designed; a claim that holds only within a bound, which
    ``bound`` states in words; what was not analysed).
    """

    kind: str
    rule_id: str
    message: str
    other: str | None = None
    witness: dict[str, Any] | None = None
    severity: str = "problem"
    #: What the claim is bounded by, in words (empty: proven for every organisation).
    bound: tuple[str, ...] = ()
    #: The part of the rule the problem is about, in words, or None (the whole rule).
    part: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "rule_id": self.rule_id,
            "other": self.other,
            "part": self.part,
            "message": self.message,
            "bounded_by": list(self.bound),
            "witness": self.witness,
        }


@attrs.frozen
class SetAnalysis:
    """The analysis of a rule set: each rule's reachable statuses, what was found, and what was not analysed."""

    rules: tuple[RuleAnalysis, ...]
    problems: tuple[Problem, ...]
    seconds: float
    #: What the time or memory limit left out (rules, checks), in words; empty when the analysis is complete.
    not_analysed: tuple[str, ...] = ()
    #: Which limit stopped the analysis, or None.
    stopped: str | None = None

    @property
    def has_problems(self) -> bool:
        return any(p.severity == "problem" for p in self.problems)

    @property
    def complete(self) -> bool:
        return self.stopped is None and not any(r.undecided or r.refused for r in self.rules)

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_bound": MAX_BOUND,
            "seconds": round(self.seconds, 3),
            "complete": self.complete,
            "stopped": self.stopped,
            "not_analysed": list(self.not_analysed),
            "rules": [r.to_dict() for r in self.rules],
            "problems": [p.to_dict() for p in self.problems],
        }


def _bounded(claim: str, bound: Iterable[str]) -> str:
    """The claim, with its bound in words when it has one."""
    words = list(dict.fromkeys(bound))
    if not words:
        return claim
    return f"{claim}, for organisations with {'; '.join(words)}; larger ones (or other numbers) not analysed"


def _claim(kind: str, rule_id: str, claim: str, bound: Iterable[str], **kw: Any) -> Problem:
    """A problem, or a note when the claim holds only within a bound."""
    words = tuple(dict.fromkeys(bound))
    return Problem(kind, rule_id, _bounded(claim, words), severity="note" if words else "problem", bound=words, **kw)


def _option_params(rule: Rule) -> list[str]:
    return sorted({c.param for c in _conditions(rule) if isinstance(c, Option)})


def _applies_with_another_reading(rule: Rule, budget: _Budget, as_of: datetime.date | None) -> bool:
    """The rule applies to some subject of some organisation when its options are read freely (a Trust's choice)."""
    plan = _plan([rule])
    for scenario in _scenarios(rule.subject, rule):
        if scenario.kind == "empty_list":
            continue
        enc = _Encoder(plan, as_of=as_of, free_options=True)
        subject, asks = _subject_in(enc, scenario)
        conditions = _statuses(enc, rule, subject, scenario)
        solver = enc.z3.Solver()
        z3 = enc.z3
        solver.add(
            *enc.facts,
            *enc.realisable(rule.id),
            *asks,
            z3.Or(conditions[Status.MET], conditions[Status.NOT_MET], conditions[Status.INSUFFICIENT_EVIDENCE]),
        )
        if budget.check(solver) == "sat":
            return True
    return False


def _can_apply(rule: Rule, budget: _Budget, as_of: datetime.date | None) -> bool | None:
    """Some subject of some organisation is known to fall under the rule (None: not decided)."""
    if rule.applies_when is None:
        return True
    plan = _plan([rule])
    undecided = False
    for scenario in _scenarios(rule.subject, rule):
        if scenario.kind == "empty_list":
            continue
        enc = _Encoder(plan, as_of=as_of)
        subject, asks = _subject_in(enc, scenario)
        solver = enc.z3.Solver()
        solver.add(*enc.facts, *enc.realisable(rule.id), *asks, _applies(enc, rule, subject))
        answer = budget.check(solver)
        if answer == "sat":
            return True
        undecided = undecided or answer == "unknown"
    return None if undecided else False


def _problems_of(rule: Rule, result: RuleAnalysis, budget: _Budget, as_of: datetime.date | None) -> Iterator[Problem]:
    never_decided = result.never(Status.MET) and result.never(Status.NOT_MET)
    if never_decided and (result.never(Status.INSUFFICIENT_EVIDENCE) or _can_apply(rule, budget, as_of) is False):
        options = _option_params(rule)
        if options and _applies_with_another_reading(rule, budget, as_of):
            yield Problem(
                "switched_off",
                rule.id,
                f"the rule applies to no subject with the reading in force ({', '.join(options)}); "
                "another reading of that parameter switches it on",
                severity="note",
            )
        elif result.never(Status.INSUFFICIENT_EVIDENCE):
            yield _claim("never_applies", rule.id, "the rule applies to no subject of any organisation", result.bound)
        else:
            yield _claim(
                "never_applies",
                rule.id,
                "the rule's applicability (applies_when) can never hold: it applies to no "
                "subject of any organisation, and at most lacks the evidence to tell",
                result.bound,
            )
        return
    if result.never(Status.MET):
        yield _claim("never_met", rule.id, "no organisation can meet this rule", result.bound)
    if result.never(Status.NOT_MET):
        yield _claim(
            "never_fails",
            rule.id,
            "no organisation can fail this rule: it can only be met, lack evidence or not apply",
            result.bound,
            witness=result.witnesses[Status.MET],
        )


def _parts(cond: Condition | None, where: str) -> Iterator[tuple[Condition, str, str]]:
    """Each part of a condition with its parent's kind (``all`` or ``any``) and where it is, a count's ``where`` aside."""
    if cond is None:
        return
    stack: list[tuple[Condition, str]] = [(cond, where)]
    while stack:
        c, at = stack.pop()
        if isinstance(c, Named):
            stack.append((c.condition, at))
        elif isinstance(c, Not):
            stack.append((c.condition, at))
        elif isinstance(c, (AllOf, AnyOf)):
            kind = "all" if isinstance(c, AllOf) else "any"
            for i, part in enumerate(c.conditions):
                yield part, kind, f"{at}.of[{i}]"
                stack.append((part, f"{at}.of[{i}]"))


def _part_words(cond: Condition, params: dict[str, Any]) -> str:
    from natssips_rules.rules.describe import describe

    lines = [line.strip(" -*") for line in describe(cond, params)]
    text = lines[0] + " " + "; ".join(lines[1:]) if len(lines) > 1 and lines[0].endswith(":") else "; ".join(lines)
    return text if len(text) <= 160 else text[:157] + "..."


def _vacuous_parts(rule: Rule, budget: _Budget, as_of: datetime.date | None) -> Iterator[Problem]:
    """A part whose removal changes no organisation's status: it can never matter (in its place, with its neighbours)."""
    parts = [
        (p, kind, at)
        for root, name in ((rule.applies_when, "applies_when"), (rule.holds, "holds"))
        for p, kind, at in _parts(root, name)
    ]
    seen: dict[int, int] = {}
    for c in _conditions(rule):
        seen[id(c)] = seen.get(id(c), 0) + 1
    parts = [
        (p, kind, at)
        for p, kind, at in parts
        if seen[id(p)] == 1 and not all(isinstance(c, (Option, AllOf, AnyOf, Not, Named)) for c in _nodes(p))
    ]
    if not parts:
        return
    plan = _plan([rule])
    params = rule.parameter_values()
    flagged: list[str] = []
    for part, kind, at in parts:
        if any(at.startswith(f"{done}.") for done in flagged):
            continue  # inside a part already reported
        matters = False
        undecided = False
        for scenario in _scenarios(rule.subject, rule):
            if scenario.kind == "empty_list":
                continue
            enc = _Encoder(plan, as_of=as_of)
            z3 = enc.z3
            subject, asks = _subject_in(enc, scenario)
            actual = _statuses(enc, rule, subject, scenario)
            t, f = enc.cond(part, subject, params)
            neutral = (z3.BoolVal(True), z3.BoolVal(False)) if kind == "all" else (z3.BoolVal(False), z3.BoolVal(True))
            enc.replace = {id(part): neutral}  # the rule without the part
            without = _statuses(enc, rule, subject, scenario)
            enc.replace = {}
            # the part takes the value that decides its parent (false in an `all`, true in an `any`) and that changes the status
            decisive = f if kind == "all" else t
            solver = z3.Solver()
            solver.add(
                *enc.facts, *enc.realisable(rule.id), *asks, decisive, z3.Or([z3.Xor(actual[s], without[s]) for s in actual])
            )
            answer = budget.check(solver)
            if answer == "sat":
                matters = True
                break
            undecided = undecided or answer == "unknown"
        if not matters and not undecided:
            flagged.append(at)
            words = _part_words(part, params)
            value = "false" if kind == "all" else "true"
            yield _claim(
                "part_never_matters",
                rule.id,
                f"the part at {at} ({words}) can never matter: it is never {value} where that would change the "
                "rule's status (at most it leaves the rule without evidence)",
                plan.bounded,
                part=f"{at}: {words}",
            )


def _nodes(cond: Condition) -> Iterator[Condition]:
    stack = [cond]
    while stack:
        c = stack.pop()
        yield c
        stack.extend(children(c))


def _related(a: RuleAnalysis, b: RuleAnalysis) -> bool:
    """The two rules read a common fact (or one reads what contains the other's): only then can they bear on each other."""
    return bool(a.reads & (b.reads | _ancestors(b.reads))) or bool(b.reads & _ancestors(a.reads))


def _ancestors(names: frozenset[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        for i, ch in enumerate(name):
            if ch in ".[":
                out.add(name[:i])
    return out


def _compare(a: Rule, b: Rule, *, both_meetable: bool, budget: _Budget, as_of: datetime.date | None) -> Iterator[Problem]:
    """Rule ``a`` that no organisation meets together with ``b``, though each can be met where the other applies; or
    (same subjects) that always agrees with it."""
    plan = _plan([a, b])
    same = a.subject is b.subject
    z3 = _z3()
    both_met = differ = mine_with_theirs = theirs_with_mine = False
    undecided = False
    pairs = (
        [(s, s) for s in _scenarios(a.subject, a, b)]
        if same
        else list(itertools.product(_scenarios(a.subject, a, b), _scenarios(b.subject, a, b)))
    )
    if len(pairs) > 9:
        return  # rules about different staffing factors and others: too many places to compare; nothing is claimed
    for sa, sb in pairs:
        if "empty_list" in (sa.kind, sb.kind) or (sa.kind == "unknown_list" and sb.kind == "unknown_list" and not same):
            continue
        enc = _Encoder(plan, as_of=as_of)
        subject_a, asks_a = _subject_in(enc, sa)
        subject_b, asks_b = (subject_a, []) if same else _subject_in(enc, sb)
        mine = _statuses(enc, a, subject_a, sa)
        theirs = _statuses(enc, b, subject_b, sb)
        solver = z3.Solver()  # the two rules encoded once for this place; each question one more constraint
        solver.add(*enc.facts, *enc.realisable(a.id), *asks_a, *asks_b)

        def sat(*extra: Any, solver: Any = solver) -> bool | None:
            solver.push()
            solver.add(*extra)
            answer = budget.check(solver)
            solver.pop()
            return None if answer == "unknown" else answer == "sat"

        if both_meetable and not both_met:
            found = sat(mine[Status.MET], theirs[Status.MET])
            both_met = bool(found)
            undecided = undecided or found is None
            # each can be met where the other applies (else meeting one only switches the other off: no conflict)
            if not mine_with_theirs:
                found = sat(mine[Status.MET], _applies(enc, b, subject_b))
                mine_with_theirs = bool(found)
                undecided = undecided or found is None
            if not theirs_with_mine:
                found = sat(theirs[Status.MET], _applies(enc, a, subject_a))
                theirs_with_mine = bool(found)
                undecided = undecided or found is None
        if same and not differ:
            apart = z3.Or(
                [z3.And(mine[x], theirs[y]) for x in STATUSES for y in STATUSES if x is not y and x in mine and y in theirs]
            )
            found = sat(apart)
            differ = bool(found)
            undecided = undecided or found is None
    if undecided:
        return
    if both_meetable and mine_with_theirs and theirs_with_mine and not both_met:
        where = (
            "where both apply" if same else f"where both apply (this rule to a {a.subject.value}, {b.id} to a {b.subject.value})"
        )
        yield _claim("contradicts", a.id, f"no organisation meets both this rule and {b.id} {where}", plan.bounded, other=b.id)
    if same and not differ:
        yield _claim(
            "repeats",
            a.id,
            f"every organisation gets the same status from this rule as from {b.id}: it adds nothing",
            plan.bounded,
            other=b.id,
        )


class _Run:
    """One analysis of a rule set: what is found so far, and what is still to do (listed if the limits stop it)."""

    def __init__(
        self, ruleset: RuleSet, budget: _Budget, as_of: datetime.date | None, progress: Callable[[str, int, int], None] | None
    ) -> None:
        self.ruleset = ruleset
        self.budget = budget
        self.as_of = as_of
        self.progress = progress
        self.results: list[RuleAnalysis] = []
        self.problems: list[Problem] = []
        self.todo: list[str] = []

    def step(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def analyse(
    ruleset: RuleSet,
    *,
    waivers: Iterable[Waiver] = (),
    check: bool = True,
    as_of: datetime.date | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    progress: Callable[[str, int, int], None] | None = None,
) -> SetAnalysis:
    """Analyse every rule of ``ruleset`` (built-in rules as tailored, local rules, waivers).

    Reports, each with its witness or reason: rules that can never be met,
    fail or apply; a local rule that contradicts or only repeats another rule
    (built-in or local, for the same subjects or others); a part of a local
    rule that can never matter; a tailoring that makes a built-in rule
    automatic or impossible; a waiver for a rule that can never be not met
    nor lack evidence.

    ``as_of`` fixes the evaluation date (default: any date). ``timeout``
    (seconds of wall-clock time, default a minute) and ``memory_mb`` (the
    solver's memory) bound the analysis; when one is reached the result is
    partial: :attr:`SetAnalysis.stopped` says which, and
    :attr:`SetAnalysis.not_analysed` lists what was left out. ``progress``,
    if given, is called as ``progress(stage, done, total)``. Ctrl-C raises
    ``KeyboardInterrupt``: no partial claim.
    """
    if not isinstance(ruleset, RuleSet):
        raise ArgumentError(f"expected a RuleSet, not {type(ruleset).__name__}", argument="ruleset")
    _check_arguments(as_of=as_of, timeout=timeout, memory_mb=memory_mb)
    if progress is not None and not callable(progress):
        raise ArgumentError(f"progress must be callable, not {type(progress).__name__}", argument="progress")
    waivers = tuple(waivers)
    started = time.perf_counter()
    budget = _Budget(timeout, memory_mb)
    run = _Run(ruleset, budget, as_of, progress)
    try:
        with budget:
            _run(run, check, waivers)
    except _Stopped:
        pass
    except ctypes.ArgumentError as exc:
        _reraise_interrupt(exc)
    return SetAnalysis(
        tuple(run.results),
        tuple(run.problems),
        time.perf_counter() - started,
        not_analysed=tuple(run.todo) if budget.stopped else (),
        stopped=budget.stopped,
    )


def _run(run: _Run, check: bool, waivers: tuple[Waiver, ...]) -> None:
    from natssips_rules.standards import builtin_rules

    ruleset, budget, as_of = run.ruleset, run.budget, run.as_of
    rules = list(ruleset)
    run.todo = ["every rule's analysis", "the tailoring, waivers, parts of local rules and comparisons between rules"]
    for i, rule in enumerate(rules):
        run.todo = [
            f"the rules {', '.join(r.id for r in rules[i:])}"
            if len(rules) - i <= 20
            else f"{len(rules) - i} rules from {rule.id} on",
            run.todo[-1],
        ]
        try:
            result = _analyse_rule(rule, check=check, as_of=as_of, budget=budget)
        except RuleError as exc:
            reason = str(exc).removeprefix(f"rule {rule.id!r}: ")
            result = RuleAnalysis(rule.id, dict.fromkeys(STATUSES), 0.0, refused=f"not analysed: {reason}")
        except _Stopped:
            run.results.append(_partial(budget, rule))
            run.results.extend(
                RuleAnalysis(r.id, dict.fromkeys(STATUSES), 0.0, refused=f"not analysed: {budget.stopped}")
                for r in rules[i + 1 :]
            )
            raise
        run.results.append(result)
        run.step("rules", i + 1, len(rules))
    by_id = {r.rule_id: r for r in run.results if r.refused is None}
    run.todo = ["the tailoring, waivers, parts of local rules and comparisons between rules"]
    for rule, result in zip(rules, run.results, strict=True):
        if result.refused is not None:
            run.problems.append(Problem("not_analysed", rule.id, result.refused, severity="note"))
            continue
        for status, why in result.undecided.items():
            run.problems.append(
                Problem("not_decided", rule.id, f"whether the rule can be {status.value} is not decided: {why}", severity="note")
            )
        run.problems.extend(_problems_of(rule, result, budget, as_of))
    # a tailoring that makes a built-in rule automatic or impossible (reported once: not again as never met or failed)
    base = builtin_rules()
    for tailored in sorted({t.rule_id for t in ruleset.tailoring if t.action != "exclude"}):
        if tailored not in by_id or tailored not in base:  # excluded, or not analysed
            continue
        before = _analyse_rule(base[tailored], check=False, as_of=as_of, budget=budget)
        after = by_id[tailored]
        for status, kind, words, replaces in (
            (Status.NOT_MET, "tailoring_automatic", "impossible to fail", "never_fails"),
            (Status.MET, "tailoring_impossible", "impossible to meet", "never_met"),
        ):
            if before.reachable(status) and after.never(status):
                run.problems = [p for p in run.problems if not (p.rule_id == tailored and p.kind == replaces)]
                run.problems.append(_claim(kind, tailored, f"the tailoring makes this rule {words}", after.bound))
    for waiver in (*ruleset.waivers, *waivers):
        found = by_id.get(waiver.rule_id)
        if found is not None and found.never(Status.NOT_MET) and found.never(Status.INSUFFICIENT_EVIDENCE):
            run.problems.append(
                _claim(
                    "waiver_useless",
                    waiver.rule_id,
                    "a waiver for a rule that no organisation can fail or leave without evidence",
                    found.bound,
                )
            )
    flagged = {p.rule_id for p in run.problems if p.kind in ("never_met", "never_fails", "never_applies", "switched_off")}
    locals_ = [r for r in rules if r.origin == "local" and r.id in by_id]
    run.todo = [f"the parts of the local rules from {locals_[0].id} on" if locals_ else "", "comparisons between rules"]
    for i, rule in enumerate(locals_):
        run.todo[0] = f"the parts of the local rules from {rule.id} on"
        if rule.id not in flagged:
            run.problems.extend(_vacuous_parts(rule, budget, as_of))
        run.step("parts", i + 1, len(locals_))
    run.todo = run.todo[1:]
    _comparisons(run, rules, by_id, flagged)
    run.todo = []


def _comparisons(run: _Run, rules: list[Rule], by_id: dict[str, RuleAnalysis], flagged: set[str]) -> None:
    """Each local rule against every other rule (built-in or local) that reads a fact it reads."""
    candidates = [r for r in rules if r.id in by_id and r.id not in flagged]
    locals_ = [r for r in candidates if r.origin == "local"]
    index: dict[str, list[Rule]] = {}
    for rule in candidates:
        for name in by_id[rule.id].reads | _ancestors(by_id[rule.id].reads):
            index.setdefault(name, []).append(rule)
    order = {r.id: i for i, r in enumerate(candidates)}
    pairs: list[tuple[Rule, Rule]] = []
    for rule in locals_:
        near: dict[str, Rule] = {}
        for name in by_id[rule.id].reads | _ancestors(by_id[rule.id].reads):
            for other in index.get(name, ()):
                near[other.id] = other
        for other in sorted(near.values(), key=lambda r: order[r.id]):
            if other.id == rule.id or (other.origin == "local" and order[other.id] < order[rule.id]):
                continue  # each pair of local rules once
            if _related(by_id[rule.id], by_id[other.id]):
                pairs.append((rule, other))
    for i, (a, b) in enumerate(pairs):
        run.todo = [f"{len(pairs) - i} of {len(pairs)} comparisons between rules (from {a.id} with {b.id} on)"]
        ra, rb = by_id[a.id], by_id[b.id]
        meetable = ra.reachable(Status.MET) and rb.reachable(Status.MET)
        try:
            run.problems.extend(_compare(a, b, both_meetable=meetable, budget=run.budget, as_of=run.as_of))
        except RuleError as exc:  # together they read what neither does alone (a list and references into it)
            reason = str(exc).removeprefix(f"rule {a.id!r}: ")
            run.problems.append(Problem("not_compared", a.id, f"not compared with {b.id}: {reason}", other=b.id, severity="note"))
        run.step("comparisons", i + 1, len(pairs))
