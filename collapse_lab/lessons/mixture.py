"""Lesson 03, modes and minorities: the lesson's runs and figures.

Taught in notebook 03 (03_modes_and_minorities.ipynb): `lesson_run` is the lesson's seeded
experiment (a two-mode mixture refitted by EM on its own samples), `lost` reads off how many runs
lost the minority, and `survival_compare` draws the levers side by side.
"""
import functools

import numpy as np

from ..engine.cache import remembered
from ..engine.checks import Interval, validate_args
from ..engine.decoding import TEMPERATURE_RANGE
from ..engine.gates import parse as parse_gate
from ..engine.loop import simulate
from ..figures import CYCLE, LINESTYLES, PALETTE, new_axes, styled, survival
from ..explorers import Explorer
from ..explorers.controls import GateControl, float_slider, loop_controls, real_source, training_set
from ..explorers.loop import first_last, run_loop, runs_label
from ..engine.loop import MODES
from ..figures import COLORS, metric, scatter2d, spread_generations, typical_seed
from ..worlds import Mixture, MixtureModel


# The lesson's settings: 200 points a generation, 60 generations, 40 seeds, a 10% minority.
SAMPLES, GENERATIONS, SEEDS, MINORITY = 200, 60, 40, 0.1


@remembered(maxsize=32)
def lesson_run(minority=MINORITY, *, samples=SAMPLES, generations=GENERATIONS, seeds=SEEDS, seed=0,
               gate="none", **levers):
    """simulate(Mixture.two_d(minority), MixtureModel(2), ...) with the lesson's settings.

    `gate` is a spec for gates.parse ('none', 'clip:2.5'); any other lever of simulate
    (real_fraction, real_source, mode, temperature) passes through. The run is remembered
    per set of arguments, however they are written (lesson_run() and lesson_run(0.1, seeds=40)
    are the same run; engine/cache.py); treat it as read-only.
    """
    world = Mixture.two_d(minority=minority)
    return simulate(world, MixtureModel(2), generations=generations, samples=samples, seeds=seeds, seed=seed,
                    gate=parse_gate(gate, world), **levers)


def lost(history, above=0.02, generation=-1):
    """Share of runs whose model gives the minority at most `above` weight at `generation`."""
    return float((np.asarray(history["minority_weight"])[:, generation] <= above).mean())



# --- theory (notebook 03, §2-4; the exercises ask for these numbers) -----------------------------------------------------------------------------------

@validate_args({"minority": [Interval(float, 0, 1)], "samples": [Interval(int, 0, None)]})
def minority_points(minority=MINORITY, samples=SAMPLES):
    """Mean and standard deviation of the minority's points in a sample: Binomial(samples, minority)."""
    return samples * minority, np.sqrt(samples * minority * (1 - minority))


@validate_args({"real": [Interval(int, 0, None)], "minority": [Interval(float, 0, 1)],
                "at_most": [Interval(int, 0, None)]})
def few_points_share(real=20, minority=MINORITY, at_most=1):
    """Chance that a real set of `real` points holds at most `at_most` minority points (binomial)."""
    from scipy.stats import binom

    return float(binom.cdf(at_most, real, minority))   # exact at any size (a sum of products overflowed)


@validate_args({"minority": [Interval(float, 0, 0.5, closed="right")],   # a minority: its odds at most 1
                "temperature": [Interval(float, *TEMPERATURE_RANGE)]})
def odds_factor(minority=MINORITY, temperature=0.9):
    """The course's mixture temperature: weights w^(1/T), renormalised. The minority's odds
    w/(1 − w) become (w/(1 − w))^(1/T), so one sampling step multiplies them by (w/(1 − w))^(1/T − 1)."""
    odds = minority / (1 - minority)
    return odds ** (1 / temperature - 1)


@validate_args({"world": [Mixture], "temperature": [Interval(float, *TEMPERATURE_RANGE)]})
def tempered_odds_factor(world, temperature=0.9):
    """True tempering p^(1/T) of a mixture whose modes barely overlap: near mode k the density is
    w_k N_k, and ∫ (w_k N_k)^(1/T) dx ∝ w_k^(1/T) |Σ_k|^((1 − 1/T)/2). So the minority's odds gain a
    factor (|Σ_minority| / |Σ_majority|)^((1 − 1/T)/2) on top of odds_factor: a tight minority is
    boosted, because its density peaks higher than the majority's."""
    w, _, cov = world.arrays()
    dets = np.linalg.det(cov)
    return odds_factor(w[-1] / w.sum(), temperature) * (dets[-1] / dets[0]) ** ((1 - 1 / temperature) / 2)


