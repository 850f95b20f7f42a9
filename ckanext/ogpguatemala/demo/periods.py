"""Months and four-month terms of the demo series, relative to a date.

Everything is a pure function of ``today`` (the load's date, Guatemala time):
the same date always gives the same demo data, and a later date adds the
periods that have become due since. A report is taken as published once two
months have passed since its period ended (``LAG_MONTHS``).
"""
from __future__ import annotations

import datetime as dt
import hashlib

LAG_MONTHS = 2
CUATRIMESTRES = ("I", "II", "III")


def month_index(month: str) -> int:
    """'2024-03' -> a month count, to step and compare months."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of(index: int) -> str:
    return "%04d-%02d" % (index // 12, index % 12 + 1)


def this_month(today: dt.date) -> str:
    return "%04d-%02d" % (today.year, today.month)


def last_published_month(today: dt.date) -> str:
    """The newest month whose report is out: ``LAG_MONTHS`` before today's."""
    return month_of(month_index(this_month(today)) - LAG_MONTHS)


def months(first: str, last: str) -> list[str]:
    return [month_of(i) for i in range(month_index(first), month_index(last) + 1)]


def month_bounds(month: str) -> tuple[str, str]:
    """('2024-02-01', '2024-02-29')."""
    start = dt.date(int(month[:4]), int(month[5:7]), 1)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start.isoformat(), (following - dt.timedelta(days=1)).isoformat()


def cuatrimestre_months(year: int, term: str) -> list[str]:
    """The four months of term I, II or III of ``year``."""
    first = (CUATRIMESTRES.index(term)) * 4 + 1
    return ["%04d-%02d" % (year, m) for m in range(first, first + 4)]


def cuatrimestre_bounds(year: int, term: str) -> tuple[str, str]:
    """First and last day of a term: (2024, 'I') -> ('2024-01-01', '2024-04-30')."""
    months_ = cuatrimestre_months(year, term)
    return month_bounds(months_[0])[0], month_bounds(months_[-1])[1]


def cuatrimestres(first: tuple[int, str], today: dt.date) -> list[tuple[int, str]]:
    """Terms from ``first`` (year, 'I'|'II'|'III') to the newest one published
    by ``today`` (ended at least ``LAG_MONTHS`` ago)."""
    newest = month_index(last_published_month(today))
    year, n = first[0], CUATRIMESTRES.index(first[1])
    out = []
    while month_index(cuatrimestre_months(year, CUATRIMESTRES[n])[-1]) <= newest:
        out.append((year, CUATRIMESTRES[n]))
        n += 1
        if n == 3:
            year, n = year + 1, 0
    return out


def month_name(month: str, lang: str = "es") -> str:
    """'2024-03' -> 'marzo de 2024' (CLDR names through Babel)."""
    from babel.dates import format_date

    day = dt.date(int(month[:4]), int(month[5:7]), 1)
    return format_date(day, "LLLL 'de' y" if lang == "es" else "LLLL y", locale=lang)


def draw(*key) -> float:
    """A number in [0, 1) fixed by ``key``: which months a series skips does
    not depend on the date the demo is loaded, nor on Python's hash seed."""
    digest = hashlib.sha256("|".join(map(str, key)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64
