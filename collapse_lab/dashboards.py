"""Interactive explorers: controls + simulate + plots, one call per notebook.

    from collapse_lab import dashboards
    explorer = dashboards.gaussian(samples=50)     # shows itself as the last line of a cell
    explorer.history                                # the latest run, to dig into in the next cell

Every explorer is built the way the ipywidgets documentation builds one: make the controls,
wire them to a run-and-draw function with `observe`, lay them out as HBox([VBox(controls), output]).
What they share lives in `Explorer`:

- `.controls`  name → widget; set `.value` from code and the explorer reacts as if clicked
- `.run()`     run with the current values, synchronously; returns the History (None if refused)
- `.history`   the latest History;  `.figure` the latest Figure;  `.plotted` the arrays last drawn
- `.message`   where a value that cannot work is explained in words (never a traceback)

Toy explorers rerun on every change (they take milliseconds). The language explorers run behind
a Run button, redraw generation by generation, and have a Stop button.

Why figures are PNGs written into the Output's `outputs`: runs started from a click go to a
background thread, so the Stop button stays clickable while a run works, and an Output's
`with out:` capture does not work from a thread. Replacing `outputs` in one assignment works
from any thread and swaps the old image for the new one with no flicker (what
`clear_output(wait=True)` achieves on the main thread). Each explorer keeps one plain
matplotlib `Figure`, never registered with pyplot, so figures neither pile up nor show twice;
its panels are built once and wiped before each redraw, which halves the cost of a redraw.
"""
import base64
import contextlib
import io
import threading
import time
import traceback

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from . import plots
from .gates import ClipOutliers, Dedup, TopLikelihood, Verifier
from .gates import parse as parse_gate
from .loop import simulate
from .toys import Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel

REDRAW_EVERY = 0.3   # seconds between live redraws of a long run
MARGINS = dict(left=0.115, right=0.98, bottom=0.09, top=0.97, wspace=0.32, hspace=0.38)  # figure fractions
DESCRIPTION = {"description_width": "110px"}
CONTROL_WIDTH = "300px"


# ---------------------------------------------------------------------------------------------
# controls: one small factory per kind, so every explorer labels the same thing the same way
# ---------------------------------------------------------------------------------------------

def _float_slider(value, low, high, step, description, fmt=".2f", tooltip=""):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=fmt, style=DESCRIPTION,
                               tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


def _int_slider(value, low, high, description, tooltip=""):
    return widgets.IntSlider(value=value, min=low, max=high, description=description, continuous_update=False,
                             style=DESCRIPTION, tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


def _int_text(value, description, tooltip=""):
    # a plain IntText on purpose: a learner can type any number, and a bad one is explained in words
    return widgets.IntText(value=value, description=description, style=DESCRIPTION, tooltip=tooltip,
                           layout=widgets.Layout(width="220px"))


def _gate(options):
    return widgets.Dropdown(options=options, value="none", description="gate", style=DESCRIPTION,
                            layout=widgets.Layout(width=CONTROL_WIDTH))


def _loop_controls(samples, generations, seeds, max_seeds=100):
    """The loop's own settings, which every explorer has (their values are the explorer's defaults)."""
    return {
        "real_fraction": _float_slider(0.0, 0.0, 1.0, 0.05, "real data",
                                       tooltip="share of each training set that is fresh real data"),
        "mode": widgets.ToggleButtons(options=["replace", "accumulate"], value="replace", description="training set",
                                      style={**DESCRIPTION, "button_width": "96px"},  # wide enough for "accumulate"
                                      tooltips=["train on the newest generation only", "keep all data so far"]),
        "samples": _int_text(samples, "samples / gen", "training samples per generation (at least 2)"),
        "generations": _int_text(generations, "generations", "generations after generation 0 (at least 1)"),
        "temperature": _float_slider(1.0, 0.5, 1.5, 0.05, "temperature", tooltip="below 1 favours likely samples"),
        "seeds": _int_slider(seeds, 1, max_seeds, "seeds", "independent runs side by side"),
        "seed": _int_text(0, "seed", "the same seed gives the same numbers"),
    }


# how the gate strength slider reads for each gate: (description, min, max, step, default)
STRENGTH = {
    "top": ("keep top q", 0.5, 1.0, 0.05, 0.9),
    "clip": ("clip at k σ", 1.0, 4.0, 0.25, 2.5),
}


def _make_gate(kind, strength=None, world=None):
    """A gate object from a dropdown value."""
    if kind == "none":
        return None
    if kind == "top":
        return TopLikelihood(strength)
    if kind == "clip":
        return ClipOutliers(strength)
    if kind == "dedup":
        return Dedup()
    if kind == "real":
        return Verifier(world.is_real, "real word")
    raise ValueError(f"The 'gate' control must be one of none, top, clip, dedup, real. Got {kind!r} instead.")


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, pil_kwargs={"compress_level": 1})  # fast; size hardly matters
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _all_axes(axes):
    return list(axes.values()) if isinstance(axes, dict) else list(np.ravel(axes))


