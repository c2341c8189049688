"""The pieces notebooks 05–08 add to the loop: diversity of real words, provenance, a contaminated web, the capstone score."""
import numpy as np
import pytest

from collapse_lab import simulate, worlds
from collapse_lab.lessons import capstone, provenance
from collapse_lab.worlds import NGramLM
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def world():
    return Words(n_words=500, heldout=2000)


def test_distinct_real_words_counts_only_real_words(world):
    h = simulate(world, NGramLM(order=3), generations=2, samples=300, seeds=2, seed=0)
    d = worlds.words.distinct_real_words(h, world)
    assert d.shape == (2, 3)
    for g in range(3):
        for s in range(2):
            X = h.snapshots[g][s]
            assert d[s, g] == len(set(X[world.is_real(X)]))
    assert np.all(d <= h["distinct_words"])


def test_synthetic_score_is_a_log_likelihood_ratio(world):
    rng = np.random.default_rng(0)
    real = NGramLM(order=3, smoothing=0.01).fit(world.sample((1, 2000), rng))
    narrow = NGramLM(order=3, smoothing=0.01).fit(np.array([["the"] * 50 + ["zebra"] * 50]))
    X = np.array([["zebra", "people"]])
    score = provenance.synthetic_score(X, narrow, real)
    assert np.allclose(score, narrow.log_prob(X) - real.log_prob(X))
    assert score[0, 0] > 0 > score[0, 1]  # 'zebra' reads like the narrow model, 'people' like people
    assert np.all(provenance.synthetic_score(X, real, real) == 0)


def test_precision_recall_by_hand_and_undefined_cases():
    flagged = np.array([[True, True, False, False], [False, False, False, False]])
    truth = np.array([[True, False, True, False], [False, False, False, False]])
    precision, recall = provenance.precision_recall(flagged, truth)
    assert precision[0] == 0.5 and recall[0] == 0.5
    assert np.isnan(precision[1]) and np.isnan(recall[1])


def test_contaminated_web_is_seeded_and_tracks_its_synthetic_share(world):
    kw = dict(samples=400, seeds=2, seed=3)
    a = provenance.contaminated_web(world, NGramLM(order=3), [0.2, 0.5, 0.8], **kw)
    b = provenance.contaminated_web(world, NGramLM(order=3), [0.2, 0.5, 0.8], **kw)
    for name in a.metrics:
        assert a[name].shape == (2, 4)
        assert np.array_equal(a[name], b[name], equal_nan=True), name
    assert np.allclose(a["synthetic_share"], [[0, 0.2, 0.5, 0.8]] * 2)  # no filter: the crawl's share
    assert np.all(np.isnan(a["detector_precision"][:, 0]))  # year 0 has nothing to detect
    f = provenance.contaminated_web(world, NGramLM(order=3), [0.2, 0.5, 0.8], filter="detector", **kw)
    assert np.all(f["synthetic_share"][:, 1:] < a["synthetic_share"][:, 1:])  # filtering removes machine words
    labels = provenance.contaminated_web(world, NGramLM(order=3), [0.2, 0.5, 0.8], filter="labels", **kw)
    assert np.all(labels["synthetic_share"] == 0)
    with pytest.raises(ValueError, match="'filter' parameter of contaminated_web"):
        provenance.contaminated_web(world, NGramLM(), [0.5], filter=True)
    with pytest.raises(ValueError, match="'shares' parameter of contaminated_web"):
        provenance.contaminated_web(world, NGramLM(), [0.5, 1.5])


def test_contaminated_web_growing_crawl_and_accumulate_count_what_is_trained_on(world):
    """crawl='growing' keeps the human words of every crawl and puts the machine's on top (shares of all
    documents); mode='accumulate' trains on every year's kept documents, the clean year 0 included."""
    kw = dict(samples=400, seeds=2, seed=3, words_per_document=20)
    grown = provenance.contaminated_web(world, NGramLM(order=3), [0.2, 0.5], crawl="growing", **kw)
    assert np.allclose(grown["synthetic_share"], [[0, 0.2, 0.5]] * 2)    # 5 and 20 machine documents on 20 human
    assert grown.config["crawl"] == "growing" and grown.config["mode"] == "replace"
    kept = provenance.contaminated_web(world, NGramLM(order=3), [0.5, 0.5], mode="accumulate", **kw)
    # 400 clean words, then two crawls of 200 human + 200 machine words: the pool is 1/4, then 1/3 machine
    assert np.allclose(kept["synthetic_share"], [[0, 1 / 4, 1 / 3]] * 2)
    human = provenance.contaminated_web(world, NGramLM(order=3), [0.5, 0.5], mode="accumulate", filter="labels", **kw)
    assert np.all(human["synthetic_share"] == 0)
    with pytest.raises(ValueError, match=r"'shares' parameter of contaminated_web.*\[0, 1\).*growing"):
        provenance.contaminated_web(world, NGramLM(order=3), [0.5, 1.0], crawl="growing", **kw)
    with pytest.raises(ValueError, match="'crawl' parameter of contaminated_web"):
        provenance.contaminated_web(world, NGramLM(order=3), [0.5], crawl="bigger", **kw)
    with pytest.raises(ValueError, match="'mode' parameter of contaminated_web"):
        provenance.contaminated_web(world, NGramLM(order=3), [0.5], mode="keep", **kw)


