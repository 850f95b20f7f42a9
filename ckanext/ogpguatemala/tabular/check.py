"""The check itself: rows in, result out, streamed.

The rows come from :func:`.reading.open_table` (in a workbook, the sheet
whose header names most report columns), one at a time:

1. The header is found among the first rows (:mod:`.header`); non-blank
   rows above it are a title (a warning). Header problems: required columns
   missing, a column given twice.
2. Below it, blank rows, notes and total lines are held back
   (:mod:`.layout`) until a record follows (then they are records, or, for
   blank rows, a warning) or the file ends (then they are warnings).
3. Row shape: more cells than header labels, a quote left open.
4. Records are checked in chunks of :data:`CHUNK_ROWS`: cells trimmed and
   normalised (:mod:`.normalise`, keeping the cells as written to quote them
   in messages), validated by Frictionless against the schema (types,
   constraints), the municipality/department cross-check; with
   ``clean_path``, written as clean CSV while the file is still valid.

Memory holds one chunk, the errors and warnings (at most ``max_errors`` and
:data:`MAX_WARNINGS`) and counters: it does not grow with the file.

Row numbers are those a person sees in a spreadsheet: the file's first row
is 1 (normally the header), each CSV record is one row. Errors are sorted
by row, then by column in the schema's order.
"""
from __future__ import annotations

import csv
import datetime as _dt
import decimal
import logging
import os
import re

from ckanext.ogpguatemala.messages import Msg
from ckanext.ogpguatemala.tabular import layout
from ckanext.ogpguatemala.tabular.header import (
    find_header,
    header_rows_needed,
    header_score,
    is_blank,
)
from ckanext.ogpguatemala.tabular.messages import TEXTS, hint, msg
from ckanext.ogpguatemala.tabular.normalise import (
    DEPARTMENT_CODE,
    MUNICIPALITY_CODE,
    normalise_columns,
)
from ckanext.ogpguatemala.tabular.reading import MAX_BYTES, Problem, Table, open_table
from ckanext.ogpguatemala.tabular.schema import OPTIONAL_COLUMNS, fields, frictionless_schema

log = logging.getLogger(__name__)

MAX_ERRORS = 100
MAX_WARNINGS = 100
# Row numbers listed in the result's "ignored_rows", at most.
MAX_IGNORED_ROWS = 1000
# Records validated at a time.
CHUNK_ROWS = 5000


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, row: int | None, column: str | None, code: str, message: Msg) -> None:
        self.items.append(
            {"row": row, "column": column, "code": code, "message": message.as_dict()}
        )


