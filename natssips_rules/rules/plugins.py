"""Rules from installed packages: the ``natssips_rules.rules.model`` entry point group.

A package contributes rules by declaring, in its ``pyproject.toml``::

    [project.entry-points."natssips_rules.rules.model"]
    northvale = "northvale_natssips:local_rules"

where ``local_rules`` is a function taking no arguments and returning an
iterable of :class:`~natssips_rules.Rule` (``origin="local"``), or is such an
iterable itself. Entry points are loaded only when asked for
(:func:`load_plugin_rules`, or ``--plugins`` on the command line), since
loading one imports the package's code. The report's ``sources`` record each
contributing distribution and its version.
"""

from collections.abc import Iterable
from importlib import metadata

from natssips_rules.errors import RuleError
from natssips_rules.rules.model import Rule, RuleSet, RuleSource

__all__ = ["ENTRY_POINT_GROUP", "load_plugin_rules"]

ENTRY_POINT_GROUP = "natssips_rules.rules.model"


def load_plugin_rules(group: str = ENTRY_POINT_GROUP) -> tuple[tuple[Rule, ...], tuple[RuleSource, ...]]:
    """The rules every installed entry point of ``group`` contributes, and where each came from.

    Entry points are taken in order of distribution name and entry point name,
    so the rule set does not depend on the order packages were installed in.
    """
    points = sorted(metadata.entry_points(group=group), key=lambda ep: ((ep.dist.name if ep.dist else ""), ep.name))
    rules: list[Rule] = []
    sources: list[RuleSource] = []
    for point in points:
        dist = point.dist
        label = f"entry point {point.name!r} ({point.value})"
        try:
            target = point.load()
            produced = target() if callable(target) and not isinstance(target, RuleSet) else target
            items = list(produced) if isinstance(produced, Iterable) else None
        except Exception as exc:  # a broken plugin is reported, never half-used
            raise RuleError(f"{label} could not be loaded: {type(exc).__name__}: {exc}") from exc
        if items is None or not all(isinstance(item, Rule) for item in items):
            raise RuleError(f"{label} must give an iterable of natssips_rules.Rule (or a function returning one)")
        rules += items
        sources.append(
            RuleSource(
                kind="entry_point",
                name=dist.name if dist else point.name,
                version=dist.version if dist else None,
                rule_ids=[rule.id for rule in items],
            )
        )
    return tuple(rules), tuple(sources)
