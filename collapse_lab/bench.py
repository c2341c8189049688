"""`python -m collapse_lab.bench` is kept for old instructions: the benchmarks live in benchmarks/.

    python benchmarks/engine.py [PART ...]           # the engine: Gaussian, memory, mixture, widget
    python benchmarks/language_models.py             # the character language models

They need a checkout of the repository (the benchmarks are not part of the installed package).
"""
import runpy
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "engine.py"

if __name__ == "__main__":
    if not SCRIPT.exists():
        sys.exit(f"python -m collapse_lab.bench: error: the benchmarks are in a checkout of the repository "
                 f"(benchmarks/engine.py), not in the installed package; {SCRIPT} does not exist.")
    sys.argv[0] = str(SCRIPT)
    runpy.run_path(str(SCRIPT), run_name="__main__")
