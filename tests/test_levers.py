"""The loop's levers (issue 9): refilled gates, imperfect verifiers, data schedules, fine-tuning,
distillation, and the checks around them.

Statistical checks use a stated number of standard errors Z (a correct engine fails one with
probability about 6e-5 at Z = 4, 3e-3 at Z = 3).
"""
import json
import tracemalloc

import numpy as np
import pytest

import collapse_lab as cl
from collapse_lab import gates
from collapse_lab.worlds import NGramLM
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")
Z = 4.0


@pytest.fixture(scope="module")
def small_words():
    return Words(n_words=2000, heldout=2000)


class SpyWorld:
    """Wraps a world and counts the real samples it hands out, per call."""

    def __init__(self, world):
        self.world, self.kind, self.draws = world, world.kind, []

    def sample(self, shape, rng):
        self.draws.append(shape[1])
        return self.world.sample(shape, rng)

    def measure(self, *args):
        return self.world.measure(*args)

    def is_real(self, X):
        return self.world.is_real(X)

    def __getattr__(self, name):  # everything else (tables the resource guard reads) from the world
        if name == "world":  # not set yet (a copy in the making): no recursion
            raise AttributeError(name)
        return getattr(self.world, name)


def spy(model_class):
    """A subclass of model_class whose fit records how many samples each seed trains on."""

    class Spy(model_class):
        log = []

        def fit(self, X, mask=None, **kw):
            m = np.ones(np.shape(X)[:2], bool) if mask is None else np.asarray(mask)
            Spy.log.append((np.asarray(X).copy(), m.copy()))
            return super().fit(X, mask, **kw)

    Spy.__name__ = model_class.__name__
    return Spy


# ---------------------------------------------------------------------------------------------
# 1. gates keep the training set full


@pytest.mark.slow
def test_refilled_training_sets_hold_samples_of_which_the_real_fraction_is_real(small_words):
    # the headline run, at the size of notebook 05 (a 2,000-word world, 2,000 words a generation)
    world = SpyWorld(small_words)
    Spy = spy(NGramLM)
    Spy.log = []
    h = cl.simulate(world, Spy(order=4, smoothing=0.01), gate=gates.parse("real+cap:3", small_words),
                    real_fraction=0.05, generations=10, samples=2000, seeds=2, seed=0)
    assert all(s is None for s in h.stopped)
    assert len(Spy.log) == 11
    for X, mask in Spy.log:
        assert np.all(mask.sum(axis=1) == 2000)                        # every training set is full
    assert world.draws == [2000] + [100] * 10                           # 5% of 2,000 real, each generation
    for X, mask in Spy.log[1:]:
        synthetic = X[:, 100:]                                          # real first, then the gated part
        assert small_words.is_real(synthetic).all()                     # the verifier held
        for row in synthetic:
            assert np.unique(row, return_counts=True)[1].max() <= 3     # the cap held across batches
    acc = h["acceptance"]
    assert acc.shape == (2, 11) and np.all(acc[:, 0] == 1) and np.all((acc[:, 1:] > 0) & (acc[:, 1:] < 1))


def test_without_refill_the_training_set_shrinks_to_what_passed(small_words):
    Spy = spy(NGramLM)
    Spy.log = []
    h = cl.simulate(small_words, Spy(order=4, smoothing=0.01), gate=gates.parse("real+cap:3", small_words),
                    real_fraction=0.05, generations=4, samples=2000, seeds=2, seed=0, refill=False)
    for g, (X, mask) in enumerate(Spy.log[1:], start=1):
        # exactly the 100 real words plus the passed share of the 1,900 synthetic ones
        np.testing.assert_allclose(mask.sum(axis=1), 100 + h["acceptance"][:, g] * 1900)
        assert np.all(mask.sum(axis=1) < 2000)


