"""Argument checks and the one random-number helper.

Every public function validates its input with these, so every error reads the same:

    The 'real_fraction' parameter of simulate must be a float in the range [0, 1]. Got 1.5 instead.

(the template scikit-learn uses). A check raises before anything is computed, so bad input
never leaves a half-finished run behind.
"""
import functools
import inspect
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
    ok = ok_type and not isinstance(value, bool) and _finite(value)
    if ok and low is not None:
        ok = value >= low if closed[0] else value > low
    if ok and high is not None:
        ok = value <= high if closed[1] else value < high
    if not ok:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {kind} in the range "
            f"{_describe(low, high, closed)}. Got {shown(value)} instead."
        )
    return int(value) if integer else float(value)


def shown(value, width=60):
    """A value as an error message shows it: 10**400 as 'an int of 401 digits', a long repr cut short."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return f"an int of {len(str(abs(value)))} digits"
    try:
        text = repr(value)
    except Exception:  # a learner's object whose repr raises
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[:width - 3] + "..."


def _finite(value):
    """Finite, and small enough for numpy: a Python int beyond 64 bits is out of any range we use
    (np.isfinite(10**20) raises TypeError instead of answering)."""
    if isinstance(value, numbers.Integral):
        return -(2**63) < int(value) < 2**63
    try:
        return bool(np.isfinite(value))
    except (TypeError, OverflowError):
        return False


def check_choice(value, name, owner, choices):
    """Return `value` if it is one of `choices`, else raise a ValueError listing them."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"The {name!r} parameter of {owner} must be one of {allowed}. Got {value!r} instead.")
    return value


# ---------------------------------------------------------------------------------------------
# Parameter rules declared once per class (scikit-learn's `_parameter_constraints`)
# ---------------------------------------------------------------------------------------------

class Interval:
    """A rule for one numeric parameter: `Interval(int, 1, 8)`, `Interval(float, 0, 1, closed="right")`.

    closed: "both" (default), "left", "right" or "neither" -- which ends belong to the range.
    array: True for a formula that also takes an array of such numbers (a theory curve over a grid):
           every element is checked, and an array is returned as a float array.
    """

    def __init__(self, kind, low=None, high=None, closed="both", array=False):
        self.integer = kind is int
        self.low, self.high = low, high
        self.array = array
        self.closed = {"both": (True, True), "left": (True, False), "right": (False, True),
                       "neither": (False, False)}[closed]

    def check(self, value, name, owner):
        if self.array and not isinstance(value, (numbers.Number, str)) and value is not None:
            return check_numbers(value, name, owner, low=self.low, high=self.high, closed=self.closed,
                                 integer=self.integer)
        return check_number(value, name, owner, low=self.low, high=self.high, closed=self.closed,
                            integer=self.integer)


def check_numbers(values, name, owner, *, low=None, high=None, closed=(True, True), integer=False):
    """Return `values` as a float array if every element is a number in the given range (see check_number)."""
    kind = "an int or an array of ints" if integer else "a float or an array of floats"
    try:
        array = np.asarray(values)
        ok = array.size > 0 and array.dtype.kind in ("iu" if integer else "iuf")
    except Exception:  # a learner's object that is no array
        ok = False
    if ok:
        array = array.astype(float)
        ok = bool(np.isfinite(array).all())
        if ok and low is not None:
            ok = bool((array >= low).all() if closed[0] else (array > low).all())
        if ok and high is not None:
            ok = bool((array <= high).all() if closed[1] else (array < high).all())
    if not ok:
        raise ValueError(f"The {name!r} parameter of {owner} must be {kind} in the range "
                         f"{_describe(low, high, closed)}. Got {shown(values)} instead.")
    return array


def check_array(values, name, owner, *, ndim=None, integer=False, low=None, high=None, closed=(True, True),
                finite=True, words=False, empty=False):
    """Return `values` as a numpy array if it is a non-empty array of numbers (of ints with `integer`),
    with `ndim` axes (an int or a tuple of allowed counts), every element finite (unless `finite` is
    False: NaN and ±inf are then allowed, e.g. stopped seeds) and in the given range; else raise a
    ValueError in the course's template. For the array kernels learners may call directly.

    words: an array of words (str) is allowed too (a language model's samples; their ranges are not
    checked). empty: an empty array is allowed (e.g. a seed with no marker words)."""
    kind = "words or ints" if words and integer else "words or numbers" if words else "ints" if integer else "numbers"
    axes = (ndim,) if isinstance(ndim, int) else ndim
    want = f"{'an' if empty else 'a non-empty'} array of {kind}"
    if axes:
        want += f" with {' or '.join(str(a) for a in axes)} ax{'is' if axes == (1,) else 'es'}"
    if low is not None or high is not None:
        want += f", every element in the range {_describe(low, high, closed)}"
    elif finite:
        want += ", every element finite"
    try:
        array = np.asarray(values)
        kinds = ("iu" if integer else "iufb") + ("US" if words else "")
        ok = (array.size > 0 or empty) and (array.dtype.kind in kinds or (empty and array.size == 0)) \
            and (not axes or array.ndim in axes)
    except Exception:  # a learner's object that is no array (or a ragged list)
        ok = False
    if ok and array.dtype.kind not in "US":
        number = array if array.dtype.kind != "b" else array.astype(int)
        if finite:
            ok = bool(np.isfinite(number).all())
        with np.errstate(invalid="ignore"):
            if ok and low is not None:
                ok = not bool(((number < low) if closed[0] else (number <= low)).any())
            if ok and high is not None:
                ok = not bool(((number > high) if closed[1] else (number >= high)).any())
    if not ok:
        raise ValueError(f"The {name!r} parameter of {owner} must be {want}. Got {shown(values)} instead.")
    return array


