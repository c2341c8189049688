"""The categorical world (notebook 02's words as categories) and the empirical model fitted to it."""
import numpy as np

from ..engine import guard
from ..engine import metrics
from ..engine.base import Model, World, as_mask
from ..engine.checks import Interval, check_is_fitted
from ..engine.decoding import DECODING_CONSTRAINTS, check_temperature, decode


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

    def probabilities(self):
        """The categories' probabilities, renormalised to sum to 1."""
        p = np.asarray(self.probs, float)
        return p / p.sum()

    def sample(self, shape, rng):
        if not np.prod(shape):  # nothing to draw (the loop asks for 0 real samples each generation
            return np.zeros(shape, int)  # when real_fraction is 0): skip choice's checks of p
        return rng.choice(self.n_categories, size=shape, p=self.probabilities())

    def log_prob(self, X):
        return np.log(self.probabilities())[np.asarray(X)]

    def rare(self, share=0.5):
        """Indices of the rarest `share` of categories (the tail)."""
        K = self.n_categories
        return np.argsort(self.probabilities(), kind="stable")[: max(1, int(share * K))]

    def _yardstick(self):
        """(q (1, K), the rarest half): what `measure` compares every generation with. Worked out
        once, not every generation (sorting for the rarest half costs more than the metrics),
        and again only if `probs` changes."""
        q = self.probabilities()[None, :]
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
        w = as_mask(X, mask).astype(float)
        S = X.shape[0]
        # one bincount for all seeds: shift seed s's categories by s·K
        flat = (X + K * np.arange(S)[:, None]).ravel()
        counts = np.bincount(flat, weights=w.ravel(), minlength=S * K).reshape(S, K)
        counts = counts + alpha
        self.probs_ = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-300)
        return self

    def sample(self, n, rng, temperature=1.0):
        check_is_fitted(self, "probs_")
        t = check_temperature(temperature, "EmpiricalModel.sample")
        n = guard.check_sample("EmpiricalModel.sample", len(self.probs_), n, guard.REFILL_PER_DRAW["categorical"])
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
