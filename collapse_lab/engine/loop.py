"""The one loop every experiment in the course runs: a model trained on its own outputs.

    real data ──► train set ──► fit ──► sample (temperature) ──► gate (+ refill) ──┐
                     ▲                                                              │
                     └── real_fraction of real data (fresh, or one fixed set), ◄────┘
                         plus replace: the newest data only / accumulate: all data so far /
                         accumulate-subsample: a fixed-size sample of all data so far

Generation 0 is fitted on real data only. `mode="replace"` is the setting of Shumailov et al.
(2024), where the tails vanish; `mode="accumulate"` keeps every generation's data, which bounds
the damage (Gerstgrasser et al. 2024 for linear regression; Kazdan et al. 2024 for Gaussians and
kernel density estimates); `mode="accumulate-subsample"` keeps the data but trains each
generation on a fixed-size subset of it (Kazdan et al. 2024, "Collapse or Thrive?").
"""
import copy
import inspect
import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import guard
from .base import clone
from .cache import stored
from .checks import Interval, Options, check_array, check_rng, validate_args
from .decoding import TEMPERATURE_RANGE
from .exact import _DrawnWhenRead, _generations_exact
from .metrics import spread
from .training_sets import _concat, _first_batch, _gated, _subsample

MODES = ("replace", "accumulate", "accumulate-subsample")
REAL_SOURCES = ("fresh", "fixed")
FINE_TUNES = (None, "previous", "first")
DISTILLS = ("hard", "soft")

# simulate's rules for its arguments, declared once (scikit-learn's @validate_params); the
# world, the models and how they fit together are checked by _check_world_and_models.
SIMULATE_CONSTRAINTS = {
    "generations": [Interval(int, 1, None)],
    "samples": [Interval(int, 2, None)],
    "real_fraction": [Interval(float, 0, 1)],
    "mode": [Options(*MODES)],
    "real_source": [Options(*REAL_SOURCES)],
    "gate": [None, callable],
    "refill": [bool],
    "max_draws": [Interval(int, 1, None)],
    "temperature": [Interval(float, *TEMPERATURE_RANGE)],  # the models' own range (decoding.py)
    "seeds": [Interval(int, 1, None)],
    "teacher_samples": [None, Interval(int, 2, None)],
    "distill": [Options(*DISTILLS)],
    "fine_tune": [Options(*FINE_TUNES)],
    "exact": [Options("auto", True, False)],
    "snapshots": [Interval(int, 0, None)],
    "progress": [bool],
    "callback": [None, callable],
}


@dataclass(frozen=True)
class LoopSettings:
    """Everything a run needs besides the world and the models, checked once by simulate
    (makemore's ModelConfig): the loop reads `settings.samples`, never a loose argument."""

    generations: int
    samples: int            # generation 0's training set: real data only
    teacher_samples: int    # each training set from generation 1 on
    real_fraction: float
    mode: str
    real_source: str
    gate: object
    refill: bool
    max_draws: int
    temperature: float
    seeds: int
    fine_tune: object
    distill: str

    @property
    def n_real(self):
        """Real samples in each training set from generation 1 on."""
        return int(round(self.real_fraction * self.teacher_samples))

    @property
    def n_synthetic(self):
        """Synthetic samples in each training set from generation 1 on."""
        return self.teacher_samples - self.n_real


