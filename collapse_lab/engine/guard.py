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
import math
import os
from dataclasses import dataclass, field

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
PLOT_PER_SAMPLE = 60           # a figure of the samples (CLI --plot): every seed's snapshot drawn and binned

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
    """'gaussian', 'mixture1', 'mixture2', 'categorical' or 'words' (the world's kind; a mixture by dimension)."""
    kind = getattr(world, "kind", None)
    if kind == "mixture":
        try:
            return "mixture2" if world.dim == 2 else "mixture1"
        except Exception:  # a mixture we cannot read: assume the larger
            return "mixture2"
    return kind












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

    # a model that knows its own costs (the language models: Model.memory_parts) adds its parts;
    # in a distillation chain the student fits from generation 1 on: count whichever costs more
    run = dict(seeds=S, samples=n, generations=G, snapshots=K, mode=mode, student=student,
               teacher_samples=teacher_samples)
    options = []
    for learner in (model, student) if student is not None else (model,):
        part = Estimate()
        if getattr(learner, "memory_parts", None) is not None and learner.memory_parts(part, world, run):
            options.append(part)
    if options:
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
