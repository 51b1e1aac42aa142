"""Test configuration: Hypothesis profiles (a quick default; ``ci`` is thorough); tests of the durable engine
skip when its extra is not installed."""

import importlib.util
import os
import pathlib
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from natssips_rules.errors import EngineUnavailableError

ROOT = pathlib.Path(__file__).parent.parent

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests name the examples by their paths in the repository, wherever pytest was started."""
    monkeypatch.chdir(ROOT)


#: Whether durable_rules is installed (the dev and test extras install it: there, every durable test runs).
DURABLE = importlib.util.find_spec("durable_rules_engine") is not None


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Iterator[None]:
    """A test that asks for the durable engine skips when the durable extra is not installed (and only then)."""
    try:
        return (yield)
    except EngineUnavailableError as exc:
        if DURABLE:
            raise
        pytest.skip(f"the durable extra is not installed ({exc.module})")
