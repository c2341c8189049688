"""Notebooks 00-02 in Colab's package versions, with the course installed as a wheel.

Colab's published list (colab/pip-freeze.txt, with its source and date) is not what our lock
pins: older ipykernel, IPython and jupyter_client, ipywidgets 7. A learner's first cell runs
`pip install` of the course on top of it, which upgrades only what the course's ranges demand.
This test does the same in a fresh venv, in two steps, so a range conflict shows up here first:

1. Colab's versions of the packages the course and its kernel touch (KERNEL_STACK), as far as
   pip installs them on this machine's Python 3.11 (Colab runs 3.13; our torch wheel is cp311).
   torch: Colab has 2.11.0+cpu; only 2.13.0's CPU wheel is on our machines, so 2.13.0 stands in
   (notebooks 00-02 never import it).
2. The course as a wheel (as pip would install it from a release tag), dependencies resolved by pip.

Then it runs notebooks 00-02 top to bottom in that venv's kernel. The installs use uv (in the lock)
rather than pip, for speed; both keep an installed package that satisfies a range, as pip does on
Colab. torch's CPU wheel comes from /opt/wheels where our machines keep it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FREEZE = ROOT / "colab" / "pip-freeze.txt"
NOTEBOOKS = ["00_start_here", "01_gaussian_collapse", "02_tails_of_words"]
# What the course imports, and what runs its kernel and widgets: pinned to Colab's versions.
KERNEL_STACK = ["numpy", "scipy", "matplotlib", "pillow", "tqdm", "packaging",
                "ipykernel", "ipython", "jupyter-client", "jupyter-core", "traitlets", "pyzmq",
                "tornado", "matplotlib-inline", "debugpy",
                "ipywidgets", "widgetsnbextension", "jupyterlab-widgets", "nbclient", "nbformat"]
TORCH_STAND_IN = "torch==2.13.0"  # Colab: 2.11.0+cpu, which is not on our machines

RUN_NOTEBOOKS = r"""
import json, sys, time
import nbformat
from nbclient import NotebookClient
times = {}
for path in sys.argv[2:]:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": sys.argv[1]}}).execute()
    times[path] = round(time.perf_counter() - start, 1)
print(json.dumps(times))
"""

REPORT = r"""
import json, collapse_lab, numpy, matplotlib, ipykernel, IPython, ipywidgets, jupyter_client
print(json.dumps({"collapse_lab": collapse_lab.__file__, "numpy": numpy.__version__,
                  "matplotlib": matplotlib.__version__, "ipykernel": ipykernel.__version__,
                  "ipython": IPython.__version__, "ipywidgets": ipywidgets.__version__,
                  "jupyter_client": jupyter_client.__version__}))
"""


def colab_versions(text):
    """{canonical name: version} from a `pip freeze` listing; URL and git installs are skipped."""
    versions = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            versions[canonicalize_name(match.group(1))] = match.group(2)
    return versions


def colab_header(text):
    """The `# key: value` lines at the top of colab/pip-freeze.txt (source, date, python)."""
    return dict(re.findall(r"^# (source|date|python): (.+)$", text, flags=re.M))


def test_the_colab_list_says_where_and_when_it_is_from():
    text = FREEZE.read_text()
    header = colab_header(text)
    assert header["source"].startswith("https://github.com/googlecolab/backend-info/")
    assert re.match(r"\d{4}-\d{2}-\d{2}", header["date"]) and header["python"].startswith("3.")
    versions = colab_versions(text)
    missing = [name for name in KERNEL_STACK if name not in versions]
    assert missing == [], f"Colab's list no longer has {missing}: update KERNEL_STACK"
    assert colab_versions("numpy==2.1.3\ntorch @ https://x/torch.whl\nIPython==7.34.0\n") == {
        "numpy": "2.1.3", "ipython": "7.34.0"}


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_notebooks_00_to_02_run_in_colabs_versions_from_a_wheel(tmp_path, artifacts_dir):
    versions = colab_versions(FREEZE.read_text())
    venv, wheels, work = tmp_path / "venv", tmp_path / "wheels", tmp_path / "notebooks"
    python = venv / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    install = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", python]
    if Path("/opt/wheels").is_dir():
        install += ["--find-links", "/opt/wheels"]  # torch's CPU wheel on our machines

    # 1. Colab's versions (ipywidgets 7 included: the course's own install must upgrade it)
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    colab = [f"{name}=={versions[name]}" for name in KERNEL_STACK]
    run([*install, *colab, TORCH_STAND_IN], env=env)

    # 2. the course, as a wheel; only what its ranges demand is upgraded
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", wheels, ROOT], env=env)
    wheel = next(wheels.glob("collapse_lab-*.whl"))
    run([*install, wheel], env=env)
    installed = json.loads(run([python, "-c", REPORT], cwd=tmp_path))
    (artifacts_dir / "colab-env.json").write_text(json.dumps(installed, indent=1))
    assert installed["collapse_lab"].startswith(str(venv)), "the course must come from the wheel"
    assert installed["numpy"] == versions["numpy"] and installed["matplotlib"] == versions["matplotlib"]
    assert installed["ipykernel"] == versions["ipykernel"]  # the install must not touch the kernel
    assert installed["ipywidgets"].startswith("8."), installed  # upgraded from Colab's 7.7.1

    # 3. notebooks 00-02, copied away from the source tree, run in that venv's own kernel
    work.mkdir()
    for name in NOTEBOOKS:
        shutil.copy2(ROOT / "notebooks" / f"{name}.ipynb", work)
    paths = [str(work / f"{name}.ipynb") for name in NOTEBOOKS]
    times = json.loads(run([python, "-c", RUN_NOTEBOOKS, str(work), *paths], cwd=work, env=env, timeout=900))
    assert len(times) == len(NOTEBOOKS), times
