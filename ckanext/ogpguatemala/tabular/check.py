"""The check itself: rows in, result out.

After :mod:`.reading` and :mod:`.header`:

1. Header problems: required columns missing, a column given twice.
2. Row shape: more cells than header labels, a quote left open.
3. Cells are trimmed and normalised (:mod:`.normalise`), keeping the cells
   as written to quote them in messages.
4. Frictionless validates the normalised rows against the schema (types,
   constraints, blank rows); its errors are explained in the report's words.
5. The municipality/department cross-check runs on the normalised values.

Row numbers are those a person sees in a spreadsheet: the file's first row
is 1 (normally the header), each CSV record is one row. Errors are sorted
by row, then by column in the schema's order.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re

from ckanext.ogpguatemala.messages import Msg
from ckanext.ogpguatemala.tabular.header import find_header, is_blank
from ckanext.ogpguatemala.tabular.messages import TEXTS, hint, msg
from ckanext.ogpguatemala.tabular.normalise import (
    DEPARTMENT_CODE,
    MUNICIPALITY_CODE,
    normalise_columns,
)
from ckanext.ogpguatemala.tabular.reading import MAX_BYTES, Problem, read_source, read_table
from ckanext.ogpguatemala.tabular.schema import OPTIONAL_COLUMNS, fields, frictionless_schema

log = logging.getLogger(__name__)

MAX_ERRORS = 100


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, row: int | None, column: str | None, code: str, message: Msg) -> None:
        self.items.append(
            {"row": row, "column": column, "code": code, "message": message.as_dict()}
        )


def _result(fmt, encoding, delimiter, rows, errors: list[dict], truncated=False) -> dict:
    result = {
        "valid": not errors,
        "rows": rows,
        "encoding": encoding,
        "delimiter": delimiter,
        "format": fmt,
        "errors": errors,
        "checked_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if truncated:
        result["truncated"] = True
    return result


def _fail(code: str, message: Msg, fmt=None, encoding=None, delimiter=None) -> dict:
    errors = _Errors()
    errors.add(None, None, code, message)
    return _result(fmt, encoding, delimiter, 0, errors.items)


# ---------------------------------------------------------------------------
# Frictionless errors in the report's words

def _clip(value: str, limit: int = 60) -> str:
    """A cell as quoted in a message: one line, at most ``limit`` characters."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


# Frictionless names the broken constraint only in the error's note.
_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)


def _allowed(field: str) -> Msg:
    """What an enum column accepts: a hint, or its values."""
    values = fields().get(field, {}).get("constraints", {}).get("enum", [])
    return hint(field) or msg("one-of", values=", ".join(values))


def _constraint_message(error, cell: dict, ambiguous_rows: set[int]) -> Msg:
    match = _CONSTRAINT_NOTE.search(getattr(error, "note", "") or "")
    constraint = match.group(1) if match else ""
    limit = match.group(2) if match else ""
    row, field = cell["row"], cell["field"]
    if constraint == "required":
        return msg("required", row=row, field=field)
    if constraint == "enum":
        if field == "sexo" and row in ambiguous_rows:
            return msg("enum-sexo-ambiguous", **cell)
        return msg("enum", allowed=_allowed(field), **cell)
    if constraint in ("minimum", "maximum"):
        return msg(constraint, limit=limit, **cell)
    if constraint == "pattern":
        return msg("pattern", expected=hint(field) or msg("in-format", pattern=limit), **cell)
    return msg("constraint", constraint=constraint or "?", **cell)


def explain(error, row: int, field: str, ambiguous_rows: set[int],
            raw_value: str | None = None) -> tuple[str, Msg]:
    """(code, message) for a Frictionless error at file row ``row``, quoting
    the cell as the file wrote it (``raw_value``) when known."""
    kind = error.type
    value = raw_value if raw_value is not None else getattr(error, "cell", "")
    cell = {"row": row, "field": field, "value": _clip("" if value is None else str(value))}
    if kind == "constraint-error":
        return kind, _constraint_message(error, cell, ambiguous_rows)
    if kind == "type-error":
        ftype = fields().get(field, {}).get("type", "")
        if f"type-{ftype}" in TEXTS:
            return kind, msg(f"type-{ftype}", **cell)
        return kind, msg("type", type=ftype, **cell)
    if kind == "blank-row":
        return kind, msg("blank-row", row=row)
    note = getattr(error, "message", "") or kind
    return kind, msg("other", row=row, field=field, note=note)


