"""The generic Explorer: controls wired to an experiment and a figure, with Run, Stop and Reset.

The per-lesson explorers (dashboards.gaussian(), dashboards.gates(), ...) are each a short
function that builds controls and three hooks and hands them to `Explorer`:

    Explorer("A Gaussian trained on its own samples", controls,
             experiment=lambda values, tick: simulate(...),   # -> a History (or a dict of them)
             panels=lambda fig: fig.subplot_mosaic(...),      # lays out the panels, once
             draw=lambda result, values, axes: {...},         # fills them; returns what it drew
             caption=lambda result, values: "σ fell from ...",  # one line under the plot
             on_result=lambda result, values, plotted: {"alarms": ...},  # optional: read as .alarms
             tips=["Set real data to 0.1: ...", ...])        # the "Try this" list

A control may be a widget or a `ControlGroup` (controls.py): a `GateControl` is the gate dropdown
and its strength slider together, so the Explorer itself knows nothing of gates.

What a notebook (or a test) may use:

- `.controls`   name → widget; set `.value` from code and the explorer reacts as if clicked
- `.run()`      run with the current values, synchronously; returns the History (None if refused)
- `.reset()`    every control back to the lesson's settings (the Reset button)
- `.stop()`     ask a running experiment to stop after its current generation (the Stop button);
                `.stop_requested` says whether it was asked, for experiments that loop themselves
- `.say(text)`  a line under the controls: a value that cannot work, in words, never a traceback
- `.history`    the latest History; `.result` what the experiment returned; `.figure` the Figure;
                `.plotted` the arrays last drawn; `.summary` the caption's text
- `.reported`   what the lesson's `on_result` hook read off the last drawing; each entry is also
                an attribute (`monitor.alarms`, `capstone.scores`)
- `.sync`       True where a click's run works in the calling thread (Colab; see Explorer)
- `.timings`    where the last change's time went, in seconds: "run" (0 for a kept result; "kept"
                says which), "draw" (the draw hook) and "picture" (`.painter` making the PNG); and
                under "cpu" the CPU time of the same parts, and of "png" (encoding, part of the
                picture), as the thread that did them counts it (other processes hardly change it)

It follows the ipywidgets documentation's shape, HBox([VBox(controls), VBox([output, caption])]),
with `continuous_update=False` on every slider, and errors shown in words under the controls.

Why figures are PNGs written into the Output's `outputs`: runs started from a click go to a
background thread (except in sync mode, for Colab), so Stop stays clickable while a run works, and an Output's `with out:`
capture does not work from a thread. Replacing `outputs` in one assignment works from any thread
and swaps the old image for the new one with no flicker (what `clear_output(wait=True)` does
on the main thread). Each explorer keeps one plain matplotlib `Figure`, never registered with
pyplot, so figures neither pile up nor show twice; its panels are built once and wiped before
each redraw, and a `Painter` redraws only what moved (the frames' tick labels were most of the
cost of a redraw).

Why not an ipywidgets `Image` with the PNG as binary, instead of base64 in an Output: measured in
a kernel, the whole message costs 0.2–0.4 ms either way (base64 and JSON of an 80 kB picture are
C-speed), against 35–200 ms for a change (benchmarks/dashboards.py: the run, the draw hook and
Agg are nearly all of it), while the site build (tools/build_site.py) and the load test
(classroom/harness.py) find the explorers' figures as "image/png" in an Output's outputs.

Speed, in JupyterLab on 2 cores (the browser test prints the times): a change to settings not
run before answers in about 0.2–0.3 s (the 2-D mixture in about 0.4 s, most of it EM); a change
back to settings run before, in 0.1–0.15 s, as the explorer keeps its last results. A run
shorter than SHOW_BUSY_AFTER sends the page nothing but its new figure and caption; a longer one
shows "running…", its progress and Stop.

Keyboard: in JupyterLab a focused slider steps with the arrow keys. In Notebook 7 the notebook's
own shortcuts take the arrow keys (a Python widget cannot stop that without a front-end
extension); Home, End, PageUp and PageDown work in both, and the number boxes take typed values.
"""
import contextlib
import html
import os
import sys
import threading
import time
import traceback

import ipywidgets as widgets
from matplotlib.figure import Figure

