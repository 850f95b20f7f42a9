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


# How long a built package may be served from the cache at most (seconds):
# what the key cannot see (an organization renamed) shows within this time.
PACKAGE_CACHE_SECONDS = 600


def _public_state() -> tuple[int, str]:
    """(how many public projects, the latest metadata_modified among them):
    any create, edit, deletion or change of visibility of a public project
    changes one of them."""
    result = tk.get_action("package_search")(
        {"user": ""},
        {"fq": "+dataset_type:%s" % DATASET_TYPE, "rows": 1, "sort": "metadata_modified desc",
         "fl": ["metadata_modified"], "include_private": False, "include_drafts": False},
    )
    latest = result["results"][0]["metadata_modified"] if result["results"] else ""
    return result["count"], latest


def package_json(uri: str) -> str | None:
    """The project package of every public project as JSON text (None when
    there is none). Building it reads every project (0.75 s for 1,800 of
    them); it is kept in Redis under the public projects' count and latest
    change, so it is built again only after a public project changed."""
    import hashlib

    from ckan.lib.redis import connect_to_redis

    count, latest = _public_state()
    if not count:
        return None
    settings = "|".join([uri, tk.config.get("ckan.site_title") or "",
                         tk.config.get("ckanext.ogpguatemala.oc4ids_license") or "",
                         str(count), latest])
    key = "ogpguatemala:oc4ids-package:" + hashlib.sha256(settings.encode()).hexdigest()
    redis = connect_to_redis()
    cached = redis.get(key)
    if cached is not None:
        return cached.decode("utf-8")
    package = package_of_public_projects(uri)
    if not package["projects"]:
        return None
    text = json.dumps(package, ensure_ascii=False, indent=1)
    redis.setex(key, PACKAGE_CACHE_SECONDS, text.encode("utf-8"))
    return text


def package_of_public_projects(uri: str) -> dict:
    return mapping.build_package(
        list(public_projects()),
        uri=uri,
        publisher_name=tk.config.get("ckan.site_title") or "CKAN",
        published_date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        license=tk.config.get("ckanext.ogpguatemala.oc4ids_license"),
    )
