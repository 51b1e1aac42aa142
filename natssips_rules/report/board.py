"""The Board assurance report, as Markdown or as one self-contained HTML page.

For a NatSSIPs lead to put before the Board, in the order a Board member
reads: an executive summary (the position in a sentence, every requirement
not met with the state of its action plan, what we need to know next, the
Trust's tailoring and waivers in a line each); the counts by section, the
NatSSIPs requirements and the Trust's own rules apart; the questions whose
answers would settle most findings; the action plans; then, per clause, the
standard's words and each subject's status, why, what to do and the action;
and at the end the interpretations and parameters in force, every tailoring
and waiver, and the provenance.

Both formats are built from one :class:`~natssips_rules.report.document.Document`,
so they say the same thing; all free text is escaped there. The HTML needs no
network and no JavaScript, fits the screen from 1280 px down to a phone
(wide tables become cards), prints on A4, and never relies on colour alone:
every bar has a text alternative and a legend, and every status is written.
"""

from collections.abc import Iterable, Sequence

from natssips_rules._internal import arguments as _args
from natssips_rules.facts.nouns import in_own_words
from natssips_rules.report.attention import (
    UNMATCHED_HEADING,
    is_requirement,
    position_sentences,
    rules_line,
    tailoring_line,
    unmatched,
    unmet,
    waivers_line,
)
from natssips_rules.report.document import (
    Bar,
    Block,
    Bullets,
    Code,
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
from natssips_rules.report.questions import questions
from natssips_rules.report.wording import counts_text, evidence_text, level_text, status_text, value_text
from natssips_rules.rules.findings import Finding, PlannedAction, Status
from natssips_rules.rules.model import Level, Rule, RuleSet

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


def _rules_in_force(report: Report, rules: RuleSet | None) -> RuleSet | None:
    if rules is None:
        from natssips_rules.standards import builtin_rules

        rules = builtin_rules()
    return rules if rules.digest == report.ruleset_digest else None


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
# the parts of the report


def _executive_summary(report: Report) -> Section:
    blocks: list[Block] = [Paragraph(" ".join(position_sentences(report)))]
    for origin, title in (("natssips", "NatSSIPs requirements not met"), ("local", f"The {report.noun}'s own rules not met")):
        found = unmet(report, origin=origin)
        if not found:
            continue
        items: list[Text] = [
            [Strong(u.finding.title), f" — {_subject(u.finding)}: ", Tag(u.words, "not_met" if u.state in ("overdue", "no_plan") else "planned")]
            for u in found
        ]
        blocks += [Heading(3, title), Bullets(items)]
    if not unmet(report):
        overall = report.summary.overall
        if overall[Status.MET.value] + overall[Status.WAIVED.value]:
            blocks.append(Paragraph("Every NatSSIPs requirement that could be judged is met or waived."))
        elif overall[Status.INSUFFICIENT_EVIDENCE.value]:  # nothing judged: "every ... is met" would be true of nothing
            blocks.append(Paragraph("No NatSSIPs requirement could be judged yet: the facts each needs are not known."))
    asked = questions(report)[:TOP_QUESTIONS]
    if asked:
        blocks.append(Heading(3, "What the organisation should tell us next"))
        blocks.append(
            Bullets(
                [[q.question, f" (would help settle {q.settles} finding{'s' if q.settles != 1 else ''})"] for q in asked],
                ordered=True,
            )
        )
    lines = [line for line in (tailoring_line(report), waivers_line(report)) if line]
    if unmatched(report):
        n = len(unmatched(report))
        lines.append(f"{n} action{'s' if n != 1 else ''} or waiver{'s' if n != 1 else ''} match no finding (listed under Action plans): check the ids.")
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
        Table(header, rows, caption="NatSSIPs 2: findings by section (requirements; suggestions are counted apart)", numeric=numeric),
    ]
    if summary.local_by_section:
        rows = [_counts_row(name, counts, name) for name, counts in summary.local_by_section.items()]
        own = f"All of the {report.noun}'s own rules"
        rows.append(_counts_row([Strong(own)], summary.local, own))
        blocks.append(Table(header, rows, caption=f"The {report.noun}'s own rules (not NatSSIPs): findings by policy section", numeric=numeric))
    blocks.append(Legend([(s.value, status_text(s).capitalize(), _COLOUR[s]) for s in _ORDER]))
    if any(summary.suggestions.values()):
        # every suggestion, in the words and order of the text report: waived and not applicable ones too
        blocks.append(Paragraph(f"Suggestions of the standard ('may', not counted above): {counts_text(summary.suggestions, suggestion=True)}."))
    blocks.append(Paragraph(rules_line(summary, report.noun)))
    return Section(Heading(2, "Summary", "summary"), blocks)


