"""Lesson 05, quality gates: the lesson's runs and figures.

Taught in notebook 05 (05_quality_gates.ipynb): each gate's run (`gate_runs`), what filtering
costs (`mean_acceptance`, `acceptance_bars`), a verifier's errors (`verifier_error`), a model
trained on real words from a vocabulary as narrow as a gated run's (`matched_vocabulary_share`),
and the quality-diversity frontier (`gate_frontier`).

Diversity means one thing here, as in the capstone (notebook 08): **frequency fidelity**, 1 − the
total variation distance between how often the model writes each real word and how often people
do (lessons.capstone.frequency_fidelity). Too few words and too flat a spread both lower it.
Distinct real words are a count, shown as such; tail recall is its own yardstick.
"""
import re

import ipywidgets as widgets
import numpy as np

from ..figures import COLORS, PALETTE, compare, new_axes, quality_diversity, styled
from ..explorers import Explorer, check_arguments
from ..explorers.controls import DESCRIPTION, float_slider, text_box
from ..engine.cache import remembered
from ..engine.checks import HISTORY, DictOf, HasKeys, Interval, ListOf, shown, validate_args
from ..engine.gates import Gate, parse as parse_gate
from ..engine.loop import simulate
from ..worlds import NGramLM, Words
from ..worlds.words import distinct_real_words
from .capstone import frequency_fidelity
from .language import language_model, lesson_world


# --- what an imperfect verifier does to one batch ------------------------------------------------

# a share of real words and a verifier's two error rates: numbers (or arrays of them) in [0, 1]
VERIFIER_RATES = {name: [Interval(float, 0, 1, array=True)] for name in ("q", "false_accept", "false_reject")}


@validate_args(VERIFIER_RATES)
def verifier_acceptance(q, false_accept, false_reject):
    """Share of drawn words that pass a verifier, when a share q of them are real words.

    A real word passes with probability 1 − false_reject, a non-word with probability
    false_accept (collapse_lab.engine.gates.Verifier), so the acceptance rate is their mixture.
    """
    return q * (1 - false_reject) + (1 - q) * false_accept


@validate_args(VERIFIER_RATES)
def verified_share(q, false_accept, false_reject):
    """Share of real words among the words that pass: the verifier's output quality.

    It is above q exactly when 1 − false_reject > false_accept: a verifier better than a coin
    enriches real words every generation (Feng et al. 2024 study when such selection suffices).
    """
    accepted = verifier_acceptance(q, false_accept, false_reject)
    if np.any(accepted == 0):
        raise ValueError(f"The 'q' and 'false_accept' parameters of verified_share leave nothing to pass (no real words, "
                         f"no false accepts): the share among passed words is undefined. Got q={q} and "
                         f"false_accept={false_accept} instead.")
    return q * (1 - false_reject) / accepted



class SurpriseFilter(Gate):
    """Keep the fraction q of samples the model finds LEAST likely (highest NLL), per seed and batch.

    The mirror image of TopLikelihood: filtering for surprise, as Gambetta et al. (2024,
    "Learning by Surprise", arXiv:2410.12341) propose for LLM fine-tuning data. The reference
    answer of notebook 05's exercise 4 (taught in notebook 05, §6).
    """

    _parameter_constraints = {"q": [Interval(float, 0, 1, closed="right")]}

    def __init__(self, q=0.9):
        self.q = q
        self.q = self._validate_params()["q"]

    def __call__(self, samples, model, mask, rng=None):
        nll = np.where(mask, -model.log_prob(samples), -np.inf)   # (seeds, n): surprise, dropped ones last
        order = np.argsort(-nll, axis=1, kind="stable")            # most surprising first
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(order.shape[1])[None, :].repeat(len(order), 0), axis=1)
        return mask & (rank < np.ceil(self.q * mask.sum(axis=1))[:, None])


GATE_PANELS = {"real_word_share": "share of real words (quality)",
               "frequency_fidelity": "diversity: frequency fidelity\n(1 − TV to real word frequencies)",
               "recall_tail": "tail recall (rarest words)",
               "acceptance": "acceptance rate\n(words kept / words drawn)"}


