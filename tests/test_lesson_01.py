"""Notebook 01 (Gaussian collapse): the new theory against simulation, exercise 6 and the new
feedback, the explorer's new levers, colour vision of the new figures, and the notebook with a
learner's answers and changed settings still passing its self-check."""
from pathlib import Path

import numpy as np
import pytest
from scipy.special import polygamma

from collapse_lab import Gaussian, GaussianModel, dashboards, plots, simulate
from collapse_lab.exercises import gaussian as ex
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import lessons  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "01_gaussian_collapse.py"


# --- theory: the settled spread of log σ² with fresh real data ---------------------------------

@pytest.mark.parametrize("rho", [0.05, 0.2, 0.5])
def test_settled_spread_matches_theory(rho):
    # 800 runs: the standard deviation over runs is good to 1/sqrt(2·800) = 2.5%; allow 4 standard
    # errors (10%), since the theory is also a first-order approximation around σ = 1
    h = simulate(Gaussian(), GaussianModel(), generations=300, samples=100, seeds=800, seed=3, real_fraction=rho)
    measured = np.log(h.final("std") ** 2).std()
    assert abs(measured / lessons.gaussian.anchored_log_var_sd(100, rho) - 1) < 0.10


def test_median_stays_at_one_while_spread_does_not_shrink_to_a_fit_on_n():
    h = simulate(Gaussian(), GaussianModel(), generations=300, samples=100, seeds=800, seed=4, real_fraction=0.02)
    assert abs(np.median(h.final("std")) - 1) < 0.1
    spread = np.log(h.final("std") ** 2).std()
    one_fit_on_n = np.sqrt(polygamma(1, 99 / 2))      # Var(log σ²) of a single fit to 100 real points
    assert spread > 4 * one_fit_on_n


@pytest.mark.parametrize("rho", [0.05, 0.1, 0.3])
def test_equivalent_real_samples_has_the_loops_spread(rho):
    # a single fit to N points: sd(log σ²) = sqrt(ψ'((N − 1)/2)); equal to the loop's within 10% for N ≥ 10
    dof = lessons.gaussian.equivalent_real_samples(100, rho) - 1
    assert abs(np.sqrt(polygamma(1, dof / 2)) / lessons.gaussian.anchored_log_var_sd(100, rho) - 1) < 0.10
    assert abs(lessons.gaussian.equivalent_real_samples(100, rho) / (2 * rho * 100) - 1) < 0.2   # "about 2ρn"


def test_fixed_real_set_holds_the_model_off_while_fresh_data_corrects_it():
    kw = dict(generations=200, samples=100, seeds=200, seed=5, real_fraction=0.1)
    fresh = simulate(Gaussian(), GaussianModel(), **kw).median("wasserstein")[100:]
    fixed = simulate(Gaussian(), GaussianModel(), real_source="fixed", **kw).median("wasserstein")[100:]
    none = simulate(Gaussian(), GaussianModel(), generations=200, samples=100, seeds=200, seed=5).median("wasserstein")
    assert fixed.min() > 1.3 * fresh.max() and none[-1] > 2 * fixed.max()


# --- exercises -----------------------------------------------------------------------------------

def _says(feedback, kind, words):
    assert feedback.kind == kind and words in feedback.message, (feedback.kind, feedback.message)


def test_q6_right_wrong_and_wrong_type():
    assert ex.q6.check(10.75).correct and ex.q6.check(10).correct and ex.q6.check(11).correct
    _says(ex.q6.check(5), "incorrect", "each generation sees")
    _says(ex.q6.check(100), "incorrect", "whole generation")
    _says(ex.q6.check(20), "incorrect", "generations the pull")
    _says(ex.q6.check(40), "incorrect", "too large")
    _says(ex.q6.check("10"), "type", "not a number")
    _says(ex.q6.check(...), "type", "placeholder")


