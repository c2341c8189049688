"""The key points of notebooks 06 (distillation) and 07 (monitoring and provenance), each checked in a
neighbourhood: where a sceptic would look next (DESIGN.md, "A key point is a claim with a neighbourhood").

Each claim holds at the lesson's setting (its self-check asserts that) and is checked here on two more
seed sets, 1 and 2 (the lesson runs seed set 0, so three in all), and at the neighbouring settings the
review asked about: a student as large as the teacher, a fixed against a fresh anchor, an imperfect
detector (documents of 5 words), matched smoothing, and a crawl of fixed size against a growing one.
Where a claim fails in the neighbourhood, the lesson states its condition, and the test asserts the
condition. Every run is seeded; tolerances are set from the spread over the three seed sets
(measured 2026-12, noted beside each bound) with room for that spread, not at the lesson's numbers.
"""
import numpy as np
import pytest

from collapse_lab import simulate
from collapse_lab.lessons import monitoring, provenance
from collapse_lab.lessons.distillation import chain, nll, slide
from collapse_lab.worlds import NGramLM, Words

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

SEED_SETS = (1, 2)          # seed set 0 is the lesson's own, asserted by each self-check
GRAPHITE = provenance.web_shares(np.arange(2022, 2030), {2023: 0.39, 2024: 0.50})


def _teacher_sized():
    return NGramLM(order=4, smoothing=0.01)


# --- notebook 06 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEED_SETS)
def test_06_small_hard_label_chains_slide_and_soft_labels_hold_only_where_contexts_are_covered(seed):
    """§3 key point, restated: 'Soft labels slow the slide a lot when the transfer set covers the
    student's contexts; a student the teacher's size on the same words still slides.'
    Measured slides (seed sets 0/1/2): hard 3-gram 0.83/0.81/0.81; soft 3-gram 0.014/0.014/0.013;
    soft 4-gram, 2,000 words 0.26/0.27/0.27 with tail 0.22 -> 0.10; soft 4-gram, 20,000 words -0.02."""
    hard = slide(chain(generations=10, seed=seed))
    assert hard > 0.75
    assert slide(chain(generations=10, distill="soft", seed=seed)) < 0.05          # covered: 729 contexts
    same = chain(student=_teacher_sized(), generations=10, distill="soft", seed=seed)
    tail = same.median("recall_tail")
    assert 0.2 < slide(same) < 0.35 and tail[-1] < 0.55 * tail[1]                   # not covered: it slides
    covered = chain(student=_teacher_sized(), generations=10, distill="soft", teacher_samples=20000, seed=seed)
    assert abs(slide(covered)) < 0.05                                                # cover it, and it holds


@pytest.mark.parametrize("seed", SEED_SETS)
def test_06_first_student_loses_the_tail_and_soft_labels_beat_ten_times_the_hard_labels(seed):
    """§1-2: the first student keeps the head, loses the tail; soft labels from 2,000 words beat hard
    labels from 20,000 (seed set 0: 1.949 against 1.982; 1 and 2 alike within 0.01)."""
    hard = chain(seed=seed)
    real = simulate(Words(n_words=2000), NGramLM(order=3, smoothing=0.01), generations=1, samples=2000, seeds=3,
                    seed=seed)                                # the same student on real words
    kept = {b: hard.median(b)[1] / real.median(b)[0] for b in ("recall_head", "recall_tail")}
    assert kept["recall_head"] > 0.95 and kept["recall_tail"] < 0.85, kept
    assert nll(chain(distill="soft", seed=seed), 1) < nll(chain(teacher_samples=20000, seed=seed), 1) - 0.01


@pytest.mark.parametrize("seed", SEED_SETS)
def test_06_the_anchor_must_be_fresh_real_data_or_all_data_kept(seed):
    """§5 key point, restated: 'A small anchor of fresh real data stops the slide; a fixed slice of the
    teacher's real words helps far less; without new real data keep all the data.'
    Share of the unanchored slide left (seed sets 0/1/2): fresh 5% 0.50/0.46/0.49, fresh 20%
    0.09/0.06/0.07, fixed 5% 0.95/0.87/0.86, fixed 20% 0.52/0.51/0.52, accumulate (no fresh data)
    0.11/0.12/0.11."""
    hard = slide(chain(generations=10, seed=seed))
    left = {name: slide(chain(generations=10, seed=seed, **lever)) / hard for name, lever in {
        "fresh 5%": dict(real_fraction=0.05), "fresh 20%": dict(real_fraction=0.2),
        "fixed 5%": dict(real_fraction=0.05, real_source="fixed"),
        "fixed 20%": dict(real_fraction=0.2, real_source="fixed"),
        "accumulate": dict(mode="accumulate")}.items()}
    assert 0.35 < left["fresh 5%"] < 0.65 and left["fresh 20%"] < 0.15, left
    assert left["fixed 5%"] > 0.8 and 0.4 < left["fixed 20%"] < 0.65, left
    assert left["accumulate"] < 0.15, left


