"""The time guard (engine/guard.py): a run estimated over its budget is refused before it starts,
in words, with the estimate, the limit and what to change; the refill's draws count in both guards."""
import subprocess
import sys
import time

import numpy as np
import pytest

from collapse_lab import worlds
from collapse_lab.engine import guard
from collapse_lab.engine.gates import ClipOutliers, Dedup, TopLikelihood
from collapse_lab.engine.loop import simulate


def cli(*args, env=None):
    import os

    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "collapse_lab", "run", *args], capture_output=True, text=True,
                         timeout=60, env={**os.environ, **(env or {})})
    return out, time.perf_counter() - start


def test_a_million_generations_are_refused_before_they_start():
    # issue 24's done-when: this ran 7.5 minutes and wrote a 1.1 GB JSON. Refused from its estimate, it
    # prints nothing on stdout; the bound only says it did not run (0.6-1.1 s measured, not a timed test)
    out, seconds = cli("gaussian", "--generations", "1000000", "--samples", "20", "--json")
    assert out.returncode == 2 and seconds < 60 and not out.stdout
    line = out.stderr.strip()
    assert "\n" not in line and "takes about" in line and "minutes" in line
    assert "--generations" in line and "--max-minutes" in line


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_max_minutes_raises_the_limit_and_is_checked():
    out, _ = cli("gaussian", "--generations", "1000000", "--samples", "20", "--max-minutes", "0.001")
    assert out.returncode == 2 and "the limit is 0 seconds" in out.stderr
    for bad in ("0", "-1", "nan", "inf", "1e308"):
        out, _ = cli("gaussian", "--max-minutes", bad)
        assert out.returncode == 2 and "--max-minutes" in out.stderr and "Traceback" not in out.stderr


def test_the_environment_sets_the_time_budget(monkeypatch):
    monkeypatch.delenv(guard.TIME_ENV_VAR, raising=False)
    assert guard.time_limit() == guard.DEFAULT_MINUTES * 60
    monkeypatch.setenv(guard.TIME_ENV_VAR, "2")
    assert guard.time_limit() == 120
    for bad in ("lots", "１０", "1_0", "0", "1e308"):
        monkeypatch.setenv(guard.TIME_ENV_VAR, bad)
        with pytest.raises(ValueError, match=guard.TIME_ENV_VAR):
            guard.time_limit()


def test_limits_is_a_tighter_budget_for_a_block():
    g, m = worlds.Gaussian(), worlds.GaussianModel()
    run = dict(samples=1000, seeds=20, generations=100_000, exact=False)
    guard.check_time(g, m, **run)  # about 2.6 minutes: inside the default 5
    with guard.limits(minutes=guard.EXPLORER_MINUTES):
        with pytest.raises(guard.TimeBudgetError, match="generations"):
            guard.check_time(g, m, **run)


def test_simulate_refuses_a_run_over_the_budget_at_once():
    start = time.perf_counter()
    with pytest.raises(guard.TimeBudgetError, match="max_iter"):
        simulate(worlds.Mixture.one_d(), worlds.MixtureModel(max_iter=10**9, tol=0), generations=2, seeds=2)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("world, model, gate, samples, seeds", [
    (worlds.Gaussian(), worlds.GaussianModel(), ClipOutliers(1e-300), 100_000, 20),   # 3.3 GB measured
    (worlds.Categorical.words(10), worlds.EmpiricalModel(10), Dedup(), 100_000, 20),  # 5.2 GB measured
])
def test_refill_draws_count_in_the_memory_estimate(world, model, gate, samples, seeds):
    with pytest.raises(guard.MemoryBudgetError, match="max_draws"):
        guard.check(world, model, samples=samples, seeds=seeds, generations=20, snapshots=0, gate=gate)
    # fewer draws allowed, fewer counted
    small = guard.estimate(world, model, samples=samples, seeds=seeds, generations=20, snapshots=0, gate=gate,
                           max_draws=2)
    assert small.bytes < 1.5 * 2**30


def test_a_gate_that_declares_its_share_is_not_costed_as_the_worst_case():
    g, m = worlds.Gaussian(), worlds.GaussianModel()
    run = dict(samples=10_000, seeds=20, generations=5, snapshots=0)
    # ClipOutliers(1) promises no share (Markov's bound needs k > √2): costed as the worst case
    top, clip = (guard.estimate(g, m, gate=gate, **run).bytes for gate in (TopLikelihood(0.9), ClipOutliers(1)))
    assert top < clip / 10
    # without refill nothing more is drawn
    assert guard.estimate(g, m, gate=ClipOutliers(2), refill=False, **run).bytes < top


@pytest.mark.parametrize("k", [1.5, 2.0, 3.0])
@pytest.mark.parametrize("d", [1, 2])
def test_clip_outliers_passes_at_least_the_share_it_declares(k, d):
    # the guard trusts min_acceptance to size refill batches: it must hold for any data, here heavy-tailed
    rng = np.random.default_rng(0)
    X = rng.standard_t(1.5, size=(50, 400, d))
    X = X[..., 0] if d == 1 else X
    passed = ClipOutliers(k)(X, None, np.ones((50, 400), bool)).mean(axis=1)
    assert passed.min() >= 1 - d / k**2 >= ClipOutliers(k).min_acceptance


def test_time_estimate_reads_like_prose():
    assert guard.duration(40 * 60) == "40 minutes"
    assert guard.duration(30) == "30 seconds"
    assert guard.duration(3 * 86400) == "3 days"
    assert "years" in guard.duration(1e30)


@pytest.mark.slow  # a small neural model (~2 s with PyTorch's start)
def test_stop_is_heard_inside_a_neural_fit_and_keeps_the_generations_run_so_far():
    # an explorer's Stop sets an event (guard.stop_on); a neural fit checks it every 25 Adam steps, so Stop
    # no longer waits for the whole fit (1.4 s in 04's explorer); simulate keeps the generations it finished
    import threading

    import collapse_lab
    from collapse_lab.engine import guard

    world, event = collapse_lab.Words(n_words=300, heldout=200), threading.Event()

    def run(generations, callback=None):
        return collapse_lab.simulate(world, collapse_lab.NeuralLM(steps=60, n_hidden=16), generations=generations,
                                     samples=200, seeds=1, seed=0, callback=callback)

    def press_stop_after_generation_1(history, g):
        if g == 1:
            event.set()          # pressed while generation 2 is being fitted

    with guard.stop_on(event):
        history = run(4, press_stop_after_generation_1)
    assert history.metrics["heldout_nll"].shape == (1, 2)              # generations 0 and 1, nothing half-done
    with guard.stop_on(event), pytest.raises(guard.Stopped):          # stopped before anything finished
        run(2)
    guard.check_stop()                                                 # outside a block Stop is not heard
