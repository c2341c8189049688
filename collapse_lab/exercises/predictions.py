"""Predict first, then look: a guess recorded before the answer is on the screen.

    p1 = predict("After 200 generations the median σ is…", number=(0, 2))   # a slider
    p2 = predict("The 3σ tail left is…", ["about two thirds", "about a half", "a tenth or less"])
    ... the cell that measures it ...
    reveal(p1, median_sigma[-1])                # your guess beside the measured value (right within 25%)
    reveal(p1, median_sigma[-1], band=(0, 0.8))  # or judged at the point taught: "clearly below 1"
    reveal(p2, f"{share:.1%}", answer="a tenth or less")

A slider records when it is moved, and its "Lock in my guess" button (Tab to it, then Enter or
Space) records its value as it stands: the naive guess is often the slider's starting value.
Without widgets (a plain Python shell, or a front end that cannot show them) `predict` prints the
choices; record the guess with `predict(..., guess="about a half")` or `p2.record("about a half")`.
"""
import html

import numpy as np

from ..engine.checks import Interval, ListOf, validate_args
from .core import Feedback, _shown

PREDICTIONS = {}  # question -> Prediction: every guess of this session, in the order made


def _widgets():
    """ipywidgets when a kernel can show them; None in a plain Python shell."""
    try:
        from IPython import get_ipython
        import ipywidgets
    except ImportError:
        return None
    shell = get_ipython()
    return ipywidgets if shell is not None and getattr(shell, "kernel", None) is not None else None


def _show(obj):
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(obj)
    else:
        print(obj)


class Prediction:
    """One recorded guess: a choice among `options`, or a number in `number` = (low, high)."""

    def __init__(self, question, options=None, number=None):
        if (options is None) == (number is None):
            raise ValueError("The 'options' and 'number' parameters of predict: give exactly one of them "
                             "(a list of choices, or a (low, high) range for a number).")
        self.question, self.options = question, list(options) if options is not None else None
        self.number = tuple(float(v) for v in number) if number is not None else None
        self.guess = None

    def record(self, guess):
        """Record the guess (what the widget does when you choose)."""
        try:
            if self.options is not None and guess not in self.options:
                raise ValueError(f"The guess must be one of {self.options}.")
            if self.number is not None:
                guess = float(guess)
                if not np.isfinite(guess):
                    raise ValueError("The guess must be a finite number.")
        except (Exception, SystemExit) as error:  # a learner's guess never raises: it says what was expected
            return Feedback("type", f"{error} Got {_shown(guess)} instead; nothing was recorded.",
                            label="Check the guess")
        self.guess = guess
        return self

    def _repr_html_(self):
        return f"<p><strong>Predict first:</strong> {html.escape(self.question)}</p>"

    def __repr__(self):
        if self.guess is not None:
            return f"Predict first: {self.question} (your guess: {self.guess})"
        if self.options is not None:
            choices = ", ".join(repr(o) for o in self.options)
            return f"Predict first: {self.question}\n  choices: {choices}\n  record yours: .record(<choice>)"
        return f"Predict first: {self.question}\n  a number from {self.number[0]:g} to {self.number[1]:g}; record yours: .record(<number>)"

    def widget(self, ipywidgets):
        """A row of buttons, or a slider with a "Lock in my guess" button; choosing records the guess.

        The button records the slider's value even if it was never moved (review 00-04, gap 4: the
        slider starts where the naive guess is, and a change-only slider could not record it). A
        button is a real <button>: Tab reaches it, Enter or Space presses it.
        """
        if self.options is not None:
            control = ipywidgets.ToggleButtons(options=self.options, value=None,
                                               style={"button_width": "auto"})
            control.observe(lambda change: self.record(change["new"]) if change["new"] is not None else None, "value")
            return control
        low, high = self.number
        slider = ipywidgets.FloatSlider(value=(low + high) / 2, min=low, max=high, step=(high - low) / 100,
                                        description="your guess", continuous_update=False,
                                        style={"description_width": "initial"})
        lock = ipywidgets.Button(description="Lock in my guess", tooltip="Record the slider's value as your guess",
                                 icon="lock", layout=ipywidgets.Layout(width="auto"))
        status = ipywidgets.Label("")

        def locked(value):
            self.record(value)
            status.value = f"Recorded: {value:.3g}"
            lock.description = "Guess recorded"

        slider.observe(lambda change: locked(change["new"]), "value")
        lock.on_click(lambda _: locked(slider.value))
        box = ipywidgets.HBox([slider, lock, status])
        box.slider, box.lock = slider, lock  # for tests and for a notebook that wants to set them
        return box


