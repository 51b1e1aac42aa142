"""The property tests of docs/local-rules.md, run as written there."""

import pathlib

import pytest
from hypothesis import given

import natssips_rules as nr
from natssips_rules.testing import organisations

EXAMPLE_RULES = pathlib.Path(__file__).parent.parent / "examples" / "northvale-local-rules.toml"
LOCAL = nr.load_rules_file(EXAMPLE_RULES).ruleset()
RULE = "northvale.site-lead-sessions"


@pytest.mark.slow
@given(organisations(max_sites=6))
def test_one_finding_per_site_and_the_engines_agree(org: nr.Organisation) -> None:
    durable = nr.evaluate(org, rules=LOCAL, engine="durable").findings_for(RULE)
    reference = nr.evaluate(org, rules=LOCAL, engine="reference").findings_for(RULE)
    assert durable == reference
    # one finding per site; where the sites are not known, or there are none, one finding says so
    expected = sorted(site.id for site in org.sites) if org.sites else ["(not known)" if org.sites is None else "(none)"]
    assert [f.subject.id for f in durable] == expected


@given(organisations(max_sites=6))
def test_the_status_follows_the_recorded_sessions(org: nr.Organisation) -> None:
    sites = {site.id: site for site in org.sites or ()}
    for finding in nr.evaluate(org, rules=LOCAL).findings_for(RULE):
        site = sites.get(finding.subject.id)
        if site is None:  # the sites are not known, or there are none
            assert finding.status.value in ("insufficient_evidence", "not_applicable")
            continue
        lead = site.natssips_lead
        if lead is False:  # the facts record that the site has no lead
            expected = "not_met"
        else:
            sessions = lead.sessions_per_week if lead else None
            expected = "insufficient_evidence" if sessions is None else ("met" if sessions >= 1.0 else "not_met")
        assert finding.status.value == expected


def test_the_guide_shows_these_tests_verbatim():
    import pathlib

    guide = (pathlib.Path(__file__).parent.parent / "docs" / "local-rules.md").read_text(encoding="utf-8")
    source = pathlib.Path(__file__).read_text(encoding="utf-8")
    for name in ("test_one_finding_per_site_and_the_engines_agree", "test_the_status_follows_the_recorded_sessions"):
        start = source.index(f"@given(organisations(max_sites=6))\ndef {name}")
        block = source[start : source.index("\n\n\n", start)]
        assert block in guide, name


# the example of docs/testing.md
from natssips_rules.testing import filled  # noqa: E402

RULES = nr.load_rules_file(EXAMPLE_RULES).ruleset()


@given(filled())
def test_our_rules_never_read_unknown_as_no(step):
    ours = [f for f in nr.evaluate(step.less, rules=RULES).findings if f.origin == "local"]
    less = {(f.rule_id, f.subject.id): f.status for f in ours}
    more = {(f.rule_id, f.subject.id): f.status for f in nr.evaluate(step.more, rules=RULES).findings}
    for key, status in less.items():
        if status in (nr.Status.MET, nr.Status.NOT_MET) and key in more:
            assert more[key] == status


def test_from_type_gives_valid_facts():
    from hypothesis import strategies as st

    @given(st.from_type(nr.Organisation))
    def check(org):
        assert nr.load_facts(nr.dump_facts(org)) == org

    check()
