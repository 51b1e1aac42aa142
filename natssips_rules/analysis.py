"""Prove properties of a rule set: which statuses each rule can give, with a witness organisation for each.

The condition language is small and closed, so each rule's conditions can be
translated into a satisfiability problem (z3) over a *symbolic organisation*,
in the same three-valued (Kleene) logic as the engines: every fact the rule
reads is either unknown or a typed value (numbers, enumerations, dates as day
numbers, yes/no, texts as the constants the rule compares with), an object or
reference may be recorded absent, and every list read is unknown or known
with up to a bound of entries (:data:`DEFAULT_BOUND`, raised to one more than
the largest count a rule compares a list with).

For each rule and each status (met, not met, insufficient evidence, not
applicable) the analysis answers **reachable**, with a witness (a valid
organisation, built from the solver's model, for which both engines give the
rule that status), or **unreachable within the bound**. Witnesses are always
evaluated on both engines: a witness that does not give its status is a
:class:`AnalysisError` (a defect of the translation, never silently kept).

What it proves and what it does not (docs/analysis.md): it proves properties
of the *rules*, for every organisation the bound admits; it says nothing
about a particular organisation. Distinct references are modelled as
distinct people (no rule compares ids, so sharing a person can only narrow
what is reachable).

Needs the ``prove`` extra (``pip install 'natssips-rules[prove]'``, which
brings z3-solver).
"""

from __future__ import annotations

import datetime
import enum
import itertools
import time
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from natssips_rules.errors import AnalysisError, RuleError
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
    "STATUSES",
    "AnalysisError",
    "Problem",
    "RuleAnalysis",
    "SetAnalysis",
    "analyse",
    "analyse_rule",
]

#: Entries of a list the analysis considers at least (a rule counting to n raises it to n + 1 for that list).
DEFAULT_BOUND = 3
#: The most entries of any one list considered.
MAX_BOUND = 12
#: The statuses an engine decides (waived is a Trust's decision, not the rule's).
STATUSES = (Status.MET, Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.NOT_APPLICABLE)
#: The evaluation date of every witness.
AS_OF = datetime.date(2026, 3, 31)


def _z3() -> Any:
    try:
        import z3
    except ImportError:  # pragma: no cover - depends on the installation
        raise AnalysisError("the analysis needs z3: pip install 'natssips-rules[prove]'") from None
    return z3


# --------------------------------------------------------------------------
# The symbolic organisation


class _Sym:
    """A symbolic instance of a facts class: its fields' solver variables, made when a rule first reads them."""

    def __init__(self, enc: _Encoder, cls: type[Any], name: str, *, unknown: bool = False) -> None:
        self.enc = enc
        self.cls = cls
        self.name = name
        self.fields: dict[str, _Field] = {}
        #: An entry of a list that is not known: every field of its own is unknown (even those a real entry must have).
        self.unknown = unknown

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
        if kind == "scalar" and info.name == "id" and tp is str:
            enc.ids.setdefault(owner, []).append(self)
        if kind in ("ref", "reflist"):
            enc.referenced.add(tp)
        if kind == "scalar":
            self.value = enc.scalar(tp, name)
            if spec.kind == "fraction":
                enc.facts.append(self.value <= 1)
            if owner is m.Organisation and info.name == "as_of":
                enc.facts.append(self.value == AS_OF.toordinal())  # every witness is judged at AS_OF
        elif kind in ("object", "ref"):
            self.target = _Sym(enc, tp, name)
            enc.objects.append(self)
        elif kind == "enumset":
            self.members = {member: z3.Bool(f"{name}:{member.value}") for member in tp}
        elif kind in ("collection", "reflist"):
            bound = enc.bound_for(info.name)
            self.length = z3.Int(f"{name}#")
            enc.facts.append(z3.And(self.length >= 0, self.length <= bound))
            self.items = [_Sym(enc, tp, f"{name}[{i}]") for i in range(bound)]
            enc.objects.append(self)

    def exists(self, i: int) -> Any:
        return self.length > i


