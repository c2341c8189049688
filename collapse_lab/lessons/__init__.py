"""One module per notebook: what the lesson runs, computes and draws, next to each other.

    start          notebook 00  the first collapse, and a check that the widgets work
    gaussian       notebook 01  a Gaussian refitted on its own samples
    tails          notebook 02  the tails of words, decoding, and the data-scaling curve
    mixture        notebook 03  modes and minorities
    language       notebook 04  a language model trained on its own words
    quality_gates  notebook 05  filters before training, and what they cost
    distillation   notebook 06  students distilled from teachers
    monitoring     notebook 07  part 1: which numbers warn of collapse (the monitor explorer)
    provenance     notebook 07  parts 2-3: whose words a corpus holds, and a web that fills with them
    capstone       notebook 08  a pipeline design and its score

Each function says where it is taught. The exercises (exercises/) import these, never the
widgets or the figures' face.
"""
from . import (capstone, distillation, gaussian, language, mixture, monitoring, provenance, quality_gates, start,
               tails)

__all__ = ["start", "gaussian", "tails", "mixture", "language", "quality_gates", "distillation", "monitoring",
           "provenance", "capstone"]
