"""Test configuration: Hypothesis profiles (a quick default; ``ci`` is thorough)."""

import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings

ROOT = pathlib.Path(__file__).parent.parent

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests name the examples by their paths in the repository, wherever pytest was started."""
    monkeypatch.chdir(ROOT)
