"""Rules from installed packages: the ``natssips_rules.rules`` entry point group.

A package contributes rules by declaring, in its ``pyproject.toml``::

    [project.entry-points."natssips_rules.rules"]
    northvale = "northvale_natssips:local_rules"

where ``local_rules`` is a function taking no arguments and returning an
iterable of :class:`~natssips_rules.Rule` (``origin="local"``), or is such an
iterable itself. Entry points are loaded only when asked for
(:func:`load_plugin_rules`, or ``--plugins`` on the command line), since
loading one imports the package's code.

**A plugin is trusted code running in the host**, with every power the host
has. What this module can do is tell the truth about it: the report's
``sources`` list every plugin loaded (even one that contributes no rule) with
its distribution's name, version and a digest of its files; and the library's
own modules are checked after each plugin runs (and again by the command line
after evaluating): a plugin that replaced a function, class, method or table
of the library (``build_report``, an engine, an operator) is refused, so it
cannot turn findings to *met* behind an unchanged rule-set digest.
"""

import hashlib
import importlib
import pathlib
import pkgutil
import sys
import types
from collections.abc import Iterable, Iterator
from importlib import metadata
from typing import Any

from natssips_rules.errors import RuleError
from natssips_rules.rules.model import Rule, RuleSet, RuleSource

__all__ = ["ENTRY_POINT_GROUP", "load_plugin_rules", "verify_library"]

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
    watch = _watch() if points else None
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
        assert watch is not None
        altered = watch.altered()
        if altered:
            raise RuleError(
                f"{label} replaced {altered} of the library natssips_rules; it is refused (a plugin may add rules, "
                "never change how they are judged or reported)",
                key="plugin",
            )
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
                digest=files_digest(dist, point),
            )
        )
    return tuple(rules), tuple(sources)


def verify_library() -> None:
    """Raise ``RuleError`` if a module of the library was altered since plugins were last loaded (no-op before that).

    :func:`load_plugin_rules` checks after each plugin runs; call this again
    after evaluating, to catch a plugin that alters the library later (from a
    thread, or when its rules are first used).
    """
    watch = _WATCHES.get("library")
    if watch is not None:
        altered = watch.altered()
        if altered:
            raise RuleError(
                f"{altered} of the library natssips_rules was replaced after plugins were loaded; the report "
                "would not be the library's own: it is refused",
                key="plugin",
            )


# --------------------------------------------------------------------------
# what a plugin is: its files


def files_digest(dist: Any, point: metadata.EntryPoint) -> str:
    """``sha256:<hex>`` of a plugin's files: those its distribution's RECORD lists, and the module (or package) its
    entry point names, wherever it was imported from (an editable install's RECORD lists no code). Each file counts by
    its name (relative to where it was installed) and its bytes; compiled ``__pycache__`` files and RECORD itself are
    left out, being made again by each installation. A file listed but missing counts as missing."""
    named: dict[str, pathlib.Path] = {}
    for listed in (dist.files or ()) if dist is not None else ():
        if "__pycache__" in listed.parts or listed.suffix == ".pyc" or listed.name == "RECORD":
            continue
        named.setdefault(str(listed.as_posix()), pathlib.Path(str(dist.locate_file(listed))))
    for name, path in _module_files(point.module):
        named.setdefault(name, path)
    digest = hashlib.sha256()
    for name in sorted(named):
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with named[name].open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            digest.update(b"\0missing")
        digest.update(b"\0")
    return f"sha256:{digest.hexdigest()}"


def _module_files(module_name: str) -> Iterator[tuple[str, pathlib.Path]]:
    """The source files of the top-level module or package an entry point's module belongs to, named from its root."""
    top = sys.modules.get(module_name.split(".")[0])
    if top is None:
        return
    paths = list(getattr(top, "__path__", ()) or ())
    file = getattr(top, "__file__", None)
    if not paths and file:
        path = pathlib.Path(file)
        yield path.name, path
        return
    for folder in map(pathlib.Path, paths):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                yield (pathlib.Path(folder.name) / path.relative_to(folder)).as_posix(), path


