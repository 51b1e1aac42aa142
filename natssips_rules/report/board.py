"""The Board assurance report, as Markdown or as one self-contained HTML page (and, through it, a PDF).

For a NatSSIPs lead to put before the Board, in the order a Board member
reads. The front section: the position per section in a line each (better
or worse than the last report when earlier reports are given, with a small
chart of the series); what the Board is asked to do, built from the findings
(note the overdue actions, approve the waivers, agree owners for the gaps
with no action, note what cannot be judged); every requirement not met,
grouped by rule, with its owner, due date and days overdue, the Board's own
gaps first; the questions that would settle most findings; the tailoring and
waivers in a line each; then the counts by section, the NatSSIPs requirements
and the Trust's own rules apart. Then every action of the plan, most overdue
first; then, per clause, the standard's words beside each subject's status,
why, owner and action, and the supporting documents the facts record; and
"for the record" the internals: the documents with where to find them, the
rule behind each clause, each interpretation and parameter once, tailoring,
waivers, every question with where its answer goes, and the provenance
(rules files, tailoring, digests of the rules and of the facts).

Both formats are built from one :class:`~natssips_rules.report.document.Document`,
so they say the same thing; all free text is escaped there. The HTML needs no
network and no JavaScript, fits the screen from 1280 px down to a phone
(wide tables become cards on a narrow screen, never in print), prints on A4,
and never relies on colour alone: every bar and chart has a text
alternative, and every status is written.
"""

import re
from collections.abc import Sequence

from natssips_rules._internal import arguments as _args
from natssips_rules.errors import ArgumentError
from natssips_rules.facts.model import Organisation
from natssips_rules.report.attention import (
    UNMATCHED_HEADING,
    is_requirement,
    position_sentences,
    rules_line,
    tailoring_line,
    unmatched,
    waivers_line,
)
from natssips_rules.report.document import (
    Bar,
    Block,
    Bullets,
    ColumnChart,
    Document,
    Heading,
    Inline,
    Legend,
    Note,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
    Tag,
    Text,
    to_html,
    to_markdown,
)
from natssips_rules.report.model import Report
from natssips_rules.report.owners import Document as OwnedDocument, Gap, documents, documents_for, gaps, owner_of
from natssips_rules.report.questions import questions
from natssips_rules.report.record import by_rule, record_section, title_of
from natssips_rules.report.wording import counts_text, level_text, status_text
from natssips_rules.rules.findings import Finding, PlannedAction, Status
from natssips_rules.rules.model import RuleSet

__all__ = ["board_document", "render_html", "render_markdown"]

#: RAG colours, always beside the written status.
_COLOUR = {
    Status.MET: "#2e7d32",
    Status.NOT_MET: "#c62828",
    Status.INSUFFICIENT_EVIDENCE: "#f9a825",
    Status.WAIVED: "#1565c0",
    Status.NOT_APPLICABLE: "#9e9e9e",
}
#: The order of the summary's columns and of the bars' parts.
_ORDER = (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED, Status.MET, Status.NOT_APPLICABLE)
#: How many questions the executive summary asks.
TOP_QUESTIONS = 5


def _status(finding: Finding) -> Tag:
    text = status_text(finding.status, finding.level).capitalize()
    if finding.status is Status.WAIVED and finding.waiver is not None and finding.underlying_status is not None:
        text += f" until {finding.waiver.expires.isoformat()} ({status_text(finding.underlying_status, finding.level)})"
    return Tag(text, finding.status.value)


def _action(action: PlannedAction) -> list[Inline]:
    due = f", due {action.due.isoformat()}" if action.due else ""
    state = f" [{action.state.replace('_', ' ')}]" if action.state else ""
    who = ""
    if action.owner:
        who = f" Owner: {action.owner}" + (f" ({action.lead_committee})" if action.lead_committee else "") + "."
    head: Inline = Tag("Overdue", "not_met") if action.overdue else ""
    description = action.description if action.description.endswith((".", "!", "?")) else action.description + "."
    return [head, " " if action.overdue else "", Strong(action.id), f"{state}{due}: {description}{who}"]


