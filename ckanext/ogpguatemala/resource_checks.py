"""Checks of resource files by dataset type, stored on the resource.

- ``mintrab-movilidad``: CSV/XLSX monthly reports against the Table Schema
  (tabular.py, Frictionless).
- ``oc4ids-proyecto``: OC4IDS JSON against the official schema
  (oc4ids/validation.py).

A check runs when a dataset of such a type is created or updated and one of
its resources is new or changed (an upload's size or time, or a link's URL).
It runs inside the same action, before CKAN commits and indexes, so the
result is saved, returned and indexed with the resource, and nothing else is
written. The result lives in three resource fields:

- ``ogp_check_status``: ``valid`` or ``invalid``
- ``ogp_check_report``: JSON: ``{"valid", "checker", "errors": [{"row",
  "column", "path", "code", "message": {"es", "en"}}], "checked_at", …}``
- ``ogp_check_fingerprint``: what the check saw (to skip unchanged files)

An invalid file is kept and flagged (``invalid``), never silently accepted;
the resource page lists each error. ``ogp_resource_check`` re-runs a check on
demand (e.g. after the file behind a link changed).
"""
from __future__ import annotations

import json
import logging
import os

import requests

import ckan.model as model
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

STATUS, REPORT, FINGERPRINT = "ogp_check_status", "ogp_check_report", "ogp_check_fingerprint"


# ------------------------------------------------------------------ checkers
def _mintrab(data: bytes, filename: str, max_bytes: int) -> dict:
    from ckanext.ogpguatemala import tabular

    return tabular.validate_report(data, filename, max_bytes=max_bytes)


def _oc4ids(data: bytes, filename: str, max_bytes: int) -> dict:
    from ckanext.ogpguatemala import infrastructure
    from ckanext.ogpguatemala.oc4ids import SchemaLoadError, validation

    try:
        result = validation.validate(data, infrastructure.schemas(), max_bytes=max_bytes)
    except SchemaLoadError as e:  # the configured schema is unreachable
        return {"valid": False, "errors": [{
            "row": None, "column": None, "path": None, "code": "schema_unavailable",
            "message": {"es": "No se pudo cargar el esquema OC4IDS configurado (%s)" % e,
                        "en": "The configured OC4IDS schema could not be loaded (%s)" % e}}]}
    if result.get("valid"):
        result["_document"] = json.loads(data)
    return result


def _oc4ids_valid(package_id: str, result: dict) -> None:
    from ckanext.ogpguatemala import infrastructure

    infrastructure.on_valid_file(package_id, result)


class Checker:
    def __init__(self, name, formats, run, max_bytes_option, on_valid=None):
        self.name, self.formats, self.run = name, formats, run
        self.max_bytes_option, self.on_valid = max_bytes_option, on_valid


# dataset type -> its checker
CHECKERS = {
    "mintrab-movilidad": Checker("mintrab-tableschema", {"CSV", "XLSX", "TSV", "TXT"}, _mintrab,
                                 "ckanext.ogpguatemala.mintrab_max_bytes"),
    "oc4ids-proyecto": Checker("oc4ids-0.9", {"JSON"}, _oc4ids,
                               "ckanext.ogpguatemala.oc4ids_max_bytes", on_valid=_oc4ids_valid),
}


def _format(resource: dict) -> str:
    fmt = (resource.get("format") or "").strip().upper().lstrip(".")
    if fmt:
        return fmt
    path = (resource.get("url") or "").split("?")[0]
    return os.path.splitext(path)[1].lstrip(".").upper()


def applies(dataset_type: str, resource: dict) -> bool:
    checker = CHECKERS.get(dataset_type)
    return bool(checker) and _format(resource) in checker.formats


# -------------------------------------------------------------- reading
class FetchError(Exception):
    def __init__(self, code, es, en):
        super().__init__(en)
        self.code, self.es, self.en = code, es, en


def _upload_path(resource: dict) -> str | None:
    from ckan.lib import uploader

    upload = uploader.get_resource_uploader(dict(resource))
    get_path = getattr(upload, "get_path", None)
    return get_path(resource["id"]) if get_path else None


def fingerprint(resource: dict) -> str:
    if resource.get("url_type") == "upload":
        path = _upload_path(resource)
        if path and os.path.exists(path):
            st = os.stat(path)
            return "upload:%d:%d" % (st.st_size, int(st.st_mtime_ns))
        return "upload:missing"
    return "url:%s" % (resource.get("url") or "")


