"""Notebook 00's exercise (start here). The right answer comes from the same seeded run the learner makes.

    from collapse_lab.exercises.start import q1
"""
from ..lessons.start import median_sigma
from .core import NumberExercise, Wrong


class RunExercise(NumberExercise):
    """A number read off a seeded run: right when it matches the same run (to rounding)."""

    def _praise(self, answer):
        return "that is what the run gives."


q1 = RunExercise(
    "Exercise 1 (more data per generation)",
    expected=lambda: median_sigma(200),
    rtol=0.02,
    wrong=[
        Wrong(lambda: median_sigma(20), "that is the run above, with 20 samples per generation: change samples to 200."),
        Wrong(lambda: median_sigma(200) ** 2, "that looks like the variance σ²; the question asks for σ itself."),
        Wrong(1.0, "σ still shrinks with 200 samples per generation, only more slowly: run it and read the median."),
    ],
    hints=["Copy the simulate(...) line above and change samples=20 to samples=200 (keep seeds=20, seed=0: "
           "another seed gives another answer).",
           "The median σ after the last generation is history.median('std')[-1]."],
    solution="About 0.73 in this run (theory's median: exp(101 · worlds.gaussian.log_var_drift(200) / 2) ≈ 0.78; 20 runs "
             "give a median good to about ±15%). Ten times more data per "
             "generation slows the collapse about tenfold, but σ still shrinks: more data delays collapse, it does "
             "not stop it (notebook 01 shows why).",
    code="my_history = simulate(Gaussian(), GaussianModel(), generations=100, samples=200, seeds=20, seed=0)\n"
         "my_sigma = my_history.median('std')[-1]   # about 0.73",
)

__all__ = ["q1", "median_sigma", "RunExercise"]
