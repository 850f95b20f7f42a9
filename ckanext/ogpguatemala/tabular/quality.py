"""Data-quality check of any table (CSV, TSV, XLSX, ODS), optionally
against a Table Schema.

:func:`check_table` reads the file as a stream (:func:`.reading.open_table`)
and returns a result of the same shape as
:func:`ckanext.ogpguatemala.tabular.validate_report`'s, so one report page
shows both. It reports:

- the encoding, delimiter, format and sheet the file was read with;
- the header: none found, blank or repeated labels (errors); title lines
  above it (warnings, ignored);
- rows with more cells than the header has labels (errors); blank rows and
  rows repeating an earlier row (warnings, capped); notes and totals below
  the table (warnings, ignored);
- each column's type, inferred from its first :data:`SAMPLE_ROWS` rows
  (:mod:`.quality_columns`), and one warning per column whose cells do not
  all fit it ("3 of 120 values are not numbers (rows 5, 9, 12: 'n/d', …)");
- with ``table_schema``: required columns missing, each cell of the schema's
  fields (types, constraints) and INE codes, as errors.

Memory does not grow with the file: counters, bounded lists, the first
:data:`SAMPLE_ROWS` rows, and one 64-bit hash per row for repeated rows.
With ``clean_path``, a table without errors is also written there as a
UTF-8 comma CSV of its records (header: the column names) in the form
PostgreSQL's COPY reads: numbers with '.' decimals and no grouping, dates
ISO, yes/no as true/false; cells that do not fit their column as written.

Row numbers are those a person sees in a spreadsheet (the file's first row
is 1). Pure Python: no CKAN imports except in :func:`declared_schema`.
"""
from __future__ import annotations

import csv
import datetime as _dt
import functools
import itertools
import json
import logging
import math
import os

from ckanext.ogpguatemala.messages import Msg
from ckanext.ogpguatemala.tabular import layout, reading
from ckanext.ogpguatemala.tabular.messages import msg
from ckanext.ogpguatemala.tabular.quality_columns import (
    Column,
    FieldCheck,
    Inference,
    clip,
    label_index,
    label_key,
    place_errors,
    qmsg,
    readers,
    required_fields,
)
from ckanext.ogpguatemala.text import fold, slug

log = logging.getLogger(__name__)

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
MAX_ERRORS = 100
SAMPLE_ROWS = 10_000          # rows read to infer the columns' types
HEADER_SCAN = 20              # non-blank rows where the header is looked for
WARNINGS_PER_CODE = 20        # warnings of one kind listed
MAX_IGNORED_ROWS = 1000
MAX_HASHES = 500_000          # rows compared for repeats (~90 bytes each)
NAME_LIMIT = 63               # PostgreSQL identifiers


# ---------------------------------------------------------------------------
# Result

def _item(row, column, code, message: Msg) -> dict:
    return {"row": row, "column": column, "code": code, "message": message.as_dict()}


def _result(table=None, checker="table-quality", **values) -> dict:
    result = {
        "valid": not values.get("errors"),
        "rows": 0,
        "encoding": getattr(table, "encoding", None),
        "delimiter": getattr(table, "delimiter", None),
        "format": getattr(table, "format", None),
        "sheet": getattr(table, "sheet", None),
        "sheets": list(getattr(table, "sheets", None) or []),
        "header_row": None,
        "errors": [],
        "warnings": [],
        "ignored_rows": [],
        "columns": [],
        "checked_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "checker": checker,
    }
    result.update(values)
    result["valid"] = not result["errors"]
    return result


def _fail(code: str, message: Msg, table=None, checker="table-quality", **more) -> dict:
    return _result(table, checker, errors=[_item(None, None, code, message)], **more)


def _is_blank(row) -> bool:
    return all(not (c or "").strip() for c in row)


def _filled(row) -> list[int]:
    return [j for j, c in enumerate(row) if (c or "").strip()]


# ---------------------------------------------------------------------------
# Entry points

