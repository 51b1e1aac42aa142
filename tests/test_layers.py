"""The package's layering, read from its own imports (every import, at module level or inside a function).

Layers, from the foundation up; a module imports only from its own layer or those below it:

    _version, errors, _internal  <  facts  <  rules  <  standards  <  engine  <  report  <  evaluation
    <  analysis, batch, testing  <  cli, __main__, __init__

``report`` holds the report model and its renderers, which never evaluate; ``evaluation`` decides (through an
engine), explains and assembles the report model. Within the package no two modules import each other, directly
or through others (no circles).
"""

import ast
import pathlib

import natssips_rules

PACKAGE = pathlib.Path(natssips_rules.__file__).parent

LAYERS = [
    {"_version", "errors", "_internal"},
    {"facts"},
    {"rules"},
    {"standards"},
    {"engine"},
    {"report"},
    {"evaluation"},
    {"analysis", "batch", "testing"},
    {"cli", "__main__", "__init__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                # a name imported from a module depends on that module; a submodule imported from its package, on
                # the submodule only
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                # the longest name that is a module of the package
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "natssips_rules":
                    found.add(target)
        graph[name] = found
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_import_points_to_the_same_layer_or_one_below():
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in _imports().items()
        for target in targets
        if RANK[_layer(target)] > RANK[_layer(module)]
    )
    assert upward == []


def test_the_engine_imports_nothing_of_the_report_or_the_evaluation():
    found = sorted(
        f"{module} -> {target}"
        for module, targets in _imports().items()
        if _layer(module) == "engine"
        for target in targets
        if _layer(target) in ("report", "evaluation")
    )
    assert found == []


def test_no_circle_of_imports():
    graph = _imports()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_every_top_level_name_has_a_layer():
    names = {_layer(module) for module in _imports()}
    assert names <= set(RANK)


def test_at_most_six_loose_modules_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py", "_version.py"))
    assert len(loose) <= 6, loose


def test_no_function_is_longer_than_eighty_lines():
    """Functions that grow past 80 lines usually do two things; the package keeps each under that."""
    long = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 80
    )
    assert long == []
