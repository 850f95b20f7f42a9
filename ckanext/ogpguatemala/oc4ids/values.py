"""Reading CKAN field values and OC4IDS values loosely.

Pure Python (no CKAN imports): the small conversions the OC4IDS mapping
uses (text, numbers, dates, code lists) that accept what forms and API
clients send.
"""
from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from ckanext.ogpguatemala.text import split_values

from .formats import is_date_time

# Dates kept as YYYY-MM-DD in CKAN become midnight, Guatemala time (UTC-6,
# no daylight saving), in OC4IDS.
GUATEMALA_OFFSET = "-06:00"

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COMMAS = re.compile(r",")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict, tuple)) and not (value.strip() if isinstance(value, str) else value))


def as_text(value: Any) -> str | None:
    """Trimmed text of a scalar; None for empty, containers and booleans."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def date_part(value: Any) -> str | None:
    """'2016-01-01T00:00:00Z' -> '2016-01-01' (the date as written)."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        return datetime.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        return None


def codes(value: Any) -> list[str]:
    """A CKAN multi-value field: a list, a JSON list string, or 'a,b'."""
    return split_values(value, separators=_COMMAS)


def amount(value: Any):
    """A number from a number or a string like '40,000,000.50' / 'Q 1 500'."""
    if is_number(value):
        number = value
    else:
        text = as_text(value)
        if not text:
            return None
        text = re.sub(r"[\s,]|^(?:GTQ|Q\.?)", "", text, flags=re.I)
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            return None
    if isinstance(number, decimal.Decimal):
        if not number.is_finite():
            return None
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            return None
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return number


def coordinate(value: Any) -> float | None:
    number = amount(value) if not is_number(value) else value
    if number is None:
        return None
    return float(number)


def rfc3339(value: Any) -> str | None:
    """A CKAN timestamp (naive = UTC, e.g. metadata_modified) in RFC 3339."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), datetime.timezone.utc)
    if not isinstance(value, datetime.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    value = value.replace(microsecond=0)
    return value.isoformat().replace("+00:00", "Z")


def date_to_datetime(value: Any) -> str | None:
    """'2024-05-31' -> '2024-05-31T00:00:00-06:00'; full RFC 3339 values pass."""
    if isinstance(value, str) and "T" in value.upper() and is_date_time(value.strip()):
        return value.strip()
    day = date_part(value)
    return f"{day}T00:00:00{GUATEMALA_OFFSET}" if day else None


def prune(target: dict, key: str) -> None:
    if key in target and blank(target[key]):
        del target[key]
