"""The worlds: one file per family, each with its models and its closed-form theory.

    gaussian.py     Gaussian, GaussianModel, and the theory of σ's random walk (notebooks 00, 01)
    categorical.py  Categorical, EmpiricalModel: words as categories (notebook 02)
    mixture.py      Mixture, MixtureModel: a majority and a minority mode (notebook 03)
    words.py        Words: real English word frequencies from wordfreq, the language models' world
    charlm.py       what the two character-level language models share (words as arrays, memory costs)
    ngram.py        NGramLM, a count-based character n-gram (notebooks 02, 04-08)
    neural.py       NeuralLM, a small MLP in PyTorch, imported only when one is fitted (notebook 04)

A world declares what it can do (`kind`, `sufficient_stats`, `is_real`: engine/base.py), so the
engine and the figures never probe it.
"""
from .categorical import Categorical, EmpiricalModel
from .gaussian import Gaussian, GaussianModel
from .mixture import Mixture, MixtureModel
from .neural import NeuralLM
from .ngram import NGramLM
from .words import Words

__all__ = ["Gaussian", "GaussianModel", "Mixture", "MixtureModel", "Categorical", "EmpiricalModel",
           "Words", "NGramLM", "NeuralLM"]
