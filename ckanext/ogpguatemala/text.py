"""Comparing what people type: one way to fold case, accents and punctuation.

Place names, header labels, frequency spellings and codelist values are all
compared through :func:`fold`, so "Quetzaltenángo", "QUETZALTENANGO" and
" quetzaltenango. " are the same key everywhere in the extension.

Pure Python (no CKAN imports).
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata

APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """'Petén' -> 'Peten' (combining marks removed after NFKD)."""
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=8192)
def fold(text: str, sep: str = " ") -> str:
    """Comparison key: lower case, no accents, apostrophes dropped, any
    other run of punctuation or spaces turned into ``sep``, trimmed.

    >>> fold(" K'iche' ") == fold("KICHE")
    True
    >>> fold("País de destino", "_")
    'pais_de_destino'
    """
    if text is None:
        return ""
    folded = APOSTROPHES.sub("", strip_accents(str(text).lower()))
    return sep.join(NON_WORD.sub(" ", folded).split())


def slug(text: str, limit: int = 80, default: str = "entidad") -> str:
    """A URL-safe slug: 'Ministerio de Salud' -> 'ministerio-de-salud'."""
    return fold(text, "-")[:limit].strip("-") or default


_SEPARATORS = re.compile(r"[\s,;]+")


def split_values(value, separators=_SEPARATORS, upper: bool = False) -> list[str]:
    """The values of a multi-valued field, however a form or client sent
    them: a list, a JSON list string, or one string split by ``separators``
    (spaces, commas, semicolons). Trimmed, empty and repeated ones dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                value = value.strip("[]")
        if isinstance(value, str):
            value = separators.split(value)
    if not isinstance(value, (list, tuple)):
        value = [value]
    out = []
    for item in value:
        item = "" if item is None else str(item).strip()
        item = item.upper() if upper else item
        if item and item not in out:
            out.append(item)
    return out
