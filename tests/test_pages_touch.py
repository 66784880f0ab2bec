"""AppTest of the drawing pad (ui/touch): on a page with its lecture preset, a synthetic drawing
in the session's pad is answered with the backend's numbers, in English and Portuguese; a real
image as the start gets the data path's code; Undo and Clear empty it again; nothing trains,
queues a job or enters the result cache, and another session's pad stays empty."""

from __future__ import annotations

import numpy as np
import pytest

from aecore import presets
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.touch import encode
from aecore.touch.images import PAD_PX, cell_px, spec_of, to_row
from tests.apptest_utils import no_errors, open_page
from ui.kit.i18n import translate
from ui.kit.page import num
from ui.runtime import results

pytestmark = pytest.mark.usefixtures("clean_app_state")


@pytest.fixture(autouse=True)
def _presets(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _drawing(spec) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic stroke layer's coverage per image pixel: a vertical bar, like a 1."""
    cover = np.zeros(spec.shape)
    cover[1:7, 3:5] = 1.0
    return cover, cover.copy()  # white ink: luminance × alpha = alpha


def _draw(at, lesson: str, spec, start: str = "blank") -> np.ndarray:
    """Put the drawing in the session's pad as a stroke would, rerun; the row it stands for."""
    cover, ink = _drawing(spec)
    on = (start, cell_px(spec.shape, PAD_PX), spec)
    at.session_state[f"touch.{lesson}.state"] = {
        "on": on,
        "version": 0,
        "stack": [{"objects": [{"type": "Path"}], "cover": cover, "ink": ink}],
        "initial": None,
    }
    at.run()
    return to_row(ink, spec)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_lesson_3_answers_a_drawing_with_the_backends_numbers(lang, monkeypatch):
    monkeypatch.setattr("ui.kit.page.current_lang", lambda: lang)  # the test's num() writes the page's decimal mark
    at = open_page("lessons/03_latent.py", params={"lang": lang})
    no_errors(at)
    assert translate("touch.draw.empty", lang) in [i.value for i in at.info]
    cached = results.size()
    spec = spec_of(load_dataset("digits"))
    x = _draw(at, "latent", spec)
    no_errors(at)
    res = presets.lookup("latent", get("latent").config_cls())
    ans = encode.answer("latent", res, x)
    shown = _metrics(at)
    assert shown["h₁"] == num(ans["code"][0], 3) and shown["h₂"] == num(ans["code"][1], 3)
    assert shown[translate("touch.draw.metric.mse", lang)] == num(ans["mse"])
    assert translate("touch.draw.empty", lang) not in [i.value for i in at.info]
    assert results.size() == cached and "latent.job" not in at.session_state  # nothing trained or cached


def test_a_real_image_as_the_start_gets_its_code_and_undo_clear_empty_the_pad():
    at = open_page("lessons/03_latent.py")
    res = presets.lookup("latent", get("latent").config_cls())
    X, labels, _ = encode.real_images("latent", res)
    row = int(np.flatnonzero(labels == 7)[0])
    at.selectbox(key="touch.latent.start").set_value(str(row)).run()
    no_errors(at)
    shown = _metrics(at)
    code = res.arrays["maps"]["ae"][row]  # the data path: its point on the map
    assert shown["h₁"] == num(code[0], 3) and shown["h₂"] == num(code[1], 3)
    spec = spec_of(load_dataset("digits"))
    _draw(at, "latent", spec, start=str(row))  # scribble on it
    at.button(key="touch.latent.undo").click().run()
    assert _metrics(at)["h₁"] == num(code[0], 3)  # back to the image alone
    at.selectbox(key="touch.latent.start").set_value("blank").run()
    _draw(at, "latent", spec)
    at.button(key="touch.latent.clear").click().run()
    no_errors(at)
    assert "h₁" not in _metrics(at) and translate("touch.draw.empty", "en") in [i.value for i in at.info]


def test_another_session_does_not_see_the_drawing():
    first = open_page("lessons/03_latent.py")
    _draw(first, "latent", spec_of(load_dataset("digits")))
    assert "h₁" in _metrics(first)
    second = open_page("lessons/03_latent.py")
    assert "h₁" not in _metrics(second)


@pytest.mark.parametrize(
    "path, lesson, label",
    [
        ("lessons/09b_anomaly.py", "anomaly", "touch.draw.metric.score"),
        ("lessons/08_vae.py", "vae", "touch.draw.metric.elbo"),
        ("lessons/09c_sae_features.py", "sae_features", "touch.draw.metric.firing"),
        ("lessons/07_denoising.py", "denoising_images", "touch.draw.metric.change_gaussian"),
    ],
)
def test_the_other_image_lessons_answer_too(path, lesson, label):
    at = open_page(path, timeout=180)
    no_errors(at)
    x = _draw(at, lesson, spec_of(load_dataset("digits")))
    no_errors(at)
    res = presets.lookup(lesson, get(lesson).config_cls())
    ans = encode.answer(lesson, res, x)
    value = {
        "anomaly": lambda: num(ans["score"]),
        "vae": lambda: num(ans["elbo"]),
        "sae_features": lambda: str(len(ans["features"])),
        "denoising_images": lambda: num(ans["models"]["gaussian"]["change_mse"], 3),
    }[lesson]()
    assert _metrics(at)[translate(label, "en")] == value
    if lesson == "anomaly":
        verdict = "touch.draw.flagged" if ans["flagged"] else "touch.draw.not_flagged"
        words = dict(s=num(ans["score"]), tau=num(ans["threshold"]))
        alerts = [e.value for e in (at.error if ans["flagged"] else at.success)]
        assert translate(verdict, "en", **words) in alerts