# --------------------------------------------------------------------------
# the library's own modules, checked for replacement


class _Watch:
    """What the library's modules hold, by identity, just before plugins load; :meth:`altered` names a change.

    Every module of the package is imported first (so a module a plugin
    imports is known as it was), and the package's lazily exported names are
    bound. Checked: a module replaced in ``sys.modules``; a module attribute
    rebound or deleted; a function's code, defaults or closure replaced; a
    class's method, property or other descriptor (not the data kept on it: a
    counter, annotations) rebound, added or deleted; a
    module-level list, set or tuple changed, or a dict's entry replaced (new
    entries are what the library's caches add, and one dropped is what they
    evict).
    """

    def __init__(self) -> None:
        import natssips_rules

        for info in pkgutil.walk_packages(natssips_rules.__path__, "natssips_rules.", onerror=lambda name: None):
            if info.name not in _NOT_WATCHED:
                try:
                    importlib.import_module(info.name)
                except ImportError:  # needs an extra that is not installed: a plugin cannot import it either
                    continue
        for name in natssips_rules.__all__:
            getattr(natssips_rules, name)
        self.modules = {name: module for name, module in sys.modules.items() if _ours(name)}
        self.prints = {name: _module_print(module) for name, module in self.modules.items()}

    def altered(self) -> str:
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                return f"the module {name}"
            before = self.prints[name]
            now = vars(module)
            for attribute, mark in before.items():
                if attribute not in now:
                    return f"{name}.{attribute} (deleted)"
                if _print(now[attribute], name) != mark and not _grown_cache(mark, _print(now[attribute], name)):
                    return f"{name}.{attribute}"
        return ""


_NOT_WATCHED = {"natssips_rules.__main__", "natssips_rules.testing"}
#: The watch made when plugins were last loaded (in a table, not a rebound global: the table is watched too).
_WATCHES: dict[str, _Watch] = {}


def _watch() -> _Watch:
    """A new watch: the library as it is now, just before plugins load (what the host did to it before is its own)."""
    _WATCHES.pop("library", None)  # taken out before the new watch looks at the table: then only added, which may be
    watch = _WATCHES["library"] = _Watch()
    return watch


def _ours(name: str) -> bool:
    return name == "natssips_rules" or name.startswith("natssips_rules.")


def _module_print(module: types.ModuleType) -> dict[str, Any]:
    return {attribute: _print(value, module.__name__) for attribute, value in vars(module).items()}


def _function_print(function: types.FunctionType) -> tuple[Any, ...]:
    cells = tuple(id(cell.cell_contents) if _filled(cell) else None for cell in function.__closure__ or ())
    return ("function", id(function), id(function.__code__), id(function.__defaults__), id(function.__kwdefaults__), cells)


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _print(value: Any, module: str) -> Any:
    """What is compared: identities, and for the library's functions, classes and module-level tables, what they hold."""
    if isinstance(value, types.FunctionType):
        return _function_print(value)
    if isinstance(value, type) and _ours(getattr(value, "__module__", "")):
        members = tuple(
            (key, _function_print(member) if isinstance(member, types.FunctionType) else id(member))
            for key, member in vars(value).items()
            # its behaviour (methods, properties, other descriptors), not the data a class or Python keeps on it (a counter
            # of instances, the annotations Python makes when first asked)
            if callable(member) or hasattr(type(member), "__get__")
            if key not in ("__weakref__", "__dict__", "_abc_impl")
        )
        return ("class", id(value), members)
    if isinstance(value, dict):
        return ("dict", id(value), {id(key): id(item) for key, item in value.items()})
    if isinstance(value, (list, set, frozenset, tuple)):
        return (type(value).__name__, id(value), tuple(id(item) for item in value))
    return ("object", id(value))


def _grown_cache(before: Any, now: Any) -> bool:
    """A dict whose entries were added or dropped, none replaced: what a cache does."""
    if not (isinstance(before, tuple) and before[0] == "dict" and isinstance(now, tuple) and now[0] == "dict"):
        return False
    if before[1] != now[1]:
        return False
    return all(now[2].get(key, item) == item for key, item in before[2].items())
