"""Memory bounded by bytes: what a result holds is measured (``aecore.memory.nbytes``), the
result stores keep their bytes under their bounds and evict the least recently used, and a
result trained on an upload is never served to another session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from aecore.experiments.base import Result
from aecore.memory import MB, ByteLRU, Pool, nbytes
from aecore.store import resultfile

ROOT = Path(__file__).resolve().parent.parent


def _fake(mb: int, seed: int = 0) -> Result:
    """A result holding ``mb`` MB of arrays (np.zeros: the pages are never touched, so the
    test costs no memory) and a small model."""
    model = torch.nn.Linear(8, 8)
    return Result({"seed": float(seed)}, arrays={"X": np.zeros((mb, MB // 4), np.float32)}, models={"m": model})


def test_nbytes_counts_arrays_views_tensors_and_skips_frozen_shared_data():
    a = np.zeros((1000, 250), np.float32)  # 1 000 000 bytes
    assert 1_000_000 <= nbytes(a) < 1_001_000
    assert nbytes({"a": a, "view": a[:10], "again": a}) < 1_002_000  # the buffer once
    frozen = np.zeros((1000, 250), np.float32)
    frozen.setflags(write=False)  # a data set's array: owned by the data caches
    assert nbytes({"x": frozen[:500]}) < 2_000
    lin = torch.nn.Linear(500, 500)  # 250 500 float32 parameters
    assert 1_002_000 <= nbytes(lin) < 1_020_000
    held = lambda: a  # noqa: E731  (a closure over a reaches it)
    assert nbytes(held) >= 1_000_000


@pytest.mark.parametrize("path", sorted((ROOT / "assets" / "presets").glob("*.safetensors"))[:6], ids=lambda p: p.stem)
def test_nbytes_of_a_preset_result_is_about_its_file_size(path):
    """An independent measure: a preset file stores the result's arrays and weights as raw
    tensors, so the bytes held in memory are the file's size, plus small Python objects."""
    result, _ = resultfile.load(path.read_bytes())
    size = path.stat().st_size
    assert 0.9 * size <= nbytes(result) <= 1.5 * size + 200_000


def test_a_byte_store_stays_under_its_bound_and_evicts_the_least_recently_used():
    store = ByteLRU(100 * MB)  # room for four results of a little over 20 MB
    for i in range(6):
        assert store.put(i, _fake(20, i)) and store.bytes <= 100 * MB
    assert store.keys() == [2, 3, 4, 5]
    assert store.get(2) is not None  # used again: the most recent now
    store.put(6, _fake(20, 6))
    assert store.keys() == [4, 5, 2, 6] and store.bytes <= 100 * MB
    assert not store.put("huge", _fake(120)) and store.keys() == [4, 5, 2, 6]  # never kept, nothing evicted


def test_stores_in_a_pool_share_its_bound():
    pool = Pool(100 * MB)
    a, b = ByteLRU(80 * MB, pool=pool), ByteLRU(80 * MB, pool=pool)
    a.put("a1", _fake(30))
    b.put("b1", _fake(30))
    a.put("a2", _fake(30))
    b.put("b2", _fake(30))  # 120 MB in the pool: the oldest of all (a1) goes
    assert a.keys() == ["a2"] and b.keys() == ["b1", "b2"] and pool.bytes <= 100 * MB


@pytest.fixture
def shared_results():
    from ui.runtime import results

    results.clear()
    yield results
    results.clear()


def test_the_shared_result_cache_holds_at_most_its_bytes(shared_results):
    """Many large results (here 24 × 64 MB, the A8 probe's pattern): the bytes still held,
    measured on what the cache still returns, stay under the bound; the most recently
    used are the ones kept. (On the store bounded by 24 entries, all 24 were kept: 1.5 GB.)"""
    results = shared_results
    bound = getattr(results, "SHARED_BYTES", 512 * MB)  # AE_RESULTS_MB, default 512
    for i in range(24):
        results.put("pca", ("fake", i), _fake(64, i))
        if i >= 4:
            results.get("pca", ("fake", 0))  # the lecturer's result, used all along
    held = {i: r for i in range(24) if (r := results.get("pca", ("fake", i))) is not None}
    assert sum(nbytes(r) for r in held.values()) <= bound
    assert 0 in held and 23 in held and 1 not in held
    newest = sorted(held)[1:]
    assert newest == list(range(24 - len(newest), 24)), "not the most recent ones kept"


@dataclass(frozen=True)
class Cfg:
    dataset: str = "upload-0123456789abcdef"


