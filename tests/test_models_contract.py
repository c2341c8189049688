"""Every model and world: declared parameter rules, clear errors, finite output at extreme settings."""
import numpy as np
import pytest

from collapse_lab.engine.decoding import TEMPERATURE_RANGE
from collapse_lab.worlds import NeuralLM, NGramLM
from collapse_lab.worlds import Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel
from collapse_lab.worlds.gaussian import log_var_drift, log_var_spread
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")

WORDS = np.array([["ab", "ba", "abba"]])


def _fitted_models():
    rng = np.random.default_rng(0)
    return [
        GaussianModel().fit(rng.standard_normal((2, 50))),
        MixtureModel().fit(Mixture.one_d().sample((2, 200), rng)),
        EmpiricalModel(5).fit(rng.integers(0, 5, (2, 50))),
        NGramLM().fit(WORDS),
        NeuralLM(steps=5, batch_size=16, n_hidden=8).fit(WORDS),
    ]


@pytest.mark.parametrize("make, name", [
    (lambda: Gaussian(std=-1), "std"),
    (lambda: Gaussian(std=0), "std"),
    (lambda: Gaussian(mean=np.nan), "mean"),
    (lambda: Gaussian(std=np.inf), "std"),
    (lambda: Mixture.one_d(gap=np.nan), "gap"),
    (lambda: Mixture([1.0], [[0.0]], [[[-1.0]]]), "covs"),
    (lambda: Categorical([0, 0, 0]), "probs"),
    (lambda: Categorical([0.5, np.nan]), "probs"),
    (lambda: Categorical([0.5, 0.5], labels=["a"]), "labels"),
    (lambda: MixtureModel(n_components=0).fit(np.zeros((1, 5))), "n_components"),
    (lambda: MixtureModel(max_iter=0).fit(np.zeros((1, 5))), "max_iter"),
    (lambda: MixtureModel(reg_covar=-1e-6).fit(np.zeros((1, 5))), "reg_covar"),
    (lambda: GaussianModel(ddof=2).fit(np.zeros((1, 5))), "ddof"),
    (lambda: EmpiricalModel(3, top_p=0).fit(np.zeros((1, 5), int)), "top_p"),
    (lambda: EmpiricalModel(3, top_k=0).fit(np.zeros((1, 5), int)), "top_k"),
    (lambda: NGramLM(top_p=1.5).fit(WORDS), "top_p"),
    (lambda: NGramLM(repetition_penalty=0.5).fit(WORDS), "repetition_penalty"),
    (lambda: NGramLM(fine_tune_weight=2).fit(WORDS), "fine_tune_weight"),
    (lambda: NGramLM(warm_start="yes").fit(WORDS), "warm_start"),
    (lambda: NeuralLM(fine_tune_steps=0).fit(WORDS), "fine_tune_steps"),
    (lambda: NeuralLM(device="banana").fit(WORDS), "device"),
])
def test_bad_values_are_refused_naming_the_parameter(make, name):
    with pytest.raises(ValueError, match=f"The '{name}' parameter of"):
        make()


def test_cuda_without_a_gpu_is_refused():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ValueError, match="The 'device' parameter of NeuralLM .* no CUDA GPU"):
        NeuralLM(device="cuda").fit(WORDS)


@pytest.mark.parametrize("model", [GaussianModel(), MixtureModel(), EmpiricalModel(3), NGramLM(), NeuralLM()])
def test_an_unfitted_model_says_so(model):
    with pytest.raises(ValueError, match="is not fitted yet"):
        model.sample(5, np.random.default_rng(0))


def test_every_model_and_world_declares_its_rules():
    for cls in (Gaussian, Mixture, Categorical, GaussianModel, MixtureModel, EmpiricalModel, NGramLM, NeuralLM):
        assert cls._parameter_constraints, cls
        assert set(cls._parameter_constraints) <= set(cls.__init__.__code__.co_varnames), cls


@pytest.mark.slow
def test_extreme_temperatures_are_refused_and_the_range_ends_stay_finite():
    for model in _fitted_models():
        owner = f"{type(model).__name__}.sample"
        for t in (1e308, 1e-300):
            with pytest.raises(ValueError, match=f"The 'temperature' parameter of {owner}"):
                model.sample(5, np.random.default_rng(0), temperature=t)
        for t in TEMPERATURE_RANGE:
            X = model.sample(50, np.random.default_rng(1), temperature=t)
            if X.dtype.kind == "f":
                assert np.isfinite(X).all()
            assert np.isfinite(model.log_prob(X)).all() or X.dtype.kind == "U"


def test_a_large_alphabet_refuses_a_high_order_naming_both():
    # `run words --mix zh:0.3 --order 8 --samples 3000` raised OverflowError: 640 tokens^7 > 2^63
    X = Words(mix={"zh": 0.3}).sample((1, 3000), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"The 'order' parameter of NGramLM must be at most 7 for an alphabet of \d+"):
        NGramLM(order=8).fit(X)
    # just inside the limit (504 tokens^7 < 2^63): fitting and sampling stay exact, no key overflows
    X = Words(n_words=3000, mix={"zh": 0.3}).sample((1, 3000), np.random.default_rng(0))
    model = NGramLM(order=8).fit(X)
    S = model.sample(500, np.random.default_rng(1))
    assert np.isin(_code_points_of(S), np.concatenate([[0], model.alphabet_])).all()
    assert np.isfinite(model.log_prob(S)).all()


def _code_points_of(X):
    return np.ascontiguousarray(X).view(np.uint32)


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_neural_model_records_its_device():
    model = NeuralLM(steps=5, batch_size=16, n_hidden=8, device="cpu").fit(WORDS)
    assert model.device_ == "cpu"


def test_ddof_zero_is_the_maximum_likelihood_estimator():
    X = np.random.default_rng(2).standard_normal((3, 40))
    assert np.allclose(GaussianModel(ddof=0).fit(X).std_, X.std(axis=1))
    assert np.allclose(GaussianModel().fit(X).std_, X.std(axis=1, ddof=1))


@pytest.mark.parametrize("ddof", [0, 1])
def test_log_var_drift_matches_simulation_for_both_estimators(ddof):
    # one generation from σ = 1 on n samples: mean of log σ²_next within 4 standard errors
    n, seeds = 10, 200_000
    X = np.random.default_rng(3 + ddof).standard_normal((seeds, n))
    step = 2 * np.log(GaussianModel(ddof=ddof).fit(X).std_)
    assert abs(step.mean() - log_var_drift(n, ddof)) < 4 * np.sqrt(log_var_spread(n) / seeds)
    assert abs(step.var() - log_var_spread(n)) < 0.02 * log_var_spread(n)