@styled
def gate_runs(histories, colors=None, axes=None, names=GATE_PANELS):
    """Notebook 05: quality, diversity, tail recall and acceptance rate over generations, one line per gate.

    histories : {gate spec: History}. Each gate has its own colour AND line style (plots.compare),
    and one legend serves the whole figure. The acceptance rate is the share of the words drawn
    that passed the gate (History metric "acceptance"; 1 where no gate is set): its inverse is how
    many words the model wrote for each word it trained on. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, len(names), figsize=(3.1 * len(names), 3.3))
    fig = axes[0].figure
    for ax, (name, label) in zip(axes, names.items()):
        shown = {spec: _with_acceptance(h) for spec, h in histories.items()} if name == "acceptance" else histories
        compare(shown, name, ax=ax, colors=colors or {})
        ax.set_ylabel(label)
        ax.relim()                                       # every series in view, not only the first one drawn
        ax.autoscale(enable=True, axis="y")              # (metric() fixed the first series' limits)
        ax.set_ylim(0, 1.04) if name in ("real_word_share", "frequency_fidelity", "acceptance") else ax.set_ylim(bottom=0)
        if ax is not axes[0] and ax.get_legend():
            ax.get_legend().remove()
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


def _with_acceptance(history):
    """The history itself, or for an ungated run a view whose acceptance is 1 (nothing is filtered)."""
    if "acceptance" in history.metrics:
        return history
    import copy

    view = copy.copy(history)
    view.metrics = {**history.metrics, "acceptance": np.ones_like(np.asarray(history["real_word_share"], float))}
    return view


@validate_args({"history": [HISTORY]})
def mean_acceptance(history):
    """The acceptance rate over generations 1 … G (median over seeds, then the mean over generations).

    Generation 0 trains on real data that no gate filters, so it is left out. 1 for an ungated run.
    """
    if "acceptance" not in history.metrics:
        return 1.0
    per_generation = history.median("acceptance")[1:]
    return float(np.nanmean(per_generation)) if np.isfinite(per_generation).any() else float("nan")


@styled
def verifier_error(results, reference=None, axes=None):
    """Notebook 05: the outcome after the last generation against the verifier's false-accept rate.

    results   : {(false_accept, false_reject): History}; one line per false-reject rate, each with
                its own colour, line style and marker.
    reference : {"generation 0": History-like value dict or History, "no gate": History}: drawn as
                horizontal lines (generation 0 dotted black, no gate dashed vermillion).
    Panels: share of real words, tail recall, and acceptance rate (mean over generations 1 … G).
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.3))
    fig = axes[0].figure
    panels = [("real_word_share", "share of real words\nafter the last generation"),
              ("recall_tail", "tail recall\nafter the last generation"),
              ("acceptance", "acceptance rate\n(mean over generations)")]
    rejects = sorted({fr for _, fr in results})
    styles = [(PALETTE["blue"], "-", "o"), (PALETTE["orange"], "--", "s"), (PALETTE["purple"], ":", "^")]
    for ax, (name, label) in zip(axes, panels):
        for i, fr in enumerate(rejects):
            fas = sorted(fa for fa, r in results if r == fr)
            values = [mean_acceptance(results[fa, fr]) if name == "acceptance" else results[fa, fr].median(name)[-1]
                      for fa in fas]
            color, line, marker = styles[i % len(styles)]
            ax.plot(fas, values, color=color, linestyle=line, marker=marker, markersize=5,
                    label=f"false-reject rate {fr:g}")
        if reference:
            g0, none = reference.get("generation 0"), reference.get("no gate")
            if g0 is not None and name != "acceptance":
                ax.axhline(g0.median(name)[0], color=COLORS["world"], linestyle=(0, (1, 2)), linewidth=1.2,
                           label="generation 0")
            if none is not None and name != "acceptance":
                ax.axhline(none.median(name)[-1], color=COLORS["replace"], linestyle="-.", linewidth=1.2,
                           label="no gate, last generation")
        ax.set_xlabel("false-accept rate\n(share of non-words let through)")
        ax.set_ylabel(label)
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(0, 1.04 if name != "recall_tail" else None)
        if name == "recall_tail":
            ax.set_ylim(bottom=0)
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


# what frontier_points gives, one dict per grid cell (acceptance_bars and gate_frontier draw them)
POINTS = ListOf(HasKeys("label", "group", "acceptance", "stopped", what="a dict"),
                what="a non-empty list of points as frontier_points gives them (dicts with label, group, acceptance "
                     "and stopped)")


@styled
@validate_args({"points": [POINTS]})
def acceptance_bars(points, ax=None):
    """Notebook 05: what each gate cost, its acceptance rate as a horizontal bar (1 = nothing rejected).

    points : as lessons.quality_gates.frontier_points gives them (label, group, acceptance, stopped).

    Cells whose seeds stopped are marked in words, not drawn as a bar of 0.
    """
    bad = [p["acceptance"] for p in points if not isinstance(p["acceptance"], (int, float, np.floating))
           or isinstance(p["acceptance"], bool)]
    if bad:  # NaN is allowed: a cell whose seeds all stopped
        raise ValueError(f"The 'points' parameter of acceptance_bars must hold a number as each point's acceptance. "
                         f"Got {shown(bad[0])} instead.")
    ax = new_axes(ax)
    labels = [f"{p['label']}  ({p['group']})" for p in points]
    values = [p["acceptance"] for p in points]
    y = np.arange(len(points))[::-1]
    ax.barh(y, np.nan_to_num(values), color=COLORS["gated"], height=0.6)
    for yi, p, value in zip(y, points, values):
        text = "stopped" if p["stopped"] else f"{value:.2f}"
        ax.text(min(np.nan_to_num(value), 1.0) + 0.02, yi, text, va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1.25)
    ax.set_xticks([0, 0.5, 1])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("what each gate costs:\nacceptance rate\n(kept / drawn)")
    return ax


