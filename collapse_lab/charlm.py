"""Character-level language models of words: a count-based n-gram (numpy) and a small MLP (PyTorch).

Both spell a word one character at a time and close it with an end token, as karpathy/makemore does:

    p("cat") = p(c | ..) · p(a | .c) · p(t | ca) · p(. | at)        '.' marks both start and end

and both follow base.Model: fit(X, mask) -> self, sample(n, rng, temperature) -> X, log_prob(X).
X holds words as a numpy unicode array of shape (seeds, n): one model per seed lives in one object.

The trick that keeps every step vectorised: a '<U..' array stores each word as fixed-width 4-byte
code points padded with zeros, so `X.view(np.uint32)` turns a whole batch of words into a
(seeds, n, L) integer array with no Python loop, and `.view('<U..')` turns sampled code points
back into words. Training data is a multiset (frequent words repeat), so we count each distinct
word once and weight it by how often it occurs: 20,000 words are usually ~5,000 distinct ones.

Three levers shared by both models (issue 9):

- decoding: `temperature`, `top_k`, `top_p` and `repetition_penalty` reshape each next-character
  distribution before a character is drawn (see `decode`);
- fine-tuning: with `warm_start=True` a fitted model continues from its fitted state;
- distillation: `fit(X, teacher=other_model)` fits to the teacher's next-character probabilities
  on the contexts of X (soft labels) instead of to the characters X happens to contain.
"""
import functools
from contextlib import contextmanager

import numpy as np

from ._checks import Interval, check_is_fitted, check_number
from .base import Model
from .metrics import counts_per_seed, distinct_small_ints
from .decoding import (DECODING_CONSTRAINTS, TEMPERATURE_RANGE, _tempered_log, check_temperature,  # noqa: F401
                       decode, penalize_repeats, truncate)

END = 0  # token id of '.', the start and end of every word
UNK = 1  # token id of a character the model never saw: only smoothing gives it probability

# ----------------------------------------------------------------------------------------------
# encoding words as integers, shared by both models


