"""OC4IDS project <-> CKAN dataset fields, and project packages.

Pure Python (no CKAN imports). Field names are the dataset schema's:

=============================  ==============================================
``oc4ids_id``                  ``id``
``title`` / ``notes``          ``title`` / ``description``
``project_status``             ``status`` (projectStatus, closed)
``project_type``               ``type`` (projectType, closed)
``project_sector``             ``sector`` (list; projectSector, open)
``purpose``                    ``purpose``
``public_authority``           ``publicAuthority.name`` (or the party with
                               role publicAuthority)
``budget_amount`` /            ``budget.amount.amount`` / ``.currency``
``budget_currency``
``project_period_start`` /     ``period.startDate`` / ``.endDate``
``project_period_end``         (YYYY-MM-DD in CKAN)
``geo_departments`` /          INE codes resolved from
``geo_municipalities``         ``locations[].address`` region / locality
``geo_level``                  "municipal" | "departamental"
``latitude`` / ``longitude``   first Point geometry ([lon, lat] in GeoJSON)
``contracting_processes_count``  ``len(contractingProcesses)`` (read only)
``completion_end_date``        ``completion.endDate`` (YYYY-MM-DD)
``completion_final_value`` /   ``completion.finalValue.amount`` /
``completion_final_currency``  ``.currency``
=============================  ==============================================
"""
from __future__ import annotations

import copy
import datetime
import decimal
import hashlib
import json
import re
from typing import Any

__all__ = ["project_to_fields", "fields_to_project", "build_package", "PACKAGE_VERSION", "DEFAULT_CURRENCY"]

PACKAGE_VERSION = "0.9"
DEFAULT_CURRENCY = "GTQ"
# Dates kept as YYYY-MM-DD in CKAN become midnight, Guatemala time (UTC-6,
# no daylight saving), in OC4IDS.
GUATEMALA_OFFSET = "-06:00"
COUNTRY_NAME = "Guatemala"
_COUNTRY_KEYS = {"guatemala", "gt", "gtm"}

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


# ---------------------------------------------------------------------------
# Small helpers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict, tuple)) and not (value.strip() if isinstance(value, str) else value))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _date_part(value: Any) -> str | None:
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


