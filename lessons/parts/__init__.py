"""Lesson-specific parts of pages that outgrew one file (one module per lesson).

Import the submodules explicitly; this file imports nothing."""
