"""The evaluation: decide (an engine), then explain (evidence, reasons, questions), apply waivers and assemble the report.

The engines only decide a status per rule and subject; everything a finding
says beyond its status is worked out here, the same whichever engine decided.
"""

from .assemble import EMPTY_LIST_ID, build_report
from .run import evaluate, ruleset_of

__all__ = ["EMPTY_LIST_ID", "build_report", "evaluate", "ruleset_of"]
