"""Notebook 07 (monitoring and provenance): its exercises, its new provenance tools and figures,
and a self-check that survives a learner."""

from pathlib import Path

import numpy as np
import pytest

from collapse_lab import NGramLM, dashboards, plots
from collapse_lab.lessons import provenance
from collapse_lab.exercises import provenance as ex
from helpers import confusable
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab import lessons

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "07_monitoring_and_provenance.py"


@pytest.fixture(scope="module")
def world():
    return lessons.language.lesson_world(5000)


@pytest.fixture(scope="module")
def writer(world):
    """A collapsing 3-gram (the machine) and a reference 3-gram of trusted human text, 2 seeds each."""
    rng = np.random.default_rng(5)
    model = NGramLM(order=3).fit(world.sample((2, 2000), rng))
    model = NGramLM(order=3).fit(model.sample(2000, rng))  # one generation on its own output
    reference = NGramLM(order=3).fit(world.sample((2, 20000), rng))
    return model, reference


# --- exercises: right answer, typical wrong answers with their feedback, wrong type ---

def test_q1_excess_vocabulary():
    assert ex.q1.check([0.42, 0.42 / 0.87]).correct
    assert "human documents" in ex.q1.check([0.5, 0.3]).message
    assert "0.95 − 0.08" in ex.q1.check([0.42, 0.42 / 0.95]).message
    assert "swapped" in ex.q1.check([0.42 / 0.87, 0.42]).message
    assert ex.q1.check(["a", 1]).kind == "type"
    assert ex.q1.check([..., ...]).kind == "type"
    assert ex.q1.check(0.42).kind == "type"  # one number where two are asked


@pytest.mark.slow
def test_q2_perfect_provenance():
    labelled, unfiltered = ex.labelled_web()
    assert ex.q2.check(labelled.median("recall_tail")[-1]).correct
    assert "filter=\"labels\"" in ex.q2.check(unfiltered.median("recall_tail")[-1]).message
    assert "year 0" in ex.q2.check(labelled.median("recall_tail")[0]).message
    assert ex.q2.check("0.2").kind == "type"
    # the folded solution's claims: about the same tail recall, a worse held-out NLL
    assert abs(labelled.median("recall_tail")[-1] - unfiltered.median("recall_tail")[-1]) < 0.02
    assert labelled.median("heldout_nll")[-1] > unfiltered.median("heldout_nll")[-1]


@pytest.mark.slow
def test_q3_alarm_thresholds():
    assert ex.q3.check([10, 30]).correct
    assert "false alarm" in ex.q3.check([1, 1]).message       # the healthy run trips
    assert "too lax" in ex.q3.check([200, 99]).message        # the collapsing run never trips in time
    assert "above 0" in ex.q3.check([0, 30]).message
    assert ex.q3.check(["ten", 30]).kind == "type"
    assert ex.q3.check([10]).kind == "type"


@pytest.mark.slow
def test_solutions_give_correct_answers():
    namespace = {"np": np, "provenance": provenance, "NGramLM": NGramLM, "world": lessons.language.lesson_world(5000),
                 "SHARES": ex.SHARES, "WEB": ex.WEB}
    for q, name in ((ex.q1, "my_kobak"), (ex.q2, "my_tail"), (ex.q3, "my_thresholds")):
        exec(q.solution().code, namespace)
        assert q.check(namespace[name]).correct, name


# --- the provenance tools ---

def test_document_scores_sum_the_word_scores(writer, world):
    model, reference = writer
    X = world.sample((2, 60), np.random.default_rng(0))
    words = provenance.synthetic_score(X, model, reference)
    docs = provenance.document_scores(X, model, reference, 20)
    assert docs.shape == (2, 3) and np.allclose(docs, words.reshape(2, 3, 20).sum(axis=2))
    with pytest.raises(ValueError, match="multiple of words_per_document"):
        provenance.document_scores(X, model, reference, 7)


def test_longer_documents_are_easier_to_attribute(writer, world):
    """The document score's mean grows like k and its noise like √k: precision and recall rise with k."""
    model, reference = writer
    rng = np.random.default_rng(2)
    quality = []
    for k in (1, 20):
        docs, truth = provenance.labelled_documents(world, model, 200, k, 0.5, rng)
        score = provenance.document_scores(docs.reshape(2, -1), model, reference, k)
        precision, recall = provenance.precision_recall(score > 0, np.broadcast_to(truth, score.shape))
        quality.append(min(precision.min(), recall.min()))
    assert quality[1] > quality[0] and quality[1] > 0.95, quality


def test_labelled_documents_mix(writer, world):
    docs, truth = provenance.labelled_documents(world, writer[0], 10, 4, 0.3, np.random.default_rng(0))
    assert docs.shape == (2, 10, 4) and truth.tolist() == [False] * 7 + [True] * 3
    assert world.is_real(docs[:, :7].reshape(2, -1)).all()  # the human documents are the world's words


def test_excess_share_is_a_lower_bound_and_calibrated_share_recovers_it(writer, world):
    """Δ = s·(P_m − P_h) ≤ s; Δ/(P_m − P_h) estimates s. Markers chosen on one corpus, measured on others."""
    model, _ = writer
    rng = np.random.default_rng(3)
    snapshot = world.sample((2, 20000), rng)
    chosen_on = provenance.labelled_documents(world, model, 1000, 20, 0.5, rng)[0]
    markers = provenance.excess_markers(chosen_on.reshape(2, -1), snapshot)
    human = provenance.labelled_documents(world, model, 1000, 20, 0.0, rng)[0]
    machine = provenance.labelled_documents(world, model, 1000, 20, 1.0, rng)[0]
    for s in (0.2, 0.6):
        docs = provenance.labelled_documents(world, model, 1000, 20, s, rng)[0]
        bound = provenance.excess_share(docs, markers, human)
        estimate = provenance.calibrated_share(docs, markers, human, machine)
        # binomial noise of 1000 documents: about 0.016 per rate; 3 standard errors of a difference ≈ 0.07
        assert np.all(bound < s + 0.07) and np.all(np.abs(estimate - s) < 0.07), (s, bound, estimate)
    assert provenance.excess_share(human, markers, human).tolist() == [0.0, 0.0]