@attrs.frozen
class _Read:
    """What reading a path gives: not known (``missing``), known absent (``absent``), else the field's value."""

    missing: Any
    absent: Any
    field: _Field


class _Encoder:
    """Translates the conditions of one rule (or two, for a comparison) over one symbolic organisation."""

    def __init__(self, bounds: dict[str, int], strings: tuple[str, ...]) -> None:
        self.z3 = _z3()
        self.facts: list[Any] = []  # constraints every organisation meets
        self.objects: list[_Field] = []
        self.bounds = bounds
        self.strings = strings
        #: The id fields made, by facts class (two entries never share an id a rule names).
        self.ids: dict[type[Any], list[_Field]] = {}
        #: The classes some reference leads to, and the organisation's fields a rule reads.
        self.referenced: set[type[Any]] = set()
        self.counted: set[str] = set()
        self.root = _Sym(self, m.Organisation, "org")

    def realisable(self, rule_id: str) -> list[Any]:
        """What makes the solver's model an organisation: distinct ids; refused where a count would see more entries."""
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
        for fields in self.ids.values():
            for a, b in itertools.combinations(fields, 2):
                out.append(z3.Or(a.value == -1, a.value != b.value))
        return out

    def bound_for(self, name: str) -> int:
        return self.bounds.get(name, DEFAULT_BOUND)

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
            v = z3.Int(name)  # the date's ordinal day
            self.facts.append(z3.And(v >= datetime.date(1900, 1, 1).toordinal(), v <= datetime.date(2100, 12, 31).toordinal()))
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
        reached = z3.And(z3.Not(missing), z3.Not(absent))
        return _Read(z3.Or(missing, z3.And(reached, f.state == 0)), z3.Or(absent, z3.And(reached, f.state == 1)), f)

    # conditions, in Kleene logic: (true, false); neither is unknown ---------

    def cond(self, c: Condition, subject: _Sym, params: dict[str, Any]) -> tuple[Any, Any]:
        z3 = self.z3
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
                holds = z3.Or([self.compare(r.field, "==", v) for v in values]) if values else z3.BoolVal(False)
                return self._valued(r, holds)
            case Includes():
                r = self.read(subject, c.path)
                members = r.field.members
                wanted = [v for v in _param(c.values, params)]
                holds = z3.And([members[_member(r.field.info.type, v)] for v in wanted]) if wanted else z3.BoolVal(True)
                return self._valued(r, holds)
            case WithinDays():
                r = self.read(subject, c.path)
                age = AS_OF.toordinal() - r.field.value
                days = _param(c.days, params)
                known = z3.And(z3.Not(r.missing), z3.Not(r.absent))
                return z3.And(known, age >= 0, age <= days), z3.And(z3.Not(r.missing), z3.Or(r.absent, z3.And(age >= 0, age > days)))
            case Count():
                r = self.read(subject, c.path)
                low, high = [], []
                for i, item in enumerate(r.field.items):
                    here = z3.And(z3.Not(r.absent), r.field.exists(i))
                    t, f = (z3.BoolVal(True), z3.BoolVal(False)) if c.where is None else self.cond(c.where, item, params)
                    low.append(z3.If(z3.And(here, t), 1, 0))
                    high.append(z3.If(z3.And(here, z3.Not(f)), 1, 0))
                t, f = _range(z3, c.op, z3.Sum(low) if low else z3.IntVal(0), z3.Sum(high) if high else z3.IntVal(0), z3.BoolVal(False), _param(c.value, params))
                return z3.And(z3.Not(r.missing), t), z3.And(z3.Not(r.missing), f)
            case Sum():
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
                t, f = _range(z3, c.op, z3.Sum(low) if low else zero, z3.Sum(high) if high else zero,
                              z3.Or(unbounded) if unbounded else z3.BoolVal(False), _param(c.value, params))
                return z3.And(z3.Not(r.missing), t), z3.And(z3.Not(r.missing), f)
            case Covers():
                return self.cond(expand_covers(c, _param(c.values, params)), subject, params)
        raise RuleError(f"the analysis cannot translate the condition {type(c).__name__}")

    def _valued(self, r: _Read, holds: Any) -> tuple[Any, Any]:
        z3 = self.z3
        return z3.And(z3.Not(r.missing), z3.Not(r.absent), holds), z3.And(z3.Not(r.missing), z3.Or(r.absent, z3.Not(holds)))

    def compare(self, f: _Field, op: str, value: Any) -> Any:
        z3 = self.z3
        tp = f.info.type
        if f.info.kind != "scalar":
            raise RuleError(f"the analysis cannot compare the {f.info.kind} field {f.info.name}")
        if tp is bool:
            other: Any = z3.BoolVal(bool(value))
        elif tp is str:
            other = z3.IntVal(self.strings.index(value))
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            other = z3.IntVal(list(tp).index(_member(tp, value)))
        elif tp is datetime.date:
            other = z3.IntVal((value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)).toordinal())
        elif tp is float:
            other = z3.RealVal(str(value))
        else:
            other = z3.RealVal(str(value)) if isinstance(value, float) else z3.IntVal(value)
        v = f.value
        if tp is int and isinstance(value, float):
            v = z3.ToReal(v)
        return {"==": lambda: v == other, "!=": lambda: v != other, "<": lambda: v < other, "<=": lambda: v <= other,
                ">": lambda: v > other, ">=": lambda: v >= other}[op]()


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
# What to look at for one rule


