"""Explanations compiled once per rule set: what :mod:`.explain` works out for every finding, worked out for every rule.

:mod:`.explain` is the definition: it walks a rule's conditions for each
finding, finding out again, each time, which facts a part reads, what its
requirement says in words, whose figure its parameter is and what advice the
rule wrote. None of that depends on the organisation. Here it is done once,
when a rule set is first explained (then kept with the rule set, as an
engine's compiled form is):

* each part of a rule's conditions becomes a node that knows its kind, the
  class it is judged on, the words of its requirement with the parameters in
  force already filled, the standing of its parameter (the standard's, this
  library's, the Trust's) and its reading of an ``Option``;
* what a rule reads becomes a list of steps shared by every rule that reads
  the same thing, and each step's evidence for an object is gathered once per
  evaluation, for every finding that reads it;
* the rule's requirement, the advice written in its parts, and its title in
  the organisation's own words are made once.

What is left for each finding is what depends on the facts: the values read,
the truths of the parts that decided it, and the sentences made of both. The
words are the definition's, produced by the same helpers; a property test
holds the two to the same report on generated organisations and local rules.
"""

import datetime
from collections.abc import Callable
from typing import Any, assert_never

import attrs

from natssips_rules.engine.kleene import Truth, all_of_parts, any_of_parts, sum_range
from natssips_rules.engine.reference import ABSENT, FROM_ROOT, MISSING, judge
from natssips_rules.engine.subjects import Context, SubjectEntry, UnknownItem
from natssips_rules.facts.nouns import in_own_words
from natssips_rules.facts.paths import fields_of, resolve_path
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
)
from natssips_rules.rules.findings import EvidenceItem, Reason, Status
from natssips_rules.rules.model import Level, Rule, RuleSet

from .explain import (
    COUNT_WORDS,
    MAX_LISTED,
    OP_WORDS,
    Explainer,
    Item,
    Plan,
    ReasonState,
    and_list,
    at_words,
    entity_name,
    evidence_item,
    fact_at,
    fact_said,
    fact_without_value,
    in_words,
    items_at,
    label_of,
    or_list,
    plan_of,
    read_plan,
    reading_of,
    remedies_of,
    requirement_words,
    spec_of,
    unknown_list,
    unknown_list_reasons,
    unlisted,
    where_words,
)
from .readers import Hop, Test, evidence_reader, truth_reader

__all__ = ["CompiledExplanations", "RuleForm", "Run", "compiled_explanations"]


class Run:
    """One evaluation's explaining: the truths of parts, the reasons of list parts and the evidence of steps, each
    worked out once. Keys hold nodes and steps (kept by the compiled form for its rule set's life) and the ids of
    the organisation's own objects (kept by the context for the evaluation's), so an id is never another's."""

    __slots__ = ("ctx", "evidence", "listed", "said", "truths")

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: what is said of a value after whose it is (see :meth:`_Leaf.said`)
        self.said: dict[tuple[Any, ...], tuple[str, ReasonState, Any, str | None]] = {}
        self.truths: dict[tuple[Any, int], Truth] = {}
        self.listed: dict[tuple[Any, ...], list[Reason]] = {}
        self.evidence: dict[tuple[Any, int, str], tuple[EvidenceItem, ...]] = {}


# --------------------------------------------------------------------------
# Nodes: a rule's conditions, compiled


class _Node:
    """One part of a rule's conditions, judged on objects of ``cls``."""

    __slots__ = ("cls", "cond", "form")

    def __init__(self, cond: Any, cls: type[Any], form: "RuleForm") -> None:
        self.cond = cond
        self.cls = cls
        self.form = form

    def truth(self, obj: Any, run: Run) -> Truth:
        """The part's truth for ``obj`` (judged once per evaluation and object)."""
        key = (self, id(obj))
        truths = run.truths
        if key in truths:
            return truths[key]
        found = truths[key] = self.judge(obj, run)
        return found

    def judge(self, obj: Any, run: Run) -> Truth:
        return judge(self.cond, obj, self.cls, run.ctx, self.form.params)

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        raise NotImplementedError  # every node class says why


def _truth(node: _Node, obj: Any, run: Run) -> Truth:
    return node.truth(obj, run)