def _actions(finding: Finding) -> list[Inline]:
    out: list[Inline] = []
    for i, action in enumerate(finding.actions):
        if i:
            out.append(" ")
        out += _action(action)
    return out


def _subject(finding: Finding) -> str:
    return finding.subject.name if finding.subject.kind != "organisation" else "The organisation"


# --------------------------------------------------------------------------
# the front section: position, the ask, the gaps and their owners, what we still need to establish


def _share(counts: dict[str, int]) -> tuple[int, int]:
    """(met, applicable) of a row of counts."""
    applicable = sum(n for status, n in counts.items() if status != Status.NOT_APPLICABLE.value)
    return counts.get(Status.MET.value, 0), applicable


def _percent(counts: dict[str, int]) -> float | None:
    met, applicable = _share(counts)
    return 100 * met / applicable if applicable else None


def _trend(now: dict[str, int], then: dict[str, int] | None, when: str) -> str:
    if then is None:
        return ""
    a, b = _percent(now), _percent(then)
    if a is None or b is None:
        return f"; not comparable with {when}"
    word = "better than" if round(a) > round(b) else "worse than" if round(a) < round(b) else "the same as"
    return f"; {word} at {when} ({b:.0f}% met, {then.get(Status.NOT_MET.value, 0)} not met then)"


def _position(report: Report, previous: Sequence[Report]) -> list[Block]:
    last = previous[-1] if previous else None
    when = last.as_of.isoformat() if last is not None else ""
    lines: list[Text] = []
    own = f"All of the {report.noun}'s own rules"
    rows = list(report.summary.by_section.items())
    rows.append(("All NatSSIPs requirements", report.summary.overall))
    if report.summary.local_by_section:
        rows += list(report.summary.local_by_section.items())
        rows.append((own, report.summary.local))
    for name, counts in rows:
        met, applicable = _share(counts)
        if not applicable:
            continue
        parts = [f"{met} of {applicable} check{'s' if applicable != 1 else ''} met"]
        for status, words in (
            (Status.NOT_MET, "not met"),
            (Status.INSUFFICIENT_EVIDENCE, "lacking evidence"),
            (Status.WAIVED, "waived"),
        ):
            if counts.get(status.value, 0):
                parts.append(f"{counts[status.value]} {words}")
        then = None
        if last is not None:
            then = (
                last.summary.overall
                if name == "All NatSSIPs requirements"
                else (
                    last.summary.local
                    if name == own
                    else last.summary.by_section.get(name, last.summary.local_by_section.get(name))
                )
            )
        lines.append([Strong(name), f": {', '.join(parts)}{_trend(counts, then, when)}."])
    blocks: list[Block] = [Bullets(lines)]
    if previous:
        series = [*previous, report]
        points = [(r.as_of.isoformat(), _percent(r.summary.overall) or 0.0) for r in series]
        alt = "; ".join(f"{label}: {value:.0f}% met" for label, value in points)
        blocks.append(ColumnChart("Share of NatSSIPs requirement checks met, report by report", points, alt))
        changed = sorted({r.as_of.isoformat() for r in previous if r.ruleset_digest != report.ruleset_digest})
        if changed:
            blocks.append(
                Note(
                    f"The report{'s' if len(changed) != 1 else ''} of {', '.join(changed)} judged against other rules "
                    "(another rule set, tailoring or local rules): where the rules changed, the comparison is not like "
                    "with like."
                )
            )
    return blocks