def _questions(report: Report) -> Section:
    asked = questions(report)
    if not asked:
        return Section(Heading(2, "What we still need to know", "questions"), [Paragraph("Nothing: every finding rests on evidence supplied.")])
    blocks: list[Block] = [
        Paragraph("Each answer would help settle the findings that lack evidence; the most useful come first."),
        Table(
            ["Question", "Findings it would help settle", "Where the answer goes (for the facts file)"],
            [[q.question, str(q.settles), [Code(q.path)] if q.path else "—"] for q in asked],
            numeric=[1],
            stack_when_narrow=True,
        ),
        Note("The last column is the path of the fact in the facts file, for the people who maintain it; `natssips-rules questions` lists the same as JSON."),
    ]
    return Section(Heading(2, "What we still need to know", "questions"), blocks)


def _action_plans(report: Report) -> Section:
    overdue = [f for f in report.findings if any(a.overdue for a in f.actions)]
    requirements_unmet = [f for f in report.findings if f.status is Status.NOT_MET and is_requirement(f)]
    no_plan = [f for f in requirements_unmet if not f.actions]
    blocks: list[Block] = []
    if overdue:
        blocks += [
            Heading(3, "Overdue actions"),
            Bullets([[Strong(f.title), f" — {_subject(f)}: ", *_actions(f)] for f in overdue]),
        ]
    blocks.append(Heading(3, "Not met, with no action plan"))
    if no_plan:
        blocks.append(Bullets([[Strong(f.title), f" — {_subject(f)}"] for f in no_plan]))
    else:
        blocks.append(Paragraph("Every requirement not met has an action." if requirements_unmet else "No requirement is unmet."))
    listed = unmatched(report)
    if listed:
        blocks += [Heading(3, UNMATCHED_HEADING), Bullets(list(listed))]
    return Section(Heading(2, "Action plans", "actions"), blocks)


def _by_rule(findings: Iterable[Finding]) -> list[list[Finding]]:
    groups: list[list[Finding]] = []
    for finding in findings:
        if groups and groups[-1][0].rule_id == finding.rule_id:
            groups[-1].append(finding)
        else:
            groups.append([finding])
    return groups


def _why(finding: Finding) -> Text:
    if finding.status in (Status.MET, Status.NOT_APPLICABLE) and not finding.reasons:
        return "—"
    texts = [reason.text for reason in finding.reasons]
    return " ".join(t if t.endswith(".") else t + "." for t in texts) or finding.message


#: How many facts a clause table shows per finding (the JSON report has them all).
EVIDENCE_SHOWN = 6


def _evidence(finding: Finding) -> Text:
    out: list[Inline] = []
    for i, item in enumerate(finding.evidence[:EVIDENCE_SHOWN]):
        if i:
            out.append("; ")
        out += [Code(item.path), f" = {evidence_text(item)}"]
    more = len(finding.evidence) - EVIDENCE_SHOWN
    if more > 0:
        out.append(f"; and {more} more (every fact read is in the JSON report)")
    return out or "—"


