"""Explorers at their extremes (issue 24's done-when): each of the eight explorers, built in a
subprocess limited to 2 GB of address space (the Binder kernel's), has EVERY control set to each of
its extremes, one at a time from the defaults (not combinations):

    a numeric control (slider, box)   its min and its max
    a selection slider                its first and its last option
    a dropdown, toggle or radio       every option
    a checkbox                        the value it does not start with
    a text box (gate specs, real      every HOSTILE_TEXT string (a text box has no min or max: its
      fractions, a combination)       extremes are what a learner may type), in the second test

A case whose value is the control's default is the default run, run once per explorer. Each run
must end in a picture or a message in words within the explorer's time budget; the process must not
die. Each case's result is printed as it ends, so a process that dies names the case that killed it.
Two processes at a time (the machine's 2 cores); an explorer with many cases is split in two.
"""
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from collapse_lab.engine import guard

EXPLORERS = ["gaussian", "words", "mixture", "language_model", "gates", "distillation", "monitor", "capstone"]
CHUNK = 20   # cases per process at most: a process that dies loses at most its own chunk's later cases

PRELUDE = r'''
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))   # the Binder kernel's 2 GB
import ipywidgets as widgets
from collapse_lab import dashboards

CHOICE = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)


def build(name):
    return getattr(dashboards, name)() if name == "capstone" else getattr(dashboards, name)(run=False)


def values_of(options):
    return [o[1] if isinstance(o, tuple) else o for o in options]


def cases_of(explorer):
    """(control, value) for every extreme of every control, in the controls' order; None: the defaults."""
    cases = [(None, None)]
    for control, widget in explorer.controls.items():
        default = widget.value
        if isinstance(widget, CHOICE):
            wanted = values_of(widget.options)
        elif isinstance(widget, widgets.SelectionSlider):
            options = values_of(widget.options)
            wanted = [options[0], options[-1]]
        elif isinstance(widget.value, bool):
            wanted = [not widget.value]
        elif isinstance(getattr(widget, "max", None), (int, float)):
            wanted = [widget.min, widget.max]
        else:
            continue
        cases += [(control, v) for v in dict.fromkeys(wanted) if v != default]
    return cases


def run_and_report(explorer, control, shown):
    """Run the explorer as it is set; print one line: how long, whether a picture came, its message."""
    t = time.perf_counter()
    explorer.say("")
    explorer.output.outputs = ()
    history = explorer.run()
    seconds = time.perf_counter() - t
    picture = any("image/png" in o.get("data", {}) for o in explorer.output.outputs)
    message = explorer.message.value
    print(json.dumps(dict(control=control, value=shown, seconds=round(seconds, 1),
                          picture=picture and history is not None, message=message,
                          went_wrong="went wrong" in message)), flush=True)
'''

LIST = PRELUDE + r'''
explorer = build(sys.argv[1])
print(json.dumps([[c, repr(v)] for c, v in cases_of(explorer)]))
'''

DRIVE = PRELUDE + r'''
name, chosen = sys.argv[1], json.loads(sys.argv[2])
explorer = build(name)
cases = cases_of(explorer)
for index in chosen:
    control, value = cases[index]
    explorer.reset() if hasattr(explorer, "reset") else None
    if control is not None:
        with explorer.hold():
            explorer.controls[control].value = value
    run_and_report(explorer, control, repr(value))
'''


# what a learner may type into a text box (notebook 05's gates and real fractions, the capstone's gate
# combination): nothing, NaN where a number goes, a verifier's rates with spaces, full-width digits, a
# chain of 40 gates (320 characters, one with a dangling '+'), a gate that keeps almost nothing or is for
# another kind of data, numbers Python reads but a learner did not write plainly ('1_000')
HOSTILE_TEXT = ["", "top:nan", "real: 0.1 , 0.2 ", "１０", "top:0.9+" * 40, "+".join(["top:0.9"] * 40),
                "clip:1e-300", "dedup+top:1e-300", "real+cap:1", "nan", "1e-300", "0.1 , 0.2 ", "10%", "1_000"]
TEXT_EXPLORERS = ["gates", "capstone"]   # the explorers with text boxes (the first test checks no other has one)

TEXT_DRIVE = PRELUDE + r'''
name, hostile = sys.argv[1], json.loads(sys.argv[2])
explorer = build(name)
for control, widget in explorer.controls.items():
    if not isinstance(widget, (widgets.Text, widgets.Textarea)):
        continue
    default = widget.value
    for value in hostile:
        with explorer.hold():
            widget.value = value
        run_and_report(explorer, control, value)
        with explorer.hold():
            widget.value = default
'''