def _two_sessions_script():
    import streamlit as st

    from tests.test_memory_bounds import Cfg
    from ui.runtime import results

    for name in ("upload-5fcba4aa2c0ad40c", "digits"):
        if st.session_state.get("role") == "trainer":
            results.put("pca", Cfg(name), f"result on {name}")
        st.session_state[f"seen.{name}"] = results.get("pca", Cfg(name))


def test_a_result_on_an_upload_is_never_served_to_another_session(shared_results):
    """Two sessions hold the same upload (the same bytes give the same name): the result one
    trained stays in its own session; a result on built-in data serves both. (On the single
    shared cache, the second session was served the first one's upload result.)"""
    first = AppTest.from_function(_two_sessions_script)
    first.session_state["role"] = "trainer"
    first.run()
    assert first.session_state["seen.upload-5fcba4aa2c0ad40c"] == "result on upload-5fcba4aa2c0ad40c"
    other = AppTest.from_function(_two_sessions_script)
    other.run()
    assert other.session_state["seen.digits"] == "result on digits"
    assert other.session_state["seen.upload-5fcba4aa2c0ad40c"] is None


def test_outside_a_session_an_upload_result_is_not_kept(shared_results):
    """A job's thread or the command line has no session: nothing private is stored."""
    assert not shared_results.put("pca", Cfg(), _fake(1))
    assert shared_results.get("pca", Cfg()) is None and shared_results.size() == 0


class FakeJob:
    """What ``ui.runtime.results.hold`` needs of a job: its result and the two flags it sets."""

    def __init__(self, result):
        self.result, self.released, self.too_big = result, False, 0


def _holding_script():
    import streamlit as st

    from tests.test_memory_bounds import FakeJob, _fake
    from ui.runtime import results

    jobs = st.session_state.setdefault("jobs", [])
    for mb in st.session_state.get("sizes", ()):  # each page part's finished job, in turn
        job = FakeJob(_fake(mb))
        jobs.append(job)
        st.session_state[f"kept.{len(jobs)}"] = results.hold(f"page{len(jobs)}", job)
    st.session_state["sizes"] = ()


def test_what_a_sessions_jobs_hold_is_bounded_in_bytes():
    """One session trains on eight page parts, 96 MB of results each: the results its jobs
    still hold stay under the session's bound, the oldest let go first; a result alone over
    the bound is not kept at all."""
    from ui.runtime import results

    at = AppTest.from_function(_holding_script)
    at.session_state["sizes"] = (96,) * 8
    at.run()
    jobs = at.session_state["jobs"]
    held = [j.result for j in jobs if j.result is not None]
    assert sum(nbytes(r) for r in held) <= results.SESSION_BYTES
    assert jobs[-1].result is not None and jobs[0].released and jobs[0].result is None
    kept = [j.result is not None for j in jobs]
    assert kept == sorted(kept), "an older job kept its result while a newer one lost it"
    at.session_state["sizes"] = (results.SESSION_BYTES // MB + 8,)
    at.run()
    big = at.session_state["jobs"][-1]
    assert not at.session_state["kept.9"] and big.result is None and big.too_big > results.SESSION_BYTES


# Measured with psutil (docs/DEPLOY.md, "Sizing one machine"): the server's base resident
# memory, the largest job's peak above it, a session's own state and file, two parses.
BASE_MB, JOB_PEAK_MB, SESSION_MB, PARSING_MB, CLASS = 780, 435, 13, 500, 50


def test_the_documented_container_holds_every_bound():
    """The manifests' memory limit and the docker example hold the base, every byte bound at
    its default, two jobs' peaks and a class of 50, with the allocator's margin: raising a
    bound without resizing fails."""
    import yaml

    from aecore.data import userdata
    from ui.runtime import checks, exports, results

    bounds = results.SHARED_BYTES + results.SESSIONS_BYTES + userdata.TOTAL_BYTES + checks.CHECKS_BYTES
    need = bounds + exports.EXPORTS_BYTES + (BASE_MB + PARSING_MB + 2 * JOB_PEAK_MB + CLASS * SESSION_MB) * MB
    deployment = yaml.safe_load((ROOT / "deploy" / "k8s" / "deployment.yaml").read_text())
    limit = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]
    margin = 1.1  # DEPLOY.md leaves about 10 % for the allocator
    assert limit.endswith("Gi") and int(limit[:-2]) * 1024 * MB >= margin * need, (limit, need / MB)
    guide = (ROOT / "docs" / "DEPLOY.md").read_text()
    assert f"--memory {limit[:-2]}g" in guide and f"limits.memory: {limit}" in guide
    assert f"{BASE_MB} MB" in guide and f"{JOB_PEAK_MB} MB" in guide
