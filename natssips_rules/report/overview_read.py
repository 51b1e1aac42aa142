"""Reading one report for the overview: what it keeps of it, from a Report or from the report's JSON data.

The overview keeps, per report, the organisation, its date, nation and kind,
the provenance, and per requirement of the standard the least favourable
status over its subjects and how many subjects have a gap; no free text but
the organisation's name (so no person's name). A report's JSON data is read
quickly where it is as the library writes it, and carefully (each problem
named with its path) where anything is unexpected.
"""

import datetime
from collections.abc import Iterable
from typing import Any

import attrs

from natssips_rules._internal.structuring import describe
from natssips_rules.errors import FactsProblem, ReportError
from natssips_rules.facts.model import Nation, OrganisationKind
from natssips_rules.report.model import Report
from natssips_rules.rules.findings import Status
from natssips_rules.rules.model import Level

#: Least favourable first: the status a requirement gets for an organisation from its subjects' statuses.
_WORST = ("not_met", "insufficient_evidence", "waived", "met", "not_applicable")
_RANK = {status: index for index, status in enumerate(_WORST)}
_LEVELS = frozenset(level.value for level in Level)
_STATUSES = frozenset(status.value for status in Status)
_NATIONS = {n.value: n.label for n in Nation}
_KINDS = {k.value: k.label for k in OrganisationKind}


@attrs.frozen
class _Kept:
    """One report as the overview keeps it: no free text but the organisation's name."""

    org_id: str
    org_name: str
    nation: str | None
    kind: str | None
    as_of: datetime.date
    library_version: str
    ruleset_digest: str
    engine: str
    #: rule id -> (status, gap subjects, subjects), for the standard's requirements
    cells: dict[str, tuple[str, int, int]]
    #: rule id -> the tailoring actions on it
    tailored: dict[str, tuple[str, ...]]
    overdue: int
    where: str


_INTERNED: dict[Any, Any] = {}


def _intern(value: Any) -> Any:
    return _INTERNED.setdefault(value, value) if len(_INTERNED) < 100_000 else value


