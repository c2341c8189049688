"""Decoding: top-k, top-p (nucleus) and the repetition penalty, against exact expectations."""
import numpy as np
import pytest

from collapse_lab.engine.decoding import decode, penalize_repeats
from collapse_lab.worlds import NeuralLM, NGramLM
from collapse_lab.worlds import Categorical, EmpiricalModel

pytestmark = pytest.mark.filterwarnings("error")

# a bigram corpus whose first character is drawn from p = (.5, .3, .15, .05) over a, b, c, d
FIRST = np.array([["a"] * 50 + ["b"] * 30 + ["c"] * 15 + ["d"] * 5])
P_FIRST = np.array([0.5, 0.3, 0.15, 0.05])


def _within(count, n, p, sds=4):
    # 4 standard errors: a correct sampler fails this about once in 16,000 runs
    return abs(count - n * p) <= sds * np.sqrt(n * p * (1 - p))


def _nucleus_by_definition(p, top_p):
    """The smallest set of likeliest tokens whose mass reaches top_p (no ties in these tests)."""
    order = np.argsort(-p)
    mass = np.cumsum(p[order])
    m = np.searchsorted(mass, top_p * p.sum() * (1 - 1e-9)) + 1
    return set(order[:m].tolist())


@pytest.mark.parametrize("top_p, removed", [(0.4, 0.5), (0.5, 0.5), (0.65, 0.2), (0.8, 0.2), (0.81, 0.05),
                                            (0.95, 0.05), (0.96, 0.0), (1.0, 0.0)])
def test_top_p_removes_exactly_the_mass_outside_the_nucleus(top_p, removed):
    w = decode(P_FIRST[None], top_p=top_p)[0]
    kept = w > 0
    assert np.isclose(P_FIRST[~kept].sum(), removed, atol=1e-12)
    assert np.allclose(w[kept] / w[kept].sum(), P_FIRST[kept] / P_FIRST[kept].sum())  # the rest keeps its shape


def test_top_p_matches_its_definition_on_random_distributions():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.full(30, 0.3), size=200)
    for top_p in (0.1, 0.5, 0.9, 0.99):
        w = decode(p, top_p=top_p)
        for row, wrow in zip(p, w):
            assert set(np.flatnonzero(wrow).tolist()) == _nucleus_by_definition(row, top_p)


def test_ties_at_the_boundary_are_all_kept():
    p = np.array([[0.4, 0.2, 0.2, 0.2]])
    assert (decode(p, top_p=0.5) > 0).tolist() == [[True, True, True, True]]  # 0.6 reached at a tie
    assert (decode(p, top_k=2) > 0).tolist() == [[True, True, True, True]]


def test_extreme_temperatures_stay_finite():
    p = np.array([[0.5, 0.3, 0.2, 0.0]])
    cold, hot = decode(p, temperature=1e-3), decode(p, temperature=1e3)
    assert np.isfinite(cold).all() and np.isfinite(hot).all()
    assert cold[0, 0] == 1.0 and cold[0, 1:].max() < 1e-200  # greedy: (0.3 / 0.5)^1000 ≈ 1e-222
    assert np.allclose(hot[0, :3], 1.0, atol=1e-3) and hot[0, 3] == 0.0  # uniform over the support


def test_ngram_samples_the_nucleus_with_its_renormalised_probabilities():
    model = NGramLM(order=2, smoothing=0, top_p=0.75).fit(FIRST)
    X = model.sample(20000, np.random.default_rng(0))[0]
    assert set(np.unique(X)) == {"a", "b"}  # c and d lie outside the 0.75 nucleus
    assert _within((X == "a").sum(), 20000, 0.5 / 0.8)


