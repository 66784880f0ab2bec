"""Pure figure builders: arrays in, plotly Figure out (no Streamlit, no torch).

``common`` holds the palette, the shared layout and the figures every lesson uses
(loss curves, image grids); each lesson adds a module of its own.
"""
