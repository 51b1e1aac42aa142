"""Every public function, given arguments of the wrong type, raises the library's own error, naming the argument.

An integrator's mistake (a list where a RuleSet goes, a dict where a Report
goes, bytes where a path goes) is never an AttributeError from deep inside.
"""

import inspect

import pytest

import natssips_rules as nr

WRONG = [None, 1, 2.5, True, object(), [], {}, b"\xff\xfe", "not json {", ("tuple",), {"findings": {}}, [object()]]
FUNCTIONS = sorted(name for name in nr.__all__ if inspect.isfunction(getattr(nr, name)))


def calls(name):
    function = getattr(nr, name)
    parameters = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    for target in parameters:
        for wrong in WRONG:
            kwargs = {p.name: wrong for p in parameters if p.default is p.empty}
            kwargs[target.name] = wrong
            if name == "evaluate_lines":
                kwargs.setdefault("jobs", 0)  # no worker processes for a type check
            yield target.name, wrong, kwargs


@pytest.mark.parametrize("name", FUNCTIONS)
def test_wrong_types_give_the_library_s_own_error(name):
    function = getattr(nr, name)
    tried = 0
    for argument, wrong, kwargs in calls(name):
        tried += 1
        try:
            result = function(**kwargs)
            if inspect.isgenerator(result) or hasattr(result, "__next__"):
                list(result)
        except nr.NatssipsRulesError:
            pass
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{name}({argument}={wrong!r}) raised {type(exc).__name__}: {exc}")
    assert tried or not inspect.signature(function).parameters


def test_a_wrong_argument_is_named():
    with pytest.raises(nr.ArgumentError, match=r"^rules: expected a RuleSet"):
        nr.evaluate("examples/brookfield-day-surgery.json", rules=[])
    with pytest.raises(nr.ArgumentError, match=r"^report: expected Report"):
        nr.render_text({"findings": []})
    with pytest.raises(nr.ArgumentError, match=r"^engine: unknown engine 'fast'"):
        nr.evaluate("examples/brookfield-day-surgery.json", engine="fast")


def test_a_rules_file_object_is_evaluated_with_its_waivers():
    rules_file = nr.load_rules_file("examples/northvale-tailoring.toml")
    report = nr.evaluate("examples/northvale-large-trust.json", rules=rules_file)
    assert report.summary.overall["waived"] == 2
    assert report == nr.evaluate("examples/northvale-large-trust.json", rules=rules_file.ruleset())
