"""User-supplied text shown as text, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.error`` / ``warning`` /
``info`` / ``success``, ``st.toast`` and most widget labels and tooltips as GitHub-flavoured
Markdown: ``[text](url)`` is a link, ``![x](url)`` makes the browser fetch an image,
``:red[…]`` is a directive, ``$…$`` is maths. A value from a link, a file name, a CSV
header or a label must never do any of that. ``md(text)``:

* backslash-escapes every ASCII punctuation character (CommonMark lets each be escaped,
  and an escaped one is shown as itself), so no markup, directive or HTML can start;
* puts an invisible WORD JOINER (U+2060) after every ``:`` and before every ``.`` and
  ``@``: bare ``https://…``, ``www.…`` and e-mail addresses are turned into links, and
  ``:smile:`` / ``:material/…:`` into icons, by passes over the *parsed* text, after the
  escapes are gone; the joiner breaks the patterns they look for;
* turns line breaks into spaces and cuts very long texts.

Use it for every user string that reaches Markdown (``ui.kit.i18n.t_md`` formats a catalog
text with escaped values); plain-text places (selectbox options, download file names) take the text
as it is. ``plain`` undoes it (tests). A leaf: it imports nothing of the app.
"""

from __future__ import annotations

import re
import string
from typing import Any

MAX_CHARS = 200
JOIN = "\u2060"  # WORD JOINER: invisible, breaks autolink and shortcode patterns
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def md(value: Any, limit: int = MAX_CHARS) -> str:
    """``value`` as Markdown that shows exactly its text (cut to ``limit`` characters)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # digits, '.', '-', 'e', 'inf', 'nan': nothing to escape
    text = _SPACE.sub(" ", str(value)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _PUNCT.sub(r"\\\1", text)
    return text.replace("\\:", "\\:" + JOIN).replace("\\.", JOIN + "\\.").replace("\\@", JOIN + "\\@" + JOIN)


def plain(markdown: str) -> str:
    """The text a reader sees for ``md(...)`` output: escapes and joiners removed (tests)."""
    return _ESCAPED.sub(r"\1", markdown.replace(JOIN, ""))
