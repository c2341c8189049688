"""A plain-Python character n-gram: the reference NGramLM is checked against (tests/test_charlm.py),
and the straightforward side of the n-gram benchmark (benchmarks/language_models.py).

Dicts and Counters, one word and one character at a time, the way a learner first writes it.
"""
import math
from collections import Counter, defaultdict


class LoopNGram:
    """The same add-k character n-gram as charlm.NGramLM, counted and sampled word by word."""

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
