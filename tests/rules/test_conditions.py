"""Every node of the condition language, in three-valued logic, on both engines.

Each case is a tiny rule judged against a tiny organisation; the expected
status is written by hand from the semantics in ARCHITECTURE.md.
"""

import datetime

import pytest

import natssips_rules as nr
from natssips_rules import AllOf, AnyOf, Compare, Count, In, Includes, IsKnown, Not, Param, WithinDays

from ..helpers import AS_OF, both, org_data


def rule(holds: nr.Condition, *, subject: nr.SubjectKind = nr.SubjectKind.ORGANISATION, applies_when=None, parameters=()):
    return nr.Rule(
        id="test.rule",
        title="Test rule",
        citation=nr.Citation(document="Test policy", section="Tests", clause="t1", quote="A test clause."),
        level=nr.Level.SHOULD,
        subject=subject,
        holds=holds,
        applies_when=applies_when,
        parameters=parameters,
        requirement="The test condition holds.",
        remediation="Fix the test facts.",
        origin="local",
    )


def status_of(condition: nr.Condition, data: dict, **kwargs) -> list[str]:
    ruleset = nr.RuleSet([rule(condition, **kwargs)])
    return [s for _, _, s in both(nr.load_facts(data), ruleset)]


BEDS = org_data
MET, NOT_MET, UNKNOWN, NA = "met", "not_met", "insufficient_evidence", "not_applicable"


@pytest.mark.parametrize(
    ("op", "beds", "expected"),
    [
        ("==", 500, MET),
        ("==", 501, NOT_MET),
        ("!=", 501, MET),
        ("!=", 500, NOT_MET),
        ("<", 499, MET),
        ("<", 500, NOT_MET),
        ("<=", 500, MET),
        ("<=", 501, NOT_MET),
        (">", 501, MET),
        (">", 500, NOT_MET),
        (">=", 500, MET),
        (">=", 499, NOT_MET),
        ("==", None, UNKNOWN),
        ("!=", None, UNKNOWN),
        ("<", None, UNKNOWN),
        (">=", None, UNKNOWN),
    ],
)
def test_compare_numbers_each_operator(op, beds, expected):
    data = org_data() if beds is None else org_data(beds=beds)
    assert status_of(Compare("beds", op, 500), data) == [expected]


def test_compare_with_a_parameter_uses_its_value():
    parameter = nr.Parameter(name="least", default=400, description="d", interpretation="i", lenient="lower")
    condition = Compare("beds", ">=", Param("least"))
    assert status_of(condition, org_data(beds=450), parameters=(parameter,)) == [MET]
    assert status_of(condition, org_data(beds=350), parameters=(parameter,)) == [NOT_MET]


@pytest.mark.parametrize(("value", "expected"), [(True, MET), (False, NOT_MET), (None, UNKNOWN)])
def test_compare_boolean_through_a_nested_object(value, expected):
    assurance = {} if value is None else {"to_board": value}
    assert status_of(Compare("assurance.to_board", "==", True), org_data(assurance=assurance)) == [expected]


def test_missing_nested_object_is_unknown_not_false():
    assert status_of(Compare("assurance.to_board", "==", False), org_data()) == [UNKNOWN]


@pytest.mark.parametrize(
    ("person", "expected"),
    [({"board_member": True}, MET), ({"board_member": False}, NOT_MET), ({}, UNKNOWN)],
)
def test_compare_through_a_reference_to_a_person(person, expected):
    data = org_data(people=[{"id": "p1", "name": "P", **person}], board={"natssips_portfolio_holder": "p1"})
    assert status_of(Compare("board.natssips_portfolio_holder.board_member", "==", True), data) == [expected]


def test_reference_not_given_is_unknown():
    data = org_data(people=[{"id": "p1", "name": "P", "board_member": True}], board={})
    assert status_of(Compare("board.natssips_portfolio_holder.board_member", "==", True), data) == [UNKNOWN]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (org_data(beds=0), MET),
        (org_data(), NOT_MET),
        (org_data(assurance={"to_board": False}), MET),
    ],
)
def test_is_known_is_never_unknown(data, expected):
    path = "assurance.to_board" if "assurance" in data else "beds"
    assert status_of(IsKnown(path), data) == [expected]


