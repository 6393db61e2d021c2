"""URLs that come from outside (a network's feed, an export, the webhook, a connector's
answer) are kept and linked only when they are plain ``http``/``https`` addresses.

Anything else -- ``javascript:``, ``data:``, ``vbscript:``, a scheme-relative
``//host``, or a scheme browsers would still read after dropping the tab or
newline inside it (``java\\tscript:``) -- could run script in the session of the
person who clicks it (the chair, usually) or take them somewhere unexpected.
Ingest drops such URLs; templates link through the ``http_url`` filter
(``inbox/templatetags/outside.py``), so that a URL stored before this check is
not linked either.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: The longest URL kept (the column's size).
MAX_URL = 1000
#: Whitespace, C0/C1 controls and lone surrogates: never part of a URL worth linking.
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\ud800-\udfff]")
SCHEMES = frozenset({"http", "https"})


def http_url(value: object) -> str | None:
    """``value`` stripped when it is an http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not host:
        return None
    return url
