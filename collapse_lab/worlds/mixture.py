"""Gaussian mixtures, the world of notebook 03: a majority and a minority mode, and the EM model.

Every model is fitted to all seeds at once: data (seeds, n, d), parameters with a leading seed axis.
"""
import numpy as np

from ..engine import guard
from ..engine import metrics
from ..engine.base import Model, World, as_mask
from ..engine.checks import Interval, check_array, check_is_fitted, check_number
from ..engine.decoding import check_temperature


def _tempered_weights(logp, temperature):
    """log p -> p^(1/T) renormalised along the last axis, in log space so no T under- or overflows."""
    top = logp.max(axis=-1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        z = (logp - np.where(np.isfinite(top), top, 0.0)) / temperature
    w = np.exp(z)
    return w / w.sum(axis=-1, keepdims=True)


def _as_points(X):
    """(seeds, n) 1-D data → (seeds, n, 1); (seeds, n, d) stays."""
    X = np.asarray(X, float)
    return X[..., None] if X.ndim == 2 else X


def _distance(Pt, center):
    """Euclidean distance of each point Pt (..., d, n) to a centre (..., d): (..., n).

    np.linalg.norm's sum of squares, summed over d as whole rows of n points (far faster than
    summing pairs along a last axis of length 2)."""
    diff = Pt - center[..., None]
    return np.sqrt((diff * diff).sum(axis=-2))


def logsumexp(a, axis=-1, keepdims=False):
    """log Σ exp(a) along an axis, computed stably (a lean version of scipy's, several times faster)."""
    a = check_array(a, "a", "logsumexp", finite=False)   # -inf is log 0: a legal entry
    axis = check_number(axis, "axis", "logsumexp", low=-a.ndim, high=a.ndim - 1, integer=True)
    top = a.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    out = np.log(np.exp(a - top).sum(axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


def _log_weighted_density(Pt, weights, means, covs):
    """log(weight_k · N(x | mean_k, cov_k)) for every component and point.

    Pt: (seeds, d, n)   weights: (seeds, K)   means: (seeds, K, d)   covs: (seeds, K, d, d)   →   (seeds, K, n)
    """
    d = Pt.shape[1]
    inv, logdet = _inverse_and_logdet(covs)                              # (S, K, d, d), (S, K)
    diff = Pt[:, None] - means[..., None]                                # (S, K, d, n)
    maha = (diff * (inv @ diff)).sum(axis=2)                             # diffᵀ Σ⁻¹ diff: (S, K, n)
    # every per-component constant goes into the small (S, K) array before it meets the n points
    const = np.log(np.maximum(weights, 1e-300)) - 0.5 * (logdet + d * np.log(2 * np.pi))
    return const[..., None] - 0.5 * maha


def _inverse_and_logdet(covs):
    """Σ⁻¹ and log|Σ| of every covariance (..., d, d).

    For d = 1 and 2 (the course's worlds) both are written out: on arrays this small numpy's batched
    inv and slogdet cost more than all the arithmetic. Any other d, and any covariance that is not
    positive definite (reg_covar = 0 allows one), take numpy's general path, which raises
    LinAlgError for an exactly singular one."""
    d = covs.shape[-1]
    if d == 1:
        det = covs[..., 0, 0]
    elif d == 2:
        a, b, c, e = covs[..., 0, 0], covs[..., 0, 1], covs[..., 1, 0], covs[..., 1, 1]
        det = a * e - b * c
    if d not in (1, 2) or not (det > 0).all():
        return np.linalg.inv(covs), np.linalg.slogdet(covs)[1]
    if d == 1:
        return 1 / covs, np.log(det)
    adjugate = np.empty(covs.shape)                                      # [[a, b], [c, e]]⁻¹ = [[e, −b], [−c, a]] / det
    adjugate[..., 0, 0], adjugate[..., 0, 1], adjugate[..., 1, 0], adjugate[..., 1, 1] = e, -b, -c, a
    return adjugate / det[..., None, None], np.log(det)


def _posterior(logp):
    """Softmax over the components (axis 1) and its log-normaliser: resp = exp(logp) / Σ_k exp(logp)
    and norm = log Σ_k exp(logp), from one max-shifted set of exponentials (the ratio reuses them)."""
    top = logp.max(axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)                          # as logsumexp: a point no component reaches
    e = np.exp(logp - top)
    total = e.sum(axis=1, keepdims=True)
    return e / total, np.log(total) + top


def _mixture_log_joint(X, weights, means, covs):
    """log(weight_k · N(x | k)) for each seed, component and point: (seeds, K, n)."""
    return _log_weighted_density(np.ascontiguousarray(_as_points(X).transpose(0, 2, 1)), weights, means, covs)


class Mixture(World):
    """A Gaussian mixture world: a large majority mode and a small minority mode.

    Use `Mixture.one_d()` or `Mixture.two_d()` for the course's settings. Component 0 is the
    majority; the last component is the minority whose fate the metrics follow.
    """

    kind = "mixture"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {"weights": [list, tuple, np.ndarray], "means": [list, tuple, np.ndarray],
                              "covs": [list, tuple, np.ndarray]}

    def __init__(self, weights, means, covs):
        self.weights = weights
        self.means = means
        self.covs = covs
        self._validate_params()
        self._check_arrays()

    def _check_arrays(self):
        """Shapes agree, every number is finite, weights are >= 0 with a positive sum, and every
        covariance is symmetric positive definite (a world must be a distribution)."""
        try:
            w, mu, cov = (np.asarray(a, float) for a in (self.weights, self.means, self.covs))
        except (TypeError, ValueError):
            w = mu = cov = np.array([np.nan])
        K = w.shape[0] if w.ndim == 1 else 0
        ok = K > 0 and mu.ndim == 2 and mu.shape[0] == K and cov.shape == (K, mu.shape[1], mu.shape[1])
        for name, a in (("weights", w), ("means", mu), ("covs", cov)):
            if not ok or not np.isfinite(a).all():
                raise ValueError(f"The {name!r} parameter of Mixture must be finite numbers, with weights (K,), "
                                 f"means (K, d) and covs (K, d, d). Got {getattr(self, name)!r} instead.")
        if (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"The 'weights' parameter of Mixture must be >= 0 with a positive sum. "
                             f"Got {self.weights!r} instead.")
        if not (np.allclose(cov, cov.swapaxes(1, 2)) and (np.linalg.eigvalsh(cov) > 0).all()):
            raise ValueError(f"The 'covs' parameter of Mixture must hold symmetric positive definite matrices. "
                             f"Got {self.covs!r} instead.")

    @classmethod
    def one_d(cls, minority=0.1, gap=4.0):
        """N(0, 1) with a minority N(gap, 0.5²) of weight `minority`."""
        minority = check_number(minority, "minority", "Mixture.one_d", low=0, high=0.5, closed=(False, True))
        gap = check_number(gap, "gap", "Mixture.one_d")
        return cls([1 - minority, minority], [[0.0], [gap]], [[[1.0]], [[0.25]]])

    @classmethod
    def two_d(cls, minority=0.1, gap=3.5):
        """A round majority at the origin and a tight minority cluster at (gap, gap)."""
        minority = check_number(minority, "minority", "Mixture.two_d", low=0, high=0.5, closed=(False, True))
        gap = check_number(gap, "gap", "Mixture.two_d")
        return cls([1 - minority, minority], [[0.0, 0.0], [gap, gap]],
                   [np.eye(2).tolist(), (0.25 * np.eye(2)).tolist()])

    def arrays(self):
        # arrays are built on use, so __init__ only stores (scikit-learn's convention)
        w = np.asarray(self.weights, float)
        return w / w.sum(), np.asarray(self.means, float), np.asarray(self.covs, float)

    @property
    def dim(self):
        return np.asarray(self.means).shape[1]

    def sample(self, shape, rng):
        w, mu, cov = self.arrays()
        comp = rng.choice(len(w), size=shape, p=w)
        z = rng.standard_normal(shape + (self.dim,))
        x = mu[comp] + np.einsum("...de,...e->...d", np.linalg.cholesky(cov)[comp], z)
        return x[..., 0] if self.dim == 1 else x

    def _log_joint(self, X):
        w, mu, cov = self.arrays()
        S = np.shape(X)[0]
        return _mixture_log_joint(X, w[None], np.broadcast_to(mu, (S,) + mu.shape), np.broadcast_to(cov, (S,) + cov.shape))

    def log_prob(self, X):
        return logsumexp(self._log_joint(X), axis=1)

    def minority_posterior(self, X):
        """P(minority component | x) under the true world, for each sample: (seeds, n)."""
        logp = self._log_joint(X)
        return np.exp(logp[:, -1] - logsumexp(logp, axis=1))

    def _reference(self):
        # a large fixed sample of the world (fixed seed): the yardstick for the 1-D Wasserstein distance
        if not hasattr(self, "_ref"):
            self._ref = np.sort(self.sample((1, 100_000), np.random.default_rng(12345))[0])
        return self._ref

    def total_moments(self):
        w, mu, cov = self.arrays()
        m = w @ mu
        return m, np.einsum("k,kde->de", w, cov) + np.einsum("k,kd,ke->de", w, mu - m, mu - m)

    def measure(self, model, samples=None, model0=None):
        w, mu, cov = self.arrays()
        # which world mode is each model component nearest to? (fitted components carry no labels)
        dist = np.linalg.norm(model.means_[:, :, None, :] - mu[None, None, :, :], axis=-1)  # (S, K, K_world)
        nearest = dist.argmin(axis=-1)
        total_mean, total_cov = model.total_moments()
        out = {
            "minority_weight": np.where(nearest == len(w) - 1, model.weights_, 0.0).sum(axis=1),
            "spread": np.sqrt(np.trace(total_cov, axis1=1, axis2=2) / self.dim),
        }
        if samples is not None:
            # share of generated points that the true world would call minority points
            out["minority_share"] = (self.minority_posterior(samples) > 0.5).mean(axis=1)
        if self.dim == 1:
            world_mean, world_cov = self.total_moments()
            m0, s0 = float(world_mean[0]), float(np.sqrt(world_cov[0, 0]))
            out["mean"], out["std"] = total_mean[:, 0], np.sqrt(total_cov[:, 0, 0])
            for k in (2, 3):  # a mixture's tail mass is its components' tail masses, weighted
                comp_tail = metrics.gaussian_tail_mass(model.means_[..., 0], np.sqrt(model.covs_[..., 0, 0]), k, m0, s0)
                out[f"tail_{k}sd"] = (model.weights_ * comp_tail).sum(axis=1)
            if samples is not None:
                out["wasserstein"] = metrics.wasserstein_to_reference(samples, np.ones(samples.shape, bool), self._reference())
        return out


class MixtureModel(Model):
    """A Gaussian mixture fitted by EM (Dempster, Laird & Rubin 1977), vectorised over seeds.

    Every generation refits from scratch, as Shumailov et al. (2024) do with scikit-learn, starting
    from a deterministic farthest-point initialisation. `warm_start=True` starts EM from the
    previous generation's fit instead: about three times faster, but a mode it has lost stays
    lost even when real data returns (EM only climbs to the nearest optimum).
    """

    kind = "mixture"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {
        "n_components": [Interval(int, 1, None)],
        "max_iter": [Interval(int, 1, None)],
        "tol": [Interval(float, 0, None)],
        "reg_covar": [Interval(float, 0, None)],
        "warm_start": [bool],
    }

    def __init__(self, n_components=2, max_iter=100, tol=1e-3, reg_covar=1e-6, warm_start=False):
        self.n_components = n_components
        self.max_iter = max_iter
        self.tol = tol
        self.reg_covar = reg_covar
        self.warm_start = warm_start

    def _init_params(self, Pt, features, reg):
        """Farthest-point start: K spread-out points as centres, each point assigned to the nearest."""
        S, d, n = Pt.shape
        K = self.n_components
        counted = features[..., 0] > 0                                   # the mask, folded into the features
        mean = features[..., 1:1 + d].sum(1) / np.maximum(features[..., 0].sum(1), 1)[:, None]
        dmin = _distance(Pt, mean)                                       # (S, n): to the nearest centre so far
        centers = []
        for _ in range(K):
            far = np.where(counted, dmin, -1.0).argmax(axis=1)
            centers.append(Pt[np.arange(S), :, far])                     # (S, d)
            dmin = np.minimum(dmin, _distance(Pt, centers[-1]))
        centers = np.stack(centers, axis=1)                               # (S, K, d)
        label = _distance(Pt[:, None], centers).argmin(axis=1)           # (S, n): the nearest centre
        resp = (label[:, None, :] == np.arange(K)[None, :, None]).astype(float)                   # (S, K, n)
        return self._m_step(features, resp, centers, np.broadcast_to(np.eye(d), (S, K, d, d)), reg)

    @staticmethod
    def _m_step(features, resp, old_means, old_covs, reg):
        """Weights, means and covariances from responsibilities (S, K, n) in one batched product;
        `reg` is reg_covar · I, added to every covariance."""
        d = old_means.shape[-1]
        moments = resp @ features                                          # (S, K, 1 + d + d²)
        nk = moments[..., 0]                                               # points per component
        alive = nk > 1e-8                                                  # a component can die out
        all_alive = alive.all()
        # [1, E[x], E[x xᵀ]] of each component (a dead one divides by 1 instead of 0)
        averages = moments / (nk if all_alive else np.where(alive, nk, 1.0))[..., None]
        means = averages[..., 1:1 + d]
        second = averages[..., 1 + d:].reshape(means.shape + (d,))
        covs = second - means[..., :, None] * means[..., None, :]          # Cov = E[x xᵀ] − μ μᵀ
        weights = nk / np.maximum(nk.sum(axis=1, keepdims=True), 1e-300)
        if not all_alive:                                                  # a dead component keeps its old shape
            means = np.where(alive[..., None], means, old_means)
            covs = np.where(alive[..., None, None], covs, old_covs)
        return weights, means, covs + reg

    def fit(self, X, mask=None):
        self._validate_params()
        P = _as_points(X)                                                  # (S, n, d)
        S, n, d = P.shape
        # EM called directly has no simulate around it: its own guard (n_components=10**6, max_iter=10**9)
        K = self.n_components
        guard.check_cost("MixtureModel.fit", guard.EM_SECONDS * S * n * K * self.max_iter,
                         8.0 * S * n * (K * 4 + d * d + d + 1), dict(seeds=S, samples=n, n_components=K,
                                                                     max_iter=self.max_iter))
        w = as_mask(P, mask).astype(float)
        self.ndim_ = np.asarray(X).ndim
        # per point [1, x, x xᵀ], times its mask weight: every M step is then one matrix product
        outer = (P[..., :, None] * P[..., None, :]).reshape(S, n, d * d)
        features = w[..., None] * np.concatenate([np.ones((S, n, 1)), P, outer], axis=-1)
        Pt = P.transpose(0, 2, 1).copy()                                   # (S, d, n)
        reg = self.reg_covar * np.eye(d)
        counts = np.maximum(w.sum(1), 1)                                   # points per seed
        warm = self.warm_start and hasattr(self, "weights_") and self.means_.shape[0] == S
        weights, means, covs = (self.weights_, self.means_, self.covs_) if warm else self._init_params(Pt, features, reg)
        prev = np.full(S, -np.inf)
        for iteration in range(1, self.max_iter + 1):
            # E step: responsibilities resp[s, k, i] = P(component k | point i) under seed s's model,
            # and norm[s, 0, i] = log p(x_i)
            resp, norm = _posterior(_log_weighted_density(Pt, weights, means, covs))
            # M step
            weights, means, covs = self._m_step(features, resp, means, covs, reg)
            # stop once every seed's mean log-likelihood has settled (scikit-learn's rule, tol 1e-3)
            ll = (norm[:, 0] * w).sum(1) / counts
            if np.all(np.abs(ll - prev) < self.tol):
                break
            prev = ll
        self.n_iter_ = iteration
        self.weights_, self.means_, self.covs_ = weights, means, covs
        return self

    def total_moments(self):
        """Overall mean (seeds, d) and covariance (seeds, d, d) of each seed's mixture."""
        m = np.einsum("sk,skd->sd", self.weights_, self.means_)
        dev = self.means_ - m[:, None]
        cov = np.einsum("sk,skde->sde", self.weights_, self.covs_) + np.einsum("sk,skd,ske->sde", self.weights_, dev, dev)
        return m, cov

    def _tempered(self, temperature):
        # temperature applied to each part of the model: the choice of component is sharpened to
        # w^(1/T) (renormalised), and each component is sampled from its own N^(1/T) = N(μ, T·Σ).
        # This is not p^(1/T) of the whole mixture: that would also favour narrow components by
        # |Σ|^((1 − 1/T)/2), and pile every sample onto a component that has shrunk to a point.
        # w^(1/T) is computed in log space, so T = 0.001 or 1000 stays finite.
        return _tempered_weights(np.log(np.maximum(self.weights_, 1e-300)), temperature), self.covs_ * temperature

    def sample(self, n, rng, temperature=1.0):
        """n samples per seed; temperature T: weights w^(1/T) renormalised, each component N(μ, T·Σ)."""
        check_is_fitted(self, "weights_")
        t = check_temperature(temperature, "MixtureModel.sample")
        n = guard.check_sample("MixtureModel.sample", self.means_.shape[0], n, guard.REFILL_PER_DRAW["mixture2"])
        weights, covs = self._tempered(t)
        S, K, d = self.means_.shape
        # pick a component per sample by inverting each seed's cumulative weights
        u = rng.random((S, n))
        comp = (u[..., None] > np.cumsum(weights, axis=1)[:, None, :-1]).sum(-1)     # (S, n)
        chol = np.linalg.cholesky(covs)                                              # (S, K, d, d)
        z = rng.standard_normal((S, n, d))
        seed = np.arange(S)[:, None]
        mu, L = self.means_[seed, comp], chol[seed, comp]                            # (S, n, d), (S, n, d, d)
        x = mu + (L @ z[..., None])[..., 0]
        return x[..., 0] if self.ndim_ == 2 else x

    def log_prob(self, X):
        check_is_fitted(self, "weights_")
        return logsumexp(_mixture_log_joint(X, self.weights_, self.means_, self.covs_), axis=1)
