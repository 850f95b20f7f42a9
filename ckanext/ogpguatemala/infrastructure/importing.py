"""Importing an OC4IDS project package: one ``oc4ids-proyecto`` dataset per
project, created or updated by its OC4IDS id, with the project as a JSON
resource. Invalid projects are reported and skipped; a project whose dataset
or file cannot be written leaves nothing behind.

Run from the CLI (``ckan ogpguatemala import-oc4ids``, synchronous, with a
progress bar) or through the ``ogp_oc4ids_import`` action, which queues a
background job for a URL and records its state (``task_status``) so the
publisher can follow it (``ogp_oc4ids_import_show``).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.checks import fetch
from ckanext.ogpguatemala.logic.context import site_context
from ckanext.ogpguatemala.messages import in_default_language, render, translate
from ckanext.ogpguatemala.oc4ids import mapping, schema, validation

from . import DATASET_TYPE, settings
from .fields import with_oc4ids_id

log = logging.getLogger(__name__)
TASK_TYPE = "ogp_oc4ids_import"


class ImportFailed(Exception):
    """The whole source cannot be imported (unreadable, not a package…)."""


def defaults_for(org: str, contact_email: str | None = None, frequency: str = "IRREG") -> dict:
    """Values for the fields a project does not give (CLI and action alike)."""
    return {"contact_email": contact_email or "datos@%s.gob.gt" % org,
            "frequency": frequency, "language": ["SPA"]}


def dataset_name(oc4ids_id: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", oc4ids_id.lower()).strip("-")[:100]


def _dataset_fields(project: dict, org: str, milestone: str, defaults: dict) -> dict:
    fields = mapping.project_to_fields(project)
    fields.update(type=DATASET_TYPE, owner_org=org, ogp_milestones=[milestone],
                  name=dataset_name(project["id"]))
    for key, value in defaults.items():
        fields.setdefault(key, value)
    if not fields.get("geo_level"):
        fields["geo_level"] = "nacional"
    if not fields.get("notes"):
        fields["notes"] = fields.get("title") or project["id"]
    return fields


def _upload(project: dict, filename: str):
    from werkzeug.datastructures import FileStorage

    data = json.dumps(project, ensure_ascii=False, indent=2).encode("utf-8")
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/json")


def _project_errors(errors: list[dict], index: int) -> list[dict]:
    prefix = "/projects/%d" % index
    return [e for e in errors if (e.get("path") or "") == prefix
            or (e.get("path") or "").startswith(prefix + "/")]


def _validated(source: str) -> tuple[dict, dict]:
    """(document, validation result) of a source that is a project package."""
    try:
        data = fetch.read_source(source, settings.max_bytes())
    except fetch.FetchError as e:
        raise ImportFailed(render(e.message))
    try:
        loaded = settings.schemas()
    except schema.SchemaLoadError as e:
        log.error("OC4IDS schema unavailable: %s", e)
        raise ImportFailed(translate(
            "The OC4IDS schema is unavailable; the file could not be validated (%(reason)s)",
            reason=str(e)))
    result = validation.validate(data, loaded, max_bytes=settings.max_bytes())
    if result["kind"] == "project":
        raise ImportFailed(translate(
            "Expected a project package (with 'projects'), not a single project"))
    if result["kind"] != "package":
        reasons = [render(e["message"]) for e in result["errors"][:5]]
        raise ImportFailed("\n".join(reasons) or translate("Invalid file"))
    return json.loads(data), result


def _check_target(context: dict, org: str, milestone: str) -> None:
    from ckanext.ogpguatemala.linking import problem_with

    try:
        tk.get_action("organization_show")(dict(context), {"id": org})
    except tk.ObjectNotFound:
        raise ImportFailed(translate("Organization '%(org)s' does not exist", org=org))
    problem = problem_with(milestone)
    if problem:
        raise ImportFailed(problem)


def import_package(source: str, org: str, milestone: str, defaults: dict | None = None,
                   progress=None) -> dict:
    """Import the project package at ``source`` (a URL or a path).

    Returns {"created": [names], "updated": [names], "rejected": [(id,
    reasons)], "warnings": [...]} and raises :class:`ImportFailed` when the
    source as a whole cannot be imported."""
    defaults = dict(defaults or {})
    milestone = milestone.upper()
    document, result = _validated(source)
    context = site_context()
    _check_target(context, org, milestone)

    summary = {"created": [], "updated": [], "rejected": []}
    package_level = [e for e in result["errors"] if not (e.get("path") or "").startswith("/projects/")]
    if package_level:
        # e.g. a missing publisher: the package as a whole is not valid, but
        # its valid projects can still be imported; say so once.
        summary["warnings"] = [render(e["message"]) for e in package_level]
    projects = document.get("projects") or []
    iterator = progress(list(enumerate(projects))) if progress else enumerate(projects)
    for index, project in iterator:
        pid = project.get("id") if isinstance(project, dict) else None
        label = pid or "projects[%d]" % index
        errors = _project_errors(result["errors"], index)
        if errors:
            summary["rejected"].append((label, ["%s (%s)" % (render(e["message"]), e["path"])
                                                for e in errors[:10]]))
            continue
        try:
            name, created = _write_project(context, project, org, milestone, defaults)
        except tk.ValidationError as e:
            summary["rejected"].append((label, ["%s: %s" % (k, "; ".join(map(str, v)))
                                                for k, v in e.error_dict.items()]))
            continue
        summary["created" if created else "updated"].append(name)
    return summary


def _write_project(context, project, org, milestone, defaults):
    fields = _dataset_fields(project, org, milestone, defaults)
    filename = dataset_name(project["id"]) + ".json"
    upload = {"name": "Proyecto OC4IDS (JSON)", "format": "JSON", "url": filename}
    existing = with_oc4ids_id(project["id"]).first()
    if existing is None:
        pkg = tk.get_action("package_create")(dict(context), fields)
        try:
            tk.get_action("resource_create")(dict(context), dict(
                upload, package_id=pkg["id"], upload=_upload(project, filename)))
        except Exception:
            # nothing half-written: the dataset goes with its file
            tk.get_action("dataset_purge")(dict(context), {"id": pkg["id"]})
            raise
        return pkg["name"], True
    fields.pop("name")
    current = tk.get_action("package_show")(dict(context), {"id": existing.id})
    fields.update(id=existing.id, resources=current.get("resources", []))
    json_res = next((r for r in fields["resources"]
                     if (r.get("format") or "").upper() == "JSON"), None)
    tk.get_action("package_patch")(dict(context), fields)
    upload["upload"] = _upload(project, filename)
    if json_res:
        tk.get_action("resource_patch")(dict(context), dict(upload, id=json_res["id"]))
    else:
        tk.get_action("resource_create")(dict(context), dict(upload, package_id=existing.id))
    return existing.name, False


# ----------------------------------------------------- background imports
def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def record(org_id: str, key: str, state: str, value: dict, error: str = "") -> dict:
    """Write the state of an import (CKAN's task_status table)."""
    return tk.get_action("task_status_update")(site_context(), {
        "entity_id": org_id, "entity_type": "organization", "task_type": TASK_TYPE,
        "key": key, "value": json.dumps(value, ensure_ascii=False), "state": state,
        "error": error, "last_updated": dt.datetime.utcnow().isoformat()})


def import_job(key: str, source: str, org_id: str, milestone: str, defaults: dict) -> None:
    """The background job of ``ogp_oc4ids_import`` (its messages are
    recorded in the portal's default language)."""
    with in_default_language():
        _import_job(key, source, org_id, milestone, defaults)


def _import_job(key, source, org_id, milestone, defaults):
    value = {"source": source, "milestone": milestone, "started": _now()}
    record(org_id, key, "running", value)
    try:
        summary = import_package(source, org_id, milestone, defaults)
    except ImportFailed as e:
        record(org_id, key, "error", dict(value, finished=_now()), str(e))
        return
    except Exception as e:  # noqa: BLE001 - the publisher must see it ended
        log.exception("OC4IDS import %s failed", key)
        record(org_id, key, "error", dict(value, finished=_now()), e.__class__.__name__)
        return
    record(org_id, key, "done", dict(value, finished=_now(), summary=summary))
