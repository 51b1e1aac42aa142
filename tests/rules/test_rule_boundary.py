"""One checked boundary for rules: whatever route a rule arrives by, it is checked when it is made.

Rules built in Python, rules files and tailoring are refused with the
library's own error (every problem at once, each located), within documented
limits; nothing malformed ever reaches an engine or ends in a traceback.
"""

import json
import pathlib
import shutil
import time

import pytest
from hypothesis import given, note, strategies as st

import natssips_rules as nr
from natssips_rules.rules.check import MAX_LIST_VALUES, MAX_NUMBER_CONSTANT, MAX_TEXT_CONSTANT
from natssips_rules.rules.conditions import MAX_CONDITION_DEPTH
from natssips_rules.rules.files import MAX_RULES_FILE_BYTES, MAX_RULES_PER_FILE

from ..helpers import org_data

CITATION = nr.Citation(document="Trust policy", section="s", clause="c", quote="q")


def rule(**overrides):
    fields = {
        "id": "local.x",
        "title": "t",
        "citation": CITATION,
        "level": nr.Level.SHOULD,
        "subject": nr.SubjectKind.ORGANISATION,
        "holds": nr.Compare("beds", ">=", 1),
        "requirement": "r",
        "remediation": "m",
        "origin": "local",
    }
    fields.update(overrides)
    return nr.Rule(**fields)


def test_a_rule_takes_its_level_and_subject_as_text():
    made = rule(level="must", subject="site", holds=nr.Compare("represented_on_steering_group", "==", True))
    assert made.level is nr.Level.MUST and made.subject is nr.SubjectKind.SITE
    assert nr.evaluate(org_data(sites=[{"id": "s", "name": "S"}]), rules=nr.compose([made]))


def test_a_rule_reports_every_wrong_field_at_once_with_the_library_error():
    with pytest.raises(nr.RuleError) as info:
        rule(level=3, subject="ward", title="", origin="national")
    located = {p.path for p in info.value.problems}
    assert located == {"Rule.level", "Rule.subject", "Rule.title", "Rule.origin"}
    assert "expected one of: must, should" in str(info.value)
    assert "Attribute(" not in str(info.value)


def test_every_problem_of_a_condition_is_reported_at_once():
    with pytest.raises(nr.RuleError) as info:
        rule(holds=nr.AllOf([nr.Compare("bedz", ">=", 1), nr.Compare("beds", ">=", "many"), nr.In("kind", ("x",))]))
    assert [p.path for p in info.value.problems] == ["holds.of[0]", "holds.of[1]", "holds.of[2]"]


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        (nr.In("name", tuple(f"v{i}" for i in range(MAX_LIST_VALUES + 1))), "at most 10,000 are allowed"),
        (nr.Compare("name", "==", "x" * (MAX_TEXT_CONSTANT + 1)), "texts of at most 2,000"),
        (nr.Compare("beds", ">=", MAX_NUMBER_CONSTANT * 10), "beyond the largest number"),
        (nr.Compare("name", "==", "bad \ud800 text"), "lone surrogate"),
        (nr.Compare("beds", ">=", float("nan")), "not a finite number"),
    ],
)
def test_limits_on_constants(condition, fragment):
    with pytest.raises(nr.RuleError, match=fragment):
        rule(holds=condition)


def test_lists_of_thousands_of_values_are_accepted():
    codes = tuple(f"code-{i}" for i in range(5000))
    made = rule(holds=nr.In("name", codes))
    assert (
        nr.evaluate(org_data(name="code-4999"), rules=nr.compose([made]), engine="reference").findings_for("local.x")[0].status
        is nr.Status.MET
    )


