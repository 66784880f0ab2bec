"""The runnable Python script an export offers: it re-runs one experiment with one config and
prints the metrics and claims as JSON (``python -m aecore script NAME`` prints the same).

The config is written as a Python literal and checked with ``ast.literal_eval``, so no value
can inject code into the script.
"""

from __future__ import annotations

import ast
import re

import aecore
from aecore.config import Config, ConfigError

SCRIPT = '''#!/usr/bin/env python
"""Reproduce the Autoencoder Lab experiment {name!r} (aecore {version}).

Needs the aecore package, installed once from the Autoencoder Lab repository:

    python -m venv .venv && . .venv/bin/activate   # or: make venv
    pip install -r requirements.txt                # exact pins (CPU torch)
    pip install --no-deps -e .                     # aecore itself, nothing re-resolved

Then, from any folder, with that environment's python:

    python {filename}

A run on a data set uploaded to the app needs that file again (checked as the app checks
an upload): python {filename} --data my.csv

It prints one JSON object: the experiment, its config, the metrics and which claims hold.
The same script comes from `python -m aecore script {name}{sets}`.
"""

import argparse
import json
import sys

try:
    from aecore.config import ConfigError
    from aecore.device import limit_threads
    from aecore.errors import DataError
    from aecore.experiments import get
    from aecore.store.rerun import with_data
except ModuleNotFoundError as exc:  # not installed: say how, instead of a traceback
    if exc.name != "aecore":
        raise
    sys.exit("aecore is not installed here; see the top of this file (pip install --no-deps -e .).")

EXPERIMENT = {name!r}
CONFIG = {literal}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", metavar="FILE", help="the CSV/NPZ file uploaded to the app, for a run on it")
    args = parser.parse_args()
    limit_threads()  # AE_TORCH_THREADS or 1, as in the app
    exp = get(EXPERIMENT)
    try:
        config, note = with_data(CONFIG, args.data)
        if note:
            print(note, file=sys.stderr)
        cfg = exp.config_cls(**config)
    except (ConfigError, DataError) as exc:  # a bad file, or a setting this code refuses
        sys.exit(f"error: {{exc}}")
    result = exp.run(cfg, None)
    print(json.dumps({{"experiment": EXPERIMENT, "config": cfg.to_dict(),
                      "metrics": result.metrics,
                      "claims": exp.check_claims(result.metrics)}}))


if __name__ == "__main__":
    main()
'''


def script_for(experiment_name: str, config: Config, filename: str | None = None) -> str:
    """Python source that re-runs ``experiment_name`` with ``config`` and prints JSON; the
    page's export and ``python -m aecore script`` both call it (``filename`` defaults to
    the page's download name, ``reproduce_<experiment>.py``)."""
    from aecore.experiments import registry

    exp = registry().get(experiment_name)
    if exp is None:
        raise ConfigError(
            f"unknown experiment {experiment_name!r}.",
            code="unknown_experiment",
            params=dict(name=f"{experiment_name!r}"),
        )
    if not isinstance(config, exp.config_cls):
        raise ConfigError(
            f"the config is a {type(config).__name__}, not the {exp.config_cls.__name__} of {experiment_name!r}.",
            code="config_wrong_class",
            params=dict(got=type(config).__name__, expected=exp.config_cls.__name__, experiment=f"{experiment_name!r}"),
        )
    values = config.to_dict()
    literal = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in values.items()) + "}"
    if ast.literal_eval(literal) != values:  # only plain literals, never code
        raise ConfigError("the config cannot be written as a plain Python literal.", code="config_not_literal")
    defaults = exp.config_cls().to_dict()
    changed = {k: v for k, v in values.items() if v != defaults[k]}
    sets = "".join(
        f" --set {k}={','.join(map(str, v)) if isinstance(v, (list, tuple)) else v}" for k, v in changed.items()
    )
    return SCRIPT.format(
        name=experiment_name,
        version=aecore.__version__,
        filename=re.sub(r"[^\w.\-]", "_", filename or f"reproduce_{experiment_name}.py")[:80],
        sets=re.sub(r"[^\w.,=\- ]", "_", sets)[:300],
        literal=literal,
    )