def _asks(report: Report, found: Sequence[Gap]) -> list[Text]:
    """What the Board is asked to do, built from the findings."""
    asks: list[Text] = []
    overdue = [g for g in found if g.days_overdue or (g.action is not None and g.action.overdue)]
    if overdue:
        listed = "; ".join(f"{g.action.id if g.action else ''}, {g.owner}, {g.days_overdue} days late" for g in overdue)
        asks.append([Strong("note"), f" the {len(overdue)} overdue action{'s' if len(overdue) != 1 else ''} ({listed})"])
    applied = [w for w in report.waivers if w.state == "applied"]
    if applied:
        listed = "; ".join(
            f"{title_of(report, w.waiver.rule_id)}"
            + (f" ({', '.join(_subject_name(report, w.waiver.rule_id, s) for s in w.subjects)})" if w.waiver.subject else "")
            + f" until {w.waiver.expires.isoformat()}"
            for w in applied
        )
        asks.append([Strong("approve"), f" the waiver{'s' if len(applied) != 1 else ''} in force, or end them: {listed}"])
    expired = [w for w in report.waivers if w.state == "expired"]
    if expired:
        asks.append(
            [
                Strong("note"),
                f" that {len(expired)} waiver{'s have' if len(expired) != 1 else ' has'} expired and no longer "
                f"appl{'y' if len(expired) != 1 else 'ies'}: the findings it covered count again",
            ]
        )
    unowned = [g for g in found if g.owner_from == "role" and not g.finding.actions]
    if unowned:
        asks.append(
            [
                Strong("agree owners"),
                f" for the {len(unowned)} gap{'s' if len(unowned) != 1 else ''} with no action yet "
                "(proposed below: the person the facts name in the accountable role)",
            ]
        )
    lacking = sum(1 for f in report.findings if f.status is Status.INSUFFICIENT_EVIDENCE and is_requirement(f))
    if lacking:
        asks.append(
            [
                Strong("note"),
                f" that {lacking} check{'s' if lacking != 1 else ''} cannot be judged for want of evidence "
                "(the questions below would settle them)",
            ]
        )
    stray = unmatched(report)
    if stray:
        asks.append(
            [
                Strong("correct"),
                f" the {len(stray)} action{'s' if len(stray) != 1 else ''} or waiver{'s' if len(stray) != 1 else ''} "
                "that match no finding (listed under Action plans): check their rule and subject ids",
            ]
        )
    if not asks:
        asks.append([Strong("note"), " the position: nothing needs the Board's decision"])
    return asks


def _subject_name(report: Report, rule_id: str, subject_id: str) -> str:
    return next((_subject(f) for f in report.findings if f.rule_id == rule_id and f.subject.id == subject_id), subject_id)


def _no_action(finding: Finding) -> str:
    """Why a gap's owner is the role's: no action, or every action recorded as complete while it is still not met."""
    return "actions complete, still not met" if finding.actions else "no action yet"


def _gaps_table(found: Sequence[Gap], noun: str) -> Table:
    rows: list[list[Text | Bar]] = []
    for group in _grouped(found):
        first = group[0].finding
        local = f" (the {noun}'s own rule)" if first.origin != "natssips" else ""
        for i, gap in enumerate(group):
            due = gap.action.due.isoformat() if gap.action is not None and gap.action.due else "—"
            owner: Text = gap.owner if gap.owner_from == "action" else [gap.owner, "; ", Tag(_no_action(gap.finding), "not_met")]
            rows.append(
                [
                    [Strong(first.title), local] if i == 0 else "(as above)",
                    _subject(gap.finding),
                    owner,
                    due,
                    str(gap.days_overdue) if gap.days_overdue else "—",
                ]
            )
    return Table(
        ["Requirement not met", "Subject", "Owner", "Due", "Days overdue"],
        rows,
        numeric=[4],
        widths=(31, 20, 27, 12, 10),
        stack_when_narrow=True,
    )


def _grouped(found: Sequence[Gap]) -> list[list[Gap]]:
    """Gaps grouped by rule, each group where its first (most urgent) gap falls."""
    groups: dict[str, list[Gap]] = {}
    for gap in found:
        groups.setdefault(gap.finding.rule_id, []).append(gap)
    return list(groups.values())


