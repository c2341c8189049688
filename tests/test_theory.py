"""The engine against closed-form theory.

Each test compares a simulated average over many seeds with its exact expectation. Tolerances
are 4 standard errors of the simulated mean: a correct engine fails such a check with
probability about 6e-5, while the errors these tests exist to catch (a wrong estimator, a
biased sampler, a mixing bug) move the mean by many standard errors.
"""
import numpy as np
import pytest

import collapse_lab as cl
from collapse_lab.worlds.gaussian import log_var_drift, log_var_spread

pytestmark = pytest.mark.filterwarnings("error")  # a numpy warning anywhere is a failure
Z = 4.0


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("n", [5, 20])
def test_log_variance_drift_matches_chi_square_theory(exact, n):
    # σ²_next = σ² · χ²(n−1)/(n−1) each generation, so log σ²_G − log σ²_0 is a sum of G
    # independent terms with mean log_var_drift(n) and variance log_var_spread(n).
    G, seeds = 10, 4000
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=G, samples=n, seeds=seeds, seed=1, exact=exact)
    change = 2 * (np.log(h["std"][:, G]) - np.log(h["std"][:, 0]))
    expected = G * log_var_drift(n)
    se = np.sqrt(G * log_var_spread(n) / seeds)
    assert abs(change.mean() - expected) < Z * se
    # the spread of the walk matches too (variance of a sample variance: relative SE ≈ sqrt(2/seeds))
    assert change.var() == pytest.approx(G * log_var_spread(n), rel=Z * np.sqrt(2 / seeds))


def test_drift_is_negative_and_vanishes_with_more_samples():
    # Theorem 3.1 of Shumailov et al. (2024): collapse for every finite n, slower for larger n
    drifts = [log_var_drift(n) for n in (5, 20, 100, 10_000)]
    assert all(d < 0 for d in drifts)
    assert drifts == sorted(drifts)
    assert log_var_drift(10_000) == pytest.approx(-1 / 10_000, rel=0.01)  # ≈ −1/n for large n


def test_exact_and_sample_paths_agree_with_real_data_and_accumulation():
    # the sufficient-statistics path must be the same process as the sample path, including
    # the pooling of real and synthetic data and accumulation across generations
    kw = dict(generations=8, samples=10, seeds=4000, real_fraction=0.3, mode="accumulate")
    a = cl.simulate(cl.Gaussian(), cl.GaussianModel(), seed=2, exact=True, **kw)
    b = cl.simulate(cl.Gaussian(), cl.GaussianModel(), seed=3, exact=False, **kw)
    for name in ("std", "mean"):
        x, y = a.final(name), b.final(name)
        se = np.sqrt(x.var() / len(x) + y.var() / len(y))
        assert abs(x.mean() - y.mean()) < Z * se, name


def test_replace_collapses_sigma_while_accumulate_and_real_data_keep_it():
    # the headline numbers: n = 20, 200 generations, 200 seeds
    kw = dict(generations=200, samples=20, seeds=200, seed=0)
    replace = np.median(cl.simulate(cl.Gaussian(), cl.GaussianModel(), **kw).final("std"))
    accumulate = np.median(cl.simulate(cl.Gaussian(), cl.GaussianModel(), mode="accumulate", **kw).final("std"))
    anchored = np.median(cl.simulate(cl.Gaussian(), cl.GaussianModel(), real_fraction=0.1, **kw).final("std"))
    # theory: median log σ ≈ 200 · drift / 2 = −5.4, so σ ≈ 0.005; the band below is generous
    assert replace < 0.05
    assert accumulate > 0.5
    assert anchored > 0.5


def test_tail_mass_vanishes_before_the_standard_deviation():
    # relative to its start, mass beyond 3σ of the original falls faster than σ itself
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=50, samples=20, seeds=500, seed=4)
    std = h.median("std")
    tail = h.median("tail_3sd")
    assert tail[-1] / tail[0] < std[-1] / std[0]
    assert h.median("tail_2sd")[-1] < h.median("tail_2sd")[0]


@pytest.mark.parametrize("p", [0.05, 0.15, 0.3])
def test_category_vanishes_with_probability_one_minus_p_to_the_n(p):
    # a category of probability p is absent from n samples with probability (1 − p)^n, so an
    # empirical model fitted to them gives it probability 0
    n, seeds = 20, 20_000
    world = cl.Categorical([1 - p, p])
    h = cl.simulate(world, cl.EmpiricalModel(2), generations=1, samples=n, seeds=seeds, seed=5)
    gone = (h.model0.probs_[:, 1] == 0).mean()
    expected = (1 - p) ** n
    se = np.sqrt(expected * (1 - expected) / seeds)
    assert abs(gone - expected) < Z * se


