"""After a table's check: its records into the DataStore, or out of it.

A table that passed (warnings allowed) is loaded from the clean CSV its
check wrote, with the column types the check reports (its Table Schema's,
or the ones it found consistent in the data) and the schema's titles and
descriptions as the Data Dictionary. A table that failed is taken out of
the DataStore: the preview and the API never serve rows that the portal
flags as wrong. What happened is summarised in the check's report
(``result["datastore"]``).
"""
from __future__ import annotations

import logging
import os

from ckanext.ogpguatemala.datastore import load as ds_load
from ckanext.ogpguatemala.messages import N_, Msg

log = logging.getLogger(__name__)


def _schema_fields(dataset_type: str, checker: str) -> dict:
    """{field name: descriptor} of the schema the table was checked against."""
    if checker == "mintrab-tableschema":
        from ckanext.ogpguatemala.tabular.schema import fields
        return fields()
    from ckanext.ogpguatemala.tabular import quality

    declared = quality.declared_schema(dataset_type)
    return {f["name"]: f for f in declared[1].get("fields", [])} if declared else {}


def columns_for_load(dataset_type: str, result: dict) -> list[dict]:
    described = _schema_fields(dataset_type, result.get("checker", ""))
    out = []
    for col in result.get("columns") or []:
        desc = described.get(col["name"], {})
        out.append(dict(col, title=desc.get("title") or col.get("label") or col["name"],
                        description=desc.get("description") or ""))
    return out


def after_check(resource_id: str, dataset_type: str, result: dict, clean_path: str) -> dict:
    if not ds_load.enabled():
        return {"loaded": False}
    if not result.get("valid") or not os.path.exists(clean_path) or not result.get("columns"):
        dropped = ds_load.drop(resource_id)
        return {"loaded": False, "removed": dropped,
                "message": Msg(N_("Not loaded into the DataStore: the table has errors.")).as_dict()}
    try:
        loaded = ds_load.load(resource_id, clean_path, columns_for_load(dataset_type, result))
    except Exception as e:  # noqa: BLE001 - the check's result must still be saved
        log.exception("loading resource %s into the DataStore failed", resource_id)
        return {"loaded": False, "message": Msg(N_(
            "The table could not be loaded into the DataStore (%(reason)s)."),
            {"reason": e.__class__.__name__}).as_dict()}
    return {"loaded": True, "rows": loaded["rows"], "fields": loaded["fields"]}


def unload(resource_id: str) -> None:
    ds_load.drop(resource_id)
