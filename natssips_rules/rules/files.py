"""Rules files: a Trust's local rules, tailoring and waivers, as data (TOML or JSON).

Loading a file never runs code: it is parsed (``tomllib`` or ``json``) and
every entry is checked against the facts model and the built-in rules before
anything is used. A bad file raises :class:`~natssips_rules.RulesFileError`
listing every problem with the file, the entry (rule, tailoring or waiver) and
the path within it; nothing of a bad file is used.

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

    [[waivers]]              # rule, subject (optional: all), justification, approved_by, expires
"""

import datetime
import pathlib
import tomllib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from natssips_rules.errors import ConditionDataError, JSONTextError, RuleError, RulesFileError, RulesFileProblem
from natssips_rules.facts.load import MAX_DOCUMENT_BYTES, parse_json_text
from natssips_rules.rules.check import check_rule
from natssips_rules.rules.conditions import condition_from_data
from natssips_rules.rules.model import Citation, Level, Parameter, Rule, RuleSet, RuleSource, SubjectKind
from natssips_rules.rules.tailoring import Exclusion, LevelChange, ParameterSetting, Tailoring, Waiver, _tailor, compose
from natssips_rules.standards.source import DOCUMENT, is_verbatim, normalise

__all__ = ["RulesFile", "compose_files", "load_rules_file", "loads_rules"]

_TOP = {"source", "rules", "tailoring", "waivers"}
_SOURCE = {"document", "edition", "url"}
_RULE_REQUIRED = {"id", "title", "level", "subject", "citation", "holds", "requirement", "remediation"}
_RULE_OPTIONAL = {"applies_when", "applicability", "parameters", "interpretation"}
_CITATION_REQUIRED = {"section", "clause", "quote"}
_CITATION_OPTIONAL = {"document", "edition", "url", "references"}
_PARAMETER_REQUIRED = {"name", "default", "description", "interpretation"}
_PARAMETER_OPTIONAL = {"unit", "lenient", "choices"}
_TAILORING = {
    "parameters": ({"parameter", "value", "rationale", "approved_by"}, {"rule"}),
    "exclude": ({"rule", "rationale", "approved_by"}, set()),
    "levels": ({"rule", "level", "rationale", "approved_by"}, set()),
}
_WAIVER_REQUIRED = {"rule", "justification", "approved_by", "expires"}
_WAIVER_OPTIONAL = {"subject"}


@attrs.frozen(kw_only=True)
class RulesFile:
    """What one rules file defines: local rules, tailoring of the built-in rules, waivers."""

    source: str
    rules: tuple[Rule, ...] = ()
    tailoring: Tailoring = Tailoring()
    waivers: tuple[Waiver, ...] = ()

    def ruleset(self, base: RuleSet | None = None) -> RuleSet:
        """The effective rule set: ``base`` (the built-in rules) tailored, plus this file's rules."""
        return compose_files([self], base=base)


def compose_files(
    files: Sequence[RulesFile],
    *,
    base: RuleSet | None = None,
    extra: Iterable[Rule] = (),
    extra_sources: Sequence[RuleSource] = (),
) -> RuleSet:
    """The effective rule set of several rules files (and rules from elsewhere, e.g. entry points)."""
    rules: list[Rule] = []
    sources: list[RuleSource] = []
    tailoring = Tailoring()
    for f in files:
        rules += f.rules
        tailoring = tailoring + f.tailoring
        if f.rules:
            sources.append(RuleSource(kind="file", name=f.source, rule_ids=[r.id for r in f.rules]))
    extra_rules = list(extra)
    return compose([*rules, *extra_rules], tailoring=tailoring, base=base, sources=[*sources, *extra_sources])


class _Problems:
    def __init__(self) -> None:
        self.items: list[RulesFileProblem] = []

    def add(self, item: str | None, path: str | None, message: str) -> None:
        self.items.append(RulesFileProblem(item, path, message))

    def keys(self, data: Any, required: set[str], optional: set[str], item: str | None, path: str | None) -> bool:
        """Check a table's keys; False when it is not a table at all."""
        if not isinstance(data, dict):
            self.add(item, path, f"expected a table, got {type(data).__name__}")
            return False
        for key in sorted(required - set(data)):
            self.add(item, _join(path, key), f"'{key}' is required")
        for key in sorted(set(data) - required - optional):
            allowed = ", ".join(sorted(required | optional))
            self.add(item, _join(path, key), f"unknown key '{key}' (allowed: {allowed})")
        return True

    def text(self, data: dict[str, Any], key: str, item: str | None, path: str | None) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(item, _join(path, key), f"expected non-empty text, got {value!r}")
            return None
        return value


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


