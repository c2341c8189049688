"""The loop's levers (issue 9): what refilling a gated training set costs, and what each lever does.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/levers.py            # everything (a few minutes)
    PYTHONPATH=$PWD .venv/bin/python benchmarks/levers.py cost       # only the timings

cost     Refill against the old path (refill=False) and the ungated loop, in the same run, at the
         size of notebook 05 (2,000-word world, character 4-gram, 2,000 words a generation of
         which 5% real, 3 seeds). Target: a refilled generation costs at most (1 / acceptance) × an ungated one
         + 20%. Widget-sized runs with the new levers on: under 20 ms (toys) and 0.3 s (one
         n-gram generation).
verifier The imperfect verifier real:0.2,0.05: measured pass rates of real and non-real words.
tails    Tail recall after 10 generations on the words world (20,000 words, order-3 n-gram, 20,000
         words a generation, 3 seeds, the same seeds everywhere) for each data schedule.
"""
import sys
import time

import numpy as np

from collapse_lab import gates, simulate
from collapse_lab.worlds import NGramLM
from collapse_lab.worlds import Categorical, EmpiricalModel, Gaussian, GaussianModel
from collapse_lab.worlds.words import Words


def best_of(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def cost():
    world = Words(n_words=2000, heldout=2000)
    G = 5
    # 5% real data: without it real+cap:3 cannot fill a 2,000-word set from generation 0's model
    run = dict(generations=G, samples=2000, seeds=3, seed=0, real_fraction=0.05)

    def flywheel(gate=None, refill=True):
        return simulate(world, NGramLM(order=4, smoothing=0.01), gate=gate, refill=refill, **run)

    ungated, _ = best_of(flywheel)
    per_gen = ungated / (G + 1)
    print(f"ungated: {per_gen * 1e3:7.0f} ms per generation (n-gram explorer budget 300 ms: "
          f"{'PASS' if per_gen < 0.3 else 'FAIL'})")
    print(f"{'gate':<16} {'acceptance':>10} {'old path':>10} {'refill':>10} {'bound':>10}  verdict")
    for spec in ("top:0.9", "real", "real:0.2,0.05", "real+cap:3"):
        gate = gates.parse(spec, world)
        old, _ = best_of(lambda: flywheel(gate, refill=False))
        new, h = best_of(lambda: flywheel(gate))
        acceptance = h["acceptance"][:, 1:].mean()
        refilled = (new - per_gen) / G          # generation 0 is not gated
        bound = per_gen / acceptance * 1.2
        print(f"{spec:<16} {acceptance:10.3f} {(old - per_gen) / G * 1e3:8.0f}ms {refilled * 1e3:8.0f}ms "
              f"{bound * 1e3:8.0f}ms  {'PASS' if refilled <= bound else 'FAIL'}")

    # widget-sized runs with the new levers on
    toys = {
        "gaussian accumulate-subsample (20 seeds, 100 samples, 50 generations)":
            lambda: simulate(Gaussian(), GaussianModel(), mode="accumulate-subsample", generations=50, samples=100,
                             seeds=20, seed=0),
        "gaussian fixed real 10% (exact, 20 seeds, 100 samples, 50 generations)":
            lambda: simulate(Gaussian(), GaussianModel(), real_fraction=0.1, real_source="fixed", generations=50,
                             samples=100, seeds=20, seed=0),
        "categorical, verifier refilled (300 words, 20 seeds, 300 samples, 30 generations)":
            lambda: simulate(Categorical.words(300), EmpiricalModel(300), gate=gates.Verifier(lambda x: x < 250),
                             generations=30, samples=300, seeds=20, seed=0),
    }
    for name, fn in toys.items():
        seconds, _ = best_of(fn, repeat=5)
        print(f"{name:<80} {seconds * 1e3:6.1f} ms  (budget 20 ms) {'PASS' if seconds < 0.02 else 'FAIL'}")
    one, _ = best_of(lambda: simulate(world, NGramLM(order=4, smoothing=0.01), gate=gates.parse("real+cap:3", world),
                                      real_fraction=0.05, mode="accumulate-subsample", generations=1, samples=2000,
                                      seeds=3, seed=0))
    print(f"{'n-gram, real+cap:3 refilled, accumulate-subsample: one generation':<80} {one / 2 * 1e3:6.0f} ms  "
          f"(budget 300 ms) {'PASS' if one / 2 < 0.3 else 'FAIL'}")


def verifier():
    world = Words(n_words=2000, heldout=2000)
    seen = []

    class Recorder(gates.Gate):
        def __call__(self, samples, model, mask, rng=None):
            keep = gates.apply(verifier_gate, samples, model, mask, rng)
            seen.append((world.is_real(samples)[mask], keep[mask]))
            return keep

    verifier_gate = gates.parse("real:0.2,0.05", world)
    simulate(world, NGramLM(order=3), gate=Recorder(), generations=10, samples=2000, seeds=3, seed=0)
    truth = np.concatenate([t for t, _ in seen])
    passed = np.concatenate([k for _, k in seen])
    for label, is_real, expected in (("real words", True, 0.95), ("non-words", False, 0.2)):
        n = (truth == is_real).sum()
        rate = passed[truth == is_real].mean()
        se = np.sqrt(expected * (1 - expected) / n)
        print(f"{label:<11} passed {rate:.4f} of {n:6d} (expected {expected}, {abs(rate - expected) / se:.1f} SE)")


def tails():
    world = Words()
    run = dict(generations=10, samples=20000, seeds=3, seed=0)
    schedules = {
        "replace": dict(),
        "accumulate": dict(mode="accumulate"),
        "accumulate-subsample": dict(mode="accumulate-subsample"),
        "replace, 5% fixed real": dict(real_fraction=0.05, real_source="fixed"),
        "replace, 5% fresh real": dict(real_fraction=0.05),
    }
    for name, kw in schedules.items():
        start = time.perf_counter()
        h = simulate(world, NGramLM(order=3), **run, **kw)
        print(f"{name:<24} tail recall {h.median('recall_tail')[0]:.3f} -> {h.median('recall_tail')[-1]:.3f}, "
              f"held-out NLL {h.median('heldout_nll')[0]:.3f} -> {h.median('heldout_nll')[-1]:.3f} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    parts = {"cost": cost, "verifier": verifier, "tails": tails}
    for name in sys.argv[1:] or parts:
        print(f"--- {name}")
        parts[name]()
