"""An overview across organisations, for those who assure many: ICBs, regions, the national team.

:func:`overview` reads many reports (of many organisations, at one or several
dates) one at a time and keeps only what the overview needs, so a year of a
nation's evaluations fits in memory. It compares only the standard's
requirements: the built-in rules (as each report's ``builtin`` source lists
them), not a "may" suggestion, and never a Trust's own rules. Per
organisation and requirement it keeps the least favourable status over the
requirement's subjects (not met, then insufficient evidence, then waived,
then met, then not applicable) and how many subjects have a gap.

- A requirement an organisation has tailored (a parameter or level set, or the
  rule excluded) is *marked* for that organisation and not compared: it counts
  in no total across organisations, and is shown as tailored.
- Each organisation's latest report in each period is used (the period is the
  report's date, or its month, quarter or year); two reports of one
  organisation as of one date are refused, naming both.
- It names no person: it keeps organisations, requirements, statuses and
  counts; never a subject's name, an action's owner or a tailoring's approver.
- Reports from different library versions or rule sets are said to be so.
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal, Union

import attrs

from natssips_rules._internal.structuring import describe
from natssips_rules.errors import ArgumentError
from natssips_rules.report.account import OncePerDate
from natssips_rules.report.model import Report
from natssips_rules.report.overview_read import (
    _KINDS,
    _NATIONS,
    _WORST,
    _Catalogue,
    _keep_data,
    _keep_report,
    _Kept,
)
from natssips_rules.rules.model import Level

__all__ = [
    "CELL_STATUSES",
    "PERIODS",
    "GroupLine",
    "MatrixCell",
    "OrganisationLine",
    "Overview",
    "OverviewBuilder",
    "RequirementLine",
    "TrendPoint",
    "overview",
    "overview_schema",
]

#: How reports are grouped in time: by their date, or by calendar month, quarter or year.
PERIODS = ("date", "month", "quarter", "year")
#: A cell of the matrix: a status, or ``not_assessed`` (the organisation's report has no finding for the requirement).
CELL_STATUSES = ("not_met", "insufficient_evidence", "waived", "met", "not_applicable", "not_assessed")
CellStatus = Literal["not_met", "insufficient_evidence", "waived", "met", "not_applicable", "not_assessed"]


@attrs.frozen(kw_only=True)
class MatrixCell:
    """One requirement for one organisation, at its latest report.

    ``tailoring`` lists the organisation's changes to the rule (``set_parameter``,
    ``set_level``, ``exclude``): where there is any, the cell is marked and not
    compared across organisations. ``gap_subjects`` of ``subjects`` (sites,
    specialties, ...) are not met or lack the evidence.
    """

    rule_id: str
    status: CellStatus
    tailoring: tuple[str, ...] = ()
    gap_subjects: int = 0
    subjects: int = 0

    @property
    def compared(self) -> bool:
        return not self.tailoring and self.status != "not_assessed"


@attrs.frozen(kw_only=True)
class Counts:
    """Requirements (organisation × requirement) by status, compared ones only."""

    met: int = 0
    not_met: int = 0
    insufficient_evidence: int = 0
    waived: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.met + self.not_met + self.insufficient_evidence + self.waived

    @property
    def gaps(self) -> int:
        return self.not_met + self.insufficient_evidence

    @property
    def share_met(self) -> float | None:
        return None if not self.applicable else self.met / self.applicable


def _count(statuses: Iterable[str]) -> Counts:
    tally = dict.fromkeys(_WORST, 0)
    for status in statuses:
        tally[status] += 1
    return Counts(**tally)


@attrs.frozen(kw_only=True)
class OrganisationLine:
    """One organisation at its latest report: its counts, overdue actions, tailoring and the matrix row."""

    id: str
    name: str
    nation: str | None
    kind: str | None
    as_of: datetime.date
    library_version: str
    ruleset_digest: str
    engine: str
    counts: Counts
    #: Distinct actions overdue on the standard's requirements (tailored ones included).
    overdue_actions: int
    #: Requirements the organisation tailored (marked, not compared), and how many of them have a gap.
    tailored: int
    tailored_gaps: int
    cells: tuple[MatrixCell, ...]


@attrs.frozen(kw_only=True)
class RequirementLine:
    """One requirement across the organisations: counts of organisations by status (compared ones), and its trend."""

    rule_id: str
    title: str
    level: str
    section: str
    clause: str
    counts: Counts
    tailored: int
    not_assessed: int
    #: The share of organisations meeting it in each period (``None``: applicable to none), oldest first.
    trend: tuple[float | None, ...]


@attrs.frozen(kw_only=True)
class GroupLine:
    """The organisations of one nation or kind, at their latest reports."""

    key: str | None
    label: str
    organisations: int
    counts: Counts
    overdue_actions: int


@attrs.frozen(kw_only=True)
class TrendPoint:
    """All organisations reporting in one period: requirements met of those applicable (compared ones)."""

    period: str
    organisations: int
    counts: Counts


@attrs.frozen(kw_only=True)
class Overview:
    """The overview across organisations (see the module's description for what it compares)."""

    period: Literal["date", "month", "quarter", "year"]
    periods: tuple[str, ...]
    first: datetime.date
    last: datetime.date
    #: Ordered by gaps (most first), then overdue actions, then name.
    organisations: tuple[OrganisationLine, ...]
    #: Ordered by organisations with a gap (most first), then not met, then the standard's order.
    requirements: tuple[RequirementLine, ...]
    position: Counts
    by_nation: tuple[GroupLine, ...]
    by_kind: tuple[GroupLine, ...]
    trend: tuple[TrendPoint, ...]
    library_versions: dict[str, int]
    ruleset_digests: dict[str, int]
    engines: dict[str, int]
    reports_read: int
    #: Reports not used: an organisation's earlier report in a period that has a later one.
    reports_superseded: int
    #: Input lines that were not reports (a batch's refused or failed lines), by where they are.
    not_reports: tuple[str, ...]
    #: What a reader must know to read the figures: mixed versions or rule sets, missing nations.
    notes: tuple[str, ...]

    def by_overdue(self) -> tuple[OrganisationLine, ...]:
        """The organisations with overdue actions, most first."""
        return tuple(
            sorted(
                (o for o in self.organisations if o.overdue_actions),
                key=lambda o: (-o.overdue_actions, -o.counts.gaps, o.name, o.id),
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """The overview as plain, JSON-ready data (the shape :func:`overview_schema` describes)."""
        data: dict[str, Any] = _plain(self)
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        data = {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
        if isinstance(value, Counts):
            data.update(applicable=value.applicable, gaps=value.gaps, share_met=value.share_met)
        return data
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------
# Building the overview


def _period_of(when: datetime.date, period: str) -> str:
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "quarter":
        return f"{when.year:04d}-Q{(when.month - 1) // 3 + 1}"
    if period == "year":
        return f"{when.year:04d}"
    return when.isoformat()


class OverviewBuilder:
    """Builds an overview from reports given one at a time (:meth:`add` a Report, :meth:`add_data` its JSON data).

    Each report is reduced at once to what the overview keeps, so memory grows
    with the number of organisations and periods, not with the reports' size.
    """

    def __init__(self, *, period: str = "date") -> None:
        if period not in PERIODS:
            raise ArgumentError(f"{describe(period)} is not a period; expected one of: {', '.join(PERIODS)}", argument="period")
        self.period = period
        self._catalogue = _Catalogue()
        self._dates = OncePerDate()
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._read = 0
        self._superseded = 0
        self._not_reports: list[str] = []

    def add(self, report: Report, where: str) -> None:
        """Add one report (``where`` names it in messages: a file, a line, an item)."""
        if not isinstance(report, Report):
            raise ArgumentError(f"{where}: expected a Report, not {type(report).__name__}", argument="reports")
        self._take(_keep_report(report, where, self._catalogue))

    def add_data(self, data: Any, where: str) -> None:
        """Add one report as JSON data (a report's :meth:`~natssips_rules.Report.to_dict`), checked for what is read."""
        self._take(_keep_data(data, where, self._catalogue))

    def not_a_report(self, where: str) -> None:
        """Record an input line that holds no report (a batch's refused or failed line): said in the overview."""
        self._not_reports.append(where)

    def _take(self, kept: _Kept) -> None:
        earlier = self._dates.first(kept.org_id, kept.as_of, kept.where)
        if earlier is not None:
            same = "is given twice" if earlier == kept.where else f"and {kept.where} are both"
            raise ArgumentError(
                f"{earlier} {same} reports of organisation {kept.org_id!r} as of {kept.as_of.isoformat()}; "
                "the overview takes one report per organisation and date: leave one out",
                argument="reports",
            )
        self._read += 1
        key = (kept.org_id, _period_of(kept.as_of, self.period))
        held = self._kept.get(key)
        if held is not None:
            self._superseded += 1
            if held.as_of > kept.as_of:
                return
        self._kept[key] = kept

    def build(self) -> Overview:
        if not self._kept:
            raise ArgumentError("the overview needs at least one report", argument="reports")
        return _assemble(self)


def _cell(kept: _Kept, rule_id: str) -> MatrixCell:
    found = kept.cells.get(rule_id)
    tailoring = kept.tailored.get(rule_id, ())
    if found is None:
        return MatrixCell(rule_id=rule_id, status="not_assessed", tailoring=tailoring)
    status, gaps, subjects = found
    return MatrixCell(rule_id=rule_id, status=status, tailoring=tailoring, gap_subjects=gaps, subjects=subjects)  # type: ignore[arg-type]


def _compared(kept: _Kept, rule_ids: Iterable[str]) -> Iterator[str]:
    """The statuses of ``kept``'s compared requirements (not tailored, assessed)."""
    for rule_id in rule_ids:
        found = kept.cells.get(rule_id)
        if found is not None and rule_id not in kept.tailored:
            yield found[0]


def _group(lines: list[OrganisationLine], key: str, labels: dict[str, str]) -> tuple[GroupLine, ...]:
    groups: dict[str | None, list[OrganisationLine]] = {}
    for line in lines:
        groups.setdefault(getattr(line, key), []).append(line)
    order = list(labels)
    out = []
    for value in sorted(groups, key=lambda v: (v is None, order.index(v) if v in order else len(order))):
        members = groups[value]
        out.append(
            GroupLine(
                key=value,
                label="not recorded" if value is None else labels[value],
                organisations=len(members),
                counts=_count(c.status for o in members for c in o.cells if c.compared),
                overdue_actions=sum(o.overdue_actions for o in members),
            )
        )
    return tuple(out)


def _excluded_everywhere(b: OverviewBuilder, catalogue: _Catalogue) -> None:
    """A requirement every organisation excluded has no finding to take its title from: take it from this library's
    built-in rules (so the matrix still lists it, excluded for each), when it is one of them and a requirement."""
    missing = {r for k in b._kept.values() for r in k.tailored if r not in catalogue.entries}
    if not missing:
        return
    from natssips_rules.standards import builtin_rules

    when = min(k.as_of for k in b._kept.values())
    for position, rule in enumerate(builtin_rules()):
        if rule.id in missing and rule.level is not Level.MAY:
            catalogue.note(when, rule.id, rule.title, rule.level.value, rule.citation.section, rule.citation.clause, position)


def _assemble(b: OverviewBuilder) -> Overview:
    periods = sorted({p for _, p in b._kept})
    latest: dict[str, _Kept] = {}
    for kept in b._kept.values():
        held = latest.get(kept.org_id)
        if held is None or kept.as_of > held.as_of:
            latest[kept.org_id] = kept
    catalogue = b._catalogue
    _excluded_everywhere(b, catalogue)
    rule_ids = sorted(
        {r for k in b._kept.values() for r in (*k.cells, *k.tailored)}, key=lambda r: (catalogue.order.get(r, 1 << 30), r)
    )
    rule_ids = [r for r in rule_ids if r in catalogue.entries]  # a "may" suggestion tailored, or no rule of this library
    lines = [_organisation_line(kept, rule_ids) for kept in latest.values()]
    lines.sort(key=lambda o: (-o.counts.gaps, -o.overdue_actions, o.name, o.id))
    by_period: dict[str, list[_Kept]] = {}
    for (_, p), kept in b._kept.items():
        by_period.setdefault(p, []).append(kept)
    requirements = []
    for index, rule_id in enumerate(rule_ids):
        column = [o.cells[index] for o in lines]
        _, title, level, section, clause = catalogue.entries[rule_id]
        shares = tuple(_count(s for k in by_period[p] for s in _compared(k, (rule_id,))).share_met for p in periods)
        requirements.append(
            RequirementLine(
                rule_id=rule_id,
                title=title,
                level=level,
                section=section,
                clause=clause,
                counts=_count(c.status for c in column if c.compared),
                tailored=sum(bool(c.tailoring) for c in column),
                not_assessed=sum(c.status == "not_assessed" and not c.tailoring for c in column),
                trend=shares,
            )
        )
    order = {r: i for i, r in enumerate(rule_ids)}
    requirements.sort(key=lambda r: (-r.counts.gaps, -r.counts.not_met, order[r.rule_id]))
    trend = tuple(
        TrendPoint(
            period=p, organisations=len(by_period[p]), counts=_count(s for k in by_period[p] for s in _compared(k, rule_ids))
        )
        for p in periods
    )
    used = list(latest.values())
    versions = _tally(k.library_version for k in used)
    digests = _tally(k.ruleset_digest for k in used)
    engines = _tally(k.engine for k in used)
    notes = _notes(b, used, versions, digests)
    return Overview(
        period=b.period,  # type: ignore[arg-type]
        periods=tuple(periods),
        first=min(k.as_of for k in b._kept.values()),
        last=max(k.as_of for k in b._kept.values()),
        organisations=tuple(lines),
        requirements=tuple(requirements),
        position=_count(c.status for o in lines for c in o.cells if c.compared),
        by_nation=_group(lines, "nation", _NATIONS),
        by_kind=_group(lines, "kind", _KINDS),
        trend=trend,
        library_versions=versions,
        ruleset_digests=digests,
        engines=engines,
        reports_read=b._read,
        reports_superseded=b._superseded,
        not_reports=tuple(b._not_reports),
        notes=tuple(notes),
    )


def _organisation_line(kept: _Kept, rule_ids: list[str]) -> OrganisationLine:
    """One organisation's row of the overview: its cell for each requirement compared, and its counts."""
    cells = tuple(_cell(kept, r) for r in rule_ids)
    tailored = [c for c in cells if c.tailoring]
    return OrganisationLine(
        id=kept.org_id,
        name=kept.org_name,
        nation=kept.nation,
        kind=kept.kind,
        as_of=kept.as_of,
        library_version=kept.library_version,
        ruleset_digest=kept.ruleset_digest,
        engine=kept.engine,
        counts=_count(c.status for c in cells if c.compared),
        overdue_actions=kept.overdue,
        tailored=len(tailored),
        tailored_gaps=sum(c.status in ("not_met", "insufficient_evidence") for c in tailored),
        cells=cells,
    )


def _notes(b: Any, used: list[_Kept], versions: dict[str, int], digests: dict[str, int]) -> list[str]:
    """What the reader of the overview must know of the reports it rests on (versions, rule sets, gaps in them)."""
    notes = []
    if len(versions) > 1:
        notes.append(
            f"The latest reports come from {len(versions)} versions of natssips-rules ("
            + ", ".join(f"{v}: {n}" for v, n in versions.items())
            + "): a rule may read differently between versions, so compare with care."
        )
    if len(digests) > 1:
        notes.append(
            f"The latest reports were made with {len(digests)} different rule sets (by digest): an organisation's "
            "tailoring or own rules change its rule set. Only the standard's requirements are compared, and a "
            "requirement an organisation tailored is marked for it, not compared."
        )
    without = sum(not k.cells for k in used)
    if without:
        notes.append(
            f"{_whose(without)} latest report holds no finding of the "
            "standard's requirements (evaluated without the built-in rules): nothing of it is compared."
        )
    missing = sum(k.nation is None or k.kind is None for k in used)
    if missing:
        notes.append(
            f"{_whose(missing)} reports do not record the nation or kind of "
            "organisation (reports made before they were recorded): shown as 'not recorded'."
        )
    stale = sum(k.as_of < max(x.as_of for x in used) for k in used) if len(used) > 1 else 0
    if stale:
        notes.append(
            f"{_whose(stale)} latest report is earlier than the latest date "
            f"({max(k.as_of for k in used).isoformat()}): each organisation's position is at its own latest report."
        )
    if b._not_reports:
        notes.append(
            f"{len(b._not_reports)} input line{'s' if len(b._not_reports) != 1 else ''} held no report (refused or "
            "failed in the batch) and are not in the figures: "
            + ", ".join(b._not_reports[:5])
            + (", ..." if len(b._not_reports) > 5 else "")
            + "."
        )
    return notes


def _whose(count: int) -> str:
    """ "1 organisation's", "3 organisations'"."""
    return f"{count} organisation's" if count == 1 else f"{count} organisations'"


def _tally(values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def overview(reports: Iterable[Report], *, period: str = "date") -> Overview:
    """The overview across organisations of ``reports`` (any iterable of :class:`~natssips_rules.Report`, read once).

    ``period`` groups the reports in time: ``date`` (each report's own date),
    ``month``, ``quarter`` or ``year``; in each period an organisation's latest
    report is used. Two reports of one organisation as of one date raise an
    :class:`~natssips_rules.errors.ArgumentError` naming both items.
    """
    if isinstance(reports, (Report, str, bytes)) or not isinstance(reports, Iterable):
        raise ArgumentError(f"expected an iterable of Report, not {type(reports).__name__}", argument="reports")
    builder = OverviewBuilder(period=period)
    for index, report in enumerate(reports):
        builder.add(report, f"item {index}")
    return builder.build()


# --------------------------------------------------------------------------
# The JSON Schema of the overview's JSON, from the model


def _schema_of(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    import types
    import typing

    origin = typing.get_origin(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is type(None):
        return {"type": "null"}
    if tp is datetime.date:
        return {"type": "string", "format": "date"}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema_of(a, defs) for a in typing.get_args(tp)]}
    if origin is tuple:
        return {"type": "array", "items": _schema_of(typing.get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema_of(typing.get_args(tp)[1], defs)}
    if attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            hints = typing.get_type_hints(tp)
            props = {f.name: _schema_of(hints[f.name], defs) for f in attrs.fields(tp)}
            if tp is Counts:
                props.update(
                    applicable={"type": "integer"},
                    gaps={"type": "integer"},
                    share_met={"anyOf": [{"type": "number"}, {"type": "null"}]},
                )
            defs[name] = {
                "type": "object",
                "properties": props,
                "required": sorted(props),
                "additionalProperties": False,
                "description": " ".join((tp.__doc__ or "").split()),
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no schema for {tp!r}")  # pragma: no cover - a field of a new kind


def overview_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :meth:`Overview.to_dict`, generated from the model."""
    defs: dict[str, Any] = {}
    root = _schema_of(Overview, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "natssips-rules overview across organisations",
        **root,
        "$defs": defs,
    }
