"""Lesson 01, a Gaussian refitted on its own samples: what the lesson computes and draws.

Taught in notebook 01 (01_gaussian_collapse.ipynb). The world, its model and the closed-form
theory of σ's random walk live in worlds/gaussian.py; here is what only this lesson needs:
the anchored spread of log σ² (§ "How much real data is enough?") and its figure.
"""
import matplotlib as mpl
import numpy as np

from ..figures import COLORS, PALETTE, new_axes, styled


def anchored_log_var_sd(samples, real_fraction):
    """Theory: the standard deviation of log σ² once a loop with fresh real data has settled.

    Each generation fits n = `samples` points, a share ρ = `real_fraction` of them fresh from the
    real N(0, 1). Near σ = 1 one refit is, to first order,
        σ²_next ≈ ρ·1 + (1 − ρ)·σ² + noise,   noise variance ≈ 2/n
    (the sampling error of a variance fitted to n points). That is an AR(1) process pulled back to
    1 at rate ρ per generation; its stationary variance is (2/n) / (1 − (1 − ρ)²) = 2 / (n·ρ·(2 − ρ)),
    and on the log scale (near σ² = 1) the same. A single fit to N real points has
    Var(log σ²) ≈ 2/(N − 1), so the loop leaves σ² as uncertain as a fit to N ≈ n·ρ·(2 − ρ) + 1,
    about 2ρn real samples: the median stays at 1, the spread does not shrink to a fit on n.
    Checked against simulate in tests/test_lesson_01.py (and notebook 01's self-check).
    """
    rho = np.asarray(real_fraction, float)
    return np.sqrt(2.0 / (samples * rho * (2.0 - rho)))


def equivalent_real_samples(samples, real_fraction):
    """How many real samples, fitted once, are as uncertain as the anchored loop: n·ρ·(2 − ρ) + 1."""
    rho = np.asarray(real_fraction, float)
    return samples * rho * (2.0 - rho) + 1.0


@styled
def anchored_spread(histories, samples, ax=None):
    """How uncertain σ stays with fresh real data: the spread of log σ² against the real fraction.

    histories : {real_fraction: History} of Gaussian loops with fresh real data, run long enough
                to settle (a few times 1/ρ generations).
    Draws the standard deviation of log σ² over runs at the last generation (dots), the theory
    line `anchored_log_var_sd`, and the same spread for a single fit to
    N = `equivalent_real_samples` real points (sqrt(ψ'((N − 1)/2)), ψ' the trigamma function).
    """
    from scipy.special import polygamma

    ax = new_axes(ax)
    rhos = np.array(sorted(histories), float)
    measured = [np.log(histories[r].final("std") ** 2).std() for r in rhos]
    runs = histories[rhos[0]].final("std").size
    grid = np.geomspace(rhos.min() * 0.8, min(rhos.max() * 1.2, 1.0), 100)
    ax.plot(grid, anchored_log_var_sd(samples, grid), "--", color=COLORS["theory"], linewidth=1.4,
            label="theory for the loop")
    dof = equivalent_real_samples(samples, grid) - 1      # a fit to N points: σ² ~ χ²(N − 1)/(N − 1)
    ax.plot(grid, np.sqrt(polygamma(1, dof / 2)), ":", color=PALETTE["blue"], linewidth=1.8,
            label="one fit to n·ρ·(2 − ρ) + 1 real samples")
    ax.plot(rhos, measured, "o", color=COLORS["real"], markersize=6, label=f"simulated, {runs} runs each")
    ax.set_xscale("log")
    ax.set_xticks(rhos, labels=[f"{r:.0%}" for r in rhos])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"real fraction ρ (fresh real data in every generation, n = {samples})")
    ax.set_ylabel("spread of log σ² once settled\n(standard deviation over runs)")
    ax.legend(loc="upper right")
    return ax
