"""One checked boundary for facts: whatever route facts arrive by, the same checks, the library's own error.

An integrator builds facts in Python from database rows; the classes convert
the obvious plain values and refuse everything else with a FactsError naming
the class, field, value and what is allowed (every problem at once), and
``evaluate`` checks an Organisation built in Python exactly as ``load_facts``
checks JSON, before any engine sees it.
"""

import datetime
import math
import pathlib
import time

import attrs
import pytest
from hypothesis import given, note, strategies as st

import natssips_rules as nr
from natssips_rules.facts.load import check_facts
from natssips_rules.testing import organisations

from ..helpers import org_data

ENGINES = ("reference", "durable")


def base(**fields):
    data = {"id": "o", "name": "Test Trust", "kind": "nhs_trust", "nation": "england", "as_of": "2026-03-31"}
    data.update(fields)
    return nr.Organisation(**data)


def test_plain_values_are_converted_as_a_database_row_would_give_them():
    person = nr.Person(id="p", name="Dr A", profession="medical", seniority="senior", substantive=True)
    org = base(people=[person], natssips_leads=[nr.NatssipsLead(person="p", authority_to_obtain_support=["education"])])
    assert person.profession is nr.Profession.MEDICAL
    assert org.as_of == datetime.date(2026, 3, 31) and org.kind is nr.OrganisationKind.NHS_TRUST
    assert org.natssips_leads[0].authority_to_obtain_support == (nr.SupportArea.EDUCATION,)
    assert isinstance(org.people, tuple)


def test_a_class_refuses_every_wrong_value_at_once_naming_class_field_value_and_what_is_allowed():
    with pytest.raises(nr.FactsError) as info:
        nr.Person(id="", name=7, profession="doctor", substantive="yes", site=3)
    by_path = {p.path: p.message for p in info.value.errors}
    assert set(by_path) == {"Person.id", "Person.name", "Person.profession", "Person.substantive", "Person.site"}
    assert "expected one of: medical, nursing" in by_path["Person.profession"]
    assert "'doctor'" in by_path["Person.profession"]
    assert "Attribute(" not in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, nr.NatssipsRulesError)


PERSON_FLAGS = [
    f.name
    for f in attrs.fields(nr.Person)
    if nr.facts.model.FieldSpec is type(f.metadata["spec"]) and f.metadata["spec"].kind == "flag"
]
USABLE_IDS = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != "" and t.isprintable())


@given(ident=USABLE_IDS, field=st.sampled_from(PERSON_FLAGS), value=st.sampled_from([0, 1]), at=st.integers(0, 399))
def test_a_bad_value_in_one_of_hundreds_of_people_built_in_python_names_that_person_and_the_sqlite_cause(ident, field, value, at):
    """400 people built from database rows, one of which has SQLite's 1 or 0 for a yes/no: the error names that
    person by id (``Person['p-osei'].board_member``), and says SQLite stores booleans as 0 and 1."""
    rows = [{"id": f"p{i}", "name": f"Person {i}", "board_member": False} for i in range(400)]
    rows[at] = {"id": ident, "name": "Dr K Osei", field: value}
    with pytest.raises(nr.FactsError) as info:
        [nr.Person(**row) for row in rows]
    assert [(p.path, p.message.split(" (")[0]) for p in info.value.errors] == [
        (f"Person[{ident!r}].{field}", f"expected true or false, got the number {value}")
    ]
    assert "SQLite" in str(info.value) and "bool(value)" in str(info.value)


def test_an_object_built_in_python_is_named_by_its_id_and_the_document_path_keeps_its_index():
    with pytest.raises(nr.FactsError) as info:
        nr.Organisation(id="rx1", name="T", kind="nhs_trust", nation="england", as_of="2026-03-31", beds=-1)
    assert [p.path for p in info.value.errors] == ["Organisation['rx1'].beds"]
    with pytest.raises(nr.FactsError) as info:
        nr.Person(id="   ", name="N", board_member="yes")
    assert [p.path for p in info.value.errors] == ["Person.id", "Person.board_member"]  # no usable id: the class
    with pytest.raises(nr.FactsError) as info:  # the same value in a document: its path there, not the class
        nr.load_facts(org_data(people=[{"id": "p1", "name": "A"}, {"id": "p-osei", "name": "B", "board_member": 1}]))
    assert [p.path for p in info.value.errors] == ["people[1].board_member"]
    with pytest.raises(nr.FactsError) as info:  # no hint where 0/1 is not the cause
        nr.Person(id="p", name="N", board_member=2)
    assert str(info.value.errors[0]) == "Person['p'].board_member: expected true or false, got the number 2"


def test_loading_reports_every_problem_of_an_object_not_only_the_first():
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(org_data(name="", beds=-1, kind="hospital"))
    assert {p.path for p in info.value.errors} == {"name", "beds", "kind"}


def test_loading_reports_an_object_s_own_problems_beside_those_of_what_it_holds():
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(org_data(beds=-1, people=[{"id": "p", "name": "n", "profession": "doctor"}]))
    assert {p.path for p in info.value.errors} == {"beds", "people[0].profession"}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_dangling_reference_in_python_built_facts_is_a_facts_error(engine):
    org = base(
        people=[nr.Person(id="p", name="n")],
        board=nr.Board(natssips_portfolio_holder="ghost"),
        sites=[nr.Site(id="s", name="S", natssips_lead=nr.SiteLead(person="nobody"))],
    )
    with pytest.raises(nr.FactsError) as info:
        nr.evaluate(org, engine=engine)
    assert {p.path for p in info.value.errors} == {"board.natssips_portfolio_holder", "sites[0].natssips_lead.person"}


