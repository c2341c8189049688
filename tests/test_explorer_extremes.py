"""Explorers at their extremes (issue 24's done-when): each of the eight explorers, built in a
subprocess limited to 2 GB of address space (the Binder kernel's), has controls set to their extremes
one at a time -- a numeric control to its max, a dropdown to one of its options -- and run. Each run
must end in a picture or a message in words, within the explorer's time budget; the process must not
die. Sampled, to stay under 90 s: per explorer, 3 numeric maxes and 1 dropdown option (of 2 to 19
cases each), chosen by COLLAPSE_LAB_EXTREMES_SEED (default 0; set another to cover others)."""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from collapse_lab.engine import guard

EXPLORERS = ["gaussian", "words", "mixture", "language_model", "gates", "distillation", "monitor", "capstone"]
PER_EXPLORER = 4

SCRIPT = r'''
import json, os, random, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))   # the Binder kernel's 2 GB
import ipywidgets as widgets
from collapse_lab import dashboards
from collapse_lab.engine import guard

name, per_explorer, deadline = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
start = time.perf_counter()
explorer = getattr(dashboards, name)() if name == "capstone" else getattr(dashboards, name)(run=False)
cases = []
for control, widget in explorer.controls.items():
    if isinstance(widget, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)):
        cases += [(control, value) for _, value in widget.options] if isinstance(widget.options[0], tuple) \
            else [(control, value) for value in widget.options]
    elif isinstance(getattr(widget, "max", None), (int, float)) and not isinstance(widget.value, bool):
        cases.append((control, widget.max))
numeric = [c for c in cases if not isinstance(explorer.controls[c[0]], (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons))]
choices = [c for c in cases if c not in numeric]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
rng.shuffle(numeric), rng.shuffle(choices)
cases = numeric[:per_explorer - 1] + choices[:1] + numeric[per_explorer - 1:] + choices[1:]
results = []
for control, value in cases[:per_explorer]:
    if time.perf_counter() - start > deadline:
        break
    explorer.reset() if hasattr(explorer, "reset") else None
    with explorer.hold():
        explorer.controls[control].value = value
    t = time.perf_counter()
    explorer.say("")
    explorer.output.outputs = ()
    history = explorer.run()
    seconds = time.perf_counter() - t
    picture = any("image/png" in o.get("data", {}) for o in explorer.output.outputs)
    message = explorer.message.value
    results.append(dict(control=control, value=repr(value), seconds=round(seconds, 1), picture=picture and history is not None,
                        message=message, went_wrong="went wrong" in message))
print(json.dumps(dict(cases=len(cases), results=results)))
'''


def drive(name):
    seed = os.environ.get("COLLAPSE_LAB_EXTREMES_SEED", "0")
    out = subprocess.run([sys.executable, "-c", SCRIPT, name, str(PER_EXPLORER), "60", seed],
                         capture_output=True, text=True, timeout=300)
    return name, out


@pytest.mark.slow
def test_every_explorer_at_its_extremes_ends_in_a_picture_or_words():
    with ThreadPoolExecutor(2) as pool:                   # the machine's 2 cores
        outcomes = list(pool.map(drive, EXPLORERS))
    budget = guard.EXPLORER_MINUTES * 60 + 10             # the guard's budget, plus drawing the figure
    for name, out in outcomes:
        assert out.returncode == 0, f"{name}: the process died ({out.returncode}): {out.stderr[-800:]}"
        report = json.loads(out.stdout.strip().splitlines()[-1])
        assert report["results"], name
        for r in report["results"]:
            where = f"{name}: {r['control']}={r['value']}"
            assert r["seconds"] < budget, where
            assert not r["went_wrong"], f"{where}: {r['message']}"
            assert r["picture"] or (r["message"] and "Traceback" not in r["message"]), where
