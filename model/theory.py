"""Mean-field theory of signal propagation at initialisation (the edge of chaos).

For weights W ~ N(0, σ_w²/N) and biases b ~ N(0, σ_b²) the pre-activation variance of a wide
network follows (Poole et al. 2016; Schoenholz et al. 2017)

    q^l = σ_w² E[φ(√q^{l−1} z)²] + σ_b²,      z ~ N(0, 1),

to a fixed point q*, and the backward signal ‖∂L/∂z‖ is multiplied by √χ₁ per layer with

    χ₁ = σ_w² E[φ′(√q* z)²].

χ₁ < 1 is the ordered phase (gradients vanish), χ₁ > 1 the chaotic one (they explode) and
χ₁ = 1 the edge of chaos.  The depth scale ξ = 1/|ln χ₁| is the number of layers over which
the gradient changes e-fold (−1/ln χ₁ in the ordered phase; infinite at χ₁ = 1).

Expectations use closed forms where they exist (ReLU, leaky ReLU, linear, ELU, SELU),
Gauss–Hermite quadrature for the smooth activations (sigmoid, tanh, softplus, GELU) at small
q, and Gauss–Legendre quadrature split at z = 0 for softsign (Gauss–Hermite converges only
algebraically across a kink) and for the smooth ones at large q (where φ′(√q z) narrows
to a spike Gauss–Hermite's nodes step over).  Noisy ReLU, batch norm and residual connections change the
recursion itself: for them the theory here makes no prediction and says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from model.activations import ACTIVATION_NAMES, Activation, get_activation
from model.config import ExperimentConfig
from model.initializers import init_std

Array = NDArray[np.float64]

#: Gauss–Hermite nodes for the smooth activations.  GH places nodes √q·O(1/√n) apart in
#: u = √q z, so features of φ′ of width ~1 at u = 0 are resolved only while q is small:
#: measured for tanh, 240 nodes agree with the split Gauss–Legendre rule to 1e-13 at q = 1,
#: 2e-8 at q = 4, 3e-3 at q = 16.  Beyond Q_HERMITE the split rule takes over.
HERMITE_NODES = 240
Q_HERMITE = 1.5
#: Gauss–Legendre nodes per half line for kinked activations; |z| > LEGENDRE_CUT has mass < 1e-32.
LEGENDRE_NODES = 200
LEGENDRE_CUT = 12.0
#: q above this counts as unbounded (the forward signal grows without limit: q* = ∞).
Q_UNBOUNDED = 1e12
MAX_ITERATIONS = 300
#: relative rounding below which χ₁ (or the ReLU gain) counts as exactly 1, e.g. σ_w = √2
EXACT = 1e-12

SMOOTH = frozenset({"sigmoid", "tanh", "softplus", "gelu"})
CLOSED_FORM = frozenset({"relu", "leaky_relu", "linear", "elu", "selu"})
_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


@dataclass(frozen=True)
class MeanField:
    """The mean-field prediction for one (activation, σ_w, σ_b); every number is ``None`` and
    ``reason`` says why when the theory has no prediction."""

    activation: str
    sigma_w: float
    sigma_b: float
    q_star: float | None
    chi1: float | None
    depth_scale: float | None
    reason: str = ""

    @property
    def predicted(self) -> bool:
        return self.chi1 is not None

    def log_ratio(self, layers: int) -> float | None:
        """Predicted ln(‖∂L/∂z‖ first ÷ last) across ``layers`` hidden layers: (L−1)·½·ln χ₁."""
        if self.chi1 is None or self.chi1 <= 0.0:
            return None
        return (layers - 1) * 0.5 * math.log(self.chi1)


def no_prediction(activation: str, sigma_w: float, sigma_b: float, reason: str) -> MeanField:
    return MeanField(activation, sigma_w, sigma_b, None, None, None, reason)


def depth_scale(chi1: float) -> float:
    """ξ = 1/|ln χ₁|: layers per e-fold change of the gradient; ∞ at χ₁ = 1."""
    if chi1 <= 0.0:
        return 0.0
    log = abs(math.log(chi1))
    return math.inf if log <= EXACT else 1.0 / log


# -- expectations over z ~ N(0, 1) ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _hermite() -> tuple[Array, Array]:
    z, w = np.polynomial.hermite_e.hermegauss(HERMITE_NODES)
    return z, w / math.sqrt(2.0 * math.pi)


@lru_cache(maxsize=1)
def _split_legendre() -> tuple[Array, Array]:
    x, w = np.polynomial.legendre.leggauss(LEGENDRE_NODES)
    half = 0.5 * LEGENDRE_CUT
    pos = half * (x + 1.0)  # [0, cut]
    z = np.concatenate([-pos[::-1], pos])
    weights = np.concatenate([w[::-1], w]) * half * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return z, weights


def gauss_expectation(fn: Callable[[Array], Array], q: float, kinked: bool = False) -> float:
    """E[fn(√q z)] for z ~ N(0, 1) by quadrature: Gauss–Hermite for smooth ``fn`` at
    q ≤ Q_HERMITE, else Gauss–Legendre split at 0 (exact across a kink at 0, and resolving
    the narrow features of φ′(√q z) at large q)."""
    z, w = _split_legendre() if kinked or q > Q_HERMITE else _hermite()
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.dot(w, fn(math.sqrt(max(q, 0.0)) * z)))


def _norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _exp_below_zero(a: float) -> float:
    """E[e^{a z} 1(z < 0)] = e^{a²/2} Φ(−a), written to stay finite for large a."""
    # e^{a²/2} Φ(−a) = ½ erfcx(a/√2); for large a use the asymptotic series' first terms
    x = a / math.sqrt(2.0)
    if x < 25.0:
        return 0.5 * math.exp(x * x) * math.erfc(x)
    return 0.5 / (x * math.sqrt(math.pi)) * (1.0 - 0.5 / (x * x))


def _closed_form(name: str, q: float, slope: float) -> tuple[float, float]:
    """(E[φ(√q z)²], E[φ′(√q z)²]) in closed form."""
    s = math.sqrt(max(q, 0.0))
    if name == "relu":
        return 0.5 * q, 0.5
    if name == "leaky_relu":
        return 0.5 * q * (1.0 + slope * slope), 0.5 * (1.0 + slope * slope)
    if name == "linear":
        return q, 1.0
    if name in ("elu", "selu"):
        alpha, lam = (1.0, 1.0) if name == "elu" else (_SELU_ALPHA, _SELU_SCALE)
        # negative side: φ = λα(e^{sz} − 1), φ′ = λα e^{sz}
        e1 = _exp_below_zero(s)
        e2 = _exp_below_zero(2.0 * s)
        neg_sq = alpha * alpha * (e2 - 2.0 * e1 + 0.5)
        phi_sq = lam * lam * (0.5 * q + neg_sq)
        dphi_sq = lam * lam * (0.5 + alpha * alpha * e2)
        return phi_sq, dphi_sq
    raise ValueError(f"no closed form for {name!r}")


@lru_cache(maxsize=64)
def _activation(name: str, leaky_slope: float) -> Activation:
    return get_activation(name, leaky_slope)


def moments(name: str, q: float, leaky_slope: float = 0.01) -> tuple[float, float]:
    """(E[φ(√q z)²], E[φ′(√q z)²]) for activation ``name`` at pre-activation variance q."""
    if name in CLOSED_FORM:
        return _closed_form(name, q, leaky_slope)
    act = _activation(name, leaky_slope)
    kinked = name not in SMOOTH

    def sq(u: Array) -> Array:
        return np.asarray(act.fn(u) ** 2, dtype=np.float64)

    def dsq(u: Array) -> Array:
        return np.asarray(act.grad(u, act.fn(u)) ** 2, dtype=np.float64)

    return gauss_expectation(sq, q, kinked), gauss_expectation(dsq, q, kinked)


#: activations whose E[φ(√q z)²]/q never increases with q: for them q = 0 attracts globally
#: (σ_b = 0) as soon as it attracts locally
_SUBLINEAR = frozenset({"tanh", "softsign", "elu", "selu"})
_TINY_Q = 1e-24


def _small_q_limits(name: str, leaky_slope: float) -> tuple[float, float]:
    """(lim E[φ(√q z)²]/q, lim E[φ′(√q z)²]) as q → 0 (left and right slopes averaged at a kink)."""
    m0, m1 = moments(name, _TINY_Q, leaky_slope)
    return m0 / _TINY_Q, m1


def fixed_point(name: str, sigma_w: float, sigma_b: float, leaky_slope: float = 0.01, q0: float = 1.0) -> float:
    """q*: the attracting fixed point of the variance map reached from q0 (∞ if unbounded)."""
    sw2, sb2 = sigma_w * sigma_w, sigma_b * sigma_b
    if name in ("relu", "leaky_relu", "linear"):
        gain = sw2 * _closed_form(name, 1.0, leaky_slope)[0]  # the map is q ↦ gain·q + σ_b²
        if abs(gain - 1.0) <= EXACT:
            gain = 1.0
        if gain < 1.0:
            return sb2 / (1.0 - gain)
        if sb2 == 0.0:
            return q0 if gain == 1.0 else math.inf
        return math.inf
    if sb2 == 0.0 and name in _SUBLINEAR and sw2 * _small_q_limits(name, leaky_slope)[0] <= 1.0 + 1e-9:
        # q = 0 is a fixed point and the map's slope there is at most 1: it attracts (at
        # exactly 1 only algebraically, so iterating would not get there)
        return 0.0

    def excess(q: float) -> float:
        return sw2 * moments(name, q, leaky_slope)[0] + sb2 - q

    # The map is increasing in q, so iterates move monotonically to the nearest fixed point in
    # their direction.  Iterate while that is quick; near the edge of chaos the steps shrink
    # only slowly, so then bracket the fixed point (halving/doubling) and bisect.
    q = q0
    prev = q0
    for _ in range(MAX_ITERATIONS):
        new = q + excess(q)
        if not math.isfinite(new) or new > Q_UNBOUNDED:
            return math.inf
        if abs(new - q) <= 1e-13 * max(1.0, q):
            return new
        prev, q = q, new
    if q < prev:  # falling: the fixed point lies below, where the excess turns ≥ 0
        hi, lo = q, q
        while excess(lo) < 0.0:
            lo *= 0.5
            if lo < 1e-300:
                return 0.0
    else:  # rising: it lies above, where the excess turns ≤ 0
        lo, hi = q, q
        while excess(hi) > 0.0:
            hi *= 2.0
            if hi > Q_UNBOUNDED:
                return math.inf
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if excess(mid) >= 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def mean_field(activation: str, sigma_w: float, sigma_b: float = 0.0, leaky_slope: float = 0.01) -> MeanField:
    """q*, χ₁ and the depth scale ξ for hidden layers with σ_w² = fan_in·Var(W), σ_b."""
    if activation not in ACTIVATION_NAMES:
        raise ValueError(f"unknown activation {activation!r}; allowed: {', '.join(ACTIVATION_NAMES)}")
    if not (math.isfinite(sigma_w) and sigma_w >= 0.0 and math.isfinite(sigma_b) and sigma_b >= 0.0):
        raise ValueError(f"sigma_w and sigma_b must be finite and ≥ 0; got {sigma_w!r}, {sigma_b!r}")
    if activation == "noisy_relu":
        return no_prediction(
            activation,
            sigma_w,
            sigma_b,
            "no mean-field prediction for Noisy ReLU: its training noise changes the variance map",
        )
    q = fixed_point(activation, sigma_w, sigma_b, leaky_slope)
    if math.isinf(q):
        # only unbounded activations get here; their E[φ′²] tends to its q → ∞ limit
        dphi_sq = moments(activation, Q_UNBOUNDED, leaky_slope)[1]
    elif q == 0.0:
        dphi_sq = _small_q_limits(activation, leaky_slope)[1]
    else:
        dphi_sq = moments(activation, q, leaky_slope)[1]
    chi1 = sigma_w * sigma_w * dphi_sq
    return MeanField(activation, sigma_w, sigma_b, q, chi1, depth_scale(chi1))


def sigma_w(config: ExperimentConfig) -> float:
    """σ_w of the hidden-to-hidden weights: σ_w² = fan_in·Var(W) for the config's initialiser
    and gain (fan_in = fan_out = width)."""
    n = config.width
    return init_std(config.init, n, n, config.init_scale) * math.sqrt(n)


def predict(config: ExperimentConfig) -> MeanField:
    """The mean-field prediction for ``config``'s hidden layers, or why there is none."""
    sw = sigma_w(config)
    if config.batch_norm:
        return no_prediction(config.activation, sw, config.bias_std, "no mean-field prediction with batch norm")
    if config.residual:
        return no_prediction(
            config.activation, sw, config.bias_std, "no mean-field prediction with residual connections"
        )
    return mean_field(config.activation, sw, config.bias_std, config.leaky_slope)


def critical_sigma_w(
    activation: str, sigma_b: float, lo: float = 0.05, hi: float = 20.0, leaky_slope: float = 0.01
) -> float | None:
    """σ_w on the edge of chaos (χ₁ = 1) for this σ_b, by bisection; None when χ₁ − 1 does not
    change sign on [lo, hi]."""

    def f(sw: float) -> float:
        chi = mean_field(activation, sw, sigma_b, leaky_slope).chi1
        assert chi is not None
        return chi - 1.0

    a, b = lo, hi
    fa, fb = f(a), f(b)
    if fa == 0.0:
        return a
    if fa * fb > 0.0:
        return None
    for _ in range(60):
        m = 0.5 * (a + b)
        fm = f(m)
        if fa * fm <= 0.0:
            b = m
        else:
            a, fa = m, fm
    return 0.5 * (a + b)


__all__ = ["MeanField", "critical_sigma_w", "depth_scale", "fixed_point", "mean_field", "moments", "predict", "sigma_w"]
