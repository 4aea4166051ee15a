"""The app's data version keys: which data a page shows, as the app's caches are keyed.

- ``sample``: the bundled sample;
- ``session-<content hash>``: files uploaded in one session and not imported;
- ``store-<data version>``: the store's data in force (``Store.data_version``).

>>> store_key(7), store_version("store-7")
('store-7', 7)
>>> store_version(SAMPLE), store_version(session_key("ab12")), is_session(session_key("ab12"))
(None, None, True)
"""

from __future__ import annotations

SAMPLE = "sample"
_SESSION = "session-"
_STORE = "store-"


def session_key(content_hash: str) -> str:
    """The key of files uploaded in one session (not imported), by their content hash."""
    return f"{_SESSION}{content_hash}"


def store_key(version: int) -> str:
    """The key of the store's data at data version ``version``."""
    return f"{_STORE}{version}"


def is_session(key: str) -> bool:
    """True for the key of a session's uploads."""
    return key.startswith(_SESSION)


def store_version(key: str) -> int | None:
    """The store's data version a key names; None for the sample and a session's uploads."""
    if not key.startswith(_STORE):
        return None
    return int(key.removeprefix(_STORE))
