"""Readings an inspector would challenge (issue 34): how the findings word them, on both engines.

The statuses of each reading are in ``tests/cases``; these tests hold what the
cases cannot: the words of the reasons.
"""

import pytest

import natssips_rules as nr

from .helpers import org_data

ENGINES = ("reference", "durable")

SCIENTIST_LEAD = org_data(
    people=[
        {
            "id": "p1",
            "name": "Dr S Scientist",
            "profession": "healthcare_science",
            "seniority": "senior",
            "in_training": False,
            "substantive": True,
            "practises_invasive_procedures": True,
        }
    ],
    natssips_leads=[{"person": "p1", "responsible_for_strategy_and_oversight": True}],
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_clinical_scientist_lead_is_refused_by_the_librarys_reading_of_an_open_includes_not_the_standards_own_list(engine):
    """Footnote d's 'includes' is open: the reason says the list of clinical professions is this library's reading."""
    report = nr.evaluate(SCIENTIST_LEAD, engine=engine)
    (finding,) = [f for f in report.findings if f.rule_id == "roles.natssips-lead"]
    assert finding.status is nr.Status.NOT_MET
    texts = [r.text for r in finding.reasons]
    assert [t for t in texts if "clinician_professions" in t] == [
        "Dr S Scientist: profession: healthcare science (required: one of medical, nursing, midwifery, pharmacy or "
        "allied health professional; clinician_professions, this library's reading of footnote d's open 'includes', "
        "not a closed list of the standard's)"
    ]
    assert not any("the standard's own" in t for t in texts)


def test_the_clinician_list_is_a_reading_in_every_rule_that_uses_it():
    """No rule presents footnote d's five professions as the standard's own closed list."""
    for rule in nr.builtin_rules():
        for parameter in rule.parameters:
            if parameter.name == "clinician_professions":
                assert (parameter.from_standard, "open 'includes'" in parameter.interpretation) == (False, True), rule.id
