"""Notebook 03's exercises (modes and minorities); the theory they rest on and the lesson's runs live in lessons.mixture.

    from collapse_lab.exercises.mixture import q1, q2, q3, lesson_run

Every right answer is computed from that theory (the world's parameters), never typed in.
`lesson_run` is the lesson's seeded experiment, remembered: the self-check asks for the same runs
the lesson drew and gets them without refitting EM a second time (a seeded run is a pure function
of its arguments, so remembering it changes no number).
"""

import numpy as np

from ..lessons.mixture import (GENERATIONS, MINORITY, SAMPLES, SEEDS, few_points_share, lesson_run,  # noqa: F401
                               lost, minority_distance, minority_points, odds_factor, tempered_odds_factor)
from ..worlds import Mixture
from .core import FunctionExercise, NumberExercise, Wrong

# --- the usual slips (the right answers are lessons.mixture's theory) -----------------------------


def _distance_within_only(minority, gap=3.5):
    """A common slip: the covariance of the majority alone (the identity), not the batch's."""
    return float((1 - minority) * gap * np.sqrt(2))


def _distance_no_between(minority, gap=3.5):
    """Another: the components' own covariances averaged, without the spread between their centres."""
    within = (1 - minority) * 1.0 + minority * 0.25
    return float((1 - minority) * gap * np.sqrt(2) / np.sqrt(within))


def _weight_factor(w, temperature):
    """A natural misreading of exercise 1: the factor on the renormalised weight, not on the odds."""
    sharpened = w ** (1 / temperature) / (w ** (1 / temperature) + (1 - w) ** (1 / temperature))
    return float(sharpened / w)


# --- exercises --------------------------------------------------------------------------------

q1 = NumberExercise(
    "Exercise 1 (temperature)",
    expected=lambda: odds_factor(0.1, 0.9), source="theory",
    rtol=0.01,  # 0.78 is right; true tempering's 0.91 and T = 0.9 itself are wrong
    wrong=[
        Wrong(lambda: tempered_odds_factor(Mixture.two_d(0.1), 0.9),
              "that is true tempering p^(1/T), which also boosts the tight minority by its higher peak. "
              "The course's MixtureModel sharpens the weights alone: w^(1/T), renormalised."),
        Wrong(lambda: (0.1 / 0.9) ** (1 / 0.9),
              "that is the odds after one step, (w/(1 − w))^(1/T); the question asks for the factor: after / before."),
        Wrong(0.9, "T itself is not the factor: the odds are raised to the power 1/T, and the factor depends on them."),
        Wrong(lambda: 0.1 ** (1 / 0.9) / 0.1,
              "that is the factor on the weight w^(1/T) before renormalising; the question asks for the odds w/(1 − w)."),
        Wrong(lambda: _weight_factor(0.1, 0.9),
              "that is the factor on the minority's WEIGHT after renormalising, w' / w; the question asks for "
              "the factor on its odds w/(1 − w), which is what is raised to the power 1/T."),
        Wrong(lambda: 1 / odds_factor(0.1, 0.9),
              "upside down: at T < 1 the minority's odds shrink (they are below 1 and raised to a power above 1)."),
    ],
    hints=["The odds of the minority are w/(1 − w) = 1/9. At temperature T they become (1/9)^(1/T).",
           "The factor is (1/9)^(1/T) / (1/9) = (1/9)^(1/T − 1), with T = 0.9."],
    solution="The odds 1/9 become (1/9)^(1/0.9), a factor (1/9)^(0.111) ≈ 0.78 every generation, before any "
             "sampling noise: the odds fall geometrically and the minority is gone within 10–15 generations. True "
             "tempering p^(1/T) would give ≈ 0.91 here: it also favours the tight minority's higher peak.",
    code="my_factor = (0.1 / 0.9) ** (1 / 0.9 - 1)   # about 0.78",
)

q2 = FunctionExercise(
    "Exercise 2 (is there a safe threshold?)",
    reference=minority_distance, inputs=[0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5], argname="w", rtol=0.01,
    wrong=[
        Wrong(_distance_within_only, "that measures with the majority's covariance (the identity). ClipOutliers "
                                     "uses the batch's own covariance, which the gap between the groups stretches."),
        Wrong(_distance_no_between, "the batch covariance also holds the spread between the two centres, "
                                    "w(1 − w)·δδᵀ: without it the distance comes out far too large."),
        Wrong(lambda w: 3.5 * np.sqrt(2), "that is the distance from the majority's centre, in plain units; "
                                          "the batch's mean sits at w·(3.5, 3.5), and the unit is the batch's spread."),
    ],
    hints=["The batch's mean is w·(3.5, 3.5). Its covariance is the average of the two covariances, "
           "(1 − w)·I + w·0.25·I, plus the spread between the centres, w(1 − w)·δδᵀ with δ = (3.5, 3.5).",
           "d = minority centre − batch mean; the distance is √(dᵀ Σ⁻¹ d): np.sqrt(d @ np.linalg.solve(Σ, d))."],
    solution="At w = 0.1 the minority's centre is 2.5 batch standard deviations from the batch mean: ClipOutliers(2.5) "
             "cuts through the middle of the group. As the group shrinks the batch mean and covariance follow the "
             "majority, and the distance grows (about 3.2 at w = 0.05, 4.0 at w = 0.02). A looser threshold only "
             "waits for the group to shrink by chance; then it trims it, and trims harder the smaller it gets.",
    code="def my_distance(w):\n"
         "    delta = np.array([3.5, 3.5])\n"
         "    mean = w * delta\n"
         "    cov = ((1 - w) + 0.25 * w) * np.eye(2) + w * (1 - w) * np.outer(delta, delta)\n"
         "    d = delta - mean\n"
         "    return np.sqrt(d @ np.linalg.solve(cov, d))",
)

q3 = NumberExercise(
    "Exercise 3 (a larger group)",
    expected=lambda: minority_points(0.3, 200)[0] / 0.1,
    rtol=0.02,
    wrong=[
        Wrong(200, "with 200 samples the 10% minority gets 20 points a generation, the 30% one 60."),
        Wrong(lambda: 200 * 0.1 / 0.3, "upside down: the smaller group needs *more* samples to get as many points."),
        Wrong(60, "60 is how many points the 30% minority gets; the question asks for the samples per generation "
                  "that give the 10% minority as many."),
    ],
    hints=["The minority's expected points per generation are samples × weight.",
           "Solve samples × 0.1 = 200 × 0.3."],
    solution="600 samples per generation give the 10% minority the 60 expected points the 30% minority gets from "
             "200. The count is not all that decides: with the same 60 points a generation, the 10% group at 600 "
             "samples is still lost in about 42% of 40 runs, the 30% group at 200 in about 18% (notebook 03's "
             "folded solution): both the number of points and the share matter.",
    code="my_samples = 200 * 0.3 / 0.1   # 600",
)

__all__ = ["q1", "q2", "q3", "lesson_run", "lost", "minority_points", "few_points_share", "odds_factor",
           "tempered_odds_factor", "minority_distance", "SAMPLES", "GENERATIONS", "SEEDS", "MINORITY"]
