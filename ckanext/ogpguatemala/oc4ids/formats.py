"""The string formats OC4IDS uses (``date-time``, ``uri``, ``email``).

Pure Python (no CKAN imports). jsonschema's own checker only checks
"date-time" and "uri" when the optional rfc3339-validator / rfc3987
packages are installed (they are not, in CKAN's environment) and would
otherwise accept anything silently, so the checks are here.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

__all__ = ["is_date_time", "is_uri", "is_email", "format_checker"]

_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$"
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def is_date_time(value: Any) -> bool:
    """RFC 3339 ``date-time`` (``2024-05-31T00:00:00Z``, ``...-06:00``)."""
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.match(value)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    if second > 60:  # 60: leap second
        return False
    if m.group(8) and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def is_uri(value: Any) -> bool:
    """An absolute URI (scheme, then no spaces or characters URIs forbid)."""
    return not isinstance(value, str) or bool(_URI.match(value))


def is_email(value: Any) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def format_checker():
    """A jsonschema ``FormatChecker`` with exactly these three formats."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(is_date_time)
    checker.checks("uri")(is_uri)
    checker.checks("email")(is_email)
    return checker