def _wipe(ax):
    """Remove what an Axes shows but keep the Axes and its ticks, so the next drawing is cheap."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_prop_cycle(None)
    ax.relim()
    ax.autoscale()


def _in_kernel():
    """True inside a Jupyter kernel (where clicks arrive while code runs), False in tests and scripts."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


# ---------------------------------------------------------------------------------------------
# the explorer: what every dashboard shares
# ---------------------------------------------------------------------------------------------

class Explorer:
    """Controls wired to an experiment and a figure. Build one with gaussian(), words(), ...

    experiment(values, tick) -> History : runs simulate with the control values; passes
                                          `tick(partial, done, total)` on as its progress callback
    panels(fig) -> {name: Axes}         : lays out the figure's panels, once
    draw(result, values, axes) -> dict  : fills the panels, returns the arrays it drew
    view   : controls that only change the drawing (e.g. alarm thresholds): no rerun
    auto   : rerun whenever a control changes (toy worlds); else behind the Run button
    """

    def __init__(self, title, controls, experiment, panels, draw, *, view=None, auto=True, figsize=(7.8, 5.6),
                 height="470px", extra=None, live_first=False, defaults=None, note="", margins=None,
                 owner="an explorer"):
        self.controls = {**controls, **(view or {})}
        self._run_names = set(controls)
        self.experiment = experiment
        self.panels = panels
        self.draw = draw
        self.auto = auto
        self.figsize = figsize
        self.margins = margins or {}
        self.live_first = live_first     # draw generation 0 at once (slow models: show something soon)
        self.history = None
        self.result = None
        self.figure = None
        self.plotted = {}
        self._stop = threading.Event()
        self._drawing = threading.Lock()     # a view control may redraw while a run's thread draws
        self._axes = None
        self._thread = None
        self._holding = 0

        self.message = widgets.HTML(layout=widgets.Layout(width=CONTROL_WIDTH))
        self.output = widgets.Output(layout=widgets.Layout(height=height, width=f"{figsize[0] * 80 + 10:.0f}px",
                                                           overflow="hidden"))
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="generation", style=DESCRIPTION,
                                            layout=widgets.Layout(width=CONTROL_WIDTH, visibility="hidden"))
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary",
                                         tooltip="run the experiment with these settings")
        self.stop_button = widgets.Button(description="Stop", icon="stop", disabled=True,
                                          tooltip="stop after the current generation")
        self.run_button.on_click(lambda _: self._start())
        self.stop_button.on_click(lambda _: self.stop())

        self.extra = extra
        defaults = defaults or {}
        self._apply(defaults, owner)           # before any observer: setting defaults runs nothing
        if "gate" in self.controls and "strength" in self.controls:
            gate, strength = self.controls["gate"], self.controls["strength"]
            _set_strength(strength, gate.value, defaults.get("strength"))
            # registered first, so the strength reads right before the gate change reruns anything
            gate.observe(lambda change: self._regate(change["new"]), names="value")
        for name, control in self.controls.items():
            control.observe(self._changed, names="value")
        # toy explorers rerun by themselves: they only need Stop, for a run made very long
        buttons = widgets.HBox([self.stop_button] if auto else [self.run_button, self.stop_button])
        heading = widgets.HTML(f"<b>{title}</b>" + (f"<br><small>{note}</small>" if note else ""),
                               layout=widgets.Layout(width=CONTROL_WIDTH))
        left = widgets.VBox([heading, *self.controls.values(), buttons, self.progress, self.message])
        right = widgets.VBox([self.output] + ([extra] if extra is not None else []))
        # side by side; on a narrow screen the figure wraps below the controls
        self.widget = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap"))

    # --- display: the explorer shows as its widget ---
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"<{type(self).__name__} {shown}>"

    def _apply(self, defaults, owner):
        for name, value in defaults.items():
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
            self._say("Settings changed: press <b>Run</b> to see them.", kind="info")

    def _regate(self, kind):
        with self.hold():
            _set_strength(self.controls["strength"], kind)

    @contextlib.contextmanager
    def hold(self):
        """Change several controls without a rerun for each: `with explorer.hold(): ...`."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def _start(self):
        """A click: run in the background inside Jupyter (so Stop works), directly elsewhere."""
        self.stop()
        if self._thread is not None:
            self._thread.join()
        if not _in_kernel():
            self.run()
            return
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()

    def stop(self):
        """Ask a running experiment to stop after its current generation."""
        self._stop.set()

    # --- running and drawing ---
    def run(self):
        """Run with the current control values and redraw. Returns the History, or None if refused."""
        self._stop.clear()
        self._say("")
        self.run_button.disabled, self.stop_button.disabled = True, False
        self._started = self._drawn = time.perf_counter()
        try:
            result = self.experiment(self.values(), self._tick)
        except ValueError as err:               # a value that cannot work: say why, keep the last plot
            self._say(str(err))
            return None
        except Exception:                       # a bug: show the traceback, so it can be reported
            self._say("Something went wrong; the details are under the figure.")
            self.output.append_stderr(traceback.format_exc())
            return None
        finally:
            self.run_button.disabled, self.stop_button.disabled = False, True
            self.progress.layout.visibility = "hidden"
        self.result = result
        self.history = list(result.values())[-1] if isinstance(result, dict) else result
        self.redraw()
        self._report(result)
        return self.history

    def _tick(self, partial, done, total):
        """Progress callback: count, redraw now and then, and stop if asked. Returns False to stop."""
        now = time.perf_counter()
        if now - self._started > 1.0 or self.live_first:   # only long runs show progress
            self.progress.max, self.progress.value = total, done
            self.progress.description = f"{done}/{total}"
            self.progress.layout.visibility = "visible"
        if (self.live_first and done == 1) or (now - self._started > REDRAW_EVERY and now - self._drawn > REDRAW_EVERY):
            self._draw(partial)
            self._drawn = time.perf_counter()
        return not self._stop.is_set()

    def redraw(self):
        """Draw the latest result again (after a view control changed)."""
        if self.result is not None:
            try:
                self._draw(self.result)
            except ValueError as err:
                self._say(str(err))
            except Exception:
                self._say("Something went wrong while drawing; the details are under the figure.")
                self.output.append_stderr(traceback.format_exc())

    def _draw(self, result):
        # The figure and its panels are built once and wiped before each redraw: building axes
        # and their ticks is most of the cost of a figure. Fixed margins instead of constrained
        # layout for the same reason (its solver alone takes ~0.3 s a redraw).
        with self._drawing, mpl.rc_context({**plots.STYLE, "figure.constrained_layout.use": False}):
            if self._axes is None:
                self.figure = Figure(figsize=self.figsize, dpi=80)
                self._axes = self.panels(self.figure)
                self.figure.subplots_adjust(**{**MARGINS, **self.margins})
            for ax in _all_axes(self._axes):
                _wipe(ax)
            self.plotted = self.draw(result, self.values(), self._axes) or {}
            png = _png(self.figure)
        # one assignment replaces the old image: no flicker, and safe from the run's thread
        self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"image/png": png, "text/plain": f"<Figure {self.figsize}>"}},)

    def _report(self, result):
        """After a run: say if some seeds stopped early, or if the run was stopped."""
        histories = result.values() if isinstance(result, dict) else [result]
        notes = []
        if self._stop.is_set():
            notes.append("Stopped.")
        for h in histories:
            stopped = [reason for reason in h.stopped if reason]
            if stopped:
                notes.append(f"{len(stopped)} of {len(h.stopped)} seeds stopped early ({stopped[0]}).")
                break
        if notes:
            self._say(" ".join(notes), kind="info")

    def _say(self, text, kind="error"):
        if not text:
            self.message.value = ""
        elif kind == "error":
            # the sign and the words carry the meaning; the colour only helps
            self.message.value = f"<span style='color:{plots.PALETTE['vermillion']}'>⚠ {text}</span>"
        else:
            self.message.value = f"<span style='color:#555'>{text}</span>"


def _set_strength(strength, kind, value=None):
    """Let the strength slider read in the gate's own units (q for top, k for clip); off for other gates."""
    if kind not in STRENGTH:
        strength.disabled = True
        strength.description = "gate strength"
        return
    text, low, high, step, default = STRENGTH[kind]
    value = default if value is None else value
    strength.min, strength.max = min(low, strength.min), max(high, strength.max)   # widen first: no clamping
    strength.value = min(max(value, low), high)
    strength.min, strength.max, strength.step = low, high, step
    strength.description = text
    strength.disabled = False