@validate_args({"minority": [Interval(float, 0, 1, closed="neither")], "gap": [Interval(float, 0, 1000)]})
def minority_distance(minority, gap=3.5):
    """Mahalanobis distance of the minority's centre from a batch's mean, in Mixture.two_d(minority, gap),
    measured with the batch's own covariance (what ClipOutliers sees, for a very large batch).

    The batch covariance is within + between: Σ_w w_k Σ_k + w(1 − w) δδᵀ with δ the gap vector.
    """
    world = Mixture.two_d(minority=minority, gap=gap)
    w, mu, cov = world.arrays()
    mean = w @ mu
    total = np.einsum("k,kde->de", w, cov) + np.einsum("k,kd,ke->de", w, mu - mean, mu - mean)
    d = mu[-1] - mean
    return float(np.sqrt(d @ np.linalg.solve(total, d)))



# one colour, line style and marker per way of bringing real data in (notebook 03). Colour-blind
# readers lose most hue differences between these colours, so no two share both dash and marker.
LOOP_STYLE = {
    "fully synthetic": (PALETTE["vermillion"], "-", None),
    "fixed real set": (PALETTE["orange"], "--", None),
    "fresh real data": (PALETTE["green"], "-.", None),
    "accumulate": (PALETTE["blue"], ":", None),
    "accumulate-subsample": (PALETTE["sky"], "-", "o"),
    "clip outliers": (PALETTE["purple"], "--", "s"),
}


