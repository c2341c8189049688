"""A plain-Python character n-gram: the reference NGramLM is checked against (tests/test_charlm.py),
and the straightforward side of the n-gram benchmark (benchmarks/language_models.py). Below it,
plain versions of the explorers' fast paths (tests/test_same_results.py, and the explorers'
benchmark in benchmarks/language_models.py).

Dicts and Counters, one word and one character at a time, the way a learner first writes it.
"""
import math
from collections import Counter, defaultdict

import numpy as np


class LoopNGram:
    """The same add-k character n-gram as worlds.NGramLM, counted and sampled word by word."""

    def __init__(self, order=3, smoothing=0.1, max_len=20):
        self.order, self.smoothing, self.max_len = order, smoothing, max_len

    def fit(self, words):
        self.chars = sorted(set("".join(words)))
        self.V = len(self.chars) + 2  # the letters, '.' and one slot for unknown characters (as NGramLM)
        self.counts = defaultdict(Counter)
        for w in words:
            ctx = "." * (self.order - 1)
            for ch in w + ".":
                self.counts[ctx][ch] += 1
                ctx = (ctx + ch)[1:] if self.order > 1 else ""
        self.totals = {ctx: sum(c.values()) for ctx, c in self.counts.items()}
        return self

    def prob(self, ctx, ch):
        c = self.counts.get(ctx, {})
        return (c.get(ch, 0) + self.smoothing) / (self.totals.get(ctx, 0) + self.smoothing * self.V)

    def log_prob(self, word):
        ctx, lp = "." * (self.order - 1), 0.0
        for ch in word + ".":
            lp += math.log(self.prob(ctx, ch))
            ctx = (ctx + ch)[1:] if self.order > 1 else ""
        return lp

    def sample(self, n, rng):
        symbols = self.chars + ["."]
        words = []
        for _ in range(n):
            ctx, word = "." * (self.order - 1), ""
            for _ in range(self.max_len):
                ch = rng.choices(symbols, weights=[self.prob(ctx, s) for s in symbols])[0]
                if ch == ".":
                    break
                word += ch
                ctx = (ctx + ch)[1:] if self.order > 1 else ""
            words.append(word)
        return words


# ----------------------------------------------------------------------------------------------
# NGramLM's own sampling and scoring, written word by word over a fitted model's table. Unlike
# LoopNGram these follow NGramLM's arithmetic to the last bit (the same table, the same uniform
# per word and step, in the same order; a word's logs summed as a row of L+1 entries, as numpy
# sums a row), so tests/test_same_results.py can demand *equal* results, not close ones.

def _key(seed, context, V):
    """A context (tuple of token ids) of one seed, read as NGramLM's table key."""
    key = 0
    for token in context:
        key = key * V + token
    return seed * V ** len(context) + key


def reference_sample(model, n, rng, temperature=1.0):
    """NGramLM.sample without a repetition penalty, one word and one character at a time."""
    from collapse_lab.engine.decoding import decode

    V, size = len(model.itos_), model.order - 1
    table = model.probs_.copy()
    table[:, 1] = 0.0  # never the unknown token
    table[table.sum(axis=1) == 0, 0] = 1.0  # a context that only ever led to unknown characters ends the word
    weights = decode(table, temperature, model.top_k, model.top_p)
    # each row's cumulative weights, row r's laid in [r, r + 1]: where r + u falls picks the token
    cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1) + np.arange(len(weights))[:, None]
    cdf[:, -1] = np.arange(1, len(weights) + 1)
    row_of = {int(key): row for row, key in enumerate(model.keys_)}
    unseen = len(model.keys_)

    words = [(seed, []) for seed in range(model.n_seeds_) for _ in range(n)]
    writing = list(range(len(words)))  # the words not ended yet, in order
    for _ in range(model.max_len):
        if not writing:
            break
        u = rng.random(len(writing))  # one uniform per unfinished word, in word order
        still = []
        for i, w in enumerate(writing):
            seed, tokens = words[w]
            context = tuple(([0] * size + tokens)[len(tokens):]) if size else ()
            row = row_of.get(_key(seed, context, V), unseen)
            token = int(np.searchsorted(cdf.ravel(), row + u[i], side="right")) - row * V
            if token >= V:  # r + u rounded up to r + 1: the row's last token of positive weight
                token = max(t for t in range(V) if weights[row, t] > 0)
            if token != 0:  # 0 ends the word
                tokens.append(token)
                still.append(w)
        writing = still
    text = ["".join(chr(model.itos_[t]) for t in tokens) for _, tokens in words]
    return np.array(text, dtype=f"<U{model.max_len}").reshape(model.n_seeds_, n)


def reference_log_prob(model, X):
    """NGramLM.log_prob, one word and one character at a time."""
    X = np.asarray(X)
    V, size = len(model.itos_), model.order - 1
    width = X.dtype.itemsize // 4  # characters per word in X's dtype: a row of width + 1 logs
    token_of = {chr(c): i + 2 for i, c in enumerate(model.alphabet_)}  # 0 = end, 1 = unknown
    row_of = {int(key): row for row, key in enumerate(model.keys_)}
    out = np.zeros((model.n_seeds_, X.shape[1]))
    for seed in range(model.n_seeds_):
        for j, word in enumerate(X[min(seed, len(X) - 1)]):
            tokens = [token_of.get(ch, 1) for ch in word] + [0]
            logs = np.zeros(width + 1)
            for t, token in enumerate(tokens):
                context = tuple(([0] * size + tokens[:t])[t:]) if size else ()
                p = model.probs_[row_of.get(_key(seed, context, V), len(model.keys_)), token]
                logs[t] = np.log(p) if p > 0 else -np.inf
            out[seed, j] = logs.sum()
    return out


def _plain_xlogy(x, y):
    return np.where(x > 0, x * np.log(np.where(x > 0, y, 1.0)), 0.0)


def plain_categorical_measure(world, model, samples=None, model0=None):
    """Categorical.measure by the textbook formulas, everything worked out afresh each call."""
    p, q = model.probs_, world.probabilities()[None, :]
    return {"support": (p > 0).sum(axis=-1).astype(float),
            "entropy": -_plain_xlogy(p, p).sum(axis=-1),
            "kl": (_plain_xlogy(p, p) - _plain_xlogy(p, q)).sum(axis=-1),
            "tv": 0.5 * np.abs(p - q).sum(axis=-1),
            "rare_alive": (p[..., world.rare(0.5)] > 0).mean(axis=-1)}
