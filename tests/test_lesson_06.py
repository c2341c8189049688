"""Notebook 06 (distillation without an anchor): its exercises, its figure, its explorer's levers,
and its self-check with a learner's answers in place."""
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from collapse_lab import NGramLM, Words, dashboards, plots, simulate  # noqa: E402
from collapse_lab.engine import guard  # noqa: E402
from collapse_lab.exercises import distillation as lesson  # noqa: E402
from collapse_lab.exercises.distillation import q1, q2, q3  # noqa: E402
from helpers import confusable, fig_compare  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "06_distillation_without_an_anchor.py"


# --- (a) each exercise: its right answer, the usual wrong ones (with their feedback), a wrong type ---

@pytest.mark.slow
def test_q1_a_student_as_large_as_its_teacher():
    right = lesson.student_minus_teacher(distill="soft", student_order=4, teacher_samples=20000)
    assert -0.01 < right < 0                      # the lesson's claim: soft labels recover the teacher (a hair better)
    assert q1.check(right).correct
    hard = q1.check(lesson.student_minus_teacher(distill="hard", student_order=4, teacher_samples=20000))
    assert not hard.correct and "hard labels" in hard.message
    # the old question's answer, the student's own NLL, is now a mistake with its own words; so are a
    # guess of 0 (the teacher's number read off the table, and the idea, but not the measurement) and the sign
    student = lesson.student_nll(distill="soft", student_order=4, teacher_samples=20000)
    assert "subtract the teacher's" in q1.check(student).message
    assert "measure it" in q1.check(0).message and "teacher − student" in q1.check(-right).message
    assert "3-gram" in q1.check(lesson.student_minus_teacher(distill="soft", teacher_samples=20000)).message
    assert "only 2,000" in q1.check(lesson.student_minus_teacher(distill="soft", student_order=4)).message
    assert q1.check("-0.004").kind == "type" and q1.check(...).kind == "type"


def test_q2_the_words_a_sample_misses():
    assert q2.check(lambda n: (1 - 1e-4) ** n).correct
    assert q2.check(lambda n: np.exp(-n * 1e-4)).correct          # the Poisson form is as good
    assert "at least once" in q2.check(lambda n: 1 - (1 - 1e-4) ** n).message
    assert "below zero" in q2.check(lambda n: 1 - n * 1e-4).message
    assert "multiply" in q2.check(lambda n: (1 - 1e-4) * n).message
    assert q2.check(0.82).kind == "type"
    assert q2.check(lambda n: ...).kind == "type"
    # the solution's numbers
    assert np.allclose(lesson.missed([2000, 20000]), [0.8187, 0.1353], atol=1e-4) and lesson.missed(200000) < 1e-8


def test_q3_what_the_anchor_leaves():
    nll = lesson.distil(generations=10, real_fraction=0.2).median("heldout_nll")
    assert q3.check(nll[10] - nll[1]).correct
    assert "counts from the teacher" in q3.check(nll[10] - nll[0]).message
    assert "without an anchor" in q3.check(lesson.slide(generations=10)).message
    assert "sign" in q3.check(nll[1] - nll[10]).message
    assert q3.check([0.07, 0.1]).kind == "type" and q3.check(True).kind == "type"


@pytest.mark.slow
def test_the_solutions_run_and_are_right():
    """Each exercise's solution code, run in the notebook's names, answers correctly."""
    world = lesson.lesson_world()
    names = dict(world=world, teacher=NGramLM(order=4, smoothing=0.01), student=NGramLM(order=3, smoothing=0.01),
                 RUN=dict(lesson.RUN), NGramLM=NGramLM, simulate=simulate, np=np)
    for name, q in (("my_difference", q1), ("my_missed", q2), ("my_slide", q3)):
        scope = dict(names)
        exec(q.solution().code, scope)
        assert q.check(scope[name]).correct, name


# --- the lesson's figure, levers and budget ---

def _one_step(world, sizes=(300, 3000)):
    teacher, student = NGramLM(order=4, smoothing=0.01), NGramLM(order=3, smoothing=0.01)
    return {(d, n): simulate(world, teacher, student=student, generations=1, samples=300, seeds=2, seed=0,
                             teacher_samples=n, distill=d)
            for d in ("hard", "soft") for n in sizes}