class Options:
    """A rule for a parameter that takes one of a few values: `Options("replace", "accumulate")`."""

    def __init__(self, *choices):
        self.choices = choices

    def check(self, value, name, owner):
        return check_choice(value, name, owner, self.choices)


class _Described:
    """A declared rule named in its refusal by `what` (or by its own `describe`), in the course's template."""

    def describe(self):
        return self.what

    def refuse(self, value, name, owner):
        raise ValueError(f"The {name!r} parameter of {owner} must be {self.describe()}. Got {shown(value)} instead.")


class HasAttributes(_Described):
    """A rule for an object a function reads from, checked by what it has (scikit-learn's HasMethods):
    `HasAttributes("metrics", "snapshots", "config", what="a History (what simulate returns)")`.

    `what` is how the message names it; a fitted model's learned attributes (`probs_`) tell a fitted
    one from a new one, so a model the function cannot use is refused before anything is computed."""

    def __init__(self, *names, what):
        self.names, self.what = names, what

    def check(self, value, name, owner):
        try:
            ok = all(hasattr(value, part) for part in self.names)
        except Exception:  # a learner's object whose attribute lookup raises something else
            ok = False
        if not ok:
            self.refuse(value, name, owner)
        return value


class HasKeys(_Described):
    """A rule for a dict a function reads fields from: `HasKeys("label", "quality", what="a point (a dict ...)")`."""

    def __init__(self, *keys, what):
        self.keys, self.what = keys, what

    def check(self, value, name, owner):
        if not (isinstance(value, dict) and all(key in value for key in self.keys)):
            self.refuse(value, name, owner)
        return value


# the run every figure and lesson helper reads (figures/curves.py checked_run asks for the same three parts)
HISTORY = HasAttributes("metrics", "snapshots", "config", what="a History (what simulate returns)")


class Array:
    """check_array as a declared rule: `Array(ndim=2, integer=True)`, `Array(ndim=3, words=True)`.
    The function receives the numpy array."""

    def __init__(self, ndim=None, integer=False, low=None, high=None, closed="both", finite=True, words=False,
                 empty=False):
        self.options = dict(ndim=ndim, integer=integer, low=low, high=high, finite=finite, words=words, empty=empty,
                            closed={"both": (True, True), "left": (True, False), "right": (False, True),
                                    "neither": (False, False)}[closed])

    def check(self, value, name, owner):
        return check_array(value, name, owner, **self.options)

    def describe(self):
        try:  # check_array's own wording of what it wants
            check_array(None, "", "", **self.options)
        except ValueError as error:
            return str(error).split(" must be ", 1)[1].rsplit(". Got ", 1)[0]


def _one_of(rules, value, name, owner):
    """`value` if it passes `rules` (a rule, a type, or a list of them, any one of which will do), else ValueError."""
    for rule in rules if isinstance(rules, list) else [rules]:
        if isinstance(rule, type):
            if isinstance(value, rule) and (rule is bool or not isinstance(value, bool)):
                return value
            continue
        try:
            return rule.check(value, name, owner)
        except ValueError:
            continue
    raise ValueError(name)


class ListOf(_Described):
    """A rule for a list (tuple, range or 1-axis array) of items that each pass `item`, a rule or a type
    (or a list of them, any one of which will do): `ListOf(Interval(int, 0, None))`, `ListOf(str, min_len=2)`,
    `ListOf([str, Gate])`. The function receives the value as given
    (its items unconverted: a caller's numpy ints stay numpy ints)."""

    def __init__(self, item, min_len=1, max_len=None, what=None):
        self.item, self.min_len, self.max_len, self.what = item, min_len, max_len, what   # what: the message's words

    def _item_ok(self, value, name, owner):
        return _one_of(self.item, value, name, owner)

    def check(self, value, name, owner):
        ok = isinstance(value, (list, tuple, range)) or (isinstance(value, np.ndarray) and value.ndim == 1)
        if ok:
            ok = len(value) >= self.min_len and (self.max_len is None or len(value) <= self.max_len)
        if ok:
            try:
                for item in value:
                    self._item_ok(item, name, owner)
            except ValueError:
                ok = False
        if not ok:
            self.refuse(value, name, owner)
        return value

    def describe(self):
        if self.what:
            return self.what
        if self.max_len is not None:
            count = (f"a list of {self.min_len} items" if self.min_len == self.max_len
                     else f"a list of {self.min_len} to {self.max_len} items")
        else:
            count = {0: "a list", 1: "a non-empty list"}.get(self.min_len, f"a list of at least {self.min_len} items")
        rules = self.item if isinstance(self.item, list) else [self.item]
        return f"{count}, each {' or '.join(_describe_rule(r) for r in rules)}"


