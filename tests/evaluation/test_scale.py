"""Long lists: the work and the report grow with the facts, not with their square.

A rule about each site that reads the organisation's list of sites (``roles.site-lead``:
"the organisation is a large Trust" counts the sites) is judged for every site. Judged
and explained naively, that reads every site once per site: 10,000 sites (within the
facts' limits) took minutes and gigabytes. These tests count the work (calls, not time)
and the report's size, so they fail on a return to the square, on any machine.
"""

import pytest

import natssips_rules as nr
import natssips_rules.engine.reference as reference
from natssips_rules.evaluation.explain import MAX_LISTED

ENGINES = ["reference", "durable"]


def organisation(sites: int, beds: int = 100) -> dict:
    """A small Trust (by beds) with ``sites`` sites, every other one performing invasive procedures."""
    return {
        "id": "t",
        "name": "T",
        "kind": "nhs_trust",
        "nation": "england",
        "as_of": "2026-03-31",
        "beds": beds,
        "sites": [{"id": f"s{i:05d}", "name": f"Site {i}", "performs_invasive_procedures": i % 2 == 0} for i in range(sites)],
    }


def reads(sites: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many facts the reference engine and the explanations read to evaluate ``organisation(sites)``."""
    calls = 0
    real = reference.read

    def counted(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(reference, "read", counted)
    import natssips_rules.evaluation.explain as explain

    monkeypatch.setattr(explain, "read", counted)
    nr.evaluate(organisation(sites), engine="reference")
    monkeypatch.undo()
    return calls


def test_a_rule_about_each_site_counting_the_sites_reads_each_site_a_bounded_number_of_times(monkeypatch):
    small, large = reads(200, monkeypatch), reads(400, monkeypatch)
    # linear: twice the sites, about twice the reading (the square would be four times)
    assert large < 2.5 * small, (small, large)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_finding_lists_at_most_a_bounded_number_of_entries_of_a_list_and_counts_the_rest(engine):
    sites = MAX_LISTED + 70
    report = nr.evaluate(organisation(sites), engine=engine)
    leads = report.findings_for("roles.site-lead")
    assert len(leads) == sites  # every site judged
    for finding in leads:
        listed = [e for e in finding.evidence if e.path.startswith("sites[") and e.path.endswith(".performs_invasive_procedures")]
        assert len(listed) <= MAX_LISTED + 1  # the first MAX_LISTED by id, and the finding's own site
        counted = {e.path: e.value for e in finding.evidence}
        assert counted["sites (number of entries)"] == sites
        assert counted[f"sites (entries after the first {MAX_LISTED} by id, not listed)"] == 70
    # the report grows with the sites, not with their square
    doubled = nr.evaluate(organisation(2 * sites), engine=engine)
    assert len(doubled.to_json()) < 2.5 * len(report.to_json())


def _local_rule(tmp_path, needed: int):
    path = tmp_path / "sites.toml"
    path.write_text(f"""
[source]
document = "The Trust's policy"

[[rules]]
id = "trust.many-sites"
title = "Many sites perform invasive procedures"
level = "must"
subject = "organisation"
requirement = "At least {needed} sites perform invasive procedures."
remediation = "Open more sites."
[rules.citation]
section = "1"
clause = "1.1"
quote = "A Trust clause."
[rules.holds]
op = "count"
path = "sites"
compare = ">="
value = {needed}
where = {{ op = "compare", path = "performs_invasive_procedures", compare = "==", value = true }}
""")
    return nr.load_rules_file(path)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_entries_that_decided_a_finding_are_listed_up_to_the_bound_then_counted(engine, tmp_path):
    sites = 2 * (MAX_LISTED + 30)  # MAX_LISTED + 30 do not perform invasive procedures
    report = nr.evaluate(organisation(sites), rules=_local_rule(tmp_path, sites), engine=engine)
    (finding,) = report.findings_for("trust.many-sites")
    assert finding.status is nr.Status.NOT_MET
    failing = [r for r in finding.reasons if r.path is not None and r.path.endswith(".performs_invasive_procedures")]
    assert len(failing) == MAX_LISTED
    assert [r.path for r in failing] == sorted(r.path for r in failing)  # the first by id
    (more,) = [r for r in finding.reasons if "not listed here" in r.text]
    assert more.text.startswith("T: sites: 30 more entries like these")
    assert more.state == "failed"
    assert f"that qualify: {MAX_LISTED + 30} of {sites}" in finding.message


@pytest.mark.parametrize("engine", ENGINES)
def test_short_lists_are_listed_in_full(engine, tmp_path):
    report = nr.evaluate(organisation(20), rules=_local_rule(tmp_path, 20), engine=engine)
    (finding,) = report.findings_for("trust.many-sites")
    assert not any("not listed" in r.text for r in finding.reasons)
    assert not any("not listed" in e.path for e in finding.evidence)
    assert len([r for r in finding.reasons if r.path and r.path.endswith(".performs_invasive_procedures")]) == 10
