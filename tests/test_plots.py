"""Every plotting function runs headless on small Histories, returns what it drew on, and labels it."""
import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

import collapse_lab as cl
from collapse_lab.figures.curves import log_y
from collapse_lab import Categorical, EmpiricalModel, Gaussian, GaussianModel, worlds, plots, simulate


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def gaussian():
    return cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=20, samples=30, seeds=8, seed=0)


@pytest.fixture(scope="module")
def mixture2d():
    return cl.simulate(cl.Mixture.two_d(), cl.MixtureModel(2), generations=6, samples=80, seeds=3, seed=0)


@pytest.fixture(scope="module")
def categorical():
    world = cl.Categorical.words(300)
    return world, cl.simulate(world, cl.EmpiricalModel(300), generations=10, samples=300, seeds=3, seed=0)


@pytest.fixture(scope="module")
def language():
    world = worlds.Words(n_words=1000, heldout=500)
    return world, cl.simulate(world, worlds.NGramLM(order=2), generations=3, samples=200, seeds=2, seed=0)


def labelled(ax):
    return ax.get_xlabel() and ax.get_ylabel()


def test_style_sets_and_restores():
    before = matplotlib.rcParams["font.size"]
    with plots.style():
        assert matplotlib.rcParams["font.size"] == plots.STYLE["font.size"]
        assert matplotlib.rcParams["figure.dpi"] == 80
    assert matplotlib.rcParams["font.size"] == before


def test_palette_is_okabe_ito():
    assert set(plots.PALETTE.values()) == {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                           "#D55E00", "#CC79A7"}
    assert plots.COLORS["replace"] != plots.COLORS["accumulate"] != plots.COLORS["real"]


def test_metric_draws_median_band_and_theory(gaussian):
    theory = worlds.gaussian.std_theory(30, 20)
    ax = plots.metric(gaussian, "std", theory=theory, log=True)
    assert ax.get_xlabel() == "generation"
    assert ax.get_ylabel() == plots.metric_label("std", width=24)
    assert ax.get_yscale() == "log"
    median_line, theory_line = ax.get_lines()[0], ax.get_lines()[-1]
    np.testing.assert_allclose(median_line.get_ydata(), gaussian.median("std"))
    np.testing.assert_allclose(theory_line.get_ydata(), theory[0])
    assert len(ax.collections) == 2  # the seeds' band and the theory band


def test_metric_leaves_generations_not_run_blank(gaussian):
    partial = cl.History(config={}, metrics={"std": np.where(np.arange(21) < 5, gaussian["std"], np.nan)})
    ax = plots.metric(partial, "std")
    assert ax.get_xlim() == (0, 20)   # a live redraw keeps its x axis


def test_gaussian_std_theory_matches_the_simulated_quantiles():
    from collapse_lab.worlds.gaussian import log_var_spread

    G, n, seeds = 50, 20, 2000
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=G, samples=n, seeds=seeds, seed=1)
    median, low, high = worlds.gaussian.std_theory(n, G)
    # log σ_G is close to normal with sd s; a sample quantile's standard error is about 1.25–1.8 s/√seeds
    s = np.sqrt(G * log_var_spread(n)) / 2
    final = np.log(h["std"][:, -1])
    assert abs(np.median(final) - np.log(median[-1])) < 4 * 1.25 * s / np.sqrt(seeds)
    assert abs(np.quantile(final, 0.1) - np.log(low[-1])) < 4 * 1.8 * s / np.sqrt(seeds)
    assert abs(np.quantile(final, 0.9) - np.log(high[-1])) < 4 * 1.8 * s / np.sqrt(seeds)
    assert np.all(low <= median) and np.all(median <= high)