def test_excess_markers_pick_words_far_above_the_snapshot():
    corpus = np.array([["a"] * 10 + ["b"] * 10 + ["zz"] * 5])
    snapshot = np.array([["a"] * 10 + ["b"] * 10])
    (markers,) = provenance.excess_markers(corpus, snapshot, min_ratio=4, min_count=3)
    assert markers.tolist() == ["zz"]  # a, b: ratio about 0.8; zz: (5+1)/26 ÷ 1/21 ≈ 4.8


def test_marker_rate_finds_markers_as_isin_would(world):
    """marker_rate looks markers up by binary search: the same booleans as np.isin, in any order, none at all."""
    rng = np.random.default_rng(3)
    docs = world.sample((2, 300, 20), rng)
    chosen = np.unique(world.sample((1, 200), rng))
    for markers in (chosen, chosen[::-1], chosen[:0], np.array(["zzzz", docs[0, 0, 0]]), chosen[:1]):
        assert np.array_equal(provenance._holds(docs, markers), np.isin(docs, markers))
        assert np.array_equal(provenance.marker_rate(docs, [markers, markers]),
                              [np.isin(d, markers).any(axis=1).mean() for d in docs])


def test_web_shares_carry_the_measured_points_forward():
    years = np.arange(2022, 2030)
    assert provenance.web_shares(years, {2023: 0.39, 2024: 0.5}).tolist() == [0, 0.39, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert all(e["low"] <= e["high"] for e in provenance.MEASURED_SHARES)


def test_resampling_keeps_the_size_and_upweights_human_documents(world):
    kw = dict(samples=400, seeds=2, seed=3, words_per_document=20)
    none = provenance.contaminated_web(world, NGramLM(order=3), [0.5, 0.5], **kw)
    resampled = provenance.contaminated_web(world, NGramLM(order=3), [0.5, 0.5], filter="resample", **kw)
    assert np.allclose(none["synthetic_share"][:, 1:], 0.5)
    assert np.all(resampled["synthetic_share"][:, 1:] < 0.5)                  # likely human text up-sampled
    assert np.all(np.isnan(none["detector_precision"]))                     # no detector at work: not scored
    assert np.all(np.isfinite(resampled["detector_precision"][:, 1:]))
    with pytest.raises(ValueError, match="'words_per_document' parameter of contaminated_web must divide"):
        provenance.contaminated_web(world, NGramLM(order=3), [0.5], samples=400, words_per_document=30)


@pytest.mark.slow  # over ~0.6 s: make check stays under a minute
def test_monitor_run_matches_the_monitor_explorer():
    explorer = dashboards.monitor(real_fraction=0.2, mode="accumulate", generations=4)
    history = lessons.monitoring.monitor_run(real_fraction=0.2, mode="accumulate", generations=4)
    for name in explorer.history.metrics:
        assert np.array_equal(explorer.history[name], history[name], equal_nan=True), name
    assert lessons.monitoring.monitor_alarms(history) == explorer.alarms


# --- figures: new kinds pass the colour-vision check ---

def test_lesson_07_figures_are_not_confusable(writer, world):
    import matplotlib.pyplot as plt

    ax = plots.measured_shares(provenance.MEASURED_SHARES)
    assert not confusable(ax.figure)
    h = provenance.contaminated_web(world, NGramLM(order=3), [0.5], samples=200, seeds=2, seed=0)
    for labels in (("low: 13.5% (Kobak)", "measured: Graphite", "high: 74% (Ahrefs)"),     # the notebook's two figures
                   ("crawl as it is", "word filter, t = 0", "document filter", "detector resampling")):
        axes = plots.web_years({label: h for label in labels}, [2021, 2022], frozen=h)
        assert not confusable(axes[0].figure), labels
    model, reference = writer
    X = world.sample((2, 200), np.random.default_rng(0))
    ax = plots.detector_scores(provenance.synthetic_score(X, model, reference), np.arange(200)[None, :].repeat(2, 0) > 99)
    assert not confusable(ax.figure)
    ax = plots.share_estimates([0.1, 0.5], {"a": [0.3, 0.5], "b": [0.1, 0.4], "c": [0.1, 0.5]})
    assert not confusable(ax.figure)
    plt.close("all")


# --- the notebook: answered by a learner, with settings changed, the self-check still passes ---

def learner_checks(printed):
    """What the learner's notebook printed, cell by cell: every answer right, and the self-check passed."""
    assert sum(p.startswith("Correct") for p in printed) == 3, printed
    assert "Self-check passed" in printed[-1]


# The learner's notebook is executed once per run, by nbval, as notebooks/07_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"TRUE_SHARES = np.array([0.1, 0.3, 0.5, 0.7])": "TRUE_SHARES = np.array([0.2, 0.6])",
                 "rng = np.random.default_rng(1)": "rng = np.random.default_rng(7)",
                 '"none in 20 generations"])': '"none in 20 generations"], guess="none in 20 generations")'}
LEARNER = LearnerRun(SOURCE, ex, LEARNER_EDITS, check=learner_checks)