def _conditions(rule: Rule) -> Iterator[Condition]:
    """Every condition node of the rule, a count's or sum's ``where`` included."""
    stack = [c for c in (rule.applies_when, rule.holds) if c is not None]
    while stack:
        c = stack.pop()
        yield c
        stack.extend(children(c))


def _bounds_and_strings(rules: Iterable[Rule]) -> tuple[dict[str, int], tuple[str, ...]]:
    bounds: dict[str, int] = {}
    strings: list[str] = []
    for rule in rules:
        params = rule.parameter_values()
        for c in _conditions(rule):
            if isinstance(c, Count):
                n = _param(c.value, params)
                name = c.path.split(".")[-1]
                bounds[name] = min(MAX_BOUND, max(bounds.get(name, DEFAULT_BOUND), int(n) + 1))
            if isinstance(c, Covers):
                name = c.path.split(".")[-1]
                bounds[name] = min(MAX_BOUND, max(bounds.get(name, DEFAULT_BOUND), len(_param(c.values, params))))
            if isinstance(c, (Compare, In)):
                values = [_param(c.value, params)] if isinstance(c, Compare) else list(_param(c.values, params))
                for v in values:
                    if isinstance(v, str) and v not in strings:
                        strings.append(v)
    return bounds, tuple(strings)


@attrs.frozen
class _Scenario:
    """Where the subject is: ``path`` of the subject object from the organisation, or a list's entry, or a list not known."""

    kind: str  # "organisation", "object", "entry", "unknown_list", "empty_list"
    path: str = ""


