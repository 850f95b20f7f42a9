"""Reading a table file as a stream of rows: :func:`open_table`.

Contract::

    with open_table(source, filename="", max_bytes=MAX_BYTES, sheet_score=None) as table:
        table.format          # "csv" | "xlsx" | "ods"
        table.encoding        # "utf-8", "utf-8-sig", "cp1252", "utf-16"; "utf-8" for workbooks
        table.delimiter       # "," ";" "\\t" "|" for text, None for workbooks
        table.sheet           # the sheet read (None for text, or a workbook without sheets)
        table.sheets          # every sheet's name ([] for text)
        table.skipped_sheets  # the sheets not read
        for row in table.rows:  # list[str]: the n-th row yielded is the file's row n
            ...

``source`` is a path (str or PathLike), the file's bytes (nothing is written
to disk) or a binary file object. ``filename`` is only a hint: an ``.xlsx``
or ``.ods`` name that is not a zip is reported as such.

1. The size limit is checked first (before a path is opened).
2. The format is recognised by content: a zip is an ODS workbook when its
   ``mimetype`` member says so, otherwise XLSX; known binary formats are
   rejected with what they look like; anything else is delimited text.
3. Text is UTF-8 (with or without BOM), else Windows-1252; UTF-16 with BOM
   (Excel's "Unicode text"). The encoding is decided by a first pass over
   the bytes in chunks (an incremental decoder), before any row is yielded.
   The delimiter is sniffed among ``,`` ``;`` tab ``|`` from the first 50
   lines; an Excel ``sep=;`` first line is honoured (and yielded as a blank
   row, so row numbers stay those of the file). Rows are CSV records (a
   quoted cell may span lines), read through a buffered decoder: memory does
   not grow with the file.
4. XLSX: openpyxl in read-only mode, rows streamed from the sheet's XML;
   ODS: :mod:`.ods`, streamed too. Cells as text (``1.0`` -> ``"1"``,
   dates ISO 8601), blank rows included; at most :data:`MAX_XLSX_CELLS`
   cells per sheet. The sheet read: with ``sheet_score``, the one whose
   first :data:`SCORE_ROWS` rows score highest (``None``: not a candidate;
   ties: the first); otherwise (or when no sheet scores) the first sheet
   with a non-blank cell in its first :data:`SCORE_ROWS` rows.

File-level problems raise :class:`Problem` before the first row (too
large, not found, empty, encoding, not a table, XLS, invalid workbook); a
CSV syntax error found while streaming raises ``Problem("malformed-csv")``
from ``rows``, and so does a sheet over the cell budget ("file-too-large").
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as _dt
import io
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from ckanext.ogpguatemala.messages import Msg
from ckanext.ogpguatemala.tabular import ods
from ckanext.ogpguatemala.tabular.messages import msg

MAX_BYTES = 20 * 1024 * 1024
# A 20 MB workbook can unzip to far more: stop reading the sheet past this
# many cells (a 200,000-row report with a dozen columns is 2,400,000).
MAX_XLSX_CELLS = 5_000_000
# Rows of each sheet given to ``sheet_score``.
SCORE_ROWS = 30

_CHUNK = 1 << 20
_SAMPLE_CHARS = 64 * 1024
_BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "XLS/DOC (OLE2)"),
    (b"\x1f\x8b", "GZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r'"?sep=(.)"?\s*', re.I)


class Problem(Exception):
    """A file-level problem: becomes the result's single error."""

    def __init__(self, code: str, message: Msg, fmt=None, encoding=None, delimiter=None):
        super().__init__(code)
        self.code, self.message = code, message
        self.fmt, self.encoding, self.delimiter = fmt, encoding, delimiter


@dataclass
class Table:
    """An open table: what was decided about the file, and its rows."""

    format: str
    encoding: Optional[str]
    delimiter: Optional[str]
    rows: Iterator[list]
    sheet: Optional[str] = None
    sheets: list = field(default_factory=list)
    skipped_sheets: list = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _too_large(size: int, max_bytes: int) -> Problem:
    return Problem("file-too-large", msg("file-too-large", size=_mb(size), limit=_mb(max_bytes)))


def _source_error(detail) -> Problem:
    return Problem("source-error", msg("source-error", detail=detail))


