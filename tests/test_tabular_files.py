"""Real report files, read as a person would (ckanext.ogpguatemala.tabular).

Pure functions: no CKAN, no database. Workbooks whose report is not on the
first sheet, titles above the header, notes and totals below the records,
ODS spreadsheets, the clean CSV written for the DataStore, and a 200,000-row
report checked as a stream. The shared reader, ``reading.open_table``, is
tested here too.
"""
from __future__ import annotations

import csv
import io
import os
import time
import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest

from ckanext.ogpguatemala.demo import mintrab
from ckanext.ogpguatemala.tabular import check, validate_report
from ckanext.ogpguatemala.tabular.header import header_score
from ckanext.ogpguatemala.tabular.reading import Problem, open_table
from tests.helpers import english

DATA = os.path.join(os.path.dirname(__file__), "data", "mintrab")


def valid_rows():
    with open(os.path.join(DATA, "valid.csv"), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def to_csv(rows, delimiter=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx(sheets: dict) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(value) -> str:
    if value in (None, ""):
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return ('<table:table-cell office:value-type="float" office:value="%s">'
                "<text:p>%s</text:p></table:table-cell>" % (value, value))
    return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' \
        % escape(value)


def ods(sheets: dict) -> bytes:
    """An ODS file as LibreOffice writes one: rows padded with a run of empty
    cells, each sheet with a million blank rows below its table."""
    body = []
    for name, rows in sheets.items():
        body.append("<table:table table:name=%s>" % quoteattr(name))
        for row in rows:
            body.append("<table:table-row>%s<table:table-cell table:number-columns-repeated="
                        '"1000"/></table:table-row>' % "".join(_ods_cell(v) for v in row))
        body.append('<table:table-row table:number-rows-repeated="1048000">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        body.append("</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content %s '
               'office:version="1.2"><office:body><office:spreadsheet>%s'
               "</office:spreadsheet></office:body></office:document-content>"
               % (_ODS_NS, "".join(body)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"))
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def typed(rows):
    """Body cells as a spreadsheet stores them (numbers as numbers)."""
    out = [rows[0]]
    for row in rows[1:]:
        cells = list(row)
        cells[3], cells[7] = int(cells[3]), float(cells[7])
        cells[9], cells[10] = int(cells[9]), int(cells[10])
        out.append(cells)
    return out


def where(items):
    return [(e["row"], e["column"], e["code"]) for e in items]


def texts(items):
    return [english(e["message"]) for e in items]


COVER = [["Ministerio de Trabajo y Previsión Social"], [],
         ["Informe mensual de movilidad laboral"], ["Elaborado por: Departamento de Movilidad"]]


# ---------------------------------------------------------------------------
# Workbooks: the sheet that holds the report


def test_xlsx_report_on_the_second_sheet_after_a_cover_page():
    data = xlsx({"Portada": COVER, "Datos enero": typed(valid_rows()), "Vacía": []})
    result = validate_report(data, "movilidad.xlsx")
    assert result["errors"] == []
    assert result["valid"] is True and result["rows"] == 12
    assert (result["format"], result["sheet"]) == ("xlsx", "Datos enero")
    assert result["sheets"] == ["Portada", "Datos enero", "Vacía"]
    assert where(result["warnings"]) == [(None, None, "other-sheets")]
    assert texts(result["warnings"]) == [
        "The report was read from sheet 'Datos enero'; the other sheets "
        "('Portada', 'Vacía') were ignored."]


def test_ods_report_with_a_title_on_the_second_sheet():
    rows = typed(valid_rows())
    rows[0] = ["País de destino", "Sexo", "Tipo de visa", "Edad", "Sector", "Trabajo realizado",
               "Pertenencia cultural", "Salario", "Moneda", "Departamento", "Municipio"]
    data = ods({"Portada": COVER,
                "Enero": [["Reporte mensual de movilidad laboral - enero 2025"], []] + rows})
    result = validate_report(data, "movilidad.ods")
    assert result["errors"] == []
    assert (result["valid"], result["rows"], result["format"]) == (True, 12, "ods")
    assert (result["sheet"], result["header_row"]) == ("Enero", 3)
    assert where(result["warnings"]) == [(None, None, "other-sheets"), (1, None, "title-row")]
    assert result["ignored_rows"] == [1]
    assert result["columns"][6] == {"name": "identidad_cultural",
                                    "label": "Pertenencia cultural", "type": "string"}


def test_ods_errors_use_spreadsheet_row_numbers():
    rows = typed(valid_rows())
    rows[4][3] = 15                                       # file row 5
    result = validate_report(ods({"Hoja1": rows}), "r.ods")
    assert where(result["errors"]) == [(5, "edad", "constraint-error")]
    assert validate_report(b"PK\x03\x04 broken", "r.ods")["errors"][0]["code"] == "invalid-ods"


# ---------------------------------------------------------------------------
# Titles, notes, totals and blank rows


def test_title_totals_and_source_note_are_warnings_naming_their_rows():
    rows = valid_rows()
    data = to_csv(
        [["Reporte de movilidad laboral"], ["Enero 2025", "", ""], []]
        + rows
        + [[], ["TOTAL GENERAL", "", "", "", "", "", "", "193.5", "", "", ""],
           ["Subtotal mujeres", "", "", "", "", "", "", "Q 1,230.00"],
           ["Fuente: MINTRAB"], ["Nota: cifras preliminares", "", "sujeto a cambios"]],
        delimiter=";", encoding="cp1252")
    result = validate_report(data, "r.csv")
    assert result["errors"] == []
    assert (result["valid"], result["rows"], result["header_row"]) == (True, 12, 4)
    assert where(result["warnings"]) == [
        (1, None, "title-rows"), (17, None, "trailing-blank-row"), (18, None, "total-row"),
        (19, None, "total-row"), (20, None, "note-row"), (21, None, "note-row")]
    assert texts(result["warnings"]) == [
        "Rows 1–2, above the header, were read as a title and ignored.",
        "Row 17, below the table, is blank and was ignored.",
        "Row 18, below the table, was read as a total line ('TOTAL GENERAL') and ignored.",
        "Row 19, below the table, was read as a total line ('Subtotal mujeres') and ignored.",
        "Row 20, below the table, was read as a note ('Fuente: MINTRAB') and ignored.",
        "Row 21, below the table, was read as a note ('Nota: cifras preliminares') and ignored.",
    ]
    assert result["ignored_rows"] == [1, 2, 17, 18, 19, 20, 21]


def test_record_errors_stay_errors_among_notes_and_totals():
    rows = valid_rows()
    rows[5][3] = "120"                                   # file row 6: a bad age
    rows.insert(8, ["Total", "", "", "", "", "", "", "45.00"])  # file row 9, records follow
    data = to_csv(rows + [["Total", "", "", "", "", "", "", "193.5"], ["Fuente: MINTRAB"]])
    result = validate_report(data, "r.csv")
    assert result["valid"] is False
    errors = where(result["errors"])
    assert errors[0] == (6, "edad", "constraint-error")
    assert all(row == 9 for row, _c, _k in errors[1:]) and len(errors) > 2
    assert (9, "pais_destino", "constraint-error") in errors
    assert where(result["warnings"]) == [(15, None, "total-row"), (16, None, "note-row")]
    assert result["rows"] == 13


def test_blank_rows_between_records_are_skipped_with_a_warning():
    rows = typed(valid_rows())
    rows[4:4] = [[], []]                                  # file rows 5-6
    rows.insert(10, [None] * 11)                          # file row 11
    result = validate_report(xlsx({"Hoja1": rows}), "r.xlsx")
    assert result["errors"] == [] and result["rows"] == 12
    assert where(result["warnings"]) == [(5, None, "blank-rows"), (11, None, "blank-row")]
    assert texts(result["warnings"]) == ["Rows 5–6 are blank and were skipped.",
                                         "Row 11 is blank and was skipped."]


def test_many_held_rows_are_given_back_as_records(monkeypatch):
    monkeypatch.setattr(check.layout, "MAX_HELD_ROWS", 3)
    rows = valid_rows()
    notes = [[f"Nota {i}"] for i in range(5)]             # file rows 14-18
    result = validate_report(to_csv(rows + notes + rows[1:2]), "r.csv")
    assert {e["row"] for e in result["errors"]} == {14, 15, 16, 17, 18}
    assert result["rows"] == 18 and result["warnings"] == []


# ---------------------------------------------------------------------------
# The clean CSV for the DataStore


def test_clean_csv_has_canonical_header_and_normalised_values(tmp_path):
    header = ["No.", "PAIS", "GÉNERO", "VISA", "EDAD (AÑOS)", "SECTOR", "OCUPACIÓN", "PUEBLO",
              "SALARIO", "DEPARTAMENTO", "MUNICIPIO", "OBSERVACIONES"]
    body = [
        ["1", "EE.UU.", "H", "h2a", "29 años", "Agricultura", "", "K'iche'", "Q 3,500.00",
         "Huehuetenango", "Huehuetenango", "ninguna"],
        ["2", "Canadá", "M", "H-2 B", "41.0", "Servicios", "Cocina", "ladina", "15.5", "1",
         "101", ""],
    ]
    data = to_csv([["Reporte"], header, *body, ["TOTAL", "2", "", "", "", "", "", "3515.5"]])
    target = tmp_path / "clean.csv"
    result = validate_report(data, "r.csv", clean_path=str(target))
    assert result["errors"] == [] and result["rows"] == 2
    assert [c["name"] for c in result["columns"]] == [
        "pais_destino", "sexo", "tipo_visa", "edad", "sector", "trabajo_realizado",
        "identidad_cultural", "salario", "departamento_origen", "municipio_origen"]
    assert result["columns"][3] == {"name": "edad", "label": "EDAD (AÑOS)", "type": "integer"}
    with open(target, encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [
            [c["name"] for c in result["columns"]],
            ["US", "Hombre", "H-2A", "29", "Agricultura", "", "Maya", "3500.00", "13", "1301"],
            ["CA", "Mujer", "H-2B", "41", "Servicios", "Cocina", "Ladino/Mestizo", "15.5", "01",
             "0101"],
        ]
    assert os.listdir(tmp_path) == ["clean.csv"]


def test_no_clean_csv_for_an_invalid_report(tmp_path):
    target = tmp_path / "clean.csv"
    rows = valid_rows()
    rows[-1][3] = "7"
    result = validate_report(to_csv(rows), "r.csv", clean_path=str(target))
    assert result["valid"] is False
    assert os.listdir(tmp_path) == []
    result = validate_report(to_csv([rows[0][1:]] + [r[1:] for r in rows[1:]]), "r.csv",
                             clean_path=str(target))            # a missing column
    assert result["valid"] is False and os.listdir(tmp_path) == []


def test_chunks_keep_row_numbers_and_the_columns_conventions(monkeypatch, tmp_path):
    monkeypatch.setattr(check, "CHUNK_ROWS", 4)
    rows = valid_rows()
    j = rows[0].index("sexo")
    for i, r in enumerate(rows[1:], start=1):
        r[j] = "M" if i > 8 or r[j] == "Mujer" else "H"  # the third chunk has only "M"
    target = tmp_path / "clean.csv"
    result = validate_report(to_csv(rows), "r.csv", clean_path=str(target))
    assert result["errors"] == []
    with open(target, encoding="utf-8") as f:
        sexes = [line.split(",")[j] for line in f.read().splitlines()[1:]]
    assert sexes == ["Mujer" if r[j] == "M" else "Hombre" for r in rows[1:]]
    assert sexes[8:] == ["Mujer"] * 4
    rows[11][3] = "300"                                   # file row 12, third chunk
    assert where(validate_report(to_csv(rows), "r.csv")["errors"]) == [
        (12, "edad", "constraint-error")]


# ---------------------------------------------------------------------------
# The shared reader


def test_open_table_csv_rows_are_the_files_rows():
    data = b'sep=;\npais_destino;sexo\n"US\nUS";Hombre\n\nCA;Mujer\n'
    with open_table(data, "r.csv") as table:
        assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ";")
        assert (table.sheet, table.sheets, table.skipped_sheets) == (None, [], [])
        assert list(table.rows) == [[], ["pais_destino", "sexo"], ["US\nUS", "Hombre"], [],
                                    ["CA", "Mujer"]]


def test_open_table_falls_back_to_cp1252_for_a_late_byte(tmp_path):
    lines = ["pais_destino,sexo"] + ["US,Hombre"] * 40_000 + ["MX,Muj\xe9"]
    target = tmp_path / "r.csv"
    target.write_bytes("\n".join(lines).encode("cp1252"))   # é only at the very end
    with open_table(target) as table:
        rows = list(table.rows)
        assert table.encoding == "cp1252"
    assert len(rows) == 40_002 and rows[-1] == ["MX", "Mujé"]


def test_open_table_sheet_choice():
    data = xlsx({"Vacía": [], "Notas": [["Fuente: MINTRAB"]], "Datos": valid_rows()[:3]})
    with open_table(data) as table:                       # first sheet with a cell
        assert (table.format, table.sheet, table.delimiter) == ("xlsx", "Notas", None)
        assert table.skipped_sheets == ["Vacía", "Datos"]
        assert list(table.rows) == [["Fuente: MINTRAB"]]
    with open_table(data, sheet_score=header_score) as table:
        assert table.sheet == "Datos"
        assert [r[:2] for r in table.rows] == [["pais_destino", "sexo"], ["US", "Hombre"],
                                               ["US", "Mujer"]]
    with open_table(ods({"A": [[None, "x", 2.5, 3]]})) as table:
        assert list(table.rows) == [["", "x", "2.5", "3"]]


def test_open_table_problems_come_before_rows(tmp_path):
    for source, code in [(b"", "empty-file"), (b"%PDF-1.4", "not-tabular"),
                         (b"\xef\xbb\xbfa,b\n\xff\n", "encoding-error"),
                         (str(tmp_path / "nada.csv"), "file-not-found"),
                         (b"a,b\n" * 100, "file-too-large")]:
        with pytest.raises(Problem) as raised:
            with open_table(source, "r.csv", max_bytes=200):
                pass
        assert raised.value.code == code


# ---------------------------------------------------------------------------
# A large report, streamed


def test_two_hundred_thousand_rows_are_checked_as_a_stream(tmp_path):
    source, clean = tmp_path / "grande.csv", tmp_path / "clean.csv"
    mintrab.write_large_report(str(source), 200_000)
    with open(source, "a", encoding="utf-8", newline="") as f:
        f.write("Total,,,,,,,,,,200000\n")
    assert os.path.getsize(source) > 14 * 1024 * 1024
    started = time.monotonic()
    result = validate_report(str(source), "grande.csv", clean_path=str(clean))
    assert time.monotonic() - started < 60
    assert result["errors"] == []
    assert (result["valid"], result["rows"]) == (True, 200_000)
    assert where(result["warnings"]) == [(200_002, None, "total-row")]
    with open(clean, encoding="utf-8") as f:
        assert sum(1 for _line in f) == 200_001
