"""Stop means stop: a run nobody will look at (tab closed, settings changed) ends within a
small piece of work in every long loop (aecore.stopping), and Stop ends a layout where it
is. Each test abandons a run at a known point and checks, by the work reported or done
after it (never by seconds), that the run ended there; the seconds from the request to
the return are printed for the record (``pytest -s``)."""

from __future__ import annotations

import threading
import time

import pytest

from aecore import embed, neighbours, stopping
from aecore.data.registry import load_dataset
from aecore.embed import LayoutProgress
from aecore.experiments import get
from aecore.experiments.elbo_gap import gap_report
from aecore.experiments.latent import ScalingConfig
from aecore.experiments.pca import PCAConfig
from aecore.maths.generative import vae_config
from aecore.models import build_model


class Abandon:
    """The watcher of one run: abandoned from the ``after``-th question on (or once
    ``now()`` is called); records when that was, for the printed latency."""

    def __init__(self, after: int | None = None):
        self.after, self.asked, self.at = after, 0, None

    def now(self) -> None:
        self.at = self.at or time.perf_counter()

    def __call__(self) -> bool:
        self.asked += 1
        if self.after is not None and self.asked >= self.after:
            self.now()
        return self.at is not None

    def report(self, what: str) -> None:
        print(f"\n{what}: returned {time.perf_counter() - self.at:.3f} s after the request")


@pytest.fixture(autouse=True)
def _ask_every_time(monkeypatch):
    """Every check asks the watcher (no 50 ms rate limit): the point where a run ends is
    then fixed by the work done, whatever the machine's speed."""
    monkeypatch.setattr(stopping, "POLL_S", 0.0)


@pytest.fixture(scope="module")
def digits():
    ds = load_dataset("digits")
    return ds.X[embed.subsample(ds.n, 1500, 0)]  # ≥ 1 000 rows: t-SNE's Annoy path


def test_tsne_ends_inside_its_affinities(digits):
    reports, watch = [], Abandon(after=3)  # the third check: Annoy's 128th query of 1 500
    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        embed.embed_tsne(digits, 0, 30.0, on_progress=reports.append)
    watch.report("t-SNE, abandoned during its neighbour search")
    assert reports == [], "the optimisation started"


def test_tsne_ends_within_a_few_iterations(digits):
    reports, watch = [], Abandon()

    def on_progress(p):
        reports.append(p)
        watch.now()  # abandoned right after the first layout (iteration 10)

    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        embed.embed_tsne(digits, 0, 30.0, on_progress=on_progress)
    watch.report("t-SNE, abandoned during its iterations")
    assert [p.epoch for p in reports] == [embed.EVERY]


def test_umap_ends_inside_its_neighbours_and_between_epochs(digits, monkeypatch):
    monkeypatch.setattr(neighbours, "CHUNK_CELLS", 100 * len(digits))  # 15 chunks of 100 rows
    chunks, real_cdist = [], neighbours.cdist
    monkeypatch.setattr(neighbours, "cdist", lambda *a: chunks.append(1) or real_cdist(*a))
    watch = Abandon(after=2)  # the second chunk of exact neighbours
    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        embed.embed_umap(digits, 0, 15, on_progress=lambda p: pytest.fail("UMAP's layout started"))
    watch.report("UMAP, abandoned during its neighbour search")
    assert len(chunks) == 1, f"{len(chunks)} of 15 chunks of neighbours were computed"
    reports, watch = [], Abandon()
    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        embed.embed_umap(digits, 0, 15, on_progress=lambda p: reports.append(p) or watch.now())
    watch.report("UMAP, abandoned during its epochs")
    assert len(reports) == 1 and isinstance(reports[0], LayoutProgress)


def test_stop_ends_a_layout_and_keeps_it(digits):
    """Stop (not abandon): the layout reached is returned, marked stopped."""
    for method in ("tsne", "umap"):
        seen = []
        e = embed.EMBEDDINGS[method](digits, 0, on_progress=lambda p, seen=seen: seen.append(p) or len(seen) >= 2)
        assert e.stopped and e.Y.shape == (len(digits), 2) and len(seen) == 2


