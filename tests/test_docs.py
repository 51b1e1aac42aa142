"""The hand-written facts reference names every field of every facts class."""

import pathlib

import attrs

from natssips_rules import facts

DOCS = pathlib.Path(__file__).parent.parent / "docs"


def test_facts_reference_documents_every_field():
    page = (DOCS / "facts.md").read_text(encoding="utf-8")
    sections = {chunk.split("\n", 1)[0].strip(): chunk for chunk in page.split("\n## ")[1:]}
    for name in dir(facts):
        cls = getattr(facts, name)
        if isinstance(cls, type) and attrs.has(cls) and issubclass(cls, facts.model._Checked):
            assert name in sections, f"docs/facts.md has no section for {name}"
            for field in attrs.fields(cls):
                assert f"| `{field.name}` |" in sections[name], f"docs/facts.md does not document {name}.{field.name}"