def test_teacher_samples_plot_draws_each_labels_median_at_the_student():
    world = Words(n_words=300)
    runs = _one_step(world)
    fig, ax = plt.subplots()
    plots.teacher_samples(runs, "heldout_nll", ax=ax, references={"teacher": 1.8, "real": 2.0})
    lines = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    bars = {c.get_label(): c for c in ax.containers}          # errorbar: the median line and its bars
    for d in ("hard", "soft"):
        drawn = bars[f"{d} labels"].lines[0].get_ydata()
        assert np.allclose(drawn, [np.median(runs[d, n]["heldout_nll"][:, 1]) for n in (300, 3000)])
    assert [ln.get_linestyle() for ln in (lines["teacher"], lines["real"])] == [":", "-."]
    ax2 = plots.teacher_samples(runs, "recall_tail", ax=plt.subplots()[1])
    assert ax2.get_ylim()[0] == 0                       # recalls start at 0
    plt.close("all")


@pytest.mark.slow
def test_new_figures_read_without_colour():
    world = Words(n_words=300)
    fig, axes = plt.subplots(1, 2)
    runs = _one_step(world)
    plots.teacher_samples(runs, "heldout_nll", ax=axes[0], references={"teacher": 1.8, "student on real words": 2.0})
    plots.teacher_samples(runs, "recall_tail", ax=axes[1], references={"teacher": 0.2, "student on real words": 0.1})
    assert not confusable(fig)
    source = SOURCE.read_text()
    for name in ("CHAIN_COLORS", "ANCHOR_COLORS"):   # the notebook's colour maps for plots.compare
        text = re.search(rf"{name} = (\{{.*?\}})\n", source, re.S).group(1)
        colors = eval(text, {"plots": plots})
        assert not confusable(fig_compare(colors)), name
    explorer = dashboards.distillation(world=world, samples=300, seeds=2, generations=3, distill="soft")
    assert not confusable(explorer.figure)
    plt.close("all")


def test_explorer_levers_reach_the_run():
    world = Words(n_words=300)
    explorer = dashboards.distillation(world=world, samples=300, seeds=1, generations=2)
    assert explorer.history.config["distill"] == "hard" and explorer.history.config["teacher_samples"] == 2000
    explorer.controls["distill"].value = "soft"
    assert explorer.history.config["distill"] == "soft" and "soft labels" in explorer.summary
    explorer.controls["teacher_samples"].value = 5000
    assert explorer.history.config["teacher_samples"] == 5000 and "5,000 words each" in explorer.summary
    with pytest.raises(ValueError, match="teacher_samples"):
        dashboards.distillation(world=world, run=False, teacher_samples=123)


def test_200k_teacher_samples_fit_the_lesson_budget():
    """The lesson's largest run (200,000 teacher samples, 3 seeds) stays far below 1 GB."""
    world = lesson.lesson_world()
    estimate = guard.check(world, NGramLM(order=4, smoothing=0.01), samples=2000, seeds=3, generations=1,
                           snapshots=2, teacher_samples=200000, student=NGramLM(order=3, smoothing=0.01),
                           distill="soft")
    assert estimate.bytes < 0.5 * 2**30, guard.size(estimate.bytes)


# --- (b) the self-check survives a learner ---

def learner_checks(printed):
    """Notebook 06 with every exercise answered by its solution, a guess recorded and two settings
    changed: every cell still runs and the self-check still passes."""
    assert sum(p.startswith("Correct") for p in printed) == 3, printed
    assert "Self-check passed." in printed[-1]


def test_exercise_answers_match_the_self_checks_runs():
    """Moved from the notebook's self-check: the exercises accept the lesson module's own seeded chains."""
    from collapse_lab.lessons import distillation as lessons_distillation
    same = lessons_distillation.chain(student=NGramLM(order=4, smoothing=0.01), teacher_samples=20000, distill="soft")
    assert q1.check(lessons_distillation.nll(same, 1) - lessons_distillation.nll(same, 0)).correct
    assert q3.check(lessons_distillation.slide(lessons_distillation.chain(generations=10, real_fraction=0.2))).correct
    assert [round(float(q2.reference(n)), 2) for n in (2000, 20000)] == [0.82, 0.14] and q2.reference(200000) < 1e-8


# The learner's notebook is executed once per run, by nbval, as notebooks/06_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"SIZES = (2_000, 20_000, 200_000)": "SIZES = (2_000, 20_000)",        # a lever changed
                 "for f in (0.05, 0.2)}": "for f in (0.05, 0.2, 0.5)}",                  # another anchor share
                 '"neither: about the same"])': '"neither: about the same"], guess="the rare words")'}
LEARNER = LearnerRun(SOURCE, lesson, LEARNER_EDITS, check=learner_checks)
