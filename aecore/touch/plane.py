"""Drag a point in the plane of the curve lessons: what each page's trained 2-D model does at
one point x the learner clicks. Plain functions on a finished Result; nothing trains.

- ``intro`` (lesson 1): the 1-D code z = f(x), the reconstruction g(f(x)) (a point of the
  learned curve) and its distance ‖x − g(f(x))‖.
- ``contractive`` (lesson 6): J_f(x) of the plain AE and of the CAE (autograd), factored
  J_f = U S Vᵀ: the right-singular vector v₁ is the input direction the code follows most
  (gain s₁), v₂ the one it follows least (gain s₂ ≤ s₁). Each v₁ is compared with the unit
  tangent τ of the true curve at the point nearest to x: the angle between the lines,
  ∠(v₁, τ) ∈ [0°, 90°] (Rifai et al. 2011: a CAE keeps the tangent and contracts across it).
- ``denoising_field`` (lesson 7): the DAE's displacement r(x) − x against the true projection
  π(x) − x onto the curve (``aecore.data.curves``), the angle between them ∈ [0°, 180°] and
  both lengths (Alain & Bengio 2014: r(x) − x points back towards the data).
"""

from __future__ import annotations

import numpy as np
import torch

from aecore.data.curves import get_curve
from aecore.experiments.base import Result
from aecore.train import as_tensor, predict

CURVE_MODELS = {"ae": "ae_curve", "cae": "cae_curve"}  # lesson 6's curve models, plain AE first


def angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between vectors a and b in degrees, [0, 180] (atan2 of |a × b| and a · b)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.degrees(np.arctan2(abs(a[0] * b[1] - a[1] * b[0]), float(a @ b))))


def line_angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between the lines along a and b (a direction's sign ignored), [0, 90]."""
    deg = angle_deg(a, b)
    return min(deg, 180.0 - deg)


def nearest_on_curve(curve: str, x: np.ndarray) -> dict:
    """The point π(x) of the true curve nearest to x, the distance and the unit tangent there."""
    c = get_curve(curve)
    points, dist, t, branch = c.nearest(np.asarray(x, np.float64)[None])
    return {"point": points[0], "distance": float(dist[0]), "tangent": c.unit_tangents(t, branch)[0]}


def intro(res: Result, curve: str, x: np.ndarray) -> dict:
    model = res.models["autoencoder"]
    z = predict(model.encode, x[None].astype(np.float32))[0]
    recon = predict(model.decode, z[None])[0].astype(np.float64)
    return {"code": float(z[0]), "recon": recon, "error": float(np.linalg.norm(x - recon))}


def encoder_jacobian(model, x: np.ndarray) -> np.ndarray:
    """J_f(x) = ∂f(x)/∂x (k, 2) by reverse mode, one backward pass per code unit (no
    ``torch.func``: its first call in a process costs seconds)."""
    xt = as_tensor(x[None]).requires_grad_(True)
    h = model.encode(xt)[0]
    rows = [torch.autograd.grad(h[j], xt, retain_graph=j + 1 < h.numel())[0][0] for j in range(h.numel())]
    return torch.stack(rows).detach().cpu().double().numpy()


def contractive(res: Result, curve: str, x: np.ndarray) -> dict:
    near = nearest_on_curve(curve, x)
    out = {"nearest": near["point"], "tangent": near["tangent"], "models": {}}
    for m, key in CURVE_MODELS.items():
        J = encoder_jacobian(res.models[key], x)
        _, s, Vt = np.linalg.svd(J)  # rows of Vt: v₁, v₂; s₁ ≥ s₂
        out["models"][m] = {"jacobian": J, "v": Vt, "s": s, "angle": line_angle_deg(Vt[0], near["tangent"])}
    return out


def denoising(res: Result, curve: str, x: np.ndarray) -> dict:
    near = nearest_on_curve(curve, x)
    shift = predict(res.models["dae_field"], x[None].astype(np.float32))[0].astype(np.float64) - x
    to_curve = near["point"] - x
    return {
        "shift": shift,
        "to_curve": to_curve,
        "nearest": near["point"],
        "shift_length": float(np.linalg.norm(shift)),
        "distance": near["distance"],
        "angle": angle_deg(shift, to_curve),
    }


PLANES = {"intro": intro, "contractive": contractive, "denoising_field": denoising}


@torch.no_grad()
def _forward(name: str, res: Result, curve: str, x: np.ndarray) -> dict:
    return PLANES[name](res, curve, x)


def answer(name: str, res: Result, curve: str, x) -> dict:
    """Page ``name``'s answer at the point x = (x₁, x₂) of the plane of curve ``curve``."""
    if name not in PLANES:
        raise ValueError(f"{name} has no plane to click; these lessons do: {', '.join(PLANES)}.")
    x = np.asarray(x, np.float64).reshape(-1)
    if x.size != 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"a point of the plane is two finite numbers; got {x.size}.")
    if name == "contractive":  # the Jacobian needs gradients
        return contractive(res, curve, x)
    return _forward(name, res, curve, x)
