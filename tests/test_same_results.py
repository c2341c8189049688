"""The fast paths behind the words and distillation explorers give *the same* numbers, to the bit.

Issue 10 made these experiments faster (table look-ups, constants worked out once, leaner loops).
Each test compares the fast code with a plain version written the obvious way -- one word and one
character at a time, or the textbook formula -- that does the same arithmetic in the same order:
equality is demanded, not closeness. Why references and not recorded checksums: a checksum of
floats recorded on one machine can differ in the last bit on another CPU (numpy's log is
vectorised differently), and it could not say *what* differs. Last, whole runs of both explorers'
experiments are repeated with the plain versions swapped in, and every metric, snapshot and
fitted table must come out equal.
"""
import numpy as np
import pytest

from reference_ngram import plain_categorical_measure, reference_log_prob, reference_sample
from collapse_lab import metrics
from collapse_lab.worlds import NGramLM
from collapse_lab.worlds.charlm import _code_points, _to_ids
from collapse_lab.engine.loop import simulate
from collapse_lab.worlds import Categorical, EmpiricalModel
from collapse_lab.worlds.words import Words, _distinct_ngrams

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def world():
    return Words(n_words=2000, heldout=2000)


def _assert_same_history(a, b):
    assert a.metrics.keys() == b.metrics.keys()
    for name in a.metrics:
        np.testing.assert_array_equal(a.metrics[name], b.metrics[name], err_msg=name, strict=True)
    assert a.snapshots.keys() == b.snapshots.keys()
    for g in a.snapshots:
        np.testing.assert_array_equal(a.snapshots[g], b.snapshots[g], err_msg=f"snapshot {g}", strict=True)
    for m, n in ((a.model0, b.model0), (a.model, b.model)):
        np.testing.assert_array_equal(m.probs_, n.probs_, strict=True)
    assert a.stopped == b.stopped


# --- the pieces ---

def test_token_ids_by_table_match_a_binary_search():
    alphabet = np.array([97, 98, 122, 0x4E2D], dtype=np.uint32)
    codes = np.array([[0, 97, 99, 122, 0x4E2D, 0x4E2E, 0x10FFFF, 98]], dtype=np.uint32)
    i = np.searchsorted(alphabet, codes).clip(max=alphabet.size - 1)
    plain = np.where(codes == 0, 0, np.where(alphabet[i] == codes, i + 2, 1))
    np.testing.assert_array_equal(_to_ids(codes, alphabet), plain)
    np.testing.assert_array_equal(_to_ids(codes, alphabet[:0]), np.where(codes == 0, 0, 1))


def test_dense_and_searched_row_look_ups_agree(world):
    model = NGramLM(order=3).fit(world.sample((2, 500), np.random.default_rng(0)))
    keys = np.arange(model.n_seeds_ * len(model.itos_) ** 2)  # every possible key, seen or not
    np.testing.assert_array_equal(model._row_lookup(10**6)(keys), model._search_rows(keys))


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_scoring_matches_the_word_by_word_reference(world, order):
    rng = np.random.default_rng(order)
    model = NGramLM(order=order, smoothing=0.01 if order > 1 else 0.0).fit(world.sample((2, 800), rng))
    words = np.concatenate([world.sample((2, 300), rng), np.array([["zzzq", ""], ["a", "éa"]])], axis=1)
    for X in (words, world._sorted[None, :500], words[:1]):
        np.testing.assert_array_equal(model.log_prob(X), reference_log_prob(model, X), strict=True)


@pytest.mark.parametrize("order, decoding", [(1, {}), (2, {}), (3, {}), (4, dict(top_k=5)),
                                             (3, dict(top_p=0.8)), (6, {})])
@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_sampling_matches_the_word_by_word_reference(world, order, decoding, temperature):
    model = NGramLM(order=order, smoothing=0.01, **decoding).fit(world.sample((2, 1000), np.random.default_rng(1)))
    for n in (300, 1):  # a second call reuses the kept sampler
        ours = model.sample(n, np.random.default_rng(2), temperature)
        plain = reference_sample(model, n, np.random.default_rng(2), temperature)
        np.testing.assert_array_equal(ours, plain, strict=True)


def test_kept_tables_follow_a_replaced_table(world):
    # capstone.written_frequencies scores a shallow copy whose probs_ it replaces: nothing kept
    # from the original's table may be used for the copy's
    import copy

    model = NGramLM(order=2, smoothing=0.1).fit(world.sample((1, 500), np.random.default_rng(5)))
    words = world.words_[None, :50]
    model.log_prob(words), model.sample(5, np.random.default_rng(0))  # the original keeps its tables
    other = copy.copy(model)
    other.probs_ = np.roll(model.probs_, 1, axis=1)
    np.testing.assert_array_equal(other.log_prob(words), reference_log_prob(other, words))
    np.testing.assert_array_equal(other.sample(50, np.random.default_rng(1)),
                                  reference_sample(other, 50, np.random.default_rng(1)))
    np.testing.assert_array_equal(model.log_prob(words), reference_log_prob(model, words))