@styled
def gate_frontier(points, ax=None, reference=None):
    """Notebook 05's quality–diversity frontier: `quality_diversity`, with labels that never overprint.

    Each label tries a few places around its point (right, left, above, below, further out) and
    takes the first that overlaps no other label, no point and not the legend.
    """
    ax = quality_diversity(points, ax=ax, quality_label="share of real words (quality)",
                           diversity_label="diversity: frequency fidelity (1 − TV),\nshare of generation 0's", annotate=False,
                           reference=reference, quality_range=(0, 1.05))
    _place_labels(ax, points)
    return ax


def _place_labels(ax, points, fontsize=8):
    from matplotlib.transforms import Bbox

    fig = ax.figure
    fig.draw_without_rendering()                    # the final layout, so positions are where they will be drawn
    renderer = fig._get_renderer()                  # works for a figure with no canvas too (the explorers')
    shown = [p for p in points if np.isfinite(p["quality"]) and np.isfinite(p["diversity"])]
    centres = [ax.transData.transform((p["diversity"], p["quality"])) for p in shown]
    dots = [Bbox.from_extents(x - 4, y - 4, x + 4, y + 4) for x, y in centres]
    taken = [ax.get_legend().get_window_extent(renderer)] if ax.get_legend() else []
    step = 10
    offsets = [(dx, dy) for ring in (0, 1, 2, 3) for dy in (ring * step, -(ring + 1) * step) for dx in (5, -5)]
    for i, p in enumerate(shown):
        others = taken + dots[:i] + dots[i + 1:]
        for dx, dy in offsets:
            text = ax.annotate(str(p.get("label", "")), (p["diversity"], p["quality"]), textcoords="offset points",
                               xytext=(dx, dy), fontsize=fontsize, color="0.2", va="bottom",
                               ha="left" if dx > 0 else "right")
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in others):
                break
            text.remove()
        else:                                           # nowhere free: keep the first place
            text = ax.annotate(str(p.get("label", "")), (p["diversity"], p["quality"]), textcoords="offset points",
                               xytext=offsets[0], fontsize=fontsize, color="0.2", va="bottom")
            box = text.get_window_extent(renderer)
        taken.append(box)


# --- the explorer ------------------------------------------------------------------------------

