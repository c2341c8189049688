"""A class on one machine: N simulated learners on the workshop hub, measured.

    .venv/bin/python benchmarks/classroom.py                  # N = 5, 10, 20 (under 10 minutes when quiet)
    .venv/bin/python benchmarks/classroom.py --learners 5 10 20 40 --json classroom/results.json
    # a class as the instructor guide runs it: the store warm, servers started before class,
    # learners arriving together; notebook 01 and notebook 06, one round each per N
    .venv/bin/python benchmarks/classroom.py --learners 10 20 40 --notebook 01 06 \
        --store classroom/.data/store --prestart --arrival 2

For each N a fresh hub (classroom/jupyterhub_config.py, real proxy, loopback ports only) is started,
and N learners, arriving over the first --arrival seconds, each:
  1. sign in through the proxy (the sign-in form), ask for a server, wait until it answers
     through the proxy, and load JupyterLab's page with the requests it makes on loading
                                                                -> "start" (request to page)
  2. open the notebook (contents + sessions API) and execute every code cell over the kernel
     websocket, in order                                        -> "Run All"
  3. use its explorer at a human pace: --changes control changes, one every --think seconds
     (±50% jitter), each `explorer.controls[NAME].value = v` executed in the kernel (CHANGES: 01
     'samples', 06 'generations'); timed
     from sending the request to the widget update that carries the new figure's PNG arriving
     on the websocket                                            -> "redraw" (and the kernel
     process's CPU time over that interval, which separates cost from waiting for a core)
With --prestart every server is started first (all N asked for at once, as the admin page's
"start all" or learners signing in before class would) and waited for; their start time and CPU
are reported apart ("pre-start"), and the clock starts after. Then "start" is what an arriving
learner waits for: the JupyterLab page of a server already running. Without --prestart, "start"
is the server's start plus that page.
With --store DIR the learners read the notebooks' runs from DIR (CLASSROOM_STORE): a DIR without
a warm marker for a notebook is first warmed once with `python -m collapse_lab warm --store DIR
<prefix>` (not timed; the marker notes the package version). Without it, no store at all.
Meanwhile a sampler reads, every second, the resident memory of each learner's server plus its
kernel (psutil), the CPU time of everything the hub started, and the load average.
Each round ends by itself: learners give up at --max-seconds; then the hub is stopped and anything
of it that survived is killed and reported. Failures: a server that does not start, a cell that
errs, a redraw that does not arrive, a kernel that dies.

The figures depend on what else the machine runs: the header prints the load average before the
round, the table the highest load average during it.
"""
import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "classroom"))
from harness import (Hub, Learner, cpu_seconds, kernel_process, learner_memory, new_png,  # noqa: E402
                     proxy_command, server_process)  # noqa: E402

# The explorer change each learner makes, per notebook: a control of its `explorer` and values
# cycled through (never the same twice in a row, so every change redraws). Those of 01 and 06.
CHANGES = {
    "01": ("samples", [60, 150, 80, 200, 100, 120, 50, 90]),
    "06": ("generations", [12, 6, 15, 8, 20, 5, 11, 7]),
}
CHANGE = "explorer.controls[{control!r}].value = {value}"


def notebook_name(prefix):
    """The notebook whose file name starts with `prefix` ('01' or '01_gaussian_collapse')."""
    found = sorted(p.stem for p in (ROOT / "notebooks").glob(f"{prefix}*.ipynb"))
    if len(found) != 1:
        raise ValueError(f"--notebook {prefix}: {len(found)} notebooks match")
    return found[0]


