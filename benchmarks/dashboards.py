"""How fast the explorers answer, against the course's budgets.

    .venv/bin/python benchmarks/dashboards.py [kernel] [breakdown] [toys] [language]   (default: all four)
    COLLAPSE_LAB_STORE=DIR .venv/bin/python benchmarks/dashboards.py tips   (a warmed store: each tip step)

Kernel CPU per redraw (issue 22, item 3): each toy explorer in a real Jupyter kernel, driven as
the browser drives it (a slider's new value arrives as a comm message; the run works in the
explorer's thread; the new figure leaves as a widget message), over the same changes as `toys`.
The kernel's CPU time (getrusage, every thread) from the message to the explorer idle again,
less what the two measuring cells cost alone, is printed for the painter as it is beside the
painter as it was (PlainPainter below: Agg rasterising every text anew and Pillow's PNG
encoder), both in the same kernel, change by change in turn, against 0.08 s; then where that
time goes, from explorer.timings["cpu"]: the run, the draw hook, the picture (Agg drawing, PNG
encoding) and the rest (the widget messages, their encoding, the threads' hand-off, the kernel
reading the change). CPU time, not wall time: other processes on a shared machine change it
little (the load average is printed).

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
import base64
import io
import json
import os
import queue
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

from collapse_lab import dashboards  # noqa: E402
from collapse_lab.explorers import Painter, all_axes  # noqa: E402

TOY_BUDGET, LANGUAGE_BUDGET, KERNEL_BUDGET = 0.25, 5.0, 0.08

# the changes timed: (explorer, control, values), each value set in turn from the explorer's defaults
CASES = [
    ("gaussian", "real_fraction", [0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.15, 0.1]),
    ("gaussian", "mode", ["accumulate", "accumulate-subsample", "accumulate", "replace"]),
    ("gaussian", "gate", ["top", "clip", "none", "top", "none"]),   # gated: the sample-by-sample path
    ("words", "real_fraction", [0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.15, 0.1]),
    ("words", "smoothing", [0.001, 0.01, 0.1, 0.01, 0.001]),
    ("mixture", "minority", [0.12, 0.14, 0.16, 0.18, 0.2, 0.18, 0.16, 0.14]),
    ("mixture", "gate", ["clip", "none", "clip", "none", "clip"]),
    ("distillation", "real_fraction", [0.05, 0.1, 0.15, 0.1, 0.05]),
]


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
    built = {}
    for explorer_name, control, values in CASES:
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


# --- kernel CPU per redraw: the painter as it is beside the painter as it was ---

class PlainPainter(Painter):
    """The explorers' picture as it was made before issue 22, kept here for comparison only (never
    in a timed test): Agg lays out and rasterises every text anew, and Pillow encodes the PNG
    (trying its row filters on every row), then base64. The frames kept and the moving parts
    drawn are the Painter's, so the two differ only in what this issue changed."""

    def renderer(self):
        return self.canvas.get_renderer()

    def png(self):
        from PIL import Image
        cpu = time.thread_time()
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.png_cpu = time.thread_time() - cpu
        return encoded


def plain(explorer):
    """`explorer` drawing through PlainPainter from now on (its figure drawn once that way)."""
    explorer.painter = PlainPainter(explorer.figure, all_axes(explorer._axes))
    explorer.redraw()
    return explorer


# run in the kernel: the explorers, and what the measuring cells read
IN_KERNEL = """
import importlib.util, json, resource, time
spec = importlib.util.spec_from_file_location("dashboards_benchmark", {path!r})
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
from collapse_lab import dashboards
E, last = {{}}, None

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)      # every thread of the kernel, finished ones too
    return usage.ru_utime + usage.ru_stime

def idle(explorer):
    while (thread := explorer._thread) is not None:      # the run (and any run queued after it) done;
        thread.join()                                    # joined, not polled: polling costs CPU too
    time.sleep(0.03)                                     # and its messages sent by the kernel's I/O thread

def update(explorer, control, value):
    # the comm message the browser sends when a learner sets `control` to `value`
    widget = explorer.controls[control]
    if "index" in widget.keys:                           # a dropdown syncs the index of its choice
        state = {{"index": list(widget._options_values).index(value)}}
    else:
        state = {{"value": value}}
    return json.dumps({{"comm_id": widget.model_id, "data": {{"method": "update", "state": state, "buffer_paths": []}}}})
"""


