"""Does every notebook fit its budget? Run All time and peak kernel memory, per notebook.

Each notebook runs top to bottom with nbclient in a fresh kernel (started before the clock,
as a learner's kernel is already up when they press Run All). Memory is the kernel's peak
resident set: Linux's own high-water mark (VmHWM in /proc/<pid>/status), and, when psutil is
there, a 0.1 s poll of the kernel plus any child processes it starts, whichever is larger.

    python benchmarks/notebooks.py               # every notebook in notebooks/
    python benchmarks/notebooks.py 01 04         # those whose names start with 01 or 04
    python benchmarks/notebooks.py --env-size    # also: disk size of a fresh pinned environment (slow)

Exits 1 when a notebook fails or breaks a budget. The dashboards' own budgets are checked
elsewhere (collapse_lab's tests and python -m collapse_lab.bench), not here.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

try:
    import psutil
except ImportError:  # optional: VmHWM alone still gives the kernel's own peak
    psutil = None

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TIME_BUDGET_S = 60
MEMORY_BUDGET_MB = 1000  # Binder guarantees about 1 GB per user


def vm_hwm_mb(pid):
    """Peak resident memory of one process so far, in MB, from the kernel's own accounting."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6  # the value is in kB
    except OSError:
        pass
    return 0.0


class TreePeak(threading.Thread):
    """Polls the resident memory of a process and its children; keeps the largest sum seen."""

    def __init__(self, pid, every=0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mb = pid, every, 0.0
        self._stop_event = threading.Event()

    def run(self):
        if psutil is None:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                rss = sum(p.memory_info().rss for p in procs if p.is_running())
                self.peak_mb = max(self.peak_mb, rss / 1e6)
            except psutil.Error:
                pass  # a child ended between listing and reading: try again next tick
            self._stop_event.wait(self.every)

    def stop(self):
        self._stop_event.set()
        self.join()


def run_notebook(path, timeout):
    """Run All in a fresh kernel. Returns (seconds, peak_mb, error or None)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    with client.setup_kernel():
        provisioner = client.km.provisioner
        pid = getattr(provisioner, "pid", None) or provisioner.process.pid
        poller = TreePeak(pid)
        poller.start()
        error = None
        start = time.perf_counter()
        index = 0
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        except CellExecutionError as exc:
            message = f"{exc.ename}: {exc.evalue}".strip().rstrip(":")
            error = f"cell {index}: " + re.sub(r"\x1b\[[0-9;]*m", "", message)[:200]  # no terminal colours
        except TimeoutError:
            error = f"cell {index} ran longer than {timeout} s"
        seconds = time.perf_counter() - start
        poller.stop()
        peak = max(vm_hwm_mb(pid), poller.peak_mb)  # read before the kernel shuts down
    return seconds, peak, error


def benchmark_notebooks(prefixes, timeout):
    paths = [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if not prefixes or p.name.startswith(tuple(prefixes))]
    if not paths:
        print(f"no notebooks found in {NOTEBOOKS}" + (f" starting with {' or '.join(prefixes)}" if prefixes else ""))
        return False
    width = max(len(p.name) for p in paths)
    print(f"{'notebook':<{width}}  {'Run All':>8}  {'budget':>7}  {'peak RSS':>9}  {'budget':>8}  result")
    all_ok = True
    for path in paths:
        seconds, peak, error = run_notebook(path, timeout)
        ok = error is None and seconds <= TIME_BUDGET_S and peak <= MEMORY_BUDGET_MB
        all_ok &= ok
        print(
            f"{path.name:<{width}}  {seconds:>7.1f}s  {'≤' + str(TIME_BUDGET_S) + 's':>7}  "
            f"{peak:>6.0f} MB  {'≤' + str(MEMORY_BUDGET_MB) + ' MB':>8}  {'PASS' if ok else 'FAIL'}"
            + (f"  ({error})" if error else ""),
            flush=True,
        )
    return all_ok


def environment_size():
    """Build a throwaway venv from requirements.txt (Binder's pins, minus the CPU-index
    spelling of torch) plus the package, and measure its site-packages."""
    with tempfile.TemporaryDirectory(prefix="collapse-lab-env-") as tmp:
        venv = Path(tmp) / "venv"
        python = venv / "bin" / "python"
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt")],
            [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        ]
        start = time.perf_counter()
        for step in steps:
            done = subprocess.run(step, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            if done.returncode != 0:  # pip is chatty; show its output only when it failed
                sys.exit(f"{' '.join(step[-3:])} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        minutes = (time.perf_counter() - start) / 60
        site = next((venv / "lib").glob("python3*/site-packages"))
        total = subprocess.run(["du", "-sh", str(site)], capture_output=True, text=True, check=True).stdout.split()[0]
        print(f"environment from requirements.txt: site-packages {total} (built in {minutes:.1f} min)")
        # the largest entries, since one package (torch) usually dominates
        sizes = subprocess.run(["du", "-s", "--block-size=1M", *map(str, site.iterdir())],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        top = sorted((int(mb), Path(name).name) for mb, name in (line.split("\t", 1) for line in sizes))[-6:]
        print("  largest: " + ", ".join(f"{name} {mb} MB" for mb, name in reversed(top)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose names start with these (e.g. 01 04)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one cell may take before it counts as a failure")
    parser.add_argument("--env-size", action="store_true",
                        help="also build a fresh environment from requirements.txt and report its size (slow: minutes)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet a debugger warning in kernels
    ok = benchmark_notebooks(args.prefixes, args.timeout)
    if args.env_size:
        if shutil.which("du") is None:
            print("--env-size needs du")
        else:
            environment_size()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
