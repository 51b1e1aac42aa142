"""Why a finding is what it is: the evidence read, and the parts of the condition that decided it, in words.

Worked out the same way for every engine (after it has decided), from the
condition language itself, so local rules are explained as the built-in ones
are. For each finding:

* ``evidence_for`` lists the facts the rule reads for the subject, located in
  the facts (``people[p2].substantive``), including each item of a list the
  rule counts or sums (each lead's profession and seniority, each member's
  profession), not only the list's length;
* ``explain`` names the parts that decided the status, each with the value
  read, what is required (the threshold in force, and whether it is the
  standard's own, this library's default, or the Trust's), the question to
  answer where a fact is not known, and what to do: the part's own remedy (a
  ``Named`` part's), or "record ..." with the question.

Kleene logic decides which parts matter: a conjunction fails by each part that
fails; a disjunction fails only when every part fails; an unknown result is
explained by its unknown parts; "if A then B" fails when A holds and B fails,
and says so ("as the organisation is a large Trust").
"""

import datetime
import enum
import math
from typing import Any, Literal, assert_never

import attrs

from natssips_rules.engine.kleene import Truth, all_of, any_of, sum_range
from natssips_rules.engine.reference import ABSENT, FROM_ROOT, MISSING, judge, read
from natssips_rules.engine.subjects import Context, SubjectEntry, UnknownItem
from natssips_rules.facts.model import FieldSpec, NatssipsLead, Organisation, Person, Site, Specialty
from natssips_rules.facts.paths import FieldInfo, fields_of, resolve_path
from natssips_rules.report.wording import value_text
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
)
from natssips_rules.rules.findings import EvidenceItem, Reason, Status
from natssips_rules.rules.model import Level, Parameter, Rule

__all__ = ["MAX_LISTED", "Explainer", "evidence_for"]

ReasonState = Literal["failed", "unknown", "holds"]
#: An item of a list, as explained: the item, its class, where it is in the facts, and its name.
Item = tuple[Any, type[Any], str, str]

#: Most entries of one list a finding shows, in its evidence and in the parts that decided it (in the order of
#: their ids; it says how many more there are). Every entry is judged: this bounds only what a finding lists,
#: so that a rule about each of many subjects reading a long list of the organisation's stays readable (and
#: the report does not grow with the square of the list).
MAX_LISTED = 50

OP_WORDS = {"==": "", "!=": "not ", "<": "less than ", "<=": "at most ", ">": "more than ", ">=": "at least "}
COUNT_WORDS = {"==": "exactly", "!=": "other than", "<": "fewer than", "<=": "at most", ">": "more than", ">=": "at least"}


#: Values a report holds as they are (most facts read): tested first, by their exact type.
_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})


def plain_value(value: Any) -> Any:
    """A fact value as a report holds it (JSON-ready)."""
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value._value_  # the member's value (what its ``value`` property returns, read directly)
    if attrs.has(type(value)):
        return True  # a group of facts (the Board, a person) read as a whole: it is recorded
    return value


def in_words(value: Any, info: FieldInfo | None = None) -> str:
    """A fact or constant in words: enumeration values by their label."""
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if info is not None and isinstance(info.type, type) and issubclass(info.type, enum.Enum):
        if isinstance(value, str) and value in info.type._value2member_map_:
            return str(getattr(info.type(value), "label", value))
        if isinstance(value, (list, tuple)):
            return and_list([in_words(v, info) for v in value])
    if isinstance(value, (list, tuple)):
        return and_list([in_words(v) for v in value])
    if attrs.has(type(value)):
        return "recorded"
    return value_text(value)