@dataclass
class History:
    """What one `simulate` call produced.

    metrics[name]   : array (seeds, generations + 1), NaN where a seed had already stopped.
                      With a gate, metrics["acceptance"][:, g] is the share of the samples drawn
                      to build generation g's training set that passed the gate (passed / drawn):
                      what filtering costs. It is 1 at generation 0, which trains on real data
                      that no gate filters.
    snapshots[g]    : the samples generation g produced (seeds, n, ...) for a few generations.
                      On the exact Gaussian path they are drawn when read (from the fitted
                      model, always the same numbers), so a run holds O(seeds) for them.
    stopped[s]      : None, or why seed s stopped early (e.g. a gate rejected every sample)
    model0, model   : the fitted models of generation 0 and of the last generation
    """

    config: dict
    metrics: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)
    stopped: list = field(default_factory=list)
    model0: object = None
    model: object = None

    @property
    def generations(self):
        """The last generation recorded (after it, a seed that stopped early shows NaN)."""
        return next(iter(self.metrics.values())).shape[1] - 1 if self.metrics else -1

    def __getitem__(self, name):
        return self.metrics[name]

    def median(self, name, relative=False):
        """Per-generation median over the seeds still running, shape (generations + 1,).
        With relative=True, of each seed's values as a share of its generation 0."""
        return median_over_seeds(self.relative(name) if relative else self.metrics[name])

    def relative(self, name):
        """Each seed's values as a share of its own generation 0 (NaN where that was 0)."""
        values = self.metrics[name]
        start = values[:, :1]
        return np.divide(values, start, out=np.full(values.shape, np.nan), where=start != 0)

    def final(self, name):
        """Each seed's value at the last generation, shape (seeds,)."""
        return self.metrics[name][:, -1]

    def to_dict(self):
        """Plain Python, JSON-ready: NaN and ±Infinity become None (they are not JSON)."""
        def clean(a):
            a = np.asarray(a, float)
            return np.where(np.isfinite(a), a.astype(object), None).tolist()

        return {
            "config": self.config,
            "metrics": {name: clean(v) for name, v in self.metrics.items()},
            "stopped": self.stopped,
        }