def test_one_replace_generation_loses_words_at_the_predicted_rate():
    # conditional on the generation-0 model, each word survives the next generation with
    # probability 1 − (1 − p)^n: the expected number of losses is a sum we can compute exactly
    world = cl.Categorical.words(300)
    n, seeds = 2000, 200
    h = cl.simulate(world, cl.EmpiricalModel(300), generations=1, samples=n, seeds=seeds, seed=6)
    p0 = h.model0.probs_
    lost = ((p0 > 0) & (h.model.probs_ == 0)).sum()
    expected = ((1 - p0) ** n * (p0 > 0)).sum()
    var = ((1 - p0) ** n * (1 - (1 - p0) ** n) * (p0 > 0)).sum()  # independent-Bernoulli bound
    assert abs(lost - expected) < Z * np.sqrt(var) + 1


def test_extinction_is_absorbing_without_smoothing_and_prevented_with_it():
    world = cl.Categorical.words(500)
    h = cl.simulate(world, cl.EmpiricalModel(500), generations=20, samples=2000, seeds=5, seed=7)
    support = h["support"]
    assert np.all(np.diff(support, axis=1) <= 0)  # never comes back
    assert support[:, -1].max() < support[:, 0].min()
    smooth = cl.simulate(world, cl.EmpiricalModel(500, smoothing=0.5), generations=20, samples=2000, seeds=5, seed=7)
    assert np.all(smooth["support"] == 500)


def test_temperature_scales_gaussian_variance():
    # sampling from p^(1/T) of N(0, 1) is N(0, T)
    model = cl.GaussianModel().fit(np.array([[-1.0, 1.0]]))  # mean 0, unbiased std sqrt(2)
    x = model.sample(200_000, np.random.default_rng(0), temperature=0.5)
    assert x.var() == pytest.approx(0.5 * 2.0, rel=0.02)  # SE of a variance ≈ sqrt(2/n) = 0.3%


def test_temperature_below_one_sharpens_categories():
    model = cl.EmpiricalModel(3).fit(np.array([[0, 0, 0, 1, 1, 2]]))
    counts = np.bincount(model.sample(60_000, np.random.default_rng(0), temperature=0.5)[0], minlength=3)
    p = np.array([3, 2, 1]) ** 2.0
    np.testing.assert_allclose(counts / counts.sum(), p / p.sum(), atol=0.01)  # SE ≈ 0.002


@pytest.mark.slow
def test_em_matches_scikit_learn_on_generation_zero():
    # micrograd checks its answers against PyTorch; we check EM against scikit-learn
    sklearn = pytest.importorskip("sklearn.mixture")
    world = cl.Mixture.two_d()
    X = world.sample((3, 2000), np.random.default_rng(8))
    ours = cl.MixtureModel().fit(X)
    for s in range(3):
        ref = sklearn.GaussianMixture(2, random_state=0).fit(X[s])
        assert ours.log_prob(X)[s].mean() == pytest.approx(ref.score(X[s]), abs=2e-3)
        assert sorted(ours.weights_[s]) == pytest.approx(sorted(ref.weights_), abs=0.01)


def test_em_recovers_the_minority_weight():
    world = cl.Mixture.two_d(minority=0.1)
    h = cl.simulate(world, cl.MixtureModel(), generations=1, samples=2000, seeds=50, seed=9)
    w = h["minority_weight"][:, 0]
    se = np.sqrt(0.1 * 0.9 / 2000 / 50)
    assert abs(w.mean() - 0.1) < Z * se + 0.002  # EM on well-separated modes is near-unbiased


def test_outlier_clipping_erases_the_minority_mode_and_real_data_keeps_it():
    world = cl.Mixture.one_d()
    kw = dict(generations=20, samples=200, seeds=20, seed=10)
    clipped = cl.simulate(world, cl.MixtureModel(), gate=cl.ClipOutliers(2.0), **kw)
    anchored = cl.simulate(world, cl.MixtureModel(), gate=cl.ClipOutliers(2.0), real_fraction=0.5, **kw)
    assert np.median(clipped.final("minority_weight")) < 0.01
    assert np.median(anchored.final("minority_weight")) > 0.03


def test_tempered_mixture_sharpens_weights_and_scales_each_component():
    # the documented temperature: component k is chosen with probability ∝ w_k^(1/T), and sampled
    # from N(μ_k, T·Σ_k). Two far-apart modes make the chosen component visible in each sample.
    model = cl.MixtureModel()
    model.weights_ = np.array([[0.8, 0.2]])
    model.means_ = np.array([[[0.0], [100.0]]])
    model.covs_ = np.array([[[[1.0]], [[0.25]]]])
    model.ndim_ = 2
    T, n = 0.5, 200_000
    x = model.sample(n, np.random.default_rng(0), temperature=T)[0]
    expected = 0.2**2 / (0.2**2 + 0.8**2)                     # = 1/17
    share = (x > 50).mean()
    assert abs(share - expected) < Z * np.sqrt(expected * (1 - expected) / n)
    assert x[x < 50].var() == pytest.approx(T * 1.0, rel=0.02)  # SE of a variance ≈ sqrt(2/n) ≈ 0.3%
    assert x[x > 50].var() == pytest.approx(T * 0.25, rel=0.05)
