"""Benchmarks: our engine against a straightforward implementation, timed in the same run.

    python benchmarks/engine.py                  # everything
    python benchmarks/engine.py gaussian memory  # only some parts
    python -m collapse_lab.bench ...             # the same (an alias kept for old instructions)

Each line prints both times and their ratio against the target. The straightforward versions
are written the way the original papers' notebooks do it: one seed at a time, one generation
at a time, drawing every sample.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from collapse_lab.engine.loop import simulate
from collapse_lab.worlds import Gaussian, GaussianModel, Mixture, MixtureModel

PARTS = ("gaussian", "memory", "mixture", "em", "widget", "ngram", "neural")


def best_time(fn, repeat=1):
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
    """(a) the Gaussian recursion: exact O(1) path for many seeds vs the per-seed sample loop.

    simulate runs with its default arguments (11 snapshots for the plots included): issue 13 asks
    that the plots' samples cost nothing, so they are timed too."""
    print(f"(a) Gaussian, {generations} generations, time per seed: {seeds} seeds side by side (exact path, "
          f"default arguments) vs a per-seed loop drawing every sample")
    ok = True
    for n in (100, 500, 1000, 10_000):
        # the same History both ways: mean, std, tail masses and distance every generation
        ours = best_time(lambda: simulate(Gaussian(), GaussianModel(), generations=generations, samples=n,
                                       seeds=seeds, seed=0), repeat=3) / seeds
        rng = np.random.default_rng(0)
        base = best_time(lambda: [gaussian_loop(n, generations, rng, Gaussian()) for _ in range(baseline_seeds)])
        ok &= _report(f"    n = {n:<6} all metrics", ours, base / baseline_seeds, 100)
        # the recursion alone, σ only: no metrics on either side (for information)
        ours = best_time(lambda: simulate(_StdOnly(), GaussianModel(), generations=generations, samples=n,
                                       seeds=seeds, seed=0, snapshots=0), repeat=3) / seeds
        base = best_time(lambda: [gaussian_loop(n, generations, rng, None) for _ in range(baseline_seeds)])
        _report(f"    n = {n:<6} σ only (info)", ours, base / baseline_seeds, 100)
    return ok


PEAK = """
import sys
from collapse_lab.__main__ import main
status = main(sys.argv[1:])
with open("/proc/self/status") as f:
    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
print(hwm / 1024, status, file=sys.stderr)
"""


