"""Local rules, tailoring of the built-in rules, and waivers.

A Trust extends the national rules in three auditable ways:

* **local rules**: :class:`~natssips_rules.Rule` objects with ``origin="local"``
  citing the Trust's own source, added beside the built-in ones (which are
  never changed, and whose ids a local rule may not take);
* **tailoring** (after OSCAL profiles and XCCDF tailoring): set a parameter of
  a built-in rule, exclude a built-in rule, or change the level it is reported
  at, each with a rationale and who approved it. Every change is listed in the
  report. Changing what a built-in rule means beyond its parameters is not
  tailoring: write a local rule instead;
* **waivers** (after InSpec waivers): a finding ``not_met`` or
  ``insufficient_evidence`` covered by an unexpired waiver is reported
  ``waived``, keeping the underlying status and the waiver; an expired waiver
  has no effect and is reported as expired. A waiver never hides a finding.

:func:`compose` builds the effective :class:`~natssips_rules.RuleSet`; pass it,
with the waivers, to :func:`~natssips_rules.evaluate`.
"""

from collections.abc import Iterable, Sequence

import attrs

from natssips_rules._internal import arguments as _args, validators as c
from natssips_rules._internal.converters import list_to_tuple
from natssips_rules._internal.structuring import shown
from natssips_rules.errors import ArgumentError, RuleError, RuleProblem
from natssips_rules.rules.check import MAX_RULE_TEXT, MAX_RULES_PER_SET
from natssips_rules.rules.model import (
    Level,
    ParameterValue,
    Rule,
    RuleSet,
    RuleSource,
    TailoringRecord,
    Waiver,
    _refuse,
    _to_level,
)

__all__ = [
    "Exclusion",
    "LevelChange",
    "ParameterSetting",
    "Tailoring",
    "Waiver",
    "compose",
    "tailor",
]


_TEXT = c.text(max_length=MAX_RULE_TEXT)
_REQUIRED = {"rationale": _TEXT, "approved_by": _TEXT}
_OPTIONAL_TEXT = c.optional(_TEXT)


@attrs.frozen(kw_only=True)
class ParameterSetting:
    """Set a parameter of a built-in rule (``rule_id`` None: every built-in rule that has it)."""

    parameter: str
    value: ParameterValue = attrs.field(converter=list_to_tuple)
    rationale: str
    approved_by: str
    rule_id: str | None = None
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(self, {"parameter": _TEXT, **_REQUIRED, "rule_id": _OPTIONAL_TEXT, "source": _OPTIONAL_TEXT})


@attrs.frozen(kw_only=True)
class Exclusion:
    """Leave a built-in rule out of the evaluation."""

    rule_id: str
    rationale: str
    approved_by: str
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(self, {"rule_id": _TEXT, **_REQUIRED, "source": _OPTIONAL_TEXT})


@attrs.frozen(kw_only=True)
class LevelChange:
    """Report a built-in rule at another level than the standard's own."""

    rule_id: str
    level: Level = attrs.field(converter=_to_level)
    rationale: str
    approved_by: str
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse(self, {"rule_id": _TEXT, "level": c.enum_member(Level), **_REQUIRED, "source": _OPTIONAL_TEXT})


@attrs.frozen(kw_only=True)
class Tailoring:
    """A Trust's changes to the built-in rules."""

    parameters: tuple[ParameterSetting, ...] = attrs.field(default=(), converter=list_to_tuple)
    exclusions: tuple[Exclusion, ...] = attrs.field(default=(), converter=list_to_tuple)
    levels: tuple[LevelChange, ...] = attrs.field(default=(), converter=list_to_tuple)

    def __attrs_post_init__(self) -> None:
        _refuse(
            self,
            {
                "parameters": c.tuple_of(c.instance(ParameterSetting, "a ParameterSetting"), max_items=MAX_RULES_PER_SET),
                "exclusions": c.tuple_of(c.instance(Exclusion, "an Exclusion"), max_items=MAX_RULES_PER_SET),
                "levels": c.tuple_of(c.instance(LevelChange, "a LevelChange"), max_items=MAX_RULES_PER_SET),
            },
        )

    def __add__(self, other: "Tailoring") -> "Tailoring":
        return Tailoring(
            parameters=self.parameters + other.parameters,
            exclusions=self.exclusions + other.exclusions,
            levels=self.levels + other.levels,
        )

    def is_empty(self) -> bool:
        return not (self.parameters or self.exclusions or self.levels)


