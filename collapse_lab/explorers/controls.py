"""The explorers' controls: one small factory per kind, so every explorer labels the same thing the same way.

- widgets: `float_slider`, `int_slider`, `int_box` (a `NumberBox`), `text_box`, `dropdown`, `toggle`
- the loop's settings: `loop_controls` (real data, training set, samples, generations,
  temperature, seeds, seed), `training_set`, `real_source`
- `GateControl`: the gate dropdown and its strength slider, in the chosen gate's units
- `in_words`: an error message said with the names a learner sees

An explorer takes a dict name → widget; a `ControlGroup` (such as `GateControl`) stands for
several named widgets that act together. Nothing here imports the Explorer.
"""
import contextlib
import html
import re

import ipywidgets as widgets
import traitlets

DESCRIPTION = {"description_width": "120px"}   # wide enough for "each generation", "real fractions" in DejaVu Sans
# the controls' column fits the 368 px a notebook has in an 800 px window with JupyterLab's file browser open
CONTROL_WIDTH = "350px"
# two buttons and a label in one control's width; 100 px holds "accumulate" in DejaVu Sans, the widest of
# the fonts a learner's machine falls back to (a bare Debian has no other; tests/test_browser.py FONTS)
BUTTONS = {**DESCRIPTION, "button_width": "100px"}

# Upper bounds of the number boxes: one generation at the largest setting takes well under half a
# second, so Stop answers within that, and a run stays inside the resource guard's default budget
# (collapse_lab/guard.py; simulate calls guard.check and the explorer shows its refusal in words).
TOY_LIMITS = dict(samples=100_000, generations=1000)
LANGUAGE_LIMITS = dict(samples=20_000, generations=100)


# ---------------------------------------------------------------------------------------------
# widgets, one factory per kind
# ---------------------------------------------------------------------------------------------

def float_slider(value, low, high, step, description, fmt=".2f", tooltip=""):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=fmt, style=DESCRIPTION,
                               tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


def int_slider(value, low, high, description, tooltip=""):
    return widgets.IntSlider(value=value, min=low, max=high, description=description, continuous_update=False,
                             style=DESCRIPTION, tooltip=tooltip, layout=widgets.Layout(width=CONTROL_WIDTH))


def int_box(value, low, high, description, tooltip=""):
    """A whole-number box that says what it did with what was typed (a NumberBox)."""
    return NumberBox(value, low, high, description, tooltip)


class NumberBox(widgets.VBox):
    """A box for a whole number that reads what a learner types, and says what it did with it.

    The browser's own number box rewrote typed values without a word: "1e6" became 16 (it drops
    the "e"), "2.5" became 25, 99999999 became the maximum. This one is a text box read here:
    "1e6", "1,000" and "2000" are read; a value outside [min, max] is set to the nearest end, and a
    line under the box says so; "2.5" (not a whole number), "20%" (a share, not a count) and words
    are refused with a line saying why, and the box keeps its value. `.value` is the number (an
    int, as the explorer reads it); setting it from code shows it in the box.
    """
    value = traitlets.Int()                      # Python-side traits: the explorer reads and observes them
    min = traitlets.Int()
    max = traitlets.Int()
    description = traitlets.Unicode()
    disabled = traitlets.Bool(False)

    def __init__(self, value, low, high, description, tooltip=""):
        self.text = widgets.Text(value=f"{value}", description=description, continuous_update=False,
                                 style=DESCRIPTION, tooltip=f"{tooltip} ({low:,} to {high:,})",
                                 layout=widgets.Layout(width="250px"))
        self.note = widgets.HTML(layout=widgets.Layout(width=CONTROL_WIDTH, display="none"))
        super().__init__([self.text, self.note])
        self.min, self.max, self.description = low, high, description
        self.value = value
        self._typing = False
        self.text.observe(self._typed, names="value")
        self.observe(lambda change: self._show(), names="value")
        self.observe(lambda change: setattr(self.text, "disabled", change["new"]), names="disabled")
        self.observe(lambda change: setattr(self.text, "description", change["new"]), names="description")

    @traitlets.validate("value")
    def _in_range(self, proposal):
        # from code as from the keyboard: never outside the box's range (the explorer checks its
        # own keyword arguments before they get here, and refuses them in words)
        return min(max(int(proposal["value"]), self.min), self.max) if self.max >= self.min else proposal["value"]

    def _show(self):
        if not self._typing:                     # set from code (or Reset): show it, and drop an old note
            self._say("")
            with self._quiet():
                self.text.value = f"{self.value}"

    @contextlib.contextmanager
    def _quiet(self):
        self._typing = True
        try:
            yield
        finally:
            self._typing = False

    def _say(self, text):
        self.note.value = f"<small style='color:#555'>{html.escape(text)}</small>" if text else ""
        self.note.layout.display = "" if text else "none"

    def _typed(self, change):
        if self._typing:
            return
        typed = change["new"].strip()
        number, why = read_whole_number(typed)
        with self._quiet():
            if why:
                self._say(f"{self.description}: {why} Kept {self.value:,}.")
                self.text.value = f"{self.value}"
                return
            kept = min(max(number, self.min), self.max)
            if kept != number:
                end = "largest" if number > self.max else "smallest"
                self._say(f"{self.description}: {typed} is beyond the {end} value this box takes, "
                          f"{kept:,}: set to {kept:,} ({self.min:,} to {self.max:,}).")
            else:
                self._say("")
            self.text.value = f"{kept}"
            self.value = kept                    # the explorer hears this and reruns


