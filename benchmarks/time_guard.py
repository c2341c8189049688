"""Measure the time guard's constants (collapse_lab/engine/guard.py, SECONDS_*).

    python benchmarks/time_guard.py

A run's time is modelled, per generation, as a fixed cost (the loop's Python overhead, the
world's measure) plus a cost per seed·sample (fit, sample, gate); the exact Gaussian path as a
fixed cost plus a cost per seed. Each constant is the slope or intercept between a small and a
large run, best of 3 (other processes share the machine, best-of filters their noise). The guard
multiplies its sum by SAFETY, so a constant measured on a fast machine still refuses in time
on a slower one.
"""
import io


from collapse_lab.engine.gates import ClipOutliers, Dedup
from collapse_lab.engine.loop import simulate
from collapse_lab.worlds import (Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel,
                                 NGramLM, Words)

from engine import best_time  # benchmarks/engine.py: best wall time of n calls (a script's sibling)


def best(fn, repeat=3):
    return best_time(fn, repeat)


def per_generation(world, model, seeds, samples, generations=20, **kw):
    """Seconds per generation of a run (generation 0 included)."""
    return best(lambda: simulate(world, model, generations=generations, samples=samples, seeds=seeds, seed=0,
                                 snapshots=0, **kw)) / (generations + 1)


def slope(world, model, small, large, **kw):
    """(fixed seconds per generation, seconds per seed·sample per generation) from two sizes."""
    (s1, n1), (s2, n2) = small, large
    t1, t2 = per_generation(world, model, s1, n1, **kw), per_generation(world, model, s2, n2, **kw)
    per_item = (t2 - t1) / (s2 * n2 - s1 * n1)
    return t1 - per_item * s1 * n1, per_item


def main():
    cases = {
        "gaussian": (Gaussian(), GaussianModel(), {"exact": False}),
        "mixture1": (Mixture.one_d(), MixtureModel(), {}),
        "mixture2": (Mixture.two_d(), MixtureModel(), {}),
        "categorical": (Categorical.words(2000), EmpiricalModel(2000), {}),
    }
    for kind, (world, model, kw) in cases.items():
        fixed, item = slope(world, model, (2, 100), (20, 5000), **kw)
        print(f"{kind:<12} fixed {fixed * 1e6:8.0f} µs/generation   {item * 1e9:8.1f} ns per seed·sample")
    # the gate's refill: extra draws, each sampled and gated (clip:1e-300 passes almost nothing)
    g, m = Gaussian(), GaussianModel()
    plain = per_generation(g, m, 20, 5000, exact=False)
    gated = per_generation(g, m, 20, 5000, gate=ClipOutliers(1e-300), max_draws=10, generations=3)
    print(f"refill       {(gated - plain) / (20 * 5000 * 9) * 1e9:8.1f} ns per extra drawn seed·sample (gaussian, clip)")
    c, e = Categorical.words(2000), EmpiricalModel(2000)
    plain = per_generation(c, e, 20, 5000)
    gated = per_generation(c, e, 20, 5000, gate=Dedup(), max_draws=10, generations=3)
    print(f"refill       {(gated - plain) / (20 * 5000 * 9) * 1e9:8.1f} ns per extra drawn seed·sample (categorical, dedup)")
    # the exact path: a fixed cost per generation and a cost per seed, measured at a long run's
    # shape (a run of 10⁵ generations is slower per generation than a short one: its tables grow)
    t1 = best(lambda: simulate(g, m, generations=100000, samples=20, seeds=20, seed=0, snapshots=0), 1) / 100001
    t2 = best(lambda: simulate(g, m, generations=2000, samples=20, seeds=2000, seed=0, snapshots=0)) / 2001
    per_seed = max((t2 - t1) / 1980, 0.0)
    print(f"exact        fixed {(t1 - 20 * per_seed) * 1e6:8.1f} µs/generation   {per_seed * 1e9:8.1f} ns per seed")
    # words with an n-gram: per seed (scoring the vocabulary) and per seed·sample
    w = Words()
    fixed, item = slope(w, NGramLM(), (1, 2000), (2, 20000), generations=3)
    print(f"words ngram  fixed {fixed * 1e3:8.1f} ms/generation   {item * 1e6:8.2f} µs per seed·sample")
    # the CLI's JSON: seconds per number written
    from collapse_lab.__main__ import write_json
    h = simulate(g, m, generations=100000, samples=20, seeds=20, seed=0, snapshots=0)
    values = sum(v.size for v in h.metrics.values())
    print(f"json         {best(lambda: write_json(h, io.StringIO()), 1) / values * 1e9:8.1f} ns per number")


if __name__ == "__main__":
    main()