def test_compare_draws_one_line_per_run_in_condition_colours(gaussian):
    accumulate = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=20, samples=30, seeds=8, seed=0,
                             mode="accumulate")
    ax = plots.compare({"replace": gaussian, "accumulate": accumulate}, "std")
    colours = [line.get_color() for line in ax.get_lines()]
    assert colours == [plots.COLORS["replace"], plots.COLORS["accumulate"]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["replace", "accumulate"]


def test_histograms(gaussian):
    ax = plots.histograms(gaussian, world=cl.Gaussian())
    assert labelled(ax)
    assert len(ax.patches) == 5            # five snapshot generations, one step outline each
    with pytest.raises(ValueError, match="snapshot generations"):
        plots.histograms(gaussian, generations=[3])


def test_scatter2d_colours_the_minority(mixture2d):
    fig = plots.scatter2d(mixture2d, world=cl.Mixture.two_d())
    axes = fig.axes
    assert len(axes) == 4 and axes[0].get_ylabel() and all(ax.get_xlabel() for ax in axes)
    assert "minority" in axes[0].get_title()


def test_rank_frequency(categorical, language):
    world, h = categorical
    for by in ("own", "world"):
        ax = plots.rank_frequency(h, world, by=by)
        assert labelled(ax) and ax.get_xscale() == "log"
    # the curves end where each generation's vocabulary ends: never longer than the world's
    ax = plots.rank_frequency(h, world)
    assert all(len(line.get_xdata()) <= 300 for line in ax.get_lines())
    world, h = language
    assert labelled(plots.rank_frequency(h, world))


def test_nll_histogram(language, gaussian):
    _, h = language
    ax = plots.nll_histogram(h)
    assert "generation-0" in ax.get_xlabel() and ax.get_ylabel()
    assert labelled(plots.nll_histogram(gaussian))


def test_quality_diversity_draws_each_groups_frontier():
    points = [{"label": "a", "quality": 1.0, "diversity": 0.1, "group": "g1"},
              {"label": "b", "quality": 0.5, "diversity": 0.5, "group": "g1"},
              {"label": "c", "quality": 0.4, "diversity": 0.2, "group": "g1"},   # beaten by b on both
              {"label": "d", "quality": 0.8, "diversity": 0.3, "group": "g2"}]
    ax = plots.quality_diversity(points)
    assert labelled(ax)
    frontier = ax.get_lines()[0]
    assert sorted(frontier.get_xdata()) == [0.1, 0.5]     # c is not on g1's frontier


def test_words_table_is_html_with_a_column_per_generation(language):
    world, h = language
    table = plots.words_table(h, n=5, world=world)
    assert isinstance(table, str) and table._repr_html_() == table
    assert table.count("<th style") == len(h.snapshots) and "<tr>" in table
    # seed=None pools every seed's words (it used to index the samples with None: numpy's error)
    pooled = plots.words_table(h, n=5, seed=None, world=world)
    first = np.asarray(h.snapshots[min(h.snapshots)])
    assert first.reshape(-1)[0] in pooled and pooled.count("<tr>") == table.count("<tr>")


@pytest.mark.parametrize("kind", ["gaussian", "mixture2d", "categorical", "words"])
def test_summary_has_four_labelled_panels(kind, gaussian, mixture2d, categorical, language):
    h, world = {"gaussian": (gaussian, cl.Gaussian()), "mixture2d": (mixture2d, None),
                "categorical": (categorical[1], categorical[0]), "words": (language[1], None)}[kind]
    fig = plots.summary(h, kind, world=world)
    assert len(fig.axes) == 4
    assert all(labelled(ax) for ax in fig.axes)
    assert plots.world_kind(h) == kind.replace("2d", "")


def test_summary_rejects_an_unknown_kind(gaussian):
    with pytest.raises(ValueError, match="'kind' parameter of summary"):
        plots.summary(gaussian, "zipf")


# --- readable log ticks, survival curves, typical runs, the talk preset -------------------------

@pytest.mark.parametrize("low, high", [(0.5, 1.0), (0.05, 1.0), (1e-4, 1.0), (1e-8, 1.0), (1e-12, 2.0), (1e-30, 1.0)])
def test_the_sigma_axis_has_a_few_readable_ticks_at_any_range(low, high):
    # the explorer-review defect: blank beyond ~10 decades, 14+ crowded ticks at 4-8 decades
    fig, ax = plt.subplots()
    ax.plot([0, 1], [low, high])
    log_y(ax)
    ax.set_ylim(low, high)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()
              and low <= t.get_position()[1] <= high]
    assert 2 <= len(labels) <= 8, labels
    assert len(set(labels)) == len(labels), labels          # no two ticks read the same
    plt.close(fig)


def test_survival_counts_the_runs_that_keep_something():
    h = simulate(Gaussian(), GaussianModel(), generations=5, samples=20, seeds=4, seed=0)
    h.metrics["kept"] = np.array([[1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0]], float)
    fig, ax = plt.subplots()
    alive = plots.survival(h, "kept", above=0.5, ax=ax)
    np.testing.assert_allclose(alive, [1, 0.75, 0.5, 0.25, 0.25, 0.25])
    assert ax.get_ylim()[0] < 0 < 1 < ax.get_ylim()[1] and "4 runs" in ax.get_ylabel()
    plt.close(fig)


def test_typical_seed_is_the_median_run_and_bands_say_what_they_cover():
    h = simulate(Gaussian(), GaussianModel(), generations=30, samples=20, seeds=7, seed=0)
    seed = plots.typical_seed(h, "std")
    last = h["std"][:, -1]
    assert last[seed] == np.sort(last)[3]                    # the middle of 7 runs
    fig, ax = plt.subplots()
    plots.metric(h, "std", ax=ax)
    assert "the middle 80% of 7 runs" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_talk_preset_is_larger_and_scoped():
    normal = mpl.rcParams["font.size"]
    with plots.style("talk"):
        assert mpl.rcParams["font.size"] > normal and mpl.rcParams["lines.linewidth"] >= 3
        assert plots.current_style() is plots.TALK
        fig, ax = plt.subplots()
        plots.metric(simulate(Gaussian(), GaussianModel(), generations=3, samples=20, seeds=2, seed=0), "std", ax=ax)
        assert ax.get_lines()[0].get_linewidth() >= 3
        plt.close(fig)
    assert mpl.rcParams["font.size"] == normal and plots.current_style() is plots.STYLE
    with pytest.raises(ValueError, match="'preset' parameter of style"):
        plots.style("poster")


def test_a_generation_with_one_word_is_a_dot_and_reads_one_word():
    world = Categorical.words(50)
    h = simulate(world, EmpiricalModel(world.n_categories), generations=200, samples=5, seeds=1, seed=0)
    fig, ax = plt.subplots()
    plots.rank_frequency(h, world, ax=ax, generations=[max(h.snapshots)])
    line = [ln for ln in ax.get_lines() if "generation" in str(ln.get_label())][0]
    assert line.get_label().endswith(" word sampled") and line.get_marker() == "o"
    plt.close(fig)


def test_quality_shares_sit_on_the_whole_scale():
    h = simulate(Gaussian(), GaussianModel(), generations=5, samples=20, seeds=2, seed=0)
    h.metrics["real_word_share"] = np.full((2, 6), 0.75) + np.linspace(0, 0.02, 6)
    fig, ax = plt.subplots()
    plots.metric(h, "real_word_share", ax=ax)
    assert ax.get_ylim() == (0, 1.02)
    plt.close(fig)
