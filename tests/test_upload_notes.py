"""How an upload was read is told in the user's language: every note the upload reader
writes carries a code whose pt/es texts fit its params."""

from __future__ import annotations

import io
import re

import numpy as np

from aecore.io.uploads import load_upload
from ui.kit.i18n import translate


def _csv() -> bytes:
    rows = ["a;b;c;label"] + [f"{i},5;{i % 3},25;{i * 2},0;{'cat' if i % 2 else 'dog'}" for i in range(40)]
    return "\n".join(rows).encode()


def _npz() -> bytes:
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    np.savez(buf, X=rng.integers(0, 256, (40, 64)).astype(np.int64), y=rng.random(40))
    return buf.getvalue()


def test_every_note_is_coded_and_translated():
    notes = list(load_upload("semi.csv", _csv()).notes) + list(load_upload("imgs.npz", _npz()).notes)
    codes = {n.code for n in notes}
    assert {"decimal_comma", "label_column", "text_labels", "rescaled", "images", "real_labels"} <= codes
    for note in notes:
        english = translate(f"upload_note.{note.code}", "en").format(**note.params)
        assert english == str(note)  # the catalog says what the backend says
        for lang in ("pt", "es"):
            text = translate(f"upload_note.{note.code}", lang).format(**note.params)
            assert text != english and not re.search(r"\{\w+\}", text)
