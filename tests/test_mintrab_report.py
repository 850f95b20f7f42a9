"""MINTRAB monthly report files: checked against the shipped Table Schema
when they are uploaded or linked, the result stored on the resource and
shown on its page. Real database, Solr and file storage; linked files are
served by a throw-away HTTP server on 127.0.0.1."""
import json
import os

import pytest

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.tabular.messages import TEXTS
from tests.helpers import FileServer, create, sysadmin_context

DATA = os.path.join(os.path.dirname(__file__), "data", "mintrab")


def _read(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


@pytest.fixture
def report_dataset(stack, tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    context = sysadmin_context()
    org = factories.Organization(name="mintrab")
    ds = create(context, "mintrab-movilidad", name="movilidad-2024-03", owner_org=org["id"])
    return {"context": context, "dataset": ds}


@pytest.fixture
def file_server():
    with FileServer(DATA) as server:
        yield server


def _upload(create_with_upload, ds, context, name, fmt="CSV"):
    return create_with_upload(_read(name), name, context=dict(context),
                              package_id=ds["dataset"]["id"], name=name, format=fmt)


def _report(resource):
    assert resource["ogp_check_status"] in ("valid", "invalid")
    return json.loads(resource["ogp_check_report"])


def test_valid_report_passes(report_dataset, create_with_upload):
    res = _upload(create_with_upload, report_dataset, report_dataset["context"], "valid.csv")
    assert res["ogp_check_status"] == "valid"
    report = _report(res)
    assert report["valid"] is True and report["rows"] == 12 and report["errors"] == []
    assert report["checker"] == "mintrab-tableschema"
    # stored: package_show returns it too
    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["ogp_check_status"] == "valid"


def test_windows_1252_with_semicolons_passes(report_dataset, create_with_upload):
    res = _upload(create_with_upload, report_dataset, report_dataset["context"],
                  "valid-cp1252-semicolon.csv")
    report = _report(res)
    assert res["ogp_check_status"] == "valid", report["errors"]
    assert report["encoding"] == "cp1252" and report["delimiter"] == ";"


def test_missing_sexo_column_is_flagged(report_dataset, create_with_upload):
    res = _upload(create_with_upload, report_dataset, report_dataset["context"], "missing-sexo.csv")
    assert res["ogp_check_status"] == "invalid"
    errors = _report(res)["errors"]
    assert any(e["column"] == "sexo" and e["code"] == "missing-label" for e in errors), errors


def test_unknown_cultural_identity_is_flagged_with_row_and_column(report_dataset, create_with_upload):
    res = _upload(create_with_upload, report_dataset, report_dataset["context"], "bad-identidad.csv")
    assert res["ogp_check_status"] == "invalid"
    errors = _report(res)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(5, "identidad_cultural")]
    message = errors[0]["message"]  # a catalogue message, rendered when shown
    assert message["msgid"] == TEXTS["enum"]
    assert message["params"]["value"] == "Indígena" and message["params"]["row"] == 5


def test_invalid_file_is_kept_and_flagged_on_its_page(app, report_dataset, create_with_upload):
    res = _upload(create_with_upload, report_dataset, report_dataset["context"], "bad-identidad.csv")
    page = app.get("/mintrab-movilidad/movilidad-2024-03/resource/%s" % res["id"])
    assert page.status_code == 200
    assert "ogp-check-report" in page.body
    assert "identidad_cultural" in page.body
    dataset_page = app.get("/mintrab-movilidad/movilidad-2024-03")
    assert "ogp-check-invalid" in dataset_page.body


def test_linked_file_is_downloaded_and_checked(report_dataset, file_server):
    res = helpers.call_action(
        "resource_create", context=dict(report_dataset["context"]),
        package_id=report_dataset["dataset"]["id"], url=file_server + "/valid.csv", format="CSV")
    assert res["ogp_check_status"] == "valid"


def test_unreachable_link_is_flagged_not_a_500(report_dataset):
    res = helpers.call_action(
        "resource_create", context=dict(report_dataset["context"]),
        package_id=report_dataset["dataset"]["id"], url="http://127.0.0.1:9/nada.csv", format="CSV")
    assert res["ogp_check_status"] == "invalid"
    assert _report(res)["errors"][0]["code"] == "download-failed"


def test_clients_cannot_forge_the_result(report_dataset, create_with_upload):
    ctx = report_dataset["context"]
    res = _upload(create_with_upload, report_dataset, ctx, "bad-identidad.csv")
    patched = helpers.call_action("resource_patch", context=dict(ctx), id=res["id"],
                                  ogp_check_status="valid",
                                  ogp_check_report=json.dumps({"valid": True, "errors": []}))
    assert patched["ogp_check_status"] == "invalid"
    assert _report(patched)["valid"] is False


def test_recheck_action_and_metadata_edit_keeps_result(report_dataset, file_server):
    ctx = report_dataset["context"]
    res = helpers.call_action("resource_create", context=dict(ctx),
                              package_id=report_dataset["dataset"]["id"],
                              url=file_server + "/valid.csv", format="CSV")
    assert file_server.requests == ["/valid.csv"]
    # a metadata-only edit does not download the file again
    helpers.call_action("package_patch", context=dict(ctx), id=report_dataset["dataset"]["id"],
                        title="Otro título")
    assert file_server.requests == ["/valid.csv"]
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_status"] == "valid"
    # on demand, it does
    again = helpers.call_action("ogp_resource_check", context=dict(ctx), id=res["id"])
    assert again["valid"] is True
    assert file_server.requests == ["/valid.csv", "/valid.csv"]


def test_a_general_table_gets_the_quality_check_and_other_formats_none(stack):
    context = sysadmin_context()
    org = factories.Organization()
    ds = create(context, name="general", owner_org=org["id"],
                resources=[{"url": "http://127.0.0.1:9/x.csv", "format": "CSV"},
                           {"url": "http://127.0.0.1:9/x.pdf", "format": "PDF"},
                           {"url": "http://127.0.0.1:9/x.json", "format": "JSON"}])
    table, pdf, json_file = ds["resources"]
    # every table is checked (here: the link cannot be downloaded)
    assert table["ogp_check_status"] == "invalid"
    report = json.loads(table["ogp_check_report"])
    assert report["checker"] == "table-quality"
    assert report["errors"][0]["code"] == "download-failed"
    # a PDF, and JSON outside the OC4IDS type, have no check
    assert "ogp_check_status" not in pdf and "ogp_check_status" not in json_file


def test_recheck_needs_edit_rights_and_a_known_resource(report_dataset, file_server):
    import ckan.logic as logic

    res = helpers.call_action("resource_create", context=dict(report_dataset["context"]),
                              package_id=report_dataset["dataset"]["id"],
                              url=file_server + "/valid.csv", format="CSV")
    stranger = factories.User()
    with pytest.raises(logic.NotAuthorized):
        helpers.call_action("ogp_resource_check", context={"user": stranger["name"],
                                                           "ignore_auth": False}, id=res["id"])
    with pytest.raises(logic.NotFound):
        helpers.call_action("ogp_resource_check", context=dict(report_dataset["context"]), id="nada")
    with pytest.raises(logic.ValidationError):
        helpers.call_action("ogp_resource_check", context=dict(report_dataset["context"]))
