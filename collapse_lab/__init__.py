"""Model Collapse Lab: what happens when a model is trained on its own outputs, generation after generation.

The public names a notebook needs. Nothing heavy is imported here (no torch): the neural
language model loads PyTorch only when it is used.
"""
from . import gates, metrics
from .base import Model, World, clone
from .gates import ClipOutliers, Dedup, TopLikelihood, Verifier
from .loop import History, simulate
from .toys import Categorical, EmpiricalModel, Gaussian, GaussianModel, Mixture, MixtureModel
from .charlm import NGramLM, NeuralLM  # torch is imported only when a NeuralLM is fitted
from .words import Words

__all__ = [
    "simulate", "History", "Model", "World", "clone", "gates", "metrics",
    "Gaussian", "GaussianModel", "Mixture", "MixtureModel", "Categorical", "EmpiricalModel",
    "Words", "NGramLM", "NeuralLM",
    "TopLikelihood", "ClipOutliers", "Dedup", "Verifier",
]
__version__ = "0.1.0"
