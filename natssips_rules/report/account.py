"""The draft annual public account, from a year of reports.

:func:`annual_account` drafts, from a series of reports over a year, the
"annual, publicly available account of progress and measurable outcomes" the
standard asks the NatSSIPs lead for: a draft for a person to edit.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from natssips_rules._internal import arguments as _args
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.nouns import in_own_words
from natssips_rules.report.attention import rules_line
from natssips_rules.report.diff import _label, diff_reports
from natssips_rules.report.document import md_escape
from natssips_rules.report.model import Report, group_of
from natssips_rules.report.wording import value_text
from natssips_rules.rules.findings import Finding, Status, SubjectRef
from natssips_rules.rules.model import Level

__all__ = ["annual_account"]


def _requirements(report: Report, section: str | None = None) -> tuple[int, int]:
    """(met, applicable) NatSSIPs requirements, from the report's summary (optionally one section's): the figures
    every other output prints (waived requirements apply, and are not met)."""
    if section is None:
        counts = report.summary.overall
    else:
        counts = report.summary.by_section.get(section, {})
    applicable = sum(n for status, n in counts.items() if status != Status.NOT_APPLICABLE.value)
    return counts.get(Status.MET.value, 0), applicable


def _public_names(reports: Sequence[Report]) -> dict[tuple[str, str], str]:
    """How a public document names each subject: by role, never a person's name.

    The NatSSIPs lead subjects are people: a lone lead is "the Trust NatSSIPs
    lead" (in the organisation's own noun: "the Health Board NatSSIPs lead"),
    co-leads are numbered ("Trust NatSSIPs co-lead 1") in the order of their
    ids. Sites, specialties, the steering group and the staffing factors keep
    their names.
    """
    noun = reports[-1].noun if reports else "Trust"
    leads = sorted({f.subject.id for r in reports for f in r.findings if f.subject.kind == "natssips_lead"})
    names: dict[tuple[str, str], str] = {}
    for number, lead in enumerate(leads, 1):
        name = "the Trust NatSSIPs lead" if len(leads) == 1 else f"Trust NatSSIPs co-lead {number}"
        names[("natssips_lead", lead)] = in_own_words(name, noun)
    names[("natssips_lead", "")] = in_own_words("a Trust NatSSIPs lead", noun)
    return names


def _public(subject: SubjectRef, names: dict[tuple[str, str], str]) -> str:
    if subject.kind == "organisation":
        return "the organisation"
    return names.get(
        (subject.kind, subject.id), subject.name if subject.kind != "natssips_lead" else names[("natssips_lead", "")]
    )


def _plan(finding: Finding) -> str:
    """The plan for a finding, without the Trust's own free text (a description may name a person): its state and date."""
    if not finding.actions:
        return ""
    action = min(finding.actions, key=lambda a: (a.due is None, a.due, a.id))
    due = f", due {action.due.isoformat()}" if action.due else ""
    state = f" ({action.state.replace('_', ' ')})" if action.state else ""
    return f" An action is recorded{state}{due}."


def _changes_and_waivers(report: Report) -> list[str]:
    """The tailoring and waivers in force for the latest evaluation, by rule, without the Trust's free text."""
    out = ["## Changes to the national rules, and waivers", ""]
    titles = {f.rule_id: f.title for f in report.findings}
    lines = []
    for t in report.tailoring:
        if t.action == "set_parameter":
            what = f"a threshold or reading changed ({t.parameter}: {value_text(t.previous)} to {value_text(t.value)})"
        elif t.action == "set_level":
            what = f"reported at '{Level(t.value).words}', where the standard says '{Level(t.previous).words}'"
        else:
            what = "not evaluated (excluded)"
        title = f"{md_escape(titles[t.rule_id])} (`{t.rule_id}`)" if t.rule_id in titles else f"`{t.rule_id}`"
        lines.append(f"- Tailoring: {title}: {what}.")
    for w in report.waivers:
        if w.state != "applied":
            continue
        subjects = ", ".join(
            md_escape(_public(f.subject, {})) for f in report.findings if f.waiver == w.waiver and f.status is Status.WAIVED
        )
        lines.append(
            f"- Waiver: {md_escape(titles.get(w.waiver.rule_id, w.waiver.rule_id))} (`{w.waiver.rule_id}`), "
            f"for {subjects}, until {w.waiver.expires.isoformat()}."
        )
    if not lines:
        return [*out, "None: the latest evaluation applied the national rules as written, with no waiver.", ""]
    return [
        *out,
        *lines,
        "",
        "> **For review before publication:** the rationale of each change and the justification of each waiver are "
        f"the {report.noun}'s own words and are left out of this draft; add them once checked (they must not name individuals).",
        "",
    ]


