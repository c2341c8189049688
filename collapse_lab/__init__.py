"""Model Collapse Lab: what happens when a model is trained on its own outputs, generation after generation.

The public names a notebook needs. Nothing heavy is imported here (no torch): the neural
language model loads PyTorch only when it is used.

Where things live (one idea per folder; imports run left to right, tests/test_package_hygiene.py):

    engine/     the one loop (simulate) and its plug points: training sets, gates, decoding, metrics, guard
    worlds/     one file per world family, with its models and closed-form theory
    figures/    matplotlib from a History: style, curves, samples, summary
    explorers/  the generic Explorer, its painter and its controls (widgets)
    lessons/    one module per notebook: its runs, figures, explorer and self-check
    exercises/  one module per notebook: its exercises (check, hint, solution)
    lesson.py   the one line of setup a notebook imports
"""
from .engine import gates, metrics
from .engine.base import Model, World, clone
from .engine.gates import ClipOutliers, Dedup, TopLikelihood, Verifier
from .engine.loop import History, simulate
from .worlds import (Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel, NeuralLM,
                     NGramLM, Words)

__all__ = [
    "simulate", "History", "Model", "World", "clone", "gates", "metrics",
    "Gaussian", "GaussianModel", "Mixture", "MixtureModel", "Categorical", "EmpiricalModel",
    "Words", "NGramLM", "NeuralLM",
    "TopLikelihood", "ClipOutliers", "Dedup", "Verifier",
]
__version__ = "0.2.0"  # 0.2: the package is laid out by concept (engine, worlds, figures, explorers, lessons)
