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
from model.evaluation import evaluate, output_sample
from model.network import ForwardCache, Gradients, Network
from model.optimizers import Optimizer, clip_by_global_norm, clip_by_value, make_optimizer
from model.pretraining import LayerwisePretrainer
from model.snapshot import OutputSample, Snapshot
from model.step_stats import cheap_stats, first_bad_layer, histograms

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
        stats = cheap_stats(
            net, cache, deltas, dlogits, grad_sq, param_sq, ws,
            binary_fprime=self._binary_fprime, max_fprime=self._max_fprime,
        )  # fmt: skip

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
        """Remember that the run diverged and the first layer where it showed."""
        self.diverged = True
        self.diverged_reason = reason
        self.diverged_layer = first_bad_layer(stats, per_layer, self.network.n_layers)

    # -- heavy, on request -------------------------------------------------------------
    def _detail(self, cache: ForwardCache, deltas: Array, dlogits: Array, grads: Gradients) -> dict[str, Any]:
        net = self.network
        out = histograms(cache, grads, net.n_layers)
        probe_cache = net.forward(self._probe, train=False)
        probe = (self._probe[0], *[probe_cache.h[l][0] for l in range(net.depth)], probe_cache.logits[0])
        out["probe"] = probe
        out.update(self.evaluate())
        if self._want_output:
            out["output"] = self.output_sample()
        return out

    def evaluate(self) -> dict[str, float | None]:
        """Test loss and train/test accuracy in evaluation mode (no noise, running BN stats)."""
        return evaluate(self.network, self.dataset, self._x_train, self._x_test, self._eval_ws)

    def output_sample(self) -> OutputSample:
        """The decision surface (2-D inputs), the fitted curve (1-D regression) or the test
        confusion matrix (anything else), in evaluation mode."""
        return output_sample(self.network, self.dataset, self._x_test, self._eval_ws)

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
