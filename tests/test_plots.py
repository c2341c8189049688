"""Every plotting function runs headless on small Histories, returns what it drew on, and labels it."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import collapse_lab as cl
from collapse_lab import charlm, plots, words


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
    world = words.Words(n_words=1000, heldout=500)
    return world, cl.simulate(world, charlm.NGramLM(order=2), generations=3, samples=200, seeds=2, seed=0)


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
    theory = plots.gaussian_std_theory(30, 20)
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
    from collapse_lab.toys import log_var_spread

    G, n, seeds = 50, 20, 2000
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=G, samples=n, seeds=seeds, seed=1)
    median, low, high = plots.gaussian_std_theory(n, G)
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
