"""The NumPy engine against an independent PyTorch (autograd) reference, in float64.

The reference network is written here with ``torch.nn.functional`` only: weights are copied
from our :class:`~model.network.Network` (our ``weights[i]`` is (fan_in, fan_out); torch's
``F.linear`` wants (fan_out, fan_in), so they are transposed), then autograd computes every
gradient.  Three things are checked:

* ``Network.gradients``: loss, every weight/bias/gamma/beta gradient and the deltas dL/dz,
  for every activation, both losses, batch norm and residual connections;
* training trajectories: 20 ``Trainer.step()`` calls against a ``torch.optim`` loop fed the
  very same mini-batches (recorded from the trainer), for SGD (momentum, Nesterov), RMSprop
  and Adam, with weight decay (weights only) and gradient clipping;
* the per-step numbers a Snapshot reports (loss, global gradient norm, ``clipped`` and the
  per-layer norms).

PyTorch is a test-only dependency: this module is skipped when it is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from model.config import ExperimentConfig  # noqa: E402
from model.network import BN_EPS, BN_MOMENTUM, Network  # noqa: E402
from model.trainer import Trainer  # noqa: E402

# tests/conftest.py scans gc.get_objects() after every test; with torch loaded, that touches
# torch.distributed's deprecated ``reduce_op`` alias, which warns once per test
pytestmark = pytest.mark.filterwarnings("ignore:`torch.distributed.reduce_op` is deprecated:FutureWarning")

F64 = torch.float64
GRAD_RTOL = 1e-10
TRAJ_RTOL = 1e-9
STEPS = 20

# --------------------------------------------------------------------------------------------
# The reference network
# --------------------------------------------------------------------------------------------


def _torch_activation(name: str, slope: float) -> Any:
    table = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": F.relu,
        # Network.gradients() adds no Noisy-ReLU noise, so the noiseless unit is ReLU
        "noisy_relu": F.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=slope),
        "softplus": F.softplus,
        "elu": F.elu,
        "selu": F.selu,
        "gelu": lambda z: F.gelu(z, approximate="tanh"),
        "softsign": F.softsign,
        "linear": lambda z: z,
    }
    return table[name]


class TorchMLP:
    """The same architecture as :class:`Network`, built from F.linear / F.batch_norm."""

    def __init__(self, net: Network) -> None:
        cfg = net.config
        self.cfg = cfg
        self.depth = net.depth
        self.n_out = net.n_out
        self.act = _torch_activation(cfg.activation, cfg.leaky_slope)

        def leaf(a: np.ndarray) -> Any:
            return torch.tensor(np.array(a, dtype=np.float64), dtype=F64, requires_grad=True)

        self.W = [leaf(w.T) for w in net.weights]  # torch layout (fan_out, fan_in)
        self.b = [leaf(b) for b in net.biases]
        self.gamma = [leaf(g) for g in net.gammas]
        self.beta = [leaf(b) for b in net.betas]
        self.running_mean = [torch.tensor(np.array(m), dtype=F64) for m in net.running_mean]
        self.running_var = [torch.tensor(np.array(v), dtype=F64) for v in net.running_var]
        self.z: list[Any] = []
        self.logits: Any = None

    # in the order of our flat buffer: weights, biases, gammas, betas
    def parameters(self) -> list[Any]:
        return [*self.W, *self.b, *self.gamma, *self.beta]

    def forward(self, x: np.ndarray, *, track_running: bool = False) -> Any:
        h = torch.tensor(np.asarray(x, dtype=np.float64), dtype=F64)
        self.z = []
        for l in range(self.depth):
            z = F.linear(h, self.W[l], self.b[l])
            z.retain_grad()
            self.z.append(z)
            if self.cfg.batch_norm:
                u = F.batch_norm(
                    z,
                    self.running_mean[l] if track_running else None,
                    self.running_var[l] if track_running else None,
                    weight=self.gamma[l],
                    bias=self.beta[l],
                    training=True,
                    momentum=BN_MOMENTUM,
                    eps=BN_EPS,
                )
            else:
                u = z
            a = self.act(u)
            h = h + a if (self.cfg.residual and h.shape[1] == a.shape[1]) else a
        logits = F.linear(h, self.W[-1], self.b[-1])
        logits.retain_grad()
        self.logits = logits
        return logits

    def loss(self, logits: Any, y: np.ndarray) -> Any:
        if self.cfg.loss == "cross_entropy":
            return F.cross_entropy(logits, torch.tensor(np.asarray(y, dtype=np.int64)))
        if self.cfg.is_regression:
            target = torch.tensor(np.asarray(y, dtype=np.float64).reshape(logits.shape), dtype=F64)
        else:
            target = F.one_hot(torch.tensor(np.asarray(y, dtype=np.int64)), self.n_out).to(F64)
        return F.mse_loss(logits, target)  # mean over all elements

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def flat_params(self) -> np.ndarray:
        return _flat([w.detach().numpy().T for w in self.W], self.b, self.gamma, self.beta)

    def flat_grads(self) -> np.ndarray:
        return _flat(
            [w.grad.numpy().T for w in self.W],
            [b.grad for b in self.b],
            [g.grad for g in self.gamma],
            [b.grad for b in self.beta],
        )


def _np(t: Any) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _flat(*groups: list[Any]) -> np.ndarray:
    parts = [_np(a).ravel() for group in groups for a in group]
    return np.concatenate(parts) if parts else np.zeros(0)


def assert_close(ours: Any, ref: Any, rtol: float, what: str) -> None:
    """max |ours − ref| ≤ rtol · max |ref| (relative to the array's scale)."""
    ours = np.asarray(ours, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    assert ours.shape == ref.shape, f"{what}: shape {ours.shape} != torch {ref.shape}"
    assert np.all(np.isfinite(ours)) and np.all(np.isfinite(ref)), f"{what}: non-finite values"
    err = float(np.max(np.abs(ours - ref))) if ours.size else 0.0
    scale = float(np.max(np.abs(ref))) if ref.size else 0.0
    assert err <= rtol * max(scale, 1e-300), f"{what}: max abs error {err:.3e}, scale {scale:.3e}"


# --------------------------------------------------------------------------------------------
# Network.gradients against autograd
# --------------------------------------------------------------------------------------------

GRAD_ACTIVATIONS = [
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "softplus",
    "elu",
    "selu",
    "gelu",
    "softsign",
    "linear",
    "noisy_relu",  # gradients() adds no noise: it must equal ReLU
]


def _random_network(cfg: ExperimentConfig, n_in: int, n_out: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    net = Network(cfg, n_in, n_out, np.random.default_rng([seed, 99]))
    # non-zero biases / BN parameters so every term of every gradient is exercised
    net.params[net.n_weight_params :] = rng.normal(0.0, 0.3, net.n_params - net.n_weight_params)
    for g in net.gammas:
        g += 1.0
    return net


def _check_gradients(cfg: ExperimentConfig, *, n_in: int = 3, n_out: int = 4, batch: int = 16, seed: int = 0) -> None:
    net = _random_network(cfg, n_in, n_out, seed)
    rng = np.random.default_rng([seed, 7])
    x = rng.normal(0.0, 1.0, (batch, n_in))
    y = rng.normal(0.0, 1.0, (batch, n_out)) if cfg.is_regression else rng.integers(0, n_out, batch)
    params_before = net.params.copy()

    grads = net.gradients(x, y)

    ref = TorchMLP(net)
    loss = ref.loss(ref.forward(x), y)
    loss.backward()

    assert np.array_equal(net.params, params_before), "gradients() must not change the parameters"
    assert abs(grads.loss - loss.item()) <= GRAD_RTOL * abs(loss.item()), (grads.loss, loss.item())
    for i, w in enumerate(ref.W):
        assert_close(grads.weights[i], w.grad.numpy().T, GRAD_RTOL, f"dL/dW[{i}]")
    for i, b in enumerate(ref.b):
        if cfg.batch_norm and i < net.depth:
            # with batch norm, dL/db of a hidden layer is zero analytically: both sides hold
            # round-off only, so compare against the layer's delta scale instead
            scale = float(np.max(np.abs(ref.z[i].grad.numpy()))) * batch
            assert float(np.max(np.abs(grads.biases[i]))) <= 1e-12 * scale, f"dL/db[{i}] not ~0"
            assert float(np.max(np.abs(b.grad.numpy()))) <= 1e-12 * scale
        else:
            assert_close(grads.biases[i], b.grad, GRAD_RTOL, f"dL/db[{i}]")
    assert len(grads.gammas) == len(ref.gamma) and len(grads.betas) == len(ref.beta)
    for i, (g, be) in enumerate(zip(ref.gamma, ref.beta, strict=True)):
        assert_close(grads.gammas[i], g.grad, GRAD_RTOL, f"dL/dgamma[{i}]")
        assert_close(grads.betas[i], be.grad, GRAD_RTOL, f"dL/dbeta[{i}]")
    # deltas: dL/dz of every hidden layer (pre-normalisation z) and dL/dlogits
    assert len(grads.deltas) == net.depth + 1
    for i, z in enumerate(ref.z):
        assert_close(grads.deltas[i], z.grad, GRAD_RTOL, f"dL/dz[{i}]")
    assert_close(grads.deltas[-1], ref.logits.grad, GRAD_RTOL, "dL/dlogits")
    # the flat buffer holds the same numbers, in the documented layout
    assert_close(grads.flat, ref.flat_grads(), GRAD_RTOL, "flat gradient")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", GRAD_ACTIVATIONS)
def test_gradients_match_autograd(activation: str, loss: str) -> None:
    depth = 3 + GRAD_ACTIVATIONS.index(activation) % 3  # depths 3, 4 and 5
    cfg = ExperimentConfig(depth=depth, width=6, activation=activation, loss=loss, leaky_slope=0.1)
    _check_gradients(cfg, seed=GRAD_ACTIVATIONS.index(activation))


@pytest.mark.parametrize("init", ["normal", "orthogonal"])
def test_gradients_match_autograd_large_weights(init: str) -> None:
    # larger pre-activations (saturating tanh, large softmax margins)
    cfg = ExperimentConfig(depth=4, width=8, activation="tanh", init=init, init_scale=2.5 if init != "normal" else 1.0)
    _check_gradients(cfg, seed=11)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "selu", "gelu", "softsign"])
@pytest.mark.parametrize(("batch_norm", "residual"), [(True, False), (False, True), (True, True)])
def test_gradients_match_autograd_with_remedies(activation: str, loss: str, batch_norm: bool, residual: bool) -> None:
    cfg = ExperimentConfig(depth=4, width=6, activation=activation, loss=loss, batch_norm=batch_norm, residual=residual)
    # n_in = 3 != width: the first layer is not residual; n_in = width: every layer is
    _check_gradients(cfg, n_in=3, seed=3)
    _check_gradients(cfg, n_in=6, seed=4)


def test_regression_gradients_match_autograd() -> None:
    cfg = ExperimentConfig(dataset="sine", loss="mse", depth=3, width=7, activation="tanh")
    _check_gradients(cfg, n_in=1, n_out=1, seed=5)


def test_batch_of_one_with_batch_norm_is_finite_and_matches() -> None:
    # var = 0 for a batch of one: everything is still defined thanks to eps
    cfg = ExperimentConfig(depth=3, width=5, activation="tanh", batch_norm=True)
    _check_gradients(cfg, batch=2, seed=6)


# --------------------------------------------------------------------------------------------
# Training trajectories against torch.optim
# --------------------------------------------------------------------------------------------


@dataclass
class Recorded:
    batches: list[tuple[np.ndarray, np.ndarray]]
    snaps: list[Any]
    initial_params: np.ndarray
    net: Network
    trainer: Trainer


def _run_engine(cfg: ExperimentConfig, steps: int = STEPS) -> Recorded:
    trainer = Trainer(cfg)
    batches: list[tuple[np.ndarray, np.ndarray]] = []
    original = trainer._next_batch

    def recording() -> tuple[np.ndarray, np.ndarray]:
        x, y = original()
        batches.append((np.array(x, copy=True), np.array(y, copy=True)))
        return x, y

    trainer._next_batch = recording  # type: ignore[method-assign]
    # a fresh Network built from the same config is the trainer's initial state
    initial = trainer.network.params.copy()
    ref_net = Network(cfg, trainer.dataset.n_inputs, trainer.dataset.n_outputs, np.random.default_rng([cfg.seed, 2]))
    assert np.array_equal(ref_net.params, initial)
    snaps = [trainer.step() for _ in range(steps)]
    assert len(batches) == steps
    assert not any(s.diverged for s in snaps), "the reference configs must not diverge"
    return Recorded(batches, snaps, initial, ref_net, trainer)


def _torch_optimizer(cfg: ExperimentConfig, ref: TorchMLP) -> Any:
    # our weight decay applies to the weight matrices only: two parameter groups
    groups = [
        {"params": ref.W, "weight_decay": cfg.weight_decay},
        {"params": [*ref.b, *ref.gamma, *ref.beta], "weight_decay": 0.0},
    ]
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(groups, lr=cfg.learning_rate, momentum=cfg.momentum, nesterov=cfg.nesterov)
    if cfg.optimizer == "rmsprop":
        return torch.optim.RMSprop(groups, lr=cfg.learning_rate, alpha=cfg.rho, eps=cfg.eps, centered=False)
    if cfg.optimizer == "adam":
        return torch.optim.Adam(groups, lr=cfg.learning_rate, betas=(cfg.beta1, cfg.beta2), eps=cfg.eps)
    raise AssertionError(cfg.optimizer)


@dataclass
class TorchStep:
    loss: float
    grad_norm: float
    clipped: bool
    weight_grad_norm: np.ndarray
    bias_grad_norm: np.ndarray
    delta_norm: np.ndarray
    weight_norm: np.ndarray
    update_norm: np.ndarray


def _run_torch(cfg: ExperimentConfig, rec: Recorded, *, clip: str = "exact") -> tuple[TorchMLP, list[TorchStep]]:
    """Replay ``rec.batches`` with torch.optim.

    ``clip="exact"`` rescales by c/‖g‖ when ‖g‖ > c (Pascanu et al.; our definition);
    ``clip="torch"`` calls ``torch.nn.utils.clip_grad_norm_`` verbatim, which rescales by
    c/(‖g‖ + 1e-6) — a relative difference of 1e-6/‖g‖ in every clipped gradient.
    """
    ref = TorchMLP(rec.net)
    opt = _torch_optimizer(cfg, ref)
    params = ref.parameters()
    steps: list[TorchStep] = []
    for x, y in rec.batches:
        ref.zero_grad()
        loss = ref.loss(ref.forward(x, track_running=True), y)
        loss.backward()
        grads = [p.grad for p in params]
        norm = float(torch.nn.utils.get_total_norm(grads))
        weight_grad_norm = np.array([w.grad.norm().item() for w in ref.W])  # before clipping
        bias_grad_norm = np.array([b.grad.norm().item() for b in ref.b])
        clipped = False
        if cfg.grad_clip_norm is not None:
            if clip == "torch":
                returned = float(torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip_norm))
                assert returned == pytest.approx(norm, rel=1e-14)
            elif norm > cfg.grad_clip_norm:
                with torch.no_grad():
                    for g in grads:
                        g.mul_(cfg.grad_clip_norm / norm)
            clipped = norm > cfg.grad_clip_norm
        if cfg.grad_clip_value is not None:
            limit = cfg.grad_clip_value
            clipped = bool(any((g.abs() > limit).any() for g in grads)) or clipped
            torch.nn.utils.clip_grad_value_(params, limit)
        before = [w.detach().clone() for w in ref.W]
        info = TorchStep(
            loss=loss.item(),
            grad_norm=norm,
            clipped=clipped,
            weight_grad_norm=weight_grad_norm,
            bias_grad_norm=bias_grad_norm,
            delta_norm=np.array([z.grad.norm().item() for z in [*ref.z, ref.logits]]),
            weight_norm=np.array([w.norm().item() for w in before]),
            update_norm=np.zeros(0),
        )
        steps.append(info)
        opt.step()
        after = zip(ref.W, before, strict=True)
        info.update_norm = np.array([(w.detach() - b).norm().item() for w, b in after])
    return ref, steps


