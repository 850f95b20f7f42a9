"""Bilingual user-facing messages.

The portal is Spanish-first with English available, and API clients do not
choose a UI language, so every validation message carries both: Spanish
first, then English, joined by " / ". Pure modules (geo, tabular, oc4ids)
return ``Message`` pairs; CKAN-facing code turns them into strings here.
"""
from __future__ import annotations

from typing import NamedTuple

SEPARATOR = " / "


class Message(NamedTuple):
    es: str
    en: str

    def __str__(self) -> str:
        return both(self.es, self.en)

    def format(self, **kwargs) -> "Message":
        return Message(self.es.format(**kwargs), self.en.format(**kwargs))


def both(es: str, en: str) -> str:
    """'<Spanish> / <English>' — the form every validation error takes."""
    return es + SEPARATOR + en
