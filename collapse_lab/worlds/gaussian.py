"""The Gaussian world and its model: notebook 01's setting, with its closed-form theory.

The Gaussian is the setting of Shumailov et al. (2024), Theorem 3.1: refit mean and variance on
n samples of the previous fit, and σ performs a multiplicative random walk that ends at 0.

Every model is fitted to all seeds at once: the data has shape (seeds, n) and the learned
parameters have a leading seed axis, so one numpy call fits 200 independent runs.
The model also declares the exact path's interface (`fit_stats`, `sample_stats`, `combine_stats`):
a Gaussian fit depends on its data only through (count, mean, sum of squares).
"""
import numpy as np

from ..engine import guard
from ..engine import metrics
from ..engine.base import Model, World, as_mask
from ..engine.checks import Interval, check_is_fitted, check_number, shown, validate_args
from ..engine.decoding import TEMPERATURE_RANGE, check_temperature


class Gaussian(World):
    """The true distribution N(mean, std²). Metrics are exact, from the fitted mean and std."""

    kind = "gaussian"  # the data it makes/fits: simulate refuses a world and model of different kinds
    sufficient_stats = True  # sample_stats: the loop's exact path (engine/exact.py)

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
    sufficient_stats = True  # fit_stats, sample_stats and combine_stats: the loop's exact path
    combine_stats = staticmethod(combine_stats)

    _parameter_constraints = {"ddof": [Interval(int, 0, 1)]}

    def __init__(self, ddof=1):
        self.ddof = ddof

    def fit(self, X, mask=None):
        self._validate_params()
        X = np.asarray(X, float)
        mask = as_mask(X, mask)
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
        t = check_temperature(temperature, "GaussianModel.sample")
        n = guard.check_sample("GaussianModel.sample", self.mean_.shape[0], n, guard.REFILL_PER_DRAW["gaussian"])
        z = rng.standard_normal((self.mean_.shape[0], n))
        return self.mean_[:, None] + np.sqrt(t) * self.std_[:, None] * z

    def sample_stats(self, n, rng, temperature=1.0):
        """The statistics of `sample(n)`, drawn exactly in O(1) per seed (no samples made)."""
        check_is_fitted(self, "mean_")
        t = check_temperature(temperature, "GaussianModel.sample_stats")
        return _normal_stats(self.mean_, np.sqrt(t) * self.std_, n, rng)

    def log_prob(self, X):
        check_is_fitted(self, "mean_")
        s = np.where(self.std_ > 0, self.std_, 1.0)[:, None]
        z = (np.asarray(X, float) - self.mean_[:, None]) / s
        return -0.5 * z**2 - np.log(s) - 0.5 * np.log(2 * np.pi)


@validate_args({"n": [Interval(float, 2, None, array=True)], "ddof": [Interval(int, 0, 1)]})
def log_var_drift(n, ddof=1):
    """E[log σ²_next − log σ²] for GaussianModel(ddof) refitted on n of its own samples (closed form).

    σ²_next = σ² · χ²(n−1)/(n−ddof) and E[log χ²_k] = ψ(k/2) + log 2, so the drift is
    ψ((n−1)/2) + log(2/(n−ddof)). The MLE (ddof=0) drifts faster by log((n−1)/n) ≈ −1/n per step.
    """
    from scipy.special import digamma  # imported when needed: scipy.special costs 0.2 s to import

    return digamma((n - 1) / 2) + np.log(2.0 / (n - ddof))


@validate_args({"n": [Interval(float, 2, None, array=True)]})
def log_var_spread(n):
    """Var[log σ²_next − log σ²] for the same step: Var[log χ²_k] = ψ'(k/2) (trigamma).

    The same for both estimators: ddof only divides σ²_next by a constant, which shifts
    log σ²_next and leaves its variance unchanged.
    """
    from scipy.special import polygamma

    return polygamma(1, (n - 1) / 2)


@validate_args({"samples": [Interval(int, 2, None)], "generations": [Interval(int, 0, 100_000)],
                "temperature": [Interval(float, *TEMPERATURE_RANGE)]})
def std_theory(samples, generations, temperature=1.0, q=(0.1, 0.9)):
    """What theory predicts for σ of a Gaussian refitted on its own `samples`, generation by generation.

    Each fit multiplies σ² by χ²(n−1)/(n−1), independently, so log σ² is a random walk with
    drift log_var_drift(n) and step variance log_var_spread(n). Generation 0 is already one
    fit (on real data, σ = 1), so generation g is g + 1 steps from the truth; sampling at
    temperature T adds log T per synthetic generation. Summed, the walk is close to normal,
    which gives the median and the q-quantiles of σ:
        σ_g ≈ exp(((g+1)·drift + g·log T ± z_q·sqrt((g+1)·spread)) / 2).
    Returns (median, low, high), each of shape (generations + 1,). Valid with no real data,
    mode 'replace' and no gate (the setting of Shumailov et al. 2024, Theorem 3.1).
    """
    from scipy.stats import norm


    try:
        pair = [check_number(x, "q", "std_theory", low=0, high=1, closed=(False, False)) for x in q]
    except TypeError:                      # not a sequence
        pair = []
    if len(pair) != 2:
        raise ValueError(f"The 'q' parameter of std_theory must be a pair of quantiles in (0, 1). Got {shown(q)} "
                         f"instead.")
    q = pair
    g = np.arange(generations + 1)
    centre = (g + 1) * log_var_drift(samples) + g * np.log(temperature)
    spread = np.sqrt((g + 1) * log_var_spread(samples))
    z_lo, z_hi = norm.ppf(q[0]), norm.ppf(q[1])
    return np.exp(centre / 2), np.exp((centre + z_lo * spread) / 2), np.exp((centre + z_hi * spread) / 2)
