"""Bundled scenes (resources/scenes/*.json): every file loads, and each scene's claim really
shows when its runs are trained headless.

Runs are trained once per config and shared between tests (a scene's baseline is often
another scene's run); statistics are recorded every step, test accuracy every
``EVAL_EVERY`` steps.  Each claim test prints the numbers it checks (``pytest -s``).
"""

from __future__ import annotations

import itertools
import json
import math
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from model.activations import get_activation
from model.config import ExperimentConfig, config_field_names
from model.scenes import MAX_RUNS, Scene, list_scenes, load_scene, scenes_dir
from model.trainer import Trainer

REQUIRED = (
    "vanishing-sigmoid",
    "sigmoid-derivative",
    "exploding-init",
    "relu-rescue",
    "relu-sparsity",
    "dying-relu",
    "leaky-relu",
    "noisy-relu",
    "softplus-vs-relu",
    "pretraining",
    "glorot-init",
    "he-vs-xavier-30",
    "clipping",
    "batchnorm-rescue",
    "residual-rescue",
    "edge-of-chaos",
    "depth-vs-gain",
)
#: The room must see the claim within about 30 s at several hundred steps per second.
MAX_STEPS = 3000
MAX_WIDTH = 64
EVAL_EVERY = 100
TAIL = 50
LN3 = math.log(3.0)
STATS = ("delta_norm", "zero_fraction", "dead_fraction", "activation_std")


# -- shared training ---------------------------------------------------------------------


@dataclass
class Run:
    """One config trained step by step; extended on demand and shared between tests."""

    config: ExperimentConfig
    trainer: Trainer = field(init=False)
    losses: list[float] = field(default_factory=list)
    clipped: list[bool] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    stats: dict[str, list[np.ndarray]] = field(default_factory=lambda: {k: [] for k in STATS})
    evals: dict[int, dict[str, Any]] = field(default_factory=dict)
    diverged_step: int | None = None

    def __post_init__(self) -> None:
        self.trainer = Trainer(self.config)

    def advance(self, steps: int) -> None:
        t = self.trainer
        while t.step_count < steps and self.diverged_step is None:
            snap = t.step()
            self.losses.append(snap.loss)
            self.clipped.append(snap.clipped)
            self.phases.append(snap.phase)
            for k in STATS:
                self.stats[k].append(np.array(snap.stats[k]))
            if snap.diverged:
                self.diverged_step = snap.step
            if snap.step % EVAL_EVERY == 0 or snap.diverged:
                self.evals[snap.step] = t.evaluate()


_RUNS: dict[ExperimentConfig, Run] = {}


@dataclass(frozen=True)
class Trace:
    """The first ``steps`` steps of a run (fewer if it diverged)."""

    config: ExperimentConfig
    losses: np.ndarray
    clipped: np.ndarray
    phases: tuple[str, ...]
    stats: dict[str, np.ndarray]  # name -> (steps, weight layers)
    evals: dict[int, dict[str, Any]]
    diverged_step: int | None

    @property
    def depth(self) -> int:
        return self.config.depth

    def eval_at(self, step: int) -> dict[str, Any]:
        return self.evals[step]

    @property
    def final(self) -> dict[str, Any]:
        return self.evals[max(self.evals)]

    @property
    def accuracy(self) -> float:
        return float(self.final["test_accuracy"])

    def tail_loss(self, n: int = TAIL) -> float:
        return float(np.mean(self.losses[-n:]))

    def ratio(self, start: int | None = None, stop: int | None = None) -> float:
        """Mean over steps [start, stop) of ‖dL/dz‖ first hidden / last hidden layer
        (default: the last ``TAIL`` steps)."""
        d = self.stats["delta_norm"]
        if start is None:
            start, stop = len(d) - TAIL, len(d)
        return float(np.mean(d[start:stop, 0] / d[start:stop, self.depth - 1]))

    def hidden_mean(self, name: str, n: int = TAIL) -> float:
        """Mean over the last ``n`` steps and over the hidden layers of statistic ``name``."""
        return float(np.mean(self.stats[name][-n:, : self.depth]))

    def hidden_tail(self, name: str, n: int = TAIL) -> np.ndarray:
        """Per hidden layer, the mean over the last ``n`` steps of statistic ``name``."""
        return np.mean(self.stats[name][-n:, : self.depth], axis=0)


