"""Every claim gives the verdicts recorded in ``tests/fixtures/claim_verdicts.json`` (written
from the claims as predicates, before they carried their thresholds as data): on the metrics
of every shipped preset, and on those metrics moved to and just past every boundary
(tests/claim_probes.py). Rewrite the file only when a claim changes on purpose."""

from __future__ import annotations

import json

import pytest

from aecore.experiments import get
from tests.claim_probes import FIXTURE, preset_metrics, verdicts

RECORDED = json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_every_claim_of_every_preset_is_recorded():
    shipped = preset_metrics()
    assert set(RECORDED) == set(shipped)
    for view, entry in RECORDED.items():
        assert set(entry["claims"]) == {c.key for c in get(view.split("[")[0]).claims}, view


@pytest.mark.parametrize("view", sorted(RECORDED))
def test_the_claims_keep_their_verdicts(view):
    exp, entry = get(view.split("[")[0]), RECORDED[view]
    shipped = preset_metrics()[view]
    for claim in exp.claims:
        rec = entry["claims"][claim.key]
        # on the preset as shipped now (its metrics may have been rebuilt since)
        assert claim.holds(shipped) == (rec["verdicts"][0] == "y"), (view, claim.key)
        got = verdicts(claim, entry["metrics"], rec["keys"], rec["consts"])
        changed = [i for i, (a, b) in enumerate(zip(got, rec["verdicts"])) if a != b]
        assert got == rec["verdicts"], (view, claim.key, f"{len(changed)} probes differ, first {changed[:5]}")
