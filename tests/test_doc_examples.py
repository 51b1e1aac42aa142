"""Every example in README.md and docs/*.md runs, as written, and prints what the page shows.

Each page's fenced blocks run in order in a fresh folder that holds the
repository's ``examples/``:

- ```` ```python ```` blocks run in one namespace per page (so a page can build
  on its earlier blocks); the ``test_*`` functions a block defines are called;
  a ```` ```text ```` block right after one is what it prints;
- ```` ```sh ```` blocks run line by line in bash (a line ending in ``\\``
  continues), each line must succeed; a ```` ```text ```` block right after
  one is its expected output (standard output and error; a line ``...``
  stands for any lines);
- a block preceded by ``<!-- save-as: NAME -->`` is written to that file
  (the facts or rules file the page goes on to use);
- a block preceded by ``<!-- not-run: REASON -->`` is not run, and says why.

Blocks in other languages (json, toml, text) are data or output.
"""

import contextlib
import io
import os
import pathlib
import re
import subprocess
import sys
from typing import Any

import attrs
import pytest

ROOT = pathlib.Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = pathlib.Path(sys.executable).parent
DIRECTIVE = re.compile(r"^<!--\s*(save-as|not-run):\s*(.+?)\s*-->$")


@attrs.frozen
class Block:
    page: str
    line: int
    lang: str
    text: str
    save_as: str | None = None
    not_run: str | None = None
    output: "Block | None" = None


def blocks_of(path: pathlib.Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    directive: tuple[str, str] | None = None
    last_sh: int | None = None  # index in found of an sh block with nothing after it yet
    i = 0
    while i < len(lines):
        line = lines[i]
        match = DIRECTIVE.match(line.strip())
        if match:
            directive = (match.group(1), match.group(2))
            i += 1
            continue
        if line.startswith("```"):
            lang = line[3:].strip()
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            text = "\n".join(lines[i + 1 : end]) + "\n"
            block = Block(
                path.name,
                i + 1,
                lang,
                text,
                save_as=directive[1] if directive and directive[0] == "save-as" else None,
                not_run=directive[1] if directive and directive[0] == "not-run" else None,
            )
            if lang == "text" and last_sh is not None and found[last_sh].output is None:
                found[last_sh] = attrs.evolve(found[last_sh], output=block)
            else:
                found.append(block)
            last_sh = len(found) - 1 if lang in ("sh", "python") and block.not_run is None else None
            directive = None
            i = end + 1
            continue
        if line.strip():
            last_sh = None
            directive = None
        i += 1
    return found


def commands_of(script: str) -> list[str]:
    commands, current = [], ""
    for line in script.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip() and not current.strip().startswith("#"):
            commands.append(current.strip())
        current = ""
    return commands


def matches(expected: str, got: str) -> bool:
    """``got`` matches ``expected`` line by line, where a line ``...`` in ``expected`` matches any lines."""
    pattern = "\n".join(
        ".*?" if line.strip() == "..." else re.escape(line.rstrip()) for line in expected.strip("\n").splitlines()
    )
    return re.fullmatch(pattern, "\n".join(line.rstrip() for line in got.strip("\n").splitlines()), re.S) is not None


def run_sh(block: Block, folder: pathlib.Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(ROOT)}
    outputs = []
    for command in commands_of(block.text):
        done = subprocess.run(
            ["bash", "-c", command], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300
        )
        assert done.returncode == 0, f"{block.page}:{block.line}: `{command}` exited {done.returncode}:\n{done.stdout[-3000:]}"
        outputs.append(done.stdout)
    if block.output is not None:
        got = "".join(outputs)
        assert matches(block.output.text, got), (
            f"{block.page}:{block.output.line}: the page shows\n{block.output.text}\nthe command printed\n{got}"
        )


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    before = set(namespace)
    code = compile(block.text, f"{block.page}:{block.line}", "exec")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    for name in sorted(set(namespace) - before):
        if name.startswith("test_") and callable(namespace[name]):
            namespace[name]()
    if block.output is not None:
        got = printed.getvalue()
        assert matches(block.output.text, got), (
            f"{block.page}:{block.output.line}: the page shows\n{block.output.text}\nthe code printed\n{got}"
        )


RUNNABLE = ("python", "sh")


def runnable(page: pathlib.Path) -> list[Block]:
    return [b for b in blocks_of(page) if b.lang in RUNNABLE and b.not_run is None]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_example_on_the_page_runs_as_written(page, tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": f"doc_{page.stem}"}
    for block in blocks_of(page):
        if block.save_as is not None:
            (tmp_path / block.save_as).write_text(block.text, encoding="utf-8")
            continue
        if block.not_run is not None or block.lang not in RUNNABLE:
            continue
        if block.lang == "python":
            run_python(block, namespace)
        else:
            run_sh(block, tmp_path)


def test_every_block_not_run_says_why_and_examples_are_counted():
    total = 0
    for page in PAGES:
        for block in blocks_of(page):
            if block.lang in RUNNABLE and block.not_run is not None:
                assert len(block.not_run) > 10, f"{page.name}:{block.line}: say why the block is not run"
        total += sum(len(commands_of(b.text)) if b.lang == "sh" else 1 for b in runnable(page))
    print(f"\ndocumented examples run: {total}")
    assert total >= 26  # the count when this test was last changed: a page losing its examples fails here


def test_the_output_matcher_can_fail():
    assert matches("a\n...\nd\n", "a\nb\nc\nd\n")
    assert not matches("a\nd\n", "a\nb\nd\n")
    assert not matches("natssips-rules: 1 problem", "natssips-rules: 2 problems")


@pytest.mark.slow
def test_every_python_example_passes_mypy_strict(tmp_path):
    """An integrator's code is type-checked: each page's Python blocks (not-run ones too), joined in order as
    the page's one module, pass ``mypy --strict`` against the installed package. A block preceded by
    ``<!-- not-type-checked: REASON -->`` is left out (none is, today)."""
    api = pytest.importorskip("mypy.api")
    modules = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        code = []
        for block in blocks_of(page):
            if block.lang != "python":
                continue
            before = lines[block.line - 2].strip() if block.line >= 2 else ""
            if before.startswith("<!-- not-type-checked:"):
                continue
            code.append(f"# {page.name}:{block.line}\n{block.text}")
        if code:
            module = tmp_path / f"doc_{page.stem.replace('-', '_')}.py"
            module.write_text("\n".join(code), encoding="utf-8")
            modules.append(str(module))
    assert (
        len(modules) >= 6
    )  # README, facts, tutorial, analysis, local-rules, testing, integrating: a page losing its examples fails here
    out, err, status = api.run(["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), *modules])
    assert status == 0, out + err
