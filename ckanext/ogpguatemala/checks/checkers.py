"""What is checked, per dataset type, and running one check."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from typing import Callable, NamedTuple

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import N_, Msg

from . import fetch

log = logging.getLogger(__name__)


def _mintrab(data: bytes, filename: str, max_bytes: int) -> dict:
    from ckanext.ogpguatemala import tabular

    return tabular.validate_report(data, filename, max_bytes=max_bytes)


def _oc4ids(data: bytes, filename: str, max_bytes: int) -> dict:
    from ckanext.ogpguatemala.infrastructure import settings
    from ckanext.ogpguatemala.oc4ids import SchemaLoadError, validation

    try:
        result = validation.validate(data, settings.schemas(), max_bytes=max_bytes)
    except SchemaLoadError as e:  # the configured schema is unreachable
        return failure("schema_unavailable", Msg(
            N_("The configured OC4IDS schema could not be loaded (%(reason)s)"), {"reason": str(e)}))
    if result.get("valid"):
        result["_document"] = json.loads(data)
    return result


def _oc4ids_valid(package_id: str, result: dict) -> None:
    from ckanext.ogpguatemala.infrastructure import filling

    filled = filling.fill_from_document(package_id, result.pop("_document"))
    if filled:
        result["filled_fields"] = filled


class Checker(NamedTuple):
    name: str
    label: str  # what the file is checked against (a msgid)
    formats: frozenset
    run: Callable[[bytes, str, int], dict]
    max_bytes_option: str
    on_valid: Callable[[str, dict], None] | None = None


# dataset type -> its checker
CHECKERS = {
    "mintrab-movilidad": Checker(
        "mintrab-tableschema",
        N_("the Table Schema of the monthly labour-mobility report (MINTRAB)"),
        frozenset({"CSV", "XLSX", "TSV", "TXT"}), _mintrab,
        "ckanext.ogpguatemala.mintrab_max_bytes"),
    "oc4ids-proyecto": Checker(
        "oc4ids-0.9", N_("the official OC4IDS 0.9 schema"), frozenset({"JSON"}), _oc4ids,
        "ckanext.ogpguatemala.oc4ids_max_bytes", on_valid=_oc4ids_valid),
}
LABELS = {c.name: c.label for c in CHECKERS.values()}


def resource_format(resource: dict) -> str:
    fmt = (resource.get("format") or "").strip().upper().lstrip(".")
    if fmt:
        return fmt
    path = (resource.get("url") or "").split("?")[0]
    return os.path.splitext(path)[1].lstrip(".").upper()


def applies(dataset_type: str, resource: dict) -> bool:
    checker = CHECKERS.get(dataset_type)
    return bool(checker) and resource_format(resource) in checker.formats


def failure(code: str, message: Msg) -> dict:
    """A result with one file-level error."""
    return {"valid": False, "errors": [{"row": None, "column": None, "path": None,
                                        "code": code, "message": message.as_dict()}],
            "checked_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def run(dataset_type: str, resource: dict) -> dict:
    """Check one resource's file; never raises for a bad or missing file."""
    checker = CHECKERS[dataset_type]
    max_bytes = tk.config.get(checker.max_bytes_option)
    try:
        data = fetch.read_resource(resource, max_bytes)
        result = checker.run(data, fetch.file_name(resource), max_bytes)
    except fetch.FetchError as e:
        result = failure(e.code, e.message)
    result["checker"] = checker.name
    return result