def _code_points(X):
    """(...) '<U' words -> (..., L) uint32 Unicode code points, 0 past the end of each word."""
    X = np.ascontiguousarray(X)
    width = max(X.dtype.itemsize // 4, 1)
    return X.view(np.uint32).reshape(*X.shape, width)


def _words(codes):
    """(..., L) uint32 code points -> (...) '<U{L}' words: the inverse of _code_points."""
    codes = np.ascontiguousarray(codes, dtype=np.uint32)
    return codes.view(f"<U{codes.shape[-1]}")[..., 0]


def _to_ids(codes, alphabet):
    """Code points -> token ids: 0 = end/padding, 1 = unknown character, 2.. = the alphabet (sorted)."""
    # a table indexed by code point, up to the alphabet's largest (a few hundred entries for
    # Latin letters): one look-up per character instead of a binary search and two passes
    table = np.full(int(alphabet.max(initial=0)) + 2, UNK, dtype=np.int64)
    table[alphabet] = np.arange(2, alphabet.size + 2)
    table[0] = END
    return table[np.minimum(codes, len(table) - 1)]  # any code point above the alphabet's: the last entry, UNK


def _windows(ids, size):
    """(K, L) token ids -> windows (K, L+1, size) and valid (K, L+1).

    Window t holds the `size` tokens before target t (start padded with '.'); the target at
    t = len(word) is the end token. Positions after the end are not valid.
    """
    K, L = ids.shape
    seq = np.zeros((K, size + L + 1), dtype=np.int64)
    seq[:, size : size + L] = ids  # the padding after each word is already 0 = END
    win = np.lib.stride_tricks.sliding_window_view(seq, size + 1, axis=1)  # (K, L+1, size+1)
    lengths = (ids != END).sum(axis=1)
    valid = np.arange(L + 1)[None, :] <= lengths[:, None]
    return win[..., :size], win[..., size], valid


def _distinct_words(X, mask, owner):
    """Validate training words and count them: -> (distinct words (K,), counts (seeds, K)).

    counts[s, k] is how often seed s saw word k (masked-out words count 0). Counting distinct
    words once is what makes fitting cheap: the work scales with the vocabulary, not the text.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "U" or X.size == 0:
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must be a non-empty (seeds, n) array of words "
            f"(numpy unicode strings). Got an array of shape {X.shape} and dtype {X.dtype} instead."
        )
    mask = np.ones(X.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if mask.shape != X.shape:
        raise ValueError(
            f"The 'mask' parameter of {owner}.fit must be a bool array of shape {X.shape}. "
            f"Got shape {mask.shape} instead."
        )
    uniq, counts = counts_per_seed(X, weights=mask)  # (K,), (seeds, K)
    empty = np.flatnonzero(counts.sum(axis=1) == 0)
    if empty.size:
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must hold at least one unmasked word for every seed. "
            f"Got none for seed {int(empty[0])} instead."
        )
    # letters only: no digits, spaces or punctuation (the empty word, which a model may sample, is allowed)
    bad = ~(np.char.isalpha(uniq) | (uniq == "")) & (counts.sum(axis=0) > 0)
    if bad.any():
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must contain alphabetic words only. "
            f"Got {str(uniq[bad][0])!r} instead."
        )
    return uniq, counts


def _categorical(p, rng):
    """One draw from each row of unnormalised probabilities p (m, V), all rows at once."""
    cdf = np.cumsum(p, axis=1)
    u = rng.random(len(p))[:, None] * cdf[:, -1:]
    return np.minimum((cdf <= u).sum(axis=1), p.shape[1] - 1)


def _check_scored(X, seeds, owner):
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "U" or X.shape[0] not in (1, seeds):
        raise ValueError(
            f"The 'X' parameter of {owner}.log_prob must be a ({seeds}, n) or (1, n) array of words. "
            f"Got an array of shape {X.shape} and dtype {X.dtype} instead."
        )
    return X


def _distinct(X):
    """The distinct words of X, sorted, and the index of each word of X among them: what
    np.unique(X, return_inverse=True) returns, without its sort when X is sorted and distinct
    already (a world's vocabulary in alphabetical order, which Words.measure scores)."""
    flat = X.ravel()
    if (flat[1:] > flat[:-1]).all():
        return flat, np.arange(flat.size)
    return np.unique(X, return_inverse=True)


def _gather(per_word, inv, shape):
    """Spread per-distinct-word scores (seeds, K) back to the words of X (seeds or 1, n)."""
    inv = inv.reshape(shape)
    if shape[0] == 1:  # every seed scored the same words: one index for all rows
        return per_word[:, inv[0]]
    return np.take_along_axis(per_word, inv, axis=1)


@contextmanager
def _one_torch_thread():
    """Run torch on one thread inside the block, then restore the setting.

    Our matrices are small (512 x 128). On 2 cores a second thread gained nothing (0.77 vs 0.79 s
    per fit) and, when the cores were busy with other work, its waiting made fits 2-3x slower.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _fit_alphabet(uniq, counts, teacher=None):
    """The code points the training words use -> alphabet_ (sorted) and itos_ (token id -> code point).

    When distilling, every character the teacher can write joins the alphabet, so none of its
    probability is lost to the unknown token.
    """
    alphabet = np.unique(_code_points(uniq)[counts.sum(axis=0) > 0])
    if teacher is not None:
        alphabet = np.union1d(alphabet, teacher.itos_)
    alphabet = alphabet[alphabet > 0].astype(np.uint32)
    itos = np.concatenate([[0, 0], alphabet]).astype(np.uint32)  # '.' and unknown write nothing
    return alphabet, itos


def _unique_rows(a, base):
    """Distinct rows of a (P, w) int array, sorted, and each row's index into them."""
    P, w = a.shape
    if w == 0:  # order 1: every position has the same (empty) context
        return a[:1], np.zeros(P, dtype=np.int64)
    if base**w <= min(max(8 * P, 2**16), 2**22):  # few possible rows (for so many): number them by counting, no sort
        key = a @ (base ** np.arange(w - 1, -1, -1, dtype=np.int64))
        distinct, inv = distinct_small_ints(key, base**w)
        digits = distinct[:, None] // base ** np.arange(w - 1, -1, -1, dtype=np.int64) % base
        return digits.astype(a.dtype), inv
    if base**w < 2**62:  # read each row as one base-`base` integer: a fast 1-D unique
        key = a @ (base ** np.arange(w - 1, -1, -1, dtype=np.int64))
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        return a[first], inv.ravel()
    rows, inv = np.unique(a, axis=0, return_inverse=True)
    return rows, inv.ravel()


def _table_sampler(weights):
    """Rows of unnormalised weights (R, V) -> a sampler draw(rows, rng) of one token per row.

    The rows' normalised cumulative sums are laid end to end, row r's in [r, r + 1], so one
    np.searchsorted draws every word's next token at once: no per-step cumsum over (words, V).
    A token of weight 0 is never drawn (searchsorted's right side skips zero-width steps).
    """
    R, V = weights.shape
    total = weights.sum(axis=1, keepdims=True)
    cdf = np.cumsum(weights / total, axis=1) + np.arange(R)[:, None]
    cdf[:, -1] = np.arange(1, R + 1)  # each row ends exactly at r + 1
    last = V - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)  # the last token a row can draw
    return functools.partial(_draw_from_table, cdf.ravel(), last)  # a partial, not a closure: it pickles


def _draw_from_table(flat, last, rows, rng):
    V = len(flat) // len(last)
    token = flat.searchsorted(rows + rng.random(len(rows)), side="right") - rows * V
    # rounding of r + u up to r + 1 (u within 2^-52·r of 1) would step into the next row
    if len(token) and token.max() >= V:  # rare: mend those only
        over = token >= V
        token[over] = last[rows[over]]
    return token


def _check_teacher(teacher, seeds, owner):
    if teacher is None:
        return
    if callable(getattr(teacher, "next_char_probs", None)):
        check_is_fitted(teacher, "itos_")
    if not callable(getattr(teacher, "next_char_probs", None)) or teacher.n_seeds_ not in (1, seeds):
        raise ValueError(
            f"The 'teacher' parameter of {owner}.fit must be None or a fitted NGramLM or NeuralLM with 1 or "
            f"{seeds} seeds. Got {teacher!r} instead."
        )


def _start_fit(model, X, mask, teacher, learned):
    """The first steps of both models' fit: count the words, check the teacher, decide whether
    this fit continues from the fitted state (warm_start, same seeds), and fix the alphabet
    (kept from the first fit when continuing). -> uniq (K,), counts (seeds, K), warm, alphabet, itos"""
    owner = type(model).__name__
    uniq, counts = _distinct_words(X, mask, owner)
    S = counts.shape[0]
    _check_teacher(teacher, S, owner)
    warm = model.warm_start and hasattr(model, learned) and model.n_seeds_ == S
    alphabet, itos = (model.alphabet_, model.itos_) if warm else _fit_alphabet(uniq, counts, teacher)
    return uniq, counts, warm, alphabet, itos


def _next_char_counts(uniq, counts, alphabet, size, teacher=None):
    """What followed each context in the training words, per seed: the statistics both models fit.

    uniq (K,) distinct words, counts (seeds, K) how often each seed saw each, size: context length.
    Returns contexts (R, size) token ids (sorted), and for every (seed, context) pair that occurs:
    pair_seed (N,), pair_context (N,) index into contexts, follow (N, V) next-character counts.

    Hard labels (teacher None): follow counts the characters that did follow. Soft labels: each
    occurrence of a context adds the teacher's whole next-character distribution there, i.e. the
    teacher's expected counts on the contexts of X (distillation, Hinton et al. 2015).
    """
    S, V = counts.shape[0], alphabet.size + 2
    width = size if teacher is None else max(size, teacher.context_size)
    codes = _code_points(uniq).astype(np.int64)
    win, target, valid = _windows(codes, width)  # in code points: 0 is '.' (start padding and end)
    k, t = np.nonzero(valid)
    win, target = win[k, t], target[k, t]  # (P, width) the characters before each position, (P,)
    weight = counts[:, k]  # (S, P) how often each seed saw each position
    if teacher is not None:
        # ask the teacher once per distinct window; a seed's occurrences of it weight the answer
        win, at = _unique_rows(win, int(win.max(initial=0)) + 1)
        U = len(win)
        weight = np.stack([np.bincount(at, weights=w, minlength=U) for w in weight])  # (S, U)
        soft = teacher.next_char_probs(win)  # (S or 1, U, V_teacher)
        remap = np.zeros((soft.shape[2], V))  # teacher token -> student token, through code points
        ids = _to_ids(teacher.itos_, alphabet)
        ids[UNK] = UNK
        remap[np.arange(soft.shape[2]), ids] = 1.0
        soft = soft @ remap  # (S or 1, U, V)
    contexts, row = _unique_rows(_to_ids(win[:, width - size :], alphabet), V)
    R = len(contexts)
    s, p = np.nonzero(weight)  # occurrences that count
    pairs, pair = distinct_small_ints(s * R + row[p], S * R)  # the (seed, context) pairs that occur, sorted
    if teacher is None:
        tgt = _to_ids(target, alphabet)[p]
        follow = np.bincount(pair * V + tgt, weights=weight[s, p], minlength=len(pairs) * V).reshape(-1, V)
    else:
        follow = np.zeros((len(pairs), V))
        np.add.at(follow, pair, weight[s, p, None] * soft[np.minimum(s, soft.shape[0] - 1), p])
    return contexts, pairs // R, pairs % R, follow


# ----------------------------------------------------------------------------------------------
# the n-gram model


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

    def _check_params(self):
        # kept for __main__.py, which still calls it; new code calls _validate_params()
        return self._validate_params()

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
        n = check_number(n, "n", "NGramLM.sample", low=0, integer=True)
        V = len(self.itos_)
        C = V ** (self.order - 1)  # number of possible contexts
        penalty = self.repetition_penalty
        if penalty == 1.0:  # decoding depends on the context only: decode each table row once
            draw = self._table_draw(temperature)
        else:  # temper the table once; a word's repeats are then divided by penalty^(1/T)
            log_tempered = _tempered_log(self._sampling_table(), temperature)
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


# ----------------------------------------------------------------------------------------------
# the neural model


class NeuralLM(Model):
    """A character MLP language model (Bengio et al. 2003, "A Neural Probabilistic Language Model").

    Each of the `context` previous characters is looked up in an embedding table, the embeddings
    are concatenated and passed through one tanh hidden layer to logits over the next character:

        x (B, context) -> C[x] (B, context, n_embd) -> tanh(· W1 + b1) (B, n_hidden) -> · W2 + b2 (B, V)

    This is makemore's MLP. Why not a GRU or a transformer: words are short (4.3 characters on
    average in running text), so a window of 5 characters already sees most of a word. With the
    defaults it reaches ~1.67 nats/char on held-out words (the order-3 n-gram: ~1.95) in about
    1 s per fit on one quiet CPU core; a recurrent net must step through characters one by one
    in training too, which costs time the course's targets did not need.

    All seeds are trained at once: every weight has a leading seed axis and the layers are
    batched matrix products, so S models cost one forward pass. Training rows are the distinct
    contexts, each with the distribution of the characters that followed it ("soft" targets);
    each seed draws its mini-batches in proportion to how often it saw each context -- the
    distribution of makemore's random batches over the full text, at lower variance, so the
    same held-out NLL takes about half the steps. `fit` reads as makemore does: encode the data
    (`_encode`), initialise the weights (`_init_params`), then a plain loop of `_train_step`.

    Parameters
    ----------
    context : int >= 1. Characters of context (makemore's block_size).
    n_embd, n_hidden : int >= 1. Embedding size per character; hidden units.
    steps : int >= 1. Adam steps per fit; the learning rate decays linearly from about lr to 2% of lr.
    batch_size : int >= 1. Contexts per step and seed.
    lr : float > 0. Adam's learning rate.
    top_k, top_p, repetition_penalty : decoding, as NGramLM (see `decode`, `penalize_repeats`).
    max_len : int >= 1. Sampled words stop after this many characters.
    seed : int. Seeds the weights' initialisation and the mini-batches, so fits are reproducible.
    device : None (CUDA if available, else CPU), or a torch device string ('cpu', 'cuda', 'cuda:1').
             The device used is the learned attribute `device_`. A GPU gives different numbers from
             a CPU for the same seed (other random streams and other floating-point kernels), so
             results are reproducible only on the same device.
    progress : bool. Show a tqdm progress bar while training.
    warm_start : bool. When True and already fitted (same number of seeds), `fit` continues from
             the fitted weights: `fine_tune_steps` Adam steps (a fresh optimiser) at `fine_tune_lr`,
             decaying as in a full fit; the alphabet of the first fit is kept, so a character it
             did not have is read as unknown.
    fine_tune_steps : int >= 1. fine_tune_lr : float > 0.

    fit(X, mask=None, teacher=None): with a fitted teacher (NeuralLM or NGramLM), each context's
    target is the teacher's next-character distribution there (cross-entropy to soft labels),
    weighted by how often the context occurs in X.

    Learned: alphabet_, itos_ (as NGramLM), params_ (dict of torch tensors with a seed axis),
    loss_ (mean training loss over the last 50 steps, nats per character, averaged over seeds),
    device_ (the torch device the weights live on, as a string).
    """

    kind = "words"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {
        **{name: [Interval(int, 1, None)] for name in ("context", "n_embd", "n_hidden", "steps", "batch_size",
                                                        "max_len", "fine_tune_steps")},
        "lr": [Interval(float, 0, None, closed="neither")],
        "fine_tune_lr": [Interval(float, 0, None, closed="neither")],
        **DECODING_CONSTRAINTS,
        "repetition_penalty": [Interval(float, 1, None)],
        "seed": [Interval(int, 0, None)],
        "device": [None, str],
        "progress": [bool],
        "warm_start": [bool],
    }

    def __init__(self, context=5, n_embd=16, n_hidden=128, steps=1000, batch_size=512, lr=2e-2,
                 top_k=None, max_len=20, seed=0, device=None, progress=False, top_p=None,
                 repetition_penalty=1.0, warm_start=False, fine_tune_steps=200, fine_tune_lr=5e-3):
        self.context = context
        self.n_embd = n_embd
        self.n_hidden = n_hidden
        self.steps = steps
        self.batch_size = batch_size
        self.lr = lr
        self.top_k = top_k
        self.max_len = max_len
        self.seed = seed
        self.device = device
        self.progress = progress
        self.top_p = top_p
        self.repetition_penalty = repetition_penalty
        self.warm_start = warm_start
        self.fine_tune_steps = fine_tune_steps
        self.fine_tune_lr = fine_tune_lr

    def _check_params(self):
        # kept for __main__.py, which still calls it; new code calls _validate_params()
        return self._validate_params()

    @property
    def context_size(self):
        """Characters of context the model reads."""
        return self.context

    def _device(self):
        """The device to train on: `device`, checked, or CUDA when there is one."""
        import torch

        if self.device is None:
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        try:
            dev = torch.device(self.device)
        except (RuntimeError, TypeError):
            raise ValueError(f"The 'device' parameter of NeuralLM must be None or a torch device such as 'cpu' or "
                             f"'cuda'. Got {self.device!r} instead.") from None
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"The 'device' parameter of NeuralLM must be None or 'cpu' on this machine, which has "
                             f"no CUDA GPU. Got {self.device!r} instead.")
        return dev

    def _forward(self, x):
        """x (S, B, context) token ids -> logits (S, B, V), each seed through its own weights."""
        import torch

        P = self.params_
        S = x.shape[0]
        emb = P["C"][torch.arange(S, device=x.device)[:, None, None], x]  # (S, B, context, n_embd)
        h = torch.tanh(torch.baddbmm(P["b1"], emb.flatten(2), P["W1"]))  # (S, B, n_hidden)
        return torch.baddbmm(P["b2"], h, P["W2"])  # (S, B, V)

    def _encode(self, uniq, counts, teacher, dev):
        """Training data as tensors: distinct contexts xs (R, context), how often each seed saw
        each, weights (S, R), and the distribution of what followed, targets (S, R, V).

        Many positions share a context ('.....' starts every word): each is kept once, its loss the
        mean over all its positions (a "soft" target) -- a third of the rows on real words.
        """
        import torch

        S, V = counts.shape[0], len(self.itos_)
        contexts, seed, row, follow = _next_char_counts(uniq, counts, self.alphabet_, self.context, teacher)
        dense = np.zeros((S, len(contexts), V))
        dense[seed, row] = follow  # (S, R, V) next-character counts of each context, per seed
        total = dense.sum(axis=2)
        weights = torch.as_tensor(total, dtype=torch.float32, device=dev)
        targets = torch.as_tensor(dense / np.maximum(total, 1e-300)[..., None], dtype=torch.float32, device=dev)
        return torch.as_tensor(contexts, device=dev), weights, targets

    def _init_params(self, S, V, gen, dev):
        """Embeddings N(0, 1); tanh layer scaled by 1/sqrt(fan_in); a small output layer so the
        first logits are near uniform (makemore's trick against a "hockey stick" loss)."""
        import torch

        fan_in = self.context * self.n_embd

        def randn(*shape, scale=1.0):
            return torch.randn(S, *shape, generator=gen, device=dev) * scale

        return {
            "C": randn(V, self.n_embd),
            "W1": randn(fan_in, self.n_hidden, scale=fan_in**-0.5),
            "b1": randn(1, self.n_hidden, scale=0.0),
            "W2": randn(self.n_hidden, V, scale=0.01),
            "b2": randn(1, V, scale=0.0),
        }

    def _train_step(self, opt, xs, weights, targets, gen):
        """One Adam step on a mini-batch per seed; returns the batch loss summed over seeds."""
        import torch
        import torch.nn.functional as F

        S = weights.shape[0]
        # mini-batch: each seed draws contexts in proportion to how often it saw them
        idx = torch.multinomial(weights, self.batch_size, replacement=True, generator=gen)  # (S, B)
        # a batch of 512 holds only ~290 distinct contexts ('.....' alone is ~95 of them):
        # compute each once and count its copies. Padding (to the seed with most) has 0 copies
        distinct = [torch.unique(i, return_counts=True) for i in idx]  # per seed: rows, copies
        U = max(len(u) for u, _ in distinct)
        rows = torch.stack([F.pad(u, (0, U - len(u))) for u, _ in distinct])  # (S, U)
        copies = torch.stack([F.pad(c, (0, U - len(c))) for _, c in distinct]).float()  # (S, U)
        logp = torch.log_softmax(self._forward(xs[rows]), dim=-1)  # (S, U, V)
        # cross-entropy with the soft target, averaged over the batch; summing the seeds'
        # losses keeps their gradients independent (each seed's weights see only its own)
        seed_ix = torch.arange(S, device=xs.device)[:, None]
        loss = -((targets[seed_ix, rows] * logp).sum(dim=-1) * copies).sum() / self.batch_size
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    @_one_torch_thread()
    def fit(self, X, mask=None, teacher=None):
        """Train one MLP per seed on the words X (seeds, n), weighted by mask (seeds, n)."""
        import torch

        self._validate_params()
        dev = self._device()
        uniq, counts, warm, self.alphabet_, self.itos_ = _start_fit(self, X, mask, teacher, "params_")
        S = counts.shape[0]

        # 1. encode the data once; 2. initialise the weights (or keep them: fine-tuning)
        xs, weights, targets = self._encode(uniq, counts, teacher, dev)
        gen = torch.Generator(device=dev).manual_seed(self.seed)
        if warm:
            self.params_ = {name: p.to(dev) for name, p in self.params_.items()}
            steps, lr = self.fine_tune_steps, self.fine_tune_lr
        else:
            self.params_ = self._init_params(S, len(self.itos_), gen, dev)
            steps, lr = self.steps, self.lr
        for p in self.params_.values():
            p.requires_grad_(True)

        # 3. train: Adam with a linear decay, 1.02·lr at the first step, 0.02·lr after the last
        opt = torch.optim.Adam(self.params_.values(), lr=lr)
        losses = []
        loop = range(steps)
        if self.progress:
            from tqdm.auto import tqdm

            loop = tqdm(loop, desc="NeuralLM.fit", leave=False)
        for step in loop:
            for group in opt.param_groups:
                group["lr"] = lr * (1 - step / steps + 0.02)
            loss = self._train_step(opt, xs, weights, targets, gen)
            if step >= steps - 50:  # report the loss at the end of training (item() syncs, so only there)
                losses.append(loss.item() / S)  # nats per character, with soft targets
        self.loss_ = float(np.mean(losses))
        for p in self.params_.values():
            p.requires_grad_(False)
        self.n_seeds_ = S
        self.device_ = str(dev)
        return self

    def _logprobs(self, x, chunk=32768):
        """x (S, P, context) token ids -> (S, P, V) log-probabilities, in chunks to bound memory."""
        import torch

        with torch.no_grad():
            parts = [torch.log_softmax(self._forward(x[:, i : i + chunk]), dim=-1) for i in range(0, x.shape[1], chunk)]
        return torch.cat(parts, dim=1) if parts else torch.zeros(x.shape[0], 0, len(self.itos_))

    @_one_torch_thread()
    def next_char_probs(self, windows):
        """(U, w) code points before a position ('.' = 0 pads the start), w >= context ->
        (seeds, U, V) next-character probabilities under each seed's model (a teacher's answer)."""
        import torch

        check_is_fitted(self, "alphabet_")
        windows = np.asarray(windows)
        ids = _to_ids(windows[:, windows.shape[1] - self.context :], self.alphabet_)
        x = torch.as_tensor(ids, device=self.device_).expand(self.n_seeds_, -1, -1)  # (S, U, context)
        return self._logprobs(x).exp().cpu().double().numpy()

    @_one_torch_thread()
    def log_prob(self, X):
        """(seeds, n) words -> (seeds, n) natural-log probability of each word, end token included."""
        import torch

        check_is_fitted(self, "alphabet_")
        X = _check_scored(X, self.n_seeds_, "NeuralLM")
        uniq, inv = _distinct(X)  # score each distinct word once
        ctx, tgt, valid = _windows(_to_ids(_code_points(uniq), self.alphabet_), self.context)
        k, t = np.nonzero(valid)
        x = torch.as_tensor(ctx[k, t], device=self.device_).expand(self.n_seeds_, -1, -1)  # (S, P, context)
        lp = self._logprobs(x)  # (S, P, V)
        lp = lp.gather(2, torch.as_tensor(tgt[k, t], device=lp.device).expand(self.n_seeds_, -1)[..., None])[..., 0]
        per_word = np.zeros((self.n_seeds_, len(uniq)))
        np.add.at(per_word, (slice(None), k), lp.cpu().double().numpy())  # sum each word's characters
        return _gather(per_word, inv, X.shape)

    @_one_torch_thread()
    def sample(self, n, rng, temperature=1.0):
        """Generate n words per seed -> (seeds, n), all words one character position at a time."""
        import torch

        check_is_fitted(self, "alphabet_")
        temperature = check_temperature(temperature, "NeuralLM.sample")
        n = check_number(n, "n", "NeuralLM.sample", low=0, integer=True)
        S, dev = self.n_seeds_, self.device_
        context = np.zeros((S, n, self.context), dtype=np.int64)  # every word starts after '.' padding
        out = np.zeros((S, n, self.max_len), dtype=np.uint32)  # code points written so far
        written = np.zeros((S, n, self.max_len), dtype=np.int64)  # ... and their token ids
        alive = np.ones((S, n), dtype=bool)
        seed_ix = np.arange(S)[:, None]
        for t in range(self.max_len):
            # the net wants a rectangular (S, A) batch: per seed, its live words first, A = the most
            # live words any seed has. Most words end within 8 characters, so this saves ~3/4 of the work
            A = alive.sum(axis=1).max()
            if A == 0:
                break
            words = np.argsort(~alive, axis=1, kind="stable")[:, :A]  # (S, A) word indices
            live = alive[seed_ix, words]  # (S, A) False where a seed has fewer live words
            with torch.no_grad():
                logits = self._forward(torch.as_tensor(context[seed_ix, words], device=dev))  # (S, A, V)
                p = torch.softmax(logits, dim=-1)[torch.as_tensor(live, device=dev)].double().cpu().numpy()
            s, i = np.nonzero(live)
            i = words[s, i]  # back to word indices
            p[:, UNK] = 0.0  # never write a character the model cannot name
            p = penalize_repeats(p, written[s, i, :t], self.repetition_penalty)
            nxt = _categorical(decode(p, temperature, self.top_k, self.top_p), rng)  # (live,)
            out[s, i, t] = self.itos_[nxt]
            written[s, i, t] = nxt
            alive[s, i] = nxt != END
            context[s, i] = np.concatenate([context[s, i, 1:], nxt[:, None]], axis=1)  # slide the window
        return _words(out).reshape(S, n)
