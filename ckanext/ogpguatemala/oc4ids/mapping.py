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
import hashlib
import json
from typing import Any

from ckanext.ogpguatemala.text import slug

from . import values as v
from .formats import is_date_time
from .locations import first_point, overlay_locations, resolve_location

__all__ = ["project_to_fields", "fields_to_project", "build_package", "PACKAGE_VERSION", "DEFAULT_CURRENCY"]

PACKAGE_VERSION = "0.9"
DEFAULT_CURRENCY = "GTQ"


def _party_by_id(project: dict, pid: Any) -> dict | None:
    if pid is None:
        return None
    for party in v.as_list(project.get("parties")):
        if isinstance(party, dict) and party.get("id") == pid:
            return party
    return None


# ---------------------------------------------------------------------------
# OC4IDS -> CKAN


def project_to_fields(project: dict) -> dict:
    """CKAN dataset fields from an OC4IDS project (keys without a value
    are left out)."""
    project = v.as_dict(project)
    out: dict[str, Any] = {}

    def put(key, value):
        if not v.blank(value):
            out[key] = value

    put("oc4ids_id", v.as_text(project.get("id")))
    put("title", v.as_text(project.get("title")))
    put("notes", v.as_text(project.get("description")))
    put("project_status", v.as_text(project.get("status")))
    put("project_type", v.as_text(project.get("type")))
    put("project_sector", v.codes(project.get("sector")) if isinstance(project.get("sector"), list) else None)
    put("purpose", v.as_text(project.get("purpose")))

    authority = v.as_dict(project.get("publicAuthority"))
    name = v.as_text(authority.get("name"))
    if not name:
        party = _party_by_id(project, authority.get("id"))
        if party is None:
            party = next(
                (
                    p for p in v.as_list(project.get("parties"))
                    if isinstance(p, dict) and "publicAuthority" in v.as_list(p.get("roles"))
                ),
                None,
            )
        name = v.as_text(v.as_dict(party).get("name"))
    put("public_authority", name)

    budget_value = v.as_dict(v.as_dict(project.get("budget")).get("amount"))
    if v.is_number(budget_value.get("amount")):
        put("budget_amount", budget_value["amount"])
    put("budget_currency", v.as_text(budget_value.get("currency")))

    period = v.as_dict(project.get("period"))
    put("project_period_start", v.date_part(period.get("startDate")))
    put("project_period_end", v.date_part(period.get("endDate")))

    locations = v.as_list(project.get("locations"))
    departments: list[str] = []
    municipalities: list[str] = []
    if locations:
        for location in locations:
            dep, mun = resolve_location(location)
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
    point = first_point(locations)
    if point:
        out["latitude"], out["longitude"] = point[2], point[1]

    if isinstance(project.get("contractingProcesses"), list):
        out["contracting_processes_count"] = len(project["contractingProcesses"])

    completion = v.as_dict(project.get("completion"))
    put("completion_end_date", v.date_part(completion.get("endDate")))
    final_value = v.as_dict(completion.get("finalValue"))
    if v.is_number(final_value.get("amount")):
        put("completion_final_value", final_value["amount"])
    put("completion_final_currency", v.as_text(final_value.get("currency")))
    return out


# ---------------------------------------------------------------------------
# CKAN -> OC4IDS


def _derived_id(pkg: dict) -> str:
    for key in ("id", "name"):
        text = v.as_text(pkg.get(key))
        if text:
            return text
    seed = json.dumps({k: pkg.get(k) for k in sorted(pkg) if isinstance(k, str)}, sort_keys=True, default=str)
    return "ckan-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


def _set_or_clear(target: dict, key: str, value: Any, present: bool) -> None:
    """Set ``target[key]``; a field present but empty in CKAN clears it."""
    if not v.blank(value):
        target[key] = value
    elif present:
        target.pop(key, None)


def _overlay_value(container: dict, key: str, amount: Any, currency: Any, amount_present: bool, currency_present: bool):
    """container[key] is an OC4IDS Value {amount, currency}."""
    value = copy.deepcopy(v.as_dict(container.get(key)))
    number = v.amount(amount)
    if number is not None:
        value["amount"] = number
    elif amount_present:
        value.pop("amount", None)
    cur = v.as_text(currency)
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
    wanted = v.date_part(day)
    if wanted:
        if v.date_part(container.get(key)) == wanted and isinstance(container.get(key), str):
            if is_date_time(container[key]):
                return False
        container[key] = v.date_to_datetime(day)
        return True
    if present and key in container:
        del container[key]
        return True
    return False


