"""Readings an inspector would challenge (issue 34): how the findings word them, on both engines.

The statuses of each reading are in ``tests/cases``; these tests hold what the
cases cannot: the words of the reasons.
"""

import pytest
from hypothesis import given, strategies as st

import natssips_rules as nr
from natssips_rules.testing import organisations

from ..helpers import org_data

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


# ---------------------------------------------------------------------------
# A Health Board is not a Trust (footnote b): the library's own words name the organisation by its kind

import datetime  # noqa: E402
import html  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import re  # noqa: E402
import zipfile  # noqa: E402

EXAMPLES = pathlib.Path(__file__).parent.parent.parent / "examples"

#: (kind, nation, name, the noun its report uses)
NOT_TRUSTS = [
    ("health_board", "wales", "Bwrdd Iechyd Prifysgol Glannau Test University Health Board", "Health Board"),
    ("health_board", "scotland", "NHS Glen Test", "Health Board"),
    ("independent_provider", "england", "Meadowfield Clinics Ltd", "organisation"),
]


def _own_words(text: str, noun: str) -> str:
    """The organisation's own texts (its facts and rules files) in its own words: it does not call itself a Trust."""
    return text.replace("NHS Foundation Trust", noun).replace("Trust", noun)


def _organisation(kind: str, nation: str, name: str, noun: str) -> dict:
    data = json.loads(_own_words((EXAMPLES / "northvale-large-trust.json").read_text(encoding="utf-8"), noun))
    data.update(kind=kind, nation=nation, name=name)
    data.pop("invasive_procedure_professions")  # so the professions rule asks its question
    return data


def _rules(noun: str) -> nr.RuleSet:
    files = [
        nr.loads_rules(_own_words((EXAMPLES / name).read_text(encoding="utf-8"), noun), source=name)
        for name in ("northvale-local-rules.toml", "northvale-tailoring.toml")
    ]
    return nr.compose_files(files)


def _quotations() -> list[str]:
    """Every passage of the standard a report may quote: the clauses and footnotes, verbatim."""
    quotes = {entry.quote for entry in nr.catalogue()}
    for rule in nr.builtin_rules():
        quotes.add(rule.citation.quote)
        quotes.update(f.text for f in rule.citation.footnotes)
    return sorted((" ".join(q.split()) for q in quotes), key=len, reverse=True)


def _verbatim(fragment: str) -> bool:
    """A passage quoted inside a sentence ('the Trust NatSSIPs lead(s)'), each part around an ellipsis, is the standard's."""
    from natssips_rules.standards.source import is_verbatim

    return all(is_verbatim(part) for part in fragment.split("...") if part.strip())


def _outside_quotations(text: str) -> list[str]:
    """Each "Trust" of ``text`` (HTML entities and Markdown escapes undone, whitespace joined) not inside a quotation.

    A quotation is a whole clause or footnote of the standard, or a passage in single quotes that is verbatim.
    """
    plain = " ".join(html.unescape(re.sub(r"\\(.)", r"\1", text)).split())
    for quote in _quotations():
        plain = plain.replace(quote, "«quotation»")
    plain = re.sub(
        r"(?:^|(?<=[\s(\[/>]))'((?:[^']|'(?=[A-Za-z]))*?)'(?![A-Za-z])",
        lambda m: "«quotation»" if _verbatim(m.group(1)) else m.group(),
        plain,
    )
    return [plain[max(0, m.start() - 60) : m.end() + 60] for m in re.finditer(r"Trust|trust-wide", plain)]


def _workbook_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))


def _outputs(kind: str, nation: str, name: str, noun: str, engine: str) -> dict[str, str]:
    org = _organisation(kind, nation, name, noun)
    rules = _rules(noun)
    report = nr.evaluate(org, rules=rules, engine=engine)
    later = nr.evaluate(org, rules=rules, engine=engine, as_of=report.as_of + datetime.timedelta(days=365))
    return {
        "text": nr.render_text(report, all_findings=True),
        "markdown": nr.render_markdown(report, rules),
        "html": nr.render_html(report, rules),
        "json": report.to_json(indent=2),
        "workbook": _workbook_text(nr.report_workbook(report)),
        "questions": nr.questions_json(report),
        "account": nr.annual_account([report, later]),
        "diff": nr.render_diff(nr.diff_reports(report, later)),
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("kind", "nation", "name", "noun"), NOT_TRUSTS, ids=[f"{k}-{n}" for k, n, _, _ in NOT_TRUSTS])
def test_a_report_on_an_organisation_that_is_not_a_trust_says_trust_only_inside_quotations_of_the_standard(
    kind, nation, name, noun, engine
):
    """Footnote b: 'Trust will be used as shorthand'. The library's own sentences name a Health Board or provider by its kind."""
    outputs = _outputs(kind, nation, name, noun, engine)
    found = {fmt: _outside_quotations(text) for fmt, text in outputs.items()}
    assert {fmt: hits for fmt, hits in found.items() if hits} == {}
    # and they do name it: the report's own sentences speak of the Health Board (or the organisation)
    assert f"the {noun}'s own rules" in outputs["text"] or f"The {noun}'s own rules" in outputs["markdown"]


