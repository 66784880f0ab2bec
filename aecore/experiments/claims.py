"""Claims: what a lesson states about its metrics, with the threshold as data.

A claim compares a metric (``left``) with a threshold, or with another metric (``right``)
scaled by a factor; the number lives in ``claim.threshold``, so the page texts (which format
``{threshold}``), the pages' own sentences, the bench and the tests read this one value
instead of copying it. The constructors say what is compared::

    Claim.at_most("same_subspace", "max_principal_angle_deg", 3.0)          angle ≤ 3
    Claim.at_least / below / above / equals (key, metric, t)                 ≥ t, < t, > t, = t
    Claim.greater("ae_knn_beats_pca", "ae_knn_accuracy", "pca_knn_accuracy") left > right
    Claim.less / not_less (key, left, right)                                 left < right, ≥ right
    Claim.ratio_at_most("linear_matches_pca", "linear_ae_mse", "pca_mse", 1.02)  left ≤ 1.02 · right
    Claim.ratio_at_least / ratio_below (key, left, right, t)                 left ≥ t · right, < t · right
    Claim.gain_at_least(key, left, right, t)                                 left − right ≥ t
    Claim.within(key, left, right, t)                                        |left − right| ≤ t
    Claim.within_relative(key, left, right, t)                               |left − right| ≤ t · right
    Claim.between(key, metric, low, high)                                    low ≤ metric ≤ high
    Claim.all_of(key, name=claim, ...)                                       every part holds

``params(metrics)`` gives the numbers a claim's text is formatted with: ``threshold`` (for
``between`` also ``low`` and ``high``), ``left`` and ``right`` (their measured values) and each
metric by name; in ``all_of`` each part's are prefixed with its name (``{recon_threshold}``).
``why`` (metrics -> (catalog key, numbers)) explains a ❌ from the run's own numbers: its
metrics, and beside them the run's settings (``explain(metrics, settings)``; a metric of the same
name wins), so that it can say which setting the learner chose ("the output is a sigmoid").
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

Metrics = Mapping[str, float]
Why = Callable[[Metrics], tuple[str, dict[str, float]]]

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}
_SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "="}
# form -> how the two sides of the comparison are made of left (a), right (b) and threshold (t)
_SIDES: dict[str, Callable[[float, float | None, float | None], tuple[float, float | None]]] = {
    "value": lambda a, b, t: (a, t),
    "compare": lambda a, b, t: (a, b),
    "ratio": lambda a, b, t: (a, t * b),
    "gain": lambda a, b, t: (a - b, t),
    "gap": lambda a, b, t: (abs(a - b), t),
    "relative_gap": lambda a, b, t: (abs(a - b), t * b),
}
_TEXT = {
    "value": "{left} {sign} {t}",
    "compare": "{left} {sign} {right}",
    "ratio": "{left} {sign} {t} · {right}",
    "gain": "{left} − {right} {sign} {t}",
    "gap": "|{left} − {right}| {sign} {t}",
    "relative_gap": "|{left} − {right}| {sign} {t} · {right}",
    "between": "{t} ≤ {left} ≤ {high}",
}


@dataclass(frozen=True)
class Claim:
    key: str  # stable id, also the translation key suffix
    left: str = ""  # the metric the claim is about ("" in all_of)
    op: str = "<="  # "<", "<=", ">", ">=", "=="
    threshold: float | None = None  # the bound, the factor on ``right`` or the margin; between: low
    right: str | None = None  # the metric it is compared with, if any
    form: str = "value"  # a key of _SIDES, "between" or "all"
    high: float | None = None  # between: the upper bound
    parts: tuple[tuple[str, Claim], ...] = ()  # all_of: (name, claim), every one must hold
    note: str = ""  # words after the comparison in ``text``
    # None: the claim is always made; else it is made only on runs where this holds
    # (e.g. the model it speaks of was trained with these settings).
    applies: Callable[[Metrics], bool] | None = None
    why: Why | None = None  # why it fails on these numbers: (catalog key, numbers)

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def at_most(cls, key: str, metric: str, threshold: float, **kw) -> Claim:
        return cls(key, metric, "<=", threshold, **kw)

    @classmethod
    def at_least(cls, key: str, metric: str, threshold: float, **kw) -> Claim:
        return cls(key, metric, ">=", threshold, **kw)

    @classmethod
    def equals(cls, key: str, metric: str, value: float, **kw) -> Claim:
        return cls(key, metric, "==", value, **kw)

    @classmethod
    def below(cls, key: str, metric: str, threshold: float, **kw) -> Claim:
        return cls(key, metric, "<", threshold, **kw)

    @classmethod
    def above(cls, key: str, metric: str, threshold: float, **kw) -> Claim:
        return cls(key, metric, ">", threshold, **kw)

    @classmethod
    def greater(cls, key: str, left: str, right: str, **kw) -> Claim:
        return cls(key, left, ">", None, right, "compare", **kw)

    @classmethod
    def less(cls, key: str, left: str, right: str, **kw) -> Claim:
        return cls(key, left, "<", None, right, "compare", **kw)

    @classmethod
    def not_less(cls, key: str, left: str, right: str, **kw) -> Claim:
        return cls(key, left, ">=", None, right, "compare", **kw)

    @classmethod
    def ratio_at_most(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, "<=", threshold, right, "ratio", **kw)

    @classmethod
    def ratio_at_least(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, ">=", threshold, right, "ratio", **kw)

    @classmethod
    def ratio_below(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, "<", threshold, right, "ratio", **kw)

    @classmethod
    def gain_at_least(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, ">=", threshold, right, "gain", **kw)

    @classmethod
    def within(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, "<=", threshold, right, "gap", **kw)

    @classmethod
    def within_relative(cls, key: str, left: str, right: str, threshold: float, **kw) -> Claim:
        return cls(key, left, "<=", threshold, right, "relative_gap", **kw)

    @classmethod
    def between(cls, key: str, metric: str, low: float, high: float, **kw) -> Claim:
        return cls(key, metric, "<=", low, None, "between", high, **kw)

    @classmethod
    def all_of(cls, key: str, *, note: str = "", applies=None, why=None, **parts: Claim) -> Claim:
        named = tuple((name, replace(c, key=f"{key}.{name}")) for name, c in parts.items())
        return cls(key, form="all", parts=named, note=note, applies=applies, why=why)

    # --- verdicts -------------------------------------------------------------------------
    def _holds(self, m: Metrics) -> bool:
        if self.form == "all":
            return all(c._holds(m) for _, c in self.parts)
        if self.form == "between":
            return self.threshold <= m[self.left] <= self.high
        right = None if self.right is None else m[self.right]
        lhs, rhs = _SIDES[self.form](m[self.left], right, self.threshold)
        return bool(_OPS[self.op](lhs, rhs))

    def holds(self, metrics: Metrics) -> bool:
        try:
            return bool(self._holds(metrics))
        except (KeyError, TypeError, ValueError):
            return False

    def made(self, metrics: Metrics) -> bool:
        """Whether this run makes the claim at all."""
        try:
            return self.applies is None or bool(self.applies(metrics))
        except (KeyError, TypeError, ValueError):
            return False

    def explain(self, metrics: Metrics, settings: object = None) -> tuple[str, dict[str, float]] | None:
        """(catalog key, numbers) saying why the claim fails on ``metrics``; None when it
        holds, is not made or has no explanation. ``settings``: the run's config (or a
        mapping), whose fields the explanation may read beside the metrics."""
        if self.why is None or not self.made(metrics) or self.holds(metrics):
            return None
        try:
            return self.why({**_fields(settings), **metrics})
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            return None

    # --- what it says -------------------------------------------------------------------
    @property
    def thresholds(self) -> tuple[float, ...]:
        """Every number the claim compares with, its parts' included."""
        if self.form == "all":
            return tuple(t for _, c in self.parts for t in c.thresholds)
        return tuple(t for t in (self.threshold, self.high) if t is not None)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics the claim reads."""
        if self.form == "all":
            return tuple(dict.fromkeys(k for _, c in self.parts for k in c.metrics))
        return tuple(k for k in (self.left, self.right) if k)

    @property
    def text(self) -> str:
        """The claim in words, with the metrics' names: "linear_ae_mse ≤ 1.02 · pca_mse"."""
        if self.form == "all":
            rule = " and ".join(c.text for _, c in self.parts)
        else:
            t = None if self.threshold is None else f"{self.threshold:g}"
            high = None if self.high is None else f"{self.high:g}"
            rule = _TEXT[self.form].format(left=self.left, right=self.right, sign=_SIGNS[self.op], t=t, high=high)
        return f"{rule} {self.note}" if self.note else rule

    def params(self, metrics: Metrics) -> dict[str, float]:
        """The numbers the claim's text is formatted with (see the module docstring)."""
        out = {k: metrics[k] for k in self.metrics if k in metrics}
        if self.form == "all":
            for name, c in self.parts:
                own = c.params(metrics)
                out |= {f"{name}_{k}": v for k, v in own.items() if k in _OWN}
            return out
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.form == "between":
            out |= {"low": self.threshold, "high": self.high}
        for side in ("left", "right"):
            if (name := getattr(self, side)) and name in metrics:
                out[side] = metrics[name]
        return out


def _fields(settings: object) -> dict:
    """A config's fields as a dict (``to_dict``), a mapping as it is, nothing for None."""
    if settings is None:
        return {}
    return dict(settings.to_dict() if hasattr(settings, "to_dict") else settings)


_OWN = ("threshold", "low", "high", "left", "right")