def and_list(items: list[str]) -> str:
    if not items:
        return "(none)"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return and_list(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


@attrs.define
class At:
    """Where a path led: the value (or MISSING / ABSENT), where it is in the facts, and whose it is."""

    value: Any
    location: str
    owner: str
    info: FieldInfo
    spec: FieldSpec | None
    #: the evidence item of this reading, made the first time a finding shows it
    item: EvidenceItem | None = None


def entity_name(ctx: Context, obj: Any) -> str:
    if isinstance(obj, (Person, Site, Specialty)):
        return str(obj.name)
    if isinstance(obj, NatssipsLead):
        return ctx.person_name(obj.person)
    return ""


def fact_at(obj: Any, cls: type[Any], path: str, ctx: Context, location: str, owner: str) -> At:
    """Follow ``path`` from ``obj`` (at ``location``, named ``owner``), as the reference engine reads it.

    Worked out once per evaluation for each object and path (many rules read the same facts).
    """
    if path.startswith(FROM_ROOT):  # the same from every subject: read once, from the organisation
        obj, cls, location, owner = ctx.org, Organisation, "", ctx.org.name
    key = ("at", id(obj), cls, path, location, owner)
    found: At | None = ctx.memo.get(key)
    if found is None:
        ctx.keep(obj)  # the id in the key stays this object's for the evaluation
        found = ctx.memo[key] = _follow(obj, cls, path, ctx, location, owner)
    return found


def _follow(obj: Any, cls: type[Any], path: str, ctx: Context, location: str, owner: str) -> At:
    resolved = resolve_path(cls, path)
    names = resolved.names
    value = read(obj, cls, path, ctx)
    last = names[-1]
    if resolved.field.kind == "enumset" and isinstance(value, tuple):
        # a set of values: in the enumeration's order, never in the order the facts happened to list them
        value = tuple(member for member in resolved.field.type if member in value)
    if resolved.from_root:
        obj, location, owner = ctx.org, "", ctx.org.name
    elif not resolved.hops:  # a field of the object itself: the common case
        return At(value, f"{location}.{last}" if location else last, owner, resolved.field, spec_of(resolved.owner, last))
    owner_cls = resolved.owner if not resolved.hops else (ctx.org.__class__ if resolved.from_root else cls)
    for (info, target), name in zip(resolved.hops, names, strict=False):
        step = getattr(obj, name) if obj is not None and obj is not False else None
        if step is False and value is ABSENT:
            # the path stops at a fact recorded as none (no portfolio holder, no specialty lead): that is what is missing
            here = f"{location}.{name}" if location else name
            return At(ABSENT, here, owner, info, spec_of(owner_cls, name))
        if step is None and value is MISSING and obj is not None and obj is not False:
            # the path stops at a fact that is not known (a site's lead): that is what to ask for
            here = f"{location}.{name}" if location else name
            return At(MISSING, here, owner, info, spec_of(owner_cls, name))
        if info.kind == "ref" and step is not None and step is not False:
            location = ctx.locations[target].get(step, f"{location}.{name}")
            obj = ctx.entities[target].get(step)
            owner = entity_name(ctx, obj) or owner
        else:
            location = f"{location}.{name}" if location else name
            obj = step
        owner_cls = target
    location = f"{location}.{last}" if location else last
    return At(value, location, owner, resolved.field, spec_of(resolved.owner, last))


def at_words(resolved: Any) -> At:
    """Where a path leads when it has a value, without the value: its field's type, unit and labels (the same for
    every object it is read from), for wording what a part asks of it."""
    return At(None, "", "", resolved.field, spec_of(resolved.owner, resolved.names[-1]))


_SPECS: dict[tuple[type[Any], str], FieldSpec | None] = {}


def spec_of(cls: type[Any], name: str) -> FieldSpec | None:
    key = (cls, name)
    if key not in _SPECS:
        found = attrs.fields_dict(cls).get(name) if attrs.has(cls) else None
        _SPECS[key] = None if found is None else found.metadata.get("spec")
    return _SPECS[key]


def label_of(at: At) -> str:
    return at.spec.label if at.spec is not None else at.info.name.replace("_", " ")


def question_for(at: At) -> str:
    """The question whose answer supplies the fact: the one written beside the field, or one made from its label."""
    if at.spec is None or at.spec.question is None:
        return f"For {at.owner}, what is recorded for '{label_of(at)}' (in the facts at {at.location})?"
    return at.spec.question.replace("{name}", at.owner)


def unit_of(at: At) -> str:
    return f" {at.spec.unit}" if at.spec is not None and at.spec.unit else ""


# --------------------------------------------------------------------------
# Evidence


def evidence_for(rule: Rule, entry: SubjectEntry, ctx: Context) -> tuple[EvidenceItem, ...]:
    """The facts a rule reads for one subject, located in the facts, each item of a counted list included."""
    out: dict[str, EvidenceItem] = {}
    cls = rule.subject.facts_class
    for cond in (rule.applies_when, rule.holds):
        if cond is not None:
            read_plan(plan_of(cond), entry.obj, cls, ctx, entry.location, entry.ref.name, out)
    return tuple(out.values())


#: A condition's reading plan: what it reads, in order, each path once (see :func:`plan_of`).
Plan = tuple[tuple[str, str, Any], ...]
_PLANS: dict[int, tuple[Condition, Plan]] = {}
_MAX_PLANS = 1 << 16


def plan_of(cond: Condition) -> Plan:
    """What ``cond`` reads, in the order it reads it: ``("leaf", path, None)`` for a fact, and
    ``("list", path, (item plan, summed field))`` for a counted list; each entry once.

    Worked out once per condition (many findings, and many rules, share the same conditions).
    """
    found = _PLANS.get(id(cond))
    if found is not None and found[0] is cond:
        return found[1]
    steps: dict[tuple[str, str, Any], None] = {}

    def walk(node: Condition) -> None:
        match node:
            case Count() | Sum() | Covers():
                inner: Plan = ()
                if isinstance(node, Covers):
                    inner = (("leaf", node.field, None),)
                elif node.where is not None:
                    inner = plan_of(node.where)
                summed = node.field if isinstance(node, Sum) else None
                steps.setdefault(("list", node.path, (inner, summed)), None)
            case Compare() | IsKnown() | In() | Includes() | WithinDays() | Present():
                steps.setdefault(("leaf", node.path, None), None)
            case AllOf() | AnyOf() | Not() | Named() | Option():
                for sub in children(node):
                    walk(sub)
            case _:
                assert_never(node)  # mypy names a kind of condition this plan misses

    walk(cond)
    plan = tuple(steps)
    if len(_PLANS) >= _MAX_PLANS:  # a process that builds rule sets over and over keeps a bounded number
        _PLANS.clear()
    _PLANS[id(cond)] = (cond, plan)
    return plan


def read_plan(
    plan: Plan, obj: Any, cls: type[Any], ctx: Context, location: str, owner: str, out: dict[str, EvidenceItem]
) -> None:
    """Add what ``plan`` reads from ``obj`` to ``out`` (by location; the first reading of a location is kept)."""
    for kind, path, extra in plan:
        at = fact_at(obj, cls, path, ctx, location, owner)
        if kind == "leaf" and at.info.kind == "collection":
            # a list of entries read whole (is it known?): its evidence is how many entries it has, as for a count
            kind, extra = "list", ((), None)
        if kind == "list":
            where = f"{at.location} (number of entries)"
            if where not in out:
                size = None if at.value is MISSING or at.value is ABSENT else len(at.value)
                out[where] = EvidenceItem(where, size, absent=at.value is ABSENT)
            inner, summed = extra
            listed = items_at(obj, cls, path, ctx, location, owner)
            for item, item_cls, item_location, item_owner in listed[:MAX_LISTED]:
                if summed is not None:
                    read_plan((("leaf", summed, None),), item, item_cls, ctx, item_location, item_owner, out)
                read_plan(inner, item, item_cls, ctx, item_location, item_owner, out)
            if len(listed) > MAX_LISTED:
                more = f"{at.location} (entries after the first {MAX_LISTED} by id, not listed)"
                out.setdefault(more, EvidenceItem(more, len(listed) - MAX_LISTED))
            continue
        if at.location not in out:
            out[at.location] = evidence_item(at)


def evidence_item(at: At) -> EvidenceItem:
    """The evidence item of one fact read (the same for every finding that reads it: made once)."""
    item = at.item
    if item is None:
        value: Any = None if at.value is MISSING or at.value is ABSENT else at.value
        if at.info.kind == "object" and value is not None:
            value = True  # the nested fact is there (its fields are evidence of their own)
        item = EvidenceItem(at.location, plain_value(value), absent=at.value is ABSENT)
        at.item = item
    return item


def items_at(obj: Any, cls: type[Any], path: str, ctx: Context, location: str, owner: str) -> list[Item]:
    """Each item of the list at ``path`` (none if it is not known): the item, its class, where it is, and its name.

    In the order of their ids, so the order the facts list them in never changes a report; worked out once per
    evaluation for each list (a list of the organisation's, read by a rule about each site, once in all).
    """
    at = fact_at(obj, cls, path, ctx, location, owner)
    key = ("items", id(at))
    found: list[Item] | None = ctx.memo.get(key)
    if found is not None:
        return found
    ctx.keep(at)
    found = ctx.memo[key] = []
    if at.value is MISSING or at.value is ABSENT:
        return found
    info = resolve_path(cls, path).field
    if info.kind == "reflist":
        for item in sorted(at.value):
            entity = ctx.entities[info.type][item]
            found.append((entity, info.type, ctx.locations[info.type][item], entity_name(ctx, entity) or item))
        return found
    keyed = sorted(
        ((getattr(item, "id", None) or getattr(item, "person", None) or "", index, item) for index, item in enumerate(at.value))
    )
    for key_text, index, item in keyed:
        where = f"{at.location}[{key_text}]" if key_text else f"{at.location}[{index}]"
        found.append((item, info.type, where, entity_name(ctx, item) or f"entry {index + 1} of {label_of(at)}"))
    return found


# --------------------------------------------------------------------------
# Reasons


def unknown_list_reasons(field: str, ctx: Context) -> tuple[Reason, ...]:
    """The reason of a finding for the entries of a list the facts leave out (``field``, a list of the organisation's)."""
    spec = spec_of(Organisation, field)
    words = field.replace("_", " ")
    question = (
        f"What are the {words} of {ctx.org.name}?"
        if spec is None or spec.question is None
        else spec.question.replace("{name}", ctx.org.name)
    )
    return (
        Reason(
            text=f"the organisation's {words} are not known, so no entry of them can be judged",
            state="unknown",
            path=field,
            question=question,
            action=f"Record: {question}" if question else f"List the organisation's {words} ({field}).",
        ),
    )


def remedies_of(rule: Rule) -> frozenset[str]:
    """The advice written in the rule's own parts (each ``Named`` part's remedy)."""
    found: set[str] = set()
    stack = [c for c in (rule.applies_when, rule.holds) if c is not None]
    while stack:
        cond = stack.pop()
        if isinstance(cond, Named) and cond.remedy:
            found.add(cond.remedy)
        stack.extend(children(cond))
    return frozenset(found)


def unlisted(at: At, left: int, want: Truth, which: str) -> Reason:
    """The entries of a list beyond the :data:`MAX_LISTED` a finding shows, counted."""
    return Reason(
        text=f"{at.owner}: {label_of(at)}: {left:,} more {which}, not listed here (a finding lists the first {MAX_LISTED} by id)",
        state="unknown" if want is None else "failed",
    )


def _not_known(at: At, record: str) -> Reason:
    """The reason of a part on a fact (or a list) that is not known: its question, and what to record, as
    ``record`` says it where the fact has no question."""
    question = question_for(at)
    return Reason(
        text=f"{at.owner}: {label_of(at)}: not known",
        state="unknown",
        path=at.location,
        value=None,
        question=question,
        action=f"Record: {question}" if question else record,
    )


def unknown_list(at: At) -> Reason:
    """The reason of a part on a list that is not known."""
    return _not_known(at, f"Record {label_of(at)} ({at.location}).")


def fact_without_value(at: At, want: Truth, as_of: datetime.date, *, dated: bool) -> Reason | None:
    """The reason of a part on one fact read where its value is not evidence: the facts record there is none, it
    is not known, or (``dated``: a ``within_days`` part) it is dated after the evaluation date ``as_of``; None
    where the fact has a value to judge (then :func:`fact_said` words it)."""
    value, label = at.value, label_of(at)
    if value is ABSENT:
        return Reason(
            text=f"{at.owner}: {label}: none (the facts record that there is none)",
            state="failed" if want is False else "holds",
            path=at.location,
            value=None,
            action=None,
        )
    if value is MISSING:
        return _not_known(at, f"Record {label} for {at.owner} ({at.location}).")
    if dated and isinstance(value, datetime.date) and value > as_of:
        return Reason(
            text=(
                f"{at.owner}: {label}: {value.isoformat()}, after the evaluation date ({as_of.isoformat()}), "
                "so not evidence at that date"
            ),
            state="unknown",
            path=at.location,
            value=plain_value(value),
            question=question_for(at),
            action=f"Record the fact as it stood on {as_of.isoformat()}, or evaluate at a later date.",
        )
    return None


def fact_said(want: Truth, value: Any, read: At, who: str, where: str, requirement: str, verb: str, asked: str) -> Reason:
    """The reason of a part on one fact that has ``value`` (read as ``read`` says: its field, labels and unit), whose
    it is and where; ``requirement``: what the part asks, in words ("required: ..."); ``verb``: the clause's, for
    the advice ("should be", "must include"); ``asked``: "required" or "suggested"."""
    label = label_of(read)
    value_words = in_words(value, read.info) + (unit_of(read) if read.info.is_number else "")
    state: ReasonState = "failed" if want is False else "holds"
    text = f"{who}: {label}: {value_words}" + (f" ({requirement})" if requirement and want is False else "")
    wanted = requirement.removeprefix(f"{asked}: ").removeprefix("including ")
    action = f"{who}: {label} {verb} {wanted}" if want is False and requirement else None
    return Reason(text=text, state=state, path=where, value=plain_value(value), action=action)


class Explainer:
    """Explains the findings of one rule set: parameters' standing (the standard's, this library's, the Trust's)."""

    def __init__(self, tailored: set[tuple[str, str]]) -> None:
        #: (rule id, parameter) pairs a Trust's tailoring set
        self.tailored = tailored

    def explain(self, rule: Rule, status: Status, entry: SubjectEntry, ctx: Context) -> tuple[Reason, ...]:
        """The parts of ``rule``'s conditions that decided ``status`` for ``entry``, in words."""
        if status is Status.MET:
            return ()
        if isinstance(entry.obj, UnknownItem):
            return unknown_list_reasons(entry.location, ctx)
        walk = _Walk(self, rule, ctx)
        cls = rule.subject.facts_class
        obj = entry.obj
        reasons: list[Reason] = []
        if status is Status.NOT_APPLICABLE and rule.applies_when is not None:
            reasons = walk.why(rule.applies_when, False, obj, cls, entry.location, entry.ref.name)
        elif status is Status.NOT_MET:
            reasons = walk.why(rule.holds, False, obj, cls, entry.location, entry.ref.name)
        else:
            if rule.applies_when is not None and walk.truth(rule.applies_when, obj, cls) is None:
                reasons += walk.why(rule.applies_when, None, obj, cls, entry.location, entry.ref.name)
            if walk.truth(rule.holds, obj, cls) is None:
                reasons += walk.why(rule.holds, None, obj, cls, entry.location, entry.ref.name)
        # one reason per fact and state: two parts reading the same unknown fact ask one question
        unique: dict[tuple[str | None, str, str], Reason] = {}
        for reason in reasons:
            key = (reason.path, reason.state, reason.text if reason.path is None else "")
            unique.setdefault(key, reason)
        return tuple(unique.values())

    def parameter_note(self, rule: Rule, name: str) -> str:
        parameter = next((p for p in rule.parameters if p.name == name), None)
        if rule.origin != "natssips":
            return f"{name}, the Trust's own figure"
        if (rule.id, name) in self.tailored:
            return f"{name}, as set by the Trust's tailoring"
        if parameter is not None and parameter.from_standard:
            return f"{name}, the standard's own"
        if parameter is not None and parameter.reading is not None:
            return f"{name}, {parameter.reading}"
        return f"{name}, this library's default, not a NatSSIPs figure"


def requirement_words(cond: Any, at: At, params: dict[str, Any], as_of: datetime.date) -> tuple[Any, str] | None:
    """What a part on one fact asks, in words, with the constant or parameter it names (None: the part asks nothing
    of the fact); ``at`` is where the fact was read (its field's type, unit and labels), ``params`` the rule's
    values in force and ``as_of`` the evaluation date."""

    def value(v: Any) -> Any:
        return params[v.name] if isinstance(v, Param) else v

    match cond:
        case Compare():
            wanted = value(cond.value)
            if at.info.type is bool:
                return cond.value, value_text(wanted if cond.op == "==" else not wanted)
            return cond.value, f"{OP_WORDS[cond.op]}{in_words(wanted, at.info)}{unit_of(at) if at.info.is_number else ''}"
        case In():
            return cond.values, f"one of {or_list([in_words(v, at.info) for v in value(cond.values)])}"
        case Includes():
            return cond.values, f"including {and_list([in_words(v, at.info) for v in value(cond.values)])}"
        case WithinDays():
            days = value(cond.days)
            if days >= as_of.toordinal():  # earlier than 0001-01-01: any date up to the evaluation date
                return cond.days, f"on or before {as_of.isoformat()} (at most {days} days before it)"
            earliest = as_of - datetime.timedelta(days=days)
            return cond.days, f"on or after {earliest.isoformat()} ({days} days before {as_of.isoformat()})"
        case Present():
            return None, "present"
        case IsKnown():
            return None, "recorded"
    return None


def where_words(where: Condition, item_cls: type[Any], params: dict[str, Any]) -> str:
    """What an entry must be to qualify, in words ("has profession midwifery", "is marked 'in training'")."""
    if isinstance(where, Named):
        return f"qualifies ({where.name})"
    if isinstance(where, (Compare, In)) and "." not in where.path:
        found = attrs.fields_dict(item_cls).get(where.path) if attrs.has(item_cls) else None
        spec = None if found is None else found.metadata.get("spec")
        label = spec.label if spec is not None else where.path.replace("_", " ")
        if isinstance(where, In):
            values = params[where.values.name] if isinstance(where.values, Param) else where.values
            return f"has {label} {or_list([in_words(v, fields_of(item_cls).get(where.path)) for v in values])}"
        if where.op == "==" and where.value is True:
            return label if label.startswith("is ") else f"is recorded as '{label}'"
        if where.op == "==" and not isinstance(where.value, Param):
            return f"has {label} {in_words(where.value, fields_of(item_cls).get(where.path))}"
    return "qualifies"


def reading_of(rule: Rule, tailored: set[tuple[str, str]], name: str) -> str:
    """Whose reading a parameter's value is: the Trust's (tailored, or its own rule's) or this library's default."""
    if rule.origin != "natssips":
        return f"the Trust's rule ({name})"
    if (rule.id, name) in tailored:
        return f"the Trust's tailored reading ({name})"
    return f"this library's default reading ({name}; a Trust may change it)"


class _Walk:
    """One rule's conditions walked for one subject."""

    def __init__(self, explainer: Explainer, rule: Rule, ctx: Context) -> None:
        self.explainer = explainer
        self.rule = rule
        self.ctx = ctx
        # a suggestion of the standard (a "may") is worded as one: what it suggests, what could be done
        suggestion = rule.level is Level.MAY
        self.asked = "suggested" if suggestion else "required"
        # generated advice keeps the clause's own verb: "must" only for a "must", "should" for a "should" clause
        self.must = "could" if suggestion else ("must" if rule.level is Level.MUST else "should")
        self.parameters: dict[str, Parameter] = {p.name: p for p in rule.parameters}
        # the truths worked out for this rule in this evaluation (the rule is kept so that its id stays its own)
        ctx.keep(rule)
        self.truths: dict[tuple[int, int, type[Any]], Truth] = ctx.memo.setdefault(("truths", id(rule)), {})
        # the reasons of the rule's list parts (how many qualify, and which do not), worked out once per list
        self.listed_reasons: dict[tuple[Any, ...], list[Reason]] = ctx.memo.setdefault(("reasons", id(rule)), {})
        # one dict of the rule's parameter values for the evaluation, so that what is judged once per
        # evaluation for a rule's parameters (a list of the organisation's) is judged once
        params = ctx.memo.get(("params", id(rule)))
        if params is None:
            params = ctx.memo[("params", id(rule))] = rule.parameter_values()
        self.params = params

    def truth(self, cond: Condition, obj: Any, cls: type[Any]) -> Truth:
        """The truth of a part of the rule's conditions for ``obj``: judged once per evaluation for each part and
        object (parts recur across findings), keyed by identity (the objects of a key are kept alive for the
        evaluation, so a part made on the fly never finds another's truth)."""
        key = (id(cond), id(obj), cls)
        truths = self.truths
        if key in truths:
            found: Truth = truths[key]
            return found
        # a combination of parts from its parts' (memoised) truths, so a part is judged once however deep the walk goes
        match cond:
            case AllOf():
                found = all_of(self.truth(sub, obj, cls) for sub in cond.conditions)
            case AnyOf():
                found = any_of(self.truth(sub, obj, cls) for sub in cond.conditions)
            case Not():
                inner = self.truth(cond.condition, obj, cls)
                found = None if inner is None else not inner
            case Named():
                found = self.truth(cond.condition, obj, cls)
            case _:
                found = judge(cond, obj, cls, self.ctx, self.params)
        self.ctx.keep(cond, obj)  # the ids in the key stay these objects' for the evaluation
        truths[key] = found
        return found

    def value(self, value: Any) -> Any:
        return self.params[value.name] if isinstance(value, Param) else value

    def required(self, value: Any, words: str, context: str | None = None) -> str:
        """ "required: <words>, <why>; <the parameter's standing>" (why: the context, where there is one); "suggested"
        for a suggestion of the standard (a "may"), which is never worded as a requirement."""
        text = f"{self.asked}: {words}"
        if context:
            text += f", {context}"
        if isinstance(value, Param):
            text += f"; {self.explainer.parameter_note(self.rule, value.name)}"
        return text

    def why(
        self, cond: Condition, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None = None
    ) -> list[Reason]:
        """The reasons ``cond`` has the truth ``want`` (which it has) for ``obj``."""
        match cond:
            case AllOf():
                return [
                    r
                    for sub in cond.conditions
                    if self.truth(sub, obj, cls) is want
                    for r in self.why(sub, want, obj, cls, location, owner, context)
                ]
            case AnyOf():
                return self.any_of(cond, want, obj, cls, location, owner, context)
            case Not():
                return self.why(cond.condition, None if want is None else not want, obj, cls, location, owner, context)
            case Named():
                reasons = self.why(cond.condition, want, obj, cls, location, owner, context)
                if cond.remedy is not None and want is False:
                    reasons = [r if r.action and r.state != "failed" else attrs.evolve(r, action=cond.remedy) for r in reasons]
                if not reasons and want is not None:
                    return [Reason(text=f"{owner}: {'' if want else 'not: '}{cond.name}", state="holds" if want else "failed")]
                return reasons
            case Count() | Sum() | Covers():
                return self.list_part(cond, want, obj, cls, location, owner, context)
            case Option():
                words = f"{self.reading(cond.param)} {'includes' if want else 'does not include'} {cond.value!r}"
                return [Reason(text=words, state="holds" if want else "failed")]
            case Compare() | IsKnown() | In() | Includes() | Present() | WithinDays():
                return [self.leaf(cond, want, obj, cls, location, owner, context)]
        assert_never(cond)  # mypy names a kind of condition no case explains

    def any_of(
        self, cond: AnyOf, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None
    ) -> list[Reason]:
        parts = cond.conditions
        if len(parts) == 2 and isinstance(parts[0], Not):
            # "if A then B": fails when A holds and B fails; A is the context of B's reasons
            condition, then = parts[0].condition, parts[1]
            if self.truth(condition, obj, cls) is True:
                why = f"as {condition.name}" if isinstance(condition, Named) else None
                return self.why(then, want, obj, cls, location, owner, why or context)
        # a part that holds only under a reading not in force (an Option the parameters in force rule out) did not
        # decide the finding: it is left out, so no requirement that is not in force is stated
        decided = [
            sub for sub in parts if self.truth(sub, obj, cls) is want and not (want is not True and self.ruled_out(sub, obj, cls))
        ]
        if not decided and want is not True:
            decided = [sub for sub in parts if self.truth(sub, obj, cls) is want]
        return [r for sub in decided for r in self.why(sub, want, obj, cls, location, owner, context)]

    def ruled_out(self, cond: Condition, obj: Any, cls: type[Any]) -> bool:
        """``cond`` is a conjunction with a reading (an Option) that the parameters in force exclude."""
        return isinstance(cond, AllOf) and any(
            isinstance(part, Option) and self.truth(part, obj, cls) is False for part in cond.conditions
        )

    def reading(self, name: str) -> str:
        return reading_of(self.rule, self.explainer.tailored, name)

    def leaf(self, cond: Any, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None) -> Reason:
        at = fact_at(obj, cls, cond.path, self.ctx, location, owner)
        unvalued = fact_without_value(at, want, self.ctx.as_of, dated=isinstance(cond, WithinDays))
        if unvalued is not None:
            return unvalued
        verb = f"{self.must} include" if isinstance(cond, Includes) else f"{self.must} be"
        return fact_said(want, at.value, at, at.owner, at.location, self.requirement(cond, at, context), verb, self.asked)

    def requirement(self, cond: Any, at: At, context: str | None) -> str:
        found = requirement_words(cond, at, self.params, self.ctx.as_of)
        return "" if found is None else self.required(found[0], found[1], context)

    def _items(self, cond: Any, obj: Any, cls: type[Any], location: str, owner: str) -> list[Item]:
        return items_at(obj, cls, cond.path, self.ctx, location, owner)

    def list_part(
        self, cond: Count | Sum | Covers, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None
    ) -> list[Reason]:
        """The reasons of a part on a list, worked out once per evaluation for each list (a list of the
        organisation's, explained in the findings of every subject, once in all)."""
        place: tuple[Any, ...] = ("organisation",) if cond.path.startswith(FROM_ROOT) else (id(obj), cls, location, owner)
        key = (id(cond), want, context, *place)
        found = self.listed_reasons.get(key)
        if found is None:
            if isinstance(cond, Count):
                found = self.count(cond, want, obj, cls, location, owner, context)
            elif isinstance(cond, Sum):
                found = self.sum(cond, want, obj, cls, location, owner, context)
            else:
                found = self.covers(cond, want, obj, cls, location, owner, context)
            self.ctx.keep(cond, obj)
            self.listed_reasons[key] = found
        return list(found)  # a copy: callers add to what they are given

    def each(
        self, at: At, picked: list[Item], cond: Condition, want: Truth, listed_want: Truth, context: str | None
    ) -> list[Reason]:
        """Why ``cond`` has the truth ``want`` for each of the first :data:`MAX_LISTED` ``picked`` entries of the
        list at ``at``, and how many more there are (``listed_want``: the truth the list's part has)."""
        out = [
            r
            for item, item_cls, where, name in picked[:MAX_LISTED]
            for r in self.why(cond, want, item, item_cls, where, name, context)
        ]
        if len(picked) > MAX_LISTED:
            out.append(unlisted(at, len(picked) - MAX_LISTED, listed_want, "entries like these"))
        return out

    def list_reason(self, cond: Any, obj: Any, cls: type[Any], location: str, owner: str) -> Reason | None:
        """The reason when the list itself is not known, or recorded as absent."""
        at = fact_at(obj, cls, cond.path, self.ctx, location, owner)
        return unknown_list(at) if at.value is MISSING else None

    def count(
        self, cond: Count, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None
    ) -> list[Reason]:
        listed = self.list_reason(cond, obj, cls, location, owner)
        if listed is not None:
            return [listed]
        items = self._items(cond, obj, cls, location, owner)
        at = fact_at(obj, cls, cond.path, self.ctx, location, owner)
        n = self.value(cond.value)
        if cond.where is None:
            required = self.required(cond.value, f"{COUNT_WORDS[cond.op]} {n}", context)
            return [
                Reason(
                    text=f"{at.owner}: {label_of(at)}: {len(items)} ({required})",
                    state="failed" if want is False else "holds",
                    path=f"{at.location} (number of entries)",
                    value=len(items),
                )
            ]
        matches = [(self.truth(cond.where, item, item_cls), item, item_cls, where, name) for item, item_cls, where, name in items]
        exists = cond.op == ">=" and n == 1
        every = cond.op == "==" and n == 0 and isinstance(cond.where, Not)
        if exists and not items and want is False:
            return [
                Reason(
                    text=f"{at.owner}: {label_of(at)}: none recorded",
                    state="failed",
                    path=f"{at.location} (number of entries)",
                    value=0,
                )
            ]
        if exists and want is False:
            # no entry qualifies: said of the list as a whole ("no member's profession is midwifery"), not entry by entry
            # (each entry's value is in the evidence)
            wanted = self.where_words(cond.where, items[0][1]) if cond.where is not None else "qualifies"
            whole = Reason(
                text=f"{at.owner}: {label_of(at)}: none of the {len(items)} listed {wanted}",
                state="failed",
                path=f"{at.location} (number of entries)",
                value=0,
            )
            if cond.where is None or not wanted.startswith("qualifies"):
                return [whole]
            # what an entry must be is more than one fact (a lead who is a substantive senior clinician, ...): the
            # whole list's sentence cannot say which part each entry misses, so each entry's reason follows it
            return [whole, *self.each(at, [m[1:] for m in matches], cond.where, False, False, context)]
        out: list[Reason] = []
        if every:
            inner = cond.where.condition  # type: ignore[union-attr]
            # items for which the inner condition fails (or is unknown)
            picked = [m[1:] for m in matches if m[0] is (None if want is None else True)]
            return out + self.each(at, picked, inner, None if want is None else False, want, context)
        if not exists:
            low = sum(1 for m in matches if m[0] is True)
            high = sum(1 for m in matches if m[0] is not False)
            counted = f"{low}" if low == high else f"between {low} and {high}"
            required = self.required(cond.value, f"{COUNT_WORDS[cond.op]} {n}", context)
            out.append(
                Reason(
                    text=f"{at.owner}: {label_of(at)} that qualify: {counted} of {len(items)} ({required})",
                    state="unknown" if want is None else "failed",
                )
            )
        picked = [m[1:] for m in matches if m[0] is want] if want is not True else []  # those that do not qualify (or may not)
        return out + self.each(at, picked, cond.where, want, want, context)

    def where_words(self, where: Condition, item_cls: type[Any]) -> str:
        return where_words(where, item_cls, self.params)

    def sum(
        self, cond: Sum, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None
    ) -> list[Reason]:
        listed = self.list_reason(cond, obj, cls, location, owner)
        if listed is not None:
            return [listed]
        items = self._items(cond, obj, cls, location, owner)
        at = fact_at(obj, cls, cond.path, self.ctx, location, owner)
        pairs = []
        shares = []
        out: list[Reason] = []
        unsure = 0  # entries with something not known, each explained up to MAX_LISTED
        for item, item_cls, where, name in items:
            match: Truth = True if cond.where is None else self.truth(cond.where, item, item_cls)
            number = getattr(item, cond.field)
            pairs.append((match, number))
            if match is not False:
                shares.append(f"{name} {value_text(number) if number is not None else 'not known'}")
            if match is None or (match is not False and number is None):
                unsure += 1
                if unsure > MAX_LISTED:
                    continue
            if match is not False and number is None:
                out += self.why(Compare(cond.field, ">=", 0), None, item, item_cls, where, name)
            if match is None:
                out += self.why(cond.where, None, item, item_cls, where, name) if cond.where is not None else []
        if unsure > MAX_LISTED:
            out.append(unlisted(at, unsure - MAX_LISTED, None, "entries with facts not known"))
        if len(shares) > MAX_LISTED:
            shares[MAX_LISTED:] = [f"and {len(shares) - MAX_LISTED:,} more"]
        low, high = sum_range(pairs)
        n = self.value(cond.value)
        spec = spec_of(at.info.type, cond.field)
        unit = f" {spec.unit}" if spec is not None and spec.unit else ""
        label = spec.label if spec is not None else cond.field.replace("_", " ")
        total = (
            value_text(low)
            if low == high
            else (f"at least {value_text(low)}" if high == math.inf else f"{value_text(low)} to {value_text(high)}")
        )
        required = self.required(cond.value, f"{OP_WORDS[cond.op]}{value_text(n)}{unit} in all", context)
        text = f"{at.owner}: {label}, together: {total}{unit}" + (f" ({'; '.join(shares)})" if shares else "") + f" ({required})"
        state: ReasonState = "unknown" if want is None else "failed"
        head = Reason(
            text=text,
            state=state,
            path=at.location,
            value=None if high == math.inf and low == 0 else low,
            action=None
            if want is None
            else f"{at.owner}: {label} {self.must} together be {required.removeprefix(f'{self.asked}: ')}",
        )
        return [head, *out]

    def covers(
        self, cond: Covers, want: Truth, obj: Any, cls: type[Any], location: str, owner: str, context: str | None
    ) -> list[Reason]:
        listed = self.list_reason(cond, obj, cls, location, owner)
        if listed is not None:
            return [listed]
        values = list(self.value(cond.values))
        items = self._items(cond, obj, cls, location, owner)
        at = fact_at(obj, cls, cond.path, self.ctx, location, owner)
        item_info = fields_of(items[0][1]).get(cond.field) if items else None
        missing: list[str] = []
        unsure: list[str] = []
        for v in values:
            wanted = Compare(cond.field, "==", v)
            truths = [judge(wanted, item, item_cls, self.ctx, self.params) for item, item_cls, _, _ in items]
            if True in truths:
                continue
            (unsure if None in truths else missing).append(in_words(v, item_info))
        out: list[Reason] = []
        required = self.required(
            cond.values, f"at least one of each: {and_list([in_words(v, item_info) for v in values])}", context
        )
        if missing and want is False:
            out.append(
                Reason(
                    text=f"{at.owner}: {label_of(at)} include no {or_list(missing)} ({required})",
                    state="failed",
                    path=at.location,
                    action=f"{at.owner}: {label_of(at)} {self.must} include {and_list(missing)}",
                )
            )
        if unsure and want is None:
            out.append(Reason(text=f"{at.owner}: {label_of(at)} may include no {or_list(unsure)} ({required})", state="unknown"))
            first = Compare(cond.field, "==", values[0])
            picked = [entry for entry in items if judge(first, entry[0], entry[1], self.ctx, self.params) is None]
            out += self.each(at, picked, first, None, None, None)
        return out
