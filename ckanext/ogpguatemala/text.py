"""Comparing what people type: one way to fold case, accents and punctuation.

Place names, header labels, frequency spellings and codelist values are all
compared through :func:`fold`, so "Quetzaltenángo", "QUETZALTENANGO" and
" quetzaltenango. " are the same key everywhere in the extension.

Pure Python (no CKAN imports).
"""
from __future__ import annotations

import functools
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