BASE = {"dataset": "spiral", "n_samples": 200, "depth": 3, "width": 16, "batch_size": 32, "seed": 1}

TRAJECTORIES: dict[str, dict[str, Any]] = {
    "sgd": {"activation": "tanh", "learning_rate": 0.1},
    "sgd_momentum": {"activation": "relu", "init": "he_normal", "momentum": 0.9, "learning_rate": 0.05},
    "sgd_nesterov": {"activation": "tanh", "momentum": 0.9, "nesterov": True, "learning_rate": 0.05},
    "rmsprop": {"activation": "tanh", "optimizer": "rmsprop", "learning_rate": 0.005, "rho": 0.9},
    "rmsprop_rho99": {
        "activation": "gelu",
        "optimizer": "rmsprop",
        "learning_rate": 0.002,
        "rho": 0.99,
        "eps": 1e-6,
    },
    "adam": {"activation": "elu", "optimizer": "adam", "learning_rate": 0.01},
    "adam_betas": {
        "activation": "sigmoid",
        "optimizer": "adam",
        "learning_rate": 0.02,
        "beta1": 0.8,
        "beta2": 0.99,
    },
    "sgd_wd": {"activation": "tanh", "momentum": 0.9, "learning_rate": 0.05, "weight_decay": 0.05},
    "rmsprop_wd": {
        "activation": "softsign",
        "optimizer": "rmsprop",
        "learning_rate": 0.005,
        "weight_decay": 0.1,
    },
    "adam_wd": {"activation": "tanh", "optimizer": "adam", "learning_rate": 0.01, "weight_decay": 0.1},
    "sgd_clip_norm": {"activation": "tanh", "momentum": 0.9, "learning_rate": 0.1, "grad_clip_norm": 0.5},
    "adam_clip_norm_wd": {
        "activation": "relu",
        "optimizer": "adam",
        "learning_rate": 0.01,
        "grad_clip_norm": 0.5,
        "weight_decay": 0.05,
    },
    "sgd_clip_value": {"activation": "tanh", "learning_rate": 0.2, "grad_clip_value": 0.05},
    "rmsprop_clip_both_wd": {
        "activation": "tanh",
        "optimizer": "rmsprop",
        "learning_rate": 0.005,
        "grad_clip_norm": 0.5,
        "grad_clip_value": 0.05,
        "weight_decay": 0.05,
    },
    "sgd_batch_norm": {"activation": "sigmoid", "batch_norm": True, "momentum": 0.9, "learning_rate": 0.1},
    "sgd_bn_residual_nesterov_wd_clip": {
        "activation": "tanh",
        "batch_norm": True,
        "residual": True,
        "momentum": 0.9,
        "nesterov": True,
        "learning_rate": 0.05,
        "weight_decay": 0.01,
        "grad_clip_norm": 1.0,
    },
    "adam_residual": {
        "activation": "tanh",
        "residual": True,
        "depth": 5,
        "optimizer": "adam",
        "learning_rate": 0.01,
    },
    "adam_mse": {"activation": "tanh", "loss": "mse", "optimizer": "adam", "learning_rate": 0.01},
    "sgd_full_batch": {"activation": "tanh", "momentum": 0.9, "learning_rate": 0.1, "batch_size": 4096},
    "sine_regression_adam": {
        "dataset": "sine",
        "loss": "mse",
        "activation": "tanh",
        "optimizer": "adam",
        "learning_rate": 0.01,
    },
    "digits_adam": {
        "dataset": "digits",
        "activation": "relu",
        "init": "he_normal",
        "width": 32,
        "optimizer": "adam",
        "learning_rate": 0.003,
        "batch_size": 64,
    },
}


