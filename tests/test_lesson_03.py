"""Notebook 03 (modes and minorities): its exercises answer back, its theory matches the world,
its new figure passes the colour-vision check, its explorer says what it does, and its self-check
survives a learner who answers everything and changes the lesson's settings."""
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.stats import binom  # noqa: E402

from collapse_lab import Mixture, MixtureModel, dashboards, plots, simulate  # noqa: E402
from collapse_lab.exercises import mixture  # noqa: E402
from collapse_lab.exercises.mixture import q1, q2, q3  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab.engine.gates import ClipOutliers  # noqa: E402
from collapse_lab.lessons import mixture as lesson  # noqa: E402  (the lesson's own module, beside its exercises)

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "03_modes_and_minorities.py"


def _run(code, name):
    namespace = {"np": np}
    exec(code, namespace)
    return namespace[name]


# --- (a) each exercise: its right answer, typical wrong answers with their own feedback, a wrong type ---

def test_q1_temperature_odds_factor():
    assert q1.check(_run(q1.solution().code, "my_factor")).correct
    assert abs(float(q1.expected) - 0.783) < 0.001
    true = q1.check(mixture.tempered_odds_factor(Mixture.two_d(0.1), 0.9))
    assert not true.correct and "true tempering" in true.message
    after = q1.check((1 / 9) ** (1 / 0.9))
    assert not after.correct and "after / before" in after.message
    assert "T itself" in q1.check(0.9).message
    assert "upside down" in q1.check(1 / 0.783).message
    assert q1.check("0.78").kind == "type" and q1.check(...).kind == "type"


def test_q2_distance_function():
    assert q2.check(_run(q2.solution().code, "my_distance")).correct
    identity = q2.check(lambda w: (1 - w) * 3.5 * np.sqrt(2))
    assert not identity.correct and "majority's covariance" in identity.message
    no_between = q2.check(lambda w: (1 - w) * 3.5 * np.sqrt(2) / np.sqrt(1 - 0.75 * w))
    assert not no_between.correct and "between the two centres" in no_between.message
    assert "plain units" in q2.check(lambda w: 3.5 * np.sqrt(2)).message
    assert q2.check(2.5).kind == "type"
    crash = q2.check(lambda w: 1 / 0 * w)
    assert not crash.correct and "raised ZeroDivisionError" in crash.message


def test_q3_samples_for_as_many_points():
    assert q3.check(_run(q3.solution().code, "my_samples")).correct and q3.expected == 600
    assert "upside down" in q3.check(200 * 0.1 / 0.3).message
    assert "60 is how many points" in q3.check(60).message
    assert "20 points a generation" in q3.check(200).message
    assert q3.check([600, 600]).kind == "type" and q3.check(True).kind == "type"


# --- the theory behind the exercises and the prose, against the world itself ---

def test_minority_distance_is_what_clip_outliers_measures():
    """A very large batch of the world, gated by ClipOutliers(k): the minority's centre is inside
    exactly when its Mahalanobis distance is below k."""
    rng = np.random.default_rng(0)
    for w in (0.05, 0.1, 0.3):
        world = Mixture.two_d(w)
        X = world.sample((1, 200_000), rng)
        centre = np.full((1, 1, 2), 3.5)
        d = mixture.minority_distance(w)
        for k, inside in ((d * 0.97, False), (d * 1.03, True)):
            batch = np.concatenate([X, centre], axis=1)
            kept = ClipOutliers(k)(batch, None, np.ones(batch.shape[:2], bool))
            assert kept[0, -1] == inside, (w, k, d)


def test_tempered_odds_factor_by_numerical_integration():
    """p^(1/T) of the 2-D world integrated on a grid around each mode: the minority's odds factor."""
    world, T = Mixture.two_d(0.1), 0.9
    ticks = np.linspace(-6, 8, 701)
    xx, yy = np.meshgrid(ticks, ticks)
    points = np.stack([xx.ravel(), yy.ravel()], axis=-1)[None]
    tempered = np.exp(world.log_prob(points)[0] / T)
    near_minority = world.minority_posterior(points)[0] > 0.5
    odds = tempered[near_minority].sum() / tempered[~near_minority].sum()
    assert abs(odds / (0.1 / 0.9) - mixture.tempered_odds_factor(world, T)) < 0.005
    assert abs(mixture.tempered_odds_factor(Mixture.one_d(0.1), T) - 0.85) < 0.01   # the review's 1-D figure


def test_course_temperature_sharpens_weights_as_stated():
    """MixtureModel at T = 0.9 picks the minority component with odds (w/(1-w))^(1/T): 4 s.e."""
    model = MixtureModel(2).fit(Mixture.two_d(0.1).sample((1, 5000), np.random.default_rng(1)))
    w = model.weights_[0, np.argmax(model.means_[0, :, 0])]
    X = model.sample(200_000, np.random.default_rng(2), temperature=0.9)
    share = (Mixture.two_d(0.1).minority_posterior(X)[0] > 0.5).mean()   # the modes barely overlap
    odds = (w / (1 - w)) ** (1 / 0.9)
    expected = odds / (1 + odds)
    assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / 200_000) + 0.002


def test_binomial_helpers():
    assert abs(mixture.few_points_share(20, 0.1, 1) - binom.cdf(1, 20, 0.1)) < 1e-12
    assert np.allclose(mixture.minority_points(0.1, 200), (20, np.sqrt(18)))


