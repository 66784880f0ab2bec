"""Loading exported weights back: re-run an experiment's measurements on them.

Every model of an experiment trains through ``Tracker.fit`` under a stage id, which the
Result records (``Result.stages``) and the weights file stores
(``aecore.store.weights.save_weights``). ``replay`` runs the experiment again with an
explicit ``Replay`` in place of its progress callable: ``fit`` loads the given weights
for those stages instead of training them; everything downstream — metrics, figures,
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
from aecore.experiments import Replay, Result, get
from aecore.store.weights import WeightsError, load_weights, read_header
from aecore.train import ProgressFn


def stages(result: Result) -> dict[str, str]:
    """Stage id -> model name, for the models of ``result`` that can be replayed."""
    return {stage: name for name, stage in result.stages.items() if isinstance(result.models.get(name), nn.Module)}


def match(files: dict[str, bytes], result: Result) -> dict[str, dict[str, torch.Tensor]]:
    """Validate each named file against the model of its stage in ``result``; {stage: state dict}."""
    known = stages(result)
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
            model = load_weights(data, copy.deepcopy(result.models[known[stage]]))
        except WeightsError as exc:
            exc.args = (f"{fname}: {exc}",)
            exc.file = fname  # the UI names the file beside the translated reason
            raise
        out[stage] = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return out


def replay(name: str, cfg: Config, states: dict[str, dict[str, Any]], on_progress: ProgressFn | None = None) -> Result:
    """Run experiment ``name`` with ``states`` in place of training those stages."""
    result = get(name).run(cfg, Replay(states, on_progress))
    result.source = "loaded"
    return result
