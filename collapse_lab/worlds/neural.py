"""A small character-level MLP language model of words (PyTorch, imported only when one is fitted):
Bengio et al. (2003)'s model as karpathy/makemore builds it.

See charlm.py for how words become arrays and what the two language models share.
"""
import numpy as np

from ..engine import guard
from ..engine.base import Model
from ..engine.checks import Interval, check_is_fitted
from ..engine.decoding import DECODING_CONSTRAINTS, check_temperature, decode, penalize_repeats
from .charlm import (END, UNK, _categorical, _check_scored, _code_points, _distinct, _gather, _next_char_counts,
                     _one_torch_thread, _start_fit, _to_ids, _windows, _words, lm_memory_parts)


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
    same held-out NLL takes about half the steps. `fit` reads as makemore does: encode the data
    (`_encode`), initialise the weights (`_init_params`), then a plain loop of `_train_step`.

    Parameters
    ----------
    context : int >= 1. Characters of context (makemore's block_size).
    n_embd, n_hidden : int >= 1. Embedding size per character; hidden units.
    steps : int >= 1. Adam steps per fit; the learning rate decays linearly from about lr to 2% of lr.
    batch_size : int >= 1. Contexts per step and seed.
    lr : float > 0. Adam's learning rate.
    top_k, top_p, repetition_penalty : decoding, as NGramLM (see `decode`, `penalize_repeats`).
    max_len : int >= 1. Sampled words stop after this many characters.
    seed : int. Seeds the weights' initialisation and the mini-batches, so fits are reproducible.
    device : None (CUDA if available, else CPU), or a torch device string ('cpu', 'cuda', 'cuda:1').
             The device used is the learned attribute `device_`. A GPU gives different numbers from
             a CPU for the same seed (other random streams and other floating-point kernels), so
             results are reproducible only on the same device.
    progress : bool. Show a tqdm progress bar while training.
    warm_start : bool. When True and already fitted (same number of seeds), `fit` continues from
             the fitted weights: `fine_tune_steps` Adam steps (a fresh optimiser) at `fine_tune_lr`,
             decaying as in a full fit; the alphabet of the first fit is kept, so a character it
             did not have is read as unknown.
    fine_tune_steps : int >= 1. fine_tune_lr : float > 0.

    fit(X, mask=None, teacher=None): with a fitted teacher (NeuralLM or NGramLM), each context's
    target is the teacher's next-character distribution there (cross-entropy to soft labels),
    weighted by how often the context occurs in X.

    Learned: alphabet_, itos_ (as NGramLM), params_ (dict of torch tensors with a seed axis),
    loss_ (mean training loss over the last 50 steps, nats per character, averaged over seeds),
    device_ (the torch device the weights live on, as a string).
    """

    kind = "words"  # the data it makes/fits: simulate refuses a world and model of different kinds

    _parameter_constraints = {
        **{name: [Interval(int, 1, None)] for name in ("context", "n_embd", "n_hidden", "steps", "batch_size",
                                                        "max_len", "fine_tune_steps")},
        "lr": [Interval(float, 0, None, closed="neither")],
        "fine_tune_lr": [Interval(float, 0, None, closed="neither")],
        **DECODING_CONSTRAINTS,
        "repetition_penalty": [Interval(float, 1, None)],
        "seed": [Interval(int, 0, None)],
        "device": [None, str],
        "progress": [bool],
        "warm_start": [bool],
    }

    def __init__(self, context=5, n_embd=16, n_hidden=128, steps=1000, batch_size=512, lr=2e-2,
                 top_k=None, max_len=20, seed=0, device=None, progress=False, top_p=None,
                 repetition_penalty=1.0, warm_start=False, fine_tune_steps=200, fine_tune_lr=5e-3):
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
        self.top_p = top_p
        self.repetition_penalty = repetition_penalty
        self.warm_start = warm_start
        self.fine_tune_steps = fine_tune_steps
        self.fine_tune_lr = fine_tune_lr

    def memory_parts(self, estimate, world, run):
        """The guard's memory parts for a run of this model (charlm.lm_memory_parts)."""
        lm_memory_parts(estimate, world, self, "neural", run)
        return True

    def _check_cost(self, S, V, warm):
        """fit called directly has no simulate around it: refuse a network or a training that cannot fit
        (n_embd=10**7, batch_size=10**9, steps=10**7), before any weight is made."""
        e, h, c, B = self.n_embd, self.n_hidden, self.context, self.batch_size
        steps = self.fine_tune_steps if warm else self.steps
        weights = V * e + c * e * h + h + h * V + V
        # weights, their gradients and Adam's two moments in float32; a batch's activations and their gradients
        nbytes = 4 * 4 * S * weights + 4 * 3 * S * B * (c * e + h + V)
        seconds = steps * (guard.NEURAL_SECONDS_PER_STEP + 3 * S * B * (c * e * h + h * V) * guard.NEURAL_SECONDS_PER_MAC)
        guard.check_cost("NeuralLM.fit", seconds, nbytes, dict(seeds=S, steps=steps, batch_size=B, n_embd=e, n_hidden=h))

    @property
    def context_size(self):
        """Characters of context the model reads."""
        return self.context

    def _device(self):
        """The device to train on: `device`, checked, or CUDA when there is one."""
        import torch

        if self.device is None:
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        try:
            dev = torch.device(self.device)
        except (RuntimeError, TypeError):
            raise ValueError(f"The 'device' parameter of NeuralLM must be None or a torch device such as 'cpu' or "
                             f"'cuda'. Got {self.device!r} instead.") from None
        mps = getattr(torch.backends, "mps", None)
        if dev.type not in ("cpu", "cuda") and not (dev.type == "mps" and mps is not None and mps.is_available()):
            # 'meta' holds shapes without numbers, 'xpu' or 'hip' need builds this course does not test
            raise ValueError(f"The 'device' parameter of NeuralLM must be None, 'cpu' or 'cuda' (or 'mps' on a "
                             f"Mac that has it). Got {self.device!r} instead.")
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"The 'device' parameter of NeuralLM must be None or 'cpu' on this machine, which has "
                             f"no CUDA GPU. Got {self.device!r} instead.")
        return dev

    def _forward(self, x):
        """x (S, B, context) token ids -> logits (S, B, V), each seed through its own weights."""
        import torch

        P = self.params_
        S = x.shape[0]
        emb = P["C"][torch.arange(S, device=x.device)[:, None, None], x]  # (S, B, context, n_embd)
        h = torch.tanh(torch.baddbmm(P["b1"], emb.flatten(2), P["W1"]))  # (S, B, n_hidden)
        return torch.baddbmm(P["b2"], h, P["W2"])  # (S, B, V)

    def _encode(self, uniq, counts, teacher, dev):
        """Training data as tensors: distinct contexts xs (R, context), how often each seed saw
        each, weights (S, R), and the distribution of what followed, targets (S, R, V).

        Many positions share a context ('.....' starts every word): each is kept once, its loss the
        mean over all its positions (a "soft" target) -- a third of the rows on real words.
        """
        import torch

        S, V = counts.shape[0], len(self.itos_)
        contexts, seed, row, follow = _next_char_counts(uniq, counts, self.alphabet_, self.context, teacher)
        dense = np.zeros((S, len(contexts), V))
        dense[seed, row] = follow  # (S, R, V) next-character counts of each context, per seed
        total = dense.sum(axis=2)
        weights = torch.as_tensor(total, dtype=torch.float32, device=dev)
        targets = torch.as_tensor(dense / np.maximum(total, 1e-300)[..., None], dtype=torch.float32, device=dev)
        return torch.as_tensor(contexts, device=dev), weights, targets

    def _init_params(self, S, V, gen, dev):
        """Embeddings N(0, 1); tanh layer scaled by 1/sqrt(fan_in); a small output layer so the
        first logits are near uniform (makemore's trick against a "hockey stick" loss)."""
        import torch

        fan_in = self.context * self.n_embd

        def randn(*shape, scale=1.0):
            return torch.randn(S, *shape, generator=gen, device=dev) * scale

        return {
            "C": randn(V, self.n_embd),
            "W1": randn(fan_in, self.n_hidden, scale=fan_in**-0.5),
            "b1": randn(1, self.n_hidden, scale=0.0),
            "W2": randn(self.n_hidden, V, scale=0.01),
            "b2": randn(1, V, scale=0.0),
        }

    def _train_step(self, opt, xs, weights, targets, gen):
        """One Adam step on a mini-batch per seed; returns the batch loss summed over seeds."""
        import torch
        import torch.nn.functional as F

        S = weights.shape[0]
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
        seed_ix = torch.arange(S, device=xs.device)[:, None]
        loss = -((targets[seed_ix, rows] * logp).sum(dim=-1) * copies).sum() / self.batch_size
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    @_one_torch_thread()
    def fit(self, X, mask=None, teacher=None):
        """Train one MLP per seed on the words X (seeds, n), weighted by mask (seeds, n)."""
        import torch

        self._validate_params()
        dev = self._device()
        uniq, counts, warm, self.alphabet_, self.itos_ = _start_fit(self, X, mask, teacher, "params_")
        S = counts.shape[0]
        self._check_cost(S, len(self.itos_), warm)

        # 1. encode the data once; 2. initialise the weights (or keep them: fine-tuning)
        xs, weights, targets = self._encode(uniq, counts, teacher, dev)
        gen = torch.Generator(device=dev).manual_seed(self.seed)
        if warm:
            self.params_ = {name: p.to(dev) for name, p in self.params_.items()}
            steps, lr = self.fine_tune_steps, self.fine_tune_lr
        else:
            self.params_ = self._init_params(S, len(self.itos_), gen, dev)
            steps, lr = self.steps, self.lr
        for p in self.params_.values():
            p.requires_grad_(True)

        # 3. train: Adam with a linear decay, 1.02·lr at the first step, 0.02·lr after the last
        opt = torch.optim.Adam(self.params_.values(), lr=lr)
        losses = []
        loop = range(steps)
        if self.progress:
            from tqdm.auto import tqdm

            loop = tqdm(loop, desc="NeuralLM.fit", leave=False)
        for step in loop:
            if step % 25 == 0:   # Stop answers within 25 Adam steps (an explorer's run), not after the fit
                guard.check_stop()
            for group in opt.param_groups:
                group["lr"] = lr * (1 - step / steps + 0.02)
            loss = self._train_step(opt, xs, weights, targets, gen)
            if step >= steps - 50:  # report the loss at the end of training (item() syncs, so only there)
                losses.append(loss.item() / S)  # nats per character, with soft targets
        self.loss_ = float(np.mean(losses))
        for p in self.params_.values():
            p.requires_grad_(False)
        self.n_seeds_ = S
        self.device_ = str(dev)
        return self

    def _logprobs(self, x, chunk=32768):
        """x (S, P, context) token ids -> (S, P, V) log-probabilities, in chunks to bound memory."""
        import torch

        with torch.no_grad():
            parts = [torch.log_softmax(self._forward(x[:, i : i + chunk]), dim=-1) for i in range(0, x.shape[1], chunk)]
        return torch.cat(parts, dim=1) if parts else torch.zeros(x.shape[0], 0, len(self.itos_))

    @_one_torch_thread()
    def next_char_probs(self, windows):
        """(U, w) code points before a position ('.' = 0 pads the start), w >= context ->
        (seeds, U, V) next-character probabilities under each seed's model (a teacher's answer)."""
        import torch

        check_is_fitted(self, "alphabet_")
        windows = np.asarray(windows)
        ids = _to_ids(windows[:, windows.shape[1] - self.context :], self.alphabet_)
        x = torch.as_tensor(ids, device=self.device_).expand(self.n_seeds_, -1, -1)  # (S, U, context)
        return self._logprobs(x).exp().cpu().double().numpy()

    @_one_torch_thread()
    def log_prob(self, X):
        """(seeds, n) words -> (seeds, n) natural-log probability of each word, end token included."""
        import torch

        check_is_fitted(self, "alphabet_")
        X = _check_scored(X, self.n_seeds_, "NeuralLM")
        uniq, inv = _distinct(X)  # score each distinct word once
        ctx, tgt, valid = _windows(_to_ids(_code_points(uniq), self.alphabet_), self.context)
        k, t = np.nonzero(valid)
        x = torch.as_tensor(ctx[k, t], device=self.device_).expand(self.n_seeds_, -1, -1)  # (S, P, context)
        lp = self._logprobs(x)  # (S, P, V)
        lp = lp.gather(2, torch.as_tensor(tgt[k, t], device=lp.device).expand(self.n_seeds_, -1)[..., None])[..., 0]
        per_word = np.zeros((self.n_seeds_, len(uniq)))
        np.add.at(per_word, (slice(None), k), lp.cpu().double().numpy())  # sum each word's characters
        return _gather(per_word, inv, X.shape)

    @_one_torch_thread()
    def sample(self, n, rng, temperature=1.0):
        """Generate n words per seed -> (seeds, n), all words one character position at a time."""
        import torch

        check_is_fitted(self, "alphabet_")
        temperature = check_temperature(temperature, "NeuralLM.sample")
        n = guard.check_sample("NeuralLM.sample", self.n_seeds_, n, guard.REFILL_PER_DRAW["words"] + 8 * self.max_len)
        S, dev = self.n_seeds_, self.device_
        context = np.zeros((S, n, self.context), dtype=np.int64)  # every word starts after '.' padding
        out = np.zeros((S, n, self.max_len), dtype=np.uint32)  # code points written so far
        written = np.zeros((S, n, self.max_len), dtype=np.int64)  # ... and their token ids
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
            p = penalize_repeats(p, written[s, i, :t], self.repetition_penalty)
            nxt = _categorical(decode(p, temperature, self.top_k, self.top_p), rng)  # (live,)
            out[s, i, t] = self.itos_[nxt]
            written[s, i, t] = nxt
            alive[s, i] = nxt != END
            context[s, i] = np.concatenate([context[s, i, 1:], nxt[:, None]], axis=1)  # slide the window
        return _words(out).reshape(S, n)
