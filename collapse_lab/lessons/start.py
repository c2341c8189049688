"""Lesson 00, start here: the first collapse, and the check that the course's widgets can work.

Taught in notebook 00 (00_start_here.ipynb): a Gaussian refitted 100 times on 20 of its own
samples, σ's collapse against theory, and the same loop with ten times the data (the exercise).
"""
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from ..engine.loop import simulate
from ..worlds import Gaussian, GaussianModel
from ..worlds.gaussian import log_var_drift, std_theory

# The lesson's settings: 100 generations of 20 samples, 20 runs side by side, seed 0.
GENERATIONS, SAMPLES, SEEDS = 100, 20, 20


def median_sigma(samples, generations=GENERATIONS, seeds=SEEDS, seed=0):
    """The median σ, after `generations`, of `seeds` Gaussians each refitted on `samples` of its own samples."""
    history = simulate(Gaussian(), GaussianModel(), generations=generations, samples=samples, seeds=seeds, seed=seed)
    return float(history.median("std")[-1])


def choice(right, why):
    """A judge for a one-line multiple-choice check: `exercises.core.Exercise(title, judge=choice(...))`.

    right: the right option's letter; why: {letter: what that choice means}, the message shown for it.
    Used by notebooks 00-02 to give every objective a check (issue 19); the answer is a letter in quotes.
    """
    def judge(answer):
        letter = answer.strip().lower().strip("()") if isinstance(answer, str) else None
        if letter not in why:
            return False, f"answer with one letter in quotes: {', '.join(repr(k) for k in why)}. Got {answer!r}."
        return letter == right, why[letter]
    return judge


# Objective check (notebook 00): what early and late collapse are (Shumailov et al. 2024).
CHECK_COLLAPSE = choice("b", {
    "a": "not quite: that is the first stage only (early collapse). Late collapse is where the model ends: "
         "converged to something unlike the real distribution, with much of its variety gone.",
    "b": "right: early collapse loses the tails (rare cases), late collapse converges to a distribution "
         "unlike the real one, with much of its variety gone.",
    "c": "no: per-sample quality can even rise while diversity falls (sampling bias), which is why the "
         "course measures both against the real world.",
})


def widgets_ready():
    """True when ipywidgets 8 or later is installed (the course's explorers need it; notebook 00, setup)."""
    try:
        return int(version("ipywidgets").split(".")[0]) >= 8
    except PackageNotFoundError:
        return False


# --- self-check: each helper checks one section's claims at the lesson's settings ------------------

def _check_collapse(generations=GENERATIONS, samples=SAMPLES, seeds=SEEDS, seed=0):
    """§ "Your first collapse": σ falls far below 1, inside theory's band, in most runs."""
    history = simulate(Gaussian(), GaussianModel(), generations=generations, samples=samples, seeds=seeds, seed=seed)
    median, theory = history.median("std")[-1], std_theory(samples, generations)
    assert median < 0.25, f"σ should have collapsed far below 1 after 100 generations; median {median:.2f}"
    assert theory[1][-1] < median < theory[2][-1], "the median should lie in theory's 10–90% band"
    assert abs(np.log(median / theory[0][-1])) < 0.5, "close to what theory expects"
    assert int((history.final("std") < 1).sum()) >= 15, "most runs should end with σ below 1"


def _check_more_data(samples=200, generations=GENERATIONS, seeds=SEEDS, seed=0):
    """The exercise's solution: with 200 samples σ still shrinks, about tenfold more slowly, near theory's median."""
    sigma = median_sigma(samples, generations=generations, seeds=seeds, seed=seed)
    assert round(sigma, 2) == 0.73 and round(std_theory(samples, generations)[0][-1], 2) == 0.78
    assert 9 < log_var_drift(20) / log_var_drift(200) < 12, "ten times the data: about ten times slower"


def _check_mean_vs_median(samples=200):
    """The exercise's fold: the mean σ over 20 runs is about 1.01, σ² averages 1 over many runs, the median of
    20 runs is 0.73-0.84 over seed sets 0-5 with 12-14 runs below 1."""
    runs = [simulate(Gaussian(), GaussianModel(), generations=GENERATIONS, samples=samples, seeds=SEEDS, seed=s)
            .final("std") for s in range(6)]
    assert round(runs[0].mean(), 2) == 1.01
    medians = [np.median(r) for r in runs]
    assert round(min(medians), 2) == 0.73 and round(max(medians), 2) == 0.84
    assert {int((r < 1).sum()) for r in runs} <= set(range(12, 15))
    var = simulate(Gaussian(), GaussianModel(), generations=GENERATIONS, samples=samples, seeds=20_000,
                   seed=0).final("std") ** 2
    assert round(float(var.mean()), 2) == 0.99 and round(float(var.std() / np.sqrt(var.size)), 2) == 0.01, \
        "each fit is unbiased: σ² averages 1 (within its standard error)"


def self_check():
    """Notebook 00's self-check: every claim above, from its own seeded runs. Returns the line to print."""
    _check_collapse()
    _check_more_data()
    _check_mean_vs_median()
    assert widgets_ready()
    return "Self-check passed.\nσ collapsed in most runs, and the widgets are ready."


# --- key points as claims, each checked in a neighbourhood (issue 19, item 2) -----------------------
# At the lesson's setting (n = 20, 100 generations, 20 runs, seed 0), three other seed sets, and half
# and double n. The Gaussian path is exact, so each check costs milliseconds.

def claim_collapse(samples=SAMPLES, seed=0):
    """Even an unbiased fit loses its spread: the median σ falls far below 1, inside theory's band, in most runs."""
    history = simulate(Gaussian(), GaussianModel(), generations=GENERATIONS, samples=samples, seeds=SEEDS, seed=seed)
    median, (_, low, high) = history.median("std")[-1], std_theory(samples, GENERATIONS)
    assert median < 0.5 and low[-1] < median < high[-1], f"median σ {median:.3f}"
    assert (history.final("std") < 1).sum() > SEEDS / 2, "most runs end below 1"


def claim_more_data(samples=200, seed=0, runs=200):
    """More data per generation delays collapse, it does not stop it: ten times the data, about ten times slower.

    Checked on 200 runs: the median of the exercise's 20 runs is 0.73-0.84 over seed sets 0-5, with
    12-14 of 20 runs below 1 (theory's median 0.78); the mean of σ² over runs stays at 1 (each fit is unbiased).
    """
    history = simulate(Gaussian(), GaussianModel(), generations=GENERATIONS, samples=samples, seeds=runs, seed=seed)
    log_var = np.log(history.final("std") ** 2)
    assert log_var.mean() + 3 * log_var.std() / np.sqrt(runs) < 0, "σ still shrinks"
    ratio = log_var_drift(samples // 10) / log_var_drift(samples)
    assert 9 < ratio < 12, "ten times the data: about ten times slower"


CLAIMS = [  # (sentence as the lesson states it, its check); tests/test_claims_00_02.py runs each in its neighbourhood
    ("A model trained on its own output, generation after generation, forgets: even an unbiased fit of a "
     "single Gaussian loses its spread.", claim_collapse),
    ("More data per generation delays collapse, it does not stop it.", claim_more_data),
]
NEIGHBOURHOOD = {claim_collapse: [dict(seed=s) for s in (0, 1, 2, 3)] + [dict(samples=10), dict(samples=40)],
                 claim_more_data: [dict(seed=s) for s in (0, 1, 2, 3)] + [dict(samples=100), dict(samples=400)]}
