"""The loop's contract: determinism, clear errors, gates, stopped seeds, degenerate states."""
import sys

import numpy as np
import pytest

import collapse_lab as cl
from collapse_lab import gates
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")


def _toy_cases():
    words = cl.Categorical.words(300)
    return {
        "gaussian": (cl.Gaussian(), cl.GaussianModel()),
        "mixture1d": (cl.Mixture.one_d(), cl.MixtureModel()),
        "mixture2d": (cl.Mixture.two_d(), cl.MixtureModel()),
        "categorical": (words, cl.EmpiricalModel(300)),
    }


@pytest.mark.parametrize("case", ["gaussian", "mixture1d", "mixture2d", "categorical"])
def test_same_seed_same_history_and_different_seeds_differ(case):
    world, model = _toy_cases()[case]
    kw = dict(generations=5, samples=50, seeds=3, real_fraction=0.2, gate=gates.Dedup())
    a = cl.simulate(world, model, seed=11, **kw)
    b = cl.simulate(world, model, seed=11, **kw)
    c = cl.simulate(world, model, seed=12, **kw)
    for name in a.metrics:
        assert np.array_equal(a[name], b[name], equal_nan=True), name
    assert any(not np.array_equal(a[name], c[name], equal_nan=True) for name in a.metrics)
    for g in a.snapshots:
        assert np.array_equal(a.snapshots[g], b.snapshots[g])


def test_history_shapes_and_snapshots():
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=30, samples=40, seeds=4, seed=0, exact=False)
    assert h.generations == 30
    assert all(v.shape == (4, 31) for v in h.metrics.values())
    assert 0 in h.snapshots and 30 in h.snapshots and len(h.snapshots) == 11
    assert h.snapshots[30].shape == (4, 40)
    assert h.median("std").shape == (31,)


def test_model_passed_in_is_not_modified():
    model = cl.GaussianModel()
    cl.simulate(cl.Gaussian(), model, generations=2, samples=10, seed=0)
    assert not hasattr(model, "std_")


def test_import_does_not_load_torch():
    # notebooks on toy worlds must start fast and run where torch is absent
    import subprocess

    code = "import sys, collapse_lab, collapse_lab.engine.gates, collapse_lab.worlds; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "kwargs, parameter, shown",
    [
        (dict(real_fraction=1.5), "real_fraction", "[0, 1]"),
        (dict(real_fraction=-0.1), "real_fraction", "[0, 1]"),
        (dict(generations=0), "generations", "[1, inf)"),
        (dict(samples=1), "samples", "[2, inf)"),
        (dict(temperature=0), "temperature", "[0.001, 1000]"),
        (dict(temperature=-1.0), "temperature", "[0.001, 1000]"),
        (dict(mode="sometimes"), "mode", "'replace', 'accumulate'"),
        (dict(seeds=0), "seeds", "[1, inf)"),
        (dict(gate="top"), "gate", "callable"),
        (dict(seed=-3), "seed", "non-negative"),
        (dict(generations=2.5), "generations", "an int"),
    ],
)
def test_bad_input_names_the_parameter_the_range_and_the_value(kwargs, parameter, shown):
    with pytest.raises(ValueError) as err:
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), **kwargs)
    message = str(err.value)
    assert f"'{parameter}'" in message
    assert shown in message
    assert "Got" in message and repr(next(iter(kwargs.values()))) in message


def test_gate_parameters_are_checked():
    with pytest.raises(ValueError, match="'q' parameter of TopLikelihood.*Got 0"):
        gates.TopLikelihood(0)
    with pytest.raises(ValueError, match="'k' parameter of ClipOutliers"):
        gates.ClipOutliers(-1)
    with pytest.raises(ValueError, match="'gate' parameter"):
        gates.parse("top:0.5+sparkle")
    with pytest.raises(ValueError, match="'q' parameter"):
        gates.parse("top:1.5")


