"""Every entry point as safe as simulate (issue 24): models called directly, the lessons' own
loops, the capstone, and explorers built from code refuse in words before they start."""
import fractions
import time

import numpy as np
import pytest

from collapse_lab import dashboards, worlds
from collapse_lab.engine import guard
from collapse_lab.lessons import capstone, provenance, tails

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("model, names", [
    (worlds.MixtureModel(n_components=10**6), "n_components"),
    (worlds.MixtureModel(max_iter=10**9, tol=0), "max_iter"),
])
def test_em_called_directly_is_guarded(model, names):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=names):
        model.fit(worlds.Mixture.one_d().sample((2, 100), RNG))
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("params", [dict(n_embd=10**7), dict(steps=10**7), dict(batch_size=10**9)])
def test_a_neural_lm_called_directly_is_guarded(params):
    pytest.importorskip("torch")
    start = time.perf_counter()
    with pytest.raises(ValueError, match=next(iter(params))):
        worlds.NeuralLM(**params).fit(worlds.Words().sample((1, 200), RNG))
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("n", [10**12, 10**400, float("nan"), -1, "10"])
def test_sample_refuses_absurd_sizes(n):
    model = worlds.GaussianModel().fit(worlds.Gaussian().sample((2, 10), RNG))
    with pytest.raises(ValueError, match="'n' parameter of GaussianModel.sample|GaussianModel.sample: n"):
        model.sample(n, RNG)


def test_the_lessons_own_loops_are_guarded():
    with pytest.raises(ValueError, match="samples"):
        tails.scaling_curve(worlds.Words(), worlds.NGramLM(), sizes=[10**9])
    with pytest.raises(ValueError, match="samples"):
        provenance.contaminated_web(worlds.Words(), worlds.NGramLM(), [0.1], samples=10**9)
    with pytest.raises(ValueError, match="'seeds' parameter of scaling_curve"):
        tails.scaling_curve(worlds.Words(), worlds.NGramLM(), seeds=float("nan"))


def test_the_capstone_refuses_what_the_loop_would():
    with pytest.raises(ValueError, match="'results' parameter of leaderboard"):
        capstone.leaderboard([5])
    with pytest.raises(ValueError, match="'temperature' parameter of Recipe"):
        capstone.Recipe(temperature=1e-9)
    recipe = capstone.Recipe(real_fraction=fractions.Fraction(1, 20), temperature=np.float32(0.9))
    assert type(recipe.real_fraction) is float and type(recipe.temperature) is float


def test_explorers_built_from_code_refuse_values_their_boxes_would_clamp():
    with pytest.raises(ValueError, match="'samples' parameter of dashboards.gaussian must be an int in the range"):
        dashboards.gaussian(run=False, samples=10**9)
    with pytest.raises(ValueError, match="'seeds'"):
        dashboards.gaussian(run=False, seeds=float("nan"))


def test_explorer_runs_have_the_tighter_budget():
    seen = []
    original = guard.time_limit

    def spy():
        seen.append(original())
        return seen[-1]

    guard.time_limit, saved = spy, guard.time_limit
    try:
        dashboards.gaussian(samples=50, generations=5, seeds=2)
    finally:
        guard.time_limit = saved
    assert seen[0] == guard.EXPLORER_MINUTES * 60   # simulate's check, inside the run
