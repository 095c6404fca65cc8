"""The multilayer perceptron: forward caching what backward needs, exact backward.

Hidden layer l computes ``z = h W + b`` (optionally batch-normalised to ``u``, else ``u = z``),
then ``h' = f(u)`` (or ``h + f(u)`` for a residual layer whose input and output widths
match).  The output layer is linear.  All parameters live in one flat buffer and every
``weights[i]`` / ``biases[i]`` is a view into it, so per-layer statistics and the optimiser
work on whole-network arrays in a handful of NumPy calls.  Hidden activations of a batch are
kept as one (depth, batch, width) array for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from model.activations import Activation, get_activation, noisy_relu_std
from model.config import ExperimentConfig
from model.initializers import initialize
from model.losses import cross_entropy, mse, one_hot

Array = NDArray[np.floating]
BN_EPS = 1e-5
BN_MOMENTUM = 0.1


@dataclass
class Gradients:
    """Gradients of the loss for one batch; array lists mirror the network's parameters.

    ``deltas[i]`` is dL/dz of weight layer i, shape (batch, fan_out); with batch norm on,
    z is the pre-normalisation sum ``h W + b``.
    """

    loss: float
    flat: Array
    weights: list[Array]
    biases: list[Array]
    gammas: list[Array]
    betas: list[Array]
    deltas: list[Array]


@dataclass
class ForwardCache:
    """What one forward pass leaves for backward and for the statistics."""

    x: Array
    z: Array  # (depth, batch, width) pre-activations h W + b
    u: Array  # (depth, batch, width) inputs of f (z normalised when batch norm is on; else z)
    h: Array  # (depth, batch, width) hidden outputs
    fprime: Array  # (depth, batch, width) f'(u)
    logits: Array  # (batch, n_out)
    zhat: Array | None = None
    inv_std: Array | None = None  # (depth, width)
    batch_mean: Array | None = None
    batch_var: Array | None = None
    extra: dict[str, Array] = field(default_factory=dict)


class Network:
    """A fully connected network of ``depth`` hidden layers of ``width`` units."""

    def __init__(self, config: ExperimentConfig, n_in: int, n_out: int, rng: np.random.Generator) -> None:
        self.config = config
        self.dtype = np.dtype(config.dtype)
        self.depth = config.depth
        self.width = config.width
        self.n_in = n_in
        self.n_out = n_out
        self.sizes: tuple[int, ...] = (n_in, *([config.width] * config.depth), n_out)
        self.activation: Activation = get_activation(config.activation, config.leaky_slope)
        self.noisy = config.activation == "noisy_relu"
        self.batch_norm = config.batch_norm
        # residual[l] is True when hidden layer l adds its input (widths must match)
        self.residual = [config.residual and self.sizes[l] == self.sizes[l + 1] for l in range(self.depth)]

        shapes = [(self.sizes[i], self.sizes[i + 1]) for i in range(len(self.sizes) - 1)]
        n_w = sum(a * b for a, b in shapes)
        n_b = sum(b for _, b in shapes)
        n_bn = 2 * self.depth * self.width if self.batch_norm else 0
        self.n_params = n_w + n_b + n_bn
        self.n_weight_params = n_w
        self.params: Array = np.zeros(self.n_params, dtype=self.dtype)
        (self.weights, self.biases, self.gammas, self.betas, self.segment_starts) = self._views(self.params, shapes)
        for i, (fi, fo) in enumerate(shapes):
            self.weights[i][...] = initialize(config.init, fi, fo, config.init_scale, rng)
        if config.bias_std > 0.0:
            # drawn after every weight, so a run's weights do not depend on bias_std
            for b in self.biases:
                b[...] = rng.normal(0.0, config.bias_std, b.shape)
        for g in self.gammas:
            g[...] = 1.0
        self.running_mean = [np.zeros(self.width, dtype=self.dtype) for _ in range(self.depth)]
        self.running_var = [np.ones(self.width, dtype=self.dtype) for _ in range(self.depth)]
        self._shapes = shapes
        self._ones: dict[int, Array] = {}

    # -- layout ------------------------------------------------------------------------
    def _views(
        self, flat: Array, shapes: list[tuple[int, int]]
    ) -> tuple[list[Array], list[Array], list[Array], list[Array], NDArray[np.intp]]:
        weights, biases, gammas, betas, starts = [], [], [], [], []
        o = 0
        for fi, fo in shapes:
            starts.append(o)
            weights.append(flat[o : o + fi * fo].reshape(fi, fo))
            o += fi * fo
        for _, fo in shapes:
            starts.append(o)
            biases.append(flat[o : o + fo])
            o += fo
        if self.batch_norm:
            for _ in range(self.depth):
                starts.append(o)
                gammas.append(flat[o : o + self.width])
                o += self.width
            for _ in range(self.depth):
                starts.append(o)
                betas.append(flat[o : o + self.width])
                o += self.width
        return weights, biases, gammas, betas, np.asarray(starts, dtype=np.intp)

    @property
    def n_layers(self) -> int:
        """Weight layers: hidden layers plus the output layer."""
        return self.depth + 1

    def new_gradients(self) -> Gradients:
        flat = np.zeros(self.n_params, dtype=self.dtype)
        w, b, g, be, _ = self._views(flat, self._shapes)
        return Gradients(0.0, flat, w, b, g, be, [])

    # -- forward -----------------------------------------------------------------------
    def forward(
        self,
        x: Array,
        *,
        train: bool = True,
        noise_rng: np.random.Generator | None = None,
        workspace: dict[str, Array] | None = None,
    ) -> ForwardCache:
        """Forward pass.  ``train`` uses batch statistics for batch norm; ``noise_rng`` adds
        Noisy-ReLU noise (training steps only)."""
        x = np.asarray(x, dtype=self.dtype)
        batch = x.shape[0]
        shape = (self.depth, batch, self.width)
        # evaluation needs no derivatives: one scratch layer stands in for f'(u)
        fp_shape = shape if train else (1, batch, self.width)
        ws = workspace if workspace is not None else {}

        def buffer(name: str, buf_shape: tuple[int, ...]) -> Array:
            # Reusing the trainer's buffers between steps avoids page-faulting fresh memory
            # every step (megabytes per step on wide networks).
            arr = ws.get(name)
            if arr is None or arr.shape != buf_shape:
                arr = np.empty(buf_shape, dtype=self.dtype)
                if workspace is not None:
                    workspace[name] = arr
            return arr

        z = buffer("z", shape)
        h = buffer("h", shape)
        u = buffer("u", shape) if self.batch_norm else z
        cache = ForwardCache(x=x, z=z, u=u, h=h, fprime=buffer("fprime", fp_shape), logits=x)
        if self.batch_norm:
            cache.zhat = buffer("zhat", shape)
            cache.inv_std = buffer("inv_std", (self.depth, self.width))
            cache.batch_mean = buffer("batch_mean", (self.depth, self.width))
            cache.batch_var = buffer("batch_var", (self.depth, self.width))
        act = self.activation
        h_in = x
        weights, biases = self.weights, self.biases
        for l in range(self.depth):
            zl = z[l]
            np.matmul(h_in, weights[l], out=zl)
            np.add(zl, biases[l], out=zl)
            if self.batch_norm:
                assert cache.zhat is not None and cache.inv_std is not None
                assert cache.batch_mean is not None and cache.batch_var is not None
                if train:
                    mean = z[l].mean(axis=0)
                    var = z[l].var(axis=0)
                    cache.batch_mean[l] = mean
                    cache.batch_var[l] = var
                else:
                    mean = self.running_mean[l]
                    var = self.running_var[l]
                inv = 1.0 / np.sqrt(var + BN_EPS)
                cache.inv_std[l] = inv
                zhat = cache.zhat[l]
                np.subtract(z[l], mean, out=zhat)
                zhat *= inv
                np.multiply(zhat, self.gammas[l], out=u[l])
                u[l] += self.betas[l]
            ul = u[l]
            hl = h[l]
            if self.noisy and noise_rng is not None:
                noisy = ul + noise_rng.standard_normal(ul.shape) * noisy_relu_std(ul)
                _activate_into(act, noisy, hl, cache.fprime[l])
            else:
                _activate_into(act, ul, hl, cache.fprime[l if train else 0])
            if self.residual[l]:
                hl += h_in
            h_in = h[l]
        logits = h_in @ self.weights[-1]
        logits += self.biases[-1]
        cache.logits = logits
        return cache

    def predict(self, x: Array, workspace: dict[str, Array] | None = None) -> Array:
        """Outputs (logits or regression values) in evaluation mode: no noise, running BN
        statistics.  Keeps only two layers alive (ping-pong buffers, reused via
        ``workspace``), so evaluating thousands of points stays cheap."""
        x = np.asarray(x, dtype=self.dtype)
        batch = x.shape[0]
        ws = workspace if workspace is not None else {}
        shape = (batch, self.width)
        bufs = []
        for name in ("pred_a", "pred_b", "pred_z", "pred_fp"):
            arr = ws.get(name)
            if arr is None or arr.shape != shape:
                arr = np.empty(shape, dtype=self.dtype)
                if workspace is not None:
                    workspace[name] = arr
            bufs.append(arr)
        ping, pong, z, fp = bufs
        act = self.activation
        h_in = x
        for l in range(self.depth):
            np.matmul(h_in, self.weights[l], out=z)
            z += self.biases[l]
            if self.batch_norm:
                z -= self.running_mean[l]
                z *= self.gammas[l] / np.sqrt(self.running_var[l] + BN_EPS)
                z += self.betas[l]
            out = ping if h_in is not ping else pong
            _activate_into(act, z, out, fp)
            if self.residual[l]:
                out += h_in
            h_in = out
        logits = h_in @ self.weights[-1]
        logits += self.biases[-1]
        return logits

    # -- loss and backward ---------------------------------------------------------------
    def loss_and_dlogits(self, logits: Array, y: NDArray[np.generic]) -> tuple[float, Array]:
        if self.config.loss == "cross_entropy":
            return cross_entropy(logits, np.asarray(y, dtype=np.int64))
        if self.config.is_regression:
            target = np.asarray(y, dtype=self.dtype).reshape(logits.shape)
        else:
            target = one_hot(np.asarray(y, dtype=np.int64), self.n_out, dtype=self.dtype)
        return mse(logits, target)

    def backward(self, cache: ForwardCache, dlogits: Array, grads: Gradients, deltas: Array | None = None) -> Array:
        """Fill ``grads`` (weights, biases, gammas, betas) and return the hidden deltas
        dL/dz as one (depth, batch, width) array (written into ``deltas`` when given)."""
        batch = dlogits.shape[0]
        if deltas is None or deltas.shape != cache.h.shape:
            deltas = np.empty_like(cache.h)
        h_last = cache.h[-1] if self.depth else cache.x
        np.matmul(h_last.T, dlogits, out=grads.weights[-1])
        ones = self._ones.get(batch)
        if ones is None:
            ones = self._ones[batch] = np.ones(batch, dtype=self.dtype)
        np.matmul(ones, dlogits, out=grads.biases[-1])
        dh = dlogits @ self.weights[-1].T
        for l in range(self.depth - 1, -1, -1):
            if self.batch_norm:
                du = dh * cache.fprime[l]
                assert cache.zhat is not None and cache.inv_std is not None
                zhat = cache.zhat[l]
                np.sum(du * zhat, axis=0, out=grads.gammas[l])
                np.sum(du, axis=0, out=grads.betas[l])
                dzhat = du * self.gammas[l]
                # d/dz of (z − mean)/sqrt(var + eps) with batch statistics
                dz = (cache.inv_std[l] / batch) * (
                    batch * dzhat - dzhat.sum(axis=0) - zhat * (dzhat * zhat).sum(axis=0)
                )
                deltas[l] = dz
            else:
                np.multiply(dh, cache.fprime[l], out=deltas[l])
            h_in = cache.h[l - 1] if l > 0 else cache.x
            np.matmul(h_in.T, deltas[l], out=grads.weights[l])
            # a row of ones times the deltas is the column sum, and BLAS does it 3x faster
            np.matmul(ones, deltas[l], out=grads.biases[l])
            if l > 0:
                dh_in = deltas[l] @ self.weights[l].T
                if self.residual[l]:
                    dh_in += dh
                dh = dh_in
        return deltas

    def gradients(self, x: Array, y: NDArray[np.generic]) -> Gradients:
        """Loss and exact gradients for the batch (x, y): no update, no noise, batch statistics
        for batch norm (running statistics are not touched)."""
        with np.errstate(all="ignore"):
            cache = self.forward(np.asarray(x, dtype=self.dtype), train=True)
            loss, dlogits = self.loss_and_dlogits(cache.logits, y)
            grads = self.new_gradients()
            deltas = self.backward(cache, dlogits, grads)
        grads.loss = loss
        grads.deltas = [*list(deltas), dlogits]
        return grads

    def update_running_stats(self, cache: ForwardCache) -> None:
        """Exponential moving averages of batch-norm statistics (training steps only)."""
        if not self.batch_norm or cache.batch_mean is None or cache.batch_var is None:
            return
        n = cache.x.shape[0]
        unbiased = n / max(n - 1, 1)
        for l in range(self.depth):
            self.running_mean[l] *= 1.0 - BN_MOMENTUM
            self.running_mean[l] += BN_MOMENTUM * cache.batch_mean[l]
            self.running_var[l] *= 1.0 - BN_MOMENTUM
            self.running_var[l] += BN_MOMENTUM * unbiased * cache.batch_var[l]


def _activate_into(act: Activation, u: Array, h: Array, fprime: Array) -> None:
    """h ← f(u), fprime ← f'(u), in place for the common activations (the hot loop)."""
    name = act.name
    if name in ("relu", "noisy_relu"):
        np.maximum(u, 0.0, out=h)
        np.greater(u, 0.0, out=fprime)
    elif name == "sigmoid":
        np.multiply(u, 0.5, out=h)
        np.tanh(h, out=h)
        h += 1.0
        h *= 0.5
        np.subtract(1.0, h, out=fprime)
        fprime *= h
    elif name == "tanh":
        np.tanh(u, out=h)
        np.multiply(h, h, out=fprime)
        np.subtract(1.0, fprime, out=fprime)
    else:
        h[...] = act.fn(u)
        fprime[...] = act.grad(u, h)