@validate_args({"question": [str], "options": [None, ListOf(str, min_len=2, what="None or a list of at least two "
                                                                       "choices (str)")],
                "number": [None, ListOf(Interval(float), min_len=2, max_len=2,
                                        what="None or a (low, high) range of finite numbers")]})
def predict(question, options=None, *, number=None, guess=None):
    """Ask for a prediction and record it: buttons for `options`, a slider for `number` = (low, high).

    With `guess` the prediction is recorded at once and nothing interactive is shown.
    Returns the Prediction; pass it to `reveal` after the cell that measures the answer.
    """
    if number is not None and not number[0] < number[1]:
        raise ValueError(f"The 'number' parameter of predict must be a (low, high) range with low below high. "
                         f"Got {_shown(number)} instead.")
    prediction = Prediction(question, options, number)
    PREDICTIONS[question] = prediction
    if guess is not None:
        prediction.record(guess)
        _show(prediction)
        return prediction
    ipywidgets = _widgets()
    _show(prediction)  # the question, as text: it stays readable in the saved page
    if ipywidgets is not None:
        _show(prediction.widget(ipywidgets))
    return prediction


def reveal(prediction, measured, *, answer=None, tolerance=0.25, band=None, theory=None):
    """Show the measured answer beside the recorded guess.

    `prediction` is what `predict` returned (or its question). `measured` is the value or the text
    to show. For choices, `answer` is the right choice (compute it from the measurement). A number
    is judged at the resolution of the point being taught, not at the measurement's last digit:
    inside `band` = (low, high) when given (e.g. (0, 0.8) for "clearly below 1", or theory's 10-90%
    band); otherwise within `tolerance` × the measured value (25% by default: a median of a few
    hundred runs is itself uncertain by about ±10%), or of `theory`'s value, so that the
    theoretical answer is never "a surprise" (review 00-04, gap 4: NB01's 0.36 against 0.41).
    """
    if isinstance(prediction, str):
        if prediction not in PREDICTIONS:
            raise ValueError(f"No prediction was recorded for {prediction!r}: run the cell with predict(...) first.")
        prediction = PREDICTIONS[prediction]
    shown = f"{measured:.3g}" if isinstance(measured, float) else str(measured)
    if prediction.guess is None:
        return Feedback("hint", f"{shown}. (No guess was recorded: choose one before running the cell that measures it.)",
                        label="Measured")
    if prediction.number is not None:
        guess = prediction.guess
        if band is not None:
            low, high = band
            right = low <= guess <= high
            rule = f"anything from {low:g} to {high:g} makes the point"
        else:
            targets = [float(measured)] + ([float(theory)] if theory is not None else [])
            right = any(abs(guess - t) <= tolerance * abs(t) for t in targets)
            rule = f"a guess within {tolerance:.0%} of the measurement{' or of theory' if theory is not None else ''} holds"
        line = f"you guessed {guess:.3g}; measured: {shown}" + (f", theory: {float(theory):.3g}" if theory is not None else "") + f" ({rule})."
    elif answer is None:
        return Feedback("hint", f"you guessed {prediction.guess!r}; measured: {shown}.", label="Your prediction")
    else:
        right = prediction.guess == answer
        line = f"you guessed {prediction.guess!r}; measured: {shown}, so the answer is {answer!r}."
    if right:
        return Feedback("correct", line, label="Your prediction held")
    return Feedback("incorrect", line + " Read on for why.", label="A surprise")