def test_gate_rejecting_everything_stops_the_seed_with_a_reason():
    world = cl.Categorical.words(300)
    # keep only words past rank 250: one seed of a generation-0 model that never saw them dies
    rare_only = gates.Verifier(lambda x: x >= 250, "rare words only")
    h = cl.simulate(world, cl.EmpiricalModel(300), generations=5, samples=30, seeds=4, seed=0, gate=rare_only)
    stopped = [s for s, why in enumerate(h.stopped) if why]
    assert stopped, "with 30 samples, some seed must have produced no rare word"
    for s in stopped:
        assert "rejected every sample" in h.stopped[s]
        g = int(h.stopped[s].split()[1].rstrip(":"))
        assert np.all(np.isnan(h["support"][s, g:]))
        assert np.all(np.isfinite(h["support"][s, :g]))


def test_top_likelihood_keeps_the_most_likely_fraction():
    model = cl.GaussianModel().fit(np.array([[-1.0, 1.0]]))
    x = np.array([[0.0, 3.0, -0.5, 2.0, 0.1, -4.0, 1.0, 0.2, -0.3, 5.0]])
    keep = gates.TopLikelihood(0.5)(x, model, np.ones_like(x, bool))
    assert keep.sum() == 5
    assert set(np.abs(x[keep])) == {0.0, 0.1, 0.2, 0.3, 0.5}


def test_dedup_keeps_one_of_each_among_the_kept():
    x = np.array([[3, 1, 3, 2, 1, 3], [5, 5, 5, 5, 5, 5]])
    mask = np.array([[False, True, True, True, True, True], [True] * 6])
    keep = gates.Dedup()(x, None, mask)
    assert keep.tolist() == [[False, True, True, True, False, False], [True] + [False] * 5]
    words = np.array([["cat", "dog", "cat"]])
    assert gates.Dedup()(words, None, np.ones((1, 3), bool)).tolist() == [[True, True, False]]


def test_clip_outliers_and_chaining():
    x = np.concatenate([np.zeros(50), [10.0]])[None, :] + np.linspace(-1, 1, 51)
    keep = gates.ClipOutliers(3.0)(x, None, np.ones_like(x, bool))
    assert not keep[0, -1] and keep[0, :-1].all()
    chain = gates.ClipOutliers(3.0) & gates.TopLikelihood(0.5)
    model = cl.GaussianModel().fit(x)
    assert chain(x, model, np.ones_like(x, bool)).sum() == 25  # half of the 50 inliers
    assert "ClipOutliers" in repr(chain) and "TopLikelihood" in repr(chain)


def test_degenerate_states_give_finite_metrics_without_warnings():
    # two samples per generation: σ hits 0 (or underflows) within a few hundred generations
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=2000, samples=2, seeds=20, seed=0)
    assert np.all(np.isfinite(h["tail_2sd"])) and np.all(np.isfinite(h["wasserstein"]))
    assert np.median(h.final("std")) < 1e-20
    # one category left
    one = cl.simulate(cl.Categorical([0.9, 0.1]), cl.EmpiricalModel(2), generations=300, samples=5, seeds=10, seed=0)
    assert np.all(one.final("support") == 1)
    for name in one.metrics:
        assert np.all(np.isfinite(one[name])), name
    # a mixture whose minority has died out
    h = cl.simulate(cl.Mixture.one_d(), cl.MixtureModel(), generations=10, samples=50, seeds=5, seed=0,
                    gate=gates.ClipOutliers(1.0))
    for name in h.metrics:
        assert np.all(np.isfinite(h[name])), name


def test_student_chain_uses_the_student_after_generation_zero():
    world = cl.Categorical.words(300)
    h = cl.simulate(world, cl.EmpiricalModel(300, smoothing=1.0), student=cl.EmpiricalModel(300),
                    generations=3, samples=500, seeds=2, seed=0)
    assert h.model0.smoothing == 1.0 and h.model.smoothing == 0.0
    assert np.all(h["support"][:, 0] == 300) and np.all(h["support"][:, 1] < 300)


