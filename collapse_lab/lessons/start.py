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


def self_check():
    """Notebook 00's self-check: every claim above, from its own seeded runs. Returns the line to print."""
    _check_collapse()
    _check_more_data()
    assert widgets_ready()
    return "Self-check passed.\nσ collapsed in most runs, and the widgets are ready."
