"""Demo data loaded by `make run` (``ckan ogpguatemala load-demo``)."""
from __future__ import annotations

import io
import os

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import site_context


def load(datasets, folder: str) -> dict:
    """Create or update each dataset (by name) and attach its files.
    Returns {"created", "updated", "failed": [(name, errors)]}."""
    context = site_context()
    result = {"created": 0, "updated": 0, "failed": []}
    for ds in datasets:
        ds = dict(ds)
        files = ds.pop("files", [])
        try:
            try:
                tk.get_action("package_show")(dict(context), {"id": ds["name"]})
                pkg = tk.get_action("package_update")(dict(context), dict(ds, id=ds["name"]))
                result["updated"] += 1
            except tk.ObjectNotFound:
                pkg = tk.get_action("package_create")(dict(context), ds)
                result["created"] += 1
            _attach(context, pkg, files, folder)
        except tk.ValidationError as e:
            result["failed"].append((ds["name"], e.error_dict))
    return result


def _attach(context, pkg, files, folder):
    """Upload the demo files the dataset does not have yet (by name)."""
    from werkzeug.datastructures import FileStorage

    have = {r.get("name") for r in pkg.get("resources", [])}
    for item in files:
        if item["name"] in have:
            continue
        with open(os.path.join(folder, item["path"]), "rb") as f:
            data = f.read()
        tk.get_action("resource_create")(dict(context), {
            "package_id": pkg["id"], "name": item["name"], "format": item.get("format", ""),
            "url": item["path"], "upload": FileStorage(io.BytesIO(data), filename=item["path"]),
        })