def check_table(source, filename: str = "", table_schema: dict | None = None,
                max_bytes: int = reading.MAX_BYTES, max_errors: int = MAX_ERRORS,
                clean_path: str | None = None) -> dict:
    """Check any table file; see the module's docstring. ``source``: bytes,
    a path or a binary file object; ``filename`` a hint of its format;
    ``table_schema`` a Table Schema descriptor (``name`` names it in
    ``checker``: ``"table-schema:<name>"``). Never raises for a bad file."""
    checker = "table-quality"
    if table_schema is not None:
        checker = "table-schema:%s" % (table_schema.get("name") or "custom")
    check = None
    try:
        with reading.open_table(source, filename=filename, max_bytes=max_bytes,
                                sheet_score=_sheet_scorer(table_schema)) as table:
            check = _Check(table, table_schema, checker, max_errors, clean_path)
            try:
                return check.run()
            except reading.Problem as problem:  # raised while streaming rows
                return _fail(problem.code, problem.message, table, checker)
            except Exception:  # noqa: BLE001 - a bug here must not break an upload
                log.exception("table quality: checking %r failed", filename)
                return _fail("internal-error", msg("internal-error"), table, checker)
    except reading.Problem as problem:
        return _fail(problem.code, problem.message, _ProblemTable(problem), checker)
    except Exception:  # noqa: BLE001
        log.exception("table quality: reading %r failed", filename)
        return _fail("internal-error", msg("internal-error"), None, checker)
    finally:
        if check is not None:
            check.close()


def _sheet_scorer(schema: dict | None):
    """How a workbook's sheet is chosen (:func:`.reading.open_table`): the
    one whose first rows hold the widest table (with a schema: whose header
    names most of its fields first)."""
    index = label_index(schema) if schema else {}

    def score(rows: list) -> float | None:
        wide = [len(_filled(row)) for row in rows]
        cells = sum(n for n in wide if n >= 2)
        if not cells:
            return None
        named = max(len({index[k] for k in map(label_key, row) if k in index}) for row in rows)
        return named * 1_000_000 + cells
    return score


class _ProblemTable:
    def __init__(self, problem) -> None:
        self.format = getattr(problem, "fmt", None) or getattr(problem, "format", None)
        self.encoding = getattr(problem, "encoding", None)
        self.delimiter = getattr(problem, "delimiter", None)


def _discard(clean_path) -> None:
    if clean_path:
        try:
            os.remove(clean_path + ".part")
        except OSError:
            pass


@functools.lru_cache(maxsize=16)
def _schema_text(filename: str) -> str:
    with open(os.path.join(DATA_DIR, os.path.basename(filename)), encoding="utf-8") as f:
        return f.read()


