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

    def __init__(self, value, message, rtol=None):
        self.value, self.message = value, message
        self.rtol = rtol  # None: the exercise's own tolerance; narrower for a mistake close to the right answer


class OtherRun:
    """The answer the same measurement gives with other settings a learner may well have used
    (the notebook's own `seeds`, another seed): recognised, so the learner is told which settings
    their run differs in instead of only "not yet". `value` as for Wrong; `setting` names the run
    as it reads after "that is what ... gives" ("a run with seed=1", "seed 2's model")."""

    def __init__(self, value, setting):
        self.value, self.setting = value, setting


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

    def check(self, answer, *, run=None):
        """Right or wrong, and for the usual mistakes, why. Never raises on the learner's answer.

        `run`, optional, is the History the answer was read from: its settings are compared with the
        reference run's, and any difference is named ("your run has seeds=4; the reference uses seeds=2").
        """
        try:
            feedback = self._check(answer)
        except (Exception, SystemExit) as error:  # SystemExit: a learner's function that calls sys.exit()
            return Feedback("type", f"{self.title} could not use this answer: {type(error).__name__}: "
                                    f"{_short(error)}. It expects {self.expects}.")
        differences = self._differences(run)
        if differences and feedback.kind in ("correct", "incorrect"):
            feedback.message += (f" Your run has {differences}"
                                 + (": within the noise of another seed set, so it still counts." if feedback.correct
                                    else ": run it with the reference's settings and check again."))
        return feedback

    # the settings a learner may change and the answer depends on (History.config's names)
    SETTINGS = ("samples", "seeds", "seed", "generations", "mode", "temperature", "real_fraction", "real_source",
                "model", "student", "gate", "fine_tune", "distill", "teacher_samples", "filter")

    def _differences(self, run):
        """The learner's run's settings that differ from the reference run's, in words (or "")."""
        reference = getattr(self, "reference_run", None)
        config = getattr(run, "config", run)
        if run is None or reference is None or not isinstance(config, dict):
            return ""
        reference = _resolve(reference)
        reference = getattr(reference, "config", reference)
        names = [n for n in self.SETTINGS if n in config and n in reference and config[n] != reference[n]]
        if not names:
            return ""
        yours = ", ".join(f"{n}={config[n]}" for n in names)
        theirs = ", ".join(f"{n}={reference[n]}" for n in names)
        return f"{yours}; the reference uses {theirs}"

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


def _shown(value, width=60):
    """A learner's value as they would write it, short: 2.52 (not np.float64(2.5179...)), arrays abridged."""
    try:
        if isinstance(value, (numbers.Real, np.ndarray)) and not isinstance(value, (bool, np.bool_)):
            text = np.array2string(np.asarray(value), precision=4, threshold=6, separator=", ")
            if np.ndim(value):
                text = f"an array of shape {np.shape(value)}: {text}"
        else:
            text = repr(value)
    except Exception:  # a value whose repr raises
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def _placeholder(answer):
    """None, ... or a list holding them: the answer cell as the notebook ships it."""
    if isinstance(answer, (list, tuple)):
        return any(_placeholder(item) for item in answer)
    return answer is None or answer is Ellipsis


