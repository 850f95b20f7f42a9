"""Tabular check of MINTRAB's labour-mobility report (ckanext.ogpguatemala.tabular).

Pure functions: no CKAN, no database. Fixtures are in tests/data/mintrab/:
valid.csv is the reference (12 workers, UTF-8, commas); the other CSVs are
copies with one defect each, at a known row (data row i is file row i + 2).
"""
from __future__ import annotations

import ast
import csv
import datetime as dt
import inspect
import io
import json
import os
import re
import types

import pytest

from ckanext.ogpguatemala import tabular
from ckanext.ogpguatemala.tabular import check, normalise, reading
from ckanext.ogpguatemala.tabular import messages as tabular_messages
from ckanext.ogpguatemala.tabular import validate_report
from ckanext.ogpguatemala.tabular.messages import TEXTS
from tests.helpers import english

DATA = os.path.join(os.path.dirname(__file__), "data", "mintrab")


def path(name):
    return os.path.join(DATA, name)


def read_bytes(name):
    with open(path(name), "rb") as f:
        return f.read()


def valid_rows():
    with open(path("valid.csv"), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def to_csv(rows, delimiter=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def where(result):
    """The errors as (row, column, code) triples, in order."""
    return [(e["row"], e["column"], e["code"]) for e in result["errors"]]


def formatted(message, seen=None):
    """``msgid % params``, nested messages first, strictly: every placeholder
    has a param and every param a placeholder (no per-language params).
    The ids formatted are added to ``seen``."""
    assert set(message) == {"msgid", "params"}
    assert message["msgid"] in TEXTS.values()
    if seen is not None:
        seen.add(message["msgid"])
    params = {k: formatted(v, seen) if isinstance(v, dict) else v
              for k, v in message["params"].items()}
    assert set(re.findall(r"%\((\w+)\)", message["msgid"])) == set(params), message
    return message["msgid"] % params


def text(error):
    """An error's message in English: its id with its values filled in (the
    Spanish rendering is the catalogue's job, tested in test_i18n)."""
    return english(error["message"])


def assert_messages(result):
    for error in result["errors"]:
        assert set(error) == {"row", "column", "code", "message"}
        assert formatted(error["message"]).strip()
        assert text(error) == formatted(error["message"])


# ---------------------------------------------------------------------------
# The schema file


def test_schema_is_a_valid_table_schema_with_bilingual_descriptions():
    from frictionless import Schema

    descriptor = tabular.load_schema()
    Schema.from_descriptor(descriptor)  # raises if invalid
    names = [f["name"] for f in descriptor["fields"]]
    assert names == [
        "pais_destino", "sexo", "tipo_visa", "edad", "sector", "trabajo_realizado",
        "identidad_cultural", "salario", "moneda_salario", "departamento_origen",
        "municipio_origen",
    ]
    for field in descriptor["fields"]:
        assert field["title"]
        assert " / " in field["description"]
    by_name = {f["name"]: f for f in descriptor["fields"]}
    assert by_name["sexo"]["constraints"]["enum"] == ["Hombre", "Mujer"]
    assert by_name["identidad_cultural"]["constraints"]["enum"] == [
        "Maya", "Garífuna", "Xinka", "Ladino/Mestizo", "Otro"
    ]
    assert by_name["edad"]["type"] == "integer"
    assert by_name["salario"]["constraints"]["minimum"] == 0
    assert "required" not in by_name["moneda_salario"].get("constraints", {})


def test_country_enum_is_every_iso_3166_alpha2_code():
    countries = tabular.load_schema()["fields"][0]["constraints"]["enum"]
    assert len(countries) == len(set(countries)) == 249
    assert {"US", "CA", "MX", "GT", "ES"} <= set(countries)
    assert countries == sorted(countries)
    import pycountry
    # Regenerate the enum with sorted(c.alpha_2 for c in pycountry.countries)
    # if this fails after a pycountry upgrade.
    assert countries == sorted(c.alpha_2 for c in pycountry.countries)


# ---------------------------------------------------------------------------
# Valid files


def test_valid_utf8_comma_csv():
    result = validate_report(path("valid.csv"), "valid.csv")
    assert result["valid"] is True
    assert result["errors"] == []
    assert result["rows"] == 12
    assert result["encoding"] == "utf-8"
    assert result["delimiter"] == ","
    assert result["format"] == "csv"
    assert "truncated" not in result
    checked = dt.datetime.fromisoformat(result["checked_at"])
    assert checked.tzinfo is not None
    json.dumps(result)  # plain JSON


def test_bytes_and_file_objects_are_accepted():
    data = read_bytes("valid.csv")
    assert validate_report(data, "valid.csv")["valid"] is True
    assert validate_report(io.BytesIO(data), "valid.csv")["valid"] is True


def test_valid_cp1252_semicolon_file_with_ministry_headers_and_variants():
    data = read_bytes("valid-cp1252-semicolon.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is Windows-1252
    assert data.decode("cp1252").startswith("PAÍS DE DESTINO; Sexo ;")
    result = validate_report(data, "movilidad-enero.csv")
    assert result["errors"] == []
    assert result["valid"] is True
    assert (result["rows"], result["encoding"], result["delimiter"]) == (12, "cp1252", ";")


def test_utf8_bom_tab_delimited_uppercase_headers():
    rows = valid_rows()
    rows[0] = [
        "PAIS DESTINO", "SEXO", "TIPO DE VISA", "EDAD (AÑOS)", "SECTOR", "TRABAJO",
        "IDENTIDAD CULTURAL", "SALARIO (Q)", "MONEDA", "CÓDIGO DEPARTAMENTO",
        "CÓDIGO MUNICIPIO",
    ]
    data = b"\xef\xbb\xbf" + to_csv(rows, delimiter="\t")
    result = validate_report(data, "reporte.txt")
    assert result["errors"] == []
    assert (result["encoding"], result["delimiter"], result["rows"]) == ("utf-8-sig", "\t", 12)


def test_xlsx_version_of_the_valid_data():
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Enero"
    header, *body = valid_rows()
    ws.append(["País de destino", "Sexo", "Tipo de visa", "Edad", "Sector",
               "Trabajo realizado", "Pertenencia cultural", "Salario", "Moneda",
               "Departamento de origen", "Municipio de origen"])
    for row in body:
        cells = list(row)
        cells[3] = int(cells[3])        # numbers as spreadsheets store them
        cells[7] = float(cells[7])
        cells[9] = int(cells[9])        # 1 for "01"
        cells[10] = int(cells[10])      # 101 for "0101"
        ws.append(cells)
    wb.create_sheet("Notas").append(["Fuente: MINTRAB"])
    buf = io.BytesIO()
    wb.save(buf)
    result = validate_report(buf.getvalue(), "movilidad.xlsx")
    assert result["errors"] == []
    assert result["valid"] is True
    assert (result["format"], result["rows"], result["delimiter"]) == ("xlsx", 12, None)


def test_xlsx_errors_use_spreadsheet_row_numbers(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Reporte mensual de movilidad laboral - enero"])  # title row 1
    ws.append([])                                               # row 2
    header, *body = valid_rows()
    ws.append(header)                                           # row 3
    for row in body:
        ws.append(row)                                          # rows 4..15
    ws["D6"] = 15                                               # edad of row 6
    target = tmp_path / "movilidad.xlsx"
    wb.save(target)
    result = validate_report(str(target), "movilidad.xlsx")
    assert where(result) == [(6, "edad", "constraint-error")]
    assert result["rows"] == 12


def test_moneda_salario_column_is_optional_and_extra_columns_are_ignored():
    rows = valid_rows()
    j = rows[0].index("moneda_salario")
    rows = [r[:j] + r[j + 1:] for r in rows]
    rows = [["No."] + r + ["Observaciones"] for r in rows]
    for i, row in enumerate(rows[1:], start=1):
        row[0] = str(i)
        row[-1] = "sin observaciones"
    result = validate_report(to_csv(rows), "r.csv")
    assert result["errors"] == []
    assert result["rows"] == 12


def test_title_rows_above_the_header_and_trailing_blank_rows():
    rows = valid_rows()
    data = to_csv(
        [["Ministerio de Trabajo y Previsión Social", "", ""], ["Enero 2025", "", ""], []]
        + rows
        + [[""] * 11, [""] * 11]
    )
    result = validate_report(data, "r.csv")
    assert result["errors"] == []
    assert result["rows"] == 12


def test_value_normalisation():
    columns = {
        "sexo": ["HOMBRE", "mujer", "H", "M", "Masculino", "femenino"],
        "identidad_cultural": ["maya", "K'iche'", "Maya Kaqchikel", "Garifuna", "XINCA",
                               "Ladino", "Mestiza", "ladino/mestizo", "Afrodescendiente"],
        "pais_destino": ["us", "EE.UU.", "Estados Unidos", "Canadá", "MEX", "es"],
        "tipo_visa": ["h2a", "H-2 B", "tn", "Permiso  de trabajo"],
        "edad": ["25", "30.0", "41 años"],
        "salario": ["Q 3,500.00", "$15.81", "1.234.567", "-100", "abc", "3,500"],
        "moneda_salario": ["US$", "quetzales", "cad", "Dólares"],
        "departamento_origen": ["1", "Huehuetenango", "El Quiché", "23"],
        "municipio_origen": ["101", "Huehuetenango", "1406", "xyz"],
    }
    ambiguous = normalise.normalise_columns(columns)
    assert ambiguous == set()
    assert columns["sexo"] == ["Hombre", "Mujer", "Hombre", "Mujer", "Hombre", "Mujer"]
    assert columns["identidad_cultural"] == [
        "Maya", "Maya", "Maya", "Garífuna", "Xinka", "Ladino/Mestizo", "Ladino/Mestizo",
        "Ladino/Mestizo", "Otro",
    ]
    assert columns["pais_destino"] == ["US", "US", "US", "CA", "MX", "ES"]
    assert columns["tipo_visa"] == ["H-2A", "H-2B", "TN", "Permiso de trabajo"]
    assert columns["edad"] == ["25", "30", "41"]
    assert columns["salario"] == ["3500.00", "15.81", "1234567", "-100", "abc", "3500"]
    assert columns["moneda_salario"] == ["USD", "GTQ", "CAD", "USD"]
    assert columns["departamento_origen"] == ["01", "13", "14", "23"]
    assert columns["municipio_origen"] == ["0101", "1301", "1406", "xyz"]


def test_decimal_comma_column():
    columns = {"salario": ["3.500,50", "15,81", "3.500"]}
    normalise.normalise_columns(columns)
    assert columns["salario"] == ["3500.50", "15.81", "3500"]


def test_sexo_m_follows_the_columns_convention():
    hm = {"sexo": ["H", "M", "M"]}
    mf = {"sexo": ["M", "F", "M"]}
    normalise.normalise_columns(hm)
    normalise.normalise_columns(mf)
    assert hm["sexo"] == ["Hombre", "Mujer", "Mujer"]
    assert mf["sexo"] == ["Hombre", "Mujer", "Hombre"]


def test_ambiguous_m_is_an_error_with_an_explanation():
    rows = valid_rows()
    j = rows[0].index("sexo")
    rows[2][j] = "M"                                        # file row 3; no H nor F anywhere
    result = validate_report(to_csv(rows), "r.csv")
    assert where(result) == [(3, "sexo", "constraint-error")]
    assert result["errors"][0]["message"]["msgid"] == TEXTS["enum-sexo-ambiguous"]
    assert "'M' is ambiguous" in text(result["errors"][0])


# ---------------------------------------------------------------------------
# Files with one defect


def test_missing_sexo_column():
    result = validate_report(path("missing-sexo.csv"), "missing-sexo.csv")
    assert result["valid"] is False
    assert where(result) == [(None, "sexo", "missing-label")]
    assert "'sexo' (Sexo) is missing" in text(result["errors"][0])
    assert result["rows"] == 12
    assert_messages(result)


def test_unknown_cultural_identity():
    result = validate_report(path("bad-identidad.csv"), "bad-identidad.csv")
    assert result["valid"] is False
    assert where(result) == [(5, "identidad_cultural", "constraint-error")]
    message = result["errors"][0]["message"]
    assert message["params"]["value"] == "Indígena"
    assert text(result["errors"][0]) == (
        "Row 5, column 'identidad_cultural': 'Indígena' is not an accepted value; "
        "use one of: Maya, Garífuna, Xinka, Ladino/Mestizo, Otro.")
    assert_messages(result)


def test_negative_wage():
    result = validate_report(path("negative-wage.csv"), "negative-wage.csv")
    assert where(result) == [(3, "salario", "constraint-error")]
    assert result["errors"][0]["message"]["msgid"] == TEXTS["minimum"]
    assert "-14.50 is below the allowed minimum (0)" in text(result["errors"][0])


def test_age_out_of_range():
    result = validate_report(path("age-out-of-range.csv"), "age-out-of-range.csv")
    assert where(result) == [(4, "edad", "constraint-error"), (10, "edad", "constraint-error")]
    assert "minimum" in text(result["errors"][0])
    assert "maximum" in text(result["errors"][1])


def test_municipality_not_in_its_department_and_unknown_municipality():
    result = validate_report(path("municipality-mismatch.csv"), "municipality-mismatch.csv")
    assert where(result) == [
        (7, "municipio_origen", "municipality-department-mismatch"),
        (11, "municipio_origen", "unknown-municipality"),
    ]
    assert "Livingston" in text(result["errors"][0])
    assert "1499" in text(result["errors"][1])
    assert_messages(result)


def test_type_errors_pattern_errors_and_blank_cells():
    rows = valid_rows()
    h = rows[0]
    rows[1][h.index("edad")] = "veinte"                 # row 2
    rows[2][h.index("salario")] = "mucho"               # row 3
    rows[3][h.index("departamento_origen")] = "99"      # row 4
    rows[3][h.index("municipio_origen")] = "12"         # row 4
    rows[4][h.index("tipo_visa")] = ""                  # row 5
    rows[5][h.index("pais_destino")] = "Narnia"         # row 6
    rows[6][h.index("trabajo_realizado")] = ""          # row 7: optional cell, fine
    result = validate_report(to_csv(rows), "r.csv")
    assert where(result) == [
        (2, "edad", "type-error"),
        (3, "salario", "type-error"),
        (4, "departamento_origen", "constraint-error"),
        (4, "municipio_origen", "constraint-error"),
        (5, "tipo_visa", "constraint-error"),
        (6, "pais_destino", "constraint-error"),
    ]
    assert "ISO 3166-1" in text(result["errors"][-1])
    assert result["errors"][4]["message"]["msgid"] == TEXTS["required"]
    assert "the cell is empty" in text(result["errors"][4])
    assert "INE department code" in text(result["errors"][2])
    assert_messages(result)


def test_blank_row_is_a_warning_and_extra_cell_an_error():
    rows = valid_rows()
    rows.insert(4, [""] * 11)                            # file row 5
    rows[7] = rows[7] + ["", "sobra"]                    # file row 8
    rows[8] = rows[8] + ["", ""]                         # trailing empties: fine
    result = validate_report(to_csv(rows), "r.csv")
    assert where(result) == [(8, None, "extra-cell")]
    assert [(w["row"], w["code"]) for w in result["warnings"]] == [(5, "blank-row")]
    assert text(result["warnings"][0]) == "Row 5 is blank and was skipped."
    assert result["ignored_rows"] == [5]
    assert result["rows"] == 12
    assert_messages(result)


def test_unclosed_quote_is_explained_and_long_values_are_clipped():
    data = read_bytes("valid.csv").replace(b"Hombre,H-2A,29", b'Hombre,H-2A,"29')
    result = validate_report(data, "r.csv")
    assert result["valid"] is False
    assert result["rows"] == 1                           # the open quote swallowed the rest
    assert where(result)[:2] == [(2, None, "unclosed-quote"), (2, "edad", "type-error")]
    assert len(text(result["errors"][1])) < 200
    assert "…" in text(result["errors"][1])


def test_excel_sep_line_is_honoured():
    data = b"sep=;\n" + read_bytes("valid.csv").replace(b",", b";")
    result = validate_report(data, "r.csv")
    assert result["errors"] == []
    assert (result["delimiter"], result["rows"]) == (";", 12)


def test_duplicate_column():
    rows = valid_rows()
    rows = [r + [r[1]] for r in rows]
    rows[0][-1] = "Género"
    result = validate_report(to_csv(rows), "r.csv")
    assert where(result) == [(1, "sexo", "duplicate-label")]


def test_code_column_wins_over_name_column():
    rows = valid_rows()
    rows[0][9] = "Código de departamento"
    rows[0][10] = "Código de municipio"
    rows = [r + ["Cualquier nombre", "Otro nombre"] for r in rows]
    rows[0][-2:] = ["Departamento", "Municipio"]
    result = validate_report(to_csv(rows), "r.csv")
    assert result["errors"] == []


def test_many_errors_are_truncated():
    rows = valid_rows()
    header, body = rows[0], rows[1:]
    big = [header] + [list(body[i % 12]) for i in range(300)]
    for row in big[1:]:
        row[header.index("edad")] = "5"
    result = validate_report(to_csv(big), "r.csv", max_errors=100)
    assert result["truncated"] is True
    assert len(result["errors"]) == 100
    assert [e["row"] for e in result["errors"]] == list(range(2, 102))
    assert result["rows"] == 300


# ---------------------------------------------------------------------------
# Files that are not a report: one clear error, never an exception


def single_error(result):
    assert result["valid"] is False
    assert result["rows"] == 0
    assert len(result["errors"]) == 1
    assert_messages(result)
    return result["errors"][0]


def test_not_a_csv_png():
    error = single_error(validate_report(path("not-a-table.png"), "foto.csv"))
    assert (error["row"], error["column"], error["code"]) == (None, None, "not-tabular")
    assert "PNG" in text(error)


def test_empty_file():
    error = single_error(validate_report(path("empty.csv"), "empty.csv"))
    assert error["code"] == "empty-file"
    error = single_error(validate_report(b"\n\n;;;\n", "blank.csv"))
    assert error["code"] == "empty-file"


def test_header_only():
    data = to_csv(valid_rows()[:1])
    error = single_error(validate_report(data, "r.csv"))
    assert error["code"] == "no-data-rows"


def test_no_recognisable_header():
    rows = valid_rows()[1:]                              # data without its header
    error = single_error(validate_report(to_csv(rows), "r.csv"))
    assert error["code"] == "no-header"
    error = single_error(validate_report(b"<html><body>Not found</body></html>", "r.csv"))
    assert error["code"] == "no-header"


def test_file_over_the_size_limit():
    data = read_bytes("valid.csv")
    error = single_error(validate_report(data, "valid.csv", max_bytes=100))
    assert error["code"] == "file-too-large"
    error = single_error(validate_report(path("valid.csv"), "valid.csv", max_bytes=100))
    assert error["code"] == "file-too-large"


def test_xlsx_cell_budget(monkeypatch):
    import openpyxl
    wb = openpyxl.Workbook()
    for row in valid_rows():
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    monkeypatch.setattr(reading, "MAX_XLSX_CELLS", 50)
    error = single_error(validate_report(buf.getvalue(), "r.xlsx"))
    assert error["code"] == "file-too-large"


def test_other_unreadable_inputs():
    assert single_error(validate_report(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "viejo.xls"))[
        "code"] == "xls-not-supported"
    assert single_error(validate_report(b"PK\x03\x04 not really a zip", "r.xlsx"))[
        "code"] == "invalid-xlsx"
    assert single_error(validate_report(b"pais_destino,sexo\nUS,Hombre\n", "r.xlsx"))[
        "code"] == "invalid-xlsx"
    assert single_error(validate_report(b"%PDF-1.7\n...", "r.pdf"))["code"] == "not-tabular"
    assert single_error(validate_report(os.path.join(DATA, "nope.csv"), "nope.csv"))[
        "code"] == "file-not-found"
    assert single_error(validate_report(b"a,b\x00c\n", "r.csv"))["code"] == "not-tabular"


def test_an_internal_failure_is_reported_not_raised(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "normalise_columns", broken)
    error = single_error(validate_report(read_bytes("valid.csv"), "valid.csv"))
    assert error["code"] == "internal-error"


def test_utf16_unicode_text_export():
    data = "\ufeff".encode("utf-16-le") + to_csv(valid_rows(), delimiter="\t").decode(
        "utf-8").encode("utf-16-le")
    result = validate_report(data, "reporte.txt")
    assert result["errors"] == []
    assert result["encoding"] == "utf-16"


# ---------------------------------------------------------------------------
# Large files (timing belongs to `make bench`, not to tests)


def test_fifty_thousand_rows_are_all_checked():
    header, *body = valid_rows()
    rows = [header] + [list(body[i % 12]) for i in range(50_000)]
    col = header.index("edad")
    rows[45_000][col] = "7"  # a child in row 45,001 of the file
    data = to_csv(rows, delimiter=";", encoding="cp1252")
    result = validate_report(data, "grande.csv")
    assert result["rows"] == 50_000
    assert result["valid"] is False
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(45_001, "edad")]


# ---------------------------------------------------------------------------
# Messages: every id the package has is produced, and formats with its params


def n_ids():
    """The ids marked with N_ in tabular/messages.py."""
    tree = ast.parse(inspect.getsource(tabular_messages))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
    }


def test_every_message_id_formats_with_the_params_the_code_passes(monkeypatch, tmp_path):
    import openpyxl

    assert n_ids() == set(TEXTS.values())
    rows = valid_rows()
    h = rows[0]
    bad = [list(r) for r in rows]
    bad[1][h.index("edad")] = "veinte"                   # type-integer
    bad[2][h.index("salario")] = "mucho"                 # type-number
    bad[3][h.index("departamento_origen")] = "99"        # pattern, department hint
    bad[3][h.index("municipio_origen")] = "12"           # pattern, municipality hint
    bad[4][h.index("tipo_visa")] = ""                    # required
    bad[5][h.index("pais_destino")] = "Narnia"           # enum, country hint
    bad[6][h.index("moneda_salario")] = "Conchas"        # enum, currency hint
    bad[7][h.index("edad")] = "99"                       # maximum
    bad[7][h.index("sexo")] = "Otro"                     # enum, one of its values
    bad[8] = bad[8] + ["", "sobra"]                      # extra-cell
    bad.insert(10, [""] * 11)                            # blank-row
    bad = [r + [r[1]] for r in bad]                      # duplicate-label
    bad[0][-1] = "Género"
    sources = [
        (to_csv(bad), "r.csv"),
        (path("negative-wage.csv"), "r.csv"),            # minimum
        (path("missing-sexo.csv"), "r.csv"),             # missing-label
        (path("municipality-mismatch.csv"), "r.csv"),    # both place errors
        (read_bytes("valid.csv").replace(b"Hombre,H-2A,29", b'Hombre,H-2A,"29'), "r.csv"),
        (to_csv([h] + [[r[0], "M", *r[2:]] for r in rows[1:3]]), "r.csv"),  # ambiguous M
        (read_bytes("valid.csv"), "r.csv", 100),         # file-too-large
        (path("nope.csv"), "nope.csv"),                  # file-not-found
        (12345, "r.csv"),                                # source-error, unsupported
        (b"", "r.csv"),                                  # empty-file
        (b"%PDF-1.7", "r.csv"),                          # not-tabular
        (b"a,b\x00c\n", "r.csv"),                        # not-tabular, binary
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 8, "r.xls"),     # xls-not-supported
        (b"pais_destino,sexo\n", "r.xlsx"),              # invalid-xlsx, not a zip
        (b"\xef\xbb\xbf\xff\xfe;;\n", "r.csv"),            # encoding-error
        (to_csv(rows[1:]), "r.csv"),                     # no-header
        (to_csv(rows[:1]), "r.csv"),                     # no-data-rows
        (b"pais_destino,sexo\n", "r.ods"),               # invalid-ods, not a zip
        (to_csv([["Reporte"], ["Enero"], *rows[:3], [], rows[3], [], [], ["Total", "3"], [],
                 ["Fuente: MINTRAB"]]), "r.csv"),  # title-rows, blank-row, total-row,
                                                   # trailing-blank-rows, note-row
        (to_csv([["Reporte"], *rows[:3], [], [], rows[3], []]), "r.csv"),  # title-row,
                                                   # blank-rows, trailing-blank-row
    ]
    messages = []
    for source, name, *limit in sources:
        result = validate_report(source, name, *limit)
        messages += [e["message"] for e in result["errors"] + result["warnings"]]
    wb = openpyxl.Workbook()                              # other-sheets
    wb.active.append(["Portada"])
    for row in rows:
        wb.create_sheet("Datos").append(row) if "Datos" not in wb else wb["Datos"].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    messages += [e["message"] for e in validate_report(buf.getvalue(), "r.xlsx")["warnings"]]

    # Paths that need a failure to happen
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "r.xlsx")
    with monkeypatch.context() as m:
        m.setattr(reading, "MAX_XLSX_CELLS", 5)          # too-many-cells
        messages += [e["message"] for e in validate_report(tmp_path / "r.xlsx")["errors"]]
    with monkeypatch.context() as m:
        m.setattr(check, "normalise_columns", None)      # internal-error
        messages += [e["message"] for e in validate_report(path("valid.csv"))["errors"]]
    real_reader = csv.reader

    def failing_reader(source, **kwargs):                # malformed-csv
        if isinstance(source, list):                     # the delimiter sniffer
            return real_reader(source, **kwargs)

        def rows():                                      # the reader proper
            yield next(real_reader(source, **kwargs))
            raise csv.Error("unexpected end of data")

        return rows()

    with monkeypatch.context() as m:
        m.setattr(reading.csv, "reader", failing_reader)
        messages += [e["message"] for e in validate_report(path("valid.csv"))["errors"]]
    # Frictionless errors the schema cannot produce today
    for error, field in [
        (types.SimpleNamespace(type="constraint-error", note='constraint "maxLength" is "3"',
                               cell="abcd"), "sector"),                 # constraint
        (types.SimpleNamespace(type="constraint-error", note='constraint "pattern" is "^x$"',
                               cell="y"), "sector"),                    # pattern, in-format
        (types.SimpleNamespace(type="type-error", note="", cell="x"), "sector"),  # type
        (types.SimpleNamespace(type="cell-error", message="odd", cell="x"), "sector"),  # other
    ]:
        messages.append(check.explain(error, 2, field, set())[1].as_dict())

    seen = set()
    for message in messages:
        assert not [k for k in message["params"] if k.endswith(("_es", "_en"))]
        assert formatted(message, seen) == english(message)
        json.dumps(message)
    assert seen == set(TEXTS.values())
