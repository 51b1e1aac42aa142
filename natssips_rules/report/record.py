"""The Board paper's last part, "for the record": the internals a Board member need not read.

For the people who keep the facts and the rules, and for an inspector: the
supporting documents the facts record (with where to find each), the rule
behind each clause (its id), each interpretation and each parameter in force
explained once (with the rules that use it), the tailoring and waivers,
every question with where its answer goes in the facts file, and the
provenance (library version, engine, rules files, tailoring file, the rule
set's digest and a digest of the facts).
"""

from collections.abc import Iterable, Sequence

from natssips_rules.facts.model import Organisation
from natssips_rules.facts.nouns import in_own_words
from natssips_rules.report.attention import rules_line, source_rules
from natssips_rules.report.document import Bar, Block, Bullets, Code, Heading, Inline, Paragraph, Section, Strong, Table, Text
from natssips_rules.report.model import Report
from natssips_rules.report.owners import documents, documents_for, facts_digest
from natssips_rules.report.questions import questions
from natssips_rules.report.wording import status_text, value_text
from natssips_rules.rules.findings import Finding
from natssips_rules.rules.model import Level, Rule, RuleSet

__all__ = ["by_rule", "record_section", "title_of"]


def by_rule(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Consecutive findings of one rule, grouped (a report lists a rule's findings together)."""
    groups: list[list[Finding]] = []
    for finding in findings:
        if groups and groups[-1][0].rule_id == finding.rule_id:
            groups[-1].append(finding)
        else:
            groups.append([finding])
    return groups


def title_of(report: Report, rule_id: str) -> str:
    """The title of rule ``rule_id`` as its findings give it (the id where it has none in this report)."""
    return next((f.title for f in report.findings if f.rule_id == rule_id), rule_id)


def _rules_in_force(report: Report, rules: RuleSet | None) -> RuleSet | None:
    if rules is None:
        from natssips_rules.standards import builtin_rules

        rules = builtin_rules()
    return rules if rules.digest == report.ruleset_digest else None


def _rule_index(report: Report) -> Section:
    items: list[Text] = [[f"{group[0].title}: ", Code(group[0].rule_id)] for group in by_rule(report.findings)]
    return Section(Heading(3, "The rule behind each clause"), [Bullets(items)])


def _ids(ids: Sequence[str]) -> list[Inline]:
    out: list[Inline] = []
    for i, rule_id in enumerate(ids):
        out += [", " if i else "", Code(rule_id)]
    return out


def _interpretations(report: Report, rules: RuleSet | None) -> Section:
    in_force = _rules_in_force(report, rules)
    blocks: list[Block] = []
    if in_force is None:
        blocks.append(Paragraph("The rule set evaluated was not given with the report; its digest is in the provenance below."))
    else:
        readings: dict[str, list[str]] = {}
        parameters: dict[tuple[str, str], tuple[list[str], list[Inline]]] = {}
        tailored = {(t.rule_id, t.parameter) for t in report.tailoring if t.action == "set_parameter"}
        noun = report.noun
        for rule in in_force:

            def own(text: str, rule: Rule = rule) -> str:
                # the library's words name the organisation by its kind; a local rule's are the organisation's own
                return in_own_words(text, noun) if rule.origin == "natssips" else text

            if rule.interpretation:
                readings.setdefault(own(rule.interpretation), []).append(rule.id)
            for p in rule.parameters:
                unit = f" {p.unit}" if p.unit else ""
                if (rule.id, p.name) in tailored:
                    origin = f"set by the {noun}'s tailoring" + (
                        "; the standard's own list or figure differs" if p.from_standard else ""
                    )
                elif rule.origin != "natssips":
                    origin = f"the {noun}'s"
                else:
                    origin = "the standard's own" if p.from_standard else "this library's reading"
                value = f"{value_text(p.default)}{unit}"
                entry = parameters.setdefault(
                    (p.name, value), ([], [Code(p.name), f" = {value} ({origin}): {own(p.interpretation)}"])
                )
                entry[0].append(rule.id)
        items: list[Text] = [[text, " (", *_ids(titles), ")"] for text, titles in readings.items()]
        if items:
            blocks += [Heading(3, "How the standard is read where it is vague"), Bullets(items)]
        if parameters:
            blocks += [
                Heading(3, "Parameters in force"),
                Bullets([[*words, " Used by: ", *_ids(titles), "."] for titles, words in parameters.values()]),
            ]
        if not items and not parameters:
            blocks.append(Paragraph("No rule in force needs an interpretation."))
    return Section(Heading(3, "Interpretations and parameters in force", "interpretations"), blocks)


def _tailoring(report: Report) -> Section | None:
    if not report.tailoring:
        return None
    items: list[Text] = []
    for t in report.tailoring:
        if t.action == "set_parameter":
            change: list[Inline] = [
                "parameter ",
                Code(t.parameter or ""),
                f" changed from {value_text(t.previous)} to {value_text(t.value)}",
            ]
        elif t.action == "set_level":
            change = [f"reported at '{Level(t.value).words}'; the standard says '{Level(t.previous).words}'"]
        else:
            change = ["excluded: not evaluated"]
        items.append(
            [
                Strong(title_of(report, t.rule_id)),
                " (",
                Code(t.rule_id),
                "): ",
                *change,
                f". Rationale: {t.rationale} Approved by: {t.approved_by}.",
            ]
        )
    departed = [f for f in report.findings if f.departure]
    extra: list[Block] = []
    if departed:
        extra = [
            Heading(4, "Judged below the standard's own words"),
            Paragraph(
                "Each of these findings is judged under a tailoring that goes below what the standard's text names; "
                "both verdicts are shown."
            ),
            Bullets(
                [
                    [
                        Strong(f.title),
                        f" — {f.subject.name}: as tailored, {status_text(f.underlying_status or f.status, f.level)}; "
                        f"against the standard's own words, {status_text(f.standard_status or f.status, f.standard_level or f.level)} "
                        f"({f.departure}).",
                    ]
                    for f in departed
                ]
            ),
        ]
    return Section(Heading(3, "Changes from the national standard", "tailoring"), [Bullets(items), *extra])


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
                Strong(title_of(report, w.waiver.rule_id)),
                " (",
                Code(w.waiver.rule_id),
                f") for {who} "
                + (f"from {w.waiver.approved_on.isoformat()} " if w.waiver.approved_on else "")
                + f"until {w.waiver.expires.isoformat()}: ",
                Strong(_WAIVER_STATE[w.state]),
                f"{subjects}. {w.waiver.justification} Approved by: {w.waiver.approved_by}.",
            ]
        )
    return Section(Heading(3, "Waivers", "waivers"), [Bullets(items)])