def train(config: ExperimentConfig, steps: int) -> Trace:
    """The first ``steps`` steps of ``config`` (a multiple of EVAL_EVERY), trained once."""
    assert steps % EVAL_EVERY == 0
    run = _RUNS.get(config)
    if run is None:
        run = _RUNS[config] = Run(config)
    run.advance(steps)
    n = min(steps, len(run.losses))
    return Trace(
        config=config,
        losses=np.array(run.losses[:n]),
        clipped=np.array(run.clipped[:n]),
        phases=tuple(run.phases[:n]),
        stats={k: np.array(v[:n]) for k, v in run.stats.items()},
        evals={s: e for s, e in run.evals.items() if s <= n},
        diverged_step=run.diverged_step if run.diverged_step is not None and run.diverged_step <= n else None,
    )


def scene_runs(name: str, steps: int) -> list[Trace]:
    scene = load_scene(name)
    assert steps <= scene.steps
    return [train(r.config, steps) for r in scene.runs]


def report(scene: str, **numbers: Any) -> None:
    parts = [f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in numbers.items()]
    print(f"\n[{scene}] " + ", ".join(parts))


# -- the files ---------------------------------------------------------------------------


def test_required_scenes_exist() -> None:
    missing = sorted(set(REQUIRED) - set(list_scenes()))
    assert not missing, f"missing scenes: {missing}"


@pytest.mark.parametrize("name", list_scenes())
def test_every_scene_file_loads(name: str) -> None:
    scene = load_scene(name)
    assert scene.name == name and scene.title.strip() and scene.caption.strip()
    for run in scene.runs:
        Trainer(run.config)  # builds: data, network and optimiser


@pytest.mark.parametrize("name", REQUIRED)
def test_scene_file_is_complete(name: str) -> None:
    scene = load_scene(name)
    assert isinstance(scene, Scene)
    for text in (scene.title, scene.caption, scene.title_zh, scene.caption_zh):
        assert text.strip()
    # the Chinese texts really are Chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in scene.title_zh + scene.caption_zh)
    assert 1 <= len(scene.runs) <= MAX_RUNS
    assert 1 <= scene.steps <= MAX_STEPS
    labels = [r.label for r in scene.runs]
    assert len(set(labels)) == len(labels)
    for run in scene.runs:
        assert run.label.strip() and run.label_zh.strip()
        assert run.config.width <= MAX_WIDTH
        assert ExperimentConfig.from_dict(run.config.to_dict()) == run.config
    # every run spells out every field, so a changed default cannot change a scene
    raw = json.loads((scenes_dir() / f"{name}.json").read_text(encoding="utf-8"))
    for run_data in raw["runs"]:
        assert set(run_data["config"]) == set(config_field_names())


# -- the claims --------------------------------------------------------------------------


def test_vanishing_sigmoid() -> None:
    (sig,) = scene_runs("vanishing-sigmoid", 1000)
    ratio = sig.ratio()
    stall = abs(float(np.mean(sig.losses[500:550])) - sig.tail_loss())
    report("vanishing-sigmoid", ratio_first_last=ratio, test_acc=sig.accuracy, tail_loss=sig.tail_loss(), stall=stall)
    assert ratio < 1e-4  # measured ≈ 3e-6: "about 300 000 times smaller"
    assert 1e-7 < ratio
    assert sig.accuracy < 0.4  # chance is 1/3
    assert abs(sig.tail_loss() - LN3) < 0.03
    assert stall < 0.02


def test_sigmoid_derivative() -> None:
    sigmoid = get_activation("sigmoid")
    x = np.linspace(-10.0, 10.0, 200_001)
    h = sigmoid.fn(x)
    d = sigmoid.grad(x, h)
    np.testing.assert_allclose(d, h * (1.0 - h))
    assert abs(float(d.max()) - 0.25) < 1e-12
    assert x[int(np.argmax(d))] == 0.0
    assert sigmoid.max_grad == 0.25

    traces = scene_runs("sigmoid-derivative", 200)
    depths = [t.depth for t in traces]
    assert depths == sorted(depths) and len(set(depths)) == len(depths)
    # first hidden layer's ‖dL/dz‖ relative to the output layer's, mean over the last steps
    to_output = [float(np.mean(t.stats["delta_norm"][-TAIL:, 0] / t.stats["delta_norm"][-TAIL:, -1])) for t in traces]
    first_grad = [float(np.mean(t.stats["delta_norm"][-TAIL:, 0])) for t in traces]
    per_layer = (to_output[2] / to_output[1]) ** (1.0 / (depths[2] - depths[1]))
    report("sigmoid-derivative", depths=depths, first_over_output=[f"{r:.2g}" for r in to_output], per_layer=per_layer)
    assert all(a > 10 * b for a, b in itertools.pairwise(to_output))
    assert all(a > b for a, b in itertools.pairwise(first_grad))
    assert to_output[0] > 1e-2 and to_output[1] < 1e-2 and to_output[2] < 1e-5
    assert 0.15 < per_layer < 0.35  # about one factor 1/4 per added layer


