"""Rules files: a Trust's local rules, tailoring and waivers, as data (TOML or JSON).

Loading a file never runs code: it is parsed (``tomllib`` or ``json``), its
shape is structured strictly by a cattrs converter (every wrong type, unknown
key or missing key reported with the entry and path, all at once), and then
every entry is checked against the facts model and the built-in rules before
anything is used. A bad file raises :class:`~natssips_rules.RulesFileError`
listing every problem with the file, the entry (rule, tailoring or waiver) and
the path within it; nothing of a bad file is used. Files are bounded
(:data:`MAX_RULES_FILE_BYTES`, :data:`MAX_RULES_PER_FILE`), checked before
parsing where possible.

The file's tables (all optional)::

    [source]                 # defaults for the citations of the file's rules
    document = "Northvale Safer Invasive Procedures Policy (LocSSIPs)"
    edition = "v4, 2025"
    url = "https://..."

    [[rules]]                # a local rule: the fields of natssips_rules.Rule
    id = "northvale.site-lead-sessions"
    ...
    [rules.citation]         # section, clause, quote (document/edition/url default from [source])
    [rules.holds]            # a condition in data form: {op = "compare", path = ..., compare = ">=", value = ...}
    [[rules.parameters]]     # name, default, description, interpretation, unit, lenient, choices

    [[tailoring.parameters]] # rule (optional: every built-in rule with it), parameter, value, rationale, approved_by
    [[tailoring.exclude]]    # rule, rationale, approved_by
    [[tailoring.levels]]     # rule, level, rationale, approved_by

    [[waivers]]              # rule, subject (optional: all), justification, approved_by, approved_on, expires
"""

import datetime
import os
import pathlib
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Union

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError

from natssips_rules._internal import arguments as _args
from natssips_rules._internal.identity_memo import IdentityMemo
from natssips_rules._internal.structuring import describe, expect, problems_of, strict_converter
from natssips_rules.errors import ArgumentError, JSONTextError, RuleError, RulesFileError, RulesFileProblem
from natssips_rules.facts.load import parse_json_text
from natssips_rules.rules.conditions import Condition, condition_from_data
from natssips_rules.rules.model import Citation, Footnote, Level, Parameter, Rule, RuleSet, RuleSource, StandardText, SubjectKind
from natssips_rules.rules.tailoring import Exclusion, LevelChange, ParameterSetting, Tailoring, Waiver, compose, tailor

__all__ = ["MAX_RULES_FILE_BYTES", "MAX_RULES_PER_FILE", "RulesFile", "compose_files", "load_rules_file", "loads_rules"]

#: Largest rules file accepted, in bytes (checked before the file is parsed).
MAX_RULES_FILE_BYTES = 10 * 1024 * 1024
#: Most local rules, tailoring entries or waivers in one file (each counted on its own).
MAX_RULES_PER_FILE = 5_000


# --------------------------------------------------------------------------
# The file's shape, structured by cattrs (field names are the file's keys)


@attrs.frozen(kw_only=True)
class _SourceEntry:
    document: str | None = None
    edition: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class _FootnoteEntry:
    marker: str
    text: str


@attrs.frozen(kw_only=True)
class _CitationEntry:
    section: str
    clause: str
    quote: str
    document: str | None = None
    edition: str | None = None
    url: str | None = None
    references: tuple[str, ...] = ()
    footnotes: tuple[_FootnoteEntry, ...] = ()


_ParameterValue = Union[bool, int, float, str, tuple[str, ...]]


@attrs.frozen(kw_only=True)
class _ParameterEntry:
    name: str
    description: str
    interpretation: str
    #: the parameter's value: ``default`` in a file written by hand, ``value`` as ``Rule.to_data()`` writes it
    default: _ParameterValue | None = None
    value: _ParameterValue | None = None
    unit: str | None = None
    lenient: Literal["lower", "higher"] | None = None
    choices: tuple[str, ...] | None = None
    #: as ``Rule.to_data()`` writes it; a local rule's parameter is never the standard's own
    from_standard: bool = False
    #: how a finding names the default where it is a reading of the words the rule rests on
    reading: str | None = None


