"""Exports: config JSON (and back), metrics and latent codes as CSV, figures as HTML
(the runnable reproduce script is in aecore/store/script.py).

UI wiring (backend only, no Streamlit here)::

    st.download_button("config.json", config_to_json(cfg, lesson), mime="application/json")
    cfg = config_from_json(uploaded.getvalue(), exp.config_cls)   # ConfigError -> st.error
    st.download_button("metrics.csv", metrics_to_csv(result.metrics), mime="text/csv")
    st.download_button("codes.csv", codes_to_csv(codes, labels), mime="text/csv")
    st.download_button("figure.html", figure_to_html(fig), mime="text/html")

PNG: kaleido is not installed here, so ``png_available()`` is False and
``figure_to_png`` raises ``ExportError``; every Plotly chart in the browser already has a
"Download plot as png" button in its toolbar, which is the PNG route for users.
HTML: ``offline=True`` embeds plotly.js (about 4.7 MB per file, opens without network);
``offline=False`` links plotly.js from its CDN (a few KB, needs network when opened).

Defends against: config JSON with unknown keys, wrong types or out-of-range values (all
go through the Config class and its ``param`` bounds -> ``ConfigError``), oversize JSON,
and spreadsheet formula injection in CSV text cells.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from typing import Any

import numpy as np

import aecore
from aecore.config import Config, ConfigError

MAX_CONFIG_JSON_BYTES = 64 * 1024


class ExportError(RuntimeError):
    """An export format is not available here; the message says what to use instead."""


# ---------------------------------------------------------------- config


def config_to_json(config: Config, experiment: str | None = None) -> str:
    """``{"experiment": name, "aecore": version, "config": {...}}``, pretty-printed."""
    doc = {"experiment": experiment, "aecore": aecore.__version__, "config": config.to_dict()}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def config_from_dict(config_cls: type[Config], data: dict[str, Any]) -> Config:
    """Build ``config_cls`` from a JSON-like dict; unknown keys and wrong types are refused."""
    if not isinstance(data, dict):
        raise ConfigError("the config must be a JSON object of settings.", code="config_settings_not_object")
    specs = config_cls.field_specs()
    unknown = sorted(set(map(str, data)) - set(specs))
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(specs)}.",
            code="unknown_setting",
            params=dict(name=", ".join(unknown), known=", ".join(specs)),
        )
    kwargs = {}
    for key, value in data.items():
        kwargs[key] = _coerce(key, value, specs[key].default)
    return config_cls(**kwargs)


def _coerce(key: str, value: Any, default: Any) -> Any:
    kind = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63) or (
            isinstance(value, float) and value.is_integer() and abs(value) < 2**53
        )
        value = int(value) if ok else value
    elif isinstance(default, float):
        ok = isinstance(value, float) or (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**1023
        )
        value = float(value) if ok else value
    elif isinstance(default, tuple):
        ok = (
            isinstance(value, (list, tuple))
            and len(value) <= 16
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        )
        value = tuple(value) if ok else value
    elif isinstance(default, str):
        ok = isinstance(value, str) and len(value) <= 200
    else:
        ok = value is None or isinstance(value, kind)
    if not ok:
        raise ConfigError(
            f"{key}={value!r:.60} has the wrong type; expected {kind.__name__}.",
            code="not_parseable",
            params=dict(name=key, value=f"{value!r:.60}", kind=kind.__name__),
        )
    return value


def config_from_json(text: str | bytes, config_cls: type[Config] | None = None) -> Config:
    """Parse ``config_to_json`` output (or a bare settings object when ``config_cls`` is
    given). Without ``config_cls`` the ``experiment`` field picks the config class."""
    if len(text) > MAX_CONFIG_JSON_BYTES:
        raise ConfigError(
            f"the config file is over {MAX_CONFIG_JSON_BYTES // 1024} KB; it is not an exported config.",
            code="config_too_large",
            params=dict(limit=MAX_CONFIG_JSON_BYTES // 1024),
        )
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise ConfigError("the config file is not valid JSON; export it again.", code="config_not_json") from None
    if not isinstance(doc, dict):
        raise ConfigError("the config file must hold a JSON object.", code="config_not_object")
    settings = doc["config"] if "config" in doc else doc
    if "config" in doc:
        extra = sorted(set(doc) - {"experiment", "aecore", "config"})
        if extra:
            raise ConfigError(
                f"unknown field(s) {', '.join(extra)} in the config file.",
                code="config_unknown_fields",
                params=dict(fields=", ".join(extra)),
            )
    if config_cls is None:
        from aecore.experiments import registry

        name = doc.get("experiment")
        if not isinstance(name, str) or name not in registry():
            raise ConfigError(
                f"the config file names no known experiment ({name!r:.40}).",
                code="config_no_experiment",
                params=dict(name=f"{name!r:.40}"),
            )
        config_cls = registry()[name].config_cls
    elif isinstance(doc.get("experiment"), str):
        from aecore.experiments import registry

        exp = registry().get(doc["experiment"])
        if exp is not None and exp.config_cls is not config_cls:
            raise ConfigError(
                f"this config is for the {doc['experiment']!r} experiment.",
                code="config_other_experiment",
                params=dict(experiment=f"{doc['experiment']!r}"),
            )
    return config_from_dict(config_cls, settings)


# ---------------------------------------------------------------- CSV


def _cell(value: Any) -> str:
    """Text cell safe to open in a spreadsheet (no formula injection)."""
    s = str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_num(s) else s


def _is_num(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def metrics_to_csv(metrics: dict[str, float]) -> str:
    """Two columns, ``metric,value`` (values with full float precision)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["metric", "value"])
    for k, v in metrics.items():
        w.writerow([_cell(k), repr(float(v))])
    return buf.getvalue()


def codes_to_csv(codes: np.ndarray, labels: np.ndarray | None = None, classes: tuple[str, ...] | None = None) -> str:
    """Latent codes (n, k) as columns z1..zk, plus ``label`` (class names if given)."""
    Z = np.asarray(codes, dtype=np.float64)
    if Z.ndim == 1:
        Z = Z[:, None]
    if Z.ndim != 2:
        raise ValueError(f"codes must be (n, k); got shape {Z.shape}.")
    if labels is not None and len(labels) != len(Z):
        raise ValueError(f"{len(labels)} labels for {len(Z)} codes.")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"z{j + 1}" for j in range(Z.shape[1])] + (["label"] if labels is not None else []))
    for i, row in enumerate(Z):
        cells = [format(v, ".9g") for v in row]
        if labels is not None:
            lab = labels[i]
            if classes is not None and 0 <= int(lab) < len(classes):
                lab = classes[int(lab)]
            cells.append(_cell(lab.item() if hasattr(lab, "item") else lab))
        w.writerow(cells)
    return buf.getvalue()


# ---------------------------------------------------------------- figures


def figure_to_html(fig, offline: bool = True) -> str:
    """A standalone HTML page; ``offline`` embeds plotly.js (~4.7 MB) instead of the CDN."""
    return fig.to_html(include_plotlyjs=True if offline else "cdn", full_html=True)


def png_available() -> bool:
    """Whether static PNG export (kaleido) is installed; it is not in this project."""
    return importlib.util.find_spec("kaleido") is not None


def figure_to_png(fig, scale: float = 2.0) -> bytes:
    """PNG bytes through kaleido, else ExportError (use the chart's camera button)."""
    if not png_available():
        raise ExportError(
            "PNG export needs the 'kaleido' package, which is not installed; "
            "use the camera button in the chart's toolbar, or export HTML."
        )
    return fig.to_image(format="png", scale=scale)
