"""Data sets: the registry, the Dataset record and its caps, curves, images, uploads.

Import the submodules explicitly; this file imports nothing."""