def median_over_seeds(values):
    """Median of each column of (seeds, generations) values, ignoring NaN (stopped seeds), no warnings."""
    values = check_array(values, "values", "median_over_seeds", ndim=2, finite=False).astype(float)
    counted = ~np.isnan(values)
    filled = np.where(counted, values, np.inf)  # sort NaNs to the end, then take the middle
    k = counted.sum(axis=0)
    srt = np.sort(filled, axis=0)
    lo = np.take_along_axis(srt, np.maximum((k - 1) // 2, 0)[None], axis=0)[0]
    hi = np.take_along_axis(srt, np.maximum(k // 2, 0)[None], axis=0)[0]
    return np.where(k > 0, (lo + hi) / 2, np.nan)




def _snapshot_generations(generations, count=11):
    """Which generations keep their samples for plotting: about `count`, evenly spread."""
    return set(spread(generations, count))


def _can_run_exact(world, model, student, settings):
    """The exact path (exact.py) applies when the world and model declare sufficient statistics and
    nothing looks at individual samples."""
    s = settings
    return (s.gate is None and s.mode != "accumulate-subsample" and student is None and s.fine_tune is None
            and s.distill == "hard" and s.teacher_samples == s.samples
            and getattr(world, "sufficient_stats", False) and getattr(model, "sufficient_stats", False))


def _check_world_and_models(world, model, student):
    """A world, and models (or a student) that fit the kind of data it makes."""
    if not all(callable(getattr(world, m, None)) for m in ("sample", "measure")):
        raise ValueError("The 'world' parameter of simulate must be a world (e.g. Gaussian(), Mixture.one_d(), "
                         f"Categorical.words(), Words()). Got {world!r} instead.")
    for name, m in (("model", model), ("student", student)):
        if m is None and name == "student":
            continue
        if not all(callable(getattr(m, a, None)) for a in ("fit", "sample", "log_prob", "get_params")):
            raise ValueError(f"The '{name}' parameter of simulate must be {'None or ' if name == 'student' else ''}"
                             f"a model with fit, sample, log_prob and get_params. Got {m!r} instead.")
        world_kind, model_kind = getattr(world, "kind", None), getattr(m, "kind", None)
        if world_kind is not None and model_kind is not None and world_kind != model_kind:
            raise ValueError(f"The '{name}' parameter of simulate must fit the world's data: world "
                             f"{type(world).__name__} makes {world_kind!r} data, but {name} "
                             f"{type(m).__name__} fits {model_kind!r} data. Got {m!r} instead.")


def _check_levers(world, model, student, settings, exact):
    """The levers that only make sense together (fine-tuning needs warm_start, soft labels a teacher,
    the exact path a Gaussian); returns whether the run takes the exact path."""
    learner = model if student is None else student  # the model fitted from generation 1 on
    if settings.fine_tune is not None and "warm_start" not in learner.get_params():
        raise ValueError(f"The 'fine_tune' parameter of simulate needs a model with a 'warm_start' parameter; "
                         f"{type(learner).__name__} has none. Got fine_tune={settings.fine_tune!r} instead.")
    if settings.fine_tune == "first" and student is not None:
        raise ValueError("The 'fine_tune' parameter of simulate cannot be 'first' in a distillation chain "
                         "(the generation-0 teacher is not a student to fine-tune). Got 'first' with a student.")
    if settings.distill == "soft" and "teacher" not in inspect.signature(learner.fit).parameters:
        raise ValueError(f"The 'distill' parameter of simulate can be 'soft' only for a model whose fit takes a "
                         f"'teacher'; {type(learner).__name__}.fit does not. Got 'soft' instead.")
    exact_ok = _can_run_exact(world, model, student, settings)
    if exact is True and not exact_ok:
        raise ValueError("The 'exact' parameter of simulate can be True only for a Gaussian world and model with no "
                         "gate, no student, no fine-tuning, soft distillation or teacher_samples, and a mode other than "
                         f"'accumulate-subsample'. Got world {type(world).__name__}, model {type(model).__name__}, "
                         f"gate {settings.gate!r}, mode {settings.mode!r}.")
    return exact is True or (exact == "auto" and exact_ok)


def _config(settings, world, model, student, seed, exact):
    """The run's settings as plain values, for History.config (and the CLI's JSON)."""
    return dict(world=repr(world), kind=getattr(world, "kind", None), model=repr(model), student=repr(student) if student else None,
                generations=settings.generations, samples=settings.samples, real_fraction=settings.real_fraction,
                mode=settings.mode, real_source=settings.real_source,
                gate=repr(settings.gate) if settings.gate else None, refill=settings.refill,
                max_draws=settings.max_draws, temperature=settings.temperature, seeds=settings.seeds,
                seed=seed if isinstance(seed, int) else None, teacher_samples=settings.teacher_samples,
                distill=settings.distill, fine_tune=settings.fine_tune, exact=exact)


class Watcher:
    """A callback that only watches a run: an explorer's progress bar, live redraws and Stop button.

    What the run computes does not depend on it, so a store may answer the run without calling it
    (the explorer then draws the whole run at once), and a run it watched to the end may be stored.
    Any other callback is the learner's own: its run is always computed, and it is called every
    generation."""

    def __init__(self, func):
        self.func = func

    def __call__(self, history, generation):
        return self.func(history, generation)


def _unshareable(arguments):
    """A run the shared store must not answer: unseeded (a new run each call), or with a callback
    whose calls the caller waits for (anything but a Watcher)."""
    callback = arguments["callback"]
    return arguments["seed"] is None or (callback is not None and not isinstance(callback, Watcher))


def _unwatched(arguments):
    """The store's key of a run: a Watcher changes nothing computed, so the run is the one without it."""
    if isinstance(arguments["callback"], Watcher):
        arguments["callback"] = None
    return arguments


def _whole(arguments, history):
    """Only a whole run is stored: not one its Watcher (Stop) or the time limit ended early."""
    return history.generations == arguments["generations"]


@validate_args(SIMULATE_CONSTRAINTS)
@stored(skip=_unshareable, keyed=_unwatched, keep=_whole)
def simulate(world, model, *, generations=10, samples=100, real_fraction=0.0, mode="replace",
             real_source="fresh", gate=None, refill=True, max_draws=50, temperature=1.0, seeds=1,
             seed=None, student=None, teacher_samples=None, distill="hard", fine_tune=None,
             exact="auto", snapshots=11, progress=False, callback=None):
    """Train `model` on its own samples for `generations` generations, for `seeds` runs at once.

    Conventions (stated once, here):
    - Generation 0 is already a fit to real data: it is the model before any synthetic data. So
      generation g has been through g + 1 sampling steps (g of its own data, one of real data);
      compare with a paper's formula for "after k generations" accordingly.
    - Temperature T samples from p^(1/T), renormalised: below 1 it favours likely samples. For a
      Gaussian this is N(μ, T·σ²): σ scales by √T. A mixture (MixtureModel) uses the course's own
      convention instead: weights w^(1/T), renormalised, and covariances T·Σ, which is not p^(1/T)
      of the mixture's density (notebook 03 compares the two).
    - Sizes are those of the training set *after* gating: with refill (the default) a gated
      generation draws until the synthetic part is full, so real_fraction is a share of what is
      trained on.

    Parameters
    ----------
    world : the true distribution (Gaussian, Mixture, Categorical, Words)
    model : an unfitted model with the interface of base.Model; it is cloned, not modified.
            Its `kind` must match the world's.
    generations : generations after generation 0 (≥ 1)
    samples : size of each generation's training set (≥ 2); generation 0 trains on this many real samples
    real_fraction : share of each training set that is real data, in [0, 1]
    mode : 'replace' (train on the newest data only), 'accumulate' (on all data so far), or
           'accumulate-subsample' (the pool of all data so far grows; each generation trains on
           `samples` of it drawn without replacement -- a fixed-size subset, Kazdan et al. 2024).
           It needs samples, so it runs on the sample path, never the exact Gaussian one.
    real_source : 'fresh' (new real data every generation) or 'fixed' (one real set, the first
           real_fraction·samples real samples of generation 0, reused every generation:
           Alemohammad et al.'s synthetic-augmentation loop, where collapse is only delayed)
    gate : None or a gate (see gates.py), applied to the model's samples before they are trained on
    refill : with a gate, draw more samples in batches until every seed has `samples` minus the real
           part that pass (True, default), or train on whatever passed (False: the training set
           shrinks, "the filter starves the model")
    max_draws : int ≥ 1. Under refill each seed may draw at most max_draws × its synthetic target;
           a seed that cannot fill its training set within that stops, with the reason in `stopped`.
    temperature : in [0.001, 1000] (decoding.TEMPERATURE_RANGE); sampling from p^(1/T)
    seeds : independent runs, side by side
    seed : None, an int or a numpy Generator; the same seed gives the same History. It also drives
           every random choice of a gate (an imperfect Verifier's coins) and of subsampling.
    student : None, or a model that replaces `model` from generation 1 on: `model` is then the
              teacher fitted on real data, and each generation distils a fresh student from
              the previous generation's samples (a distillation chain)
    teacher_samples : None (= samples) or int ≥ 2: the size of each training set from generation 1
              on, i.e. how many samples each student (or each generation) learns from its teacher
    distill : 'hard' (learn from the sampled data) or 'soft' (also pass the previous generation's
              model: `fit(X, mask, teacher=previous)`, so the learner matches the teacher's
              probabilities on the contexts of X; the model must accept `teacher`)
    fine_tune : None (every generation fits from scratch), 'previous' (each generation continues
              from the previous generation's fitted state: the loop sets `warm_start = True` after
              the first fit), or 'first' (before each generation's fit, restore the generation-0
              model and fine-tune it on the previous generation's data). 'first' is the course's
              version of Shumailov et al. (2024)'s language-model setting, where a pretrained
              OPT-125m is fine-tuned on the previous generation's text; here the generation-0 fit
              to real data stands in for the pretrained model. The model needs a `warm_start`
              parameter.
    exact : 'auto' uses the exact sufficient-statistics path when the world and model allow it
            (Gaussian, no gate, no student, no fine-tuning, not accumulate-subsample): identical
            in distribution, O(1) per seed per generation
    snapshots : how many generations (evenly spread, first and last included) keep their samples.
            On the exact path they cost O(seeds) and are drawn when read (see History).
    progress : bool, show a progress bar
    callback : None, or called as callback(history, generation) after every generation; returning
               False stops the run (dashboards use this to redraw and to stop). A run with a
               callback is always computed, except under a Watcher (a callback that only watches:
               the shared store may then answer it, without calling it)
    """
    # --- check everything before doing anything (the decorator has checked each argument) ---
    _check_world_and_models(world, model, student)
    teacher_samples = samples if teacher_samples is None else teacher_samples
    settings = LoopSettings(generations=generations, samples=samples, teacher_samples=teacher_samples,
                            real_fraction=real_fraction, mode=mode, real_source=real_source, gate=gate,
                            refill=bool(refill), max_draws=max_draws, temperature=temperature, seeds=seeds,
                            fine_tune=fine_tune, distill=distill)
    if real_source == "fixed" and settings.n_real == 0:  # a setting that would do nothing: say so
        raise ValueError(f"The 'real_source' parameter of simulate can be 'fixed' only with real samples to fix: "
                         f"real_fraction × samples = {real_fraction:g} × {teacher_samples} rounds to 0. Raise "
                         f"real_fraction to at least {1 / teacher_samples:.2g}, or use real_source='fresh'. "
                         f"Got 'fixed' instead.")
    if real_fraction > 0 and settings.n_real == 0:        # fresh, but no real sample at this size: say so
        warnings.warn(f"simulate: real_fraction × samples = {real_fraction:g} × {teacher_samples} rounds to 0 real "
                      f"samples, so this run has no real data; raise real_fraction to at least "
                      f"{1 / teacher_samples:.2g} for one real sample a generation.", stacklevel=2)
    use_exact = _check_levers(world, model, student, settings, exact)
    guard.check(world, model, samples=samples, seeds=seeds, generations=generations, snapshots=snapshots,
                mode=mode, teacher_samples=teacher_samples, student=student, exact=use_exact, gate=gate,
                refill=refill, max_draws=max_draws, real_fraction=real_fraction)
    rng = check_rng(seed)
    config = _config(settings, world, model, student, seed, use_exact)
    history = History(config=config, stopped=[None] * seeds)
    keep_snapshots = _snapshot_generations(generations, snapshots) if snapshots else set()
    model = clone(model)

    steps = range(generations + 1)
    if progress:
        from tqdm.auto import tqdm
        steps = tqdm(steps, desc="generations")

    if use_exact:
        # the exact path draws no samples; the plots' samples come from child streams of the run's
        # generator, so they differ between seeds without disturbing the run itself
        snapshot_seeds = rng.bit_generator.seed_seq.spawn(1)[0]
        history.snapshots = _DrawnWhenRead(samples, temperature)
        run = _generations_exact(world, model, settings, rng, history)
    else:
        run = _generations(world, model, student, settings, rng, history)

    overflowed = np.zeros(seeds, bool)
    for g in steps:
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below, in words
                measured, output, alive = next(run)
        except guard.Stopped:   # Stop pressed inside a generation: keep the generations run so far
            if g == 0:
                raise           # nothing run yet: the caller says so
            history.metrics = {name: v[:, :g] for name, v in history.metrics.items()}
            break
        if g == 0:
            history.metrics = {name: np.full((seeds, generations + 1), np.nan) for name in measured}
        if g == 0 and hasattr(history.model, "device_"):
            config["device"] = str(history.model.device_)  # a GPU's numbers differ from a CPU's
        _note_overflow(world, measured, alive & ~overflowed, g, history, overflowed, settings)
        alive = alive & ~overflowed
        for name, values in measured.items():
            history.metrics[name][:, g] = np.where(alive, values, np.nan)
        if g in keep_snapshots:
            if output is None:  # the exact path: keep the fitted model's parameters, sample when read
                history.snapshots.keep(g, history.model, snapshot_seeds.spawn(1)[0])
            else:
                history.snapshots[g] = output
        if callback is not None and callback(history, g) is False:
            history.metrics = {name: v[:, : g + 1] for name, v in history.metrics.items()}
            break
        if not alive.any():
            break
    if overflowed.any():  # once per run, naming the first generation that overflowed
        first = min(int(why.split(":")[0].split()[1]) for why in history.stopped if why and "overflowed" in why)
        warnings.warn(f"simulate: the numbers of {overflowed.sum()} of {seeds} seed(s) overflowed, the first at "
                      f"generation {first} (temperature {temperature:g}); those seeds stop there, as "
                      f"History.stopped says.", RuntimeWarning, stacklevel=3)
    return history


def _note_overflow(world, measured, alive, g, history, overflowed, settings):
    """Numbers (a Gaussian's or a mixture's) that stopped being finite: the seed stops there, with a
    reason in `stopped` and a warning naming the generation, instead of returning inf or null silently.
    (Other worlds can have an honest inf: a held-out NLL under a model with no smoothing.)"""
    if getattr(world, "kind", None) not in ("gaussian", "mixture"):
        return
    bad = np.zeros_like(alive)
    for values in measured.values():
        bad |= ~np.isfinite(np.asarray(values, float))
    new = alive & bad
    if not new.any():
        return
    for s in np.flatnonzero(new):
        history.stopped[s] = (f"generation {g}: the numbers overflowed (no longer finite); temperature "
                              f"{settings.temperature:g} multiplies the spread each generation")
    overflowed |= new












def _learner(g, model, student, settings, history):
    """The model generation g (≥ 1) fits: a fresh student in a distillation chain, generation 0's model
    to fine-tune ('first'), a copy that keeps the teacher as it was (soft labels), or the same model."""
    if student is not None and (settings.fine_tune is None or g == 1):
        model = clone(student)
    elif settings.fine_tune == "first":
        model = copy.deepcopy(history.model0)
    elif settings.distill == "soft":
        model = copy.deepcopy(model) if settings.fine_tune else clone(model)  # the teacher stays as it was
    if settings.fine_tune is not None and (student is None or g > 1):
        model.warm_start = True
    return model


def _generations(world, model, student, settings, rng, history):
    """The loop on real samples (settings: the run's LoopSettings). Yields (metrics, samples, alive) once per generation."""
    seeds, samples, n_real, n_synthetic = settings.seeds, settings.samples, settings.n_real, settings.n_synthetic
    alive = np.ones(seeds, bool)
    real = world.sample((seeds, samples), rng)   # generation 0: real data only
    # a fixed real set: the first n_real of generation 0's real samples, reused every generation
    fixed_real = real[:, :n_real] if n_real <= samples else np.concatenate(
        [real, world.sample((seeds, n_real - samples), rng)], axis=1)
    pool = [(real, np.ones(real.shape[:2], bool))]   # each generation's training data, newest last
    acceptance = None
    for g in itertools.count():
        # 1. build the training set: the newest data (replace), all of it (accumulate), or a
        #    fixed-size sample of all of it (accumulate-subsample)
        if settings.mode == "replace" or g == 0:
            X, mask = pool[-1]
        elif settings.mode == "accumulate":
            X, mask = _concat(pool)
        else:
            X, mask = _subsample(*_concat(pool), n_real + n_synthetic, rng)
        # a seed with nothing left to learn from stops; it keeps its last data so fits stay defined
        empty = alive & ~mask.any(axis=1)
        for s in np.flatnonzero(empty):
            history.stopped[s] = f"generation {g}: the gate rejected every sample, nothing left to train on"
        alive &= ~empty
        mask = mask | ~alive[:, None]

        # 2. fit one model per seed: from scratch, or fine-tuned (Shumailov et al.'s setting is
        #    'first'); in a distillation chain a fresh student from generation 1 on
        teacher = history.model
        if g > 0:
            model = _learner(g, model, student, settings, history)
        if settings.distill == "soft" and g > 0:
            model.fit(X, mask, teacher=teacher)
        else:
            model.fit(X, mask)
        history.model = model
        if g == 0:
            history.model0 = copy.deepcopy(model)  # frozen: later generations are compared with it

        # 3. sample: the model's output, which the next generation will learn from
        output = model.sample(samples, rng, settings.temperature)

        # 4. measure the model, and its output, against the real world
        measured = world.measure(model, output, history.model0)
        if settings.gate is not None:
            measured["acceptance"] = np.ones(seeds) if acceptance is None else acceptance
        yield measured, output, alive.copy()

        # 5. gate the synthetic part (refilling it), then add the real part ungated
        synthetic = _first_batch(model, output, n_synthetic, rng, settings.temperature)
        keep = np.ones(synthetic.shape[:2], bool)
        if settings.gate is not None and n_synthetic:
            synthetic, keep, passed, drawn = _gated(model, settings.gate, synthetic, rng, settings.temperature, settings.refill, settings.max_draws, alive)
            acceptance = passed / drawn
            if settings.refill:
                short = alive & (keep.sum(axis=1) < n_synthetic)
                for s in np.flatnonzero(short):
                    history.stopped[s] = (
                        f"generation {g + 1}: the gate rejected every sample ({drawn[s]} drawn), nothing left to train on"
                        if passed[s] == 0 else
                        f"generation {g + 1}: the gate passed only {passed[s]} of {drawn[s]} samples drawn "
                        f"(max_draws = {settings.max_draws} × {n_synthetic}), too few to fill the training set")
                alive &= ~short
        real = fixed_real if settings.real_source == "fixed" else world.sample((seeds, n_real), rng)
        pool.append(_concat([(real, np.ones(real.shape[:2], bool)), (synthetic, keep)]))
        if settings.mode == "replace":
            del pool[:-1]  # older generations are never trained on again
