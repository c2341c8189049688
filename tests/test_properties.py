"""Property-based tests (Hypothesis): for ANY bounded combination of arguments, a run either

  * completes, with every metric finite (NaN only for a seed that stopped, and said why) and in its
    documented range -- probabilities and shares in [0, 1], standard deviations and distances
    >= 0, NLL >= 0 -- or
  * raises ValueError or TypeError whose message names one of the arguments it was given,

and never raises anything else, and never hangs (sizes are bounded; an alarm catches a hang).
The command line gets the same treatment through main(argv), in this process: exit 0, or exit 2
with one line on stderr that names a flag.

Profiles: the default "ci" profile runs in a minute or two; HYPOTHESIS_PROFILE=long hunts longer:

    HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
"""
import io
import json
import math
import os
import re
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from collapse_lab import worlds, gates
from collapse_lab.engine.loop import simulate

settings.register_profile("ci", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the metrics are checked, not numpy's warnings

import helpers  # noqa: E402  (tests/ is on sys.path)

HANG_SECONDS = 120  # far beyond any bounded example here; reaching it means a loop that does not end

# the documented range of every metric (metrics not listed must still be finite)
PROBABILITY = {"tail_2sd", "tail_3sd", "minority_weight", "minority_share", "tv", "rare_alive",
               "real_word_share", "recall_head", "recall_torso", "recall_tail", "acceptance"}
NON_NEGATIVE = {"std", "wasserstein", "spread", "support", "entropy", "kl", "heldout_nll", "gen0_nll",
                "distinct_words", "distinct_ngrams", "length_mean", "length_std"}
AT_LEAST_ONE = {"perplexity"}


def no_hang(seconds=HANG_SECONDS):
    """Fail (instead of waiting for ever) when a call takes longer than `seconds` (tests/helpers.py)."""
    return helpers.no_hang(seconds)


def check_history(history):
    """Every metric finite where its seed is running, and inside its documented range."""
    for name, values in history.metrics.items():
        values = np.asarray(values, float)
        stopped = np.array([why is not None for why in history.stopped])
        running = values[~stopped] if stopped.size == values.shape[0] else values
        # a seed that stopped shows NaN after it stopped, nothing else may be NaN
        assert np.isfinite(running).all(), f"{name} is not finite: {running}"
        seen = values[np.isfinite(values)]
        if name in PROBABILITY:
            assert ((seen >= 0) & (seen <= 1 + 1e-9)).all(), f"{name} outside [0, 1]: {seen.min()}..{seen.max()}"
        if name in NON_NEGATIVE:
            assert (seen >= -1e-9).all(), f"{name} negative: {seen.min()}"
        if name in AT_LEAST_ONE:
            assert (seen >= 1 - 1e-9).all(), f"{name} below 1: {seen.min()}"


def run_or_refuse(make, names):
    """Call make(); a ValueError/TypeError must name one of `names` (the arguments given)."""
    with no_hang():
        try:
            history = make()
        except (ValueError, TypeError) as err:
            message = str(err)
            assert any(f"'{name}'" in message for name in names), (
                f"{type(err).__name__} names none of {sorted(names)}: {message}")
            return None
    check_history(history)
    return history


# ---------------------------------------------------------------------------------------------
# strategies: sensible values, edge values and wrong types, all bounded

def ints(low, high):
    return st.one_of(st.integers(low, high), st.sampled_from([-1, 0, 10**20, -(10**20)]),
                     st.sampled_from([2.0, 2.5, "3", None, True]))


def reals(low, high):
    return st.one_of(st.floats(low, high, allow_nan=False), st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from([0.0, -0.0, 1e-300, 1e300, np.float32(0.5), 1, "0.5", None]))


loop_args = st.fixed_dictionaries({
    "generations": ints(1, 4),
    "samples": ints(2, 200),
    "real_fraction": reals(0, 1),
    "mode": st.sampled_from(["replace", "accumulate", "sideways", None, 3]),
    "temperature": reals(0.05, 5),
    "seeds": ints(1, 4),
    "seed": st.one_of(st.integers(0, 2**32), st.sampled_from([None, -1, "x"])),
}, optional={"snapshots": ints(0, 3), "exact": st.sampled_from(["auto", True, False, "yes"])})


# ---------------------------------------------------------------------------------------------
# the public API

@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
@given(loop=loop_args, mean=reals(-3, 3), std=reals(0.1, 3))
def test_gaussian_runs_or_refuses(loop, mean, std):
    names = set(loop) | {"mean", "std"}
    run_or_refuse(lambda: simulate(worlds.Gaussian(mean, std), worlds.GaussianModel(), **loop), names)


@given(loop=loop_args, minority=reals(0.05, 0.5), gap=reals(0, 6), n_components=ints(1, 3),
       max_iter=ints(1, 20), reg_covar=reals(0, 1e-3))
def test_mixture_runs_or_refuses(loop, minority, gap, n_components, max_iter, reg_covar):
    loop["samples"] = loop["samples"] if not isinstance(loop["samples"], int) else min(loop["samples"], 100)
    names = set(loop) | {"minority", "gap", "n_components", "max_iter", "reg_covar"}

    def make():
        world = worlds.Mixture.one_d(minority, gap)
        model = worlds.MixtureModel(n_components=n_components, max_iter=max_iter, reg_covar=reg_covar)
        return simulate(world, model, **loop)

    run_or_refuse(make, names)


@given(loop=loop_args, probs=st.lists(st.one_of(st.floats(0, 1), st.sampled_from([0.0, -0.1, math.nan])),
                                      min_size=1, max_size=8),
       smoothing=reals(0, 1))
def test_categorical_runs_or_refuses(loop, probs, smoothing):
    names = set(loop) | {"probs", "smoothing", "n_categories", "X"}

    def make():
        world = worlds.Categorical(probs)
        return simulate(world, worlds.EmpiricalModel(len(probs), smoothing), **loop)

    run_or_refuse(make, names)


GATE_PARTS = st.sampled_from(["top", "top:0.5", "top:", "top:2", "clip", "clip:1", "clip:-1", "dedup", "dedup:2",
                              "cap", "cap:2", "cap:", "cap:1e20", "cap:0.5", "real", "real:0.2,0.05", "sparkle",
                              "none", ""])


@given(loop=loop_args, parts=st.lists(GATE_PARTS, min_size=1, max_size=3))
def test_gates_from_specs_run_or_refuse(loop, parts):
    spec = "+".join(parts)
    names = set(loop) | {"gate", "q", "k", "spec"}

    def make():
        world = worlds.Gaussian()
        return simulate(world, worlds.GaussianModel(), gate=gates.parse(spec, world), **loop)

    run_or_refuse(make, names)


@pytest.fixture(scope="module")
def words_world():
    from collapse_lab.worlds.words import Words

    return Words(n_words=300, heldout=200)


@settings(max_examples=int(settings().max_examples * 0.75) or 1)
@given(loop=loop_args, order=ints(1, 9), smoothing=reals(0, 1), top_k=st.one_of(st.none(), ints(1, 30)),
       max_len=ints(1, 12))
def test_ngram_runs_or_refuses(words_world, loop, order, smoothing, top_k, max_len):
    loop["generations"] = loop["generations"] if not isinstance(loop["generations"], int) else min(loop["generations"], 2)
    names = set(loop) | {"order", "smoothing", "top_k", "max_len", "X"}
    model = worlds.NGramLM(order=order, smoothing=smoothing, top_k=top_k, max_len=max_len)
    run_or_refuse(lambda: simulate(words_world, model, **loop), names)


@pytest.mark.slow  # 3 s (a neural fit): make check stays under a minute
@settings(max_examples=max(settings().max_examples // 4, 1))
@given(loop=loop_args, context=ints(1, 4), n_hidden=ints(1, 16), lr=reals(1e-3, 0.1), top_k=st.one_of(st.none(), ints(1, 30)))
def test_neural_runs_or_refuses(words_world, loop, context, n_hidden, lr, top_k):
    loop["generations"] = loop["generations"] if not isinstance(loop["generations"], int) else 1
    loop["seeds"] = loop["seeds"] if not isinstance(loop["seeds"], int) else min(loop["seeds"], 2)
    names = set(loop) | {"context", "n_hidden", "lr", "top_k", "X"}
    model = worlds.NeuralLM(context=context, n_hidden=n_hidden, lr=lr, top_k=top_k, steps=5, batch_size=64,
                            device="cpu")
    run_or_refuse(lambda: simulate(words_world, model, **loop), names)


@settings(max_examples=max(settings().max_examples // 2, 1))
@given(n_words=ints(10, 300), heldout=ints(1, 300), seed=ints(0, 5),
       mix=st.sampled_from([None, {"fi": 0.05}, {"fi": 1.5}, {"fi": -0.1}, {"en": 0.1}, {"xx": 0.1}, [], {"fi": "a"}]))
def test_words_world_builds_or_refuses(n_words, heldout, seed, mix):
    from collapse_lab.worlds.words import Words

    with no_hang():
        try:
            world = Words(n_words=n_words, heldout=heldout, seed=seed, mix=mix)
        except (ValueError, TypeError) as err:
            assert re.search(r"'(n_words|heldout|seed|mix|lang)' parameter", str(err)), str(err)
            return
    assert np.isclose(world.probs_.sum(), 1) and (world.probs_ > 0).all()
    assert world.heldout_.shape == (heldout,) and world.is_real(world.heldout_).all()


@given(cls=st.sampled_from(["TopLikelihood", "ClipOutliers", "CapCopies"]), value=reals(-2, 5))
def test_gate_constructors_refuse_or_build(cls, value):
    with no_hang():
        try:
            gate = getattr(gates, cls)(value)
        except (ValueError, TypeError) as err:
            assert re.search(r"'(q|k)' parameter", str(err)), str(err)
            return
    mask = gate(np.zeros((1, 5)), worlds.GaussianModel().fit(np.zeros((1, 5))), np.ones((1, 5), bool))
    assert mask.dtype == bool and mask.shape == (1, 5)


# ---------------------------------------------------------------------------------------------
# the command line, in this process

def flag_values():
    junk = st.sampled_from(["", "-1", "0", "1e308", "1e-300", "nan", "inf", "100000000000000000000", "x", "0.5", "3"])
    return {
        "--generations": st.one_of(st.integers(1, 3).map(str), junk),
        "--samples": st.one_of(st.integers(2, 150).map(str), junk),
        "--seeds": st.one_of(st.integers(1, 3).map(str), junk),
        "--real-fraction": st.one_of(st.floats(0, 1).map(str), junk),
        "--temperature": st.one_of(st.floats(0.1, 3).map(str), junk),
        "--mode": st.sampled_from(["replace", "accumulate", "accumulate-subsample", "sideways"]),
        "--gate": st.lists(GATE_PARTS, min_size=1, max_size=2).map("+".join),
        "--vocab": st.one_of(st.integers(10, 300).map(str), junk),
        "--smoothing": st.one_of(st.floats(0, 1).map(str), junk),
        "--order": st.one_of(st.integers(1, 6).map(str), junk),
        "--top-k": st.one_of(st.integers(1, 20).map(str), junk),
        "--model": st.sampled_from(["ngram", "neural", "gpt"]),
        "--mix": st.sampled_from(["fi:0.05", "fi", "xx:0.1", "fi:2", "garbage"]),
        "--plot": st.sampled_from(["", ".", "x.txt", "/no/such/dir/x.png"]),
        "--memory-mb": st.one_of(st.integers(1, 5000).map(str), junk),
        # issue 9's levers
        "--top-p": st.one_of(st.floats(0.05, 1).map(str), junk),
        "--real-source": st.sampled_from(["fresh", "fixed", "rain"]),
        "--fine-tune": st.sampled_from(["previous", "first", "always"]),
        "--student": st.sampled_from(["ngram", "neural", "gpt"]),
        "--teacher-samples": st.one_of(st.integers(2, 300).map(str), junk),
        "--distill": st.sampled_from(["hard", "soft", "lukewarm"]),
    }


@st.composite
def command_lines(draw):
    world = draw(st.sampled_from(["gaussian", "mixture1d", "categorical", "words", "atlantis"]))
    values = flag_values()
    chosen = draw(st.lists(st.sampled_from(sorted(values)), max_size=4, unique=True))
    argv = ["run", world]
    for flag in chosen:
        argv += [flag, draw(values[flag])]
    if draw(st.booleans()) and "--gate" in chosen:
        argv.append("--no-refill")
    if world == "words":  # keep the language runs small: their defaults are 20,000 words
        argv += ["--samples", "300"] if "--samples" not in chosen else []
        argv += ["--generations", "1"] if "--generations" not in chosen else []
        argv += ["--model", "ngram"] if "--model" not in chosen else []
    if draw(st.booleans()):
        argv.append("--json")
    return argv


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
@settings(max_examples=settings().max_examples * 2)
@given(argv=command_lines())
def test_cli_runs_or_exits_2_with_one_line(argv):
    from collapse_lab.__main__ import main

    assume("--samples" not in argv or argv[argv.index("--samples") + 1] not in ("1e308",))
    out, err = io.StringIO(), io.StringIO()
    with no_hang(), redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse's own usage errors
            status = stop.code
    if status == 0:
        if "--json" in argv:
            text = out.getvalue()
            assert "NaN" not in text and "Infinity" not in text
            json.loads(text)
        return
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    assert status == 2, (status, err.getvalue())
    assert len(lines) == 1, err.getvalue()
    assert "error:" in lines[0] and ("--" in lines[0] or "world" in lines[0] or "argument" in lines[0]), lines[0]
    assert out.getvalue() == ""


# ---------------------------------------------------------------------------------------------
# issue 24: every declared rule, fed hostile values. Each class's `_parameter_constraints` and
# each function's `@validate_args` constraints are read from the code, so a new parameter is
# covered the day it is declared: a clear ValueError naming it, or a result within budget.

from collapse_lab import engine as _engine  # noqa: E402
from collapse_lab.engine import guard as _guard  # noqa: E402
from collapse_lab.engine.base import Params  # noqa: E402

HOSTILE = [float("nan"), float("inf"), -float("inf"), 10**400, 2**70, -1, 0, 1e308, -1e-308, "１０", "1_000", "3",
           None, True, [], object(), 0.5, 10**9]


def _param_classes():
    """Every public class that declares its rules (tests/helpers.public_names: worlds, gates, lessons' own)."""
    from helpers import public_names

    return {q.rsplit(".", 1)[1]: obj for q, obj in public_names().items()
            if isinstance(obj, type) and issubclass(obj, Params) and obj._parameter_constraints}


PARAM_CLASSES = _param_classes()
BUILD = {  # the smallest valid object of each class, to set one parameter of at a time
    "Categorical": lambda: worlds.Categorical([0.5, 0.5]), "Mixture": lambda: worlds.Mixture.one_d(),
    "EmpiricalModel": lambda: worlds.EmpiricalModel(3), "CapCopies": lambda: gates.CapCopies(3),
    "Verifier": lambda: gates.Verifier(lambda X: np.ones(np.shape(X), bool), "real"),
}


@pytest.mark.parametrize("name", sorted(PARAM_CLASSES))
@settings(max_examples=len(HOSTILE))
@given(value=st.sampled_from(HOSTILE), which=st.integers(0, 50))
def test_every_declared_parameter_refuses_in_words_or_accepts(name, value, which):
    cls = PARAM_CLASSES[name]
    params = sorted(cls._parameter_constraints)
    param = params[which % len(params)]
    try:
        obj = BUILD.get(name, cls)()
    except Exception as error:  # a class that needs arguments we did not give: not this test's subject
        pytest.skip(f"{name}() needs arguments: {error}")
    try:
        setattr(obj, param, value)
        obj._validate_params()
    except ValueError as error:
        assert repr(param) in str(error) and "Got" in str(error), str(error)
        assert len(str(error)) < 600  # 10**400 is shown by its digits' count, not 400 digits


FUNCTIONS = {  # a cheap valid call of each validated public function; one argument is replaced
    "simulate": lambda **kw: simulate(worlds.Gaussian(), worlds.GaussianModel(),
                                      **{"generations": 2, "samples": 10, "seeds": 2, "seed": 0, **kw}),
}


@pytest.mark.parametrize("fname", sorted(FUNCTIONS))
@settings(max_examples=40)
@given(value=st.sampled_from(HOSTILE), which=st.integers(0, 50))
def test_validated_functions_refuse_in_words_or_run_within_budget(fname, value, which):
    from collapse_lab.engine.loop import SIMULATE_CONSTRAINTS

    params = sorted({"simulate": SIMULATE_CONSTRAINTS}[fname])
    param = params[which % len(params)]
    with no_hang(30), _guard.limits(minutes=0.25):
        try:
            FUNCTIONS[fname](**{param: value})
        except ValueError as error:
            assert param in str(error), str(error)


def test_the_time_guard_refuses_within_a_second_whatever_the_size():
    import time

    # the last is the sample path (the exact one is O(seeds) whatever the samples, and would run)
    for generations, samples, seeds, exact in ((10**6, 20, 20, "auto"), (10**9, 2, 1, "auto"), (10**5, 10**4, 20, False)):
        start = time.perf_counter()
        with pytest.raises(ValueError, match="generations|samples|seeds"):
            simulate(worlds.Gaussian(), worlds.GaussianModel(), generations=generations, samples=samples, seeds=seeds,
                     exact=exact)
        assert time.perf_counter() - start < 1