def read_whole_number(typed):
    """(the whole number in `typed`, "") or (None, why not, in words): '1e6' → 1000000, '1,000' → 1000."""
    plain = typed.replace(",", "").replace("_", "").replace(" ", "")
    if plain.endswith("%"):
        return None, f"'{typed}' is a share; this box counts, so type a whole number."
    try:
        number = float(plain)
    except ValueError:
        return None, f"'{typed}' is not a number."
    if not number == number or abs(number) == float("inf"):
        return None, f"'{typed}' is not a number."
    if number != int(number):
        return None, f"{typed} is not a whole number."
    return int(number), ""


def text_box(value, description, tooltip):
    return widgets.Text(value=value, description=description, tooltip=tooltip, continuous_update=False,
                        style=DESCRIPTION, layout=widgets.Layout(width=CONTROL_WIDTH))


def dropdown(options, value, description):
    return widgets.Dropdown(options=options, value=value, description=description, style=DESCRIPTION,
                            layout=widgets.Layout(width=CONTROL_WIDTH))


def toggle(options, value, description, tooltips):
    """Two choices as buttons; the label and both buttons fit in one control's width, so the label
    does not wrap above them."""
    buttons = widgets.ToggleButtons(options=options, value=value, description=description, style=BUTTONS,
                                    # display flex: ipywidgets draws this row as a block, which put the label on
                                    # a line of its own above the buttons
                                    tooltips=tooltips, layout=widgets.Layout(width=CONTROL_WIDTH, display="flex",
                                                                             flex_flow="row nowrap", align_items="center"))
    buttons.add_class("widget-inline-hbox")   # ipywidgets' own class for a labelled row: the label aligns right, as above
    return buttons


# ---------------------------------------------------------------------------------------------
# the loop's settings
# ---------------------------------------------------------------------------------------------

# simulate's `mode`, and how a learner reads it (Kazdan et al. 2024 name the three)
TRAINING_SETS = {"replace": ("replace (newest only)", "train on the newest generation only"),
                 "accumulate": ("accumulate (all so far)", "keep all data so far"),
                 "accumulate-subsample": ("accumulate-subsample", "all data so far, subsampled to one set's size")}


def training_set(modes=("replace", "accumulate"), spelled_out=False):
    """The loop's training set (simulate's `mode`): two modes as buttons, three in a dropdown (three
    buttons would not fit the controls' column). spelled_out: say in each option what it keeps."""
    if len(modes) == 2:   # "accumulate" sets the buttons' width
        return toggle(list(modes), modes[0], "training set", [TRAINING_SETS[m][1] for m in modes])
    options = [(TRAINING_SETS[m][0], m) for m in modes] if spelled_out else list(modes)
    return dropdown(options, modes[0], "training set")


def real_source(buttons=False):
    """Where the real share comes from: fresh draws every generation, or one fixed set reused
    (Alemohammad et al., ICLR 2024). buttons: two short buttons rather than a spelled-out dropdown."""
    if buttons:
        return toggle(["fresh", "fixed"], "fresh", "real source",
                      ["new real data every generation", "one real set, reused every generation"])
    return dropdown([("fresh every generation", "fresh"), ("one fixed set, reused", "fixed")], "fresh", "real source")


def loop_controls(samples, generations, seeds, max_seeds=100, limits=TOY_LIMITS):
    """The loop's own settings, which every explorer has (their values are the explorer's defaults)."""
    return {
        "real_fraction": float_slider(0.0, 0.0, 1.0, 0.05, "real data",
                                      tooltip="share of each training set that is fresh real data"),
        "mode": training_set(),
        "samples": int_box(samples, 2, limits["samples"], "samples / gen", "training samples per generation"),
        "generations": int_box(generations, 1, limits["generations"], "generations",
                               "generations after generation 0"),
        "temperature": float_slider(1.0, 0.5, 1.5, 0.05, "temperature", tooltip="below 1 favours likely samples"),
        "seeds": int_slider(seeds, 1, max_seeds, "seeds", "independent runs side by side"),
        "seed": int_box(0, 0, 2**31 - 1, "seed", "the same seed gives the same numbers"),
    }


# ---------------------------------------------------------------------------------------------
# control groups: several widgets that act as one control
# ---------------------------------------------------------------------------------------------

