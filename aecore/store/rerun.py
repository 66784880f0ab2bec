"""What an exported reproduce script does with ``--data FILE``: the uploaded data set a page
trained on is not in the script, so the user passes its file again.

The file goes through the sidebar's own checks (``aecore.io.uploads.load_upload``: caps,
format, labels, rescaling) and is registered like an upload (``aecore.data.userdata``), so it
gets the same name, ``upload-<content hash>``, when it holds the same data; every setting of
the config that named the app's upload then names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aecore.data import registry, userdata
from aecore.errors import DataError
from aecore.io.uploads import MAX_UPLOAD_BYTES, load_upload


def uploads_in(config: dict[str, Any]) -> list[str]:
    """The settings of ``config`` (a config's ``to_dict``) that name an uploaded data set."""
    return [k for k, v in config.items() if isinstance(v, str) and v.startswith("upload-")]


def register_file(path: str | Path) -> str:
    """Read, validate and register the data file ``path`` for this process; its name."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path.name}: no such file.", code="data_file_missing", params=dict(name=path.name))
    if (size := path.stat().st_size) > MAX_UPLOAD_BYTES:  # refused before reading, as the sidebar does
        mb, limit = f"{size / 2**20:.1f}", MAX_UPLOAD_BYTES // 2**20
        raise DataError(
            f"{path.name} is {mb} MB; the limit is {limit} MB. Upload a sample of the rows.",
            code="upload_too_large",
            params=dict(name=path.name, size=mb, limit=limit),
        )
    up = load_upload(path.name, path.read_bytes())
    registry.set_user_data(userdata.STORE)
    return userdata.register_dataset(up.X, up.y, up.image_shape, label=up.name)


def with_data(config: dict[str, Any], path: str | Path | None) -> tuple[dict[str, Any], str | None]:
    """``config`` on the data file ``path`` (when given) and a note for the user: None, or
    why the numbers may differ (the file is not the data the app trained on). Without
    ``path``, a config that names an upload raises a DataError that asks for ``--data``."""
    names = uploads_in(config)
    if path is None:
        if names:
            raise DataError(
                "this run trained on an uploaded data set, which is not in the script: "
                "run it with --data FILE (the CSV or NPZ file you uploaded).",
                code="script_needs_data",
            )
        return config, None
    name = register_file(path)
    if not names:
        return config, f"note: this run does not train on an uploaded data set; --data {Path(path).name} is not used."
    note = None
    if any(config[k] != name for k in names):
        note = "note: this file does not hold the data the app trained on, so the numbers will differ from the app's."
    return {**config, **dict.fromkeys(names, name)}, note