def test_nesting_beyond_the_limit_is_refused_from_python_and_from_data():
    deep: nr.Condition = nr.Compare("beds", ">=", 1)
    for _ in range(MAX_CONDITION_DEPTH + 1):
        deep = nr.Not(deep)
    with pytest.raises(nr.RuleError, match="nested more than"):
        rule(holds=deep)
    data: dict = {"op": "compare", "path": "beds", "compare": ">=", "value": 1}
    for _ in range(100):
        data = {"op": "not", "of": data}
    text = json.dumps({"rules": [{**RULE_DATA, "holds": data}]})
    with pytest.raises(nr.RulesFileError, match="nested more than"):
        nr.loads_rules(text, format="json")
    inner = json.dumps({"op": "compare", "path": "beds", "compare": ">=", "value": 1})
    hostile = '{"rules": [{"holds": ' + '{"op": "not", "of": ' * 100_000 + inner + "}" * 100_000 + "}]}"
    with pytest.raises(nr.RulesFileError, match="nested too deeply"):
        nr.loads_rules(hostile, format="json")


RULE_DATA = {
    "id": "trust.x",
    "title": "t",
    "level": "should",
    "subject": "organisation",
    "citation": {"document": "Trust policy", "section": "s", "clause": "c", "quote": "q"},
    "holds": {"op": "compare", "path": "beds", "compare": ">=", "value": 1},
    "requirement": "r",
    "remediation": "m",
    "parameters": [{"name": "p", "default": 1, "description": "d", "interpretation": "i"}],
}
FILE_DATA = {
    "source": {"document": "Trust policy"},
    "rules": [RULE_DATA],
    "tailoring": {
        "parameters": [
            {
                "rule": "roles.natssips-lead.time",
                "parameter": "lead_min_sessions_large",
                "value": 1.5,
                "rationale": "r",
                "approved_by": "a",
            }
        ],
        "exclude": [{"rule": "roles.trainees", "rationale": "r", "approved_by": "a"}],
        "levels": [{"rule": "staffing.escalation", "level": "must", "rationale": "r", "approved_by": "a"}],
    },
    "waivers": [{"rule": "roles.site-lead", "justification": "j", "approved_by": "a", "expires": "2026-09-30"}],
}


def test_the_file_template_of_these_tests_is_valid():
    loaded = nr.loads_rules(json.dumps(FILE_DATA), format="json")
    assert [r.id for r in loaded.rules] == ["trust.x"] and len(loaded.waivers) == 1


def _paths(data, here=()):
    """Every (path, value) in a plain document."""
    yield here, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*here, index))


def _replace(data, path, value):
    if not path:
        return value
    copy = json.loads(json.dumps(data))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=3),
    st.lists(st.integers(), min_size=1, max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(["must"]),
    st.just({"param": 1}),
    st.just({"op": ["compare"]}),
)


@given(st.data())
def test_a_rules_file_with_a_wrong_type_anywhere_gives_a_rules_file_error(data):
    """Any field of a valid file replaced by a value of another type: the file loads, or a RulesFileError says where."""
    paths = [p for p, _ in _paths(FILE_DATA)]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(WRONG_VALUES)
    damaged = _replace(FILE_DATA, path, value)
    note(f"{path} = {value!r}")
    for fmt, text in (("json", json.dumps(damaged)),):
        try:
            nr.loads_rules(text, format=fmt)
        except nr.RulesFileError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)


def test_three_mistakes_in_one_tailoring_entry_are_reported_in_one_round(tmp_path):
    bad = '[[tailoring.levels]]\nrule = 3\nlevel = ["must"]\nrationale = ""\napproved_by = "a"\n'
    with pytest.raises(nr.RulesFileError) as info:
        nr.loads_rules(bad)
    assert {(p.item, p.path) for p in info.value.problems} == {
        ("tailoring.levels[0]", "rule"),
        ("tailoring.levels[0]", "level"),
        ("tailoring.levels[0]", "rationale"),
    }


