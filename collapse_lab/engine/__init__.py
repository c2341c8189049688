"""The engine: the one loop every experiment runs, and its plug points.

    loop.py           simulate, History, LoopSettings: the generational loop, phase by phase
    training_sets.py  pooling, subsampling and gating with refill (the loop's steps 1 and 5)
    exact.py          the same loop on sufficient statistics (a Gaussian: O(1) per generation)
    gates.py          quality gates: filters applied to a model's samples before training
    decoding.py       temperature, top-k, top-p, repetition penalty: how a model's probabilities are sampled
    metrics.py        diversity, tails and distances, measured against the real world
    guard.py          refuses a run that would not fit in memory, before it starts
    base.py           the interfaces a World and a Model follow, and clone
    checks.py         argument rules and their one error template; the seed helper

The engine imports numpy and scipy only: never a world, a figure or a widget (tests/test_package_hygiene.py).
"""
from . import gates, metrics
from .base import Model, World, clone
from .gates import ClipOutliers, Dedup, TopLikelihood, Verifier
from .loop import History, LoopSettings, simulate

__all__ = ["simulate", "History", "LoopSettings", "Model", "World", "clone", "gates", "metrics",
           "TopLikelihood", "ClipOutliers", "Dedup", "Verifier"]
