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
import math
import weakref
from contextlib import contextmanager

import numpy as np

from ..engine.checks import check_is_fitted
from ..engine.guard import MemoryBudgetError
from ..engine.metrics import counts_per_seed, distinct_small_ints

END = 0  # token id of '.', the start and end of every word


UNK = 1  # token id of a character the model never saw: only smoothing gives it probability


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


# ---------------------------------------------------------------------------------------------
# what a language model's run costs in memory: the guard's parts for NGramLM and NeuralLM
# (engine/guard.py adds them through Model.memory_parts; the bytes per item were measured,
# tests/test_guard.py re-measures them)
# ---------------------------------------------------------------------------------------------

VOCAB_BYTES_PER_POSITION = 32  # words: scoring every world word under each seed's model, per character position


NGRAM_TABLE_COPIES = 4         # n-gram: counts, probabilities and two temporaries of (rows, alphabet) floats


NGRAM_KEY_BYTES = 14           # n-gram fit: context keys of each distinct word's positions, per seed


NGRAM_SAMPLE_BYTES = 26        # n-gram sample: next-character probabilities (words, alphabet) and their sums


NEURAL_PER_WORD = 1600         # neural sample: embeddings, hidden layer and probabilities of each live word


NEURAL_PER_SEED = 80 * 2**20   # neural: scoring the vocabulary and the training contexts, per seed


NEURAL_CONTEXT_BYTES = 12      # neural fit: soft targets (seeds, contexts, alphabet) in float64 + float32


MAX_KEY = 2**63                # n-gram contexts are numbered with int64 keys


