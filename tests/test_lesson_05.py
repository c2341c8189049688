"""Notebook 05 (quality gates): its exercises, its figures, its explorer, and its self-check."""
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from collapse_lab import Words, dashboards, plots  # noqa: E402
from collapse_lab.exercises import quality_gates as ex  # noqa: E402
from helpers import confusable  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)
from collapse_lab.engine.gates import TopLikelihood, Verifier  # noqa: E402
from collapse_lab import lessons  # noqa: E402

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "05_quality_gates.py"
WORLD = Words(n_words=500)
SMALL = lessons.quality_gates.gate_runner(WORLD, samples=300, generations=3, seeds=2)   # the lesson's flywheel, small


# --- exercises: the right answer, the usual wrong ones (with their feedback), a wrong type ------------

def test_q1_acceptance_rate():
    assert ex.q1.check(lambda q, fa, fr: q * (1 - fr) + (1 - q) * fa).correct
    assert "perfect verifier" in ex.q1.check(lambda q, fa, fr: q).message
    assert "swapped" in ex.q1.check(lambda q, fa, fr: q * (1 - fa) + (1 - q) * fr).message
    assert "non-words" in ex.q1.check(lambda q, fa, fr: q * (1 - fr)).message
    assert ex.q1.check(0.76).kind == "type"
    assert ex.q1.check(lambda q, fa, fr: ...).kind == "type"                 # the cell as it ships


def test_q2_share_of_real_words_that_pass():
    assert ex.q2.check(lambda q, fa, fr: q * (1 - fr) / (q * (1 - fr) + (1 - q) * fa)).correct
    assert "divide by the acceptance rate" in ex.q2.check(lambda q, fa, fr: q * (1 - fr)).message
    assert "depends on q" in ex.q2.check(lambda q, fa, fr: 1 - fa).message
    assert ex.q2.check("q(1-fr)").kind == "type"


def test_q3_distinct_words_a_cap_needs():
    assert ex.q3.check(667).correct and ex.q3.check(2000 / 3).correct
    assert "dedup" in ex.q3.check(2000).message
    assert "cap would allow" in ex.q3.check(6000).message
    assert ex.q3.check("667").kind == "type"
    assert ex.q3.check(...).kind == "type"


def _solution(name):
    namespace = {"np": np}
    exec(getattr(ex, name).solution().code, namespace)
    return namespace


def test_q4_surprise_gate():
    assert ex.q4.check(_solution("q4")["my_surprise_gate"]).correct
    assert ex.q4.check(ex.SurpriseFilter(0.9)).correct
    likely = ex.q4.check(lambda samples, model, mask: TopLikelihood(0.9)(samples, model, mask))
    assert "MOST likely" in likely.message
    ten = ex.q4.check(lambda s, m, mask: mask & (-m.log_prob(s) >= np.quantile(-m.log_prob(s), 0.9, axis=1, keepdims=True)))
    assert "about 10%" in ten.message
    ties = ex.q4.check(lambda s, m, mask: mask & (-m.log_prob(s) >= np.quantile(-m.log_prob(s), 0.1, axis=1, keepdims=True)))
    assert "strict >" in ties.message
    scrambled = ex.q4.check(lambda s, m, mask: mask & (np.random.default_rng(0).random(mask.shape) < 0.9))
    assert "not the most surprising" in scrambled.message
    assert ex.q4.check(3).kind == "type"
    assert ex.q4.check(lambda s, m, mask: ...).kind == "type"
    assert "raised ZeroDivisionError" in ex.q4.check(lambda s, m, mask: 1 / 0).message


def test_the_formulas_match_an_imperfect_verifier():
    """Exercise 1 and 2's answers against Verifier flipping its coins on 200,000 words (4 standard errors)."""
    rng = np.random.default_rng(0)
    n, q, fa, fr = 200_000, 0.76, 0.3, 0.1
    real = rng.random((1, n)) < q
    gate = Verifier(lambda x: x, false_accept=fa, false_reject=fr)
    kept = gate(real, None, np.ones_like(real), rng=rng)
    acceptance, share = kept.mean(), real[kept].mean()
    assert abs(acceptance - ex.verifier_acceptance(q, fa, fr)) < 4 * np.sqrt(acceptance * (1 - acceptance) / n)
    assert abs(share - ex.verified_share(q, fa, fr)) < 4 * np.sqrt(share * (1 - share) / kept.sum())
    assert ex.verified_share(q, 0.5, 0.5) == pytest.approx(q)                  # a coin adds nothing


