"""The resource guard: refuse a run that would not fit in memory, or in time, before it starts.

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

Time is guarded the same way (`estimate_time`, `check_time`, `time_limit`): a run's seconds are a
sum of parts, each a product of arguments times seconds per item, measured by
benchmarks/time_guard.py (best of 3 on the course's 2-core machine) and multiplied by SAFETY.
A gate's refill may draw up to max_draws × its target; both estimates count those draws.
Budgets: 5 minutes by default (COLLAPSE_LAB_MAX_MINUTES, CLI: --max-minutes), 1 minute inside an
explorer (`with guard.limits(minutes=EXPLORER_MINUTES): ...`).
"""
import contextlib
import contextvars
import functools
import math
import os
from dataclasses import dataclass, field

from .base import check_params
from .checks import parse_number, validate_params

DEFAULT_LIMIT_MB = 1500  # leaves room for the kernel, the notebook server and plots inside 2 GB
ENV_VAR = "COLLAPSE_LAB_MEMORY_MB"
MAX_MB = 10**9                 # a petabyte: beyond any machine, and an int() that never overflows

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
REFILL_PER_DRAW = {            # a refill batch: the drawn samples, the gate's mask and work, the compacted copy
    "gaussian": 36, "mixture1": 60, "mixture2": 110, "categorical": 56, "words": 200,
}

def memory_limit():
    """The memory budget in bytes (environment variable COLLAPSE_LAB_MEMORY_MB, in megabytes)."""
    raw = os.environ.get(ENV_VAR)
    if not raw:
        return DEFAULT_LIMIT_MB * 2**20
    try:
        mb = parse_number(raw, ENV_VAR, "the environment")  # ASCII digits: not '１５００' or '1_500'
    except ValueError:
        mb = float("nan")
    if not (math.isfinite(mb) and 0 < mb <= MAX_MB):  # 1e308 MB would overflow int() below
        raise ValueError(f"The environment variable {ENV_VAR} must be a number of megabytes in the range "
                         f"(0, {MAX_MB:g}]. Got {raw!r} instead.")
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


def _checked_run(func):
    """The guard's public functions take simulate's arguments: they are checked by simulate's declared
    rules first (loop.SIMULATE_CONSTRAINTS), so `check(samples=nan)` is refused in the course's template,
    naming the parameter, rather than failing inside int()."""
    @functools.wraps(func)
    def checked(world, model, **run):
        from .loop import SIMULATE_CONSTRAINTS  # loop imports this module

        run.update(validate_params(run, SIMULATE_CONSTRAINTS, f"guard.{func.__name__}"))
        return func(world, model, **run)

    return checked


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












@_checked_run
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
    # a gate that refills may draw up to max_draws × the synthetic target in one batch (a gate that
    # passes almost nothing): that batch is the worst case, so it is what is counted
    refill_draws = _refill_draws(gate, refill, max_draws, real_fraction, teacher_samples or n) if gate is not None else 0
    if options:
        biggest = max(options, key=lambda e: e.bytes)
        for p in biggest.parts:
            est.add(p.what, p.bytes, **p.drivers)
        if refill_draws:
            est.add("refill draws", REFILL_PER_DRAW["words"] * S * refill_draws, samples=n, seeds=S, max_draws=max_draws)
        return est

    per_sample = WORK_PER_SAMPLE.get(kind, 100)
    est.add("samples", per_sample * S * n, samples=n, seeds=S)
    if refill_draws:
        est.add("refill draws", REFILL_PER_DRAW.get(kind, 100) * S * refill_draws, samples=n, seeds=S,
                max_draws=max_draws)
    item = 16 if kind == "mixture2" else 8
    if K:
        est.add("snapshots", item * K * S * n, samples=n, seeds=S, snapshots=K)
    if mode in ("accumulate", "accumulate-subsample"):
        est.add("accumulated pool", POOL_PER_SAMPLE.get(kind, 40) * (G + 1) * S * n,
                samples=n, seeds=S, generations=G)
    if kind == "categorical":
        # the larger of the two: a model of 10**9 categories fitted on a world of 1000 allocates 10**9 per seed
        categories = max(getattr(world, "n_categories", None) or 0, getattr(model, "n_categories", None) or 0) or 2000
        est.add("category tables", CATEGORY_BYTES * S * categories, seeds=S, categories=categories)
    return est


