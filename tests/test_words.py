"""The world of real words: frequencies, held-out sample, buckets, languages, and its metrics."""
import numpy as np
import pytest

from collapse_lab.worlds import NGramLM
from collapse_lab.worlds.words import Words, word_frequencies

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def world():
    return Words()


def test_word_frequencies_sorted_normalised_plain_words():
    words, probs = word_frequencies("en", 1000)
    assert words.shape == probs.shape == (1000,)
    assert np.all(np.diff(probs) <= 0) and np.isclose(probs.sum(), 1)
    assert all(w.isalpha() and w.islower() and w.isascii() for w in words)
    assert words[0] == "the"


def test_sample_draws_real_frequencies(world):
    X = world.sample((2, 50000), np.random.default_rng(0))
    assert X.shape == (2, 50000) and X.dtype.kind == "U"
    assert world.is_real(X).all()
    # 'the' (rank 0): its count is binomial; 4 standard deviations make a false alarm ~1e-4
    p = world.probs_[0]
    share = (X == world.words_[0]).mean(axis=1)
    assert np.all(np.abs(share - p) < 4 * np.sqrt(p * (1 - p) / 50000))


def test_heldout_is_fixed_by_the_worlds_own_seed(world):
    assert world.heldout_.shape == (10000,)
    assert np.array_equal(world.heldout_, Words().heldout_)
    assert not np.array_equal(world.heldout_, Words(seed=1).heldout_)


def test_buckets_split_the_mass_head_torso_tail(world):
    b = world.bucket_
    assert np.all(np.diff(b) >= 0)  # ranks are sorted by frequency, so buckets are contiguous
    mass = np.bincount(b, weights=world.probs_)
    # the head holds the first half of the mass, the tail the last 10% (up to one word at each cut)
    assert mass[0] >= 0.5 and mass[0] - world.probs_[b == 0][-1] < 0.5
    assert 0.1 - world.probs_.max() < mass[2] <= 0.1 + 1e-12
    assert (world.bucket_sizes_ == np.bincount(b)).all() and world.bucket_sizes_[0] < 200


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_mix_adds_a_minority_language_at_its_share():
    w = Words(n_words=2000, mix={"fi": 0.05})
    assert w.langs_ == ("en", "fi")
    assert len(np.unique(w.words_)) == len(w.words_)  # each word has one language
    assert np.isclose(w.probs_[w.lang_ == 1].sum(), 0.05)
    X = w.sample((1, 40000), np.random.default_rng(1))
    share = (w.lang_[w.rank(X)] == 1).mean()
    assert abs(share - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 40000)


@pytest.mark.parametrize("kwargs, name", [
    (dict(lang="xx"), "lang"),
    (dict(mix={"xx": 0.1}), "lang"),
    (dict(mix={"fi": 1.5}), "mix"),
    (dict(mix=["fi"]), "mix"),
    (dict(mix={"en": 0.1}), "mix"),
    (dict(n_words=3), "n_words"),
    (dict(heldout=0), "heldout"),
    (dict(seed=-1), "seed"),
])
def test_bad_arguments_raise_a_clear_error(kwargs, name):
    with pytest.raises(ValueError, match=f"The '{name}' parameter of Words"):
        Words(**kwargs)


def test_is_real_and_rank(world):
    X = np.array([["the", "qzxv", world.words_[5], ""]])
    assert world.is_real(X).tolist() == [[True, False, True, False]]
    assert world.rank(X).tolist() == [[0, -1, 5, -1]]


def test_measure_of_the_world_itself_is_perfect(world):
    # the true distribution as the "model": every word is real and every word keeps its probability
    rng = np.random.default_rng(0)
    m = world.measure(world, world.sample((2, 20000), rng), world)
    assert np.all(m["real_word_share"] == 1)
    for b in ("head", "torso", "tail"):
        assert np.all(m[f"recall_{b}"] == 1)
    held = world.heldout_
    expected = -world.log_prob(held).sum() / (np.char.str_len(held) + 1).sum()
    assert np.allclose(m["heldout_nll"], expected)
    assert np.allclose(m["perplexity"], np.exp(expected))
    # the entropy of 20,000 samples is a bit below the true 7.0 nats (unseen words); not far
    assert np.all((6.5 < m["entropy"]) & (m["entropy"] < 7.0))


def test_measure_sample_statistics_against_plain_python(world):
    samples = np.array([["the", "cat", "the", "zzq"], ["a", "a", "a", "a"]])
    m = world.measure(world, samples, world)
    assert m["distinct_words"].tolist() == [3, 1]
    assert m["real_word_share"].tolist() == [0.75, 1.0]
    for s, row in enumerate(samples):
        grams = {("." + w + ".")[i : i + 3] for w in set(row) for i in range(len(w))}
        assert m["distinct_ngrams"][s] == len(grams)
        lengths = np.char.str_len(row)
        assert np.isclose(m["length_mean"][s], lengths.mean()) and np.isclose(m["length_std"][s], lengths.std())
        _, counts = np.unique(row, return_counts=True)
        p = counts / counts.sum()
        assert np.isclose(m["entropy"][s], -(p * np.log(p)).sum())
    assert m["entropy"][1] == 0


def test_measure_is_finite_when_collapsed_to_one_word(world):
    # smoothing 0 and one training word: the model can only say "the", held-out words get p = 0
    model = NGramLM(smoothing=0).fit(np.array([["the"] * 5]))
    samples = model.sample(1000, np.random.default_rng(0))
    assert (samples == "the").all()
    m = world.measure(model, samples, model)
    assert all(np.isfinite(v).all() and v.shape == (1,) for v in m.values())
    assert m["distinct_words"][0] == 1 and m["entropy"][0] == 0 and m["length_std"][0] == 0
    assert m["recall_tail"][0] == 0 and m["gen0_nll"][0] == 0


def test_measure_reports_the_minority_share():
    w = Words(n_words=2000, mix={"fi": 0.2})
    m = w.measure(w, w.sample((1, 20000), np.random.default_rng(0)), w)
    assert abs(m["minority_share"][0] - 0.2) < 0.02  # binomial sd 0.003
    assert "minority_share" not in Words(n_words=2000).measure(w, np.array([["the"]]), w)


def test_heldout_is_not_the_data_of_a_run_with_the_same_seed(world):
    # default_rng(0) for both would make the held-out words the first training words of seed=0
    run = world.sample((1, 10000), np.random.default_rng(0))[0]
    assert (world.heldout_ != run).mean() > 0.5


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(n_words=5), "'n_words' parameter of Words must be an int in the range [10, inf)"),
    (dict(n_words=10**20), "'n_words' parameter of Words"),
    (dict(lang=3), "'lang' parameter of Words must be a str"),
    (dict(mix=[("fi", 0.05)]), "'mix' parameter of Words must be None or a dict"),
    (dict(mix={"en": 0.1}), "'mix' parameter of Words"),
    (dict(mix={"fi": 1.5}), "'mix' parameter of Words must be a float in the range (0, 1)"),
    (dict(heldout=0), "'heldout' parameter of Words must be an int in the range [1, inf)"),
    (dict(seed=-1), "'seed' parameter of Words must be an int in the range [0, inf)"),
    (dict(lang="xx"), "'lang' parameter of Words must be a language code"),
])
def test_bad_arguments_are_refused_when_the_world_is_built(kwargs, parameter):
    # issue 13 item 5: the rules are declared once (_parameter_constraints) and checked in one step
    with pytest.raises(ValueError) as err:
        Words(**kwargs)
    assert parameter in str(err.value)