def _frictionless_errors(present: list[str], data: list[list[str]], row_numbers: list[int],
                         ambiguous: set[int], limit: int, errors: _Errors,
                         raw: dict[str, list[str]]) -> None:
    """Validate with Frictionless (at most ``limit`` errors); add them,
    explained, quoting the cell as the file wrote it (``raw``)."""
    from frictionless import Resource

    ambiguous_rows = {row_numbers[i] for i in ambiguous}
    # Rows are read through the row stream rather than Resource.validate():
    # the same per-cell checks (types, constraints, blank rows) without the
    # report, which deep-copies the inline data. The header is ours: the
    # names of the fields present (missing columns are reported by
    # _header_errors), which Frictionless matches to the schema by name.
    items = []
    with Resource(data=[present, *data], schema=frictionless_schema()) as resource:
        for frow in resource.row_stream:
            if frow.errors:
                items.extend(frow.errors)
                if len(items) >= limit:
                    break
    for error in items:
        fric_row = getattr(error, "row_number", None)
        index = fric_row - 2 if isinstance(fric_row, int) else -1
        row = row_numbers[index] if 0 <= index < len(data) else None
        field = getattr(error, "field_name", None) or None
        raw_value = raw[field][index] if field in raw and 0 <= index < len(data) else None
        code, message = explain(error, row, field, ambiguous_rows, raw_value)
        errors.add(row, field, code, message)


def _place_errors(columns: dict[str, list[str]], row_numbers: list[int], errors: _Errors) -> None:
    muns = columns.get("municipio_origen")
    if muns is None:
        return
    from ckanext.ogpguatemala import geo

    deps = columns.get("departamento_origen")
    for i, mun in enumerate(muns):
        if not mun or not MUNICIPALITY_CODE.match(mun):
            continue
        row = row_numbers[i]
        entry = geo.MUNICIPALITIES.get(mun)
        if entry is None:
            errors.add(row, "municipio_origen", "unknown-municipality",
                       msg("unknown-municipality", row=row, value=mun))
            continue
        dep = deps[i] if deps is not None else None
        if dep and DEPARTMENT_CODE.match(dep) and entry[1] != dep:
            errors.add(
                row, "municipio_origen", "municipality-department-mismatch",
                msg("municipality-department-mismatch",
                    row=row, value=mun, name=entry[0], mun_dep=entry[1],
                    mun_dep_name=geo.DEPARTMENTS.get(entry[1], "?"),
                    dep=dep, dep_name=geo.DEPARTMENTS.get(dep, "?")),
            )


# ---------------------------------------------------------------------------
# Entry point

def validate_report(source, filename: str = "", max_bytes: int = MAX_BYTES,
                    max_errors: int = MAX_ERRORS) -> dict:
    """Check a MINTRAB labour-mobility report file.

    ``source``: the file's bytes, a path (str or PathLike) or a binary file
    object. ``filename`` is only a hint (an ``.xlsx`` name that is not a zip
    is reported as such). Returns::

        {"valid": bool, "rows": int, "encoding": str|None,
         "delimiter": str|None, "format": "csv"|"xlsx"|None,
         "errors": [{"row": int|None, "column": str|None, "code": str,
                     "message": {"msgid": str, "params": {...}}}, ...],
         "checked_at": "2025-01-31T12:00:00+00:00"}

    plus ``"truncated": True`` when more than ``max_errors`` errors were
    found (only the first ``max_errors``, in row order, are listed). A
    message's params may be messages of the same form; show it with
    :func:`ckanext.ogpguatemala.messages.render`.
    ``encoding`` is "utf-8", "utf-8-sig" (BOM), "cp1252" or "utf-16" for
    text, "utf-8" for XLSX, None when the file could not be read as a table
    (then ``format`` may be None too). ``rows`` counts data rows below the
    header, trailing blank rows excluded. Never raises for a bad file.
    """
    try:
        data = read_source(source, max_bytes)
        rows, fmt, encoding, delimiter = read_table(data, filename)
    except Problem as problem:
        return _fail(problem.code, problem.message, problem.fmt, problem.encoding,
                     problem.delimiter)
    except Exception:  # noqa: BLE001 - a bug here must not break an upload
        log.exception("tabular: reading %r failed", filename)
        return _fail("internal-error", msg("internal-error"))
    try:
        return _check_rows(rows, fmt, encoding, delimiter, max_errors)
    except Exception:  # noqa: BLE001
        log.exception("tabular: checking %r failed", filename)
        return _fail("internal-error", msg("internal-error"), fmt, encoding, delimiter)