TEXT_BOXES = PRELUDE + r'''
explorer = build(sys.argv[1])
print(json.dumps([c for c, w in explorer.controls.items() if isinstance(w, (widgets.Text, widgets.Textarea))]))
'''


def run(script, *args, timeout=300):
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def answered(r, where, budget):
    """One driven case's record: within the budget, a picture or a message in words (never "something went
    wrong" or a traceback). Returns (seconds, where) for the slowest list."""
    assert r["seconds"] < budget, f"{where}: {r['seconds']} s"
    assert not r["went_wrong"], f"{where}: {r['message']}"
    assert r["picture"] or (r["message"] and "Traceback" not in r["message"]), where
    return r["seconds"], where


@pytest.mark.slow
def test_every_control_of_every_explorer_at_its_extremes_ends_in_a_picture_or_words():
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:                   # the machine's 2 cores
        listed = dict(zip(EXPLORERS, pool.map(lambda name: run(LIST, name), EXPLORERS)))
        jobs = []
        for name, out in listed.items():
            assert out.returncode == 0, f"{name}: could not list its controls: {out.stderr[-800:]}"
            cases = json.loads(out.stdout.strip().splitlines()[-1])
            assert len(cases) > 1, name
            indices = list(range(len(cases)))
            jobs += [(name, indices[i:i + CHUNK]) for i in range(0, len(indices), CHUNK)]
        outcomes = list(pool.map(lambda job: (*job, run(DRIVE, job[0], json.dumps(job[1]))), jobs))
    budget = guard.EXPLORER_MINUTES * 60 + 10             # the guard's budget, plus drawing the figure
    total, slowest, per_explorer = 0, [], {}
    for name, chosen, out in outcomes:
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        if out.returncode != 0:
            dead = listed[name] and json.loads(listed[name].stdout.strip().splitlines()[-1])[chosen[len(lines)]]
            pytest.fail(f"{name}: the process died ({out.returncode}) at {dead[0]}={dead[1]}: {out.stderr[-800:]}")
        assert len(lines) == len(chosen), (name, out.stderr[-800:])
        for r in lines:
            slowest.append(answered(r, f"{name}: {r['control'] or 'defaults'}={r['value']}", budget))
        total += len(lines)
        per_explorer[name] = per_explorer.get(name, 0) + len(lines)
    slowest.sort(reverse=True)
    print(f"\n{total} cases {per_explorer} in {time.perf_counter() - start:.0f} s; slowest: {slowest[:5]}")


@pytest.mark.slow
def test_every_text_box_given_hostile_text_ends_in_a_picture_or_words():
    """Each text box of each explorer, given each HOSTILE_TEXT string (one at a time, the other controls
    at their defaults), in a process limited to 2 GB: a picture or a message in words (never "something
    went wrong", a traceback or a dead process) within the explorer's time budget."""
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:                   # the machine's 2 cores
        boxes = dict(zip(EXPLORERS, pool.map(lambda name: run(TEXT_BOXES, name), EXPLORERS)))
        for name, out in boxes.items():
            assert out.returncode == 0, f"{name}: could not list its controls: {out.stderr[-800:]}"
            has = json.loads(out.stdout.strip().splitlines()[-1])
            assert bool(has) == (name in TEXT_EXPLORERS), f"{name} has text boxes {has}: drive them here"
        outcomes = list(pool.map(lambda name: (name, run(TEXT_DRIVE, name, json.dumps(HOSTILE_TEXT))), TEXT_EXPLORERS))
    budget = guard.EXPLORER_MINUTES * 60 + 10             # the guard's budget, plus drawing the figure
    total, slowest = 0, []
    for name, out in outcomes:
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        boxes_here = json.loads(boxes[name].stdout.strip().splitlines()[-1])
        if out.returncode != 0:
            box, value = boxes_here[len(lines) // len(HOSTILE_TEXT)], HOSTILE_TEXT[len(lines) % len(HOSTILE_TEXT)]
            pytest.fail(f"{name}: the process died ({out.returncode}) at {box}={value!r}: {out.stderr[-800:]}")
        assert len(lines) == len(boxes_here) * len(HOSTILE_TEXT), (name, out.stderr[-800:])
        for r in lines:
            shown = r["value"] if len(r["value"]) <= 40 else f"{r['value'][:30]}… ({len(r['value'])} characters)"
            slowest.append(answered(r, f"{name}: {r['control']}={shown!r}", budget))
        total += len(lines)
    slowest.sort(reverse=True)
    print(f"\n{total} text cases in {time.perf_counter() - start:.0f} s; slowest: {slowest[:3]}")
