"""The Board assurance report, as Markdown or as one self-contained HTML page.

For a NatSSIPs lead to put before the Board: the headline by section (counts
and a bar per section), then per clause the standard's words, the status of
each subject, the evidence read, what is missing and what would evidence it,
with the organisation's actions; what we still need to know; the findings
with no action plan; the suggestions ('may'); the interpretations and
parameters in force, every tailoring, local rule and waiver; and the
provenance of the report.

The HTML needs no network and no JavaScript, prints well, and never relies on
colour alone: every bar has a text alternative and every status is written.
"""

import html
from collections.abc import Iterable
from typing import Any

from natssips_rules.report.model import Finding, Report, Status
from natssips_rules.report.wording import status_text, value_text
from natssips_rules.rules.model import Level, RuleSet

__all__ = ["render_html", "render_markdown"]

_LABEL = {status: status_text(status).capitalize() for status in Status}
#: RAG colours, always beside the written status.
_COLOUR = {
    Status.MET: "#2e7d32",
    Status.NOT_MET: "#c62828",
    Status.INSUFFICIENT_EVIDENCE: "#f9a825",
    Status.WAIVED: "#1565c0",
    Status.NOT_APPLICABLE: "#9e9e9e",
}
_ORDER = (Status.MET, Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED, Status.NOT_APPLICABLE)


def _label(finding: Finding) -> str:
    return status_text(finding.status, finding.level).capitalize()


_value = value_text


def _missing(finding: Finding) -> list[str]:
    return [item.path for item in finding.evidence if item.value is None]


def _level(finding: Finding) -> str:
    words = finding.level.words
    if finding.standard_level is not None:
        words += f" (the standard says {finding.standard_level.words})"
    return words


def _by_rule(findings: Iterable[Finding]) -> list[list[Finding]]:
    groups: list[list[Finding]] = []
    for finding in findings:
        if groups and groups[-1][0].rule_id == finding.rule_id:
            groups[-1].append(finding)
        else:
            groups.append([finding])
    return groups


def _lists(report: Report) -> tuple[list[Finding], list[Finding], list[Finding], list[Finding]]:
    """The findings the report lists apart: unknown, requirements not met, those with no action, overdue actions."""
    unknown = [f for f in report.findings if f.status is Status.INSUFFICIENT_EVIDENCE]
    unmet = [f for f in report.findings if f.status is Status.NOT_MET and f.level is not Level.MAY]
    no_plan = [f for f in unmet if not f.actions]
    overdue = [f for f in report.findings if any(a.overdue for a in f.actions)]
    return unknown, unmet, no_plan, overdue


def _rules_in_force(report: Report, rules: RuleSet | None) -> RuleSet | None:
    if rules is None:
        from natssips_rules.standards import builtin_rules

        rules = builtin_rules()
    return rules if rules.digest == report.ruleset_digest else None


def _action_text(finding: Finding) -> str:
    parts = []
    for action in finding.actions:
        due = f", due {action.due.isoformat()}" if action.due else ""
        overdue = " — OVERDUE" if action.overdue else ""
        who = (
            f" (owner: {action.owner}" + (f"; {action.lead_committee}" if action.lead_committee else "") + ")"
            if action.owner
            else ""
        )
        state = f" [{action.state.replace('_', ' ')}]" if action.state else ""
        parts.append(f"{action.id}: {action.description}{who}{state}{due}{overdue}")
    return "; ".join(parts)