def test_callback_sees_each_generation_and_can_stop_the_run():
    seen = []

    def callback(history, g):
        seen.append((g, np.isfinite(history["std"][:, g]).all()))
        return g < 3

    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=10, samples=10, seed=0, callback=callback)
    assert seen == [(g, True) for g in range(4)]
    assert h.generations == 3


def test_cap_copies_keeps_at_most_k_of_each_and_every_singleton():
    X = np.array([["a", "b", "a", "c", "a", "b", "a"], ["x", "x", "x", "x", "y", "z", "x"]])
    mask = np.ones(X.shape, bool)
    keep = gates.CapCopies(2)(X, None, mask)
    for row, kept in zip(X, keep):
        words, counts = np.unique(row[kept], return_counts=True)
        assert counts.max() <= 2
        assert set(words) == set(row)  # nothing disappears entirely
    # the first copies win, as in Dedup
    assert keep[0].tolist() == [True, True, True, True, False, True, False]


def test_cap_copies_respects_the_mask_and_k1_is_dedup():
    rng = np.random.default_rng(0)
    X = rng.choice(np.array(list("abcdef")), size=(3, 40))
    mask = rng.random(X.shape) < 0.7
    assert np.array_equal(gates.CapCopies(1)(X, None, mask), gates.Dedup()(X, None, mask))
    assert not (gates.CapCopies(3)(X, None, mask) & ~mask).any()
    assert np.array_equal(gates.CapCopies(1000)(X, None, mask), mask)


def test_parse_builds_chains_with_caps_and_names_bad_parts():
    world = Words(n_words=500, heldout=2000)
    assert gates.parse("none", world) is None
    gate = gates.parse("real+cap:2", world)
    assert isinstance(gate, gates.Chain)
    assert isinstance(gate.gates[0], gates.Verifier) and gate.gates[1].k == 2
    with pytest.raises(ValueError, match="cap:K"):
        gates.parse("cap:two", world)
    with pytest.raises(ValueError, match="'k' parameter of CapCopies"):
        gates.parse("cap:0", world)
    with pytest.raises(ValueError, match="gate"):
        gates.parse("sometimes", world)


def test_exact_path_snapshots_follow_the_run_temperature_and_seed():
    kw = dict(generations=2, samples=5000, seeds=1, exact=True)
    cold = cl.simulate(cl.Gaussian(), cl.GaussianModel(), temperature=0.5, seed=1, **kw)
    # generation 2's samples come from N(mean_, T·std_²) of generation 2's model
    assert cold.snapshots[2].std() == pytest.approx(np.sqrt(0.5) * cold.final("std")[0], rel=0.05)
    other = cl.simulate(cl.Gaussian(), cl.GaussianModel(), temperature=0.5, seed=2, **kw)
    z = lambda h: (h.snapshots[0] - h.model0.mean_[:, None]) / h.model0.std_[:, None]  # noqa: E731
    assert not np.allclose(z(cold), z(other))  # different seeds, different noise in the plots


def test_clipping_words_is_refused_when_the_gate_is_built():
    with pytest.raises(ValueError, match="'gate' parameter part 'clip' needs samples that are numbers"):
        gates.parse("real+clip:2", Words(n_words=500, heldout=2000))


def test_relative_values_are_shares_of_each_seeds_generation_zero():
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=5, samples=10, seeds=4, seed=0)
    rel = h.relative("std")
    np.testing.assert_allclose(rel, h["std"] / h["std"][:, :1])
    assert np.all(rel[:, 0] == 1.0)
    np.testing.assert_allclose(h.median("std", relative=True), np.median(rel, axis=0))
    h.metrics["zero_start"] = np.zeros((4, 6))          # nothing to take a share of: NaN, no warning
    assert np.isnan(h.relative("zero_start")).all()
