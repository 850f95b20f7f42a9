"""Rows that are not records: what a person skips when reading the report.

Below a report's records, government exports often carry blank rows, notes
("Fuente: MINTRAB", "Nota: ...") and total lines ("TOTAL GENERAL" and sums).
They are only known to be such once no record follows them, so
:class:`LookBehind` holds them (a bounded buffer) until the next record,
which turns them back into records (a "Total" line followed by more workers
is a record, and fails as one), or the end of the file, which makes them
warnings. A blank row between records is a warning too and is skipped.
"""
from __future__ import annotations

import re
from typing import Callable

from ckanext.ogpguatemala.tabular.header import is_blank
from ckanext.ogpguatemala.text import fold

# Rows held at most before the oldest is given back as a record.
MAX_HELD_ROWS = 50

_TOTAL = re.compile(r"^(gran )?(sub ?)?(total|totales|suma|sumas)( \w+){0,4}$")
_NOTE_WORDS = ("fuente", "nota", "notas", "elaborado", "elaboracion", "observacion",
               "observaciones", "fecha de corte", "source", "note")
_NUMBER = re.compile(r"^[-+(]?\s*(?:q\.?|gtq|us\$|usd|\$|€)?\s*[\d.,\s\u00a0]+%?\)?$", re.I)


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell)) and any(c.isdigit() for c in cell)


def kind_of(row: list[str], report_cells: list[str]) -> str:
    """"blank", "note", "total" (rows that may not be records) or "record".
    ``report_cells``: the row's cells in the report's columns."""
    filled = [c.strip() for c in row if c and c.strip()]
    if not filled:
        return "blank"
    first = fold(filled[0])
    if not _is_number(filled[0]) and _TOTAL.match(first) \
            and all(_is_number(c) for c in filled[1:]):
        return "total"
    if (len(filled) == 1 and not _is_number(filled[0])) or (
            len(filled) <= 3 and first.startswith(_NOTE_WORDS)):
        return "note"
    if is_blank(report_cells):
        return "blank"
    return "record"


def ranges(rows: list[int]) -> str:
    """'1–3, 7' for [1, 2, 3, 7] (sorted row numbers)."""
    parts, start = [], None
    for i, r in enumerate(rows):
        if start is None:
            start = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            parts.append(span(start, r))
            start = None
    return ", ".join(parts)


def span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


class LookBehind:
    """Rows that may not be records, held until the next record or the end.

    ``record(row_number, row)`` receives the rows given back as records;
    ``skipped(kind, first, last, value, trailing)`` the others: ``kind``
    "blank" (rows ``first`` to ``last``), "note" or "total" (one row,
    ``value`` its label), ``trailing`` whether they are below the last record.
    """

    def __init__(self, record: Callable, skipped: Callable) -> None:
        self._record, self._skipped = record, skipped
        self._held: list = []  # [kind, first row, last row, row, value]
        self._rows_held = 0

    def hold(self, kind: str, number: int, row: list[str]) -> None:
        if kind == "blank" and self._held and self._held[-1][0] == "blank" \
                and self._held[-1][2] == number - 1:
            self._held[-1][2] = number
            return
        value = next((c.strip() for c in row if c and c.strip()), "")
        self._held.append([kind, number, number, row if kind != "blank" else None, value])
        self._rows_held += kind != "blank"
        if self._rows_held > MAX_HELD_ROWS:
            self._release(1)

    def record(self, number: int, row: list[str]) -> None:
        self._release(len(self._held))
        self._record(number, row)

    def end(self) -> None:
        for kind, first, last, _row, value in self._held:
            self._skipped(kind, first, last, value, True)
        self._held = []

    def _release(self, count: int) -> None:
        """Give back the ``count`` oldest held rows: a record follows them."""
        for kind, first, last, row, value in self._held[:count]:
            if kind == "blank":
                self._skipped(kind, first, last, value, False)
            else:
                self._rows_held -= 1
                self._record(first, row)
        del self._held[:count]