def test_every_solution_passes_its_check_and_cites_what_the_papers_showed():
    scope = {"np": np, "worlds": __import__("collapse_lab").worlds, "simulate": simulate, "Gaussian": Gaussian,
             "GaussianModel": GaussianModel, "collapse_lab": __import__("collapse_lab"), "plots": plots}
    for name, variable in {"q1": "my_drift", "q4": "my_factor", "q5": "my_share", "q6": "my_equivalent"}.items():
        exec(getattr(ex, name).solution().code, scope)
        assert getattr(ex, name).check(scope[variable]).correct, name
    assert "sampling bias" in ex.q4.solution().message and "Alemohammad" in ex.q4.solution().message
    assert "linear regression" in ex.q5.solution().message and "Dey & Donoho" in ex.q5.solution().message


# --- the explorer's new levers ------------------------------------------------------------------

def test_explorer_runs_fixed_real_sets_and_accumulate_subsample():
    e = dashboards.gaussian(real_fraction=0.1, generations=30, seeds=8)
    assert "as much as a single fit to about 20 real samples" in e.caption.value
    e.controls["real_source"].value = "fixed"
    assert e.history.config["real_source"] == "fixed" and "single fit" not in e.caption.value
    e.controls["mode"].value = "accumulate-subsample"
    assert e.history.config["mode"] == "accumulate-subsample"
    assert "the middle 80% of 8 runs" in e.caption.value


# --- colour vision of the new figures ----------------------------------------------------------

def test_new_figures_pass_colour_vision():
    from helpers import confusable

    settled = {r: simulate(Gaussian(), GaussianModel(), generations=60, samples=100, seeds=50, seed=0, real_fraction=r)
               for r in (0.05, 0.2)}
    assert not confusable(plots.anchored_spread(settled, 100).figure)
    base = dict(generations=20, samples=50, seeds=5, seed=0)
    loops = {"fully synthetic": simulate(Gaussian(), GaussianModel(), **base),
             "10% fixed real set": simulate(Gaussian(), GaussianModel(), real_fraction=0.1, real_source="fixed", **base),
             "10% fresh real": simulate(Gaussian(), GaussianModel(), real_fraction=0.1, **base),
             "accumulate": simulate(Gaussian(), GaussianModel(), mode="accumulate", **base),
             "accumulate-subsample (40 runs)": simulate(Gaussian(), GaussianModel(), mode="accumulate-subsample", **base)}
    ax = plots.compare(loops, "wasserstein", band=False, colors={"10% fixed real set": plots.COLORS["minority"],
                       "10% fresh real": plots.COLORS["real"], "accumulate-subsample (40 runs)": plots.PALETTE["sky"]})
    assert not confusable(ax.figure)
    e = dashboards.gaussian(mode="accumulate-subsample", generations=10, seeds=4)
    assert not confusable(e.figure)


# --- the notebook, as a learner leaves it --------------------------------------------------------

def learner_checks(printed):
    """What the learner's notebook printed, cell by cell: every answer right, and the self-check passed."""
    assert sum(p.startswith("Correct") for p in printed) == 7, printed     # 6 exercises and the objective check
    assert "Self-check passed." in printed[-1]


def test_exercise_answers_the_notebook_quotes():
    """Moved from the notebook's self-check: the exercises' answers (from theory) and exercise 4's run."""
    assert round(float(ex.q2.expected[0])) == 12 and round(float(ex.q2.expected[1])) == 1384 and round(float(ex.q3.expected)) == 23
    assert round(float(ex.q6.expected), 2) == 10.75
    assert ex.q4.check(lessons.gaussian.top_likelihood_factor(0.9)).correct, "top-90% should shrink σ by about 0.79 a generation"


# The learner's notebook is executed once per run, by nbval, as notebooks/01_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"n = 100 ": "n = 40 ", "G, seeds = 200, 200": "G, seeds = 120, 30",
                 "number=(0, 2))": "number=(0, 2), guess=0.4)", "seeds=4000, seed=1)": "seeds=500, seed=7)",
                 "check_theorem.check(...)": 'print(check_theorem.check("c"))'}
LEARNER = LearnerRun(SOURCE, ex, LEARNER_EDITS, check=learner_checks)
