"""Input and output: uploads, weights, exports, MNIST files. Never imports Streamlit.

Submodules: ``uploads`` (load_upload), ``weights`` (save_weights, load_weights),
``export`` (config JSON, CSV, HTML, script_for), ``mnist`` (load_mnist), ``npyfile``
(safe .npy/.npz reading shared by uploads and mnist). Import them explicitly.
"""