def test_categorical_measure_matches_the_textbook_formulas():
    world = Categorical.words(300)
    rng = np.random.default_rng(0)
    model = EmpiricalModel(300).fit(world.sample((4, 200), rng))
    for _ in range(3):
        ours, plain = world.measure(model), plain_categorical_measure(world, model)
        for name in plain:
            np.testing.assert_array_equal(ours[name], plain[name], err_msg=name, strict=True)
        model.fit(model.sample(200, rng))
    world.probs = np.r_[world.probabilities()[1:], world.probabilities()[:1]]  # new probabilities: the kept yardstick is refreshed
    np.testing.assert_array_equal(world.measure(model)["kl"], plain_categorical_measure(world, model)["kl"])


def test_drawing_nothing_consumes_no_randomness():
    world, a, b = Categorical.words(100), np.random.default_rng(3), np.random.default_rng(3)
    assert world.sample((5, 0), a).shape == (5, 0)
    a.choice(100, size=(5, 0), p=world.probabilities())  # what it replaced: also draws nothing
    assert a.random() == b.random()


def test_distinct_ngrams_match_python_sets():
    uniq = np.array(["", "a", "ab", "abc", "bca", "héé"])
    present = np.array([[True, True, True, False, False, False], [False, False, True, True, True, True]])
    plain = [len({w2[i:i + 3] for w in uniq[row] for w2 in ["." + w + "."] for i in range(len(w2) - 2)})
             for row in present]
    np.testing.assert_array_equal(_distinct_ngrams(uniq, present), plain)


def test_words_measure_scores_samples_as_the_model_does(world):
    rng = np.random.default_rng(4)
    model0 = NGramLM(order=4, smoothing=0.01).fit(world.sample((2, 1000), rng))
    model = NGramLM(order=3, smoothing=0.01).fit(model0.sample(1000, rng))
    samples = model.sample(400, rng)
    out = world.measure(model, samples, model0)
    floor = -18.420680743952367 * (np.char.str_len(samples) + 1)  # NLL_FLOOR per character
    assert out["gen0_nll"].tolist() == (-np.maximum(model0.log_prob(samples), floor).mean(axis=1)).tolist()
    q = model.log_prob(world.words_[None])
    held, counts = np.unique(world.heldout_, return_counts=True)
    chars = counts * (np.char.str_len(held) + 1)
    logp = np.maximum(q[:, world.rank(held)], -18.420680743952367 * (chars / counts))
    assert out["heldout_nll"].tolist() == (-(logp * counts).sum(axis=1) / chars.sum()).tolist()
    known = q >= np.log(world.probs_) + np.log(0.01)
    assert out["recall_tail"].tolist() == known[:, world.bucket_ == 2].mean(axis=1).tolist()


# --- whole runs of the two explorers' experiments, fast code against the plain versions ---

def _with_plain_versions(monkeypatch):
    monkeypatch.setattr(NGramLM, "sample", reference_sample)
    monkeypatch.setattr(NGramLM, "log_prob", reference_log_prob)
    monkeypatch.setattr(Categorical, "measure", plain_categorical_measure)


@pytest.mark.parametrize("settings", [dict(), dict(smoothing=0.01, temperature=0.8, real_fraction=0.1)])
def test_the_words_experiment_is_unchanged(monkeypatch, settings):
    # notebook 02's explorer: 2000 English words, 5 seeds x 2000 samples (fewer generations here)
    world = Categorical.words(2000)
    smoothing = settings.pop("smoothing", 0.0)

    def run():
        return simulate(world, EmpiricalModel(2000, smoothing=smoothing), generations=12, samples=2000,
                        seeds=5, seed=0, **settings)

    fast = run()
    _with_plain_versions(monkeypatch)
    _assert_same_history(fast, run())


@pytest.mark.slow
@pytest.mark.parametrize("distill", ["hard", "soft"])
def test_the_distillation_experiment_is_unchanged(world, monkeypatch, distill):
    # notebook 06's explorer: a teacher of order 4, students of order 3, 2000 words each learns from
    def run():
        return simulate(world, NGramLM(order=4, smoothing=0.01), generations=3, samples=500, seeds=2, seed=0,
                        student=NGramLM(order=3, smoothing=0.01), teacher_samples=2000, distill=distill,
                        real_fraction=0.05)

    fast = run()
    _with_plain_versions(monkeypatch)
    _assert_same_history(fast, run())
