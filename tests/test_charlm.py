"""The character language models: exact answers on tiny corpora, a plain-Python reference, errors."""
import subprocess
import sys

import numpy as np
import pytest

from reference_ngram import LoopNGram
from collapse_lab.worlds import NeuralLM, NGramLM
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")

# a corpus whose bigram model is known exactly: p('ab') = 3/4, p('b') = 1/4
TINY = np.array([["ab", "ab", "ab", "b"]])


def _binomial_ok(count, n, p, sds=4):
    # 4 standard deviations: a correct sampler fails this about once in 16,000 runs
    return abs(count - n * p) <= sds * np.sqrt(n * p * (1 - p))


def test_ngram_is_exact_on_a_tiny_corpus():
    model = NGramLM(order=2, smoothing=0).fit(TINY)
    lp = model.log_prob(np.array([["ab", "b", "ba", "a"]]))
    assert np.allclose(lp[0, :2], np.log([0.75, 0.25]))
    assert np.all(lp[0, 2:] == -np.inf)  # never seen: probability 0 without smoothing
    X = model.sample(20000, np.random.default_rng(0))
    assert set(np.unique(X)) == {"ab", "b"}
    assert _binomial_ok((X == "ab").sum(), 20000, 0.75)


def test_ngram_matches_a_plain_python_ngram():
    # micrograd-style: check our vectorised counting against the obvious dict-of-counters version
    world = Words(n_words=2000)
    X = world.sample((1, 3000), np.random.default_rng(0))
    held = world.heldout_[:300]
    for order, smoothing in [(1, 0.5), (3, 0.1), (5, 1.0)]:
        ours = NGramLM(order, smoothing).fit(X).log_prob(held[None])[0]
        ref = LoopNGram(order, smoothing).fit(X[0].tolist())
        assert np.allclose(ours, [ref.log_prob(w) for w in held.tolist()], rtol=0, atol=1e-9)


def test_samples_follow_log_prob():
    # the sampler and log_prob describe the same distribution: compare frequent words' counts
    world = Words(n_words=2000)
    model = NGramLM(order=3, smoothing=0.1).fit(world.sample((1, 5000), np.random.default_rng(1)))
    X = model.sample(50000, np.random.default_rng(2))
    words, counts = np.unique(X, return_counts=True)
    top = np.argsort(-counts)[:10]
    p = np.exp(model.log_prob(words[top][None])[0])
    # sampling never writes the unknown character, which log_prob keeps a smoothing share for;
    # that share is under 1% of a word's probability here, well inside the binomial tolerance
    assert all(_binomial_ok(c, 50000, q) for c, q in zip(counts[top], p))


def test_seeds_are_independent_models():
    X = np.array([["aa"] * 10, ["bbb"] * 10])
    model = NGramLM(order=4, smoothing=0).fit(X)  # order 4 sees a whole word: each seed can say only its word
    S = model.sample(100, np.random.default_rng(0))
    assert S.shape == (2, 100) and (S[0] == "aa").all() and (S[1] == "bbb").all()
    lp = model.log_prob(np.array([["aa", "bbb"]]))  # (1, n) is scored under every seed's model
    assert lp[0, 0] == 0 and lp[1, 1] == 0 and lp[0, 1] == -np.inf


def test_mask_drops_words_and_counts_weight_them():
    X = np.array([["ab", "b", "ab", "zz"]])
    masked = NGramLM(order=2).fit(X, np.array([[True, True, True, False]]))
    plain = NGramLM(order=2).fit(np.array([["ab", "ab", "b"]]))
    probe = np.array([["ab", "b", "zz", "ba"]])
    assert np.allclose(masked.log_prob(probe), plain.log_prob(probe))


def test_temperature_and_top_k():
    model = NGramLM(order=2, smoothing=0).fit(TINY)
    rng = np.random.default_rng(0)
    # T = 0.2: p ∝ (3/4)^5 vs (1/4)^5, so 'b' has probability 1/244
    X = model.sample(20000, rng, temperature=0.2)
    assert _binomial_ok((X == "b").sum(), 20000, 1 / 244)
    # T = 5 flattens towards 50/50: p('ab') = 0.75^0.2 / (0.75^0.2 + 0.25^0.2) = 0.555
    X = model.sample(20000, rng, temperature=5.0)
    assert _binomial_ok((X == "ab").sum(), 20000, 0.75**0.2 / (0.75**0.2 + 0.25**0.2))
    greedy = NGramLM(order=3, smoothing=0.1, top_k=1).fit(Words(n_words=2000).sample((1, 2000), rng))
    assert len(np.unique(greedy.sample(500, rng))) == 1


