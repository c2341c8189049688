"""The generic Explorer: controls wired to an experiment and a figure, with Run, Stop and Reset.

The per-lesson explorers (dashboards.gaussian(), dashboards.gates(), ...) are each a short
function that builds controls and three hooks and hands them to `Explorer`:

    Explorer("A Gaussian trained on its own samples", controls,
             experiment=lambda values, tick: simulate(...),   # -> a History (or a dict of them)
             panels=lambda fig: fig.subplot_mosaic(...),      # lays out the panels, once
             draw=lambda result, values, axes: {...},         # fills them; returns what it drew
             caption=lambda result, values: "σ fell from ...",  # one line under the plot
             tips=["Set real data to 0.1: ...", ...])        # the "Try this" list

What a notebook (or a test) may use:

- `.controls`   name → widget; set `.value` from code and the explorer reacts as if clicked
- `.run()`      run with the current values, synchronously; returns the History (None if refused)
- `.reset()`    every control back to the lesson's settings (the Reset button)
- `.stop()`     ask a running experiment to stop after its current generation (the Stop button);
                `.stop_requested` says whether it was asked, for experiments that loop themselves
- `.say(text)`  a line under the controls: a value that cannot work, in words, never a traceback
- `.history`    the latest History; `.result` what the experiment returned; `.figure` the Figure;
                `.plotted` the arrays last drawn; `.summary` the caption's text
- `.timings`    where the last change's time went, in seconds: "run" (0 for a kept result; "kept"
                says which), "draw" (the draw hook) and "picture" (`.painter` making the PNG)

It follows the ipywidgets documentation's shape, HBox([VBox(controls), VBox([output, caption])]),
with `continuous_update=False` on every slider, and errors shown in words under the controls.

Why figures are PNGs written into the Output's `outputs`: runs started from a click go to a
background thread, so Stop stays clickable while a run works, and an Output's `with out:`
capture does not work from a thread. Replacing `outputs` in one assignment works from any thread
and swaps the old image for the new one with no flicker (what `clear_output(wait=True)` does
on the main thread). Each explorer keeps one plain matplotlib `Figure`, never registered with
pyplot, so figures neither pile up nor show twice; its panels are built once and wiped before
each redraw, and a `Painter` redraws only what moved (the frames' tick labels were most of the
cost of a redraw).

Speed, in JupyterLab on 2 cores (the browser test prints the times): a change to settings not
run before answers in about 0.2–0.3 s (the 2-D mixture in about 0.4 s, most of it EM); a change
back to settings run before, in 0.1–0.15 s, as the explorer keeps its last results. A run
shorter than SHOW_BUSY_AFTER sends the page nothing but its new figure and caption; a longer one
shows "running…", its progress and Stop.

Keyboard: in JupyterLab a focused slider steps with the arrow keys. In Notebook 7 the notebook's
own shortcuts take the arrow keys (a Python widget cannot stop that without a front-end
extension); Home, End, PageUp and PageDown work in both, and the number boxes take typed values.
"""
import base64
import contextlib
import html
import io
import re
import threading
import time
import traceback
import typing

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image

from . import plots

REDRAW_EVERY = 0.3   # seconds between live redraws of a long run
FIRST_LIVE = 1.0     # a run shorter than this is drawn once, at its end (a live redraw costs ~0.2 s)
PROGRESS_EVERY = 0.1  # seconds between progress updates (each is a message to the browser)
SHOW_BUSY_AFTER = 0.1  # a run still working after this shows "running…", progress and Stop; a quicker
                       # one shows only its new figure (each change of the controls' look costs the page a layout)
DPI = 80             # pixels per inch of the explorers' figures
RESULTS_KEPT = 8    # results an explorer that reruns on every change keeps, by settings (see Explorer.run)
STEADY_FILL = 0.5   # an autoscaled axis keeps its limits while new data still fills half of them
FRAMES_KEPT = 6     # pictures of frames an explorer keeps (a learner flips between a few settings)
MARGINS = dict(left=0.115, right=0.98, bottom=0.09, top=0.97, wspace=0.4, hspace=0.38)  # figure fractions
DESCRIPTION = {"description_width": "130px"}   # wide enough for "teacher order", "real fractions"
CONTROL_WIDTH = "330px"
# Fixed margins instead of constrained layout (its solver alone took ~0.3 s a redraw); the grid
# below the data (so a picture of the frames can sit under it, see Painter); axis limits at round
# tick values, so a small change in the data leaves the frame, and its picture, as it was.
EXPLORER_STYLE = {"figure.constrained_layout.use": False, "axes.axisbelow": True,
                  "axes.autolimit_mode": "round_numbers", "axes.xmargin": 0, "axes.ymargin": 0}