def read(resource: dict, max_bytes: int) -> tuple[bytes, str]:
    """The resource's bytes (at most max_bytes + 1) and a file name."""
    url = resource.get("url") or ""
    filename = os.path.basename(url.split("?")[0]) or "archivo"
    if resource.get("url_type") == "upload":
        path = _upload_path(resource)
        if not path or not os.path.exists(path):
            raise FetchError("file-not-found", "No se encontró el archivo subido",
                             "The uploaded file was not found")
        with open(path, "rb") as f:
            return f.read(max_bytes + 1), filename
    if not url.startswith(("http://", "https://")):
        raise FetchError("no-file", "El recurso no tiene un archivo ni un enlace http(s)",
                         "The resource has neither a file nor an http(s) link")
    timeout = tk.config.get("ckanext.ogpguatemala.check_timeout")
    try:
        with requests.get(url, stream=True, timeout=timeout) as r:
            r.raise_for_status()
            chunks, size = [], 0
            for chunk in r.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    break
            return b"".join(chunks), filename
    except requests.RequestException as e:
        raise FetchError(
            "download-failed",
            "No se pudo descargar %s (%s)" % (url, e.__class__.__name__),
            "Could not download %s (%s)" % (url, e.__class__.__name__),
        )


# --------------------------------------------------------------- running
def run(dataset_type: str, resource: dict) -> dict:
    """Check one resource; never raises for a bad file."""
    checker = CHECKERS[dataset_type]
    max_bytes = tk.config.get(checker.max_bytes_option)
    try:
        data, filename = read(resource, max_bytes)
        result = checker.run(data, filename, max_bytes)
    except FetchError as e:
        result = {"valid": False, "errors": [
            {"row": None, "column": None, "path": None, "code": e.code,
             "message": {"es": e.es, "en": e.en}}]}
    result["checker"] = checker.name
    return result


def _save(resource_id: str, result: dict, print_: str) -> None:
    """Write the result onto the resource row, in the running transaction."""
    res = model.Resource.get(resource_id)
    extras = dict(res.extras or {})
    extras[STATUS] = "valid" if result.get("valid") else "invalid"
    extras[REPORT] = json.dumps(result, ensure_ascii=False, default=str)
    extras[FINGERPRINT] = print_
    res.extras = extras
    # CKAN dictizes resources with a Core select, which does not autoflush:
    # flush so that the dict the action returns and indexes has the result.
    model.Session.flush()


def _resource_dict(res) -> dict:
    out = dict(res.extras or {})
    out.update(id=res.id, url=res.url, url_type=res.url_type, format=res.format,
               package_id=res.package_id)
    return out


def check_dataset(package_id: str, force: bool = False, only: str | None = None) -> list[dict]:
    """Check the dataset's new or changed resources (all of them if force,
    or just resource ``only``). Reads the resources from the session, so it
    sees what the running action wrote (new ids, stored uploads)."""
    pkg = model.Package.get(package_id)
    if pkg is None or pkg.type not in CHECKERS:
        return []
    results = []
    for res in pkg.resources:
        if only and res.id != only:
            continue
        resource = _resource_dict(res)
        if not applies(pkg.type, resource):
            continue
        print_ = fingerprint(resource)
        if not force and resource.get(FINGERPRINT) == print_ and resource.get(REPORT):
            continue
        result = run(pkg.type, resource)
        on_valid = CHECKERS[pkg.type].on_valid
        if result.get("valid") and on_valid:
            on_valid(pkg.id, result)
        result.pop("_document", None)
        _save(res.id, result, print_)
        results.append(dict(result, resource_id=res.id))
        log.info("checked resource %s of %s: %s", res.id, pkg.name,
                 "valid" if result.get("valid") else "invalid")
    return results


def report_of(resource: dict) -> dict | None:
    """The stored report of a resource, for templates."""
    raw = resource.get(REPORT)
    if not raw:
        return None
    if isinstance(raw, dict):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None


def ogp_check_field(key, data, errors, context):
    """Validator of the three check fields: clients cannot set them. The
    value stored on the resource is kept; anything sent is replaced by it."""
    from ckan.lib.navl.dictization_functions import missing

    resource_id = data.get(key[:-1] + ("id",))
    stored = model.Resource.get(resource_id) if resource_id and resource_id is not missing else None
    value = (stored.extras or {}).get(key[-1]) if stored is not None else None
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