from .. import figures
from ..engine import guard
from ..engine.base import World
from ..engine.checks import Interval, check_number, validate_params
from ..figures.style import rc_scope
from .controls import CONTROL_WIDTH, ControlGroup, in_words
from .wording import RUNNING
from .painter import DPI, EXPLORER_STYLE, MARGINS, Painter, all_axes, steady, wipe

REDRAW_EVERY = 0.3   # seconds between live redraws of a long run
FIRST_LIVE = 1.0     # a run shorter than this is drawn once, at its end (a live redraw costs ~0.2 s)
PROGRESS_EVERY = 0.1  # seconds between progress updates (each is a message to the browser)
SHOW_BUSY_AFTER = 0.1  # a run still working after this shows "running…", progress and Stop; a quicker
                       # one shows only its new figure (each change of the controls' look costs the page a layout)
RESULTS_KEPT = 8    # results an explorer that reruns on every change keeps, by settings (see Explorer.run)
SYNC_TIME_LIMIT = 60.0  # seconds: a run in the calling thread (sync mode) stops after this (see Explorer)
SYNC_FLAG = "COLLAPSE_LAB_SYNC"   # set to 1: every explorer runs in the calling thread
KEYS = "Keys: Tab to a slider, then ←/→ (JupyterLab) or Home/End/PageUp/PageDown (also Notebook 7)."


# what Reset puts back on each control (a control group may have swapped a widget for one with another range)
RESTORED = ("value", "min", "max", "step", "description", "disabled", "readout")