class _Catalogue:
    """Each requirement's title, level, section and clause, from the latest report that has it; and the standard's order."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[datetime.date, str, str, str, str]] = {}
        self.order: dict[str, int] = {}

    def note(self, when: datetime.date, rule_id: str, title: str, level: str, section: str, clause: str, position: int) -> None:
        known = self.entries.get(rule_id)
        if known is None or when > known[0]:
            self.entries[rule_id] = (when, title, level, section, clause)
        self.order.setdefault(rule_id, position)


def _fold(cells: dict[str, list[int]], rule_id: str, status: str) -> None:
    entry = cells.get(rule_id)
    if entry is None:
        cells[rule_id] = [_RANK[status], int(status in ("not_met", "insufficient_evidence")), 1]
    else:
        entry[0] = min(entry[0], _RANK[status])
        entry[1] += status in ("not_met", "insufficient_evidence")
        entry[2] += 1


def _keep_report(report: Report, where: str, catalogue: _Catalogue) -> _Kept:
    builtin = {rule_id for s in report.sources if s.kind == "builtin" for rule_id in s.rule_ids}
    cells: dict[str, list[int]] = {}
    overdue: set[str] = set()
    for f in report.findings:
        level = f.standard_level or f.level
        if f.origin != "natssips" or f.rule_id not in builtin or level is Level.MAY:
            continue
        if f.rule_id not in cells:
            catalogue.note(report.as_of, f.rule_id, f.title, level.value, f.citation.section, f.citation.clause, len(cells))
        _fold(cells, f.rule_id, f.status.value)
        overdue.update(a.id for a in f.actions if a.overdue)
    tailored: dict[str, list[str]] = {}
    for t in report.tailoring:  # tailoring changes only the standard's rules
        tailored.setdefault(t.rule_id, []).append(t.action)
    return _kept(
        report.organisation.id,
        report.organisation.name,
        None if report.nation is None else report.nation.value,
        None if report.organisation_kind is None else report.organisation_kind.value,
        report.as_of,
        report.library_version,
        report.ruleset_digest,
        report.engine,
        cells,
        tailored,
        len(overdue),
        where,
    )


def _kept(
    org_id: str,
    name: str,
    nation: str | None,
    kind: str | None,
    as_of: datetime.date,
    version: str,
    digest: str,
    engine: str,
    cells: dict[str, list[int]],
    tailored: dict[str, list[str]],
    overdue: int,
    where: str,
) -> _Kept:
    return _Kept(
        org_id,
        name,
        nation,
        kind,
        as_of,
        _intern(version),
        _intern(digest),
        _intern(engine),
        {_intern(k): _intern((_WORST[v[0]], v[1], v[2])) for k, v in cells.items()},
        {_intern(k): _intern(tuple(sorted(set(v)))) for k, v in tailored.items()},
        overdue,
        where,
    )


_KIND_WORDS: dict[Any, str] = {str: "text", list: "a list", dict: "an object", bool: "true or false"}


class _Shape:
    """Checks a report's JSON data for the parts the overview reads, collecting problems with their paths."""

    def __init__(self) -> None:
        self.problems: list[FactsProblem] = []

    def get(self, data: Any, key: str, path: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if not isinstance(data, dict):
            self.problems.append(FactsProblem(path, f"expected an object, got {describe(data)}"))
            return None
        value = data.get(key)
        if value is None and optional:
            return None
        where = f"{path}.{key}" if path else key
        if key not in data:
            self.problems.append(FactsProblem(where, "is required"))
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problems.append(
                FactsProblem(where, f"expected {_KIND_WORDS.get(kind, 'another kind of value')}, got {describe(value)}")
            )
            return None
        return value

    def choice(self, value: Any, allowed: Iterable[str], where: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.problems.append(
                FactsProblem(where, f"{describe(value)} is not allowed; expected one of: {', '.join(sorted(allowed))}")
            )
            return None
        return value


_STR = str
_DATES: dict[str, datetime.date] = {}


def _keep_data(data: Any, where: str, catalogue: _Catalogue) -> _Kept:
    """The parts of a report's JSON data the overview reads, each checked (a damaged report is refused with the paths).

    A quick reading comes first; anything it does not expect sends the report to the careful one, which says what is
    wrong and where (both accept the same reports and keep the same, as a test checks).
    """
    kept = _keep_quickly(data, where, catalogue)
    return kept if kept is not None else _keep_carefully(data, where, catalogue)


def _keep_quickly(data: Any, where: str, catalogue: _Catalogue) -> _Kept | None:
    """The same reading as :func:`_keep_carefully` for a well-formed report, or None at the first thing unexpected."""
    try:
        org = data["organisation"]
        org_id, name, as_of_text = org["id"], org["name"], data["as_of"]
        version, digest, engine = data["library_version"], data["ruleset_digest"], data["engine"]
        if not all(type(v) is _STR for v in (org_id, name, as_of_text, version, digest, engine)):
            return None
        as_of = _DATES.get(as_of_text)
        if as_of is None:
            as_of = datetime.date.fromisoformat(as_of_text)
            if len(_DATES) < 10_000:
                _DATES[as_of_text] = as_of
        nation, kind = data.get("nation"), data.get("organisation_kind")
        if (nation is not None and nation not in _NATIONS) or (kind is not None and kind not in _KINDS):
            return None
        sources, tailoring = data.get("sources"), data.get("tailoring")
        if (sources is not None and type(sources) is not list) or (tailoring is not None and type(tailoring) is not list):
            return None
        builtin: set[str] = set()
        for source in sources or ():
            source_kind = source["kind"]
            if type(source_kind) is not _STR:
                return None
            if source_kind == "builtin":
                ids = source["rule_ids"]
                if type(ids) is not list:
                    return None
                builtin.update(x for x in ids if type(x) is _STR)
        findings = data["findings"]
        if type(findings) is not list:
            return None
        cells: dict[str, list[int]] = {}
        overdue: set[str] = set()
        notes = []
        for f in findings:
            rule_id, status = f["rule_id"], f["status"]
            origin = f.get("origin", "natssips")
            level = f.get("standard_level") or f["level"]
            if (
                type(rule_id) is not _STR
                or status not in _STATUSES
                or origin not in ("natssips", "local")
                or level not in _LEVELS
            ):
                return None
            if origin != "natssips" or rule_id not in builtin or level == "may":
                continue
            actions = f.get("actions")
            if actions is not None and type(actions) is not list:
                return None
            for action in actions or ():
                flag = action.get("overdue")
                if flag is True:
                    action_id = action["id"]
                    if type(action_id) is not _STR:
                        return None
                    overdue.add(action_id)
                elif flag is not False and flag is not None:
                    return None
            title, citation = f["title"], f["citation"]
            section, clause = citation["section"], citation["clause"]
            if not (type(title) is _STR and type(citation) is dict and type(section) is _STR and type(clause) is _STR):
                return None
            if rule_id not in cells:
                notes.append((rule_id, title, level, section, clause, len(cells)))
            _fold(cells, rule_id, status)
        tailored: dict[str, list[str]] = {}
        for t in tailoring or ():
            rule_id, action = t["rule_id"], t["action"]
            if type(rule_id) is not _STR or action not in ("set_parameter", "set_level", "exclude"):
                return None
            tailored.setdefault(rule_id, []).append(action)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    for note in notes:
        catalogue.note(as_of, *note)
    return _kept(org_id, name, nation, kind, as_of, version, digest, engine, cells, tailored, len(overdue), where)


def _keep_carefully(data: Any, where: str, catalogue: _Catalogue) -> _Kept:
    """The parts of a report's JSON data the overview reads, each checked: every problem said with its path."""
    s = _Shape()
    org = s.get(data, "organisation", "", dict)
    org_id = s.get(org, "id", "organisation", str) if org is not None else None
    name = s.get(org, "name", "organisation", str) if org is not None else None
    as_of_text = s.get(data, "as_of", "", str)
    as_of = None
    if as_of_text is not None:
        try:
            as_of = datetime.date.fromisoformat(as_of_text)
        except ValueError:
            s.problems.append(FactsProblem("as_of", f"{describe(as_of_text)} is not a date (YYYY-MM-DD)"))
    version = s.get(data, "library_version", "", str)
    digest = s.get(data, "ruleset_digest", "", str)
    engine = s.get(data, "engine", "", str)
    nation = s.choice(data.get("nation") if isinstance(data, dict) else None, _NATIONS, "nation", optional=True)
    kind = s.choice(data.get("organisation_kind") if isinstance(data, dict) else None, _KINDS, "organisation_kind", optional=True)
    builtin: set[str] = set()
    for i, source in enumerate(s.get(data, "sources", "", list, optional=True) or ()):
        if s.get(source, "kind", f"sources[{i}]", str) == "builtin":
            ids = s.get(source, "rule_ids", f"sources[{i}]", list) or ()
            builtin.update(x for x in ids if isinstance(x, str))
    cells: dict[str, list[int]] = {}
    overdue: set[str] = set()
    for i, f in enumerate(s.get(data, "findings", "", list) or ()):
        at = f"findings[{i}]"
        rule_id = s.get(f, "rule_id", at, str)
        origin = s.choice(f.get("origin", "natssips") if isinstance(f, dict) else None, ("natssips", "local"), f"{at}.origin")
        status = s.choice(f.get("status") if isinstance(f, dict) else None, _STATUSES, f"{at}.status")
        level = s.choice(f.get("standard_level") or f.get("level") if isinstance(f, dict) else None, _LEVELS, f"{at}.level")
        if origin != "natssips" or rule_id not in builtin or level in (None, "may") or status is None:
            continue
        title = s.get(f, "title", at, str)
        citation = s.get(f, "citation", at, dict)
        section = s.get(citation, "section", f"{at}.citation", str) if citation is not None else None
        clause = s.get(citation, "clause", f"{at}.citation", str) if citation is not None else None
        for j, action in enumerate(s.get(f, "actions", at, list, optional=True) or ()):
            if s.get(action, "overdue", f"{at}.actions[{j}]", bool, optional=True):
                action_id = s.get(action, "id", f"{at}.actions[{j}]", str)
                if action_id is not None:
                    overdue.add(action_id)
        if rule_id not in cells and as_of is not None and title is not None and section is not None and clause is not None:
            catalogue.note(as_of, rule_id, title, level, section, clause, len(cells))
        _fold(cells, rule_id, status)
    tailored: dict[str, list[str]] = {}
    for i, t in enumerate(s.get(data, "tailoring", "", list, optional=True) or ()):
        rule_id = s.get(t, "rule_id", f"tailoring[{i}]", str)
        action = s.choice(
            t.get("action") if isinstance(t, dict) else None, ("set_parameter", "set_level", "exclude"), f"tailoring[{i}].action"
        )
        if rule_id is not None and action is not None:
            tailored.setdefault(rule_id, []).append(action)
    if s.problems:
        raise ReportError(s.problems, source=where)
    assert org_id is not None and name is not None and as_of is not None and version is not None
    assert digest is not None and engine is not None
    return _kept(org_id, name, nation, kind, as_of, version, digest, engine, cells, tailored, len(overdue), where)
