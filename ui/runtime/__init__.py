"""The training runtime: the panel, background jobs, live progress, results, exports.

Import the submodules explicitly; this file imports nothing."""