def test_cap_copies_counts_what_earlier_batches_kept():
    kept = np.array([["a", "a", "b", "x"]])
    kept_mask = np.array([[True, True, True, False]])                   # the 'x' was not kept: it does not count
    new = np.array([["a", "a", "b", "b", "b", "x", "c"]])
    keep = gates.CapCopies(3).refill(new, None, np.ones(new.shape, bool), None, kept, kept_mask)
    assert keep.tolist() == [[True, False, True, True, False, True, True]]
    chain = gates.Verifier(lambda X: X != "c") & gates.Dedup()
    keep = chain.refill(new, None, np.ones(new.shape, bool), None, kept, kept_mask)
    assert keep.tolist() == [[False, False, False, False, False, True, False]]


def test_top_likelihood_keeps_its_fraction_of_each_batch():
    # per-batch semantics: each batch keeps ceil(q · batch), so acceptance is q up to that rounding
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), gate=gates.TopLikelihood(0.3), generations=3,
                    samples=1000, seeds=3, seed=0)
    assert np.all(np.abs(h["acceptance"][:, 1:] - 0.3) < 0.01)


def test_cap_on_draws_stops_a_seed_that_cannot_fill_its_set():
    # a 5-category world with a dedup gate cannot give 20 distinct samples: every seed stops,
    # after drawing exactly max_draws × 20 samples
    world = cl.Categorical([0.2] * 5)
    h = cl.simulate(world, cl.EmpiricalModel(5), gate=gates.Dedup(), generations=3, samples=20, seeds=2,
                    seed=0, max_draws=7)
    for why in h.stopped:
        assert why.startswith("generation 1:") and "of 140 samples drawn" in why and "max_draws = 7" in why
    assert np.all(np.isnan(h["support"][:, 1:])) and np.all(np.isfinite(h["support"][:, 0]))


# ---------------------------------------------------------------------------------------------
# 2. imperfect verifiers


class Recorder(gates.Gate):
    """Passes samples through a gate and records, per sample, the truth and the verdict."""

    def __init__(self, gate, truth):
        self.gate, self.truth, self.seen = gate, truth, []

    def __call__(self, samples, model, mask, rng=None):
        keep = gates.apply(self.gate, samples, model, mask, rng)
        self.seen.append((self.truth(samples)[mask], keep[mask]))
        return keep


def test_an_imperfect_verifier_passes_real_and_non_real_words_at_its_rates(small_words):
    verifier = gates.parse("real:0.2,0.05", small_words)
    assert (verifier.false_accept, verifier.false_reject) == (0.2, 0.05)
    recorder = Recorder(verifier, small_words.is_real)
    h = cl.simulate(small_words, NGramLM(order=3), gate=recorder, generations=3, samples=3000, seeds=2, seed=1)
    truth = np.concatenate([t for t, _ in recorder.seen])
    passed = np.concatenate([k for _, k in recorder.seen])
    for is_real, expected in ((True, 0.95), (False, 0.2)):
        rate, n = passed[truth == is_real].mean(), (truth == is_real).sum()
        assert abs(rate - expected) < 3 * np.sqrt(expected * (1 - expected) / n), (is_real, rate, n)
    assert np.all(h["acceptance"][:, 1:] > 0.2)
    # seeded: the same seed gives the same run; a perfect verifier needs no generator
    again = cl.simulate(small_words, NGramLM(order=3), gate=gates.parse("real:0.2,0.05", small_words),
                        generations=3, samples=3000, seeds=2, seed=1)
    np.testing.assert_array_equal(again["acceptance"], h["acceptance"])
    X = np.array([["the", "zzqx"]])
    assert gates.parse("real", small_words)(X, None, np.ones((1, 2), bool)).tolist() == [[True, False]]
    with pytest.raises(ValueError, match="'rng' parameter"):
        verifier(X, None, np.ones((1, 2), bool))


