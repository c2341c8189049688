"""The explorers' drawing: a Figure made into a PNG fast, redrawing only what moved.

An explorer's figure is a plain matplotlib `Figure` (never registered with pyplot), drawn on an
Agg canvas and sent to the page as a PNG. Most of a redraw is the frames (tick labels, axis
labels), and a slider usually moves the data, not the frames: `steady` keeps an axis' limits
while new data fits them, and `Painter` keeps a picture of each frame and draws only the moving
parts on it (matplotlib's "Faster rendering by using blitting"). Its renderer keeps the bitmap of
each text it drew (`Glyphs`: legends and titles are drawn again on every redraw), and the PNG is
encoded without row filters (`encode_png`), half the time of Pillow's encoder; both give the
pixels Agg drew.

Nothing here knows of widgets or of the Explorer: it draws Figures.
"""
import base64
import contextlib
import io
import math
import struct
import time
import typing
import zlib

import matplotlib as mpl
import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

DPI = 80             # pixels per inch of the explorers' figures
STEADY_FILL = 0.5   # an autoscaled axis keeps its limits while new data still fills half of them
FRAMES_KEPT = 6     # pictures of frames an explorer keeps (a learner flips between a few settings)
GLYPHS_KEPT = 2000  # bitmaps of texts a painter keeps (an explorer draws a few hundred; ~1 kB each)
MARGINS = dict(left=0.115, right=0.98, bottom=0.09, top=0.97, wspace=0.4, hspace=0.38)  # figure fractions
# Fixed margins instead of constrained layout (its solver alone took ~0.3 s a redraw); the grid
# below the data (so a picture of the frames can sit under it, see Painter); axis limits at round
# tick values, so a small change in the data leaves the frame, and its picture, as it was.
EXPLORER_STYLE = {"figure.constrained_layout.use": False, "axes.axisbelow": True,
                  "axes.autolimit_mode": "round_numbers", "axes.xmargin": 0, "axes.ymargin": 0}


def png(fig):
    """The figure as a base64 PNG (fast compression: size hardly matters, time does)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, pil_kwargs={"compress_level": 1})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def canvas_png(canvas):
    """What an Agg canvas last drew, as a base64 PNG (RGB: the figure is opaque; see encode_png)."""
    return base64.b64encode(encode_png(np.asarray(canvas.buffer_rgba()))).decode("ascii")


def encode_png(rgba):
    """An (h, w, 4) uint8 array as PNG bytes: its RGB, every row unfiltered, zlib level 1.

    Lossless, so the pixels are those drawn. Half the CPU time of Pillow's encoder (3 ms against
    5.6 ms for an explorer's 624 x 448 figure) and a smaller file: Pillow filters each row
    (tries the five PNG filters to pick one), which pays off for photographs, not for a plot's
    large flat areas, where zlib alone finds the runs.
    """
    h, w = rgba.shape[:2]
    rows = np.empty((h, 1 + 3 * w), np.uint8)
    rows[:, 0] = 0                                 # each row's filter byte: 0, none
    rows[:, 1:].reshape(h, w, 3)[...] = rgba[..., :3]
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),   # 8-bit RGB
                     _chunk(b"IDAT", zlib.compress(rows, 1)), _chunk(b"IEND", b"")))


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _ticks(axis):
    """Everything that decides how an axis looks: tick places and texts, label, tick settings."""
    major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
    return (tuple(major), tuple(axis.major.formatter.format_ticks(major)), tuple(minor),
            tuple(axis.minor.formatter.format_ticks(minor)), axis.get_visible(), axis.label.get_text(),
            axis.label.get_visible(), repr(sorted(axis.get_tick_params(which="major").items())),
            repr(sorted(axis.get_tick_params(which="minor").items())))


def frame_of(ax):
    """What an Axes' frame looks like (box, limits, scales, ticks, labels): equal frames draw the same pixels."""
    return (ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.axison,
            tuple(ax.patch.get_facecolor()), _ticks(ax.xaxis), _ticks(ax.yaxis),
            tuple((name, spine.get_visible()) for name, spine in ax.spines.items()))


def moving_parts(ax):
    """The artists a redraw changes: everything in an Axes but its background and its two axes.

    The spines count as moving: they are cheap, and drawn in z-order with the data they end up
    exactly where a full draw puts them. (The axes, with their grid, sit below the data: the
    explorers draw with axes.axisbelow on.)
    """
    frame = {ax.patch, ax.xaxis, ax.yaxis}
    return [artist for artist in ax.get_children() if artist not in frame]