def _parse(text: str | bytes, fmt: str, source: str) -> Any:
    if len(text) > MAX_DOCUMENT_BYTES:
        raise RulesFileError(
            [RulesFileProblem(None, None, f"the file is larger than {MAX_DOCUMENT_BYTES:,} bytes")], source=source
        )
    if fmt == "json":
        try:
            return parse_json_text(text)
        except JSONTextError as exc:
            raise RulesFileError([RulesFileProblem(None, None, str(exc))], source=source) from None
    try:
        return tomllib.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 text: {exc.reason}"
    except tomllib.TOMLDecodeError as exc:
        message = f"not valid TOML: {exc}"
    except RecursionError:
        message = "the TOML is nested too deeply"
    raise RulesFileError([RulesFileProblem(None, None, message)], source=source)


def _value(value: Any) -> Any:
    """A parameter value from a file: lists become tuples (of text)."""
    if isinstance(value, list):
        return tuple(value)
    return value


def _parameter(data: Any, problems: _Problems, item: str, path: str) -> Parameter | None:
    if not problems.keys(data, _PARAMETER_REQUIRED, _PARAMETER_OPTIONAL, item, path):
        return None
    before = len(problems.items)
    name = problems.text(data, "name", item, path)
    description = problems.text(data, "description", item, path)
    interpretation = problems.text(data, "interpretation", item, path)
    unit = problems.text(data, "unit", item, path)
    default = _value(data.get("default"))
    ok_default = isinstance(default, (bool, int, float, str)) or (
        isinstance(default, tuple) and all(isinstance(v, str) for v in default)
    )
    if "default" in data and not ok_default:
        problems.add(
            item,
            _join(path, "default"),
            f"a parameter's default is a number, true/false, text or a list of text, not {data['default']!r}",
        )
    lenient = data.get("lenient")
    if lenient is not None and lenient not in ("lower", "higher"):
        problems.add(item, _join(path, "lenient"), f"'lenient' is 'lower' or 'higher', not {lenient!r}")
    choices = data.get("choices")
    if choices is not None and not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        problems.add(item, _join(path, "choices"), "'choices' is a list of text values")
    if len(problems.items) > before or name is None or description is None or interpretation is None:
        return None
    return Parameter(
        name=name,
        default=default,
        description=description,
        interpretation=interpretation,
        unit=unit,
        lenient=lenient,
        choices=None if choices is None else tuple(choices),
    )


