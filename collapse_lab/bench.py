"""Benchmarks: our engine against a straightforward implementation, timed in the same run.

    python -m collapse_lab.bench                 # everything
    python -m collapse_lab.bench gaussian widget # only some parts

Each line prints both times and their ratio against the target. The straightforward versions
are written the way the original papers' notebooks do it: one seed at a time, one generation
at a time, drawing every sample.
"""
import sys
import time

import numpy as np

from .loop import simulate
from .toys import Gaussian, GaussianModel, Mixture, MixtureModel


def _timed(fn, repeat=1):
    """Best wall time of `repeat` calls, in seconds (best-of filters out noise from other processes)."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _report(name, ours, baseline, target, unit="per seed"):
    ratio = baseline / ours
    verdict = "PASS" if ratio >= target else "FAIL"
    print(f"{name:<44} ours {ours * 1e3:10.3f} ms  straightforward {baseline * 1e3:10.1f} ms  {unit:<9}"
          f"  {ratio:8.0f}x  (target ≥ {target:g}x)  {verdict}", flush=True)
    return ratio >= target


class _Fitted:
    """A stand-in model with one seed's fitted mean and std, so the loop below can call world.measure."""

    def __init__(self, mean, std):
        self.mean_, self.std_ = np.array([mean]), np.array([std])


class _StdOnly(Gaussian):
    """The Gaussian world measuring nothing but σ: isolates the cost of the recursion itself."""

    def measure(self, model, samples=None, model0=None):
        return {"std": model.std_}


def gaussian_loop(n, generations, rng, world):
    """Shumailov et al.'s Gaussian experiment for one seed, drawing all n samples each generation
    and measuring the same metrics as `simulate` (skipped when `world` is None)."""
    x = rng.normal(0.0, 1.0, n)
    history = []
    for _ in range(generations + 1):
        mu, sigma = x.mean(), x.std(ddof=1)
        if world is not None:
            history.append(world.measure(_Fitted(mu, sigma)))
        x = rng.normal(mu, sigma, n)
    return history


def bench_gaussian(generations=1000, seeds=1000, baseline_seeds=3):
    """(a) the Gaussian recursion: exact O(1) path for many seeds vs the per-seed sample loop."""
    print(f"(a) Gaussian, {generations} generations, time per seed: {seeds} seeds side by side (exact path) "
          f"vs a per-seed loop drawing every sample")
    ok = True
    for n in (100, 500, 1000, 10_000):
        # the same History both ways: mean, std, tail masses and distance every generation
        ours = _timed(lambda: simulate(Gaussian(), GaussianModel(), generations=generations, samples=n,
                                       seeds=seeds, seed=0, snapshots=0), repeat=3) / seeds
        rng = np.random.default_rng(0)
        base = _timed(lambda: [gaussian_loop(n, generations, rng, Gaussian()) for _ in range(baseline_seeds)])
        ok &= _report(f"    n = {n:<6} all metrics", ours, base / baseline_seeds, 100)
        # the recursion alone, σ only: no metrics on either side (for information)
        ours = _timed(lambda: simulate(_StdOnly(), GaussianModel(), generations=generations, samples=n,
                                       seeds=seeds, seed=0, snapshots=0), repeat=3) / seeds
        base = _timed(lambda: [gaussian_loop(n, generations, rng, None) for _ in range(baseline_seeds)])
        _report(f"    n = {n:<6} σ only (info)", ours, base / baseline_seeds, 100)
    return ok


def mixture_loop_sklearn(n, generations, seed):
    """Shumailov et al.'s mixture recursion for one seed: scikit-learn's GaussianMixture refit each generation."""
    from sklearn.mixture import GaussianMixture

    X = Mixture.two_d().sample((1, n), np.random.default_rng(seed))[0]
    for g in range(generations):
        gm = GaussianMixture(2, random_state=seed + g).fit(X)
        X, _ = gm.sample(n)
    return gm


def bench_mixture(n=1000, generations=2050, seeds=10):
    """(b) 2-component mixture: our 10 seeds, vectorised EM, vs one seed with scikit-learn."""
    try:
        import sklearn  # noqa: F401  (benchmark-only dependency)
    except ImportError:
        print("(b) mixture: skipped, scikit-learn is not installed (pip install scikit-learn)")
        return True
    print(f"(b) 2-D mixture, N = {n}, {generations} generations: {seeds} seeds (ours) vs 1 seed (scikit-learn)")
    ours = _timed(lambda: simulate(Mixture.two_d(), MixtureModel(), generations=generations, samples=n,
                                   seeds=seeds, seed=0))
    base = _timed(lambda: mixture_loop_sklearn(n, generations, 0))
    return _report(f"    {seeds} seeds vs 1 seed", ours, base, 1, unit="total")


def bench_widget(target_ms=20.0):
    """(c) what a dashboard runs on every slider move: 20 seeds × 100 generations × 100 samples."""
    print("(c) widget-sized run: 20 seeds × 100 generations × 100 samples")
    ok = True
    for label, kw in [("Gaussian (exact path)", {}),
                      ("Gaussian, real fraction 0.1, accumulate", dict(real_fraction=0.1, mode="accumulate"))]:
        t = _timed(lambda: simulate(Gaussian(), GaussianModel(), generations=100, samples=100, seeds=20, seed=0, **kw),
                   repeat=5)
        verdict = "PASS" if t * 1e3 < target_ms else "FAIL"
        print(f"    {label:<40} {t * 1e3:8.2f} ms  (target < {target_ms:g} ms)  {verdict}", flush=True)
        ok &= t * 1e3 < target_ms
    # for reference: the same run with a gate takes the sample path
    from .gates import TopLikelihood

    t = _timed(lambda: simulate(Gaussian(), GaussianModel(), generations=100, samples=100, seeds=20, seed=0,
                                gate=TopLikelihood(0.9)), repeat=5)
    print(f"    {'Gaussian, gated (sample path), info only':<40} {t * 1e3:8.2f} ms")
    return ok


def main(argv=None):
    parts = (argv if argv is not None else sys.argv[1:]) or ["gaussian", "mixture", "widget", "ngram", "neural"]
    ok = True
    if "gaussian" in parts:
        ok &= bench_gaussian()
    if "mixture" in parts:
        ok &= bench_mixture()
    if "widget" in parts:
        ok &= bench_widget()
    if "ngram" in parts or "neural" in parts:
        from . import bench_lm

        if "ngram" in parts:
            bench_lm.bench_ngram()
        if "neural" in parts:
            bench_lm.bench_neural()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