def _header_errors(header: list[str], mapping: dict[str, int], duplicates, header_row: int,
                   errors: _Errors) -> None:
    for name, fdesc in fields().items():
        if name not in mapping and name not in OPTIONAL_COLUMNS:
            errors.add(None, name, "missing-label",
                       msg("missing-label", field=name, title=fdesc.get("title", name)))
    for i, field, kept in duplicates:
        errors.add(header_row, field, "duplicate-label", msg(
            "duplicate-label", label=header[i].strip(), field=field, first=header[kept].strip()))


def _shape_errors(r: int, row: list[str], width: int, delimiter: str | None,
                  errors: _Errors) -> None:
    if delimiter:
        for cell in row:
            if cell.count("\n") >= 2 and delimiter in cell:
                errors.add(r, None, "unclosed-quote",
                           msg("unclosed-quote", row=r, lines=cell.count("\n") + 1))
                break
    n = len(row)
    if n > width and not is_blank(row[width:]):
        last = max(j for j in range(width, n) if (row[j] or "").strip()) + 1
        errors.add(r, None, "extra-cell", msg("extra-cell", row=r, cells=last, labels=width))


def _check_rows(rows: list[list[str]], fmt: str, encoding: str, delimiter: str | None,
                max_errors: int) -> dict:
    while rows and is_blank(rows[-1]):
        rows.pop()
    if not rows:
        return _fail("empty-file", msg("empty-file"), fmt, encoding, delimiter)

    found = find_header(rows)
    fields_meta = fields()
    if found is None:
        examples = ", ".join(fields_meta[f].get("title", f) for f in list(fields_meta)[:4])
        return _fail("no-header", msg("no-header", examples=examples), fmt, encoding, delimiter)
    header_index, mapping, duplicates = found
    header = rows[header_index]
    body = rows[header_index + 1:]
    if not body:
        return _fail("no-data-rows", msg("no-data-rows"), fmt, encoding, delimiter)
    row_numbers = list(range(header_index + 2, header_index + 2 + len(body)))
    errors = _Errors()
    _header_errors(header, mapping, duplicates, header_index + 1, errors)

    # Header width: last non-empty label; trailing empty cells beyond it are
    # ignored, non-empty ones are extra cells.
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    present = [name for name in fields_meta if name in mapping]
    columns: dict[str, list[str]] = {name: [] for name in present}
    for r, row in zip(row_numbers, body):
        _shape_errors(r, row, width, delimiter, errors)
        for name in present:
            j = mapping[name]
            columns[name].append(row[j].strip() if j < len(row) and row[j] else "")

    raw = {name: list(cells) for name, cells in columns.items()}
    ambiguous = normalise_columns(columns)
    data = [list(cells) for cells in zip(*(columns[name] for name in present))] if present else []
    _frictionless_errors(present, data, row_numbers, ambiguous, max_errors + 1, errors, raw)
    _place_errors(columns, row_numbers, errors)

    order = {name: i for i, name in enumerate(fields_meta)}
    items = sorted(
        errors.items,
        key=lambda e: (
            e["row"] is not None,
            e["row"] or 0,
            # a row's structural error (no column) first: it explains the rest
            order.get(e["column"], -1),
        ),
    )
    truncated = len(items) > max_errors
    return _result(fmt, encoding, delimiter, len(body), items[:max_errors], truncated)
