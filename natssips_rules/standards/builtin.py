"""The built-in rule set: every encoded clause of NatSSIPs 2, with the standard's text it cites."""

import functools

from natssips_rules._version import __version__
from natssips_rules.rules.model import RuleSet, RuleSource

from . import roles, staffing
from .source import STANDARD

__all__ = ["builtin_rules"]


@functools.cache
def builtin_rules() -> RuleSet:
    """The built-in rule set: every encoded clause of NatSSIPs 2, in source order.

    The set is immutable; the same object is returned on every call, so its
    compiled engine form is built once. It carries the standard's text
    (:data:`~natssips_rules.standards.source.STANDARD`), against which a local
    rule quoting NatSSIPs is checked.
    """
    rules = (*roles.rules(), *staffing.rules())
    source = RuleSource(kind="builtin", name="natssips-rules", version=__version__, rule_ids=[r.id for r in rules])
    return RuleSet(rules, sources=[source], standard=STANDARD)