KEYS = "Keys: Tab to a slider, then ←/→ (JupyterLab) or Home/End/PageUp/PageDown (also Notebook 7)."


# what Reset puts back on each control (a gate change may have changed a slider's range and label)
RESTORED = ("value", "min", "max", "step", "description", "disabled", "readout")


def in_kernel():
    """True inside a Jupyter kernel (where clicks arrive while code runs), False in tests and scripts."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def png(fig):
    """The figure as a base64 PNG (fast compression: size hardly matters, time does)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, pil_kwargs={"compress_level": 1})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def canvas_png(canvas):
    """What an Agg canvas last drew, as a base64 PNG: RGB (the figure is opaque), fast compression."""
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _ticks(axis):
    """Everything that decides how an axis looks: tick places and texts, label, tick settings."""
    major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
    return (tuple(major), tuple(axis.major.formatter.format_ticks(major)), tuple(minor),
            tuple(axis.minor.formatter.format_ticks(minor)), axis.get_visible(), axis.label.get_text(),
            axis.label.get_visible(), repr(sorted(axis.get_tick_params(which="major").items())),
            repr(sorted(axis.get_tick_params(which="minor").items())))


def frame_of(ax):
    """What an Axes' frame looks like (box, limits, scales, ticks, labels): equal frames draw the same pixels."""
    return (ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.axison,
            tuple(ax.patch.get_facecolor()), _ticks(ax.xaxis), _ticks(ax.yaxis),
            tuple((name, spine.get_visible()) for name, spine in ax.spines.items()))


def moving_parts(ax):
    """The artists a redraw changes: everything in an Axes but its background and its two axes.

    The spines count as moving: they are cheap, and drawn in z-order with the data they end up
    exactly where a full draw puts them. (The axes, with their grid, sit below the data: the
    explorers draw with axes.axisbelow on.)
    """
    frame = {ax.patch, ax.xaxis, ax.yaxis}
    return [artist for artist in ax.get_children() if artist not in frame]


def steady(ax, kept, fill=STEADY_FILL):
    """Keep an autoscaled axis' last limits while the new data fits in them and fills at least
    `fill` of them, so a small change moves the data inside a still frame: easier to compare,
    and the painter reuses the frame's picture. kept : (ax, "x" or "y") → (limits, scale)."""
    for name, auto, get, put, scale in (("x", ax.get_autoscalex_on(), ax.get_xlim, ax.set_xlim, ax.get_xscale()),
                                        ("y", ax.get_autoscaley_on(), ax.get_ylim, ax.set_ylim, ax.get_yscale())):
        if not auto:                              # the draw hook set them: nothing to keep
            kept.pop((ax, name), None)
            continue
        new, old = get(), kept.get((ax, name))
        if old is not None and old[1] == scale and _fills(new, old[0], scale, fill):
            put(old[0])
        else:
            kept[ax, name] = (new, scale)


def _fills(new, old, scale, fill):
    f = np.log10 if scale == "log" else (lambda v: np.asarray(v, float))
    (a, b), (lo, hi) = np.sort(f(np.asarray(new))), np.sort(f(np.asarray(old)))
    return bool(lo <= a and b <= hi and b - a >= fill * (hi - lo))


@contextlib.contextmanager
def _hidden(artists):
    """Artists left out of a draw. Texts are made transparent rather than invisible: an invisible
    text has no size, and Axes.draw, placing a title above the tick labels, would misplace it."""
    hidden = [a for a in artists if a.get_visible()]
    faded = [(a, a.get_alpha()) for a in hidden if isinstance(a, mpl.text.Text) and a.get_bbox_patch() is None]
    hidden = [a for a in hidden if not any(a is f for f, _ in faded)]
    for artist in hidden:
        artist.set_visible(False)
    for text, _ in faded:
        text.set_alpha(0)
    try:
        yield
    finally:
        for artist in hidden:
            artist.set_visible(True)
        for text, alpha in faded:
            text.set_alpha(alpha)


