"""Explorers: controls wired to an experiment and a figure, with Run, Stop and Reset.

- `explorer`: the generic `Explorer` (run/stop/reset/show/say), nothing lesson- or gate-specific
- `painter`:  the figure made into a PNG fast, redrawing only what moved (`Painter`, `steady`, `wipe`)
- `tips`:     a "Try this" line as a promise (`Tip`), and `try_tip`, which follows one as a learner would
- `controls`: the control factories, the loop's controls, `GateControl`, and `in_words`

`painter` and `controls` never import `explorer`. The lessons' explorers (dashboards.gaussian(),
...) build controls and hooks and hand them to `Explorer`.
"""
from .controls import (CONTROL_WIDTH, DESCRIPTION, LANGUAGE_LIMITS, STRENGTH, TOY_LIMITS, ControlGroup, GateControl,
                       dropdown, float_slider, gate_spec, in_words, int_box, int_slider, loop_controls, real_source,
                       strength_slider, text_box, toggle, training_set)
from .explorer import (EXPLORER_ARGS, RESULTS_KEPT, SHOW_BUSY_AFTER, SYNC_TIME_LIMIT, Explorer, check_arguments,
                       in_kernel, synchronous)
from .tips import Seen, Tip, try_tip
from .painter import (DPI, EXPLORER_STYLE, FRAMES_KEPT, MARGINS, Painter, Picture, all_axes, canvas_png, frame_of,
                      moving_parts, png, steady, wipe)

__all__ = ["Tip", "Seen", "try_tip", "Explorer", "check_arguments", "EXPLORER_ARGS", "in_kernel", "synchronous", "RESULTS_KEPT", "SHOW_BUSY_AFTER", "SYNC_TIME_LIMIT",
           "ControlGroup", "GateControl", "gate_spec", "strength_slider", "STRENGTH", "in_words",
           "float_slider", "int_slider", "int_box", "text_box", "dropdown", "toggle", "training_set", "real_source",
           "loop_controls", "TOY_LIMITS", "LANGUAGE_LIMITS", "CONTROL_WIDTH", "DESCRIPTION",
           "Painter", "Picture", "frame_of", "moving_parts", "steady", "wipe", "png", "canvas_png", "all_axes",
           "DPI", "EXPLORER_STYLE", "FRAMES_KEPT", "MARGINS"]
