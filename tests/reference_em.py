"""A plain EM for Gaussian mixtures: the reference MixtureModel is checked against
(tests/test_mixture_em.py), and the straightforward side of the EM benchmark (benchmarks/engine.py).

One seed and one component at a time, with np.linalg.inv and slogdet, the textbook E and M steps and
the two-pass (centred) covariance. It keeps MixtureModel's conventions: the farthest-point start, a
component with no points left keeps its old mean and covariance, reg_covar is added to every
covariance, and the seeds fitted together stop together, once every seed's mean log-likelihood
changed by less than tol.
"""
import numpy as np
from scipy.special import logsumexp


def plain_start(x, w, K, reg_covar):
    """Farthest-point start for one seed, x (n, d) with mask weights w (n,): K spread-out points as
    centres, each point assigned to the nearest, and the M step of that assignment."""
    centers = [(w[:, None] * x).sum(0) / max(w.sum(), 1)]          # the mean of the counted points
    for _ in range(K):
        nearest = np.min([np.linalg.norm(x - c, axis=1) for c in centers], axis=0)
        centers.append(x[np.argmax(np.where(w > 0, nearest, -1.0))])
    centers = centers[1:]
    label = np.argmin([np.linalg.norm(x - c, axis=1) for c in centers], axis=0)
    resp = np.array([label == k for k in range(K)], float)
    return plain_m_step(x, w, resp, np.array(centers), np.array([np.eye(x.shape[1])] * K), reg_covar)


def plain_m_step(x, w, resp, old_means, old_covs, reg_covar):
    """Weights, means and covariances of one seed from its responsibilities (K, n)."""
    K, d = old_means.shape
    nk = np.array([(resp[k] * w).sum() for k in range(K)])
    means, covs = old_means.copy(), old_covs.copy()
    for k in range(K):
        if nk[k] > 1e-8:
            r = resp[k] * w
            means[k] = r @ x / nk[k]
            diff = x - means[k]
            covs[k] = (r[:, None] * diff).T @ diff / nk[k]
        covs[k] = covs[k] + reg_covar * np.eye(d)
    return nk / max(nk.sum(), 1e-300), means, covs


def plain_e_step(x, weights, means, covs):
    """log(weight_k N(x_i | k)) of one seed: (K, n)."""
    K, d = means.shape
    logp = np.empty((K, len(x)))
    for k in range(K):
        inv = np.linalg.inv(covs[k])
        _, logdet = np.linalg.slogdet(covs[k])
        diff = x - means[k]
        maha = np.einsum("nd,de,ne->n", diff, inv, diff)
        logp[k] = np.log(max(weights[k], 1e-300)) - 0.5 * (maha + logdet + d * np.log(2 * np.pi))
    return logp


def plain_em(X, mask=None, n_components=2, max_iter=100, tol=1e-3, reg_covar=1e-6, start=None):
    """EM on every seed of X ((seeds, n) or (seeds, n, d)): weights (S, K), means (S, K, d),
    covs (S, K, d, d) and the number of iterations, as MixtureModel(...).fit(X, mask) gives them.
    `start`, (weights, means, covs) with a leading seed axis, starts from a fit as warm_start does."""
    X = np.asarray(X, float)
    X = X[..., None] if X.ndim == 2 else X
    S, n, d = X.shape
    W = np.ones((S, n)) if mask is None else np.asarray(mask, float)
    if start is None:
        params = [plain_start(X[s], W[s], n_components, reg_covar) for s in range(S)]
    else:
        params = [tuple(np.array(p[s]) for p in start) for s in range(S)]
    prev = np.full(S, -np.inf)
    for iteration in range(1, max_iter + 1):
        ll = np.empty(S)
        for s in range(S):
            logp = plain_e_step(X[s], *params[s])
            norm = logsumexp(logp, axis=0)                             # log p(x_i)
            resp = np.exp(logp - norm)
            ll[s] = (norm * W[s]).sum() / max(W[s].sum(), 1)
            params[s] = plain_m_step(X[s], W[s], resp, params[s][1], params[s][2], reg_covar)
        if np.all(np.abs(ll - prev) < tol):
            break
        prev = ll
    weights, means, covs = (np.array(p) for p in zip(*params))
    return weights, means, covs, iteration
