"""Helpers shared by several test modules (import them from here, never from another test module).

- confusable(fig): the colour-vision check of tests/test_colour_vision.py, used by every lesson's figure
  tests: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
  vision deficiency", IEEE TVCG 15(6), 1291–1298, for full protanopia and deuteranopia.
- fig_compare(colors): plots.compare as the notebooks call it, from small seeded runs.
- public_names(): every public function and class of the library (tests/test_public_api.py's coverage,
  tests/test_properties.py's declared rules).
- run_in_process(capsys, *args): the command line's main(argv) in this process (tests/test_cli.py,
  tests/test_guard_edges.py); tests/test_cli.py's cli() runs it as a real subprocess.
"""
import itertools
import signal
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from collapse_lab import Gaussian, GaussianModel, plots, simulate  # noqa: E402

# Machado et al. (2009), Table 1, severity 1.0; rows give the simulated linear R, G, B
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
# ΔL* between two thin lines that a reader tells apart at a glance (L* runs 0–100). Strict on
# purpose: vermillion and orange (ΔL* about 15 under both simulations) count as confusable, as the
# lessons review found them on screen.
MIN_LIGHTNESS = 20.0


def linear(srgb):
    srgb = np.asarray(srgb, float)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lightness(srgb, deficiency=None):
    """CIELAB L* of an sRGB colour, as seen with `deficiency` (None: normal vision)."""
    rgb = linear(srgb)
    if deficiency is not None:
        rgb = np.clip(MACHADO[deficiency] @ rgb, 0, 1)
    y = rgb @ np.array([0.2126, 0.7152, 0.0722])
    f = np.cbrt(y) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29
    return 116 * f - 16


def series(ax):
    """(label, colour, line style, marker) of each labelled series on an Axes."""
    found = []
    for line in ax.get_lines():
        if not str(line.get_label()).startswith("_") and line.get_visible():
            found.append((line.get_label(), to_rgb(line.get_color()), _style(line.get_linestyle()),
                          line.get_marker() or "None"))
    for patch in ax.patches:                       # step histograms
        if not str(patch.get_label()).startswith("_"):
            found.append((patch.get_label(), to_rgb(patch.get_edgecolor()), _style(patch.get_linestyle()), "None"))
    for coll in ax.collections:                    # scatter groups (bands have no label of their own in a pair)
        label = str(coll.get_label())
        if not label.startswith("_") and type(coll).__name__ == "PathCollection":
            found.append((label, to_rgb(coll.get_facecolor()[0]), "scatter", _marker(coll)))
    return found


def _style(style):
    """A line's or a patch's style by name; patches report theirs as (offset, dashes) in rcParams units."""
    if isinstance(style, tuple):
        dashes = style[1]
        if dashes is None:
            return "solid"
        for name in ("dashed", "dotted", "dashdot"):
            pattern = matplotlib.rcParams[f"lines.{name}_pattern"]
            if len(dashes) == len(pattern) and np.allclose(dashes, pattern):
                return name
    return {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dashdot"}.get(style, str(style))


def _marker(coll):
    path = coll.get_paths()[0]
    return f"{len(path.vertices)}"


def confusable(fig):
    """Pairs of series on one panel told apart by colour alone, and only by a hue CVD removes."""
    bad = []
    for ax in fig.axes:
        for (la, ca, sa, ma), (lb, cb, sb, mb) in itertools.combinations(series(ax), 2):
            if sa != sb or ma != mb:
                continue
            gaps = [abs(lightness(ca, d) - lightness(cb, d)) for d in MACHADO]
            if min(gaps) < MIN_LIGHTNESS:
                bad.append(f"{ax.get_title() or ax.get_ylabel()!r}: {la!r} vs {lb!r} (ΔL* {min(gaps):.1f})")
    return bad


def fig_compare(colors):
    """plots.compare as the notebooks call it, one run per label of their colour map."""
    runs = {name: simulate(Gaussian(), GaussianModel(), generations=20, samples=50, seeds=5, seed=i)
            for i, name in enumerate(colors)}
    fig, ax = plt.subplots()
    plots.compare(runs, "std", ax=ax, colors=colors, band=False)
    return fig


PUBLIC_PACKAGES = ["engine", "worlds", "lessons", "figures", "exercises"]


def public_names():
    """qualified name -> object: collapse_lab.__all__, plus every function and class defined, without a
    leading underscore, in a module of collapse_lab.engine, .worlds, .lessons, .figures and .exercises.
    One entry per object, under the module that defines it (collapse_lab.Gaussian is listed as
    collapse_lab.worlds.gaussian.Gaussian)."""
    import importlib
    import inspect
    import pkgutil

    import collapse_lab

    found = {f"collapse_lab.{n}": getattr(collapse_lab, n) for n in collapse_lab.__all__
             if not inspect.ismodule(getattr(collapse_lab, n))}
    for package in PUBLIC_PACKAGES:
        pkg = importlib.import_module(f"collapse_lab.{package}")
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            for name, obj in vars(module).items():
                if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj)) \
                        and obj.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = obj
    unique = {}
    for qualified in sorted(found, key=lambda q: (q.count("."), q), reverse=True):
        unique.setdefault(id(found[qualified]), qualified)
    return {q: found[q] for q in sorted(unique.values())}


@contextmanager
def no_hang(seconds):
    """Fail (instead of waiting for ever) when a call takes longer than `seconds` (POSIX only)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def alarm(signum, frame):
        raise AssertionError(f"no answer after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(capsys, *args):
    """main(argv) in this process: (exit status, stdout, stderr). argparse's own errors exit too."""
    from collapse_lab.__main__ import main

    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code
    out = capsys.readouterr()
    return status, out.out, out.err
