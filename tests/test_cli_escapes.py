"""`check` and `rules` print a rules file's texts escaped, as evaluate, questions, diff and account do.

A rules file is written by someone else: its titles, citations, units,
rationales, approvers, waiver subjects and even rule ids may hold ESC
sequences (which clear or retitle a terminal), bidirectional overrides (which
make text read in another order) and newlines (which forge a line such as
"... valid."). On the terminal each is written as an escape (``\\x1b``,
``\\u202e``, ``\\n``), so the output has exactly the lines it has for plain text.
"""

import json
import unicodedata

from hypothesis import HealthCheck, given, settings, strategies as st

from natssips_rules.cli import main

DANGEROUS = "\x1b\x07\x08\x7f\x85\x9b\n\r\t\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def rules_file(text: str, rule_id: str) -> str:
    q = json.dumps  # JSON's escapes are TOML's basic-string escapes
    return f"""
[source]
document = {q("Policy " + text)}

[[rules]]
id = {q(rule_id)}
title = {q("Title " + text)}
level = "must"
subject = "site"
requirement = {q("Requirement " + text)}
remediation = {q("Remediation " + text)}

[rules.citation]
section = {q("Section " + text)}
clause = {q("Clause " + text)}
quote = {q("Quote " + text)}

[rules.holds]
op = "compare"
path = "natssips_lead.sessions_per_week"
compare = ">="
value = {{ param = "min_sessions" }}

[[rules.parameters]]
name = "min_sessions"
default = 1.0
unit = {q("sessions " + text)}
description = "Least weekly sessions."
interpretation = "One a week."
lenient = "lower"

[[tailoring.parameters]]
rule = "roles.natssips-lead.time"
parameter = "lead_min_sessions_large"
value = 1.5
rationale = {q("Because " + text)}
approved_by = {q("Board " + text)}

[[tailoring.exclude]]
rule = "staffing.intelligence.staffing-algorithms"
rationale = {q("No tool " + text)}
approved_by = {q("Committee " + text)}

[[waivers]]
rule = "roles.site-lead"
subject = {q("site " + text)}
justification = {q("Recruiting " + text)}
approved_by = {q("CMO " + text)}
expires = 2099-09-30
"""


def printed(capsys, tmp_path, text: str, rule_id: str) -> dict[str, str]:
    path = tmp_path / "local.toml"
    path.write_text(rules_file(text, rule_id), encoding="utf-8")
    out = {}
    for command in (["check", str(path)], ["rules", "--rules", str(path)]):
        code = main(command)
        captured = capsys.readouterr()
        assert code == 0, captured.err
        out[command[0]] = captured.out
    return out


def raw_controls(output: str) -> list[str]:
    return [ch for ch in output if ch != "\n" and (ch in BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp"))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.sampled_from(DANGEROUS + "ab: .valid"), min_size=1, max_size=24),
    hostile_id=st.booleans(),
)
def test_check_and_rules_write_no_control_character_and_forge_no_line(capsys, tmp_path, text, hostile_id):
    rule_id = "trust.x" + (text if hostile_id else "")
    plain = printed(capsys, tmp_path, "plain", "trust.x")
    shown = printed(capsys, tmp_path, text, rule_id)
    for command in ("check", "rules"):
        assert raw_controls(shown[command]) == [], command
        # the same lines as for plain text: a newline or line separator in a text forges none
        assert len(shown[command].splitlines()) == len(plain[command].splitlines()), command
        assert len(shown[command].split("\n")) == len(plain[command].split("\n")), command


def test_an_escape_sequence_is_shown_as_text(capsys, tmp_path):
    shown = printed(capsys, tmp_path, "\x1b[2J\u202eevil\nforged: valid.", "trust.x\x1b[31m")
    assert "  trust.x\\x1b[31m [must, site] Title \\x1b[2J\\u202eevil\\nforged: valid." in shown["check"]
    assert "trust.x\\x1b[31m  [must] [site] Title \\x1b[2J\\u202eevil\\nforged: valid." in shown["rules"]
    assert (
        "exclude staffing.intelligence.staffing-algorithms: No tool \\x1b[2J\\u202eevil\\nforged: valid. (approved by "
        in shown["rules"]
    )
