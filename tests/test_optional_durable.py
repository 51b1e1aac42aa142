"""durable_rules is an optional extra: without it the package, the reference engine and the CLI work, and asking
for the durable engine is refused with the library's error naming the extra to install.

Each test runs a child process in which ``durable_rules_engine`` cannot be imported (a finder on
``sys.meta_path`` refuses it, as in an installation without the extra), whether or not this one has it.
"""

import json
import pathlib
import subprocess
import sys
import textwrap
import tomllib

ROOT = pathlib.Path(__file__).parent.parent
EXAMPLE = "examples/northvale-large-trust.json"

#: Makes ``durable_rules_engine`` unimportable, as when the durable extra is not installed (or, with
#: ``BROKEN``, installed but failing to load, as durable_rules 2.0.28 built without CPPFLAGS on Python 3.13).
BLOCKER = """
import importlib.abc, sys
BROKEN = {broken!r}
class NoDurable(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "durable_rules_engine" or name.startswith("durable."):
            if BROKEN:
                raise ImportError(BROKEN, name="durable_rules_engine")
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, NoDurable())
"""


def run(code: str, *, broken: str = "") -> subprocess.CompletedProcess[str]:
    script = BLOCKER.format(broken=broken) + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_without_durable_the_package_and_the_reference_engine_work_and_never_import_it():
    """Importing the package, evaluating, rendering every format, the questions, a batch and the template all
    run without durable_rules, and none of them tries to import it."""
    done = run(
        f"""
        import json
        import natssips_rules as nr
        org = nr.load_facts({EXAMPLE!r})
        report = nr.evaluate(org)
        nr.render_text(report); nr.render_markdown(report); nr.render_html(report); report.to_json()
        nr.questions(report)
        lines = [json.dumps(nr.dump_facts(org))]
        [result] = list(nr.evaluate_lines(lines, jobs=0, results="reports"))
        print(json.dumps([report.engine, len(report.findings), result.kind, "durable_rules_engine" in sys.modules]))
        """
    )
    assert done.returncode == 0, done.stderr
    engine, findings, ok, imported = json.loads(done.stdout)
    assert (engine, ok, imported) == ("reference", "evaluated", False)
    assert findings > 0


def test_asking_for_the_durable_engine_without_the_extra_raises_the_librarys_error_naming_the_extra():
    """``evaluate(engine="durable")`` and ``evaluate_lines(engine="durable")`` raise EngineUnavailableError
    (an EngineError and an ImportError) that names the extra and the pip command, before any line is read."""
    done = run(
        f"""
        import json
        import natssips_rules as nr
        org = nr.load_facts({EXAMPLE!r})
        got = []
        for call in (lambda: nr.evaluate(org, engine="durable"), lambda: nr.evaluate_lines(iter(()), engine="durable")):
            try:
                call()
            except nr.EngineUnavailableError as exc:
                got.append([type(exc).__name__, isinstance(exc, nr.EngineError), isinstance(exc, ImportError),
                            isinstance(exc, nr.NatssipsRulesError), exc.engine, exc.extra, exc.module, exc.name, str(exc)])
        print(json.dumps(got))
        """
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert len(got) == 2
    for name, engine_error, import_error, ours, engine, extra, module, import_name, message in got:
        assert (name, engine_error, import_error, ours) == ("EngineUnavailableError", True, True, True)
        assert (engine, extra, module, import_name) == ("durable", "durable", "durable_rules_engine", "durable_rules_engine")
        assert "pip install 'natssips-rules[durable]'" in message
        assert "is not installed" in message and "reference engine" in message


def test_a_durable_rules_that_does_not_load_is_refused_saying_why_and_how_to_build_it():
    """durable_rules 2.0.28 built without CPPFLAGS on Python 3.13 installs but fails to load: the error says
    so, keeps the loader's reason, and gives the CPPFLAGS that fix the build."""
    done = run(
        """
        import natssips_rules as nr
        try:
            nr.evaluate(nr.load_facts("examples/northvale-large-trust.json"), engine="durable")
        except nr.EngineUnavailableError as exc:
            print(exc)
        """,
        broken="durable_rules_engine.so: undefined symbol: PyEval_CallObject",
    )
    assert done.returncode == 0, done.stderr
    assert "is installed but does not import (durable_rules_engine.so: undefined symbol: PyEval_CallObject)" in done.stdout
    assert 'CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject"' in done.stdout


def test_the_cli_refuses_the_durable_engine_without_the_extra_with_exit_2_and_no_traceback():
    """``--engine durable`` of evaluate, questions and evaluate-batch: exit 2, one line naming the extra."""
    for argv in (
        ["evaluate", EXAMPLE, "--engine", "durable"],
        ["questions", EXAMPLE, "--engine", "durable"],
        ["evaluate-batch", "-", "--engine", "durable"],
    ):
        done = run(f"import sys\nfrom natssips_rules.cli import main\nsys.exit(main({argv!r}))")
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("natssips-rules: --engine durable: the 'durable' engine needs durable_rules"), done.stderr
        assert "pip install 'natssips-rules[durable]'" in done.stderr
    done = run(f"import sys\nfrom natssips_rules.cli import main\nsys.exit(main({['evaluate', EXAMPLE]!r}))")
    assert done.returncode == 0, done.stderr


def test_durable_rules_is_an_optional_extra_that_the_test_and_dev_extras_include():
    """The core installs without a compiler; the test suite's extras still bring durable_rules, so both
    engines are tested wherever the README's test command is run."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().replace("_", "-").startswith("durable-rules")]
    extras = project["optional-dependencies"]
    assert extras["durable"] == ["durable-rules==2.0.28"]
    for extra in ("test", "dev"):
        assert "durable-rules==2.0.28" in extras[extra], extra
