"""The page kit: widgets, charts, translation, safe text, presenter mode, references.

Import the submodules explicitly; this file imports nothing."""
