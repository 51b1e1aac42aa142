"""natssips-rules: the organisational part of NatSSIPs 2 as checkable rules.

Load typed facts about one organisation, evaluate them against the built-in
rules (each citing the verbatim clause it checks), and read the findings.
"""

from natssips_rules._version import __version__
from natssips_rules.batch import evaluate_lines
from natssips_rules.errors import (
    EngineError,
    FactsError,
    FactsProblem,
    NatssipsRulesError,
    RuleError,
    RulesFileError,
    RulesFileProblem,
)
from natssips_rules.evaluate import evaluate
from natssips_rules.facts.json_schema import facts_schema
from natssips_rules.facts.load import dump_facts, load_facts
from natssips_rules.facts.model import Organisation
from natssips_rules.report.account import annual_account
from natssips_rules.report.board import render_html, render_markdown
from natssips_rules.report.diff import diff_reports
from natssips_rules.report.model import EvidenceItem, Finding, Report, Status, SubjectRef, Summary, WaiverOutcome
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
    Not,
    Option,
    Param,
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
)
from natssips_rules.rules.plugins import load_plugin_rules
from natssips_rules.rules.tailoring import Exclusion, LevelChange, ParameterSetting, Tailoring, Waiver, compose
from natssips_rules.standards import CatalogueEntry, builtin_rules, catalogue

__all__ = [
    "AllOf",
    "AnyOf",
    "CatalogueEntry",
    "Citation",
    "Compare",
    "Condition",
    "Count",
    "Covers",
    "EngineError",
    "EvidenceItem",
    "Exclusion",
    "FactsError",
    "FactsProblem",
    "Finding",
    "Footnote",
    "In",
    "Includes",
    "IsKnown",
    "Level",
    "LevelChange",
    "NatssipsRulesError",
    "Not",
    "Option",
    "Organisation",
    "Param",
    "Parameter",
    "ParameterSetting",
    "Report",
    "Rule",
    "RuleError",
    "RuleSet",
    "RuleSource",
    "RulesFile",
    "RulesFileError",
    "RulesFileProblem",
    "Status",
    "SubjectKind",
    "SubjectRef",
    "Summary",
    "Tailoring",
    "TailoringRecord",
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
    "for_all",
    "load_facts",
    "load_plugin_rules",
    "load_rules_file",
    "loads_rules",
    "render_html",
    "render_markdown",
]
