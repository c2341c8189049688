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
from dataclasses import dataclass, field

import numpy as np

from . import guard
from ._checks import check_choice, check_number, check_rng
from .base import clone
from .decoding import check_temperature
from .metrics import spread
from .gates import Gate, apply as apply_gate

MODES = ("replace", "accumulate", "accumulate-subsample")
REAL_SOURCES = ("fresh", "fixed")
FINE_TUNES = (None, "previous", "first")
DISTILLS = ("hard", "soft")


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


class _DrawnWhenRead(dict):
    """Snapshots of the exact Gaussian path: {generation: (fitted model, seed)}, sampled on reading.

    The exact path never makes samples, so holding the plots' samples would cost
    O(seeds × samples × snapshots) memory for nothing. Each entry keeps only the fitted model's
    (seeds,) parameters and its own seed, and draws the same samples every time it is read.
    """

    def __init__(self, samples, temperature):
        super().__init__()
        self._samples, self._temperature = samples, temperature

    def keep(self, g, model, seed):
        """Remember generation g's fitted model (copied: the exact path refits one object) and its seed."""
        dict.__setitem__(self, g, (copy.deepcopy(model), seed))

    def one_seed(self, g, s):
        """Generation g's samples of seed s alone, (samples, ...): a plot of one run draws only that run."""
        model, seed = super().__getitem__(g)
        one = copy.copy(model)  # the same model, its learned (seeds, ...) arrays cut to seed s
        for name, value in vars(model).items():
            if name.endswith("_") and isinstance(value, np.ndarray) and value.ndim and len(value) > s:
                setattr(one, name, value[s : s + 1])
        # each seed has its own stream, so one seed's samples are the same however they are read
        stream = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key + (s,))
        return one.sample(self._samples, np.random.default_rng(stream), self._temperature)[0]

    def __getitem__(self, g):
        model, _ = super().__getitem__(g)
        return np.stack([self.one_seed(g, s) for s in range(len(model.mean_))])  # a GaussianModel: (seeds,) means

    def get(self, g, default=None):
        return self[g] if g in self else default

    def values(self):
        return [self[g] for g in self]

    def items(self):
        return [(g, self[g]) for g in self]

    def __reduce__(self):  # copy and pickle the recipes, not the samples they draw
        return _drawn_when_read, (self._samples, self._temperature, list(dict.items(self)))


def _drawn_when_read(samples, temperature, entries):
    snapshots = _DrawnWhenRead(samples, temperature)
    for g, entry in entries:
        dict.__setitem__(snapshots, g, entry)
    return snapshots


