"""AppTest of the latent walk and the plane (ui/touch/latent.py, traverse.py, plane.py) on the
lecture presets: a click kept in the session is decoded with the backend's numbers on lessons 3,
8 and 8b (in English and Portuguese), the interpolation slider and the traversal sliders answer
with the backend's decodes, a click in the plane of lessons 1, 6 and 7 shows the backend's
code, angles and lengths; the holes sentence carries the run's metrics; nothing trains, queues a
job or enters the result cache, and another session sees none of it. (The browser test clicks
for real: tests/browser/test_touch_walk.py.)"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aecore import presets
from aecore.experiments import get
from aecore.maths import holes
from aecore.touch import decode, plane
from tests.apptest_utils import no_errors, open_page
from ui.kit.i18n import translate
from ui.kit.page import num
from ui.runtime import results
from ui.touch.walk_words import clicked_point

pytestmark = pytest.mark.usefixtures("clean_app_state")


@pytest.fixture(autouse=True)
def _presets(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _preset(name: str, **over):
    return presets.lookup(name, dataclasses.replace(get(name).config_cls(), **over))


def _verdicts(at, lang: str = "en") -> list[tuple[str, str]]:
    """(label, confidence) pairs shown, in page order."""
    labels = [m.value for m in at.metric if m.label == translate("touch.walk.metric.label", lang)]
    confs = [m.value for m in at.metric if m.label == translate("touch.walk.metric.confidence", lang)]
    return list(zip(labels, confs))


def _said(found: dict) -> tuple[str, str]:
    return str(found["label"]), f"{num(100 * found['confidence'], 3)} %"


def test_a_click_event_gives_its_point():
    event = {"selection": {"points": [{"x": 0.5, "y": -1.25, "curve_number": 10, "point_index": 3}]}}
    assert clicked_point(event) == (0.5, -1.25)
    assert clicked_point({"selection": {"points": []}}) is None and clicked_point(None) is None
    assert clicked_point({"selection": {"points": [{"x": float("nan"), "y": 0}]}}) is None


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_lesson_3_decodes_a_click_and_interpolates_with_the_backends_numbers(lang, monkeypatch):
    monkeypatch.setattr("ui.kit.page.current_lang", lambda: lang)  # the test's num() writes the page's decimal mark
    at = open_page("lessons/03_latent.py", params={"lang": lang})
    no_errors(at)
    cached = results.size()
    assert translate("touch.walk.click_hint", lang) in [c.value for c in at.caption]
    at.session_state["touch.walk.latent.k2.ae.clicks"] = [(1.0, 2.0)]
    at.select_slider(key="touch.walk.latent.k2.t").set_value(0.25)
    at.run()
    no_errors(at)
    res = _preset("latent")
    click = decode.decode_point("latent", res, "ae", [1.0, 2.0])
    X, _ = decode.images("latent", res, "digits")
    i, j = at.selectbox(key="touch.walk.latent.k2.a").value, at.selectbox(key="touch.walk.latent.k2.b").value
    codes = decode.encode_images("latent", res, X[[i, j]])["ae"]
    path = decode.interpolate("latent", res, {"ae": (codes[0], codes[1])}, [0.25])["ae"]
    frame = {"label": path["labels"][0], "confidence": float(path["confidence"][0])}
    assert _verdicts(at, lang) == [_said(click), _said(frame)]
    m = res.metrics
    said = [c.value for c in at.caption if num(100 * m["grid_confident_ae"], 3) + " %" in c.value]
    assert said and num(100 * m["data_confident"], 3) + " %" in said[0]
    assert results.size() == cached and "latent.job" not in at.session_state  # nothing trained or cached
    other = open_page("lessons/03_latent.py", params={"lang": lang})  # another session: no click
    assert other.session_state["touch.walk.latent.k2.ae.clicks"] == [] and len(_verdicts(other, lang)) == 1


def test_lesson_8_decodes_on_both_maps_and_traverses_the_active_dimensions():
    at = open_page("lessons/08_vae.py", timeout=180)
    no_errors(at)
    at.session_state["touch.walk.vae.k2.ae.clicks"] = [(0.0, 0.5)]
    at.session_state["touch.walk.vae.k2.vae.clicks"] = [(0.5, -1.0)]
    at.run()
    res, res2 = _preset("vae"), _preset("vae", latent_dim=2)
    active = decode.active_dims(res)
    d = int(active[0])
    at.slider(key=f"touch.traverse.k8.prior.{d}").set_value(1.5).run()
    no_errors(at)
    z = np.zeros(8)
    z[d] = 1.5
    image = decode.decode(res.models["vae"], z)
    label, conf = decode.verdicts(res, image)
    shown = _verdicts(at)
    interp = _interpolated(at, "vae", res, "touch.walk.vae.k8", 0.5)  # k = 8: the line between two images
    assert shown[: len(interp)] == interp
    assert (str(label[0]), f"{num(100 * conf[0], 3)} %") == shown[len(interp)]  # then the traversal
    clicks = [decode.decode_point("vae", res2, m, p) for m, p in (("ae", (0.0, 0.5)), ("vae", (0.5, -1.0)))]
    assert [_said(c) for c in clicks] == shown[-4:-2]  # the two maps, before their interpolation
    effects = decode.dimension_effect(res.models["vae"], z, range(8))
    off = np.setdiff1d(np.arange(8), active)
    caption = next(c.value for c in at.caption if "inactive" in c.value)
    assert num(float(effects[off].max()), 3) in caption and num(float(effects[active].min()), 3) in caption
    m = res2.metrics
    said = next(c.value for c in at.caption if "convex hull" in c.value)
    rule = "holes_two_vae" if m["grid_confident_vae"] > m["grid_confident_ae"] else "holes_two_ae"
    assert said == translate(f"touch.walk.{rule}", "en", **_words(m))


def _interpolated(at, name: str, res, key: str, s: float) -> list[tuple[str, str]]:
    """What the interpolation under ``key`` should show at t = s: each model's verdict."""
    X, _ = decode.images(name, res, "digits")
    i, j = at.selectbox(key=f"{key}.a").value, at.selectbox(key=f"{key}.b").value
    codes = decode.encode_images(name, res, X[[i, j]])
    ends = {m: (c[0], c[1]) for m, c in codes.items()}
    path = decode.interpolate(name, res, ends, [s])
    return [_said({"label": p["labels"][0], "confidence": float(p["confidence"][0])}) for p in path.values()]