def _cfg(name: str) -> ExperimentConfig:
    return ExperimentConfig(**{**BASE, **TRAJECTORIES[name]})


@pytest.mark.parametrize("name", list(TRAJECTORIES))
def test_trajectory_matches_torch_optim(name: str) -> None:
    cfg = _cfg(name)
    rec = _run_engine(cfg)
    ref, steps = _run_torch(cfg, rec)

    for i, (snap, t) in enumerate(zip(rec.snaps, steps, strict=True)):
        assert snap.loss == pytest.approx(t.loss, rel=TRAJ_RTOL), f"loss at step {i + 1}"
        assert snap.grad_norm == pytest.approx(t.grad_norm, rel=TRAJ_RTOL), f"grad_norm at step {i + 1}"
        assert snap.clipped == t.clipped, f"clipped at step {i + 1}: engine {snap.clipped}, torch {t.clipped}"

    net = rec.trainer.network
    scale = max(1.0, float(np.max(np.abs(ref.flat_params()))))
    err = float(np.max(np.abs(net.params - ref.flat_params())))
    assert err <= TRAJ_RTOL * scale, f"parameters after {STEPS} steps differ by {err:.3e}"
    # batch-norm running statistics follow torch's (momentum 0.1, unbiased variance)
    for l in range(net.depth if cfg.batch_norm else 0):
        assert_close(net.running_mean[l], ref.running_mean[l], TRAJ_RTOL, f"running_mean[{l}]")
        assert_close(net.running_var[l], ref.running_var[l], TRAJ_RTOL, f"running_var[{l}]")

    # the configs are meant to exercise clipping both ways, where they clip at all
    if cfg.grad_clip_norm is not None or cfg.grad_clip_value is not None:
        fired = [s.clipped for s in rec.snaps]
        assert any(fired), "clipping never fired: the config does not test it"
    if name in ("sgd_clip_norm", "adam_clip_norm_wd"):
        assert not all(fired), "clipping fired on every step: the config does not test the threshold"