def _scenarios(subject: SubjectKind) -> list[_Scenario]:
    if subject is SubjectKind.ORGANISATION:
        return [_Scenario("organisation")]
    if subject.objects:
        return [_Scenario("object", subject.objects[0])]
    assert subject.collection is not None
    return [_Scenario("entry", subject.collection), _Scenario("unknown_list", subject.collection), _Scenario("empty_list", subject.collection)]


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
        super().__init__(enc, obj.cls, obj.name)
        self.prefix = prefix
        self.fields = obj.fields


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
        self.people: list[dict[str, Any]] = []
        self.sites: list[dict[str, Any]] = []
        self.counter = itertools.count(1)

    def ident(self, stem: str) -> str:
        """A text no rule names, never used before in this witness."""
        while True:
            text = f"{stem} {next(self.counter)}"
            if text not in self.enc.strings:
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
            fraction = v.as_fraction()
            return float(fraction)
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
            return AS_OF.isoformat()
        if spec.kind == "enum":
            tp = fields_of(cls)[name].type
            return next(iter(tp)).value
        if spec.kind == "ref":
            return self.person({})
        if name == "id":
            return ident
        return f"{cls.__name__} {ident}"

    def person(self, data: dict[str, Any]) -> str:
        ident = data.get("id") or self.ident("person")
        data = {**data, "id": ident}
        data.setdefault("name", f"Person {ident}")
        self.people.append(data)
        return ident

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
            if f.info.type is m.Person:
                return self.person(data)
            self.sites.append(data)
            return data["id"]
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
        org["as_of"] = AS_OF.isoformat()
        if self.people:
            org["people"] = [*(org.get("people") or []), *self.people]
        if self.sites:
            org["sites"] = [*(org.get("sites") or []), *self.sites]
        return org


# --------------------------------------------------------------------------
# The analysis of one rule, and of a rule set


@attrs.frozen
class RuleAnalysis:
    """Which statuses a rule can give, each with a witness organisation (plain facts data) or None (unreachable)."""

    rule_id: str
    witnesses: dict[Status, dict[str, Any] | None]
    seconds: float
    #: Why the rule was not analysed (a condition the analysis cannot model), or None.
    refused: str | None = None

    def reachable(self, status: Status) -> bool:
        return self.witnesses.get(status) is not None

    def to_dict(self) -> dict[str, Any]:
        if self.refused is not None:
            return {"rule_id": self.rule_id, "not_analysed": self.refused, "seconds": round(self.seconds, 3)}
        return {
            "rule_id": self.rule_id,
            "statuses": {s.value: ("reachable" if self.reachable(s) else "unreachable") for s in STATUSES},
            "witnesses": {s.value: w for s, w in self.witnesses.items() if w is not None},
            "seconds": round(self.seconds, 3),
        }


@attrs.frozen
class Problem:
    """Something the analysis found about the rules, with its witness or its reason.

    ``severity`` is ``problem`` (a rule that cannot do its job: never met,
    never failed, contradicting or repeating another, made automatic or
    impossible by tailoring, a waiver that can never matter) or ``note`` (a
    rule switched off by a reading the Trust has not chosen, as designed).
    """

    kind: str
    rule_id: str
    message: str
    other: str | None = None
    witness: dict[str, Any] | None = None
    severity: str = "problem"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "rule_id": self.rule_id, "other": self.other,
                "message": self.message, "witness": self.witness}


@attrs.frozen
class SetAnalysis:
    """The analysis of a rule set: each rule's reachable statuses, and what was found."""

    rules: tuple[RuleAnalysis, ...]
    problems: tuple[Problem, ...]
    seconds: float

    @property
    def has_problems(self) -> bool:
        return any(p.severity == "problem" for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bound": DEFAULT_BOUND,
            "seconds": round(self.seconds, 3),
            "rules": [r.to_dict() for r in self.rules],
            "problems": [p.to_dict() for p in self.problems],
        }


def _check_witness(rule: Rule, status: Status, witness: dict[str, Any]) -> None:
    """Both engines give ``rule`` the claimed status on the witness: the prover checked by the engines."""
    from natssips_rules.evaluation import evaluate

    ruleset = RuleSet((rule,))
    for engine in ("reference", "durable"):
        report = evaluate(witness, rules=ruleset, engine=engine)
        got = {f.status for f in report.findings_for(rule.id)}
        if status not in got:
            raise AnalysisError(
                f"rule {rule.id!r}: the witness for {status.value} gives {sorted(s.value for s in got)} on the {engine} engine "
                "(a defect of the analysis; please report it)"
            )


def _solve(enc: _Encoder, rule_id: str, *constraints: Any) -> Any:
    solver = enc.z3.Solver()
    solver.add(*enc.facts, *enc.realisable(rule_id), *constraints)
    return solver.model() if solver.check() == enc.z3.sat else None