def _open_source(source, max_bytes: int, stack: contextlib.ExitStack):
    """(seekable binary file, size) of ``source``, within ``max_bytes``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        f = io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            f = stack.enter_context(open(path, "rb"))
        except FileNotFoundError:
            raise Problem("file-not-found", msg("file-not-found", path=path))
        except OSError as exc:
            raise _source_error(exc.strerror or str(exc))
    elif hasattr(source, "read"):
        try:
            if getattr(source, "seekable", lambda: False)():
                f = source
            else:
                data = source.read(max_bytes + 1)
                f = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad source
            raise _source_error(str(exc))
    else:
        raise _source_error(msg("unsupported-source", type=type(source).__name__))
    start = f.tell()
    size = f.seek(0, io.SEEK_END) - start
    f.seek(start)
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    if start:
        f = io.BytesIO(f.read())
    return f, size


# ---------------------------------------------------------------------------
# Delimited text

def _check_encoding(f, codec: str) -> bool:
    """Whether the whole file decodes with ``codec`` (read in chunks);
    raises for a NUL character (binary data)."""
    f.seek(0)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        while True:
            chunk = f.read(_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if "\x00" in text:
                raise Problem("not-tabular", msg("not-tabular", kind=msg("binary")))
            if not chunk:
                return True
    except UnicodeDecodeError:
        return False
    finally:
        f.seek(0)


def _encoding(f, head: bytes) -> str:
    """Our fallback chain, not a statistical guess."""
    if head.startswith(b"\xef\xbb\xbf"):
        attempts = ("utf-8-sig",)
    elif head.startswith(_UTF16_BOMS):
        attempts = ("utf-16",)
    else:
        attempts = ("utf-8", "cp1252")
    for codec in attempts:
        if _check_encoding(f, codec):
            return codec
    raise Problem("encoding-error", msg("encoding-error"), fmt="csv")


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample into the most rows of one,
    widest, length (ties: the order of :data:`_CANDIDATE_DELIMITERS`)."""
    best, best_score = ",", (0, 0)
    sample = [line for line in lines if line.strip()]
    for delim in _CANDIDATE_DELIMITERS:
        try:
            lengths = [len(r) for r in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        counts = Counter(n for n in lengths if n > 1)
        if not counts:
            continue
        width, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (freq, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _text_table(f, size: int, head: bytes, stack: contextlib.ExitStack) -> Table:
    encoding = _encoding(f, head)
    text = stack.enter_context(io.TextIOWrapper(f, encoding=encoding, newline=""))
    sample = text.read(_SAMPLE_CHARS)
    text.seek(0)
    lines = sample.splitlines()
    if len(sample) == _SAMPLE_CHARS and len(lines) > 1:
        lines.pop()  # cut short
    sep_line = _SEP_LINE.fullmatch(lines[0]) if lines else None
    delimiter = sep_line.group(1) if sep_line else _sniff_delimiter(lines[:50])
    # No cell can be longer than the file. (Frictionless raises this
    # process-wide limit to 2**31 when its CSV parser is imported; raising it
    # here too keeps the result independent of import order.)
    if csv.field_size_limit() <= size:
        csv.field_size_limit(size + 1)

    def rows() -> Iterator[list]:
        n = 0
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for row in reader:
                n += 1
                yield [] if (sep_line and n == 1) else row
        except csv.Error as exc:
            raise Problem(
                "malformed-csv", msg("malformed-csv", row=n + 1, detail=str(exc)),
                fmt="csv", encoding=encoding, delimiter=delimiter,
            )

    return Table("csv", encoding, delimiter, rows())


# ---------------------------------------------------------------------------
# Workbooks

def xlsx_cell(value: Any) -> str:
    """A workbook cell as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _invalid(fmt: str, detail) -> Problem:
    return Problem(f"invalid-{fmt}", msg(f"invalid-{fmt}", detail=detail), fmt=fmt)


def _budgeted(rows: Iterator[list], fmt: str) -> Iterator[list]:
    """``rows``, raising past :data:`MAX_XLSX_CELLS` cells."""
    budget = MAX_XLSX_CELLS
    for row in rows:
        budget -= len(row)
        if budget < 0:
            limit = f"{MAX_XLSX_CELLS:,}".replace(",", " ")
            raise Problem("file-too-large", msg("too-many-cells", limit=limit), fmt=fmt)
        yield row


def _is_blank(row) -> bool:
    return all(not (c or "").strip() for c in row)


def _choose(first_rows: dict[str, list], sheet_score) -> Optional[str]:
    """The sheet to read, from each sheet's first rows (see the module doc)."""
    if sheet_score is not None:
        best, best_score = None, None
        for name, rows in first_rows.items():
            score = sheet_score(rows)
            if score is not None and (best_score is None or score > best_score):
                best, best_score = name, score
        if best is not None:
            return best
    for name, rows in first_rows.items():
        if not all(_is_blank(r) for r in rows):
            return name
    return next(iter(first_rows), None)


def _xlsx_table(f, stack: contextlib.ExitStack, sheet_score) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a requirement
        raise _invalid("xlsx", "openpyxl missing")
    try:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/XML errors of all kinds
        raise _invalid("xlsx", type(exc).__name__)
    stack.callback(wb.close)

    def cells(ws, max_row=None) -> Iterator[list]:
        try:
            for row in ws.iter_rows(min_row=1, max_row=max_row, values_only=True):
                yield [xlsx_cell(v) for v in row]
        except Exception as exc:  # noqa: BLE001
            raise _invalid("xlsx", type(exc).__name__)

    sheets = {ws.title: ws for ws in wb.worksheets}
    name = next(iter(sheets), None)
    if len(sheets) > 1:
        name = _choose({n: list(cells(ws, SCORE_ROWS)) for n, ws in sheets.items()},
                       sheet_score)
    rows = _budgeted(cells(sheets[name]), "xlsx") if name is not None else iter(())
    return Table("xlsx", "utf-8", None, rows, name, list(sheets),
                 [s for s in sheets if s != name])


def _ods_table(zf: zipfile.ZipFile, sheet_score) -> Table:
    def sheets_rows(limit=None) -> Iterator[tuple]:
        """(sheet, row) pairs; at most ``limit`` rows of each sheet."""
        sheet, count = None, 0
        try:
            for kind, value in ods.events(zf, xlsx_cell):
                if kind == "sheet":
                    sheet, count = value, 0
                    yield sheet, None
                elif limit is None or count < limit:
                    count += 1
                    yield sheet, value
        except Problem:
            raise
        except Exception as exc:  # noqa: BLE001 - zip/XML errors of all kinds
            raise _invalid("ods", type(exc).__name__)

    first: dict[str, list] = {}
    for sheet, row in sheets_rows(SCORE_ROWS):
        rows = first.setdefault(sheet, [])
        if row is not None:
            rows.append(row)
    name = _choose(first, sheet_score)

    def rows() -> Iterator[list]:
        for sheet, row in sheets_rows():
            if sheet == name and row is not None:
                yield row

    return Table("ods", "utf-8", None, _budgeted(rows(), "ods"), name, list(first),
                 [s for s in first if s != name])


def _guess_format(filename: str) -> Optional[str]:
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext == ".ods":
        return "ods"
    if ext in (".csv", ".txt", ".tsv", ""):
        return "csv"
    return None


def _workbook(f, guess, stack: contextlib.ExitStack, sheet_score) -> Table:
    try:
        zf = stack.enter_context(zipfile.ZipFile(f))
        is_ods = ods.is_ods(zf)
    except Exception as exc:  # noqa: BLE001 - a broken zip
        raise _invalid("ods" if guess == "ods" else "xlsx", type(exc).__name__)
    if is_ods:
        return _ods_table(zf, sheet_score)
    f.seek(0)
    return _xlsx_table(f, stack, sheet_score)


@contextlib.contextmanager
def open_table(source, filename: str = "", max_bytes: int = MAX_BYTES,
               sheet_score: Optional[Callable[[list], Optional[float]]] = None
               ) -> Iterator[Table]:
    """The table in ``source`` (see the module's docstring)."""
    with contextlib.ExitStack() as stack:
        f, size = _open_source(source, max_bytes, stack)
        guess = _guess_format(filename)
        head = f.read(8192)
        f.seek(0)
        if not head:
            raise Problem("empty-file", msg("empty-file"), fmt=guess)
        if head.startswith(b"PK\x03\x04"):
            table = _workbook(f, guess, stack, sheet_score)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            raise Problem("xls-not-supported", msg("xls-not-supported"))
        else:
            for signature, kind in _BINARY_SIGNATURES:
                if head.startswith(signature):
                    raise Problem("not-tabular", msg("not-tabular", kind=kind))
            if guess in ("xlsx", "ods"):
                raise _invalid(guess, msg("not-a-zip"))
            if b"\x00" in head and not head.startswith(_UTF16_BOMS):
                raise Problem("not-tabular", msg("not-tabular", kind=msg("binary")))
            table = _text_table(f, size, head, stack)
        yield table


__all__ = ["MAX_BYTES", "MAX_XLSX_CELLS", "SCORE_ROWS", "Problem", "Table", "open_table",
           "xlsx_cell"]