def _refill_draws(gate, refill, max_draws, real_fraction, target):
    """Samples one seed may draw in a refill batch: (max_draws - 1) × the synthetic target (0 without
    refill), or fewer for a gate that declares the least share it passes (training_sets._gated sizes
    its batches by the last acceptance, plus 15%)."""
    if gate is None or not refill:
        return 0
    synthetic = target - int(round(float(real_fraction) * target))
    batches = max(_int(max_draws, 50) - 1, 0)
    share = getattr(gate, "min_acceptance", None)
    if share:
        batches = min(batches, 1.15 / share)
    return batches * synthetic


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


@_checked_run
def check(world, model, *, limit=None, minutes=None, **run):
    """Raise MemoryBudgetError (a ValueError) if the run described by `run` would exceed `limit`,
    TimeBudgetError (a ValueError) if it would take longer than `minutes`.

    `run` takes simulate's arguments (samples, seeds, generations, snapshots, mode,
    teacher_samples, student, exact, gate, refill, max_draws, ...). `limit` is in bytes (None:
    memory_limit()), `minutes` in minutes (None: time_limit()). Returns the memory Estimate when the run fits.
    """
    est = _check_memory(world, model, limit=limit, **run)
    check_time(world, model, minutes=minutes, **run)
    return est


def _check_memory(world, model, *, limit=None, **run):
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
    search finds the edge; returns 0 when even the least value (1; 2 for samples) does not fit,
    `high` when everything up to it does.
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

    low = 2 if parameter in ("samples", "teacher_samples") else 1  # simulate's least (a sample of 1 has no spread)
    if not fits(low):
        return 0
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return low


# ---------------------------------------------------------------------------------------------
# time: the same idea in seconds (constants measured by benchmarks/time_guard.py)
# ---------------------------------------------------------------------------------------------

TIME_ENV_VAR = "COLLAPSE_LAB_MAX_MINUTES"
DEFAULT_MINUTES = 5            # a notebook cell or a command that runs longer is a mistake, not a lesson
EXPLORER_MINUTES = 1           # a slider's run: a learner waits for it
SAFETY = 1.5                   # the constants are best-of-3 on one machine; a busier one is slower

# seconds per item, measured; the comments say what an item is
SECONDS_PER_GENERATION = {     # the loop's own overhead and the world's measure, per generation
    "gaussian": 350e-6, "mixture1": 2.5e-3, "mixture2": 2.5e-3, "categorical": 660e-6, "words": 28e-3,
}
SECONDS_PER_SAMPLE = {         # fit, sample and measure, per seed·sample and generation (EM apart, below)
    "gaussian": 35e-9, "mixture1": 400e-9, "mixture2": 400e-9, "categorical": 61e-9, "words": 3.1e-6,
}
SECONDS_PER_DRAW = {           # a refill draw: sampled and gated, per seed·sample
    "gaussian": 12e-9, "mixture1": 200e-9, "mixture2": 300e-9, "categorical": 47e-9, "words": 3e-6,
}
EM_SECONDS = 55e-9             # MixtureModel's EM: per seed·sample, component and iteration (max_iter counted)
EXACT_SECONDS_PER_GENERATION = 215e-6   # the exact Gaussian path: per generation ...
EXACT_SECONDS_PER_SEED = 260e-9         # ... and per seed and generation
NEURAL_SECONDS_PER_MAC = 1e-10          # NeuralLM: per multiply-add of a training step (forward + backward: ×3)
NEURAL_SECONDS_PER_STEP = 1e-3          # NeuralLM: per training step, the Python and torch overhead
JSON_SECONDS_PER_NUMBER = 0.7e-6        # the CLI's --json: per number written

_minutes_override = contextvars.ContextVar("collapse_lab_minutes", default=None)


