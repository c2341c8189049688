"""The explorers' shortcut drawing (explorer.Painter) draws what matplotlib draws, and the page
hears of a run only when it lasts.

The painter pastes back pictures of frames it drew before and draws only the moving parts on
them. These tests compare its PNG, pixel by pixel, with matplotlib's own full draw of the same
figure, after changes that reuse a frame and after changes that need a new one.
"""
import base64
import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import ipywidgets as widgets

from collapse_lab import Gaussian, GaussianModel, dashboards, plots, simulate
from collapse_lab.explorers import explorer as explorer_module
from collapse_lab.explorers import EXPLORER_STYLE, Explorer
from collapse_lab.explorers.painter import Glyphs, encode_png

# Pixels that may differ by more than 8 levels in a channel from a full draw: antialiased edges
# where a spine or a tick meets a pasted picture can round differently (3 of 250,000 seen).
ALLOWED = 1e-4


def shown(explorer):
    """The image the explorer last put in its Output, as an (h, w, 3) int array."""
    data = base64.b64decode(explorer.output.outputs[0]["data"]["image/png"])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), int)


def full_draw(explorer):
    """The same figure drawn by matplotlib alone, the straightforward way: on a canvas of its own,
    so no text bitmap the painter kept (painter.Glyphs) is used."""
    canvas = FigureCanvasAgg(explorer.figure)
    try:
        with mpl.rc_context({**plots.STYLE, **EXPLORER_STYLE}):
            canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    finally:
        explorer.figure.set_canvas(explorer.painter.canvas)


def differing(a, b):
    return float((np.abs(a - b).max(axis=-1) > 8).mean())


