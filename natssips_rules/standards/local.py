"""A Trust's own rules, tailoring and waivers, composed with the standard's rules.

These are the public entry points (``natssips_rules.compose``,
``compose_files``, ``load_rules_file``, ``loads_rules``,
``load_plugin_rules``): each works on the built-in rule set unless another
``base`` is given, and always with NatSSIPs' text, so a local rule quoting
NatSSIPs is checked against the standard's own words whatever its base. The
rules layer (:mod:`natssips_rules.rules.tailoring`,
:mod:`~natssips_rules.rules.files`, :mod:`~natssips_rules.rules.plugins`)
does the work on the base it is handed.
"""

import os
from collections.abc import Iterable, Sequence

from natssips_rules._internal import arguments as _args
from natssips_rules.rules import files as _files, plugins as _plugins, tailoring as _tailoring
from natssips_rules.rules.files import RulesFile
from natssips_rules.rules.model import Rule, RuleSet, RuleSource, Waiver
from natssips_rules.rules.plugins import ENTRY_POINT_GROUP
from natssips_rules.rules.tailoring import Tailoring

from .builtin import builtin_rules
from .source import STANDARD

__all__ = ["compose", "compose_files", "load_plugin_rules", "load_rules_file", "loads_rules"]


def _base(base: RuleSet | None) -> RuleSet:
    """The built-in rules, or ``base`` carrying NatSSIPs' text (a rule set made by hand carries none)."""
    if base is None:
        return builtin_rules()
    _args.instance(base, RuleSet, "base")
    if base.standard is not None:
        return base
    return RuleSet(base.rules, tailoring=base.tailoring, sources=base.sources, waivers=base.waivers, standard=STANDARD)


def compose(
    local: Iterable[Rule] = (),
    *,
    tailoring: Tailoring | None = None,
    base: RuleSet | None = None,
    sources: Sequence[RuleSource] = (),
    waivers: Iterable[Waiver] = (),
) -> RuleSet:
    """The effective rule set: ``base`` (the built-in rules by default), tailored, then the local rules, with waivers.

    See :func:`natssips_rules.rules.tailoring.compose`. Waivers given here travel with the rule set: they apply
    to every organisation evaluated with it (a waiver naming a ``subject`` applies to that subject only).
    """
    return _tailoring.compose(local, tailoring=tailoring, base=_base(base), sources=sources, waivers=waivers)


def compose_files(
    files: Sequence[RulesFile],
    *,
    base: RuleSet | None = None,
    extra: Iterable[Rule] = (),
    extra_sources: Sequence[RuleSource] = (),
) -> RuleSet:
    """The effective rule set of several rules files (and rules from elsewhere, e.g. entry points), on ``base``
    (the built-in rules by default). See :func:`natssips_rules.rules.files.compose_files`."""
    return _files.compose_files(files, base=_base(base), extra=extra, extra_sources=extra_sources)


def loads_rules(text: str | bytes, *, format: str = "toml", source: str = "<string>", base: RuleSet | None = None) -> RulesFile:
    """Parse and check a rules file's text (``format`` is ``"toml"`` or ``"json"``) against ``base`` (the built-in
    rules by default). See :func:`natssips_rules.rules.files.loads_rules`."""
    return _files.loads_rules(text, format=format, source=source, base=_base(base))


def load_rules_file(path: str | os.PathLike[str], *, base: RuleSet | None = None) -> RulesFile:
    """Read and check a rules file (``.toml`` or ``.json``) against ``base`` (the built-in rules by default).
    See :func:`natssips_rules.rules.files.load_rules_file`."""
    return _files.load_rules_file(path, base=_base(base))


def load_plugin_rules(
    group: str = ENTRY_POINT_GROUP, *, base: RuleSet | None = None
) -> tuple[tuple[Rule, ...], tuple[RuleSource, ...]]:
    """The rules every installed entry point of ``group`` contributes, and where each came from; a plugin that
    changes a rule of ``base`` (the built-in rules by default) is refused. See
    :func:`natssips_rules.rules.plugins.load_plugin_rules`."""
    return _plugins.load_plugin_rules(base=_base(base), group=group)