def test_exploding_init() -> None:
    scene = load_scene("exploding-init")
    big = train(scene.runs[0].config, 100)
    dn = big.stats["delta_norm"][0]  # the very first step
    hidden = dn[: big.depth]
    growth = float(hidden[0] / hidden[-1])
    per_layer = growth ** (1.0 / (big.depth - 1))
    good = train(scene.runs[1].config, 1000)
    report(
        "exploding-init",
        diverged_step=big.diverged_step,
        step1_first_over_last=growth,
        per_layer=per_layer,
        he_acc=good.accuracy,
    )
    # norms grow monotonically toward the input, by a large factor, on the first step
    assert np.all(np.diff(dn) < 0)
    assert growth > 30
    assert 1.3 < per_layer < 2.0
    # ... and the run diverges, deterministically, long before the recommended steps end
    assert big.diverged_step is not None and big.diverged_step <= 10
    assert big.diverged_step <= scene.steps
    assert good.diverged_step is None and good.accuracy >= 0.9


def test_relu_rescue() -> None:
    sig, relu = scene_runs("relu-rescue", 1000)
    report(
        "relu-rescue",
        relu_ratio_first50=relu.ratio(0, 50),
        relu_ratio=relu.ratio(),
        sig_ratio=sig.ratio(),
        relu_acc=relu.accuracy,
        sig_acc=sig.accuracy,
    )
    assert sig.ratio() < 1e-4
    assert 0.3 <= relu.ratio(0, 50) <= 3.0
    assert 1e-1 <= relu.ratio() <= 1e2
    assert relu.accuracy >= 0.95
    assert relu.accuracy - sig.accuracy >= 0.5


def test_relu_sparsity() -> None:
    (relu,) = scene_runs("relu-sparsity", 1000)
    # the caption's contrast: a tanh unit is never exactly zero
    tanh = train(relu.config.replace(activation="tanh", init="xavier_normal"), 100)
    zero_tail = relu.hidden_mean("zero_fraction")
    zero_first = float(np.mean(relu.stats["zero_fraction"][0, : relu.depth]))
    per_layer = relu.hidden_tail("zero_fraction")
    report(
        "relu-sparsity",
        zero_first_step=zero_first,
        zero_last50=zero_tail,
        per_layer=np.round(per_layer, 2).tolist(),
        tanh_zero=float(tanh.stats["zero_fraction"].max()),
        relu_acc=relu.accuracy,
    )
    assert 0.35 <= zero_tail <= 0.65
    assert 0.35 <= zero_first <= 0.65
    assert np.all((per_layer > 0.3) & (per_layer < 0.7))
    assert float(tanh.stats["zero_fraction"].max()) == 0.0
    assert relu.accuracy >= 0.9


def _last_hidden_dead(trace: Trace) -> bool:
    """The last hidden layer entirely dead and no gradient below it, over the last steps."""
    tail = trace.stats["dead_fraction"][-TAIL:, trace.depth - 1]
    below = trace.stats["delta_norm"][-TAIL:, : trace.depth]
    return bool(np.all(tail == 1.0) and np.all(below == 0.0))


def test_dying_relu() -> None:
    (big,) = scene_runs("dying-relu", 1500)
    # the caption's contrast, measured: the same net at learning rate 0.1
    small = train(big.config.replace(learning_rate=0.1), 1500)
    dead = big.hidden_tail("dead_fraction")
    early = float(np.mean(big.stats["dead_fraction"][:10, : big.depth]))
    report(
        "dying-relu",
        dead_per_layer=np.round(dead, 2).tolist(),
        dead_mean_first10=early,
        dead_mean_last50=float(dead.mean()),
        last_hidden_dead_no_gradient_below=_last_hidden_dead(big),
        lr2_acc=big.accuracy,
        lr2_tail_loss=big.tail_loss(),
        lr01_dead_mean=small.hidden_mean("dead_fraction"),
        lr01_acc=small.accuracy,
    )
    assert big.diverged_step is None and small.diverged_step is None
    assert _last_hidden_dead(big)  # a whole layer is dead and blocks the gradient
    # it dies within the first couple of hundred steps and never recovers
    assert np.all(big.stats["dead_fraction"][200:, big.depth - 1] == 1.0)
    assert dead.mean() >= 0.3 and dead.mean() > early + 0.2  # and the dead fraction grew
    assert abs(big.tail_loss() - LN3) < 0.03 and big.accuracy <= 0.4
    assert small.hidden_mean("dead_fraction") <= 0.2 and small.accuracy >= 0.9