def time_limit():
    """The time budget in seconds: limits(minutes=...) if set, else COLLAPSE_LAB_MAX_MINUTES, else 5 minutes."""
    override = _minutes_override.get()
    if override is not None:
        return override * 60.0
    raw = os.environ.get(TIME_ENV_VAR)
    if not raw:
        return DEFAULT_MINUTES * 60.0
    try:
        minutes = parse_number(raw, TIME_ENV_VAR, "the environment")  # ASCII digits: not '１５００' or '1_500'
    except ValueError:
        minutes = float("nan")
    if not (math.isfinite(minutes) and 0 < minutes <= 10**6):
        raise ValueError(f"The environment variable {TIME_ENV_VAR} must be a number of minutes in the range "
                         f"(0, 1e+06]. Got {raw!r} instead.")
    return minutes * 60.0


@contextlib.contextmanager
def limits(minutes=None):
    """Run a block under a time budget in minutes (an explorer: `with limits(minutes=EXPLORER_MINUTES)`)."""
    token = _minutes_override.set(minutes)
    try:
        yield
    finally:
        _minutes_override.reset(token)


# Stop, heard inside a generation: an explorer's Stop button sets an event; a long step (a neural fit's
# Adam steps) checks it and raises Stopped, which simulate turns into "the generations run so far".
_stop_event = contextvars.ContextVar("collapse_lab_stop", default=None)


class Stopped(Exception):
    """A run was asked to stop (an explorer's Stop) in the middle of a generation."""


@contextlib.contextmanager
def stop_on(event):
    """Within the block, long steps check `event` (a threading.Event) and raise Stopped once it is set."""
    token = _stop_event.set(event)
    try:
        yield
    finally:
        _stop_event.reset(token)


def check_stop():
    """Raise Stopped if the block's stop event is set (see stop_on); nothing outside such a block."""
    event = _stop_event.get()
    if event is not None and event.is_set():
        raise Stopped("the run was asked to stop")


class TimeBudgetError(ValueError):
    """A run the guard refused for time. `estimate` and `limit` are in seconds; `parameters` drive the estimate."""

    def __init__(self, message, estimate, limit, parameters):
        super().__init__(message)
        self.estimate, self.limit, self.parameters = estimate, limit, parameters


def duration(seconds):
    """Seconds in words a learner reads: 'about 40 minutes', '3 hours', '2 days'."""
    for unit, scale in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * scale:
            value = seconds / scale
            return f"{number(value) if value >= 1e6 else f'{value:.0f}'} {unit}"
    return f"{seconds:.0f} seconds"


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _fit_seconds(model, kind, S, n):
    """Seconds of one generation's fit on n samples per seed, for the models whose fit is not linear in n."""
    if type(model).__name__ == "MixtureModel":
        K, iters = _int(model.n_components, 2), _int(model.max_iter, 100)
        return EM_SECONDS * S * n * K * iters, dict(samples=n, seeds=S, n_components=K, max_iter=iters)
    if type(model).__name__ == "NeuralLM":
        V = 60  # an alphabet of English words and a minority language's letters; a Chinese mix has more
        e, h, c = _int(model.n_embd, 16), _int(model.n_hidden, 128), _int(model.context, 5)
        B, steps = _int(model.batch_size, 512), _int(model.steps, 1000)
        macs = 3 * S * B * (c * e * h + h * V)
        return steps * (NEURAL_SECONDS_PER_STEP + macs * NEURAL_SECONDS_PER_MAC), dict(steps=steps, batch_size=B,
                                                                                      n_embd=e, n_hidden=h)
    return 0.0, {}


