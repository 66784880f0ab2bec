"""Where MNIST and Fashion-MNIST files live, and whether they are there.

The data folder is ``$AE_DATA_DIR``, else ``data/`` at the repository root. A data set
``kind`` ("mnist" or "fashion_mnist", LeCun et al. 1998; Xiao, Rasul & Vollgraf 2017) is
present when the folder holds ``<kind>.npz`` or, in ``<kind>/``, its four IDX files
(each ``.gz`` or not). Presence is decided from file names alone (a few ``stat`` calls,
cheap on every page rerun); parsing, with all its checks, happens in ``aecore.io.mnist``
when a lesson loads the data. No message here names a server folder.
"""

from __future__ import annotations

import os
from pathlib import Path

KINDS = {"mnist": "mnist_784", "fashion_mnist": "Fashion-MNIST"}  # OpenML names
IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def data_dir() -> Path:
    """``$AE_DATA_DIR`` if set, else ``data/`` next to the ``aecore`` package."""
    env = os.environ.get("AE_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data"


def find_file(folder: Path, stem: str) -> Path | None:
    """``<stem>.gz`` or ``<stem>`` in ``folder``, the compressed one first."""
    for name in (stem + ".gz", stem):
        if (folder / name).is_file():
            return folder / name
    return None


def files_of(kind: str, folder: str | os.PathLike | None = None) -> tuple[Path, ...]:
    """The files ``load_mnist`` reads for ``kind`` (the NPZ, else the four IDX files in the
    order of ``IDX_FILES``), or () when they are not all there."""
    base = Path(folder) if folder is not None else data_dir()
    if (base / f"{kind}.npz").is_file():
        return (base / f"{kind}.npz",)
    found = tuple(find_file(base / kind, stem) for pair in IDX_FILES.values() for stem in pair)
    return found if all(found) else ()


def available(kind: str, folder: str | os.PathLike | None = None) -> bool:
    """Whether ``kind``'s files are present (a damaged file is reported, with what to do,
    when a lesson loads it)."""
    return bool(files_of(kind, folder))


def fingerprint(kind: str, folder: str | os.PathLike | None = None) -> str:
    """Names, sizes and modification times of ``kind``'s files ("" when absent): tells a
    preset built on these files from one built on other files of the same names."""
    return ";".join(f"{p.name}:{(s := p.stat()).st_size}:{s.st_mtime_ns}" for p in files_of(kind, folder))


def how_to_add(kind: str) -> str:
    """Where the files go, without the server's path (a message may reach any user)."""
    names = ", ".join(f"{n}.gz" for pair in IDX_FILES.values() for n in pair)
    return (
        f"{kind} is not available: put {kind}.npz (x_train, y_train, x_test, y_test) in the app's data "
        f"folder, or its four IDX files ({names}) in a {kind}/ folder there (data/ in the project, or the "
        "folder AE_DATA_DIR names; see data/README.md)."
    )