@attrs.frozen(kw_only=True)
class _RuleEntry:
    id: str
    title: str
    level: Level
    subject: SubjectKind
    citation: _CitationEntry
    holds: Condition
    requirement: str
    remediation: str
    applies_when: Condition | None = None
    applicability: str | None = None
    parameters: tuple[_ParameterEntry, ...] = ()
    interpretation: str | None = None
    #: as ``Rule.to_data()`` writes it: a rules file's rules are the Trust's own
    origin: Literal["local"] = "local"


@attrs.frozen(kw_only=True)
class _ParameterSettingEntry:
    parameter: str
    value: _ParameterValue
    rationale: str
    approved_by: str
    rule: str | None = None


@attrs.frozen(kw_only=True)
class _ExcludeEntry:
    rule: str
    rationale: str
    approved_by: str


@attrs.frozen(kw_only=True)
class _LevelEntry:
    rule: str
    level: Level
    rationale: str
    approved_by: str


@attrs.frozen(kw_only=True)
class _TailoringEntry:
    parameters: tuple[_ParameterSettingEntry, ...] = ()
    exclude: tuple[_ExcludeEntry, ...] = ()
    levels: tuple[_LevelEntry, ...] = ()


@attrs.frozen(kw_only=True)
class _WaiverEntry:
    rule: str
    justification: str
    approved_by: str
    expires: datetime.date
    subject: str | None = None
    approved_on: datetime.date | None = None


@attrs.frozen(kw_only=True)
class _FileEntry:
    source: _SourceEntry | None = None
    rules: tuple[_RuleEntry, ...] = ()
    tailoring: _TailoringEntry | None = None
    waivers: tuple[_WaiverEntry, ...] = ()


def _make_converter() -> Any:
    conv = strict_converter()
    base_str = conv.get_structure_hook(str)

    def text(value: Any, tp: Any) -> str:
        found: str = base_str(value, tp)
        if not found.strip():
            raise ValueError("expected non-empty text, got empty text")
        return found

    conv.register_structure_hook(str, text)

    def parameter_value(value: Any, _: Any) -> Any:
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise TypeError("a list value is a list of text values")
            return tuple(text(v, str) for v in value)
        if isinstance(value, str):
            return text(value, str)
        expect(value, (bool, int, float), "a number, true/false, text or a list of text")
        return conv.get_structure_hook(float)(value, float) if isinstance(value, float) else value

    conv.register_structure_hook_func(lambda t: t == _ParameterValue, parameter_value)
    conv.register_structure_hook_func(
        lambda t: t == (_ParameterValue | None), lambda value, tp: None if value is None else parameter_value(value, tp)
    )
    conv.register_structure_hook_func(lambda t: t == Condition, lambda value, _: condition_from_data(value, ""))
    conv.register_structure_hook_func(
        lambda t: t == (Condition | None), lambda value, _: None if value is None else condition_from_data(value, "")
    )

    def literal(value: Any, tp: Any) -> Any:
        allowed = tp.__args__
        if value not in allowed or not isinstance(value, str):
            raise ValueError(f"{describe(value)} is not allowed; expected one of: {', '.join(allowed)}")
        return value

    conv.register_structure_hook_func(lambda t: getattr(t, "__origin__", None) is Literal, literal)
    return conv


_CONVERTER = _make_converter()

_ITEM = re.compile(r"^(rules|waivers|tailoring\.(?:parameters|exclude|levels))\[(\d+)\]\.?(.*)$")


def _locate(path: str, data: Any) -> tuple[str | None, str | None]:
    """(entry, path within it) for a path into the file, naming a rule by its id where it has one."""
    match = _ITEM.match(path)
    if match is None:
        return None, path or None
    table, index, rest = match.group(1), int(match.group(2)), match.group(3)
    item = f"{table}[{index}]"
    if table == "rules":
        raw = data.get("rules") if isinstance(data, dict) else None
        entry = raw[index] if isinstance(raw, list) and index < len(raw) else None
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(raw_id, str) and raw_id.strip():
            item = f"rule {raw_id!r}"
    return item, rest or None


