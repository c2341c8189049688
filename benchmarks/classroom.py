"""A class on one machine: N simulated learners on the workshop hub, measured.

    .venv/bin/python benchmarks/classroom.py                  # N = 5, 10, 20 (under 10 minutes when quiet)
    .venv/bin/python benchmarks/classroom.py --learners 5 10 20 40 --json classroom/results.json

For each N a fresh hub (classroom/jupyterhub_config.py, real proxy, loopback ports only) is started,
and N learners, arriving over the first --arrival seconds, each:
  1. sign in through the proxy (the sign-in form), ask for a server, and wait until it answers
     through the proxy                                          -> "start" (request to answer)
  2. open the notebook (contents + sessions API) and execute every code cell over the kernel
     websocket, in order                                        -> "Run All"
  3. use its explorer at a human pace: --changes control changes, one every --think seconds
     (±50% jitter), each `explorer.controls['samples'].value = v` executed in the kernel; timed
     from sending the request to the widget update that carries the new figure's PNG arriving
     on the websocket                                            -> "redraw" (and the kernel
     process's CPU time over that interval, which separates cost from waiting for a core)
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
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "classroom"))
from harness import (Hub, Learner, cpu_seconds, kernel_process, learner_memory, new_png,  # noqa: E402
                     proxy_command, server_process)  # noqa: E402

SAMPLES = [60, 150, 80, 200, 100, 120, 50, 90]   # the 'samples' control, cycled; never twice in a row
CHANGE = "explorer.controls['samples'].value = {value}"


def percentile(values, q):
    """The q-th percentile (nearest rank) of values, or NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)), 1) - 1]