@pytest.mark.parametrize("name", ["sgd_clip_norm", "adam_clip_norm_wd", "sgd_bn_residual_nesterov_wd_clip"])
def test_trajectory_with_torch_clip_grad_norm(name: str) -> None:
    """torch.nn.utils.clip_grad_norm_ scales by c/(‖g‖ + 1e-6) instead of c/‖g‖: with it
    verbatim the trajectories agree only to ~1e-6 relative (a documented convention
    difference, not an error of either side)."""
    cfg = _cfg(name)
    rec = _run_engine(cfg)
    ref, steps = _run_torch(cfg, rec, clip="torch")
    for snap, t in zip(rec.snaps, steps, strict=True):
        assert snap.grad_norm == pytest.approx(t.grad_norm, rel=1e-5)
        assert snap.clipped == t.clipped
    scale = max(1.0, float(np.max(np.abs(ref.flat_params()))))
    err = float(np.max(np.abs(rec.trainer.network.params - ref.flat_params())))
    assert err <= 1e-5 * scale, f"parameters differ by {err:.3e}"


# --------------------------------------------------------------------------------------------
# Per-layer Snapshot statistics against torch
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_clip_norm_wd", "sgd_batch_norm", "rmsprop_clip_both_wd"])
def test_snapshot_gradient_norms_match_torch(name: str) -> None:
    cfg = _cfg(name)
    rec = _run_engine(cfg)
    _, steps = _run_torch(cfg, rec)
    for i, (snap, t) in enumerate(zip(rec.snaps, steps, strict=True)):
        wg, bg = t.weight_grad_norm, t.bias_grad_norm
        assert_close(snap.stats["weight_grad_norm"], wg, TRAJ_RTOL, f"weight_grad_norm at step {i + 1}")
        if cfg.batch_norm:  # hidden bias gradients are round-off only: compare the output layer
            assert_close(snap.stats["bias_grad_norm"][-1], bg[-1], TRAJ_RTOL, f"bias_grad_norm at step {i + 1}")
        else:
            assert_close(snap.stats["bias_grad_norm"], bg, TRAJ_RTOL, f"bias_grad_norm at step {i + 1}")
        assert_close(snap.stats["delta_norm"], t.delta_norm, TRAJ_RTOL, f"delta_norm at step {i + 1}")


@pytest.mark.parametrize("name", ["sgd_momentum", "sgd_batch_norm"])
def test_snapshot_weight_norm_and_update_ratio_match_torch(name: str) -> None:
    # regression: the output layer's weight_norm / update_ratio once included every bias and
    # BN gamma/beta (np.add.reduceat's last segment runs to the end of the flat buffer)
    cfg = _cfg(name)
    rec = _run_engine(cfg)
    _, steps = _run_torch(cfg, rec)
    for i, (snap, t) in enumerate(zip(rec.snaps, steps, strict=True)):
        assert_close(snap.stats["weight_norm"], t.weight_norm, TRAJ_RTOL, f"weight_norm at step {i + 1}")
        ratio = t.update_norm / t.weight_norm
        assert_close(snap.stats["update_ratio"], ratio, 1e-6, f"update_ratio at step {i + 1}")