# --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RulesFile:
    """What one rules file defines: local rules, tailoring of the built-in rules, waivers."""

    source: str
    #: The rule set the file was checked against (its ids, its tailoring): the built-in rules unless another was given.
    base: RuleSet = attrs.field(eq=False, repr=False)
    rules: tuple[Rule, ...] = ()
    tailoring: Tailoring = Tailoring()
    waivers: tuple[Waiver, ...] = ()

    def ruleset(self, base: RuleSet | None = None) -> RuleSet:
        """The effective rule set: ``base`` (by default the one the file was checked against, the built-in rules)
        tailored, plus this file's rules and its waivers.

        On the file's own base it is made once for this object and kept, with its compiled engine forms:
        ``evaluate(org, rules=rules_file)`` called again and again compiles the rules once.
        """
        if base is not None and base is not self.base:
            return compose_files([self], base=base)
        found = _RULESETS.get(self)
        if found is None:
            # two threads may both make it; the first kept is the one every caller gets (compiled once)
            found = _RULESETS.setdefault(self, compose_files([self], base=self.base))
        return found


#: The rule set of each rules file on the built-in rules, by the file object's identity (forgotten with it).
_RULESETS: IdentityMemo[RuleSet] = IdentityMemo()


def compose_files(
    files: Sequence[RulesFile],
    *,
    base: RuleSet,
    extra: Iterable[Rule] = (),
    extra_sources: Sequence[RuleSource] = (),
) -> RuleSet:
    """The effective rule set of several rules files (and rules from elsewhere, e.g. entry points).

    The rule set carries the files' waivers, so :func:`~natssips_rules.evaluate` applies them.
    """
    files = _args.items(files, RulesFile, "files")
    extra = _args.items(extra, Rule, "extra")
    extra_sources = _args.items(extra_sources, RuleSource, "extra_sources")
    if not isinstance(base, RuleSet):
        raise ArgumentError(f"expected a RuleSet, not {type(base).__name__}", argument="base")
    rules: list[Rule] = []
    sources: list[RuleSource] = []
    tailoring = Tailoring()
    for f in files:
        rules += f.rules
        tailoring = tailoring + f.tailoring
        if f.rules:
            sources.append(RuleSource(kind="file", name=f.source, rule_ids=[r.id for r in f.rules]))
    return compose(
        [*rules, *extra],
        tailoring=tailoring,
        base=base,
        sources=[*sources, *extra_sources],
        waivers=[w for f in files for w in f.waivers],
    )


class _Problems:
    def __init__(self, data: Any) -> None:
        self.data = data
        self.items: list[RulesFileProblem] = []

    def add(self, item: str | None, path: str | None, message: str) -> None:
        self.items.append(RulesFileProblem(item, path, message))

    def located(self, path: str, message: str) -> None:
        item, within = _locate(path, self.data)
        self.add(item, within, message)


def _parse(text: str | bytes, fmt: str, source: str) -> Any:
    if len(text) > MAX_RULES_FILE_BYTES:
        raise RulesFileError(
            [RulesFileProblem(None, None, f"the file is larger than {MAX_RULES_FILE_BYTES:,} bytes")], source=source
        )
    if fmt == "json":
        try:
            return parse_json_text(text)
        except JSONTextError as exc:
            raise RulesFileError([RulesFileProblem(None, None, str(exc))], source=source) from None
    try:
        return tomllib.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except UnicodeError as exc:
        message = f"not valid UTF-8 text: {exc}"
    except tomllib.TOMLDecodeError as exc:
        message = f"not valid TOML: {exc}"
    except RecursionError:
        message = "the TOML is nested too deeply"
    except ValueError:  # a whole number longer than Python reads (sys.get_int_max_str_digits())
        message = f"not valid TOML: a number has more than {sys.get_int_max_str_digits():,} digits"
    raise RulesFileError([RulesFileProblem(None, None, message)], source=source)


def _bounded(data: Any, source: str) -> None:
    """Refuse a file with more entries than :data:`MAX_RULES_PER_FILE` before looking at any of them."""
    if not isinstance(data, dict):
        return
    tailoring = data.get("tailoring")
    tables = {
        "rules": data.get("rules"),
        "waivers": data.get("waivers"),
        **({f"tailoring.{k}": v for k, v in tailoring.items()} if isinstance(tailoring, dict) else {}),
    }
    for name, entries in tables.items():
        if isinstance(entries, list) and len(entries) > MAX_RULES_PER_FILE:
            raise RulesFileError(
                [RulesFileProblem(None, name, f"{len(entries):,} entries; a rules file holds at most {MAX_RULES_PER_FILE:,}")],
                source=source,
            )


