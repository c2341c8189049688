"""How long Stop takes in every explorer: from the click to the explorer idle again (issue 23, item 5).

    nice .venv/bin/python benchmarks/stop.py [name ...]

Each explorer runs, as inside Jupyter, in its background thread, with settings long enough to be
still working when Stop is pressed (IN_UNIT seconds into its second generation or grid cell, so
Stop lands inside a unit of work); the time from `stop()` to the run's thread ending is the Stop latency, against the 1 s budget. Three presses each; the median
and the worst are printed. The capstone explorer has no Stop (a recipe runs in 1 to 10 s).
A benchmark, not a test: the figures depend on the machine and its load.
"""
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

from collapse_lab import dashboards  # noqa: E402
from collapse_lab.explorers import explorer as explorer_module  # noqa: E402

BUDGET, IN_UNIT, PRESSES = 1.0, 0.3, 3

# settings long enough to outlast STOP_AFTER (each a few seconds to minutes if not stopped)
LONG = {
    # the clip gate: samples drawn one by one (without a gate the exact path runs 1000 generations in 0.2 s)
    "gaussian": (lambda: dashboards.gaussian(run=False), dict(gate="clip", samples=100_000, generations=500, seeds=10)),
    "words": (lambda: dashboards.words(run=False), dict(samples=20_000, generations=50, seeds=50)),
    "mixture": (lambda: dashboards.mixture(run=False), dict(samples=2000, generations=200, seeds=8)),
    "language (n-gram)": (lambda: dashboards.language_model(run=False),
                          dict(samples=20_000, generations=100, seeds=2)),
    "language (neural)": (lambda: dashboards.language_model(run=False), dict(model="neural", generations=3)),
    "gates": (lambda: dashboards.gates(run=False),
              dict(gates="none, top:0.9, top:0.8, top:0.7, real, dedup", real_fractions="0, 0.1, 0.2")),
    "distillation": (lambda: dashboards.distillation(run=False), dict(teacher_samples=20_000, generations=20)),
    "monitor": (lambda: dashboards.monitor(run=False), dict(samples=20_000, generations=100, seeds=4)),
}


def stop_latency(explorer, values, seed):
    """(Seconds from Stop to idle, of which the run's own part: from Stop to the experiment returning;
    the rest is drawing the partial result), for one run with `values` (a fresh seed, so it runs)."""
    with explorer.hold():
        for name, value in {**values, **({"seed": seed} if "seed" in explorer.controls else {})}.items():
            explorer.controls[name].value = value
    ticks = []
    tick = explorer._tick
    explorer._tick = lambda partial, done, total: ticks.append(time.perf_counter()) or tick(partial, done, total)
    explorer._start()                          # as the Run button: a background thread
    # Stop in the middle of a unit of work (a generation, a grid cell, a neural fit), not during
    # a warm-up: IN_UNIT seconds after the second unit began
    while len(ticks) < 2 and explorer._thread is not None:
        time.sleep(0.005)
    time.sleep(IN_UNIT)
    explorer._tick = tick
    if explorer._thread is None:
        return None                            # finished before Stop: settings too short
    pressed = time.perf_counter()
    explorer.stop()
    while explorer._thread is not None:
        time.sleep(0.005)
    ended = explorer._started + explorer.timings.get("run", float("nan"))
    return time.perf_counter() - pressed, ended - pressed


def main(names):
    explorer_module.in_kernel = lambda: True   # as inside Jupyter: runs go to a thread, Stop is heard
    worst_all = 0.0
    for name in names or LONG:
        build, values = LONG[name]
        explorer = build()
        pairs = [t for t in (stop_latency(explorer, values, seed) for seed in range(1, PRESSES + 1)) if t is not None]
        if not pairs:
            print(f"{name:<20} finished before Stop: lengthen its settings ({explorer.message.value[:120]})")
            continue
        times, runs = [t for t, _ in pairs], [r for _, r in pairs]
        worst_all = max(worst_all, max(times))
        verdict = "PASS" if max(times) <= BUDGET else "FAIL"
        print(f"{name:<20} Stop → idle: median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
              f"(the run's part: median {statistics.median(runs):.2f} s; {len(times)} presses; budget {BUDGET:.1f} s)  "
              f"{verdict}", flush=True)
    return worst_all <= BUDGET


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:]) else 1)
