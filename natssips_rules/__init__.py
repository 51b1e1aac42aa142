"""natssips-rules: the organisational part of NatSSIPs 2 as checkable rules.

Build or load typed facts about one organisation, evaluate them against the
built-in rules (each citing the verbatim clause it checks), and read the
findings::

    import natssips_rules as nr

    report = nr.evaluate(nr.load_facts(pathlib.Path("facts.json")))

Every name in ``__all__`` is importable from here. Each is loaded when it is
first used, so importing the package stays quick, and what a caller does not
use (batch workers, the durable engine, the report renderers) is never
imported.
"""

import importlib
from typing import TYPE_CHECKING, Any

from natssips_rules._version import __version__

if TYPE_CHECKING:  # the same names, for type checkers and readers
    from natssips_rules.batch import BatchResult, BatchStats, evaluate_lines
    from natssips_rules.engine import DEFAULT_ENGINE, ENGINES, CompiledRules, Engine
    from natssips_rules.errors import (
        ArgumentError,
        EngineError,
        EngineLimitError,
        FactsError,
        FactsProblem,
        NatssipsRulesError,
        ReportError,
        RuleError,
        RuleProblem,
        RulesFileError,
        RulesFileProblem,
    )
    from natssips_rules.evaluation import evaluate
    from natssips_rules.facts.json_schema import facts_schema
    from natssips_rules.facts.load import dump_facts, load_facts
    from natssips_rules.facts.model import (
        Action,
        ActionState,
        Assurance,
        Board,
        EscalationProcedure,
        EvidenceRef,
        FieldSpec,
        IntelligenceSource,
        Nation,
        NatssipsLead,
        Organisation,
        OrganisationKind,
        PatientSafetySpecialists,
        Person,
        Profession,
        PublicAccount,
        Seniority,
        Site,
        SiteLead,
        Specialty,
        Staffing,
        StaffingFactor,
        StaffingFactors,
        SteeringGroup,
        SteeringResponsibility,
        SupportArea,
    )
    from natssips_rules.facts.xlsx import facts_workbook
    from natssips_rules.report.account import annual_account
    from natssips_rules.report.board import render_html, render_markdown
    from natssips_rules.report.diff import Change, ReportDiff, diff_reports, render_diff
    from natssips_rules.report.model import (
        EvidenceItem,
        Finding,
        PlannedAction,
        Reason,
        Report,
        Status,
        SubjectRef,
        Summary,
        UnmatchedAction,
        WaiverOutcome,
    )
    from natssips_rules.report.questions import Question, questions, questions_json
    from natssips_rules.report.text import render_text
    from natssips_rules.report.xlsx import report_workbook
    from natssips_rules.rules.conditions import (
        AllOf,
        AnyOf,
        Compare,
        Condition,
        Count,
        Covers,
        In,
        Includes,
        IsKnown,
        Named,
        Not,
        Option,
        Param,
        Present,
        Sum,
        WithinDays,
        exists,
        for_all,
    )
    from natssips_rules.rules.files import RulesFile, compose_files, load_rules_file, loads_rules
    from natssips_rules.rules.model import (
        Citation,
        Footnote,
        Level,
        Parameter,
        Rule,
        RuleSet,
        RuleSource,
        SubjectKind,
        TailoringRecord,
        Waiver,
    )
    from natssips_rules.rules.plugins import load_plugin_rules
    from natssips_rules.rules.tailoring import Exclusion, LevelChange, ParameterSetting, Tailoring, compose, tailor
    from natssips_rules.standards import builtin_rules
    from natssips_rules.standards.catalogue import CatalogueEntry, catalogue