class ControlGroup:
    """Several named widgets that act together, placed in an explorer's controls as one entry.

    The explorer lays out `.widgets` (name → widget, in order) in the entry's place and reads
    each widget's value under its own name. A group may put a new widget in one's place: it
    calls the function the explorer gave to `attach(swap)`, as swap(name, old, new).
    """

    def __init__(self, named):
        self.widgets = dict(named)
        self._swap = None

    def attach(self, swap):
        self._swap = swap

    def _replace(self, name, new):
        old = self.widgets[name]
        self.widgets[name] = new
        if self._swap is not None:
            self._swap(name, old, new)   # the explorer rewires and closes the old one
        else:
            old.close()


# how the gate strength slider reads for each gate: (description, min, max, step, default)
STRENGTH = {
    "top": ("keep top q", 0.5, 1.0, 0.05, 0.9),
    "clip": ("clip at k σ", 1.0, 4.0, 0.25, 2.5),
}


def strength_slider(kind, value=None):
    """The gate strength slider in the gate's own units (q for top, k for clip); off for other gates."""
    if kind not in STRENGTH:
        # no stale number beside a slider that does nothing
        return widgets.FloatSlider(value=0.9, min=0.5, max=1.0, step=0.05, description="gate strength",
                                   disabled=True, readout=False, continuous_update=False, style=DESCRIPTION,
                                   tooltip="how hard the gate filters (choose a gate first)",
                                   layout=widgets.Layout(width=CONTROL_WIDTH))
    text, low, high, step, default = STRENGTH[kind]
    value = default if value is None else min(max(value, low), high)
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=text, continuous_update=False,
                               readout_format=".2f", style=DESCRIPTION, tooltip="how hard the gate filters",
                               layout=widgets.Layout(width=CONTROL_WIDTH))


def gate_spec(kind, strength):
    """The gate spec gates.parse reads, from the gate dropdown's choice and the strength slider."""
    return f"{kind}:{strength:g}" if kind in STRENGTH else kind


class GateControl(ControlGroup):
    """The gate dropdown ("gate") and its strength slider ("strength"), in the chosen gate's units.

        controls["gate"] = GateControl([("none", "none"), ("top likelihood", "top")])
        ...
        gate = gates.parse(gate_spec(values["gate"], values["strength"]), world)

    Choosing a gate puts a new strength slider, in that gate's units (q for top, k for clip), in
    the old one's place; gates without a strength get a disabled one. A new slider rather than a
    new range on the old one: the browser's slider keeps the range it was built with for its End
    and Home keys, so End went to the old maximum (clamped to the new minimum) after a gate change.
    """

    def __init__(self, options, value="none"):
        gate = dropdown(options, value, "gate")
        super().__init__({"gate": gate, "strength": strength_slider(value)})
        # observed before the explorer observes it, so the strength reads right before a gate
        # change reruns anything
        gate.observe(lambda change: self._replace("strength", strength_slider(change["new"])), names="value")


# ---------------------------------------------------------------------------------------------
# errors in a learner's words
# ---------------------------------------------------------------------------------------------

# the gates' own parameters, as a learner types them in a gate spec
GATE_PARTS = {("TopLikelihood", "q"): "Q in top:Q", ("ClipOutliers", "k"): "K in clip:K",
              ("CapCopies", "k"): "K in cap:K"}
PLAIN = [  # the checks' wording, said for a learner rather than a programmer
    (r"None, a non-negative int or a numpy Generator", "a whole number, 0 or more"),
    (r"an int in the range \[(\d+), inf\)", r"a whole number, \1 or more"),
    (r"a float in the range \[([\d.]+), ([\d.]+)\]", r"a number from \1 to \2"),
    (r"a float in the range \(([\d.]+), ([\d.]+)\]", r"a number above \1, at most \2"),
    (r"a float in the range \(([\d.]+), inf\)", r"a number above \1"),
]


def in_words(text, labels):
    """An error message with the code's names replaced by what a learner sees.

    labels : control name → its label ("samples" → "samples / gen"). "The 'samples' parameter of
    simulate must be an int in the range [2, inf)" becomes "The 'samples / gen' box must be a whole
    number, 2 or more"; "The 'q' parameter of TopLikelihood ..." becomes "The gate's Q in top:Q ...".
    """
    def name(match):
        param, owner = match.group(1), match.group(2)
        if (owner, param) in GATE_PARTS:
            return f"The gate's {GATE_PARTS[owner, param]}"
        if param in labels:
            return f"The '{labels[param]}' setting"
        return f"The '{param}' setting"

    text = re.sub(r"The '(\w+)' parameter of ([\w.]+)", name, str(text))
    text = re.sub(r"The '(\w+)' parameter\b", lambda m: f"The '{labels.get(m.group(1), m.group(1))}' setting", text)
    for pattern, plain in PLAIN:
        text = re.sub(pattern, plain, text)
    return text
