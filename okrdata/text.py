r"""User text made safe for the few places that would render markdown (headings, labels).

Everywhere else user text goes into tables and ``st.text``, which show it as typed.

>>> print(plain("**Grow** [x](javascript:alert(1)) <script>"))
\*\*Grow\*\* \[x\]\(javascript\:alert\(1\)\) &lt;script&gt;
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$])")


def plain(text: object) -> str:
    """``text`` with markdown syntax escaped and HTML brackets as entities."""
    s = _MARKDOWN.sub(r"\\\1", str(text))
    return s.replace("<", "&lt;").replace(">", "&gt;")
