"""The one loop every experiment in the course runs: a model trained on its own outputs.

    real data ──► train set ──► fit ──► sample (temperature) ──► gate ──┐
                     ▲                                                   │
                     └── real_fraction of fresh real data, plus ◄────────┘
                         replace: the newest samples only / accumulate: all data so far

Generation 0 is fitted on real data only. `mode="replace"` is the setting of Shumailov et al.
(2024), where the tails vanish; `mode="accumulate"` keeps every generation's data, which
Gerstgrasser et al. (2024) show bounds the damage.
"""
import copy
import itertools
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_choice, check_number, check_rng
from .base import clone

MODES = ("replace", "accumulate")


@dataclass
class History:
    """What one `simulate` call produced.

    metrics[name]   : array (seeds, generations + 1), NaN where a seed had already stopped
    snapshots[g]    : the samples generation g produced (seeds, n, ...) for a few generations
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
        """Plain Python (JSON-ready: NaN becomes None)."""
        def clean(a):
            a = np.asarray(a, float)
            return np.where(np.isnan(a), None, a.astype(object)).tolist()

        return {
            "config": self.config,
            "metrics": {name: clean(v) for name, v in self.metrics.items()},
            "stopped": self.stopped,
        }


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
    return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts], axis=1)


def _snapshot_generations(generations, count=11):
    """Which generations keep their samples for plotting: about `count`, evenly spread."""
    return set(np.unique(np.linspace(0, generations, min(generations + 1, count)).round().astype(int)).tolist())


def _can_run_exact(world, model, gate):
    """The exact Gaussian shortcut applies when nothing looks at individual samples."""
    return gate is None and hasattr(world, "sample_stats") and hasattr(model, "sample_stats")


def simulate(world, model, *, generations=10, samples=100, real_fraction=0.0, mode="replace",
             gate=None, temperature=1.0, seeds=1, seed=None, student=None, exact="auto",
             snapshots=11, progress=False, callback=None):
    """Train `model` on its own samples for `generations` generations, for `seeds` runs at once.

    Parameters
    ----------
    world : the true distribution (Gaussian, Mixture, Categorical, Words)
    model : an unfitted model with the interface of base.Model; it is cloned, not modified
    generations : generations after generation 0 (≥ 1)
    samples : size of each generation's training set before gating (≥ 2)
    real_fraction : share of each training set that is fresh real data, in [0, 1]
    mode : 'replace' (train on the newest data only) or 'accumulate' (on all data so far)
    gate : None or a gate, applied to the model's samples before they are trained on
    temperature : > 0; sampling from p^(1/T): below 1 favours likely samples
    seeds : independent runs, side by side
    seed : None, an int or a numpy Generator; the same seed gives the same History
    student : None, or a model that replaces `model` from generation 1 on: `model` is then the
              teacher fitted on real data, and each generation distils a fresh student from
              the previous generation's samples (a distillation chain)
    exact : 'auto' uses the exact sufficient-statistics path when the world and model allow it
            (Gaussian, no gate): identical in distribution, O(1) per seed per generation
    snapshots : how many generations (evenly spread, first and last included) keep their samples
    progress : show a progress bar
    callback : called as callback(history, generation) after every generation; returning
               False stops the run (dashboards use this to redraw and to stop)
    """
    # --- check everything before doing anything ---
    owner = "simulate"
    generations = check_number(generations, "generations", owner, low=1, integer=True)
    samples = check_number(samples, "samples", owner, low=2, integer=True)
    real_fraction = check_number(real_fraction, "real_fraction", owner, low=0, high=1)
    mode = check_choice(mode, "mode", owner, MODES)
    temperature = check_number(temperature, "temperature", owner, low=0, closed=(False, True))
    seeds = check_number(seeds, "seeds", owner, low=1, integer=True)
    snapshots = check_number(snapshots, "snapshots", owner, low=0, integer=True)
    exact = check_choice(exact, "exact", owner, ("auto", True, False))
    if gate is not None and not callable(gate):
        raise ValueError(f"The 'gate' parameter of simulate must be None or a callable gate. Got {gate!r} instead.")
    if student is not None:
        if not all(callable(getattr(student, m, None)) for m in ("fit", "sample", "log_prob")):
            raise ValueError(f"The 'student' parameter of simulate must be None or a model with fit, sample "
                             f"and log_prob. Got {student!r} instead.")
        exact = False  # teacher and student differ: run on samples
    if exact is True and not _can_run_exact(world, model, gate):
        raise ValueError("The 'exact' parameter of simulate can be True only for a Gaussian world and model "
                         f"with no gate. Got world {type(world).__name__}, model {type(model).__name__}, gate {gate!r}.")
    rng = check_rng(seed)

    n_real = int(round(real_fraction * samples))
    n_synthetic = samples - n_real
    config = dict(world=repr(world), model=repr(model), student=repr(student) if student else None,
                  generations=generations, samples=samples, real_fraction=real_fraction, mode=mode,
                  gate=repr(gate) if gate else None, temperature=temperature, seeds=seeds,
                  seed=seed if isinstance(seed, int) else None)
    history = History(config=config, stopped=[None] * seeds)
    keep_snapshots = _snapshot_generations(generations, snapshots) if snapshots else set()
    model = clone(model)
    use_exact = exact is True or (exact == "auto" and _can_run_exact(world, model, gate))
    config["exact"] = use_exact

    steps = range(generations + 1)
    if progress:
        from tqdm.auto import tqdm
        steps = tqdm(steps, desc="generations")

    if use_exact:
        # the exact path draws no samples; the plots' samples come from a child stream of the
        # run's generator, so they differ between seeds without disturbing the run itself
        snapshot_rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])
        run = _generations_exact(world, model, rng, n_real, n_synthetic, mode, temperature, seeds, history)
    else:
        run = _generations(world, model, student, rng, n_real, n_synthetic, mode, gate, temperature, seeds, history)

    for g in steps:
        measured, output, alive = next(run)
        if g == 0:
            history.metrics = {name: np.full((seeds, generations + 1), np.nan) for name in measured}
        for name, values in measured.items():
            history.metrics[name][:, g] = np.where(alive, values, np.nan)
        if g in keep_snapshots:
            if output is None:  # the exact path: draw the plots' samples from the fitted model
                output = history.model.sample(samples, snapshot_rng, temperature)
            history.snapshots[g] = output
        if callback is not None and callback(history, g) is False:
            history.metrics = {name: v[:, : g + 1] for name, v in history.metrics.items()}
            break
        if not alive.any():
            break
    return history


def _generations(world, model, student, rng, n_real, n_synthetic, mode, gate, temperature, seeds, history):
    """The loop on real samples. Yields (metrics, samples, alive) once per generation."""
    alive = np.ones(seeds, bool)
    real = world.sample((seeds, n_real + n_synthetic), rng)   # generation 0: real data only
    train = [(real, np.ones(real.shape[:2], bool))]
    for g in itertools.count():
        # 1. build the training set: only the newest data (replace) or all of it (accumulate)
        X, mask = _concat(train if mode == "accumulate" else train[-1:])
        # a seed with nothing left to learn from stops; it keeps its last data so fits stay defined
        empty = alive & ~mask.any(axis=1)
        for s in np.flatnonzero(empty):
            history.stopped[s] = f"generation {g}: the gate rejected every sample, nothing left to train on"
        alive &= ~empty
        mask = mask | ~alive[:, None]

        # 2. fit one model per seed (in a distillation chain, a fresh student from generation 1 on)
        if student is not None and g > 0:
            model = clone(student)
        model.fit(X, mask)
        history.model = model
        if g == 0:
            history.model0 = copy.deepcopy(model)  # frozen: later generations are compared with it

        # 3. sample: the model's output, which the next generation will learn from
        output = model.sample(n_real + n_synthetic, rng, temperature)

        # 4. measure the model, and its output, against the real world
        yield world.measure(model, output, history.model0), output, alive.copy()

        # 5. gate the synthetic part; fresh real data joins it ungated
        synthetic = output[:, :n_synthetic]
        keep = np.ones(synthetic.shape[:2], bool)
        if gate is not None and n_synthetic:
            keep = gate(synthetic, model, keep)
        real = world.sample((seeds, n_real), rng)
        train.append(_concat([(real, np.ones(real.shape[:2], bool)), (synthetic, keep)]))


def _generations_exact(world, model, rng, n_real, n_synthetic, mode, temperature, seeds, history):
    """The same loop for a Gaussian, on sufficient statistics instead of samples.

    A Gaussian fit depends on its data only through (count, mean, sum of squares), whose laws
    are known exactly, so one generation costs O(1) per seed whatever the sample size. With no
    real data this is the one line notebook 01 teaches:  σ_next = σ · sqrt(χ²(n−1) / (n−1)).
    """
    from .toys import combine_stats

    alive = np.ones(seeds, bool)
    stats = world.sample_stats(seeds, n_real + n_synthetic, rng)   # generation 0: real data only
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
        # 5. the next generation's data: synthetic statistics plus fresh real ones
        parts = []
        if n_real:
            parts.append(world.sample_stats(seeds, n_real, rng))
        if n_synthetic:
            parts.append(model.sample_stats(n_synthetic, rng, temperature))
        stats = parts[0] if len(parts) == 1 else combine_stats(*parts)
        pooled = combine_stats(pooled, stats)