def test_max_len_caps_sampled_words():
    # a unigram model of one 31-letter word ends a word with probability 1/32 per character
    model = NGramLM(order=1, smoothing=0, max_len=7).fit(np.array([["a" * 31]]))
    X = model.sample(1000, np.random.default_rng(0))
    assert X.dtype == np.dtype("<U7") and set(np.unique(X)) <= {"a" * k for k in range(8)}
    assert _binomial_ok((X == "a" * 7).sum(), 1000, (31 / 32) ** 7)  # words cut at 7 characters


def test_same_rng_same_samples_and_unknown_characters_stay_finite():
    X = Words(n_words=2000).sample((2, 2000), np.random.default_rng(0))
    model = NGramLM().fit(X)
    a = model.sample(300, np.random.default_rng(5), temperature=0.7)
    b = model.sample(300, np.random.default_rng(5), temperature=0.7)
    assert np.array_equal(a, b)
    assert np.isfinite(model.log_prob(np.array([["žluťoučký", "qqqqqq", ""]]))).all()


@pytest.mark.parametrize("make, message", [
    (lambda: NGramLM(order=0).fit(TINY),
     "The 'order' parameter of NGramLM must be an int in the range [1, 8]. Got 0 instead."),
    (lambda: NGramLM(smoothing=-1).fit(TINY), "The 'smoothing' parameter of NGramLM"),
    (lambda: NGramLM(top_k=0).fit(TINY), "The 'top_k' parameter of NGramLM must be None or an int in the range [1, inf). Got 0 instead."),
    (lambda: NGramLM().fit(TINY).sample(5, np.random.default_rng(0), temperature=0),
     "The 'temperature' parameter of NGramLM.sample must be a float in the range [0.001, 1000]. Got 0 instead."),
    (lambda: NGramLM().fit(np.array([["ok", "no way"]])), "The 'X' parameter of NGramLM.fit must contain alphabetic"),
    (lambda: NGramLM().fit(np.array([["a1"]])), "alphabetic words only. Got 'a1' instead."),
    (lambda: NGramLM().fit(np.zeros((1, 0), dtype=str)), "The 'X' parameter of NGramLM.fit must be a non-empty"),
    (lambda: NGramLM().fit(np.array([["ab"], ["cd"]]), np.array([[True], [False]])), "Got none for seed 1"),
    (lambda: NGramLM().fit(TINY, np.ones((2, 4), bool)), "The 'mask' parameter of NGramLM.fit"),
    (lambda: NGramLM().log_prob(TINY), "not fitted yet"),
    (lambda: NeuralLM(context=0).fit(TINY), "The 'context' parameter of NeuralLM must be an int in the range [1, inf)"),
    (lambda: NeuralLM(top_k=0).fit(TINY), "The 'top_k' parameter of NeuralLM"),
    (lambda: NeuralLM(lr=0).fit(TINY), "The 'lr' parameter of NeuralLM must be a float in the range (0, inf)"),
    (lambda: NeuralLM().fit(np.array([["x-ray"]])), "The 'X' parameter of NeuralLM.fit must contain alphabetic"),
])
@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_errors_name_the_parameter_range_and_value(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert message in str(err.value)


def test_importing_the_package_does_not_import_torch():
    code = ("import sys, collapse_lab, collapse_lab.worlds; "
            "collapse_lab.NeuralLM(); assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_neural_learns_a_tiny_corpus_and_is_reproducible():
    model = NeuralLM(context=2, n_hidden=32, steps=200, batch_size=1024, lr=3e-2, seed=1).fit(np.vstack([TINY, TINY[:, ::-1]]))
    lp = model.log_prob(np.array([["ab", "b"]]))
    assert lp.shape == (2, 2)
    # a net has to learn what counting gets exactly; 0.1 nats is a generous 10% in probability
    assert np.allclose(lp, np.log([0.75, 0.25]), atol=0.1)
    X = model.sample(4000, np.random.default_rng(0))
    p = np.exp(lp[0, 0])
    assert X.shape == (2, 4000) and _binomial_ok((X[0] == "ab").sum(), 4000, p)
    again = NeuralLM(context=2, n_hidden=32, steps=200, batch_size=1024, lr=3e-2, seed=1).fit(np.vstack([TINY, TINY[:, ::-1]]))
    assert np.array_equal(again.log_prob(np.array([["ab", "ba"]])), model.log_prob(np.array([["ab", "ba"]])))
    assert np.array_equal(again.sample(50, np.random.default_rng(3), 0.8), model.sample(50, np.random.default_rng(3), 0.8))
