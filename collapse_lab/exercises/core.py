"""Exercise objects: check(answer) -> Feedback, hint(), solution().

`check` never raises on a learner's answer: a wrong type, a function that crashes or an array
of the wrong shape all come back as a Feedback line that says what was expected.
"""
import html
import numbers

import numpy as np


class Feedback:
    """One line of feedback. In a notebook it renders as a coloured line (HTML); elsewhere as text.

    `kind` is "correct", "incorrect", "type" (the answer is not the kind of thing asked for),
    "hint" or "solution"; `correct` is True only for "correct".
    """

    LOOK = {  # colour (readable on white and told apart by the label, not by colour alone), label
        "correct": ("#1b7837", "Correct"),
        "incorrect": ("#b2182b", "Not yet"),
        "type": ("#b35806", "Check the answer's type"),
        "hint": ("#2166ac", "Hint"),
        "solution": ("#542788", "Solution"),
    }

    def __init__(self, kind, message, code=None, label=None):
        if kind not in self.LOOK:
            raise ValueError(f"The 'kind' parameter of Feedback must be one of {sorted(self.LOOK)}. Got {kind!r} instead.")
        self.kind, self.message, self.code = kind, message, code
        self.label = label or self.LOOK[kind][1]

    @property
    def correct(self):
        return self.kind == "correct"

    def __str__(self):
        text = f"{self.label}: {self.message}"
        return text + (f"\n\n{self.code}" if self.code else "")

    __repr__ = __str__

    def _repr_html_(self):
        color = self.LOOK[self.kind][0]
        line = (f'<div style="color:{color}; border-left: 4px solid {color}; padding-left: 8px">'
                f"<strong>{html.escape(self.label)}:</strong> {html.escape(self.message)}</div>")
        if self.code:
            line += f"<pre>{html.escape(self.code)}</pre>"
        return line


class Wrong:
    """A common wrong answer and what it probably means.

    `value` is what that mistake gives (a number, an array, or a function of no arguments that
    computes it; for a FunctionExercise, a function that makes the same mistake). In an array,
    NaN means "any value here", so Wrong([6.2, nan], ...) catches a mistake in the first number alone.
    """

    def __init__(self, value, message):
        self.value, self.message = value, message


class Exercise:
    """An exercise with feedback.

    Subclasses (or a `judge` function) decide; this class turns every failure into words.
    judge(answer) returns a Feedback, or a pair (correct: bool, message: str).
    """

    expects = "an answer"  # what the learner should pass, in words, for the type message

    def __init__(self, title, *, hints=(), solution="", code=None, judge=None):
        self.title = title
        self.hints = list(hints)
        self._solution, self._code, self._judge_fn = solution, code, judge
        self._hints_shown = 0

    def check(self, answer):
        """Right or wrong, and for the usual mistakes, why. Never raises on the learner's answer."""
        try:
            return self._check(answer)
        except (Exception, SystemExit) as error:  # SystemExit: a learner's function that calls sys.exit()
            return Feedback("type", f"{self.title} could not use this answer: {type(error).__name__}: "
                                    f"{_short(error)}. It expects {self.expects}.")

    def _check(self, answer):
        if _placeholder(answer):
            return Feedback("type", f"{self.title} expects {self.expects}. Replace the placeholder "
                                    f"({answer!r}) with your answer.", label="Your turn")
        try:
            answer = self.coerce(answer)
        except (TypeError, ValueError, OverflowError) as error:
            return Feedback("type", f"{self.title} expects {self.expects}. {error}")
        return self.judge(answer)

    def coerce(self, answer):
        """Turn the answer into the form `judge` compares; raise TypeError/ValueError in words."""
        return answer

    def judge(self, answer):
        if self._judge_fn is None:
            raise NotImplementedError("an Exercise needs a judge function or a subclass that defines judge")
        verdict = self._judge_fn(answer)
        if isinstance(verdict, Feedback):
            return verdict
        correct, message = verdict
        return Feedback("correct" if correct else "incorrect", message)

    def hint(self):
        """The next hint (they get more specific); after the last one, the last one again."""
        if not self.hints:
            return Feedback("hint", "No hint for this one: try the solution.")
        text = self.hints[min(self._hints_shown, len(self.hints) - 1)]
        self._hints_shown += 1
        return Feedback("hint", text)

    def solution(self):
        return Feedback("solution", self._solution() if callable(self._solution) else self._solution,
                        code=self._code)

    def __repr__(self):
        return f"{self.title}: answer with .check(...), ask for .hint() or .solution()"


