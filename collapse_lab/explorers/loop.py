"""The loop behind the loop controls: simulate() from an explorer's values, and caption helpers.

Every explorer whose controls come from controls.loop_controls runs its experiment through
`run_loop`; the captions read the run back with `first_last` and `runs_label`.
"""
import numpy as np

from ..engine.gates import parse as parse_gate
from ..engine.loop import Watcher, simulate
from .controls import gate_spec


def run_loop(world, model, v, tick, **extra):
    """simulate() with the loop controls every explorer has (v: the controls' values); tick counts generations."""
    gate = parse_gate(gate_spec(v["gate"], v["strength"]), world) if "gate" in v else None
    return simulate(world, model, generations=v["generations"], samples=v["samples"],
                    real_fraction=v["real_fraction"], mode=v["mode"], gate=gate, temperature=v["temperature"],
                    seeds=v["seeds"], seed=v["seed"],
                    callback=Watcher(lambda history, g: tick(history, g + 1, v["generations"] + 1)), **extra)


def runs_label(history):
    """"median of 3 runs": what a caption's numbers are."""
    n = np.asarray(history[next(iter(history.metrics))]).shape[0]
    return f"median of {n} run{'s' if n != 1 else ''}"


def first_last(history, name):
    """Generation 0's and the last generation's median of a metric (NaN-safe for stopped seeds)."""
    m = history.median(name)
    done = m[~np.isnan(m)]
    return (done[0], done[-1], len(done) - 1) if done.size else (np.nan, np.nan, 0)
