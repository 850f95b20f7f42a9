"""OC4IDS infrastructure projects in CKAN (commitment 3 of PAN6).

The standard itself (schemas, validation, project <-> fields mapping) is in
the pure-Python ``oc4ids`` package; this module connects it to CKAN:

- where the schema is (``ckanext.ogpguatemala.oc4ids_schema``) and the
  codelist choices of the ``oc4ids-proyecto`` form;
- filling empty dataset fields from a validated project file;
- importing a project package (``ckan ogpguatemala import-oc4ids``);
- publishing what the portal holds as OC4IDS (one project, or the package
  of all public projects).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import json
import logging
import os
import re

import requests

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import both
from ckanext.ogpguatemala.oc4ids import mapping, schema, validation

log = logging.getLogger(__name__)

DATASET_TYPE = "oc4ids-proyecto"
CODELISTS_FILE = os.path.join(os.path.dirname(__file__), "data", "oc4ids_codelists.json")
ID_PATTERN = re.compile(r"^oc4ids-[a-z0-9]{6}-\S+$")
# Dataset fields that are lists, and the ones that live on the package row.
LIST_FIELDS = {"project_sector", "geo_departments", "geo_municipalities"}
CORE_FIELDS = {"title", "notes"}


# ---------------------------------------------------------------- settings
def schema_location() -> str:
    return tk.config.get("ckanext.ogpguatemala.oc4ids_schema")


def schemas():
    """The configured OC4IDS schemas (read once per process and location)."""
    return schema.load_schemas(schema_location())


def max_bytes() -> int:
    return tk.config.get("ckanext.ogpguatemala.oc4ids_max_bytes")


_codelists = None


def codelist_choices(name: str) -> list[dict]:
    """[{value, label: {es, en}}] of a codelist, from the copy shipped with
    the extension (so forms work offline, whatever the schema location)."""
    global _codelists
    if _codelists is None:
        with open(CODELISTS_FILE, encoding="utf-8") as f:
            _codelists = json.load(f)["codelists"]
    return _codelists[name]


@functools.lru_cache(maxsize=1)
def currency_choices() -> list[dict]:
    import pycountry

    first = ["GTQ", "USD", "EUR"]
    codes = sorted((c.alpha_3 for c in pycountry.currencies), key=lambda c: (c not in first, c))
    return [{"value": c, "label": c} for c in codes]


# ------------------------------------------------ validators of the type
def ogp_oc4ids_id(key, data, errors, context):
    """An OC4IDS project identifier (``oc4ids-`` + 6-character prefix + local
    id), used by no other dataset."""
    from ckan.lib.navl.dictization_functions import missing

    value = data.get(key)
    if value in (None, missing, ""):
        return
    value = str(value).strip()
    data[key] = value
    if not ID_PATTERN.match(value):
        errors[key].append(both(
            "«%s» no es un identificador OC4IDS (oc4ids-<prefijo de 6 caracteres>-<id local>)" % value,
            "'%s' is not an OC4IDS identifier (oc4ids-<6-character prefix>-<local id>)" % value,
        ))
        return
    this_id = data.get(key[:-1] + ("id",))
    other = _with_oc4ids_id(value).with_entities(model.Package.name)
    if this_id and this_id is not missing:
        other = other.filter(model.Package.id != this_id)
    name = other.first()
    if name:
        errors[key].append(both(
            "El identificador «%s» ya lo usa el conjunto de datos «%s»" % (value, name[0]),
            "The identifier '%s' is already used by dataset '%s'" % (value, name[0]),
        ))


def _with_oc4ids_id(value: str):
    """Datasets (not deleted) whose ``oc4ids_id`` is ``value``. CKAN 2.12
    keeps extras in the package row's JSONB ``extras`` column."""
    return model.Session.query(model.Package).filter(
        model.Package.extras["oc4ids_id"].astext == value,
        model.Package.state != "deleted",
    )


