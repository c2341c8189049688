"""How a caption says its numbers: one set of rules every explorer's caption shares (issue 23, item 3).

- one number format: `num` (two decimals from 0.01 up, a power of ten below, thousands with commas)
- a change says what the eye sees: `change` gives "fell from 0.99 to 0.75", and "stayed at 0.99"
  when the two numbers read the same
- a share left is never over 100% without saying so: `share_left`
- a ratio is called a ratio: `ratio` ("1.70 times generation 0's")
- `over` counts generations in words ("over 1 generation")

tests/test_captions.py checks every explorer's caption against these rules.
"""
import numpy as np

RUNNING = "running…"   # the caption while a run works: the old caption would describe the old run


def num(x):
    """One format for a caption's numbers: 0.00, 0.75, 12.30, 2,000, 8.6e-11."""
    x = float(x)
    if not np.isfinite(x):
        return "n/a"
    if x == 0:
        return "0.00"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) < 0.01:
        return f"{x:.1e}"
    return f"{x:.2f}"


def count(x):
    """A count: 662, 2,000."""
    return f"{float(x):,.0f}"


def change(what, a, b, fmt=num):
    """'σ fell from 0.99 to 0.75', 'σ rose from …', or 'σ stayed at 0.99' when the two read the same."""
    first, last = fmt(a), fmt(b)
    if first == last:
        return f"{what} stayed at {first}"
    return f"{what} {'fell' if b < a else 'rose'} from {first} to {last}"


def share_left(a, b, what):
    """'79% of {what} is left', or 'more than at the start: {what} is 116% of what it was' — never '116% … is left'."""
    if not a > 0:
        return f"no {what} to begin with"
    left = b / a
    if f"{left:.0%}" == "100%":
        return f"{what} is as it was at the start"
    if left > 1:
        return f"more than at the start: {what} is {left:.0%} of what it was"
    return f"{left:.0%} of {what} is left"


def ratio(x, of="generation 0's"):
    """A ratio, called one: '1.70 times generation 0's'."""
    return f"{num(x)} times {of}"


def over(generations):
    """'over 1 generation', 'over 50 generations'."""
    g = int(generations)
    return f"over {g} generation{'' if g == 1 else 's'}"