@_checked_run
def estimate_time(world, model, *, samples=100, seeds=1, generations=10, mode="replace", teacher_samples=None,
                  student=None, exact=False, real_fraction=0.0, gate=None, refill=True, max_draws=50, json=False,
                  **unused):
    """Estimate a run's seconds from simulate's arguments (SAFETY included). Returns an Estimate whose
    `.bytes` holds seconds (the same class as memory's: parts, each with the arguments it grows with)."""
    S, n, G = _int(seeds, 1), _int(samples, 100), _int(generations, 10)
    n_train = _int(teacher_samples, n) if teacher_samples else n
    kind = _kind(world, model)
    est = Estimate()
    if json:  # every metric of every seed and generation, written as text
        est.add("JSON output", SAFETY * JSON_SECONDS_PER_NUMBER * _metric_count(kind, world) * S * (G + 1),
                generations=G, seeds=S)
    if exact:
        est.add("exact path", SAFETY * (G + 1) * (EXACT_SECONDS_PER_GENERATION + EXACT_SECONDS_PER_SEED * S),
                generations=G, seeds=S)
        return est
    est.add("generations", SAFETY * (G + 1) * SECONDS_PER_GENERATION.get(kind, 1e-3), generations=G)
    train = {"teacher_samples": n_train} if n_train > n else {"samples": n}  # the argument a refusal names
    est.add("samples", SAFETY * (G + 1) * SECONDS_PER_SAMPLE.get(kind, 1e-6) * S * max(n, n_train),
            generations=G, **train, seeds=S)
    # accumulate: the training set grows by n each generation, so the fits cost G²/2 generations' worth
    pool = (G + 2) / 2 if mode == "accumulate" else 1
    for learner in (model, student) if student is not None else (model,):
        seconds, drivers = _fit_seconds(learner, kind, S, n_train * pool)
        if seconds:
            est.add(f"fitting {type(learner).__name__}", SAFETY * (G + 1) * seconds, generations=G, **drivers)
    if pool > 1:
        est.add("accumulated pool", SAFETY * (G + 1) * pool * SECONDS_PER_SAMPLE.get(kind, 1e-6) * S * n,
                generations=G, samples=n, seeds=S)
    draws = _refill_draws(gate, refill, max_draws, real_fraction, n_train)
    if draws:
        est.add("refill draws", SAFETY * G * SECONDS_PER_DRAW.get(kind, 1e-6) * S * draws,
                generations=G, samples=n, seeds=S, max_draws=_int(max_draws, 50))
    return est


@_checked_run
def check_time(world, model, *, minutes=None, **run):
    """Raise TimeBudgetError (a ValueError) if the run would take longer than the budget (minutes,
    None: time_limit()). Returns the Estimate (seconds in `.bytes`) when it fits."""
    limit = time_limit() if minutes is None else minutes * 60.0
    est = estimate_time(world, model, **run)
    if est.bytes > limit:
        part = est.largest
        names = [name for name in part.drivers if name not in ("n_embd", "n_hidden")] or list(part.drivers)
        raise TimeBudgetError(
            f"{' × '.join(part.drivers)} = {number(math.prod(float(v) for v in part.drivers.values()))} takes "
            f"about {duration(est.bytes)} ({part.what}); the limit is {duration(limit)} — lower {_lower(names)}, "
            f"or raise the limit with the environment variable {TIME_ENV_VAR} (in minutes)",
            est.bytes, limit, tuple(names))
    return est


def check_cost(owner, seconds, nbytes, drivers, *, limit=None, minutes=None):
    """For a model's fit or sample called directly (no simulate around it): refuse a call whose
    estimated seconds or bytes exceed the budgets, naming the parameters that drive them."""
    names = list(drivers)
    product = " × ".join(f"{k}" for k in names) + f" = {number(math.prod(float(v) for v in drivers.values()))}"
    limit = memory_limit() if limit is None else limit
    if nbytes > limit:
        raise MemoryBudgetError(f"{owner}: {product} needs about {size(nbytes)} of memory; the limit is "
                                f"{size(limit)} — lower {_lower(names)}, or raise the limit with the environment "
                                f"variable {ENV_VAR} (in MB)", nbytes, limit, tuple(names))
    budget = time_limit() if minutes is None else minutes * 60.0
    if seconds > budget:
        raise TimeBudgetError(f"{owner}: {product} takes about {duration(seconds)}; the limit is {duration(budget)} "
                              f"— lower {_lower(names)}, or raise the limit with the environment variable "
                              f"{TIME_ENV_VAR} (in minutes)", seconds, budget, tuple(names))


def check_sample(owner, seeds, n, bytes_per_sample):
    """A model's sample(n) called directly: n checked, and seeds × n × bytes within the memory budget."""
    from .checks import check_number

    n = check_number(n, "n", owner, low=0, integer=True)
    check_cost(owner, 0.0, float(seeds) * n * bytes_per_sample, {"n": n, "seeds": seeds})
    return n
