"""The public API: what is exported, and the contracts of the main entry points."""

import inspect

import pytest

import natssips_rules as nr

#: Reviewed out of the top level: internal to the facts model or the engine registry (each still importable from
#: its own module), so an integrator meets the facts, evaluate, the report, the errors and the extension points.
NOT_EXPORTED = {
    "FieldSpec",
    "DEFAULT_ENGINE",
    "Decisions",
    "Context",
    "check_decisions",
    "compiled",
    "get_engine",
    "EMPTY_LIST_ID",
    "build_report",
    "ruleset_of",
    "PathError",
    "ConditionDataError",
    "JSONTextError",
}


def test_every_facts_class_and_enumeration_is_exported():
    """What an integrator needs to build facts in Python is importable from the package and from natssips_rules.facts."""
    import enum

    import attrs

    from natssips_rules import facts

    classes = {name for name in facts.__all__ if isinstance(getattr(facts, name), type)}
    model_classes = {
        name
        for name, value in vars(facts.model).items()
        if isinstance(value, type)
        and value.__module__ == facts.model.__name__
        and (attrs.has(value) or issubclass(value, enum.Enum))
        and not name.startswith("_")
    }
    assert model_classes <= classes
    assert classes - NOT_EXPORTED <= set(nr.__all__)


def test_importing_the_package_imports_neither_the_durable_engine_nor_multiprocessing():
    import subprocess
    import sys

    code = "import sys, natssips_rules as nr; nr.evaluate; print(sorted(m for m in ('durable_rules_engine', 'multiprocessing') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _typing_imports() -> dict[str, str]:
    """The one list of the public API, as written: the package's ``TYPE_CHECKING`` imports (name -> module)."""
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(nr.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    found: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module, ast.unparse(node)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} is re-exported under its own name (for type checkers)"
            assert alias.name not in found, f"{alias.name} is listed twice"
            found[alias.name] = node.module
    return found


def test_all_is_derived_from_the_one_list_and_every_name_is_what_its_module_defines():
    import importlib

    listed = _typing_imports()
    assert nr.__all__ == sorted([*listed, "__version__"])
    assert len(listed) >= 100  # the facts model, the rule language, the report, the errors, the entry points
    for name, module in listed.items():
        assert getattr(nr, name) is getattr(importlib.import_module(module), name), name
        assert not name.startswith("_"), name
    assert not NOT_EXPORTED & set(nr.__all__)


def test_subpackages_are_attributes_and_unknown_names_are_refused():
    import natssips_rules.facts.model

    assert nr.facts.Organisation is natssips_rules.facts.model.Organisation
    assert nr.rules.model.Rule is nr.Rule and nr.report.model.Report is nr.Report
    with pytest.raises(AttributeError):
        nr.no_such_name  # noqa: B018


def test_errors_derive_from_the_base_and_a_builtin():
    assert issubclass(nr.FactsError, nr.NatssipsRulesError) and issubclass(nr.FactsError, ValueError)
    assert issubclass(nr.RuleError, nr.NatssipsRulesError) and issubclass(nr.RuleError, ValueError)
    assert issubclass(nr.EngineError, nr.NatssipsRulesError) and issubclass(nr.EngineError, RuntimeError)


def test_evaluate_options_are_keyword_only():
    parameters = inspect.signature(nr.evaluate).parameters
    for name in ("rules", "as_of", "engine"):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_builtin_rules_is_immutable_and_the_same_object():
    rules = nr.builtin_rules()
    assert rules is nr.builtin_rules()
    assert isinstance(rules.rules, tuple)
    with pytest.raises(AttributeError):
        rules.rules = ()  # type: ignore[misc]
    for rule in rules:
        assert rule.id and rule.citation.quote and isinstance(rule.level, nr.Level)


