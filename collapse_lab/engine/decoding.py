"""Decoding: how a model's next-token (or category) distribution becomes the one a sample is drawn from.

Shared by every model that draws tokens or categories (the language models in charlm.py and
the categorical model in worlds/categorical.py), and by simulate's temperature check, so the conventions are
stated once:

    temperature T   p^(1/T): T < 1 favours likely tokens, T > 1 flattens (for a Gaussian, σ·√T)
    top_k           keep the k likeliest tokens
    top_p           nucleus sampling (Holtzman et al. 2020): the smallest set of likeliest tokens
                    whose mass reaches p
    repetition_penalty   divide a token already used in this word by θ (CTRL, Keskar et al. 2019)
"""
import numpy as np

from .checks import Interval, check_array, check_number, validate_args

# Temperatures outside this range are refused. p^(1/T) is computed in log space, so any positive T
# would stay finite there, but past these bounds nothing changes that a learner could see (at
# T = 0.001 a 1% lead in probability is a 20,000-fold lead; at T = 1000 a millionfold one is 1.4%)
# while a Gaussian's σ·√T, refitted generation after generation, overflows sooner.
TEMPERATURE_RANGE = (1e-3, 1e3)


def check_temperature(temperature, owner):
    """The one temperature check of every model's `sample` (range: TEMPERATURE_RANGE)."""
    return check_number(temperature, "temperature", owner, low=TEMPERATURE_RANGE[0], high=TEMPERATURE_RANGE[1])


# the decoding parameters' rules, shared by every model that draws tokens or categories
DECODING_CONSTRAINTS = {
    "top_k": [None, Interval(int, 1, None)],
    "top_p": [None, Interval(float, 0, 1, closed="right")],
}


# the functions' own rules: a learner may call them directly (notebook 06 does), and a temperature of 0,
# a top_p of 0 or NaN, or a penalty of 0 would otherwise return weights of NaN or zeros without a word
TEMPERATURE_CONSTRAINTS = {"temperature": [Interval(float, *TEMPERATURE_RANGE)]}
PENALTY_CONSTRAINTS = {"penalty": [Interval(float, 1, None)]}   # the models' repetition_penalty rule


# ----------------------------------------------------------------------------------------------
# decoding: how a next-token distribution becomes the distribution a token is drawn from


@validate_args({**TEMPERATURE_CONSTRAINTS, **DECODING_CONSTRAINTS})
def decode(p, temperature=1.0, top_k=None, top_p=None):
    """Next-token probabilities p (m, V) -> sampling weights (m, V), unnormalised (row maximum 1).

    Applied in this order, the order of Hugging Face's `generate` (temperature, then top-k, then
    top-p), so top-p measures its mass on the tempered distribution; a repetition penalty
    (`penalize_repeats`) comes before all three, as its logits processors come before its warpers:

    1. temperature T: p^(1/T), computed in log space (log p − max log p) / T, so neither T = 0.001
       nor T = 1000 can underflow a row to zeros or give NaN;
    2. top_k: keep the k likeliest tokens;
    3. top_p (nucleus sampling, Holtzman et al. 2020): keep the smallest set of likeliest tokens
       whose mass reaches p of what is left, i.e. every token at least as likely as the token at
       which the running sum first reaches p.

    Ties: both truncations keep *every* token tied with the last one kept, so the result never
    depends on the order of the vocabulary (with ties the set can exceed k tokens or the smallest
    nucleus). The comparison with p allows a relative 1e-9 for rounding in the running sum.
    """
    if temperature == 1.0 and top_k is None and top_p is None:
        return p  # nothing to reshape (and no rounding from the log-space round trip)
    return truncate(np.exp(tempered_log(p, temperature)), top_k, top_p)


@validate_args(TEMPERATURE_CONSTRAINTS)
def tempered_log(p, temperature):
    """log p^(1/T) minus each row's maximum: <= 0, 0 at each row's likeliest token, never NaN."""
    p = check_array(p, "p", "tempered_log", ndim=2, low=0, finite=False)
    with np.errstate(divide="ignore"):
        logp = np.log(p)
    top = logp.max(axis=1, keepdims=True)
    logp = logp - np.where(np.isfinite(top), top, 0.0)
    if temperature != 1.0:
        with np.errstate(over="ignore"):
            logp = logp / temperature
    return logp


@validate_args(DECODING_CONSTRAINTS)
def truncate(w, top_k=None, top_p=None):
    """Steps 2 and 3 of `decode` on weights w (m, V): top-k, then top-p, ties kept."""
    w = check_array(w, "w", "truncate", ndim=2, low=0, finite=False)
    V = w.shape[1]
    if top_k is not None and top_k < V:
        kth = -np.partition(-w, top_k - 1, axis=1)[:, top_k - 1 : top_k]  # k-th largest per row
        w = np.where(w >= kth, w, 0.0)
    if top_p is not None and top_p < 1:
        srt = -np.sort(-w, axis=1)  # (m, V) largest first
        cum = np.cumsum(srt, axis=1)
        # sorted position at which the running sum first reaches top_p of the row's mass
        j = (cum < top_p * cum[:, -1:] * (1 - 1e-9)).sum(axis=1).clip(max=V - 1)
        w = np.where(w >= srt[np.arange(len(w)), j][:, None], w, 0.0)
    return w


@validate_args(PENALTY_CONSTRAINTS)
def penalize_repeats(p, history, penalty):
    """Divide the probability of every token already in `history` (m, t) ids by `penalty`, in place.

    The repetition penalty of CTRL (Keskar et al. 2019) as a division of the probability (a
    subtraction of log θ from the logit), which, unlike dividing a raw logit, does not depend on
    where the logits' zero lies. A token repeated in the history is divided once.
    """
    p = check_array(p, "p", "penalize_repeats", ndim=2, low=0, finite=False)
    history = check_array(history, "history", "penalize_repeats", ndim=2, integer=True, low=0,
                          high=p.shape[1] - 1) if np.size(history) else np.asarray(history)
    if history.ndim != 2:
        raise ValueError(f"The 'history' parameter of penalize_repeats must be an int array (m, t). "
                         f"Got shape {history.shape} instead.")
    if penalty != 1.0 and history.shape[1]:
        rows = np.arange(len(p))[:, None]
        p[rows, history] = p[rows, history] / penalty  # fancy assignment: duplicates count once
    return p
