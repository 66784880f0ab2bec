"""Loading exported weights back: re-run an experiment's measurements on them.

Every model of an experiment trains through ``fit`` under a stage name, which the
weights file records (``aecore.io.weights.save_weights``). ``replay`` runs the
experiment again with ``fit`` loading the given weights for those stages instead of
training them (``aecore.train.replaying``); everything downstream — metrics, figures,
claims — is computed from the loaded weights. Stages without a file train as usual.
Each file is validated against the architecture of the model it claims to be
(kind, config, keys, shapes, finite values) before anything runs.
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

from aecore.config import Config
from aecore.experiments import Result, get
from aecore.io.weights import WeightsError, load_weights, read_header
from aecore.train import ProgressFn, replaying


def stages(models: dict[str, nn.Module]) -> dict[str, str]:
    """Training stage -> model name, for the models of a result that can be replayed."""
    return {m.fit_stage: name for name, m in models.items() if getattr(m, "fit_stage", None)}


def match(files: dict[str, bytes], models: dict[str, nn.Module]) -> dict[str, dict[str, torch.Tensor]]:
    """Validate each named file against the model of its stage; {stage: state dict}."""
    known = stages(models)
    out: dict[str, dict[str, torch.Tensor]] = {}
    for fname, data in files.items():
        try:
            stage = (read_header(data).get("__metadata__") or {}).get("stage")
            if stage not in known:
                raise WeightsError(
                    f"these weights belong to no model of this lesson (stage {stage!r}; this lesson "
                    f"trains {', '.join(map(repr, known))}). Export them from this lesson.",
                    code="weights_foreign_stage",
                    params=dict(stage=stage, stages=", ".join(known)),
                )
            if stage in out:
                raise WeightsError(
                    f"two files hold the {stage!r} weights; give one.",
                    code="weights_duplicate_stage",
                    params=dict(stage=stage),
                )
            model = load_weights(data, copy.deepcopy(models[known[stage]]))
        except WeightsError as exc:
            exc.args = (f"{fname}: {exc}",)
            exc.file = fname  # the UI names the file beside the translated reason
            raise
        out[stage] = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return out


def replay(name: str, cfg: Config, states: dict[str, dict[str, Any]], on_progress: ProgressFn | None = None) -> Result:
    """Run experiment ``name`` with ``states`` in place of training those stages."""
    with replaying(states):
        result = get(name).run(cfg, on_progress)
    result.source = "loaded"
    return result
