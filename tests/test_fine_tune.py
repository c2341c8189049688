"""Fine-tuning: warm_start continues from the fitted state instead of starting again."""
import numpy as np
import pytest

from collapse_lab.worlds import NeuralLM, NGramLM
from collapse_lab.worlds.charlm import UNK
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")

A = np.array([["cat", "cab", "ta"], ["bat", "tab", "a"]])
B = np.array([["act", "tact", "cat"], ["abba", "bat", "tat"]])


def test_ngram_fine_tuning_adds_the_new_counts_to_the_old():
    warm = NGramLM(order=2, smoothing=0, warm_start=True).fit(A).fit(B)
    scratch = NGramLM(order=2, smoothing=0).fit(np.hstack([A, B]))
    assert np.array_equal(warm.keys_, scratch.keys_) and np.allclose(warm.counts_, scratch.counts_)


def test_fine_tune_weight_scales_the_old_counts():
    # 0.5·A + B has the probabilities of A + 2·B (smoothing 0: only ratios matter)
    warm = NGramLM(order=2, smoothing=0, warm_start=True, fine_tune_weight=0.5).fit(A).fit(B)
    scratch = NGramLM(order=2, smoothing=0).fit(np.hstack([A, B, B]))
    words = np.array([["cat", "tab", "abba", "act"]])
    assert np.allclose(warm.log_prob(words), scratch.log_prob(words))


def test_fine_tuning_keeps_the_first_alphabet_and_reads_new_characters_as_unknown():
    model = NGramLM(order=2, warm_start=True).fit(A)
    alphabet = model.alphabet_.copy()
    model.fit(np.array([["zebra"], ["zoo"]]))
    assert np.array_equal(model.alphabet_, alphabet)
    assert model.counts_[:, UNK].sum() == 6  # z, e, r and z, o, o: new letters; b and a are known
    assert np.isfinite(model.log_prob(np.array([["zebra"]]))).all()


def test_without_warm_start_or_with_other_seeds_fit_starts_again():
    model = NGramLM(order=2, warm_start=True).fit(A)
    again = model.fit(np.array([["xy"]]))  # one seed instead of two: a fresh fit
    assert again.n_seeds_ == 1 and ord("x") in again.alphabet_


@pytest.mark.slow
def test_neural_fine_tuning_continues_from_the_fitted_weights():
    world = Words(n_words=2000)
    rng = np.random.default_rng(0)
    X = world.sample((1, 5000), rng)
    held = world.heldout_[None, :2000]
    base = NeuralLM(steps=400, seed=0).fit(X)
    before = -base.log_prob(held).mean()
    # 30 more steps on new data from the same world: a fine-tuned model stays about as good;
    # 30 steps from scratch are far from it
    tuned = base.set_params(warm_start=True, fine_tune_steps=30, fine_tune_lr=2e-3).fit(world.sample((1, 5000), rng))
    after = -tuned.log_prob(held).mean()
    scratch = -NeuralLM(steps=30, seed=0).fit(X).log_prob(held).mean()
    assert abs(after - before) < 0.05 * before and scratch > 1.2 * before
    assert tuned.device_ == "cpu" or tuned.device_.startswith("cuda")