def percentile(values, q):
    """The q-th percentile (nearest rank) of values, or NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)), 1) - 1]


def prestart_one(hub, name, deadline, record):
    """Before class: sign in and start the server; its time and CPU go into `record`."""
    try:
        learner = Learner(hub.url, name, hub.password, timeout=60)
        learner.log_in()
        record["prestart"] = learner.start_server(timeout=max(deadline - time.monotonic(), 1))
        record["prestart_cpu"] = cpu_seconds(server_process(hub, name))
        record["learner"] = learner
    except Exception as exc:
        record["errors"].append(f"pre-start: {type(exc).__name__}: {exc}")


def one_learner(hub, name, notebook, options, deadline, record):
    """Everything one learner does; every outcome goes into `record`, nothing is raised."""
    rng = random.Random(name)
    control, values = CHANGES[notebook[:2]]
    kernel = None
    try:
        time.sleep(rng.uniform(0, options.arrival))
        learner = record.pop("learner", None)     # the server started before class, if it was
        if learner is None and options.prestart:
            return                                # its pre-start failed: already an error
        arrived = time.perf_counter()
        if learner is None:
            learner = Learner(hub.url, name, hub.password, timeout=60)
            learner.log_in()
            learner.start_server(timeout=max(deadline - time.monotonic(), 1))
        server = server_process(hub, name)
        before = cpu_seconds(server) if options.prestart else 0.0    # a new server: all it did counts
        learner.open_lab()
        record["start"] = time.perf_counter() - arrived
        record["start_cpu"] = cpu_seconds(server) - before   # the server's own work until the page is there
        kernel = learner.open_notebook(f"notebooks/{notebook}.ipynb")
        process = kernel_process(hub, kernel.id)
        cpu = cpu_seconds(process)
        seconds, error = kernel.run_all(timeout=max(deadline - time.monotonic(), 1))
        if error:
            record["errors"].append(f"Run All: {error}")
            return
        record["run_all"], record["run_all_cpu"] = seconds, cpu_seconds(process) - cpu
        for change in range(options.changes):
            pause = options.think * rng.uniform(0.5, 1.5)
            if time.monotonic() + pause + 5 > deadline:
                record["unfinished"] = True
                break
            time.sleep(pause)
            # a figure still on its way from before (Run All's last cell, a previous change) must
            # not count as this change's redraw
            record["stale_figures"] += kernel.drain()
            value = values[change % len(values)]
            cpu = cpu_seconds(process)
            seconds, error, seen = kernel.execute(CHANGE.format(control=control, value=value), until=new_png,
                                                  timeout=min(60, max(deadline - time.monotonic(), 1)))
            if error or seen is None:
                record["errors"].append(f"redraw {change + 1}: {error or 'no new figure'}")
                break
            record["redraws"].append(seen)
            record["redraw_cpu"].append(cpu_seconds(process) - cpu)   # the kernel's own work meanwhile
    except Exception as exc:                       # a failed learner is a result, not a crash
        record["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        if kernel is not None:
            record["kernel_died"] = kernel.dead
            kernel.close()


class Sampler(threading.Thread):
    """Every second: each learner's server + kernel memory, all of the hub's memory, CPU time, load."""

    def __init__(self, hub, every=1.0):
        super().__init__(daemon=True)
        self.hub, self.every = hub, every
        self.peak = {}           # learner -> highest server + kernel RSS seen
        self.total_peak = 0      # highest RSS of hub + proxy + every server and kernel together
        self.cpu = {}            # pid -> last (user + system) CPU seconds seen
        self.load_peak = 0.0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.every):
            for name, rss in learner_memory(self.hub).items():
                self.peak[name] = max(self.peak.get(name, 0), rss)
            total = 0
            for process in self.hub.processes():
                try:
                    total += process.memory_info().rss
                    times = process.cpu_times()
                    self.cpu[process.pid] = times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            self.total_peak = max(self.total_peak, total)
            self.load_peak = max(self.load_peak, os.getloadavg()[0])


def run_threads(records, deadline, work):
    """work(name, record) in one thread per learner, all at once; wait for them until deadline + 90 s."""
    threads = [threading.Thread(target=work, args=(name, record), daemon=True) for name, record in records.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline + 90 - time.monotonic(), 0.1))


def warm_store(store, prefixes, seconds):
    """Warm `store` once for the notebooks `prefixes` (python -m collapse_lab warm), where not yet done.

    A notebook counts as warm when `make hub` warmed everything (.warmed) or this benchmark left
    a marker .warmed-<prefix> holding the package version that warmed it.
    """
    from collapse_lab import __version__

    store = store.resolve()
    store.mkdir(parents=True, exist_ok=True)
    if (store / ".warmed").exists():
        print(f"store {store}: warmed by make hub (.warmed)", flush=True)
        return
    cold = [p for p in prefixes if not ((store / f".warmed-{p}").exists()
                                        and (store / f".warmed-{p}").read_text() == __version__)]
    if not cold:
        print(f"store {store}: warm for {', '.join(prefixes)} (package {__version__})", flush=True)
        return
    print(f"store {store}: warming {', '.join(cold)} once (not timed) ...", flush=True)
    subprocess.run([sys.executable, "-m", "collapse_lab", "warm", "--store", str(store), *cold],
                   cwd=ROOT, check=True, timeout=seconds)
    for prefix in cold:
        (store / f".warmed-{prefix}").write_text(__version__)


def one_round(n, notebook, options):
    """Start a hub, (pre-start n servers,) run n learners, stop everything; return the round's figures."""
    records = {f"learner{i:02d}": {"errors": [], "redraws": [], "redraw_cpu": [], "start": None, "start_cpu": None,
                                   "prestart": None, "prestart_cpu": None, "stale_figures": 0,
                                   "run_all": None, "run_all_cpu": None, "kernel_died": False, "unfinished": False}
               for i in range(n)}
    load_before = os.getloadavg()[0]
    prestart_wall = prestart_cpu = float("nan")
    with Hub(memory_mb=options.memory_mb, cpus=options.cpus, store=options.store) as hub:
        sampler = Sampler(hub)
        sampler.start()
        if options.prestart:
            # before class: every server asked for at once, and waited for (not on the clock)
            began, cpu_before = time.monotonic(), sum(sampler.cpu.values())
            run_threads(records, began + options.max_seconds,
                        lambda name, record: prestart_one(hub, name, began + options.max_seconds, record))
            prestart_wall = time.monotonic() - began
            time.sleep(2 * sampler.every)                      # let the sampler see the servers' last CPU
            prestart_cpu = sum(sampler.cpu.values()) - cpu_before
        started = time.monotonic()
        cpu_started = sum(sampler.cpu.values())
        deadline = started + options.max_seconds
        run_threads(records, deadline, lambda name, record: one_learner(hub, name, notebook, options, deadline, record))
        wall = time.monotonic() - started
        sampler.stopped.set()
        sampler.join()
        cpu_seconds = sum(sampler.cpu.values()) - cpu_started
    starts = [r["start"] for r in records.values() if r["start"] is not None]
    run_alls = [r["run_all"] for r in records.values() if r["run_all"] is not None]
    redraws = [s for r in records.values() for s in r["redraws"]]
    redraw_cpu = [s for r in records.values() for s in r["redraw_cpu"]]
    start_cpu = [r["start_cpu"] for r in records.values() if r["start_cpu"] is not None]
    prestarts = [r["prestart"] for r in records.values() if r["prestart"] is not None]
    prestart_cpus = [r["prestart_cpu"] for r in records.values() if r["prestart_cpu"] is not None]
    run_all_cpu = [r["run_all_cpu"] for r in records.values() if r["run_all_cpu"] is not None]
    peaks = list(sampler.peak.values())
    return {
        "learners": n, "notebook": notebook, "store": bool(options.store), "prestarted": options.prestart,
        "wall_s": wall, "load_before": load_before, "load_peak": sampler.load_peak,
        "prestart_wall_s": prestart_wall, "prestart_p50": percentile(prestarts, 50),
        "prestart_p95": percentile(prestarts, 95), "prestart_server_cpu_p50": percentile(prestart_cpus, 50),
        "prestart_cpu_seconds": prestart_cpu,
        "start_p50": percentile(starts, 50), "start_p95": percentile(starts, 95),
        "run_all_p50": percentile(run_alls, 50), "run_all_p95": percentile(run_alls, 95),
        "redraw_p50": percentile(redraws, 50), "redraw_p95": percentile(redraws, 95),
        "redraw_cpu_p50": percentile(redraw_cpu, 50), "redraws": len(redraws),
        "start_cpu_p50": percentile(start_cpu, 50), "run_all_cpu_p50": percentile(run_all_cpu, 50),
        "memory_median_mb": statistics.median(peaks) / 2**20 if peaks else float("nan"),
        "memory_peak_mb": max(peaks) / 2**20 if peaks else float("nan"),
        "total_memory_peak_gb": sampler.total_peak / 2**30,
        "cpu_seconds": cpu_seconds, "cores_used": cpu_seconds / wall,
        "failed_starts": n - len(starts),
        "failures": sum(bool(r["errors"]) for r in records.values()),
        "kernel_deaths": sum(r["kernel_died"] for r in records.values()),
        "unfinished": sum(r["unfinished"] for r in records.values()),
        "stale_figures": sum(r["stale_figures"] for r in records.values()),
        "errors": {name: r["errors"] for name, r in records.items() if r["errors"]},
        "leftover_processes": hub.leftovers,
    }


