"""The JSON Schema of the facts is generated from the model, agrees with it, and validates the examples."""

import json
import pathlib

import attrs
import jsonschema
import pytest
from hypothesis import given

import natssips_rules as nr
from natssips_rules.cli import main
from natssips_rules.facts import model as f
from natssips_rules.facts.json_schema import facts_schema
from natssips_rules.testing import organisations

from ..test_hostile import hostile_documents

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.parent.joinpath("examples").glob("*.json"))
SCHEMA = facts_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_validates(path):
    assert list(VALIDATOR.iter_errors(json.loads(path.read_text()))) == []


@given(organisations())
def test_every_valid_organisation_validates(org):
    assert list(VALIDATOR.iter_errors(nr.dump_facts(org))) == []


@given(hostile_documents())
def test_whatever_the_loader_accepts_the_schema_accepts(document):
    try:
        nr.load_facts(document)
    except nr.FactsError:
        return
    assert list(VALIDATOR.iter_errors(document)) == []


BASE = json.loads(EXAMPLES[0].read_text())


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "hospital"},
        {"beds": "many"},
        {"beds": -1},
        {"colour": "red"},
        {"as_of": "31/03/2026"},
        {"steering_group": {"responsibilities": ["data_review", "data_review"]}},
        {"staffing": {"agency_staffing_rate": 1.5}},
        {"people": [{"name": "No id"}]},
        {"name": "x" * 2001},
    ],
    ids=["enum", "type", "negative", "unknown-key", "date", "duplicate-item", "proportion", "required", "too-long"],
)
def test_an_invalid_document_does_not_validate(change):
    document = {**BASE, **change}
    assert list(VALIDATOR.iter_errors(document)), change
    with pytest.raises(nr.FactsError):
        nr.load_facts(document)


def test_the_schema_follows_the_model():
    defs = SCHEMA["$defs"]
    classes = [
        getattr(f, name)
        for name in dir(f)
        if isinstance(getattr(f, name), type) and attrs.has(getattr(f, name)) and issubclass(getattr(f, name), f._Checked)
    ]
    for cls in classes:
        schema = SCHEMA if cls is f.Organisation else defs[cls.__name__]
        names = [a.name for a in attrs.fields(cls)]
        assert list(schema["properties"]) == names, cls.__name__
        required = [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING]
        assert schema.get("required", []) == required, cls.__name__
        assert schema["additionalProperties"] is False
    for name, definition in defs.items():
        if "enum" in definition:
            assert definition["enum"] == [m.value for m in getattr(f, name)]


def test_the_schema_command(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA
