"""Persistence: what the app writes and reads back of its own. Never imports Streamlit.

Submodules: ``weights`` (one model's weights as safetensors, loaded back validated against
the architecture), ``resultfile`` (a whole Result as one safetensors file: the lecture
presets), ``export`` (config JSON, reproduce script, CSV, HTML). They sit above
``experiments`` (a result file holds a Result; a script names an experiment), while the
readers of outside data (``aecore.io``) sit below ``data``. Import them explicitly.
"""