def declared_schema(dataset_type: str) -> tuple[str, dict] | None:
    """(name, Table Schema) that the scheming schema of ``dataset_type``
    declares with its top-level key ``ogp_table_schema`` (a file of
    ``ckanext/ogpguatemala/data/``), or None. The descriptor is a fresh
    copy, whose ``name`` is the file's name without ``.tableschema.json``."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) if dataset_type else None
    filename = (schema or {}).get("ogp_table_schema")
    if not filename:
        return None
    name = os.path.basename(filename)
    for suffix in (".tableschema.json", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    descriptor = json.loads(_schema_text(filename))
    descriptor.setdefault("name", name)
    return name, descriptor


# ---------------------------------------------------------------------------
# The check

class _Check:
    def __init__(self, table, schema, checker, max_errors, clean_path) -> None:
        self.table, self.schema, self.checker = table, schema, checker
        self.max_errors, self.clean_path = max_errors, clean_path
        self.errors: list[dict] = []
        self.error_count = 0
        self.warnings: list[dict] = []
        self.warning_counts: dict[str, int] = {}
        self.ignored: list[int] = []
        self.records = 0
        self.seen: set[int] = set()
        self.writer = self.out = None

    # -- bookkeeping
    def error(self, row, column, code, message: Msg) -> None:
        self.error_count += 1
        if len(self.errors) <= self.max_errors:
            self.errors.append(_item(row, column, code, message))
        if self.out is not None:
            self.close()

    def warn(self, row, column, code, message: Msg) -> None:
        n = self.warning_counts[code] = self.warning_counts.get(code, 0) + 1
        if n <= WARNINGS_PER_CODE:
            self.warnings.append(_item(row, column, code, message))

    def ignore(self, rows) -> None:
        for r in rows:
            if len(self.ignored) >= MAX_IGNORED_ROWS:
                return
            self.ignored.append(r)

    # -- the steps
    def run(self) -> dict:
        rows = enumerate(self.table.rows, start=1)
        head: list[tuple[int, list]] = []
        for r, row in rows:
            head.append((r, row))
            if sum(not _is_blank(x) for _r, x in head) >= HEADER_SCAN or len(head) > 500:
                break
        if all(_is_blank(row) for _r, row in head):
            return _fail("empty-file", msg("empty-file"), self.table, self.checker)
        at = self.find_header(head)
        header_r, header = head[at]
        if not any(ch.isalpha() for cell in header for ch in (cell or "")):
            return _fail("no-header", qmsg("no-table-header"), self.table, self.checker)
        if self.table.skipped_sheets:
            self.warn(None, None, "other-sheets", msg(
                "other-sheets", sheet=self.table.sheet,
                others=", ".join("'%s'" % s for s in self.table.skipped_sheets)))
        title = [r for r, row in head[:at] if not _is_blank(row)]
        if title:
            key = "title-row" if len(title) == 1 else "title-rows"
            self.warn(title[0], None, key, msg(key, rows=layout.ranges(title)))
            self.ignore(title)
        # the first rows below the header, to infer the columns' types
        sample = head[at + 1:]
        for r, row in rows:
            sample.append((r, row))
            if len(sample) >= SAMPLE_ROWS:
                break
        self.header_row = header_r
        self.columns = self.make_columns(header, header_r, sample)
        self.open_clean()
        held = layout.LookBehind(self.record, self.skipped)
        for r, row in itertools.chain(sample, rows):
            kind = self.kind(row)
            if kind == "record":
                held.record(r, row)
            else:
                held.hold(kind, r, row)
        held.end()
        if not self.records:
            self.error(None, None, "no-data-rows", msg("no-data-rows"))
        return self.finish()

    def find_header(self, head) -> int:
        candidates = [(i, row) for i, (_r, row) in enumerate(head) if not _is_blank(row)]
        if self.schema:
            index = label_index(self.schema)
            scores = [(len({index[k] for k in map(label_key, row) if k in index}), -i)
                      for i, row in candidates]
            best = max(scores)
            if best[0] >= 1:
                return -best[1]
        width = max(len(_filled(row)) for _i, row in candidates)
        need = max(min(width, 2), math.ceil(width * 0.6))
        return next(i for i, row in candidates if len(_filled(row)) >= need)

    def make_columns(self, header, header_r, sample) -> list[Column]:
        labels = [(c or "").strip() for c in header]
        while labels and not labels[-1]:
            labels.pop()
        self.width = len(labels)
        index = label_index(self.schema) if self.schema else {}
        fields = {f["name"]: f for f in (self.schema or {}).get("fields", [])}
        other = (self.schema or {}).get("x-ogp-other-columns")
        rdrs = readers()
        inference = [Inference() for _ in labels]
        for _r, row in sample:
            if self.kind(row) != "record":
                continue
            for j, inf in enumerate(inference):
                inf.add((row[j] or "").strip() if j < len(row) else "", rdrs)
        file_comma = any(inf.comma() for inf in inference)
        columns, used, first_label, bound = [], set(), {}, {}
        for j, label in enumerate(labels):
            field = index.get(label_key(label)) if label else None
            if field in bound:
                self.error(header_r, field, "duplicate-label", msg(
                    "duplicate-label", label=label, field=field, first=labels[bound[field]]))
                field = None
            name = field or slug(label, NAME_LIMIT, "columna_%d" % (j + 1)).replace("-", "_")
            base, k = name, 1
            while name in used:
                k += 1
                name = "%s_%d" % (base[: NAME_LIMIT - 1 - len(str(k))], k)
            used.add(name)
            column = Column(j, name, label, inference[j].decide(file_comma), rdrs)
            if field:
                bound[field] = j
                column.check = FieldCheck(fields[field])
            elif other and label:
                column.check = FieldCheck(dict(other, name=name))
            columns.append(column)
            if not label:
                self.error(header_r, name, "blank-label",
                           qmsg("blank-label", position=j + 1, row=header_r))
            elif fold(label) in first_label:
                self.error(header_r, name, "duplicate-label", qmsg(
                    "repeated-label", position=j + 1, label=label,
                    first=first_label[fold(label)] + 1))
            else:
                first_label[fold(label)] = j
        for f in required_fields(self.schema or {}):
            if f["name"] not in bound:
                self.error(None, f["name"], "missing-label", msg(
                    "missing-label", field=f["name"], title=f.get("title", f["name"])))
        return columns

    def kind(self, row) -> str:
        """'record', or 'blank', 'note', 'total' (:func:`.layout.kind_of`):
        rows that are not records if no record follows them."""
        kind = layout.kind_of(row, row[: self.width])
        # in a one-column table, a lone text cell is a record
        return "record" if kind == "note" and self.width < 2 else kind

    def skipped(self, kind: str, first: int, last: int, value: str, trailing: bool) -> None:
        if kind == "blank":
            key = ("trailing-blank-row" if trailing else "blank-row") + (
                "s" if last > first else "")
            self.warn(first, None, key, msg(key, rows=layout.span(first, last)))
        else:
            self.warn(first, None, kind + "-row",
                      msg(kind + "-row", row=first, value=clip(value, 60)))
        self.ignore(range(first, last + 1))

    def record(self, r: int, row: list) -> None:
        self.records += 1
        n = len(row)
        if n > self.width and not _is_blank(row[self.width:]):
            last = max(_filled(row)) + 1
            self.error(r, None, "extra-cell", msg("extra-cell", row=r, cells=last,
                                                  labels=self.width))
        cells = [(row[j] or "").strip() if j < n else "" for j in range(self.width)]
        key = hash(tuple(cells))
        if key in self.seen:
            self.warn(r, None, "duplicate-row", qmsg("duplicate-row", row=r))
        elif len(self.seen) < MAX_HASHES:
            self.seen.add(key)
        out = []
        places = []
        for column, value in zip(self.columns, cells):
            check = column.check
            if check is None:
                out.append(column.observe(value, r))
                continue
            cell, broken, _parsed = check.read(value, column.comma)
            for rule in broken:
                code, message = check.message(rule, r, value)
                self.error(r, column.name, code, message)
            if check.ine and not broken:
                places.append((check, cell, column.index))
            out.append(cell)
        if places:
            for field, code, message in place_errors(places, r):
                self.error(r, field, code, message)
        if self.writer is not None:
            self.writer.writerow(out)

    # -- the clean file
    def open_clean(self) -> None:
        if not self.clean_path or self.error_count:
            return
        self.out = open(self.clean_path + ".part", "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.out, lineterminator="\n")
        self.writer.writerow([c.name for c in self.columns])

    def close(self) -> None:
        """Close the clean file; remove it unless :meth:`finish` kept it."""
        if self.out is not None:
            self.out.close()
            self.out = self.writer = None
        _discard(self.clean_path)

    def finish(self) -> dict:
        for column in self.columns:
            mixed = column.mixed_warning()
            if mixed:
                self.warn(mixed[0], column.name, "mixed-types", mixed[1])
        order = lambda e: (e["row"] is not None, e["row"] or 0)  # noqa: E731
        warnings = sorted(self.warnings, key=order)
        for code, n in self.warning_counts.items():
            if n > WARNINGS_PER_CODE:
                warnings.append(_item(None, None, code,
                                      qmsg("more-warnings", count=n - WARNINGS_PER_CODE)))
        if self.out is not None and not self.error_count:
            self.out.close()
            self.out = self.writer = None
            os.replace(self.clean_path + ".part", self.clean_path)
        errors = sorted(self.errors, key=order)
        result = _result(
            self.table, self.checker, rows=self.records, header_row=self.header_row,
            errors=errors[: self.max_errors], warnings=warnings,
            ignored_rows=sorted(self.ignored),
            columns=[{"name": c.name, "label": c.label, "type": c.final_type()}
                     for c in self.columns])
        if self.error_count > self.max_errors:
            result["truncated"] = True
        return result