def analyse_rule(rule: Rule, *, check: bool = True) -> RuleAnalysis:
    """Every status ``rule`` can give, each with a witness checked on both engines (unless ``check`` is False)."""
    if not isinstance(rule, Rule):
        from natssips_rules.errors import ArgumentError

        raise ArgumentError(f"expected a Rule, not {type(rule).__name__}", argument="rule")
    started = time.perf_counter()
    bounds, strings = _bounds_and_strings([rule])
    witnesses: dict[Status, dict[str, Any] | None] = dict.fromkeys(STATUSES)
    for scenario in _scenarios(rule.subject):
        wanted = [status for status in STATUSES if witnesses[status] is None]
        if not wanted:
            break
        # the rule encoded once for this place of its subject; each status is one more constraint on it
        enc = _Encoder(bounds, strings)
        subject, asks = _subject_in(enc, scenario)
        conditions = _statuses(enc, rule, subject, scenario)
        solver = enc.z3.Solver()
        solver.add(*enc.facts, *enc.realisable(rule.id), *asks)
        for status in wanted:
            if status not in conditions:
                continue
            solver.push()
            solver.add(conditions[status])
            if solver.check() == enc.z3.sat:
                witness = _Builder(enc, solver.model()).organisation()
                if check:
                    _check_witness(rule, status, witness)
                witnesses[status] = witness
            solver.pop()
    return RuleAnalysis(rule.id, witnesses, time.perf_counter() - started)


def _analysed_or_refused(rule: Rule, check: bool) -> RuleAnalysis:
    """The rule's analysis, or a record that it was not analysed and why (the rest of the set still is)."""
    started = time.perf_counter()
    try:
        return analyse_rule(rule, check=check)
    except RuleError as exc:
        reason = str(exc).removeprefix(f"rule {rule.id!r}: ")
        return RuleAnalysis(rule.id, dict.fromkeys(STATUSES), time.perf_counter() - started, refused=f"not analysed: {reason}")


def _switched_off(rule: Rule) -> list[str]:
    """The parameters whose reading in force switches the rule off (an ``Option`` false in its applicability)."""
    if rule.applies_when is None:
        return []
    params = rule.parameter_values()
    stack: list[Condition] = [rule.applies_when]
    found: list[str] = []
    while stack:
        c = stack.pop()
        if isinstance(c, Option) and c.value not in tuple(params[c.param]):  # type: ignore[arg-type]
            found.append(c.param)
        elif isinstance(c, (AllOf, Named)):
            stack.extend(c.conditions if isinstance(c, AllOf) else (c.condition,))
    return found


def _problems_of(rule: Rule, result: RuleAnalysis) -> Iterator[Problem]:
    decided = result.reachable(Status.MET) or result.reachable(Status.NOT_MET) or result.reachable(Status.INSUFFICIENT_EVIDENCE)
    if not decided:
        off = _switched_off(rule)
        if off:
            yield Problem("switched_off", rule.id, f"the rule applies to no subject with the reading in force ({', '.join(off)})", severity="note")
        else:
            yield Problem("never_applies", rule.id, "the rule applies to no subject of any organisation")
        return
    if not result.reachable(Status.MET):
        yield Problem("never_met", rule.id, "no organisation can meet this rule (within the bound)")
    if not result.reachable(Status.NOT_MET):
        yield Problem("never_fails", rule.id, "no organisation can fail this rule: it can only be met, lack evidence or not apply",
                      witness=result.witnesses[Status.MET])


