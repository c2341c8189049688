"""Interactive explorers, one call per lesson, built on the generic `Explorer` (explorers/).

    from collapse_lab import dashboards
    explorer = dashboards.gaussian(samples=50)     # shows itself as the last line of a cell
    explorer.history                                # the latest run, to dig into in the next cell

Each function below builds the lesson's controls and three hooks (experiment, panels, draw),
a one-line caption that says what changed, and a short "Try this" list; `Explorer` does the
rest (Run / Stop / Reset, progress, errors in words). Pass any control's name as a keyword to
set its starting value; Reset returns to those values.

Toy explorers (01–03, 06) rerun on every change (they take a fraction of a second); the language
explorers (04, 05, 07, 08) run behind a Run button and draw their default run at once.
"""
import functools
import threading

import ipywidgets as widgets
import numpy as np

from . import plots
from .explorers import DPI, Explorer, in_kernel
from .explorers.controls import (CONTROL_WIDTH, DESCRIPTION, LANGUAGE_LIMITS, STRENGTH, GateControl, dropdown,
                                 float_slider, gate_spec, int_slider, loop_controls, real_source, text_box, toggle,
                                 training_set)
from .engine.gates import parse as parse_gate
from .engine.loop import MODES, simulate
from .worlds import Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel
from . import lessons, worlds

__all__ = ["gaussian", "words", "mixture", "language_model", "gates", "distillation", "monitor", "capstone",
           "first_alarm", "gate_grid", "frontier_points", "Explorer"]

def _simulate(world, model, v, tick, **extra):
    """simulate with the loop controls every explorer has; tick counts generations."""
    gate = parse_gate(gate_spec(v["gate"], v["strength"]), world) if "gate" in v else None
    return simulate(world, model, generations=v["generations"], samples=v["samples"],
                    real_fraction=v["real_fraction"], mode=v["mode"], gate=gate, temperature=v["temperature"],
                    seeds=v["seeds"], seed=v["seed"],
                    callback=lambda history, g: tick(history, g + 1, v["generations"] + 1), **extra)


def _runs(history):
    n = np.asarray(history[next(iter(history.metrics))]).shape[0]
    return f"median of {n} run{'s' if n != 1 else ''}"


def _first_last(history, name):
    """Generation 0's and the last generation's median of a metric (NaN-safe for stopped seeds)."""
    m = history.median(name)
    done = m[~np.isnan(m)]
    return (done[0], done[-1], len(done) - 1) if done.size else (np.nan, np.nan, 0)


# ---------------------------------------------------------------------------------------------
# notebook 01: the Gaussian
# ---------------------------------------------------------------------------------------------

def gaussian(run=True, **defaults):
    """Notebook 01: a Gaussian refitted on its own samples; σ and the tail mass over generations.

    Controls (pass any as a keyword to set its starting value): real_fraction, real_source
    ('fresh' or 'fixed', Alemohammad et al.'s fresh-data and fixed-real-set loops), mode
    ('replace', 'accumulate', 'accumulate-subsample'), samples, generations, temperature, seeds,
    seed, gate ('none', 'top', 'clip'), strength.
    The dashed theory curve and its hatched 10–90% band are the log-χ² random walk of notebook 01
    (the setting of Shumailov et al. 2024, Theorem 3.1); they are drawn where it applies: no real
    data, replace, no gate. With fresh real data the caption gives the settled spread's theory
    (lessons.gaussian.anchored_log_var_sd).
    """
    world = Gaussian()
    controls = loop_controls(samples=100, generations=100, seeds=20)
    controls["mode"].close()
    controls["mode"] = training_set(MODES, spelled_out=True)   # all three of the loop's training sets
    controls["real_source"] = real_source()
    controls["gate"] = GateControl([("none", "none"), ("top likelihood", "top"), ("clip outliers", "clip")])

    def experiment(v, tick):
        return _simulate(world, GaussianModel(), v, tick, real_source=v["real_source"])

    def panels(fig):
        return fig.subplot_mosaic([["std", "tail"], ["hist", "hist"]])

    def draw(history, v, axes):
        color = _GAUSSIAN_MODE_COLORS[v["mode"]]
        theory = None
        if v["real_fraction"] == 0 and v["mode"] == "replace" and v["gate"] == "none":
            theory = worlds.gaussian.std_theory(v["samples"], v["generations"], v["temperature"])
        plots.metric(history, "std", ax=axes["std"], color=color, theory=theory, log=True)
        plots.metric(history, "tail_2sd", ax=axes["tail"], color=color, legend=False)
        seed = plots.typical_seed(history, "std")
        plots.histograms(history, generations=plots.spread_generations(history, 4), ax=axes["hist"], world=world,
                         bins=int(np.clip(2 * np.sqrt(v["samples"]), 10, 50)), seed=seed)
        axes["hist"].set_title(f"the samples of a typical run (seed {seed}, the median σ at the end)", fontsize=10)
        return {"std": history.median("std"), "tail_2sd": history.median("tail_2sd"),
                "theory": None if theory is None else theory[0], "snapshots": sorted(history.snapshots)}

    def caption(history, v):
        s0, s1, g = _first_last(history, "std")
        t0, t1, _ = _first_last(history, "tail_2sd")
        verb = "fell" if s1 < s0 else "rose"
        left = f"{t1 / t0:.0%} of the mass beyond 2σ is left" if t0 > 0 else "no mass beyond 2σ to begin with"
        runs = history.final("std").size
        band = plots.band_label((0.1, 0.9), runs) if runs > 1 else "one run"
        return (f"σ {verb} from {s0:.2f} to {s1:.2g} over {g} generations ({_runs(history)}; the band holds "
                f"{band}); {left}.{_anchor_note(v)}")

    tips = ["Predict, then set <b>real data</b> to 0.1: does σ still fall? Is the band as narrow as at generation 0?",
            "With real data 0.1, switch <b>real source</b> to fixed (one real set reused): where does σ settle now?",
            "Switch <b>training set</b> to accumulate, then to accumulate-subsample: how far does σ fall?",
            "Make <b>samples / gen</b> 10, then 1000: how does the speed of collapse change?",
            "Choose <b>gate</b> top likelihood: which tail goes first?"]
    explorer = Explorer("A Gaussian trained on its own samples", controls, experiment=experiment, panels=panels,
                        draw=draw, caption=caption, tips=tips, defaults=defaults, owner="dashboards.gaussian")
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebook 02: words as categories
# ---------------------------------------------------------------------------------------------