@pytest.mark.slow
@given(organisations(), st.sampled_from(["health_board", "independent_provider"]))
def test_any_facts_of_a_health_board_or_provider_give_reports_saying_trust_only_in_quotations(org, kind):
    """Whatever is known or unknown (every reason, question and remedy a rule can give), no own sentence says Trust."""
    import attrs

    org = attrs.evolve(org, kind=nr.OrganisationKind(kind), name="Generated Board")
    report = nr.evaluate(org)
    for text in (
        nr.render_text(report, all_findings=True),
        nr.render_markdown(report),
        nr.questions_json(report),
        report.to_json(),
    ):
        assert _outside_quotations(text) == []


def test_the_noun_follows_the_kind_of_organisation():
    """One helper names every kind: Trusts are Trusts, Health Boards Health Boards, an independent provider the organisation."""
    from natssips_rules.facts.nouns import in_own_words, organisation_noun

    assert {k.value: organisation_noun(k) for k in nr.OrganisationKind} == {
        "nhs_trust": "Trust",
        "nhs_foundation_trust": "Trust",
        "health_board": "Health Board",
        "health_and_social_care_trust": "Trust",
        "independent_provider": "organisation",
    }
    assert organisation_noun(None) == "organisation"
    assert [in_own_words(s, "Health Board") for s in ("as the organisation is a large Trust", "the Trust's own rules")] == [
        "as the organisation is a large Health Board",
        "the Health Board's own rules",
    ]
    assert in_own_words("A Trust may add 'In large Trusts' to the Trust NatSSIPs group", "organisation") == (
        "An organisation may add 'In large Trusts' to the organisation's NatSSIPs group"
    )


#: The standard's words each reading of issue 34 rests on, quoted in its rule's interpretation (or a parameter's).
READINGS = {
    "roles.site-lead": ["a NatSSIPs lead with allocated time"],
    "roles.steering-group.professions": ["to include all relevant professions"],
    "roles.steering-group": [
        "chaired by the NatSSIPs lead",
        "a named, substantive senior clinician ... who is responsible for strategic direction and oversight of the "
        "implementation, development and improvements related to NatSSIPs",
    ],
    "roles.natssips-lead": [
        "Clinician deliberately includes medical, nursing, midwifery, pharmacy and Allied Health Professionals."
    ],
}


@pytest.mark.parametrize("rule_id", sorted(READINGS))
def test_each_reading_quotes_the_standards_words_it_rests_on_verbatim(rule_id):
    rule = nr.builtin_rules()[rule_id]
    written = " ".join([rule.interpretation or "", *(p.interpretation for p in rule.parameters)])
    for words in READINGS[rule_id]:
        assert f"'{words}'" in written
        assert _verbatim(words), words


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rule_reading_whether_a_list_of_entries_is_known_reports_how_many_entries_it_has(engine):
    """IsKnown on a list of entries (the specialties) is evidence of its number of entries: the report stays JSON.

    The professions rule reads whether the specialties are known; before, the list itself (Specialty objects)
    reached the evidence and ``to_json`` failed.
    """
    rule = nr.Rule(
        id="local.specialties-listed",
        title="The specialties are listed",
        citation=nr.Citation(document="Local policy", section="1", clause="1.1", quote="The specialties are listed."),
        level="should",
        subject="organisation",
        holds=nr.IsKnown("specialties"),
        requirement="The specialties are listed.",
        remediation="List the specialties.",
        origin="local",
    )
    org = org_data(specialties=[{"id": "b", "name": "B"}, {"id": "a", "name": "A"}])
    report = nr.evaluate(org, rules=nr.compose([rule]), engine=engine)
    (finding,) = report.findings_for("local.specialties-listed")
    assert (finding.status, finding.evidence) == (nr.Status.MET, (nr.EvidenceItem("specialties (number of entries)", 2),))
    assert nr.Report.from_json(report.to_json()) == report


def test_a_report_written_before_reports_carried_the_kind_speaks_of_the_organisation():
    """A report read from JSON without organisation_kind makes no claim about the kind: "the organisation"."""
    report = nr.evaluate(_organisation("health_board", "wales", "A Health Board", "Health Board"), rules=_rules("Health Board"))
    data = report.to_dict()
    assert data.pop("organisation_kind") == "health_board"
    old = nr.Report.from_dict(data)
    assert (old.organisation_kind, old.noun) == (None, "organisation")
    assert "the organisation's own rules" in nr.render_text(old) and _outside_quotations(nr.render_text(old)) == []