def _strength():
    return _float_slider(0.9, 0.5, 1.0, 0.05, "gate strength", tooltip="how hard the gate filters")


def _simulate(world, model, v, tick, gate=None):
    """simulate with the loop controls every explorer has; tick counts generations."""
    return simulate(world, model, generations=v["generations"], samples=v["samples"],
                    real_fraction=v["real_fraction"], mode=v["mode"], gate=gate, temperature=v["temperature"],
                    seeds=v["seeds"], seed=v["seed"],
                    callback=lambda history, g: tick(history, g + 1, v["generations"] + 1))


def _spread(history, count):
    """`count` snapshot generations, evenly spread, first and last included."""
    have = sorted(history.snapshots)
    return [have[i] for i in np.unique(np.linspace(0, len(have) - 1, count).round().astype(int))]


def _no_legend(*axes):
    for ax in axes:
        if ax.get_legend():
            ax.get_legend().remove()


# ---------------------------------------------------------------------------------------------
# notebook 01: the Gaussian
# ---------------------------------------------------------------------------------------------

def gaussian(run=True, **defaults):
    """Notebook 01: a Gaussian refitted on its own samples; σ and the tail mass over generations.

    Controls (pass any as a keyword to set its starting value): real_fraction, mode, samples,
    generations, temperature, seeds, seed, gate ('none', 'top', 'clip'), strength.
    The dashed theory curve and its hatched 10–90% band are Theorem 3.1 of Shumailov et al.
    (2024); they are drawn where the theorem applies: no real data, replace, no gate.
    """
    world = Gaussian()
    controls = _loop_controls(samples=100, generations=100, seeds=20)
    controls["gate"] = _gate([("none", "none"), ("top likelihood", "top"), ("clip outliers", "clip")])
    controls["strength"] = _strength()

    def experiment(v, tick):
        return _simulate(world, GaussianModel(), v, tick, gate=_make_gate(v["gate"], v["strength"]))

    def panels(fig):
        return fig.subplot_mosaic([["std", "tail"], ["hist", "hist"]])

    def draw(history, v, axes):
        color = plots.COLORS[v["mode"]]
        theory = None
        if v["real_fraction"] == 0 and v["mode"] == "replace" and v["gate"] == "none":
            theory = plots.gaussian_std_theory(v["samples"], v["generations"], v["temperature"])
        plots.metric(history, "std", ax=axes["std"], color=color, theory=theory, log=True)
        plots.metric(history, "tail_2sd", ax=axes["tail"], color=color)
        _no_legend(axes["tail"])
        plots.histograms(history, generations=_spread(history, 4), ax=axes["hist"], world=world,
                         bins=int(np.clip(2 * np.sqrt(v["samples"]), 10, 50)))
        axes["hist"].set_title("the samples of one run (seed 0)", fontsize=10)
        return {"std": history.median("std"), "tail_2sd": history.median("tail_2sd"),
                "theory": None if theory is None else theory[0], "snapshots": sorted(history.snapshots)}

    explorer = Explorer("A Gaussian trained on its own samples", controls, experiment, panels, draw,
                        defaults=defaults, owner="dashboards.gaussian")
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebook 02: words as categories
# ---------------------------------------------------------------------------------------------

