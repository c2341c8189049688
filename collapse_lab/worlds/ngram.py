"""A count-based character n-gram language model of words (numpy): karpathy/makemore's bigram, to any order.

See charlm.py for how words become arrays and what the two language models share.
"""
import numpy as np

from ..engine import guard
from ..engine.base import Model
from ..engine.checks import Interval, check_is_fitted
from ..engine.decoding import DECODING_CONSTRAINTS, check_temperature, decode, penalize_repeats, tempered_log, truncate
from .charlm import (END, UNK, _categorical, _check_scored, _code_points, _distinct, _gather, _next_char_counts, _start_fit,
                     _table_sampler, _to_ids, _words, lm_memory_parts)


class NGramLM(Model):
    """Character n-gram language model with add-k smoothing, counted in numpy.

    p(next | previous order-1 characters) = (count + smoothing) / (context count + smoothing·V)

    Shannon (1948) generated English this way, from letter n-gram tables; makemore's bigram is
    order=2. Smoothing gives every character in the alphabet some probability in every context,
    so a word the model never saw still gets a finite log-probability (and can be generated).

    Parameters
    ----------
    order : int in [1, 8]. Characters per n-gram: the model looks back order-1 characters.
            The table's keys must fit int64: seeds · V^(order-1) < 2^63 with V the alphabet plus 2
            (a large alphabet, e.g. Chinese, refuses a high order with a ValueError).
    smoothing : float >= 0. The pseudo-count k of add-k (Laplace) smoothing.
    top_k : int >= 1 or None. Sample only among the k likeliest next characters.
    max_len : int >= 1. Sampled words stop after this many characters.
    top_p : float in (0, 1] or None. Nucleus sampling: only the likeliest characters holding p
            of the mass (see `decode` for the order with temperature and how ties are kept).
    repetition_penalty : float >= 1. A character already in the word being written has its
            probability divided by this before decoding (see `penalize_repeats`). Shumailov et
            al. (2024) generated their data with 5-beam search; their paper's ablation adds a
            repetition penalty of 2.0, and their public curse_recurse code calls
            `generate(num_beams=5, repetition_penalty=3.0)`. 1 is off.
    warm_start : bool. When True and already fitted (same number of seeds), `fit` continues from
            the fitted counts: new counts + fine_tune_weight × old counts, alphabet kept (a new
            character counts as unknown). This is what fine-tuning is for a count model.
    fine_tune_weight : float in [0, 1]. How much of the old counts a warm fit keeps: 1 adds the
            new data to everything seen so far; 0 keeps only the new data (but the old alphabet).

    fit(X, mask=None, teacher=None): with a fitted teacher (NGramLM or NeuralLM, any context),
    each occurrence of a context in X adds the teacher's next-character probabilities there
    (soft labels) instead of the character that followed (hard labels).

    Learned: alphabet_ (code points the training data used), itos_ (token id -> code point),
    keys_ (the (seed, context) pairs seen, as integers), counts_ (their next-character counts,
    plus one last all-zero row for unseen contexts), probs_ (the smoothed table, same shape).
    """

    kind = "words"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {
        "order": [Interval(int, 1, 8)],
        "smoothing": [Interval(float, 0, None)],
        "max_len": [Interval(int, 1, None)],
        **DECODING_CONSTRAINTS,
        "repetition_penalty": [Interval(float, 1, None)],
        "warm_start": [bool],
        "fine_tune_weight": [Interval(float, 0, 1)],
    }

    def __init__(self, order=3, smoothing=0.1, top_k=None, max_len=20, top_p=None, repetition_penalty=1.0,
                 warm_start=False, fine_tune_weight=1.0):
        self.order = order
        self.smoothing = smoothing
        self.top_k = top_k
        self.max_len = max_len
        self.top_p = top_p
        self.repetition_penalty = repetition_penalty
        self.warm_start = warm_start
        self.fine_tune_weight = fine_tune_weight

    def memory_parts(self, estimate, world, run):
        """The guard's memory parts for a run of this model (charlm.lm_memory_parts)."""
        lm_memory_parts(estimate, world, self, "ngram", run)
        return True

    @property
    def context_size(self):
        """Characters of context the model reads (order - 1)."""
        return self.order - 1

    def _check_table_size(self, V, seeds):
        # context keys are base-V integers offset by seed: seeds · V^(order-1) must fit int64
        if seeds * V ** (self.order - 1) >= 2**63:
            fits = max(o for o in range(1, 9) if seeds * V ** (o - 1) < 2**63)
            raise ValueError(
                f"The 'order' parameter of NGramLM must be at most {fits} for an alphabet of {V - 2} characters "
                f"({V} tokens with '.' and unknown) and {seeds} seeds: the table of V^(order-1) contexts per seed "
                f"must fit 64-bit integers. Got {self.order} instead."
            )

    def fit(self, X, mask=None, teacher=None):
        """Count the n-grams of each seed's words (X: (seeds, n) words, mask: (seeds, n) bool)."""
        self._validate_params()
        uniq, counts, warm, alphabet, itos = _start_fit(self, X, mask, teacher, "counts_")  # (K,), (seeds, K), ...
        S, V = counts.shape[0], len(itos)
        self._check_table_size(V, S)  # before anything is learned: a refused fit leaves the model as it was
        self.alphabet_, self.itos_ = alphabet, itos

        # one table row per (seed, context) that occurs: its key is the context read as a base-V
        # integer, offset by seed·V^(order-1), so all seeds share one sorted key table
        contexts, seed, ctx, follow = _next_char_counts(uniq, counts, self.alphabet_, self.order - 1, teacher)
        keys = seed * V ** (self.order - 1) + contexts[ctx] @ (V ** np.arange(self.order - 2, -1, -1, dtype=np.int64))
        if warm:
            # fine-tuning a count model: the new counts join the old ones, weighted
            merged = np.union1d(self.keys_, keys)
            table = np.zeros((len(merged), V))
            table[np.searchsorted(merged, self.keys_)] += self.fine_tune_weight * self.counts_[:-1]
            table[np.searchsorted(merged, keys)] += follow
            keys, follow = merged, table
        self.keys_ = keys
        self.counts_ = np.vstack([follow, np.zeros((1, V))])  # the extra last row: contexts never seen
        self.n_seeds_ = S

        # add-k smoothing; with k = 0 an unseen context has no counts at all, so make it uniform
        c = self.counts_ + self.smoothing
        total = c.sum(axis=1, keepdims=True)
        self.probs_ = np.where(total > 0, c / np.where(total > 0, total, 1.0), 1.0 / V)
        return self

    def _keys(self, uniq):
        """(K,) words -> context keys, targets, valid: each (seeds, K, L+1)."""
        V, size = len(self.itos_), self.order - 1
        # built position-major, (L+1, K): a slice of positions is then one contiguous block
        ids = _to_ids(_code_points(uniq).T, self.alphabet_)  # (L, K)
        L, K = ids.shape
        seq = np.zeros((size + L + 1, K), dtype=np.int64)  # `size` '.' before each word, END (0) after it
        seq[size : size + L] = ids
        valid = np.arange(L + 1)[:, None] <= (ids != END).sum(axis=0)  # positions up to each word's end token
        # the context of position t is seq[t : t + size], read as a base-V number (Horner's rule)
        context = np.zeros((L + 1, K), dtype=np.int64)
        for j in range(size):
            context = context * V + seq[j : j + L + 1]
        offset = np.arange(self.n_seeds_, dtype=np.int64)[:, None, None] * V**size
        shape = (self.n_seeds_, K, L + 1)
        return context.T[None] + offset, np.broadcast_to(seq[size:].T, shape), np.broadcast_to(valid.T, shape)

    def _rows(self, keys):
        """Table row of each context key; contexts never seen in training get the last row."""
        return self._row_lookup(keys.size)(keys)

    def _row_lookup(self, lookups):
        """A function: context keys -> table rows, for about `lookups` look-ups in all. A dense array
        over every possible key when filling it costs less than that many binary searches in keys_
        (one index per look-up then); otherwise the binary search."""
        possible = self.n_seeds_ * len(self.itos_) ** (self.order - 1)  # keys run from 0 to possible - 1
        if possible <= min(max(4 * lookups, 4096), 2**22):
            dense = np.full(possible, len(self.keys_))
            dense[self.keys_] = np.arange(len(self.keys_))
            return dense.take
        return self._search_rows

    def _search_rows(self, keys):
        i = np.searchsorted(self.keys_, keys).clip(max=len(self.keys_) - 1)
        return np.where(self.keys_[i] == keys, i, len(self.keys_))

    def next_char_probs(self, windows):
        """(U, w) code points before a position ('.' = 0 pads the start), w >= order-1 ->
        (seeds, U, V) next-character probabilities under each seed's model (a teacher's answer)."""
        check_is_fitted(self, "alphabet_")
        V, size, windows = len(self.itos_), self.order - 1, np.asarray(windows)
        ids = _to_ids(windows[:, windows.shape[1] - size :], self.alphabet_)
        context = ids @ (V ** np.arange(size - 1, -1, -1, dtype=np.int64))  # (U,)
        seed = np.arange(self.n_seeds_, dtype=np.int64)[:, None] * V**size
        return self.probs_[self._rows(seed + context[None])]

    def log_prob(self, X):
        """(seeds, n) words -> (seeds, n) natural-log probability of each word, end token included.

        X of shape (1, n) is scored under every seed's model. This is the fitted distribution
        itself: temperature and the decoding parameters only shape sampling.
        """
        check_is_fitted(self, "alphabet_")
        X = _check_scored(X, self.n_seeds_, "NGramLM")
        uniq, inv = _distinct(X)  # score each distinct word once
        keys, targets, valid = self._keys(uniq)  # (seeds, K, L+1)
        V = len(self.itos_)
        logp = self._log_table().ravel().take(self._rows(keys) * V + targets)  # log probs_[row, target]
        logp = np.where(valid, logp, 0.0)  # 0 past each word's end: adds nothing
        return _gather(logp.sum(axis=2), inv, X.shape)  # (seeds, K) summed over characters, then per word of X

    def _log_table(self):
        """log probs_, kept while probs_ is the same array (until the next fit): scoring then looks
        logs up instead of taking one per character, and the generation-0 model, which scores every
        generation's samples, takes them once."""
        cached = getattr(self, "_cached_log", None)
        if cached is None or cached[0] is not self.probs_:  # a fit (or any code) replaced the table
            with np.errstate(divide="ignore"):  # a character of probability 0 makes its word's log p -inf
                self._cached_log = (self.probs_, np.log(self.probs_))
        return self._cached_log[1]

    def _sampling_table(self):
        """probs_ as sampling sees it: the unknown token is never written, and a context that only
        ever led to unknown characters ends the word."""
        table = self.probs_.copy()
        table[:, UNK] = 0.0
        table[table.sum(axis=1) == 0, END] = 1.0
        return table

    def _table_draw(self, temperature):
        """The sampler of the decoded table (see _table_sampler), kept while probs_ is the same array
        and the decoding the same: the loop samples each fitted model twice (its output, then the
        rest of the next training set), and building it costs as much as sampling a few hundred words."""
        decoding = (temperature, self.top_k, self.top_p)
        cached = getattr(self, "_cached_draw", None)
        if cached is None or cached[0] is not self.probs_ or cached[1] != decoding:
            self._cached_draw = (self.probs_, decoding, _table_sampler(decode(self._sampling_table(), *decoding)))
        return self._cached_draw[2]

    def sample(self, n, rng, temperature=1.0):
        """Generate n words per seed -> (seeds, n) array, all words one character position at a time."""
        check_is_fitted(self, "alphabet_")
        temperature = check_temperature(temperature, "NGramLM.sample")
        n = guard.check_sample("NGramLM.sample", self.n_seeds_, n,
                               guard.REFILL_PER_DRAW["words"])
        V = len(self.itos_)
        C = V ** (self.order - 1)  # number of possible contexts
        penalty = self.repetition_penalty
        if penalty == 1.0:  # decoding depends on the context only: decode each table row once
            draw = self._table_draw(temperature)
        else:  # temper the table once; a word's repeats are then divided by penalty^(1/T)
            log_tempered = tempered_log(self._sampling_table(), temperature)
            tempered = np.exp(log_tempered)
            log_factor = np.log(penalty) / temperature
        S = self.n_seeds_
        rows_of = self._row_lookup(S * n * self.max_len)  # a word looks its context up once per character
        tokens = np.zeros((self.max_len, S * n), dtype=np.int64)  # token t of word i at [t, i]; 0 = '.' after its end
        # the words not ended yet (flat index over all seeds' words, in order) and the keys of their
        # contexts, seed·C + context id; each step keeps these for the living words only
        alive = np.arange(S * n)
        key = np.repeat(np.arange(S, dtype=np.int64) * C, n)  # every word starts after '.' padding (context id 0)
        for t in range(self.max_len):
            if alive.size == 0:
                break
            rows = rows_of(key)  # (alive,) table row of each word's context
            if penalty == 1.0:
                nxt = draw(rows, rng)
            else:  # the penalty depends on the word so far: (p / θ)^(1/T) = p^(1/T) / θ^(1/T)
                history = tokens[:t, alive].T  # (alive, t)
                w = penalize_repeats(tempered[rows], history, np.exp(min(log_factor, 700.0)))  # e^700: below any float
                # where the penalty pushed every token a word may write below what floats hold
                # (tiny T), redo those rows in log space, as decode would
                lost = w.max(axis=1) < 1e-250
                if lost.any():
                    z = log_tempered[rows[lost]]
                    z[np.arange(lost.sum())[:, None], history[lost]] -= log_factor
                    w[lost] = np.exp(z - z.max(axis=1, keepdims=True))
                nxt = _categorical(truncate(w, self.top_k, self.top_p), rng)  # (alive,)
            tokens[t, alive] = nxt
            # slide the window one character on: keep the seed's part of the key, drop the oldest
            # character of the context (so its id stays below C) and append the new one
            if C > 1:
                key = key - key % C + key % (C // V) * V + nxt
            going = nxt != END
            alive, key = alive[going], key[going]
        return _words(self.itos_[tokens.T]).reshape(S, n)  # token ids -> code points -> words