def test_gate_rules_are_declared_and_malformed_specs_refused(small_words):
    for gate in (gates.TopLikelihood, gates.ClipOutliers, gates.CapCopies, gates.Verifier):
        assert gate._parameter_constraints
    with pytest.raises(ValueError, match="'k' parameter of CapCopies.*range"):
        gates.CapCopies(10**20)
    with pytest.raises(ValueError, match="'k' parameter of CapCopies"):
        gates.parse("cap:1e20", small_words)
    for spec in ("top:", "cap:", "dedup:", "real:0.2", "real:0.1,0.2,0.3", "real:a,b", "clip:"):
        with pytest.raises(ValueError, match="'gate' parameter"):
            gates.parse(spec, small_words)
    with pytest.raises(ValueError, match="'false_accept' parameter of Verifier"):
        gates.parse("real:1.5,0", small_words)
    with pytest.raises(ValueError, match="'check' parameter of Verifier"):
        gates.Verifier(5)


# ---------------------------------------------------------------------------------------------
# 4. data schedules, against closed forms


def _accumulate_subsample_variance(n, generations):
    """E[σ²_g] for accumulate-subsample with no real data after generation 0 (world σ = 1).

    The pool after generation g holds N = (g+1)·n points with sum of squares m2. A subset of n
    drawn without replacement has E[s²] = m2/(N−1) (the finite-population variance), its mean
    misses the pool's by variance (S²/n)(1 − n/N), and the n new samples add, in expectation,
    (n−1)·S² + (N·n/(N+n))·(2 − n/N)·S²/n to m2. All linear in m2, so E[m2] follows exactly.
    """
    m2, out = n - 1.0, []
    for g in range(generations + 1):
        N = (g + 1) * n
        S2 = m2 / (N - 1)
        out.append(S2)
        m2 = m2 + S2 * ((n - 1) + (2 * N - n) / (N + n))
    return np.array(out)


def test_accumulate_subsample_follows_its_expected_variance_recursion():
    n, G, seeds = 10, 8, 6000
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), mode="accumulate-subsample", generations=G, samples=n,
                    seeds=seeds, seed=3)
    assert h.config["exact"] is False                                   # it needs samples
    var = h["std"] ** 2
    expected = _accumulate_subsample_variance(n, G)
    se = var.std(axis=0) / np.sqrt(seeds)
    assert np.all(np.abs(var.mean(axis=0) - expected) < Z * se), (var.mean(axis=0), expected)
    # and it sits between the two classic schedules: log σ drifts down, but far slower than replace
    replace = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=G, samples=n, seeds=seeds, seed=4)
    assert np.median(h.final("std")) > np.median(replace.final("std"))


def test_accumulate_subsample_trains_on_samples_drawn_without_replacement_from_the_pool():
    Spy = spy(cl.EmpiricalModel)
    Spy.log = []
    world = cl.Categorical.words(50)
    cl.simulate(world, Spy(50), mode="accumulate-subsample", generations=3, samples=40, seeds=2, seed=0)
    for X, mask in Spy.log:
        assert X.shape == (2, 40) and mask.all()