def _split(text, name):
    # a comma followed by a number continues a spec: the verifier's rates in "none, real:0.1,0.2"
    parts = [p.strip() for p in re.split(r",(?!\s*[0-9.])", str(text)) if p.strip()] if name == "gates" else \
            [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise ValueError(f"The '{name}' box must hold a comma-separated list. Got {text!r} instead.")
    return parts


GATE_RUNS_KEPT = 40   # runs kept, about 5 MB each (notebook 05 uses 25): a slider sweep must not fill a Binder session


def gate_runner(world=None, *, order=4, smoothing=0.01, generations=10, samples=2000, seeds=3, seed=0,
                refill=True, max_draws=50, real_source="fresh"):
    """run(spec, real_fraction=0.0, refill=None) -> History: notebook 05's flywheel with one gate.

    spec is a gate spec for gates.parse ('none', 'top:0.9', 'real+cap:4') or a gate object.
    Each run is remembered (gate_run, on the course's one cache), so a notebook's self-check that
    asks for the lesson's runs again gets them at once; refill=None uses the runner's own.
    real_source : 'fresh' (new real words every generation) or 'fixed' (the same real words reused).
    """
    world = world or lesson_world(2000)
    settings = dict(order=order, smoothing=smoothing, generations=generations, samples=samples, seeds=seeds,
                    seed=seed, refill=bool(refill), max_draws=max_draws, real_source=real_source)

    def run(spec, real_fraction=0.0, refill=None):
        refill = settings["refill"] if refill is None else bool(refill)
        return gate_run(world, spec, float(real_fraction), **{**settings, "refill": refill})

    run.world, run.settings = world, settings
    return run


@remembered(maxsize=GATE_RUNS_KEPT)
def gate_run(world, spec, real_fraction, *, order, smoothing, generations, samples, seeds, seed, refill, max_draws,
             real_source="fresh"):
    """One seeded run of notebook 05's flywheel with the gate `spec` (taught in notebook 05, §2).

    Distinct real words and frequency fidelity (the course's diversity, read off each generation's
    model as the capstone does) are added to the History's metrics; its fitted models are dropped
    (the lesson reads only metrics and samples, and 30 runs' models would hold ~400 MB).
    """
    gate = parse_gate(spec, world) if isinstance(spec, str) or spec is None else spec
    fidelity = np.full((seeds, generations + 1), np.nan)

    def measure_fidelity(history, g):                    # after every generation, while its model exists
        running = ~np.isnan(history.metrics["heldout_nll"][:, g])
        fidelity[:, g] = np.where(running, frequency_fidelity(history.model, world), np.nan)

    h = simulate(world, language_model("ngram", order, smoothing), gate=gate, real_fraction=real_fraction,
                 generations=generations, samples=samples, seeds=seeds, seed=seed, refill=refill, max_draws=max_draws,
                 real_source=real_source, callback=measure_fidelity)
    h.metrics["frequency_fidelity"] = fidelity[:, : h.generations + 1]
    h.metrics["distinct_real_words"] = distinct_real_words(h, world)
    h.model0 = h.model = None
    return h


# the vocabulary sizes and run sizes matched_vocabulary_share accepts (a learner's typo must not build a huge world)
MATCHED_ARGS = {"k": [Interval(int, 10, 50_000)], "n_words": [Interval(int, 10, 50_000)],
                "samples": [Interval(int, 1, 100_000)], "seeds": [Interval(int, 1, 20)], "seed": [Interval(int, 0, None)]}


@validate_args(MATCHED_ARGS)
@remembered(maxsize=8)
def matched_vocabulary_share(k, *, n_words=2000, order=4, smoothing=0.01, samples=2000, seeds=3, seed=0):
    """Real-word share of the lesson's model fitted on real words from only the k most frequent -> (seeds,).

    The fair yardstick for a gated run that ends with k distinct real words (taught in notebook 05,
    §3): a narrow vocabulary of frequent words is easier to spell, so a model trained on *real*
    text that narrow spells better than generation 0 too. Its words are scored against the
    lesson's world of n_words. The seed (with a tag of its own) is not a flywheel run's stream.
    """
    if k > n_words:
        raise ValueError(f"The 'k' parameter of matched_vocabulary_share must be an int in the range [10, n_words="
                         f"{n_words}]. Got {k!r} instead.")
    rng = np.random.default_rng([seed, 5005])
    model = NGramLM(order=order, smoothing=smoothing).fit(Words(n_words=int(k)).sample((seeds, samples), rng))
    return lesson_world(n_words).is_real(model.sample(samples, rng)).mean(axis=1)


@validate_args({"run": [callable], "gates": [ListOf([str, Gate])], "fractions": [ListOf(Interval(float, 0, 1))],
                "tick": [None, callable], "refill": [None, bool]})
def gate_grid(run, gates, fractions, tick=None, refill=None):
    """Every (gate, real fraction) cell of a grid: -> {(gate, fraction): History}. tick counts cells."""
    cells = [(spec, f) for f in fractions for spec in gates]
    result = {}
    for i, (spec, f) in enumerate(cells):
        result[spec, f] = run(spec, f) if refill is None else run(spec, f, refill=refill)
        if tick is not None and tick(dict(result), i + 1, len(cells)) is False:
            break
    return result


GRID_METRICS = ("real_word_share", "frequency_fidelity", "distinct_real_words", "recall_tail")


@validate_args({"result": [DictOf(HISTORY, what="a dict {(gate, real fraction): History} (what gate_grid returns)")]})
def frontier_points(result):
    """One point per cell: quality and diversity (frequency fidelity, relative to generation 0's) at
    the last generation, its distinct real words (relative to generation 0's) and tail recall, and
    the acceptance rate (mean over generations 1 … G: what the gate cost in words drawn).

    A cell whose seeds all stopped (a gate that could not fill its training set) has NaN quality
    and diversity; `stopped` says how many of its seeds stopped.
    """
    for key, h in result.items():
        if not (isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], (int, float, np.floating))
                and not isinstance(key[1], bool)) or any(name not in h.metrics for name in GRID_METRICS):
            raise ValueError(f"The 'result' parameter of frontier_points must be what gate_grid returns: a dict "
                             f"{{(gate, real fraction): History}} whose runs have {', '.join(GRID_METRICS)}. "
                             f"Got the entry {shown(key)} instead.")
    points = []
    for (spec, f), h in result.items():
        distinct, fidelity = h.median("distinct_real_words"), h.median("frequency_fidelity")
        points.append({"label": spec, "group": f"{f:.0%} real", "quality": h.median("real_word_share")[-1],
                       "diversity": fidelity[-1] / fidelity[0], "distinct": distinct[-1] / distinct[0],
                       "tail": h.median("recall_tail")[-1],
                       "acceptance": mean_acceptance(h), "stopped": sum(s is not None for s in h.stopped)})
    return points


def _verifier_spec(spec, false_accept, false_reject):
    """A gate spec with every perfect 'real' part made the imperfect verifier 'real:FA,FR'.

    With both rates 0 the spec is unchanged (and its runs are shared with the perfect verifier's).
    """
    if not (false_accept or false_reject):
        return spec
    parts = [f"real:{false_accept:g},{false_reject:g}" if part.strip() == "real" else part.strip()
             for part in str(spec).split("+")]
    return "+".join(parts)


