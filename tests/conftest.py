"""Shared test settings: where artifacts go, whether we are in CI, and a header for the log."""
import os
import shutil
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"  # gitignored; screenshots and logs a person can look at


def in_ci():
    """True on CI (CI=true/1/yes), where a missing tool must fail a test instead of skipping it."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_report_header(config):
    # One line in every log with the versions that decide whether widgets render.
    names = ["ipywidgets", "jupyterlab_widgets", "jupyterlab", "ipykernel", "playwright"]
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    chromium = shutil.which("chromium") or "not installed"
    return [", ".join(versions), f"chromium: {chromium}; CI: {in_ci()}"]


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def ci():
    return in_ci()