def _result(table: Table | None, rows: int, errors: list[dict], **extra) -> dict:
    result = {
        "valid": not errors,
        "rows": rows,
        "encoding": table.encoding if table else None,
        "delimiter": table.delimiter if table else None,
        "format": table.format if table else None,
        "sheet": table.sheet if table else None,
        "sheets": list(table.sheets) if table else [],
        "header_row": None,
        "columns": [],
        "errors": errors,
        "warnings": [],
        "ignored_rows": [],
        "checked_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    result.update(extra)
    return result


def _fail(code: str, message: Msg, table: Table | None = None, fmt=None, encoding=None,
          delimiter=None) -> dict:
    errors = _Errors()
    errors.add(None, None, code, message)
    result = _result(table, 0, errors.items)
    if table is None:
        result.update(format=fmt, encoding=encoding, delimiter=delimiter)
    return result


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
    note = getattr(error, "message", "") or kind
    return kind, msg("other", row=row, field=field, note=note)


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


def _clean_value(value) -> str:
    """A typed cell as the DataStore loads it: digits, '.' decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# Entry point

def validate_report(source, filename: str = "", max_bytes: int = MAX_BYTES,
                    max_errors: int = MAX_ERRORS, clean_path: str | None = None) -> dict:
    """Check a MINTRAB labour-mobility report file.

    ``source``: a path (str or PathLike), the file's bytes or a binary file
    object; CSV/TSV text, XLSX or ODS. ``filename`` is only a hint (an
    ``.xlsx`` name that is not a zip is reported as such). Returns::

        {"valid": bool, "rows": int, "encoding": str|None,
         "delimiter": str|None, "format": "csv"|"xlsx"|"ods"|None,
         "sheet": str|None, "sheets": [str], "header_row": int|None,
         "columns": [{"name": field, "label": as written, "type": schema type}],
         "errors": [{"row": int|None, "column": str|None, "code": str,
                     "message": {"msgid": str, "params": {...}}}, ...],
         "warnings": [same shape as errors],
         "ignored_rows": [int],
         "checked_at": "2025-01-31T12:00:00+00:00"}

    plus ``"truncated": True`` when more than ``max_errors`` errors were
    found (only the first ``max_errors``, in row order, are listed). Warnings
    (rows read as a title, notes, totals or blank; the sheet read) do not
    make the file invalid; ``ignored_rows`` lists the rows they skipped (at
    most :data:`MAX_IGNORED_ROWS`). A message's params may be messages of the
    same form; show it with :func:`ckanext.ogpguatemala.messages.render`.
    ``encoding`` is "utf-8", "utf-8-sig" (BOM), "cp1252" or "utf-16" for
    text, "utf-8" for workbooks, None when the file could not be read as a
    table (then ``format`` may be None too). ``rows`` counts the records
    (rows below the header that are not ignored). Never raises for a bad file.

    With ``clean_path``, a valid report's records are also written there
    as UTF-8 CSV (comma; header: the schema's names of the columns present,
    in the schema's order; values as Frictionless read them: integers as
    digits, numbers with '.' decimals). It is written while the file is read
    (to ``clean_path + ".part"``, renamed at the end, removed if invalid).
    """
    part = clean_path + ".part" if clean_path else None
    result = None
    try:
        with open_table(source, filename, max_bytes, sheet_score=header_score) as table:
            try:
                result = _Check(table, max_errors, part).run()
            except Problem as problem:
                result = _fail(problem.code, problem.message, table)
            except Exception:  # noqa: BLE001 - a bug here must not break an upload
                log.exception("tabular: checking %r failed", filename)
                result = _fail("internal-error", msg("internal-error"), table)
    except Problem as problem:
        result = _fail(problem.code, problem.message, None, problem.fmt, problem.encoding,
                       problem.delimiter)
    except Exception:  # noqa: BLE001
        log.exception("tabular: reading %r failed", filename)
        result = _fail("internal-error", msg("internal-error"))
    finally:
        if part and os.path.exists(part):
            if result is not None and result["valid"]:
                os.replace(part, clean_path)
            else:
                os.remove(part)
    return result


class _Check:
    """One file's check, row by row (see the module's docstring)."""

    def __init__(self, table: Table, max_errors: int, part: str | None) -> None:
        self.table, self.max_errors, self.part = table, max_errors, part
        self.errors: list[dict] = []
        self.truncated = False
        self.warnings = _Errors()
        self.ignored: list[int] = []
        self.records = 0
        self.chunk: list[tuple[int, list[str]]] = []
        self.chunk_errors = _Errors()
        self.norm_state: dict = {}
        self.writer = None

    # -- the header and what is above it

    def run(self) -> dict:
        rows = self.table.rows
        head: list[list[str]] = []
        for row in rows:
            head.append(row)
            if not header_rows_needed(head):
                break
        if all(is_blank(row) for row in head):  # then head is the whole file
            return _fail("empty-file", msg("empty-file"), self.table)
        found = find_header(head)
        if found is None:
            examples = ", ".join(f.get("title", n) for n, f in list(fields().items())[:4])
            return _fail("no-header", msg("no-header", examples=examples), self.table)
        index, self.mapping, duplicates = found
        self.header = head[index]
        header_errors = _Errors()
        _header_errors(self.header, self.mapping, duplicates, index + 1, header_errors)
        self._add_errors(header_errors.items)
        if self.table.skipped_sheets:
            self._warn(None, "other-sheets", sheet=self.table.sheet,
                       others=", ".join(f"'{s}'" for s in self.table.skipped_sheets))
        title = [i + 1 for i, row in enumerate(head[:index]) if not is_blank(row)]
        if title:
            key = "title-row" if len(title) == 1 else "title-rows"
            self._warn(title[0], key, rows=layout.ranges(title))
            self._ignore(title)
        # Header width: last non-empty label; trailing empty cells beyond it
        # are ignored, non-empty ones are extra cells.
        self.width = len(self.header)
        while self.width and not self.header[self.width - 1].strip():
            self.width -= 1
        self.present = [name for name in fields() if name in self.mapping]
        self.columns = [self.mapping[name] for name in self.present]
        if self.part and not self.errors:
            self.clean_file = open(self.part, "w", encoding="utf-8", newline="")
            self.writer = csv.writer(self.clean_file, lineterminator="\n")
            self.writer.writerow(self.present)
        try:
            self._body(index + 2, head[index + 1:], rows)
        finally:
            if self.writer is not None:
                self.clean_file.close()
        if not self.records:
            return _fail("no-data-rows", msg("no-data-rows"), self.table)
        extra = {"truncated": True} if self.truncated else {}
        return _result(
            self.table, self.records, self.errors, header_row=index + 1,
            columns=[{"name": n, "label": self.header[self.mapping[n]].strip(),
                      "type": fields()[n].get("type", "string")} for n in self.present],
            warnings=self.warnings.items, ignored_rows=self.ignored, **extra)

    # -- the rows below the header

    def _body(self, first: int, buffered: list[list[str]], rows) -> None:
        held = layout.LookBehind(self._record, self._skipped)
        number = first
        for source in (buffered, rows):
            for row in source:
                cells = [row[j] if j < len(row) else "" for j in self.columns]
                kind = layout.kind_of(row, cells)
                if kind == "record":
                    held.record(number, row)
                else:
                    held.hold(kind, number, row)
                number += 1
        held.end()
        self._validate_chunk()

    def _record(self, number: int, row: list[str]) -> None:
        self.records += 1
        if self.truncated:
            return
        _shape_errors(number, row, self.width, self.table.delimiter, self.chunk_errors)
        self.chunk.append((number, row))
        if len(self.chunk) >= CHUNK_ROWS:
            self._validate_chunk()

    def _skipped(self, kind: str, first: int, last: int, value: str, trailing: bool) -> None:
        if kind == "blank":
            key = ("trailing-blank-row" if trailing else "blank-row") + (
                "s" if last > first else "")
            self._warn(first, key, rows=layout.span(first, last))
        else:
            self._warn(first, f"{kind}-row", row=first, value=_clip(value))
        self._ignore(range(first, last + 1))

    def _warn(self, at: int | None, key: str, **params) -> None:
        if len(self.warnings.items) < MAX_WARNINGS:
            self.warnings.add(at, None, key, msg(key, **params))

    def _ignore(self, rows) -> None:
        for r in rows:
            if len(self.ignored) >= MAX_IGNORED_ROWS:
                return
            self.ignored.append(r)

    def _add_errors(self, items: list[dict]) -> None:
        order = {name: i for i, name in enumerate(fields())}
        items.sort(key=lambda e: (
            e["row"] is not None,
            e["row"] or 0,
            # a row's structural error (no column) first: it explains the rest
            order.get(e["column"], -1),
        ))
        self.errors.extend(items)
        if len(self.errors) > self.max_errors:
            del self.errors[self.max_errors:]
            self.truncated = True
            self.chunk = []

    # -- a chunk of records

    def _validate_chunk(self) -> None:
        chunk, self.chunk = self.chunk, []
        errors, self.chunk_errors = self.chunk_errors, _Errors()
        if chunk and not self.truncated:
            numbers = [number for number, _row in chunk]
            columns = {name: [(row[j].strip() if j < len(row) and row[j] else "")
                              for _n, row in chunk]
                       for name, j in zip(self.present, self.columns)}
            raw = {name: list(cells) for name, cells in columns.items()}
            ambiguous = normalise_columns(columns, self.norm_state)
            data = [list(cells) for cells in zip(*(columns[n] for n in self.present))] \
                if self.present else []
            clean = self._frictionless(data, numbers, ambiguous, raw, errors)
            _place_errors(columns, numbers, errors)
            if self.writer is not None and not errors.items and not self.errors:
                self.writer.writerows(clean)
        self._add_errors(errors.items)
        if self.errors and self.writer is not None:
            self.clean_file.close()
            self.writer = None

    def _frictionless(self, data: list[list[str]], numbers: list[int], ambiguous: set[int],
                      raw: dict[str, list[str]], errors: _Errors) -> list[list[str]]:
        """Validate a chunk with Frictionless (at most the errors still to
        list, plus one); add them, explained, quoting the cell as the file
        wrote it (``raw``). Returns the chunk's clean rows, while it has no
        error and a clean file is written."""
        from frictionless import Resource

        ambiguous_rows = {numbers[i] for i in ambiguous}
        limit = self.max_errors + 1 - len(self.errors)
        clean: list[list[str]] = []
        keep = self.writer is not None and not self.errors
        # Rows are read through the row stream rather than Resource.validate():
        # the same per-cell checks without the report, which deep-copies the
        # inline data. The header is ours: the names of the fields present
        # (missing columns are reported by _header_errors), which
        # Frictionless matches to the schema by name.
        items = []
        with Resource(data=[self.present, *data], schema=frictionless_schema()) as resource:
            for frow in resource.row_stream:
                if frow.errors:
                    items.extend(frow.errors)
                    keep = False
                    if len(items) >= limit:
                        break
                elif keep:
                    clean.append([_clean_value(frow[name]) for name in self.present])
        for error in items:
            fric_row = getattr(error, "row_number", None)
            index = fric_row - 2 if isinstance(fric_row, int) else -1
            row = numbers[index] if 0 <= index < len(data) else None
            field = getattr(error, "field_name", None) or None
            raw_value = raw[field][index] if field in raw and 0 <= index < len(data) else None
            code, message = explain(error, row, field, ambiguous_rows, raw_value)
            errors.add(row, field, code, message)
        return clean
