"""The standard's organisational sections as rules: one module per section."""

import functools

from natssips_rules.rules import RuleSet

from . import roles

__all__ = ["builtin_rules", "roles"]


@functools.cache
def builtin_rules() -> RuleSet:
    """The built-in rule set: every encoded clause of NatSSIPs 2, in source order.

    The set is immutable; the same object is returned on every call, so its
    compiled engine form is built once.
    """
    return RuleSet(roles.rules())
