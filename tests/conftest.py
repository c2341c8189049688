"""Shared test settings: where artifacts go, whether we are in CI, a header for the log, the test
tiers (markers), and nbval running each lesson notebook once, as a learner leaves it."""
import functools
import os
import re
import shutil
from collections import defaultdict
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


# --- tiers: `make check` runs `pytest tests -m "not slow and not browser and not hub"` -----------

def pytest_collection_modifyitems(config, items):
    # nbval's notebook cells are slow by nature; marking them lets `-m "not slow"` drop them
    # wherever they were collected from.
    for item in items:
        if isinstance(item.parent, _nbval_file()):
            item.add_marker(pytest.mark.notebooks)
            item.add_marker(pytest.mark.slow)


def _nbval_file():
    from nbval.plugin import IPyNbFile

    return IPyNbFile


# --- each notebook executed once per run: nbval executes the learner's version -------------------
#
# Why this design (issue 18): CI used to run every notebook twice, once as committed (nbval over
# notebooks/) and once as a learner (tests/test_lesson_NN.py, nbclient). The learner's run is the
# more demanding check: every cell of the lesson, with every exercise answered and some settings
# changed, and the self-check still passing. The committed notebooks are already checked to hold
# error-free outputs by tests/test_notebook_files.py (tools/build_notebooks.py executes them).
# So nbval stays the executor and runs each notebook once, as the learner of its
# test_lesson_NN.LEARNER (tests/lesson_runner.py) leaves it: one test item per cell as before, with
# nbval's error reporting, then one item "learner checks" that hands what the cells printed to
# LEARNER.check. A notebook whose test module has no LEARNER runs as committed.
#
# The swap happens only when tests/ is collected too (so this conftest is loaded): `pytest` and
# `make test` run the learners; `pytest notebooks/` alone runs the committed notebooks, as plain nbval.

def pytest_configure(config):
    config.pluginmanager.register(_LearnerNotebooks(), "learner-notebooks")


class _LearnerNotebooks:
    """A plugin (registered for the whole session, so it sees notebooks/ as well as tests/)."""

    @pytest.hookimpl(wrapper=True)
    def pytest_collect_file(self, file_path, parent):
        collected = yield
        learner = _learner_of(file_path) if file_path.suffix == ".ipynb" else None
        if learner is None:
            return collected
        from nbval.plugin import IPyNbFile

        swapped = [c for c in collected if not isinstance(c, IPyNbFile)]
        if len(swapped) < len(collected):   # nbval collected it: run the learner's version instead
            node = _learner_notebook_class().from_parent(parent, path=file_path)
            node.learner = learner
            swapped.append(node)
        return swapped


def _learner_of(path):
    """test_lesson_NN.LEARNER for notebooks/NN_*.ipynb, or None."""
    import importlib

    found = re.match(r"(\d\d)_", path.name)
    if path.parent != ROOT / "notebooks" or not found or not (ROOT / "tests" / f"test_lesson_{found[1]}.py").exists():
        return None
    return getattr(importlib.import_module(f"test_lesson_{found[1]}"), "LEARNER", None)


@functools.cache
def _learner_notebook_class():
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel
    from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

    class LearnerNotebook(IPyNbFile):
        """nbval's notebook collector, reading the learner's notebook instead of the committed one;
        it is saved under test-artifacts/learner/ (for a person to open) and runs there."""
        learner = None

        def collect(self):
            import nbformat

            self.nb = self.learner.notebook()
            self.workdir = ARTIFACTS / "learner"
            self.workdir.mkdir(parents=True, exist_ok=True)
            nbformat.write(self.nb, self.workdir / self.path.name)
            self.cells = []
            code = [cell for cell in self.nb.cells if cell.cell_type == "code"]
            for number, cell in enumerate(code):   # as IPyNbFile.collect: one item per code cell
                options = defaultdict(bool, find_metadata_tags(cell.metadata))
                options.update(dict(find_comment_markers(cell.source)))
                options.setdefault("check", self.compare_outputs)
                self.cells.append(IPyNbCell.from_parent(self, name=f"Cell {number}", cell_num=number,
                                                        cell=cell, options=options))
            yield from self.cells
            yield LearnerChecks.from_parent(self, name="learner checks")

        def setup(self):
            # as IPyNbFile.setup, but the kernel's working folder is the scratch folder, not notebooks/
            option = self.config.option
            kernel_name = CURRENT_ENV_KERNEL_NAME if option.nbval_current_env else (option.nbval_kernel_name or "python3")
            self.kernel = RunningKernel(kernel_name, cwd=str(self.workdir),
                                        startup_timeout=option.nbval_kernel_startup_timeout)
            self.setup_sanitize_files()

    class LearnerChecks(pytest.Item):
        """LEARNER.check(printed): what each code cell printed, in order (as run_as_a_learner returns it)."""

        def runtest(self):
            cells = self.parent.cells
            unrun = [cell.name for cell in cells if not hasattr(cell, "test_outputs")]
            assert not unrun, f"the learner's notebook did not run to its end: {unrun} did not run"
            printed = ["".join(o.get("text", "") for o in cell.test_outputs) for cell in cells]
            if self.parent.learner.check is not None:
                self.parent.learner.check(printed)

        def repr_failure(self, excinfo):
            # the lesson's own assertion, without pytest's and pluggy's frames around it
            excinfo.traceback = excinfo.traceback.filter(
                lambda entry: not any(name in str(entry.path) for name in ("_pytest", "pluggy")))
            return super().repr_failure(excinfo)

        def reportinfo(self):
            return self.path, None, f"{self.parent.path.name}::learner checks"

    return LearnerNotebook