def _rules_applied(series: Sequence[Report]) -> list[str]:
    """Which rules and rules files each evaluation applied."""
    out = ["## Rules applied", ""]
    seen: dict[tuple[Any, ...], list[str]] = {}
    for report in series:
        key = (*((s.kind, s.name, s.version, len(s.rule_ids)) for s in report.sources), report.ruleset_digest)
        seen.setdefault(key, []).append(report.as_of.isoformat())
    for dates in seen.values():
        report = next(r for r in series if r.as_of.isoformat() == dates[0])
        parts = [
            f"{s.name if s.kind != 'builtin' else 'the NatSSIPs 2 rules of natssips-rules'}"
            + (f" {s.version}" if s.version else "")
            for s in report.sources
        ]
        # the files that tailored the national rules or gave waivers, where they are not already named
        parts += [
            name
            for name in dict.fromkeys([*(t.source for t in report.tailoring), *(w.waiver.source for w in report.waivers)])
            if name and name not in parts
        ]
        when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        out.append(
            f"- {when}: {', '.join(md_escape(p, line_start=False) for p in parts) or 'none listed'}; "
            f"{md_escape(rules_line(report.summary, report.noun))} Rule set {report.ruleset_digest[:12]}."
        )
    noun = series[-1].noun if series else "Trust"
    out += ["", f"Only the NatSSIPs requirements are counted in this account; the {noun}'s own rules are not NatSSIPs.", ""]
    return out


def _percent(met: int, applicable: int) -> str:
    return "—" if not applicable else f"{100 * met / applicable:.0f}%"


def _trend_svg(points: list[tuple[str, float]]) -> str:
    """A small line chart of the share of requirements met, with its text alternative."""
    width, height, pad = 360, 120, 24
    n = len(points)
    xs = [pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [height - pad - (height - 2 * pad) * share for _, share in points]
    alt = "Share of requirements met: " + ", ".join(f"{label} {share:.0%}" for label, share in points)
    dots = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="#2e7d32"><title>{label}: {share:.0%}</title></circle>'
        f'<text x="{x:.0f}" y="{height - 6}" font-size="10" text-anchor="middle">{label}</text>'
        for x, y, (label, share) in zip(xs, ys, points, strict=True)
    )
    line = " ".join(f"{x:.0f},{y:.0f}" for x, y in zip(xs, ys, strict=True))
    return (
        f'<svg role="img" aria-label="{alt}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
        f'<polyline points="{line}" fill="none" stroke="#2e7d32" stroke-width="2"/>{dots}</svg>'
    )


class OncePerDate:
    """Where each (organisation, date) was first seen: an account, and an overview across organisations, take one
    report of an organisation per date (given as a stream, so each is checked as it comes)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, datetime.date], Any] = {}

    def first(self, organisation: str, when: datetime.date, where: Any) -> Any:
        """Where the report of ``organisation`` as of ``when`` was seen before, or None (and this one is remembered)."""
        key = (organisation, when)
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = where
        return None


def dated_twice(reports: Sequence[Report]) -> tuple[int, int] | None:
    """The positions of the first two reports as of one date, if there are two (an account takes one per date)."""
    seen = OncePerDate()
    for index, report in enumerate(reports):
        earlier = seen.first("", report.as_of, index)
        if earlier is not None:
            return earlier, index
    return None


def _one_per_date(reports: Sequence[Report]) -> None:
    """Refuse two reports at one date: a year's account counts each evaluation once (even the same report given twice)."""
    twice = dated_twice(reports)
    if twice is not None:
        earlier, index = twice
        raise ArgumentError(
            f"items {earlier} and {index} are both as of {reports[index].as_of.isoformat()}; "
            "an account takes one report per date: leave one out",
            argument="reports",
        )