def _rule(data: Any, index: int, defaults: dict[str, Any], problems: _Problems) -> Rule | None:
    raw_id = data.get("id") if isinstance(data, dict) else None
    item = f"rule {raw_id!r}" if isinstance(raw_id, str) and raw_id else f"rules[{index}]"
    if not problems.keys(data, _RULE_REQUIRED, _RULE_OPTIONAL, item, None):
        return None
    before = len(problems.items)
    texts = {
        key: problems.text(data, key, item, None)
        for key in ("id", "title", "requirement", "remediation", "applicability", "interpretation")
    }
    level = data.get("level")
    if "level" in data and level not in {lv.value for lv in Level}:
        problems.add(item, "level", f"{level!r} is not a level; expected one of {', '.join(lv.value for lv in Level)}")
    subject = data.get("subject")
    if "subject" in data and subject not in {k.value for k in SubjectKind}:
        problems.add(item, "subject", f"{subject!r} is not a subject; expected one of {', '.join(k.value for k in SubjectKind)}")
    citation = None
    cited = data.get("citation")
    if "citation" in data and problems.keys(cited, _CITATION_REQUIRED, _CITATION_OPTIONAL, item, "citation"):
        fields = {
            key: problems.text(cited, key, item, "citation")
            for key in ("section", "clause", "quote", "document", "edition", "url")
        }
        document = fields["document"] or defaults.get("document")
        references = cited.get("references", [])
        if not (isinstance(references, list) and all(isinstance(r, str) for r in references)):
            problems.add(item, "citation.references", "'references' is a list of text values")
            references = []
        if document is None:
            problems.add(
                item, "citation.document", "a local rule cites its own source: give citation.document or [source].document"
            )
        elif document == DOCUMENT and fields["quote"] and not is_verbatim(fields["quote"]):
            problems.add(
                item,
                "citation.quote",
                "a rule citing NatSSIPs must quote the standard's own words; this quote is not in the source text",
            )
        if document and fields["section"] and fields["clause"] and fields["quote"]:
            citation = Citation(
                document=document,
                edition=fields["edition"] or defaults.get("edition"),
                section=fields["section"],
                clause=fields["clause"],
                quote=normalise(fields["quote"]) if document == DOCUMENT else fields["quote"],
                references=tuple(references),
                url=fields["url"] or defaults.get("url"),
            )
    conditions: dict[str, Any] = {}
    for key in ("holds", "applies_when"):
        if key in data:
            try:
                conditions[key] = condition_from_data(data[key], key)
            except ConditionDataError as exc:
                problems.add(item, exc.where, str(exc).split(": ", 1)[1])
    parameters = []
    raw_parameters = data.get("parameters", [])
    if not isinstance(raw_parameters, list):
        problems.add(item, "parameters", "'parameters' is a list of tables ([[rules.parameters]])")
    else:
        for i, raw in enumerate(raw_parameters):
            parameter = _parameter(raw, problems, item, f"parameters[{i}]")
            if parameter is not None:
                parameters.append(parameter)
    if len(problems.items) > before or citation is None:
        return None
    try:
        rule = Rule(
            id=texts["id"] or "",
            title=texts["title"] or "",
            citation=citation,
            level=Level(level),
            subject=SubjectKind(subject),
            holds=conditions["holds"],
            applies_when=conditions.get("applies_when"),
            applicability=texts["applicability"],
            parameters=parameters,
            requirement=texts["requirement"] or "",
            remediation=texts["remediation"] or "",
            interpretation=texts["interpretation"],
            origin="local",
        )
        check_rule(rule)
    except RuleError as exc:
        for problem in exc.problems:
            problems.add(item, problem.path, problem.message)
        return None
    except (TypeError, ValueError) as exc:  # a condition node built from data of the wrong type
        problems.add(item, None, str(exc))
        return None
    return rule


def _tailoring(data: Any, base: RuleSet, source: str, problems: _Problems) -> Tailoring:
    if not problems.keys(data, set(), set(_TAILORING), "tailoring", None):
        return Tailoring()
    settings: list[ParameterSetting] = []
    exclusions: list[Exclusion] = []
    levels: list[LevelChange] = []
    for kind, (required, optional) in _TAILORING.items():
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            problems.add("tailoring", kind, f"'{kind}' is a list of tables ([[tailoring.{kind}]])")
            continue
        for i, entry in enumerate(entries):
            item = f"tailoring.{kind}[{i}]"
            if not problems.keys(entry, required, optional, item, None):
                continue
            before = len(problems.items)
            rationale = problems.text(entry, "rationale", item, None)
            approved_by = problems.text(entry, "approved_by", item, None)
            rule_id = problems.text(entry, "rule", item, None)
            if len(problems.items) > before or rationale is None or approved_by is None:
                continue
            change: Any
            try:
                if kind == "parameters":
                    parameter = problems.text(entry, "parameter", item, None)
                    if parameter is None:
                        continue
                    change = ParameterSetting(
                        parameter=parameter,
                        value=_value(entry["value"]),
                        rule_id=rule_id,
                        rationale=rationale,
                        approved_by=approved_by,
                        source=source,
                    )
                    _tailor(base, Tailoring(parameters=[change]))
                    settings.append(change)
                elif kind == "exclude":
                    assert rule_id is not None
                    change = Exclusion(rule_id=rule_id, rationale=rationale, approved_by=approved_by, source=source)
                    _tailor(base, Tailoring(exclusions=[change]))
                    exclusions.append(change)
                else:
                    assert rule_id is not None
                    if entry["level"] not in {lv.value for lv in Level}:
                        problems.add(
                            item,
                            "level",
                            f"{entry['level']!r} is not a level; expected one of {', '.join(lv.value for lv in Level)}",
                        )
                        continue
                    change = LevelChange(
                        rule_id=rule_id, level=Level(entry["level"]), rationale=rationale, approved_by=approved_by, source=source
                    )
                    _tailor(base, Tailoring(levels=[change]))
                    levels.append(change)
            except RuleError as exc:
                for problem in exc.problems:
                    where = problem.key or ("value" if kind == "parameters" else "rule")
                    problems.add(item, where, str(problem))
    if not problems.items:
        try:
            RuleSet(_tailor(base, Tailoring(parameters=settings, exclusions=exclusions, levels=levels))[0])
        except RuleError as exc:  # e.g. a list parameter now holding a value its conditions cannot use
            for problem in exc.problems:
                problems.add("tailoring", problem.path, str(problem))
    return Tailoring(parameters=settings, exclusions=exclusions, levels=levels)


