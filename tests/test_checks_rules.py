"""The declared rules of engine/checks.py that the lessons' entry points use (issue 24): each accepts
what its function reads and refuses anything else in the course's one template, naming the
parameter, what it must be, and the value (shortened)."""
import numpy as np
import pytest

from collapse_lab.engine.checks import (HISTORY, Array, DictOf, HasAttributes, HasKeys, Interval, ListOf, Options,
                                        validate_args)


@validate_args({"docs": [Array(ndim=3, words=True)], "markers": [ListOf(Array(ndim=1, words=True, empty=True))],
                "gens": [ListOf(Interval(int, 0, None), max_len=3)], "specs": [ListOf([str, HasAttributes(
                    "__call__", what="a gate")])], "runs": [DictOf(HISTORY, what="a non-empty dict {label: History}")],
                "points": [ListOf(HasKeys("label", what="a dict with a label"))],
                "shares": [DictOf(Interval(float, 0, 1), key=Interval(int), empty=True, what="a dict {year: share}")],
                "direction": [Options(1, -1)]})
def f(docs=None, markers=None, gens=None, specs=None, runs=None, points=None, shares=None, direction=1):
    return docs, markers, gens, specs, runs, points, shares, direction


class Run:
    metrics, snapshots, config = {}, {}, {}


GOOD = dict(docs=np.array([[["a", "b"]]]), markers=[np.array([], str)], gens=(0, 2), specs=["none", len],
            runs={"a": Run()}, points=[{"label": "x"}], shares={}, direction=-1)


def test_valid_values_pass_and_lists_arrive_as_given():
    docs, markers, gens, specs, runs, points, shares, direction = f(**GOOD)
    assert docs.dtype.kind == "U" and gens == (0, 2) and specs == ["none", len] and direction == -1
    assert f(**{**GOOD, "docs": np.zeros((1, 2, 3), int)})[0].shape == (1, 2, 3)     # ids as well as words
    gens = np.array([0, 1])
    assert f(**{**GOOD, "gens": gens})[2] is gens                    # a caller's list arrives as given


@pytest.mark.parametrize("name, value, words", [
    ("docs", np.zeros((2, 3)), "3 axes"), ("docs", [[[object()]]], "words or numbers"), ("docs", "abc", "array"),
    ("markers", np.array(["a"]), "non-empty list"), ("markers", [np.zeros((1, 1))], "1 axis"),
    ("gens", [0, -1], "range [0, inf)"), ("gens", [0, 1, 2, 3], "1 to 3 items"), ("gens", [True], "int"),
    ("specs", ["none", 3], "a str or a gate"), ("specs", [], "non-empty"),
    ("runs", {}, "{label: History}"), ("runs", {"a": 1.0}, "{label: History}"), ("runs", [Run()], "dict"),
    ("points", [{"name": "x"}], "a dict with a label"), ("shares", {2020: 1.5}, "year: share"),
    ("shares", {"2020": 0.5}, "year: share"), ("direction", 0, "one of 1, -1"),
])
def test_a_wrong_value_is_refused_in_the_template(name, value, words):
    with pytest.raises(ValueError) as error:
        f(**{**GOOD, name: value})
    message = str(error.value)
    assert message.startswith(f"The '{name}' parameter of f must be ") and "Got " in message, message
    assert words in message, message


def test_a_huge_value_is_shown_short():
    with pytest.raises(ValueError, match="an int of 401 digits"):
        f(**{**GOOD, "gens": 10**400})   # not a list: shown by its digits' count, not its 400 digits