@pytest.mark.parametrize("engine", ENGINES)
def test_two_people_with_one_id_are_refused_on_both_engines(engine):
    org = base(people=[nr.Person(id="p", name="A"), nr.Person(id="p", name="B")])
    with pytest.raises(nr.FactsError, match=r"people\[1\].id: the id 'p' is used by another entry"):
        nr.evaluate(org, engine=engine)


def test_values_attrs_validators_would_not_catch_are_refused_at_the_boundary():
    org = base(beds=10)
    object.__setattr__(org, "beds", math.nan)
    with pytest.raises(nr.FactsError, match="beds: must be a finite number"):
        nr.evaluate(org)
    with pytest.raises(nr.FactsError, match="a date and time"):
        base(as_of=datetime.datetime(2026, 3, 31, 9, 30))
    with pytest.raises(nr.FactsError, match="at most 2,000"):
        attrs.evolve(nr.Person(id="p", name="n"), name="x" * 2001)
    org = base()
    object.__setattr__(org, "people", (nr.Site(id="s", name="S"),))
    with pytest.raises(nr.FactsError, match=r"people\[0\]: expected a Person, got Site"):
        nr.evaluate(org)


def test_text_that_cannot_be_written_is_refused_where_it_enters():
    with pytest.raises(nr.FactsError, match="lone surrogate"):
        nr.load_facts(org_data(name="Trust \ud800"))
    with pytest.raises(nr.FactsError, match="lone surrogate"):
        nr.Person(id="p", name="\udfff")


@pytest.mark.slow
@given(organisations())
def test_python_built_facts_give_the_same_report_as_their_json(org):
    data = nr.dump_facts(org)
    note(data)
    rebuilt = nr.load_facts(data)
    assert nr.evaluate(org, engine="reference") == nr.evaluate(rebuilt, engine="reference")


def test_the_verdict_is_kept_so_an_organisation_is_checked_once():
    org = nr.load_facts(pathlib.Path("examples/northvale-large-trust.json"))
    fresh = attrs.evolve(org, name="Northvale (copy)")  # built in Python: not yet checked
    start = time.perf_counter()
    check_facts(fresh)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(100):
        check_facts(fresh)
    again = (time.perf_counter() - start) / 100
    assert again < first  # a dictionary look-up, not a walk


@pytest.mark.parametrize(
    ("given_as", "expected"),
    [
        ("examples/brookfield-day-surgery.json", "brookfield"),
        (pathlib.Path("examples/brookfield-day-surgery.json"), "brookfield"),
        (pathlib.Path("examples/brookfield-day-surgery.json").read_text(encoding="utf-8"), "brookfield"),
        (pathlib.Path("examples/brookfield-day-surgery.json").read_bytes(), "brookfield"),
    ],
    ids=["str-path", "pathlib", "json-text", "json-bytes"],
)
def test_a_path_as_text_a_path_object_and_json_text_all_load(given_as, expected):
    assert nr.evaluate(given_as, engine="reference").organisation.id == expected


def test_a_missing_file_says_how_text_is_read():
    with pytest.raises(nr.FactsError, match="cannot read the file") as info:
        nr.load_facts("no-such-file")
    assert "starts with '{'" in str(info.value)


def test_a_dict_built_in_python_may_hold_tuples_where_json_has_lists():
    data = org_data(
        people=[{"id": "p1", "name": "A"}, {"id": "p2", "name": "B"}],
        sites=[{"id": "s1", "name": "Main", "performs_invasive_procedures": True}],
    )
    from_lists = nr.load_facts(data)
    data["sites"] = tuple(data["sites"])
    data["people"] = tuple(data["people"])
    assert nr.load_facts(data) == from_lists


def test_a_subclass_of_a_facts_class_with_fields_of_its_own_is_refused_by_the_library():
    @attrs.frozen(kw_only=True)
    class StaffPerson(nr.Person):
        employee_no: int = 0

    with pytest.raises(nr.FactsError) as caught:
        StaffPerson(id="p1", name="A")
    assert caught.value.errors[0].path == "StaffPerson.employee_no"
    assert "not a field of the facts model" in caught.value.errors[0].message


def test_subclasses_of_plain_types_are_kept_as_the_plain_values_they_hold():
    """A caller's str enumeration, int or date subclass never speaks in a report through its own methods."""
    import enum

    class Grade(str, enum.Enum):  # noqa: UP042 - the older way, whose str() is "Grade.NAME"
        NAME = "Northvale"

    class Count(int):
        def __repr__(self) -> str:
            return "COUNT"

        __str__ = __repr__

    class Day(datetime.date):
        def isoformat(self) -> str:
            return "DAY"

    org = nr.Organisation(id="org", name=Grade.NAME, kind="nhs_trust", nation="england", as_of=Day(2026, 3, 31), beds=Count(700))
    assert (type(org.name), type(org.beds), type(org.as_of)) == (str, int, datetime.date)
    assert nr.dump_facts(org)["beds"] == 700 and type(nr.dump_facts(org)["beds"]) is int
    report = nr.evaluate(org, engine="reference")
    text = report.to_json()
    assert "COUNT" not in text and "DAY" not in text and "Grade." not in text


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_a_date_window_reaching_before_the_year_1_is_explained_not_a_crash(engine):
    """Facts dated 0001-01-01 are valid; explaining a 366-day window before them overflowed the calendar (OverflowError)."""
    org = {
        "id": "o",
        "name": "O",
        "kind": "nhs_trust",
        "nation": "england",
        "as_of": "0001-01-01",
        "assurance": {"public_account": {"published_on": "0001-01-02"}},
    }
    report = nr.evaluate(org, engine=engine)
    [finding] = [f for f in report.findings if any("0001-01-02" in r.text for r in f.reasons)] or [None]
    assert finding is not None and finding.status is nr.Status.INSUFFICIENT_EVIDENCE
