"""Argument checks and the one random-number helper.

Every public function validates its input with these, so every error reads the same:

    The 'real_fraction' parameter of simulate must be a float in the range [0, 1]. Got 1.5 instead.

(the template scikit-learn uses). A check raises before anything is computed, so bad input
never leaves a half-finished run behind.
"""
import numbers

import numpy as np


def check_rng(seed, owner="simulate"):
    """One place turns a seed into a generator: None (fresh entropy), an int, or a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0):
        return np.random.default_rng(seed)
    raise ValueError(f"The 'seed' parameter of {owner} must be None, a non-negative int or a numpy Generator. "
                     f"Got {seed!r} instead.")


def _describe(low, high, closed):
    # an infinite end is never part of the range
    left = "[" if closed[0] and low is not None else "("
    right = "]" if closed[1] and high is not None else ")"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f"{left}{lo}, {hi}{right}"


def check_number(value, name, owner, *, low=None, high=None, closed=(True, True), integer=False):
    """Return `value` if it is a number in the given range, else raise a ValueError saying so."""
    kind = "an int" if integer else "a float"
    ok_type = isinstance(value, numbers.Integral) if integer else isinstance(value, numbers.Real)
    ok = ok_type and not isinstance(value, bool) and np.isfinite(value)
    if ok and low is not None:
        ok = value >= low if closed[0] else value > low
    if ok and high is not None:
        ok = value <= high if closed[1] else value < high
    if not ok:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {kind} in the range "
            f"{_describe(low, high, closed)}. Got {value!r} instead."
        )
    return int(value) if integer else float(value)


def check_choice(value, name, owner, choices):
    """Return `value` if it is one of `choices`, else raise a ValueError listing them."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"The {name!r} parameter of {owner} must be one of {allowed}. Got {value!r} instead.")
    return value