def _clauses(report: Report) -> list[Block]:
    sections: list[Block] = []
    current: list[Block] = []
    name: str | None = None
    for group in _by_rule(report.findings):
        first = group[0]
        if first.section != name:
            if name is not None:
                sections.append(Section(Heading(2, name), current))
            name, current = first.section, []
        local = f" (the {report.noun}'s own rule)" if first.origin != "natssips" else ""
        source = first.citation.document + (f", {first.citation.clause}" if first.origin != "natssips" else "")
        current += [
            Heading(3, f"{first.title}{local}", first.rule_id),
            Quote(first.citation.quote),
            Note(["Level: ", Strong(level_text(first.level, first.standard_level, noun=report.noun)), ". Rule ", Code(first.rule_id), f". Source: {source}."]),
            Table(
                ["Subject", "Status", "Why", "What to do", "Action", "Evidence read"],
                [
                    [
                        _subject(f),
                        [_status(f)],
                        _why(f),
                        f.remediation if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED) and f.remediation else "—",
                        _actions(f) or "—",
                        _evidence(f),
                    ]
                    for f in group
                ],
                stack_when_narrow=True,
                widths=(12, 10, 20, 17, 16, 25),
            ),
        ]
    if name is not None:
        sections.append(Section(Heading(2, name), current))
    return sections


def _interpretations(report: Report, rules: RuleSet | None) -> Section:
    in_force = _rules_in_force(report, rules)
    blocks: list[Block] = []
    if in_force is None:
        blocks.append(Paragraph("The rule set evaluated was not given with the report; its digest is in the provenance below."))
    else:
        items: list[Text] = []
        tailored = {(t.rule_id, t.parameter) for t in report.tailoring if t.action == "set_parameter"}
        for rule in in_force:
            if not (rule.interpretation or rule.parameters):
                continue

            def own(text: str, rule: Rule = rule) -> str:
                # the library's words name the organisation by its kind; a local rule's are the organisation's own
                return in_own_words(text, report.noun) if rule.origin == "natssips" else text

            parts: list[Inline] = [Strong(own(rule.title)), " (", Code(rule.id), ")"]
            if rule.interpretation:
                parts.append(f": {own(rule.interpretation)}")
            for p in rule.parameters:
                unit = f" {p.unit}" if p.unit else ""
                if (rule.id, p.name) in tailored:
                    origin = f"set by the {report.noun}'s tailoring" + ("; the standard's own list or figure differs" if p.from_standard else "")
                elif rule.origin != "natssips":
                    origin = f"the {report.noun}'s"
                else:
                    origin = "the standard's" if p.from_standard else "a reading"
                parts += [" Parameter ", Code(p.name), f" = {value_text(p.default)}{unit} ({origin}): {own(p.interpretation)}"]
            items.append(parts)
        blocks.append(Bullets(items) if items else Paragraph("No rule in force needs an interpretation."))
    return Section(Heading(2, "Interpretations and parameters in force", "interpretations"), blocks)


def _tailoring(report: Report) -> Section | None:
    if not report.tailoring:
        return None
    departed = [f for f in report.findings if f.departure]
    extra: list[Block] = []
    if departed:
        extra = [
            Heading(3, "Judged below the standard's own words"),
            Paragraph("Each of these findings is judged under a tailoring that goes below what the standard's text names; "
                      "both verdicts are shown."),
            Bullets([[Strong(f.title), f" — {_subject(f)}: as tailored, {status_text(f.underlying_status or f.status, f.level)}; "
                      f"against the standard's own words, {status_text(f.standard_status or f.status, f.standard_level or f.level)} "
                      f"({f.departure})."] for f in departed]),
        ]
    items: list[Text] = []
    for t in report.tailoring:
        if t.action == "set_parameter":
            change: list[Inline] = ["parameter ", Code(t.parameter or ""), f" changed from {value_text(t.previous)} to {value_text(t.value)}"]
        elif t.action == "set_level":
            change = [f"reported at '{Level(t.value).words}'; the standard says '{Level(t.previous).words}'"]
        else:
            change = ["excluded: not evaluated"]
        items.append([Code(t.rule_id), ": ", *change, f". Rationale: {t.rationale} Approved by: {t.approved_by}."])
    return Section(Heading(2, "Changes from the national standard", "tailoring"), [Bullets(items), *extra])


