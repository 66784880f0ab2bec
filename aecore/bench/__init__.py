"""The benchmark behind ``python -m aecore bench``: timings, lessons, recipes.

Import the submodules explicitly; this file imports nothing."""