def test_is_known_false_when_a_step_of_the_path_is_missing():
    assert status_of(IsKnown("assurance.to_board"), org_data()) == [NOT_MET]


@pytest.mark.parametrize(("profession", "expected"), [("nursing", MET), ("management", NOT_MET), (None, UNKNOWN)])
def test_in_enumerated_values(profession, expected):
    person = {"id": "p1", "name": "P"} | ({} if profession is None else {"profession": profession})
    data = org_data(people=[person], board={"natssips_portfolio_holder": "p1"})
    condition = In("board.natssips_portfolio_holder.profession", ("medical", "nursing"))
    assert status_of(condition, data) == [expected]


@pytest.mark.parametrize(
    ("factors", "expected"),
    [
        (["data_review", "human_factors", "policy_sign_off"], MET),
        (["data_review"], NOT_MET),
        ([], NOT_MET),
        (None, UNKNOWN),
    ],
)
def test_includes_every_required_value(factors, expected):
    group = {} if factors is None else {"responsibilities": factors}
    condition = Includes("steering_group.responsibilities", ("data_review", "human_factors"))
    assert status_of(condition, org_data(steering_group=group)) == [expected]


def test_includes_nothing_is_met_once_the_list_is_known():
    condition = Includes("steering_group.responsibilities", ())
    assert status_of(condition, org_data(steering_group={"responsibilities": []})) == [MET]
    assert status_of(condition, org_data(steering_group={})) == [UNKNOWN]


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(0, MET), (365, MET), (366, NOT_MET), (-1, UNKNOWN), (None, UNKNOWN)],
)
def test_within_days_of_as_of(days_before, expected):
    account = {} if days_before is None else {"published_on": (AS_OF - datetime.timedelta(days=days_before)).isoformat()}
    data = org_data(assurance={"public_account": account})
    assert status_of(WithinDays("assurance.public_account.published_on", 365), data) == [expected]


def test_within_days_follows_an_as_of_override():
    data = org_data(assurance={"public_account": {"published_on": "2025-01-01"}})
    ruleset = nr.RuleSet([rule(WithinDays("assurance.public_account.published_on", 365))])
    assert [s for *_, s in both(nr.load_facts(data), ruleset, as_of=datetime.date(2025, 6, 1))] == [MET]
    assert [s for *_, s in both(nr.load_facts(data), ruleset, as_of=datetime.date(2026, 6, 1))] == [NOT_MET]


def _people(*flags):
    return [{"id": f"p{i}", "name": f"P{i}"} | ({} if flag is None else {"substantive": flag}) for i, flag in enumerate(flags)]


@pytest.mark.parametrize(
    ("flags", "op", "n", "expected"),
    [
        ((True, True, False), ">=", 2, MET),
        ((True, False, False), ">=", 2, NOT_MET),
        ((True, None, False), ">=", 2, UNKNOWN),
        ((True, None, None), ">=", 1, MET),
        ((False, False), ">=", 1, NOT_MET),
        ((), ">=", 1, NOT_MET),
        ((True, True), "==", 2, MET),
        ((True, None), "==", 2, UNKNOWN),
        ((True, True, True), "==", 2, NOT_MET),
        ((True, None), "<=", 1, UNKNOWN),
        ((True, False), "<=", 1, MET),
        ((True, True), "<", 2, NOT_MET),
        ((True, False), ">", 0, MET),
        ((None, None), "!=", 1, UNKNOWN),
        ((False, False), "!=", 1, MET),
    ],
)
def test_count_with_where_is_a_range_over_unknown_items(flags, op, n, expected):
    condition = Count("people", op, n, Compare("substantive", "==", True))
    assert status_of(condition, org_data(people=_people(*flags))) == [expected]


