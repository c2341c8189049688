"""Notebook 04 (language-model collapse): its exercises answer back, its self-check survives a
learner, its new figure reads in colour-blind vision, and its explorer's new levers reach the loop."""
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from collapse_lab import worlds, plots, simulate  # noqa: E402
from collapse_lab.exercises import language  # noqa: E402
from collapse_lab.exercises.language import q1, q2, q3, q4, q5  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import lessons  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "04_language_model_collapse.py"


def _says(feedback, *words):
    assert not feedback.correct, feedback
    assert all(w in feedback.message for w in words), feedback.message


# --- (a) each exercise: its right answer, typical wrong answers with their own feedback, a wrong type ---

def test_q1_perplexity():
    assert q1.check(np.exp).correct
    _says(q1.check(lambda nll: 2 ** nll), "bits")
    _says(q1.check(lambda nll: np.exp(-nll)), "inverse")
    _says(q1.check(lambda nll: nll), "NLL itself")
    assert q1.check(8.8).kind == "type"


def test_q2_nll_per_character():
    logp = language.word_logp()
    assert logp < 0
    assert q2.check(-logp / 7).correct
    _says(q2.check(-logp / 6), "end of the word")
    _says(q2.check(-logp), "per word")
    _says(q2.check(logp / 7), "sign")
    _says(q2.check(-logp / 7 / np.log(2)), "bits")
    assert q2.check("0.96").kind == "type"


def test_q3_both_shapes_from_the_learners_own_measurement():
    tuned = language.reference("tuned")
    nll = lessons.language.nll_per_char(tuned, 10)
    assert q3.check([(nll < 0.8).mean(), (nll > 3).mean()]).correct
    _says(q3.check(language.tuned_shares(0)), "generation 0")
    _says(q3.check([100 * s for s in language.tuned_shares()]), "percentages")
    scratch = lessons.language.nll_shares(language.reference("replace"), [10])[10]
    _says(q3.check(list(scratch)), "from scratch")
    assert q3.check([0.35]).kind == "type"


def test_q3_measures_both_of_shumailovs_shapes():
    """The fine-tuned run with biased decoding: more very likely words and a longer tail, as in
    Shumailov et al. (2024, Fig. 1b,c); from scratch at T = 1, only the tail grows."""
    tuned = lessons.language.nll_shares(language.reference("tuned"), [0, 10])
    scratch = lessons.language.nll_shares(language.reference("replace"), [0, 20])
    assert tuned[10][0] > 3 * tuned[0][0] and tuned[10][1] > 1.4 * tuned[0][1]
    assert scratch[20][0] < 1.2 * scratch[0][0] and scratch[20][1] > 4 * scratch[0][1]


@pytest.mark.slow
def test_q4_two_ways_to_collapse():
    world = language.world()
    run = simulate(world, worlds.NGramLM(order=4, smoothing=0.1), generations=10, samples=2000, seeds=2, seed=0)
    answer = [run.median(name)[10] / run.median(name)[0] for name in ("distinct_words", "real_word_share")]
    assert q4.check(answer).correct
    assert answer[0] > 1 and answer[1] < 0.5        # distinct words rise while real words fall
    _says(q4.check([1 / a for a in answer]), "upside down")
    _says(q4.check(answer[::-1]), "swapped")
    lesson = language.reference("replace, exercise")
    _says(q4.check([lesson.median(m)[10] / lesson.median(m)[0] for m in ("distinct_words", "real_word_share")]),
          "smoothing 0.001")
    assert q4.check([1.4, None]).kind == "type"


def test_q5_accumulate():
    ratio = language._ratio("accumulate", "recall_tail")
    assert q5.check(ratio).correct and ratio > 3 * language._ratio("replace, exercise", "recall_tail")
    _says(q5.check(language._ratio("replace, exercise", "recall_tail")), "replace")
    _says(q5.check(1 / ratio), "upside down")
    _says(q5.check(language._median("accumulate", "recall_tail", 10)), "tail recall itself")
    assert q5.check([ratio, ratio]).kind == "type"


def test_reference_refuses_an_unknown_run():
    with pytest.raises(ValueError, match="'name' parameter of reference"):
        language.reference("warm")


# --- (b) the self-check survives a learner ---

def learner_checks(printed):
    """Notebook 04 with every exercise answered by its solution and some of the lesson's settings
    changed: every cell still runs, every answer is right and the self-check still passes."""
    assert sum(p.startswith("Correct") for p in printed) == 5, printed
    assert "Self-check passed." in printed[-1]