def _waiver(data: Any, index: int, known: set[str], source: str, problems: _Problems) -> Waiver | None:
    item = f"waivers[{index}]"
    if not problems.keys(data, _WAIVER_REQUIRED, _WAIVER_OPTIONAL, item, None):
        return None
    before = len(problems.items)
    rule_id = problems.text(data, "rule", item, None)
    subject = problems.text(data, "subject", item, None)
    justification = problems.text(data, "justification", item, None)
    approved_by = problems.text(data, "approved_by", item, None)
    expires = data.get("expires")
    if isinstance(expires, str):
        try:
            expires = datetime.date.fromisoformat(expires)
        except ValueError:
            problems.add(item, "expires", f"{expires!r} is not a date (YYYY-MM-DD)")
    elif "expires" in data and (not isinstance(expires, datetime.date) or isinstance(expires, datetime.datetime)):
        problems.add(item, "expires", f"'expires' is a date (YYYY-MM-DD), not {expires!r}")
    if rule_id is not None and rule_id not in known:
        problems.add(item, "rule", f"no rule {rule_id!r} in the rule set (built-in or local, after exclusions)")
    if len(problems.items) > before or rule_id is None or justification is None or approved_by is None:
        return None
    return Waiver(
        rule_id=rule_id, subject=subject, justification=justification, approved_by=approved_by, expires=expires, source=source
    )


def loads_rules(text: str | bytes, *, format: str = "toml", source: str = "<string>", base: RuleSet | None = None) -> RulesFile:
    """Parse and check a rules file's text (``format`` is ``"toml"`` or ``"json"``)."""
    if format not in ("toml", "json"):
        raise ValueError(f"format is 'toml' or 'json', not {format!r}")
    if base is None:
        from natssips_rules.standards import builtin_rules

        base = builtin_rules()
    data = _parse(text, format, source)
    problems = _Problems()
    if not problems.keys(data, set(), _TOP, None, None):
        raise RulesFileError(problems.items, source=source)
    defaults: dict[str, Any] = {}
    if "source" in data and problems.keys(data["source"], set(), _SOURCE, "source", None):
        defaults = {key: problems.text(data["source"], key, "source", None) for key in _SOURCE}
    rules: list[Rule] = []
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.add(None, "rules", "'rules' is a list of tables ([[rules]])")
        raw_rules = []
    builtin_ids = {rule.id for rule in base}
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        rule = _rule(raw, index, defaults, problems)
        if rule is None:
            continue
        if rule.id in builtin_ids:
            problems.add(f"rule {rule.id!r}", "id", "a local rule may not take the id of a built-in rule")
        elif rule.id in seen:
            problems.add(f"rule {rule.id!r}", "id", f"two local rules share this id (rules[{seen[rule.id]}] and rules[{index}])")
        else:
            seen[rule.id] = index
            rules.append(rule)
    tailoring = _tailoring(data.get("tailoring", {}), base, source, problems)
    excluded = {e.rule_id for e in tailoring.exclusions}
    known = ({r.id for r in base} - excluded) | {r.id for r in rules}
    raw_waivers = data.get("waivers", [])
    waivers: list[Waiver] = []
    if not isinstance(raw_waivers, list):
        problems.add(None, "waivers", "'waivers' is a list of tables ([[waivers]])")
    else:
        for index, raw in enumerate(raw_waivers):
            waiver = _waiver(raw, index, known, source, problems)
            if waiver is not None:
                waivers.append(waiver)
    if problems.items:
        raise RulesFileError(problems.items, source=source)
    return RulesFile(source=source, rules=tuple(rules), tailoring=tailoring, waivers=tuple(waivers))


def load_rules_file(path: str | pathlib.Path, *, base: RuleSet | None = None) -> RulesFile:
    """Load and check a rules file (``.toml``, or ``.json``)."""
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RulesFileError([RulesFileProblem(None, None, "a rules file is .toml or .json")], source=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesFileError([RulesFileProblem(None, None, f"cannot read the file: {exc.strerror}")], source=str(path)) from None
    return loads_rules(raw, format=suffix[1:], source=str(path), base=base)