def _close(a, b, rtol, atol):
    """Within tolerance: |a − b| ≤ max(atol, rtol·|b|), elementwise (rtol may be one per number);
    NaN in b matches anything."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    ok = np.abs(a - b) <= np.maximum(atol, np.asarray(rtol, float) * np.abs(b))
    return bool(np.all(ok | np.isnan(b)))


def _resolve(value):
    return value() if callable(value) else value


# what the right answer is, in the words of the praise: the learner should know whether they matched
# a closed-form result or a seeded measurement (review lessons-00-04 gap 6)
PRAISE = {"theory": "what the theory gives", "run": "what your run gives", "calculation": "what the calculation gives"}
NEAR = 0.2         # closer than this (relative) a miss is told as a percentage, "about 12% too small"
PERCENT_BAND = 0.15  # an answer within 15% of 100× (or 1/100 of) the right one is read as a percentage mix-up


def _number(x):
    """A number as a learner reads it: 0.734, 1384, 2.5e-05 (never np.float64(...))."""
    return f"{float(x):.3g}"


def _far(answer, expected):
    """How far one number is from the right one, in words: direction and size, never "about 1 times"."""
    if expected == 0:
        return "is not close yet (the answer is 0)"
    if np.sign(answer) != np.sign(expected):
        close = abs(abs(answer) / abs(expected) - 1) <= NEAR
        return "has the right size but the wrong sign" if close else "has the wrong sign"
    ratio = float(answer / expected)
    if abs(ratio / 100 - 1) <= PERCENT_BAND:
        return "is about 100 times too large: is it a percentage? Give it as a share (divide by 100)"
    if abs(ratio * 100 - 1) <= PERCENT_BAND:
        return "is about 100 times too small: is it a share where the question asks for a percentage (×100)?"
    if abs(ratio - 1) < NEAR:
        size = f"about {abs(ratio - 1):.0%}" if abs(ratio - 1) >= 0.005 else "less than 1%"
        return f"is {size} too {'large' if ratio > 1 else 'small'}"
    if ratio > 1:
        return f"is about {ratio:.2g} times too large" if ratio < 100 else f"is about {ratio:,.0f} times too large"
    return f"is about {1 / ratio:.2g} times too small" if ratio > 1e-2 else f"is about {1 / ratio:,.0f} times too small"


class NumberExercise(Exercise):
    """The answer is a number, or a few numbers (e.g. one for each n), compared within a tolerance.

    `expected` is a number or array, or a function of no arguments that computes it (from the
    package's theory or from a seeded run, so the answer is never typed in by hand); it is computed
    once, when first needed. A match within max(atol, rtol·|expected|) is right; otherwise the
    `wrong` list is tried in order, then the `others` (OtherRun: the same measurement at other
    settings), then a generic line says how far off each number is.

    `reference_run` is the History the answer comes from (or a function returning it): a learner
    who passes their own run, check(answer, run=my_history), is told which settings differ.
    `source` says what the right answer is: "theory" (a closed form), "run" (a seeded measurement:
    then rtol should be the quantity's run-to-run noise, measured in benchmarks/exercise_noise.py,
    and `setting` names the reference run's settings, e.g. "seeds=2, seed=0") or "calculation"
    (a formula or a count). The praise says which.
    """

    def __init__(self, title, expected, *, rtol=0.03, atol=0.0, wrong=(), names=None, source="calculation",
                 setting=None, others=(), reference_run=None, **kw):
        super().__init__(title, **kw)
        if source not in PRAISE:
            raise ValueError(f"The 'source' parameter of NumberExercise must be one of {sorted(PRAISE)}. "
                             f"Got {source!r} instead.")
        self._expected, self.rtol, self.atol, self.wrong = expected, rtol, atol, list(wrong)
        self.names = names  # what each number is, for an array answer ("n = 10", "n = 1000")
        self.source, self.setting, self.others = source, setting, list(others)
        # the reference History (or a function of no arguments that returns it, or its settings as a dict)
        self.reference_run = reference_run
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
                raise TypeError(f"Got {type(item).__name__} {_shown(item)}, which is not a number.")
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
        other = self._other_setting(answer)
        if _close(answer, self.expected, self.rtol, self.atol):
            if other:  # a known other setting, inside the noise: name it instead of the generic note
                return Feedback("correct", f"{self._praise(answer, note=False)} Your number is what {other} gives; "
                                           f"{self._reference()}, the same within the run-to-run noise.")
            return Feedback("correct", self._praise(answer))
        for mistake in self.wrong:
            if _close(answer, _resolve(mistake.value), self.rtol if mistake.rtol is None else mistake.rtol, self.atol):
                return Feedback("incorrect", mistake.message)
        if other:
            return Feedback("incorrect", f"that is what {other} gives; {self._reference()}. "
                                         "Use the reference's settings and check again.")
        return Feedback("incorrect", self._how_far(answer))

    def _reference(self):
        shown = ", ".join(_number(v) for v in self.expected.flat)
        return f"the reference run uses {self.setting} and gives {shown}"

    def _other_setting(self, answer):
        """The setting of an OtherRun this answer matches (to rounding, 1%), unless it is the reference itself."""
        if _close(answer, self.expected, 0.01, self.atol):
            return None
        matches = []  # (distance, setting): the closest one wins when two settings give nearly the same number
        for run in self.others:
            value = np.asarray(_resolve(run.value), float)
            if _close(answer, value, 0.01, self.atol):
                matches.append((float(np.max(np.abs(answer - value) / np.maximum(np.abs(value), 1e-12))), run.setting))
        return min(matches)[1] if matches else None

    def _praise(self, answer, note=True):
        what = PRAISE[self.source]
        count = "both" if self.expected.size == 2 else f"all {self.expected.size}"
        line = f"that is {what}." if self.expected.ndim == 0 else f"{count} match {what}."
        if note and self.source == "run" and self.setting and not _close(answer, self.expected, 0.01, self.atol):
            # inside the run-to-run noise but not this run's number: say so, so the learner is not puzzled later
            line += (f" It differs from the reference run ({self.setting}: {', '.join(_number(v) for v in self.expected.flat)}) "
                     f"by no more than another seed set would.")
        return line

    def _how_far(self, answer):
        hint = f" (The reference run uses {self.setting}: other settings give other numbers.)" if self.setting else ""
        if self.expected.ndim == 0:
            far = _far(float(answer), float(self.expected))
            return f"your answer {far}." + ("" if "percentage" in far else hint)
        names = self.names or [f"number {i + 1}" for i in range(self.expected.size)]
        off = [i for i in range(self.expected.size)
               if not _close(answer.flat[i], self.expected.flat[i], self.rtol, self.atol)]
        ratios = [answer.flat[i] / self.expected.flat[i] for i in off if self.expected.flat[i] != 0]
        if len(ratios) == len(off) > 1 and all(abs(r / 100 - 1) <= PERCENT_BAND for r in ratios):
            return "those look like percentages: give them as shares between 0 and 1 (divide by 100)."
        told = "; ".join(f"{names[i]} {_far(answer.flat[i], self.expected.flat[i])}" for i in off)
        if len(off) == self.expected.size:  # never "the rest are right" when nothing is
            return f"{'both' if len(off) == 2 else 'all'} are off: {told}.{hint}"
        right = [names[i] for i in range(self.expected.size) if i not in off]
        return f"{told}; {', '.join(right)} {'is' if len(right) == 1 else 'are'} right.{hint}"


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
            raise TypeError(f"Got {type(answer).__name__} {_shown(answer)}, which cannot be called. "
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
        if got.shape != target.shape and got.size == target.size:  # [0.76] for 0.76: right number, wrong wrapping
            return Feedback("incorrect", f"for {self.argname} = {x} your function gives {_shown(got)}; return a "
                                         f"{'number' if target.ndim == 0 else f'shape {target.shape}'}, not "
                                         f"{'a list or array' if target.ndim == 0 else f'shape {got.shape}'}.")
        return Feedback("incorrect", f"for {self.argname} = {x} your function gives {_shown(got)}, "
                                     f"but it should give {_shown(target)}.")