def test_importance_sampling_and_the_grid_end_within_a_chunk(monkeypatch):
    """The largest settings (100 000 samples, a 401-point grid: 50 chunks of 8 192 decoded
    codes) end at the chunk after the request."""
    X = load_dataset("digits").X
    model = build_model(vae_config(X.shape[1], 128, 2, "bernoulli", 1.0, 0.1, 0), kind="vae", seed=0)
    decoded, real = [], model.decode
    monkeypatch.setattr(model, "decode", lambda z: decoded.append(len(z)) or real(z))
    watch = Abandon(after=6)
    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        gap_report(model, X[0], is_samples=100_000, grid=401)
    watch.report("importance sampling / posterior grid, abandoned")
    assert len(decoded) == 5, decoded  # 5 chunks were decoded, the 6th check raised


def test_a_sweep_ends_within_a_batch():
    """The PCA page's code-size sweep: abandoned at the first report of the first swept
    model, nothing more is trained (the next batch's check raises)."""
    reports, watch = [], Abandon()

    def on_progress(p):
        reports.append(p.stage)
        if p.stage.startswith("deep_ae:k="):
            watch.now()

    cfg = PCAConfig(sweep=True, deep_epochs=3, linear_epochs=20)
    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        get("pca").run(cfg, on_progress)
    watch.report("PCA sweep, abandoned")
    swept = [s for s in reports if s.startswith("deep_ae:k=")]
    assert swept == ["deep_ae:k=1"], swept


def test_the_scaling_sweep_ends_inside_a_fit_and_stop_keeps_only_whole_fits():
    reports, watch = [], Abandon()

    def on_progress(p):
        reports.append(p.stage)
        if p.stage.startswith("timing_tsne") and reports.count(p.stage) == 2:  # inside the fit
            watch.now()

    with stopping.watching(watch), pytest.raises(stopping.Abandoned):
        get("latent_scaling").run(ScalingConfig(sizes=(1200,)), on_progress)
    watch.report("fit-time sweep, abandoned inside t-SNE")
    assert not any(s.startswith("timing_umap") for s in reports)
    seen = []
    stop_in_tsne = lambda p: seen.append(p.stage) or seen.count("timing_tsne:n=300") >= 2  # noqa: E731
    result = get("latent_scaling").run(ScalingConfig(sizes=(300,)), stop_in_tsne)
    assert result.stopped and set(result.metrics) == {"ae_seconds_n300", "pca_seconds_n300"}


def test_a_closed_tab_ends_its_job_within_the_layout():
    """A job whose session is gone (``alive`` false) while t-SNE runs ends without a result
    and without an error, long before t-SNE's 750 iterations."""
    from aecore.experiments.latent import LatentConfig
    from ui.runtime.jobs import Job

    open_tab = threading.Event()
    open_tab.set()
    job = Job("latent", LatentConfig(max_points=1500, epochs=2), get("latent").run, alive=open_tab.is_set, share=False)
    job.start()
    while not (isinstance(job.last, LayoutProgress) and job.last.stage == "tsne") and not job.done.is_set():
        time.sleep(0.02)
    closed, reached = time.perf_counter(), job.last.epoch
    open_tab.clear()
    assert job.done.wait(120)
    print(f"\nlatent job, tab closed during t-SNE: idle {time.perf_counter() - closed:.3f} s later")
    assert job.result is None and job.error is None
    assert job.last.stage == "tsne" and job.last.epoch <= reached + embed.EVERY


def test_a_closed_tab_ends_its_job_inside_a_stretch_with_no_reports(digits):
    """The tab closes while t-SNE searches its neighbours, where no progress is reported: the
    job's own checks end it there (not at the next report), without a result or an error."""
    from ui.runtime.jobs import Job

    tab = Abandon(after=3)  # closed at the job's third question: inside the Annoy queries
    run = lambda _cfg, on_progress: embed.embed_tsne(digits, 0, 30.0, on_progress=on_progress)  # noqa: E731
    job = Job("latent", "closed-tab", run, alive=lambda: not tab(), share=False).start()
    assert job.done.wait(120)
    tab.report("t-SNE job, tab closed during its neighbour search")
    assert job.result is None and job.error is None
    assert job.last is None, "the job ran until t-SNE's first report"


def test_without_a_watcher_a_check_never_raises():
    """The command line and the tests install no watcher: checks are no-ops there."""
    for _ in range(1000):
        stopping.check()