SMOOTHING = [0.0, 0.001, 0.01, 0.1, 1.0]


def _smoothing(value, tooltip):
    return widgets.SelectionSlider(options=SMOOTHING, value=value, description="smoothing", continuous_update=False,
                                   style=DESCRIPTION, tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


# n-gram smoothing: light smoothing shows mostly forgetting (fewer, likelier words); heavy smoothing
# also adds noise each generation (made-up words multiply), the other face of collapse
NGRAM_SMOOTHING_TIP = "pseudo-count on every next character (n-gram only)"


def words(run=True, n_words=2000, **defaults):
    """Notebook 02: real English word frequencies, re-estimated from samples each generation.

    Controls: smoothing (0 makes every extinction permanent), real_fraction, mode, samples,
    generations, temperature, seeds, seed, gate ('none', 'top', 'dedup'), strength.
    Plots: categories alive, the rarest half still alive, and rank–frequency of one run.
    """
    world = Categorical.words(n_words)
    controls = {"smoothing": _smoothing(0.0, "pseudo-count added to every word's count")}
    controls.update(_loop_controls(samples=2000, generations=50, seeds=5, max_seeds=50))
    controls["gate"] = _gate([("none", "none"), ("top likelihood", "top"), ("dedup", "dedup")])
    controls["strength"] = _strength()

    def experiment(v, tick):
        model = EmpiricalModel(world.n_categories, smoothing=v["smoothing"])
        return _simulate(world, model, v, tick, gate=_make_gate(v["gate"], v["strength"]))

    def panels(fig):
        return fig.subplot_mosaic([["support", "rare"], ["rank", "rank"]])

    def draw(history, v, axes):
        color = plots.COLORS[v["mode"]]
        plots.metric(history, "support", ax=axes["support"], color=color)
        plots.metric(history, "rare_alive", ax=axes["rare"], color=color)
        _no_legend(axes["rare"])
        plots.rank_frequency(history, world, ax=axes["rank"])
        axes["rank"].legend(loc="lower left", ncols=2)
        return {"support": history.median("support"), "rare_alive": history.median("rare_alive")}

    explorer = Explorer(f"The {n_words} most frequent English words", controls, experiment, panels, draw,
                        defaults=defaults, owner="dashboards.words", figsize=(7.8, 6.0), height="500px")
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebook 03: a 2-D mixture with a minority mode
# ---------------------------------------------------------------------------------------------

def mixture(run=True, **defaults):
    """Notebook 03: a 2-D Gaussian mixture with a small minority cluster, refitted by EM.

    Controls: minority (the cluster's true weight), real_fraction, mode, samples, generations,
    temperature, seeds, seed, gate ('none', 'clip'), strength.
    """
    controls = {"minority": _float_slider(0.1, 0.02, 0.5, 0.02, "minority weight",
                                          tooltip="the minority cluster's true share")}
    controls.update(_loop_controls(samples=100, generations=50, seeds=8, max_seeds=50))
    controls["gate"] = _gate([("none", "none"), ("clip outliers", "clip")])
    controls["strength"] = _strength()
    worlds = {}

    def experiment(v, tick):
        world = worlds.setdefault(v["minority"], Mixture.two_d(minority=v["minority"]))
        # EM starts afresh each generation: warm-started EM cannot find a lost mode again even in
        # real data, which would hide what fresh real data does for the minority
        return _simulate(world, MixtureModel(2, warm_start=False), v, tick, gate=_make_gate(v["gate"], v["strength"]))

    def panels(fig):
        rows = fig.add_gridspec(2, 1, height_ratios=[1.3, 1], hspace=0.45)
        top, bottom = rows[0].subgridspec(1, 2, wspace=0.38), rows[1].subgridspec(1, 4, wspace=0.3)
        first = fig.add_subplot(bottom[0])
        scatter = [first] + [fig.add_subplot(bottom[i], sharex=first, sharey=first) for i in range(1, 4)]
        for ax in scatter[1:]:
            ax.tick_params(labelleft=False)
        return {"weight": fig.add_subplot(top[0]), "alive": fig.add_subplot(top[1]),
                **{f"scatter{i}": ax for i, ax in enumerate(scatter)}}

    def draw(history, v, axes):
        weight, alive = axes["weight"], axes["alive"]
        scatter = [axes[f"scatter{i}"] for i in range(4)]
        color = plots.COLORS[v["mode"]]
        plots.metric(history, "minority_weight", ax=weight, color=color)
        weight.axhline(v["minority"], color=plots.COLORS["world"], linestyle=":", linewidth=1.2, label="true weight")
        weight.legend(loc="upper right")
        # how many runs still have a minority mode at all (weight above 1%)
        w = history["minority_weight"]
        surviving = np.where(np.isnan(w).all(axis=0), np.nan, (w > 0.01).mean(axis=0))
        alive.plot(np.arange(w.shape[1]), surviving, color=color)
        alive.set_ylim(-0.03, 1.03)
        alive.set_xlim(0, max(w.shape[1] - 1, 1))
        alive.set_xlabel("generation")
        alive.set_ylabel("share of runs whose\nminority survives")
        plots.scatter2d(history, axes=scatter, world=worlds[v["minority"]], legend=False)
        for ax in scatter[1:]:
            ax.set_ylabel("")
        return {"minority_weight": history.median("minority_weight"), "surviving": surviving}

    explorer = Explorer("A minority cluster in 2-D", controls, experiment, panels, draw,
                        defaults=defaults, owner="dashboards.mixture",
                        figsize=(7.8, 5.0), height="420px",
                        note="Orange points: the minority cluster (by the true world's odds).")
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebooks 04, 05, 07: character language models on real words
# ---------------------------------------------------------------------------------------------

_WORLDS = {}


def _words_world(n_words=5000, heldout=5000):
    """The Words world, built once per size (building it reads wordfreq's tables)."""
    from .words import Words

    key = (n_words, heldout)
    if key not in _WORLDS:
        _WORLDS[key] = Words(n_words=n_words, heldout=heldout)
    return _WORLDS[key]


def _language_model(kind, order, smoothing=0.1):
    from . import charlm   # NeuralLM imports torch only when it is built

    if kind == "neural":
        return charlm.NeuralLM()
    return charlm.NGramLM(order=order, smoothing=smoothing)


def _warm_up_torch(explorer, world):
    """Import PyTorch and fit a tiny neural model while the learner reads.

    The first fit in a fresh process pays for importing torch and initialising its kernels
    (several seconds); paid here, when "neural" is chosen, the first generation after Run
    shows in about the time one fit takes.
    """
    from . import charlm

    def work():
        explorer._say("Loading PyTorch for the neural model (once, a few seconds)…", kind="info")
        tiny = charlm.NeuralLM(steps=5, batch_size=64, n_hidden=8)
        tiny.fit(world.sample((1, 50), np.random.default_rng(0)))
        explorer._say("Neural model ready: press <b>Run</b> (a few seconds per generation).", kind="info")

    if _in_kernel():
        explorer._warming = threading.Thread(target=work, daemon=True)
        explorer._warming.start()
    else:
        work()


def _model_choice():
    from . import charlm

    options = [("character n-gram", "ngram")] + ([("neural (MLP)", "neural")] if hasattr(charlm, "NeuralLM") else [])
    return widgets.Dropdown(options=options, value="ngram", description="model", style=DESCRIPTION,
                            layout=widgets.Layout(width=CONTROL_WIDTH))


LANGUAGE_GATES = [("none", "none"), ("top likelihood", "top"), ("real words only", "real"), ("dedup", "dedup")]


def language_model(run=False, n_words=5000, **defaults):
    """Notebook 04: a character language model trained on its own words, generation by generation.

    Controls: model ('ngram' or 'neural'), order and smoothing (of the n-gram), real_fraction, mode, samples,
    generations, temperature, seeds, seed, gate ('none', 'top', 'real', 'dedup'), strength.
    Runs behind the Run button, draws each generation as it finishes; Stop ends a run early.
    """
    world = _words_world(n_words)
    controls = {"model": _model_choice(),
                "order": _int_slider(3, 1, 6, "n-gram order", "characters the model reads, plus one"),
                "smoothing": _smoothing(0.1, NGRAM_SMOOTHING_TIP)}
    controls.update(_loop_controls(samples=2000, generations=10, seeds=2, max_seeds=10))
    controls["gate"] = _gate(LANGUAGE_GATES)
    controls["strength"] = _strength()
    table = widgets.HTML()
    shown = ("heldout_nll", "distinct_words", "recall_tail", "real_word_share")

    def experiment(v, tick):
        if getattr(explorer, "_warming", None) is not None:
            explorer._warming.join()          # PyTorch is still loading: wait for it, not twice
        model = _language_model(v["model"], v["order"], v["smoothing"])
        return _simulate(world, model, v, tick, gate=_make_gate(v["gate"], v["strength"], world))

    def panels(fig):
        return fig.subplots(2, 2).ravel()

    def draw(history, v, axes):
        for ax, name in zip(axes, shown):
            plots.metric(history, name, ax=ax, color=plots.COLORS[v["mode"]])
        _no_legend(*axes[1:])
        table.value = plots.words_table(history, n=10, world=world)
        return {name: history.median(name) for name in shown if name in history.metrics}

    explorer = Explorer("A language model trained on its own words", controls, experiment, panels, draw,
                        defaults=defaults, owner="dashboards.language_model", auto=False, live_first=True, extra=table,
                        note="Press Run: each generation is drawn as it finishes.")
    controls["model"].observe(lambda change: _warm_up_torch(explorer, world) if change["new"] == "neural" else None,
                              names="value")
    if controls["model"].value == "neural":
        _warm_up_torch(explorer, world)
    if run:
        explorer.run()
    return explorer


def _split(text, name):
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise ValueError(f"The '{name}' box must hold a comma-separated list. Got {text!r} instead.")
    return parts


def gates(run=False, n_words=5000, **defaults):
    """Notebook 05: quality against diversity for a grid of gates × real-data fractions (n-gram model).

    Controls: gates (comma-separated gate specs, e.g. 'none, top:0.8, real, top:0.8+dedup'),
    real_fractions (comma-separated numbers), order, smoothing, samples, generations, temperature, seeds,
    seed; and two view controls, quality and diversity, that pick the metrics drawn (last
    generation, median over seeds) without rerunning. `.result` maps (gate spec, real fraction)
    → History.
    """
    world = _words_world(n_words)
    text = dict(style=DESCRIPTION, continuous_update=False, layout=widgets.Layout(width=CONTROL_WIDTH))
    controls = {
        "gates": widgets.Text(value="none, top:0.8, real, dedup", description="gates",
                              tooltip="comma-separated: none, top:Q, clip:K, dedup, real; join with +", **text),
        "real_fractions": widgets.Text(value="0, 0.2", description="real fractions",
                                       tooltip="comma-separated numbers in [0, 1]", **text),
        "order": _int_slider(3, 1, 6, "n-gram order"),
        "smoothing": _smoothing(0.1, NGRAM_SMOOTHING_TIP),
    }
    loop = _loop_controls(samples=1000, generations=6, seeds=2, max_seeds=10)
    del loop["real_fraction"], loop["mode"]     # the grid sets the real fraction; always replace
    controls.update(loop)
    view = {
        "quality": widgets.Dropdown(options=[("share of real words", "real_word_share"),
                                             ("− held-out NLL", "heldout_nll")],
                                    value="real_word_share", description="quality", style=DESCRIPTION,
                                    layout=widgets.Layout(width=CONTROL_WIDTH)),
        "diversity": widgets.Dropdown(options=[("tail recall", "recall_tail"), ("distinct words", "distinct_words"),
                                               ("entropy", "entropy"), ("distinct 3-grams", "distinct_ngrams")],
                                      value="recall_tail", description="diversity", style=DESCRIPTION,
                                      layout=widgets.Layout(width=CONTROL_WIDTH)),
    }

    def experiment(v, tick):
        # check every box before running anything
        specs = _split(v["gates"], "gates")
        built = {spec: parse_gate(spec, world) for spec in specs}
        try:
            fractions = [float(f) for f in _split(v["real_fractions"], "real fractions")]
        except ValueError:
            fractions = [-1.0]
        if not all(0 <= f <= 1 for f in fractions):
            raise ValueError(f"The 'real fractions' box must hold numbers in [0, 1] separated by commas. "
                             f"Got {v['real_fractions']!r} instead.")
        cells = [(spec, f) for f in fractions for spec in specs]
        results = {}
        for i, (spec, fraction) in enumerate(cells):
            results[spec, fraction] = simulate(
                world, _language_model("ngram", v["order"], v["smoothing"]), generations=v["generations"], samples=v["samples"],
                real_fraction=fraction, gate=built[spec], temperature=v["temperature"], seeds=v["seeds"],
                seed=v["seed"], snapshots=0, callback=lambda h, g: not explorer._stop.is_set())
            if tick(dict(results), i + 1, len(cells)) is False:
                break
        return results

    def panels(fig):
        return {"frontier": fig.add_subplot()}

    def draw(results, v, axes):
        q, dv = v["quality"], v["diversity"]
        sign = -1.0 if q == "heldout_nll" else 1.0       # higher is better on both axes
        points = [{"label": spec, "group": f"real {fraction:g}",
                   "quality": sign * float(np.nanmedian(h.final(q))),
                   "diversity": float(np.nanmedian(h.final(dv)))}
                  for (spec, fraction), h in results.items()]
        ax = axes["frontier"]
        plots.quality_diversity(points, ax=ax, quality_label=("− " if sign < 0 else "") + plots.metric_label(q),
                                diversity_label=plots.metric_label(dv))
        ax.set_title(f"after {v['generations']} generations (median of {v['seeds']} seeds)", fontsize=10)
        return {"points": points}

    explorer = Explorer("Gates: quality against diversity", controls, experiment, panels, draw, view=view,
                        defaults=defaults, owner="dashboards.gates", auto=False, figsize=(7.8, 5.0), height="420px",
                        note="Press Run: one run per gate and real fraction.")
    if run:
        explorer.run()
    return explorer


# the four alarms of notebook 07: metric → (view control, slider description, direction, default %)
ALARMS = {
    "heldout_nll": ("nll_rise", "NLL rise %", +1, 10),
    "distinct_words": ("distinct_drop", "distinct drop %", -1, 20),
    "recall_tail": ("tail_drop", "tail recall drop %", -1, 30),
    "entropy": ("entropy_drop", "entropy drop %", -1, 5),
}


def first_alarm(curve, threshold, direction):
    """The first generation ≥ 1 whose value moved past `threshold` (a share of generation 0), or None.

    direction +1: an alarm on a rise (held-out NLL); −1: on a drop (diversity, tail recall).
    """
    curve = np.asarray(curve, float)
    if not curve[0]:
        return None  # nothing to lose (e.g. no tail recall at generation 0): no share can be crossed
    change = direction * (curve / curve[0] - 1.0)
    tripped = np.flatnonzero(change[1:] >= threshold)     # NaN (not run yet) never trips
    return int(tripped[0]) + 1 if tripped.size else None


def monitor(run=False, n_words=5000, **defaults):
    """Notebook 07: watch a language-model flywheel with alarms, and see which one trips first.

    Run controls: order, smoothing, real_fraction, mode, samples, generations, temperature, seeds, seed,
    gate, strength. View controls (no rerun): the alarm thresholds, in percent of generation 0:
    nll_rise, distinct_drop, tail_drop, entropy_drop. `.alarms` maps each watched metric to
    the first generation whose median crossed its threshold, or None.
    """
    world = _words_world(n_words)
    controls = {"order": _int_slider(3, 1, 6, "n-gram order"), "smoothing": _smoothing(0.1, NGRAM_SMOOTHING_TIP)}
    controls.update(_loop_controls(samples=2000, generations=20, seeds=2, max_seeds=10))
    controls["gate"] = _gate(LANGUAGE_GATES)
    controls["strength"] = _strength()
    view = {key: _int_slider(default, 1, 90, text) for key, text, _, default in ALARMS.values()}
    verdict = widgets.HTML()

    def experiment(v, tick):
        model = _language_model("ngram", v["order"], v["smoothing"])
        return _simulate(world, model, v, tick, gate=_make_gate(v["gate"], v["strength"], world))

    def panels(fig):
        return fig.subplots(2, 2).ravel()

    def draw(history, v, axes):
        alarms, lines = {}, []
        for ax, (name, (key, _, direction, _)) in zip(axes, ALARMS.items()):
            plots.metric(history, name, ax=ax, color=plots.COLORS[v["mode"]])
            _no_legend(ax)
            median = history.median(name)
            threshold = v[key] / 100
            ax.axhline(median[0] * (1 + direction * threshold), color=plots.COLORS["theory"], linestyle="--",
                       linewidth=1.0)
            alarms[name] = g = first_alarm(median, threshold, direction)
            if g is not None:
                ax.axvline(g, color=plots.PALETTE["purple"], linewidth=2.0)
                ax.annotate(f"alarm at {g}", (g, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -14),
                            textcoords="offset points", color=plots.PALETTE["purple"], fontsize=9)
            lines.append(f"{plots.metric_label(name)}: " + (f"<b>alarm at generation {g}</b>" if g is not None else "quiet"))
        explorer.alarms = alarms
        verdict.value = "<br>".join(lines)
        return {"alarms": alarms, **{name: history.median(name) for name in ALARMS}}

    explorer = Explorer("Monitoring a flywheel", controls, experiment, panels, draw, view=view,
                        defaults=defaults, owner="dashboards.monitor",
                        auto=False, live_first=True, extra=verdict,
                        note="Press Run; move the alarm thresholds any time.")
    explorer.alarms = {}
    if run:
        explorer.run()
    return explorer