def _expected_distinct(world, n, width):
    """Expected distinct characters (width 1) or (width)-character contexts among n real words.

    A context c appears in a sample of n words with probability 1 − (1 − p_c)^n, where p_c is the
    total probability of the world's words that contain it; the expectation is the sum of these.
    The n-gram's alphabet is the characters its training words use, so this, not the world's whole
    alphabet, sets an n-gram's V (a Chinese mix has 3,400 characters; 3,000 words use a few hundred).
    """
    cache = _CONTEXT_CACHE.setdefault(world, {})
    if width not in cache:
        codes = np.ascontiguousarray(world.words_).view(np.uint32).reshape(len(world.words_), -1).astype(np.int64)
        codes = np.concatenate([np.zeros((len(codes), width - 1), np.int64), codes], axis=1)  # '.' padding
        windows = np.lib.stride_tricks.sliding_window_view(codes, width, axis=1)
        # one integer per context (a polynomial hash; int64 wrap-around is harmless for counting)
        context = windows @ (np.int64(1_114_112) ** np.arange(width, dtype=np.int64))
        word, pos = np.nonzero(np.arange(context.shape[1])[None, :] < np.char.str_len(world.words_)[:, None])
        _, ids = np.unique(context[word, pos], return_inverse=True)
        pairs = np.sort(ids * len(codes) + word)
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # each (context, word) once
        cache[width] = np.bincount(pairs // len(codes), weights=world.probs_[pairs % len(codes)])
    p_context = cache[width]
    return float((-np.expm1(n * np.log1p(-np.minimum(p_context, 1 - 1e-12)))).sum())


_CONTEXT_CACHE = weakref.WeakKeyDictionary()  # world -> {width: p_context}


def _positions(world):
    """Mean characters per world word, plus the end token; and the widest word plus one."""
    length = np.char.str_len(world.words_)
    return float(length.mean()) + 1, int(length.max()) + 1


def _distinct_generated(n):
    """Distinct words among n generated words of one seed: measured 0.6n at n = 3,000, 0.45n at
    20,000 and 0.3n at 200,000 (an order-3 n-gram of English); n^0.9 follows these within 20%."""
    return min(float(n), 1.3 * float(n) ** 0.9)


def _integer(value, default):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _english():
    from .words import words_world

    return words_world()


def lm_memory_parts(est, world, model, kind, run):
    """The words world with an n-gram or neural model (kind), added to the guard's Estimate `est`.
    run: simulate's arguments as the guard read them (seeds S, samples n, generations G, snapshots K, ...)."""
    S, n, G, K = run["seeds"], run["samples"], run["generations"], run["snapshots"]
    mode, student, teacher_samples = run["mode"], run["student"], run["teacher_samples"]
    if not (hasattr(world, "words_") and hasattr(world, "probs_")):
        world = _english()  # a world of words we cannot read (e.g. a wrapper): judged as English words
    mean_positions, world_positions = _positions(world)
    max_len = _integer(getattr(model, "max_len", 20), 20)
    generated_positions = max_len + 1
    item = 4 * max(max_len, world_positions)            # one '<U..' word
    n_train = max(n, _integer(teacher_samples, n)) if student is not None else n
    # the training sets' size, by the argument that sets it: a refusal names --teacher-samples when it is that
    train = {"teacher_samples" if n_train > n else "samples": n_train}
    # a model's alphabet is the characters its training words use, plus '.' and the unknown slot
    V = round(_expected_distinct(world, n_train, 1)) + 2

    # scoring the whole vocabulary under every seed's model, once per generation (Words.measure)
    if kind == "neural":
        est.add("neural vocabulary and contexts", NEURAL_PER_SEED * S, seeds=S)
    else:
        est.add("vocabulary scores", VOCAB_BYTES_PER_POSITION * S * len(world.words_) * world_positions, seeds=S)

    # the generated words, their snapshots, and (accumulate) the pool of every generation's words
    est.add("samples", item * S * n_train, **train, seeds=S)
    if K:
        est.add("snapshots", item * K * S * n, samples=n, seeds=S, snapshots=K)
    if mode in ("accumulate", "accumulate-subsample"):
        est.add("accumulated pool", 2 * (item + 1) * (G + 1) * S * n, samples=n, seeds=S, generations=G)

    if kind == "neural":
        contexts = min(float(V) ** _integer(getattr(model, "context", 5), 5), n_train * mean_positions)
        est.add("neural soft targets", NEURAL_CONTEXT_BYTES * S * contexts * V, seeds=S, **train)
        est.add("neural sampling", NEURAL_PER_WORD * S * n, samples=n, seeds=S)
        return

    order = _integer(getattr(model, "order", 3), 3)
    # every seed's contexts are numbered seed·V^(order-1) + context in int64: they must fit
    if order * math.log(V) + math.log(S) >= math.log(MAX_KEY):
        highest = max(1, int(math.log(MAX_KEY / S, V)))   # S · V^order < 2^63
        raise MemoryBudgetError(
            f"The 'order' parameter of NGramLM must be at most {highest} for an alphabet of {V:,} characters "
            f"and {S} seed(s): an order of {order} makes {V:,}^{order - 1} possible contexts, "
            f"more than 64-bit integers can number. Lower order or seeds.", float("inf"), None, ("order", "seeds"))
    # table rows: the contexts of real words, plus the new ones that smoothing spreads over later
    # generations -- with a large alphabet (a Chinese mix) most of a context's mass is smoothing,
    # the samples are near-random strings and almost every position opens a new context
    possible = float(V) ** max(order - 1, 0)
    real_rows = _expected_distinct(world, n_train, order - 1) if order > 1 else 1.0
    smoothing = float(getattr(model, "smoothing", 0.1) or 0.0) * V
    per_context = n_train * mean_positions / max(real_rows, 1.0)     # counts behind an average context
    novelty = smoothing / (smoothing + per_context)
    rows = min(possible, real_rows + novelty * n_train * generated_positions)
    est.add("n-gram table", NGRAM_TABLE_COPIES * 8 * S * rows * V, order=order, alphabet=V, seeds=S)
    # the fit counts each distinct word once, but numbers its positions under every seed: seeds² × n
    est.add("n-gram context keys", NGRAM_KEY_BYTES * S * S * _distinct_generated(n_train) * generated_positions,
            **train, seeds=S)
    est.add("n-gram sampling", NGRAM_SAMPLE_BYTES * S * n * V, samples=n, seeds=S, alphabet=V)