def _overlay_authority(project: dict, name: str | None, present: bool) -> None:
    if not name:
        if present:
            project.pop("publicAuthority", None)
        return
    current = v.as_dict(project.get("publicAuthority"))
    parties = [p for p in v.as_list(project.get("parties")) if isinstance(p, dict)]
    party = None
    if v.as_text(current.get("name")) == name:
        party = _party_by_id(project, current.get("id"))
    if party is None:
        party = next((p for p in parties if v.as_text(p.get("name")) == name), None)
    if party is None:
        ids = {p.get("id") for p in parties}
        pid = "GT-" + slug(name)
        n = 2
        while pid in ids:
            pid, n = f"GT-{slug(name)}-{n}", n + 1
        party = {"id": pid, "name": name}
        parties.append(party)
    if not v.as_text(party.get("id")):
        party["id"] = "GT-" + slug(name)
    roles = [r for r in v.as_list(party.get("roles")) if isinstance(r, str)]
    if "publicAuthority" not in roles:
        party["roles"] = roles + ["publicAuthority"]
    # The authority changed: the previous one keeps its other roles.
    for other in parties:
        if other is not party and "publicAuthority" in v.as_list(other.get("roles")):
            other["roles"] = [r for r in other["roles"] if r != "publicAuthority"]
            v.prune(other, "roles")
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
    pkg = v.as_dict(pkg)
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

    project["id"] = v.as_text(pkg.get("oc4ids_id")) or v.as_text(project.get("id")) or _derived_id(pkg)
    updated = v.rfc3339(pkg.get("metadata_modified"))
    if updated:
        project["updated"] = updated
    if new:
        project["language"] = "es"  # the portal's metadata is in Spanish

    _set_or_clear(project, "title", v.as_text(pkg.get("title")), present("title"))
    _set_or_clear(project, "description", v.as_text(pkg.get("notes")), present("notes"))
    _set_or_clear(project, "status", v.as_text(pkg.get("project_status")), present("project_status"))
    _set_or_clear(project, "type", v.as_text(pkg.get("project_type")), present("project_type"))
    _set_or_clear(project, "sector", v.codes(pkg.get("project_sector")), present("project_sector"))
    _set_or_clear(project, "purpose", v.as_text(pkg.get("purpose")), present("purpose"))

    _overlay_authority(project, v.as_text(pkg.get("public_authority")), present("public_authority"))

    if present("budget_amount") or present("budget_currency"):
        budget = copy.deepcopy(v.as_dict(project.get("budget")))
        _overlay_value(
            budget, "amount", pkg.get("budget_amount"), pkg.get("budget_currency"),
            present("budget_amount"), present("budget_currency"),
        )
        project["budget"] = budget
        v.prune(project, "budget")

    if present("project_period_start") or present("project_period_end"):
        period = copy.deepcopy(v.as_dict(project.get("period")))
        changed = _overlay_date(period, "startDate", pkg.get("project_period_start"), present("project_period_start"))
        changed |= _overlay_date(period, "endDate", pkg.get("project_period_end"), present("project_period_end"))
        if changed:
            start, end = v.date_part(period.get("startDate")), v.date_part(period.get("endDate"))
            if start and end and end >= start:
                period["durationInDays"] = (
                    datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)
                ).days
            else:
                period.pop("durationInDays", None)
        project["period"] = period
        v.prune(project, "period")

    overlay_locations(project, pkg)

    if any(present(k) for k in ("completion_end_date", "completion_final_value", "completion_final_currency")):
        completion = copy.deepcopy(v.as_dict(project.get("completion")))
        _overlay_date(completion, "endDate", pkg.get("completion_end_date"), present("completion_end_date"))
        _overlay_value(
            completion, "finalValue", pkg.get("completion_final_value"), pkg.get("completion_final_currency"),
            present("completion_final_value"), present("completion_final_currency"),
        )
        project["completion"] = completion
        v.prune(project, "completion")

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
    if isinstance(published_date, str) and is_date_time(published_date.strip()):
        published = published_date.strip()
    else:
        published = v.rfc3339(published_date)
    if not published:
        raise ValueError(f"published_date is not a date: {published_date!r}")
    package: dict[str, Any] = {
        "version": PACKAGE_VERSION,
        "uri": uri,
        "publishedDate": published,
        "publisher": {"name": publisher_name},
    }
    if v.as_text(license):
        package["license"] = license.strip()
    package["projects"] = list(projects)
    return package