def _executive_summary(report: Report, facts: Organisation | None, previous: Sequence[Report]) -> Section:
    found = gaps(report, facts)
    blocks: list[Block] = [Heading(3, "Position"), *_position(report, previous)]
    blocks += [Heading(3, "The Board is asked to"), Bullets(_asks(report, found))]
    if found:
        blocks += [
            Heading(3, "Gaps and their owners"),
            _gaps_table(found, report.noun),
            Note(
                "The Board's own gaps first, then the most overdue, then by level; a check is one requirement for one "
                "subject (the organisation, a site, a specialty, a staffing factor)."
            ),
        ]
    else:
        overall = report.summary.overall
        if overall[Status.MET.value] + overall[Status.WAIVED.value]:
            blocks.append(Paragraph("Every NatSSIPs requirement that could be judged is met or waived."))
        elif overall[Status.INSUFFICIENT_EVIDENCE.value]:  # nothing judged: "every ... is met" would be true of nothing
            blocks.append(Paragraph("No NatSSIPs requirement could be judged yet: the facts each needs are not known."))
    every = questions(report)
    asked = every[:TOP_QUESTIONS]
    if asked:
        blocks.append(Heading(3, "What we still need to establish", "questions"))
        blocks.append(
            Bullets(
                [[q.question, f" (would help settle {q.settles} finding{'s' if q.settles != 1 else ''})"] for q in asked],
                ordered=True,
            )
        )
        more = f"These are the {len(asked)} most useful of {len(every)} questions; all" if len(every) > len(asked) else "They"
        blocks.append(Note(f"{more} are listed under For the record, with where each answer goes in the facts file."))
    else:  # every finding lacking evidence has a question: none asked means none lacks evidence
        blocks += [
            Heading(3, "What we still need to establish", "questions"),
            Paragraph("Nothing: every finding rests on evidence supplied."),
        ]
    lines = [line for line in (tailoring_line(report), waivers_line(report)) if line]
    if lines:
        blocks.append(Heading(3, "Changes to the national rules and waivers"))
        blocks.append(Bullets(list(lines)))
    return Section(Heading(2, "Executive summary", "executive-summary"), blocks)


def _bar(label: str, counts: dict[str, int]) -> Bar:
    return Bar(label, [(s.value, status_text(s), counts.get(s.value, 0), _COLOUR[s]) for s in _ORDER])


def _counts_row(name: Text, counts: dict[str, int], label: str) -> list[Text | Bar]:
    return [name, *[str(counts.get(s.value, 0)) for s in _ORDER], _bar(label, counts)]


def _summary(report: Report) -> Section:
    summary = report.summary
    header = ["Section", *[status_text(s).capitalize() for s in _ORDER], "Picture"]
    numeric = list(range(1, len(_ORDER) + 1))
    rows = [_counts_row(name, counts, name) for name, counts in summary.by_section.items()]
    rows.append(_counts_row([Strong("All NatSSIPs requirements")], summary.overall, "All NatSSIPs requirements"))
    blocks: list[Block] = [
        Paragraph(" ".join(position_sentences(report))),
        Table(
            header, rows, caption="NatSSIPs 2: findings by section (requirements; suggestions are counted apart)", numeric=numeric
        ),
    ]
    if summary.local_by_section:
        rows = [_counts_row(name, counts, name) for name, counts in summary.local_by_section.items()]
        own = f"All of the {report.noun}'s own rules"
        rows.append(_counts_row([Strong(own)], summary.local, own))
        blocks.append(
            Table(
                header, rows, caption=f"The {report.noun}'s own rules (not NatSSIPs): findings by policy section", numeric=numeric
            )
        )
    blocks.append(Paragraph(rules_line(summary, report.noun)))
    blocks.append(Legend([(s.value, status_text(s).capitalize(), _COLOUR[s]) for s in _ORDER]))
    if any(summary.suggestions.values()):
        # every suggestion, in the words and order of the text report: waived and not applicable ones too
        blocks.append(
            Paragraph(
                f"Suggestions of the standard ('may', not counted above): {counts_text(summary.suggestions, suggestion=True)}."
            )
        )
    return Section(Heading(2, "Summary", "summary"), blocks)


def _plan_rows(report: Report, facts: Organisation | None) -> list[tuple[PlannedAction, list[Finding]]]:
    """Every action once, with the findings it addresses: overdue (most late first), then open by due date, then complete."""
    plans: dict[str, tuple[PlannedAction, list[Finding]]] = {}
    for f in report.findings:
        for a in f.actions:
            plans.setdefault(a.id, (a, []))[1].append(f)

    def key(item: tuple[PlannedAction, list[Finding]]) -> tuple[int, int, str, str]:
        a = item[0]
        stage = 0 if a.overdue else 2 if a.state == "complete" else 1
        lateness = -(report.as_of - a.due).days if a.due else 0
        return (stage, lateness if a.overdue else 0, a.due.isoformat() if a.due else "9999", a.id)

    return sorted(plans.values(), key=key)


