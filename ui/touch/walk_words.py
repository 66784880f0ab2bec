"""The sentences of the latent walk (``ui.touch.latent``, ``ui.touch.traverse``), from measured
numbers only; each reads true whichever way the numbers come out. Texts: touch.toml."""

from __future__ import annotations

import numpy as np

from aecore.maths import holes
from ui.kit.i18n import t
from ui.kit.page import num

SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def z_name(d: int, letter: str = "z") -> str:
    """z₁, z₂, … for latent dimension d (from 0)."""
    return letter + str(d + 1).translate(SUBSCRIPT)


def clicked_point(event) -> tuple[float, float] | None:
    """(x, y) of the point a chart's selection event selected (a click on the invisible grid),
    or None: ``{"selection": {"points": [{"x": ..., "y": ...}, ...]}}``, as Streamlit keeps it."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    if not points or "x" not in points[0] or "y" not in points[0]:
        return None
    x, y = float(points[0]["x"]), float(points[0]["y"])
    return (x, y) if np.isfinite(x) and np.isfinite(y) else None


def picks(z) -> str:
    """A code as (0.123, −0.456)."""
    return "(" + ", ".join(num(float(c), 3) for c in np.asarray(z).reshape(-1)) + ")"


def _pct(v: float) -> str:
    return num(100 * v, 3)


def holes_sentence(name: str, m: dict) -> str | None:
    """The share of each map's region whose decodes the classifier recognises, against the
    training images' own share (None when the run did not measure it)."""
    models = {"latent": ("ae",), "vae": ("ae", "vae"), "elbo_gap": ("vae",)}[name]
    if any(f"grid_confident_{k}" not in m for k in models):
        return None
    words = dict(level=num(holes.LEVEL, 2), grid=holes.GRID, data=_pct(m["data_confident"]))
    if len(models) == 2:
        words |= {k: _pct(m[f"grid_confident_{k}"]) for k in models}
        words |= {f"p_{k}": num(m[f"grid_points_{k}"]) for k in models}
        more = m["grid_confident_vae"] > m["grid_confident_ae"]
        return t("touch.walk.holes_two_vae" if more else "touch.walk.holes_two_ae", **words)
    k = models[0]
    words |= dict(share=_pct(m[f"grid_confident_{k}"]), points=num(m[f"grid_points_{k}"]))
    words["model"] = t(f"touch.walk.inline_{k}")
    fewer = m[f"grid_confident_{k}"] < m["data_confident"]
    return t("touch.walk.holes_one_fewer" if fewer else "touch.walk.holes_one_not", **words)


def line_words(line: dict, ts: np.ndarray, maps: bool) -> str:
    """Along the interpolation: where each model's decode is least recognised (``maps``: the
    line is also drawn on the maps above)."""
    parts = [t("touch.interp.caption_maps" if maps else "touch.interp.caption")]
    for m, p in line.items():
        if p["labels"][0] is None:
            break
        i = int(np.nanargmin(p["confidence"]))
        parts.append(
            t(
                "touch.interp.lowest",
                model=t(f"touch.walk.inline_{m}"),
                conf=_pct(float(p["confidence"][i])),
                t=num(float(ts[i]), 2),
                label=p["labels"][i],
            )
        )
    return " ".join(parts)


def effect_words(on: np.ndarray, off: np.ndarray, span: float) -> str:
    """How much the active and the inactive dimensions move the image, measured at this code."""
    if not len(off):
        return t("touch.traverse.all_active", span=num(span), least=num(float(on.min()), 3))
    words = dict(n=len(off), span=num(span), most=num(float(off.max()), 3))
    if not len(on):
        return t("touch.traverse.none_active", **words)
    words["least"] = num(float(on.min()), 3)
    ignored = off.max() < 0.1 * on.min()
    return t("touch.traverse.effect_ignored" if ignored else "touch.traverse.effect_visible", **words)