def _compare(local: Rule, builtin: Rule, *, both_meetable: bool) -> Iterator[Problem]:
    """A local rule that no organisation meets together with a built-in one, or that always agrees with it."""
    bounds, strings = _bounds_and_strings([local, builtin])
    both_met = False
    differ = False
    for scenario in _scenarios(local.subject):
        if scenario.kind == "empty_list":
            continue
        enc = _Encoder(bounds, strings)
        subject, asks = _subject_in(enc, scenario)
        mine = _statuses(enc, local, subject, scenario)
        theirs = _statuses(enc, builtin, subject, scenario)
        if not both_met and _solve(enc, local.id, *asks, mine[Status.MET], theirs[Status.MET]) is not None:
            both_met = True
        if not differ:
            z3 = enc.z3
            apart = z3.Or([z3.And(mine[a], theirs[b]) for a in STATUSES for b in STATUSES if a is not b])
            differ = _solve(enc, local.id, *asks, apart) is not None
    if both_meetable and not both_met:
        yield Problem("contradicts", local.id, f"no organisation meets both this rule and {builtin.id}", other=builtin.id)
    if not differ:
        yield Problem("repeats", local.id, f"every organisation gets the same status from this rule as from {builtin.id}", other=builtin.id)


def analyse(ruleset: RuleSet, *, waivers: Iterable[Waiver] = (), check: bool = True) -> SetAnalysis:
    """Analyse every rule of ``ruleset`` (built-in rules as tailored, local rules, waivers).

    Reports, each with its witness or reason: rules that can never be met,
    fail or apply; a local rule that contradicts or only repeats a built-in
    one judged for the same subjects; a tailoring that makes a built-in rule
    automatic (it can no longer fail) or impossible (it can no longer be met);
    a waiver for a rule that can never be not met.
    """
    from natssips_rules.standards import builtin_rules

    started = time.perf_counter()
    if not isinstance(ruleset, RuleSet):
        from natssips_rules.errors import ArgumentError

        raise ArgumentError(f"expected a RuleSet, not {type(ruleset).__name__}", argument="ruleset")
    results = tuple(_analysed_or_refused(rule, check) for rule in ruleset)
    by_id = {r.rule_id: r for r in results if r.refused is None}
    problems: list[Problem] = []
    for rule, result in zip(ruleset, results, strict=True):
        if result.refused is not None:
            problems.append(Problem("not_analysed", rule.id, result.refused, severity="note"))
        else:
            problems.extend(_problems_of(rule, result))
    base = builtin_rules()
    for tailored in sorted({t.rule_id for t in ruleset.tailoring if t.action != "exclude"}):
        if tailored not in by_id or tailored not in base:  # excluded, or not analysed
            continue
        before = analyse_rule(base[tailored], check=False)
        after = by_id[tailored]
        if before.reachable(Status.NOT_MET) and not after.reachable(Status.NOT_MET):
            problems.append(Problem("tailoring_automatic", tailored, "the tailoring makes this rule impossible to fail"))
        if before.reachable(Status.MET) and not after.reachable(Status.MET):
            problems.append(Problem("tailoring_impossible", tailored, "the tailoring makes this rule impossible to meet"))
    locals_ = [r for r in ruleset if r.origin == "local"]
    builtins = [r for r in ruleset if r.origin != "local"]
    for local in locals_:
        for builtin in builtins:
            if builtin.subject is local.subject and local.id in by_id and builtin.id in by_id:
                meetable = by_id[local.id].reachable(Status.MET) and by_id[builtin.id].reachable(Status.MET)
                try:
                    problems.extend(list(_compare(local, builtin, both_meetable=meetable)))
                except RuleError as exc:  # together they read what neither does alone (a list and references into it)
                    reason = str(exc).removeprefix(f"rule {local.id!r}: ")
                    problems.append(Problem("not_compared", local.id, f"not compared with {builtin.id}: {reason}",
                                            other=builtin.id, severity="note"))
    for waiver in (*ruleset.waivers, *waivers):
        found = by_id.get(waiver.rule_id)
        if found is not None and not found.reachable(Status.NOT_MET):
            problems.append(Problem("waiver_useless", waiver.rule_id, "a waiver for a rule that no organisation can fail"))
    return SetAnalysis(results, tuple(problems), time.perf_counter() - started)
