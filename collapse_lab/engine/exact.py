"""The exact path: the loop for a world and model that learn from sufficient statistics alone.

A Gaussian fit depends on its data only through (count, mean, sum of squares), whose laws are
known exactly, so one generation costs O(1) per seed whatever the sample size. A world and model
declare this with `sufficient_stats = True` and provide `sample_stats`, `fit_stats` and
`combine_stats` (worlds/gaussian.py); the engine knows no world by name.
"""
import copy
import itertools

import numpy as np


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


def _generations_exact(world, model, settings, rng, history):
    """The same loop for a Gaussian, on sufficient statistics instead of samples.

    A Gaussian fit depends on its data only through (count, mean, sum of squares), whose laws
    are known exactly, so one generation costs O(1) per seed whatever the sample size. With no
    real data this is the one line notebook 01 teaches:  σ_next = σ · sqrt(χ²(n−1) / (n−1)).
    A fixed real set is one draw of its statistics, reused every generation.
    """
    seeds, samples, n_real, n_synthetic = settings.seeds, settings.samples, settings.n_real, settings.n_synthetic
    mode, real_source, temperature = settings.mode, settings.real_source, settings.temperature
    combine_stats = model.combine_stats
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