def cli_peak_mb(*args):
    """Peak resident memory (MB, VmHWM, imports included) of one CLI command, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, timeout=900)
    peak, status = out.stderr.strip().splitlines()[-1].split()
    if status != "0":
        raise RuntimeError(out.stderr)
    return float(peak)


def bench_memory(target_mb=200.0):
    """(a') the snapshots' memory: `run gaussian --samples 1000000 --seeds 20`, whole process, in MB."""
    if not Path("/proc/self/status").exists():
        print("(a') memory: skipped, VmHWM is read from Linux's /proc")
        return True
    print("(a') peak memory of one CLI run, whole process (imports included, about 65 MB)")
    ok = True
    plot = str(Path(__file__).resolve().parent / "_memory_bench.png")
    peak = cli_peak_mb("run", "gaussian", "--samples", "1000000", "--seeds", "20")
    verdict = "PASS" if peak < target_mb else "FAIL"
    print(f"    {'run gaussian --samples 1000000 --seeds 20':<52} {peak:8.0f} MB  (target < {target_mb:g} MB)  {verdict}",
          flush=True)
    ok &= peak < target_mb
    # for information: the figure draws every seed's snapshot samples when it reads them
    peak = cli_peak_mb("run", "gaussian", "--samples", "1000000", "--seeds", "20", "--plot", plot)
    print(f"    {'the same with --plot (info: the plots draw the samples)':<52} {peak:8.0f} MB", flush=True)
    Path(plot).unlink(missing_ok=True)
    # the loop itself with its default snapshots=11 (the CLI keeps none unless --plot asks)
    code = ("import sys; from collapse_lab.engine.loop import simulate; from collapse_lab.worlds import Gaussian, GaussianModel; "
            "simulate(Gaussian(), GaussianModel(), samples=10**6, seeds=20, seed=0); "
            "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) / 1024, 0, "
            "file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    peak = float(out.stderr.strip().splitlines()[-1].split()[0])
    verdict = "PASS" if peak < target_mb else "FAIL"
    print(f"    {'simulate(samples=10**6, seeds=20), default snapshots':<52} {peak:8.0f} MB  (target < {target_mb:g} MB)  "
          f"{verdict}", flush=True)
    return ok and peak < target_mb


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
    ours = best_time(lambda: simulate(Mixture.two_d(), MixtureModel(), generations=generations, samples=n,
                                   seeds=seeds, seed=0))
    base = best_time(lambda: mixture_loop_sklearn(n, generations, 0))
    return _report(f"    {seeds} seeds vs 1 seed", ours, base, 1, unit="total")


def bench_em(target=3.0):
    """(b') one EM fit, MixtureModel (all seeds at once, 2x2 inverses written out) vs the tests'
    plain EM (tests/reference_em.py: a seed and a component at a time, np.linalg): same data."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from reference_em import plain_em

    print("(b') one EM fit (K = 2): MixtureModel vs a plain per-seed EM, the same data, and the largest "
          "difference in the fitted weights, means and covariances")
    ok = True
    for label, world, seeds, n in [("explorer: 2-D, 8 seeds × 100 points", Mixture.two_d(0.1), 8, 100),
                                   ("notebook 03: 2-D, 40 seeds × 200 points", Mixture.two_d(0.1), 40, 200),
                                   ("1-D, 20 seeds × 200 points", Mixture.one_d(), 20, 200)]:
        X = world.sample((seeds, n), np.random.default_rng(0))
        model = MixtureModel(2)
        ours = best_time(lambda: model.fit(X), repeat=20)
        base = best_time(lambda: plain_em(X, n_components=2), repeat=3)
        plain = plain_em(X, n_components=2)[:3]
        diff = max(np.abs(a - b).max() for a, b in zip((model.weights_, model.means_, model.covs_), plain))
        ok &= _report(f"    {label}", ours, base, target, unit="per fit")
        print(f"    {'':<44} {model.n_iter_} iterations, max |parameter difference| {diff:.1e}", flush=True)
    # for information: the mixture explorer's whole experiment at its defaults (notebook 03)
    t = best_time(lambda: simulate(Mixture.two_d(0.1), MixtureModel(2), generations=50, samples=100, seeds=8, seed=0),
               repeat=5)
    print(f"    {'explorer defaults: 50 generations, 8 seeds × 100':<44} {t * 1e3:8.1f} ms  (info)", flush=True)
    return ok


def bench_widget(target_ms=20.0):
    """(c) what a dashboard runs on every slider move: 20 seeds × 100 generations × 100 samples."""
    print("(c) widget-sized run: 20 seeds × 100 generations × 100 samples")
    ok = True
    for label, kw in [("Gaussian (exact path)", {}),
                      ("Gaussian, real fraction 0.1, accumulate", dict(real_fraction=0.1, mode="accumulate"))]:
        t = best_time(lambda: simulate(Gaussian(), GaussianModel(), generations=100, samples=100, seeds=20, seed=0, **kw),
                   repeat=5)
        verdict = "PASS" if t * 1e3 < target_ms else "FAIL"
        print(f"    {label:<40} {t * 1e3:8.2f} ms  (target < {target_ms:g} ms)  {verdict}", flush=True)
        ok &= t * 1e3 < target_ms
    # for reference: the same run with a gate takes the sample path
    from collapse_lab.engine.gates import TopLikelihood

    t = best_time(lambda: simulate(Gaussian(), GaussianModel(), generations=100, samples=100, seeds=20, seed=0,
                                gate=TopLikelihood(0.9)), repeat=5)
    print(f"    {'Gaussian, gated (sample path), info only':<40} {t * 1e3:8.2f} ms")
    return ok


def parser():
    p = argparse.ArgumentParser(prog="python benchmarks/engine.py",
                                description="Time the package's loops against straightforward implementations, "
                                            "in one run, and print both with their ratio and target.")
    p.add_argument("parts", nargs="*", metavar="PART",
                   help=f"which benchmarks to run: {', '.join(PARTS)} (default: all)")
    return p


def main(argv=None):
    p = parser()
    parts = p.parse_args(argv).parts or list(PARTS)
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        p.error(f"unknown part {unknown[0]!r}: choose from {', '.join(PARTS)}")
    ok = True
    if "gaussian" in parts:
        ok &= bench_gaussian()
    if "memory" in parts:
        ok &= bench_memory()
    if "mixture" in parts:
        ok &= bench_mixture()
    if "em" in parts:
        ok &= bench_em()
    if "widget" in parts:
        ok &= bench_widget()
    if "ngram" in parts or "neural" in parts:
        sys.path.insert(0, str(Path(__file__).resolve().parent))  # language_models.py sits beside this file
        import language_models

        if "ngram" in parts:
            language_models.bench_ngram()
        if "neural" in parts:
            language_models.bench_neural()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