def ogp_keep_stored(key, data, errors, context):
    """Dataset fields only the portal writes (e.g. the original project
    JSON): whatever a client sends is replaced by the stored value."""
    from ckan.lib.navl.dictization_functions import StopOnError, missing

    pkg_id = data.get(key[:-1] + ("id",))
    pkg = model.Package.get(pkg_id) if pkg_id and pkg_id is not missing else None
    value = pkg.extras.get(key[-1]) if pkg is not None else None
    if value is None:
        data.pop(key, None)
        raise StopOnError  # nothing to store (skips convert_to_extras)
    data[key] = value


def ogp_json_output(value):
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


# --------------------------------------------- filling from a project file
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


def _stored(pkg, field):
    if field in CORE_FIELDS:
        return getattr(pkg, field)
    return pkg.extras.get(field)


def _empty(value) -> bool:
    return value in (None, "", "[]")


def fill_from_document(package_id: str, document) -> list[str]:
    """Fill the dataset fields that are empty from the validated project;
    what the publisher typed wins. Keeps the project as ``oc4ids_original``.
    Returns the names of the fields filled."""
    pkg = model.Package.get(package_id)
    project = project_from(document, pkg.extras.get("oc4ids_id"))
    if project is None:
        return []
    filled = []
    for field, value in mapping.project_to_fields(project).items():
        if value in (None, "", []) or not _empty(_stored(pkg, field)):
            continue
        if field in LIST_FIELDS:
            value = json.dumps(value)
        elif not isinstance(value, str):
            value = str(value)
        if field in CORE_FIELDS:
            setattr(pkg, field, value)
        else:
            pkg.extras[field] = value
        filled.append(field)
    pkg.extras["oc4ids_original"] = json.dumps(project, ensure_ascii=False)
    model.Session.flush()
    return filled


def on_valid_file(package_id: str, result: dict) -> None:
    document = result.pop("_document", None)
    if document is not None:
        filled = fill_from_document(package_id, document)
        if filled:
            result["filled_fields"] = filled


# ---------------------------------------------------------- publishing
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


def package_of_public_projects(uri: str) -> dict:
    return mapping.build_package(
        list(public_projects()),
        uri=uri,
        publisher_name=tk.config.get("ckan.site_title") or "CKAN",
        published_date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        license=tk.config.get("ckanext.ogpguatemala.oc4ids_license"),
    )


# ------------------------------------------------------------- importing
class ImportError_(Exception):
    """The whole source cannot be imported (unreadable, not a package…)."""


def read_source(source: str) -> bytes:
    limit = max_bytes()
    if source.startswith(("http://", "https://")):
        try:
            with requests.get(source, stream=True,
                              timeout=tk.config.get("ckanext.ogpguatemala.check_timeout")) as r:
                r.raise_for_status()
                data = b""
                for chunk in r.iter_content(64 * 1024):
                    data += chunk
                    if len(data) > limit:
                        break
                return data
        except requests.RequestException as e:
            raise ImportError_(both("No se pudo descargar %s (%s)" % (source, e),
                                    "Could not download %s (%s)" % (source, e)))
    try:
        with open(source, "rb") as f:
            return f.read(limit + 1)
    except OSError as e:
        raise ImportError_(both("No se pudo leer %s (%s)" % (source, e.strerror),
                                "Could not read %s (%s)" % (source, e.strerror)))


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _existing(oc4ids_id: str):
    return _with_oc4ids_id(oc4ids_id).first()


def dataset_name(oc4ids_id: str) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", oc4ids_id.lower()).strip("-")
    return name[:100]


def _dataset_fields(project: dict, org: str, milestone: str, defaults: dict) -> dict:
    fields = mapping.project_to_fields(project)
    fields.update(
        type=DATASET_TYPE,
        owner_org=org,
        ogp_milestones=[milestone],
        name=dataset_name(project["id"]),
    )
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
    return [e for e in errors if (e.get("path") or "").startswith(prefix + "/")
            or e.get("path") == prefix]


