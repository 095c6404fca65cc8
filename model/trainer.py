"""Trainer: mini-batch training of one Network, instrumented every step.

``step()`` runs forward, backward, clipping and the optimiser, and returns a
:class:`~model.snapshot.Snapshot` whose statistics describe that step's forward/backward
pass.  Cheap statistics are computed every step on whole-network arrays; histograms, the
probe activations, accuracies and the output sample only with ``step(detail=True)``.

A diverging run never raises: the snapshot says ``diverged`` and names the first layer where a
non-finite value showed; from then on the parameters are left as they were.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from model.config import ConfigError, ExperimentConfig
from model.datasets import Dataset, make_dataset
from model.network import ForwardCache, Gradients, Network
from model.optimizers import Optimizer, clip_by_global_norm, clip_by_value, make_optimizer
from model.pretraining import LayerwisePretrainer
from model.snapshot import (
    ACTIVATION_BINS,
    GRADIENT_LOG_BINS,
    PREACTIVATION_BINS,
    OutputSample,
    Snapshot,
)

Array = NDArray[np.floating]

#: Fields that can change while training without rebuilding the network.
LIVE_FIELDS: frozenset[str] = frozenset(
    {
        "learning_rate",
        "optimizer",
        "momentum",
        "nesterov",
        "beta1",
        "beta2",
        "rho",
        "eps",
        "weight_decay",
        "grad_clip_norm",
        "grad_clip_value",
    }
)
GRID_SIZE = 64
CURVE_POINTS = 200


class Trainer:
    """Owns the data, the network and the optimiser of one run."""

    def __init__(self, config: ExperimentConfig) -> None:
        if not isinstance(config, ExperimentConfig):
            raise ConfigError(f"Trainer needs an ExperimentConfig, got {type(config).__name__}")
        self.config = config
        self.dataset: Dataset = make_dataset(config)
        seed = config.seed
        self.network = Network(config, self.dataset.n_inputs, self.dataset.n_outputs, np.random.default_rng([seed, 2]))
        self._batch_rng = np.random.default_rng([seed, 3])
        self._noise_rng = np.random.default_rng([seed, 4])
        self.optimizer: Optimizer = make_optimizer(config, self.network.n_params, self.network.dtype)
        self.step_count = 0
        self.diverged = False
        self.diverged_layer: int | None = None
        self.diverged_reason = ""
        self._order = np.empty(0, dtype=np.intp)
        self._cursor = 0
        self._grads = self.network.new_gradients()
        self._workspace: dict[str, Array] = {}
        self._eval_ws: dict[str, Array] = {}
        self._want_output = True
        self._scratch = np.empty(self.network.n_params, dtype=self.network.dtype)
        self._probe = self.dataset.x_test[:1].astype(self.network.dtype)
        self._x_train = self.dataset.x_train.astype(self.network.dtype)
        self._x_test = self.dataset.x_test.astype(self.network.dtype)
        self._max_fprime = self.network.activation.max_grad
        self._binary_fprime = config.activation in ("relu", "noisy_relu") and not any(self.network.residual)
        self.last_snapshot: Snapshot | None = None
        self.pretrainer: LayerwisePretrainer | None = None
        if config.pretrain_epochs > 0:
            n_train = self._x_train.shape[0]
            self.pretrainer = LayerwisePretrainer(
                self.network,
                config.pretrain_epochs,
                max(1, n_train // min(config.batch_size, n_train)),
                config.learning_rate,
                np.random.default_rng([seed, 5]),
            )

    # -- configuration -----------------------------------------------------------------
    def apply_live(self, **changes: Any) -> None:
        """Change optimiser settings without rebuilding (``LIVE_FIELDS`` only)."""
        bad = sorted(set(changes) - LIVE_FIELDS)
        if bad:
            raise ConfigError(f"{bad[0]} cannot change while training; rebuild the network instead")
        new = self.config.replace(**changes)
        optimizer_changed = new.optimizer != self.config.optimizer
        self.config = new
        self.network.config = new
        if optimizer_changed:
            self.optimizer = make_optimizer(new, self.network.n_params, self.network.dtype)
        else:
            self.optimizer.config = new

    # -- data --------------------------------------------------------------------------
    def _next_batch(self) -> tuple[Array, NDArray[Any]]:
        n = self._x_train.shape[0]
        b = min(self.config.batch_size, n)
        if self._cursor + b > self._order.shape[0]:
            self._order = self._batch_rng.permutation(n)
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + b]
        self._cursor += b
        return self._x_train[idx], self.dataset.y_train[idx]

    # -- training ----------------------------------------------------------------------
    def step(self, detail: bool = False, output: bool | None = None) -> Snapshot:
        """One optimisation step; returns its Snapshot (never raises on divergence).

        ``detail`` adds histograms, the probe activations and accuracies; ``output`` (by
        default the same as ``detail``) adds the output sample, the costliest part (a forward
        pass over a 64×64 grid of inputs)."""
        self._want_output = detail if output is None else output
        with np.errstate(all="ignore"):
            if self.pretrainer is not None and not self.pretrainer.done:
                return self._pretrain_step(detail)
            return self._step(detail, apply=True)

    @property
    def phase(self) -> str:
        """ "pretrain" while greedy layer-wise pre-training runs, then "train"."""
        return "pretrain" if self.pretrainer is not None and not self.pretrainer.done else "train"

    def _pretrain_step(self, detail: bool) -> Snapshot:
        """One autoencoder step of the layer being pre-trained; the snapshot's statistics come
        from a supervised forward/backward pass of the whole network (no supervised update)."""
        assert self.pretrainer is not None
        x, y = self._next_batch()
        layer = self.pretrainer.layer
        ae_loss = self.pretrainer.step(x)
        self.step_count += 1
        snap = self._step(detail, apply=False, batch=(x, y))
        snap = dataclasses.replace(
            snap,
            phase="pretrain",
            pretrain_layer=layer,
            extra={**snap.extra, "autoencoder_loss": ae_loss},
        )
        self.last_snapshot = snap
        return snap

    def inspect(self) -> Snapshot:
        """A detailed Snapshot of the current parameters on the first ``batch_size`` training
        samples, changing nothing (so training afterwards is exactly as without it)."""
        self._want_output = True
        b = min(self.config.batch_size, self._x_train.shape[0])
        with np.errstate(all="ignore"):
            return self._step(True, apply=False, batch=(self._x_train[:b], self.dataset.y_train[:b]))

    def _step(self, detail: bool, apply: bool, batch: tuple[Array, NDArray[Any]] | None = None) -> Snapshot:
        net = self.network
        cfg = self.config
        if apply:
            self.step_count += 1
        x, y = self._next_batch() if batch is None else batch
        ws = self._workspace
        cache = net.forward(x, train=True, noise_rng=self._noise_rng if net.noisy else None, workspace=ws)
        loss, dlogits = net.loss_and_dlogits(cache.logits, y)
        grads = self._grads
        deltas = net.backward(cache, dlogits, grads, ws.get("deltas"))
        ws["deltas"] = deltas
        g = grads.flat

        starts = net.segment_starts
        n_layers = net.n_layers
        # squares go into a reused buffer: a fresh multi-megabyte temporary per step costs
        # page faults (glibc hands large blocks back to the kernel on free)
        scratch = self._scratch
        np.multiply(g, g, out=scratch)
        grad_sq = np.add.reduceat(scratch, starts)
        nw = net.n_weight_params
        # reduceat's last segment runs to the end of its input: cut the buffer at the weights
        np.multiply(net.params[:nw], net.params[:nw], out=scratch[:nw])
        param_sq = np.add.reduceat(scratch[:nw], starts[:n_layers])
        grad_norm = math.sqrt(float(grad_sq.sum()))
        stats = self._cheap_stats(cache, deltas, dlogits, grad_sq, param_sq)

        diverged = self.diverged
        if not diverged and not (math.isfinite(loss) and math.isfinite(grad_norm)):
            diverged = True
            self._mark_diverged(stats, "loss" if not math.isfinite(loss) else "gradient", grad_sq[:n_layers])

        extra: dict[str, Any] = {}
        if detail:
            # before clipping and weight decay touch the gradient buffer in place
            extra = self._detail(cache, deltas, dlogits, grads)

        clipped = False
        update_sq = np.zeros(n_layers)
        if not diverged and apply:
            if cfg.grad_clip_norm is not None:
                clipped = clip_by_global_norm(g, cfg.grad_clip_norm, grad_norm)
            if cfg.grad_clip_value is not None:
                clipped = clip_by_value(g, cfg.grad_clip_value) or clipped
            if cfg.weight_decay:
                g[:nw] += cfg.weight_decay * net.params[:nw]
            delta = self.optimizer.update(g)
            np.multiply(delta[:nw], delta[:nw], out=scratch[:nw])
            update_sq = np.add.reduceat(scratch[:nw], starts[:n_layers])
            # The only check needed: finite update on finite parameters stays finite.
            if math.isfinite(float(update_sq.sum())) and math.isfinite(float(param_sq.sum())):
                net.params += delta
                net.update_running_stats(cache)
            else:
                diverged = True
                self._mark_diverged(stats, "update", update_sq)
        stats["update_ratio"] = np.sqrt(update_sq) / np.maximum(stats["weight_norm"], 1e-300)
        snap = Snapshot.create(
            owned=True,
            step=self.step_count,
            loss=loss,
            grad_norm=grad_norm,
            clipped=clipped,
            diverged=diverged,
            diverged_layer=self.diverged_layer,
            diverged_reason=self.diverged_reason,
            stats=stats,
            layer_sizes=net.sizes,
            learning_rate=cfg.learning_rate,
            detail=detail,
            **extra,
        )
        self.last_snapshot = snap
        return snap

    def _mark_diverged(self, stats: dict[str, Array], reason: str, per_layer: Array) -> None:
        """Remember that the run diverged and the first layer where it showed, in the order the
        values were computed: the forward pass (input → output), then the weights, then the
        backward pass (output → input), then the per-layer update or squared gradient."""
        self.diverged = True
        self.diverged_reason = reason
        n = self.network.n_layers

        def bad(*names: str) -> NDArray[np.bool_]:
            out = np.zeros(n, dtype=bool)
            for name in names:
                out |= ~np.isfinite(stats[name])
            return out

        forward = bad("activation_mean", "activation_std")
        weights = bad("weight_norm")
        backward = bad("delta_norm", "weight_grad_norm", "bias_grad_norm")
        if forward.any():
            layer = int(np.argmax(forward))
        elif weights.any():
            layer = int(np.argmax(weights))
        elif backward.any():
            layer = int(n - 1 - np.argmax(backward[::-1]))
        else:
            # every statistic finite: the sum over layers overflowed; blame the largest term
            values = np.where(np.isfinite(per_layer), per_layer, np.inf)
            layer = int(np.argmax(values))
        self.diverged_layer = layer

    def _cheap_stats(
        self,
        cache: ForwardCache,
        deltas: Array,
        dlogits: Array,
        grad_sq: Array,
        param_sq: Array,
    ) -> dict[str, Array]:
        net = self.network
        n_layers = net.n_layers
        depth = net.depth
        h = cache.h
        logits = cache.logits
        stats: dict[str, Array] = {}
        stats["weight_norm"] = np.sqrt(param_sq)
        stats["weight_grad_norm"] = np.sqrt(grad_sq[:n_layers])
        stats["bias_grad_norm"] = np.sqrt(grad_sq[n_layers : 2 * n_layers])
        delta_sq = np.empty(n_layers)
        dflat = deltas.reshape(depth, -1)
        delta_sq[:depth] = _row_dots(dflat)
        delta_sq[depth] = np.vdot(dlogits, dlogits)
        stats["delta_norm"] = np.sqrt(delta_sq)
        batch, width = h.shape[1], h.shape[2]
        count = batch * width
        ws = self._workspace
        # Reductions as matrix-vector products with cached ones vectors: BLAS beats
        # ufunc.reduce on these small arrays, and all hidden layers go in one call.
        ones = ws.get("ones_count")
        if ones is None or ones.shape[0] != count:
            ones = ws["ones_count"] = np.ones(count)
            ws["ones_batch"] = np.ones(batch)
            ws["ones_width"] = np.ones(width)
        ones_batch, ones_width = ws["ones_batch"], ws["ones_width"]
        flat = h.reshape(depth, count)
        mean = np.empty(n_layers)
        sq = np.empty(n_layers)
        mean[:depth] = flat @ ones
        sq[:depth] = _row_dots(flat)
        mean[depth] = float(np.add.reduce(logits, axis=None))
        sq[depth] = float(np.vdot(logits, logits))
        sizes = ws.get("sizes")
        if sizes is None or sizes[0] != count:
            sizes = ws["sizes"] = np.full(n_layers, float(count))
            sizes[depth] = logits.size
        mean /= sizes
        sq /= sizes
        stats["activation_mean"] = mean
        sq -= mean * mean
        stats["activation_std"] = np.sqrt(np.maximum(sq, 0.0, out=sq), out=sq)
        sat = np.zeros(n_layers)  # the output layer is linear: never saturated
        zero = np.empty(n_layers)
        dead = np.empty(n_layers)
        if self._binary_fprime:
            # ReLU without skip connections: f'(u) is exactly 1 where h > 0 and 0 where h = 0,
            # so one batched product with a ones vector counts saturated, zero and dead
            # units at once (f' = 0 ≤ 0.1 · max f', so saturated and zero coincide).
            active_per_unit = np.matmul(ones_batch, cache.fprime)  # (depth, width)
            zero[:depth] = active_per_unit @ ones_width
            zero[:depth] = 1.0 - zero[:depth] / count
            sat[:depth] = zero[:depth]
            # a dead unit has a count of 0; min(count, 1) is 1 for every live unit
            np.minimum(active_per_unit, 1.0, out=active_per_unit)
            dead[:depth] = active_per_unit @ ones_width
            dead[:depth] = 1.0 - dead[:depth] / width
        else:
            indicator = ws.get("indicator")
            if indicator is None or indicator.shape != h.shape:
                indicator = ws["indicator"] = np.empty(h.shape)
            ind_flat = indicator.reshape(depth, count)
            # comparisons into bool, then one cast: faster than a comparison writing floats
            np.copyto(indicator, cache.fprime <= 0.1 * self._max_fprime)
            sat[:depth] = ind_flat @ ones
            sat /= count
            np.copyto(indicator, h == 0.0)
            zero[:depth] = ind_flat @ ones
            # a unit is dead when it is zero for every sample: its column count equals the batch
            zeros_per_unit = np.matmul(ones_batch, indicator)
            np.floor_divide(zeros_per_unit, batch, out=zeros_per_unit)
            dead[:depth] = zeros_per_unit @ ones_width
            zero[:depth] /= count
            dead[:depth] /= width
        stats["saturated_fraction"] = sat
        out_zeros = np.count_nonzero(logits == 0.0)
        zero[depth] = out_zeros / logits.size
        dead[depth] = np.count_nonzero((logits == 0.0).all(axis=0)) / logits.shape[1] if out_zeros else 0.0
        stats["zero_fraction"] = zero
        stats["dead_fraction"] = dead
        return stats

    # -- heavy, on request -------------------------------------------------------------
    def _detail(self, cache: ForwardCache, deltas: Array, dlogits: Array, grads: Gradients) -> dict[str, Any]:
        net = self.network
        n_layers = net.n_layers
        layer_outputs = [*list(cache.h), cache.logits]
        layer_inputs = [*list(cache.u), cache.logits]
        act_hists = np.stack([_hist(a, ACTIVATION_BINS) for a in layer_outputs])
        pre_hists = np.stack([_hist(z, PREACTIVATION_BINS) for z in layer_inputs])
        grad_hists = np.stack(
            [_hist(np.log10(np.abs(grads.weights[i]) + 1e-300), GRADIENT_LOG_BINS) for i in range(n_layers)]
        )
        probe_cache = net.forward(self._probe, train=False)
        probe = (self._probe[0], *[probe_cache.h[l][0] for l in range(net.depth)], probe_cache.logits[0])
        out: dict[str, Any] = {
            "activation_hists": act_hists,
            "preactivation_hists": pre_hists,
            "weight_grad_hists": grad_hists,
            "probe": probe,
        }
        out.update(self.evaluate())
        if self._want_output:
            out["output"] = self.output_sample()
        return out

    def evaluate(self) -> dict[str, float | None]:
        """Test loss and train/test accuracy in evaluation mode (no noise, running BN stats)."""
        ds = self.dataset
        net = self.network
        with np.errstate(all="ignore"):
            test_logits = net.predict(self._x_test, self._eval_ws)
            test_loss, _ = net.loss_and_dlogits(test_logits, ds.y_test)
            if ds.is_regression:
                return {"test_loss": test_loss, "train_accuracy": None, "test_accuracy": None}
            train_logits = net.predict(self._x_train, self._eval_ws)
            train_acc = float(np.mean(np.argmax(train_logits, axis=1) == ds.y_train))
            test_acc = float(np.mean(np.argmax(test_logits, axis=1) == ds.y_test))
        return {"test_loss": test_loss, "train_accuracy": train_acc, "test_accuracy": test_acc}

    def output_sample(self) -> OutputSample:
        """The decision surface (2-D inputs), the fitted curve (1-D regression) or the test
        confusion matrix (anything else), in evaluation mode."""
        ds = self.dataset
        net = self.network
        with np.errstate(all="ignore"):
            if ds.is_regression and ds.n_inputs == 1:
                lo = float(min(ds.x_train.min(), ds.x_test.min()))
                hi = float(max(ds.x_train.max(), ds.x_test.max()))
                xs = np.linspace(lo, hi, CURVE_POINTS)
                return OutputSample(
                    kind="curve", values=np.asarray(net.predict(xs[:, None], self._eval_ws), dtype=np.float64), xs=xs
                )
            if ds.n_inputs == 2 and not ds.is_regression:
                both = np.concatenate([ds.x_train, ds.x_test])
                lo = both.min(axis=0) - 0.5
                hi = both.max(axis=0) + 0.5
                gx = np.linspace(lo[0], hi[0], GRID_SIZE)
                gy = np.linspace(lo[1], hi[1], GRID_SIZE)
                xx, yy = np.meshgrid(gx, gy)
                pts = np.column_stack([xx.ravel(), yy.ravel()])
                logits = net.predict(pts, self._eval_ws)
                shifted = logits - logits.max(axis=1, keepdims=True)
                p = np.exp(shifted)
                p /= p.sum(axis=1, keepdims=True)
                extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
                probs = np.asarray(p.reshape(GRID_SIZE, GRID_SIZE, -1), dtype=np.float64)
                return OutputSample(kind="grid", values=probs, extent=extent)
            pred = np.argmax(net.predict(self._x_test, self._eval_ws), axis=1)
            c = ds.n_outputs
            conf = np.zeros((c, c))
            np.add.at(conf, (np.asarray(ds.y_test, dtype=np.intp), pred), 1.0)
            return OutputSample(kind="confusion", values=conf)

    def run(self, steps: int, detail_every: int = 0) -> Snapshot:
        """Train ``steps`` steps (stops early once diverged); returns the last snapshot."""
        snap = self.last_snapshot
        for i in range(steps):
            detail = (bool(detail_every) and (i + 1) % detail_every == 0) or i == steps - 1
            snap = self.step(detail=detail)
            if snap.diverged:
                break
        if snap is None:
            raise ValueError("steps must be at least 1")
        return snap


def _row_dots(a: Array) -> Array:
    """Sum of squares of each row of the 2-D array ``a`` (a batched BLAS dot product)."""
    out: Array = np.matmul(a[:, None, :], a[:, :, None]).reshape(a.shape[0])
    return out


def _hist(values: Array, edges: NDArray[np.float64]) -> NDArray[np.float64]:
    """Counts in fixed bins; values beyond the edges go to the end bins, NaN is dropped."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[~np.isnan(v)]
    v = np.clip(v, edges[0], edges[-1])
    counts, _ = np.histogram(v, bins=edges)
    return counts.astype(np.float64)
