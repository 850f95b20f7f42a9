"""The openness score of one dataset (0–100), on published criteria in the
spirit of the Open Data Inventory's openness elements and the 5-star scheme.
Points and criteria are explained on the page (``status.METHOD``)."""
from __future__ import annotations

from ckanext.ogpguatemala.checks.checkers import resource_format
from ckanext.ogpguatemala.messages import N_

MACHINE_READABLE = frozenset({
    "CSV", "TSV", "JSON", "GEOJSON", "XML", "XLSX", "XLS", "ODS", "RDF", "TTL", "JSONLD",
    "KML", "GPKG", "PARQUET", "SHP", "API", "TXT",
})
NON_PROPRIETARY = MACHINE_READABLE - {"XLSX", "XLS", "SHP"}
CRITERIA = (
    ("open_licence", N_("Open licence"), 20),
    ("machine_readable", N_("Machine-readable format"), 20),
    ("non_proprietary", N_("Non-proprietary format"), 15),
    ("metadata", N_("Complete metadata"), 20),
    ("access", N_("Direct download or API"), 10),
    ("validation", N_("Passes its type's validation"), 15),
)
POINTS = {key: points for key, _label, points in CRITERIA}
# Fields the portal derives or keeps for itself: not the publisher's metadata.
# Derived, or not a description of the data (a dataset need not be a
# release of a series).
NOT_METADATA = frozenset({"name", "ogp_commitments", "ogp_plans", "ogp_institutions",
                          "oc4ids_original", "in_series"})


def _filled(value) -> bool:
    return value not in (None, "", [], {}, "[]")


# Form fields whose value package_show returns under another key.
SHOWN_AS = {"tag_string": "tags"}


def metadata_share(pkg: dict, fields: list[str]) -> float:
    wanted = [f for f in fields if f not in NOT_METADATA]
    if not wanted:
        return 0.0
    return sum(1 for f in wanted if _filled(pkg.get(SHOWN_AS.get(f, f)))) / len(wanted)


def missing_metadata(pkg: dict, fields: list[str]) -> list[str]:
    """The metadata fields a dataset leaves empty."""
    return [f for f in fields if f not in NOT_METADATA and not _filled(pkg.get(SHOWN_AS.get(f, f)))]


def score(pkg: dict, fields: list[str]) -> dict:
    """``{"score": int, "criteria": {key: points}}`` for a dataset dict
    (``package_show`` form) whose type has the metadata ``fields``."""
    resources = [r for r in pkg.get("resources") or [] if r.get("state", "active") == "active"]
    formats = {resource_format(r) for r in resources}
    statuses = [r.get("ogp_check_status") for r in resources if r.get("ogp_check_status")]
    got = {
        "open_licence": bool(pkg.get("isopen")),
        "machine_readable": bool(formats & MACHINE_READABLE),
        "non_proprietary": bool(formats & NON_PROPRIETARY),
        "access": any(r.get("datastore_active") or r.get("url_type") == "upload"
                      or (r.get("url") or "").startswith(("http://", "https://"))
                      for r in resources),
        "validation": "valid" in statuses and "invalid" not in statuses,
    }
    points = {key: POINTS[key] if ok else 0 for key, ok in got.items()}
    points["metadata"] = round(POINTS["metadata"] * metadata_share(pkg, fields))
    return {"score": sum(points.values()), "criteria": points}