def test_a_malformed_level_in_a_file_is_a_rules_file_error_from_the_cli(tmp_path, capsys):
    from natssips_rules.cli import main

    path = tmp_path / "bad.toml"
    path.write_text('[[tailoring.levels]]\nrule = "staffing.escalation"\nlevel = ["must"]\nrationale = "r"\napproved_by = "a"\n')
    assert main(["check", str(path)]) == 2
    assert main(["evaluate", "examples/brookfield-day-surgery.json", "--rules", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "tailoring.levels[0], at 'level'" in err


def test_the_digest_does_not_depend_on_where_a_file_was_read_from(tmp_path):
    here = nr.load_rules_file("examples/northvale-tailoring.toml").ruleset()
    copy = tmp_path / "elsewhere" / "t.toml"
    copy.parent.mkdir()
    shutil.copy("examples/northvale-tailoring.toml", copy)
    there = nr.load_rules_file(copy).ruleset()
    via_dots = nr.load_rules_file(pathlib.Path("..") / pathlib.Path.cwd().name / "examples/northvale-tailoring.toml").ruleset()
    assert here.digest == there.digest == via_dots.digest
    assert [r.source for r in here.tailoring] != [r.source for r in there.tailoring]  # the sources still say where


def test_waivers_from_a_file_apply_whichever_way_it_is_loaded():
    facts = "examples/northvale-large-trust.json"
    ruleset = nr.load_rules_file("examples/northvale-tailoring.toml").ruleset()
    from_python = nr.evaluate(nr.load_facts(pathlib.Path(facts)), rules=ruleset)
    from natssips_rules.cli import main

    assert from_python.summary.overall["waived"] == 2
    assert len(from_python.waivers) == len(ruleset.waivers) == 3
    assert (
        main(["evaluate", facts, "--rules", "examples/northvale-tailoring.toml", "--format", "json", "--output", "/dev/null"])
        == 0
    )


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_RULES_FILE_BYTES + 10))
    start = time.perf_counter()
    with pytest.raises(nr.RulesFileError, match="larger than"):
        nr.load_rules_file(path)
    assert time.perf_counter() - start < 5


def test_more_entries_than_the_limit_are_refused_before_any_is_checked():
    text = json.dumps({"rules": [{}] * (MAX_RULES_PER_FILE + 1)})
    with pytest.raises(nr.RulesFileError) as info:
        nr.loads_rules(text, format="json")
    assert len(info.value.problems) == 1 and "at most 5,000" in str(info.value)


def test_error_output_is_capped_but_every_problem_is_kept():
    text = json.dumps({"rules": [{}] * 300})
    with pytest.raises(nr.RulesFileError) as info:
        nr.loads_rules(text, format="json")
    assert len(info.value.problems) > 300
    assert str(info.value).count("\n") <= 52 and "more" in str(info.value)


def test_check_refuses_a_rules_file_bomb_without_reading_it(tmp_path):
    """18 MB of empty rules (once 16.5 GB and 182 s): refused for its size, in little memory and time, with a short message."""
    import subprocess
    import sys

    bomb = tmp_path / "bomb.json"
    bomb.write_text('{"rules": [' + ",".join(["{}"] * 6_000_000) + "]}")
    toml = tmp_path / "bomb.toml"
    toml.write_text("[[rules]]\n" * 2_000_000)
    # The child measures its own peak: VmHWM belongs to the memory of the program now running. (ru_maxrss would
    # not do: Linux carries it over from this test process, which may be large, across fork and exec.)
    runner = (
        "import re, sys\n"
        "from natssips_rules.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "status = open('/proc/self/status').read() if sys.platform == 'linux' else 'VmHWM: 0 kB'\n"
        "print('peak-kb', re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
        "sys.exit(code)\n"
    )
    for path in (bomb, toml):
        done = subprocess.run([sys.executable, "-c", runner, "check", str(path)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2
        assert "the file is larger than 10,485,760 bytes" in done.stderr and len(done.stderr) < 500
        peak = int(done.stdout.split("peak-kb")[1].split()[0])
        assert peak < 200_000, f"{peak} KB"  # the 18 MB file is never parsed


def test_a_parameter_value_beyond_the_limits_is_a_rules_file_error_naming_the_parameter():
    """A parameter's default (or value) beyond the largest number a rule may use: the file's error, not a RuleError."""
    import tomllib

    data = tomllib.loads(pathlib.Path("examples/northvale-local-rules.toml").read_text())
    rule = next(r for r in data["rules"] if r.get("parameters"))
    rule["parameters"][0]["default"] = 1_000_000_000_000_001.0
    with pytest.raises(nr.RulesFileError) as info:
        nr.loads_rules(json.dumps(data), format="json")
    [problem] = info.value.problems
    assert (problem.item, problem.path) == (f"rule {rule['id']!r}", "parameters[0].default")