class Painter:
    """Draws a Figure whose frames rarely change, fast: matplotlib's blitting, for a PNG.

    Most of a redraw is the frames (tick labels, axis labels: text to lay out and rasterise), and a
    slider usually moves the data, not the frames. The painter keeps a picture of each Axes' frame
    alone (the last few frames it drew); a redraw pastes the pictures back and draws only the
    moving parts (lines, bands, legends, titles) on them, so a new frame costs only its own Axes.
    See matplotlib's "Faster rendering by using blitting". Where two frames' boxes overlap, or a
    draw hook made axes of its own, it draws the whole figure every time, as matplotlib does.
    """

    def __init__(self, figure, axes, kept=FRAMES_KEPT):
        self.figure, self.axes = figure, [ax for ax in figure.axes if ax in axes]
        self.canvas = FigureCanvasAgg(figure)
        self.kept = kept
        self.apart = True                          # every frame in a box of its own (the shortcut works)
        self._pictures = {ax: {} for ax in self.axes}   # per Axes: frame → Picture, most recently used last
        self.full_draws = self.quick_draws = 0     # how often each path ran (tests and benchmarks read them)

    def paint(self):
        """Draw the figure; returns it as a base64 PNG."""
        if not self.apart or set(self.figure.axes) != set(self.axes):
            return self._draw_all()
        renderer = self.canvas.get_renderer()
        for ax in self.axes:
            ax.apply_aspect()                      # as Figure.draw does first: a fixed aspect sets the box
        frames = {ax: frame_of(ax) for ax in self.axes}
        moving = {ax: moving_parts(ax) for ax in self.axes}
        if any(isinstance(a, mpl.axes.Axes) for parts in moving.values() for a in parts):
            return self._draw_all()                # an inset: its frame is not ours to keep
        on_figure = [a for a in self.figure.get_children() if a is not self.figure.patch and a not in self.axes]
        new = [ax for ax in self.axes if frames[ax] not in self._pictures[ax]]
        if new:
            self._draw_frames(new, frames, renderer, [a for parts in moving.values() for a in parts] + on_figure)
            boxes = [self._pictures[ax][frames[ax]].box for ax in self.axes]
            if any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]):
                self.apart = False                 # a crowded figure: frames and data interleave
                return self._draw_all()
            self.full_draws += 1
        else:
            self.quick_draws += 1
        self.figure.patch.draw(renderer)           # the page, then each frame's picture on it
        for ax in self.axes:
            pictures = self._pictures[ax]
            pictures[frames[ax]] = picture = pictures.pop(frames[ax])   # now the most recently used
            self.canvas.restore_region(picture.region)
            ax.title.set_position(picture.title)
        for ax in self.axes:
            for artist in sorted(moving[ax], key=lambda a: a.get_zorder()):   # in z-order, as Axes.draw does
                artist.draw(renderer)
        for artist in sorted(on_figure, key=lambda a: a.get_zorder()):
            artist.draw(renderer)
        return canvas_png(self.canvas)

    def forget(self):
        """Drop every picture kept: the next paint draws every frame anew (benchmarks time that)."""
        self._pictures = {ax: {} for ax in self.axes}

    def frames_kept(self):
        """How many pictures of frames are kept, per Axes."""
        return [len(pictures) for pictures in self._pictures.values()]

    def _draw_all(self):
        self.canvas.draw()
        self.full_draws += 1
        return canvas_png(self.canvas)

    def _draw_frames(self, new, frames, renderer, moving):
        """Draw the new frames alone, without the moving parts, and keep a picture of each."""
        self.figure.patch.draw(renderer)
        with _hidden(moving):
            for ax in new:
                ax.draw(renderer)
        for ax in new:
            box = _frame_box(ax, renderer)
            # Axes.draw places the title above the frame's tick labels: that place goes with the picture
            self._pictures[ax][frames[ax]] = Picture(self.canvas.copy_from_bbox(box), box, ax.title.get_position())
            if len(self._pictures[ax]) > self.kept:   # keep the few frames used last
                del self._pictures[ax][next(iter(self._pictures[ax]))]


class Picture(typing.NamedTuple):
    """A frame drawn once: its pixels, the box they fill, and where its Axes' title goes."""
    region: object
    box: Bbox
    title: tuple


def _frame_box(ax, renderer):
    """The box an Axes' frame fills: the axes, their tick labels and axis labels, the tick marks
    (outside the axes, left and below), and a pixel for antialiasing."""
    boxes = [ax.bbox] + [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)]
    x0, y0, x1, y1 = Bbox.union([b for b in boxes if b is not None]).extents
    tick = max(mpl.rcParams["xtick.major.size"], mpl.rcParams["ytick.major.size"]) * ax.figure.dpi / 72
    return Bbox([[min(x0, ax.bbox.x0 - tick) - 1, min(y0, ax.bbox.y0 - tick) - 1], [x1 + 1, y1 + 1]])