def _changes(first: Report, last: Report, names: dict[tuple[str, str], str]) -> list[str]:
    """The lines of "What changed over the year": the NatSSIPs requirements now met, improved, fallen back, no
    longer evidenced, now or no longer applying, newly or no longer assessed (a public account leaves no change of
    status out)."""
    diff = diff_reports(first, last)
    out = [f"> **Note:** {md_escape(w)}" for w in diff.warnings]
    listed = False
    for kind, words in (
        ("resolved", "Now met"),
        ("improved", "Improved"),
        ("regressed", "Fallen back"),
        ("evidence_lost", "No longer evidenced (judged before, now without the evidence to judge it)"),
        ("now_applies", "Now applies (and is met)"),
        ("no_longer_applies", "No longer applies (was met)"),
        ("new", "Newly assessed"),
        ("removed", "No longer assessed"),
    ):
        group = [c for c in diff.changes if c.kind == kind and c.group == "requirements"]
        if group:
            listed = True
            out += [f"{words}:", ""]
            out += [
                f"- {md_escape(c.title)} — {md_escape(_public(c.subject, names))} ({_label(c.before)} → {_label(c.after)})"
                for c in group
            ]
            out.append("")
    if not listed:
        out += [
            f"Between {first.as_of.isoformat()} and {last.as_of.isoformat()}, no NatSSIPs requirement changed its "
            "status (none became met, improved, fell back, lost its evidence, began or ceased to apply, or was newly or "
            "no longer assessed).",
            "",
        ]
    return out


def annual_account(reports: Sequence[Report]) -> str:
    """A Markdown draft of the annual public account of progress and measurable outcomes, from a series of reports.

    A public document: it names roles, never people (a NatSSIPs lead is "the
    Trust NatSSIPs lead"), and escapes all free text. The reports are of one
    organisation, one per date: two as of the same date (even the same report
    twice) are refused with an :class:`~natssips_rules.errors.ArgumentError`
    naming both items. From one report, it says there is nothing earlier to
    compare with yet.
    """
    given = _args.items(reports, Report, "reports")
    if not given:
        raise ArgumentError("the annual account needs at least one Report", argument="reports")
    series = sorted(given, key=lambda r: r.as_of)
    first, last = series[0], series[-1]
    ids = sorted({r.organisation.id for r in series})
    if len(ids) > 1:
        raise ArgumentError(
            f"the reports are of {len(ids)} organisations ({', '.join(ids)}); an account is of one", argument="reports"
        )
    _one_per_date(given)
    names = _public_names(series)
    sections = list(dict.fromkeys(section for r in series for section in r.summary.by_section))
    met, applicable = _requirements(last)
    if len(series) == 1:
        period = f"{last.as_of.isoformat()} (1 evaluation)"
        compared = ". This is the first evaluation in the account: there is nothing earlier to compare it with yet."
    else:
        period = f"{first.as_of.isoformat()} to {last.as_of.isoformat()} ({len(series)} evaluations)"
        compared = f", against {_percent(*_requirements(first))} at {first.as_of.isoformat()}."
    out = [
        f"# NatSSIPs: annual account of progress and measurable outcomes — {md_escape(last.organisation.name)}",
        "",
        f"> **Draft for editing.** Generated by natssips-rules from the {last.noun}'s own evaluations against the "
        "organisational standards of NatSSIPs 2. It is a starting point for the NatSSIPs lead: check every "
        f"statement, add context and the {last.noun}'s own measures, and remove this note before publication.",
        "",
        f"Period: {period}.",
        "",
        "## Where we stand",
        "",
        f"At {last.as_of.isoformat()}, {met} of the {applicable} applicable requirements were met "
        f"({_percent(met, applicable)}){compared}",
        "",
        "## Measurable outcomes",
        "",
        "Share of the applicable requirements met, by section:",
        "",
        "| date | " + " | ".join(md_escape(s, line_start=False) for s in sections) + " | all |",
        "|---|" + "---:|" * (len(sections) + 1),
    ]
    for report in series:
        cells = [_percent(*_requirements(report, s)) for s in sections]
        out.append(f"| {report.as_of.isoformat()} | " + " | ".join(cells) + f" | {_percent(*_requirements(report))} |")
    points = []
    for report in series:
        m, a = _requirements(report)
        points.append((report.as_of.strftime("%b %Y"), m / a if a else 0.0))
    out += ["", _trend_svg(points), ""]
    out += _counts_table(series)
    out += _what_changed(series, names)
    out += _still_to_do(last, names)
    out += ["", *_changes_and_waivers(last)]
    out += ["", *_rules_applied(series)]
    out += [
        "",
        "## About these figures",
        "",
        f"Each figure counts the findings of natssips-rules {last.library_version} at each date: one per requirement "
        "and subject (the organisation, each site, specialty, NatSSIPs lead, the steering group and each staffing "
        "factor). Requirements that do not apply, and the standard's optional suggestions ('may'), are not counted; a "
        "waived requirement applies and is not met, so it is counted as applicable, never as met. "
        f"Rule set of the latest evaluation: {last.ruleset_digest[:12]}.",
    ]
    return "\n".join(out) + "\n"


