"""Reading a report file: bytes in, rows of strings out.

1. The size limit is checked first (before reading a path or past the
   limit of a file object).
2. The format is recognised by content, not by name: XLSX (a zip), known
   binary formats (rejected with what they look like), or delimited text.
3. Text is UTF-8 (with or without BOM), else Windows-1252; UTF-16 with BOM
   (Excel's "Unicode text"). The delimiter is sniffed among ``,`` ``;`` tab
   ``|``; an Excel ``sep=;`` first line is honoured (and kept as a row, so
   row numbers stay those of the file).
4. XLSX: the first sheet, cells as text (``1.0`` -> ``"1"``), at most
   :data:`MAX_XLSX_CELLS` cells.

A file that cannot be read as a table raises :class:`Problem`, which becomes
the result's single error.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
from collections import Counter
from typing import Any

from ckanext.ogpguatemala.messages import Msg
from ckanext.ogpguatemala.tabular.messages import msg

MAX_BYTES = 20 * 1024 * 1024
# A 20 MB XLSX can unzip to far more: stop reading the sheet past this many
# cells (a 50,000-row report with a dozen columns is 600,000).
MAX_XLSX_CELLS = 5_000_000

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


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _too_large(size: int, max_bytes: int) -> Problem:
    return Problem("file-too-large", msg("file-too-large", size=_mb(size), limit=_mb(max_bytes)))


def _source_error(detail) -> Problem:
    return Problem("source-error", msg("source-error", detail=detail))


def read_source(source, max_bytes: int) -> bytes:
    """The bytes of ``source``: bytes, a path (str or PathLike) or a binary
    file object; at most ``max_bytes`` of them."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            raise Problem("file-not-found", msg("file-not-found", path=path))
        except OSError as exc:
            raise _source_error(exc.strerror or str(exc))
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        try:
            with open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as exc:
            raise _source_error(exc.strerror or str(exc))
    elif hasattr(source, "read"):
        try:
            data = source.read(max_bytes + 1)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad source
            raise _source_error(str(exc))
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise _source_error(msg("unsupported-source", type=type(source).__name__))
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding); our fallback chain, not a statistical guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        attempts = [(data[3:], "utf-8", "utf-8-sig")]
    elif data.startswith(_UTF16_BOMS):
        attempts = [(data, "utf-16", "utf-16")]
    else:
        attempts = [(data, "utf-8", "utf-8"), (data, "cp1252", "cp1252")]
    for raw, codec, name in attempts:
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
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


def _read_csv(data: bytes) -> tuple[list[list[str]], str, str]:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise Problem("not-tabular", msg("not-tabular", kind=msg("binary")))
    lines = text.splitlines()
    sep_line = _SEP_LINE.fullmatch(lines[0]) if lines else None
    skip = 1 if sep_line else 0
    delimiter = sep_line.group(1) if sep_line else _sniff_delimiter(lines[:50])
    # No cell can be longer than the text. (Frictionless raises this
    # process-wide limit to 2**31 when its CSV parser is imported; raising it
    # here too keeps the result independent of import order.)
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    rows: list[list[str]] = [[] for _ in range(skip)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for i, row in enumerate(reader):
            if i >= skip:
                rows.append(row)
    except csv.Error as exc:
        raise Problem(
            "malformed-csv", msg("malformed-csv", row=len(rows) + 1, detail=str(exc)),
            fmt="csv", encoding=encoding, delimiter=delimiter,
        )
    return rows, encoding, delimiter


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _invalid_xlsx(detail) -> Problem:
    return Problem("invalid-xlsx", msg("invalid-xlsx", detail=detail), fmt="xlsx")


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a requirement
        raise _invalid_xlsx("openpyxl missing")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/XML errors of all kinds
        raise _invalid_xlsx(type(exc).__name__)
    try:
        if not wb.worksheets:
            return []
        rows: list[list[str]] = []
        budget = MAX_XLSX_CELLS
        for row in wb.worksheets[0].iter_rows(min_row=1, values_only=True):
            budget -= len(row)
            if budget < 0:
                limit = f"{MAX_XLSX_CELLS:,}".replace(",", " ")
                raise Problem("file-too-large", msg("too-many-cells", limit=limit), fmt="xlsx")
            rows.append([_xlsx_cell(v) for v in row])
        return rows
    except Problem:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _invalid_xlsx(type(exc).__name__)
    finally:
        wb.close()


def _guess_format(filename: str) -> str | None:
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".csv", ".txt", ".tsv", ""):
        return "csv"
    return None


def read_table(data: bytes, filename: str) -> tuple[list[list[str]], str, str, str | None]:
    """(rows, format, encoding, delimiter) of the file's bytes; ``filename``
    is only a hint (an ``.xlsx`` name that is not a zip is reported)."""
    guess = _guess_format(filename)
    if not data:
        raise Problem("empty-file", msg("empty-file"), fmt=guess)
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(data), "xlsx", "utf-8", None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Problem("xls-not-supported", msg("xls-not-supported"))
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise Problem("not-tabular", msg("not-tabular", kind=kind))
    if guess == "xlsx":
        raise _invalid_xlsx(msg("not-a-zip"))
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise Problem("not-tabular", msg("not-tabular", kind=msg("binary")))
    rows, encoding, delimiter = _read_csv(data)
    return rows, "csv", encoding, delimiter
