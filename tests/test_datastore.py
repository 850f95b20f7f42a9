"""Checked tables in CKAN's DataStore: a table that passes its check is
loaded (ckanext-xloader's loader) with the types of its Table Schema, shown
in a preview, queryable through datastore_search / datastore_search_sql and
downloadable as CSV, JSON and XLSX; a table that fails is flagged and kept
out of the DataStore. Real PostgreSQL (CKAN's and the DataStore's
databases), Solr and file storage; checks run inside the action (the test
configuration's synchronous mode)."""
import csv
import io
import json
import os

import openpyxl
import pytest

import ckan.plugins.toolkit as tk
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.demo import mintrab
from tests.helpers import create, sysadmin_context

DATA = os.path.join(os.path.dirname(__file__), "data", "mintrab")


def _read(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


@pytest.fixture
def storage(stack, tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    return tmp_path


@pytest.fixture
def publisher(storage):
    context = sysadmin_context()
    return {"context": context,
            "org": factories.Organization(name="inst-%s" % os.urandom(3).hex())}


def _dataset(publisher, dataset_type, **fields):
    fields.setdefault("name", "tabla-%s" % os.urandom(4).hex())
    return create(publisher["context"], dataset_type, owner_org=publisher["org"]["id"], **fields)


def _upload(create_with_upload, publisher, ds, data: bytes, filename: str, fmt: str):
    return create_with_upload(data, filename, context=dict(publisher["context"]),
                              package_id=ds["id"], name=filename, format=fmt)


def _report(resource_id):
    return json.loads(helpers.call_action("resource_show", id=resource_id)["ogp_check_report"])


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_valid_mintrab_report_is_loaded_with_the_schema_types(publisher, create_with_upload):
    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, _read("valid.csv"), "valid.csv", "CSV")
    report = _report(res["id"])
    assert report["valid"] is True
    assert report["datastore"]["loaded"] is True and report["datastore"]["rows"] == 12

    found = helpers.call_action("datastore_search", resource_id=res["id"], sort="_id")
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["edad"].startswith("int") and types["salario"] == "numeric"
    assert types["pais_destino"] == "text"
    first = found["records"][0]
    assert first["edad"] == 29 and isinstance(first["edad"], int)
    assert float(first["salario"]) == 15.81
    assert found["total"] == 12
    # the schema's titles are the Data Dictionary's labels
    info = helpers.call_action("datastore_info", id=res["id"])
    labels = {f["id"]: f.get("info", {}).get("label") for f in info["fields"]}
    assert labels["edad"] and labels["edad"] != "edad"

    # typed SQL through the read-only user
    sql = 'SELECT SUM(edad) AS total, MAX(salario) AS top FROM "%s"' % res["id"]
    rows = helpers.call_action("datastore_search_sql", sql=sql)["records"]
    ages = [r["edad"] for r in found["records"]]
    assert int(rows[0]["total"]) == sum(ages)

    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["datastore_active"] is True


def test_the_resource_page_shows_the_preview_and_the_downloads(publisher, create_with_upload, app):
    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, _read("valid.csv"), "valid.csv", "CSV")
    views = helpers.call_action("resource_view_list", id=res["id"])
    assert "datatables_view" in [v["view_type"] for v in views]

    page = app.get("/dataset/%s/resource/%s" % (ds["name"], res["id"])).body
    view_id = [v["id"] for v in views if v["view_type"] == "datatables_view"][0]
    assert "/view/%s" % view_id in page
    assert "/datastore/dump/%s.xlsx" % res["id"] in page
    assert "datastore_search" in page  # the report says where to query it
    view = app.get("/dataset/%s/resource/%s/view/%s" % (ds["name"], res["id"], view_id))
    assert view.status_code == 200 and "datatable" in view.body.lower()

    xlsx = app.get("/datastore/dump/%s.xlsx" % res["id"])
    assert xlsx.status_code == 200
    assert xlsx.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("pais_destino", "sexo", "tipo_visa", "edad")
    assert len(rows) == 13 and rows[1][3] == 29 and isinstance(rows[1][3], int)

    as_json = app.get("/datastore/dump/%s?format=json" % res["id"])
    assert as_json.status_code == 200 and len(json.loads(as_json.body)["records"]) == 12


def test_a_private_table_is_not_served_to_others(publisher, create_with_upload, app):
    ds = _dataset(publisher, "mintrab-movilidad", private=True)
    res = _upload(create_with_upload, publisher, ds, _read("valid.csv"), "valid.csv", "CSV")
    assert _report(res["id"])["datastore"]["loaded"] is True
    assert app.get("/datastore/dump/%s.xlsx" % res["id"]).status_code in (403, 404)
    assert app.get("/datastore/dump/%s" % res["id"]).status_code in (403, 404)
    outsider = factories.User()
    for user in ("", outsider["name"]):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("datastore_search")({"user": user}, {"resource_id": res["id"]})
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("datastore_search_sql")(
                {"user": user}, {"sql": 'SELECT * FROM "%s"' % res["id"]})


def test_a_report_with_a_record_error_is_flagged_and_not_loaded(publisher, create_with_upload):
    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, _read("age-out-of-range.csv"),
                  "age-out-of-range.csv", "CSV")
    report = _report(res["id"])
    assert report["valid"] is False and report["errors"][0]["column"] == "edad"
    assert report["datastore"]["loaded"] is False
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_search", resource_id=res["id"])