def test_surprise_filter_keeps_the_least_likely_share():
    model, samples, mask = ex._surprise_batch()
    kept = ex.SurpriseFilter(0.7)(samples, model, mask)
    nll = -model.log_prob(samples)
    assert np.all(kept.sum(axis=1) == np.ceil(0.7 * mask.sum(axis=1)))
    for s in range(len(kept)):
        assert nll[s][kept[s]].min() >= nll[s][~kept[s]].max()
    with pytest.raises(ValueError, match="'q' parameter of SurpriseFilter"):
        ex.SurpriseFilter(1.5)


# --- the runner, the grid and the explorer -------------------------------------------------------

def test_runs_are_shared_by_equal_settings_and_cached_for_each_cell():
    h = SMALL("real")
    assert lessons.quality_gates.gate_runner(Words(n_words=500), samples=300, generations=3, seeds=2)("real") is h
    assert lessons.quality_gates.gate_runner(WORLD, samples=300, generations=3, seeds=1)("real") is not h
    assert SMALL("real", 0.0) is h and SMALL("real", refill=True) is h
    starved = SMALL("real", refill=False)
    assert starved is not h and starved.config["refill"] is False and h.config["refill"] is True
    gate = ex.SurpriseFilter(0.9)
    assert SMALL(gate) is SMALL(ex.SurpriseFilter(0.9))                      # a gate object, known by its repr
    assert "distinct_real_words" in h.metrics and h.model is None


def test_diversity_is_frequency_fidelity_read_off_each_generations_model():
    """One meaning of diversity with notebook 08: 1 − TV to the real frequencies, in [0, 1], for every generation;
    the frontier's x is it relative to generation 0's, and distinct real words stay a separate count."""
    h = SMALL("none")
    fidelity = h.metrics["frequency_fidelity"]
    assert fidelity.shape == h.metrics["real_word_share"].shape and np.all((fidelity > 0) & (fidelity <= 1))
    point = lessons.quality_gates.frontier_points({("none", 0.0): h})[0]
    assert point["diversity"] == pytest.approx(h.median("frequency_fidelity")[-1] / h.median("frequency_fidelity")[0])
    assert point["distinct"] == pytest.approx(h.median("distinct_real_words")[-1] / h.median("distinct_real_words")[0])


@pytest.mark.slow  # ~0.6 s (two fits): make check stays under a minute
def test_a_narrow_vocabulary_of_real_words_is_easier_to_spell():
    """matched_vocabulary_share, the yardstick of notebook 05 §3, rises as the vocabulary narrows (2,000 words a
    seed: a standard error of about 0.01, far below the gap)."""
    share = {k: np.median(lessons.quality_gates.matched_vocabulary_share(k, n_words=500, samples=2000)) for k in (500, 50)}
    assert share[50] > share[500] + 0.1


def test_matched_vocabulary_share_refuses_a_vocabulary_outside_the_world():
    with pytest.raises(ValueError, match="'k' parameter of matched_vocabulary_share.*Got 501"):
        lessons.quality_gates.matched_vocabulary_share(501, n_words=500)
    with pytest.raises(ValueError, match="'k' parameter of matched_vocabulary_share"):
        lessons.quality_gates.matched_vocabulary_share(5)


def test_frontier_points_carry_cost_and_stopped_cells():
    result = lessons.quality_gates.gate_grid(SMALL, ["none", "top:0.7", "real+dedup"], [0.0])
    points = {p["label"]: p for p in lessons.quality_gates.frontier_points(result)}
    assert points["none"]["acceptance"] == 1.0 and points["top:0.7"]["acceptance"] == pytest.approx(0.7, abs=0.01)
    assert points["real+dedup"]["stopped"] == 2                              # 300 distinct real words: too many
    assert np.isnan(points["real+dedup"]["quality"])


def test_verifier_sliders_rewrite_the_real_parts():
    assert lessons.quality_gates._verifier_spec("real+cap:4", 0.25, 0.1) == "real:0.25,0.1+cap:4"
    assert lessons.quality_gates._verifier_spec("top:0.9", 0.25, 0.1) == "top:0.9"
    assert lessons.quality_gates._verifier_spec("real", 0, 0) == "real"
    explorer = dashboards.gates(runner=SMALL, gates="none, real", real_fractions="0")
    explorer.controls["false_accept"].value = 0.5
    explorer.run()
    assert ("real:0.5,0", 0.0) in explorer.result and explorer.message.value == ""
    explorer.controls["refill"].value = False
    explorer.run()
    assert explorer.result["real:0.5,0", 0.0].config["refill"] is False


