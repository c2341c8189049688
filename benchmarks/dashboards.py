"""How fast the explorers answer, against the course's budgets.

    .venv/bin/python benchmarks/dashboards.py

Toy explorers: the time from a control change to the redrawn figure (rerun + draw + PNG), the
median of the changes to new settings and of those back to settings run before (which redraw
a kept result), against 0.25 s (the browser adds the trip to the page; the browser test prints
those end-to-end times); and where the time goes at the defaults: the run, the draw hook, and
the picture (explorer.Painter, with new frames and with frames it kept, beside a plain savefig
of the whole figure). Language explorer: the time from pressing Run to the
first generation drawn, against 5 s, cold (world built in the same call) and warm.
Outside a kernel a control change runs synchronously, so the time of the assignment is the
whole response.
"""
import os
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

from collapse_lab import dashboards  # noqa: E402

TOY_BUDGET, LANGUAGE_BUDGET = 0.25, 5.0


def report(name, seconds, budget, cpu=None):
    verdict = "PASS" if seconds <= budget else "FAIL"
    cpu = f"cpu {cpu * 1e3:6.0f} ms" if cpu is not None else " " * 13
    print(f"{name:<66} {seconds * 1e3:6.0f} ms  {cpu}  (budget {budget * 1e3:5.0f} ms)  {verdict}", flush=True)
    return seconds <= budget


def response(explorer, name, values):
    """Wall and CPU times of setting `name` to each of `values` (each change reruns and redraws),
    split into changes to settings the explorer had not run and changes back to settings it had
    (it keeps its last results: those redraw without a rerun).

    CPU time is what the change costs on an idle machine; wall time also counts waiting for
    other processes, which on a shared machine can double it.
    """
    times = {"new": [], "back": []}
    for value in values:
        start, cpu = time.perf_counter(), time.process_time()
        explorer.controls[name].value = value
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert explorer.message.value == "", explorer.message.value
        times["back" if explorer.timings["kept"] else "new"].append((wall, cpu))
    return {kind: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t), len(t))
            for kind, t in times.items() if t}


def breakdown():
    """Where a change's time goes at each toy explorer's defaults (ms, median of 5; explorer.timings):
    the run, the draw hook (making the artists), and the picture: the painter with every frame
    new, the painter with its frames kept, and, in the same run, the straightforward way it
    replaced (savefig of the whole figure)."""
    from collapse_lab.explorers import png

    def ms(values):
        return statistics.median(values) * 1e3

    print(f"{'at the defaults, ms':<30}{'run':>7}{'draw':>7}{'new frames':>12}{'kept frames':>13}{'savefig':>9}")
    for name in ("gaussian", "words", "mixture", "distillation"):
        runs = [getattr(dashboards, name)().timings["run"] for _ in range(5)]   # each new explorer runs afresh
        explorer = getattr(dashboards, name)()
        draws, new, kept, plain = [], [], [], []
        for _ in range(5):
            explorer.painter.forget()
            explorer.redraw()
            draws.append(explorer.timings["draw"])
            new.append(explorer.timings["picture"])
            explorer.redraw()
            kept.append(explorer.timings["picture"])
            start = time.perf_counter()
            png(explorer.figure)
            plain.append(time.perf_counter() - start)
        print(f"{name:<30}{ms(runs):7.0f}{ms(draws):7.0f}{ms(new):12.0f}{ms(kept):13.0f}{ms(plain):9.0f}", flush=True)


def toys():
    ok = True
    cases = [
        ("gaussian", "real_fraction", [0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.15, 0.1]),
        ("gaussian", "mode", ["accumulate", "accumulate-subsample", "accumulate", "replace"]),
        ("gaussian", "gate", ["top", "clip", "none", "top", "none"]),   # gated: the sample-by-sample path
        ("words", "real_fraction", [0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.15, 0.1]),
        ("words", "smoothing", [0.001, 0.01, 0.1, 0.01, 0.001]),
        ("mixture", "minority", [0.12, 0.14, 0.16, 0.18, 0.2, 0.18, 0.16, 0.14]),
        ("mixture", "gate", ["clip", "none", "clip", "none", "clip"]),
        ("distillation", "real_fraction", [0.05, 0.1, 0.15, 0.1, 0.05]),
    ]
    built = {}
    for explorer_name, control, values in cases:
        explorer = built.setdefault(explorer_name, getattr(dashboards, explorer_name)())
        new = explorer.painter.full_draws
        timed = response(explorer, control, values)
        new = explorer.painter.full_draws - new
        for kind, (wall, cpu, n) in timed.items():
            what = "new settings" if kind == "new" else "back to settings run before"
            ok &= report(f"{explorer_name}: '{control}', {what} ({n})", wall, TOY_BUDGET, cpu)
        print(f"{'':<4}{new} of {len(values)} changes needed a new frame", flush=True)
    return ok


def first_generation():
    """Seconds from building the explorer and pressing Run to the first generation drawn."""
    start = time.perf_counter()
    explorer = dashboards.language_model(run=False)   # builds the world on first use: count it
    return run_to_first_draw(explorer, start), explorer


def run_to_first_draw(explorer, start=None):
    """Seconds from `start` (default: now, i.e. pressing Run) to generation 0 drawn (a new image)."""
    start = time.perf_counter() if start is None else start
    shown = {}
    explorer.output.observe(lambda change: shown.setdefault("first", time.perf_counter()), names="outputs")
    explorer.controls["generations"].value = 1      # generation 0 is what counts; keep the run short
    explorer.run()
    assert "⚠" not in explorer.message.value, explorer.message.value
    return shown["first"] - start


def language():
    ok = True
    cold, explorer = first_generation()
    ok &= report("language_model (n-gram): Run → generation 0 shown, cold", cold, LANGUAGE_BUDGET)
    warm, _ = first_generation()
    ok &= report("language_model (n-gram): Run → generation 0 shown, warm", warm, LANGUAGE_BUDGET)
    explorer.controls["generations"].value = 10
    start = time.perf_counter()
    explorer.run()
    print(f"{'language_model (n-gram): a whole run of 10 generations':<66} "
          f"{(time.perf_counter() - start) * 1e3:8.0f} ms")
    if [v for _, v in explorer.controls["model"].options if v == "neural"]:
        # choosing "neural" loads PyTorch and warms it up before Run is pressed; time that apart
        start = time.perf_counter()
        explorer = dashboards.language_model(run=False)
        explorer.controls["model"].value = "neural"
        print(f"{'language_model (neural): choose neural → PyTorch warmed up':<66} "
              f"{(time.perf_counter() - start) * 1e3:8.0f} ms")
        seconds = run_to_first_draw(explorer)
        ok &= report("language_model (neural): Run → generation 0 shown", seconds, LANGUAGE_BUDGET)
    return ok


if __name__ == "__main__":
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorer response times, median of the changes of each kind (load average now {load:.1f} on {os.cpu_count()} cores)")
    breakdown()
    ok = toys()
    ok &= language()
    sys.exit(0 if ok else 1)
