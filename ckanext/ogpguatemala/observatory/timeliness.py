"""Periods of periodic publications: which period a dataset reports on,
which periods a series is expected to cover up to today, which are missing.

Periods are strings that sort in time order: ``2024-03`` (month),
``2024-C1`` (four-month term: Jan–Apr, May–Aug, Sep–Dec), ``2024-Q2``
(quarter), ``2024-S1`` (half-year), ``2024`` (year). Pure Python.
"""
from __future__ import annotations

import datetime as dt
import json

# EU frequency code -> (period kind, months per period)
KINDS = {
    "MONTHLY": ("M", 1),
    "ANNUAL_3": ("C", 4),
    "QUARTERLY": ("Q", 3),
    "ANNUAL_2": ("S", 6),
    "ANNUAL": ("Y", 12),
}
_ROMAN = {"I": 1, "II": 2, "III": 3}


def _period(kind: str, year: int, month: int) -> str:
    if kind == "M":
        return "%04d-%02d" % (year, month)
    if kind == "Y":
        return "%04d" % year
    size = KINDS[{"C": "ANNUAL_3", "Q": "QUARTERLY", "S": "ANNUAL_2"}[kind]][1]
    return "%04d-%s%d" % (year, kind, (month - 1) // size + 1)


def _start_month(kind: str, period: str) -> tuple[int, int]:
    """(year, first month) of a period."""
    year = int(period[:4])
    if kind == "Y":
        return year, 1
    if kind == "M":
        return year, int(period[5:7])
    size = {"C": 4, "Q": 3, "S": 6}[kind]
    return year, (int(period[6:]) - 1) * size + 1


def period_of(pkg: dict) -> tuple[str, str] | None:
    """(frequency, period) of a dataset that reports on a period, else None."""
    freq = pkg.get("frequency")
    if freq not in KINDS:
        return None
    kind = KINDS[freq][0]
    if pkg.get("type") == "mintrab-movilidad" and pkg.get("reporting_month"):
        month = str(pkg["reporting_month"])
        return freq, _period(kind, int(month[:4]), int(month[5:7]))
    if pkg.get("type") == "conamigua-informe" and pkg.get("report_year") \
            and pkg.get("report_cuatrimestre") in _ROMAN and kind == "C":
        return freq, "%04d-C%d" % (int(pkg["report_year"]), _ROMAN[pkg["report_cuatrimestre"]])
    start = str(pkg.get("temporal_start") or "")
    if len(start) >= 7 and start[:4].isdigit() and start[5:7].isdigit():
        return freq, _period(kind, int(start[:4]), int(start[5:7]))
    return None


def series_key(pkg: dict) -> str:
    """organization|type|programme|frequency (programme only for MINTRAB);
    a release of a dataset series (``in_series``) is counted in its series:
    organization|dataset_series|<series id>|frequency."""
    org = (pkg.get("organization") or {}).get("name") or pkg.get("owner_org") or ""
    in_series = pkg.get("in_series") or []
    if isinstance(in_series, str):
        try:
            in_series = json.loads(in_series)
        except ValueError:
            in_series = []
    if isinstance(in_series, list) and in_series and isinstance(in_series[0], str):
        return "|".join((org, "dataset_series", in_series[0], pkg.get("frequency") or ""))
    programme = pkg.get("programme") or "" if pkg.get("type") == "mintrab-movilidad" else ""
    return "|".join((org, pkg.get("type") or "dataset", programme, pkg.get("frequency") or ""))


def expected(frequency: str, first: str, today: dt.date) -> list[str]:
    """Every period from ``first`` to the last one that has ended before
    ``today`` (the current period is not expected yet)."""
    kind, size = KINDS[frequency]
    year, month = _start_month(kind, first)
    current = _period(kind, today.year, today.month)
    out = []
    while True:
        period = _period(kind, year, month)
        if period >= current:
            return out
        out.append(period)
        month += size
        while month > 12:
            month -= 12
            year += 1


def coverage(frequency: str, published: set[str], today: dt.date) -> dict:
    """first, last_expected, expected, covered, missing, timeliness (%)."""
    first = min(published)
    due = expected(frequency, first, today)
    covered = [p for p in due if p in published]
    return {
        "first": first,
        "last_expected": due[-1] if due else None,
        "expected": len(due),
        "covered": len(covered),
        "missing": [p for p in due if p not in published],
        "timeliness": round(100 * len(covered) / len(due)) if due else None,
    }