def _same_shape(default: ParameterValue, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, tuple):
        return isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _shape(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, tuple):
        return "a list of text values"
    return "text"


def tailor(base: RuleSet, tailoring: Tailoring) -> tuple[list[Rule], list[TailoringRecord]]:
    """The rules of ``base`` with ``tailoring`` applied, and a record of each change (the rule set is not changed)."""
    _args.instance(base, RuleSet, "base")
    _args.instance(tailoring, Tailoring, "tailoring")
    rules = {rule.id: rule for rule in base}
    records: list[TailoringRecord] = []
    for change in tailoring.parameters:
        records += _set_parameter(rules, change)
    for level_change in tailoring.levels:
        rule = _builtin(rules, level_change.rule_id, "a level change")
        rules[rule.id] = attrs.evolve(rules[rule.id], level=level_change.level)
        records.append(
            TailoringRecord(
                action="set_level",
                rule_id=rule.id,
                previous=rule.level,
                value=level_change.level,
                rationale=level_change.rationale,
                approved_by=level_change.approved_by,
                source=level_change.source,
            )
        )
    for exclusion in tailoring.exclusions:
        rule = _builtin(rules, exclusion.rule_id, "an exclusion")
        records.append(
            TailoringRecord(
                action="exclude",
                rule_id=rule.id,
                rationale=exclusion.rationale,
                approved_by=exclusion.approved_by,
                source=exclusion.source,
            )
        )
    excluded = {e.rule_id for e in tailoring.exclusions}
    return [rule for rule_id, rule in rules.items() if rule_id not in excluded], records


def _builtin(rules: dict[str, Rule], rule_id: str, what: str) -> Rule:
    """The built-in rule a tailoring names; a RuleError if there is none, or it is a local rule."""
    rule = rules.get(rule_id)
    if rule is None:
        raise RuleError(f"{what}: there is no built-in rule with this id", rule_id=rule_id, key="rule")
    if rule.origin != "natssips":
        raise RuleError(f"{what}: only built-in rules are tailored; change a local rule itself", rule_id=rule_id, key="rule")
    return rule


def _set_parameter(rules: dict[str, Rule], change: ParameterSetting) -> list[TailoringRecord]:
    """Apply one parameter setting to ``rules`` (in place): to the rule it names, or every built-in rule with the
    parameter; a record of each change."""
    targets = (
        [_builtin(rules, change.rule_id, "a parameter setting")]
        if change.rule_id is not None
        else [r for r in rules.values() if r.origin == "natssips" and change.parameter in r.parameter_values()]
    )
    if not targets:
        raise RuleError(f"no built-in rule has a parameter {change.parameter!r}", path=change.parameter, key="parameter")
    records = []
    for rule in targets:
        current = rules[rule.id]
        parameter = next((p for p in current.parameters if p.name == change.parameter), None)
        if parameter is None:
            known = ", ".join(p.name for p in current.parameters) or "none"
            raise RuleError(
                f"the rule has no parameter {change.parameter!r} (its parameters: {known})",
                rule_id=rule.id,
                path=change.parameter,
                key="parameter",
            )
        if not _same_shape(parameter.default, change.value):
            raise RuleError(
                f"{shown(change.value)} is not {_shape(parameter.default)} like the parameter's default {shown(parameter.default)}",
                rule_id=rule.id,
                path=change.parameter,
                key="value",
            )
        updated = attrs.evolve(parameter, default=change.value)
        rules[rule.id] = attrs.evolve(
            current, parameters=[updated if p.name == parameter.name else p for p in current.parameters]
        )
        records.append(
            TailoringRecord(
                action="set_parameter",
                rule_id=rule.id,
                parameter=parameter.name,
                previous=parameter.default,
                value=change.value,
                rationale=change.rationale,
                approved_by=change.approved_by,
                source=change.source,
            )
        )
    return records


