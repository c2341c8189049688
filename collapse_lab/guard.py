"""The resource guard: refuse a run that would not fit in memory, before it starts.

Interface (the loop, the CLI and the explorers call these; the estimates live here only):

    estimate(world, model, *, samples, seeds, generations, snapshots, mode, ...) -> Estimate
    check(world, model, *, limit=None, **same)      raises ValueError when the estimate exceeds the limit
    memory_limit()                                  the budget in bytes: COLLAPSE_LAB_MEMORY_MB, else a
                                                    default that is safe inside a 2 GB Binder session

TODO(issue 13): this is the agreed interface; the estimates are filled in by the hardening work.
"""
import os

DEFAULT_LIMIT_MB = 1500  # leaves room for the kernel, the notebook server and plots inside 2 GB
ENV_VAR = "COLLAPSE_LAB_MEMORY_MB"


def memory_limit():
    """The memory budget in bytes (environment variable COLLAPSE_LAB_MEMORY_MB, in megabytes)."""
    raw = os.environ.get(ENV_VAR)
    return int(float(raw) * 2**20) if raw else DEFAULT_LIMIT_MB * 2**20


def check(world, model, *, limit=None, **run):
    """Raise ValueError if the run described by `run` (simulate's arguments) would exceed `limit`."""
    return None
