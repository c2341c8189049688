"""Toy worlds and the models fitted to them: a Gaussian, Gaussian mixtures, a categorical.

Every model is fitted to all seeds at once: the data has shape (seeds, n, ...) and the learned
parameters have a leading seed axis, so one numpy call fits 200 independent runs.

The Gaussian is the setting of Shumailov et al. (2024), Theorem 3.1: refit mean and variance on
n samples of the previous fit, and σ performs a multiplicative random walk that ends at 0.
"""
import numpy as np
from scipy.special import digamma

from . import metrics
from ._checks import Interval, check_is_fitted, check_number
from .base import Model, World
from .decoding import DECODING_CONSTRAINTS, check_temperature, decode


def _as_mask(X, mask):
    """All-True mask of the (seeds, n) part of X when none is given."""
    return np.ones(X.shape[:2], bool) if mask is None else np.asarray(mask, bool)


def _check_temperature(temperature, owner):
    # one rule for every model: T in TEMPERATURE_RANGE (charlm), where p^(1/T) stays finite
    return check_temperature(temperature, owner)


def _tempered_log(logp, temperature):
    """log p -> p^(1/T) renormalised along the last axis, in log space so no T under- or overflows."""
    top = logp.max(axis=-1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        z = (logp - np.where(np.isfinite(top), top, 0.0)) / temperature
    w = np.exp(z)
    return w / w.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# 1-D Gaussian
# ---------------------------------------------------------------------------------------------

class Gaussian(World):
    """The true distribution N(mean, std²). Metrics are exact, from the fitted mean and std."""

    kind = "gaussian"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {"mean": [Interval(float)], "std": [Interval(float, 0, None, closed="neither")]}

    def __init__(self, mean=0.0, std=1.0):
        self.mean = mean
        self.std = std
        self._validate_params()  # a world is data: a bad one fails when it is built

    def sample(self, shape, rng):
        return self.mean + self.std * rng.standard_normal(shape)

    def log_prob(self, X):
        z = (np.asarray(X) - self.mean) / self.std
        return -0.5 * z**2 - np.log(self.std) - 0.5 * np.log(2 * np.pi)

    def sample_stats(self, seeds, n, rng):
        """Sufficient statistics of n real samples, drawn exactly (see GaussianModel.sample_stats)."""
        return _normal_stats(np.full(seeds, float(self.mean)), np.full(seeds, float(self.std)), n, rng)

    def measure(self, model, samples=None, model0=None):
        mean, std = model.mean_, model.std_
        tail_2sd, tail_3sd = metrics.gaussian_tail_mass(mean, std, np.array([[2.0], [3.0]]), self.mean, self.std)
        return {
            "mean": mean,
            "std": std,
            "tail_2sd": tail_2sd,
            "tail_3sd": tail_3sd,
            "wasserstein": metrics.gaussian_wasserstein(mean, std, self.mean, self.std),
        }


def _normal_stats(mean, std, n, rng):
    """(count, sample mean, sum of squared deviations) of n draws from N(mean, std²), per seed.

    For normal samples these are independent with known laws (Cochran's theorem):
        sample mean ~ N(mean, std²/n),   sum of squares ~ std² · χ²(n − 1)
    so we can draw them directly in O(1) instead of drawing n samples.
    """
    seeds = mean.shape[0]
    sample_mean = mean + std / np.sqrt(n) * rng.standard_normal(seeds)
    m2 = std**2 * rng.chisquare(n - 1, seeds) if n > 1 else np.zeros(seeds)
    return np.full(seeds, float(n)), sample_mean, m2


def combine_stats(a, b):
    """Pool two groups' (count, mean, m2) into one (Chan et al.'s parallel variance formula)."""
    na, ma, m2a = a
    nb, mb, m2b = b
    n = na + nb
    safe_n = np.where(n > 0, n, 1.0)
    delta = mb - ma
    mean = ma + delta * nb / safe_n
    m2 = m2a + m2b + delta**2 * na * nb / safe_n
    return n, mean, m2


class GaussianModel(Model):
    """Fit a normal distribution: the sample mean and the standard deviation sqrt(m2 / (n − ddof)).

    ddof : 1 (default) the unbiased variance estimator, m2/(n−1); 0 the maximum-likelihood one, m2/n.

    With either, one generation on n samples of its own output multiplies the variance by
    χ²(n−1)/(n−ddof), so E[Δ log σ²] = ψ((n−1)/2) + log(2/(n−ddof)) < 0: σ drifts to 0 (`log_var_drift`);
    the MLE drifts faster, by log((n−1)/n) more per generation.

    Temperature: sampling from p(x)^(1/T) of N(μ, σ²) is sampling from N(μ, T·σ²), so σ scales by √T.
    """

    kind = "gaussian"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {"ddof": [Interval(int, 0, 1)]}

    def __init__(self, ddof=1):
        self.ddof = ddof

    def fit(self, X, mask=None):
        self._validate_params()
        X = np.asarray(X, float)
        mask = _as_mask(X, mask)
        w = mask.astype(float)
        count = w.sum(axis=1)
        mean = (w * X).sum(axis=1) / np.maximum(count, 1)
        m2 = (w * (X - mean[:, None]) ** 2).sum(axis=1)
        return self.fit_stats(count, mean, m2)

    def fit_stats(self, count, mean, m2):
        """Fit from sufficient statistics alone (the exact fast path of `simulate`)."""
        ddof = self._validate_params()["ddof"]
        self.mean_ = np.asarray(mean, float)
        # one sample has no spread to estimate (ddof=1): call it a point mass rather than divide by zero
        self.std_ = np.sqrt(m2 / np.maximum(count - ddof, 1))
        return self

    def sample(self, n, rng, temperature=1.0):
        # sampling from p(x)^(1/T) of a normal is sampling from N(mean, T·std²)
        check_is_fitted(self, "mean_")
        t = _check_temperature(temperature, "GaussianModel.sample")
        z = rng.standard_normal((self.mean_.shape[0], n))
        return self.mean_[:, None] + np.sqrt(t) * self.std_[:, None] * z

    def sample_stats(self, n, rng, temperature=1.0):
        """The statistics of `sample(n)`, drawn exactly in O(1) per seed (no samples made)."""
        check_is_fitted(self, "mean_")
        t = _check_temperature(temperature, "GaussianModel.sample_stats")
        return _normal_stats(self.mean_, np.sqrt(t) * self.std_, n, rng)

    def log_prob(self, X):
        check_is_fitted(self, "mean_")
        s = np.where(self.std_ > 0, self.std_, 1.0)[:, None]
        z = (np.asarray(X, float) - self.mean_[:, None]) / s
        return -0.5 * z**2 - np.log(s) - 0.5 * np.log(2 * np.pi)


def log_var_drift(n, ddof=1):
    """E[log σ²_next − log σ²] for GaussianModel(ddof) refitted on n of its own samples (closed form).

    σ²_next = σ² · χ²(n−1)/(n−ddof) and E[log χ²_k] = ψ(k/2) + log 2, so the drift is
    ψ((n−1)/2) + log(2/(n−ddof)). The MLE (ddof=0) drifts faster by log((n−1)/n) ≈ −1/n per step.
    """
    return digamma((n - 1) / 2) + np.log(2.0 / (n - ddof))


def log_var_spread(n):
    """Var[log σ²_next − log σ²] for the same step: Var[log χ²_k] = ψ'(k/2) (trigamma).

    The same for both estimators: ddof only divides σ²_next by a constant, which shifts
    log σ²_next and leaves its variance unchanged.
    """
    from scipy.special import polygamma

    return polygamma(1, (n - 1) / 2)


# ---------------------------------------------------------------------------------------------
# Gaussian mixtures (1-D and 2-D), with a small minority mode
# ---------------------------------------------------------------------------------------------
# Inside the mixture code points are stored coordinates-first, Pt of shape (seeds, d, n), and
# per-component arrays as (seeds, K, n): reductions over the few components and the EM moment
# sums then run over contiguous memory, which makes EM several times faster than (n, K) layouts.

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

    def _arrays(self):
        # arrays are built on use, so __init__ only stores (scikit-learn's convention)
        w = np.asarray(self.weights, float)
        return w / w.sum(), np.asarray(self.means, float), np.asarray(self.covs, float)

    @property
    def dim(self):
        return np.asarray(self.means).shape[1]

    def sample(self, shape, rng):
        w, mu, cov = self._arrays()
        comp = rng.choice(len(w), size=shape, p=w)
        z = rng.standard_normal(shape + (self.dim,))
        x = mu[comp] + np.einsum("...de,...e->...d", np.linalg.cholesky(cov)[comp], z)
        return x[..., 0] if self.dim == 1 else x

    def _log_joint(self, X):
        w, mu, cov = self._arrays()
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

    def _total_moments(self):
        w, mu, cov = self._arrays()
        m = w @ mu
        return m, np.einsum("k,kde->de", w, cov) + np.einsum("k,kd,ke->de", w, mu - m, mu - m)

    def measure(self, model, samples=None, model0=None):
        w, mu, cov = self._arrays()
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
            world_mean, world_cov = self._total_moments()
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
        w = _as_mask(P, mask).astype(float)
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
        return _tempered_log(np.log(np.maximum(self.weights_, 1e-300)), temperature), self.covs_ * temperature

    def sample(self, n, rng, temperature=1.0):
        """n samples per seed; temperature T: weights w^(1/T) renormalised, each component N(μ, T·Σ)."""
        check_is_fitted(self, "weights_")
        t = _check_temperature(temperature, "MixtureModel.sample")
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


# ---------------------------------------------------------------------------------------------
# Categorical: words as categories, with their real frequencies
# ---------------------------------------------------------------------------------------------

class Categorical(World):
    """A distribution over K categories (integers 0..K−1), sorted from most to least likely.

    `Categorical.words(n)` uses the real frequencies of the n most frequent English words, so
    category i is the word of frequency rank i and `labels` gives the word itself.
    """

    kind = "categorical"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {"probs": [list, tuple, np.ndarray], "labels": [None, list, tuple, np.ndarray]}

    def __init__(self, probs, labels=None):
        self.probs = probs
        self.labels = labels
        self._validate_params()
        try:
            p = np.asarray(probs, float)
        except (TypeError, ValueError):
            p = np.array([np.nan])
        if p.ndim != 1 or p.size == 0 or not np.isfinite(p).all() or (p < 0).any() or p.sum() <= 0:
            raise ValueError(f"The 'probs' parameter of Categorical must be a 1-D array of finite numbers >= 0 "
                             f"with a positive sum. Got {probs!r} instead.")
        if labels is not None and len(labels) != p.size:
            raise ValueError(f"The 'labels' parameter of Categorical must be None or hold one label per category "
                             f"({p.size}). Got {len(labels)} labels instead.")

    @classmethod
    def words(cls, n_words=2000, lang="en"):
        from .words import word_frequencies

        words, probs = word_frequencies(lang, n_words)
        return cls(probs, words)

    @property
    def n_categories(self):
        return len(self.probs)

    def _p(self):
        p = np.asarray(self.probs, float)
        return p / p.sum()

    def sample(self, shape, rng):
        if not np.prod(shape):  # nothing to draw (the loop asks for 0 real samples each generation
            return np.zeros(shape, int)  # when real_fraction is 0): skip choice's checks of p
        return rng.choice(self.n_categories, size=shape, p=self._p())

    def log_prob(self, X):
        return np.log(self._p())[np.asarray(X)]

    def rare(self, share=0.5):
        """Indices of the rarest `share` of categories (the tail)."""
        K = self.n_categories
        return np.argsort(self._p(), kind="stable")[: max(1, int(share * K))]

    def _yardstick(self):
        """(q (1, K), the rarest half): what `measure` compares every generation with. Worked out
        once, not every generation (sorting for the rarest half costs more than the metrics),
        and again only if `probs` changes."""
        q = self._p()[None, :]
        if not (hasattr(self, "_cached_yardstick") and np.array_equal(self._cached_yardstick[0], q)):
            self._cached_yardstick = (q, self.rare(0.5))
        return self._cached_yardstick

    def measure(self, model, samples=None, model0=None):
        p = model.probs_
        q, rare = self._yardstick()
        entropy, kl = metrics.entropy_and_kl(p, q)
        return {
            "support": metrics.support_size(p),
            "entropy": entropy,
            "kl": kl,
            "tv": metrics.total_variation(p, q),
            "rare_alive": metrics.alive_share(p, rare),
        }


class EmpiricalModel(Model):
    """Category frequencies counted in the training data, plus optional additive smoothing.

    With smoothing = 0 a category that is not sampled once gets probability 0 and can never come
    back: extinction is an absorbing state. Any smoothing > 0 keeps every category alive.

    Decoding, as the language models (decoding.decode: temperature p^(1/T), then top_k, then top_p):
    top_k : int >= 1 or None. Sample only the k likeliest categories.
    top_p : float in (0, 1] or None. Sample only the likeliest categories holding p of the mass: a
            category outside this nucleus is never sampled, so with smoothing = 0 it dies in one
            generation. (A repetition penalty has no meaning for one draw of one category.)
    """

    kind = "categorical"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {"n_categories": [Interval(int, 1, None)], "smoothing": [Interval(float, 0, None)],
                              **DECODING_CONSTRAINTS}

    def __init__(self, n_categories, smoothing=0.0, top_k=None, top_p=None):
        self.n_categories = n_categories
        self.smoothing = smoothing
        self.top_k = top_k
        self.top_p = top_p

    def fit(self, X, mask=None):
        params = self._validate_params()
        K, alpha = params["n_categories"], params["smoothing"]
        X = np.asarray(X)
        if X.size and (X.min() < 0 or X.max() >= K):
            raise ValueError(f"The 'X' parameter of EmpiricalModel.fit must hold categories in the range [0, {K - 1}]. "
                             f"Got values from {X.min()} to {X.max()} instead.")
        w = _as_mask(X, mask).astype(float)
        S = X.shape[0]
        # one bincount for all seeds: shift seed s's categories by s·K
        flat = (X + K * np.arange(S)[:, None]).ravel()
        counts = np.bincount(flat, weights=w.ravel(), minlength=S * K).reshape(S, K)
        counts = counts + alpha
        self.probs_ = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-300)
        return self

    def sample(self, n, rng, temperature=1.0):
        check_is_fitted(self, "probs_")
        t = _check_temperature(temperature, "EmpiricalModel.sample")
        n = check_number(n, "n", "EmpiricalModel.sample", low=0, integer=True)
        p = decode(self.probs_, t, self.top_k, self.top_p)  # p^(1/T) in log space, then the truncations
        S, K = p.shape
        # draw how often each category occurs (one multinomial per seed), spell the counts out as
        # category ids, then shuffle each row so any prefix of the samples is a fair sample too
        counts = rng.multinomial(n, p / p.sum(axis=1, keepdims=True))          # (S, K)
        ids = np.repeat(np.tile(np.arange(K), S), counts.ravel()).reshape(S, n)
        return rng.permuted(ids, axis=1)

    def log_prob(self, X):
        check_is_fitted(self, "probs_")
        p = np.take_along_axis(self.probs_, np.asarray(X), axis=1)
        return np.log(np.where(p > 0, p, 1e-300)) + np.where(p > 0, 0.0, -np.inf)
