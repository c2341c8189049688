"""Exercises answer back: the right answer passes, the usual mistakes get their own message,
a wrong type gets words instead of a traceback; predictions record a guess and reveal it."""
import numpy as np
import pytest

from collapse_lab import Gaussian, GaussianModel, TopLikelihood, simulate
from collapse_lab.exercises import Exercise, Feedback, FunctionExercise, NumberExercise, Wrong, predict, reveal
from collapse_lab.exercises import gaussian as ex


def verdict(feedback, kind, *words):
    assert isinstance(feedback, Feedback)
    assert feedback.kind == kind, str(feedback)
    for word in words:  # the message says what is probably wrong, not just "wrong"
        assert word in feedback.message, f"{word!r} not in {feedback.message!r}"


# --- notebook 01: right answers, typical wrong answers, wrong types -------------------------

# (exercise, the right answer as a learner would type it, [(wrong answer, a word its message must hold)])
CASES = {
    "q1": (-0.0101, [(-0.00507, "log σ,"), (0.0101, "sign"), (-0.0044, "base-10"), (0, "unbiased")]),
    "q2": ([12, 1384], [([6, 1384], "σ² halves"), ([13.9, 1384], "approximation"), ([1384, 12], "swapped"),
                        ([5.2, 1384], "log₁₀")]),
    "q3": (23, [(137, "without temperature"), (38.8, "multiplies σ by T"), (11.3, "σ² halves"), (-33.7, "negative")]),
    "q4": (0.79, [(0.9, "share of samples"), (0.62, "variance σ²"), (1, "tails"), (0.95, "at random")]),
    "q5": (lambda g: 1 / (g + 1), [(lambda g: 1 / g, "generation 0"), (lambda g: g / (g + 1), "older data"),
                                   (lambda g: 1 / (g + 2), "off by one"), (lambda g: 1, "replace mode")]),
}
WRONG_TYPES = {"q1": ["-0.01", [1, 2], {"a": 1}], "q2": [12, "12, 1384", [12, "x"]], "q3": [True, "23"],
               "q4": [[0.79, 0.8], object()], "q5": [0.5, "1 / (g + 1)"]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_right_answer_is_correct(name):
    right, _ = CASES[name]
    verdict(getattr(ex, name).check(right), "correct")


@pytest.mark.parametrize("name, wrong, word", [(n, w, word) for n, (_, ws) in sorted(CASES.items()) for w, word in ws])
def test_typical_wrong_answer_says_what_is_wrong(name, wrong, word):
    verdict(getattr(ex, name).check(wrong), "incorrect", word)


@pytest.mark.parametrize("name, answer", [(n, a) for n, answers in sorted(WRONG_TYPES.items()) for a in answers])
def test_wrong_type_gets_words_not_a_traceback(name, answer):
    feedback = getattr(ex, name).check(answer)
    verdict(feedback, "type", "expects")


@pytest.mark.parametrize("name", sorted(CASES))
def test_placeholder_and_solution_and_hints(name):
    exercise = getattr(ex, name)
    verdict(exercise.check(None), "type", "placeholder")
    verdict(exercise.check([..., 3]), "type", "placeholder")
    verdict(exercise.check(... if name != "q5" else (lambda g: ...)), "type", "placeholder")
    first, second, third = exercise.hint(), exercise.hint(), exercise.hint()
    assert first.kind == "hint" and first.message != second.message and third.message == second.message
    solution = exercise.solution()
    assert solution.kind == "solution" and solution.code and solution.message


def test_honest_rounding_is_accepted_and_a_far_answer_is_not():
    assert ex.q2.check([12.0, 1380]).correct and ex.q2.check([12, 1390]).correct  # rounded
    assert not ex.q2.check([15, 1384]).correct
    verdict(ex.q2.check([12, 2000]), "incorrect", "n = 1000 is about 1.4 times too large", "n = 10 is right")
    verdict(ex.q4.check(0.5), "incorrect", "too small")


def test_answers_are_computed_from_theory_and_agree_with_a_seeded_run():
    # the temperature exercise: halving time against simulate at T = 0.95
    h = simulate(Gaussian(), GaussianModel(), generations=60, samples=100, seeds=400, seed=3, temperature=0.95)
    g = int(round(float(ex.q3.expected)))
    assert 0.44 < h.median("std")[g] / h.median("std")[0] < 0.56
    # the filter exercise: σ's factor per generation against simulate with TopLikelihood(0.9)
    f = simulate(Gaussian(), GaussianModel(), generations=20, samples=100, seeds=50, seed=0, gate=TopLikelihood(0.9))
    measured = (f.median("std")[20] / f.median("std")[0]) ** (1 / 20)
    assert ex.q4.check(measured).correct, (measured, ex.q4.expected)


def test_the_solutions_code_gives_the_right_answer():
    # each solution's code, run as a learner would paste it, passes its own check
    scope = {"np": np, "worlds": __import__("collapse_lab").worlds, "simulate": simulate, "Gaussian": Gaussian,
             "GaussianModel": GaussianModel, "collapse_lab": __import__("collapse_lab")}
    answers = {"q1": "my_drift", "q2": "my_halving", "q3": "my_halving_t", "q4": "my_factor", "q5": "my_share"}
    for name, variable in answers.items():
        exec(getattr(ex, name).solution().code, scope)
        assert getattr(ex, name).check(scope[variable]).correct, name


# --- the machinery ----------------------------------------------------------------------------

def test_feedback_renders_as_a_coloured_line_and_as_text():
    fb = ex.q1.check(-0.00507)
    html = fb._repr_html_()
    assert "color:#b2182b" in html and "<strong>Not yet:</strong>" in html
    assert str(fb).startswith("Not yet: ") and "<" not in str(fb)
    assert "color:#1b7837" in ex.q1.check(-0.0101)._repr_html_()
    assert "&lt;b&gt;" in Feedback("hint", "<b>")._repr_html_()  # messages are escaped


def test_a_crashing_function_is_reported_with_its_input():
    feedback = ex.q5.check(lambda g: 1 / (g + 1) if g < 5 else [][g])
    verdict(feedback, "incorrect", "g = 5", "IndexError")


def test_nan_in_a_wrong_pattern_matches_any_value():
    exercise = NumberExercise("demo", [1.0, 2.0], wrong=[Wrong([5.0, np.nan], "first is five")])
    verdict(exercise.check([5, 99]), "incorrect", "first is five")
    verdict(exercise.check([1, 99]), "incorrect", "number 2 is about 50 times too large", "number 1 is right")
    verdict(exercise.check([1, np.inf]), "type", "infinity")


def test_function_exercise_compares_with_reference_values():
    exercise = FunctionExercise("square", reference=lambda x: x * x, inputs=[0, 1, 2, 3])
    assert exercise.check(lambda x: x ** 2).correct
    verdict(exercise.check(lambda x: 2 * x), "incorrect", "x = 1", "should give 1")


def test_custom_judge_for_any_answer():
    exercise = Exercise("recipe", judge=lambda r: (r.get("real_fraction", 1) <= 0.05, "real ≤ 5%"))
    assert exercise.check({"real_fraction": 0.05}).correct
    verdict(exercise.check({"real_fraction": 0.2}), "incorrect", "5%")


def test_prediction_without_widgets_records_and_reveals(capsys):
    p = predict("σ after 200 generations is…", ["near 1", "above 1", "below 1"])
    assert "choices: 'near 1', 'above 1', 'below 1'" in capsys.readouterr().out  # no kernel: printed
    assert p.guess is None
    verdict(reveal(p, 0.37, answer="below 1"), "hint", "0.37")  # no guess: shows the answer anyway
    p.record("near 1")
    surprise = reveal(p, "σ = 0.37", answer="below 1")
    verdict(surprise, "incorrect", "'near 1'", "σ = 0.37")
    assert surprise.label == "A surprise"
    verdict(reveal("σ after 200 generations is…", 0.37, answer="near 1"), "correct")  # found by question
    feedback = p.record("sideways")  # issue 24: a learner's guess never raises, it says what was expected
    assert feedback.kind == "type" and "one of" in feedback.message


def test_number_prediction_is_right_within_tolerance():
    p = predict("median σ", number=(0, 2), guess=0.4)
    verdict(reveal(p, 0.37), "correct", "0.4")
    verdict(reveal(predict("median σ", number=(0, 2), guess=1.0), 0.37), "incorrect", "1")
    with pytest.raises(ValueError, match="exactly one"):
        predict("neither")


def test_prediction_widget_records_the_choice():
    ipywidgets = pytest.importorskip("ipywidgets")
    p = predict("which?", ["a", "b"], guess="a")
    control = p.widget(ipywidgets)
    control.value = "b"
    assert p.guess == "b"
    p = predict("how much?", number=(0, 2), guess=1.0)
    box = p.widget(ipywidgets)
    box.slider.value = 0.5
    assert p.guess == 0.5