def _short(error, width=200):
    try:
        text = str(error)
    except Exception:  # an exception whose str raises
        text = ""
    return text if len(text) <= width else text[:width - 3] + "..."


def _inputs_copy(x):
    """A copy of a test input, to call the learner's function on (it may write into its input)."""
    import copy

    return copy.deepcopy(x)


def _same_input(a, b):
    """True if the learner's function left its input as it was."""
    try:
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(_same_input(p, q) for p, q in zip(a, b))
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")
        return bool(a == b) or a is b
    except Exception:
        return True  # not comparable: nothing to say about it


def _placeholder(answer):
    """None, ... or a list holding them: the answer cell as the notebook ships it."""
    if isinstance(answer, (list, tuple)):
        return any(_placeholder(item) for item in answer)
    return answer is None or answer is Ellipsis


def _close(a, b, rtol, atol):
    """Within honest rounding: |a − b| ≤ max(atol, rtol·|b|), elementwise; NaN in b matches anything."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    ok = np.abs(a - b) <= np.maximum(atol, rtol * np.abs(b))
    return bool(np.all(ok | np.isnan(b)))


def _resolve(value):
    return value() if callable(value) else value


class NumberExercise(Exercise):
    """The answer is a number, or a few numbers (e.g. one for each n), compared within rounding.

    `expected` is a number or array, or a function of no arguments that computes it (from the
    package's theory, so the answer is never typed in by hand); it is computed once, when first
    needed. A match within max(atol, rtol·|expected|) is right; otherwise the `wrong` list is
    tried in order, then a generic line says how far off the answer is.
    """

    def __init__(self, title, expected, *, rtol=0.03, atol=0.0, wrong=(), names=None, **kw):
        super().__init__(title, **kw)
        self._expected, self.rtol, self.atol, self.wrong = expected, rtol, atol, list(wrong)
        self.names = names  # what each number is, for an array answer ("n = 10", "n = 1000")
        self._cache = None

    @property
    def expected(self):
        if self._cache is None:
            self._cache = np.asarray(_resolve(self._expected), float)
        return self._cache

    @property
    def expects(self):
        if self.expected.ndim == 0:
            return "a number (like 0.5 or 12)"
        return f"{self.expected.size} numbers in a list, [{', '.join(self.names or ['…'] * self.expected.size)}]"

    def coerce(self, answer):
        items = answer if isinstance(answer, (list, tuple, np.ndarray)) else [answer]
        for item in np.ravel(np.asarray(items, dtype=object)):
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
                raise TypeError(f"Got {type(item).__name__} {item!r}, which is not a number.")
        try:
            values = np.asarray(answer, float)
        except OverflowError:
            raise ValueError("Got a number too large for a float (beyond 10³⁰⁸): check the calculation.") from None
        if values.size == self.expected.size == 1:
            values = values.reshape(self.expected.shape)  # [508] for 508: the same answer
        if values.shape != self.expected.shape:
            raise ValueError(f"Got {values.size} number{'s' if values.size != 1 else ''} instead of {self.expected.size}.")
        if not np.all(np.isfinite(values)):
            raise ValueError("Got a NaN or an infinity: something in your calculation divided by zero.")
        return values

    def judge(self, answer):
        if _close(answer, self.expected, self.rtol, self.atol):
            return Feedback("correct", self._praise(answer))
        for mistake in self.wrong:
            if _close(answer, _resolve(mistake.value), self.rtol, self.atol):
                return Feedback("incorrect", mistake.message)
        return Feedback("incorrect", self._how_far(answer))

    def _praise(self, answer):
        return "that is what the theory gives." if self.expected.ndim == 0 else "all of them match the theory."

    def _how_far(self, answer):
        if self.expected.ndim > 0:  # say which numbers are off, not what they should be
            off = [i for i in range(self.expected.size)
                   if not _close(answer.flat[i], self.expected.flat[i], self.rtol, self.atol)]
            names = self.names or [f"number {i + 1}" for i in range(self.expected.size)]
            return f"{', '.join(names[i] for i in off)} {'is' if len(off) == 1 else 'are'} off; the rest are right."
        if np.sign(answer) != np.sign(self.expected) and self.expected != 0:
            return "the sign is wrong."
        ratio = float(answer / self.expected) if self.expected != 0 else np.inf
        if ratio > 1:
            return f"your answer is about {ratio:.2g} times too large."
        return f"your answer is about {1 / ratio:.2g} times too small." if ratio > 0 else "not close yet."


class FunctionExercise(Exercise):
    """The answer is a function; it is called on `inputs` and compared with `reference` there.

    A function that raises is reported with the input that made it fail; a function that makes
    one of the `wrong` mistakes (a Wrong whose value is a function) gets that mistake's message.
    """

    expects = "a function (its name, without brackets)"

    def __init__(self, title, reference, inputs, *, rtol=1e-6, atol=1e-12, wrong=(), argname="x", **kw):
        super().__init__(title, **kw)
        self.reference, self.inputs, self.rtol, self.atol = reference, list(inputs), rtol, atol
        self.wrong, self.argname = list(wrong), argname

    def coerce(self, answer):
        if not callable(answer):
            raise TypeError(f"Got {type(answer).__name__} {answer!r}, which cannot be called. "
                            f"Pass the function itself: check(my_function), not check(my_function({self.argname})).")
        return answer

    def _run(self, fn, x):
        """What fn does at x: ("value", array), ("raise", exception) or ("mutated", None): a function
        that writes into its input would corrupt the cached test values for every later check."""
        given = _inputs_copy(x)
        try:
            value = np.asarray(fn(given), float)
        except (Exception, SystemExit) as error:  # the learner's code: any failure becomes feedback
            return "raise", error
        if not _same_input(given, x):
            return "mutated", None
        return "value", value

    def _same(self, a, b):
        if a[0] != b[0]:
            return False
        if a[0] == "mutated":
            return True
        if a[0] == "raise":
            return type(a[1]) is type(b[1])
        return a[1].shape == b[1].shape and _close(a[1], b[1], self.rtol, self.atol)

    def judge(self, fn):
        try:
            first = fn(_inputs_copy(self.inputs[0]))
        except (Exception, SystemExit):  # reported below, with the input that made it fail
            first = 0
        if first is None or first is Ellipsis:
            return Feedback("type", f"{self.title} expects {self.expects}, and your function returns {first!r}: "
                                    "replace the placeholder with a formula (and `return` it).", label="Your turn")
        runs = [self._run(fn, x) for x in self.inputs]
        wants = [self._run(self.reference, x) for x in self.inputs]
        bad = [i for i, (run, want) in enumerate(zip(runs, wants)) if not self._same(run, want)]
        if not bad:
            return Feedback("correct", f"it agrees with the reference at all {len(self.inputs)} test values.")
        for mistake in self.wrong:  # the same behaviour as a known mistake at every test value
            if all(self._same(run, self._run(mistake.value, x)) for run, x in zip(runs, self.inputs)):
                return Feedback("incorrect", mistake.message)
        x, (kind, got), (_, target) = self.inputs[bad[0]], runs[bad[0]], wants[bad[0]]
        if kind == "raise":
            return Feedback("incorrect", f"for {self.argname} = {x} your function raised {type(got).__name__}: {_short(got)}.")
        if kind == "mutated":
            return Feedback("incorrect", f"your function changed its input {self.argname} in place (for {self.argname} = "
                                         f"{x}). Compute a new value instead, e.g. `{self.argname} * 2`, not "
                                         f"`{self.argname} *= 2`.")
        return Feedback("incorrect", f"for {self.argname} = {x} your function gives {np.round(got, 4)}, "
                                     f"but it should give {np.round(target, 4)}.")
