"""User-supplied text shown as text, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.error`` / ``warning`` /
``info`` / ``success``, ``st.toast`` and most widget labels and tooltips as GitHub-flavoured
Markdown: ``[text](url)`` is a link, ``![x](url)`` makes the browser fetch an image, a bare
``https://…`` or ``www.…`` becomes a link, ``:red[…]`` and ``:material/…:`` are directives,
``$…$`` is maths. A value from a link, a file name, a CSV header or a label must never do
any of that: ``md(text)`` backslash-escapes every ASCII punctuation character (CommonMark
allows each to be escaped, and an escaped one is shown as itself), so no markup, autolink,
directive or HTML tag can start inside the text; line breaks become spaces and very long
texts are cut. Use it for every user string that reaches Markdown (``t_md`` formats a
catalog text with escaped values); plain-text places (selectbox options, file names of
downloads) take the text as it is.
"""

from __future__ import annotations

import re
import string
from typing import Any

MAX_CHARS = 200
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def md(value: Any, limit: int = MAX_CHARS) -> str:
    """``value`` as Markdown that shows exactly its text (cut to ``limit`` characters)."""
    text = _SPACE.sub(" ", str(value)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _PUNCT.sub(r"\\\1", text)


def md_params(params: dict[str, Any]) -> dict[str, str]:
    """Every value escaped, for formatting into a Markdown catalog text."""
    return {k: md(v) for k, v in params.items()}


def t_md(key: str, **params: Any) -> str:
    """``ui.i18n.t`` with every value escaped (values may come from the user)."""
    from ui.i18n import t

    return t(key, **md_params(params))


def plain(markdown: str) -> str:
    """The text a reader sees for ``md(...)`` output: the escapes removed (tests, logs)."""
    return _ESCAPED.sub(r"\1", markdown)
