"""The catalogue covers every passage of the shipped source, and every passage is checked or explained."""

import pathlib
import re

import natssips_rules as nr
from natssips_rules.facts.model import Staffing
from natssips_rules.facts.paths import resolve_path
from natssips_rules.rules.conditions import paths_read
from natssips_rules.standards import roles, staffing
from natssips_rules.standards.catalogue import render_markdown
from natssips_rules.standards.source import SOURCE_FILE, normalise, source_text

ROOT = pathlib.Path(__file__).parent.parent.parent


def test_the_catalogue_reads_back_as_the_whole_source_in_order():
    """Section headings and entry quotes, in catalogue order, are exactly the shipped text (bullets aside)."""
    without_bullets = "\n".join(re.sub(r"^\s*- ", "", line) for line in source_text().splitlines())
    entries = nr.catalogue()
    rebuilt = []
    section = None
    for entry in entries:
        if entry.section != section:
            section = entry.section
            rebuilt.append(section)
        rebuilt.append(entry.quote)
    assert " ".join(rebuilt) == normalise(without_bullets)
    assert [e.section for e in entries] == [roles.SECTION] * len(roles.CLAUSES) + [staffing.SECTION] * len(staffing.CLAUSES)


def test_the_shipped_source_is_the_project_source_when_it_is_present():
    shared = ROOT.parent / "shared" / "source" / SOURCE_FILE
    if shared.exists():  # the package never reads it; this only keeps the shipped copy in step
        assert shared.read_text(encoding="utf-8") == source_text()


def test_every_entry_has_rules_or_a_reason_and_never_both():
    for entry in nr.catalogue():
        assert bool(entry.rule_ids) != bool(entry.not_assessable), entry.id


def test_entry_ids_are_unique_and_stable_in_form():
    ids = [e.id for e in nr.catalogue()]
    assert len(ids) == len(set(ids))
    for entry_id in ids:
        assert re.fullmatch(r"(roles|staffing)\.[a-z0-9.-]+", entry_id), entry_id


def test_sub_bullets_are_clauses_of_their_own():
    by_id = {e.id: e for e in nr.catalogue()}
    responsibilities = [e for e in nr.catalogue() if e.parent == "roles.steering-group"]
    assert len(responsibilities) == 8
    factors = [e for e in nr.catalogue() if e.kind == "factor"]
    assert [f.id.rsplit(".", 1)[1] for f in factors] == "i ii iii iv v vi vii viii ix x xi".split()
    assert [e.id for e in nr.catalogue() if e.kind == "footnote"] == [f"roles.footnote-{m}" for m in "bcde"]
    assert by_id["roles.steering-group.human-factors"].references == ("49",)
    assert by_id["staffing.factor.ix"].references == ("50", "51")
    assert [f.marker for f in by_id["roles.board-member"].footnotes] == ["b", "c"]
    assert by_id["roles.summary"].summarised_by and by_id["staffing.summary"].summarised_by


def test_every_rule_cites_a_catalogue_entry_and_quotes_a_passage_of_it():
    by_id = {e.id: e for e in nr.catalogue()}
    for rule in nr.builtin_rules():
        entry = by_id[rule.citation.clause]
        assert rule.citation.quote in entry.quote, rule.id
        assert rule.id in entry.rule_ids


def test_no_builtin_rule_judges_a_staffing_number():
    """NatSSIPs does not quantify staffing needs: agency and turnover rates are facts for local rules only."""
    for rule in nr.builtin_rules():
        for condition in (rule.holds, rule.applies_when):
            if condition is not None:
                for path in paths_read(condition):
                    resolved = resolve_path(rule.subject.facts_class, path)
                    assert resolved.owner is not Staffing, (rule.id, path)


def test_the_catalogue_page_is_generated_from_the_rules():
    page = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert page == render_markdown(), "docs/catalogue.md is stale: run `natssips-rules catalogue > docs/catalogue.md`"
    for entry in nr.catalogue():
        assert entry.quote in page
    for rule in nr.builtin_rules():
        assert f"Rule `{rule.id}`" in page
