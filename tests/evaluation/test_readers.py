"""The readers generated for a path refuse what is not a field's name or a comparison, rather than write it as code."""

import pytest

import natssips_rules as nr
from natssips_rules.engine.subjects import Context
from natssips_rules.evaluation.readers import truth_reader
from natssips_rules.facts.model import Site
from tests.helpers import org_data


@pytest.mark.parametrize("name", ["a.b", "x; import os", "class", "1st", ""])
def test_a_name_that_is_not_a_fields_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a field name"):
        truth_reader(name, False, (), name, False, (None, False), ("known",))
    with pytest.raises(ValueError, match="not a field name"):
        truth_reader(f"x.{name}", False, ((name, Site),), "id", False, (None, False), ("known",))


@pytest.mark.parametrize("op", ["is", "=", "in", "== 1 or", ""])
def test_an_operator_that_is_not_a_comparison_is_refused(op: str) -> None:
    with pytest.raises(ValueError, match="not a comparison"):
        truth_reader("name", False, (), "name", False, (None, False), ("compare", op, 1))


def test_readers_of_the_same_text_share_their_code_and_keep_their_own_values() -> None:
    """Two parts on the same field testing other values: one compiled text, each reader with its own value."""
    org = nr.load_facts(org_data(beds=500))
    ctx = Context(org, org.as_of)
    made = [truth_reader("beds", False, (), "beds", False, (None, False), ("compare", ">=", wanted)) for wanted in (400, 600)]
    assert made[0].__code__ is made[1].__code__
    assert [reader(org, ctx) for reader in made] == [True, False]
    assert truth_reader("beds", False, (), "beds", False, (None, False), ("in", (500,)))(org, ctx) is True