def _counts_table(series: Sequence[Report]) -> list[str]:
    """The counts of the requirements at each date, as a table."""
    out: list[str] = []
    out += [
        "Counts at each date (requirements; 'may' suggestions apart):",
        "",
        "| date | met | not met | insufficient evidence | waived |",
        "|---|---:|---:|---:|---:|",
    ]
    for report in series:
        c = report.summary.overall
        out.append(f"| {report.as_of.isoformat()} | {c['met']} | {c['not_met']} | {c['insufficient_evidence']} | {c['waived']} |")
    return out


def _what_changed(series: Sequence[Report], names: dict[tuple[str, str], str]) -> list[str]:
    """What changed between the first and the last evaluation (or that there is nothing earlier yet)."""
    first, last = series[0], series[-1]
    out: list[str] = []
    out += ["", "## What changed over the year", ""]
    if len(series) == 1:
        out += [f"Nothing to compare yet: the account has one evaluation, at {last.as_of.isoformat()}.", ""]
    else:
        out += _changes(first, last, names)
    return out


def _still_to_do(last: Report, names: dict[tuple[str, str], str]) -> list[str]:
    """The requirements still open at the last evaluation, the waived ones kept among them (they are not met)."""
    out: list[str] = []
    remaining = [
        f for f in last.findings if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE) and group_of(f) == "requirements"
    ]
    waived = [f for f in last.findings if f.status is Status.WAIVED and group_of(f) == "requirements"]
    out += ["## Still to do", ""]
    for f in remaining:
        out.append(f"- {md_escape(f.title)} — {md_escape(_public(f.subject, names))}: {f.status.label}.{_plan(f)}")
    for f in waived:
        underlying = f.underlying_status.label if f.underlying_status else "not met"
        until = f" until {f.waiver.expires.isoformat()}" if f.waiver else ""
        out.append(
            f"- {md_escape(f.title)} — {md_escape(_public(f.subject, names))}: {underlying}; the {last.noun} has accepted this "
            f"for now (waived{until}).{_plan(f)}"
        )
    if not remaining and not waived:
        out.append("Every applicable requirement is met.")
    elif not remaining:
        n = len(waived)
        out += ["", f"No requirement is open other than the {n} waived above: {'it is' if n == 1 else 'they are'} not met."]
    return out