def explorer(run=True, runner=None, world=None, **defaults):
    """Notebook 05: quality against diversity, and what each gate costs, for a grid of gates × real-data shares.

    Controls: gates (comma-separated gate specs, e.g. 'none, top:0.9, real, real+cap:4'),
    real_fractions (comma-separated numbers in [0, 1]), false_accept and false_reject (the
    verifier's error rates: every 'real' part of a spec becomes 'real:FA,FR'), and refill (draw
    more until each training set is full; off, a gate shrinks the training set). runner :
    run(spec, real_fraction, refill) -> History, cached (default: gate_runner(), notebook 05's
    flywheel); pass the notebook's own so settings it ran already draw at once; world : the
    runner's world (to check the specs). `.result` maps (gate spec, real fraction) → History.
    """
    check_arguments("dashboards.gates", run=run, runner=runner, world=world)
    runner = runner or gate_runner(world)
    world = world or runner.world
    controls = {
        "gates": text_box("none, top:0.9, real", "gates",
                       "comma-separated specs: none, top:Q, real, dedup, cap:K; chain with +"),
        "real_fractions": text_box("0", "real fractions", "comma-separated shares: 0, 0.2 or 0%, 20%"),
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
        try:   # a share, as a number (0.2) or in percent (20%)
            fractions = [float(f[:-1]) / 100 if f.endswith("%") else float(f)
                         for f in _split(v["real_fractions"], "real fractions")]
        except ValueError:
            fractions = [-1.0]
        if not all(0 <= f <= 1 for f in fractions):
            raise ValueError(f"The 'real fractions' box must hold shares from 0 to 1 (or 0% to 100%) separated by "
                             f"commas. Got {v['real_fractions']!r} instead.")
        samples = getattr(runner, "settings", {}).get("samples")
        tiny = [f for f in fractions if samples and 0 < f * samples < 0.5]     # would run with no real word at all
        if tiny:
            raise ValueError(f"The 'real fractions' box holds {tiny[0]:g}: that is no real word in "
                             f"{samples} a generation. Use 0, or at least {1 / samples:g}.")
        return gate_grid(runner, specs, fractions, tick=tick, refill=v["refill"])

    def panels(fig):
        grid = fig.add_gridspec(1, 2, width_ratios=[2.2, 1])
        return {"frontier": fig.add_subplot(grid[0]), "cost": fig.add_subplot(grid[1])}

    def draw(result, v, axes):
        points = frontier_points(result)
        first = next(iter(result.values()))
        gate_frontier(points, ax=axes["frontier"], reference=(1.0, first.median("real_word_share")[0]))
        acceptance_bars(points, axes["cost"])
        return {"points": points}

    def caption(result, v):
        points = [p for p in frontier_points(result) if np.isfinite(p["quality"])]
        stopped = [f"{p['label']} ({p['group']})" for p in frontier_points(result) if p["stopped"]]
        note = f" Could not fill its training set, so its seeds stopped: {', '.join(stopped)}." if stopped else ""
        if not points:
            return "Every cell's seeds stopped: no gate here could fill its training set." + note
        best = max(points, key=lambda p: p["quality"])
        widest = max(points, key=lambda p: p["diversity"])
        from ..explorers.wording import num, ratio   # the captions' shared wording rules

        specs = _split(v["gates"], "gates")
        if (v["false_accept"] or v["false_reject"]) and not any("real" in spec.split("+") for spec in specs):
            note += " False accept and false reject act only on a 'real' gate, and the grid has none: add real."
        return (f"{len(points)} cells. Highest quality: {best['label']} with {best['group']} "
                f"({num(best['quality'])}, acceptance rate {num(best['acceptance'])}); most diverse: {widest['label']} "
                f"with {widest['group']} ({ratio(widest['diversity'], 'generation 0' + chr(39) + 's frequency fidelity')})"
                f".{note}")

    from ..explorers.tips import Tip

    def cell(seen, label, group="0% real"):
        """One point of the frontier drawn: quality, diversity, tail, acceptance, stopped."""
        return next(p for p in seen.plotted["points"] if p["label"] == label and p["group"] == group)

    def star(seen):
        """Generation 0's quality: the star on the frontier."""
        return next(iter(seen.result.values())).median("real_word_share")[0]

    # every tip names the grid it needs, so it works from the notebook's grid and in any order
    grid = "none, top:0.9, top:0.7, real"
    tips = [Tip("Add <b>real</b> to the gates (the verifier), move its <b>false accept</b> to 0.5, then 0.9: how "
                "bad can the verifier be before quality falls below generation 0's (the star)?",
                [{"gates": grid, "false_accept": 0.5}, {"false_accept": 0.9}],
                shows="letting half the non-words through still keeps quality above the star; letting 90% through does not",
                expect=lambda s: cell(s[1], "real:0.5,0")["quality"] > star(s[1]) > cell(s[2], "real:0.9,0")["quality"]),
            Tip("With <b>real</b> in the gates, move <b>false reject</b> to 0.5: what does it cost, quality or words drawn?",
                [{"gates": grid}, {"false_reject": 0.5}],
                shows="quality stays within 0.05 of the perfect verifier's, but about twice the words must be "
                      "drawn (acceptance rate halves)",
                expect=lambda s: abs(cell(s[2], "real:0,0.5")["quality"] - cell(s[1], "real")["quality"]) < 0.05
                and cell(s[2], "real:0,0.5")["acceptance"] < 0.6 * cell(s[1], "real")["acceptance"]),
            Tip("Add <b>real+cap:4</b> to the gates: where does it sit on the diversity axis, and at what "
                "acceptance rate?",
                [{"gates": grid + ", real+cap:4"}],
                shows="the cap buys tail recall, not diversity: its frequency fidelity sits below the verifier's, "
                      "and it accepts under half of what it draws",
                expect=lambda s: cell(s[1], "real+cap:4")["diversity"] < cell(s[1], "real")["diversity"]
                and cell(s[1], "real+cap:4")["acceptance"] < 0.5),
            Tip("Add <b>real+cap:3</b> to the gates, then untick <b>refill</b>: a gate then also shrinks the "
                "training set.",
                [{"gates": grid + ", real+cap:3"}, {"refill": False}], stops=True,
                shows="with refill real+cap:3 cannot fill its training set (its seeds stop); without refill it runs, "
                      "on under half of the words the other cells train on",
                expect=lambda s: cell(s[1], "real+cap:3")["stopped"] > 0 and not cell(s[2], "real+cap:3")["stopped"]
                and cell(s[2], "real+cap:3")["acceptance"] < 0.5),
            Tip("Add 0.2 to the <b>real fractions</b>: which gates move right, and where does top:0.9 end "
                "against real?",
                [{"gates": grid, "real_fractions": "0, 0.2"}],
                shows="every gate moves right (more diverse with 20% real data), and top:0.9 ends within 0.05 of "
                      "the verifier on diversity: with real data in the set a likelihood filter costs little",
                expect=lambda s: all(cell(s[1], g, "20% real")["diversity"] > cell(s[1], g)["diversity"]
                                     for g in ("none", "top:0.9", "top:0.7", "real"))
                and abs(cell(s[1], "top:0.9", "20% real")["diversity"] - cell(s[1], "real", "20% real")["diversity"]) < 0.05)]
    explorer = Explorer("Gates: quality, diversity and cost", controls, experiment=experiment, panels=panels,
                        draw=draw, caption=caption, tips=tips, defaults=defaults, owner="dashboards.gates",
                        auto=False, figsize=(9.6, 5.0), margins=dict(left=0.08, right=0.96, bottom=0.15, wspace=0.8),
                        note="Press Run: one flywheel per cell (about a second each; settings run before are reused).")
    if run:
        explorer.run()
    return explorer


# --- self-check: each helper checks one section's claims at the lesson's settings ------------------
# The runs come from a gate_runner with the lesson's settings: remembered, so the runs the lesson
# already made are reused (the same numbers a rerun would give), and otherwise made here.

CHECKED_GATES = ("none", "top:0.9", "top:0.7", "real", "dedup", "real+cap:4", "real+cap:10")


def lesson_runner(n_words=2000, generations=10, samples=2000, seeds=3, seed=0):
    """The lesson's gate_runner (refill on), on the Words world of n_words."""
    return gate_runner(Words(n_words=n_words), generations=generations, samples=samples, seeds=seeds, seed=seed,
                       refill=True)


METRICS = ("real_word_share", "frequency_fidelity", "distinct_real_words", "recall_tail")


def _finals(run):
    """Each checked gate's last-generation metrics {name: {spec: value}}, and generation 0's {name: value}."""
    curves = {spec: {name: run(spec).median(name) for name in METRICS} for spec in CHECKED_GATES}
    last = {name: {spec: c[name][-1] for spec, c in curves.items()} for name in METRICS}
    return last, {name: curves["none"][name][0] for name in METRICS}


def _check_naive_filter(run):
    """§1-2: generation 0 about three words in four; the naive filter: quality up, diversity and tail down, acceptance = Q."""
    last, c0 = _finals(run)
    q, d, fid, tail = (last[n] for n in ("real_word_share", "distinct_real_words", "frequency_fidelity", "recall_tail"))
    acceptance = {spec: mean_acceptance(run(spec)) for spec in CHECKED_GATES}
    assert 0.7 < c0["real_word_share"] < 0.8 and 0.4 < q["none"] < 0.65, (c0, q)
    assert q["top:0.9"] > 0.95 and d["top:0.9"] < 0.5 * d["none"] and d["top:0.7"] <= 2, (q, d)
    assert fid["top:0.9"] < fid["none"] - 0.05 and fid["top:0.7"] < fid["top:0.9"], fid
    assert tail["top:0.9"] < tail["none"] and tail["top:0.7"] < tail["none"], tail
    assert abs(acceptance["top:0.9"] - 0.9) < 0.01 and acceptance["none"] == 1.0


def _check_verifier(run):
    """§3: the verifier lifts quality above generation 0 (about 0.98 against 0.76); at the same narrow
    vocabulary real text does as well, and no gate far worse; it keeps no more diversity than no gate."""
    last, c0 = _finals(run)
    q, d, fid, tail = (last[n] for n in ("real_word_share", "distinct_real_words", "frequency_fidelity", "recall_tail"))
    assert q["real"] > 0.95 and q["real"] > c0["real_word_share"] + 0.15 and abs(q["real"] - q["top:0.9"]) < 0.05, q
    # matched diversity: a model fitted on real words from as many of the commonest words spells as well
    # (within 0.02: 3 seeds of 2,000 words, standard error about 0.004 each), and no gate, at about the same
    # number of distinct real words (within 15%), far worse
    matched = float(np.median(matched_vocabulary_share(int(d["real"]), **_matched_settings(run))))
    assert abs(q["real"] - matched) < 0.02 and matched > c0["real_word_share"] + 0.15, (q["real"], matched)
    assert abs(d["none"] - d["real"]) < 0.15 * d["real"] and q["none"] < q["real"] - 0.3, (d, q)
    assert 60 < d["real"] < 100 and d["real"] < 0.5 * c0["distinct_real_words"], d          # "about 80 ... 288"
    assert fid["real"] > fid["none"] - 0.02, fid                 # at least as much diversity as no gate
    assert tail["real"] <= tail["none"], tail
    accept = run("real").median("acceptance")
    assert abs(accept[1] - c0["real_word_share"]) < 0.03 and accept[-1] > 0.95, accept


def _matched_settings(run):
    s = run.settings                                     # the runner's sizes: the same model, data and seeds
    return dict(n_words=run.world.n_words, order=s["order"], smoothing=s["smoothing"], samples=s["samples"],
                seeds=s["seeds"], seed=s["seed"])


def _check_imperfect_verifier(run):
    """§4, exercise 1's formula: an imperfect verifier's first generation; better than a coin is not enough."""
    last, c0 = _finals(run)
    q = last["real_word_share"]
    # both shares are measured on about 2,000 words a seed (standard error about 0.01 each), so 0.03 is
    # about two standard errors of their difference
    assert abs(run("real:0.3,0.1").median("acceptance")[1] - verifier_acceptance(c0["real_word_share"], 0.3, 0.1)) < 0.03
    fa = {(a, r): run(f"real:{a:g},{r:g}" if a or r else "real").median("real_word_share")[-1]
          for a, r in [(0.25, 0), (0.5, 0), (0.75, 0), (0.9, 0), (0, 0.5), (0.5, 0.5), (0.9, 0.5)]}
    assert min(fa[0.25, 0], fa[0.5, 0], fa[0.75, 0]) > c0["real_word_share"] + 0.05, fa   # FA up to 0.75: above gen 0
    assert q["none"] < fa[0.9, 0] < c0["real_word_share"], fa       # better than a coin, yet below generation 0
    assert fa[0, 0.5] > 0.95 and abs(fa[0.5, 0.5] - q["none"]) < 0.08 and fa[0.9, 0.5] < 0.3, fa
    assert 0.4 < mean_acceptance(run("real:0,0.5")) < 0.6                  # false rejects cost draws
    assert all(run(f"real:{a:g},{r:g}").median("recall_tail")[-1] < c0["recall_tail"] / 5
               for a, r in [(0.25, 0), (0.5, 0), (0.9, 0), (0, 0.5)])    # no verifier keeps the tail


def _check_cap(run):
    """§5: real+cap:3 cannot be filled; real+cap:4 keeps quality above generation 0 and slows the tail's loss,
    at a price in words drawn and in diversity (a flatter spread than real text)."""
    last, c0 = _finals(run)
    q, d, fid, tail = (last[n] for n in ("real_word_share", "distinct_real_words", "frequency_fidelity", "recall_tail"))
    acceptance = {spec: mean_acceptance(run(spec)) for spec in ("real+cap:4", "real+cap:10")}
    assert all(reason is not None for reason in run("real+cap:3").stopped)
    cap4 = run("real+cap:4")
    assert c0["real_word_share"] < q["real+cap:4"] < 0.95 and 0.1 < tail["real+cap:4"] < 0.2, (q, tail)
    assert tail["none"] < 0.04 and tail["real"] < 0.01, tail
    assert tail["real+cap:4"] > 3 * tail["none"] and tail["real+cap:4"] > tail["real+cap:10"] > tail["real"], tail
    assert cap4.median("acceptance")[1] < 0.1 and 0.2 < cap4.median("acceptance")[-1] < 0.4
    assert d["real+cap:4"] > c0["distinct_real_words"] and q["dedup"] < q["none"], (d, q)
    assert fid["real+cap:4"] < fid["real"] - 0.1 and fid["real+cap:10"] < fid["real"] - 0.1, fid   # flatter than real
    assert 0.28 < fid["real+cap:4"] < 0.38 and 0.42 < fid["real"] < 0.52, fid                     # "about 0.33 against 0.47"
    assert acceptance["real+cap:10"] > acceptance["real+cap:4"], acceptance
    # a gate that shrinks its training set: without refill real+cap:3 trains on a third of the set and still loses the tail
    starved = run("real+cap:3", refill=False)
    assert np.all(starved.median("acceptance")[1:] < 0.4) and starved.median("recall_tail")[-1] < 0.07


def _check_surprise_filter(run):
    """§6: the surprise filter alone collapses quality but keeps the tail better than no gate; behind the verifier, quality stays."""
    last, _ = _finals(run)
    d, tail = last["distinct_real_words"], last["recall_tail"]
    surprise = {"alone": run(SurpriseFilter(0.9)), "verified": run(parse_gate("real", run.world) & SurpriseFilter(0.9))}
    assert surprise["alone"].median("real_word_share")[-1] < 0.2
    assert surprise["alone"].median("recall_tail")[-1] > tail["none"]
    assert surprise["verified"].median("real_word_share")[-1] > 0.95
    assert surprise["verified"].median("recall_tail")[-1] >= tail["real"]
    assert surprise["verified"].median("distinct_real_words")[-1] > d["real"]
    assert surprise["verified"].median("frequency_fidelity")[-1] < last["frequency_fidelity"]["real"] - 0.1   # flatter


def _check_frontier(run, gates=("none", "top:0.9", "top:0.7", "real", "real+cap:4", "real+cap:10")):
    """§7: without real data the verifier is the most diverse gate of high quality; the likelihood filters and the
    caps sit left of it; 20% fresh real data moves every gate right and brings top:0.9 level with the verifier."""
    c0 = _finals(run)[1]
    by = {(p["label"], p["group"]): p for p in frontier_points(gate_grid(run, list(gates), [0.0, 0.2]))}
    for group in ("0% real", "20% real"):
        assert by["real", group]["diversity"] > by["top:0.7", group]["diversity"] + 0.3, group
        assert by["real", group]["diversity"] > by["real+cap:4", group]["diversity"] + 0.1, group
        assert by["real+cap:4", group]["tail"] == max(p["tail"] for key, p in by.items() if key[1] == group), group
        assert by["none", group]["quality"] < c0["real_word_share"] and by["none", group]["diversity"] < 1, group
        assert all(p["diversity"] < 1 for key, p in by.items() if key[1] == group), group       # none beats generation 0
    zero, twenty = (lambda spec: by[spec, "0% real"]), (lambda spec: by[spec, "20% real"])
    assert zero("real")["quality"] > 0.95 and zero("real")["diversity"] > zero("top:0.9")["diversity"] + 0.15
    assert zero("real")["diversity"] > max(zero("real+cap:4")["diversity"], zero("real+cap:10")["diversity"]) + 0.1
    assert abs(twenty("real")["diversity"] - twenty("top:0.9")["diversity"]) < 0.05           # level with an anchor
    assert abs(twenty("real")["quality"] - twenty("top:0.9")["quality"]) < 0.05
    for spec in gates:                                                   # 20% fresh real data moves every gate right
        assert twenty(spec)["diversity"] > zero(spec)["diversity"], spec
    for spec in ("real+cap:4", "real+cap:10"):                           # and lifts the capped gates' tail recall
        assert twenty(spec)["tail"] > zero(spec)["tail"], spec


def self_check():
    """Notebook 05's self-check: every claim above, from its own seeded runs. Returns the lines to print."""
    run = lesson_runner()
    for check in (_check_naive_filter, _check_verifier, _check_imperfect_verifier, _check_cap,
                  _check_surprise_filter, _check_frontier):
        check(run)
    last, c0 = _finals(run)
    q, d, fid, tail = (last[n] for n in ("real_word_share", "distinct_real_words", "frequency_fidelity", "recall_tail"))
    return (f"Self-check passed.\ntop:0.9 quality {q['top:0.9']:.2f} with {d['top:0.9']:.0f} distinct real words; "
            f"verifier {q['real']:.2f} (generation 0: {c0['real_word_share']:.2f}); real+cap:4 tail recall "
            f"{tail['real+cap:4']:.3f} at acceptance {mean_acceptance(run('real+cap:4')):.2f}, frequency fidelity "
            f"{fid['real+cap:4']:.2f} against the verifier's {fid['real']:.2f}.")
