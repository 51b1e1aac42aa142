"""The standards modules read like the standard: levels from the clauses' verbs, and every fact they name exists."""

import re

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.facts import model as facts
from natssips_rules.facts.paths import fields_of, resolve_path
from natssips_rules.standards.catalogue import clauses
from natssips_rules.standards.common import Clause, verb_of

_PATH = re.compile(r"(?<![\w'.<])([a-z][a-z_]*(?:\[\])?(?:\.(?:[a-z][a-z_]*|<factor>)(?:\[\])?)+|[a-z]+_[a-z_]+)(?![\w'])")
_ALL_FIELDS = {
    field.name for cls in vars(facts).values() if isinstance(cls, type) and attrs.has(cls) for field in attrs.fields(cls)
}


def _resolves(path: str, subject: type) -> bool:
    plain = path.replace("[]", "").replace("<factor>", facts.STAFFING_FACTOR_FIELDS[0])
    if "." not in plain:
        return plain in _ALL_FIELDS
    for start in (subject, facts.Organisation):
        try:
            resolve_path(start, plain)
            return True
        except nr.NatssipsRulesError:
            pass
    # a path to an object field: each step names a field of the class before it
    cls = facts.Organisation
    for name in plain.split("."):
        info = fields_of(cls).get(name)
        if info is None:
            return False
        cls = info.type
    return True


@pytest.mark.parametrize("rule", nr.builtin_rules().rules, ids=lambda r: r.id)
def test_every_fact_a_remediation_names_exists_in_the_facts_model(rule):
    named = [t for t in _PATH.findall(rule.remediation) if t != "e.g"]
    assert named, "a remediation names the facts that would evidence the clause"
    for path in named:
        assert _resolves(path, rule.subject.facts_class), f"{rule.id}: {path!r} is not a field of the facts model"


def test_a_level_is_the_verb_of_the_clause_or_of_the_list_a_sub_bullet_continues():
    by_id = {c.id: c for c in clauses()}
    for rule in nr.builtin_rules():
        clause = by_id[rule.citation.clause]
        assert rule.level is (verb_of(rule.citation.quote) or clause.level), rule.id
    assert verb_of("Boards should aim to include") is nr.Level.SHOULD_AIM_TO
    assert verb_of("Trust Boards should consider how") is nr.Level.SHOULD_CONSIDER
    assert verb_of("These may usefully include:") is nr.Level.MAY


def test_a_clause_makes_its_own_rule_with_its_verb_and_citation():
    clause = Clause(id="x.clause", section="S", kind="clause", text="Trusts should have a named lead.")
    rule = clause.rule(
        title="t", judged_for=nr.SubjectKind.ORGANISATION, holds=nr.Compare("beds", ">=", 1), requirement="r", remediation="m"
    )
    assert (rule.id, rule.level, rule.citation.clause, rule.citation.quote) == (
        "x.clause",
        nr.Level.SHOULD,
        "x.clause",
        "Trusts should have a named lead.",
    )
    child = Clause(id="x.child", section="S", kind="clause", text="Strategic oversight", parent=clause)
    assert child.level is nr.Level.SHOULD
    with pytest.raises(ValueError, match="no modal verb"):
        _ = Clause(id="x.none", section="S", kind="context", text="Safety relies upon:").level


def test_the_catalogue_reads_a_size_band_as_if_the_organisation_is_large():
    from natssips_rules.standards.catalogue import render_markdown

    page = render_markdown()
    assert "if the organisation is a large Trust:" in page
    assert 'Where "the organisation is a large Trust" means:' in page
    assert "not:\n" not in page