def test_a_new_file_with_errors_takes_the_old_rows_out(publisher, create_with_upload, tmp_path):
    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, _read("valid.csv"), "valid.csv", "CSV")
    assert helpers.call_action("datastore_search", resource_id=res["id"])["total"] == 12
    from werkzeug.datastructures import FileStorage

    bad = FileStorage(io.BytesIO(_read("negative-wage.csv")), "negative-wage.csv")
    helpers.call_action("resource_patch", context=dict(publisher["context"]),
                        id=res["id"], upload=bad, url="negative-wage.csv")
    assert _report(res["id"])["valid"] is False
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_search", resource_id=res["id"])
    assert helpers.call_action("resource_show", id=res["id"])["datastore_active"] is False


def test_a_workbook_with_title_lines_and_totals_is_read_and_loaded(publisher, create_with_upload,
                                                                   tmp_path, app):
    header = list(mintrab.HEADER)
    body = [r for r in csv.reader(io.StringIO(_read("valid.csv").decode()))][1:]
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Portada"
    cover.append(["Ministerio de Trabajo y Previsión Social"])
    cover.append(["Informe mensual de movilidad laboral"])
    sheet = wb.create_sheet("Datos")
    sheet.append(["Informe de movilidad laboral — marzo 2024"])
    sheet.append([])
    sheet.append(header)
    for row in body:
        sheet.append([int(c) if c.isdigit() and len(c) > 2 and not c.startswith("0") else c
                      for c in row])
    sheet.append([])
    sheet.append(["Total", None, None, None, None, None, None, None, None, None, None])
    sheet.append(["Fuente: MINTRAB, Departamento de Movilidad Laboral"])
    path = tmp_path / "informe.xlsx"
    wb.save(path)

    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, path.read_bytes(), "informe.xlsx", "XLSX")
    report = _report(res["id"])
    assert report["valid"] is True, report["errors"]
    assert report["sheet"] == "Datos" and report["header_row"] == 3
    warned = {w["row"] for w in report["warnings"] if w["row"]}
    total_row = 3 + len(body) + 2
    assert {1, total_row, total_row + 1} <= warned | set(report.get("ignored_rows") or [])
    assert any("Portada" in json.dumps(w, ensure_ascii=False) for w in report["warnings"])
    assert report["datastore"]["rows"] == len(body)
    # the report page says what was ignored, in the reader's language
    from bs4 import BeautifulSoup

    page = BeautifulSoup(app.get("/dataset/%s/resource/%s" % (ds["name"], res["id"])).body,
                         "html.parser")
    warnings = page.select_one(".ogp-check-warnings")
    assert warnings is not None and "Leído con advertencias" in warnings.get_text()
    where = [td.get_text(" ", strip=True) for td in warnings.select("tbody tr td:first-child")]
    assert "Fila %d" % total_row in where
    assert "hoja «Datos»" in page.select_one(".ogp-check-read").get_text()


def test_a_sinsan_table_with_a_wrong_type_is_flagged(publisher, create_with_upload):
    ds = _dataset(publisher, "sinsan-nutricion")
    good = _csv([["departamento_codigo", "departamento", "prevalencia_pct"],
                 ["01", "Guatemala", "24.5"], ["13", "Huehuetenango", "67.7"]])
    res = _upload(create_with_upload, publisher, ds, good, "indicador.csv", "CSV")
    report = _report(res["id"])
    assert report["valid"] is True, report["errors"]
    assert report["checker"].startswith("table-schema")
    fields = {f["id"]: f["type"] for f in
              helpers.call_action("datastore_search", resource_id=res["id"])["fields"]}
    assert fields["prevalencia_pct"] == "numeric"

    bad = _csv([["departamento_codigo", "departamento", "prevalencia_pct"],
                ["01", "Guatemala", "24.5"], ["13", "Huehuetenango", "n/d"]])
    res2 = _upload(create_with_upload, publisher, ds, bad, "indicador-mal.csv", "CSV")
    report = _report(res2["id"])
    assert report["valid"] is False
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "prevalencia_pct")]
    assert report["datastore"]["loaded"] is False


def test_any_table_of_any_type_gets_a_quality_report_and_a_preview(publisher, create_with_upload,
                                                                    app):
    ds = _dataset(publisher, "dataset")
    data = _csv([["municipio", "sesiones", "fecha", "participantes"],
                 ["Cobán", "3", "2025-02-10", "45"], ["Jalapa", "2", "2025-03-01", "30"],
                 ["Jalapa", "2", "2025-03-01", "30"]])
    res = _upload(create_with_upload, publisher, ds, data, "sesiones.csv", "CSV")
    report = _report(res["id"])
    assert report["valid"] is True and report["checker"] == "table-quality"
    assert [w["row"] for w in report["warnings"]] == [4]  # the duplicate row
    fields = {f["id"]: f["type"] for f in
              helpers.call_action("datastore_search", resource_id=res["id"])["fields"]}
    assert fields["sesiones"].startswith("int") and fields["municipio"] == "text"

    shown = helpers.call_action("package_show", id=ds["id"])
    page = app.get("/dataset/%s" % ds["name"]).body
    assert 'data-status="warnings"' in page
    assert shown["resources"][0]["ogp_check_status"] == "valid"


def test_a_200000_row_report_is_checked_and_loaded(publisher, create_with_upload, tmp_path):
    path = tmp_path / "grande.csv"
    mintrab.write_large_report(str(path), 200_000)
    ds = _dataset(publisher, "mintrab-movilidad")
    res = _upload(create_with_upload, publisher, ds, path.read_bytes(), "grande.csv", "CSV")
    report = _report(res["id"])
    assert report["valid"] is True, report["errors"][:3]
    assert report["rows"] == 200_000 and report["datastore"]["rows"] == 200_000
    sql = 'SELECT COUNT(*) AS n, MIN(edad) AS youngest FROM "%s"' % res["id"]
    row = helpers.call_action("datastore_search_sql", sql=sql)["records"][0]
    assert int(row["n"]) == 200_000 and 18 <= int(row["youngest"]) < 30
