"""The resource guard: its refusals read well, and its estimates match measured peaks within 2x.

The peaks are measured as a learner's kernel would feel them: a fresh Python process builds the
world and model, notes its peak resident memory (VmHWM), runs simulate, and reports how much
the peak grew. Sizes are chosen so that the run, not the imports, makes the peak (a few hundred
MB each); smaller runs vanish in the baseline of numpy, wordfreq and torch.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from collapse_lab import worlds
from collapse_lab.engine import guard

GB = 2**30
LIMIT = int(1.5 * GB)


def refusal(world, model, **run):
    with pytest.raises(ValueError) as err:
        guard.check(world, model, limit=LIMIT, **run)
    return str(err.value)


def test_refusal_names_the_drivers_the_estimate_and_the_limit():
    message = refusal(worlds.Gaussian(), worlds.GaussianModel(), samples=10**7, seeds=20, generations=10,
                      snapshots=0, mode="replace", exact=False)
    assert message.startswith("samples × seeds = 2 × 10⁸ needs about ")
    assert " GB" in message and "the limit is 1.5 GB" in message
    assert "lower samples or seeds" in message and guard.ENV_VAR in message


def test_exact_gaussian_costs_seeds_times_generations_not_samples():
    # a million samples per generation is free on the exact path; a million generations is not
    fits = guard.check(worlds.Gaussian(), worlds.GaussianModel(), limit=LIMIT, samples=10**6, seeds=20,
                       generations=1000, snapshots=11, exact=True)
    assert fits.bytes < 200 * 2**20
    message = refusal(worlds.Gaussian(), worlds.GaussianModel(), samples=20, seeds=20, generations=10**7,
                      snapshots=11, exact=True)
    assert message.startswith("seeds × generations = 2 × 10⁸")


def test_ngram_order_is_bounded_by_the_alphabet():
    # issue 13: `run words --mix zh:0.3 --order 8` overflowed the n-gram's int64 context keys
    world = worlds.Words(mix={"zh": 0.3})
    message = refusal(world, worlds.NGramLM(order=8), samples=3000, seeds=1, generations=1)
    assert "'order'" in message and "alphabet" in message
    # an English order 8 fits in the keys (28 characters) but is still judged on its table
    guard.estimate(worlds.Words(), worlds.NGramLM(order=8), samples=3000, seeds=1, generations=1)


def test_the_issues_killed_commands_are_refused():
    g, gm = worlds.Gaussian(), worlds.GaussianModel()
    assert "seeds" in refusal(g, gm, samples=100, seeds=10**6, generations=20, snapshots=11, exact=False)
    assert "generations" in refusal(g, gm, samples=100, seeds=20, generations=10**7, snapshots=11, exact=True)
    assert "seeds" in refusal(worlds.Words(), worlds.NGramLM(), samples=20000, seeds=50, generations=20)
    cat = worlds.Categorical.words(2000)
    assert "samples" in refusal(cat, worlds.EmpiricalModel(2000), samples=10**7, seeds=20, generations=20)


def test_limit_from_the_environment(monkeypatch):
    monkeypatch.delenv(guard.ENV_VAR, raising=False)
    assert guard.memory_limit() == guard.DEFAULT_LIMIT_MB * 2**20
    monkeypatch.setenv(guard.ENV_VAR, "4000")
    assert guard.memory_limit() == 4000 * 2**20
    guard.check(worlds.Gaussian(), worlds.GaussianModel(), samples=10**6, seeds=20, generations=5,
                snapshots=0, exact=False)  # 2.1 GB estimated: fits in 4000 MB
    monkeypatch.setenv(guard.ENV_VAR, "lots")
    with pytest.raises(ValueError, match=guard.ENV_VAR):
        guard.memory_limit()


def test_number_and_size_read_like_prose():
    assert guard.number(20000) == "20,000"
    assert guard.number(10**8) == "10⁸"
    assert guard.number(2 * 10**8) == "2 × 10⁸"
    assert guard.size(3.2 * GB) == "3.2 GB" and guard.size(180 * 2**20) == "180 MB"


# ---------------------------------------------------------------------------------------------
# estimate against measured peak, in a fresh process per case

PEAK_SCRIPT = r"""
import json, sys
import numpy as np
from collapse_lab import gates, worlds
from collapse_lab.engine import guard
from collapse_lab.engine.loop import simulate

def hwm():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))

spec = json.loads(sys.argv[1])
world = {"gaussian": worlds.Gaussian, "mixture1d": worlds.Mixture.one_d, "mixture2d": worlds.Mixture.two_d,
         "categorical": lambda: worlds.Categorical.words(2000),
         "words": lambda: worlds.Words(mix=spec.pop("mix", None))}[spec.pop("world")]()
model = {"gaussian": worlds.GaussianModel, "mixture": worlds.MixtureModel,
         "empirical": lambda: worlds.EmpiricalModel(world.n_categories),
         "ngram": lambda: worlds.NGramLM(order=spec.pop("order", 3)),
         "neural": lambda: worlds.NeuralLM(steps=20)}[spec.pop("model")]()
gate = gates.parse(spec.pop("gate", None), world)
exact = gate is None and world.kind == "gaussian"
est = guard.estimate(world, model, exact=exact, gate=gate, **spec).bytes
base = hwm()
simulate(world, model, gate=gate, seed=0, exact=exact, **spec)
print(json.dumps({"estimate": est, "measured": hwm() - base}))
"""

CASES = [
    dict(world="gaussian", model="gaussian", samples=100, seeds=1_000_000, generations=10, snapshots=0),
    dict(world="gaussian", model="gaussian", samples=100, seeds=10000, generations=2000, snapshots=0),
    dict(world="gaussian", model="gaussian", samples=200_000, seeds=10, generations=5, snapshots=0, gate="top:0.9"),
    dict(world="gaussian", model="gaussian", samples=100_000, seeds=10, generations=10, snapshots=0,
         gate="top:0.9", mode="accumulate"),
    dict(world="mixture1d", model="mixture", samples=100_000, seeds=10, generations=1, snapshots=0),
    dict(world="mixture2d", model="mixture", samples=50_000, seeds=10, generations=1, snapshots=0),
    dict(world="categorical", model="empirical", samples=1_000_000, seeds=10, generations=3, snapshots=0),
    dict(world="words", model="ngram", samples=20000, seeds=8, generations=1, snapshots=0),
    dict(world="words", model="ngram", samples=3000, seeds=1, generations=1, snapshots=0, order=3, mix={"zh": 0.3}),
]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is read from Linux's /proc")
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{v}" for v in c.values())[:60])
def test_estimate_within_a_factor_of_two_of_the_measured_peak(case):
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, json.dumps(case)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    ratio = result["estimate"] / result["measured"]
    assert 0.5 <= ratio <= 2, result


def test_largest_finds_the_edge_of_the_budget():
    g, gm = worlds.Gaussian(), worlds.GaussianModel()
    run = dict(seeds=20, generations=100, snapshots=11, exact=False)
    edge = guard.largest(g, gm, "samples", limit=LIMIT, **run)
    assert guard.estimate(g, gm, samples=edge, **run).bytes <= LIMIT < guard.estimate(g, gm, samples=edge + 1, **run).bytes
    assert guard.largest(g, gm, "samples", limit=1, **run) == 0
    with pytest.raises(ValueError, match="'parameter'"):
        guard.largest(g, gm, "order", **run)