# The learner's notebook is executed once per run, by nbval, as notebooks/04_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"G, n, seeds = 20, 2000, 4": "G, n, seeds = 10, 2000, 4",   # the lesson's run: shorter
                 "temperature=0.8)": "temperature=0.7)", "real_fraction=0.1)": "real_fraction=0.2)",
                 "dashboards.language_model(order=4, smoothing=0.001)": "dashboards.language_model(order=3, run=False)"}
LEARNER = LearnerRun(SOURCE, language, LEARNER_EDITS, check=learner_checks)


# --- (c) the new figure kind reads in colour-blind vision; its overflow bin is labelled ---

def test_nll_shift_is_colour_safe_and_labels_its_overflow_bin():
    from helpers import confusable

    history = simulate(language.world(), worlds.NGramLM(order=3, smoothing=0.01), generations=4, samples=300,
                       seeds=2, seed=0)
    fig, ax = plt.subplots()
    plots.nll_shift(history, generations=[0, 2, 4], ax=ax, cap=3.0)
    assert not confusable(fig)
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "≥3"
    assert "nats per character" in ax.get_xlabel()
    over = np.mean(lessons.language.nll_per_char(history, 4) >= 3.0)
    assert f"{over:.1%} ≥ 3" in ax.get_legend().get_texts()[-1].get_text()
    # every word is counted once: the bins below the cap and the overflow bin add up to all of them
    heights = [np.nansum(patch.get_data().values) for patch in ax.patches]
    assert np.allclose(heights, 1.0)
    plt.close(fig)


def test_nll_per_char_divides_by_the_predictions():
    history = language.reference("replace")
    words = np.asarray(history.snapshots[0])
    expected = -history.model0.log_prob(words) / (np.char.str_len(words) + 1)
    assert np.allclose(lessons.language.nll_per_char(history, 0), expected)


# --- the explorer's new levers reach the loop ---

def test_explorer_fine_tunes_with_a_repetition_penalty():
    from collapse_lab import dashboards

    explorer = dashboards.language_model(order=4, smoothing=0.01, fine_tune="first", temperature=0.9,
                                         repetition_penalty=3.0, generations=3, samples=500, seeds=1)
    history = explorer.history
    assert history.model.repetition_penalty == 3.0 and history.model.fine_tune_weight == 0.1
    assert history.model.warm_start      # the loop fine-tuned after generation 0
    plain = dashboards.language_model(order=4, smoothing=0.01, generations=3, samples=500, seeds=1).history
    assert not plain.model.warm_start and plain.model.repetition_penalty == 1.0


def test_exercise_answers_the_notebook_quotes():
    """Moved from the notebook's self-check: the exercises' answers (from the seeded reference runs), as the prose quotes them."""
    assert abs(float(q2.expected) - 0.96) < 0.02
    assert abs(q3.expected[0] - 0.352) < 0.01 and abs(q3.expected[1] - 0.065) < 0.007   # exercise 3's answer
    # exercises 4 and 5: smoothing 0.1 raises distinct words (about 1.4x) and halves real words; accumulate keeps
    # about three quarters of the tail recall
    assert abs(q4.expected[0] - 1.4) < 0.1 and q4.expected[1] < 0.5
    assert abs(float(q5.expected) - 0.74) < 0.05


def test_objective_checks_answer_back():
    from collapse_lab.exercises.capstone import ChoiceExercise

    for i, (options, answer, why, wrong) in enumerate(lessons.language.OBJECTIVE_CHECKS, 1):
        check = ChoiceExercise(f"Check {i}", options, answer, why=why, wrong=wrong)
        assert check.check(answer()).correct and set(wrong) == set(options) - {answer()}
        for option in wrong:
            assert not check.check(option).correct and wrong[option] in check.check(option).message


def test_lever_table_prints_one_row_per_lever(capsys):
    row = {"likely (< 0.8)": (0.08, 0.35), "improbable (> 3)": (0.037, 0.065), "real words": (0.74, 0.86),
           "held-out NLL": (1.98, 2.19)}
    lessons.language.print_lever_table({name: row for name in lessons.language.LEVERS})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(lessons.language.LEVERS) and "8.0% → 35.0%" in lines[1] and "1.980 → 2.190" in lines[1]
