"""aecore: the backend of Autoencoder Lab.

Pure Python + PyTorch + NumPy + scikit-learn + Plotly. It never imports Streamlit, so
every lesson can be run, tested and benchmarked headless
(``python -m aecore run NAME --json``). Submodules are imported explicitly; importing
the package itself is cheap and has no side effects.
"""

__version__ = "0.1.0"
