"""Notebook 00 (start here): its exercise answers back, and the notebook with the exercise answered
and a setting changed still passes its self-check."""
from pathlib import Path

import numpy as np

from collapse_lab import Gaussian, GaussianModel, plots, simulate
from collapse_lab.exercises import start as ex
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import worlds  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "00_start_here.py"


def _says(feedback, kind, words):
    assert feedback.kind == kind and words in feedback.message, (feedback.kind, feedback.message)


def test_q1_right_wrong_and_wrong_type():
    right = ex.median_sigma(200)
    assert ex.q1.check(right).correct and ex.q1.check(round(right, 2)).correct
    _says(ex.q1.check(ex.median_sigma(20)), "incorrect", "20 samples")
    _says(ex.q1.check(right ** 2), "incorrect", "variance")
    _says(ex.q1.check(1.0), "incorrect", "more slowly")
    _says(ex.q1.check("0.73"), "type", "not a number")
    _says(ex.q1.check(...), "type", "placeholder")


def test_q1_answer_is_the_seeded_run_and_near_theory():
    scope = {"simulate": simulate, "Gaussian": Gaussian, "GaussianModel": GaussianModel}
    exec(ex.q1.solution().code, scope)
    assert ex.q1.check(scope["my_sigma"]).correct
    # 20 runs: the median of log σ is good to about 1.25·sd/sqrt(20); allow 3 standard errors
    theory, low, high = (t[-1] for t in worlds.gaussian.std_theory(200, 100))
    sd_log_sigma = np.log(high / low) / (2 * 1.2816)
    assert abs(np.log(scope["my_sigma"] / theory)) < 3 * 1.2533 * sd_log_sigma / np.sqrt(20)


def learner_checks(printed):
    """What the learner's notebook printed, cell by cell: every answer right, and the self-check passed."""
    assert sum(p.startswith("Correct") for p in printed) == 2, printed     # the exercise and the objective check
    assert "Self-check passed" in printed[-1]


def test_exercise_answer_is_the_self_checks_run():
    """Moved from the notebook's self-check: the exercise accepts the run with 200 samples a generation."""
    from collapse_lab.lessons.start import median_sigma
    assert ex.q1.check(median_sigma(200)).correct


# The learner's notebook is executed once per run, by nbval, as notebooks/00_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"generations=100, samples=20, seeds=20, seed=0)\n": "generations=50, samples=10, seeds=5, seed=3)\n",
                 '["about 1", "clearly above 1", "clearly below 1"])': '["about 1", "clearly above 1", "clearly below 1"], guess="about 1")',
                 'check_collapse.check(...)': 'print(check_collapse.check("b"))'}
LEARNER = LearnerRun(SOURCE, ex, LEARNER_EDITS, check=learner_checks)