def test_temperature_comes_before_top_p_and_top_k():
    # T = 2 flattens p to sqrt(p) ∝ (.379, .294, .208, .120): the 0.75 nucleus now holds c too.
    # Truncating first would have kept only a and b.
    t = np.sqrt(P_FIRST) / np.sqrt(P_FIRST).sum()
    n = 20000
    X = NGramLM(order=2, smoothing=0, top_p=0.75).fit(FIRST).sample(n, np.random.default_rng(1), temperature=2.0)[0]
    assert (X == "d").sum() == 0
    assert _within((X == "c").sum(), n, t[2] / t[:3].sum())
    X = NGramLM(order=2, smoothing=0, top_k=2).fit(FIRST).sample(n, np.random.default_rng(2), temperature=2.0)[0]
    assert set(np.unique(X)) == {"a", "b"} and _within((X == "a").sum(), n, t[0] / t[:2].sum())


def test_repetition_penalty_divides_a_repeated_characters_probability():
    # after 'a': a, b and the end are equally likely (1/3 each). Penalty 3 on the 'a' already
    # written: a gets (1/9) / (1/9 + 2/3) = 1/7 of the second position, the end 3/7
    X = np.array([["aa"] * 50 + ["ab"] * 50])
    model = NGramLM(order=2, smoothing=0, repetition_penalty=3.0).fit(X)
    S = model.sample(20000, np.random.default_rng(3))[0]
    second = np.char.str_len(S) >= 2
    assert _within((np.char.startswith(S, "aa")).sum(), 20000, 1 / 7)
    assert _within(second.sum(), 20000, 4 / 7)  # a second character: a or b, (1/9 + 1/3) / (7/9)
    p = np.array([[0.2, 0.0, 0.3, 0.5]])
    assert np.allclose(penalize_repeats(p.copy(), np.array([[3, 3, 2]]), 2.0), [[0.2, 0.0, 0.15, 0.25]])


@pytest.mark.slow
def test_neural_model_decodes_the_same_way():
    model = NeuralLM(context=2, n_hidden=16, steps=150, batch_size=256, lr=3e-2, top_p=0.75).fit(FIRST)
    X = model.sample(4000, np.random.default_rng(4), temperature=1.0)[0]
    # the net learns p only roughly, but c and d (mass .2 together) stay outside a 0.75 nucleus
    assert set(np.unique(X)) <= {"a", "b", "aa", "ab", "ba", "bb"} and (X == "a").mean() > 0.4
    penal = model.set_params(top_p=None, repetition_penalty=1e6).sample(2000, np.random.default_rng(5))[0]
    letters = np.array([len(set(w)) == len(w) for w in penal.tolist()])
    assert letters.all()  # an enormous penalty never repeats a character


def test_categorical_world_under_top_p_loses_every_category_outside_the_nucleus():
    world = Categorical.words(2000)
    rng = np.random.default_rng(6)
    model = EmpiricalModel(world.n_categories, top_p=0.5).fit(world.sample((3, 200_000), rng))
    nucleus = [_nucleus_by_definition(p, 0.5) for p in model.probs_]
    child = EmpiricalModel(world.n_categories).fit(model.sample(20_000, rng))
    for p, kept in zip(child.probs_, nucleus):
        # one generation: exactly the nucleus survives (each of its categories has p >= 0.2%,
        # so it is missed in 20,000 draws with probability below e^-40)
        assert set(np.flatnonzero(p).tolist()) == kept
    assert 10 < len(nucleus[0]) < 200


def test_repetition_penalty_stays_exact_at_the_coldest_temperature():
    # after 'a': a 9/13, end 4/13. Greedy (T = 0.001) writes a until max_len; with penalty 3 the
    # repeated a is worth 3/13 < 4/13, so greedy ends the word -- although (4/9)^1000 underflows
    X = np.array([["aaaa"] * 3 + ["a"]])
    cold = NGramLM(order=2, smoothing=0, max_len=20).fit(X).sample(50, np.random.default_rng(0), temperature=1e-3)
    assert set(cold[0].tolist()) == {"a" * 20}
    model = NGramLM(order=2, smoothing=0, repetition_penalty=3.0).fit(X)
    assert set(model.sample(50, np.random.default_rng(0), temperature=1e-3)[0].tolist()) == {"a"}