def _citation(
    entry: _CitationEntry, defaults: _SourceEntry, item: str, problems: _Problems, standard: StandardText | None
) -> Citation | None:
    document = entry.document or defaults.document
    if document is None:
        problems.add(item, "citation.document", "a local rule cites its own source: give citation.document or [source].document")
        return None
    natssips = standard is not None and document == standard.document
    if standard is not None and natssips and not standard.is_verbatim(entry.quote):
        problems.add(
            item,
            "citation.quote",
            "a rule citing NatSSIPs must quote the standard's own words; this quote is not in the source text",
        )
        return None
    return Citation(
        document=document,
        edition=entry.edition or defaults.edition,
        section=entry.section,
        clause=entry.clause,
        quote=standard.normalise(entry.quote) if standard is not None and natssips else entry.quote,
        footnotes=tuple(Footnote(marker=f.marker, text=f.text) for f in entry.footnotes),
        references=entry.references,
        url=entry.url or defaults.url,
    )


def _rule(entry: _RuleEntry, defaults: _SourceEntry, problems: _Problems, standard: StandardText | None) -> Rule | None:
    item = f"rule {entry.id!r}"
    citation = _citation(entry.citation, defaults, item, problems, standard)
    if citation is None:
        return None
    parameters = []
    for index, p in enumerate(entry.parameters):
        if (p.default is None) == (p.value is None):
            problems.add(
                item, f"parameters[{index}]", "give the parameter's default (or its value, as Rule.to_data() writes it), once"
            )
            continue
        if p.from_standard:
            problems.add(
                item, f"parameters[{index}].from_standard", "a local rule's parameter is the Trust's own, never the standard's"
            )
            continue
        try:
            parameters.append(
                Parameter(
                    name=p.name,
                    default=p.value if p.default is None else p.default,
                    description=p.description,
                    interpretation=p.interpretation,
                    unit=p.unit,
                    lenient=p.lenient,
                    choices=p.choices,
                    reading=p.reading,
                )
            )
        except RuleError as exc:  # a value beyond the limits, a default outside its choices: said where, as every problem
            for problem in exc.problems:
                where = (problem.path or "").removeprefix("Parameter.")
                problems.add(item, f"parameters[{index}]" + (f".{where}" if where else ""), problem.message)
    if len(parameters) != len(entry.parameters):
        return None
    try:
        return Rule(
            id=entry.id,
            title=entry.title,
            citation=citation,
            level=entry.level,
            subject=entry.subject,
            holds=entry.holds,
            applies_when=entry.applies_when,
            applicability=entry.applicability,
            parameters=tuple(parameters),
            requirement=entry.requirement,
            remediation=entry.remediation,
            interpretation=entry.interpretation,
            origin="local",
        )
    except RuleError as exc:
        for problem in exc.problems:
            problems.add(item, problem.path, problem.message)
        return None


def _tailoring(entry: _TailoringEntry, base: RuleSet, source: str, problems: _Problems) -> Tailoring:
    settings = [
        (
            f"tailoring.parameters[{i}]",
            ParameterSetting(
                parameter=e.parameter,
                value=e.value,
                rule_id=e.rule,
                rationale=e.rationale,
                approved_by=e.approved_by,
                source=source,
            ),
        )
        for i, e in enumerate(entry.parameters)
    ]
    exclusions = [
        (f"tailoring.exclude[{i}]", Exclusion(rule_id=e.rule, rationale=e.rationale, approved_by=e.approved_by, source=source))
        for i, e in enumerate(entry.exclude)
    ]
    levels = [
        (
            f"tailoring.levels[{i}]",
            LevelChange(rule_id=e.rule, level=e.level, rationale=e.rationale, approved_by=e.approved_by, source=source),
        )
        for i, e in enumerate(entry.levels)
    ]
    ok: dict[str, list[Any]] = {"parameters": [], "exclusions": [], "levels": []}
    for kind, changes in (("parameters", settings), ("exclusions", exclusions), ("levels", levels)):
        for item, change in changes:
            try:
                tailor(base, Tailoring(**{kind: [change]}))
            except RuleError as exc:
                for problem in exc.problems:
                    where = problem.key or ("value" if kind == "parameters" else "rule")
                    problems.add(item, where, str(problem))
            else:
                ok[kind].append(change)
    result = Tailoring(**ok)
    if not problems.items and not result.is_empty():
        try:
            RuleSet(tailor(base, result)[0])
        except RuleError as exc:  # e.g. a list parameter now holding a value its conditions cannot use
            for problem in exc.problems:
                problems.add("tailoring", problem.path, str(problem))
    return result