def test_recipe_refuses_over_budget_and_bad_fields():
    with pytest.raises(ValueError, match=r"real_fraction.*\[0, 0.05\].*budget.*Got 0.1 instead"):
        capstone.Recipe(real_fraction=0.1)
    with pytest.raises(ValueError, match="'mode' parameter of Recipe"):
        capstone.Recipe(mode="sometimes")
    with pytest.raises(ValueError, match="'temperature' parameter of Recipe"):
        capstone.Recipe(temperature=0)
    with pytest.raises(ValueError, match="'q' parameter of TopLikelihood"):
        capstone.Recipe(gate="top:2")
    with pytest.raises(ValueError, match="'gate' parameter"):
        capstone.Recipe(gate="best")
    with pytest.raises(ValueError, match="keys from"):
        capstone.score({"real_fraction": 0.05, "budget": 1})
    with pytest.raises(ValueError, match="budget"):
        capstone.score({"real_fraction": 0.2})


@pytest.mark.slow
def test_score_is_reproducible_and_ranks_collapse_below_a_good_recipe():
    naive = capstone.score({})
    again = capstone.score(capstone.Recipe())
    assert naive.score == again.score
    good = capstone.score({"real_fraction": 0.05, "mode": "accumulate", "gate": "real"})
    assert 0 <= naive.score < good.score
    parts = [good.quality, good.diversity, good.fidelity, good.tail]   # none capped: a verifier's gain counts
    assert good.quality > 1 and np.isclose(good.score, 100 * np.prod(parts) ** (1 / 4))
    first_tail = naive.history.median("recall_tail")[0]
    assert np.isclose(good.tail * first_tail, good.history.median("recall_tail")[-1])
    assert np.isclose(good.fidelity, np.exp(-good.nll_drift))
    first = naive.history.median("frequency_fidelity")[0]
    assert np.isclose(good.diversity * first, good.frequency_fidelity)  # diversity: 1 - TV, relative to generation 0
    assert "score" in capstone.leaderboard([naive, good]).splitlines()[0]


@pytest.mark.slow  # over ~0.6 s: make check stays under a minute
def test_every_recipe_is_compared_with_the_same_baseline():
    naive = capstone.score({})
    cool = capstone.score({"temperature": 0.8})
    first = naive.history.median("real_word_share")[0]
    assert np.isclose(naive.quality * first, naive.real_word_share)
    assert np.isclose(cool.quality * first, cool.real_word_share)  # not cool's own (cooler) generation 0
    assert cool.history.median("real_word_share")[0] > first


def test_recipe_takes_any_real_number_and_its_budget_is_a_share_of_the_gated_training_set():
    # the capstone refills gated training sets: the budget is a share of what is trained on
    assert capstone.CAPSTONE["refill"] is True
    assert capstone.Recipe(real_fraction=np.float32(0.01)).real_fraction == np.float32(0.01)
    s = capstone.score({"real_fraction": 0.05, "gate": "real"})
    assert s.history.config["refill"] is True and s.stopped is None
    # the verifier's acceptance is recorded, and every generation trained on a full set (no seed stopped)
    assert np.all(s.history["acceptance"][:, 1:] < 1) and all(why is None for why in s.history.stopped)


def test_a_recipe_whose_gate_cannot_fill_the_training_set_is_not_scored():
    # 2,000 distinct real words are needed from a 2,000-word world: the dedup gate cannot get them
    s = capstone.score({"gate": "real+dedup"})
    assert not s.scored and np.isnan(s.score) and "too few to fill the training set" in s.stopped
    assert "not scored" in capstone.leaderboard([s])