# --------------------------------------------------------------------------
# Markdown


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, rules: RuleSet | None = None) -> str:
    """The Board assurance report as Markdown (``rules``: the rule set evaluated, for its parameters)."""
    summary = report.summary
    out = [
        f"# NatSSIPs assurance report: {report.organisation.name}",
        "",
        f"As of {report.as_of.isoformat()}. Organisational standards of NatSSIPs 2: "
        '"Roles For NatSSIPs Delivery, Implementation and Sustainment" and "Invasive Area Staffing and Resources".',
        "",
        "## Summary",
        "",
        "| section | met | not met | insufficient evidence | waived | not applicable |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, counts in summary.by_section.items():
        out.append(f"| {_md(name)} | " + " | ".join(str(counts.get(s.value, 0)) for s in _ORDER) + " |")
    total = summary.overall
    out.append("| **all requirements** | " + " | ".join(f"**{total.get(s.value, 0)}**" for s in _ORDER) + " |")
    if any(summary.suggestions.values()):
        taken = summary.suggestions
        out += [
            "",
            f"Suggestions of the standard ('may', not counted above): {taken.get('met', 0)} in place, "
            f"{taken.get('not_met', 0)} not in place, {taken.get('insufficient_evidence', 0)} unknown.",
        ]
    unknown, unmet, no_plan, overdue = _lists(report)
    out += ["", "## What we still need to know", ""]
    if unknown:
        for f in unknown:
            missing = ", ".join(f"`{p}`" for p in _missing(f)) or "facts it depends on"
            out.append(f"- **{_md(f.title)}** — {_md(f.subject.name)}: no evidence for {missing}.")
    else:
        out.append("Nothing: every finding rests on evidence supplied.")
    out += ["", "## Action plans", ""]
    if overdue:
        out.append("Overdue actions:")
        out += [f"- **{_md(f.title)}** — {_md(f.subject.name)}: {_md(_action_text(f))}" for f in overdue]
        out.append("")
    if no_plan:
        out.append("Not met, with no action plan:")
    else:
        out.append("Every requirement not met has an action." if unmet else "No requirement is unmet.")
    out += [f"- **{_md(f.title)}** — {_md(f.subject.name)}" for f in no_plan]
    section: str | None = None
    for group in _by_rule(report.findings):
        first = group[0]
        if first.section != section:
            section = first.section
            out += ["", f"## {section}"]
        local = " (local rule)" if first.origin != "natssips" else ""
        out += ["", f"### {_md(first.title)}{local}", "", f"> {first.citation.quote}", ""]
        source = f"{first.citation.document}" + (f", {first.citation.clause}" if first.origin != "natssips" else "")
        out.append(f"Level: **{_level(first)}**. Rule `{first.rule_id}`. Source: {_md(source)}.")
        out += ["", "| subject | status | evidence read | what would evidence it | action |", "|---|---|---|---|---|"]
        for f in group:
            evidence = "; ".join(f"`{item.path}` = {_value(item.value)}" for item in f.evidence)
            todo = f.remediation if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED) else ""
            status = _label(f)
            if f.status is Status.WAIVED and f.waiver is not None and f.underlying_status is not None:
                status += f" until {f.waiver.expires.isoformat()} ({_LABEL[f.underlying_status].lower()})"
            out.append(f"| {_md(f.subject.name)} | **{status}** | {_md(evidence)} | {_md(todo or '')} | {_md(_action_text(f))} |")
    out += _md_provenance(report, rules)
    return "\n".join(out) + "\n"


def _md_provenance(report: Report, rules: RuleSet | None) -> list[str]:
    out = ["", "## Interpretations and parameters in force", ""]
    in_force = _rules_in_force(report, rules)
    if in_force is None:
        out.append("The rule set evaluated was not given with the report; its digest is below.")
    else:
        for rule in in_force:
            if rule.interpretation or rule.parameters:
                out.append(f"- `{rule.id}`: {_md(rule.interpretation or '')}")
                for p in rule.parameters:
                    unit = f" {p.unit}" if p.unit else ""
                    out.append(
                        f"  - `{p.name}` = {_value(list(p.default) if isinstance(p.default, tuple) else p.default)}{unit}: {_md(p.interpretation)}"
                    )
    if report.tailoring:
        out += ["", "### Changes from the national standard", ""]
        for t in report.tailoring:
            change = {
                "set_parameter": f"parameter `{t.parameter}` {t.previous} → {t.value}",
                "set_level": f"level {t.previous} → {t.value}",
                "exclude": "excluded",
            }[t.action]
            out.append(f"- `{t.rule_id}`: {change}. Rationale: {_md(t.rationale)} Approved by: {_md(t.approved_by)}.")
    if report.waivers:
        out += ["", "### Waivers", ""]
        for w in report.waivers:
            who = w.waiver.subject or "every subject"
            out.append(
                f"- `{w.waiver.rule_id}` for {who} until {w.waiver.expires.isoformat()}: **{w.state.replace('_', ' ')}**"
                f"{' (' + ', '.join(w.subjects) + ')' if w.subjects else ''}. {_md(w.waiver.justification)} "
                f"Approved by: {_md(w.waiver.approved_by)}."
            )
    out += [
        "",
        "## Provenance",
        "",
        f"- Organisation: {_md(report.organisation.name)} (`{report.organisation.id}`), as of {report.as_of.isoformat()}",
        f"- natssips-rules {report.library_version}, engine `{report.engine}`",
        f"- Rule set digest: `{report.ruleset_digest}`",
    ]
    for source in report.sources:
        version = f" {source.version}" if source.version else ""
        out.append(f"- Rules: {len(source.rule_ids)} from {source.kind} {_md(source.name)}{version}")
    return out