def test_count_of_an_unknown_list_is_unknown():
    assert status_of(Count("people", ">=", 0, Compare("substantive", "==", True)), org_data()) == [UNKNOWN]
    assert status_of(Count("sites", ">=", 1), org_data()) == [UNKNOWN]


def test_count_without_where_counts_every_item():
    sites = [{"id": f"s{i}", "name": f"S{i}"} for i in range(3)]
    assert status_of(Count("sites", ">=", 3), org_data(sites=sites)) == [MET]
    assert status_of(Count("sites", ">=", 4), org_data(sites=sites)) == [NOT_MET]


def test_count_over_a_list_of_references_follows_them():
    people = _people(True, False, None)
    data = org_data(people=people, steering_group={"members": ["p0", "p1"]})
    assert status_of(Count("steering_group.members", "==", 1, Compare("substantive", "==", True)), data) == [MET]
    data = org_data(people=people, steering_group={"members": ["p0", "p2"]})
    assert status_of(Count("steering_group.members", "==", 2, Compare("substantive", "==", True)), data) == [UNKNOWN]


def test_for_all_and_exists_helpers():
    data = org_data(people=_people(True, True))
    assert status_of(nr.for_all("people", Compare("substantive", "==", True)), data) == [MET]
    assert status_of(nr.exists("people", Compare("substantive", "==", False)), data) == [NOT_MET]
    assert status_of(nr.for_all("people", Compare("substantive", "==", True)), org_data(people=[])) == [MET]


@pytest.mark.parametrize(
    ("a", "b", "all_", "any_"),
    [
        (True, True, MET, MET),
        (True, False, NOT_MET, MET),
        (False, False, NOT_MET, NOT_MET),
        (True, None, UNKNOWN, MET),
        (False, None, NOT_MET, UNKNOWN),
        (None, None, UNKNOWN, UNKNOWN),
    ],
)
def test_kleene_all_and_any(a, b, all_, any_):
    assurance = {k: v for k, v in (("to_board", a), ("to_sites", b)) if v is not None}
    data = org_data(assurance=assurance)
    pair = [Compare("assurance.to_board", "==", True), Compare("assurance.to_sites", "==", True)]
    assert status_of(AllOf(pair), data) == [all_]
    assert status_of(AnyOf(pair), data) == [any_]


@pytest.mark.parametrize(("beds", "expected"), [(10, NOT_MET), (2000, MET), (None, UNKNOWN)])
def test_not_swaps_true_and_false_and_keeps_unknown(beds, expected):
    data = org_data() if beds is None else org_data(beds=beds)
    assert status_of(Not(Compare("beds", "<", 100)), data) == [expected]


@pytest.mark.parametrize(("beds", "expected"), [(10, NA), (2000, MET), (None, UNKNOWN)])
def test_applies_when_false_gives_not_applicable(beds, expected):
    data = org_data() if beds is None else org_data(beds=beds)
    data["assurance"] = {"to_board": True}
    condition = Compare("assurance.to_board", "==", True)
    assert status_of(condition, data, applies_when=Compare("beds", ">=", 100)) == [expected]


def test_applies_when_unknown_and_holds_false_is_insufficient_evidence():
    data = org_data(assurance={"to_board": False})
    assert status_of(Compare("assurance.to_board", "==", True), data, applies_when=Compare("beds", ">=", 1)) == [UNKNOWN]


def test_site_subjects_each_get_a_finding_and_can_read_the_organisation():
    sites = [
        {"id": "a", "name": "A", "natssips_lead": {"person": "p0", "time_allocated": True}},
        {"id": "b", "name": "B", "natssips_lead": {"person": "p0", "time_allocated": False}},
        {"id": "c", "name": "C"},
    ]
    data = org_data(people=_people(True), sites=sites, beds=900)
    condition = AllOf([Compare("natssips_lead.time_allocated", "==", True), Compare("organisation.beds", ">", 100)])
    ruleset = nr.RuleSet([rule(condition, subject=nr.SubjectKind.SITE)])
    assert both(nr.load_facts(data), ruleset) == [
        ("test.rule", "a", MET),
        ("test.rule", "b", NOT_MET),
        ("test.rule", "c", UNKNOWN),
    ]