def test_leaky_relu() -> None:
    relu, leaky = scene_runs("leaky-relu", 1500)
    report(
        "leaky-relu",
        leaky_dead_max=float(leaky.stats["dead_fraction"].max()),
        leaky_zero_max=float(leaky.stats["zero_fraction"].max()),
        leaky_acc=leaky.accuracy,
        relu_last_hidden_dead=_last_hidden_dead(relu),
        relu_tail_loss=relu.tail_loss(),
        relu_acc=relu.accuracy,
    )
    assert relu.config == load_scene("dying-relu").runs[0].config
    assert relu.config.replace(activation="leaky_relu") == leaky.config
    assert leaky.diverged_step is None
    assert float(leaky.stats["dead_fraction"].max()) == 0.0  # never exactly zero
    assert float(leaky.stats["zero_fraction"].max()) == 0.0
    assert _last_hidden_dead(relu) and abs(relu.tail_loss() - LN3) < 0.03
    assert leaky.accuracy >= 0.9 and relu.accuracy <= 0.4


def test_noisy_relu() -> None:
    sig, relu, noisy = scene_runs("noisy-relu", 1500)
    report(
        "noisy-relu",
        noisy_ratio=noisy.ratio(),
        noisy_acc=noisy.accuracy,
        relu_acc=relu.accuracy,
        sig_acc=sig.accuracy,
        noisy_zero=noisy.hidden_mean("zero_fraction"),
    )
    assert 1e-1 <= noisy.ratio() <= 1e2  # no vanishing
    assert noisy.accuracy >= 0.6 and noisy.accuracy >= sig.accuracy + 0.25
    assert relu.accuracy >= noisy.accuracy + 0.1  # the noise slows it down here
    assert sig.accuracy < 0.4


def test_softplus_vs_relu() -> None:
    relu, soft = scene_runs("softplus-vs-relu", 1000)

    def cost(name: str) -> float:
        act = get_activation(name)
        z = np.random.default_rng(0).standard_normal((64, 32))
        return min(timeit.repeat(lambda: act.grad(z, act.fn(z)), number=200, repeat=5))

    cost_ratio = cost("softplus") / cost("relu")
    report(
        "softplus-vs-relu",
        relu_acc=relu.accuracy,
        soft_acc=soft.accuracy,
        relu_ratio=relu.ratio(),
        soft_ratio=soft.ratio(),
        relu_zero=relu.hidden_mean("zero_fraction"),
        soft_zero=float(soft.stats["zero_fraction"].max()),
        activation_cost_ratio=cost_ratio,
    )
    assert soft.accuracy >= 0.9 and soft.accuracy >= relu.accuracy - 0.05  # not worse here
    assert 1e-1 <= soft.ratio() <= 1e2
    assert float(soft.stats["zero_fraction"].max()) == 0.0
    assert 0.35 <= relu.hidden_mean("zero_fraction") <= 0.75
    assert cost_ratio > 3.0


def test_pretraining() -> None:
    plain, pre, relu = scene_runs("pretraining", 2500)
    n_pre = pre.phases.count("pretrain")
    acc = {
        k: {s: t.eval_at(s)["test_accuracy"] for s in (500, 1000, 1500, 2000, 2500)}
        for k, t in (("plain", plain), ("pre", pre), ("relu", relu))
    }
    report(
        "pretraining",
        pretrain_steps=n_pre,
        plain_acc=acc["plain"],
        pre_acc=acc["pre"],
        relu_acc=acc["relu"],
    )
    assert n_pre == 525 and set(pre.phases[n_pre:]) == {"train"}
    assert plain.phases.count("pretrain") == 0 and relu.phases.count("pretrain") == 0
    # ReLU without pre-training ≈ sigmoid with pre-training (final test accuracy) ...
    assert pre.accuracy >= 0.85 and relu.accuracy >= 0.85
    assert abs(pre.accuracy - relu.accuracy) <= 0.05
    # ... ReLU gets there within a few hundred steps, the plain sigmoid net sits on its plateau
    assert acc["relu"][500] >= 0.85
    assert acc["plain"][2000] <= 0.5 and plain.accuracy <= pre.accuracy - 0.3


