"""benchmarks/valgrind.sh says when valgrind itself fails, and exits non-zero; it never ends silently.

valgrind is replaced by small scripts on PATH that behave as it does when it
cannot run, is killed, finds errors or finds none.
"""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "benchmarks" / "valgrind.sh"

SUMMARY = "==1== ERROR SUMMARY: {errors} errors from {errors} contexts (suppressed: 0 from 0)\n==1== definitely lost: 0 bytes in 0 blocks\n"


def fake_valgrind(folder: pathlib.Path, body: str) -> None:
    tool = folder / "valgrind"
    tool.write_text("#!/bin/sh\n" + 'for a in "$@"; do case $a in --log-file=*) log=${a#--log-file=};; esac; done\n' + body)
    tool.chmod(0o755)


def run(tmp_path: pathlib.Path, path: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path, "VALGRIND_LOG": str(tmp_path / "valgrind.log")}
    return subprocess.run(["/bin/sh", str(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)


def test_valgrind_not_installed(tmp_path):
    tools = tmp_path / "tools"  # the commands the script uses, and no valgrind
    tools.mkdir()
    for name in ("dirname", "rm", "grep", "tail"):
        found = next(p for p in (pathlib.Path("/usr/bin") / name, pathlib.Path("/bin") / name) if p.exists())
        (tools / name).symlink_to(found)
    done = run(tmp_path, str(tools))
    assert done.returncode == 2, done.stderr  # before: "valgrind: not found", exit 127
    assert "valgrind is not installed" in done.stderr


@pytest.mark.parametrize(
    ("body", "says"),
    [
        # a bad option: valgrind says so on standard error and writes no log
        ('echo "valgrind: Bad option: --suppressions" >&2\nexit 1\n', "it wrote no log"),
        # killed or crashed part-way: a log with no summary
        (
            'echo "==1== Memcheck, a memory error detector" > "$log"\necho "==1== valgrind: m_mallocfree.c: internal error" >> "$log"\nexit 1\n',
            "valgrind: m_mallocfree.c: internal error",
        ),
    ],
    ids=["no log", "no summary"],
)
def test_valgrind_itself_failing_is_said_and_fails_the_run(tmp_path, body, says):
    fake_valgrind(tmp_path, body)
    done = run(tmp_path, f"{tmp_path}:/usr/bin:/bin")
    assert done.returncode == 2, (done.stdout, done.stderr)  # before: exit 1 and nothing printed
    assert "valgrind did not run to the end" in done.stderr
    assert says in done.stderr


@pytest.mark.parametrize(
    ("status", "errors", "code"), [(0, 0, 0), (99, 3, 1), (1, 0, 3)], ids=["clean", "errors", "tests failed"]
)
def test_a_finished_run_prints_its_summary(tmp_path, status, errors, code):
    fake_valgrind(tmp_path, f'printf "{SUMMARY.format(errors=errors)}" > "$log"\nexit {status}\n')
    done = run(tmp_path, f"{tmp_path}:/usr/bin:/bin")
    assert done.returncode == code, done.stderr
    assert f"ERROR SUMMARY: {errors} errors" in done.stdout
