"""``/datastore/dump/<resource_id>.xlsx``: a DataStore table as a
spreadsheet, beside CKAN's CSV/TSV/JSON/XML dumps.

Rows are read from ``datastore_search`` a page at a time (keyset pages, as
CKAN's own dump does, with the caller's rights: a private dataset's table
is refused to whoever may not see it) and written with openpyxl's
write-only workbook, which keeps only the current row in memory; the
finished file is streamed from a temporary file. A spreadsheet holds at
most 1,048,575 data rows: a larger table is cut there and the last row
says so.
"""
from __future__ import annotations

import datetime as dt
import decimal
import tempfile

import flask

import ckan.plugins.toolkit as tk

PAGE = 32000
MAX_ROWS = 1_048_575  # Excel's sheet minus the header row


def _cell(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dict, list)):
        import json
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and len(value) > 32767:  # Excel's cell limit
        return value[:32766] + "…"
    if isinstance(value, str) and value[:1] in "=+-@" and len(value) > 1 \
            and not _numberish(value):
        return "'" + value  # never a formula (CSV/formula injection)
    return value


def _numberish(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def _typed(value, ftype: str):
    if value is None:
        return None
    if ftype in ("date", "timestamp") and isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
            return parsed.date() if ftype == "date" else parsed
        except ValueError:
            return value
    if ftype in ("numeric", "int4", "int8", "int", "float8") and isinstance(value, str):
        try:
            return int(value) if ftype.startswith("int") else float(value)
        except ValueError:
            return value
    return _cell(value)


def _pages(resource_id: str, context: dict):
    search = tk.get_action("datastore_search")
    params = {"resource_id": resource_id, "limit": PAGE, "sort": "_id",
              "records_format": "lists", "include_total": False, "include_next_page": True}
    result = search(dict(context), params)
    yield result
    while len(result["records"]) >= result.get("limit", PAGE) and result.get("next_page"):
        result = search(dict(context), dict(params, filters=result["next_page"]))
        yield result


def write(resource_id: str, context: dict, out) -> int:
    """Write the table to the binary file ``out``; returns the rows written."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="datos")
    written, fields = 0, None
    for page in _pages(resource_id, context):
        if fields is None:
            fields = [f for f in page["fields"] if f["id"] != "_id"]
            ws.append([f["id"] for f in fields])
            keep = [i for i, f in enumerate(page["fields"]) if f["id"] != "_id"]
        for record in page["records"]:
            if written >= MAX_ROWS - 1:
                ws.append([tk._("The table has more rows than a spreadsheet holds; "
                                "download the CSV for all of them.")])
                wb.save(out)
                return written
            ws.append([_typed(record[i], page["fields"][i]["type"]) for i in keep])
            written += 1
    wb.save(out)
    return written


def dump_xlsx(resource_id: str):
    context = {"user": tk.current_user.name if tk.current_user else ""}
    try:
        tk.get_action("datastore_info")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("DataStore resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to read this table"))
    spool = tempfile.TemporaryFile()
    try:
        write(resource_id, context, spool)
    except tk.NotAuthorized:
        spool.close()
        return tk.abort(403, tk._("Not authorized to read this table"))
    except tk.ObjectNotFound:
        spool.close()
        return tk.abort(404, tk._("DataStore resource not found"))
    spool.seek(0)
    return flask.send_file(
        spool, as_attachment=True, download_name="%s.xlsx" % resource_id,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def get_blueprints() -> list:
    bp = flask.Blueprint("ogp_datastore", __name__)
    bp.add_url_rule("/datastore/dump/<resource_id>.xlsx", view_func=dump_xlsx)
    return [bp]
