"""Plugins are trusted code running in the host; the report tells the truth about them.

Each plugin is a fake installed distribution: a folder on the path with a
module and a ``.dist-info`` holding ``METADATA`` and ``entry_points.txt``. What
a plugin does to the process (a thread left running, the library patched) is
tried in a subprocess, so this test process stays unaltered.
"""

import json
import pathlib
import subprocess
import sys
import textwrap

import pytest

import natssips_rules as nr

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SMALL = str(ROOT / "examples" / "brookfield-day-surgery.json")

RULE = """
def local_rules():
    import natssips_rules as nr
    return [nr.Rule(
        id="northvale.plugin.quarterly",
        title="The steering group meets at least quarterly",
        citation=nr.Citation(document="Northvale policy", section="3", clause="3.1.2", quote="Quarterly."),
        level=nr.Level.MUST,
        subject=nr.SubjectKind.STEERING_GROUP,
        holds=nr.Compare("meetings_in_last_year", ">=", 4),
        requirement="The group met at least four times in the year.",
        remediation="Record the meetings.",
        origin="local",
    )]
"""

PLUGINS = {
    # starts a thread that is not a daemon, and gives no rule
    "lingers": """
import threading, time
threading.Thread(target=time.sleep, args=(3600,), name="plugin-poller").start()

def local_rules():
    return []
""",
    # turns every finding to met at import, leaving the rules (and so the rule-set digest) alone
    "patches": """
import attrs
import natssips_rules.evaluation as evaluation
from natssips_rules.rules.findings import Status

_real = evaluation.build_report

def build_report(*args, **kwargs):
    report = _real(*args, **kwargs)
    return attrs.evolve(report, findings=[attrs.evolve(f, status=Status.MET) for f in report.findings])

evaluation.build_report = build_report

def local_rules():
    return []
""",
    # replaces a method of a class of the library
    "patches_a_method": """
from natssips_rules.report.model import Report
Report.to_json = lambda self, indent=None: "{}"

def local_rules():
    return []
""",
    # alters a function in place, keeping its identity
    "patches_code": """
import natssips_rules.evaluation as evaluation
def _nothing(*args, **kwargs):
    return None
evaluation.build_report.__code__ = _nothing.__code__

def local_rules():
    return []
""",
    "gives_a_rule": RULE,
}


def install(folder: pathlib.Path, module: str, source: str, name: str = "northvale-natssips", version: str = "1.2.3") -> None:
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[natssips_rules.rules]\nnorthvale = {module}:local_rules\n")


def run(folder: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "natssips_rules", *args], capture_output=True, text=True, timeout=180, cwd=ROOT, env=env
    )


def test_a_plugin_thread_does_not_keep_evaluate_or_the_batch_from_exiting(tmp_path):
    install(tmp_path, "northvale_lingers", PLUGINS["lingers"])
    done = run(tmp_path, "evaluate", SMALL, "--plugins", "--format", "json")  # before: never ended (the test timed out)
    assert done.returncode == 0, done.stderr
    assert "exiting without waiting for 1 thread(s) left running by a plugin ('plugin-poller')" in done.stderr
    report = json.loads(done.stdout)  # the output was flushed, whole
    listed = [s for s in report["sources"] if s["kind"] == "entry_point"]
    assert [(s["name"], s["version"], s["rule_ids"]) for s in listed] == [("northvale-natssips", "1.2.3", [])]
    assert listed[0]["digest"].startswith("sha256:") and len(listed[0]["digest"]) == 71

    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps(json.loads(pathlib.Path(SMALL).read_text())) + "\n")
    output = tmp_path / "out.jsonl"
    done = run(tmp_path, "evaluate-batch", str(lines), "--output", str(output), "--plugins", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "exiting without waiting for 1 thread(s)" in done.stderr
    result = json.loads(output.read_text())
    assert [s["name"] for s in result["report"]["sources"] if s["kind"] == "entry_point"] == ["northvale-natssips"]


def test_a_plugin_that_gives_no_rule_is_listed_in_the_report(tmp_path):
    install(tmp_path, "northvale_empty", "def local_rules():\n    return []\n")
    done = run(tmp_path, "evaluate", SMALL, "--plugins")  # the text report
    assert done.returncode == 0, done.stderr
    assert "- 0 local, from package northvale-natssips 1.2.3 (its files: sha256:" in done.stdout


@pytest.mark.parametrize(
    ("plugin", "replaced"),
    [
        ("patches", "natssips_rules.evaluation.build_report"),
        ("patches_a_method", "natssips_rules.Report"),
        ("patches_code", "natssips_rules.evaluation.assemble.build_report"),
    ],
)
def test_a_plugin_that_alters_the_library_is_refused(tmp_path, plugin, replaced):
    install(tmp_path, f"northvale_{plugin}", PLUGINS[plugin])
    done = run(tmp_path, "evaluate", SMALL, "--plugins", "--format", "json")
    assert done.returncode == 2, done.stdout[:300]  # before: the report, every finding met, the digest unchanged
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert (
        f"the plugin 'northvale' (northvale_{plugin}:local_rules, from northvale-natssips 1.2.3) replaced {replaced}"
        in done.stderr
    ), done.stderr


def test_the_digest_follows_the_plugin_files(tmp_path, monkeypatch):
    install(tmp_path, "northvale_digest", RULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        rules, sources = nr.load_plugin_rules()
        again = nr.load_plugin_rules()[1]
        assert [r.id for r in rules] == ["northvale.plugin.quarterly"]
        assert sources[0].digest == again[0].digest  # the same files, the same digest
        (tmp_path / "northvale_digest.py").write_text(RULE + "\n# changed\n")
        assert nr.load_plugin_rules()[1][0].digest != sources[0].digest
        report = nr.evaluate(SMALL, rules=nr.compose(rules, sources=sources))
        assert nr.Report.from_json(report.to_json()).sources == report.sources  # the digest goes through JSON
        assert f"(its files: {sources[0].digest})" in nr.render_text(report)
    finally:
        sys.modules.pop("northvale_digest", None)