def steady(ax, kept, fill=STEADY_FILL):
    """Keep an autoscaled axis' last limits while the new data fits in them and fills at least
    `fill` of them, so a small change moves the data inside a still frame: easier to compare,
    and the painter reuses the frame's picture. kept : (ax, "x" or "y") → (limits, scale)."""
    for name, auto, get, put, scale in (("x", ax.get_autoscalex_on(), ax.get_xlim, ax.set_xlim, ax.get_xscale()),
                                        ("y", ax.get_autoscaley_on(), ax.get_ylim, ax.set_ylim, ax.get_yscale())):
        if not auto:                              # the draw hook set them: nothing to keep
            kept.pop((ax, name), None)
            continue
        new, old = get(), kept.get((ax, name))
        if old is not None and old[1] == scale and _fills(new, old[0], scale, fill):
            put(old[0])
        else:
            kept[ax, name] = (new, scale)


def _fills(new, old, scale, fill):
    f = np.log10 if scale == "log" else (lambda v: np.asarray(v, float))
    (a, b), (lo, hi) = np.sort(f(np.asarray(new))), np.sort(f(np.asarray(old)))
    return bool(lo <= a and b <= hi and b - a >= fill * (hi - lo))


@contextlib.contextmanager
def _hidden(artists):
    """Artists left out of a draw. Texts are made transparent rather than invisible: an invisible
    text has no size, and Axes.draw, placing a title above the tick labels, would misplace it."""
    hidden = [a for a in artists if a.get_visible()]
    faded = [(a, a.get_alpha()) for a in hidden if isinstance(a, mpl.text.Text) and a.get_bbox_patch() is None]
    hidden = [a for a in hidden if not any(a is f for f, _ in faded)]
    for artist in hidden:
        artist.set_visible(False)
    for text, _ in faded:
        text.set_alpha(0)
    try:
        yield
    finally:
        for artist in hidden:
            artist.set_visible(True)
        for text, alpha in faded:
            text.set_alpha(alpha)


class Painter:
    """Draws a Figure whose frames rarely change, fast: matplotlib's blitting, for a PNG.

    Most of a redraw is the frames (tick labels, axis labels: text to lay out and rasterise), and a
    slider usually moves the data, not the frames. The painter keeps a picture of each Axes' frame
    alone (the last few frames it drew); a redraw pastes the pictures back and draws only the
    moving parts (lines, bands, legends, titles) on them, so a new frame costs only its own Axes.
    See matplotlib's "Faster rendering by using blitting". Where two frames' boxes overlap, or a
    draw hook made axes of its own, it draws the whole figure every time, as matplotlib does.
    """

    def __init__(self, figure, axes, kept=FRAMES_KEPT):
        self.figure, self.axes = figure, [ax for ax in figure.axes if ax in axes]
        self.canvas = FigureCanvasAgg(figure)
        self.kept = kept
        self.apart = True                          # every frame in a box of its own (the shortcut works)
        self._pictures = {ax: {} for ax in self.axes}   # per Axes: frame → Picture, most recently used last
        self.full_draws = self.quick_draws = 0     # how often each path ran (tests and benchmarks read them)
        self.png_cpu = 0.0                         # CPU seconds the last PNG took to encode (benchmarks read it)

    def paint(self):
        """Draw the figure; returns it as a base64 PNG."""
        if not self.apart or set(self.figure.axes) != set(self.axes):
            return self._draw_all()
        renderer = self.renderer()
        for ax in self.axes:
            ax.apply_aspect()                      # as Figure.draw does first: a fixed aspect sets the box
        frames = {ax: frame_of(ax) for ax in self.axes}
        moving = {ax: moving_parts(ax) for ax in self.axes}
        if any(isinstance(a, mpl.axes.Axes) for parts in moving.values() for a in parts):
            return self._draw_all()                # an inset: its frame is not ours to keep
        on_figure = [a for a in self.figure.get_children() if a is not self.figure.patch and a not in self.axes]
        new = [ax for ax in self.axes if frames[ax] not in self._pictures[ax]]
        if new:
            self._draw_frames(new, frames, renderer, [a for parts in moving.values() for a in parts] + on_figure)
            boxes = [self._pictures[ax][frames[ax]].box for ax in self.axes]
            if any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]):
                self.apart = False                 # a crowded figure: frames and data interleave
                return self._draw_all()
            self.full_draws += 1
        else:
            self.quick_draws += 1
        self.figure.patch.draw(renderer)           # the page, then each frame's picture on it
        for ax in self.axes:
            pictures = self._pictures[ax]
            pictures[frames[ax]] = picture = pictures.pop(frames[ax])   # now the most recently used
            self.canvas.restore_region(picture.region)
            ax.title.set_position(picture.title)
        for ax in self.axes:
            for artist in sorted(moving[ax], key=lambda a: a.get_zorder()):   # in z-order, as Axes.draw does
                artist.draw(renderer)
        for artist in sorted(on_figure, key=lambda a: a.get_zorder()):
            artist.draw(renderer)
        return self.png()

    def renderer(self):
        """The canvas' Agg renderer, drawing texts from the bitmaps it kept (see Glyphs)."""
        return Glyphs.on(self.canvas.get_renderer())

    def png(self):
        """What the canvas holds, as a base64 PNG (noting the CPU time it took)."""
        cpu = time.thread_time()
        image = canvas_png(self.canvas)
        self.png_cpu = time.thread_time() - cpu
        return image

    def forget(self):
        """Drop every picture kept: the next paint draws every frame anew (benchmarks time that)."""
        self._pictures = {ax: {} for ax in self.axes}

    def frames_kept(self):
        """How many pictures of frames are kept, per Axes."""
        return [len(pictures) for pictures in self._pictures.values()]

    def _draw_all(self):
        self.renderer()                            # the renderer canvas.draw uses (kept while the size is)
        self.canvas.draw()
        self.full_draws += 1
        return self.png()

    def _draw_frames(self, new, frames, renderer, moving):
        """Draw the new frames alone, without the moving parts, and keep a picture of each."""
        self.figure.patch.draw(renderer)
        with _hidden(moving):
            for ax in new:
                ax.draw(renderer)
        for ax in new:
            box = _frame_box(ax, renderer)
            # Axes.draw places the title above the frame's tick labels: that place goes with the picture
            self._pictures[ax][frames[ax]] = Picture(self.canvas.copy_from_bbox(box), box, ax.title.get_position())
            if len(self._pictures[ax]) > self.kept:   # keep the few frames used last
                del self._pictures[ax][next(iter(self._pictures[ax]))]


