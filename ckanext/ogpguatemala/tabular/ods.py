"""OpenDocument spreadsheets (``.ods``), streamed.

An ODS file is a zip whose ``mimetype`` member is
``application/vnd.oasis.opendocument.spreadsheet``; its sheets are the
``table:table`` elements of ``content.xml``, read with ``iterparse`` one row
at a time (the XML is never held whole). Runs of identical rows or cells
(``number-rows-repeated``, ``number-columns-repeated``) are expanded, except
blank ones at the end of a row or of a sheet: LibreOffice pads every sheet
to a million blank rows that are not part of the table.

Cells become text as XLSX cells do (:func:`cell_text`): ``29.0`` -> ``"29"``,
booleans ``TRUE``/``FALSE``, dates as written (ISO 8601).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from typing import Callable, Iterator

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T_TABLE, T_ROW = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
T_CELL, T_COVERED = f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
A_NAME = f"{{{_TABLE}}}name"
A_ROWS, A_COLS = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
A_TYPE, A_VALUE = f"{{{_OFFICE}}}value-type", f"{{{_OFFICE}}}value"
A_DATE, A_BOOL = f"{{{_OFFICE}}}date-value", f"{{{_OFFICE}}}boolean-value"
T_P, T_S, T_TAB, T_BREAK = (f"{{{_TEXT}}}p", f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab",
                            f"{{{_TEXT}}}line-break")

# ("sheet", name) then ("row", cells) for each row of that sheet.
Event = tuple


def is_ods(zf: zipfile.ZipFile) -> bool:
    try:
        return zf.read("mimetype").strip() == MIMETYPE
    except KeyError:
        return False


def _paragraph(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag == T_S:
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif child.tag == T_TAB:
            parts.append("\t")
        elif child.tag == T_BREAK:
            parts.append("\n")
        else:
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def cell_text(cell, number: Callable[[float], str]) -> str:
    kind = cell.get(A_TYPE)
    if kind in ("float", "percentage", "currency") and cell.get(A_VALUE) is not None:
        try:
            return number(float(cell.get(A_VALUE)))
        except ValueError:
            pass
    elif kind == "boolean" and cell.get(A_BOOL) is not None:
        return "TRUE" if cell.get(A_BOOL) == "true" else "FALSE"
    elif kind == "date" and cell.get(A_DATE):
        return cell.get(A_DATE)
    return "\n".join(_paragraph(p) for p in cell.iter(T_P))


def events(zf: zipfile.ZipFile, number: Callable[[float], str],
           max_row_cells: int = 16384) -> Iterator[Event]:
    """The sheets and rows of ``content.xml``, in document order. A row is
    at most ``max_row_cells`` cells wide (the cells a spreadsheet has)."""
    blank_rows = 0
    stack: list = []  # the open elements: a row read is removed from its parent
    with zf.open("content.xml") as f:
        for event, elem in ET.iterparse(f, events=("start", "end")):
            if event == "start":
                stack.append(elem)
                if elem.tag == T_TABLE:
                    blank_rows = 0
                    yield ("sheet", elem.get(A_NAME) or "")
                continue
            stack.pop()
            if elem.tag == T_TABLE:
                elem.clear()
            if elem.tag != T_ROW:
                continue
            if stack:
                stack[-1].remove(elem)
            cells: list[str] = []
            pending = 0  # blank cells not yet known to be followed by a value
            for cell in elem:
                if cell.tag not in (T_CELL, T_COVERED):
                    continue
                repeat = min(int(cell.get(A_COLS, "1") or 1), max_row_cells)
                value = cell_text(cell, number) if cell.tag == T_CELL else ""
                if value == "":
                    pending += repeat
                    continue
                cells.extend([""] * pending)
                cells.extend([value] * repeat)
                pending = 0
                if len(cells) > max_row_cells:
                    del cells[max_row_cells:]
                    break
            repeat = int(elem.get(A_ROWS, "1") or 1)
            elem.clear()
            if not cells:
                blank_rows += repeat
                continue
            for _ in range(blank_rows):
                yield ("row", [])
            blank_rows = 0
            for _ in range(repeat):
                yield ("row", list(cells))