# --- notebook 07 -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world():
    return Words(n_words=5000, heldout=5000)


def _web(world, seed, **kw):
    """Graphite's web at the lesson's settings (a 3-gram, 2,000 words a crawl), on another seed set."""
    model = NGramLM(order=3, **kw.pop("model", {}))
    return provenance.contaminated_web(world, model, GRAPHITE, samples=2000, seeds=3, seed=seed,
                                       reference_samples=20000, **kw)


@pytest.mark.parametrize("seed", SEED_SETS)
def test_07_contamination_harms_by_pushing_human_text_out_of_a_fixed_size_crawl(world, seed):
    """Part 2 key point, restated with its condition: 'in a crawl of fixed size' a web with Graphite's
    shares degrades the model; with the human words kept and the machine's on top it does not.
    Fixed crawl, 2021 -> 2029 tail recall (seed sets 0/1/2): -0.028/-0.029/-0.023, NLL +0.07 each;
    growing crawl: tail +0.003/+0.011/+0.004, NLL -0.02/-0.04/-0.03 (at Ahrefs' 74%: tail +0.01, NLL -0.04)."""
    fixed = _web(world, seed)
    tail, heldout = fixed.median("recall_tail"), fixed.median("heldout_nll")
    assert tail[-1] - tail[0] < -0.02 and heldout[-1] - heldout[0] > 0.03
    grown = _web(world, seed, crawl="growing", words_per_document=20)
    g_tail, g_nll = grown.median("recall_tail"), grown.median("heldout_nll")
    assert g_tail[-1] >= g_tail[0] - 0.005 and g_nll[-1] <= g_nll[0] + 0.005, (g_tail, g_nll)


@pytest.mark.parametrize("seed", SEED_SETS)
def test_07_resampling_gain_is_the_duplicated_counts_not_the_detector(world, seed):
    """Part 4, restated: resampling's higher share of real words is what duplicating documents does to
    the add-k smoothing; a document filter with the smoothing halved matches it (2023-29 mean within
    0.005/0.019/0.011) with a better tail and NLL; with 5-word documents, where the detector errs
    (recall 0.89-0.94), resampling gains at most 0.03 over the raw crawl (0.007/0.025/0.030).
    Keeping every year's human documents is the lever that works: tail +0.05, NLL -0.13 by 2029."""
    resampled = _web(world, seed, filter="resample", words_per_document=20)
    halved = _web(world, seed, filter="detector", words_per_document=20, model=dict(smoothing=0.05))
    share = {name: h.median("real_word_share") for name, h in (("resample", resampled), ("halved", halved))}
    assert abs(share["resample"][2:].mean() - share["halved"][2:].mean()) < 0.03, share
    for metric, better in (("recall_tail", +1), ("heldout_nll", -1)):
        assert better * (halved.median(metric)[-1] - resampled.median(metric)[-1]) > 0, metric
    assert np.min(resampled.median("detector_precision")[2:]) > 0.97          # near perfect on 20 words
    short = _web(world, seed, filter="resample", words_per_document=5)
    assert np.min(short.median("detector_recall")[2:]) < 0.97                 # imperfect on 5 words
    raw = _web(world, seed).median("real_word_share")[-1]
    assert short.median("real_word_share")[-1] - raw < 0.035
    kept = _web(world, seed, filter="labels", mode="accumulate", words_per_document=20)
    tail, heldout = kept.median("recall_tail"), kept.median("heldout_nll")
    assert tail[-1] - tail[0] > 0.03 and heldout[0] - heldout[-1] > 0.08


@pytest.mark.parametrize("seed", SEED_SETS)
def test_07_monitor_alarms_catch_collapse_and_stay_quiet_on_a_steady_run(seed):
    """Part 1: the NLL and tail alarms trip within 3 generations of the collapsing flywheel, the raw-output
    alarms never; a steady run (50% fresh real data, replace) trips none at the default thresholds
    (its tail recall is at worst 17%/15%/16% down, under the 30% threshold)."""
    alarms = monitoring.monitor_alarms(monitoring.monitor_run(seed=seed))
    assert alarms["heldout_nll"] <= 3 and alarms["recall_tail"] <= 3, alarms
    assert alarms["distinct_words"] is None and alarms["entropy"] is None, alarms
    steady = monitoring.monitor_run(real_fraction=0.5, seed=seed)
    assert all(g is None for g in monitoring.monitor_alarms(steady).values())
