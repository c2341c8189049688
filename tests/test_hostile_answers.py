"""Every exercise's check returns feedback on any answer (issue 24, item 4): never a traceback,
not even for a function that calls sys.exit, and a function that writes into its input is told so."""
import importlib
import pkgutil
import sys

import numpy as np
import pytest

import collapse_lab.exercises as exercises_package
from collapse_lab.exercises.core import Exercise, Feedback, FunctionExercise
from collapse_lab.exercises.predictions import Prediction


class BrokenFloat(float):
    def __float__(self):
        raise RuntimeError("no float for you")

    def __repr__(self):
        raise RuntimeError("no repr either")


class Weird:
    def __float__(self):
        raise ZeroDivisionError("broken __float__")

    def __array__(self, *args, **kwargs):
        raise ValueError("broken __array__")


def exits(*args, **kwargs):
    sys.exit(3)


def interrupts_nothing_but_recurses(*args, **kwargs):
    return interrupts_nothing_but_recurses(*args, **kwargs)


def returns_generator(*args, **kwargs):
    return (i for i in range(3))


def writes_into_input(x, *rest):
    try:
        x[...] = 0
    except Exception:
        pass
    return x


HOSTILE = [10**400, -10**400, [10**400, 30], BrokenFloat(1.0), Weird(), float("nan"), float("inf"), [float("nan")],
           (i for i in range(3)), exits, interrupts_nothing_but_recurses, returns_generator, writes_into_input,
           "１０", "12", b"12", {"a": 1}, [[1, 2], [3]], np.array([]), object(), True, 1 + 2j, [None, 3], ...,
           type, lambda: 1, lambda *a: None]


def all_exercises():
    found = []
    for info in pkgutil.iter_modules(exercises_package.__path__):
        module = importlib.import_module(f"collapse_lab.exercises.{info.name}")
        found += [(f"{info.name}.{name}", obj) for name, obj in vars(module).items()
                  if name.startswith("q") and isinstance(obj, Exercise)]
    return found


EXERCISES = all_exercises()


def test_every_lesson_has_exercises():
    assert len(EXERCISES) >= 20


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[n for n, _ in EXERCISES])
def test_check_returns_feedback_on_hostile_answers(name, exercise):
    for answer in HOSTILE:
        feedback = exercise.check(answer)
        assert isinstance(feedback, Feedback), (name, answer)
        assert not feedback.correct, (name, answer)
        str(feedback), feedback._repr_html_()


def test_a_function_that_writes_into_its_input_is_told():
    ex = FunctionExercise("t", lambda x: x * 2, [np.arange(3.0)])
    def doubles_in_place(x):
        x *= 2
        return x
    feedback = ex.check(doubles_in_place)
    assert not feedback.correct and "in place" in feedback.message
    assert ex.check(lambda x: x * 2).correct  # the test input is intact


def test_the_surprise_gate_that_writes_into_samples_does_not_corrupt_the_batch():
    from collapse_lab.exercises import quality_gates
    def vandal(samples, model, mask):
        samples[...] = samples[:, :1]
        return mask
    assert "wrote into" in quality_gates.q4.check(vandal).message
    solution = lambda samples, model, mask: mask & (  # noqa: E731
        -model.log_prob(samples) > np.quantile(-model.log_prob(samples), 0.1, axis=1, keepdims=True))
    assert quality_gates.q4.check(solution).correct


@pytest.mark.parametrize("guess", [10**400, float("nan"), Weird(), BrokenFloat(1.0), "abc", None], ids=list("abcdef"))
def test_a_prediction_never_raises_on_a_guess(guess):
    number = Prediction("how many?", number=(0, 10))
    choice = Prediction("which?", options=["a", "b"])
    for p in (number, choice):
        result = p.record(guess)
        assert isinstance(result, (Feedback, Prediction))
