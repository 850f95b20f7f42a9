"""The data-quality check of any table (``tabular.quality.check_table``),
with and without a Table Schema (the SINSAN indicator schema), and the
Table Schema a dataset type declares (``ogp_table_schema``)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest

from ckanext.ogpguatemala import geo
from ckanext.ogpguatemala.messages import render
from ckanext.ogpguatemala.tabular.quality import check_table, declared_schema

HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = os.path.join(HERE, "data", "tables")
SINSAN_CSV = os.path.join(TABLES, "sinsan-titulo-total.csv")


@pytest.fixture(scope="module")
def sinsan():
    """The SINSAN Table Schema, as the type declares it (read from the file:
    the scheming look-up itself is tested with the plugins loaded)."""
    import json

    from ckanext.ogpguatemala.tabular.quality import DATA_DIR

    with open(os.path.join(DATA_DIR, "sinsan-indicador.tableschema.json"), encoding="utf-8") as f:
        return json.load(f)


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def codes(items) -> list[tuple]:
    return [(i["row"], i["column"], i["code"]) for i in items]


def texts(items) -> list[str]:
    return [render(i["message"]) for i in items]


def types(result) -> dict:
    return {c["name"]: c["type"] for c in result["columns"]}


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# ---------------------------------------------------------------------------
# Any table

def test_a_clean_table_is_valid_with_typed_columns_and_a_clean_copy(tmp_path):
    data = csv_bytes([
        ["Código", "Fecha de corte", "Monto (Q)", "Institución", "Activo"],
        ["1", "31/01/2024", "1,234.50", "Ministerio de Salud", "sí"],
        ["2", "29/02/2024", "87", "SESAN", "no"],
        ["3", "31/03/2024", "-12.5", "MINTRAB", "Sí"],
        ["4", "", "", "INE", ""],
    ])
    clean = tmp_path / "clean.csv"
    result = check_table(data, "tabla.csv", clean_path=str(clean))
    assert result["valid"] and result["errors"] == [] and result["warnings"] == []
    assert result["checker"] == "table-quality"
    assert (result["format"], result["encoding"], result["delimiter"]) == ("csv", "utf-8", ",")
    assert (result["rows"], result["header_row"], result["ignored_rows"]) == (4, 1, [])
    assert result["columns"] == [
        {"name": "codigo", "label": "Código", "type": "integer"},
        {"name": "fecha_de_corte", "label": "Fecha de corte", "type": "date"},
        {"name": "monto_q", "label": "Monto (Q)", "type": "number"},
        {"name": "institucion", "label": "Institución", "type": "string"},
        {"name": "activo", "label": "Activo", "type": "boolean"},
    ]
    assert read_csv(clean) == [
        ["codigo", "fecha_de_corte", "monto_q", "institucion", "activo"],
        ["1", "2024-01-31", "1234.50", "Ministerio de Salud", "true"],
        ["2", "2024-02-29", "87", "SESAN", "false"],
        ["3", "2024-03-31", "-12.5", "MINTRAB", "true"],
        ["4", "", "", "INE", ""],
    ]
    assert not os.path.exists(str(clean) + ".part")


def test_semicolon_windows_1252_with_decimal_commas(tmp_path):
    data = csv_bytes([
        ["Departamento", "Población", "Tasa por 10 000"],
        ["Sololá", "421.583", "12,5"],
        ["Petén", "545.600", "8,25"],
        ["Quiché", "949.261", "30"],
    ], delimiter=";", encoding="cp1252")
    clean = tmp_path / "clean.csv"
    result = check_table(data, "tasas.csv", clean_path=str(clean))
    assert result["valid"], texts(result["errors"])
    assert (result["encoding"], result["delimiter"]) == ("cp1252", ";")
    assert [c["label"] for c in result["columns"]] == ["Departamento", "Población",
                                                       "Tasa por 10 000"]
    assert types(result) == {"departamento": "string", "poblacion": "integer",
                             "tasa_por_10_000": "number"}
    assert read_csv(clean)[1:] == [["Sololá", "421583", "12.5"], ["Petén", "545600", "8.25"],
                                   ["Quiché", "949261", "30"]]


def test_leading_zeros_make_a_column_of_codes():
    data = csv_bytes([["municipio", "valor"], ["0101", "3"], ["1301", "4"], ["2217", "5"]])
    result = check_table(data, "t.csv")
    assert types(result) == {"municipio": "string", "valor": "integer"}


def test_blank_and_repeated_rows_are_warnings(tmp_path):
    data = csv_bytes([
        ["anio", "departamento", "casos"],
        ["2023", "Guatemala", "10"],
        ["", "", ""],
        ["2023", "Escuintla", "7"],
        ["2023", "Guatemala", "10"],
        ["2024", "Guatemala", "12"],
    ])
    clean = tmp_path / "clean.csv"
    result = check_table(data, "t.csv", clean_path=str(clean))
    assert result["valid"]
    assert codes(result["warnings"]) == [(3, None, "blank-row"), (5, None, "duplicate-row")]
    assert texts(result["warnings"])[1] == "Row 5 repeats an earlier row cell for cell."
    assert result["rows"] == 4 and result["ignored_rows"] == [3]
    assert len(read_csv(clean)) == 5  # header + 4 records, the blank row dropped


def test_a_column_mostly_of_numbers_gets_one_warning():
    rows = [["departamento", "valor"]]
    rows += [["D%d" % i, str(i * 1.5)] for i in range(1, 41)]
    rows[5][1], rows[9][1], rows[12][1], rows[30][1] = "n/d", "-", "s/d", "n/d"
    result = check_table(csv_bytes(rows), "t.csv")
    assert result["valid"] and result["errors"] == []
    assert codes(result["warnings"]) == [(6, "valor", "mixed-types")]
    assert texts(result["warnings"]) == [
        "Column 'valor': 4 of 40 values are not numbers (rows 6, 10, 13, …: 'n/d', '-', 's/d')."]
    assert types(result)["valor"] == "string"


def test_whole_numbers_then_decimals_make_a_number_column():
    rows = [["k", "v"]] + [[str(i), str(i)] for i in range(20)] + [["20", "2.5"]]
    result = check_table(csv_bytes(rows), "t.csv")
    assert types(result) == {"k": "integer", "v": "number"} and result["warnings"] == []


def test_title_lines_a_totals_row_and_a_note_are_warnings(tmp_path):
    clean = tmp_path / "clean.csv"
    result = check_table(SINSAN_CSV, clean_path=str(clean))
    assert result["valid"], texts(result["errors"])
    assert (result["encoding"], result["delimiter"], result["header_row"]) == ("cp1252", ";", 3)
    assert codes(result["warnings"]) == [
        (1, None, "title-rows"), (8, None, "trailing-blank-row"), (9, None, "total-row"),
        (10, None, "note-row")]
    assert result["ignored_rows"] == [1, 2, 8, 9, 10] and result["rows"] == 4
    assert types(result) == {"codigo_de_departamento": "string", "departamento": "string",
                             "prevalencia": "number", "ninos_evaluados": "integer"}
    assert read_csv(clean) == [
        ["codigo_de_departamento", "departamento", "prevalencia", "ninos_evaluados"],
        ["01", "Guatemala", "16.2", "1250"], ["13", "Huehuetenango", "58.4", "980"],
        ["14", "Quiché", "61.3", "1034"], ["8", "Totonicapán", "68.9", "745"]]


def test_extra_cells_are_an_error_and_no_clean_copy_is_written(tmp_path):
    data = b"a,b\n1,2\n3,4,5\n6,7\n"
    clean = tmp_path / "clean.csv"
    result = check_table(data, "t.csv", clean_path=str(clean))
    assert not result["valid"]
    assert codes(result["errors"]) == [(3, None, "extra-cell")]
    assert not clean.exists() and not os.path.exists(str(clean) + ".part")


def test_blank_and_repeated_labels_are_errors():
    result = check_table(b"Nombre,,valor,NOMBRE\nx,1,2,y\n", "t.csv")
    assert codes(result["errors"]) == [(1, "columna_2", "blank-label"),
                                       (1, "nombre_2", "duplicate-label")]
    assert texts(result["errors"])[1] == "Column 4 repeats the label 'NOMBRE' of column 1."
    assert [c["name"] for c in result["columns"]] == ["nombre", "columna_2", "valor", "nombre_2"]


def test_file_level_problems_are_the_single_error():
    assert codes(check_table(b"%PDF-1.4 ...", "x.csv")["errors"]) == [(None, None, "not-tabular")]
    assert codes(check_table(b"", "x.csv")["errors"]) == [(None, None, "empty-file")]
    assert codes(check_table(b"\n,,\n\n", "x.csv")["errors"]) == [(None, None, "empty-file")]
    assert codes(check_table(b"1,2\n3,4\n", "x.csv")["errors"]) == [(None, None, "no-header")]
    assert codes(check_table(b"a,b\n", "x.csv")["errors"]) == [(None, None, "no-data-rows")]
    too_large = check_table(b"a,b\n1,2\n", "x.csv", max_bytes=4)
    assert codes(too_large["errors"]) == [(None, None, "file-too-large")]
    assert too_large["valid"] is False and too_large["checker"] == "table-quality"


def test_errors_are_capped():
    rows = [["a", "b"]] + [["1", "2", "3"] for _ in range(30)]
    result = check_table(csv_bytes(rows), "t.csv", max_errors=10)
    assert len(result["errors"]) == 10 and result["truncated"] is True


def test_an_xlsx_whose_table_is_on_the_second_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Notas"
    wb.active.append(["Datos de ejemplo; ver la hoja Datos."])
    ws = wb.create_sheet("Datos")
    ws.append(["fecha", "departamento", "participantes"])
    ws.append([dt.date(2024, 5, 2), "Sololá", 12])
    ws.append([dt.date(2024, 6, 3), "Petén", 30.5])
    path = tmp_path / "libro.xlsx"
    wb.save(path)
    clean = tmp_path / "clean.csv"
    result = check_table(str(path), "libro.xlsx", clean_path=str(clean))
    assert result["valid"], texts(result["errors"])
    assert (result["format"], result["sheet"], result["sheets"]) == ("xlsx", "Datos",
                                                                     ["Notas", "Datos"])
    assert codes(result["warnings"]) == [(None, None, "other-sheets")]
    assert types(result) == {"fecha": "date", "departamento": "string", "participantes": "number"}
    assert read_csv(clean)[1:] == [["2024-05-02", "Sololá", "12"], ["2024-06-03", "Petén", "30.5"]]


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet (numbers as float cells)."""
    def cell(v):
        if isinstance(v, (int, float)):
            return ('<table:table-cell office:value-type="float" office:value="%s">'
                    '<text:p>%s</text:p></table:table-cell>' % (v, v))
        return ('<table:table-cell office:value-type="string"><text:p>%s</text:p>'
                '</table:table-cell>' % escape(v))
    body = "".join(
        '<table:table table:name="%s">%s</table:table>' % (
            escape(name), "".join("<table:table-row>%s</table:table-row>"
                                  % "".join(cell(v) for v in row) for row in rows))
        for name, rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet>%s</office:spreadsheet></office:body>'
        '</office:document-content>' % body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_an_ods_table(sinsan):
    data = ods_bytes({"Indicador": [
        ["departamento_codigo", "departamento", "porcentaje"],
        [1, "Guatemala", 20.5], [13, "Huehuetenango", 61], [22, "Jutiapa", "n/d"]]})
    generic = check_table(data, "indicador.ods")
    assert generic["valid"] and generic["format"] == "ods" and generic["sheet"] == "Indicador"
    assert types(generic) == {"departamento_codigo": "integer", "departamento": "string",
                              "porcentaje": "string"}
    # 2 numbers in 3 cells: too few to call the column numeric
    assert generic["warnings"] == []
    checked = check_table(data, "indicador.ods", table_schema=sinsan)
    assert codes(checked["errors"]) == [(4, "porcentaje", "type-error")]


def test_a_large_table_is_checked_in_reasonable_time(tmp_path):
    path = tmp_path / "grande.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "fecha", "departamento_codigo", "valor", "nota"])
        for i in range(100_000):
            w.writerow([i, "2024-%02d-%02d" % (i % 12 + 1, i % 28 + 1), "%02d" % (i % 22 + 1),
                        "%.2f" % (i / 7), "fila %d" % i])
    clean = tmp_path / "clean.csv"
    started = time.perf_counter()
    result = check_table(str(path), "grande.csv", clean_path=str(clean))
    elapsed = time.perf_counter() - started
    assert result["valid"] and result["rows"] == 100_000 and result["warnings"] == []
    assert types(result) == {"id": "integer", "fecha": "date", "departamento_codigo": "string",
                             "valor": "number", "nota": "string"}
    with open(clean, encoding="utf-8") as f:
        assert sum(1 for _line in f) == 100_001
    assert elapsed < 60, elapsed


# ---------------------------------------------------------------------------
# The SINSAN Table Schema

def sinsan_rows(*rows, header=("departamento_codigo", "departamento", "prevalencia_pct")):
    return csv_bytes([list(header), *[list(r) for r in rows]])


def test_sinsan_table_with_title_totals_synonyms_and_decimal_commas(sinsan, tmp_path):
    clean = tmp_path / "clean.csv"
    result = check_table(SINSAN_CSV, table_schema=sinsan, clean_path=str(clean))
    assert result["valid"], texts(result["errors"])
    assert result["checker"] == "table-schema:sinsan-indicador"
    assert result["columns"][0] == {"name": "departamento_codigo",
                                    "label": "Código de departamento", "type": "string"}
    assert types(result) == {"departamento_codigo": "string", "departamento": "string",
                             "prevalencia": "number", "ninos_evaluados": "number"}
    # the code written without its leading zero is read as 08
    assert read_csv(clean)[4] == ["08", "Totonicapán", "68.9", "745"]


def test_sinsan_value_that_is_not_a_number_is_an_error(sinsan):
    result = check_table(sinsan_rows(["01", "Guatemala", "12.5"], ["13", "Huehuetenango", "n/d"],
                                     ["14", "Quiché", "-3"]), "s.csv", table_schema=sinsan)
    assert not result["valid"]
    assert codes(result["errors"]) == [(3, "prevalencia_pct", "type-error"),
                                       (4, "prevalencia_pct", "constraint-error")]
    assert texts(result["errors"]) == [
        "Row 3, column 'prevalencia_pct': 'n/d' is not a number.",
        "Row 4, column 'prevalencia_pct': -3 is below the allowed minimum (0)."]


def test_sinsan_department_codes(sinsan):
    result = check_table(sinsan_rows(["GT", "Guatemala", "1"], ["23", "?", "2"], ["", "", "3"],
                                     ["5", "Escuintla", "4"]), "s.csv", table_schema=sinsan)
    assert codes(result["errors"]) == [(2, "departamento_codigo", "constraint-error"),
                                       (3, "departamento_codigo", "unknown-department"),
                                       (4, "departamento_codigo", "constraint-error")]
    assert texts(result["errors"]) == [
        "Row 2, column 'departamento_codigo': 'GT' is not a 2-digit INE department code "
        "(01 to 22).",
        "Row 3, column 'departamento_codigo': 23 is not an INE department code.",
        "Row 4, column 'departamento_codigo': the cell is empty and the value is required."]


def test_sinsan_municipality_codes(sinsan):
    header = ("Cod. depto", "Código de municipio", "Año", "Sexo", "Área", "valor")
    result = check_table(sinsan_rows(
        ["13", "1301", "2023", "MUJER", "Rural", "5"],
        ["13", "0101", "2023", "Hombre", "urbano", "6"],
        ["13", "1399", "2023", "Total", "total", "7"],
        ["13", "1302", "1890", "otro", "costa", "8"],
        header=header), "s.csv", table_schema=sinsan)
    assert [c["name"] for c in result["columns"]] == [
        "departamento_codigo", "municipio_codigo", "anio", "sexo", "area", "valor"]
    assert codes(result["errors"]) == [
        (3, "municipio_codigo", "municipality-department-mismatch"),
        (4, "municipio_codigo", "unknown-municipality"),
        (5, "anio", "constraint-error"), (5, "sexo", "constraint-error"),
        (5, "area", "constraint-error")]
    assert texts(result["errors"])[0] == (
        "Row 3, column 'municipio_codigo': municipality 0101 (%s) belongs to department 01 "
        "(%s), not 13 (%s)." % (geo.municipality_name("0101"), geo.department_name("01"),
                                geo.department_name("13")))


def test_sinsan_table_without_department_codes(sinsan):
    result = check_table(sinsan_rows(["Guatemala", "12"], header=("departamento", "valor")),
                         "s.csv", table_schema=sinsan)
    assert codes(result["errors"]) == [(None, "departamento_codigo", "missing-label")]
    assert texts(result["errors"]) == [
        "The required column 'departamento_codigo' (Código de departamento) is missing."]


# ---------------------------------------------------------------------------
# The demo data

def demo_tables():
    from ckanext.ogpguatemala import demo

    day = dt.date(2025, 11, 20)
    items = (demo.access.build(day) + demo.sesan.build(day) + demo.reports.build(day)
             + demo.mintrab.build(day) + demo.static_records())
    for item in items:
        for f in item.get("files", []):
            if os.path.splitext(f["filename"])[1].lower() in (".csv", ".tsv", ".xlsx", ".ods"):
                yield item, f


def test_every_demo_table_passes(sinsan):
    checked = {"sinsan-nutricion": 0, "other": 0}
    for item, f in demo_tables():
        is_sinsan = item.get("type") == "sinsan-nutricion"
        result = check_table(f["data"], f["filename"], table_schema=sinsan if is_sinsan else None)
        assert result["valid"], (f["filename"], texts(result["errors"]))
        assert result["warnings"] == [], (f["filename"], texts(result["warnings"]))
        assert result["rows"] > 0
        checked["sinsan-nutricion" if is_sinsan else "other"] += 1
    assert checked["sinsan-nutricion"] >= 6 and checked["other"] >= 20, checked


# ---------------------------------------------------------------------------
# The Table Schema a dataset type declares

@pytest.mark.usefixtures("with_plugins")
def test_declared_schema_of_the_types(sinsan):
    name, schema = declared_schema("sinsan-nutricion")
    assert name == "sinsan-indicador" and schema == sinsan
    schema["fields"].clear()  # a copy: the next call is unchanged
    assert declared_schema("sinsan-nutricion")[1]["fields"] == sinsan["fields"]
    name, schema = declared_schema("mintrab-movilidad")
    assert name == "mintrab-movilidad" and schema["name"] == "mintrab-movilidad"
    assert [f["name"] for f in schema["fields"]][:2] == ["pais_destino", "sexo"]
    assert declared_schema("dataset") is None
    assert declared_schema("conamigua-informe") is None