#: Where each public name is defined.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(["BatchResult", "BatchStats", "evaluate_lines"], "natssips_rules.batch"),
    **dict.fromkeys(["DEFAULT_ENGINE", "ENGINES", "CompiledRules", "Engine"], "natssips_rules.engine"),
    **dict.fromkeys(
        [
            "ArgumentError",
            "EngineError",
            "EngineLimitError",
            "FactsError",
            "FactsProblem",
            "NatssipsRulesError",
            "ReportError",
            "RuleError",
            "RuleProblem",
            "RulesFileError",
            "RulesFileProblem",
        ],
        "natssips_rules.errors",
    ),
    "evaluate": "natssips_rules.evaluation",
    "facts_schema": "natssips_rules.facts.json_schema",
    **dict.fromkeys(["dump_facts", "load_facts"], "natssips_rules.facts.load"),
    **dict.fromkeys(
        [
            "Action",
            "ActionState",
            "Assurance",
            "Board",
            "EscalationProcedure",
            "EvidenceRef",
            "FieldSpec",
            "IntelligenceSource",
            "Nation",
            "NatssipsLead",
            "Organisation",
            "OrganisationKind",
            "PatientSafetySpecialists",
            "Person",
            "Profession",
            "PublicAccount",
            "Seniority",
            "Site",
            "SiteLead",
            "Specialty",
            "Staffing",
            "StaffingFactor",
            "StaffingFactors",
            "SteeringGroup",
            "SteeringResponsibility",
            "SupportArea",
        ],
        "natssips_rules.facts.model",
    ),
    "annual_account": "natssips_rules.report.account",
    **dict.fromkeys(["render_html", "render_markdown"], "natssips_rules.report.board"),
    **dict.fromkeys(["Change", "ReportDiff", "diff_reports", "render_diff"], "natssips_rules.report.diff"),
    **dict.fromkeys(
        ["EvidenceItem", "Finding", "PlannedAction", "Reason", "Report", "Status", "SubjectRef", "Summary", "UnmatchedAction", "WaiverOutcome"],
        "natssips_rules.report.model",
    ),
    **dict.fromkeys(["Question", "questions", "questions_json"], "natssips_rules.report.questions"),
    "render_text": "natssips_rules.report.text",
    "facts_workbook": "natssips_rules.facts.xlsx",
    "report_workbook": "natssips_rules.report.xlsx",
    **dict.fromkeys(
        [
            "AllOf",
            "AnyOf",
            "Compare",
            "Condition",
            "Count",
            "Covers",
            "In",
            "Includes",
            "IsKnown",
            "Named",
            "Not",
            "Option",
            "Param",
            "Present",
            "Sum",
            "WithinDays",
            "exists",
            "for_all",
        ],
        "natssips_rules.rules.conditions",
    ),
    **dict.fromkeys(["RulesFile", "compose_files", "load_rules_file", "loads_rules"], "natssips_rules.rules.files"),
    **dict.fromkeys(
        ["Citation", "Footnote", "Level", "Parameter", "Rule", "RuleSet", "RuleSource", "SubjectKind", "TailoringRecord", "Waiver"],
        "natssips_rules.rules.model",
    ),
    "load_plugin_rules": "natssips_rules.rules.plugins",
    **dict.fromkeys(["Exclusion", "LevelChange", "ParameterSetting", "Tailoring", "compose", "tailor"], "natssips_rules.rules.tailoring"),
    **dict.fromkeys(["CatalogueEntry", "builtin_rules", "catalogue"], "natssips_rules.standards"),
}

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Action",
    "ActionState",
    "AllOf",
    "AnyOf",
    "ArgumentError",
    "Assurance",
    "BatchResult",
    "BatchStats",
    "Board",
    "CatalogueEntry",
    "Change",
    "Citation",
    "Compare",
    "CompiledRules",
    "Condition",
    "Count",
    "Covers",
    "Engine",
    "EngineError",
    "EngineLimitError",
    "EscalationProcedure",
    "EvidenceItem",
    "EvidenceRef",
    "Exclusion",
    "FactsError",
    "FactsProblem",
    "FieldSpec",
    "Finding",
    "Footnote",
    "In",
    "Includes",
    "IntelligenceSource",
    "IsKnown",
    "Level",
    "LevelChange",
    "Named",
    "Nation",
    "NatssipsLead",
    "NatssipsRulesError",
    "Not",
    "Option",
    "Organisation",
    "OrganisationKind",
    "Param",
    "Parameter",
    "ParameterSetting",
    "PatientSafetySpecialists",
    "Person",
    "PlannedAction",
    "Present",
    "Profession",
    "PublicAccount",
    "Question",
    "Reason",
    "Report",
    "ReportDiff",
    "ReportError",
    "Rule",
    "RuleError",
    "RuleProblem",
    "RuleSet",
    "RuleSource",
    "RulesFile",
    "RulesFileError",
    "RulesFileProblem",
    "Seniority",
    "Site",
    "SiteLead",
    "Specialty",
    "Staffing",
    "StaffingFactor",
    "StaffingFactors",
    "Status",
    "SteeringGroup",
    "SteeringResponsibility",
    "SubjectKind",
    "SubjectRef",
    "Sum",
    "Summary",
    "SupportArea",
    "Tailoring",
    "TailoringRecord",
    "UnmatchedAction",
    "Waiver",
    "WaiverOutcome",
    "WithinDays",
    "__version__",
    "annual_account",
    "builtin_rules",
    "catalogue",
    "compose",
    "compose_files",
    "diff_reports",
    "dump_facts",
    "evaluate",
    "evaluate_lines",
    "exists",
    "facts_schema",
    "facts_workbook",
    "for_all",
    "load_facts",
    "load_plugin_rules",
    "load_rules_file",
    "loads_rules",
    "questions",
    "questions_json",
    "render_diff",
    "render_html",
    "render_markdown",
    "render_text",
    "report_workbook",
    "tailor",
]

assert set(__all__) == {*_EXPORTS, "__version__"}, "every export has a home, and only exports are listed"


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'natssips_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