def _documents_list(report: Report, facts: Organisation | None) -> Section | None:
    docs = documents(facts) if facts is not None else []
    if not docs:
        return None
    rows: list[list[Text | Bar]] = []
    for doc in docs:
        ids = list(dict.fromkeys(f.rule_id for f in report.findings if doc in documents_for(f, [doc])))
        rows.append(
            [
                doc.label,
                doc.ref.title,
                doc.ref.date.isoformat() if doc.ref.date else "—",
                [Code(doc.ref.url)] if doc.ref.url else "—",
                _ids(ids) or "—",
            ]
        )
    return Section(
        Heading(3, "Supporting documents recorded in the facts", "documents"),
        [
            Table(
                ["Ref", "Title", "Date", "Where", "Evidence for (rules)"],
                rows,
                widths=(5, 28, 10, 27, 30),
                stack_when_narrow=True,
            ),
        ],
    )


def _question_paths(report: Report) -> Section | None:
    asked = questions(report)
    if not asked:
        return None
    return Section(
        Heading(3, "What we still need to establish: every question, and where its answer goes"),
        [
            Table(
                ["Question", "Findings it would help settle", "Where the answer goes in the facts file"],
                [[q.question, str(q.settles), [Code(q.path)] if q.path else "—"] for q in asked],
                numeric=[1],
                widths=(52, 12, 36),
                stack_when_narrow=True,
            ),
        ],
    )


def _provenance(report: Report, facts: Organisation | None) -> Section:
    items: list[Text] = [
        [f"Organisation: {report.organisation.name} (", Code(report.organisation.id), f"), as of {report.as_of.isoformat()}"],
        [f"natssips-rules {report.library_version}, engine ", Code(report.engine)],
        ["Rule set digest: ", Code(report.ruleset_digest)],
    ]
    items.append(rules_line(report.summary, report.noun))
    for source in report.sources:
        version = f" {source.version}" if source.version else ""
        what = {"builtin": "built into", "file": "rules file", "python": "rules built in code by", "entry_point": "package"}[
            source.kind
        ]
        evaluated, dropped = source_rules(report, source.rule_ids)
        left_out = f" ({dropped} excluded by the tailoring)" if dropped else ""
        line: list[Inline] = [f"Rules: {evaluated} from {what} ", Code(f"{source.name}{version}"), left_out]
        if source.digest:
            line += [" (its files: ", Code(source.digest), ")"]
        items.append(line)
    for name in dict.fromkeys(t.source for t in report.tailoring):
        items.append(["Tailoring from ", Code(name or "rules given in code")])
    for name in dict.fromkeys(w.waiver.source for w in report.waivers):
        items.append(["Waivers from ", Code(name or "rules given in code")])
    if facts is not None:
        items.append(["Facts digest (SHA-256 of the facts as canonical JSON): ", Code(facts_digest(facts))])
    else:
        items.append("Facts digest: not recorded (the report was rendered without its facts)")
    items.append("Every fact each finding read, with its path and value, is in the JSON report (--format json).")
    return Section(Heading(3, "Provenance", "provenance"), [Bullets(items)])


def record_section(report: Report, rules: RuleSet | None, facts: Organisation | None) -> Section:
    """The "for the record" part of the Board paper (``rules``: the rule set evaluated; ``facts``: the organisation)."""
    parts = [
        _documents_list(report, facts),
        _rule_index(report),
        _interpretations(report, rules),
        _tailoring(report),
        _waivers(report),
        _question_paths(report),
        _provenance(report, facts),
    ]
    return Section(
        Heading(2, "For the record", "record"),
        [
            Paragraph(
                "The details behind this paper, for the people who maintain the facts and the rules, and for an inspector."
            ),
            *[p for p in parts if p is not None],
        ],
        reference=True,
    )