def test_glorot_init() -> None:
    std, norm = scene_runs("glorot-init", 2500)
    early_std, early_norm = std.ratio(0, 200), norm.ratio(0, 200)
    loss_std = float(np.mean(std.losses[950:1000]))
    loss_norm = float(np.mean(norm.losses[950:1000]))
    report(
        "glorot-init",
        standard_ratio_1_200=early_std,
        normalised_ratio_1_200=early_norm,
        standard_ratio_step1=float(std.ratio(0, 1)),
        normalised_ratio_step1=float(norm.ratio(0, 1)),
        standard_loss_1000=loss_std,
        normalised_loss_1000=loss_norm,
        standard_ratio_951_1000=std.ratio(950, 1000),
        normalised_ratio_951_1000=norm.ratio(950, 1000),
        standard_ratio_last50=std.ratio(),
        standard_acc=std.accuracy,
        normalised_acc=norm.accuracy,
    )
    assert early_std < 0.3 and 0.5 < early_norm < 2.0
    assert early_std < 0.3 * early_norm
    assert std.ratio(950, 1000) < 1.0 < norm.ratio(950, 1000)
    assert std.ratio() > 3 * early_std  # as the weights grow the profile levels out
    assert norm.accuracy >= 0.8 and norm.accuracy >= std.accuracy + 0.2
    assert loss_norm < loss_std - 0.1  # the normalised net learns faster


def test_he_vs_xavier_30() -> None:
    lecun, he = scene_runs("he-vs-xavier-30", 1000)
    std_l = lecun.stats["activation_std"][0]  # first step
    std_h = he.stats["activation_std"][0]
    grad_l = float(lecun.stats["delta_norm"][0, 0])
    grad_h = float(he.stats["delta_norm"][0, 0])
    report(
        "he-vs-xavier-30",
        lecun_act_30_over_1=float(std_l[29] / std_l[0]),
        he_act_30_over_1=float(std_h[29] / std_h[0]),
        lecun_first_layer_grad=grad_l,
        he_first_layer_grad=grad_h,
        lecun_first_loss=float(lecun.losses[0]),
        lecun_tail_loss=lecun.tail_loss(),
        lecun_acc=lecun.accuracy,
        he_first_loss=float(he.losses[0]),
        he_tail_loss=he.tail_loss(),
        he_acc=he.accuracy,
    )
    assert lecun.depth == he.depth == 30
    assert std_l[29] / std_l[0] < 1e-3 and std_h[29] / std_h[0] > 0.1
    assert grad_l < 1e-3 * grad_h  # the gradients are as tiny
    assert abs(lecun.tail_loss() - LN3) < 0.01 and lecun.accuracy <= 0.5  # stalls
    assert he.tail_loss() < 0.5 * he.losses[0] and he.accuracy >= 0.85  # trains


def test_clipping() -> None:
    free, clipped = scene_runs("clipping", 1000)
    report(
        "clipping",
        unclipped_diverged_step=free.diverged_step,
        clipped_first_loss=float(clipped.losses[0]),
        clipped_share_first600=float(clipped.clipped[:600].mean()),
        clipped_steps_clipped=int(clipped.clipped.sum()),
        clipped_tail_loss=clipped.tail_loss(),
        clipped_acc=clipped.accuracy,
    )
    assert free.config.replace(grad_clip_norm=clipped.config.grad_clip_norm) == clipped.config
    assert free.diverged_step is not None and free.diverged_step <= 10
    assert clipped.diverged_step is None and np.all(np.isfinite(clipped.losses))
    assert clipped.clipped[:600].mean() > 0.9 and clipped.losses[0] > 100
    assert clipped.tail_loss() < 0.1 and clipped.accuracy >= 0.9


def test_batchnorm_rescue() -> None:
    plain = train(load_scene("batchnorm-rescue").runs[0].config, 1000)
    bn = train(load_scene("batchnorm-rescue").runs[1].config, 600)
    report(
        "batchnorm-rescue",
        bn_ratio=bn.ratio(),
        bn_tail_loss=bn.tail_loss(),
        bn_acc_600=bn.accuracy,
        plain_ratio=plain.ratio(),
        plain_acc=plain.accuracy,
    )
    assert plain.config.replace(batch_norm=True) == bn.config
    assert bn.ratio() > 1.0 and plain.ratio() < 1e-4
    assert bn.tail_loss() < 0.4 and bn.accuracy >= 0.8
    assert plain.accuracy < 0.4


