"""A report's JSON text is what ``json.dumps(report.to_dict(), ensure_ascii=False)`` writes, whatever text the
facts and rules carry: the JSON a batch or a caller reads and the plain data ``to_dict`` gives never differ."""

import json
import pathlib

import attrs
from hypothesis import given, strategies as st

import natssips_rules as nr

EXAMPLES = pathlib.Path(__file__).parent.parent.parent / "examples"
REPORT = nr.evaluate(EXAMPLES / "brookfield-day-surgery.json")

#: text of every kind: plain ASCII, accents and dashes, control characters, a literal backslash-u, lone surrogates
TEXT = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)),
    st.text(),
    st.text(alphabet='aé—’\\u0\x01\x7f\n"', max_size=20),
    st.sampled_from(["\\u00e9", "\ud800", "caf\u00e9", "tab\there", 'quote"', "x" * 3]),
)


@given(TEXT, TEXT)
def test_the_compact_text_is_what_the_plain_encoder_writes(name, message):
    finding = attrs.evolve(REPORT.findings[0], message=message)
    report = attrs.evolve(
        REPORT, organisation=attrs.evolve(REPORT.organisation, name=name), findings=(finding, *REPORT.findings[1:])
    )
    expected = json.dumps(report.to_dict(), ensure_ascii=False)
    assert report.to_json() == expected
    assert report.to_json(indent=2) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
