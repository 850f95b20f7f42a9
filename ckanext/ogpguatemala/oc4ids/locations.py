"""OC4IDS project locations <-> INE department and municipality codes.

Pure Python (no CKAN imports): an OC4IDS ``locations[].address`` (region,
locality, country) resolves to Guatemala's INE codes through
:mod:`ckanext.ogpguatemala.geo`, and a dataset's codes and coordinates are
laid back over a project's locations.
"""
from __future__ import annotations

import copy
from typing import Any

from . import values as v

__all__ = ["resolve_location", "first_point", "overlay_locations", "COUNTRY_NAME"]

COUNTRY_NAME = "Guatemala"
_COUNTRY_KEYS = {"guatemala", "gt", "gtm"}


def _is_guatemala(address: dict) -> bool:
    country = v.as_text(address.get("countryName"))
    if not country:
        return True
    from ckanext.ogpguatemala import geo

    return geo.normalise(country) in _COUNTRY_KEYS


def resolve_location(location: Any) -> tuple[str | None, str | None]:
    """(department code, municipality code) of an OC4IDS location."""
    from ckanext.ogpguatemala import geo

    address = v.as_dict(v.as_dict(location).get("address"))
    if not address or not _is_guatemala(address):
        return None, None
    region = v.as_text(address.get("region"))
    locality = v.as_text(address.get("locality"))
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


def first_point(locations: list) -> tuple[int, float, float] | None:
    """(index, lon, lat) of the first usable Point geometry."""
    for i, location in enumerate(locations):
        geometry = v.as_dict(v.as_dict(location).get("geometry"))
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            continue
        lon, lat = coords[0], coords[1]
        if v.is_number(lon) and v.is_number(lat) and -180 <= lon <= 180 and -90 <= lat <= 90:
            return i, float(lon), float(lat)
    return None


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


def overlay_locations(project: dict, pkg: dict) -> None:
    """Lay the dataset's INE codes and coordinates over ``project["locations"]``
    (only when ``pkg`` has those fields; areas removed in CKAN go)."""
    from ckanext.ogpguatemala import geo

    geo_keys = ("geo_departments", "geo_municipalities")
    point_keys = ("latitude", "longitude")
    if not any(k in pkg for k in geo_keys + point_keys):
        return

    locations = [copy.deepcopy(loc) for loc in v.as_list(project.get("locations")) if isinstance(loc, dict)]

    if any(k in pkg for k in geo_keys):
        munis = [m for m in (geo.find_municipality(c) for c in v.codes(pkg.get("geo_municipalities"))) if m]
        deps = [d for d in (geo.find_department(c) for c in v.codes(pkg.get("geo_departments"))) if d]
        for mun in munis:
            dep = geo.department_of(mun)
            if dep and dep not in deps:
                deps.append(dep)

        kept = []
        covered_munis: set[str] = set()
        covered_deps: set[str] = set()
        for location in locations:
            dep, mun = resolve_location(location)
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
        lat, lon = v.coordinate(pkg.get("latitude")), v.coordinate(pkg.get("longitude"))
        if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
            lat = lon = None
        current = first_point(locations)
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
            v.prune(location, key)
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
