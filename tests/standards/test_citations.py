"""Citations: every NatSSIPs quote is the standard's own words, read from the shipped source."""

from importlib import resources

import natssips_rules as nr
from natssips_rules.standards.catalogue import clauses
from natssips_rules.standards.source import SOURCE_FILE, is_verbatim, normalise, source_text


def test_the_source_text_ships_in_the_package():
    text = resources.files("natssips_rules.standards").joinpath("source").joinpath(SOURCE_FILE).read_text(encoding="utf-8")
    assert "Roles For NatSSIPs Delivery, Implementation and Sustainment" in text
    assert text == source_text()


def test_every_builtin_citation_is_verbatim():
    for rule in nr.builtin_rules():
        assert rule.origin == "natssips"
        assert is_verbatim(rule.citation.quote), rule.id
        for footnote in rule.citation.footnotes:
            assert is_verbatim(footnote.text), (rule.id, footnote.marker)


def test_a_changed_word_is_not_verbatim():
    assert not is_verbatim("Trusts / Healthcare Boards must have a named Board-member with NatSSIPs within their portfolio.")
    assert not is_verbatim("")


def test_normalisation_removes_only_what_is_not_text():
    assert normalise("Boards^b should have a named Board-member^c with") == "Boards should have a named Board-member with"
    assert normalise("**practising clinically**") == "practising clinically"
    assert normalise("such as [Team Briefs](#) that") == "such as Team Briefs that"
    assert normalise("burnout.^{50 51}") == "burnout."
    assert normalise("understanding⁴⁹") == "understanding"


def test_levels_are_the_standards_modal_verbs():
    """A rule's level is the modal verb of its clause (or of the clause a sub-bullet continues)."""
    by_id = {c.id: c for c in clauses()}
    for rule in nr.builtin_rules():
        clause = by_id[rule.citation.clause]
        words = clause.quote if clause.parent is None else clause.parent.quote
        assert rule.level.words in words.split(":")[0] or rule.level.words in clause.quote, rule.id
    levels = {rule.level for rule in nr.builtin_rules()}
    assert {nr.Level.SHOULD, nr.Level.SHOULD_AIM_TO, nr.Level.SHOULD_CONSIDER, nr.Level.MAY} <= levels


def test_every_factor_has_its_verbatim_text_in_the_staffing_section():
    import attrs

    from natssips_rules.facts.model import StaffingFactors
    from natssips_rules.standards.staffing import FACTOR_TEXTS

    assert list(FACTOR_TEXTS) == [field.name for field in attrs.fields(StaffingFactors)]
    for name, text in FACTOR_TEXTS.items():
        assert is_verbatim(text), name