def test_stopped_cells_are_named_in_the_caption_and_drawn_without_error():
    explorer = dashboards.gates(runner=SMALL, gates="none, real+dedup", real_fractions="0")
    assert "could not fill" in explorer.summary.lower() and "real+dedup" in explorer.summary
    assert "went wrong" not in explorer.message.value and "too few to fill" in explorer.message.value


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_many_frontier_labels_do_not_overprint_each_other_or_the_legend():
    explorer = dashboards.gates(runner=SMALL, gates="none, top:0.9, top:0.8, top:0.7, real, real+cap:10",
                                real_fractions="0, 0.2")
    ax = explorer.figure.axes[0]
    explorer.figure.canvas.draw() if hasattr(explorer.figure.canvas, "draw") else None
    renderer = explorer.figure._get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == 12
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(box.overlaps(legend) for box in boxes)


# --- figures: every new kind passes the colour-vision check --------------------------------------

def test_gate_runs_figure_is_readable_without_colour():
    fig = plots.gate_runs({spec: SMALL(spec) for spec in ("none", "top:0.9", "top:0.7", "real", "real+cap:10")})
    assert not confusable(fig) and len(fig.axes) == 4
    assert fig.axes[3].get_ylim() == (0, 1.04)
    plt.close(fig)
    fig = plots.gate_runs({spec: SMALL(spec) for spec in ("top:0.7", "real+cap:4")})   # the second rises above the first
    assert SMALL("real+cap:4").median("recall_tail")[-1] > np.nanmax(SMALL("top:0.7").median("recall_tail")[1:])
    highest = max(np.nanmax(SMALL(spec).median("recall_tail")) for spec in ("top:0.7", "real+cap:4"))
    assert fig.axes[2].get_ylim()[0] == 0 and fig.axes[2].get_ylim()[1] >= highest    # every line in view
    assert fig.axes[1].get_ylim() == (0, 1.04) and "frequency fidelity" in fig.axes[1].get_ylabel()
    plt.close(fig)


def test_verifier_error_figure_is_readable_without_colour():
    runs = {(fa, fr): SMALL(f"real:{fa:g},{fr:g}") for fa in (0.0, 0.5, 0.9) for fr in (0.0, 0.5)}
    fig = plots.verifier_error(runs, reference={"generation 0": SMALL("none"), "no gate": SMALL("none")})
    assert not confusable(fig) and len(fig.axes) == 3
    plt.close(fig)


def test_frontier_and_cost_figure_is_readable_without_colour():
    points = lessons.quality_gates.frontier_points(lessons.quality_gates.gate_grid(SMALL, ["none", "top:0.9", "real"], [0.0, 0.2]))
    fig, (ax, cost) = plt.subplots(1, 2)
    plots.gate_frontier(points, ax=ax, reference=(1.0, 0.7))
    plots.acceptance_bars(points, ax=cost)
    assert not confusable(fig) and len(cost.patches) == 6
    plt.close(fig)


# --- the notebook: the self-check survives a learner ---------------------------------------------

def learner_checks(printed):
    """Notebook 05 with every exercise answered by its solution, and the lesson's seeds and gate list
    changed: every cell still runs and the self-check (with its own runs) still passes."""
    assert sum(p.startswith("Correct") for p in printed) == 4, printed
    assert "Self-check passed" in printed[-1]


def test_a_runner_remembers_its_runs_on_the_one_cache():
    """A learner sweeping the verifier's sliders adds a run per position (about 5 MB each): runs live
    on the course's one bounded cache (engine/cache.py), and one asked for again comes back at once."""
    run = lessons.quality_gates.gate_runner(lessons.language.lesson_world(300), samples=200, generations=2, seeds=1, seed=5)
    first = run("real:0.1,0")
    assert run("real:0.1,0") is first and run("real:0.1,0", 0.0, True) is first
    assert lessons.quality_gates.gate_run.cache_info().maxsize == lessons.quality_gates.GATE_RUNS_KEPT
    other = lessons.quality_gates.gate_runner(lessons.language.lesson_world(300), samples=200, generations=2, seeds=1, seed=5)
    assert other("real:0.1,0") is first   # an equal runner (same world and settings) shares the runs


# The learner's notebook is executed once per run, by nbval, as notebooks/05_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {"seeds=3, seed=0, refill=True)   # refill": "seeds=2, seed=0, refill=True)   # refill",
                 '"real+cap:4", "real+cap:10"]': '"real+cap:4"]',
                 "number=(0, 1))": "number=(0, 1), guess=0.9)"}
LEARNER = LearnerRun(SOURCE, ex, LEARNER_EDITS, check=learner_checks)