# --------------------------------------------------------------------------
# HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}h3{margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right}blockquote{margin:.6rem 0;padding:.4rem .8rem;border-left:4px solid #888;background:#fafafa}
.status{font-weight:700;white-space:nowrap}.met{color:#1b5e20}.not_met{color:#b71c1c}.insufficient_evidence{color:#8a5a00}.waived{color:#0d47a1}.not_applicable{color:#555}
.badge::before{content:"";display:inline-block;width:.7em;height:.7em;margin-right:.35em;border-radius:2px;background:currentColor}
.overdue{font-weight:700;color:#b71c1c}.muted{color:#555;font-size:.9rem}code{font-size:.85em;background:#f3f3f3;padding:0 .2em}
svg{display:block}@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr,blockquote{break-inside:avoid}a{color:inherit}}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _bar(counts: dict[str, int], label: str) -> str:
    """A stacked bar (inline SVG) of the statuses, with its text alternative."""
    total = sum(counts.get(s.value, 0) for s in _ORDER) or 1
    width, height, x = 300.0, 18, 0.0
    parts = []
    words = ", ".join(f"{counts.get(s.value, 0)} {_LABEL[s].lower()}" for s in _ORDER if counts.get(s.value, 0))
    for status in _ORDER:
        n = counts.get(status.value, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{_COLOUR[status]}"><title>{_e(_LABEL[status])}: {n}</title></rect>'
        )
        x += w
    alt = f"{label}: {words or 'no findings'}"
    return (
        f'<svg role="img" aria-label="{_e(alt)}" width="{width:.0f}" height="{height}" viewBox="0 0 {width:.0f} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(alt)}</title>{"".join(parts)}</svg>'
    )


def _status_cell(finding: Finding) -> str:
    text = _label(finding)
    if finding.status is Status.WAIVED and finding.waiver is not None and finding.underlying_status is not None:
        text += f" until {finding.waiver.expires.isoformat()} ({_LABEL[finding.underlying_status].lower()})"
    return f'<span class="status badge {finding.status.value}">{_e(text)}</span>'


def render_html(report: Report, rules: RuleSet | None = None) -> str:
    """The Board assurance report as one self-contained HTML page."""
    summary = report.summary
    title = f"NatSSIPs assurance report: {report.organisation.name}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">As of {_e(report.as_of.isoformat())}. Organisational standards of NatSSIPs 2. '
        f"natssips-rules {_e(report.library_version)}, engine {_e(report.engine)}, rule set <code>{_e(report.ruleset_digest[:12])}</code>.</p>",
        "</header>",
        "<main>",
        '<section aria-labelledby="summary"><h2 id="summary">Summary</h2>',
        "<table><caption>Findings by section (requirements; suggestions are counted apart)</caption>",
        '<thead><tr><th scope="col">Section</th>'
        + "".join(f'<th scope="col">{_e(_LABEL[s])}</th>' for s in _ORDER)
        + '<th scope="col">Picture</th></tr></thead><tbody>',
    ]
    rows = [*summary.by_section.items(), ("All requirements", summary.overall)]
    for name, counts in rows:
        cells = "".join(f'<td class="num">{counts.get(s.value, 0)}</td>' for s in _ORDER)
        out.append(f'<tr><th scope="row">{_e(name)}</th>{cells}<td>{_bar(counts, name)}</td></tr>')
    out.append("</tbody></table>")
    if any(summary.suggestions.values()):
        s = summary.suggestions
        out.append(
            f"<p>Suggestions of the standard (&lsquo;may&rsquo;, not counted above): {s.get('met', 0)} in place, "
            f"{s.get('not_met', 0)} not in place, {s.get('insufficient_evidence', 0)} unknown.</p>"
        )
    out.append("</section>")
    unknown, unmet, no_plan, overdue = _lists(report)
    out.append('<section aria-labelledby="unknown"><h2 id="unknown">What we still need to know</h2>')
    if unknown:
        out.append("<ul>")
        for f in unknown:
            missing = ", ".join(f"<code>{_e(p)}</code>" for p in _missing(f)) or "the facts it depends on"
            out.append(f"<li><strong>{_e(f.title)}</strong> &mdash; {_e(f.subject.name)}: no evidence for {missing}.</li>")
        out.append("</ul>")
    else:
        out.append("<p>Nothing: every finding rests on evidence supplied.</p>")
    out.append("</section>")
    out.append('<section aria-labelledby="actions"><h2 id="actions">Action plans</h2>')
    if overdue:
        out.append("<h3>Overdue actions</h3><ul>")
        out += [
            f'<li><strong>{_e(f.title)}</strong> &mdash; {_e(f.subject.name)}: <span class="overdue">{_e(_action_text(f))}</span></li>'
            for f in overdue
        ]
        out.append("</ul>")
    out.append("<h3>Not met, with no action plan</h3>")
    if no_plan:
        out.append(
            "<ul>" + "".join(f"<li><strong>{_e(f.title)}</strong> &mdash; {_e(f.subject.name)}</li>" for f in no_plan) + "</ul>"
        )
    else:
        out.append("<p>Every requirement not met has an action.</p>" if unmet else "<p>No requirement is unmet.</p>")
    out.append("</section>")
    section: str | None = None
    for group in _by_rule(report.findings):
        first = group[0]
        if first.section != section:
            if section is not None:
                out.append("</section>")
            section = first.section
            out.append(f"<section><h2>{_e(section)}</h2>")
        local = " (local rule)" if first.origin != "natssips" else ""
        source = first.citation.document + (f", {first.citation.clause}" if first.origin != "natssips" else "")
        out += [
            f'<h3 id="{_e(first.rule_id)}">{_e(first.title)}{_e(local)}</h3>',
            f"<blockquote><p>{_e(first.citation.quote)}</p></blockquote>",
            f'<p class="muted">Level: <strong>{_e(_level(first))}</strong>. Rule <code>{_e(first.rule_id)}</code>. Source: {_e(source)}.</p>',
            "<table><thead><tr>"
            + "".join(
                f'<th scope="col">{h}</th>' for h in ("Subject", "Status", "Evidence read", "What would evidence it", "Action")
            )
            + "</tr></thead><tbody>",
        ]
        for f in group:
            evidence = "<br>".join(f"<code>{_e(item.path)}</code> = {_e(_value(item.value))}" for item in f.evidence)
            todo = f.remediation if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.WAIVED) else ""
            action = _e(_action_text(f))
            if any(a.overdue for a in f.actions):
                action = f'<span class="overdue">{action}</span>'
            out.append(
                f'<tr><th scope="row">{_e(f.subject.name)}</th><td>{_status_cell(f)}</td><td>{evidence}</td>'
                f"<td>{_e(todo or '')}</td><td>{action}</td></tr>"
            )
        out.append("</tbody></table>")
    if section is not None:
        out.append("</section>")
    out.append('<section aria-labelledby="provenance"><h2 id="provenance">Interpretations, changes and provenance</h2>')
    # the Markdown provenance, as plain HTML lists (same content)
    for line in _md_provenance(report, rules)[1:]:
        if line.startswith("## ") or line.startswith("### "):
            level = "h3" if line.startswith("## ") else "h4"
            out.append(f"<{level}>{_e(line.lstrip('#').strip())}</{level}>")
        elif line.startswith("  - "):
            out.append(f'<p class="muted" style="margin-left:1.5rem">{_inline(line[4:])}</p>')
        elif line.startswith("- "):
            out.append(f"<p>{_inline(line[2:])}</p>")
        elif line:
            out.append(f"<p>{_inline(line)}</p>")
    out += ["</section>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _inline(text: str) -> str:
    """Markdown code spans and bold in one line, as HTML (everything else escaped)."""
    parts = text.replace("\\|", "|").split("`")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"<code>{_e(part)}</code>")
        else:
            bold = _e(part).split("**")
            out.append("".join(f"<strong>{b}</strong>" if j % 2 else b for j, b in enumerate(bold)))
    return "".join(out)