class _All(_Node):
    __slots__ = ("parts",)

    def __init__(self, cond: AllOf, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.parts = tuple(form.node(sub, cls) for sub in cond.conditions)

    def judge(self, obj: Any, run: Run) -> Truth:
        return all_of_parts(self.parts, _truth, obj, run)

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        return [
            r for part in self.parts if part.truth(obj, run) is want for r in part.why(want, obj, location, owner, context, run)
        ]

    def ruled_out(self, obj: Any, run: Run) -> bool:
        """A conjunction with a reading (an Option) that the parameters in force exclude."""
        return any(isinstance(part, _Option) and part.truth(obj, run) is False for part in self.parts)


class _Any(_Node):
    __slots__ = ("parts", "then")

    def __init__(self, cond: AnyOf, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.parts = tuple(form.node(sub, cls) for sub in cond.conditions)
        #: "if A then B" (``Not(A)`` or ``B``): A's node, B's node and A's words as the context of B's reasons
        self.then: tuple[_Node, _Node, str | None] | None = None
        first = self.parts[0] if len(self.parts) == 2 else None
        if isinstance(first, _Not):
            condition = first.inner.cond
            self.then = (first.inner, self.parts[1], f"as {condition.name}" if isinstance(condition, Named) else None)

    def judge(self, obj: Any, run: Run) -> Truth:
        return any_of_parts(self.parts, _truth, obj, run)

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        if self.then is not None and self.then[0].truth(obj, run) is True:
            # "if A then B": fails when A holds and B fails; A is the context of B's reasons
            return self.then[1].why(want, obj, location, owner, self.then[2] or context, run)
        # a part that holds only under a reading not in force (an Option the parameters in force rule out) did not
        # decide the finding: it is left out, so no requirement that is not in force is stated
        decided = [
            part
            for part in self.parts
            if part.truth(obj, run) is want and not (want is not True and isinstance(part, _All) and part.ruled_out(obj, run))
        ]
        if not decided and want is not True:
            decided = [part for part in self.parts if part.truth(obj, run) is want]
        return [r for part in decided for r in part.why(want, obj, location, owner, context, run)]


class _Not(_Node):
    __slots__ = ("inner",)

    def __init__(self, cond: Not, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.inner = form.node(cond.condition, cls)

    def truth(self, obj: Any, run: Run) -> Truth:  # its part's, negated: nothing to remember
        inner = self.inner.truth(obj, run)
        return None if inner is None else not inner

    judge = truth

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        return self.inner.why(None if want is None else not want, obj, location, owner, context, run)


class _Named(_Node):
    __slots__ = ("inner", "name", "remedy")

    def __init__(self, cond: Named, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.inner = form.node(cond.condition, cls)
        self.name = cond.name
        self.remedy = cond.remedy

    def truth(self, obj: Any, run: Run) -> Truth:  # its part's: nothing to remember
        return self.inner.truth(obj, run)

    judge = truth

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        reasons = self.inner.why(want, obj, location, owner, context, run)
        if self.remedy is not None and want is False:
            remedy = self.remedy
            reasons = [
                r
                if r.action and r.state != "failed"
                else Reason(text=r.text, state=r.state, path=r.path, value=r.value, question=r.question, action=remedy)
                for r in reasons
            ]
        if not reasons and want is not None:
            return [Reason(text=f"{owner}: {'' if want else 'not: '}{self.name}", state="holds" if want else "failed")]
        return reasons


class _Option(_Node):
    __slots__ = ("holds", "words")

    def __init__(self, cond: Option, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        #: whether the reading is in force: the same for every object (the rule's values are fixed for the rule set)
        self.holds: Truth = cond.value in form.params[cond.param]  # as the engine judges an Option
        reading = reading_of(form.rule, form.tailored, cond.param)
        #: the reason's words, by whether the reading holds
        self.words = {want: f"{reading} {'includes' if want else 'does not include'} {cond.value!r}" for want in (True, False)}

    def truth(self, obj: Any, run: Run) -> Truth:
        return self.holds

    judge = truth

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        return [Reason(text=self.words[bool(want)], state="holds" if want else "failed")]


class _Leaf(_Node):
    """A part on one fact (Compare, In, Includes, WithinDays, Present, IsKnown), its requirement's words made once."""

    __slots__ = ("note", "own", "path", "sample", "verb", "words")

    def __init__(self, cond: Any, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.path: str = cond.path
        #: a Compare or In compiled for the reading the engine makes (judged again rather than remembered: reading
        #: the fact costs less than a memo); None for other parts, judged by the engine's judge and remembered
        self.own = _compiled_test(cond, cls, form.params)
        self.verb = f"{form.must} include" if isinstance(cond, Includes) else f"{form.must} be"
        resolved = resolve_path(cls, self.path)
        # where the fact is read when it has a value: its field's type, unit and labels (the same for every object)
        self.sample = sample = at_words(resolved)
        found = None if isinstance(cond, WithinDays) else requirement_words(cond, sample, form.params, datetime.date.min)
        #: the requirement's words (None for a date's, which depend on the evaluation date) and its parameter's note
        self.words = None if found is None else found[1]
        named = found[0] if found is not None else getattr(cond, "days", None)
        self.note = f"; {form.explainer.parameter_note(form.rule, named.name)}" if isinstance(named, Param) else ""

    def truth(self, obj: Any, run: Run) -> Truth:
        own = self.own
        return own.truth(obj, run.ctx) if own is not None else _Node.truth(self, obj, run)

    def judge(self, obj: Any, run: Run) -> Truth:
        own = self.own
        # as the reference engine reads and judges the part: the fact not known, recorded as none, or its value tested
        return own.truth(obj, run.ctx) if own is not None else judge(self.cond, obj, self.cls, run.ctx, self.form.params)

    def requirement(self, context: str | None, as_of: datetime.date, at: Any) -> str:
        words = self.words
        if words is None:
            found = requirement_words(self.cond, at, self.form.params, as_of)
            if found is None:
                return ""
            words = found[1]
        text = f"{self.form.asked}: {words}"
        if context:
            text += f", {context}"
        return text + self.note

    def place(self, obj: Any, location: str, owner: str, ctx: Context) -> tuple[Any, str, str] | None:
        """The fact's value, where it is and whose it is, read in one walk as :func:`.explain.fact_at` reads and
        locates it, where it has a value; None where a step or the fact is not known or recorded as none (then
        :func:`.explain.fact_at` says which)."""
        own = self.own
        if own is None:
            return None
        if own.from_root:
            obj, location, owner = ctx.org, "", ctx.org.name
        elif obj is False:
            return None
        for name, target in own.hops:
            step = getattr(obj, name)
            if step is None or step is False:
                return None
            if target is None:
                location, obj = (f"{location}.{name}" if location else name), step
            else:
                location = ctx.locations[target].get(step, f"{location}.{name}")
                obj = ctx.entities[target].get(step)
                owner = entity_name(ctx, obj) or owner
        value = getattr(obj, own.name)
        if value is None or (value is False and own.none_is_absent):
            return None
        if self.sample.info.kind == "enumset" and isinstance(value, tuple):
            value = tuple(member for member in self.sample.info.type if member in value)  # in the enumeration's order
        return value, (f"{location}.{own.name}" if location else own.name), owner

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        ctx = run.ctx
        found = self.place(obj, location, owner, ctx)
        if found is not None:  # the fact has a value: what is said of it needs nothing else of the walk
            value, where, who = found
            return [self.said(want, value, where, who, context, run)]
        at = fact_at(obj, self.cls, self.path, ctx, location, owner)
        unvalued = fact_without_value(at, want, ctx.as_of, dated=isinstance(self.cond, WithinDays))
        if unvalued is not None:
            return [unvalued]
        value = at.value
        return [self.said(want, value, at.location, at.owner, context, run, at)]

    def said(self, want: Truth, value: Any, where: str, who: str, context: str | None, run: Run, at: Any = None) -> Reason:
        """The reason of a fact that has a value (``at``: where it was read, when it was read by the general walk).

        What is said of a value after whose it is depends only on the value, the truth wanted and the context (the
        field, its requirement and their words are the node's): worked out once per evaluation for each, where the
        requirement does not depend on the evaluation date.
        """
        if at is not None or self.words is None:
            return self._said(want, value, where, who, context, run.ctx, at)
        # by type as well as value (1 and True, 1 and 1.0 are equal keys), a number by its exact digits (-0.0 and 0.0)
        key = (self, want, type(value), value.hex() if type(value) is float else value, context)
        try:
            found = run.said.get(key)
        except TypeError:  # a value that cannot be a key (none the facts classes hold): worked out each time
            return self._said(want, value, where, who, context, run.ctx, at)
        if found is None:
            reason = self._said(want, value, "", "", context, run.ctx, at)
            found = run.said[key] = (reason.text, reason.state, reason.value, reason.action)
        text, state, plain, action = found
        if type(plain) is list:
            plain = list(plain)  # each reason its own list
        return Reason(text=who + text, state=state, path=where, value=plain, action=None if action is None else who + action)

    def _said(self, want: Truth, value: Any, where: str, who: str, context: str | None, ctx: Context, at: Any) -> Reason:
        read = self.sample if at is None else at
        requirement = self.requirement(context, ctx.as_of, read)
        return fact_said(want, value, read, who, where, requirement, self.verb, self.form.asked)


@attrs.frozen
class _Test:
    """A part on one fact (Compare, In, IsKnown, Present) compiled for the reading the reference engine makes: from
    the organisation (``from_root``) or the object, through ``hops`` (each a field, and the class a reference there
    leads to, or None for an object field), to the field ``name``; ``none_is_absent``: False there means "recorded
    as none". ``truth`` is the part's truth for an object, read along that path in code written for it
    (:func:`.readers.truth_reader`), with the rule's values in force."""

    from_root: bool
    hops: tuple[Hop, ...]
    name: str
    none_is_absent: bool
    truth: Callable[[Any, Context], Truth]


def _compiled_test(cond: Any, cls: type[Any], params: dict[str, Any]) -> _Test | None:
    """A part on one fact compiled (see :class:`_Test`), with the truths the reference engine's
    :func:`~natssips_rules.engine.reference.judge` gives; None for any other part, judged by it."""
    test: Test
    outcomes: tuple[Truth, Truth]  # where the fact is not known, and where it is recorded as none
    match cond:
        case Compare():
            test, outcomes = (
                ("compare", cond.op, params[cond.value.name] if isinstance(cond.value, Param) else cond.value),
                (None, False),
            )
        case In():
            test, outcomes = ("in", params[cond.values.name] if isinstance(cond.values, Param) else cond.values), (None, False)
        case IsKnown():
            test, outcomes = ("known",), (False, True)
        case Present():
            test, outcomes = ("known",), (None, False)
        case _:
            return None
    resolved = resolve_path(cls, cond.path)
    hops = tuple(
        (name, target if info.kind == "ref" else None)
        for (info, target), name in zip(resolved.hops, resolved.names, strict=False)
    )
    none_is_absent = resolved.field.kind in ("object", "ref")
    name = resolved.field.name
    truth = truth_reader(cond.path, resolved.from_root, hops, name, none_is_absent, outcomes, test)
    return _Test(resolved.from_root, hops, name, none_is_absent, truth)


class _List(_Node):
    """A part on a list (Count, Sum, Covers): its reasons worked out once per evaluation for each list."""

    __slots__ = ("from_root", "item_cls", "path", "where")

    def __init__(self, cond: Count | Sum | Covers, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.path = cond.path
        self.from_root = cond.path.startswith(FROM_ROOT)
        self.item_cls: type[Any] = resolve_path(cls, cond.path).field.type
        where = getattr(cond, "where", None)
        self.where = None if where is None else form.node(where, self.item_cls)

    def items(self, obj: Any, location: str, owner: str, run: Run) -> list[Item]:
        return items_at(obj, self.cls, self.path, run.ctx, location, owner)

    def why(self, want: Truth, obj: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        place: tuple[Any, ...] = ("organisation",) if self.from_root else (id(obj), location, owner)
        key = (self, want, context, *place)
        found = run.listed.get(key)
        if found is None:
            at = fact_at(obj, self.cls, self.path, run.ctx, location, owner)
            found = [unknown_list(at)] if at.value is MISSING else self.known(want, obj, at, location, owner, context, run)
            run.listed[key] = found
        return list(found)  # a copy: callers add to what they are given

    def known(self, want: Truth, obj: Any, at: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        raise NotImplementedError  # every list node class says why

    def required(self, words: str, context: str | None, named: Any) -> str:
        form = self.form
        text = f"{form.asked}: {words}"
        if context:
            text += f", {context}"
        if isinstance(named, Param):
            text += f"; {form.explainer.parameter_note(form.rule, named.name)}"
        return text

    def each(
        self, at: Any, picked: list[Item], node: _Node, want: Truth, listed_want: Truth, context: str | None, run: Run
    ) -> list[Reason]:
        """Why ``node`` has the truth ``want`` for each of the first :data:`MAX_LISTED` ``picked`` entries."""
        out = [r for item, _item_cls, where, name in picked[:MAX_LISTED] for r in node.why(want, item, where, name, context, run)]
        if len(picked) > MAX_LISTED:
            out.append(unlisted(at, len(picked) - MAX_LISTED, listed_want, "entries like these"))
        return out


class _Count(_List):
    __slots__ = ("every", "exists", "n", "wanted")

    def __init__(self, cond: Count, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.n = form.value(cond.value)
        self.exists = cond.op == ">=" and self.n == 1
        self.every = cond.op == "==" and self.n == 0 and isinstance(cond.where, Not)
        self.wanted = "qualifies" if cond.where is None else where_words(cond.where, self.item_cls, form.params)

    def known(self, want: Truth, obj: Any, at: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        cond = self.cond
        items = self.items(obj, location, owner, run)
        label = label_of(at)
        if self.where is None:
            required = self.required(f"{COUNT_WORDS[cond.op]} {self.n}", context, cond.value)
            return [
                Reason(
                    text=f"{at.owner}: {label}: {len(items)} ({required})",
                    state="failed" if want is False else "holds",
                    path=f"{at.location} (number of entries)",
                    value=len(items),
                )
            ]
        where = self.where
        matches = [(where.truth(item[0], run), item) for item in items]
        if self.exists and want is False:
            if not items:
                return [
                    Reason(
                        text=f"{at.owner}: {label}: none recorded",
                        state="failed",
                        path=f"{at.location} (number of entries)",
                        value=0,
                    )
                ]
            # no entry qualifies: said of the list as a whole, not entry by entry (each entry's value is in the evidence)
            whole = Reason(
                text=f"{at.owner}: {label}: none of the {len(items)} listed {self.wanted}",
                state="failed",
                path=f"{at.location} (number of entries)",
                value=0,
            )
            if not self.wanted.startswith("qualifies"):
                return [whole]
            # what an entry must be is more than one fact: each entry's reason follows the list's sentence
            return [whole, *self.each(at, [m[1] for m in matches], where, False, False, context, run)]
        if self.every:
            assert isinstance(where, _Not)
            # items for which the inner condition holds (or may)
            picked = [m[1] for m in matches if m[0] is (None if want is None else True)]
            return self.each(at, picked, where.inner, None if want is None else False, want, context, run)
        out: list[Reason] = []
        if not self.exists:
            low = sum(1 for m in matches if m[0] is True)
            high = sum(1 for m in matches if m[0] is not False)
            counted = f"{low}" if low == high else f"between {low} and {high}"
            required = self.required(f"{COUNT_WORDS[cond.op]} {self.n}", context, cond.value)
            out.append(
                Reason(
                    text=f"{at.owner}: {label} that qualify: {counted} of {len(items)} ({required})",
                    state="unknown" if want is None else "failed",
                )
            )
        picked = [m[1] for m in matches if m[0] is want] if want is not True else []  # those that do not qualify
        return out + self.each(at, picked, where, want, want, context, run)


class _Sum(_List):
    __slots__ = ("field", "known_number", "label", "n", "unit")

    def __init__(self, cond: Sum, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.field = cond.field
        self.n = form.value(cond.value)
        self.unit, self.label = self.words(self.item_cls)
        #: an entry's number, explained where it is not known
        self.known_number = form.node(Compare(cond.field, ">=", 0), self.item_cls)

    def words(self, item_cls: type[Any]) -> tuple[str, str]:
        """The summed field's unit and label, as a field of ``item_cls``."""
        spec = spec_of(item_cls, self.field)
        return (
            f" {spec.unit}" if spec is not None and spec.unit else "",
            spec.label if spec is not None else self.field.replace("_", " "),
        )

    def known(self, want: Truth, obj: Any, at: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        cond = self.cond
        where = self.where
        # the list as read: a list recorded absent through an absent container is labelled by the container's class
        unit, label = (self.unit, self.label) if at.info.type is self.item_cls else self.words(at.info.type)
        pairs = []
        shares = []
        out: list[Reason] = []
        unsure = 0  # entries with something not known, each explained up to MAX_LISTED
        for item, _item_cls, place, name in self.items(obj, location, owner, run):
            match: Truth = True if where is None else where.truth(item, run)
            number = getattr(item, self.field)
            pairs.append((match, number))
            if match is not False:
                shares.append(f"{name} {value_text(number) if number is not None else 'not known'}")
            if match is None or (match is not False and number is None):
                unsure += 1
                if unsure > MAX_LISTED:
                    continue
            if match is not False and number is None:
                out += self.known_number.why(None, item, place, name, None, run)
            if match is None and where is not None:
                out += where.why(None, item, place, name, None, run)
        if unsure > MAX_LISTED:
            out.append(unlisted(at, unsure - MAX_LISTED, None, "entries with facts not known"))
        if len(shares) > MAX_LISTED:
            shares[MAX_LISTED:] = [f"and {len(shares) - MAX_LISTED:,} more"]
        low, high = sum_range(pairs)
        total = (
            value_text(low)
            if low == high
            else (f"at least {value_text(low)}" if high == float("inf") else f"{value_text(low)} to {value_text(high)}")
        )
        required = self.required(f"{OP_WORDS[cond.op]}{value_text(self.n)}{unit} in all", context, cond.value)
        text = f"{at.owner}: {label}, together: {total}{unit}" + (f" ({'; '.join(shares)})" if shares else "") + f" ({required})"
        asked = self.form.asked
        head = Reason(
            text=text,
            state="unknown" if want is None else "failed",
            path=at.location,
            value=None if high == float("inf") and low == 0 else low,
            action=None
            if want is None
            else f"{at.owner}: {label} {self.form.must} together be {required.removeprefix(f'{asked}: ')}",
        )
        return [head, *out]


class _Covers(_List):
    __slots__ = ("first", "values", "wanted")

    def __init__(self, cond: Covers, cls: type[Any], form: "RuleForm") -> None:
        super().__init__(cond, cls, form)
        self.values = list(form.value(cond.values))
        #: one part per value (an entry has it), and the first's node, explained entry by entry where unknown
        self.wanted = [(v, Compare(cond.field, "==", v)) for v in self.values]
        self.first = form.node(self.wanted[0][1], self.item_cls) if self.wanted else None

    def known(self, want: Truth, obj: Any, at: Any, location: str, owner: str, context: str | None, run: Run) -> list[Reason]:
        cond = self.cond
        ctx, params = run.ctx, self.form.params
        items = self.items(obj, location, owner, run)
        item_info = fields_of(items[0][1]).get(cond.field) if items else None
        missing: list[str] = []
        unsure: list[str] = []
        for v, wanted in self.wanted:
            truths = [judge(wanted, item, item_cls, ctx, params) for item, item_cls, _, _ in items]
            if True in truths:
                continue
            (unsure if None in truths else missing).append(in_words(v, item_info))
        out: list[Reason] = []
        required = self.required(
            f"at least one of each: {and_list([in_words(v, item_info) for v in self.values])}", context, cond.values
        )
        label = label_of(at)
        if missing and want is False:
            out.append(
                Reason(
                    text=f"{at.owner}: {label} include no {or_list(missing)} ({required})",
                    state="failed",
                    path=at.location,
                    action=f"{at.owner}: {label} {self.form.must} include {and_list(missing)}",
                )
            )
        if unsure and want is None and self.first is not None:
            out.append(Reason(text=f"{at.owner}: {label} may include no {or_list(unsure)} ({required})", state="unknown"))
            first = self.first
            picked = [entry for entry in items if first.truth(entry[0], run) is None]
            out += self.each(at, picked, first, None, None, None, run)
        return out


_KINDS: dict[type[Any], Callable[[Any, type[Any], "RuleForm"], _Node]] = {
    AllOf: _All,
    AnyOf: _Any,
    Not: _Not,
    Named: _Named,
    Option: _Option,
    Count: _Count,
    Sum: _Sum,
    Covers: _Covers,
}


def _node_class(cond: Condition) -> Callable[[Any, type[Any], "RuleForm"], _Node]:
    match cond:
        case AllOf() | AnyOf() | Not() | Named() | Option() | Count() | Sum() | Covers():
            return _KINDS[type(cond)]
        case Compare() | IsKnown() | In() | Includes() | Present() | WithinDays():
            return _Leaf
    assert_never(cond)  # mypy names a kind of condition no node compiles


# --------------------------------------------------------------------------
# Evidence: what a rule reads, as steps shared across the rule set


class _Step:
    """One entry of a reading plan on objects of ``cls``: a fact, or a counted list with what is read of each of its
    entries (steps of their own). Its evidence for an object is gathered once per evaluation, for every rule that
    reads it; steps are shared across the rule set (see :meth:`CompiledExplanations.step`)."""

    __slots__ = ("cls", "count", "field", "from_root", "inner", "path", "plan", "reader", "whole")

    def __init__(self, cls: type[Any], step: tuple[str, str, Any], steps: "_Steps") -> None:
        kind, path, extra = step
        self.cls = cls
        self.path = path
        self.plan: Plan = (step,)
        self.from_root = path.startswith(FROM_ROOT)  # the same whichever object it is read from
        resolved = resolve_path(cls, path)
        #: a list of entries read whole (is it known?): its evidence is how many entries it has, as for a count
        self.whole = kind == "leaf" and resolved.field.kind == "collection"
        if self.whole:
            kind, extra = "list", ((), None)
        #: a fact read from the object (through the objects and references ``hops`` lead to): read in one walk
        self.field = resolved.field if kind == "leaf" and not resolved.from_root else None
        #: the fact's evidence for an object, read along the path in code written for it
        self.reader = (
            None
            if self.field is None
            else evidence_reader(
                path,
                tuple((name, info, target) for (info, target), name in zip(resolved.hops, resolved.names, strict=False)),
                self.field,
            )
        )
        #: a list: what is read of each entry (the summed field first), as steps on the entries' class
        self.count = kind == "list"
        self.inner: tuple[_Step, ...] = ()
        if self.count:
            inner, summed = extra
            item_cls = resolved.field.type
            reads = ((("leaf", summed, None),) if summed is not None else ()) + inner
            self.inner = tuple(steps(item_cls, read) for read in dict.fromkeys(reads))

    def evidence(self, obj: Any, location: str, owner: str, run: Run) -> tuple[EvidenceItem, ...]:
        """What the step reads from ``obj`` (at ``location``, named ``owner``), each place once, in reading order."""
        # by place as well as object: one object can stand at several places (``False``, each subject recorded absent)
        key = (self, 0, "") if self.from_root else (self, id(obj), location)
        found = run.evidence.get(key)
        if found is None:
            if self.reader is not None:
                found = self.reader(obj, location, run.ctx)
            elif self.count:
                found = self.listed(obj, location, owner, run)
            else:
                out: dict[str, EvidenceItem] = {}
                read_plan(self.plan, obj, self.cls, run.ctx, location, owner, out)
                found = tuple(out.values())
            run.evidence[key] = found
        return found

    def listed(self, obj: Any, location: str, owner: str, run: Run) -> tuple[EvidenceItem, ...]:
        """A list's evidence: how many entries it has, then what is read of each of the first :data:`MAX_LISTED`
        entries (by id), then how many more there are."""
        at = fact_at(obj, self.cls, self.path, run.ctx, location, owner)
        if self.whole and at.info.kind != "collection":
            return (evidence_item(at),)  # the path stopped before the list: that fact is the evidence
        where = f"{at.location} (number of entries)"
        size = None if at.value is MISSING or at.value is ABSENT else len(at.value)
        out = {where: EvidenceItem(where, size, absent=at.value is ABSENT)}
        listed = items_at(obj, self.cls, self.path, run.ctx, location, owner)
        for item, _item_cls, item_location, item_owner in listed[:MAX_LISTED]:
            for step in self.inner:
                for read in step.evidence(item, item_location, item_owner, run):
                    if read.path not in out:
                        out[read.path] = read
        if len(listed) > MAX_LISTED:
            more = f"{at.location} (entries after the first {MAX_LISTED} by id, not listed)"
            out.setdefault(more, EvidenceItem(more, len(listed) - MAX_LISTED))
        return tuple(out.values())


#: How the steps of a rule set are had: one step for each class and read, shared.
_Steps = Callable[[type[Any], tuple[str, str, Any]], _Step]


# --------------------------------------------------------------------------
# Rules and rule sets


class RuleForm:
    """One rule compiled into what explains its findings."""

    def __init__(self, rule: Rule, explainer: Explainer, steps: "_Steps") -> None:
        self.rule = rule
        self.explainer = explainer
        self.tailored = explainer.tailored
        self.params: dict[str, Any] = rule.parameter_values()
        suggestion = rule.level is Level.MAY
        # a suggestion of the standard (a "may") is worded as one; generated advice keeps the clause's own verb
        self.asked = "suggested" if suggestion else "required"
        self.must = "could" if suggestion else ("must" if rule.level is Level.MUST else "should")
        cls = rule.subject.facts_class
        self.applies = None if rule.applies_when is None else self.node(rule.applies_when, cls)
        self.holds = self.node(rule.holds, cls)
        plan = [step for cond in (rule.applies_when, rule.holds) if cond is not None for step in plan_of(cond)]
        self.steps = tuple(steps(cls, step) for step in dict.fromkeys(plan))
        #: the advice written in the rule's own parts (each ``Named`` part's remedy)
        self.remedies = remedies_of(rule)
        self._in_words: dict[str, tuple[str, frozenset[str]]] = {}

    def node(self, cond: Condition, cls: type[Any]) -> _Node:
        return _node_class(cond)(cond, cls, self)

    def value(self, value: Any) -> Any:
        return self.params[value.name] if isinstance(value, Param) else value

    def words(self, noun: str) -> tuple[str, frozenset[str]]:
        """The rule's title and written advice naming the organisation by ``noun`` (a local rule's: as written)."""
        found = self._in_words.get(noun)
        if found is None:
            rule = self.rule
            if rule.origin == "natssips":
                found = (in_own_words(rule.title, noun), frozenset(in_own_words(r, noun) for r in self.remedies))
            else:
                found = (rule.title, self.remedies)
            self._in_words[noun] = found
        return found

    def evidence(self, entry: SubjectEntry, run: Run) -> tuple[EvidenceItem, ...]:
        """The facts the rule reads for one subject, as :func:`.explain.evidence_for` lists them."""
        obj, location, owner = entry.obj, entry.location, entry.ref.name
        steps = self.steps
        if len(steps) == 1:
            return steps[0].evidence(obj, location, owner, run)
        out: dict[str, EvidenceItem] = {}
        for step in steps:
            for read in step.evidence(obj, location, owner, run):
                if read.path not in out:  # the first reading of a place is kept
                    out[read.path] = read
        return tuple(out.values())

    def explain(self, status: Status, entry: SubjectEntry, run: Run) -> tuple[Reason, ...]:
        """The parts that decided ``status`` for ``entry``, as :meth:`.explain.Explainer.explain` words them."""
        if status is Status.MET:
            return ()
        ctx = run.ctx
        obj = entry.obj
        if isinstance(obj, UnknownItem):
            return unknown_list_reasons(entry.location, ctx)
        location, owner = entry.location, entry.ref.name
        applies, holds = self.applies, self.holds
        if status is Status.NOT_APPLICABLE and applies is not None:
            reasons = applies.why(False, obj, location, owner, None, run)
        elif status is Status.NOT_MET:
            reasons = holds.why(False, obj, location, owner, None, run)
        else:
            reasons = []
            if applies is not None and applies.truth(obj, run) is None:
                reasons += applies.why(None, obj, location, owner, None, run)
            if holds.truth(obj, run) is None:
                reasons += holds.why(None, obj, location, owner, None, run)
        if len(reasons) == 1:
            return (reasons[0],)
        # one reason per fact and state: two parts reading the same unknown fact ask one question
        unique: dict[tuple[str | None, str, str], Reason] = {}
        for reason in reasons:
            unique.setdefault((reason.path, reason.state, reason.text if reason.path is None else ""), reason)
        return tuple(unique.values())


class CompiledExplanations:
    """A rule set compiled into what explains its findings: one :class:`RuleForm` per rule, in the set's order."""

    def __init__(self, ruleset: RuleSet) -> None:
        explainer = Explainer(
            {(t.rule_id, t.parameter) for t in ruleset.tailoring if t.action == "set_parameter" and t.parameter}
        )
        self._steps: dict[tuple[type[Any], tuple[str, str, Any]], _Step] = {}
        self.forms = tuple(RuleForm(rule, explainer, self.step) for rule in ruleset)

    def step(self, cls: type[Any], read: tuple[str, str, Any]) -> "_Step":
        """The one step of the rule set that makes ``read`` on objects of ``cls`` (made the first time it is asked for)."""
        found = self._steps.get((cls, read))
        if found is None:
            found = self._steps[(cls, read)] = _Step(cls, read, self.step)
        return found


class _Compiler:
    """The holder of compiled explanations in a rule set's compiled forms (as an engine is for its own)."""

    def __repr__(self) -> str:
        return "explanations"


_COMPILER = _Compiler()


def compiled_explanations(ruleset: RuleSet) -> CompiledExplanations:
    """``ruleset`` compiled into what explains it: done once per rule set, then kept with it."""
    with ruleset.compile_lock:
        for holder, found in ruleset.compiled_forms:
            if holder is _COMPILER:
                assert isinstance(found, CompiledExplanations)
                return found
        ruleset.verify()  # the rules explained are the rules the digest describes (as an engine checks them)
        made = CompiledExplanations(ruleset)
        ruleset.compiled_forms.append((_COMPILER, made))
        return made