def one_learner(hub, name, options, deadline, record):
    """Everything one learner does; every outcome goes into `record`, nothing is raised."""
    rng = random.Random(name)
    kernel = None
    try:
        time.sleep(rng.uniform(0, options.arrival))
        learner = Learner(hub.url, name, hub.password, timeout=60)
        learner.log_in()
        record["start"] = learner.start_server(timeout=max(deadline - time.monotonic(), 1))
        record["start_cpu"] = cpu_seconds(server_process(hub, name))   # everything the server did to start
        kernel = learner.open_notebook(f"notebooks/{options.notebook}.ipynb")
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
            value = SAMPLES[change % len(SAMPLES)]
            cpu = cpu_seconds(process)
            seconds, error, seen = kernel.execute(CHANGE.format(value=value), until=new_png,
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


def one_round(n, options):
    """Start a hub, run n learners, stop everything; return the round's figures."""
    records = {f"learner{i:02d}": {"errors": [], "redraws": [], "redraw_cpu": [], "start": None, "start_cpu": None,
                                   "run_all": None, "run_all_cpu": None, "kernel_died": False, "unfinished": False}
               for i in range(n)}
    load_before = os.getloadavg()[0]
    with Hub(memory_mb=options.memory_mb, cpus=options.cpus) as hub:
        sampler = Sampler(hub)
        sampler.start()
        started = time.monotonic()
        deadline = started + options.max_seconds
        threads = [threading.Thread(target=one_learner, args=(hub, name, options, deadline, record), daemon=True)
                   for name, record in records.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(deadline + 90 - time.monotonic(), 0.1))
        wall = time.monotonic() - started
        sampler.stopped.set()
        sampler.join()
        cpu_seconds = sum(sampler.cpu.values())
    starts = [r["start"] for r in records.values() if r["start"] is not None]
    run_alls = [r["run_all"] for r in records.values() if r["run_all"] is not None]
    redraws = [s for r in records.values() for s in r["redraws"]]
    redraw_cpu = [s for r in records.values() for s in r["redraw_cpu"]]
    start_cpu = [r["start_cpu"] for r in records.values() if r["start_cpu"] is not None]
    run_all_cpu = [r["run_all_cpu"] for r in records.values() if r["run_all_cpu"] is not None]
    peaks = list(sampler.peak.values())
    return {
        "learners": n, "wall_s": wall, "load_before": load_before, "load_peak": sampler.load_peak,
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
        "errors": {name: r["errors"] for name, r in records.items() if r["errors"]},
        "leftover_processes": hub.leftovers,
    }


COLUMNS = [  # (header, key, format)
    ("N", "learners", "{:>3d}"),
    ("start p50/p95 s", ("start_p50", "start_p95"), "{:5.1f} /{:5.1f}"),
    ("Run All p50/p95 s", ("run_all_p50", "run_all_p95"), "{:5.1f} /{:5.1f}"),
    ("redraw p50/p95 s", ("redraw_p50", "redraw_p95"), "{:5.2f} /{:5.2f}"),
    ("CPU s: start/Run All/redraw", ("start_cpu_p50", "run_all_cpu_p50", "redraw_cpu_p50"), "{:4.1f} / {:4.1f} / {:4.2f}"),
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
    N x (start + Run All CPU) / cores seconds.
    """
    measured = [r for r in rows if r["redraw_cpu_p50"] == r["redraw_cpu_p50"]]
    if not measured:
        return "No redraw finished: no estimate from CPU cost."
    row = max(measured, key=lambda r: r["redraws"])
    cores = os.cpu_count()
    per_core = busy * options.think / row["redraw_cpu_p50"]
    ready = row["start_cpu_p50"] + row["run_all_cpu_p50"]
    return (f"From CPU cost (N = {row['learners']} round; steadier than the times above on a busy machine):\n"
            f"  explorer use, one change every {options.think:g} s, cores at most {busy:.0%} busy: "
            f"about {per_core:.0f} learners per core ({per_core * cores:.0f} on {cores} cores)\n"
            f"  class start: {ready:.1f} CPU s per learner (server {row['start_cpu_p50']:.1f} + Run All "
            f"{row['run_all_cpu_p50']:.1f}), so 20 learners arriving together wait about "
            f"{20 * ready / cores:.0f} s on {cores} cores")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[5, 10, 20], help="class sizes to run, in order")
    parser.add_argument("--notebook", default="01_gaussian_collapse", help="the notebook each learner runs")
    parser.add_argument("--changes", type=int, default=8, help="explorer control changes per learner")
    parser.add_argument("--think", type=float, default=4.0, help="mean seconds between changes (±50%%)")
    parser.add_argument("--arrival", type=float, default=10.0, help="learners arrive within this many seconds")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="each round stops after this long (it ends sooner when every learner is done)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="per-learner memory limit (cgroup)")
    parser.add_argument("--cpus", type=float, default=1.0, help="per-learner CPU quota in cores")
    parser.add_argument("--budget", type=float, default=0.5, help="p95 redraw budget for the capacity line (s)")
    parser.add_argument("--json", type=Path, help="also write every figure (and each learner's errors) here")
    options = parser.parse_args(argv)
    for flag, value in (("--learners", min(options.learners)), ("--changes", options.changes)):
        if value < 1:
            parser.error(f"{flag} must be at least 1")
    if proxy_command() is None:
        parser.error("configurable-http-proxy is missing: npm ci --prefix classroom")

    print(f"Classroom load test on {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB; "
          f"notebook {options.notebook}, {options.changes} explorer changes every {options.think:g} s ±50%, "
          f"limits {options.memory_mb} MB and {options.cpus:g} cores per learner; "
          f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for n in options.learners:
        row = one_round(n, options)
        rows.append(row)
        print(f"N = {n}: done in {row['wall_s']:.0f} s, {row['redraws']} redraws, "
              f"{row['failures']} failed, leftovers {row['leftover_processes'] or 'none'}", flush=True)
        for name, errors in row["errors"].items():
            print(f"   {name}: {'; '.join(errors)[:300]}")
    print()
    print(table(rows))
    most = capacity(rows, options.budget)
    print(f"\nLargest N run here with p95 redraw <= {options.budget:g} s and no failure: {most or 'none'}")
    if most:
        row = next(r for r in rows if r["learners"] == most)
        print(f"  -> {most / os.cpu_count():.1f} learners per core at this activity "
              f"(one change every {options.think:g} s after Run All), "
              f"{row['memory_peak_mb'] / 1024:.2f} GB per learner at peak "
              f"({row['total_memory_peak_gb']:.1f} GB for the whole hub)")
    print(estimate(rows, options))
    if options.json:
        options.json.write_text(json.dumps({"options": vars(options) | {"json": str(options.json)},
                                            "rows": rows}, indent=1))
    return 0 if all(not r["leftover_processes"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
