"""``python -m aecore bench`` sections 7 and 8 at tiny sizes: every row is produced and the
errors are finite (no wall-clock asserts: the machine may be shared)."""

from __future__ import annotations

import math

import pytest

from aecore import cli
from aecore.bench import core as bench
from aecore.bench import times


def test_eta_section_at_tiny_sizes_with_and_without_burners():
    runs = times.eta_errors(
        ("intro", "neural"),
        counts=(0, 2),
        overrides={"intro": {"epochs": 40}, "neural": {"epochs": 20, "fit_epochs": 20, "max_width": 4}},
    )
    assert [(r.lesson, r.burners) for r in runs] == [("intro", 0), ("neural", 0), ("intro", 2), ("neural", 2)]
    for r in runs:
        assert r.seconds > 0 and r.cpu_s >= 0 and math.isfinite(r.prior_error)
        assert r.left_error is None or math.isfinite(r.left_error)


def test_burners_spin_and_end():
    with times.burners(2):
        pass  # entered and left: the processes are killed and reaped (no zombie, no hang)


@pytest.mark.slow  # two fresh processes, each compiling UMAP's numba code
def test_first_map_in_a_fresh_process():
    cold, warm = times.first_map(300, False), times.first_map(300, True)
    assert {"first_cpu", "first_wall", "second_cpu"} <= set(cold) and "warm_cpu" not in cold
    assert warm["warm_cpu"] > 0 and warm["first_cpu"] > 0


def test_the_sections_are_reachable_from_the_command_line(monkeypatch):
    seen = []
    monkeypatch.setattr(bench, "run_bench", lambda **kw: seen.append(kw) or 0)
    assert cli.main(["bench", "--section", "7", "--section", "8", "--lessons", "intro"]) == 0
    assert seen[0]["sections"] == [7, 8] and seen[0]["lessons"] == ["intro"]
