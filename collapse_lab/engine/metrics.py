"""Tail and diversity metrics: small pure functions on numpy arrays.

Every function takes a leading seed axis and returns one number per seed. Each stays finite
in degenerate states (a standard deviation of 0, a single category left) and raises no numpy
warnings, because a collapsed run is exactly what the course wants learners to look at.
"""
import numpy as np

from .checks import check_array, check_number, shown

# a distribution's array: (categories,) or (seeds, categories), or more leading axes. The kernels are
# also called on stopped seeds (their values are then replaced by NaN), so NaN passes the checks here.
AXES = (1, 2, 3)


def spread(last, count):
    """Up to `count` integers from 0 to `last`, evenly spread, both ends included (sorted list).

    Which generations keep snapshots, which rows a table prints, which curves a figure draws.
    """
    last = check_number(last, "last", "spread", low=0, integer=True)
    count = check_number(count, "count", "spread", low=1, high=10**6, integer=True)
    return np.unique(np.linspace(0, last, min(last + 1, count)).round().astype(int)).tolist()


def counts_per_seed(X, weights=None, return_inverse=False):
    """Distinct values of X (seeds, n) and how often each seed has each: (uniq (K,), counts (seeds, K)).

    One bincount for all seeds: seed s's values are shifted by s·K. `weights` (seeds, n), e.g. a
    mask, counts each sample with its weight. With return_inverse, also each value's index into
    uniq, (seeds, n): X == uniq[inverse].
    """
    X = np.asarray(X)   # numbers, or words (strings): any values np.unique can sort
    if X.ndim not in (2, 3):
        raise ValueError(f"The 'X' parameter of counts_per_seed must be an array (seeds, n) of samples. "
                         f"Got {shown(X)} instead.")
    if weights is not None:
        weights = check_array(weights, "weights", "counts_per_seed", ndim=X.ndim)
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
    mean = check_array(mean, "mean", "gaussian_tail_mass", ndim=None, finite=False).astype(float)
    std = check_array(std, "std", "gaussian_tail_mass", ndim=None, low=0, finite=False).astype(float)
    k = check_array(k, "k", "gaussian_tail_mass", ndim=None, low=0)
    mean0 = check_number(mean0, "mean0", "gaussian_tail_mass")
    std0 = check_number(std0, "std0", "gaussian_tail_mass", low=0, closed=(False, True))
    from scipy.special import ndtr  # the standard normal CDF; scipy.special costs 0.2 s to import: only when needed

    with np.errstate(divide="ignore", invalid="ignore"):  # std = 0 is a legal, collapsed state
        below = ndtr((mean0 - k * std0 - mean) / std)   # mass below the lower edge
        above = ndtr((mean - mean0 - k * std0) / std)   # mass above the upper edge
    # fmax(nan, 0) = 0: a point mass exactly on an edge (0/0) is not beyond it
    return np.fmax(below, 0.0) + np.fmax(above, 0.0)


def gaussian_wasserstein(mean, std, mean0=0.0, std0=1.0):
    """2-Wasserstein distance between N(mean, std²) and N(mean0, std0²) (closed form)."""
    mean = check_array(mean, "mean", "gaussian_wasserstein", ndim=None, finite=False).astype(float)
    std = check_array(std, "std", "gaussian_wasserstein", ndim=None, low=0, finite=False).astype(float)
    mean0 = check_number(mean0, "mean0", "gaussian_wasserstein")
    std0 = check_number(std0, "std0", "gaussian_wasserstein", low=0)
    return np.sqrt((mean - mean0) ** 2 + (std - std0) ** 2)


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


def _distributions(p, q, owner):
    """p and q checked as probability arrays whose last axes match (q broadcasts over p's seeds)."""
    p = check_array(p, "p", owner, ndim=AXES, low=0, high=1, finite=False)
    q = check_array(q, "q", owner, ndim=AXES, low=0, high=1, finite=False)
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(f"The 'q' parameter of {owner} must have as many categories as p ({p.shape[-1]}). "
                         f"Got {q.shape[-1]} instead.")
    return p, q


def entropy(p):
    """Shannon entropy in nats of each row of p (seeds, categories)."""
    return -_xlogy(p, p).sum(axis=-1)


def kl_divergence(p, q):
    """KL(p ‖ q) in nats, row by row. Finite whenever q > 0 wherever p > 0.

    We report KL(model ‖ world): the world gives every word a probability, so it stays finite
    when the model has forgotten words (KL(world ‖ model) would then be infinite)."""
    p, q = _distributions(p, q, "kl_divergence")
    return (_xlogy(p, p) - _xlogy(p, q)).sum(axis=-1)


def entropy_and_kl(p, q):
    """(entropy(p), kl_divergence(p, q)) in one go: both sum p·log p, which is worked out once."""
    p, q = _distributions(p, q, "entropy_and_kl")
    p_log_p = _xlogy(p, p)
    return -p_log_p.sum(axis=-1), (p_log_p - _xlogy(p, q)).sum(axis=-1)


def total_variation(p, q):
    """Total variation distance ½·Σ|p − q|, in [0, 1]."""
    p, q = _distributions(p, q, "total_variation")
    return 0.5 * np.abs(p - q).sum(axis=-1)


def support_size(p):
    """How many categories still have positive probability (categories alive)."""
    p = check_array(p, "p", "support_size", ndim=AXES, low=0, high=1, finite=False)
    return (p > 0).sum(axis=-1).astype(float)


def alive_share(p, categories):
    """Share of the given categories (e.g. the world's rarest words) still with probability > 0."""
    p = check_array(p, "p", "alive_share", ndim=AXES, low=0, high=1, finite=False)
    categories = check_array(categories, "categories", "alive_share", ndim=1, integer=True, low=0,
                             high=p.shape[-1] - 1)
    return (p[..., categories] > 0).mean(axis=-1)