_WAIVER_STATE = {
    "applied": "applied",
    "expired": "expired: no effect",
    "not_yet_approved": "not yet approved at the report's date: no effect",
    "unused": "not used: nothing it covers is unmet",
    "no_such_subject": "names no subject of this rule in these facts: check the id",
}


def _waivers(report: Report) -> Section | None:
    if not report.waivers:
        return None
    items: list[Text] = []
    for w in report.waivers:
        who = w.waiver.subject or "every subject"
        subjects = f" ({', '.join(w.subjects)})" if w.subjects else ""
        items.append(
            [
                Code(w.waiver.rule_id),
                f" for {who} " + (f"from {w.waiver.approved_on.isoformat()} " if w.waiver.approved_on else "")
                + f"until {w.waiver.expires.isoformat()}: ",
                Strong(_WAIVER_STATE[w.state]),
                f"{subjects}. {w.waiver.justification} Approved by: {w.waiver.approved_by}.",
            ]
        )
    return Section(Heading(2, "Waivers", "waivers"), [Bullets(items)])


def _provenance(report: Report) -> Section:
    items: list[Text] = [
        [f"Organisation: {report.organisation.name} (", Code(report.organisation.id), f"), as of {report.as_of.isoformat()}"],
        [f"natssips-rules {report.library_version}, engine ", Code(report.engine)],
        ["Rule set digest: ", Code(report.ruleset_digest)],
    ]
    items.append(rules_line(report.summary, report.noun))
    excluded = {r.rule_id for r in report.tailoring if r.action == "exclude"}
    for source in report.sources:
        version = f" {source.version}" if source.version else ""
        evaluated = [r for r in source.rule_ids if r not in excluded]
        dropped = len(source.rule_ids) - len(evaluated)
        left_out = f" ({dropped} excluded by the tailoring)" if dropped else ""
        line: list[Inline] = [f"Rules: {len(evaluated)} from {source.kind} {source.name}{version}{left_out}"]
        if source.digest:
            line += [" (its files: ", Code(source.digest), ")"]
        items.append(line)
    return Section(Heading(2, "Provenance", "provenance"), [Bullets(items)])


def board_document(report: Report, rules: RuleSet | None = None) -> Document:
    """The Board report as a document (``rules``: the rule set evaluated, for its parameters and interpretations)."""
    _args.instance(report, Report, "report")
    _args.instance(rules, (RuleSet, type(None)), "rules")
    blocks: list[Block] = [_executive_summary(report), _summary(report), _questions(report), _action_plans(report)]
    blocks += _clauses(report)
    blocks.append(_interpretations(report, rules))
    blocks += [s for s in (_tailoring(report), _waivers(report)) if s is not None]
    blocks.append(_provenance(report))
    subtitle: Sequence[Inline] = [
        f"As of {report.as_of.isoformat()}. Organisational standards of NatSSIPs 2: "
        '"Roles For NatSSIPs Delivery, Implementation and Sustainment" and "Invasive Area Staffing and Resources". '
        f"natssips-rules {report.library_version}, engine {report.engine}, rule set ",
        Code(report.ruleset_digest[:12]),
        ".",
    ]
    return Document(f"NatSSIPs assurance report: {report.organisation.name}", subtitle, blocks)


def render_markdown(report: Report, rules: RuleSet | None = None) -> str:
    """The Board assurance report as Markdown (``rules``: the rule set evaluated, for its parameters)."""
    return to_markdown(board_document(report, rules))


def render_html(report: Report, rules: RuleSet | None = None) -> str:
    """The Board assurance report as one self-contained HTML page."""
    return to_html(board_document(report, rules))