class Picture(typing.NamedTuple):
    """A frame drawn once: its pixels, the box they fill, and where its Axes' title goes."""
    region: object
    box: Bbox
    title: tuple


class Glyphs:
    """An Agg renderer's `draw_text` that keeps the bitmap of each text it rasterised.

    A redraw draws the same few dozen texts again (legend entries, titles, tick labels of a new
    frame), and Agg lays out and rasterises each anew (FreeType: set_text, draw_glyphs_to_bitmap).
    The bitmap depends only on the string, the font and its size, the dpi and the hinting settings,
    never on the colour or the place, so a kept one is pasted where Agg would paste its own:
    the same pixels. Mathtext goes the usual way.
    """

    def __init__(self, renderer, kept=GLYPHS_KEPT):
        self.renderer, self.kept, self.bitmaps = renderer, kept, {}
        self._draw_text = renderer.draw_text         # the renderer's own, for mathtext

    def __call__(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return self._draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        rc = mpl.rcParams
        key = (s, tuple(prop.get_family()), prop.get_slant(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), self.renderer.dpi,
               bool(gc.get_antialiased()), rc["text.hinting"], rc["text.hinting_factor"], rc["text.kerning_factor"])
        kept = self.bitmaps.get(key)
        if kept is None:                              # as RendererAgg.draw_text, keeping what it makes
            font = self.renderer._prepare_font(prop)
            font.set_text(s, 0, flags=backend_agg.get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            kept = (np.array(font), font.get_descent() / 64.0, xo / 64.0, yo / 64.0)
            if len(self.bitmaps) >= self.kept:
                self.bitmaps.clear()
            self.bitmaps[key] = kept
        bitmap, d, xo, yo = kept
        # the descent turns with the text (RendererAgg.draw_text; the bitmap is turned by Agg)
        x = round(x + xo + d * math.sin(math.radians(angle)))
        y = round(y + yo + d * math.cos(math.radians(angle)))
        self.renderer._renderer.draw_text_image(bitmap, x, y + 1, angle, gc)

    @classmethod
    def on(cls, renderer):
        """Give `renderer` a kept-bitmaps draw_text (once); returns it."""
        if not isinstance(renderer.__dict__.get("draw_text"), cls):
            renderer.draw_text = cls(renderer)
        return renderer


def _frame_box(ax, renderer):
    """The box an Axes' frame fills: the axes, their tick labels and axis labels, the tick marks
    (outside the axes, left and below), and a pixel for antialiasing."""
    boxes = [ax.bbox] + [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)]
    x0, y0, x1, y1 = Bbox.union([b for b in boxes if b is not None]).extents
    tick = max(mpl.rcParams["xtick.major.size"], mpl.rcParams["ytick.major.size"]) * ax.figure.dpi / 72
    return Bbox([[min(x0, ax.bbox.x0 - tick) - 1, min(y0, ax.bbox.y0 - tick) - 1], [x1 + 1, y1 + 1]])


def all_axes(axes):
    """The Axes of whatever `panels` returned: one Axes, a dict, a list or an array of them."""
    if isinstance(axes, dict):
        return list(axes.values())
    if isinstance(axes, mpl.axes.Axes):
        return [axes]
    return list(np.ravel(axes))


def wipe(ax):
    """Remove what an Axes shows but keep the Axes and its ticks, so the next drawing is cheap."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_prop_cycle(None)
    ax.relim()
    ax.autoscale()