@styled
def survival_compare(runs, name="minority_weight", above=0.02, ax=None, styles=None):
    """Survival curves of several runs side by side: the share of each run's seeds whose `name`
    is above `above`, generation by generation (plots.survival for each, one style each).

    runs   : {label: History}; a label found in LOOP_STYLE (or in `styles`, as (colour, dash,
             marker or None)) gets that style; other labels take the next colour and dash in turn
    Returns {label: share per generation}. The legend names each run and its number of seeds.
    """
    ax = new_axes(ax)
    styles = {**LOOP_STYLE, **(styles or {})}
    shares = {}
    for i, (label, history) in enumerate(runs.items()):
        color, dash, marker = styles.get(label, (CYCLE[i % len(CYCLE)], LINESTYLES[i % len(LINESTYLES)], None))
        seeds = np.asarray(history[name]).shape[0]
        shares[label] = survival(history, name, above, ax=ax, color=color, label=f"{label} ({seeds} runs)")
        line = ax.get_lines()[-1]
        line.set(linestyle=dash, linewidth=2.0)
        if marker:  # a few markers, not one per generation
            line.set(marker=marker, markersize=4, markevery=max(1, len(line.get_xdata()) // 12))
    ax.set_xlim(0, max(np.asarray(h[name]).shape[1] - 1 for h in runs.values()))
    ax.set_ylabel(f"share of runs whose model\ngives the minority > {above:.0%}")
    ax.legend(loc="lower left", fontsize=8)
    return shares


# --- the explorer ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _mixture_world(minority):
    return Mixture.two_d(minority=minority)


def explorer(run=True, **defaults):
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
        return run_loop(_mixture_world(v["minority"]), MixtureModel(2, warm_start=False), v, tick,
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
        color = COLORS.get(v["mode"], PALETTE["sky"])
        metric(history, "minority_weight", ax=weight, color=color)
        weight.axhline(v["minority"], color=COLORS["world"], linestyle=":", linewidth=1.2, label="real weight")
        weight.legend(loc="upper right")
        # how many runs still have a minority mode at all (weight above 2%, as in the lesson)
        surviving = survival(history, "minority_weight", above=0.02, ax=alive, color=color,
                                   label="minority survives")
        scatter2d(history, generations=spread_generations(history, 4), axes=scatter,
                        world=_mixture_world(v["minority"]), legend=False, seed=typical_seed(history,
                                                                                                    "minority_weight"))
        for ax in scatter[1:]:
            ax.set_ylabel("")
        return {"minority_weight": history.median("minority_weight"), "surviving": surviving}

    def caption(history, v):
        w = history["minority_weight"]
        w0, w1, g = first_last(history, "minority_weight")
        kept = int((w[:, -1] > 0.02).sum())
        from ..explorers.wording import change, over   # the captions' shared wording rules

        return (f"{change('The minority' + chr(39) + 's weight', w0, w1)} {over(g)} ({runs_label(history)}); "
                f"a minority above 2% survives in {kept} of {w.shape[0]} runs.")

    explorer = Explorer("A minority cluster in 2-D", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, tips=MIXTURE_TIPS, defaults=defaults, owner="dashboards.mixture",
                        figsize=(7.8, 5.0), note="Orange points: the minority cluster (by the true world's odds).")
    if run:
        explorer.run()
    return explorer


from ..explorers.tips import Tip  # noqa: E402  (beside the tips that use it)


def _surviving(seen, after=0):
    """The share of runs with a minority above 2%, averaged from generation `after` on (the survival panel)."""
    return float(np.mean(seen.plotted["surviving"][after:]))


# the lesson's own settings for §4 (200 samples, 60 generations, 40 runs): at the explorer's small
# defaults (10 real points, 8 runs) chance decides which of fixed and fresh keeps more runs
_LESSON_SETTINGS = {"samples": SAMPLES, "generations": GENERATIONS, "seeds": SEEDS}

MIXTURE_TIPS = [
    Tip("Set <b>minority weight</b> to 0.3: does a larger group survive?", [{"minority": 0.3}],
        shows="a group of 30% survives in at least half the runs, and in more runs than one of 10%, "
              "generation by generation (by 0.2 or more on average)",
        expect=lambda s: s[1].plotted["surviving"][-1] >= 0.5 and _surviving(s[1]) > _surviving(s[0]) + 0.2),
    Tip("Choose <b>gate</b> clip outliers, then move its slider to 4: is any threshold safe?",
        [{"gate": "clip"}, {"gate": "clip", "strength": 4.0}],
        shows="a looser threshold slows the loss, but neither keeps the minority in every run",
        expect=lambda s: _surviving(s[2]) > _surviving(s[1]) and max(s[1].plotted["surviving"][-1],
                                                                   s[2].plotted["surviving"][-1]) < 1),
    Tip("Set <b>samples / gen</b> 200, <b>generations</b> 60 and <b>seeds</b> 40 (the lesson's settings), "
        "<b>real data</b> 0.1 with <b>real source</b> fixed, then fresh: which keeps the minority in more runs "
        "after generation 20?",
        [{**_LESSON_SETTINGS, "real_fraction": 0.1, "real_source": "fixed"}, {"real_source": "fresh"}],
        shows="as in §4: after generation 20 a fixed real set keeps the minority in about 60% of runs "
              "(theory 1 − P(at most 1 minority point of 20) ≈ 0.61), fresh data in about three in four",
        expect=lambda s: abs(_surviving(s[1], 20) - 0.61) < 0.1 and 0.65 < _surviving(s[2], 20) < 0.85
        and _surviving(s[2], 20) > _surviving(s[1], 20)),
    Tip("Set <b>training set</b> to accumulate-subsample (no real data after generation 0).",
        [{"mode": "accumulate-subsample"}],
        shows="with no new real data, subsampling all the data so far keeps the minority in more runs than replace",
        expect=lambda s: _surviving(s[1], 20) > _surviving(s[0], 20) + 0.2),
    Tip("Set <b>temperature</b> 0.9: weights sharpened to w^(1/T), so the minority's odds shrink every generation.",
        [{"temperature": 0.9}],
        shows="at T = 0.9 the minority is lost sooner: fewer runs keep it, generation by generation",
        expect=lambda s: _surviving(s[1]) < _surviving(s[0])),
]


# --- self-check: each helper checks one section's claims at the lesson's settings ------------------
# The runs come from lesson_run, so the ones the lesson already drew cost no refitting.

def _check_minority_fades(minority=MINORITY, samples=SAMPLES, generations=GENERATIONS, seeds=SEEDS):
    """§1: about six runs in ten lose the minority by generation 60; the median weight falls within ~30 generations."""
    base = lesson_run(minority, samples=samples, generations=generations, seeds=seeds, seed=0)
    w = base.median("minority_weight")
    assert 0.08 < w[0] < 0.12 and w[10] > 0.08 and 0.5 < lost(base) < 0.7 and 20 <= np.argmax(w <= 0.02) <= 40
    assert (base["minority_weight"][:, 0] <= 0.02).sum() == 2, "two runs miss the minority at generation 0"
    assert np.quantile(base["minority_share"][:, 40], 0.9) > 0.15, "in a few runs the minority grows for a while"
    alive = (base["minority_weight"] > 0.02).mean(axis=0)
    assert np.all(np.diff(alive[10:]) <= 0.05), "without real data a lost minority rarely comes back"


def _check_em_misses_small_groups(minority=MINORITY, samples=SAMPLES, generations=GENERATIONS, seeds=SEEDS):
    """§2: EM misses a small group rarely with 20+ points, more often than not with under 10."""
    base = lesson_run(minority, samples=samples, generations=generations, seeds=seeds, seed=0)
    points = np.rint(base["minority_share"][:, :-1] * 200)
    missed = base["minority_weight"][:, 1:] <= 0.02
    miss = {lo: missed[(points >= lo) & (points < hi)].mean() for lo, hi in [(1, 5), (5, 10), (20, 30), (30, 201)]}
    assert miss[1] > 0.5 and miss[5] > 0.5 and miss[20] < 0.1 and miss[30] < 0.1
    assert np.allclose(minority_points(0.1, 200), (20, 4.24), atol=0.01), "about 20 ± 4 minority points a generation"


def _check_outlier_filter(minority=MINORITY, samples=SAMPLES, seeds=SEEDS):
    """§3: the outlier filter halves the minority in one generation and removes it by the second; clip 4.0 only delays."""
    clip = lesson_run(minority, samples=samples, generations=30, seeds=seeds, seed=0, gate="clip:2.5").median("minority_weight")
    assert clip[1] < 0.07 and clip[2] <= 0.02 and lost(lesson_run(gate="clip:2.5", generations=30)) > 0.9
    assert abs(minority_distance(0.1) - 2.5) < 0.05 and abs(minority_distance(0.05) - 3.2) < 0.05
    assert abs(minority_distance(0.02) - 4.0) < 0.05
    loose = lesson_run(minority, samples=samples, generations=30, seeds=seeds, seed=0, gate="clip:4").median("minority_weight")
    assert loose[10] > 0.07 and loose[30] <= 0.02, "clip 4.0 only delays the loss"


def _check_loops(minority=MINORITY, samples=SAMPLES, generations=GENERATIONS, seeds=SEEDS):
    """§4: a fixed set levels off near 1 − P(at most 1 minority point in 20); fresh and kept data do better."""
    run = dict(samples=samples, generations=generations, seeds=seeds, seed=0)
    loops = {"fixed": lesson_run(minority, **run, real_fraction=0.1, real_source="fixed"),
             "fresh": lesson_run(minority, **run, real_fraction=0.1, real_source="fresh"),
             "subsample": lesson_run(minority, **run, mode="accumulate-subsample")}
    late = {k: (h["minority_weight"][:, 20:] > 0.02).mean() for k, h in loops.items()}
    fixed_theory = 1 - few_points_share(20, 0.1, at_most=1)        # 0.61
    assert abs(fixed_theory - 0.61) < 0.01 and abs(late["fixed"] - fixed_theory) < 0.1
    assert np.ptp([(loops["fixed"]["minority_weight"][:, g] > 0.02).mean() for g in range(20, 61)]) < 0.25, "fixed: level"
    assert late["fixed"] < late["fresh"] < late["subsample"] and 0.65 < late["fresh"] < 0.85
    gone = loops["fresh"]["minority_weight"] <= 0.02
    assert (gone[:, 1:-1] & ~gone[:, 2:]).any(), "with fresh data a run can find the minority again"
    assert (lesson_run(minority, **run)["minority_weight"][:, 20:] > 0.02).mean() < late["fixed"]
    acc = lesson_run(minority, samples=samples, generations=30, seeds=12, seed=0, mode="accumulate")
    assert (acc["minority_weight"][:, 1:] > 0.02).all(), "accumulate keeps the minority in every run"


def _check_temperature(minority=MINORITY, samples=SAMPLES, seeds=SEEDS):
    """§5: the course's convention and true tempering; T = 0.9 erases the minority within 10-15 generations."""
    assert abs(tempered_odds_factor(Mixture.two_d(0.1), 0.9) - 0.91) < 0.01
    hot = lesson_run(minority, samples=samples, generations=15, seeds=seeds, seed=0, temperature=0.9)["minority_weight"] <= 0.02
    assert hot[:, 10].mean() >= 0.9 and hot[:, 15].all()


def self_check():
    """Notebook 03's self-check: every claim above, from its own seeded runs. Returns the line to print."""
    _check_minority_fades()
    _check_em_misses_small_groups()
    _check_outlier_filter()
    _check_loops()
    _check_temperature()
    return "Self-check passed."
