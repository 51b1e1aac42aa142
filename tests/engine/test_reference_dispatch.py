"""The reference engine judges each kind of condition by its own function, found by the condition's class."""

import typing

import attrs
import pytest

import natssips_rules as nr
from natssips_rules.engine import reference
from natssips_rules.engine.subjects import Context
from natssips_rules.facts.model import Organisation
from natssips_rules.rules.conditions import Compare, Condition
from tests.helpers import org_data


def test_every_kind_of_condition_has_its_function() -> None:
    assert set(reference._JUDGES) >= set(typing.get_args(Condition))


@attrs.frozen
class _MyCompare(Compare):
    """A caller's own class derived from a kind of condition."""


def test_a_class_derived_from_a_condition_is_judged_as_its_base() -> None:
    org = nr.load_facts(org_data(name="O"))
    ctx = Context(org, org.as_of)
    for value, want in (("O", True), ("P", False)):
        cond = _MyCompare("name", "==", value)
        assert reference.judge(cond, org, Organisation, ctx, {}) is want
        assert reference.judge(Compare("name", "==", value), org, Organisation, ctx, {}) is want


def test_what_is_not_a_condition_is_refused() -> None:
    org = nr.load_facts(org_data(name="O"))
    with pytest.raises(TypeError, match="not a condition: str"):
        reference.judge("name == 'O'", org, Organisation, Context(org, org.as_of), {})  # type: ignore[arg-type]
