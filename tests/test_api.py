"""The public API: what is exported, and the contracts of the main entry points."""

import inspect

import pytest

import natssips_rules as nr

EXPECTED = {
    "AllOf", "AnyOf", "Citation", "Compare", "Condition", "Count", "EngineError", "EvidenceItem", "FactsError",
    "FactsProblem", "Finding", "Footnote", "In", "Includes", "IsKnown", "Level", "NatssipsRulesError", "Not",
    "Organisation", "Param", "Parameter", "Report", "Rule", "RuleError", "RuleSet", "Status", "SubjectKind", "SubjectRef",
    "Summary", "WithinDays", "__version__", "builtin_rules", "dump_facts", "evaluate", "exists", "for_all", "load_facts",
    "CatalogueEntry", "Covers", "Option", "catalogue",
    "RulesFileError", "RulesFileProblem", "load_plugin_rules", "WaiverOutcome", "UnmatchedAction", "RuleSource", "TailoringRecord",
    "RulesFile", "compose_files", "load_rules_file", "loads_rules", "Exclusion", "LevelChange", "ParameterSetting",
    "Tailoring", "Waiver", "compose",
    "evaluate_lines", "render_html", "render_markdown", "annual_account", "diff_reports", "facts_schema",
    "ArgumentError", "ReportError", "RuleProblem", "Named", "BatchStats", "PlannedAction", "render_text", "ReportDiff", "facts_workbook", "report_workbook",
    "Change", "render_diff", "Engine", "CompiledRules", "ENGINES", "DEFAULT_ENGINE",
    "BatchResult", "EngineLimitError", "Reason", "Question", "questions", "questions_json", "Present", "Sum", "tailor",
    # the facts model, for building facts in Python
    "Action", "ActionState", "Assurance", "Board", "EscalationProcedure", "EvidenceRef", "IntelligenceSource", "Nation",
    "NatssipsLead", "OrganisationKind", "PatientSafetySpecialists", "Person", "Profession", "PublicAccount", "Seniority",
    "Site", "SiteLead", "Specialty", "Staffing", "StaffingFactor", "StaffingFactors", "SteeringGroup",
    "SteeringResponsibility", "SupportArea", "FieldSpec",
}


def test_every_facts_class_and_enumeration_is_exported():
    """What an integrator needs to build facts in Python is importable from the package and from natssips_rules.facts."""
    import enum

    import attrs

    from natssips_rules import facts

    classes = {name for name in facts.__all__ if isinstance(getattr(facts, name), type)}
    model_classes = {
        name for name, value in vars(facts.model).items()
        if isinstance(value, type) and value.__module__ == facts.model.__name__
        and (attrs.has(value) or issubclass(value, enum.Enum)) and not name.startswith("_")
    }
    assert model_classes <= classes
    assert classes <= set(nr.__all__)


def test_importing_the_package_imports_neither_the_durable_engine_nor_multiprocessing():
    import subprocess
    import sys

    code = "import sys, natssips_rules as nr; nr.evaluate; print(sorted(m for m in ('durable_rules_engine', 'multiprocessing') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_all_is_sorted_and_complete():
    assert len(nr.__all__) == len(set(nr.__all__))  # sorted as ruff sorts it (RUF022): constants, classes, functions
    assert set(nr.__all__) == EXPECTED
    for name in nr.__all__:
        assert hasattr(nr, name), name


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
