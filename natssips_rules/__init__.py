"""natssips-rules: the organisational part of NatSSIPs 2 as checkable rules.

Build or load typed facts about one organisation, evaluate them against the
built-in rules (each citing the verbatim clause it checks), and read the
findings::

    import natssips_rules as nr

    report = nr.evaluate(nr.load_facts(pathlib.Path("facts.json")))

The public API is the list of imports below (under ``TYPE_CHECKING``): type
checkers read it as written, and ``__all__`` and the lazy loading are derived
from it when the package is imported. Each name is loaded when it is first
used, so importing the package stays quick, and what a caller does not use
(batch workers, the durable engine, the report renderers) is never imported.
The subpackages (``nr.facts``, ``nr.rules``, ``nr.report``, ...) are reached
the same way.
"""

import ast
import importlib
from typing import TYPE_CHECKING, Any

from natssips_rules._version import __version__ as __version__

if TYPE_CHECKING:  # the public API: the one list of it
    from natssips_rules.batch import BatchResult as BatchResult, BatchStats as BatchStats, evaluate_lines as evaluate_lines
    from natssips_rules.engine import ENGINES as ENGINES, CompiledRules as CompiledRules, Engine as Engine
    from natssips_rules.errors import (
        AnalysisError as AnalysisError,
        ArgumentError as ArgumentError,
        EngineError as EngineError,
        EngineLimitError as EngineLimitError,
        EngineUnavailableError as EngineUnavailableError,
        FactsError as FactsError,
        FactsProblem as FactsProblem,
        NatssipsRulesError as NatssipsRulesError,
        ReportError as ReportError,
        RuleError as RuleError,
        RuleProblem as RuleProblem,
        RulesFileError as RulesFileError,
        RulesFileProblem as RulesFileProblem,
    )
    from natssips_rules.evaluation import evaluate as evaluate
    from natssips_rules.facts.json_schema import facts_schema as facts_schema
    from natssips_rules.facts.load import dump_facts as dump_facts, load_facts as load_facts
    from natssips_rules.facts.model import (
        Action as Action,
        ActionState as ActionState,
        Assurance as Assurance,
        Board as Board,
        EscalationProcedure as EscalationProcedure,
        EvidenceRef as EvidenceRef,
        IntelligenceSource as IntelligenceSource,
        Nation as Nation,
        NatssipsLead as NatssipsLead,
        Organisation as Organisation,
        OrganisationKind as OrganisationKind,
        PatientSafetySpecialists as PatientSafetySpecialists,
        Person as Person,
        Profession as Profession,
        PublicAccount as PublicAccount,
        Seniority as Seniority,
        Site as Site,
        SiteLead as SiteLead,
        Specialty as Specialty,
        Staffing as Staffing,
        StaffingFactor as StaffingFactor,
        StaffingFactors as StaffingFactors,
        SteeringGroup as SteeringGroup,
        SteeringResponsibility as SteeringResponsibility,
        SupportArea as SupportArea,
    )
    from natssips_rules.report.account import annual_account as annual_account
    from natssips_rules.report.board import render_html as render_html, render_markdown as render_markdown
    from natssips_rules.report.diff import (
        Change as Change,
        ReportDiff as ReportDiff,
        diff_reports as diff_reports,
        render_diff as render_diff,
    )
    from natssips_rules.report.model import (
        Report as Report,
        Summary as Summary,
        UnmatchedAction as UnmatchedAction,
        WaiverOutcome as WaiverOutcome,
    )
    from natssips_rules.report.overview import Overview as Overview, overview as overview
    from natssips_rules.report.questions import Question as Question, questions as questions, questions_json as questions_json
    from natssips_rules.report.template import facts_workbook as facts_workbook
    from natssips_rules.report.text import render_text as render_text
    from natssips_rules.report.xlsx import report_workbook as report_workbook
    from natssips_rules.rules.conditions import (
        AllOf as AllOf,
        AnyOf as AnyOf,
        Compare as Compare,
        Condition as Condition,
        Count as Count,
        Covers as Covers,
        In as In,
        Includes as Includes,
        IsKnown as IsKnown,
        Named as Named,
        Not as Not,
        Option as Option,
        Param as Param,
        Present as Present,
        Sum as Sum,
        WithinDays as WithinDays,
        exists as exists,
        for_all as for_all,
    )
    from natssips_rules.rules.files import RulesFile as RulesFile
    from natssips_rules.rules.findings import (
        EvidenceItem as EvidenceItem,
        Finding as Finding,
        PlannedAction as PlannedAction,
        Reason as Reason,
        Status as Status,
        SubjectRef as SubjectRef,
    )
    from natssips_rules.rules.model import (
        Citation as Citation,
        Footnote as Footnote,
        Level as Level,
        Parameter as Parameter,
        Rule as Rule,
        RuleSet as RuleSet,
        RuleSource as RuleSource,
        SubjectKind as SubjectKind,
        TailoringRecord as TailoringRecord,
        Waiver as Waiver,
    )
    from natssips_rules.rules.tailoring import (
        Exclusion as Exclusion,
        LevelChange as LevelChange,
        ParameterSetting as ParameterSetting,
        Tailoring as Tailoring,
        tailor as tailor,
    )
    from natssips_rules.standards import builtin_rules as builtin_rules
    from natssips_rules.standards.catalogue import CatalogueEntry as CatalogueEntry, catalogue as catalogue
    from natssips_rules.standards.local import (
        compose as compose,
        compose_files as compose_files,
        load_plugin_rules as load_plugin_rules,
        load_rules_file as load_rules_file,
        loads_rules as loads_rules,
    )


def _exports() -> dict[str, str]:
    """Each public name and the module defining it, read from the ``TYPE_CHECKING`` imports above."""
    with open(__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names if node.module
    }


#: Where each public name is defined.
_EXPORTS: dict[str, str] = _exports()
#: The subpackages and modules reached as attributes (``nr.facts``), imported when first used.
_SUBMODULES = frozenset(
    {"analysis", "batch", "engine", "errors", "evaluation", "facts", "report", "rules", "standards", "testing"}
)

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"natssips_rules.{name}")
    else:
        raise AttributeError(f"module 'natssips_rules' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
