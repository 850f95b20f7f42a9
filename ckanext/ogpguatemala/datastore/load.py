"""A checked table into the DataStore.

The file check (``checks``) writes the table's records, normalised, to a
clean UTF-8 CSV whose header is the column names it reports. This module
creates the DataStore table with those columns typed (Table Schema types
mapped onto PostgreSQL's) and labelled (the Data Dictionary), then hands
the file to ckanext-xloader's loader, which copies it in with PostgreSQL's
COPY (streamed, in chunks), builds the full-text index and the column
indexes. xloader's own download-and-guess path is kept for the formats the
checks do not read (see :func:`handled`).
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import site_context

log = logging.getLogger(__name__)

# Table Schema type -> DataStore (PostgreSQL) type. Anything else is text.
TYPES = {
    "integer": "int8",
    "year": "int4",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
}


def enabled() -> bool:
    """Whether the DataStore and xloader plugins run on this site."""
    from ckan import plugins

    return plugins.plugin_loaded("datastore") and plugins.plugin_loaded("xloader")


def datastore_type(schema_type: str | None) -> str:
    return TYPES.get(schema_type or "", "text")


def fields_of(columns: list[dict]) -> list[dict]:
    """DataStore field definitions of the check's ``columns``
    (``[{"name", "label", "type", "title"?, "description"?}]``)."""
    out = []
    for col in columns:
        dtype = datastore_type(col.get("type"))
        info = {"type_override": dtype,
                "label": col.get("title") or col.get("label") or col["name"],
                "notes": col.get("description") or ""}
        out.append({"id": col["name"], "type": dtype, "info": info})
    return out


def exists(resource_id: str) -> bool:
    try:
        tk.get_action("datastore_info")(site_context(), {"id": resource_id})
        return True
    except tk.ObjectNotFound:
        return False


def drop(resource_id: str) -> bool:
    """Remove the resource's DataStore table (e.g. its new file failed the
    check: stale rows must not stay queryable). Returns whether one existed."""
    if not enabled() or not exists(resource_id):
        return False
    tk.get_action("datastore_delete")(site_context(), {"resource_id": resource_id, "force": True})
    return True


class _Log:
    """xloader's loader reports through a logger; keep its messages in ours."""

    def __getattr__(self, name):
        return getattr(log, name if name != "warn" else "warning")


def load(resource_id: str, clean_path: str, columns: list[dict]) -> dict:
    """Load the clean CSV at ``clean_path`` (header = the names of
    ``columns``) into the resource's DataStore table. Returns
    ``{"rows": n, "fields": [{"id", "type"}]}``."""
    from ckanext.xloader import loader

    fields = fields_of(columns)
    ctx = site_context()
    if exists(resource_id):  # a new file: the table takes its columns
        tk.get_action("datastore_delete")(ctx, {"resource_id": resource_id, "force": True})
    tk.get_action("datastore_create")(
        site_context(), {"resource_id": resource_id, "fields": fields, "records": None, "force": True})
    logger = _Log()
    loaded = loader.load_csv(clean_path, resource_id=resource_id, mimetype="text/csv",
                             allow_type_guessing=False, logger=logger)
    loader.calculate_record_count(resource_id=resource_id, logger=logger)
    loader.create_column_indexes(fields=loaded, resource_id=resource_id, logger=logger)
    info = tk.get_action("datastore_info")(site_context(), {"id": resource_id})
    rows = (info.get("meta") or {}).get("count")
    _create_views(resource_id)
    return {"rows": rows, "fields": [{"id": f["id"], "type": f["type"]} for f in info["fields"]]}


def _create_views(resource_id: str) -> None:
    """The preview (datatables_view) and any other default view that needs
    the DataStore, once the table exists."""
    ctx = site_context()
    resource = tk.get_action("resource_show")(ctx, {"id": resource_id})
    package = tk.get_action("package_show")(ctx, {"id": resource["package_id"]})
    tk.get_action("resource_create_default_resource_views")(
        site_context(), {"resource": resource, "package": package, "create_datastore_views": True})


def xloader_may_load(resource_id: str) -> bool:
    """Whether xloader's own job (download, guess, load) should load the
    resource: not when the file checks load it after checking it."""
    import ckan.model as model

    from ckanext.ogpguatemala.checks import checkers

    res = model.Resource.get(resource_id)
    if res is None:
        return True
    checker = checkers.checker_for(res.package.type, {"format": res.format, "url": res.url})
    return checker is None or not checker.tabular
