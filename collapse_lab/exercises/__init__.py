"""Exercises that answer back, and predictions that are recorded.

In the spirit of Kaggle Learn's learntools: an exercise is an object with three methods,

    q1.check(answer)   right or wrong, and for the usual mistakes what is probably wrong
    q1.hint()          a nudge
    q1.solution()      the worked answer (the page also keeps it folded, for readers without a kernel)

Unlike learntools, `check` takes the answer as an argument instead of reading the learner's
globals: the learner's code lives in the learner's own names, and nothing else in the notebook
depends on them. Each lesson's exercises sit in a module of this package named after the lesson
(`collapse_lab.exercises.gaussian` for notebook 01); the right answers are computed from the
package's theory functions, never typed in.

    from collapse_lab.exercises.gaussian import q1
    q1.check(12)          # a coloured line in a notebook, plain text elsewhere
"""
from .core import Exercise, Feedback, FunctionExercise, NumberExercise, OtherRun, Wrong
from .predictions import Prediction, predict, reveal

__all__ = ["Exercise", "NumberExercise", "FunctionExercise", "Wrong", "OtherRun", "Feedback",
           "Prediction", "predict", "reveal"]
