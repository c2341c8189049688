"""Notebook 02 (the tails of words): its exercises answer back, its new figures pass colour vision,
its scaling-law helpers agree with direct computation, and its self-check survives a learner."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from collapse_lab import Categorical, EmpiricalModel, plots  # noqa: E402
from collapse_lab.engine.decoding import decode  # noqa: E402
from collapse_lab.exercises import tails  # noqa: E402
from collapse_lab.exercises.tails import q1, q2, q3, q4, q5  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import lessons  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "02_tails_of_words.py"


@pytest.fixture(scope="module")
def p():
    return tails.real_probs()


# --- the exercises: right, the usual wrong answers (with their own feedback), and the wrong type ---

def test_q1_one_generation(p):
    word = p[tails.RANK - 1]
    assert q1.check((1 - word) ** 5000).correct
    assert q1.check(np.exp(-5000 * word)).correct            # the e^(−n·p) approximation is close enough here
    assert "at least once" in q1.check(1 - (1 - word) ** 5000).message
    assert "ONE sample" in q1.check(1 - word).message
    assert "n·p" in q1.check(5000 * word).message
    assert q1.check("0.24").kind == "type" and q1.check(...).kind == "type"


def test_q2_no_loop_no_drift(p):
    q = (1 - p) ** 5000
    b = (5000 * p >= 3) & (5000 * p < 10)
    assert q2.check((1 - (1 - q[b]) ** 101).mean()).correct
    assert "ONE generation" in q2.check(q[b].mean()).message
    assert "never missing" in q2.check(((1 - q[b]) ** 101).mean()).message
    assert "every time" in q2.check(np.mean(1 - q[b] ** 101)).message
    assert q2.check([0.5, 0.5]).kind == "type"


def test_q3_temperature(p):
    w = p ** 1.25
    assert q3.check(w[500:].sum() / w.sum()).correct
    assert "T = 1" in q3.check(p[500:].sum()).message
    assert "power T" in q3.check((p ** 0.8)[500:].sum() / (p ** 0.8).sum()).message
    assert "sums to 1" in q3.check(w[500:].sum()).message
    assert q3.check(None).kind == "type"


def test_q4_dedup():
    assert q4.check(lambda distinct: 1 / distinct).correct
    assert "real frequency" in q4.check(lambda distinct: tails.real_probs()[0] + 0 * distinct).message
    assert "one copy of each" in q4.check(lambda distinct: 1 / 5000).message
    assert "all 1000 words" in q4.check(lambda distinct: 1 / 1000).message
    assert q4.check(1 / 633).kind == "type"                  # a number, not a function


def test_q5_nucleus(p):
    kept = int((decode(p[None, :], 1.0, None, 0.9) > 0).sum())
    assert q5.check(kept).correct and 400 < kept < 600
    assert "not 90% of the words" in q5.check(900).message
    assert "never written" in q5.check(1000).message
    assert "never writes" in q5.check(1000 - kept).message
    assert q5.check("508").kind == "type" and q5.check([kept, kept]).kind == "type"


def test_solutions_are_right(p):
    """Each exercise's solution code, run with the notebook's names, passes its own check."""
    one_step, expected = (1 - p) ** 5000, 5000 * p
    names = {"np": np, "p": p, "n": 5000, "G": 100, "one_step": one_step, "expected": expected}
    answers = {"q1": "my_lost", "q2": "my_ever_lost", "q3": "my_rare_share", "q4": "my_prob_the", "q5": "my_nucleus"}
    for name, answer in answers.items():
        exercise = getattr(tails, name)
        scope = dict(names)
        exec(exercise.solution().code, scope)
        assert exercise.check(scope[answer]).correct, name


# --- the scaling-law helpers (Dohmatob et al. 2024) ---

def test_word_scores_match_direct_computation(p):
    world = Categorical.words(n_words=1000)
    X = world.sample((2, 3000), np.random.default_rng(0))
    plain, smooth = EmpiricalModel(1000).fit(X), EmpiricalModel(1000, smoothing=0.5).fit(X)
    scores = lessons.tails.word_scores(world)
    unseen = np.array([p[np.bincount(x, minlength=1000) == 0].sum() for x in X])
    assert np.allclose(scores(plain)["missing_mass"], unseen) and np.isinf(scores(plain)["heldout_nll"]).all()
    s = scores(smooth)
    assert np.allclose(s["heldout_nll"], -(p * np.log(smooth.probs_)).sum(axis=1))
    assert np.allclose(s["excess_nll"], s["heldout_nll"] + (p * np.log(p)).sum()) and (s["excess_nll"] > 0).all()
    assert (s["missing_mass"] == 0).all()


def test_scaling_curve_measure_and_plateaus(p):
    world = Categorical.words(n_words=1000)
    gen = EmpiricalModel(1000, smoothing=0.5).fit(world.sample((2, 200_000), np.random.default_rng(1)))
    curve = lessons.tails.scaling_curve(world, EmpiricalModel(1000), (1000, 30_000), generator=gen, top_p=0.9, seeds=2,
                                  seed=0, measure=lessons.tails.word_scores(world))
    level = lessons.tails.plateau_scores(world, gen, top_p=0.9)
    # with 30,000 synthetic words every word of the nucleus is seen: exactly the cut-off mass stays unseen
    assert np.allclose(curve["synthetic"]["missing_mass"][:, -1], level["missing_mass"], atol=0.003)
    assert (curve["real"]["missing_mass"][:, -1] < 0.01).all() and (level["missing_mass"] > 0.08).all()
    assert np.isinf(level["heldout_nll"]).all()              # top-p gives real words probability 0
    cold = lessons.tails.plateau_scores(world, gen, temperature=0.8)
    assert np.isfinite(cold["excess_nll"]).all() and (cold["excess_nll"] > 0.05).all()
    with pytest.raises(ValueError, match="'measure' parameter of scaling_curve"):
        lessons.tails.scaling_curve(world, EmpiricalModel(1000), (10, 20), measure="nll")


def test_forgetting_slope_recovers_a_line():
    expected = np.linspace(0.5, 40, 200)
    median = np.minimum(2.5 * expected, 101)
    assert lessons.tails.forgetting_slope(expected, median, 100) == pytest.approx(2.5)


# --- colour vision for the lesson's new figure kinds ---

def test_new_figures_pass_colour_vision(p):
    from helpers import confusable

    rng = np.random.default_rng(0)
    expected = 5000 * p
    first = np.minimum(rng.poisson(2.4 * expected + 0.5, size=(5, p.size)), 101)
    try:
        ax = plots.forgetting_times(expected, first, 100, 5000)
        assert not confusable(ax.figure), confusable(ax.figure)
        world = Categorical.words(n_words=1000)
        gen = EmpiricalModel(1000, smoothing=0.5).fit(world.sample((2, 50_000), rng))
        settings = {"real": {}, "synthetic, T = 1": {}, "synthetic, T = 0.8": {"temperature": 0.8},
                    "synthetic, top-p 0.9": {"top_p": 0.9}}
        curves = {label: [lessons.tails.scaling_curve(world, EmpiricalModel(1000, smoothing=a), (1000, 5000), generator=gen,
                                                seeds=2, seed=0, measure=lessons.tails.word_scores(world), **d)
                          for a in (0.5, 0.0)] for label, d in settings.items()}
        plateaus = {label: lessons.tails.plateau_scores(world, gen, **d) for label, d in settings.items() if label != "real"}
        fig = plots.tale_of_tails(curves, plateaus)
        assert not confusable(fig), confusable(fig)
        assert len(fig.axes[0].get_legend().get_texts()) == 5   # four curves and the plateau key
    finally:
        plt.close("all")


# --- the notebook: the toolkit's rules, and a self-check that survives a learner ---

# The toolkit's rules for this notebook: tests/test_notebook_files.py checks them for every lesson.

def learner_checks(printed):
    """Every exercise answered with its solution, two settings changed (fewer runs, other sizes): every
    cell still runs, every answer is right and the self-check still passes."""
    assert sum(text.startswith("Correct") for text in printed) == 7, printed   # 5 exercises, 2 objective checks
    assert "Self-check passed." in printed[-1]


def test_exercise_answers_the_notebook_quotes():
    """Moved from the notebook's self-check: the exercises' answers, as the prose quotes them."""
    assert 0.2 < q1.expected < 0.3, "exercise 1: roughly one chance in four"
    assert 400 < q5.expected < 600, "top-p 0.9 writes about half of the words"
    assert 0.45 < q2.expected < 0.55 and 0.03 < q3.expected < 0.05
    p = Categorical.words(n_words=1000).probabilities()    # exercise 2's answer is the theory the self-check uses
    b = (5000 * p >= 3) & (5000 * p < 10)
    assert q2.expected == lessons.tails.ever_lost_with_fresh_data(p[b]).mean()


# The learner's notebook is executed once per run, by nbval, as notebooks/02_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"n, G, seeds = 5000, 100, 20": "n, G, seeds = 5000, 100, 6",
                 "sizes = (1_000, 3_000, 10_000, 30_000, 100_000)": "sizes = (2_000, 20_000)",
                 "n_categories, smoothing=0.1)": "n_categories, smoothing=1.0)",
                 "check_remedy.check(...)": 'print(check_remedy.check("b"))', "check_tail.check(...)": 'print(check_tail.check("(B)"))'}
LEARNER = LearnerRun(SOURCE, tails, LEARNER_EDITS, check=learner_checks)