def _action_plans(report: Report, facts: Organisation | None) -> Section:
    blocks: list[Block] = []
    plans = _plan_rows(report, facts)
    if plans:
        rows: list[list[Text | Bar]] = []
        for a, findings in plans:
            owner = a.owner or owner_of(findings[0], facts)[0]
            late = (report.as_of - a.due).days if a.overdue and a.due else 0
            state: Text = (
                [Tag("Overdue", "not_met"), f" by {late} days"] if a.overdue else (a.state or "planned").replace("_", " ")
            )
            subjects = ", ".join(dict.fromkeys(_subject(f) for f in findings))
            description = a.description if a.description.endswith((".", "!", "?")) else a.description + "."
            committee = f" Reports to: {a.lead_committee}." if a.lead_committee else ""
            rows.append(
                [
                    a.id,
                    [Strong(findings[0].title), f" — {subjects}: {description}{committee}"],
                    owner,
                    a.due.isoformat() if a.due else "—",
                    state,
                ]
            )
        blocks.append(
            Table(
                ["Action", "What", "Owner", "Due", "State"],
                rows,
                widths=(8, 46, 20, 11, 15),
                stack_when_narrow=True,
                caption="Every action of the plan: overdue first (most late first), then by due date",
            )
        )
    requirements_unmet = [f for f in report.findings if f.status is Status.NOT_MET and is_requirement(f)]
    no_plan = [f for f in requirements_unmet if not f.actions]
    blocks.append(Heading(3, "Not met, with no action yet"))
    if no_plan:
        blocks.append(Bullets([[Strong(f.title), f" — {_subject(f)}; proposed owner: {owner_of(f, facts)[0]}"] for f in no_plan]))
    else:
        blocks.append(Paragraph("Every requirement not met has an action." if requirements_unmet else "No requirement is unmet."))
    listed = unmatched(report)
    if listed:
        blocks += [Heading(3, UNMATCHED_HEADING), Bullets(list(listed))]
    return Section(Heading(2, "Action plans", "actions"), blocks)


def _reason_line(finding: Finding) -> str:
    """The finding's message without its subject and status: "The site has a NatSSIPs lead with time allocated ..."."""
    text = finding.message
    prefix = f"{finding.subject.name}: "
    if text.startswith(prefix):
        text = text[len(prefix) :]
    _head, sep, rest = text.partition(". ")
    return rest if sep else text


#: A parameter's name inside a reason ("(required: at least 1.0 sessions per week; min_site_lead_sessions, the Trust's own
#: figure)"): the body of the paper says where the figure comes from, and leaves the name to the record.
_PARAMETER_NAME = re.compile(r"(;\s)[a-z][a-z0-9]*(?:_[a-z0-9]+)+, ")


def _why(finding: Finding) -> Text:
    """The deciding facts in words; on a met row, what was found to hold."""
    texts = [_PARAMETER_NAME.sub(r"\1", reason.text) for reason in finding.reasons if reason.state != "holds"] or [
        _PARAMETER_NAME.sub(r"\1", r.text) for r in finding.reasons
    ]
    if finding.status in (Status.MET, Status.NOT_APPLICABLE) or not texts:
        return _reason_line(finding)
    return " ".join(t if t.endswith(".") else t + "." for t in texts)


def _owner_cell(finding: Finding, facts: Organisation | None) -> Text:
    if finding.status is Status.MET or finding.status is Status.NOT_APPLICABLE:
        return "—"
    owner, owner_from, _ = owner_of(finding, facts)
    out: list[Inline] = [f"Owner: {owner}" + ("" if owner_from == "action" else "; ")]
    if owner_from == "role" and finding.status is Status.NOT_MET:
        out.append(Tag(_no_action(finding), "not_met"))
    elif owner_from == "role":
        out.append(_no_action(finding))
    if finding.actions:
        out += [" ", *_actions(finding)]
    return out


