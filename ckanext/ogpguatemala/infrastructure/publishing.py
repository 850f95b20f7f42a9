"""What the portal holds, published as OC4IDS: one project
(``/oc4ids-proyecto/<name>/oc4ids.json``) or the project package of every
public project (``/oc4ids/paquete.json``)."""
from __future__ import annotations

import datetime as dt
import json

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.oc4ids import mapping

from . import DATASET_TYPE


def project_of(pkg_dict: dict) -> dict:
    """The OC4IDS project of an ``oc4ids-proyecto`` dataset dict."""
    pkg = dict(pkg_dict)
    original = pkg.get("oc4ids_original")
    if isinstance(original, str) and original:
        try:
            pkg["oc4ids_original"] = json.loads(original)
        except ValueError:
            pkg.pop("oc4ids_original")
    return mapping.fields_to_project(pkg)


def public_projects(page_size: int = 500):
    """Every public, active oc4ids-proyecto dataset, as projects."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"user": ""},
            {"fq": "+dataset_type:%s" % DATASET_TYPE, "rows": page_size, "start": start,
             "sort": "name asc", "include_private": False, "include_drafts": False},
        )
        for pkg in result["results"]:
            yield project_of(pkg)
        start += page_size
        if start >= result["count"]:
            break


def package_json(uri: str) -> bytes | None:
    """The project package of every public project as UTF-8 JSON (None
    when there is none). Building it reads every project (0.75 s for 1,800
    of them); it is kept in Redis until a public project changes
    (catalogue_cache: the key holds the public projects' count and latest
    change)."""
    from ckanext.ogpguatemala import catalogue_cache

    cache_key = catalogue_cache.key("oc4ids-package", uri, fq="+dataset_type:%s" % DATASET_TYPE)
    if cache_key is None:
        return None
    cached = catalogue_cache.get(cache_key)
    if cached is not None:
        return cached
    package = package_of_public_projects(uri)
    if not package["projects"]:
        return None
    text = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    catalogue_cache.put(cache_key, text)
    return text


def package_of_public_projects(uri: str) -> dict:
    return mapping.build_package(
        list(public_projects()),
        uri=uri,
        publisher_name=tk.config.get("ckan.site_title") or "CKAN",
        published_date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        license=tk.config.get("ckanext.ogpguatemala.oc4ids_license"),
    )