class DictOf(_Described):
    """A rule for a dict {key: value} whose values (and keys, with `key`) each pass a rule or a type:
    `DictOf(HISTORY, what="a non-empty dict {label: History}")`. Non-empty unless `empty`."""

    def __init__(self, value, *, key=None, empty=False, what):
        self.value, self.key, self.empty, self.what = value, key, empty, what

    def check(self, value, name, owner):
        ok = isinstance(value, dict) and (self.empty or len(value) > 0)
        if ok:
            try:
                for k, v in value.items():
                    _one_of(self.value, v, name, owner)
                    if self.key is not None:
                        _one_of(self.key, k, name, owner)
            except ValueError:
                ok = False
        if not ok:
            self.refuse(value, name, owner)
        return value


def validate_params(params, constraints, owner):
    """Check every parameter named in `constraints` ({name: [rule, ...]}); return the checked values.

    A rule is an Interval, an Options, an Array, a ListOf, a DictOf, a HasAttributes, None (the value
    None is allowed), `callable` (any callable), or a type (an instance of it is allowed). The first
    rule that accepts the value wins; when none does, the error of the last rule that checks (not
    None, callable or a type) is raised, or a generic one listing the rules.
    """
    checked = dict(params)
    for name, rules in constraints.items():
        if name not in params:  # a subclass without this argument (scikit-learn skips these too)
            continue
        value = params[name]
        error = None
        for rule in rules:
            if rule is None:
                if value is None:
                    break
            elif rule is callable:
                if callable(value):
                    break
            elif rule is bool:  # numpy's bools too (a widget or a comparison gives those)
                if isinstance(value, (bool, np.bool_)):
                    checked[name] = bool(value)
                    break
            elif isinstance(rule, type):
                if isinstance(value, rule) and not isinstance(value, bool):
                    break
            else:
                try:
                    checked[name] = rule.check(value, name, owner)
                    break
                except ValueError as err:
                    error = err
        else:
            if error is not None and len(rules) == 1:
                raise error
            allowed = " or ".join(_describe_rule(r) for r in rules)
            raise ValueError(f"The {name!r} parameter of {owner} must be {allowed}. Got {shown(value)} instead.")
    return checked


def validate_args(constraints):
    """Check a function's arguments against declared rules before it runs (scikit-learn's
    @validate_params): the same {name: [rule, ...]} dicts the classes declare.

        @validate_args({"samples": [Interval(int, 2, None)], "gate": [None, callable]})
        def simulate(world, model, *, samples=100, gate=None): ...

    The function receives the checked values (an int for an Interval(int), a float for a float one),
    and a wrong one is refused with the course's one message template, naming the function.
    """
    def decorate(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            bound.arguments.update(validate_params(bound.arguments, constraints, func.__name__))
            return func(*bound.args, **bound.kwargs)

        checked.constraints = constraints  # for the property tests and the docs
        return checked

    return decorate


def _describe_rule(rule):
    if rule is None:
        return "None"
    if rule is callable:
        return "a callable"
    if isinstance(rule, type):
        return f"a {rule.__name__}"
    if isinstance(rule, Options):
        return "one of " + ", ".join(repr(c) for c in rule.choices)
    if hasattr(rule, "describe"):
        return rule.describe()
    kind = "an int" if rule.integer else "a float"
    kind += (" or an array of " + kind.split()[-1] + "s") if rule.array else ""
    return f"{kind} in the range {_describe(rule.low, rule.high, rule.closed)}"


def check_is_fitted(obj, attribute):
    """Raise a clear error when a model is used before `fit` (scikit-learn's check_is_fitted)."""
    if not hasattr(obj, attribute):
        raise ValueError(f"This {type(obj).__name__} is not fitted yet: call fit(X) before using it.")


_PLAIN_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)"


def parse_number(text, name, owner, *, integer=False):
    """A number typed as text (a flag, an environment variable): ASCII digits only, no '_'.

    Python's int() and float() also read '１０' (full-width), '١٠' (Arabic-Indic) and '1_000';
    a learner who typed those meant something we cannot be sure of, so they are refused.
    """
    import re

    kind = "an int" if integer else "a float"
    plain = isinstance(text, str) and text.isascii() and re.fullmatch(
        r"[+-]?\d+" if integer else _PLAIN_NUMBER, text.strip(), re.IGNORECASE)
    if not plain:
        raise ValueError(f"The {name!r} parameter of {owner} must be {kind} written in ASCII digits "
                         f"(e.g. {'1000' if integer else '0.5 or 1e-3'}). Got {text!r} instead.")
    return int(text) if integer else float(text)