def in_kernel():
    """True inside a Jupyter kernel (where clicks arrive while code runs), False in tests and scripts."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def synchronous():
    """True where explorers must run in the calling thread: in Colab, whose page does not show widget
    updates made from a background thread (googlecolab/colabtools#3373), or where COLLAPSE_LAB_SYNC=1."""
    return "google.colab" in sys.modules or os.environ.get(SYNC_FLAG, "").strip() not in ("", "0")


# The rules for the explorers' own keyword arguments (a control's starting value is checked by
# `_apply` against the control's range). The highs are what an explorer can show within its time
# budget: 50,000 words ran in under 4 s (notebooks 02 and 04, peak 240 MB); samples, the distillation
# chain's real set, up to its largest teacher_samples; seeds as the seeds boxes allow.
EXPLORER_ARGS = {
    "run": [bool],
    "n_words": [Interval(int, 10, 50_000)],
    "samples": [Interval(int, 2, 20_000)],
    "seeds": [Interval(int, 1, 50)],
    "seed": [Interval(int, 0, None)],
    "world": [None, World],
    "runner": [None, callable],
}


def check_arguments(owner, **args):
    """An explorer's own keyword arguments, checked before anything is built: `n_words=10**9` is refused
    with the course's template naming `owner` (e.g. 'dashboards.words'), not capped without a word.
    Returns the checked values (an int for an int rule)."""
    return validate_params(args, EXPLORER_ARGS, owner)


class Explorer:
    """Controls wired to an experiment and a figure. Build one with dashboards.gaussian(), ...

    title, controls : the heading, and name → widget for the controls that rerun the experiment;
                an entry may be a `ControlGroup` (e.g. a `GateControl`), whose widgets take its place
    experiment(values, tick) -> result : runs with the control values; calls `tick(partial, done,
                          total)` after each step (a generation, a cell of a grid) and stops
                          early when it returns False. The result is a History or a dict of them.
    panels(fig) -> axes : lays out the figure's panels, once
    draw(result, values, axes) -> dict : fills the panels, returns the arrays it drew
    caption(result, values) -> str : one plain sentence under the plot saying what changed (the
                          text a screen reader reads, and a caption for everyone)
    on_result(result, values, plotted) -> dict : what the lesson reads off each drawing, by name
                          (e.g. {"alarms": ...}); kept in `.reported`, and each is also readable
                          as an attribute (`explorer.alarms`). Called after each draw, before the caption.
    tips      : the "Try this" lines shown with the explorer: each a `Tip` (tips.py), a line with the
                settings it asks for and what it promises, which tests/test_tips.py checks
    view      : controls that only change the drawing (e.g. alarm thresholds): no rerun
    auto      : rerun whenever a control changes (toy worlds); else behind the Run button
    stoppable : show a Stop button while a run works (False when the experiment cannot stop)
    defaults  : starting values by control name; Reset returns to them
    results_kept : how many results an `auto` explorer keeps by settings (see run); fewer for
                heavy results (a distillation chain's is ~8 MB)
    figsize, margins, extra, note : the figure's size in inches and its margins (figure
                fractions), a widget under the caption, a line under the title
    sync      : run a click's experiment in the calling thread (see below); None: in Colab, or
                where the environment sets COLLAPSE_LAB_SYNC=1

    Threads and the synchronous mode. Inside Jupyter a click's run goes to a background thread,
    so the kernel still hears Stop (and the next click) while a run works. In Colab the page
    does not show widget changes made from a background thread (googlecolab/colabtools#3373),
    so there (and with sync=True) the run works in the kernel's own thread, and the page gets its
    progress and live redraws as they are made. The kernel then hears no click until the run
    ends, so a Stop button would do nothing: it is not shown. What stops a run instead:
    - a time limit: a run still working after SYNC_TIME_LIMIT seconds stops as if Stop were
      pressed, and the figure shows the generations run so far (the number boxes' limits keep a
      generation well under a second, so this answers within about a second);
    - interrupting the kernel (Colab: Runtime → Interrupt execution; Jupyter: the ■ button)
      stops a run a click started in the same way, and the explorer stays usable.
    Clicks made while a sync run works are heard after it, one after another.
    """

    def __init__(self, title, controls, *, experiment, panels, draw, caption=None, on_result=None, tips=(),
                 view=None, auto=True, stoppable=True, figsize=(7.8, 5.6), extra=None, live_first=False,
                 defaults=None, note="", margins=None, owner="an explorer", results_kept=RESULTS_KEPT, sync=None):
        # 1. the hooks and settings, as given
        self._experiment, self._panels, self._draw_hook = experiment, panels, draw
        self._caption, self._on_result = caption, on_result
        self.auto, self.figsize, self._margins = auto, figsize, margins or {}
        self._live_first = live_first     # draw generation 0 at once (slow models: show something soon)
        self._results_kept = results_kept
        self.sync = synchronous() if sync is None else bool(sync)
        self._stoppable = stoppable and not self.sync   # in sync mode a click on Stop is heard too late
        self._start_state()

        # 2. the widgets: the lesson's controls (a group's widgets in its place), then the explorer's own
        self._watching, self._left = False, None
        self.controls = {**self._flatten(controls), **(view or {})}
        self._run_names = set(self.controls) - set(view or {})
        self._make_widgets()

        # 3. the lesson's settings: set before any observer, so setting them runs nothing
        self._labels = {name: getattr(c, "description", "") or name for name, c in self.controls.items()}
        self._apply(defaults or {}, owner)
        self.defaults = self.values()          # what Reset returns to: the lesson's settings
        self._initial = {name: {k: getattr(c, k) for k in RESTORED if hasattr(c, k)}
                         for name, c in self.controls.items()}
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self._watching = True

        # 4. the layout: controls on the left, figure and caption on the right
        self._lay_out(title, note, tips, extra)

    def _start_state(self):
        """What the explorer holds and remembers, before anything runs."""
        self.history = self.result = self.figure = None
        self.plotted, self.summary = {}, ""
        self.reported = {}                # what on_result read off the last drawing
        self.timings = {}                 # seconds the last change spent: run, draw, picture (and if kept)
        self._first = None                # the result drawn first: what Reset shows again without a rerun
        self._results = {}                # settings → result, most recently used last (see run)
        self._limits = {}                 # (Axes, "x" or "y") → the limits kept while data fits (see steady)
        self._stop = threading.Event()
        self._drawing = threading.Lock()  # a view control may redraw while a run's thread draws
        self._starting = threading.Lock()
        self._axes = self._thread = self.painter = None
        self._again = self._timed_out = False
        self._holding = 0
        self._ticked = 0.0
        self._showing = threading.Lock()   # the busy timer's thread and the run's agree on what shows
        self._running = self._busy_shown = False

    def _flatten(self, controls):
        """name → widget, each ControlGroup's widgets in its place (and told how to swap one)."""
        flat = {}
        for name, control in controls.items():
            if isinstance(control, ControlGroup):
                control.attach(self.swap)
                flat.update(control.widgets)
            else:
                flat[name] = control
        return flat

    def _make_widgets(self):
        """The explorer's own widgets: message line, figure, caption, progress and buttons."""
        width = f"{self.figsize[0] * DPI:.0f}px"
        self.message = widgets.HTML(layout=widgets.Layout(width=CONTROL_WIDTH))
        # the figure's own width, but at most the width there is: in a narrow window it scales down (JupyterLab
        # draws an output image at most 100% wide) instead of pushing the page sideways; a minimum height keeps
        # the room of an empty figure, so little moves while a run is drawn
        self.output = widgets.Output(layout=widgets.Layout(width=width, max_width="100%",
                                                           min_height=f"{self.figsize[1] * DPI * 0.4:.0f}px",
                                                           overflow="hidden", flex="0 1 auto"))
        self.caption = widgets.HTML(layout=widgets.Layout(width=width, max_width="100%", min_height="2.6em"))
        self.progress = widgets.IntProgress(value=0, min=0, max=1, layout=widgets.Layout(width="150px"))
        self.progress_text = widgets.HTML(layout=widgets.Layout(width="170px"))
        self._progress_row = widgets.HBox([self.progress, self.progress_text],
                                          layout=widgets.Layout(visibility="hidden"))
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary",
                                         tooltip="run the experiment with these settings",
                                         layout=widgets.Layout(width="90px"))
        self.stop_button = widgets.Button(description="Stop", icon="stop", tooltip="stop after the current generation",
                                          layout=widgets.Layout(width="90px", visibility="hidden"))
        self.reset_button = widgets.Button(description="Reset", icon="undo", tooltip="back to the lesson's settings",
                                           layout=widgets.Layout(width="90px"))
        self.run_button.on_click(lambda _: self._start())
        self.stop_button.on_click(lambda _: self.stop())
        self.reset_button.on_click(lambda _: self.reset())

    def _lay_out(self, title, note, tips, extra):
        """HBox([VBox(heading, controls, buttons, message, tips), VBox(figure, caption, extra)])."""
        buttons = (([] if self.auto else [self.run_button]) + ([self.stop_button] if self._stoppable else [])
                   + [self.reset_button])
        heading = widgets.HTML(f"<b>{html.escape(title)}</b>" + (f"<br><small>{note}</small>" if note else ""),
                               layout=widgets.Layout(width=CONTROL_WIDTH))
        self.tip_list = list(tips)              # each a Tip (tips.py), or a plain line
        tips_html = "".join(f"<li>{tip}</li>" for tip in tips)
        self.tips = widgets.HTML(
            f"<div style='line-height:1.35'><details open><summary><b>Try this</b></summary>"
            f"<ul style='margin:2px 0;padding-left:18px'>{tips_html}</ul></details>"
            f"<small style='color:#555'>{KEYS}</small></div>",
            layout=widgets.Layout(width=CONTROL_WIDTH))
        self._left = left = widgets.VBox([heading, *self.controls.values(), widgets.HBox(buttons), self._progress_row,
                                          self.message, self.tips],
                                         layout=widgets.Layout(width=f"{int(CONTROL_WIDTH[:-2]) + 10}px",
                                                               flex="0 0 auto"))
        right = widgets.VBox([self.output, self.caption] + ([extra] if extra is not None else []),
                             # beside the controls while at least 400 px are left for it (the figure then
                             # scales to the room left), under them below that
                             layout=widgets.Layout(flex="1 1 400px", min_width="0", max_width="100%"))
        # side by side where there is room; in a narrow window (800 px, half a laptop screen, with JupyterLab's
        # file browser open) the figure wraps under the controls and scales to the width, never sideways
        self.widget = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", overflow="hidden",
                                                                        align_items="flex-start", width="100%"))
        # names the browser tests (and a course stylesheet) can find the parts by
        self.widget.add_class("collapse-lab-explorer")
        left.add_class("collapse-lab-controls")
        right.add_class("collapse-lab-figure")

    # --- display: the explorer shows as its widget ---
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"<{type(self).__name__} {shown}>"


    def __getattr__(self, name):
        # what on_result reported (e.g. `explorer.alarms`); only called when no attribute has the name
        reported = self.__dict__.get("reported", {})
        if name in reported:
            return reported[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _apply(self, values, owner):
        """Set controls from code, in the controls' order (so a gate is chosen before its strength is set)."""
        for name in values:
            if name not in self.controls:
                raise ValueError(f"The {name!r} parameter of {owner} must be the name of one of its controls: "
                                 f"{', '.join(self.controls)}. Got {name!r} instead.")
        for name in [name for name in self.controls if name in values]:
            control = self.controls[name]
            # a bounded box or slider would clamp 10**9 to its maximum without a word: refuse instead
            low, high = getattr(control, "min", None), getattr(control, "max", None)
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and not isinstance(control.value, bool):
                integer = isinstance(control.value, int)
                check_number(values[name], name, owner, low=low, high=high, integer=integer)
            try:
                control.value = values[name]
            except Exception as err:   # a trait error: say it in the usual words
                raise ValueError(f"The {name!r} parameter of {owner} cannot be {values[name]!r}: {err}") from None

    def values(self):
        """The current control values, by name."""
        return {name: control.value for name, control in self.controls.items()}


    # --- reacting to the controls ---
    def _changed(self, change):
        if self._holding:
            return
        name = next(n for n, c in self.controls.items() if c is change["owner"])
        if name not in self._run_names:
            self.redraw()
        elif self.auto:
            self._start()
        else:
            self.say("Settings changed: press <b>Run</b> to see them.", kind="info")

    def swap(self, name, old, new):
        """Put widget `new` in control `name`'s place, observed and laid out as `old` was; `old` is closed.

        A ControlGroup calls this (a GateControl, when a new gate needs a slider in its own units).
        """
        if self._watching:
            old.unobserve(self._changed, names="value")
            new.observe(self._changed, names="value")
        self.controls[name] = new
        if self._left is not None:
            self._left.children = tuple(new if child is old else child for child in self._left.children)
        old.close()

    @contextlib.contextmanager
    def hold(self):
        """Change several controls without a rerun for each: `with explorer.hold(): ...`."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def reset(self):
        """Every control back to the lesson's settings, and the lesson's picture back."""
        self.stop()
        self._limits.clear()                      # the lesson's picture, not the last frame kept
        with self.hold():
            for name, state in self._initial.items():
                control = self.controls[name]
                with control.hold_sync():        # range and value reach the browser together
                    if "min" in state:           # widen first, so the value is never clamped on the way
                        control.min, control.max = min(state["min"], control.min), max(state["max"], control.max)
                    for key, value in state.items():
                        if key not in ("min", "max"):
                            setattr(control, key, value)
                    if "min" in state:
                        control.min, control.max = state["min"], state["max"]
        if self.auto:
            self._start()
        elif self._first is not None:
            self.result = self._first
            self.history = self._latest(self._first)
            self.redraw()
            self.say("")
        else:
            self.say("Back to the lesson's settings: press <b>Run</b>.", kind="info")


    def _start(self):
        """A click: run in the background inside Jupyter (so Stop works), directly elsewhere.

        A click while a run works stops that run and queues one new run; the kernel never waits
        for the old run, so the controls stay responsive. In sync mode (see the class docstring)
        the run works here, in the kernel's thread, and an interrupt stops it.
        """
        if not in_kernel():
            self.run()
            return
        if self.sync:
            try:
                self.run()
            except KeyboardInterrupt:            # the kernel interrupted: as Stop would, keep what was drawn
                self._show_caption(self.summary)
                self.say("Stopped (the kernel was interrupted): the figure shows the generations run so far.",
                         kind="info")
            return
        with self._starting:
            if self._thread is not None:         # a run works: stop it, and run again after it
                self._again = True
                self.stop()
                return
            self._again = False
            self._thread = threading.Thread(target=self._work, daemon=True)
            self._thread.start()

    def _work(self):
        while True:
            self.run()
            with self._starting:                 # decided under the lock, so no request is lost
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    def stop(self):
        """Ask a running experiment to stop after its current generation."""
        self._stop.set()

    @property
    def stop_requested(self):
        """True once Stop was pressed (or a new run asked for) during the current run."""
        return self._stop.is_set()

    # --- running and drawing ---
    def run(self):
        """Run with the current control values and redraw. Returns the History, or None if refused.

        An explorer that reruns on every change keeps its last few results by settings: going back
        to settings it ran before (a learner comparing two values, Reset) redraws without a rerun.
        Runs are seeded, so the rerun would give the same result.
        """
        self._stop.clear()
        self.say("")
        settings = tuple((name, self.controls[name].value) for name in sorted(self._run_names))
        if self.auto and settings in self._results:
            self._results[settings] = result = self._results.pop(settings)   # now the most recently used
            self.timings = {"kept": True, "run": 0.0, "cpu": {"run": 0.0}}
            self.show(result)
            self._report(result)
            return self.history
        self._started = self._drawn = self._ticked = time.perf_counter()
        cpu = time.thread_time()
        self._timed_out = False
        self._announce()
        try:
            # a learner waits for an explorer's run: a tighter time budget than a notebook cell's
            # and Stop is heard inside a generation too (a neural fit checks it every 25 steps)
            with guard.limits(minutes=guard.EXPLORER_MINUTES), guard.stop_on(self._stop):
                result = self._experiment(self.values(), self._tick)
            self.timings = {"kept": False, "run": time.perf_counter() - self._started,
                            "cpu": {"run": time.thread_time() - cpu}}
        except ValueError as err:               # a value that cannot work: say why, keep the last plot
            self.say(in_words(err, self._labels))
            self._show_caption(self.summary)    # and its caption, not "running…"
            return None
        except guard.Stopped:                   # stopped before the first generation ended: nothing new to draw
            self.say("Stopped before the first generation finished: the figure shows the last run.")
            self._show_caption(self.summary)
            return None
        except Exception:                       # a bug: show the traceback, so it can be reported
            self.say("Something went wrong; the details are under the figure.")
            self.output.append_stderr(traceback.format_exc())
            self._show_caption(self.summary)
            return None
        finally:
            with self._showing:
                self._running = False
            self._busy(False)
        if self.auto and not self._stop.is_set():   # a stopped run is only part of one: not kept
            self._results[settings] = result
            if len(self._results) > self._results_kept:
                del self._results[next(iter(self._results))]
        self.show(result)
        self._report(result)
        return self.history

    def _announce(self):
        """A run starts: the page hears of it only if it lasts (SHOW_BUSY_AFTER), and at once outside Jupyter."""
        with self._showing:
            self._running = True
        if not in_kernel():
            self._busy(True)
        elif not self.sync:                      # a timer's thread shows it, while this one runs
            busy = threading.Timer(SHOW_BUSY_AFTER, self._busy, (True,))
            busy.daemon = True
            busy.start()
        # in sync mode no thread may touch the page: the first tick after SHOW_BUSY_AFTER shows it

    @staticmethod
    def _latest(result):
        return list(result.values())[-1] if isinstance(result, dict) else result

    def _busy(self, running):
        """Show that a run works (and how to stop it), and hide it all when it ends."""
        with self._showing:                      # whole, so the timer's "show" never lands after "hide"
            if running and not self._running and in_kernel():
                return                           # the run ended while the timer fired: nothing to show
            if not running and not self._busy_shown:
                return                           # a quick run showed nothing: nothing to hide (five
                                                 # widgets' traits set to what they hold cost ~1 ms)
            self._busy_shown = running
            self.run_button.disabled = running
            if self._stoppable:
                self.stop_button.layout.visibility = "visible" if running else "hidden"
            self.progress.value = 0
            self.progress_text.value = RUNNING if running else ""
            if running:   # the old caption describes the old run; the new one replaces this when it is drawn
                self._show_caption(RUNNING)
            self._progress_row.layout.visibility = "visible" if running and in_kernel() else "hidden"

    def _tick(self, partial, done, total):
        """Progress callback: count, redraw now and then, and stop if asked. Returns False to stop."""
        now = time.perf_counter()
        if self.sync and not self._busy_shown and now - self._started > SHOW_BUSY_AFTER:
            self._busy(True)
        if self.sync and in_kernel() and now - self._started > SYNC_TIME_LIMIT:
            self._timed_out = True               # Stop cannot be heard here: the time limit stops the run
            self._stop.set()
        if self._busy_shown and (now - self._ticked > PROGRESS_EVERY or done == total):
            self.progress.max, self.progress.value = total, done
            self.progress_text.value = f"generation {done} of {total}" if total > 1 else ""
            self._ticked = now
        first = self._live_first and done == 1
        if first or (now - self._started > FIRST_LIVE and now - self._drawn > REDRAW_EVERY):
            self._redraw(partial, final=False)
            self._drawn = time.perf_counter()
        return not self._stop.is_set()

    def show(self, result):
        """Draw a result computed elsewhere (e.g. the run a notebook already made), without running.

        The first result shown or run is what Reset shows again on an explorer with a Run button.
        """
        self.result, self.history = result, self._latest(result)
        if self._first is None:
            self._first = result
        self.redraw()

    def redraw(self):
        """Draw the latest result again (after a view control changed)."""
        if self.result is not None:
            self._redraw(self.result, final=True)

    def _redraw(self, result, final):
        try:
            self._render(result, final)
        except ValueError as err:
            self.say(in_words(err, self._labels))
        except Exception:
            self.say("Something went wrong while drawing; the details are under the figure.")
            self.output.append_stderr(traceback.format_exc())

    def _render(self, result, final):
        # The figure and its panels are built once and wiped before each redraw: building axes
        # and their ticks is most of the cost of a figure. Fixed margins instead of constrained
        # layout for the same reason (its solver alone takes ~0.3 s a redraw).
        with self._drawing, rc_scope({**figures.STYLE, **EXPLORER_STYLE}):
            if self._axes is None:
                self.figure = Figure(figsize=self.figsize, dpi=DPI)
                self._axes = self._panels(self.figure)
                self.figure.subplots_adjust(**{**MARGINS, **self._margins})
                self.painter = Painter(self.figure, all_axes(self._axes))
            for ax in all_axes(self._axes):
                wipe(ax)
            values = self.values()
            start, cpu = time.perf_counter(), time.thread_time()
            self.plotted = self._draw_hook(result, values, self._axes) or {}
            if self._on_result is not None:      # before the caption, which may read it
                self.reported = dict(self._on_result(result, values, self.plotted) or {})
            for ax in all_axes(self._axes):
                steady(ax, self._limits)
            if final and self._caption is not None:
                self.summary = str(self._caption(result, values))
            drawn, drawn_cpu = time.perf_counter(), time.thread_time()
            image = self.painter.paint()
            self.timings.update(draw=drawn - start, picture=time.perf_counter() - drawn)
            self.timings.setdefault("cpu", {}).update(draw=drawn_cpu - cpu, picture=time.thread_time() - drawn_cpu,
                                                      png=self.painter.png_cpu)
        # one assignment replaces the old image: no flicker, and safe from the run's thread; the
        # caption is also the image's text, what a screen reader (or the notebook read as text) gets
        self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"image/png": image, "text/plain": self.summary or "the explorer's figure"}},)
        if final:
            self._show_caption(self.summary)

    def _show_caption(self, text):
        self.caption.value = (f"<div role='status' aria-live='polite' style='font-size:95%;line-height:1.35'>"
                              f"{html.escape(text)}</div>")

    def _report(self, result):
        """After a run: say if some seeds stopped early, or if the run was stopped."""
        histories = result.values() if isinstance(result, dict) else [result]
        notes = []
        if self._timed_out:
            notes.append(f"Stopped after {SYNC_TIME_LIMIT:.0f} s, the longest a run works here (where Stop "
                         "cannot be clicked): the figure shows the generations run so far.")
        elif self._stop.is_set():
            notes.append("Stopped: the figure shows the generations run so far.")
        for h in histories:
            stopped = [reason for reason in getattr(h, "stopped", []) if reason]
            if stopped:
                notes.append(f"{len(stopped)} of {len(h.stopped)} seeds stopped early ({stopped[0]}).")
                break
        if notes:
            self.say(" ".join(notes), kind="info")

    def say(self, text, kind="error"):
        """A line under the controls: kind 'error' (⚠, in vermillion) or 'info' (grey)."""
        if not text:
            self.message.value = ""
        elif kind == "error":
            # the sign and the words carry the meaning; the colour only helps
            self.message.value = f"<span style='color:{figures.PALETTE['vermillion']}'>⚠ {text}</span>"
        else:
            self.message.value = f"<span style='color:#555'>{text}</span>"


# how the gate strength slider reads for each gate: (description, min, max, step, default)
