"""The interactive explorers, one call per lesson: `dashboards.gaussian()`, `dashboards.words()`, ...

A face, nothing more: each explorer lives in its lesson's module (lessons/<lesson>.py, function
`explorer`), next to the runs and figures it shows, and is built on the generic Explorer
(explorers/). Pass any control's name as a keyword to set its starting value; Reset returns to those.

    from collapse_lab import dashboards
    explorer = dashboards.gaussian(samples=50)     # shows itself as the last line of a cell
    explorer.history                                # the latest run, to dig into in the next cell

Toy explorers (01–03, 06) rerun on every change (they take a fraction of a second); the language
explorers (04, 05, 07, 08) run behind a Run button and draw their default run at once.
"""
from .explorers import Explorer
from .lessons import capstone as _capstone
from .lessons import distillation as _distillation
from .lessons import gaussian as _gaussian
from .lessons import language as _language
from .lessons import mixture as _mixture
from .lessons import monitoring as _monitoring
from .lessons import quality_gates as _quality_gates
from .lessons import tails as _tails

gaussian = _gaussian.explorer            # notebook 01
words = _tails.explorer                  # notebook 02
mixture = _mixture.explorer              # notebook 03
language_model = _language.explorer      # notebook 04
gates = _quality_gates.explorer          # notebook 05
distillation = _distillation.explorer    # notebook 06
monitor = _monitoring.explorer          # notebook 07
capstone = _capstone.explorer            # notebook 08

# each explorer as its notebook builds it (notebooks/src/NN_*.py): `python -m collapse_lab warm` follows
# their "Try this" tips into the shared store, and tests/test_tips.py checks each tip's promise on them
AS_IN_NOTEBOOKS = {
    "01": lambda: gaussian(run=False),
    "02": lambda: words(run=False),
    "03": lambda: mixture(run=False),
    "04": lambda: language_model(run=False, order=4, smoothing=0.001),
    "05": lambda: gates(run=False, gates="none, top:0.9, top:0.7", real_fractions="0"),
    "06": lambda: distillation(run=False),
    "07": lambda: monitor(run=False),
    "08": lambda: capstone(),
}

__all__ = ["gaussian", "words", "mixture", "language_model", "gates", "distillation", "monitor", "capstone",
           "Explorer"]