def test_a_ruleset_refuses_duplicate_ids():
    rule = nr.builtin_rules().rules[0]
    with pytest.raises(nr.RuleError, match="share"):
        nr.RuleSet([rule, rule])


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        (nr.Compare("bedz", ">=", 1), "no field 'bedz'"),
        (nr.Compare("beds", ">=", "many"), "compare it with a number"),
        (nr.Compare("assurance.to_board", "<", True), "only == and !="),
        (nr.In("kind", ("hospital",)), "not one of"),
        (nr.Compare("beds", ">=", nr.Param("nope")), "unknown parameter 'nope'"),
        (nr.WithinDays("beds", 3), "not a date"),
        (nr.Count("beds", ">=", 1), "count needs a list"),
        (nr.Count("people", ">=", 1, nr.Count("people", ">=", 1)), "cannot be nested"),
        (nr.Compare("board.natssips_portfolio_holder", "==", "p1"), "holds the id of another fact"),
    ],
)
def test_rules_are_checked_against_the_facts_model(condition, fragment):
    """A rule is checked when it is made: the error names the rule and where in it."""
    with pytest.raises(nr.RuleError, match=fragment) as info:
        nr.Rule(
            id="local.bad",
            title="t",
            citation=nr.Citation(document="d", section="s", clause="c", quote="q"),
            level=nr.Level.SHOULD,
            subject=nr.SubjectKind.ORGANISATION,
            holds=condition,
            requirement="r",
            remediation="r",
        )
    assert info.value.rule_id == "local.bad" and info.value.path.startswith("holds")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        nr.evaluate({"id": "o", "name": "n", "kind": "nhs_trust", "nation": "wales", "as_of": "2026-01-01"}, engine="fast")


def test_digest_changes_with_parameters():
    import attrs

    rules = nr.builtin_rules()
    rule = rules["roles.assurance.public-account"]
    changed = attrs.evolve(rule, parameters=(attrs.evolve(rule.parameters[0], default=400),))
    other = nr.RuleSet([changed if r.id == rule.id else r for r in rules])
    assert other.digest != rules.digest
    assert nr.RuleSet(list(rules)).digest == rules.digest


def test_every_library_error_is_of_the_one_family_with_a_builtin_base_and_problems():
    import natssips_rules.errors as errors

    classes = [getattr(errors, name) for name in errors.__all__ if isinstance(getattr(errors, name), type)]
    exceptions = [cls for cls in classes if issubclass(cls, BaseException) and not issubclass(cls, Warning)]
    assert len(exceptions) >= 10
    for cls in exceptions:
        assert issubclass(cls, nr.NatssipsRulesError), cls
        assert cls is nr.NatssipsRulesError or any(
            base.__module__ == "builtins" and base is not object
            for base in cls.__mro__
            if not issubclass(base, nr.NatssipsRulesError)
        ), cls
    assert issubclass(nr.AnalysisError, RuntimeError)
    facts = nr.FactsError([nr.FactsProblem("beds", "expected a whole number")])
    rules = nr.RuleError("bad", rule_id="r")
    assert facts.problems == facts.errors and rules.problems[0].rule_id == "r"
    assert nr.EngineLimitError("too big").problems == ()


@pytest.mark.parametrize(
    ("raised", "status", "words"),
    [
        (lambda: nr.EngineLimitError("too many facts for one durable session"), 2, "too many facts"),
        (lambda: nr.EngineError("lost a fact"), 3, "internal failure"),
        (lambda: nr.AnalysisError("a witness did not reproduce"), 3, "internal failure"),
        (lambda: nr.NatssipsRulesError("anything of the family"), 2, "anything of the family"),
    ],
)
def test_the_cli_catches_the_whole_family(monkeypatch, capsys, raised, status, words):
    import natssips_rules.evaluation as evaluation
    from natssips_rules.cli import main

    def failing(*args, **kwargs):
        raise raised()

    monkeypatch.setattr(evaluation, "evaluate", failing)
    assert main(["evaluate", "examples/brookfield-day-surgery.json"]) == status
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


class _NamedEngine:
    """An engine of an integrator's: the reference engine's decisions under a name of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.compiles = 0

    def compile(self, ruleset):
        self.compiles += 1
        return nr.engine.get_engine("reference").compile(ruleset)


def test_an_engine_may_not_take_the_name_of_one_the_library_ships():
    for name in nr.ENGINES:
        with pytest.raises(nr.ArgumentError, match="library's own"):
            nr.evaluate("examples/brookfield-day-surgery.json", engine=_NamedEngine(name))


def test_compiled_rules_are_kept_per_engine_object_not_per_name():
    rules = nr.compose([])  # a rule set of its own, compiled by nothing yet
    first, second = _NamedEngine("mine"), _NamedEngine("mine")
    for engine in (first, first, second):
        report = nr.evaluate("examples/brookfield-day-surgery.json", rules=rules, engine=engine)
        assert report.engine == "mine"
    assert (first.compiles, second.compiles) == (1, 1)
