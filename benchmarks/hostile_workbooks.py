"""Time and peak memory of reading each hostile workbook of tests/facts/hostile_workbooks.py.

Each workbook is read by ``natssips_rules.load_facts`` in its own subprocess,
under an address-space limit (``resource.setrlimit(RLIMIT_AS)``, --memory-mb,
default 1,500) and a wall-clock timeout (--timeout, default 30 s), so that a
workbook that expands cannot take the machine down. Reported per workbook: the
outcome (refused with FactsError and the first problem, accepted, another
exception, MemoryError, killed at the timeout), the wall and CPU time (the
CPU time is the child's own, from wait4: on a shared machine the wall time
also counts waiting for a core) and the child's
peak resident memory (VmHWM of /proc/<pid>/status, polled while it runs and
printed by the child as it ends: ru_maxrss would count the parent's memory at
the fork).

    python benchmarks/hostile_workbooks.py [--memory-mb N] [--timeout S] [--only NAME]

To measure another checkout (e.g. an older commit exported with git archive),
run it with ``PYTHONPATH=<that checkout>``: the children import
natssips_rules from wherever this interpreter does.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # for tests.facts.hostile_workbooks; natssips_rules comes first from PYTHONPATH, if set

CHILD = r"""
import resource, sys
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import natssips_rules as nr
data = open(sys.argv[1], "rb").read()
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return line.split()[1]
try:
    nr.load_facts(data)
except nr.FactsError as exc:
    print("refused:", str(exc.errors[0])[:110])
except MemoryError:
    print("MemoryError")
except BaseException as exc:
    print("raised", type(exc).__name__, str(exc)[:80])
else:
    print("accepted")
print("peak", peak())
"""


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(path: pathlib.Path, memory_mb: int, timeout: float) -> tuple[str, float, float, float]:
    """(outcome, wall seconds, CPU seconds, peak MB) of reading one workbook in a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(memory_mb)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=path.parent,  # not the checkout: the child imports natssips_rules as this interpreter does
    )
    assert child.stdout is not None
    outcome = ""
    deadline = start + timeout
    high = 0
    while True:
        high = max(high, _hwm(child.pid))
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(child.pid, 0)
            outcome = f"killed at the {timeout:.0f} s timeout"
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    text = child.stdout.read().decode("utf-8", "replace").strip()
    child.stdout.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = text.splitlines()
    if lines and lines[-1].startswith("peak "):
        high = max(high, int(lines.pop().split()[1]))
    if not outcome:
        outcome = lines[-1] if lines else f"exit {child.returncode}"
    return outcome, seconds, usage.ru_utime + usage.ru_stime, high / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory-mb", type=int, default=1500)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    import natssips_rules
    from tests.facts.hostile_workbooks import hostile_workbooks

    print(
        f"natssips_rules from {pathlib.Path(natssips_rules.__file__).parent}; limit {args.memory_mb:,} MB, {args.timeout:.0f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        from tests.facts.hostile_workbooks import template

        books = {"(the blank template, for comparison)": (template(), ""), **hostile_workbooks()}
        print("| workbook | size | outcome | wall (s) | CPU (s) | peak RSS (MB) |\n|---|---:|---|---:|---:|---:|")
        for name, (data, _part) in books.items():
            if args.only and name not in args.only:
                continue
            path = pathlib.Path(tmp) / "book.xlsx"
            path.write_bytes(data)
            outcome, seconds, cpu, peak = run(path, args.memory_mb, args.timeout)
            print(f"| {name} | {len(data) / 1024:,.0f} KB | {outcome} | {seconds:.2f} | {cpu:.2f} | {peak:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