def _words(m: dict) -> dict:
    keys = dict(level=num(holes.LEVEL, 2), grid=holes.GRID, data=num(100 * m["data_confident"], 3))
    keys |= {k: num(100 * m[f"grid_confident_{k}"], 3) for k in ("ae", "vae")}
    return keys | {f"p_{k}": num(m[f"grid_points_{k}"]) for k in ("ae", "vae")}


def test_lesson_8b_decodes_a_click():
    at = open_page("lessons/08b_elbo_gap.py", timeout=180)
    at.session_state["touch.walk.elbo_gap.k2.vae.clicks"] = [(0.0, 0.5), (1.0, -1.0)]
    at.run()
    no_errors(at)
    res = _preset("elbo_gap")
    assert _verdicts(at)[0] == _said(decode.decode_point("elbo_gap", res, "vae", [1.0, -1.0]))
    at.radio(key="touch.walk.elbo_gap.k2.source").set_value("clicks").run()  # the ends: the two clicks
    path = decode.interpolate("elbo_gap", res, {"vae": (np.array([0.0, 0.5]), np.array([1.0, -1.0]))}, [0.5])["vae"]
    assert _verdicts(at)[-1] == _said({"label": path["labels"][0], "confidence": float(path["confidence"][0])})


@pytest.mark.parametrize(
    "path, name, curve",
    [
        ("lessons/01_intro.py", "intro", "sine"),
        ("lessons/06_contractive.py", "contractive", "circle"),
        ("lessons/07_denoising.py", "denoising_field", "circle"),
    ],
)
def test_a_click_in_the_plane_shows_the_backends_numbers(path, name, curve):
    at = open_page(path, timeout=180)
    no_errors(at)
    assert translate("touch.plane.hint", "en") in [c.value for c in at.caption]
    at.session_state[f"touch.plane.{name}.point"] = (0.5, 0.6)
    at.run()
    no_errors(at)
    ans = plane.answer(name, _preset(name), curve, [0.5, 0.6])
    shown = {m.label: m.value for m in at.metric}
    metric = lambda key, **kw: shown[translate(f"touch.plane.metric.{key}", "en", **kw)]  # noqa: E731
    if name == "intro":
        assert metric("code") == num(ans["code"], 3) and metric("error") == num(ans["error"], 3)
    elif name == "contractive":
        for m, v in ans["models"].items():
            model = translate(f"touch.plane.model_{m}", "en")
            assert metric("angle", model=model) == f"{num(v['angle'], 3)}°"
            assert metric("ratio", model=model) == num(v["s"][0] / v["s"][1], 3)
    else:
        assert metric("shift") == num(ans["shift_length"], 3) and metric("distance") == num(ans["distance"], 3)
        assert metric("between") == f"{num(ans['angle'], 3)}°"
