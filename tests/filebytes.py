"""Hand-made file bytes for the hostile-input tests (shared by test_io_uploads and
test_i18n_errors)."""

from __future__ import annotations

import io

from numpy.lib import format as npformat


def npy_header(shape, descr="<f8", version=(1, 0)) -> bytes:
    """The header of a .npy file declaring ``shape`` and ``descr`` (no data after it)."""
    buf = io.BytesIO()
    d = {"descr": descr, "fortran_order": False, "shape": shape}
    if version == (1, 0):
        npformat.write_array_header_1_0(buf, d)
    else:
        npformat.write_array_header_2_0(buf, d)
    return buf.getvalue()