def import_package(source: str, org: str, milestone: str, defaults: dict | None = None,
                   progress=None) -> dict:
    """Create or update (by OC4IDS id) one dataset per project of a project
    package. Invalid projects are reported and skipped; a project whose
    dataset or file cannot be written leaves nothing behind.

    Returns {"created": [names], "updated": [names], "rejected": [(id, reasons)]}.
    """
    defaults = dict(defaults or {})
    data = read_source(source)
    try:
        loaded = schemas()
    except schema.SchemaLoadError as e:
        log.error("OC4IDS schema unavailable: %s", e)
        raise ImportError_(both(
            "El esquema OC4IDS no está disponible; no se pudo validar el archivo (%s)" % e,
            "The OC4IDS schema is unavailable; the file could not be validated (%s)" % e))
    result = validation.validate(data, loaded, max_bytes=max_bytes())
    if result["kind"] != "package":
        reasons = [both(e["message"]["es"], e["message"]["en"]) for e in result["errors"][:5]]
        if result["kind"] == "project":
            reasons = [both("Se esperaba un paquete de proyectos (con «projects»), no un proyecto suelto",
                            "Expected a project package (with 'projects'), not a single project")]
        raise ImportError_("\n".join(reasons) or both("Archivo no válido", "Invalid file"))
    document = json.loads(data)
    context = _site_context()
    try:
        tk.get_action("organization_show")(dict(context), {"id": org})
    except tk.ObjectNotFound:
        raise ImportError_(both("No existe la organización «%s»" % org,
                                "Organization '%s' does not exist" % org))
    from ckanext.ogpguatemala.linking import problem_with

    if problem_with(milestone.upper()):
        raise ImportError_(problem_with(milestone.upper()))

    summary = {"created": [], "updated": [], "rejected": []}
    package_level = [e for e in result["errors"] if not (e.get("path") or "").startswith("/projects/")]
    if package_level:
        # e.g. a missing publisher: the package as a whole is not valid, but
        # its valid projects can still be imported; say so once.
        summary["warnings"] = [both(e["message"]["es"], e["message"]["en"]) for e in package_level]
    projects = document.get("projects") or []
    iterator = progress(list(enumerate(projects))) if progress else enumerate(projects)
    for index, project in iterator:
        pid = project.get("id") if isinstance(project, dict) else None
        label = pid or "projects[%d]" % index
        errors = _project_errors(result["errors"], index)
        if errors:
            summary["rejected"].append((label, [both(e["message"]["es"], e["message"]["en"])
                                                + " (%s)" % e["path"] for e in errors[:10]]))
            continue
        try:
            name, created = _write_project(context, project, org, milestone.upper(), defaults)
        except tk.ValidationError as e:
            summary["rejected"].append((label, ["%s: %s" % (k, "; ".join(map(str, v)))
                                                for k, v in e.error_dict.items()]))
            continue
        summary["created" if created else "updated"].append(name)
    return summary


def _write_project(context, project, org, milestone, defaults):
    fields = _dataset_fields(project, org, milestone, defaults)
    filename = dataset_name(project["id"]) + ".json"
    existing = _existing(project["id"])
    if existing is None:
        pkg = tk.get_action("package_create")(dict(context), fields)
        try:
            tk.get_action("resource_create")(dict(context), {
                "package_id": pkg["id"], "name": "Proyecto OC4IDS (JSON)", "format": "JSON",
                "url": filename, "upload": _upload(project, filename)})
        except Exception:
            # nothing half-written: the dataset goes with its file
            tk.get_action("dataset_purge")(dict(context), {"id": pkg["id"]})
            raise
        return pkg["name"], True
    fields.pop("name")
    fields["id"] = existing.id
    current = tk.get_action("package_show")(dict(context), {"id": existing.id})
    fields["resources"] = current.get("resources", [])
    json_res = next((r for r in fields["resources"] if (r.get("format") or "").upper() == "JSON"), None)
    tk.get_action("package_patch")(dict(context), fields)
    upload = {"name": "Proyecto OC4IDS (JSON)", "format": "JSON", "url": filename,
              "upload": _upload(project, filename)}
    if json_res:
        tk.get_action("resource_patch")(dict(context), dict(upload, id=json_res["id"]))
    else:
        tk.get_action("resource_create")(dict(context), dict(upload, package_id=existing.id))
    return existing.name, False
