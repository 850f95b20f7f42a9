"""Empty fields of an ``oc4ids-proyecto`` dataset filled from its validated
project file; what the publisher typed wins. The project is kept as
``oc4ids_original`` so that exports keep what the dataset fields don't hold.
Runs after the file's check (``checks``), writing through ``package_patch``."""
from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.checks.fields import WRITE_FLAG
from ckanext.ogpguatemala.logic.context import site_context
from ckanext.ogpguatemala.oc4ids import mapping

log = logging.getLogger(__name__)


def project_from(document, oc4ids_id: str | None):
    """The project a validated document describes for this dataset: the
    document itself, the package's project with this dataset's id, or the
    package's only project."""
    if not isinstance(document, dict):
        return None
    if "projects" not in document:
        return document
    projects = [p for p in document.get("projects") or [] if isinstance(p, dict)]
    if oc4ids_id:
        for p in projects:
            if p.get("id") == oc4ids_id:
                return p
    return projects[0] if len(projects) == 1 else None


def _empty(value) -> bool:
    return value in (None, "", "[]", [])


def fill_from_document(package_id: str, document) -> list[str]:
    """Fill the dataset's empty fields from the project; returns the names
    of the fields filled. A value the dataset's validators refuse is left
    out (and logged), the rest is still filled."""
    context = site_context(**{WRITE_FLAG: True})
    pkg = tk.get_action("package_show")(dict(context), {"id": package_id})
    project = project_from(document, pkg.get("oc4ids_id"))
    if project is None:
        return []
    patch = {
        field: value
        for field, value in mapping.project_to_fields(project).items()
        if not _empty(value) and _empty(pkg.get(field))
    }
    original = json.dumps(project, ensure_ascii=False)
    for _attempt in range(2):
        try:
            tk.get_action("package_patch")(
                dict(context), dict(patch, id=package_id, oc4ids_original=original))
            return sorted(patch)
        except tk.ValidationError as e:
            refused = [k for k in e.error_dict if k in patch]
            log.warning("OC4IDS values refused for %s: %s", package_id, e.error_dict)
            if not refused:
                raise
            for k in refused:
                patch.pop(k)
    return []