def test_residual_rescue() -> None:
    plain = train(load_scene("residual-rescue").runs[0].config, 1000)
    res = train(load_scene("residual-rescue").runs[1].config, 3000)
    acc = {s: res.eval_at(s)["test_accuracy"] for s in (1000, 2000, 3000)}
    report(
        "residual-rescue",
        res_ratio=res.ratio(),
        res_acc=acc,
        res_tail_loss=res.tail_loss(),
        plain_ratio=plain.ratio(),
        plain_acc=plain.accuracy,
    )
    assert plain.config.replace(residual=True) == res.config
    assert res.ratio() > 1.0 and plain.ratio() < 1e-4
    assert acc[1000] >= plain.accuracy + 0.1 and res.accuracy >= 0.85
    assert res.tail_loss() < 0.5


# -- sweep scenes: phase diagrams ---------------------------------------------------------


def _sweep_rows(name: str, keep: Callable[[tuple[Any, ...]], bool]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The scene's sweep measured at the grid points ``keep`` selects (in this process)."""
    from model.sweep import SerialExecutor, run_sweep

    scene = load_scene(name)
    assert scene.sweep is not None
    spec = scene.sweep
    rows: list[dict[str, Any]] = []
    skip = [p.key for p in spec.points() if not keep(p.key)]
    run_sweep(spec, SerialExecutor(), rows.append, skip=skip)
    return {tuple(r[f] for f in spec.fields): r for r in rows}


def test_edge_of_chaos() -> None:
    """Away from the critical line the measured ln(first ÷ last) of a fresh 30-layer tanh net is
    29·½·ln χ₁ within 15 %; near it (|prediction| < ½) the gradient keeps its size."""
    sigma_w = load_scene("edge-of-chaos").sweep.axes[0].values  # type: ignore[union-attr]
    rows = _sweep_rows("edge-of-chaos", lambda k: k[0] in sigma_w[::4] and k[1] in (0.0, 0.25, 0.5))
    assert len(rows) == 18
    checked, near = [], []
    for (sw, sb), row in rows.items():
        predicted = 29 * 0.5 * math.log(row["chi1"])
        measured = math.log(row["grad_ratio_init"])
        if abs(predicted) >= 4:
            checked.append((sw, sb, predicted, measured))
            assert abs(measured - predicted) <= 0.15 * abs(predicted), (sw, sb, predicted, measured)
        elif abs(predicted) >= 1:
            assert measured * predicted > 0, (sw, sb, predicted, measured)  # the right phase
        elif abs(predicted) < 0.5:
            near.append((sw, sb))
            assert abs(measured) < 1.0, (sw, sb, predicted, measured)
    report(
        "edge-of-chaos",
        checked=len(checked),
        near_critical=len(near),
        worst=max(abs(m - p) / abs(p) for _, _, p, m in checked),
    )
    assert len(checked) >= 10 and near
    # both phases are in the picture: vanishing by ≥ 1e-6 and exploding by ≥ 1e2
    ratios = [r["grad_ratio_init"] for r in rows.values()]
    assert min(ratios) < 1e-6 and max(ratios) > 1e2


def test_depth_vs_gain() -> None:
    """Every gain trains a 2-layer ReLU net; with depth the trainable band narrows to He's gain 1:
    below it the gradient vanishes, above it the run explodes."""
    rows = _sweep_rows("depth-vs-gain", lambda k: k[1] in (2, 30) or k[0] == 1.0)
    acc = {k: r["test_accuracy_final"] for k, r in rows.items()}
    report("depth-vs-gain", **{f"g{g}_d{d}": a for (g, d), a in sorted(acc.items())})
    gains = sorted({g for g, _ in rows})
    assert all(acc[(g, 2)] >= 0.85 for g in gains)
    assert all(acc[(1.0, d)] >= 0.7 for d in (2, 5, 10, 20, 30))
    for g in gains:
        if g < 1.0:  # vanishing: the loss never leaves ln 3, the first layer gets < 1e-3 of the last's gradient
            assert acc[(g, 30)] < 0.4 and rows[(g, 30)]["grad_ratio_init"] < 1e-3
        if g > 1.0:  # exploding: diverged (no accuracy) or stuck at chance
            r = rows[(g, 30)]
            assert r["diverged_fraction"] == 1.0 or acc[(g, 30)] < 0.4
            assert r["grad_ratio_init"] > 1e2
