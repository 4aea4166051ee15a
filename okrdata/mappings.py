"""The Data page's confirmed column mappings and answers, kept beside the store.

Kept in ``<store>.mappings.json`` (written atomically under the writer's lock), since the store
file itself is only ever replaced by an import: ``{header key: {canonical: file column}}`` for
each confirmed header, and under ``"answers"`` the answers to the Data page's questions per
source shape (``okrdata.questions``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from okrdata import files
from okrdata.store import Store


def _mappings_path(store: Store) -> Path:
    return store.path.with_name(store.path.name + ".mappings.json")


def save_mapping(store: Store, columns: list[str], mapping: dict[str, str]) -> None:
    """Remember a confirmed column mapping ({canonical: file column}) for this header.

    Kept in ``<store>.mappings.json`` beside the store (written atomically under the
    writer's lock), since the store file itself is only ever replaced by an import.
    """
    with store._write, store._locked(None):
        saved = _mappings(store)
        saved[_header_key(columns)] = dict(sorted(mapping.items()))
        text = json.dumps(saved, indent=1, sort_keys=True)
        files.write_atomic(_mappings_path(store), text.encode("utf-8"))


def saved_mapping(store: Store, columns: list[str]) -> dict[str, str]:
    """The mapping confirmed for files with exactly this header ({} when none)."""
    return dict(_mappings(store).get(_header_key(columns), {}))


def save_answers(store: Store, answers: dict[str, dict[str, Any]]) -> None:
    """Remember answers to the Data page's questions, per source shape (``questions``),
    beside the saved mappings (under ``"answers"``); a shape answered again is replaced."""
    if not answers:
        return
    with store._write, store._locked(None):
        saved = _mappings(store)
        kept = saved.get(ANSWERS_KEY, {})
        saved[ANSWERS_KEY] = {**kept, **answers}
        text = json.dumps(saved, indent=1, sort_keys=True)
        files.write_atomic(_mappings_path(store), text.encode("utf-8"))


def saved_answers(store: Store) -> dict[str, dict[str, Any]]:
    """The answers confirmed by imports, per source shape ({} when none)."""
    answers = _mappings(store).get(ANSWERS_KEY, {})
    return dict(answers) if isinstance(answers, dict) else {}


def _mappings(store: Store) -> dict[str, dict[str, Any]]:
    try:
        return json.loads(_mappings_path(store).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


ANSWERS_KEY = "answers"  # in <store>.mappings.json: {source shape: answers} (no header key)


def _header_key(columns: list[str]) -> str:
    return json.dumps([str(c) for c in columns])
