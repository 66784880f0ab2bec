"""The lessons' mathematics that is not training: closed forms, probes, measures.

Import the submodules explicitly; this file imports nothing."""
