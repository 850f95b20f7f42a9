"""What is checked, and running one check.

A resource's checker depends on its dataset type and format
(:func:`checker_for`): a type may declare its own (MINTRAB reports, OC4IDS
project files); every other table (CSV, TSV, XLSX, ODS) of any type gets
the data-quality check, against the Table Schema its type declares
(``ogp_table_schema`` in the type's YAML, e.g. the SINSAN indicator tables)
or, without one, on its own evidence. Checks of tables also write the
table's records, clean, for the DataStore (``clean_path``).
"""
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


def _mintrab(path: str, filename: str, max_bytes: int, clean_path, dataset_type) -> dict:
    from ckanext.ogpguatemala import tabular

    return tabular.validate_report(path, filename, max_bytes=max_bytes, clean_path=clean_path)


def _table(path: str, filename: str, max_bytes: int, clean_path, dataset_type) -> dict:
    from ckanext.ogpguatemala.tabular import quality

    declared = quality.declared_schema(dataset_type)
    return quality.check_table(path, filename, table_schema=declared[1] if declared else None,
                               max_bytes=max_bytes, clean_path=clean_path)


def _oc4ids(path: str, filename: str, max_bytes: int, clean_path, dataset_type) -> dict:
    from ckanext.ogpguatemala.infrastructure import settings
    from ckanext.ogpguatemala.oc4ids import SchemaLoadError, validation

    data = fetch.read_path(path, max_bytes)
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
    run: Callable[..., dict]
    max_bytes_option: str
    on_valid: Callable[[str, dict], None] | None = None
    tabular: bool = False  # its result can be loaded into the DataStore


TABLE_FORMATS = frozenset({"CSV", "TSV", "TXT", "XLSX", "ODS"})
TABLE = Checker(
    "table-quality", N_("the portal's data-quality checks of tables"), TABLE_FORMATS, _table,
    "ckanext.ogpguatemala.table_max_bytes", tabular=True)

# dataset type -> its own checker
CHECKERS = {
    "mintrab-movilidad": Checker(
        "mintrab-tableschema",
        N_("the Table Schema of the monthly labour-mobility report (MINTRAB)"),
        TABLE_FORMATS, _mintrab, "ckanext.ogpguatemala.mintrab_max_bytes", tabular=True),
    "oc4ids-proyecto": Checker(
        "oc4ids-0.9", N_("the official OC4IDS 0.9 schema"), frozenset({"JSON"}), _oc4ids,
        "ckanext.ogpguatemala.oc4ids_max_bytes", on_valid=_oc4ids_valid),
}
LABELS = {c.name: c.label for c in (*CHECKERS.values(), TABLE)}
LABELS["table-schema"] = N_("the Table Schema its dataset type declares")


def resource_format(resource: dict) -> str:
    fmt = (resource.get("format") or "").strip().upper().lstrip(".")
    if fmt:
        return fmt
    path = (resource.get("url") or "").split("?")[0]
    return os.path.splitext(path)[1].lstrip(".").upper()


def checker_for(dataset_type: str, resource: dict) -> Checker | None:
    """The checker of a resource of a dataset of type ``dataset_type``."""
    fmt = resource_format(resource)
    own = CHECKERS.get(dataset_type)
    if own is not None and fmt in own.formats:
        return own
    return TABLE if fmt in TABLE.formats else None


def applies(dataset_type: str, resource: dict) -> bool:
    return checker_for(dataset_type, resource) is not None


def failure(code: str, message: Msg) -> dict:
    """A result with one file-level error."""
    return {"valid": False, "errors": [{"row": None, "column": None, "path": None,
                                        "code": code, "message": message.as_dict()}],
            "checked_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def run(dataset_type: str, resource: dict, clean_path: str | None = None) -> dict:
    """Check one resource's file; never raises for a bad or missing file.
    A table's clean records go to ``clean_path`` when it is valid."""
    checker = checker_for(dataset_type, resource)
    max_bytes = tk.config.get(checker.max_bytes_option)
    try:
        with fetch.local_file(resource, max_bytes) as path:
            result = checker.run(path, fetch.file_name(resource), max_bytes,
                                 clean_path if checker.tabular else None, dataset_type)
    except fetch.FetchError as e:
        result = failure(e.code, e.message)
    result.setdefault("checker", checker.name)
    return result
