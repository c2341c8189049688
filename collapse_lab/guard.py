"""The resource guard: refuse a run that would not fit in memory, before it starts.

A learner who types 1000000 into a box should get a sentence, not a dead kernel. So before a
run starts, `check` estimates its peak memory from simulate's arguments and refuses it, with a
ValueError that names the parameters that drive the estimate, the estimate and the limit:

    samples × seeds = 2 × 10⁸ needs about 19 GB; the limit is 1.5 GB — lower samples or seeds,
    or raise the limit with the environment variable COLLAPSE_LAB_MEMORY_MB (CLI: --memory-mb)

Interface (the loop, the CLI and the explorers call these; the estimates live here only):

    estimate(world, model, *, samples, seeds, generations, snapshots, mode, ...) -> Estimate
    check(world, model, *, limit=None, **same)      raises MemoryBudgetError (a ValueError) when
                                                    the estimate exceeds the limit
    memory_limit()                                  the budget in bytes: COLLAPSE_LAB_MEMORY_MB, else a
                                                    default that is safe inside a 2 GB Binder session

How the estimate is made. A run's memory is a sum of parts, each a product of arguments times
bytes per item: the metrics table (seeds × generations), the samples of one generation and the
work arrays fitting and sampling them (samples × seeds), the pool that accumulate keeps
(samples × seeds × generations), the snapshots kept for plots, and tables whose size is set by
the world or the model (an n-gram's contexts × alphabet, a categorical's seeds × categories, the
words world's vocabulary scored by every seed's model). The bytes per item were measured
(peak resident memory of a subprocess, minus its peak after the imports; tests/test_guard.py
re-measures them and checks the estimate stays within a factor of 2). Each part is an upper
envelope of its phase: the parts are added, although the phases run one after the other, so
the estimate errs on the side of refusing.
"""
import functools
import math
import os
import weakref
from dataclasses import dataclass, field

import numpy as np

from .base import check_params

DEFAULT_LIMIT_MB = 1500  # leaves room for the kernel, the notebook server and plots inside 2 GB
ENV_VAR = "COLLAPSE_LAB_MEMORY_MB"

# bytes per item, measured (see the module docstring); the comments say what an item is
EXACT_PER_SEED = 220           # the exact Gaussian path: the (count, mean, m2) work arrays, per seed
METRIC_BYTES = 8               # one float per metric, seed and generation
WORK_PER_SAMPLE = {            # one generation on samples: data, gate masks, fit and sample work arrays
    "gaussian": 75, "mixture1": 210, "mixture2": 340, "categorical": 45,
}
POOL_PER_SAMPLE = {            # accumulate: each kept sample, its mask, the joined copy and the fit's work
    "gaussian": 42, "mixture1": 150, "mixture2": 260, "categorical": 40,
}
CATEGORY_BYTES = 48            # categorical: the (seeds, categories) tables of fit and measure
VOCAB_BYTES_PER_POSITION = 32  # words: scoring every world word under each seed's model, per character position
NGRAM_TABLE_COPIES = 4         # n-gram: counts, probabilities and two temporaries of (rows, alphabet) floats
NGRAM_KEY_BYTES = 14           # n-gram fit: context keys of each distinct word's positions, per seed
NGRAM_SAMPLE_BYTES = 26        # n-gram sample: next-character probabilities (words, alphabet) and their sums
NEURAL_PER_WORD = 1600         # neural sample: embeddings, hidden layer and probabilities of each live word
NEURAL_PER_SEED = 80 * 2**20   # neural: scoring the vocabulary and the training contexts, per seed
NEURAL_CONTEXT_BYTES = 12      # neural fit: soft targets (seeds, contexts, alphabet) in float64 + float32
PLOT_PER_SAMPLE = 60           # a figure of the samples (CLI --plot): every seed's snapshot drawn and binned
MAX_KEY = 2**63                # n-gram contexts are numbered with int64 keys

def memory_limit():
    """The memory budget in bytes (environment variable COLLAPSE_LAB_MEMORY_MB, in megabytes)."""
    raw = os.environ.get(ENV_VAR)
    if not raw:
        return DEFAULT_LIMIT_MB * 2**20
    try:
        mb = float(raw)
    except ValueError:
        mb = float("nan")
    if not (math.isfinite(mb) and mb > 0):
        raise ValueError(f"The environment variable {ENV_VAR} must be a number of megabytes > 0. Got {raw!r} instead.")
    return int(mb * 2**20)


@dataclass
class Part:
    """One term of the estimate: `bytes` grows with the product of `drivers` ({name: value})."""

    what: str
    bytes: float
    drivers: dict


@dataclass
class Estimate:
    """A run's estimated peak memory (bytes above the imports) and the parts it is made of."""

    bytes: float = 0.0
    parts: list = field(default_factory=list)

    def add(self, what, nbytes, **drivers):
        self.parts.append(Part(what, float(nbytes), drivers))
        self.bytes += float(nbytes)

    @property
    def largest(self):
        return max(self.parts, key=lambda p: p.bytes)