COLUMNS = [  # (header, key, format)
    ("N", "learners", "{:>3d}"),
    ("nb", "notebook", "{:.2}"),
    ("pre-start wall s / server CPU s", ("prestart_wall_s", "prestart_server_cpu_p50"), "{:5.0f} / {:4.1f}"),
    ("start p50/p95 s", ("start_p50", "start_p95"), "{:5.1f} /{:5.1f}"),
    ("Run All p50/p95 s", ("run_all_p50", "run_all_p95"), "{:5.1f} /{:5.1f}"),
    ("redraw p50/p95 s", ("redraw_p50", "redraw_p95"), "{:5.2f} /{:5.2f}"),
    ("CPU s: start/Run All/redraw", ("start_cpu_p50", "run_all_cpu_p50", "redraw_cpu_p50"), "{:4.2f} / {:4.1f} / {:4.2f}"),
    ("MB/learner med/peak", ("memory_median_mb", "memory_peak_mb"), "{:4.0f} / {:4.0f}"),
    ("total GB", "total_memory_peak_gb", "{:5.1f}"),
    ("cores used", "cores_used", "{:5.2f}"),
    ("failed", "failures", "{:3d}"),
    ("deaths", "kernel_deaths", "{:3d}"),
    ("load peak", "load_peak", "{:5.1f}"),
    ("wall s", "wall_s", "{:5.0f}"),
]


