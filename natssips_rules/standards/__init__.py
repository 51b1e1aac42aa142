"""The standard's organisational sections as rules: one module per section.

``roles`` is "Roles For NatSSIPs Delivery, Implementation and Sustainment";
``staffing`` is "Invasive Area Staffing and Resources". :func:`catalogue`
lists every passage of both, with the rules that check it.
"""

import functools

from natssips_rules._version import __version__
from natssips_rules.rules.model import RuleSet, RuleSource

from . import roles, staffing
from .catalogue import CatalogueEntry, catalogue

__all__ = ["CatalogueEntry", "builtin_rules", "catalogue", "roles", "staffing"]


@functools.cache
def builtin_rules() -> RuleSet:
    """The built-in rule set: every encoded clause of NatSSIPs 2, in source order.

    The set is immutable; the same object is returned on every call, so its
    compiled engine form is built once.
    """
    rules = (*roles.rules(), *staffing.rules())
    source = RuleSource(kind="builtin", name="natssips-rules", version=__version__, rule_ids=[r.id for r in rules])
    return RuleSet(rules, sources=[source])
