"""Readers of outside data, with the hostile-input defences: uploads, .npy/.npz, CSV,
MNIST files. Never imports Streamlit. ``npyfile`` and ``mnist`` sit below ``aecore.data.registry``
(they import only ``aecore.errors`` and ``aecore.data.dataset``), so the data registry can load
MNIST through them; ``uploads`` and ``csvfile`` use the data module's caps and checks.
What the app writes and reads back of its own (weights, result files, exports) is in
``aecore.store``.

Submodules: ``uploads`` (load_upload), ``csvfile`` (CSV tables), ``npyfile`` (safe
.npy/.npz reading shared by uploads and mnist), ``mnist`` (load_mnist). Import them explicitly.
"""
