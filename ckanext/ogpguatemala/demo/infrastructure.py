"""OC4IDS hospital and school projects (PAN6, commitment 3): the project
package ``oc4ids-proyectos.json`` imported through the extension's own import
path (``infrastructure.importing``), one project at a time, each into the
organization of its public authority (MSPAS or MINEDUC)."""
from __future__ import annotations

import copy
import json
import os
import tempfile

from ckanext.ogpguatemala.infrastructure import importing
from ckanext.ogpguatemala.infrastructure.fields import with_oc4ids_id

FILE = os.path.join(os.path.dirname(__file__), "oc4ids-proyectos.json")
MILESTONE = "PAN6-C3-H1"
# OC4IDS party id of the public authority -> organization (registry slug)
ORGANIZATIONS = {"GT-MSPAS": "mspas", "GT-MINEDUC": "mineduc"}


def build(path: str = FILE) -> list[dict]:
    """One item per project: {"kind": "oc4ids", "name", "owner_org",
    "project", "package" (the package's metadata, without projects)}."""
    with open(path, encoding="utf-8") as f:
        package = json.load(f)
    projects = package.pop("projects")
    return [{"kind": "oc4ids", "name": importing.dataset_name(p["id"]),
             "owner_org": ORGANIZATIONS[p["publicAuthority"]["id"]],
             "project": p, "package": package} for p in projects]


def write(item: dict, show) -> str:
    """Import one project unless its dataset already holds it; returns
    "created", "updated" or "unchanged". ``show(id)`` is package_show."""
    project = item["project"]
    existing = with_oc4ids_id(project["id"]).first()
    if existing is not None and show(existing.id).get("oc4ids_original") == project:
        return "unchanged"
    document = dict(copy.deepcopy(item["package"]), projects=[project])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, item["name"] + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False)
        org = item["owner_org"]
        try:
            summary = importing.import_package(path, org, MILESTONE, importing.defaults_for(org))
        except importing.ImportFailed as e:
            raise ImportRejected([str(e)])
    if summary["rejected"]:
        raise ImportRejected(summary["rejected"][0][1])
    return "created" if summary["created"] else "updated"


class ImportRejected(Exception):
    """The import refused the project (reasons in ``args[0]``)."""