SMOOTHING = [0.0, 0.001, 0.01, 0.1, 1.0]
# n-gram smoothing: light smoothing shows mostly forgetting (fewer, likelier words); heavy smoothing
# also adds noise each generation (made-up words multiply), the other face of collapse
NGRAM_SMOOTHING_TIP = "pseudo-count on every next character (n-gram only)"


def _smoothing(value, tooltip):
    return widgets.SelectionSlider(options=SMOOTHING, value=value, description="smoothing", continuous_update=False,
                                   style=DESCRIPTION, tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


def words(run=True, n_words=2000, **defaults):
    """Notebook 02: real English word frequencies, re-estimated from samples each generation.

    Controls: smoothing (0 makes every extinction permanent), real_fraction, mode, samples,
    generations, temperature, seeds, seed, gate ('none', 'top', 'dedup'), strength.
    Plots: words the model still knows, tail recall (the rarest half still known), and rank–frequency
    of one run.
    """
    world = Categorical.words(n_words)
    controls = {"smoothing": _smoothing(0.0, "pseudo-count added to every word's count")}
    controls.update(loop_controls(samples=2000, generations=50, seeds=5, max_seeds=50))
    controls["gate"] = GateControl([("none", "none"), ("top likelihood", "top"), ("dedup", "dedup")])

    def experiment(v, tick):
        return _simulate(world, EmpiricalModel(world.n_categories, smoothing=v["smoothing"]), v, tick)

    def panels(fig):
        return fig.subplot_mosaic([["support", "rare"], ["rank", "rank"]])

    def draw(history, v, axes):
        color = plots.COLORS[v["mode"]]
        plots.metric(history, "support", ax=axes["support"], color=color)
        plots.metric(history, "rare_alive", ax=axes["rare"], color=color, legend=False)
        axes["support"].set_ylabel("words the model still knows")   # the lesson's words, not the engine's
        axes["rare"].set(ylim=(0, 1.02), ylabel="tail recall")      # a share: its whole scale, so noise is not a trend
        plots.rank_frequency(history, world, ax=axes["rank"], generations=plots.spread_generations(history, 4))
        axes["rank"].set_xlim(1, n_words)     # every rank the world has: the same frame for every setting
        axes["rank"].legend(loc="lower left", ncols=2)
        return {"support": history.median("support"), "rare_alive": history.median("rare_alive")}

    def caption(history, v):
        s0, s1, g = _first_last(history, "support")
        _, r1, _ = _first_last(history, "rare_alive")
        return (f"Words the model knows fell from {s0:.0f} to {s1:.0f} of {n_words} over {g} generations "
                f"({_runs(history)}); tail recall: {r1:.0%} of the rarest half is left.")

    tips = ["Make <b>samples / gen</b> 20000: how much longer do words survive?",
            "Set <b>smoothing</b> to 0.001, then 1: do words still die? Does the curve still look real?",
            "Set <b>real data</b> to 0.1: do lost words come back?",
            "Choose <b>gate</b> dedup: predict the rank–frequency curve first.",
            "Set <b>temperature</b> to 0.8: how fast does the tail go now?"]
    explorer = Explorer(f"The {n_words} most frequent English words", controls, experiment=experiment, panels=panels,
                        draw=draw, caption=caption, tips=tips, defaults=defaults, owner="dashboards.words",
                        figsize=(7.8, 6.0))
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebook 03: a 2-D mixture with a minority mode
# ---------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _mixture_world(minority):
    return Mixture.two_d(minority=minority)


def mixture(run=True, **defaults):
    """Notebook 03: a 2-D Gaussian mixture with a small minority cluster, refitted by EM.

    Controls: minority (the cluster's true weight), real_fraction, real_source ('fresh', 'fixed'),
    mode ('replace', 'accumulate', 'accumulate-subsample'), samples, generations, temperature,
    seeds, seed, gate ('none', 'clip'), strength. Defaults: minority 0.1, 100 samples,
    50 generations, 8 seeds (small, so a new setting answers in about half a second).
    """
    controls = {"minority": float_slider(0.1, 0.02, 0.5, 0.02, "minority weight",
                                          tooltip="the minority cluster's true share")}
    controls.update(loop_controls(samples=100, generations=50, seeds=8, max_seeds=50,
                                   limits=dict(samples=20_000, generations=500)))
    controls["mode"] = training_set(MODES)     # the three training sets of notebook 03
    controls["real_source"] = real_source(buttons=True)   # Alemohammad et al.'s fixed vs fresh real data
    controls["gate"] = GateControl([("none", "none"), ("clip outliers", "clip")])

    def experiment(v, tick):
        # EM starts afresh each generation: warm-started EM cannot find a lost mode again even in
        # real data, which would hide what fresh real data does for the minority
        return _simulate(_mixture_world(v["minority"]), MixtureModel(2, warm_start=False), v, tick,
                         real_source=v["real_source"])

    def panels(fig):
        rows = fig.add_gridspec(2, 1, height_ratios=[1.3, 1], hspace=0.5)
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
        color = plots.COLORS.get(v["mode"], plots.PALETTE["sky"])
        plots.metric(history, "minority_weight", ax=weight, color=color)
        weight.axhline(v["minority"], color=plots.COLORS["world"], linestyle=":", linewidth=1.2, label="real weight")
        weight.legend(loc="upper right")
        # how many runs still have a minority mode at all (weight above 2%, as in the lesson)
        surviving = plots.survival(history, "minority_weight", above=0.02, ax=alive, color=color,
                                   label="minority survives")
        plots.scatter2d(history, generations=plots.spread_generations(history, 4), axes=scatter,
                        world=_mixture_world(v["minority"]), legend=False, seed=plots.typical_seed(history,
                                                                                                    "minority_weight"))
        for ax in scatter[1:]:
            ax.set_ylabel("")
        return {"minority_weight": history.median("minority_weight"), "surviving": surviving}

    def caption(history, v):
        w = history["minority_weight"]
        w0, w1, g = _first_last(history, "minority_weight")
        kept = int((w[:, -1] > 0.02).sum())
        return (f"The minority's weight went from {w0:.2f} to {w1:.2f} over {g} generations ({_runs(history)}); "
                f"a minority above 2% survives in {kept} of {w.shape[0]} runs.")

    explorer = Explorer("A minority cluster in 2-D", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, tips=MIXTURE_TIPS, defaults=defaults, owner="dashboards.mixture",
                        figsize=(7.8, 5.0), note="Orange points: the minority cluster (by the true world's odds).")
    if run:
        explorer.run()
    return explorer


# ---------------------------------------------------------------------------------------------
# notebooks 04–08: character language models on real words
# ---------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _words_world(n_words=5000, heldout=5000):
    """The Words world, built once per size (building it reads wordfreq's tables)."""
    from .worlds.words import Words

    return Words(n_words=n_words, heldout=heldout)


def _language_model(kind, order, smoothing=0.1):
    from . import worlds   # NeuralLM imports torch only when it is built

    if kind == "neural":
        return worlds.NeuralLM()
    return worlds.NGramLM(order=order, smoothing=smoothing)


def _warm_up_torch(explorer, world):
    """Import PyTorch and fit a tiny neural model while the learner reads; returns the thread (or None).

    The first fit in a fresh process pays for importing torch and initialising its kernels
    (several seconds); paid here, when "neural" is chosen, the first generation after Run
    shows in about the time one fit takes.
    """
    from . import worlds

    def work():
        explorer.say("Loading PyTorch for the neural model (once, a few seconds)…", kind="info")
        tiny = worlds.NeuralLM(steps=5, batch_size=64, n_hidden=8)
        tiny.fit(world.sample((1, 50), np.random.default_rng(0)))
        explorer.say("Neural model ready: press <b>Run</b> (a few seconds per generation).", kind="info")

    if not in_kernel() or explorer.sync:   # in sync mode (Colab) no thread may touch the page
        work()
        return None
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


LANGUAGE_GATES = [("none", "none"), ("top likelihood", "top"), ("real words only", "real"), ("dedup", "dedup")]


def _word_caption(history, names=("heldout_nll", "recall_tail", "real_word_share")):
    parts = []
    for name in names:
        a, b, g = _first_last(history, name)
        parts.append(f"{plots.metric_label(name).split(' (')[0]} {a:.2f} → {b:.2f}")
    return f"Over {g} generations ({_runs(history)}): " + "; ".join(parts) + "."


def language_model(run=True, n_words=5000, **defaults):
    """Notebook 04: a character language model trained on its own words, generation by generation.

    Controls: model ('ngram' or 'neural'), order and smoothing (of the n-gram), real_fraction, mode, samples,
    generations, temperature, seeds, seed, fine_tune ('none' or 'first': Shumailov et al.'s setting, a warm
    n-gram fit keeping a tenth of generation 0's counts), repetition_penalty (1 is off), gate ('none', 'top',
    'real', 'dedup'), strength.
    Runs behind the Run button, draws each generation as it finishes; Stop ends a run early.
    """
    world = _words_world(n_words)
    controls = {"model": dropdown([("character n-gram", "ngram"), ("neural (MLP)", "neural")], "ngram", "model"),
                "order": int_slider(3, 1, 6, "n-gram order", "characters the model reads, plus one"),
                "smoothing": _smoothing(0.1, NGRAM_SMOOTHING_TIP)}
    controls.update(loop_controls(samples=2000, generations=10, seeds=2, max_seeds=10, limits=LANGUAGE_LIMITS))
    controls.update(_lesson_04_controls())
    controls["gate"] = GateControl(LANGUAGE_GATES)
    # the sample words, in a box as wide as the figure: long made-up words are cut, never widen it
    table = widgets.HTML(layout=widgets.Layout(width=f"{LANGUAGE_FIGSIZE[0] * DPI:.0f}px", overflow="hidden"))
    shown = ("heldout_nll", "distinct_words", "recall_tail", "real_word_share")
    warming = []

    def experiment(v, tick):
        for thread in warming:
            thread.join()                     # PyTorch is still loading: wait for it, not twice
        model = _language_model(v["model"], v["order"], v["smoothing"])
        return _simulate(world, model, v, tick, **_lesson_04_levers(model, v))

    def panels(fig):
        return fig.subplots(2, 2).ravel()

    def draw(history, v, axes):
        for i, (ax, name) in enumerate(zip(axes, shown)):
            plots.metric(history, name, ax=ax, color=plots.COLORS[v["mode"]], legend=i == 0)
        axes[3].set_ylim(0, 1.02)            # a share: on its whole scale
        table.value = plots.words_table(history, n=10, world=world)
        return {name: history.median(name) for name in shown if name in history.metrics}

    def choose_model(kind):
        # order and smoothing belong to the n-gram: off (and say so) for the neural model
        for name in ("order", "smoothing"):
            controls[name].disabled = kind == "neural"
        if kind == "neural":
            thread = _warm_up_torch(explorer, world)
            warming[:] = [thread] if thread is not None else []

    explorer = Explorer("A language model trained on its own words", controls, experiment=experiment, panels=panels,
                        draw=draw, caption=lambda h, v: _word_caption(h), tips=LANGUAGE_TIPS,
                        defaults=defaults, owner="dashboards.language_model", auto=False, live_first=True,
                        extra=table, figsize=LANGUAGE_FIGSIZE, note="Press Run: each generation is drawn as it finishes.")
    controls["model"].observe(lambda change: choose_model(change["new"]), names="value")
    choose_model(controls["model"].value)
    if run:
        explorer.run()
    return explorer


# --- notebook 05: a grid of gates × real-data shares ---

def _split(text, name):
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise ValueError(f"The '{name}' box must hold a comma-separated list. Got {text!r} instead.")
    return parts


def gate_runner(world=None, *, order=4, smoothing=0.01, generations=10, samples=2000, seeds=3, seed=0,
                refill=True, max_draws=50):
    """A cached run(spec, real_fraction=0.0, refill=None) -> History: notebook 05's flywheel with one gate.

    spec is a gate spec for gates.parse ('none', 'top:0.9', 'real+cap:4') or a gate object.

    Each (spec, real fraction, refill) runs once, and the same settings on an equal world give the
    same runner back, so a notebook's self-check that asks for the lesson's runs again gets them
    at once (they are seeded: rerunning would give the same numbers). refill=None uses the
    runner's own. Distinct real words are added to each History's metrics; its fitted models are
    dropped (the lesson reads only metrics and samples, and 30 runs' models would hold ~400 MB).
    """
    from .worlds.words import distinct_real_words

    world = world or _words_world(2000)
    settings = dict(order=order, smoothing=smoothing, generations=generations, samples=samples, seeds=seeds,
                    seed=seed, refill=bool(refill), max_draws=max_draws)
    key = (type(world).__name__, repr(world), tuple(settings.items()))
    if key in _GATE_RUNNERS:
        return _GATE_RUNNERS[key]
    cache = {}

    def run(spec, real_fraction=0.0, refill=None):
        refill = settings["refill"] if refill is None else bool(refill)
        # a spec ('real+cap:4') or a gate object, known by its repr (a plain function's names its address)
        cell = (spec if isinstance(spec, str) else repr(spec), float(real_fraction), refill)
        if cell in cache:
            cache[cell] = cache.pop(cell)   # most recently used last
            return cache[cell]
        gate = parse_gate(spec, world) if isinstance(spec, str) or spec is None else spec
        h = simulate(world, _language_model("ngram", order, smoothing), gate=gate,
                     real_fraction=real_fraction, generations=generations, samples=samples, seeds=seeds,
                     seed=seed, refill=refill, max_draws=max_draws)
        h.metrics["distinct_real_words"] = distinct_real_words(h, world)
        h.model0 = h.model = None
        cache[cell] = h
        while len(cache) > GATE_RUNNER_CELLS:   # a learner's slider sweep must not fill a Binder session
            cache.pop(next(iter(cache)))        # the least recently used goes (a seeded run: rerun if asked)
        return h

    run.world, run.settings, run.cache = world, settings, cache
    _GATE_RUNNERS[key] = run
    while len(_GATE_RUNNERS) > GATE_RUNNERS_KEPT:   # a learner's other settings: the oldest runner goes
        _GATE_RUNNERS.pop(next(iter(_GATE_RUNNERS)))
    return run


_GATE_RUNNERS = {}   # (world, settings) -> runner: one cache per flywheel setting, for the whole session
GATE_RUNNER_CELLS = 40   # runs a runner keeps, about 5 MB each; notebook 05 uses 25
GATE_RUNNERS_KEPT = 2    # runners kept: at most about 400 MB of runs in a session


def gate_grid(run, gates, fractions, tick=None, refill=None):
    """Every (gate, real fraction) cell of a grid: -> {(gate, fraction): History}. tick counts cells."""
    cells = [(spec, f) for f in fractions for spec in gates]
    result = {}
    for i, (spec, f) in enumerate(cells):
        result[spec, f] = run(spec, f) if refill is None else run(spec, f, refill=refill)
        if tick is not None and tick(dict(result), i + 1, len(cells)) is False:
            break
    return result


def frontier_points(result):
    """One point per cell: quality and diversity (relative to generation 0) at the last generation,
    and the acceptance rate (mean over generations 1 … G: what the gate cost in words drawn).

    A cell whose seeds all stopped (a gate that could not fill its training set) has NaN quality
    and diversity; `stopped` says how many of its seeds stopped.
    """
    points = []
    for (spec, f), h in result.items():
        distinct = h.median("distinct_real_words")
        points.append({"label": spec, "group": f"{f:.0%} real", "quality": h.median("real_word_share")[-1],
                       "diversity": distinct[-1] / distinct[0], "tail": h.median("recall_tail")[-1],
                       "acceptance": lessons.quality_gates.mean_acceptance(h), "stopped": sum(s is not None for s in h.stopped)})
    return points


def gates(run=True, runner=None, world=None, **defaults):
    """Notebook 05: quality against diversity, and what each gate costs, for a grid of gates × real-data shares.

    Controls: gates (comma-separated gate specs, e.g. 'none, top:0.9, real, real+cap:4'),
    real_fractions (comma-separated numbers in [0, 1]), false_accept and false_reject (the
    verifier's error rates: every 'real' part of a spec becomes 'real:FA,FR'), and refill (draw
    more until each training set is full; off, a gate shrinks the training set). runner :
    run(spec, real_fraction, refill) -> History, cached (default: gate_runner(), notebook 05's
    flywheel); pass the notebook's own so settings it ran already draw at once; world : the
    runner's world (to check the specs). `.result` maps (gate spec, real fraction) → History.
    """
    runner = runner or gate_runner(world)
    world = world or runner.world
    controls = {
        "gates": text_box("none, top:0.9, real", "gates",
                       "comma-separated specs: none, top:Q, real, dedup, cap:K; chain with +"),
        "real_fractions": text_box("0", "real fractions", "comma-separated numbers in [0, 1]"),
        "false_accept": float_slider(0.0, 0.0, 1.0, 0.05, "false accept",
                                      tooltip="share of non-words the verifier lets through"),
        "false_reject": float_slider(0.0, 0.0, 0.9, 0.05, "false reject",
                                      tooltip="share of real words the verifier drops"),
        "refill": widgets.Checkbox(value=True, description="refill after gating", style=DESCRIPTION,
                                   indent=False, tooltip="draw more until every training set is full again"),
    }

    def experiment(v, tick):
        specs = [_verifier_spec(spec, v["false_accept"], v["false_reject"]) for spec in _split(v["gates"], "gates")]
        for spec in specs:
            parse_gate(spec, world)                          # a bad spec is explained before anything runs
        try:
            fractions = [float(f) for f in _split(v["real_fractions"], "real fractions")]
        except ValueError:
            fractions = [-1.0]
        if not all(0 <= f <= 1 for f in fractions):
            raise ValueError(f"The 'real fractions' box must hold numbers in [0, 1] separated by commas. "
                             f"Got {v['real_fractions']!r} instead.")
        return gate_grid(runner, specs, fractions, tick=tick, refill=v["refill"])

    def panels(fig):
        grid = fig.add_gridspec(1, 2, width_ratios=[2.2, 1])
        return {"frontier": fig.add_subplot(grid[0]), "cost": fig.add_subplot(grid[1])}

    def draw(result, v, axes):
        points = frontier_points(result)
        first = next(iter(result.values()))
        plots.gate_frontier(points, ax=axes["frontier"], reference=(1.0, first.median("real_word_share")[0]))
        plots.acceptance_bars(points, axes["cost"])
        return {"points": points}

    def caption(result, v):
        points = [p for p in frontier_points(result) if np.isfinite(p["quality"])]
        stopped = [f"{p['label']} ({p['group']})" for p in frontier_points(result) if p["stopped"]]
        note = f" Could not fill its training set, so its seeds stopped: {', '.join(stopped)}." if stopped else ""
        if not points:
            return "Every cell's seeds stopped: no gate here could fill its training set." + note
        best = max(points, key=lambda p: p["quality"])
        widest = max(points, key=lambda p: p["diversity"])
        return (f"{len(points)} cells. Highest quality: {best['label']} with {best['group']} "
                f"({best['quality']:.2f}, acceptance rate {best['acceptance']:.2f}); most diverse: {widest['label']} "
                f"with {widest['group']} ({widest['diversity']:.2f} of generation 0's distinct real words).{note}")

    tips = ["Move the verifier's <b>false accept</b> to 0.5, then 0.9: how bad can the verifier be before quality "
            "falls below generation 0's (the star)?",
            "Move <b>false reject</b> to 0.5: what does it cost, quality or words drawn?",
            "Add <b>real+cap:4</b> to the gates: more diversity, at what acceptance rate?",
            "Untick <b>refill</b>: the old engine, where a gate also shrinks the training set.",
            "Add 0.2 to the real fractions: which gates move right, and what does real data do for the capped ones?"]
    explorer = Explorer("Gates: quality, diversity and cost", controls, experiment=experiment, panels=panels,
                        draw=draw, caption=caption, tips=tips, defaults=defaults, owner="dashboards.gates",
                        auto=False, figsize=(9.6, 5.0), margins=dict(left=0.08, right=0.96, bottom=0.15, wspace=0.8),
                        note="Press Run: one flywheel per cell (about a second each; settings run before are reused).")
    if run:
        explorer.run()
    return explorer


# --- notebook 06: a distillation chain ---

def distillation(run=True, world=None, samples=2000, seeds=3, seed=0, **defaults):
    """Notebook 06: a teacher n-gram, a chain of student n-grams, and an optional real-data anchor.

    Controls: teacher_order, student_order, teacher_samples (words each student learns from),
    distill ('hard': the teacher's sampled words, sequence-level as in Kim & Rush 2016; 'soft': its
    next-character probabilities, Hinton et al. 2015), real_fraction (the anchor), generations (students).
    Left panel: head, torso and tail recall as shares of the teacher's; right: held-out NLL.
    Draws its default chain at once (run=False: wait for a control to change).
    """
    from .worlds import NGramLM

    world = world or _words_world(2000)
    controls = {
        "teacher_order": int_slider(4, 2, 6, "teacher", "the teacher's n-gram order: characters it reads, plus one"),
        "student_order": int_slider(3, 1, 6, "student", "each student's n-gram order: characters it reads, plus one"),
        "teacher_samples": dropdown([(f"{n:,}", n) for n in DISTILL_SIZES], DISTILL_SIZES[0], "samples"),
        "distill": _labels_toggle(),
        "real_fraction": float_slider(0.0, 0.0, 0.5, 0.05, "real data", fmt=".0%",
                                       tooltip="share of real words in each student's training set (the anchor)"),
        "generations": int_slider(10, 1, 20, "students", "how many students in the chain"),
    }
    controls["teacher_samples"].tooltip = "words of the previous model each student learns from"

    def experiment(v, tick):
        return simulate(world, NGramLM(order=v["teacher_order"], smoothing=0.01), generations=v["generations"],
                        student=NGramLM(order=v["student_order"], smoothing=0.01), real_fraction=v["real_fraction"],
                        teacher_samples=v["teacher_samples"], distill=v["distill"],
                        samples=samples, seeds=seeds, seed=seed,
                        callback=lambda h, g: tick(h, g + 1, v["generations"] + 1))

    def panels(fig):
        return fig.subplots(1, 2)

    def draw(history, v, axes):
        left, right = axes
        plots.recall_buckets(history, ax=left)
        plots.metric(history, "heldout_nll", ax=right, color=plots.DISTILL_STYLE[v["distill"]][0],
                     linestyle=plots.DISTILL_STYLE[v["distill"]][1])
        right.set_xlabel("generation (0 = teacher)")
        return {"tail": history.median("recall_tail", relative=True)}

    def caption(history, v):
        left = {b: history.median(f"recall_{b}", relative=True)[-1] for b in ("head", "torso", "tail")}
        a, b, g = _first_last(history, "heldout_nll")
        first = history.median("heldout_nll")[1]
        return (f"After {g} students ({v['distill']} labels, {v['teacher_samples']:,} words each; {_runs(history)}): "
                f"the head keeps {left['head']:.0%} of the teacher's recall, the torso {left['torso']:.0%}, "
                f"the tail {left['tail']:.0%}; held-out NLL {a:.2f} (teacher) → {first:.2f} (student 1) → {b:.2f}.")

    tips = ["Switch the <b>labels</b> to soft: does the chain still slide?",
            "Back to hard labels, set <b>samples</b> to 20,000: how much of the slide is left?",
            "Set <b>real data</b> to 5%, then 20%: where does the slide stop?",
            "Make the <b>student</b> order 4, as large as the teacher: does the tail still drain with hard labels?"]
    explorer = Explorer("Distillation chain", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, tips=tips, defaults=defaults, owner="dashboards.distillation",
                        figsize=(7.8, 3.4), margins=dict(bottom=0.15, wspace=0.35), results_kept=4,
                        note="Each change reruns the chain: under half a second; 20,000 samples, a few seconds.")
    if run:
        explorer.run()
    return explorer


# --- notebook 07: alarms on a flywheel ---

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


def monitor(run=True, n_words=5000, **defaults):
    """Notebook 07: watch a language-model flywheel with alarms, and see which one trips first.

    Run controls: order, smoothing, real_fraction, mode, samples, generations, temperature, seeds, seed,
    gate, strength. View controls (no rerun): the alarm thresholds, in percent of generation 0:
    nll_rise, distinct_drop, tail_drop, entropy_drop. `.alarms` maps each watched metric to
    the first generation whose median crossed its threshold, or None.
    """
    world = _words_world(n_words)
    controls = {"order": int_slider(3, 1, 6, "n-gram order"), "smoothing": _smoothing(0.1, NGRAM_SMOOTHING_TIP)}
    controls.update(loop_controls(samples=2000, generations=20, seeds=2, max_seeds=10, limits=LANGUAGE_LIMITS))
    controls["gate"] = GateControl(LANGUAGE_GATES)
    view = {key: int_slider(default, 1, 90, text) for key, text, _, default in ALARMS.values()}

    def experiment(v, tick):
        return _simulate(world, _language_model("ngram", v["order"], v["smoothing"]), v, tick)

    def panels(fig):
        return fig.subplots(2, 2).ravel()

    def draw(history, v, axes):
        alarms = {}
        for ax, (name, (key, _, direction, _)) in zip(axes, ALARMS.items()):
            plots.metric(history, name, ax=ax, color=plots.COLORS[v["mode"]], legend=False)
            ax.set_ylim(bottom=0)  # from 0: a few percent of entropy must not look like a cliff
            median = history.median(name)
            threshold = v[key] / 100
            ax.axhline(median[0] * (1 + direction * threshold), color=plots.COLORS["theory"], linestyle="--",
                       linewidth=1.0, label="alarm threshold")
            alarms[name] = g = first_alarm(median, threshold, direction)
            if g is not None:
                ax.axvline(g, color=plots.PALETTE["purple"], linewidth=2.0, linestyle="-.")
                ax.annotate(f"alarm at {g}", (g, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -14),
                            textcoords="offset points", color=plots.PALETTE["purple"], fontsize=9)
        axes[0].legend(loc="lower right")
        return {"alarms": alarms, **{name: history.median(name) for name in ALARMS}}

    def caption(history, v):
        alarms = explorer.alarms
        tripped = [f"{plots.metric_label(n).split(' (')[0]} at generation {g}" for n, g in alarms.items() if g]
        quiet = [plots.metric_label(n).split(' (')[0] for n, g in alarms.items() if not g]
        return ("Alarms: " + (", ".join(tripped) if tripped else "none") +
                (f". Quiet: {', '.join(quiet)}." if quiet else "."))

    def alarms(history, v, plotted):
        # `.alarms`: each watched metric → the first generation whose median crossed its threshold, or None
        return {"alarms": dict(plotted.get("alarms", {}))}

    explorer = Explorer("Monitoring a flywheel", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, on_result=alarms, view=view, defaults=defaults, owner="dashboards.monitor",
                        auto=False, live_first=True, note="Press Run; move the alarm thresholds any time.", tips=[
                            "Lower <b>tail recall drop %</b> to 10: how much earlier does it trip?",
                            "Set <b>real data</b> 0.2 and <b>training set</b> accumulate, then Run: any false alarm?",
                            "Why do <b>distinct drop</b> and <b>entropy drop</b> stay quiet?"])
    if run:
        explorer.run()
    return explorer


# --- notebook 08: the capstone ---

def capstone(baseline=None, **defaults):
    """Notebook 08: set the four levers of a recipe, score it, and draw it against the naive flywheel.

    Controls: real_fraction (up to the budget), mode (replace, accumulate, accumulate-subsample),
    gate (a gate spec), temperature.
    baseline : the naive flywheel's Score (capstone.score(Recipe())), drawn at once; computed if None.
    A recipe runs in 1 to 10 s (a strict gate draws many words to fill its training set), so there is
    no Stop. `.scores` maps each drawn name to its Score. The caption gives each recipe's score, its
    three parts and its compute; a recipe whose gate cannot fill its training set is "not scored".
    """
    from .lessons import capstone

    baseline = baseline or capstone.score(capstone.Recipe())
    controls = {
        "real_fraction": float_slider(0.0, 0.0, capstone.BUDGET, 0.01, "real data", fmt=".0%",
                                       tooltip=f"fresh real data per generation, at most {capstone.BUDGET:.0%} "
                                               "of the training set after gating"),
        "mode": training_set(MODES),
        "gate": text_box("none", "gate", "none, or parts joined by +: top:Q, real, real:FA,FR, dedup, cap:K (press Enter)"),
        "temperature": float_slider(1.0, 0.5, 1.5, 0.05, "temperature", tooltip="below 1 favours likely words"),
    }
    scores = {"naive flywheel": baseline}

    def experiment(values, tick):
        recipe = {**values, "real_fraction": round(values["real_fraction"], 2)}  # a slider's 0.05 may be 0.0500001
        scores["your recipe"] = capstone.score(recipe)          # a ValueError is shown under the controls
        return {name: s.history for name, s in scores.items()}

    def panels(fig):
        return fig.subplots(1, 3)

    def draw(histories, values, axes):
        plots.capstone_parts(histories, axes)
        return {"scores": {name: scores[name].score for name in histories}}

    def caption(histories, values):
        return "; ".join(_score_line(name, s) for name, s in scores.items() if name in histories) + "."

    explorer = Explorer("Capstone: score a recipe", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, on_result=lambda histories, values, plotted: {"scores": scores},
                        defaults=defaults, owner="dashboards.capstone", auto=False, stoppable=False,
                        figsize=(7.8, 3.0), margins=dict(bottom=0.17, wspace=0.62, left=0.09),
                        note="Set the levers, then press Run (1 to 10 s).", tips=[
                            "Spend the whole budget: <b>real data</b> 5%. How far does the score rise?",
                            "Switch <b>training set</b> to accumulate, then to accumulate-subsample (the same "
                            "compute as replace). How much of accumulate's gain is left?",
                            "Add <b>gate</b> real, then real+cap:3. Which part does the cap lower, and why?",
                            "Which part of the score is lowest, and which lever moves it?"])
    # the naive flywheel, drawn at once: the picture is never empty, and Reset returns to it
    explorer.show({"naive flywheel": baseline.history})
    return explorer


# ---------------------------------------------------------------------------------------------
# explorers added by lessons 00-08 (issues 11 and 12): each lesson's new code goes under its own
# heading below, so lessons rebuilt side by side never edit the same lines.
# ---------------------------------------------------------------------------------------------

# --- lesson 00 ---



# --- lesson 01 ---

# notebook 01's training-set options: all three of the loop's modes (Kazdan et al. 2024's accumulate-subsample too)
_GAUSSIAN_MODE_COLORS = {"replace": plots.COLORS["replace"], "accumulate": plots.COLORS["accumulate"],
                         "accumulate-subsample": plots.PALETTE["sky"]}


def _anchor_note(v):
    """With fresh real data in replace mode: the settled spread of log σ² that theory expects."""
    rho = v["real_fraction"]
    if rho == 0 or v["mode"] != "replace" or v["real_source"] != "fresh" or v["gate"] != "none" or v["temperature"] != 1:
        return ""
    sd = float(lessons.gaussian.anchored_log_var_sd(v["samples"], rho))
    fit = float(lessons.gaussian.equivalent_real_samples(v["samples"], rho))
    return (f" Theory, once settled: log σ² spreads by ±{sd:.2f} (one standard deviation), "
            f"as much as a single fit to about {fit:.0f} real samples.")


# --- lesson 02 ---



# --- lesson 03 ---

MIXTURE_TIPS = [
    "Set <b>minority weight</b> to 0.3: does a larger group survive?",
    "Choose <b>gate</b> clip outliers, then move its slider to 4: is any threshold safe?",
    "Set <b>real data</b> to 0.1 with <b>real source</b> fixed, then fresh: which keeps the minority in more runs?",
    "Set <b>training set</b> to accumulate-subsample (no real data after generation 0).",
    "Set <b>temperature</b> 0.9: weights sharpened to w^(1/T), so the minority's odds shrink every generation.",
]


# --- lesson 04 ---

# The figure's size; the word table below it takes its width, so long made-up words never widen
# the column (the explorer's row scrolls sideways in a narrow window, and never wraps).
LANGUAGE_FIGSIZE = (7.8, 5.6)

LANGUAGE_TIPS = [
    "Set <b>temperature</b> 0.8, then 1.2, and Run: which words go first?",
    "Shumailov et al.'s setting: <b>fine-tune</b> the generation-0 model, <b>temperature</b> 0.9, "
    "<b>repeat penalty</b> 3: quality rises while distinct words fall.",
    "Choose <b>gate</b> real words only: does the tail survive?",
    "Set <b>smoothing</b> 0.1: distinct words rise while real words fall.",
    "Choose <b>model</b> neural (a few seconds per generation)."]


def _lesson_04_controls():
    """Notebook 04's levers for Shumailov et al.'s setting: fine-tuning and a repetition penalty."""
    fine_tune = toggle([("retrain", "none"), ("fine-tune", "first")], "none", "each generation",
                       ["fit every generation from scratch", "fine-tune the generation-0 model on the newest data"])
    penalty = float_slider(1.0, 1.0, 4.0, 0.5, "repeat penalty", fmt=".1f",
                            tooltip="divide the probability of a letter already in the word by this (1: off)")
    return {"fine_tune": fine_tune, "repetition_penalty": penalty}


def _lesson_04_levers(model, v):
    """simulate's fine_tune, and the model's repetition penalty, from notebook 04's controls."""
    model.set_params(repetition_penalty=float(v["repetition_penalty"]))
    if v["fine_tune"] == "none":
        return {}
    if "fine_tune_weight" in model.get_params():
        model.set_params(fine_tune_weight=0.1)   # keep a tenth of generation 0's counts, as in notebook 04
    return {"fine_tune": "first"}




# --- lesson 05 ---

def _verifier_spec(spec, false_accept, false_reject):
    """A gate spec with every perfect 'real' part made the imperfect verifier 'real:FA,FR'.

    With both rates 0 the spec is unchanged (and its runs are shared with the perfect verifier's).
    """
    if not (false_accept or false_reject):
        return spec
    parts = [f"real:{false_accept:g},{false_reject:g}" if part.strip() == "real" else part.strip()
             for part in str(spec).split("+")]
    return "+".join(parts)


# --- lesson 06 ---

# teacher samples the distillation explorer offers: a chain of 10 students on 20,000 soft labels
# takes several seconds; 200,000 (notebook 06's one-step figure) would take half a minute
DISTILL_SIZES = (2000, 5000, 20000)


def _labels_toggle():
    """Hard or soft labels: what a student learns from its teacher (notebook 06)."""
    return toggle(["hard", "soft"], "hard", "labels",
                  ["the words the teacher wrote (sequence-level distillation)",
                   "the teacher's next-character probabilities (Hinton et al. 2015)"])



# --- lesson 07 ---

# the monitor's default run (notebook 07), for runs that need its numbers but not its explorer
MONITOR_RUN = dict(n_words=5000, order=3, smoothing=0.1, generations=20, samples=2000, seeds=2, seed=0)


def monitor_run(real_fraction=0.0, mode="replace", gate="none", **settings):
    """The flywheel `monitor(**same settings)` runs, without building the explorer or drawing:
    a History with the same numbers, in about a third of the time (notebook 07's self-check and
    exercises use it). gate: "none", "top", "real" or "dedup" (top at the explorer's default strength)."""
    run = {**MONITOR_RUN, **settings}
    world = _words_world(run.pop("n_words"))
    model = _language_model("ngram", run.pop("order"), run.pop("smoothing"))
    strength = STRENGTH[gate][4] if gate in STRENGTH else None
    gate = parse_gate(gate_spec(gate, strength), world) if gate != "none" else None
    return simulate(world, model, real_fraction=real_fraction, mode=mode, gate=gate, **run)


def monitor_alarms(history, thresholds=None):
    """The monitor's four alarms on a History: metric -> first generation past its threshold, or None.

    thresholds: {metric: percent} for any of the four (default: the monitor's, ALARMS)."""
    thresholds = {**{name: default for name, (_, _, _, default) in ALARMS.items()}, **(thresholds or {})}
    return {name: first_alarm(history.median(name), thresholds[name] / 100, direction)
            for name, (_, _, direction, _) in ALARMS.items()}



# --- lesson 08 ---

def _score_line(name, s):
    """One recipe in the capstone explorer's caption: score, parts and compute, or why it was not scored."""
    if not s.scored:
        return f"{name}: not scored, its gate could not fill the training set ({s.stopped})"
    return (f"{name}: score {s.score:.1f} (quality {s.quality:.2f}, diversity {s.diversity:.2f}, "
            f"fidelity {s.fidelity:.2f}; trained on {s.trained_on / 1000:.0f}k words, generated {s.generated / 1000:.0f}k)")