# --------------------------------------------------------------------------
# covers, option, and facts fields named like the engine's own properties

PEOPLE = [
    {"id": "p1", "name": "A", "profession": "medical"},
    {"id": "p2", "name": "B", "profession": "nursing"},
    {"id": "p3", "name": "C"},
]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (["p1", "p2"], MET),
        (["p1"], NOT_MET),  # nobody else could be a nurse: p1 is medical
        (["p1", "p3"], UNKNOWN),  # p3's profession is unknown: p3 may be the nurse
        ([], NOT_MET),
        (None, UNKNOWN),
    ],
)
def test_covers_needs_one_item_per_value(members, expected):
    group = {} if members is None else {"members": members}
    condition = nr.Covers("steering_group.members", "profession", ("medical", "nursing"))
    assert status_of(condition, org_data(people=PEOPLE, steering_group=group)) == [expected]


def test_covers_takes_its_values_from_a_parameter():
    parameter = nr.Parameter(name="needed", default=("nursing",), description="d", interpretation="i")
    condition = nr.Covers("steering_group.members", "profession", Param("needed"))
    data = org_data(people=PEOPLE, steering_group={"members": ["p2"]})
    assert status_of(condition, data, parameters=(parameter,)) == [MET]
    empty = nr.Parameter(name="needed", default=(), description="d", interpretation="i")
    assert status_of(condition, data, parameters=(empty,)) == [MET]
    assert status_of(condition, org_data(), parameters=(empty,)) == [UNKNOWN]


@pytest.mark.parametrize(("chosen", "expected"), [(("a",), MET), (("b",), NA), (("a", "b"), MET), ((), NA)])
def test_option_is_the_reading_a_trust_chose(chosen, expected):
    parameter = nr.Parameter(name="reading", default=chosen, description="d", interpretation="i", choices=("a", "b"))
    condition = Compare("beds", ">=", 0)
    assert status_of(condition, org_data(beds=5), applies_when=nr.Option("reading", "a"), parameters=(parameter,)) == [expected]
    # an option never reads facts: it is never unknown
    assert status_of(nr.Option("reading", "a"), org_data(), parameters=(parameter,)) == [expected if expected == MET else NOT_MET]


def test_an_option_outside_the_choices_is_refused():
    parameter = nr.Parameter(name="reading", default=("a",), description="d", interpretation="i", choices=("a", "b"))
    with pytest.raises(nr.RuleError, match="'c' is not one of reading's choices"):
        nr.RuleSet([rule(nr.Option("reading", "c"), parameters=(parameter,))])
    bad_default = nr.Parameter(name="reading", default=("z",), description="d", interpretation="i", choices=("a", "b"))
    with pytest.raises(nr.RuleError, match="'z' is not one of the parameter's choices"):
        nr.RuleSet([rule(nr.Option("reading", "a"), parameters=(bad_default,))])


@pytest.mark.parametrize(("kind", "expected"), [("nhs_trust", MET), ("health_board", NOT_MET)])
def test_facts_fields_named_like_engine_properties_are_read_as_facts(kind, expected):
    """``Organisation.kind`` and every entity's ``id`` share names with the engine's own fact properties."""
    assert status_of(In("kind", ("nhs_trust",)), org_data(kind=kind)) == [expected]
    sites = [{"id": "s1", "name": "One"}, {"id": "s2", "name": "Two"}]
    found = status_of(In("id", ("s1",)), org_data(kind=kind, sites=sites), subject=nr.SubjectKind.SITE)
    assert found == [MET, NOT_MET]


def test_every_kind_of_condition_has_its_check_and_is_in_the_union():
    """The checks' table, the Condition union and CONDITION_TYPES name the same kinds (the walks that match on the
    union end in assert_never, so mypy names any walk that misses a kind; this holds the table to the union)."""
    import typing

    from natssips_rules.rules import check, conditions

    union = set(typing.get_args(conditions.Condition))
    assert union == set(conditions.CONDITION_TYPES)
    assert set(check._CHECKS) == union
