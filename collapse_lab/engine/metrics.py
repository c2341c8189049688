"""Tail and diversity metrics: small pure functions on numpy arrays.

Every function takes a leading seed axis and returns one number per seed. Each stays finite
in degenerate states (a standard deviation of 0, a single category left) and raises no numpy
warnings, because a collapsed run is exactly what the course wants learners to look at.
"""
import numpy as np
from scipy.special import ndtr  # the standard normal CDF, vectorised


def spread(last, count):
    """Up to `count` integers from 0 to `last`, evenly spread, both ends included (sorted list).

    Which generations keep snapshots, which rows a table prints, which curves a figure draws.
    """
    return np.unique(np.linspace(0, last, min(last + 1, count)).round().astype(int)).tolist()


def counts_per_seed(X, weights=None, return_inverse=False):
    """Distinct values of X (seeds, n) and how often each seed has each: (uniq (K,), counts (seeds, K)).

    One bincount for all seeds: seed s's values are shifted by s·K. `weights` (seeds, n), e.g. a
    mask, counts each sample with its weight. With return_inverse, also each value's index into
    uniq, (seeds, n): X == uniq[inverse].
    """
    X = np.asarray(X)
    seeds, n = X.shape[:2]
    uniq, inv = np.unique(X, return_inverse=True)
    inv = inv.reshape(seeds, n)
    K = len(uniq)
    flat = (np.arange(seeds)[:, None] * K + inv).ravel()
    w = None if weights is None else np.asarray(weights, float).ravel()
    counts = np.bincount(flat, weights=w, minlength=seeds * K).reshape(seeds, K)
    return (uniq, counts, inv) if return_inverse else (uniq, counts)


def distinct_small_ints(keys, size):
    """Distinct values of int keys in [0, size), sorted, and each key's index into them: what
    np.unique(keys, return_inverse=True) returns, found by counting (linear, no sort)."""
    present = np.zeros(size, dtype=bool)
    present[keys] = True
    index = np.cumsum(present) - 1
    return np.flatnonzero(present), index[keys]


def gaussian_tail_mass(mean, std, k, mean0=0.0, std0=1.0):
    """Mass of N(mean, std²) beyond k original standard deviations: P(|X − mean0| > k·std0).

    `k` may be an array of shape (K, 1) to get several tails at once, shape (K, seeds).
    A collapsed Gaussian (std = 0) is a point mass: the z-scores become ±inf and the normal
    CDF gives exactly 0 or 1, so the answer stays right without any special case.
    """
    mean, std = np.asarray(mean, float), np.asarray(std, float)
    with np.errstate(divide="ignore", invalid="ignore"):  # std = 0 is a legal, collapsed state
        below = ndtr((mean0 - k * std0 - mean) / std)   # mass below the lower edge
        above = ndtr((mean - mean0 - k * std0) / std)   # mass above the upper edge
    # fmax(nan, 0) = 0: a point mass exactly on an edge (0/0) is not beyond it
    return np.fmax(below, 0.0) + np.fmax(above, 0.0)


def gaussian_wasserstein(mean, std, mean0=0.0, std0=1.0):
    """2-Wasserstein distance between N(mean, std²) and N(mean0, std0²) (closed form)."""
    return np.sqrt((np.asarray(mean) - mean0) ** 2 + (np.asarray(std) - std0) ** 2)


def wasserstein_to_reference(samples, mask, reference_sorted):
    """1-Wasserstein distance between each seed's samples and a large sorted reference sample.

    In 1-D, W1 = ∫|F⁻¹(u) − G⁻¹(u)| du: compare the i-th smallest sample with the reference
    quantile at level (i − ½)/n. Masked-out samples are pushed to the end and ignored.
    """
    x = np.where(mask, samples, np.inf)
    x = np.sort(x, axis=1)
    n = mask.sum(axis=1)  # (seeds,)
    i = np.arange(x.shape[1])
    levels = (i[None, :] + 0.5) / np.maximum(n, 1)[:, None]
    ref_levels = (np.arange(len(reference_sorted)) + 0.5) / len(reference_sorted)
    q = np.interp(levels, ref_levels, reference_sorted)
    valid = i[None, :] < n[:, None]
    gap = np.where(valid, np.abs(np.where(valid, x, 0.0) - q), 0.0)
    return gap.sum(axis=1) / np.maximum(n, 1)


def _xlogy(x, y):
    # x·log(y) with 0·log(0) = 0, and no warning for the zeros. The log is taken only where x > 0:
    # a collapsing distribution is mostly zeros, and every log skipped is time saved
    x = np.asarray(x)
    positive = x > 0
    log_y = np.log(y, out=np.zeros(np.broadcast_shapes(x.shape, np.shape(y))), where=positive)
    return np.where(positive, x * log_y, 0.0)


def entropy(p):
    """Shannon entropy in nats of each row of p (seeds, categories)."""
    return -_xlogy(p, p).sum(axis=-1)


def kl_divergence(p, q):
    """KL(p ‖ q) in nats, row by row. Finite whenever q > 0 wherever p > 0.

    We report KL(model ‖ world): the world gives every word a probability, so it stays finite
    when the model has forgotten words (KL(world ‖ model) would then be infinite)."""
    return (_xlogy(p, p) - _xlogy(p, q)).sum(axis=-1)


def entropy_and_kl(p, q):
    """(entropy(p), kl_divergence(p, q)) in one go: both sum p·log p, which is worked out once."""
    p_log_p = _xlogy(p, p)
    return -p_log_p.sum(axis=-1), (p_log_p - _xlogy(p, q)).sum(axis=-1)


def total_variation(p, q):
    """Total variation distance ½·Σ|p − q|, in [0, 1]."""
    return 0.5 * np.abs(p - q).sum(axis=-1)


def support_size(p):
    """How many categories still have positive probability (categories alive)."""
    return (p > 0).sum(axis=-1).astype(float)


def alive_share(p, categories):
    """Share of the given categories (e.g. the world's rarest words) still with probability > 0."""
    return (p[..., categories] > 0).mean(axis=-1)