class KernelSession:
    """A real Jupyter kernel driven as the browser drives it: cells run, comm messages sent, and the
    kernel's CPU time (getrusage, every thread) from a change to the explorers idle again."""

    def __init__(self, env=None):
        from jupyter_client.manager import start_new_kernel

        self.wakes = []   # each a request ipykernel left unread (its change's CPU then counts a kernel_info too)
        self.km, self.kc = start_new_kernel(kernel_name="python3", env=env)   # this Python's ipykernel
        self.execute(IN_KERNEL.format(path=os.path.abspath(__file__)))

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def execute(self, code):
        """Run `code` in the kernel; what it printed. Returns once the kernel is idle and its reply is
        read: ipykernel 7 sends a reply from another thread, and a request landing on the socket
        while it does may lie unread (ipython/ipykernel#1554), so nothing is sent before it."""
        kc = self.kc
        msg_id = kc.execute(code, store_history=False)
        printed, idle, replied, waited = [], False, False, 0.0
        while not (idle and replied):
            try:
                if not idle:
                    msg = kc.get_iopub_msg(timeout=5)
                else:
                    replied = kc.get_shell_msg(timeout=5)["parent_header"].get("msg_id") == msg_id
                    continue
            except queue.Empty:
                waited += 5
                if waited > 300:
                    raise
                self.wake()                                # a request left unread all the same
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue                                   # the explorers' own widget messages
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return "".join(printed)

    def wake(self):
        """A new connection makes ipykernel read its shell socket again (ipython/ipykernel#1554)."""
        self.wakes.append(time.perf_counter())
        other = self.km.client()
        other.start_channels()
        try:
            other.kernel_info(reply=True, timeout=10)
        except (queue.Empty, TimeoutError, RuntimeError):
            pass
        other.stop_channels()

    def measured(self, change=None):
        """Kernel CPU from before `change` (a comm message's content) to the explorers idle again."""
        self.execute("c0 = cpu()")
        if change is not None:
            self.kc.shell_channel.send(self.kc.session.msg("comm_msg", json.loads(change)))
        return json.loads(self.execute("for e in E.values(): idle(e)\nprint(json.dumps([cpu() - c0, last.timings]))"))


def kernel_cpu():
    """Kernel CPU per redraw in a real kernel, PlainPainter beside Painter, change by change in turn.
    Every run computed: the kernel reads no store, whatever the environment says."""
    kernel = KernelSession(env={k: v for k, v in os.environ.items() if not k.startswith("COLLAPSE_LAB_STORE")})
    execute, measured, wakes = kernel.execute, kernel.measured, kernel.wakes
    try:
        # what the two measuring cells cost without a change (taken off every change)
        execute("last = dashboards.gaussian(run=False)")
        alone = statistics.median(measured()[0] for _ in range(9))
        costs = {}     # (explorer, "old" or "new") → [(kernel CPU, explorer.timings)] per change
        for name, control, values in CASES:
            execute(f"E = {{'new': dashboards.{name}(), 'old': bench.plain(dashboards.{name}())}}\n"
                    "for e in E.values(): idle(e)")
            for value in values:
                for path in ("old", "new"):
                    change = execute(f"last = E[{path!r}]; print(update(last, {control!r}, {value!r}))").strip()
                    total, timings = measured(change)
                    costs.setdefault((name, path), []).append((total - alone, timings))
    finally:
        kernel.close()

    ok = True
    print(f"Kernel CPU per redraw, ms: median of each explorer's changes (those of `toys`; the measuring cells' "
          f"own {alone * 1e3:.1f} ms taken off), before (PlainPainter) and now (Painter); the budget is for all "
          "changes; 'new only' is the median of the changes to settings not run before (a run, then a redraw)"
          + (f"; {len(wakes)} request(s) ipykernel left unread were woken" if wakes else ""))
    print(f"{'':<14}{'changes':>8}{'before':>8}{'now':>8}{'budget':>8}{'':6}{'new only: changes':>18}{'before':>8}{'now':>8}")
    for name in dict.fromkeys(name for name, _, _ in CASES):
        old, new = (statistics.median(c for c, _ in costs[name, path]) for path in ("old", "new"))
        fresh = {path: [c for c, t in costs[name, path] if not t["kept"]] for path in ("old", "new")}
        ok &= new <= KERNEL_BUDGET
        print(f"{name:<14}{len(costs[name, 'new']):8}{old * 1e3:8.0f}{new * 1e3:8.0f}{KERNEL_BUDGET * 1e3:8.0f}  "
              f"{'PASS' if new <= KERNEL_BUDGET else 'FAIL'}{len(fresh['new']):18}"
              f"{statistics.median(fresh['old']) * 1e3:8.0f}{statistics.median(fresh['new']) * 1e3:8.0f}", flush=True)
    print("Where it goes, ms, mean per change: to settings not run before (new) and back to settings run "
          "before (back, a kept result redrawn); Agg: drawing the picture; rest: widget messages and their "
          "encoding, the threads' hand-off, the kernel reading the change")
    print(f"{'':<22}{'changes':>8}{'total':>7}{'run':>6}{'draw hook':>10}{'Agg':>6}{'PNG':>6}{'rest':>6}")
    for name in dict.fromkeys(name for name, _, _ in CASES):
        for kind, kept in (("new", False), ("back", True)):
            for path in ("old", "new"):
                picked = [(c, t["cpu"]) for c, t in costs[name, path] if t["kept"] == kept]
                if not picked:
                    continue
                part = {key: statistics.mean(t.get(key, 0.0) for _, t in picked) * 1e3
                        for key in ("run", "draw", "picture", "png")}
                total = statistics.mean(c for c, _ in picked) * 1e3
                rest = total - part["run"] - part["draw"] - part["picture"]
                label = f"{name} {'before' if path == 'old' else 'now'}"
                print(f"{label:<22}{kind + ' ' + str(len(picked)):>8}{total:7.1f}{part['run']:6.1f}{part['draw']:10.1f}"
                      f"{part['picture'] - part['png']:6.1f}{part['png']:6.1f}{rest:6.1f}", flush=True)
    return ok


