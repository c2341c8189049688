"""Character-level language models of words: a count-based n-gram (numpy) and a small MLP (PyTorch).

Both spell a word one character at a time and close it with an end token, as karpathy/makemore does:

    p("cat") = p(c | ..) · p(a | .c) · p(t | ca) · p(. | at)        '.' marks both start and end

and both follow base.Model: fit(X, mask) -> self, sample(n, rng, temperature) -> X, log_prob(X).
X holds words as a numpy unicode array of shape (seeds, n): one model per seed lives in one object.

The trick that keeps every step vectorised: a '<U..' array stores each word as fixed-width 4-byte
code points padded with zeros, so `X.view(np.uint32)` turns a whole batch of words into a
(seeds, n, L) integer array with no Python loop, and `.view('<U..')` turns sampled code points
back into words. Training data is a multiset (frequent words repeat), so we count each distinct
word once and weight it by how often it occurs: 20,000 words are usually ~5,000 distinct ones.
"""
from contextlib import contextmanager

import numpy as np

from ._checks import check_number
from .base import Model

END = 0  # token id of '.', the start and end of every word
UNK = 1  # token id of a character the model never saw: only smoothing gives it probability


# ----------------------------------------------------------------------------------------------
# encoding words as integers, shared by both models


def _code_points(X):
    """(...) '<U' words -> (..., L) uint32 Unicode code points, 0 past the end of each word."""
    X = np.ascontiguousarray(X)
    width = max(X.dtype.itemsize // 4, 1)
    return X.view(np.uint32).reshape(*X.shape, width)


def _words(codes):
    """(..., L) uint32 code points -> (...) '<U{L}' words: the inverse of _code_points."""
    codes = np.ascontiguousarray(codes, dtype=np.uint32)
    return codes.view(f"<U{codes.shape[-1]}")[..., 0]


def _to_ids(codes, alphabet):
    """Code points -> token ids: 0 = end/padding, 1 = unknown character, 2.. = the alphabet."""
    if alphabet.size == 0:
        return np.where(codes == 0, END, UNK)
    i = np.searchsorted(alphabet, codes).clip(max=alphabet.size - 1)
    return np.where(codes == 0, END, np.where(alphabet[i] == codes, i + 2, UNK))


def _windows(ids, size):
    """(K, L) token ids -> windows (K, L+1, size) and valid (K, L+1).

    Window t holds the `size` tokens before target t (start padded with '.'); the target at
    t = len(word) is the end token. Positions after the end are not valid.
    """
    K, L = ids.shape
    seq = np.zeros((K, size + L + 1), dtype=np.int64)
    seq[:, size : size + L] = ids  # the padding after each word is already 0 = END
    win = np.lib.stride_tricks.sliding_window_view(seq, size + 1, axis=1)  # (K, L+1, size+1)
    lengths = (ids != END).sum(axis=1)
    valid = np.arange(L + 1)[None, :] <= lengths[:, None]
    return win[..., :size], win[..., size], valid


def _check_temperature(temperature, owner):
    return check_number(temperature, "temperature", owner, low=0, closed=(False, True))


def _distinct_words(X, mask, owner):
    """Validate training words and count them: -> (distinct words (K,), counts (seeds, K)).

    counts[s, k] is how often seed s saw word k (masked-out words count 0). Counting distinct
    words once is what makes fitting cheap: the work scales with the vocabulary, not the text.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "U" or X.size == 0:
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must be a non-empty (seeds, n) array of words "
            f"(numpy unicode strings). Got an array of shape {X.shape} and dtype {X.dtype} instead."
        )
    mask = np.ones(X.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if mask.shape != X.shape:
        raise ValueError(
            f"The 'mask' parameter of {owner}.fit must be a bool array of shape {X.shape}. "
            f"Got shape {mask.shape} instead."
        )
    seeds, n = X.shape
    uniq, inv = np.unique(X, return_inverse=True)
    seed = np.repeat(np.arange(seeds), n)
    counts = np.bincount(seed * len(uniq) + inv.ravel(), weights=mask.ravel(), minlength=seeds * len(uniq))
    counts = counts.reshape(seeds, len(uniq))  # (seeds, K)
    empty = np.flatnonzero(counts.sum(axis=1) == 0)
    if empty.size:
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must hold at least one unmasked word for every seed. "
            f"Got none for seed {int(empty[0])} instead."
        )
    # letters only: no digits, spaces or punctuation (the empty word, which a model may sample, is allowed)
    bad = ~(np.char.isalpha(uniq) | (uniq == "")) & (counts.sum(axis=0) > 0)
    if bad.any():
        raise ValueError(
            f"The 'X' parameter of {owner}.fit must contain alphabetic words only. "
            f"Got {str(uniq[bad][0])!r} instead."
        )
    return uniq, counts


def _decode(p, temperature, top_k):
    """Reshape next-character probabilities (m, V) for sampling: keep the top k, then p^(1/T).

    The returned rows are unnormalised; _categorical normalises them.
    """
    if top_k is not None and top_k < p.shape[1]:
        kth = -np.partition(-p, top_k - 1, axis=1)[:, top_k - 1 : top_k]  # k-th largest per row
        p = np.where(p >= kth, p, 0.0)  # ties at the k-th value are all kept
    if temperature != 1.0:
        # divide by the row maximum first, so p^(1/T) cannot underflow to an all-zero row at small T
        p = (p / p.max(axis=1, keepdims=True)) ** (1.0 / temperature)
    return p


def _categorical(p, rng):
    """One draw from each row of unnormalised probabilities p (m, V), all rows at once."""
    cdf = np.cumsum(p, axis=1)
    u = rng.random(len(p))[:, None] * cdf[:, -1:]
    return np.minimum((cdf <= u).sum(axis=1), p.shape[1] - 1)


def _check_scored(X, seeds, owner):
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "U" or X.shape[0] not in (1, seeds):
        raise ValueError(
            f"The 'X' parameter of {owner}.log_prob must be a ({seeds}, n) or (1, n) array of words. "
            f"Got an array of shape {X.shape} and dtype {X.dtype} instead."
        )
    return X


def _gather(per_word, inv, shape):
    """Spread per-distinct-word scores (seeds, K) back to the words of X (seeds or 1, n)."""
    inv = np.broadcast_to(inv.reshape(shape), (per_word.shape[0], shape[1]))
    return np.take_along_axis(per_word, inv, axis=1)


@contextmanager
def _one_torch_thread():
    """Run torch on one thread inside the block, then restore the setting.

    Our matrices are small (512 x 128). On 2 cores a second thread gained nothing (0.77 vs 0.79 s
    per fit) and, when the cores were busy with other work, its waiting made fits 2-3x slower.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _check_fitted(model):
    if not hasattr(model, "alphabet_"):
        raise ValueError(f"This {type(model).__name__} is not fitted yet: call fit(X) first.")


# ----------------------------------------------------------------------------------------------
# the n-gram model


class NGramLM(Model):
    """Character n-gram language model with add-k smoothing, counted in numpy.

    p(next | previous order-1 characters) = (count + smoothing) / (context count + smoothing·V)

    Shannon (1948) generated English this way, from letter n-gram tables; makemore's bigram is
    order=2. Smoothing gives every character in the alphabet some probability in every context,
    so a word the model never saw still gets a finite log-probability (and can be generated).

    Parameters
    ----------
    order : int in [1, 8]. Characters per n-gram: the model looks back order-1 characters.
    smoothing : float >= 0. The pseudo-count k of add-k (Laplace) smoothing.
    top_k : int >= 1 or None. Sample only among the k likeliest next characters.
    max_len : int >= 1. Sampled words stop after this many characters.

    Learned: alphabet_ (code points the training data used), itos_ (token id -> code point),
    keys_ (the (seed, context) pairs seen, as integers), counts_ (their next-character counts,
    plus one last all-zero row for unseen contexts), probs_ (the smoothed table, same shape).
    """

    kind = "words"  # the data it makes/fits: simulate refuses a world and model of different kinds

    def __init__(self, order=3, smoothing=0.1, top_k=None, max_len=20):
        self.order = order
        self.smoothing = smoothing
        self.top_k = top_k
        self.max_len = max_len

    def _check_params(self):
        check_number(self.order, "order", "NGramLM", low=1, high=8, integer=True)
        check_number(self.smoothing, "smoothing", "NGramLM", low=0)
        if self.top_k is not None:
            check_number(self.top_k, "top_k", "NGramLM", low=1, integer=True)
        check_number(self.max_len, "max_len", "NGramLM", low=1, integer=True)

    def fit(self, X, mask=None):
        """Count the n-grams of each seed's words (X: (seeds, n) words, mask: (seeds, n) bool)."""
        self._check_params()
        uniq, counts = _distinct_words(X, mask, "NGramLM")  # (K,), (seeds, K)
        codes = _code_points(uniq)  # (K, L)
        self.alphabet_ = np.unique(codes[counts.sum(axis=0) > 0])
        self.alphabet_ = self.alphabet_[self.alphabet_ > 0]
        self.itos_ = np.concatenate([[0, 0], self.alphabet_]).astype(np.uint32)  # '.' and unknown write nothing
        self.n_seeds_ = counts.shape[0]
        V = len(self.itos_)

        # every (seed, distinct word, position) with its weight = how often that seed saw the word
        keys, targets, seen = self._keys(uniq)  # (seeds, K, L+1) each
        use = seen & (counts[:, :, None] > 0)
        weight = np.broadcast_to(counts[:, :, None], use.shape)[use]
        # one table row per (seed, context) that occurs; np.unique also sorts them for searchsorted
        self.keys_, row = np.unique(keys[use], return_inverse=True)
        R = len(self.keys_)
        cells = np.bincount(row * V + targets[use], weights=weight, minlength=(R + 1) * V)
        self.counts_ = cells.reshape(R + 1, V)  # the extra last row: contexts never seen (all zeros)

        # add-k smoothing; with k = 0 an unseen context has no counts at all, so make it uniform
        c = self.counts_ + self.smoothing
        total = c.sum(axis=1, keepdims=True)
        self.probs_ = np.where(total > 0, c / np.where(total > 0, total, 1.0), 1.0 / V)
        return self

    def _keys(self, uniq):
        """(K,) words -> context keys, targets, valid: each (seeds, K, L+1).

        A context of order-1 tokens is read as one base-V integer, and seed s's contexts are
        offset by s·V^(order-1), so all seeds share one sorted key table.
        """
        V = len(self.itos_)
        ids = _to_ids(_code_points(uniq), self.alphabet_)
        ctx, targets, valid = _windows(ids, self.order - 1)  # (K, L+1, order-1), (K, L+1), (K, L+1)
        context = ctx @ (V ** np.arange(self.order - 2, -1, -1, dtype=np.int64))  # (K, L+1)
        offset = np.arange(self.n_seeds_, dtype=np.int64)[:, None, None] * V ** (self.order - 1)
        shape = (self.n_seeds_,) + context.shape
        return context[None] + offset, np.broadcast_to(targets, shape), np.broadcast_to(valid, shape)

    def _rows(self, keys):
        """Table row of each context key; contexts never seen in training get the last row."""
        i = np.searchsorted(self.keys_, keys).clip(max=len(self.keys_) - 1)
        return np.where(self.keys_[i] == keys, i, len(self.keys_))

    def log_prob(self, X):
        """(seeds, n) words -> (seeds, n) natural-log probability of each word, end token included.

        X of shape (1, n) is scored under every seed's model. This is the fitted distribution
        itself: temperature and top_k only shape sampling.
        """
        _check_fitted(self)
        X = _check_scored(X, self.n_seeds_, "NGramLM")
        uniq, inv = np.unique(X, return_inverse=True)  # score each distinct word once
        keys, targets, valid = self._keys(uniq)  # (seeds, K, L+1)
        p = self.probs_[self._rows(keys), targets]
        logp = np.log(p, out=np.full(p.shape, -np.inf), where=valid & (p > 0))
        logp = np.where(valid, logp, 0.0).sum(axis=2)  # (seeds, K)
        return _gather(logp, inv, X.shape)

    def sample(self, n, rng, temperature=1.0):
        """Generate n words per seed -> (seeds, n) array, all words one character position at a time."""
        _check_fitted(self)
        temperature = _check_temperature(temperature, "NGramLM.sample")
        n = check_number(n, "n", "NGramLM.sample", low=0, integer=True)
        V = len(self.itos_)
        C = V ** (self.order - 1)  # number of possible contexts
        seed = np.repeat(np.arange(self.n_seeds_, dtype=np.int64), n)  # (seeds·n,) flat over all words
        context = np.zeros_like(seed)  # every word starts after '.' padding (context id 0)
        out = np.zeros((len(seed), self.max_len), dtype=np.uint32)  # code points written so far
        alive = np.arange(len(seed))  # words that have not ended yet
        for t in range(self.max_len):
            if alive.size == 0:
                break
            p = self.probs_[self._rows(seed[alive] * C + context[alive])]  # (alive, V)
            p[:, UNK] = 0.0  # never write a character the model cannot name
            nxt = _categorical(_decode(p, temperature, self.top_k), rng)  # (alive,)
            out[alive, t] = self.itos_[nxt]
            context[alive] = (context[alive] * V + nxt) % C  # slide the window one character on
            alive = alive[nxt != END]
        return _words(out).reshape(self.n_seeds_, n)


# ----------------------------------------------------------------------------------------------
# the neural model


class NeuralLM(Model):
    """A character MLP language model (Bengio et al. 2003, "A Neural Probabilistic Language Model").

    Each of the `context` previous characters is looked up in an embedding table, the embeddings
    are concatenated and passed through one tanh hidden layer to logits over the next character:

        x (B, context) -> C[x] (B, context, n_embd) -> tanh(· W1 + b1) (B, n_hidden) -> · W2 + b2 (B, V)

    This is makemore's MLP. Why not a GRU or a transformer: words are short (4.3 characters on
    average in running text), so a window of 5 characters already sees most of a word. With the
    defaults it reaches ~1.67 nats/char on held-out words (the order-3 n-gram: ~1.95) in about
    1 s per fit on one quiet CPU core; a recurrent net must step through characters one by one
    in training too, which costs time the course's targets did not need.

    All seeds are trained at once: every weight has a leading seed axis and the layers are
    batched matrix products, so S models cost one forward pass. Training rows are the distinct
    contexts, each with the distribution of the characters that followed it ("soft" targets);
    each seed draws its mini-batches in proportion to how often it saw each context -- the
    distribution of makemore's random batches over the full text, at lower variance, so the
    same held-out NLL takes about half the steps.

    Parameters
    ----------
    context : int >= 1. Characters of context (makemore's block_size).
    n_embd, n_hidden : int >= 1. Embedding size per character; hidden units.
    steps : int >= 1. Adam steps per fit; the learning rate decays linearly from about lr to 2% of lr.
    batch_size : int >= 1. Contexts per step and seed.
    lr : float > 0. Adam's learning rate.
    top_k : int >= 1 or None. Sample only among the k likeliest next characters.
    max_len : int >= 1. Sampled words stop after this many characters.
    seed : int. Seeds the weights' initialisation and the mini-batches, so fits are reproducible.
    device : None (CUDA if available, else CPU), or a torch device string.
    progress : bool. Show a tqdm progress bar while training.

    Learned: alphabet_, itos_ (as NGramLM), params_ (dict of torch tensors with a seed axis),
    loss_ (mean training loss over the last 50 steps, nats per character, averaged over seeds).
    """

    kind = "words"  # the data it makes/fits: simulate refuses a world and model of different kinds

    def __init__(self, context=5, n_embd=16, n_hidden=128, steps=1000, batch_size=512, lr=2e-2,
                 top_k=None, max_len=20, seed=0, device=None, progress=False):
        self.context = context
        self.n_embd = n_embd
        self.n_hidden = n_hidden
        self.steps = steps
        self.batch_size = batch_size
        self.lr = lr
        self.top_k = top_k
        self.max_len = max_len
        self.seed = seed
        self.device = device
        self.progress = progress

    def _check_params(self):
        owner = "NeuralLM"
        for name in ("context", "n_embd", "n_hidden", "steps", "batch_size", "max_len"):
            check_number(getattr(self, name), name, owner, low=1, integer=True)
        check_number(self.lr, "lr", owner, low=0, closed=(False, True))
        if self.top_k is not None:
            check_number(self.top_k, "top_k", owner, low=1, integer=True)
        check_number(self.seed, "seed", owner, low=0, integer=True)

    def _device(self):
        import torch

        return torch.device(self.device or ("cuda" if torch.cuda.is_available() else "cpu"))

    def _forward(self, x):
        """x (S, B, context) token ids -> logits (S, B, V), each seed through its own weights."""
        import torch

        P = self.params_
        S = x.shape[0]
        emb = P["C"][torch.arange(S, device=x.device)[:, None, None], x]  # (S, B, context, n_embd)
        h = torch.tanh(torch.baddbmm(P["b1"], emb.flatten(2), P["W1"]))  # (S, B, n_hidden)
        return torch.baddbmm(P["b2"], h, P["W2"])  # (S, B, V)

    @_one_torch_thread()
    def fit(self, X, mask=None):
        """Train one MLP per seed on the words X (seeds, n), weighted by mask (seeds, n)."""
        import torch
        import torch.nn.functional as F

        self._check_params()
        uniq, counts = _distinct_words(X, mask, "NeuralLM")  # (K,), (S, K)
        codes = _code_points(uniq)
        self.alphabet_ = np.unique(codes[counts.sum(axis=0) > 0])
        self.alphabet_ = self.alphabet_[self.alphabet_ > 0]
        self.itos_ = np.concatenate([[0, 0], self.alphabet_]).astype(np.uint32)
        S, V = counts.shape[0], len(self.itos_)
        dev = self._device()

        # encode once: every character position of every distinct word, (P, context) -> target
        ctx, tgt, valid = _windows(_to_ids(codes, self.alphabet_), self.context)
        k, t = np.nonzero(valid)
        ctx, tgt = ctx[k, t], tgt[k, t]  # (P, context), (P,)
        # many positions share a context ('.....' starts every word): keep each context once, with
        # each seed's counts of the characters that followed it. Its loss is then the mean loss of
        # all those positions (a "soft" target), computed once -- a third of the rows on real words
        key = ctx @ (V ** np.arange(self.context, dtype=np.int64))  # (P,) each context as one integer
        _, first, row = np.unique(key, return_index=True, return_inverse=True)
        R = len(first)
        follow = np.stack([np.bincount(row * V + tgt, weights=counts[s, k], minlength=R * V) for s in range(S)])
        follow = follow.reshape(S, R, V)  # (S, R, V) next-character counts of each context, per seed
        weights = torch.as_tensor(follow.sum(axis=2), dtype=torch.float32, device=dev)  # (S, R)
        targets = torch.as_tensor(follow / np.maximum(follow.sum(axis=2, keepdims=True), 1), dtype=torch.float32, device=dev)
        xs = torch.as_tensor(ctx[first], device=dev)  # (R, context)
        seed_ix = torch.arange(S, device=dev)[:, None]

        # initialise: embeddings N(0, 1); tanh layer scaled by 1/sqrt(fan_in); small output layer
        # so the first logits are near uniform (makemore's trick against a "hockey stick" loss)
        gen = torch.Generator(device=dev).manual_seed(self.seed)
        fan_in = self.context * self.n_embd

        def randn(*shape, scale=1.0):
            return (torch.randn(S, *shape, generator=gen, device=dev) * scale).requires_grad_()

        self.params_ = {
            "C": randn(V, self.n_embd),
            "W1": randn(fan_in, self.n_hidden, scale=fan_in**-0.5),
            "b1": randn(1, self.n_hidden, scale=0.0),
            "W2": randn(self.n_hidden, V, scale=0.01),
            "b2": randn(1, V, scale=0.0),
        }
        opt = torch.optim.Adam(self.params_.values(), lr=self.lr)
        losses = []
        steps = range(self.steps)
        if self.progress:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc="NeuralLM.fit", leave=False)
        for step in steps:
            # mini-batch: each seed draws contexts in proportion to how often it saw them
            idx = torch.multinomial(weights, self.batch_size, replacement=True, generator=gen)  # (S, B)
            # a batch of 512 holds only ~290 distinct contexts ('.....' alone is ~95 of them):
            # compute each once and count its copies. Padding (to the seed with most) has 0 copies
            distinct = [torch.unique(i, return_counts=True) for i in idx]  # per seed: rows, copies
            U = max(len(u) for u, _ in distinct)
            rows = torch.stack([F.pad(u, (0, U - len(u))) for u, _ in distinct])  # (S, U)
            copies = torch.stack([F.pad(c, (0, U - len(c))) for _, c in distinct]).float()  # (S, U)
            logp = torch.log_softmax(self._forward(xs[rows]), dim=-1)  # (S, U, V)
            # cross-entropy with the soft target, averaged over the batch; summing the seeds'
            # losses keeps their gradients independent (each seed's weights see only its own)
            loss = -((targets[seed_ix, rows] * logp).sum(dim=-1) * copies).sum() / self.batch_size
            opt.zero_grad(set_to_none=True)
            loss.backward()
            for group in opt.param_groups:  # linear decay: 1.02·lr at the first step, 0.02·lr after the last
                group["lr"] = self.lr * (1 - step / self.steps + 0.02)
            opt.step()
            if step >= self.steps - 50:  # report the loss at the end of training (item() syncs, so only there)
                losses.append(loss.item() / S)  # nats per character, with soft targets
        self.loss_ = float(np.mean(losses))
        for p in self.params_.values():
            p.requires_grad_(False)
        self.n_seeds_ = S
        return self

    def _logprobs(self, x, chunk=32768):
        """x (S, P, context) token ids -> (S, P, V) log-probabilities, in chunks to bound memory."""
        import torch

        with torch.no_grad():
            parts = [torch.log_softmax(self._forward(x[:, i : i + chunk]), dim=-1) for i in range(0, x.shape[1], chunk)]
        return torch.cat(parts, dim=1) if parts else torch.zeros(x.shape[0], 0, len(self.itos_))

    @_one_torch_thread()
    def log_prob(self, X):
        """(seeds, n) words -> (seeds, n) natural-log probability of each word, end token included."""
        import torch

        _check_fitted(self)
        X = _check_scored(X, self.n_seeds_, "NeuralLM")
        uniq, inv = np.unique(X, return_inverse=True)  # score each distinct word once
        ctx, tgt, valid = _windows(_to_ids(_code_points(uniq), self.alphabet_), self.context)
        k, t = np.nonzero(valid)
        x = torch.as_tensor(ctx[k, t], device=self._device()).expand(self.n_seeds_, -1, -1)  # (S, P, context)
        lp = self._logprobs(x)  # (S, P, V)
        lp = lp.gather(2, torch.as_tensor(tgt[k, t], device=lp.device).expand(self.n_seeds_, -1)[..., None])[..., 0]
        per_word = np.zeros((self.n_seeds_, len(uniq)))
        np.add.at(per_word, (slice(None), k), lp.cpu().double().numpy())  # sum each word's characters
        return _gather(per_word, inv, X.shape)

    @_one_torch_thread()
    def sample(self, n, rng, temperature=1.0):
        """Generate n words per seed -> (seeds, n), all words one character position at a time."""
        import torch

        _check_fitted(self)
        temperature = _check_temperature(temperature, "NeuralLM.sample")
        n = check_number(n, "n", "NeuralLM.sample", low=0, integer=True)
        S, dev = self.n_seeds_, self._device()
        context = np.zeros((S, n, self.context), dtype=np.int64)  # every word starts after '.' padding
        out = np.zeros((S, n, self.max_len), dtype=np.uint32)  # code points written so far
        alive = np.ones((S, n), dtype=bool)
        seed_ix = np.arange(S)[:, None]
        for t in range(self.max_len):
            # the net wants a rectangular (S, A) batch: per seed, its live words first, A = the most
            # live words any seed has. Most words end within 8 characters, so this saves ~3/4 of the work
            A = alive.sum(axis=1).max()
            if A == 0:
                break
            words = np.argsort(~alive, axis=1, kind="stable")[:, :A]  # (S, A) word indices
            live = alive[seed_ix, words]  # (S, A) False where a seed has fewer live words
            with torch.no_grad():
                logits = self._forward(torch.as_tensor(context[seed_ix, words], device=dev))  # (S, A, V)
                p = torch.softmax(logits, dim=-1)[torch.as_tensor(live, device=dev)].double().cpu().numpy()
            s, i = np.nonzero(live)
            i = words[s, i]  # back to word indices
            p[:, UNK] = 0.0  # never write a character the model cannot name
            nxt = _categorical(_decode(p, temperature, self.top_k), rng)  # (live,)
            out[s, i, t] = self.itos_[nxt]
            alive[s, i] = nxt != END
            context[s, i] = np.concatenate([context[s, i, 1:], nxt[:, None]], axis=1)  # slide the window
        return _words(out).reshape(S, n)