def all_axes(axes):
    """The Axes of whatever `panels` returned: one Axes, a dict, a list or an array of them."""
    if isinstance(axes, dict):
        return list(axes.values())
    if isinstance(axes, mpl.axes.Axes):
        return [axes]
    return list(np.ravel(axes))


def wipe(ax):
    """Remove what an Axes shows but keep the Axes and its ticks, so the next drawing is cheap."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_prop_cycle(None)
    ax.relim()
    ax.autoscale()


# the gates' own parameters, as a learner types them in a gate spec
GATE_PARTS = {("TopLikelihood", "q"): "Q in top:Q", ("ClipOutliers", "k"): "K in clip:K",
              ("CapCopies", "k"): "K in cap:K"}
PLAIN = [  # the checks' wording, said for a learner rather than a programmer
    (r"None, a non-negative int or a numpy Generator", "a whole number, 0 or more"),
    (r"an int in the range \[(\d+), inf\)", r"a whole number, \1 or more"),
    (r"a float in the range \[([\d.]+), ([\d.]+)\]", r"a number from \1 to \2"),
    (r"a float in the range \(([\d.]+), ([\d.]+)\]", r"a number above \1, at most \2"),
    (r"a float in the range \(([\d.]+), inf\)", r"a number above \1"),
]


def in_words(text, labels):
    """An error message with the code's names replaced by what a learner sees.

    labels : control name → its label ("samples" → "samples / gen"). "The 'samples' parameter of
    simulate must be an int in the range [2, inf)" becomes "The 'samples / gen' box must be a whole
    number, 2 or more"; "The 'q' parameter of TopLikelihood ..." becomes "The gate's Q in top:Q ...".
    """
    def name(match):
        param, owner = match.group(1), match.group(2)
        if (owner, param) in GATE_PARTS:
            return f"The gate's {GATE_PARTS[owner, param]}"
        if param in labels:
            return f"The '{labels[param]}' setting"
        return f"The '{param}' setting"

    text = re.sub(r"The '(\w+)' parameter of ([\w.]+)", name, str(text))
    text = re.sub(r"The '(\w+)' parameter\b", lambda m: f"The '{labels.get(m.group(1), m.group(1))}' setting", text)
    for pattern, plain in PLAIN:
        text = re.sub(pattern, plain, text)
    return text


class Explorer:
    """Controls wired to an experiment and a figure. Build one with dashboards.gaussian(), ...

    title, controls : the heading, and name → widget for the controls that rerun the experiment
    experiment(values, tick) -> result : runs with the control values; calls `tick(partial, done,
                          total)` after each step (a generation, a cell of a grid) and stops
                          early when it returns False. The result is a History or a dict of them.
    panels(fig) -> axes : lays out the figure's panels, once
    draw(result, values, axes) -> dict : fills the panels, returns the arrays it drew
    caption(result, values) -> str : one plain sentence under the plot saying what changed (the
                          text a screen reader reads, and a caption for everyone)
    tips      : the "Try this" questions shown with the explorer
    view      : controls that only change the drawing (e.g. alarm thresholds): no rerun
    auto      : rerun whenever a control changes (toy worlds); else behind the Run button
    stoppable : show a Stop button while a run works (False when the experiment cannot stop)
    defaults  : starting values by control name; Reset returns to them
    results_kept : how many results an `auto` explorer keeps by settings (see run); fewer for
                heavy results (a distillation chain's is ~8 MB)
    """

    def __init__(self, title, controls, *, experiment, panels, draw, caption=None, tips=(), view=None, auto=True,
                 stoppable=True, figsize=(7.8, 5.6), extra=None, live_first=False, defaults=None, note="",
                 margins=None, owner="an explorer", results_kept=RESULTS_KEPT):
        self.controls = {**controls, **(view or {})}
        self._run_names = set(controls)
        self._experiment, self._panels, self._draw_hook, self._caption = experiment, panels, draw, caption
        self.auto = auto
        self.figsize = figsize
        self._margins = margins or {}
        self._live_first = live_first     # draw generation 0 at once (slow models: show something soon)
        self.history = self.result = self.figure = None
        self.plotted, self.summary = {}, ""
        self.timings = {}                 # seconds the last change spent: run, draw, picture (and if kept)
        self._first = None                # the result drawn first: what Reset shows again without a rerun
        self._results = {}                # settings → result, most recently used last (see run)
        self._results_kept = results_kept
        self._limits = {}                 # (Axes, "x" or "y") → the limits kept while data fits (see steady)
        self._stop = threading.Event()
        self._drawing = threading.Lock()  # a view control may redraw while a run's thread draws
        self._starting = threading.Lock()
        self._axes = self._thread = self.painter = None
        self._again = False
        self._holding = 0
        self._ticked = 0.0
        self._showing = threading.Lock()   # the busy timer's thread and the run's agree on what shows
        self._running = self._busy_shown = False

        width = f"{figsize[0] * DPI:.0f}px"
        self.message = widgets.HTML(layout=widgets.Layout(width=CONTROL_WIDTH))
        # a fixed size, so nothing below or beside the figure moves when it is redrawn
        self.output = widgets.Output(layout=widgets.Layout(width=width, height=f"{figsize[1] * DPI + 6:.0f}px",
                                                           overflow="hidden", flex="0 0 auto"))
        self.caption = widgets.HTML(layout=widgets.Layout(width=width, min_height="2.6em"))
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
        self._stoppable = stoppable

        defaults = defaults or {}
        self._apply(defaults, owner)           # before any observer: setting defaults runs nothing
        self._labels = {name: getattr(c, "description", "") or name for name, c in self.controls.items()}
        if "gate" in self.controls and "strength" in self.controls:
            gate = self.controls["gate"]
            self.controls["strength"].close()
            self.controls["strength"] = strength_slider(gate.value, defaults.get("strength"))
            # registered first, so the strength reads right before the gate change reruns anything
            gate.observe(lambda change: self._regate(change["new"]), names="value")
        self.defaults = self.values()          # what Reset returns to: the lesson's settings
        self._initial = {name: {k: getattr(c, k) for k in RESTORED if hasattr(c, k)}
                         for name, c in self.controls.items()}
        for control in self.controls.values():
            control.observe(self._changed, names="value")

        buttons = ([] if auto else [self.run_button]) + ([self.stop_button] if stoppable else []) + [self.reset_button]
        heading = widgets.HTML(f"<b>{html.escape(title)}</b>" + (f"<br><small>{note}</small>" if note else ""),
                               layout=widgets.Layout(width=CONTROL_WIDTH))
        tips_html = "".join(f"<li>{tip}</li>" for tip in tips)
        self.tips = widgets.HTML(
            f"<div style='line-height:1.35'><details open><summary><b>Try this</b></summary>"
            f"<ul style='margin:2px 0;padding-left:18px'>{tips_html}</ul></details>"
            f"<small style='color:#555'>{KEYS}</small></div>",
            layout=widgets.Layout(width=CONTROL_WIDTH))
        self._left = left = widgets.VBox([heading, *self.controls.values(), widgets.HBox(buttons), self._progress_row,
                             self.message, self.tips],
                            layout=widgets.Layout(width=f"{int(CONTROL_WIDTH[:-2]) + 10}px", flex="0 0 auto"))
        right = widgets.VBox([self.output, self.caption] + ([extra] if extra is not None else []),
                             layout=widgets.Layout(flex="0 0 auto"))
        # side by side, always: a narrow window scrolls the explorer sideways rather than wrapping
        # the figure under the controls (where a learner loses sight of one or the other)
        self.widget = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row nowrap", overflow="auto",
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

    def _apply(self, values, owner):
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"The {name!r} parameter of {owner} must be the name of one of its controls: "
                                 f"{', '.join(self.controls)}. Got {name!r} instead.")
            try:
                self.controls[name].value = value
            except Exception as err:   # a trait error: say it in the usual words
                raise ValueError(f"The {name!r} parameter of {owner} cannot be {value!r}: {err}") from None

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

    def _regate(self, kind):
        """A new strength slider in the new gate's units, in the old one's place.

        A new slider rather than a new range on the old one: the browser's slider keeps the
        range it was built with for its End and Home keys, so End went to the old maximum
        (clamped to the new minimum) after a gate change.
        """
        old = self.controls["strength"]
        new = strength_slider(kind)
        old.unobserve(self._changed, names="value")
        new.observe(self._changed, names="value")
        self.controls["strength"] = new
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
        for the old run, so the controls stay responsive.
        """
        if not in_kernel():
            self.run()
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
            self.timings = {"kept": True, "run": 0.0}
            self.show(result)
            self._report(result)
            return self.history
        self._started = self._drawn = self._ticked = time.perf_counter()
        if in_kernel():                          # the page hears of the run only if it lasts
            busy = threading.Timer(SHOW_BUSY_AFTER, self._busy, (True,))
            busy.daemon = True
            with self._showing:
                self._running = True
            busy.start()
        else:
            self._busy(True)
        try:
            result = self._experiment(self.values(), self._tick)
            self.timings = {"kept": False, "run": time.perf_counter() - self._started}
        except ValueError as err:               # a value that cannot work: say why, keep the last plot
            self.say(in_words(err, self._labels))
            return None
        except Exception:                       # a bug: show the traceback, so it can be reported
            self.say("Something went wrong; the details are under the figure.")
            self.output.append_stderr(traceback.format_exc())
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

    @staticmethod
    def _latest(result):
        return list(result.values())[-1] if isinstance(result, dict) else result

    def _busy(self, running):
        """Show that a run works (and how to stop it), and hide it all when it ends."""
        with self._showing:                      # whole, so the timer's "show" never lands after "hide"
            if running and not self._running and in_kernel():
                return                           # the run ended while the timer fired: nothing to show
            self._busy_shown = running
            self.run_button.disabled = running
            if self._stoppable:
                self.stop_button.layout.visibility = "visible" if running else "hidden"
            self.progress.value = 0
            self.progress_text.value = "running…" if running else ""
            self._progress_row.layout.visibility = "visible" if running and in_kernel() else "hidden"

    def _tick(self, partial, done, total):
        """Progress callback: count, redraw now and then, and stop if asked. Returns False to stop."""
        now = time.perf_counter()
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
        with self._drawing, mpl.rc_context({**plots.STYLE, **EXPLORER_STYLE}):
            if self._axes is None:
                self.figure = Figure(figsize=self.figsize, dpi=DPI)
                self._axes = self._panels(self.figure)
                self.figure.subplots_adjust(**{**MARGINS, **self._margins})
                self.painter = Painter(self.figure, all_axes(self._axes))
            for ax in all_axes(self._axes):
                wipe(ax)
            values = self.values()
            start = time.perf_counter()
            self.plotted = self._draw_hook(result, values, self._axes) or {}
            for ax in all_axes(self._axes):
                steady(ax, self._limits)
            if final and self._caption is not None:
                self.summary = str(self._caption(result, values))
            drawn = time.perf_counter()
            image = self.painter.paint()
            self.timings.update(draw=drawn - start, picture=time.perf_counter() - drawn)
        # one assignment replaces the old image: no flicker, and safe from the run's thread; the
        # caption is also the image's text, what a screen reader (or the notebook read as text) gets
        self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"image/png": image, "text/plain": self.summary or "the explorer's figure"}},)
        if final:
            self.caption.value = (f"<div role='status' aria-live='polite' style='font-size:95%;line-height:1.35'>"
                                  f"{html.escape(self.summary)}</div>")

    def _report(self, result):
        """After a run: say if some seeds stopped early, or if the run was stopped."""
        histories = result.values() if isinstance(result, dict) else [result]
        notes = []
        if self._stop.is_set():
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
            self.message.value = f"<span style='color:{plots.PALETTE['vermillion']}'>⚠ {text}</span>"
        else:
            self.message.value = f"<span style='color:#555'>{text}</span>"


# how the gate strength slider reads for each gate: (description, min, max, step, default)
STRENGTH = {
    "top": ("keep top q", 0.5, 1.0, 0.05, 0.9),
    "clip": ("clip at k σ", 1.0, 4.0, 0.25, 2.5),
}


def strength_slider(kind, value=None):
    """The gate strength slider in the gate's own units (q for top, k for clip); off for other gates."""
    if kind not in STRENGTH:
        # no stale number beside a slider that does nothing
        return widgets.FloatSlider(value=0.9, min=0.5, max=1.0, step=0.05, description="gate strength",
                                   disabled=True, readout=False, continuous_update=False, style=DESCRIPTION,
                                   tooltip="how hard the gate filters (choose a gate first)",
                                   layout=widgets.Layout(width=CONTROL_WIDTH))
    text, low, high, step, default = STRENGTH[kind]
    value = default if value is None else min(max(value, low), high)
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=text, continuous_update=False,
                               readout_format=".2f", style=DESCRIPTION, tooltip="how hard the gate filters",
                               layout=widgets.Layout(width=CONTROL_WIDTH))