TOYS = {
    "gaussian": (lambda: dashboards.gaussian(), "real_fraction", [0.1, 0.0, 0.1, 0.3]),
    "words": (lambda: dashboards.words(), "real_fraction", [0.1, 0.0, 0.1, 0.3]),
    "mixture": (lambda: dashboards.mixture(), "minority", [0.2, 0.1, 0.2, 0.3]),
    "distillation": (lambda: dashboards.distillation(samples=300, seeds=1, generations=3), "real_fraction",
                     [0.1, 0.0, 0.1, 0.3]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", TOYS)
def test_the_painter_draws_what_matplotlib_draws(name):
    build, control, values = TOYS[name]
    explorer = build()
    for value in values:                 # new frames, then a frame seen before (back and forth)
        explorer.controls[control].value = value
        assert explorer.message.value == ""
        assert differing(shown(explorer), full_draw(explorer)) <= ALLOWED, (name, control, value)
    painter = explorer.painter
    assert painter.quick_draws >= 1, "no change reused a frame: the shortcut was never tested"
    assert painter.full_draws >= 2


def _two_panels(margins):
    """A two-panel explorer; with wspace=0 the right panel's tick labels sit over the left panel's box."""
    slider = widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.5, description="scale")

    def draw(result, values, axes):
        x = np.linspace(0, 1, 50)
        for i, ax in enumerate(axes):
            ax.plot(x, values["scale"] * (i + 1) * x ** 2, label="curve")
            ax.set_title(f"panel {i}: scale {values['scale']:g}")
            ax.set_ylabel("a long label that reaches far")
            ax.legend(loc="upper left")
        return {}

    return Explorer("two panels", {"scale": slider}, experiment=lambda values, tick: "drawn from the values alone",
                    panels=lambda fig: fig.subplots(1, 2), draw=draw, margins=margins)


@pytest.mark.slow
def test_frames_in_overlapping_boxes_are_drawn_the_plain_way():
    apart = _two_panels(dict(wspace=0.5))
    apart.run()
    assert apart.painter.apart
    crowded = _two_panels(dict(wspace=0.0))
    crowded.run()
    # the boxes overlap: a curve of the left panel must pass under the right panel's tick labels,
    # which no pasted picture can do, so the painter draws the whole figure each time
    assert not crowded.painter.apart
    for explorer in (apart, crowded):
        for value in (2.0, 1.0, 3.0, 1.0):
            explorer.controls["scale"].value = value
            assert differing(shown(explorer), full_draw(explorer)) <= ALLOWED


@pytest.mark.slow
def test_the_pictures_kept_are_bounded():
    explorer = _two_panels(dict(wspace=0.5))
    explorer.run()
    for value in np.arange(0.5, 3.01, 0.5).tolist() * 2:   # six frames per panel, twice
        explorer.controls["scale"].value = value
    assert max(explorer.painter.frames_kept()) <= explorer.painter.kept
    assert explorer.painter.quick_draws >= 6              # the second pass found them all


def _timed(seconds_per_generation, monkeypatch):
    """A Gaussian explorer that believes it runs in a kernel, with generations of a given length."""
    monkeypatch.setattr(explorer_module, "in_kernel", lambda: True)
    slider = widgets.IntSlider(value=5, min=2, max=50, description="generations")

    def experiment(values, tick):
        def slow(history, g):
            time.sleep(seconds_per_generation)
            return tick(history, g + 1, values["n"] + 1)
        return simulate(Gaussian(), GaussianModel(), generations=values["n"], samples=20, seed=0, callback=slow)

    explorer = Explorer("timed", {"n": slider}, experiment=experiment, panels=lambda fig: fig.add_subplot(),
                        draw=lambda h, v, ax: plots.metric(h, "std", ax=ax) and {})
    seen = []
    explorer.progress_text.observe(lambda change: seen.append(change["new"]), names="value")
    explorer.stop_button.layout.observe(lambda change: seen.append(change["new"]), names="visibility")
    return explorer, seen


def test_a_quick_run_sends_the_page_only_its_new_figure(monkeypatch):
    explorer, seen = _timed(0.0, monkeypatch)
    explorer.run()                                  # called directly: runs here, not in a thread
    time.sleep(2 * explorer_module.SHOW_BUSY_AFTER)  # a late timer would show "running…" now
    assert seen == [] and explorer.history is not None


def test_a_long_run_shows_that_it_works_and_hides_it_after(monkeypatch):
    explorer, seen = _timed(0.05, monkeypatch)      # 6 generations: about 0.3 s
    explorer.run()
    assert "running…" in seen and "visible" in seen
    assert any(str(s).startswith("generation ") for s in seen)
    assert explorer.progress_text.value == "" and explorer.stop_button.layout.visibility == "hidden"


def test_an_autoscaled_axis_keeps_its_frame_while_the_data_fills_half_of_it():
    from matplotlib.figure import Figure

    from collapse_lab.explorers import steady

    with mpl.rc_context(EXPLORER_STYLE):        # as the explorers draw: round limits, no margins
        ax, kept = Figure().add_subplot(), {}

        def redraw(top, scale="linear"):
            for line in list(ax.lines):
                line.remove()
            ax.plot([1, 2], [0, top])
            ax.set_yscale(scale)
            ax.relim()
            ax.autoscale()
            steady(ax, kept)
            return ax.get_ylim()

        assert redraw(10) == (0, 10)
        assert redraw(7) == (0, 10)              # fits and fills 70%: the same frame
        assert redraw(4) == (0, 4)               # would fill only 40%: a closer frame
        assert redraw(20) == (0, 20)             # does not fit: a larger frame
        frame = redraw(100, "log")               # a new scale: a new frame
        assert frame != (0, 20) and frame[1] >= 100
        assert redraw(60, "log") == frame        # inside, and on the log scale it fills the frame
        ax.set_yscale("linear")
        ax.set_ylim(0, 1)                        # limits a draw hook sets are left alone
        steady(ax, kept)
        assert ax.get_ylim() == (0, 1) and (ax, "y") not in kept


def test_reset_brings_back_the_lessons_frame():
    explorer = dashboards.gaussian()
    first = [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.painter.axes]
    for value in (0.05, 0.1, 0.3):
        explorer.controls["real_fraction"].value = value
    explorer.reset()
    assert [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.painter.axes] == first


def test_a_styled_figure_leaves_matplotlibs_modes_and_settings_as_it_found_them():
    """Issue 23 item 5: notebook 00 lost its figure when its cell was re-run, because the style
    wrapper (then mpl.rc_context) put back *every* rcParam, including the interactive mode the
    inline backend switches on while it draws a kernel's first figure. The wrapper now puts back
    only the keys it set: what the drawing itself changed stays, and the caller's own settings return."""
    import matplotlib.pyplot as plt

    from collapse_lab.figures import styled
    from collapse_lab.figures.style import current_style

    @styled
    def first_figure_of_a_kernel():
        plt.ion()                                  # what the inline backend does while it draws
        assert mpl.rcParams["font.size"] == current_style()["font.size"]   # inside: the course's style
        return plt.subplots()[0]

    was, size = plt.isinteractive(), mpl.rcParams["font.size"]
    try:
        plt.ioff()
        mpl.rcParams["font.size"] = 7.0            # the caller's own setting
        plt.close(first_figure_of_a_kernel())
        assert mpl.rcParams["font.size"] == 7.0
        assert plt.isinteractive(), "the style wrapper switched interactive mode back off"
        before = dict(mpl.rcParams)
        plt.close(first_figure_of_a_kernel())
        assert dict(mpl.rcParams) == before        # nothing else moved
    finally:
        plt.interactive(was)
        mpl.rcParams["font.size"] = size


def test_kept_text_bitmaps_draw_the_pixels_agg_draws():
    """painter.Glyphs pastes a kept bitmap where Agg pastes its own: the same pixels, for turned
    texts, sizes, weights and mathtext, on the first draw and on the next (from the bitmaps kept)."""
    fig = Figure(figsize=(4, 3), dpi=80)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_title("a title", fontweight="bold")
    ax.set_ylabel("turned: 90°")
    ax.text(0.5, 0.5, r"$\sigma^2$ falls", rotation=30, fontsize=13)
    ax.text(0.2, 0.8, "small", fontsize=6, color="tab:red")
    ax.legend()
    plain = FigureCanvasAgg(fig)
    plain.draw()
    expected = np.asarray(plain.buffer_rgba()).copy()
    kept = FigureCanvasAgg(fig)
    glyphs = Glyphs.on(kept.get_renderer()).draw_text
    for _ in range(2):
        kept.draw()
        np.testing.assert_array_equal(np.asarray(kept.buffer_rgba()), expected)
    assert glyphs.bitmaps                                  # it kept some, and drew from them the second time


def test_the_png_holds_the_pixels_drawn():
    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgba))))
    assert decoded.shape == (7, 5, 3)
    np.testing.assert_array_equal(decoded, rgba[..., :3])