def loads_rules(text: str | bytes, *, format: str = "toml", source: str = "<string>", base: RuleSet) -> RulesFile:
    """Parse and check a rules file's text (``format`` is ``"toml"`` or ``"json"``)."""
    if format not in ("toml", "json"):
        raise ArgumentError(f"format is 'toml' or 'json', not {format!r}", argument="format")
    if not isinstance(text, (str, bytes)):
        raise ArgumentError(f"expected the file's text (str or bytes), not {type(text).__name__}", argument="text")
    _args.instance(base, RuleSet, "base")
    data = _parse(text, format, source)
    _bounded(data, source)
    problems = _Problems(data)
    try:
        entry: _FileEntry = _CONVERTER.structure(data, _FileEntry)
    except (ClassValidationError, IterableValidationError, TypeError, ValueError) as exc:
        for path, message in problems_of(exc):
            problems.located(path, message)
        raise RulesFileError(problems.items, source=source) from None
    defaults = entry.source or _SourceEntry()
    rules: list[Rule] = []
    builtin_ids = {rule.id for rule in base}
    seen: dict[str, int] = {}
    for index, raw in enumerate(entry.rules):
        item = f"rule {raw.id!r}"
        if raw.id in builtin_ids:
            problems.add(item, "id", "a local rule may not take the id of a built-in rule")
            continue
        if raw.id in seen:
            problems.add(item, "id", f"two local rules share this id (rules[{seen[raw.id]}] and rules[{index}])")
            continue
        seen[raw.id] = index
        rule = _rule(raw, defaults, problems, base.standard)
        if rule is not None:
            rules.append(rule)
    tailoring = _tailoring(entry.tailoring or _TailoringEntry(), base, source, problems)
    excluded = {e.rule_id for e in tailoring.exclusions}
    known = ({r.id for r in base} - excluded) | {r.id for r in rules}
    waivers: list[Waiver] = []
    for index, raw_waiver in enumerate(entry.waivers):
        if raw_waiver.rule not in known:
            problems.add(
                f"waivers[{index}]", "rule", f"no rule {raw_waiver.rule!r} in the rule set (built-in or local, after exclusions)"
            )
            continue
        if raw_waiver.approved_on is not None and raw_waiver.approved_on > raw_waiver.expires:
            problems.add(
                f"waivers[{index}]",
                "approved_on",
                f"approved on {raw_waiver.approved_on.isoformat()}, after it expires ({raw_waiver.expires.isoformat()}): "
                "check both dates",
            )
            continue
        waivers.append(
            Waiver(
                rule_id=raw_waiver.rule,
                subject=raw_waiver.subject,
                justification=raw_waiver.justification,
                approved_by=raw_waiver.approved_by,
                expires=raw_waiver.expires,
                approved_on=raw_waiver.approved_on,
                source=source,
            )
        )
    if problems.items:
        raise RulesFileError(problems.items, source=source)
    return RulesFile(source=source, base=base, rules=tuple(rules), tailoring=tailoring, waivers=tuple(waivers))


def load_rules_file(path: str | os.PathLike[str], *, base: RuleSet) -> RulesFile:
    """Load and check a rules file (``.toml`` or ``.json``), refusing one larger than :data:`MAX_RULES_FILE_BYTES` unread."""
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentError(f"expected the path of a rules file, not {type(path).__name__}", argument="path")
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RulesFileError([RulesFileProblem(None, None, "a rules file is .toml or .json")], source=str(path))
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_RULES_FILE_BYTES + 1)
    except OSError as exc:
        raise RulesFileError(
            [RulesFileProblem(None, None, f"cannot read the file: {exc.strerror or exc}")], source=str(path)
        ) from None
    return loads_rules(raw, format=suffix[1:], source=str(path), base=base)