TOY_LESSONS = {"gaussian": "01", "words": "02", "mixture": "03", "distillation": "06"}


def kernel_tips():
    """Kernel CPU per redraw when the change is a step of a "Try this" tip, in a kernel that reads the
    shared store (COLLAPSE_LAB_STORE must name a store `python -m collapse_lab warm` filled): the
    tips' runs are stored, so a tip's redraw is a store read and a drawing. Each explorer is built
    as its notebook builds it; each tip starts from its defaults (Reset, not timed), then each
    step that sets one control is one timed change (a step setting two controls at once is two
    changes in the browser, the first to settings no tip names: left out)."""
    from collapse_lab.engine import store

    folder = os.environ.get(store.ENV_VAR)
    if not folder:
        print("tips: set COLLAPSE_LAB_STORE to a warmed store (python -m collapse_lab warm --store DIR)")
        return False
    kernel = KernelSession(env={k: v for k, v in os.environ.items() if k != store.WRITE_ENV_VAR})
    costs, skipped = {}, 0
    try:
        kernel.execute("last = dashboards.gaussian(run=False)\nE = {'new': last}")
        alone = statistics.median(kernel.measured()[0] for _ in range(9))
        for name, lesson in TOY_LESSONS.items():
            kernel.execute(f"E = {{'new': dashboards.AS_IN_NOTEBOOKS[{lesson!r}]()}}; last = E['new']")
            tips = json.loads(kernel.execute("print(json.dumps([list(t.steps) for t in last.tip_list]))"))
            for steps in tips:
                kernel.execute("last.reset()\nidle(last)")
                for step in steps:
                    if len(step) != 1:
                        skipped += 1
                        kernel.execute(f"with last.hold():\n    for k, v in {step!r}.items(): last.controls[k].value = v\n"
                                       "idle(last)")
                        continue
                    (control, value), = step.items()
                    change = kernel.execute(f"print(update(last, {control!r}, {value!r}))").strip()
                    total, timings = kernel.measured(change)
                    costs.setdefault(name, []).append((total - alone, timings))
        hits = kernel.execute("from collapse_lab.engine import cache; print(cache.STORES[0].hits, cache.STORES[0].misses)")
    finally:
        kernel.close()
    ok = True
    print(f"Kernel CPU per redraw, ms, when the change is a tip's step, the store warm ({folder}; store hits, "
          f"misses in the kernel: {hits.strip()}; {skipped} two-control steps left out): median, and the run's part")
    for name, changes in costs.items():
        median = statistics.median(c for c, _ in changes)
        ok &= median <= KERNEL_BUDGET
        read = statistics.median(t["cpu"]["run"] for _, t in changes) * 1e3
        print(f"{name:<14}{len(changes):8}{median * 1e3:8.0f}{KERNEL_BUDGET * 1e3:8.0f}  "
              f"{'PASS' if median <= KERNEL_BUDGET else 'FAIL'}   run (a store read here) {read:5.1f}", flush=True)
    return ok


def load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["kernel", "breakdown", "toys", "language"]
    print(f"Explorer response times (load average now {load():.1f} on {os.cpu_count()} cores)")
    ok = True
    if "kernel" in parts:
        ok &= kernel_cpu()
    if "tips" in parts:
        ok &= kernel_tips()
    if "breakdown" in parts:
        breakdown()
    if "toys" in parts:
        ok &= toys()
    if "language" in parts:
        ok &= language()
    print(f"load average at the end {load():.1f}")
    sys.exit(0 if ok else 1)