def table(rows):
    cells = [[header for header, _, _ in COLUMNS]]
    for row in rows:
        cells.append([fmt.format(*(row[k] for k in key)) if isinstance(key, tuple) else fmt.format(row[key])
                      for _, key, fmt in COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = [" | ".join(cell.rjust(width) for cell, width in zip(line, widths)) for line in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def capacity(rows, budget):
    """The largest N with p95 redraw within budget and no failure, or None."""
    good = [row["learners"] for row in rows
            if row["redraw_p95"] <= budget and row["failures"] == 0 and row["unfinished"] == 0]
    return max(good) if good else None


def estimate(rows, options, busy=0.5):
    """Capacity from CPU cost, which on a shared machine is far steadier than waiting times.

    Explorer use: each learner asks for `redraw CPU / think` cores; keeping the cores at most
    `busy` (half) used keeps the wait for a core short next to the redraw itself. Class start: all
    servers, kernels and Run Alls must share the cores, so the last learner is ready after about
    N x (start + Run All CPU) / cores seconds (servers started before class: their CPU is spent
    before, and only the page and Run All are left).
    """
    cores = os.cpu_count()
    lines = []
    for notebook in dict.fromkeys(r["notebook"] for r in rows):
        measured = [r for r in rows if r["notebook"] == notebook and r["redraw_cpu_p50"] == r["redraw_cpu_p50"]]
        if not measured:
            lines.append(f"{notebook}: no redraw finished, no estimate from CPU cost.")
            continue
        row = max(measured, key=lambda r: r["redraws"])
        per_core = busy * options.think / row["redraw_cpu_p50"]
        ready = row["start_cpu_p50"] + row["run_all_cpu_p50"]
        lines.append(f"From CPU cost ({notebook}, N = {row['learners']} round; steadier than the times above on a busy machine):\n"
                     f"  explorer use, one change every {options.think:g} s, cores at most {busy:.0%} busy: "
                     f"about {per_core:.0f} learners per core ({per_core * cores:.0f} on {cores} cores)")
        if row["prestarted"]:
            server, total = row["prestart_server_cpu_p50"], row["prestart_cpu_seconds"] / row["learners"]
            lines.append(f"  before class: {server:.1f} CPU s per server ({total:.1f} with the hub's and proxy's share), "
                         f"so 40 servers take about {40 * total / cores:.0f} s on {cores} cores "
                         f"(this round: {row['prestart_wall_s']:.0f} s for {row['learners']})")
            what = f"JupyterLab's page {row['start_cpu_p50']:.2f} + Run All {row['run_all_cpu_p50']:.1f}"
        else:
            what = f"server and page {row['start_cpu_p50']:.1f} + Run All {row['run_all_cpu_p50']:.1f}"
        lines.append(f"  class start: {ready:.1f} CPU s per learner ({what}; store {'warm' if row['store'] else 'none'}), "
                     f"so 20 learners arriving together wait about {20 * ready / cores:.0f} s on {cores} cores, "
                     f"40 about {40 * ready / cores:.0f} s")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[5, 10, 20], help="class sizes to run, in order")
    parser.add_argument("--notebook", nargs="+", default=["01"],
                        help=f"the notebook(s) each learner runs, by prefix (one round each per N): {', '.join(CHANGES)}")
    parser.add_argument("--prestart", action="store_true",
                        help="start every server before the clock (reported apart), as the instructor guide advises")
    parser.add_argument("--store", type=Path, default=None,
                        help="learners read the notebooks' runs from this store (warmed first where it is not)")
    parser.add_argument("--gb-per-learner", type=float, default=0.5,
                        help="memory a learner needs until a round has measured it: a round that would not fit "
                             "in the available memory is skipped")
    parser.add_argument("--warm-seconds", type=float, default=1800.0, help="warming the store may take this long")
    parser.add_argument("--changes", type=int, default=8, help="explorer control changes per learner")
    parser.add_argument("--think", type=float, default=4.0, help="mean seconds between changes (±50%%)")
    parser.add_argument("--arrival", type=float, default=10.0, help="learners arrive within this many seconds")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="each round stops after this long (it ends sooner when every learner is done); "
                             "so does its pre-start")
    parser.add_argument("--memory-mb", type=int, default=2048, help="per-learner memory limit (cgroup)")
    parser.add_argument("--cpus", type=float, default=1.0, help="per-learner CPU quota in cores")
    parser.add_argument("--budget", type=float, default=0.5, help="p95 redraw budget for the capacity line (s)")
    parser.add_argument("--json", type=Path, help="also write every figure (and each learner's errors) here")
    options = parser.parse_args(argv)
    for flag, value in (("--learners", min(options.learners)), ("--changes", options.changes)):
        if value < 1:
            parser.error(f"{flag} must be at least 1")
    if max(options.learners) > 100:
        parser.error("--learners: at most 100 (each learner is a server and a kernel on this machine)")
    if proxy_command() is None:
        parser.error("configurable-http-proxy is missing: npm ci --prefix classroom")
    try:
        notebooks = [notebook_name(prefix) for prefix in options.notebook]
    except ValueError as err:
        parser.error(str(err))
    for notebook in notebooks:
        if notebook[:2] not in CHANGES:
            parser.error(f"--notebook {notebook}: no explorer change known for it (CHANGES has {', '.join(CHANGES)})")
    if options.store:
        warm_store(options.store, [n[:2] for n in notebooks], options.warm_seconds)

    print(f"Classroom load test on {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB; "
          f"notebooks {', '.join(notebooks)}, store {options.store or 'none'}, "
          f"servers {'started before class' if options.prestart else 'started on arrival'}, "
          f"arrival within {options.arrival:g} s, {options.changes} explorer changes every {options.think:g} s ±50%, "
          f"limits {options.memory_mb} MB and {options.cpus:g} cores per learner; "
          f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    rows, skipped = [], []
    for n in options.learners:
        for notebook in notebooks:
            # never a round the machine's memory cannot hold: the cgroup limits each learner, not
            # the sum (per learner: the largest peak seen for this notebook so far, else --gb-per-learner)
            seen = [r["memory_peak_mb"] / 1024 for r in rows if r["notebook"] == notebook and r["memory_peak_mb"] > 0]
            need = n * max(seen + [options.gb_per_learner]) + 1.0
            free = psutil.virtual_memory().available / 2**30
            if need > free:
                print(f"N = {n}, {notebook}: SKIPPED, would need about {need:.0f} GB, {free:.0f} GB available", flush=True)
                skipped.append(f"N = {n} {notebook[:2]} (about {need:.0f} GB needed)")
                continue
            row = one_round(n, notebook, options)
            rows.append(row)
            print(f"N = {n}, {notebook}: done in {row['wall_s']:.0f} s"
                  + (f" after {row['prestart_wall_s']:.0f} s of pre-start" if options.prestart else "")
                  + f", {row['redraws']} redraws ({row['stale_figures']} late figures dropped), {row['failures']} failed, "
                  f"leftovers {row['leftover_processes'] or 'none'}; load {row['load_before']:.1f} before, "
                  f"{row['load_peak']:.1f} at peak", flush=True)
            for name, errors in row["errors"].items():
                print(f"   {name}: {'; '.join(errors)[:300]}")
    print()
    print(table(rows))
    most = capacity(rows, options.budget)
    print(f"\nLargest N run here with p95 redraw <= {options.budget:g} s and no failure: {most or 'none'}")
    if most:
        row = max((r for r in rows if r["learners"] == most), key=lambda r: r["memory_peak_mb"])
        print(f"  -> {most / os.cpu_count():.1f} learners per core at this activity "
              f"(one change every {options.think:g} s after Run All), "
              f"{row['memory_peak_mb'] / 1024:.2f} GB per learner at peak "
              f"({row['total_memory_peak_gb']:.1f} GB for the whole hub)")
    print(estimate(rows, options))
    if options.json:
        options.json.write_text(json.dumps({"options": vars(options), "rows": rows}, indent=1, default=str))
    if skipped:
        print(f"Skipped for lack of memory: {', '.join(skipped)}")
    return 0 if all(not r["leftover_processes"] for r in rows) and not skipped else 1


if __name__ == "__main__":
    sys.exit(main())
