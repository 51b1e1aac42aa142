"""The readers generated for a path refuse what is not a field's name or a comparison, rather than write it as code."""

import pytest

from natssips_rules.evaluation.readers import truth_reader
from natssips_rules.facts.model import Site


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