@pytest.mark.parametrize("exact", [True, False])
def test_a_fixed_real_set_holds_sigma_near_that_sets_own_sigma(exact):
    # With a fixed real set of n_r points (sum of squares m2_r) and n_s = n − n_r synthetic ones
    # from the current fit, the conditional expectations of (μ − m_r)² and σ² follow a linear
    # recursion whose fixed point is  E[σ² | real set] = (m2_r / n_r) / (1 − 1/(n(1 − ρ²))),  ρ = n_s/n.
    n, n_real, G, seeds = 20, 10, 40, 4000
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), real_fraction=n_real / n, real_source="fixed",
                    generations=G, samples=n, seeds=seeds, seed=5, exact=exact)
    assert h.config["exact"] is exact
    rng = np.random.default_rng(5)  # the fixed set is the run's first draw: reproduce it
    if exact:
        _, _, m2_real = cl.Gaussian().sample_stats(seeds, n_real, rng)
    else:
        fixed = cl.Gaussian().sample((seeds, n), rng)[:, :n_real]
        m2_real = ((fixed - fixed.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    rho = (n - n_real) / n
    ratio = h.final("std") ** 2 / (m2_real / n_real)
    expected = 1 / (1 - 1 / (n * (1 - rho**2)))
    assert abs(ratio.mean() - expected) < Z * ratio.std() / np.sqrt(seeds), (ratio.mean(), expected)
    # σ stays tied to that one set: strongly correlated with its σ, unlike with fresh real data
    fresh = cl.simulate(cl.Gaussian(), cl.GaussianModel(), real_fraction=n_real / n, generations=G, samples=n,
                        seeds=seeds, seed=5, exact=exact)
    corr = lambda a: np.corrcoef(np.log(a), np.log(m2_real))[0, 1]  # noqa: E731
    assert corr(h.final("std")) > 0.6 and abs(corr(fresh.final("std"))) < Z / np.sqrt(seeds)


# ---------------------------------------------------------------------------------------------
# 5/6. fine-tuning and distillation: the loop's side, with a tiny fake model


class FakeLM(cl.GaussianModel):
    """A Gaussian model that counts its fits: with warm_start it continues its count."""

    _parameter_constraints = {**cl.GaussianModel._parameter_constraints, "warm_start": [bool]}
    log = []

    def __init__(self, warm_start=False, ddof=1):
        self.warm_start = warm_start
        self.ddof = ddof

    def fit(self, X, mask=None, teacher=None):
        start = self.fits_ if (self.warm_start and hasattr(self, "fits_")) else 0
        FakeLM.log.append(dict(warm=self.warm_start, start=start, me=self, teacher=teacher))
        super().fit(X, mask)
        self.fits_ = start + 1
        return self


def _fake_run(**kw):
    FakeLM.log = []
    h = cl.simulate(cl.Gaussian(), FakeLM(), generations=4, samples=20, seeds=2, seed=0, **kw)
    return h, FakeLM.log


def test_fine_tune_previous_continues_and_first_restarts_from_generation_zero():
    h, log = _fake_run(exact=False)
    assert [e["warm"] for e in log] == [False] * 5 and [e["start"] for e in log] == [0] * 5
    h, log = _fake_run(fine_tune="previous")
    assert [e["warm"] for e in log] == [False, True, True, True, True]
    assert [e["start"] for e in log] == [0, 1, 2, 3, 4]                 # each from the previous state
    assert h.model0.fits_ == 1 and h.model.fits_ == 5
    h, log = _fake_run(fine_tune="first")
    assert [e["start"] for e in log] == [0, 1, 1, 1, 1]                 # each from generation 0's state
    assert len({id(e["me"]) for e in log}) == 5 and h.model0.fits_ == 1  # generation 0 itself stays untouched
    with pytest.raises(ValueError, match="'fine_tune' parameter of simulate.*'warm_start'.*GaussianModel"):
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), fine_tune="previous")
    with pytest.raises(ValueError, match="'fine_tune' parameter"):
        cl.simulate(cl.Gaussian(), FakeLM(), fine_tune="always")


def test_soft_distillation_passes_the_previous_generation_as_teacher():
    h, log = _fake_run(distill="soft")
    assert log[0]["teacher"] is None
    for before, now in zip(log, log[1:]):
        assert now["teacher"] is before["me"] and now["me"] is not before["me"]
    h, log = _fake_run(distill="soft", fine_tune="previous")
    assert [e["start"] for e in log] == [0, 1, 2, 3, 4]
    for before, now in zip(log, log[1:]):
        assert now["teacher"] is before["me"] and now["teacher"].fits_ == now["start"]  # the teacher is unchanged
    with pytest.raises(ValueError, match="'distill' parameter of simulate.*'teacher'"):
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), distill="soft")


def test_teacher_samples_sets_the_size_of_every_later_training_set():
    Spy = spy(cl.EmpiricalModel)
    Spy.log = []
    world = cl.Categorical.words(100)
    cl.simulate(world, cl.EmpiricalModel(100, smoothing=1.0), student=Spy(100), generations=3, samples=50,
                teacher_samples=500, real_fraction=0.1, seeds=2, seed=0)
    assert [m.sum(axis=1).tolist() for _, m in Spy.log] == [[500, 500]] * 3


# ---------------------------------------------------------------------------------------------
# 8-9. checks, conventions, snapshots


