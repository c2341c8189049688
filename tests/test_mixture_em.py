"""MixtureModel's EM (vectorised over seeds, 2x2 inverses written out) agrees with a plain EM
(tests/reference_em.py: one seed and one component at a time, np.linalg.inv and slogdet) up to
floating-point rounding, on 1-D and 2-D data, with masks, and when a component dies out."""
import numpy as np
import pytest

from collapse_lab.worlds.mixture import Mixture, MixtureModel, _mixture_log_joint
from reference_em import plain_e_step, plain_em  # tests/ is on sys.path

ATOL = 1e-10


def assert_same_fit(model, X, mask=None, start=None, **kw):
    weights, means, covs, n_iter = plain_em(X, mask, start=start, **kw)
    assert model.n_iter_ == n_iter
    np.testing.assert_allclose(model.weights_, weights, rtol=0, atol=ATOL)
    np.testing.assert_allclose(model.means_, means, rtol=0, atol=ATOL)
    np.testing.assert_allclose(model.covs_, covs, rtol=0, atol=ATOL)


@pytest.mark.parametrize("world", [Mixture.one_d(), Mixture.two_d(), Mixture.two_d(0.3, gap=1.0)],
                         ids=["1-D", "2-D", "2-D overlapping"])
@pytest.mark.parametrize("n_components", [1, 2, 3])
@pytest.mark.parametrize("masked", [False, True])
def test_em_matches_plain_em(world, n_components, masked):
    rng = np.random.default_rng(n_components)
    X = world.sample((5, 120), rng)
    mask = rng.random((5, 120)) < 0.7 if masked else None
    if masked:
        mask[0, 3:] = False                   # a seed left with three points
    kw = dict(n_components=n_components, max_iter=200)
    assert_same_fit(MixtureModel(**kw).fit(X, mask), X, mask, **kw)


def test_em_matches_plain_em_in_three_dimensions():
    # d > 2 takes numpy's general inverse: the same EM
    X = np.random.default_rng(3).standard_normal((3, 80, 3)) * [1.0, 2.0, 0.5]
    X[:, :20] += 4
    assert_same_fit(MixtureModel(2).fit(X), X, n_components=2)


def test_a_component_with_no_points_keeps_its_shape():
    # two exact clusters for three components: the third starts on a duplicate point and gets none
    X = np.repeat([[0.0, 0.0], [5.0, 5.0]], 20, axis=0)[None] + np.zeros((3, 1, 1))
    model = MixtureModel(3).fit(X)
    assert (np.sort(model.weights_, axis=1)[:, 0] < 1e-8).all()
    assert_same_fit(model, X, n_components=3)


def test_a_component_that_dies_during_em():
    # warm-started with a component far from every point: its responsibilities vanish in the
    # first E step, so it keeps its mean and covariance (plus reg_covar) from then on
    rng = np.random.default_rng(5)
    X = Mixture.two_d().sample((4, 100), rng)
    start = (np.full((4, 3), 1 / 3), np.array([[[0.0, 0.0], [3.5, 3.5], [60.0, -60.0]]] * 4),
             np.broadcast_to(np.eye(2), (4, 3, 2, 2)).copy())
    model = MixtureModel(3, warm_start=True)
    model.weights_, model.means_, model.covs_ = start
    model.fit(X)
    assert (model.weights_[:, 2] < 1e-8).all() and np.allclose(model.means_[:, 2], [60.0, -60.0])
    assert_same_fit(model, X, start=start, n_components=3)


@pytest.mark.parametrize("d", [1, 2])
def test_log_density_matches_numpy_linalg(d):
    rng = np.random.default_rng(d)
    X = rng.standard_normal((4, 50, d)) * 3
    A = rng.standard_normal((4, 3, d, d))
    covs = A @ A.swapaxes(-1, -2) + 1e-3 * np.eye(d)
    means, weights = rng.standard_normal((4, 3, d)), rng.dirichlet(np.ones(3), size=4)
    ours = _mixture_log_joint(X, weights, means, covs)
    for s in range(4):
        np.testing.assert_allclose(ours[s], plain_e_step(X[s], weights[s], means[s], covs[s]), rtol=1e-12, atol=1e-10)


def test_a_singular_covariance_still_raises_as_numpy_does():
    # reg_covar = 0 lets a covariance be exactly singular: the general path reports it
    X = np.zeros((1, 10, 2))
    with pytest.raises(np.linalg.LinAlgError):
        MixtureModel(1, reg_covar=0.0).fit(X)