class MemoryBudgetError(ValueError):
    """A run the guard refused. `estimate` and `limit` are in bytes; `parameters` drive the estimate."""

    def __init__(self, message, estimate, limit, parameters):
        super().__init__(message)
        self.estimate, self.limit, self.parameters = estimate, limit, parameters


def size(nbytes):
    """Bytes in words a learner reads: '3.2 GB', '180 MB'."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if nbytes >= scale:
            value = nbytes / scale
            return f"{value:.2g} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{nbytes:.0f} bytes"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def number(x):
    """A count in words a learner reads: 20,000 or 2 × 10⁸ (powers of ten beyond a million)."""
    if x < 1e6:
        return f"{int(x):,}"
    exponent = int(math.floor(math.log10(x)))
    mantissa = x / 10**exponent
    power = f"10{str(exponent).translate(_SUPERSCRIPT)}"
    return power if round(mantissa, 1) == 1 else f"{mantissa:.1f}".rstrip("0").rstrip(".") + f" × {power}"


# ---------------------------------------------------------------------------------------------
# what a world and a model are, for the estimate
# ---------------------------------------------------------------------------------------------

def _kind(world, model):
    """'gaussian', 'mixture1', 'mixture2', 'categorical', 'ngram', 'neural' (or the world's kind)."""
    kind = getattr(world, "kind", None)
    if kind == "mixture":
        try:
            return "mixture2" if world.dim == 2 else "mixture1"
        except Exception:  # a mixture we cannot read: assume the larger
            return "mixture2"
    if kind == "words":
        return "neural" if hasattr(model, "n_hidden") else "ngram"
    return kind


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


def _distinct_words(n):
    """Distinct words among n generated words of one seed: measured 0.6n at n = 3,000, 0.45n at
    20,000 and 0.3n at 200,000 (an order-3 n-gram of English); n^0.9 follows these within 20%."""
    return min(float(n), 1.3 * float(n) ** 0.9)


def _integer(value, default):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def estimate(world, model, *, samples=100, seeds=1, generations=10, snapshots=11, mode="replace",
             teacher_samples=None, student=None, exact=False, real_fraction=0.0, gate=None, refill=True,
             max_draws=50, real_source="fresh", fine_tune=None, distill="hard", temperature=1.0,
             plot=False, **unused):
    """Estimate a run's peak memory, in bytes above the imports, from simulate's arguments.

    Returns an Estimate: `.bytes` and `.parts` (what each part is, its bytes, and the arguments it
    grows with). Arguments that cost no memory are accepted and ignored, so a caller can pass
    simulate's arguments unchanged. plot=True adds the cost of drawing the samples' figure.
    """
    # the models' own rules first: an order of 10**20 is a bad order, not a large estimate
    for learner in (model, student):
        if learner is not None:
            check_params(learner)
    S, n, G = int(seeds), int(samples), int(generations)
    K = min(G + 1, int(snapshots)) if snapshots else 0
    kind = _kind(world, model)
    est = Estimate()
    if plot and K:
        est.add("plotted samples", PLOT_PER_SAMPLE * S * n, samples=n, seeds=S)

    # the metrics table: one float per metric, seed and generation (on every path)
    est.add("metrics", METRIC_BYTES * _metric_count(kind, world) * S * (G + 1), seeds=S, generations=G)

    if exact:
        # the exact Gaussian path: O(1) per seed and generation; its plot samples are drawn lazily
        est.add("exact path", EXACT_PER_SEED * S, seeds=S)
        return est

    if kind in ("ngram", "neural"):
        # a distillation chain fits the student from generation 1 on: count whichever costs more
        options = []
        for learner in (model, student) if student is not None else (model,):
            part = Estimate()
            _words_parts(part, world, learner, _kind(world, learner), S, n, G, K, mode, student, teacher_samples)
            options.append(part)
        biggest = max(options, key=lambda e: e.bytes)
        for p in biggest.parts:
            est.add(p.what, p.bytes, **p.drivers)
        return est

    per_sample = WORK_PER_SAMPLE.get(kind, 100)
    # a gate that refills draws more batches, sized by its acceptance: a quarter more is counted
    # (acceptance about 0.8); a far more selective gate draws bigger batches than this allows for
    batches = 1.25 if gate is not None and refill else 1
    est.add("samples", batches * per_sample * S * n, samples=n, seeds=S)
    item = 16 if kind == "mixture2" else 8
    if K:
        est.add("snapshots", item * K * S * n, samples=n, seeds=S, snapshots=K)
    if mode in ("accumulate", "accumulate-subsample"):
        est.add("accumulated pool", POOL_PER_SAMPLE.get(kind, 40) * (G + 1) * S * n,
                samples=n, seeds=S, generations=G)
    if kind == "categorical":
        categories = getattr(world, "n_categories", None) or getattr(model, "n_categories", None) or 2000
        est.add("category tables", CATEGORY_BYTES * S * categories, seeds=S, categories=categories)
    return est


def _metric_count(kind, world):
    # a generous count of each world's metrics, plus acceptance when a gate is set
    return {"gaussian": 6, "mixture1": 10, "mixture2": 5, "categorical": 6}.get(kind, 18)


@functools.lru_cache(maxsize=1)
def _english():
    from .words import Words

    return Words()


def _words_parts(est, world, model, kind, S, n, G, K, mode, student, teacher_samples):
    """The words world with an n-gram or neural model (the student, if any, counts as the model)."""
    if not (hasattr(world, "words_") and hasattr(world, "probs_")):
        world = _english()  # a world of words we cannot read (e.g. a wrapper): judged as English words
    mean_positions, world_positions = _positions(world)
    max_len = _integer(getattr(model, "max_len", 20), 20)
    generated_positions = max_len + 1
    item = 4 * max(max_len, world_positions)            # one '<U..' word
    n_train = max(n, _integer(teacher_samples, n)) if student is not None else n
    # a model's alphabet is the characters its training words use, plus '.' and the unknown slot
    V = round(_expected_distinct(world, n_train, 1)) + 2

    # scoring the whole vocabulary under every seed's model, once per generation (Words.measure)
    if kind == "neural":
        est.add("neural vocabulary and contexts", NEURAL_PER_SEED * S, seeds=S)
    else:
        est.add("vocabulary scores", VOCAB_BYTES_PER_POSITION * S * len(world.words_) * world_positions, seeds=S)

    # the generated words, their snapshots, and (accumulate) the pool of every generation's words
    est.add("samples", item * S * n_train, samples=n_train, seeds=S)
    if K:
        est.add("snapshots", item * K * S * n, samples=n, seeds=S, snapshots=K)
    if mode in ("accumulate", "accumulate-subsample"):
        est.add("accumulated pool", 2 * (item + 1) * (G + 1) * S * n, samples=n, seeds=S, generations=G)

    if kind == "neural":
        contexts = min(float(V) ** _integer(getattr(model, "context", 5), 5), n_train * mean_positions)
        est.add("neural soft targets", NEURAL_CONTEXT_BYTES * S * contexts * V, seeds=S, samples=n_train)
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
    est.add("n-gram context keys", NGRAM_KEY_BYTES * S * S * _distinct_words(n_train) * generated_positions,
            samples=n_train, seeds=S)
    est.add("n-gram sampling", NGRAM_SAMPLE_BYTES * S * n * V, samples=n, seeds=S, alphabet=V)


def _drivers_text(part):
    """'samples × seeds = 2 × 10⁸' and the arguments a learner can lower (not the world's alphabet)."""
    if part.what == "n-gram table":
        d = part.drivers
        return f"order {d['order']} with an alphabet of {d['alphabet']:,} characters and {d['seeds']} seed(s)", \
            ["order", "seeds"]
    names = list(part.drivers)
    product = math.prod(float(v) for v in part.drivers.values())
    return f"{' × '.join(names)} = {number(product)}", [n for n in names if n != "alphabet"]


def _lower(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check(world, model, *, limit=None, **run):
    """Raise MemoryBudgetError (a ValueError) if the run described by `run` would exceed `limit`.

    `run` takes simulate's arguments (samples, seeds, generations, snapshots, mode,
    teacher_samples, student, exact, ...). `limit` is in bytes (None: memory_limit()).
    Returns the Estimate when the run fits.
    """
    limit = memory_limit() if limit is None else limit
    est = estimate(world, model, **run)
    if est.bytes > limit:
        part = est.largest
        drivers, names = _drivers_text(part)
        raise MemoryBudgetError(
            f"{drivers} needs about {size(est.bytes)} of memory ({part.what}); the limit is {size(limit)} — "
            f"lower {_lower(names)}, or raise the limit with the environment variable {ENV_VAR} (in MB)",
            est.bytes, limit, tuple(names))
    return est


def largest(world, model, parameter, *, limit=None, high=10**9, **run):
    """The largest value of one integer argument (e.g. 'samples') that fits the budget, the others fixed.

    For an explorer's number box: `max=guard.largest(world, model, "samples", seeds=20, ...)` bounds
    the box where the guard would refuse. The estimate grows with every argument, so a binary
    search finds the edge; returns 0 when even 1 does not fit, `high` when everything up to it does.
    """
    if parameter not in ("samples", "seeds", "generations", "snapshots", "teacher_samples"):
        raise ValueError(f"The 'parameter' parameter of largest must be one of 'samples', 'seeds', 'generations', "
                         f"'snapshots', 'teacher_samples'. Got {parameter!r} instead.")
    limit = memory_limit() if limit is None else limit

    def fits(value):
        try:
            return estimate(world, model, **{**run, parameter: value}).bytes <= limit
        except MemoryBudgetError:  # e.g. an n-gram order beyond what the keys can number
            return False

    if not fits(1):
        return 0
    low = 1
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return low
