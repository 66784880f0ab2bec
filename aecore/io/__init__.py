"""Readers of outside data, with the hostile-input defences: uploads, .npy/.npz, CSV,
MNIST files. Never imports Streamlit. The whole package sits below ``aecore.data.registry``:
it imports only ``aecore.errors`` and ``aecore.data.dataset`` (the ``Dataset`` record, the
caps and ``validate_matrix``), so the data registry can load MNIST through it.
What the app writes and reads back of its own (weights, result files, exports) is in
``aecore.store``.

Submodules: ``uploads`` (load_upload), ``csvfile`` (CSV tables), ``npyfile`` (safe
.npy/.npz reading shared by uploads and mnist), ``mnist`` (load_mnist). Import them explicitly.
"""
