"""Rules from installed packages: the ``natssips_rules.rules`` entry point group.

A package contributes rules by declaring, in its ``pyproject.toml``::

    [project.entry-points."natssips_rules.rules"]
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

ENTRY_POINT_GROUP = "natssips_rules.rules"


def load_plugin_rules(*, base: RuleSet, group: str = ENTRY_POINT_GROUP) -> tuple[tuple[Rule, ...], tuple[RuleSource, ...]]:
    """The rules every installed entry point of ``group`` contributes, and where each came from.

    Entry points are taken in order of distribution name and entry point name,
    so the rule set does not depend on the order packages were installed in.
    Each plugin's rules get the checks a rules file's get (when the rule set
    is composed: ids, origin, verbatim NatSSIPs quotes, limits). A plugin that
    fails in any way when loaded or called (``SystemExit`` included; Ctrl-C
    aside) is a ``RuleError`` naming it, and so is a plugin that changes a
    built-in rule: the built-in rule set is checked against its content after
    each plugin runs.
    """
    points = sorted(metadata.entry_points(group=group), key=lambda ep: ((ep.dist.name if ep.dist else ""), ep.name))
    rules: list[Rule] = []
    sources: list[RuleSource] = []
    builtin = base
    for point in points:
        dist = point.dist
        label = f"the plugin {point.name!r} ({point.value}" + (f", from {dist.name} {dist.version})" if dist else ")")
        try:
            target = point.load()
            produced = target() if callable(target) and not isinstance(target, RuleSet) else target
            items = list(produced) if isinstance(produced, Iterable) and not isinstance(produced, (str, bytes)) else None
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a broken plugin (even one calling sys.exit) is reported, never half-used
            raise RuleError(f"{label} failed when loaded: {type(exc).__name__}: {exc}", key="plugin") from None
        try:
            builtin.verify()
        except RuleError:
            raise RuleError(f"{label} changed a built-in rule of NatSSIPs; it is refused", key="plugin") from None
        if items is None or not all(isinstance(item, Rule) for item in items):
            raise RuleError(f"{label} must give an iterable of natssips_rules.Rule (or a function returning one)", key="plugin")
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