def median_over_seeds(values):
    """Median of each column of (seeds, generations) values, ignoring NaN (stopped seeds), no warnings."""
    counted = ~np.isnan(values)
    filled = np.where(counted, values, np.inf)  # sort NaNs to the end, then take the middle
    k = counted.sum(axis=0)
    srt = np.sort(filled, axis=0)
    lo = np.take_along_axis(srt, np.maximum((k - 1) // 2, 0)[None], axis=0)[0]
    hi = np.take_along_axis(srt, np.maximum(k // 2, 0)[None], axis=0)[0]
    return np.where(k > 0, (lo + hi) / 2, np.nan)


def _concat(parts):
    """Join (X, mask) pairs along the sample axis."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts], axis=1)


def _snapshot_generations(generations, count=11):
    """Which generations keep their samples for plotting: about `count`, evenly spread."""
    return set(spread(generations, count))


def _can_run_exact(world, model, gate, mode="replace", student=None, fine_tune=None, distill="hard", sizes_equal=True):
    """The exact Gaussian shortcut applies when nothing looks at individual samples."""
    return (gate is None and mode != "accumulate-subsample" and student is None and fine_tune is None
            and distill == "hard" and sizes_equal
            and hasattr(world, "sample_stats") and hasattr(model, "sample_stats"))


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
               False stops the run (dashboards use this to redraw and to stop)
    """
    # --- check everything before doing anything ---
    owner = "simulate"
    if callback is not None and not callable(callback):
        raise ValueError(f"The 'callback' parameter of simulate must be None or a callable "
                         f"callback(history, generation). Got {callback!r} instead.")
    if not isinstance(progress, (bool, np.bool_)):
        raise ValueError(f"The 'progress' parameter of simulate must be a bool. Got {progress!r} instead.")
    _check_world_and_models(world, model, student)
    generations = check_number(generations, "generations", owner, low=1, integer=True)
    samples = check_number(samples, "samples", owner, low=2, integer=True)
    teacher_samples = samples if teacher_samples is None else check_number(
        teacher_samples, "teacher_samples", owner, low=2, integer=True)
    real_fraction = check_number(real_fraction, "real_fraction", owner, low=0, high=1)
    mode = check_choice(mode, "mode", owner, MODES)
    real_source = check_choice(real_source, "real_source", owner, REAL_SOURCES)
    if not isinstance(refill, (bool, np.bool_)):
        raise ValueError(f"The 'refill' parameter of simulate must be a bool. Got {refill!r} instead.")
    max_draws = check_number(max_draws, "max_draws", owner, low=1, integer=True)
    temperature = check_temperature(temperature, owner)  # the models' range, named as simulate's
    seeds = check_number(seeds, "seeds", owner, low=1, integer=True)
    snapshots = check_number(snapshots, "snapshots", owner, low=0, integer=True)
    exact = check_choice(exact, "exact", owner, ("auto", True, False))
    distill = check_choice(distill, "distill", owner, DISTILLS)
    fine_tune = check_choice(fine_tune, "fine_tune", owner, FINE_TUNES)
    if gate is not None and not callable(gate):
        raise ValueError(f"The 'gate' parameter of simulate must be None or a callable gate. Got {gate!r} instead.")
    learner = model if student is None else student  # the model fitted from generation 1 on
    if fine_tune is not None and "warm_start" not in learner.get_params():
        raise ValueError(f"The 'fine_tune' parameter of simulate needs a model with a 'warm_start' parameter; "
                         f"{type(learner).__name__} has none. Got fine_tune={fine_tune!r} instead.")
    if fine_tune == "first" and student is not None:
        raise ValueError("The 'fine_tune' parameter of simulate cannot be 'first' in a distillation chain "
                         "(the generation-0 teacher is not a student to fine-tune). Got 'first' with a student.")
    if distill == "soft" and "teacher" not in inspect.signature(learner.fit).parameters:
        raise ValueError(f"The 'distill' parameter of simulate can be 'soft' only for a model whose fit takes a "
                         f"'teacher'; {type(learner).__name__}.fit does not. Got 'soft' instead.")
    exact_ok = _can_run_exact(world, model, gate, mode, student, fine_tune, distill, teacher_samples == samples)
    if exact is True and not exact_ok:
        raise ValueError("The 'exact' parameter of simulate can be True only for a Gaussian world and model with no "
                         "gate, no student, no fine-tuning, soft distillation or teacher_samples, and a mode other than "
                         f"'accumulate-subsample'. Got world {type(world).__name__}, model {type(model).__name__}, "
                         f"gate {gate!r}, mode {mode!r}.")
    use_exact = exact is True or (exact == "auto" and exact_ok)
    guard.check(world, model, samples=samples, seeds=seeds, generations=generations, snapshots=snapshots,
                mode=mode, teacher_samples=teacher_samples, student=student, exact=use_exact, gate=gate,
                refill=refill)
    rng = check_rng(seed)

    # from generation 1 on, each training set holds n_real real and n_synthetic synthetic samples
    n_real = int(round(real_fraction * teacher_samples))
    n_synthetic = teacher_samples - n_real
    config = dict(world=repr(world), model=repr(model), student=repr(student) if student else None,
                  generations=generations, samples=samples, real_fraction=real_fraction, mode=mode,
                  real_source=real_source, gate=repr(gate) if gate else None, refill=bool(refill),
                  max_draws=max_draws, temperature=temperature, seeds=seeds,
                  seed=seed if isinstance(seed, int) else None, teacher_samples=teacher_samples,
                  distill=distill, fine_tune=fine_tune, exact=use_exact)
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
        run = _generations_exact(world, model, rng, samples, n_real, n_synthetic, mode, real_source,
                                 temperature, seeds, history)
    else:
        run = _generations(world, model, student, rng, samples, n_real, n_synthetic, mode, real_source, gate,
                           refill, max_draws, temperature, seeds, fine_tune, distill, history)

    for g in steps:
        measured, output, alive = next(run)
        if g == 0:
            history.metrics = {name: np.full((seeds, generations + 1), np.nan) for name in measured}
        if g == 0 and hasattr(history.model, "device_"):
            config["device"] = str(history.model.device_)  # a GPU's numbers differ from a CPU's
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
    return history


def _subsample(X, mask, n, rng):
    """n of each seed's kept samples, drawn without replacement (Kazdan et al.'s fixed-size subset).

    Random keys, with masked-out samples last; the n smallest keys win. A seed with fewer than n
    kept samples gets all of them (the rest of its n slots stay masked out). When every sample is
    kept, `_distinct_draws` does the same in O(n) instead of O(pool) per generation.
    """
    if mask.all():
        pick = _distinct_draws(mask.shape[1], n, rng, len(mask))
        if pick is not None:
            return np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1), np.ones(pick.shape, bool)
    keys = np.where(mask, rng.random(mask.shape), np.inf)
    pick = np.argpartition(keys, n - 1, axis=1)[:, :n] if n < mask.shape[1] else np.arange(mask.shape[1])[None].repeat(len(mask), 0)
    return np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1), np.take_along_axis(mask, pick, axis=1)


def _distinct_draws(size, n, rng, seeds):
    """Per seed, n distinct indices from range(size), every n-subset equally likely; None if unlucky.

    Draw indices with replacement and keep each one's first appearance: the first n distinct values
    of an exchangeable stream are a uniformly random n-subset. 2n + 16 draws give n distinct ones
    unless n is close to size; then (None) the caller sorts random keys over the whole pool.
    """
    if n >= size:
        return None
    draws = rng.integers(0, size, (seeds, 2 * n + 16))
    order = np.argsort(draws, axis=1, kind="stable")            # equal draws adjacent, first one first
    srt = np.take_along_axis(draws, order, axis=1)
    first = np.ones(srt.shape, bool)
    first[:, 1:] = srt[:, 1:] != srt[:, :-1]
    is_first = np.empty_like(first)
    np.put_along_axis(is_first, order, first, axis=1)           # back in draw order
    keep = is_first & (np.cumsum(is_first, axis=1) <= n)
    if not (keep.sum(axis=1) == n).all():
        return None
    return draws[keep].reshape(seeds, n)


def _first_batch(model, output, n, rng, temperature):
    """The first n synthetic samples: the measured output, topped up if the training set is larger."""
    if n <= output.shape[1]:
        return output[:, :n]
    return np.concatenate([output, model.sample(n - output.shape[1], rng, temperature)], axis=1)


def _compact(X, keep):
    """Each seed's kept samples moved to the front, in their order, cut to the most any seed kept."""
    width = int(keep.sum(axis=1).max()) if keep.size else 0
    pick = np.argsort(~keep, axis=1, kind="stable")[:, :width]
    return (np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1),
            np.take_along_axis(keep, pick, axis=1))


def _gated(model, gate, batch, rng, temperature, refill, max_draws, alive):
    """Gate the synthetic samples; with refill, draw more until each seed has len(batch[0]) that pass.

    Returns (synthetic (seeds, n), keep (seeds, n), passed (seeds,), drawn (seeds,)).
    Batches are drawn for all seeds at once (models sample every seed together). Each is sized
    from the acceptance of the batch before it -- not the average so far, which a cap on copies
    makes too hopeful as it fills up -- so that one or two more batches usually suffice. A seed
    that is full, or has used its budget of max_draws × n draws, is masked out of later batches.
    """
    seeds, n = batch.shape[:2]
    everything = np.ones(batch.shape[:2], bool)
    if not refill:
        keep = apply_gate(gate, batch, model, everything, rng)
        return batch, keep, keep.sum(axis=1), np.full(seeds, n)

    def through(new, mask, kept, kept_mask):
        if isinstance(gate, Gate):  # a Gate knows how to count what earlier batches kept (e.g. CapCopies)
            return np.asarray(gate.refill(new, model, mask, rng, kept, kept_mask), bool)
        return apply_gate(gate, new, model, mask, rng)

    keep = through(batch, everything, None, None)
    kept, kept_mask = _compact(batch, keep)   # only what passed is carried on, in the order drawn
    passed = keep.sum(axis=1)
    drawn = np.full(seeds, n)
    rate = passed / n                         # acceptance of the latest batch, per seed
    budget = max_draws * n
    while True:
        needy = alive & (passed < n) & (drawn < budget)
        if not needy.any():
            break
        # enough for the neediest seed at its latest acceptance (+15% and a few spare), within its budget
        want = np.ceil((n - passed) / np.maximum(rate, 1.0 / drawn) * 1.15) + 8
        size = int(min(np.max(np.where(needy, want, 0)), np.max(np.where(needy, budget - drawn, 0))))
        new = model.sample(size, rng, temperature)
        keep = through(new, np.broadcast_to(needy[:, None], new.shape[:2]).copy(), kept, kept_mask)
        kept, kept_mask = _compact(*_concat([(kept, kept_mask), (new, keep)]))
        passed = passed + keep.sum(axis=1)
        drawn = drawn + np.where(needy, size, 0)
        rate = np.where(needy, keep.sum(axis=1) / size, rate)
    # each seed's first n passing samples, in the order they were drawn
    if kept.shape[1] < n:  # no seed filled its set: pad with masked-out slots
        missing = n - kept.shape[1]
        kept = np.concatenate([kept, batch[:, :missing]], axis=1)
        kept_mask = np.concatenate([kept_mask, np.zeros((seeds, missing), bool)], axis=1)
    return kept[:, :n], kept_mask[:, :n], passed, drawn


def _generations(world, model, student, rng, samples, n_real, n_synthetic, mode, real_source, gate, refill,
                 max_draws, temperature, seeds, fine_tune, distill, history):
    """The loop on real samples. Yields (metrics, samples, alive) once per generation."""
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
        if mode == "replace" or g == 0:
            X, mask = pool[-1]
        elif mode == "accumulate":
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
            if student is not None and (fine_tune is None or g == 1):
                model = clone(student)
            elif fine_tune == "first":
                model = copy.deepcopy(history.model0)
            elif distill == "soft":
                model = copy.deepcopy(model) if fine_tune else clone(model)  # the teacher stays as it was
            if fine_tune is not None and (student is None or g > 1):
                model.warm_start = True
        if distill == "soft" and g > 0:
            model.fit(X, mask, teacher=teacher)
        else:
            model.fit(X, mask)
        history.model = model
        if g == 0:
            history.model0 = copy.deepcopy(model)  # frozen: later generations are compared with it

        # 3. sample: the model's output, which the next generation will learn from
        output = model.sample(samples, rng, temperature)

        # 4. measure the model, and its output, against the real world
        measured = world.measure(model, output, history.model0)
        if gate is not None:
            measured["acceptance"] = np.ones(seeds) if acceptance is None else acceptance
        yield measured, output, alive.copy()

        # 5. gate the synthetic part (refilling it), then add the real part ungated
        synthetic = _first_batch(model, output, n_synthetic, rng, temperature)
        keep = np.ones(synthetic.shape[:2], bool)
        if gate is not None and n_synthetic:
            synthetic, keep, passed, drawn = _gated(model, gate, synthetic, rng, temperature, refill, max_draws, alive)
            acceptance = passed / drawn
            if refill:
                short = alive & (keep.sum(axis=1) < n_synthetic)
                for s in np.flatnonzero(short):
                    history.stopped[s] = (
                        f"generation {g + 1}: the gate rejected every sample ({drawn[s]} drawn), nothing left to train on"
                        if passed[s] == 0 else
                        f"generation {g + 1}: the gate passed only {passed[s]} of {drawn[s]} samples drawn "
                        f"(max_draws = {max_draws} × {n_synthetic}), too few to fill the training set")
                alive &= ~short
        real = fixed_real if real_source == "fixed" else world.sample((seeds, n_real), rng)
        pool.append(_concat([(real, np.ones(real.shape[:2], bool)), (synthetic, keep)]))
        if mode == "replace":
            del pool[:-1]  # older generations are never trained on again


def _generations_exact(world, model, rng, samples, n_real, n_synthetic, mode, real_source, temperature, seeds,
                       history):
    """The same loop for a Gaussian, on sufficient statistics instead of samples.

    A Gaussian fit depends on its data only through (count, mean, sum of squares), whose laws
    are known exactly, so one generation costs O(1) per seed whatever the sample size. With no
    real data this is the one line notebook 01 teaches:  σ_next = σ · sqrt(χ²(n−1) / (n−1)).
    A fixed real set is one draw of its statistics, reused every generation.
    """
    from .toys import combine_stats

    alive = np.ones(seeds, bool)
    if real_source == "fixed" and 0 < n_real < samples:
        # generation 0's real data as two parts, so the first n_real can be kept as the fixed set
        fixed = world.sample_stats(seeds, n_real, rng)
        stats = combine_stats(fixed, world.sample_stats(seeds, samples - n_real, rng))
    else:
        stats = world.sample_stats(seeds, samples, rng)   # generation 0: real data only
        fixed = stats if n_real == samples else None
    pooled = stats
    for g in itertools.count():
        # 1. build the training set's statistics
        train = pooled if mode == "accumulate" else stats
        # 2. fit
        model.fit_stats(*train)
        history.model = model
        if g == 0:
            history.model0 = copy.deepcopy(model)
        # 3.-4. measure (there are no samples on this path)
        yield world.measure(model, None, history.model0), None, alive
        # 5. the next generation's data: synthetic statistics plus real ones (fresh, or the fixed set)
        parts = []
        if n_real:
            parts.append(fixed if real_source == "fixed" else world.sample_stats(seeds, n_real, rng))
        if n_synthetic:
            parts.append(model.sample_stats(n_synthetic, rng, temperature))
        stats = parts[0] if len(parts) == 1 else combine_stats(*parts)
        pooled = combine_stats(pooled, stats)
