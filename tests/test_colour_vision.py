"""Every kind of figure the notebooks draw stays readable under simulated colour blindness.

The simulation is Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
simulation of color vision deficiency", IEEE TVCG 15(6), 1291–1298: for full protanopia and
deuteranopia (severity 1.0) a 3×3 matrix acts on linear RGB. We draw each figure with small
seeded runs, take every labelled series of each panel (lines, step histograms, scatter groups),
and require each pair of series to differ in line style or marker, or, under both simulations,
in lightness (CIELAB L*) by at least MIN_LIGHTNESS (the check itself: tests/helpers.py). Two series told apart only by a hue that a
colour-blind reader cannot see fail.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from collapse_lab import lessons  # noqa: E402

from helpers import MACHADO, confusable, fig_compare, lightness, linear  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import (Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture,  # noqa: E402
                          MixtureModel, dashboards, plots, simulate, worlds)

def test_the_simulation_merges_what_it_should_and_keeps_what_it_should():
    # red and green, told apart by hue alone, merge for a deuteranope (Machado et al., Fig. 1)
    red, green = (0.8, 0.3, 0.2), (0.45, 0.55, 0.2)
    assert abs(lightness(red) - lightness(green)) < 10
    seen = [MACHADO["deuteranopia"] @ linear(c) for c in (red, green)]
    assert np.abs(seen[0] - seen[1]).max() < 0.08
    # white stays white (each row sums to 1), and black against yellow stays far apart
    for m in MACHADO.values():
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=2e-3)
    assert lightness(to_rgb(plots.PALETTE["yellow"]), "protanopia") - lightness((0, 0, 0)) > 80


# --- the figures the notebooks draw, from small seeded runs ---

def _gaussian():
    return simulate(Gaussian(), GaussianModel(), generations=20, samples=50, seeds=5, seed=0)


def _words_history():
    world = Categorical.words(500)
    return world, simulate(world, EmpiricalModel(world.n_categories), generations=20, samples=500, seeds=3, seed=0)


def fig_metric_theory():
    fig, ax = plt.subplots()
    plots.metric(_gaussian(), "std", ax=ax, theory=worlds.gaussian.std_theory(50, 20), log=True)
    return fig


NOTEBOOK_COLOURS = {   # the colour maps the notebooks pass to plots.compare
    "02 remedies": {"no remedy": plots.COLORS["replace"], "smoothing α = 0.1": plots.PALETTE["purple"],
                    "10% real data": plots.COLORS["real"]},
    "03 anchors": {"no real data": plots.COLORS["replace"], "clip outliers 2.5": plots.COLORS["gated"],
                   "10% real data": plots.PALETTE["sky"], "20% real data": plots.COLORS["real"]},
    "04 temperature": {"T = 1": plots.COLORS["replace"], "T = 0.8": plots.PALETTE["blue"]},
    # 05 draws its gates with plots.gate_runs (checked with the notebook's colours in tests/test_lesson_05.py)
    "06 anchors": {"no anchor": plots.COLORS["replace"], "5% real": plots.PALETTE["orange"], "20% real": plots.COLORS["real"]},
    "06 chains": {"hard, 2,000": plots.COLORS["replace"], "hard, 20,000": plots.PALETTE["orange"],
                  "soft, 2,000": plots.PALETTE["blue"]},
    "conditions": {"replace": plots.COLORS["replace"], "accumulate": plots.COLORS["accumulate"],
                   "real": plots.COLORS["real"]},
}


def fig_histograms():
    fig, ax = plt.subplots()
    plots.histograms(_gaussian(), ax=ax, world=Gaussian())
    return fig


def fig_rank_frequency():
    world, h = _words_history()
    fig, ax = plt.subplots()
    plots.rank_frequency(h, world, ax=ax)
    return fig


def fig_scatter_and_survival():
    world = Mixture.two_d(minority=0.1)
    h = simulate(world, MixtureModel(2), generations=6, samples=100, seeds=4, seed=0)
    fig = plots.scatter2d(h, world=world)
    fig2, ax = plt.subplots()
    for i, (label, color) in enumerate(NOTEBOOK_COLOURS["03 anchors"].items()):
        plots.survival(h, "minority_weight", above=0.02, ax=ax, color=color, label=label)
        ax.get_lines()[-1].set_linestyle(plots.LINESTYLES[i % 4])
    return [fig, fig2]


def fig_quality_diversity():
    points = [{"label": f"g{i}", "group": group, "quality": 0.5 + 0.05 * i + 0.1 * j, "diversity": 0.3 + 0.1 * i}
              for j, group in enumerate(["0% real", "5% real", "20% real"]) for i in range(4)]
    fig, ax = plt.subplots()
    plots.quality_diversity(points, ax=ax, reference=(1.0, 0.6), quality_range=(0, 1))
    return fig


def fig_explorers():
    return [dashboards.gaussian(samples=50, generations=20, seeds=5).figure,
            dashboards.words(n_words=500, samples=500, generations=10, seeds=3).figure,
            dashboards.mixture(samples=100, generations=6, seeds=4).figure]


# --- word-world figures (04, 06, 07, 08), from tiny n-gram runs ---

def _lm_world():
    from collapse_lab.worlds.words import Words
    return Words(n_words=300, heldout=300)


def _lm(world, **extra):
    from collapse_lab.worlds import NGramLM
    return simulate(world, NGramLM(order=3, smoothing=0.01), generations=6, samples=300, seeds=2, seed=0, **extra)


def fig_nll_histogram():
    """plots.nll_histogram as 04 calls it (three generations), and with its default five."""
    h = _lm(_lm_world())
    figs = []
    for generations in ([0, 3, 6], None):
        fig, ax = plt.subplots()
        plots.nll_histogram(h, generations=generations, ax=ax)
        figs.append(fig)
    return figs


def fig_recall_buckets():
    from collapse_lab.worlds import NGramLM
    world = _lm_world()
    chain = simulate(world, NGramLM(order=3, smoothing=0.01), student=NGramLM(order=2, smoothing=0.01),
                     generations=4, samples=300, seeds=2, seed=0)
    fig, ax = plt.subplots()
    plots.recall_buckets(chain, ax=ax)
    return fig


# --- figures the notebooks draw by hand: the plotting lines copied from the notebook cell named ---

def fig_hand_00_sigma():
    # 00_start_here.py, "σ of a Gaussian trained on its own samples"
    ax = plots.metric(_gaussian(), "std", log=True)
    ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2, label="real world, σ = 1")
    return ax.figure


def fig_hand_01():
    # 01_gaussian_collapse.py, "one run of the loop", "median over 200 runs" and "replace vs accumulate"
    h = _gaussian()
    fig, ax = plt.subplots()
    ax.plot(np.geomspace(1, 0.1, 20), color=plots.COLORS["replace"])
    ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", label="real world, σ = 1")
    fig2, ax = plt.subplots()
    for name, color, line in zip(["std", "tail_2sd", "tail_3sd"], ["black", "blue", "vermillion"], ["-", "--", ":"]):
        ax.plot(h.median("std"), color=plots.PALETTE[color], linestyle=line, label=plots.metric_label(name))
    acc = simulate(Gaussian(), GaussianModel(), generations=20, samples=50, seeds=5, seed=0, mode="accumulate")
    ax = plots.compare({"replace": h, "accumulate": acc}, "std", log=True)
    ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2)
    return [fig, fig2, ax.figure]


def fig_hand_02_first_loss():
    # 02_tails_of_words.py, "rare words are forgotten first": plots.forgetting_times
    rng = np.random.default_rng(0)
    expected = np.geomspace(0.5, 40, 30)
    first_loss = np.minimum(rng.poisson(2.3 * expected, size=(6, expected.size)), 101)
    ax = plots.forgetting_times(expected, first_loss, generations=100, n=5000)
    return ax.figure


def fig_hand_03_minority():
    # 03_modes_and_minorities.py, the minority's weight (left) and its survival (right)
    world = Mixture.two_d(minority=0.1)
    h = simulate(world, MixtureModel(2), generations=6, samples=100, seeds=4, seed=0)
    fig, (left, right) = plt.subplots(1, 2)
    plots.metric(h, "minority_weight", ax=left, color=plots.COLORS["minority"])
    left.axhline(0.1, color=plots.COLORS["world"], linestyle=":", label="real weight")
    plots.survival_compare({"fully synthetic": h}, ax=right)
    return fig


# 07's web, detector and share figures are plots functions, checked in tests/test_lesson_07.py


def fig_word_explorers():
    """The explorers of 04–08 with tiny runs (the capstone's runs its fixed settings, about 3 s)."""
    world = _lm_world()
    runner = lessons.quality_gates.gate_runner(world, samples=300, generations=3, seeds=2)
    return [dashboards.language_model(n_words=300, samples=300, generations=4, seeds=2).figure,
            dashboards.gates(runner=runner, world=world, gates="none, top:0.9, top:0.7, real, real+cap:4, real+dedup",
                             real_fractions="0, 0.05, 0.2").figure,
            dashboards.distillation(world=world, samples=300, seeds=2, generations=3).figure,
            dashboards.monitor(n_words=300, samples=300, generations=5, seeds=2).figure,
            dashboards.capstone().figure]


FIGURES = {
    "metric with theory (01)": fig_metric_theory,
    "word explorers (04-08)": fig_word_explorers,
    "nll histogram (04)": fig_nll_histogram,
    "recall buckets (06)": fig_recall_buckets,
    "by hand: σ with the real world (00)": fig_hand_00_sigma,
    "by hand: one run, shares left, replace vs accumulate (01)": fig_hand_01,
    "by hand: generation of first loss (02)": fig_hand_02_first_loss,
    "by hand: minority weight and survival (03)": fig_hand_03_minority,
    "histograms (01)": fig_histograms,
    "rank-frequency (02)": fig_rank_frequency,
    "scatter and survival (03)": fig_scatter_and_survival,
    "quality-diversity frontier (05)": fig_quality_diversity,
    "toy explorers (01-03)": fig_explorers,
    **{f"compare: {name}": (lambda colors=colors: fig_compare(colors)) for name, colors in NOTEBOOK_COLOURS.items()},
}


# the explorers' figures take 1-2 s each: slow, so `make check` keeps to the quick ones
@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if "explorers" in name else name for name in FIGURES])
def test_no_two_series_differ_by_colour_alone(name):
    figs = FIGURES[name]()
    figs = figs if isinstance(figs, list) else [figs]
    try:
        for fig in figs:
            assert not confusable(fig), f"{name}: " + "; ".join(confusable(fig))
    finally:
        plt.close("all")


def test_the_test_catches_vermillion_against_orange_in_one_line_style():
    # the defect the lessons review found in 04, 05, 06 and 07: it must fail this check
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color=plots.PALETTE["vermillion"], label="T = 1")
    ax.plot([0, 1], [1, 0], color=plots.PALETTE["orange"], label="T = 0.9")
    assert confusable(fig)
    ax.get_lines()[1].set_linestyle("--")
    assert not confusable(fig)
    plt.close(fig)