def test_lesson_run_remembers_a_run_however_it_is_asked_for():
    a = mixture.lesson_run(0.1, generations=2, seeds=2)
    assert mixture.lesson_run(minority=0.1, samples=200, generations=2, seeds=2, seed=0, gate="none") is a
    fresh = simulate(Mixture.two_d(0.1), MixtureModel(2), generations=2, samples=200, seeds=2, seed=0)
    assert np.array_equal(fresh["minority_weight"], a["minority_weight"])
    assert mixture.lesson_run(0.1, generations=2, seeds=2, real_fraction=0.1, real_source="fixed") is not a


# --- (c) colour vision for the lesson's new figure kind ---

def test_survival_compare_passes_colour_vision():
    from helpers import confusable

    h = simulate(Mixture.two_d(0.1), MixtureModel(2), generations=4, samples=100, seeds=4, seed=0)
    fig, ax = plt.subplots()
    shares = plots.survival_compare({label: h for label in plots.LOOP_STYLE}, ax=ax)
    assert set(shares) == set(plots.LOOP_STYLE) and not confusable(fig)
    assert all("(4 runs)" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close("all")


# --- the explorer: the prose's stated defaults are the code's, and the new levers run ---

def test_explorer_defaults_match_the_prose_and_new_levers_run():
    text = SOURCE.read_text()
    said = re.search(r"minority weight ([\d.]+), (\d+) samples per generation, (\d+) generations and (\d+) runs", text)
    explorer = dashboards.mixture(run=False)
    values = explorer.values()
    assert said and (float(said[1]), int(said[2]), int(said[3]), int(said[4])) == (
        values["minority"], values["samples"], values["generations"], values["seeds"])
    assert values["real_source"] == "fresh" and values["mode"] == "replace"
    explorer = dashboards.mixture(generations=3, seeds=2, real_fraction=0.2, real_source="fixed",
                                  mode="accumulate-subsample")
    config = explorer.history.config
    assert config["real_source"] == "fixed" and config["mode"] == "accumulate-subsample"


# --- (b) the self-check survives a learner ---

def learner_checks(printed):
    """Every exercise answered with its solution, the lesson's settings changed and guesses recorded:
    every cell runs and the self-check still passes."""
    assert sum(p.startswith("Correct") for p in printed) == 3, printed
    assert "Self-check passed." in printed[-1]


def test_exercise_answers_the_notebook_quotes():
    """Moved from the notebook's self-check: the exercises' answers."""
    assert abs(q1.expected - 0.78) < 0.01
    assert q3.expected == 600


# The learner's notebook is executed once per run, by nbval, as notebooks/03_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"n, G = 200, 60": "n, G = 100, 30", "world = Mixture.two_d(minority=0.1)": "world = Mixture.two_d(minority=0.3)",
                 "number=(0, 1))": "number=(0, 1), guess=0.5)"}
LEARNER = LearnerRun(SOURCE, mixture, LEARNER_EDITS, check=learner_checks)


# --- §1's two runs: chosen by whole curves, not by a last value most runs share ---

def test_typical_runs_picks_a_median_loss_and_a_kept_run():
    """Five runs: three lost at generations 2, 4 and 6 (their last values all tie at 0, which is how
    figures.typical_seed picked an atypical run) and two kept, ending at 0.2 and 0.5."""
    w = np.full((5, 9), 0.1)
    for run, g in ((0, 6), (1, 2), (2, 4)):
        w[run, g:] = 0.0
    w[3, -1], w[4, -1] = 0.5, 0.2
    w[2, 5] = 0.05                          # a one-generation comeback: lost for good only from generation 6
    history = {"minority_weight": w}
    assert list(lesson.loss_generation(history)) == [6, 2, 6, 9, 9]
    lost_seed, kept_seed = lesson.typical_runs(history)
    assert lost_seed == 0 and kept_seed in (3, 4)      # median loss generation 6; the kept runs' median last value 0.35
    assert lesson.typical_runs({"minority_weight": w[3:]})[0] is None     # no run lost: no lost run to draw
    assert lesson.typical_runs({"minority_weight": w[:3]})[1] is None


def test_two_runs_titles_give_the_models_weight_beside_the_real_share():
    h = simulate(Mixture.two_d(0.1), MixtureModel(2), generations=12, samples=100, seeds=8, seed=0)
    fig = lesson.two_runs(h, Mixture.two_d(0.1), generations=(0, 6, 12))
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 3 * len([s for s in lesson.typical_runs(h) if s is not None])
    assert all("minority" in t and "model: " in t for t in titles)
    plt.close("all")


@pytest.mark.slow
def test_objective_checks_answer_back():
    from collapse_lab.exercises.capstone import ChoiceExercise

    checks = [ChoiceExercise(f"Check {i}", o, a, why=why, wrong=wrong)
              for i, (o, a, why, wrong) in enumerate(lesson.OBJECTIVE_CHECKS, 1)]
    right = ["some runs lose it, the others keep it", "the fit misses a group with few points", "a fixed real set"]
    for check, answer, (options, _, _, wrong) in zip(checks, right, lesson.OBJECTIVE_CHECKS):
        assert check.check(answer).correct and check.check(answer.upper()).correct
        assert set(wrong) == set(options) - {answer}           # every wrong option has its own message
        for option in wrong:
            verdict = check.check(option)
            assert not verdict.correct and verdict.message.endswith(wrong[option])