def _documents_text(shown: Sequence[OwnedDocument]) -> list[Inline]:
    out: list[Inline] = []
    for i, doc in enumerate(shown):
        out += ["; " if i else "", doc.words()]
    return out


def _clause_table(
    group: Sequence[Finding], facts: Organisation | None, docs: Sequence[OwnedDocument]
) -> tuple[Table, list[Inline]]:
    """The clause's table (a row per subject; subjects whose rows read the same in one row) and the documents
    every row shares, shown once beside the table. The owner column only where a subject is not met, the
    evidence column only where the rows' documents differ."""
    per_row = [documents_for(f, docs) for f in group]
    shared = per_row[0] if all(d == per_row[0] for d in per_row) else []
    owners = any(f.status not in (Status.MET, Status.NOT_APPLICABLE) for f in group)
    header = (
        ["Subject", "Status", "Why"]
        + (["Owner and action"] if owners else [])
        + ([] if shared or not any(per_row) else ["Evidence"])
    )
    rows: dict[str, list[Text | Bar]] = {}
    for f, mine in zip(group, per_row, strict=True):
        cells: list[Text | Bar] = [[_status(f)], _why(f)]
        if owners:
            cells.append(_owner_cell(f, facts))
        if "Evidence" in header:
            cells.append(_documents_text(mine) or "No document recorded")
        key = repr(cells)
        if key in rows:
            rows[key][0] = f"{rows[key][0]}, {_subject(f)}"
        else:
            rows[key] = [_subject(f), *cells]
    widths = {3: (22, 13, 65), 4: (18, 12, 42, 28), 5: (15, 11, 32, 22, 20)}[len(header)]
    if len(header) == 4 and not owners:
        widths = (18, 12, 45, 25)
    return Table(header, list(rows.values()), stack_when_narrow=True, widths=widths), _documents_text(shared)


def _clause_words(first: Finding) -> tuple[str, str]:
    """(where the clause comes from, what to do where it is not met), for the line under the clause."""
    source = f" Source: {first.citation.document}, {first.citation.clause}." if first.origin != "natssips" else ""
    todo = (
        f" Where not met: {first.remediation}"
        if first.remediation and first.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED)
        else ""
    )
    return source, todo


def _one_subject_table(run: Sequence[Finding], facts: Organisation | None, docs: Sequence[OwnedDocument], noun: str) -> Table:
    """Clauses judged for one subject each, a row per clause: the standard's words beside the finding."""
    owners = any(f.status not in (Status.MET, Status.NOT_APPLICABLE) for f in run)
    shown = [documents_for(f, docs) for f in run]
    header = (
        ["Clause, in the standard's words", "Status", "Why"]
        + (["Owner and action"] if owners else [])
        + (["Evidence"] if any(shown) else [])
    )
    rows: list[list[Text | Bar]] = []
    for f, mine in zip(run, shown, strict=True):
        local = f" (the {noun}'s own rule)" if f.origin != "natssips" else ""
        source, todo = _clause_words(f)
        who = "" if f.subject.kind == "organisation" else f" For: {_subject(f)}."
        clause: list[Inline] = [
            Strong(f"{f.title}{local}"),
            f" “{f.citation.quote}” Level: ",
            Strong(level_text(f.level, f.standard_level, noun=noun)),
            f".{who}{source}{todo}",
        ]
        cells: list[Text | Bar] = [clause, [_status(f)], _why(f)]
        if owners:
            cells.append(_owner_cell(f, facts))
        if "Evidence" in header:
            cells.append(_documents_text(mine) or "No document recorded")
        rows.append(cells)
    widths = {3: (45, 12, 43), 4: (38, 11, 30, 21), 5: (32, 10, 24, 17, 17)}[len(header)]
    if len(header) == 4 and not owners:
        widths = (38, 11, 30, 21)
    return Table(header, rows, stack_when_narrow=True, widths=widths)