def _codes(value: Any) -> list[str]:
    """A CKAN multi-value field: a list, a JSON list string, or 'a,b'."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = text.strip("[]").split(",")
        else:
            value = text.split(",") if "," in text else [text]
    if not isinstance(value, (list, tuple)):
        value = [value]
    out: list[str] = []
    for item in value:
        text = _text(item)
        if text and text not in out:
            out.append(text)
    return out


def _amount(value: Any):
    """A number from a number or a string like '40,000,000.50' / 'Q 1 500'."""
    if _is_number(value):
        number = value
    else:
        text = _text(value)
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


def _coordinate(value: Any) -> float | None:
    number = _amount(value) if not _is_number(value) else value
    if number is None:
        return None
    return float(number)


def _rfc3339(value: Any) -> str | None:
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


def _date_to_datetime(value: Any) -> str | None:
    """'2024-05-31' -> '2024-05-31T00:00:00-06:00'; full RFC 3339 values pass."""
    from .schema import is_date_time

    if isinstance(value, str) and "T" in value.upper() and is_date_time(value.strip()):
        return value.strip()
    day = _date_part(value)
    return f"{day}T00:00:00{GUATEMALA_OFFSET}" if day else None


def _slug(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "entidad"


def _is_guatemala(address: dict) -> bool:
    country = _text(address.get("countryName"))
    if not country:
        return True
    from ckanext.ogpguatemala import geo

    return geo.normalise(country) in _COUNTRY_KEYS


def _resolve_location(location: Any) -> tuple[str | None, str | None]:
    """(department code, municipality code) of an OC4IDS location."""
    from ckanext.ogpguatemala import geo

    address = _dict(_dict(location).get("address"))
    if not address or not _is_guatemala(address):
        return None, None
    region = _text(address.get("region"))
    locality = _text(address.get("locality"))
    dep = geo.find_department(region) if region else None
    mun = None
    if locality:
        if dep:
            mun = geo.find_municipality(locality, department=dep)
        elif not region:
            mun = geo.find_municipality(locality)
    if mun and not dep:
        dep = geo.department_of(mun)
    return dep, mun


def _first_point(locations: list) -> tuple[int, float, float] | None:
    """(index, lon, lat) of the first usable Point geometry."""
    for i, location in enumerate(locations):
        geometry = _dict(_dict(location).get("geometry"))
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            continue
        lon, lat = coords[0], coords[1]
        if _is_number(lon) and _is_number(lat) and -180 <= lon <= 180 and -90 <= lat <= 90:
            return i, float(lon), float(lat)
    return None


def _party_by_id(project: dict, pid: Any) -> dict | None:
    if pid is None:
        return None
    for party in _list(project.get("parties")):
        if isinstance(party, dict) and party.get("id") == pid:
            return party
    return None


# ---------------------------------------------------------------------------
# OC4IDS -> CKAN


def project_to_fields(project: dict) -> dict:
    """CKAN dataset fields from an OC4IDS project (keys without a value
    are left out)."""
    project = _dict(project)
    out: dict[str, Any] = {}

    def put(key, value):
        if not _blank(value):
            out[key] = value

    put("oc4ids_id", _text(project.get("id")))
    put("title", _text(project.get("title")))
    put("notes", _text(project.get("description")))
    put("project_status", _text(project.get("status")))
    put("project_type", _text(project.get("type")))
    put("project_sector", _codes(project.get("sector")) if isinstance(project.get("sector"), list) else None)
    put("purpose", _text(project.get("purpose")))

    authority = _dict(project.get("publicAuthority"))
    name = _text(authority.get("name"))
    if not name:
        party = _party_by_id(project, authority.get("id"))
        if party is None:
            party = next(
                (
                    p for p in _list(project.get("parties"))
                    if isinstance(p, dict) and "publicAuthority" in _list(p.get("roles"))
                ),
                None,
            )
        name = _text(_dict(party).get("name"))
    put("public_authority", name)

    budget_value = _dict(_dict(project.get("budget")).get("amount"))
    if _is_number(budget_value.get("amount")):
        put("budget_amount", budget_value["amount"])
    put("budget_currency", _text(budget_value.get("currency")))

    period = _dict(project.get("period"))
    put("project_period_start", _date_part(period.get("startDate")))
    put("project_period_end", _date_part(period.get("endDate")))

    locations = _list(project.get("locations"))
    departments: list[str] = []
    municipalities: list[str] = []
    if locations:
        for location in locations:
            dep, mun = _resolve_location(location)
            if dep and dep not in departments:
                departments.append(dep)
            if mun and mun not in municipalities:
                municipalities.append(mun)
    put("geo_departments", departments)
    put("geo_municipalities", municipalities)
    if municipalities:
        out["geo_level"] = "municipal"
    elif departments:
        out["geo_level"] = "departamental"
    point = _first_point(locations)
    if point:
        out["latitude"], out["longitude"] = point[2], point[1]

    if isinstance(project.get("contractingProcesses"), list):
        out["contracting_processes_count"] = len(project["contractingProcesses"])

    completion = _dict(project.get("completion"))
    put("completion_end_date", _date_part(completion.get("endDate")))
    final_value = _dict(completion.get("finalValue"))
    if _is_number(final_value.get("amount")):
        put("completion_final_value", final_value["amount"])
    put("completion_final_currency", _text(final_value.get("currency")))
    return out


# ---------------------------------------------------------------------------
# CKAN -> OC4IDS


def _derived_id(pkg: dict) -> str:
    for key in ("id", "name"):
        text = _text(pkg.get(key))
        if text:
            return text
    seed = json.dumps({k: pkg.get(k) for k in sorted(pkg) if isinstance(k, str)}, sort_keys=True, default=str)
    return "ckan-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


def _set_or_clear(target: dict, key: str, value: Any, present: bool) -> None:
    """Set ``target[key]``; a field present but empty in CKAN clears it."""
    if not _blank(value):
        target[key] = value
    elif present:
        target.pop(key, None)


def _prune(target: dict, key: str) -> None:
    if key in target and _blank(target[key]):
        del target[key]


def _overlay_value(container: dict, key: str, amount: Any, currency: Any, amount_present: bool, currency_present: bool):
    """container[key] is an OC4IDS Value {amount, currency}."""
    value = copy.deepcopy(_dict(container.get(key)))
    number = _amount(amount)
    if number is not None:
        value["amount"] = number
    elif amount_present:
        value.pop("amount", None)
    cur = _text(currency)
    if cur:
        value["currency"] = cur.upper()
    elif currency_present:
        value.pop("currency", None)
    if "amount" in value and "currency" not in value:
        value["currency"] = DEFAULT_CURRENCY
    if "amount" not in value and not currency_present and set(value) <= {"currency"}:
        value = {}
    if value:
        container[key] = value
    else:
        container.pop(key, None)


def _overlay_date(container: dict, key: str, day: Any, present: bool) -> bool:
    """Set a date-time from a CKAN date, keeping the original value when it
    already falls on that day. Returns True when the value changed."""
    wanted = _date_part(day)
    if wanted:
        if _date_part(container.get(key)) == wanted and isinstance(container.get(key), str):
            from .schema import is_date_time

            if is_date_time(container[key]):
                return False
        container[key] = _date_to_datetime(day)
        return True
    if present and key in container:
        del container[key]
        return True
    return False


def _id_text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value).strip() or None


def _next_id(used: set[str]) -> str:
    n = 1
    while str(n) in used:
        n += 1
    used.add(str(n))
    return str(n)


def _overlay_locations(project: dict, pkg: dict) -> None:
    from ckanext.ogpguatemala import geo

    geo_keys = ("geo_departments", "geo_municipalities")
    point_keys = ("latitude", "longitude")
    if not any(k in pkg for k in geo_keys + point_keys):
        return

    locations = [copy.deepcopy(loc) for loc in _list(project.get("locations")) if isinstance(loc, dict)]

    if any(k in pkg for k in geo_keys):
        munis = [m for m in (geo.find_municipality(c) for c in _codes(pkg.get("geo_municipalities"))) if m]
        deps = [d for d in (geo.find_department(c) for c in _codes(pkg.get("geo_departments"))) if d]
        for mun in munis:
            dep = geo.department_of(mun)
            if dep and dep not in deps:
                deps.append(dep)

        kept = []
        covered_munis: set[str] = set()
        covered_deps: set[str] = set()
        for location in locations:
            dep, mun = _resolve_location(location)
            if mun:
                if mun not in munis:
                    continue  # the area was removed in CKAN
                covered_munis.add(mun)
                covered_deps.add(dep)
            elif dep:
                if dep not in deps:
                    continue
                covered_deps.add(dep)
            kept.append(location)
        locations = kept

        used = {str(loc.get("id")) for loc in locations if loc.get("id") is not None}
        for mun in munis:
            if mun in covered_munis:
                continue
            dep = geo.department_of(mun)
            locations.append(
                {
                    "id": _next_id(used),
                    "description": f"{geo.municipality_name(mun)}, {geo.department_name(dep)}",
                    "address": {
                        "locality": geo.municipality_name(mun),
                        "region": geo.department_name(dep),
                        "countryName": COUNTRY_NAME,
                    },
                }
            )
            covered_deps.add(dep)
        for dep in deps:
            if dep in covered_deps:
                continue
            locations.append(
                {
                    "id": _next_id(used),
                    "description": geo.department_name(dep),
                    "address": {"region": geo.department_name(dep), "countryName": COUNTRY_NAME},
                }
            )

    if any(k in pkg for k in point_keys):
        lat, lon = _coordinate(pkg.get("latitude")), _coordinate(pkg.get("longitude"))
        if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
            lat = lon = None
        current = _first_point(locations)
        if lat is not None and lon is not None:
            if current is None:
                target = next((loc for loc in locations if "geometry" not in loc), None)
                if target is None:
                    used = {str(loc.get("id")) for loc in locations if loc.get("id") is not None}
                    target = {"id": _next_id(used)}
                    locations.append(target)
                target["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
            elif (current[1], current[2]) != (lon, lat):
                locations[current[0]]["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
        elif current is not None:
            del locations[current[0]]["geometry"]

    # Locations need a string id, unique in the list, and something else.
    locations = [loc for loc in locations if set(loc) - {"id"}]
    for location in locations:
        for key in list(location):
            _prune(location, key)
    locations = [loc for loc in locations if set(loc) - {"id"}]
    taken = {_id_text(loc.get("id")) for loc in locations} - {None}
    assigned: set[str] = set()
    clean = []
    for location in locations:
        lid = _id_text(location.get("id"))
        if lid is None or lid in assigned:
            lid = _next_id(taken)
        location["id"] = lid
        assigned.add(lid)
        clean.append(location)
    if clean:
        project["locations"] = clean
    else:
        project.pop("locations", None)


def _overlay_authority(project: dict, name: str | None, present: bool) -> None:
    if not name:
        if present:
            project.pop("publicAuthority", None)
        return
    current = _dict(project.get("publicAuthority"))
    parties = [p for p in _list(project.get("parties")) if isinstance(p, dict)]
    party = None
    if _text(current.get("name")) == name:
        party = _party_by_id(project, current.get("id"))
    if party is None:
        party = next((p for p in parties if _text(p.get("name")) == name), None)
    if party is None:
        ids = {p.get("id") for p in parties}
        pid = "GT-" + _slug(name)
        n = 2
        while pid in ids:
            pid, n = f"GT-{_slug(name)}-{n}", n + 1
        party = {"id": pid, "name": name}
        parties.append(party)
    if not _text(party.get("id")):
        party["id"] = "GT-" + _slug(name)
    roles = [r for r in _list(party.get("roles")) if isinstance(r, str)]
    if "publicAuthority" not in roles:
        party["roles"] = roles + ["publicAuthority"]
    # The authority changed: the previous one keeps its other roles.
    for other in parties:
        if other is not party and "publicAuthority" in _list(other.get("roles")):
            other["roles"] = [r for r in other["roles"] if r != "publicAuthority"]
            _prune(other, "roles")
    project["parties"] = parties
    project["publicAuthority"] = {"id": party["id"], "name": name}


def fields_to_project(pkg: dict) -> dict:
    """An OC4IDS project from a CKAN dataset dict.

    With ``pkg["oc4ids_original"]`` (the project as imported; a dict or its
    JSON text) the result starts from it and the dataset's fields are laid
    over it: a field missing from ``pkg`` keeps the original value, a field
    present but empty removes it. Dates given as YYYY-MM-DD become midnight
    in Guatemala (``-06:00``) unless the original already has a date-time
    on that day. Amounts without a currency are in GTQ.
    """
    pkg = _dict(pkg)
    original = pkg.get("oc4ids_original")
    if isinstance(original, str):
        try:
            original = json.loads(original)
        except ValueError:
            original = None
    project: dict = copy.deepcopy(original) if isinstance(original, dict) else {}
    new = not project

    def present(key):
        return key in pkg

    project["id"] = _text(pkg.get("oc4ids_id")) or _text(project.get("id")) or _derived_id(pkg)
    updated = _rfc3339(pkg.get("metadata_modified"))
    if updated:
        project["updated"] = updated
    if new:
        project["language"] = "es"  # the portal's metadata is in Spanish

    _set_or_clear(project, "title", _text(pkg.get("title")), present("title"))
    _set_or_clear(project, "description", _text(pkg.get("notes")), present("notes"))
    _set_or_clear(project, "status", _text(pkg.get("project_status")), present("project_status"))
    _set_or_clear(project, "type", _text(pkg.get("project_type")), present("project_type"))
    _set_or_clear(project, "sector", _codes(pkg.get("project_sector")), present("project_sector"))
    _set_or_clear(project, "purpose", _text(pkg.get("purpose")), present("purpose"))

    _overlay_authority(project, _text(pkg.get("public_authority")), present("public_authority"))

    if present("budget_amount") or present("budget_currency"):
        budget = copy.deepcopy(_dict(project.get("budget")))
        _overlay_value(
            budget, "amount", pkg.get("budget_amount"), pkg.get("budget_currency"),
            present("budget_amount"), present("budget_currency"),
        )
        project["budget"] = budget
        _prune(project, "budget")

    if present("project_period_start") or present("project_period_end"):
        period = copy.deepcopy(_dict(project.get("period")))
        changed = _overlay_date(period, "startDate", pkg.get("project_period_start"), present("project_period_start"))
        changed |= _overlay_date(period, "endDate", pkg.get("project_period_end"), present("project_period_end"))
        if changed:
            start, end = _date_part(period.get("startDate")), _date_part(period.get("endDate"))
            if start and end and end >= start:
                period["durationInDays"] = (
                    datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)
                ).days
            else:
                period.pop("durationInDays", None)
        project["period"] = period
        _prune(project, "period")

    _overlay_locations(project, pkg)

    if any(present(k) for k in ("completion_end_date", "completion_final_value", "completion_final_currency")):
        completion = copy.deepcopy(_dict(project.get("completion")))
        _overlay_date(completion, "endDate", pkg.get("completion_end_date"), present("completion_end_date"))
        _overlay_value(
            completion, "finalValue", pkg.get("completion_final_value"), pkg.get("completion_final_currency"),
            present("completion_final_value"), present("completion_final_currency"),
        )
        project["completion"] = completion
        _prune(project, "completion")

    return project


# ---------------------------------------------------------------------------


def build_package(
    projects: list[dict],
    *,
    uri: str,
    publisher_name: str,
    published_date: Any,
    license: str | None,
) -> dict:
    """An OC4IDS project package (``version`` "0.9") around ``projects``.

    ``published_date``: RFC 3339 text, a ``datetime`` (naive = UTC) or a
    date. ``license`` is left out when empty. The schema needs at least one
    project and a unique project ``id`` each; that is the caller's part.
    """
    from .schema import is_date_time

    if isinstance(published_date, str) and is_date_time(published_date.strip()):
        published = published_date.strip()
    else:
        published = _rfc3339(published_date)
    if not published:
        raise ValueError(f"published_date is not a date: {published_date!r}")
    package: dict[str, Any] = {
        "version": PACKAGE_VERSION,
        "uri": uri,
        "publishedDate": published,
        "publisher": {"name": publisher_name},
    }
    if _text(license):
        package["license"] = license.strip()
    package["projects"] = list(projects)
    return package
