"""Loading facts: every kind of bad input is a FactsError naming each problem's path."""

import json
import math
import pathlib

import pytest

import natssips_rules as nr
from natssips_rules.facts.model import MAX_NUMBER, MAX_STRING_LENGTH

from ..helpers import org_data


def problems(data) -> dict[str, str]:
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(data)
    assert isinstance(info.value, ValueError)
    return {p.path: p.message for p in info.value.errors}


def test_valid_facts_round_trip_through_dict_and_json():
    data = org_data(
        beds=10,
        people=[{"id": "p1", "name": "A", "profession": "nursing", "substantive": False}],
        sites=[{"id": "s1", "name": "S", "natssips_lead": {"person": "p1", "sessions_per_week": 0.5}}],
        assurance={"public_account": {"published_on": "2025-05-01", "evidence": {"title": "Quality Account"}}},
        staffing={"factors": {"skill_mix": {"described_by_lead": True}}, "agency_staffing_rate": 0.07},
    )
    org = nr.load_facts(data)
    assert nr.dump_facts(org) == data
    assert nr.load_facts(json.dumps(data)) == org
    assert nr.load_facts(json.dumps(data).encode()) == org


def test_load_from_a_path(tmp_path: pathlib.Path):
    path = tmp_path / "org.json"
    path.write_text(json.dumps(org_data()))
    assert nr.load_facts(path).id == "org"


def test_unknown_keys_are_errors_at_every_level():
    found = problems(org_data(bedz=3, people=[{"id": "p", "name": "n", "proffession": "medical"}]))
    assert "unknown key 'bedz'" in found["bedz"]
    assert "unknown key 'proffession'" in found["people[0].proffession"]


def test_wrong_types_are_not_coerced():
    found = problems(org_data(beds="300", people=[{"id": "p", "name": "n", "substantive": "yes"}], assurance={"to_board": 1}))
    assert found["beds"] == "expected a whole number, got text '300'"
    assert found["people[0].substantive"] == "expected true or false, got text 'yes'"
    assert found["assurance.to_board"] == (
        "expected true or false, got the number 1 (SQLite, and other databases without a yes/no type, store booleans as "
        "1 and 0: convert them, e.g. with bool(value), keeping None where the answer is not known)"
    )


def test_bad_enum_values_list_the_allowed_ones():
    found = problems(org_data(kind="hospital", steering_group={"responsibilities": ["data_review", "vibes"]}))
    assert "expected one of: nhs_trust" in found["kind"]
    where = "steering_group.responsibilities[1]"
    assert "'vibes'" in found[where] and "data_review" in found[where]


def test_impossible_and_malformed_dates():
    found = problems(org_data(as_of="2026-02-30", assurance={"last_board_report_on": "31/03/2026"}))
    assert found["as_of"] == "'2026-02-30' is not a real date"
    assert "YYYY-MM-DD" in found["assurance.last_board_report_on"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(value):
    found = problems(org_data(staffing={"agency_staffing_rate": value}))
    assert "finite" in found["staffing.agency_staffing_rate"]


def test_nan_in_json_text_is_refused_with_its_path():
    text = json.dumps(org_data(staffing={"staff_turnover_rate": 0.1})).replace("0.1", "NaN")
    assert "finite" in problems(text)["staffing.staff_turnover_rate"]


def test_values_beyond_the_engine_limits():
    assert f"at most {MAX_NUMBER:,}" in problems(org_data(beds=2**64))["beds"]
    assert f"at most {MAX_STRING_LENGTH:,}" in problems(org_data(name="x" * (MAX_STRING_LENGTH + 1)))["name"]
    assert "between 0 and 1" in problems(org_data(staffing={"agency_staffing_rate": 1.5}))["staffing.agency_staffing_rate"]


def test_negative_numbers_are_refused():
    assert "negative" in problems(org_data(beds=-1))["beds"]


def test_missing_required_keys():
    found = problems({"id": "x"})
    assert {"name", "kind", "nation", "as_of"} <= set(found)


def test_duplicate_ids_and_dangling_references():
    found = problems(
        org_data(
            people=[{"id": "p1", "name": "A"}, {"id": "p1", "name": "B"}],
            board={"natssips_portfolio_holder": "p9"},
            specialties=[{"id": "x", "name": "X", "natssips_lead": "nobody"}],
            steering_group={"members": ["p1", "p7"]},
            sites=[{"id": "s1", "name": "S", "natssips_lead": {"person": "p8"}}],
        )
    )
    assert "used by another entry" in found["people[1].id"]
    assert "'p9'" in found["board.natssips_portfolio_holder"]
    assert "'nobody'" in found["specialties[0].natssips_lead"]
    assert "'p7'" in found["steering_group.members[1]"]
    assert "'p8'" in found["sites[0].natssips_lead.person"]


def test_every_problem_is_reported_at_once():
    found = problems(org_data(beds="x", nation="mars", people=[{"id": "a", "name": 3}, {"id": "", "name": "b"}]))
    assert {"beds", "nation", "people[0].name", "people[1].id"} <= set(found)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "not valid JSON"),
        ('{"id": "a", "id": "b"}', "appears twice"),
        ("[1, 2]", "must be a JSON object"),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
        (b"\xff\xfe{", "not valid"),
    ],
)
def test_malformed_documents(text, fragment):
    found = problems(text)
    assert fragment in found[""]


def test_a_list_where_an_object_belongs():
    assert problems(org_data(steering_group=[]))["steering_group"] == "expected an object, got a list"


def test_a_string_where_a_list_belongs_is_not_split_into_letters():
    found = problems(org_data(steering_group={"responsibilities": "data_review"}))
    assert found["steering_group.responsibilities"] == "expected a list, got text 'data_review'"


def test_unreadable_file(tmp_path: pathlib.Path):
    assert "cannot read the file" in problems(tmp_path / "missing.json")[""]


def test_the_error_message_lists_every_path():
    with pytest.raises(nr.FactsError) as info:
        nr.load_facts(org_data(beds="x", nation="mars"))
    assert "beds:" in str(info.value) and "nation:" in str(info.value)
