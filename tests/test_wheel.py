"""The course as `pip install` (not `-e`) gives it: build the wheel, install it into a clean virtual
environment, and run notebook 00 there, outside the repository (issue 18, item 5).

Binder and the hub install with `-e`, so a subpackage missing from the wheel only shows up here,
on Colab (`%pip install git+...` in each notebook's first cell) and in any release.
Slow (a minute or more: a venv, torch and Jupyter unpacked from pip's cache): `make test` runs it,
`make check` does not.
"""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "collapse_lab"
NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"

pytestmark = pytest.mark.slow


def run(*command, cwd=None):
    """Run a command; on failure show its output, which says what pip or the build complained about."""
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Build from a copy of what a clone holds: building in the repository would leave build/ behind,
    # and a stale build/lib can smuggle a deleted module into the next wheel.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "collapse_lab", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source)
    (built,) = dist.glob("collapse_lab-*.whl")
    return built


def test_the_wheel_holds_every_subpackage(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    # every package directory of the source tree, so a new subpackage can never be left out
    packages = sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("__init__.py") if "__pycache__" not in p.parts)
    missing = [p for p in packages if p not in shipped]
    assert not missing, f"{wheel.name} lacks {missing}: is [tool.setuptools.packages.find] in pyproject.toml still there?"
    assert not any(name.startswith(("tests/", "notebooks/", "tools/")) for name in shipped), "only collapse_lab ships"


def test_notebook_00_runs_from_the_installed_wheel(wheel, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    # 1. a clean environment with the wheel, not -e; requirements.txt as constraints keeps the tested
    #    versions (and torch's CPU build: an unconstrained torch pulls a multi-GB CUDA build)
    #    (the venv has no pip of its own: this pip installs into it with --python, which saves seeding one;
    #    --no-compile: byte-compiling torch's thousands of files doubled the install's CPU time, and
    #    Python compiles whatever notebook 00 imports anyway)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-compile",
        "-c", ROOT / "requirements.txt", wheel, "ipykernel")

    # 2. a kernel that runs in that environment (a kernelspec found through JUPYTER_PATH, so that
    #    nbclient owns the kernel and shuts it down), from a folder outside the repository
    kernelspec = tmp_path / "jupyter" / "kernels" / "wheel"
    kernelspec.mkdir(parents=True)
    (kernelspec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "collapse-lab wheel", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    work = tmp_path / "learner"
    work.mkdir()
    shutil.copy2(NOTEBOOK, work / NOTEBOOK.name)

    # 3. notebook 00 top to bottom, then one cell that says where collapse_lab came from
    nb = nbformat.read(work / NOTEBOOK.name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import collapse_lab\nprint(collapse_lab.__file__)"))
    NotebookClient(nb, kernel_name="wheel", timeout=600, resources={"metadata": {"path": str(work)}}).execute()

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    where = Path(nb.cells[-1].outputs[0]["text"].strip())
    site_packages = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    assert where.is_relative_to(site_packages), f"collapse_lab came from {where}, not the wheel in {site_packages}"
    assert not where.is_relative_to(ROOT)
