"""Backend errors that a user interface can translate.

``str(exc)`` stays the English message (command line, logs, tests). Common errors also
carry a stable ``code`` and its ``params``: a UI looks up ``error.<code>`` in its own
catalogs and formats it with ``params``; without a code it shows ``str(exc)``.
"""

from __future__ import annotations

from typing import Any


class CodedError(ValueError):
    """A ValueError with an optional translation ``code`` and its ``params``."""

    def __init__(self, message: str = "", code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


class DataError(CodedError):
    """The data cannot be used; the message says what to fix."""


class Note(str):
    """An English remark (``str``) that also carries a translation ``code`` and ``params``,
    for notes a UI shows beside a result, e.g. how an uploaded file was read."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> Note:
        obj = super().__new__(cls, text)
        obj.code, obj.params = code, params
        return obj