def compose(
    local: Iterable[Rule] = (),
    *,
    tailoring: Tailoring | None = None,
    base: RuleSet,
    sources: Sequence[RuleSource] = (),
    waivers: Iterable[Waiver] = (),
) -> RuleSet:
    """The effective rule set: the built-in rules (``base``), tailored, then the local rules, with waivers.

    The built-in set is never changed; a new :class:`RuleSet` is returned. A
    local rule must have ``origin="local"``, may not take a built-in id, and
    two local rules may not share one (a :class:`RuleError` lists every such
    problem). ``sources`` says where the local rules came from (default:
    Python code). ``waivers`` travel with the rule set and are applied by
    :func:`~natssips_rules.evaluate` to **every organisation evaluated with
    this rule set** (a waiver names a rule and a subject, not an
    organisation); waivers for one organisation are passed to ``evaluate``
    with its facts. Each must name a rule of the set.
    """
    if not isinstance(base, RuleSet):
        raise ArgumentError(f"expected a RuleSet, not {type(base).__name__}", argument="base")
    if tailoring is not None and not isinstance(tailoring, Tailoring):
        raise ArgumentError(f"expected a Tailoring, not {type(tailoring).__name__}", argument="tailoring")
    if isinstance(local, (Rule, str, bytes)) or not isinstance(local, Iterable):
        raise ArgumentError(f"expected a list of Rule, not {type(local).__name__}", argument="local")
    sources = _args.items(sources, RuleSource, "sources")
    waivers = _args.items(waivers, Waiver, "waivers")
    standard = base.standard
    base.verify()  # a rule changed in place since the set was made is refused, not evaluated
    tailored, records = tailor(base, tailoring or Tailoring())
    builtin_ids = {rule.id for rule in base}
    local_rules = list(local)
    seen: set[str] = set()
    problems: list[RuleProblem] = []
    for index, rule in enumerate(local_rules):
        if not isinstance(rule, Rule):
            problems.append(RuleProblem(None, f"local[{index}]", f"not a Rule: {type(rule).__name__}"))
            continue
        if rule.origin != "local":
            problems.append(
                RuleProblem(
                    rule.id,
                    "origin",
                    f"a local rule must have origin='local' (it has {rule.origin!r}); only the standard's rules are 'natssips'",
                )
            )
        if standard is not None and rule.citation.document == standard.document and not standard.is_verbatim(rule.citation.quote):
            problems.append(
                RuleProblem(
                    rule.id,
                    "citation.quote",
                    "a rule citing NatSSIPs must quote the standard's own words; this quote is not in the source text",
                )
            )
        if rule.id in builtin_ids:
            problems.append(RuleProblem(rule.id, "id", "a local rule may not take the id of a built-in rule"))
        elif rule.id in seen:
            problems.append(RuleProblem(rule.id, "id", "two local rules share this id"))
        seen.add(rule.id)
    if problems:
        raise RuleError(problems=problems)
    known = {rule_id for source in sources for rule_id in source.rule_ids}
    unattributed = [rule.id for rule in local_rules if rule.id not in known]
    extra = [RuleSource(kind="python", name="python", rule_ids=unattributed)] if unattributed else []
    return RuleSet(
        [*tailored, *local_rules],
        tailoring=[*base.tailoring, *records],
        sources=[*base.sources, *sources, *extra],
        waivers=[*base.waivers, *waivers],
        standard=standard,
    )
