"""The standard's organisational sections as rules: one module per section.

``roles`` is "Roles For NatSSIPs Delivery, Implementation and Sustainment";
``staffing`` is "Invasive Area Staffing and Resources". :func:`builtin_rules`
is the rule set of both; :func:`catalogue` lists every passage of both, with
the rules that check it; :mod:`.local` composes a Trust's own rules, tailoring
and waivers with them.
"""

from . import roles, staffing
from .builtin import builtin_rules
from .catalogue import CatalogueEntry, catalogue

__all__ = ["CatalogueEntry", "builtin_rules", "catalogue", "roles", "staffing"]