def _clauses(report: Report, facts: Organisation | None) -> list[Block]:
    """Per section: runs of clauses judged for one subject in one table; a clause judged for many subjects
    (each site, each specialty) under its own heading, with the standard's words once."""
    docs = documents(facts) if facts is not None else []
    sections: list[Block] = []
    by_section: dict[str, list[list[Finding]]] = {}
    for group in by_rule(report.findings):
        by_section.setdefault(group[0].section, []).append(group)
    for name, groups in by_section.items():
        current: list[Block] = []
        run: list[Finding] = []
        for group in [*groups, []]:
            if len(group) == 1:
                run.append(group[0])
                continue
            if run:
                current.append(_one_subject_table(run, facts, docs, report.noun))
                run = []
            if not group:
                continue
            first = group[0]
            local = f" (the {report.noun}'s own rule)" if first.origin != "natssips" else ""
            source = f" Source: {first.citation.document}, {first.citation.clause}." if first.origin != "natssips" else ""
            todo = (
                f" Where not met: {first.remediation}"
                if first.remediation
                and any(f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED) for f in group)
                else ""
            )
            table, shared = _clause_table(group, facts, docs)
            evidence: list[Inline] = [" Evidence: ", *shared, "."] if shared else []
            current += [
                Heading(3, f"{first.title}{local}"),
                Quote(first.citation.quote),
                Note(
                    [
                        "Level: ",
                        Strong(level_text(first.level, first.standard_level, noun=report.noun)),
                        f".{source}{todo}",
                        *evidence,
                    ]
                ),
                table,
            ]
        sections.append(Section(Heading(2, name), current, reference=True))
    return sections


def _previous(report: Report, previous: Sequence[Report]) -> tuple[Report, ...]:
    earlier = _args.items(previous, Report, "previous")
    for i, other in enumerate(earlier):
        if other.organisation.id != report.organisation.id:
            raise ArgumentError(
                f"is of {other.organisation.id!r}, not {report.organisation.id!r}: compare reports of one organisation",
                argument=f"previous[{i}]",
            )
        if other.as_of >= report.as_of:
            raise ArgumentError(
                f"is as of {other.as_of.isoformat()}, not before this report's {report.as_of.isoformat()}: "
                "give earlier reports only",
                argument=f"previous[{i}]",
            )
    return tuple(sorted(earlier, key=lambda r: r.as_of))


def board_document(
    report: Report, rules: RuleSet | None = None, *, facts: Organisation | None = None, previous: Sequence[Report] = ()
) -> Document:
    """The Board report as a document.

    ``rules``: the rule set evaluated, for its parameters and interpretations;
    ``facts``: the organisation evaluated, for the owners of the gaps and the
    supporting documents; ``previous``: earlier reports of the organisation,
    for the trend.
    """
    _args.instance(report, Report, "report")
    _args.instance(rules, (RuleSet, type(None)), "rules")
    _args.instance(facts, (Organisation, type(None)), "facts")
    if facts is not None and facts.id != report.organisation.id:
        raise ArgumentError(f"are of {facts.id!r}, not of the report's {report.organisation.id!r}", argument="facts")
    earlier = _previous(report, previous)
    blocks: list[Block] = [_executive_summary(report, facts, earlier), _summary(report), _action_plans(report, facts)]
    blocks += _clauses(report, facts)
    blocks.append(record_section(report, rules, facts))
    subtitle = (
        f"As of {report.as_of.isoformat()}. Organisational standards of NatSSIPs 2: "
        '"Roles For NatSSIPs Delivery, Implementation and Sustainment" and "Invasive Area Staffing and Resources".'
    )
    return Document(f"NatSSIPs assurance report: {report.organisation.name}", subtitle, blocks)


def render_markdown(
    report: Report, rules: RuleSet | None = None, *, facts: Organisation | None = None, previous: Sequence[Report] = ()
) -> str:
    """The Board assurance report as Markdown (see :func:`board_document` for the arguments)."""
    return to_markdown(board_document(report, rules, facts=facts, previous=previous))


def render_html(
    report: Report, rules: RuleSet | None = None, *, facts: Organisation | None = None, previous: Sequence[Report] = ()
) -> str:
    """The Board assurance report as one self-contained HTML page (see :func:`board_document`)."""
    return to_html(board_document(report, rules, facts=facts, previous=previous))