@pytest.mark.parametrize("world, model, kinds", [
    (cl.Mixture.one_d(), cl.GaussianModel(), ("Mixture", "'mixture'", "GaussianModel", "'gaussian'")),
    (Words(n_words=500, heldout=100), cl.GaussianModel(), ("Words", "'words'", "GaussianModel", "'gaussian'")),
    (cl.Gaussian(), cl.MixtureModel(), ("Gaussian", "'gaussian'", "MixtureModel", "'mixture'")),
])
def test_a_world_and_model_of_different_kinds_are_refused_by_name(world, model, kinds):
    with pytest.raises(ValueError, match="'model' parameter of simulate") as err:
        cl.simulate(world, model)
    assert all(k in str(err.value) for k in kinds)
    with pytest.raises(ValueError, match="'student' parameter of simulate"):
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), student=cl.MixtureModel())


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(callback=5), "callback"), (dict(progress="no"), "progress"), (dict(refill="yes"), "refill"),
    (dict(max_draws=0), "max_draws"), (dict(real_source="web"), "real_source"), (dict(distill="warm"), "distill"),
    (dict(teacher_samples=1), "teacher_samples"), (dict(mode="accumulate-subsample", exact=True), "exact"),
])
def test_new_arguments_are_checked_before_anything_runs(kwargs, parameter):
    with pytest.raises(ValueError, match=f"'{parameter}' parameter of simulate"):
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), **kwargs)


def test_a_missing_world_is_refused():
    with pytest.raises(ValueError, match="'world' parameter of simulate must be a world.*Got None"):
        cl.simulate(None, cl.GaussianModel())


def test_json_never_holds_infinity_or_nan():
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=2, samples=10, seeds=2, seed=0)
    h.metrics["odd"] = np.array([[np.inf, -np.inf, np.nan], [1.0, 2.0, 3.0]])
    text = json.dumps(h.to_dict(), allow_nan=False)
    assert json.loads(text)["metrics"]["odd"] == [[None, None, None], [1.0, 2.0, 3.0]]


@pytest.mark.slow
def test_exact_path_snapshots_cost_o_of_seeds_and_read_the_same_every_time():
    tracemalloc.start()
    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=10, samples=1_000_000, seeds=20, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert h.config["exact"] and len(h.snapshots) == 11
    assert peak < 5 * 2**20, peak                 # one generation's samples alone would be 160 MB
    first = h.snapshots[10]
    assert first.shape == (20, 1_000_000) and np.array_equal(first, h.snapshots[10])
    assert first[0].std() == pytest.approx(h.final("std")[0], rel=0.01)


def test_snapshots_drawn_when_read_survive_copy_and_pickle():
    import copy
    import pickle

    h = cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=4, samples=50, seeds=3, seed=0)
    for other in (copy.deepcopy(h), pickle.loads(pickle.dumps(h))):
        assert sorted(other.snapshots) == sorted(h.snapshots)
        for g in h.snapshots:
            assert np.array_equal(other.snapshots[g], h.snapshots[g])


def test_distinct_draws_are_a_uniform_subset_without_repeats():
    # the O(n) draw accumulate-subsample uses: every index equally likely (n/size), never twice
    from collapse_lab.engine.training_sets import _distinct_draws

    rng = np.random.default_rng(0)
    size, n, seeds, rounds = 50, 20, 5, 2000
    counts, drawn = np.zeros(size), 0
    for _ in range(rounds):
        pick = _distinct_draws(size, n, rng, seeds)
        if pick is None:  # the caller falls back to sorting random keys
            continue
        assert all(len(set(row)) == n for row in pick)
        np.add.at(counts, pick.ravel(), 1)
        drawn += seeds
    assert drawn > 0.9 * rounds * seeds
    p = n / size
    se = np.sqrt(p * (1 - p) / drawn)  # each index's inclusion share, binomial standard error
    assert np.all(np.abs(counts / drawn - p) < 4.5 * se)  # 4.5 SE: 50 indices at once
    assert _distinct_draws(10, 10, rng, 2) is None
