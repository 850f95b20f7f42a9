"""File checks as background jobs: a write queues the check and returns at
once (status "pending"); a real `ckan jobs worker --burst` (Redis, the test
database) runs it and stores the result. Synchronous mode, the test default,
is covered by test_mintrab_report.py."""
import json
import os
import subprocess
import sys

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, sysadmin_context

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "mintrab")
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")

pytestmark = [
    pytest.mark.ckan_config("ckanext.ogpguatemala.checks_async", "true"),
    pytest.mark.usefixtures("stack", "clean_queues"),
]


def _run_worker(ckan_config):
    """The real jobs worker on the test configuration, until the queue is empty."""
    out = subprocess.run([CKAN, "-c", ckan_config["__file__"], "jobs", "worker", "--burst"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    # what the worker wrote, as the next request would see it (not this
    # process's session, which may hold the rows as they were before)
    model.Session.remove()


@pytest.fixture
def report_dataset(tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", os.path.join(ROOT, ".run", "test-storage"))
    org = factories.Organization(name="mintrab")
    return create(sysadmin_context(), "mintrab-movilidad", name="movilidad-2024-04",
                  owner_org=org["id"])


def _upload(create_with_upload, ds, name):
    with open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    return create_with_upload(data, name, context=sysadmin_context(),
                              package_id=ds["id"], name=name, format="CSV")


def test_upload_is_queued_then_checked_by_the_worker(report_dataset, create_with_upload,
                                                      ckan_config):
    res = _upload(create_with_upload, report_dataset, "valid.csv")
    # returned at once: pending, one job queued, no report yet
    assert res["ogp_check_status"] == "pending"
    assert not res.get("ogp_check_report")
    jobs = helpers.call_action("job_list")
    assert len(jobs) == 1 and res["id"] in jobs[0]["title"]

    _run_worker(ckan_config)

    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["ogp_check_status"] == "valid"
    report = json.loads(shown["ogp_check_report"])
    assert report["valid"] is True and report["rows"] == 12
    assert helpers.call_action("job_list") == []
    # the dataset was indexed again with the result: search results carry it
    found = helpers.call_action("package_search", fq="name:movilidad-2024-04")["results"]
    assert found[0]["resources"][0]["ogp_check_status"] == "valid"


def test_invalid_upload_is_flagged_by_the_worker(report_dataset, create_with_upload, ckan_config):
    res = _upload(create_with_upload, report_dataset, "missing-sexo.csv")
    assert res["ogp_check_status"] == "pending"
    _run_worker(ckan_config)
    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["ogp_check_status"] == "invalid"
    codes = {e["code"] for e in json.loads(shown["ogp_check_report"])["errors"]}
    assert "missing-label" in codes


def test_editing_other_fields_queues_nothing_more(report_dataset, create_with_upload, ckan_config):
    res = _upload(create_with_upload, report_dataset, "valid.csv")
    helpers.call_action("package_patch", context=sysadmin_context(), id=report_dataset["id"],
                        title="Movilidad laboral, abril de 2024")
    assert len(helpers.call_action("job_list")) == 1  # the upload's job only
    _run_worker(ckan_config)
    helpers.call_action("package_patch", context=sysadmin_context(), id=report_dataset["id"],
                        title="Movilidad laboral, abril 2024")
    assert helpers.call_action("job_list") == []
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_status"] == "valid"


def test_recheck_action_queues_a_job(report_dataset, create_with_upload, ckan_config):
    res = _upload(create_with_upload, report_dataset, "valid.csv")
    _run_worker(ckan_config)
    out = helpers.call_action("ogp_resource_check", context=sysadmin_context(), id=res["id"])
    assert out["status"] == "pending" and out["job_id"]
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_status"] == "pending"
    _run_worker(ckan_config)
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_status"] == "valid"


def test_clients_cannot_forge_the_pending_state(report_dataset, create_with_upload, ckan_config):
    res = _upload(create_with_upload, report_dataset, "valid.csv")
    _run_worker(ckan_config)
    helpers.call_action("resource_patch", context=sysadmin_context(), id=res["id"],
                        ogp_check_status="pending", ogp_check_report="{}")
    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["ogp_check_status"] == "valid"
    assert json.loads(shown["ogp_check_report"])["valid"] is True
    with pytest.raises(tk.ValidationError):
        helpers.call_action("ogp_resource_check", context=sysadmin_context(), id="")


TYPES = ["dataset", "sinsan-nutricion", "mintrab-movilidad", "conamigua-informe", "oc4ids-proyecto"]


def _checked_link(dataset_type):
    """A linked resource the type's checks apply to."""
    if dataset_type == "oc4ids-proyecto":
        return {"name": "Proyecto", "format": "JSON", "url": "http://127.0.0.1:9/proyecto.json"}
    return {"name": "Datos", "format": "CSV", "url": "http://127.0.0.1:9/datos.csv"}


@pytest.mark.parametrize("dataset_type", TYPES)
def test_a_client_cannot_mark_its_own_file_checked(dataset_type):
    """No type takes a check's result from the client: a claimed "valid"
    with the link's own fingerprint is replaced by a queued check."""
    org = factories.Organization()
    link = _checked_link(dataset_type)
    forged = dict(link, ogp_check_status="valid", ogp_check_report='{"valid": true}',
                  ogp_check_fingerprint="url:" + link["url"])
    ds = create(sysadmin_context(), dataset_type, name="falsificado", owner_org=org["id"],
                resources=[forged])
    res = ds["resources"][0]
    assert res["ogp_check_status"] == "pending"
    assert not res.get("ogp_check_report")
    assert [j["title"] for j in helpers.call_action("job_list")] == [
        "ogpguatemala: check resource %s" % res["id"]]


@pytest.mark.parametrize("dataset_type", TYPES)
def test_a_new_link_is_queued_by_the_write_itself(dataset_type):
    """A linked file is marked pending in the dataset's own write: one
    version of the dataset (one activity), the search index already says
    pending, one job; editing other fields queues nothing more, changing
    the link queues it again."""
    org = factories.Organization()
    ds = create(sysadmin_context(), dataset_type, name="enlazado", owner_org=org["id"],
                resources=[_checked_link(dataset_type)])
    res = ds["resources"][0]
    assert res["ogp_check_status"] == "pending"
    assert res["ogp_check_fingerprint"] == "url:" + res["url"]
    assert len(helpers.call_action("package_activity_list", id=ds["id"])) == 1
    found = helpers.call_action("package_search", fq="name:enlazado")["results"]
    assert found[0]["resources"][0]["ogp_check_status"] == "pending"
    assert len(helpers.call_action("job_list")) == 1

    helpers.call_action("package_patch", context=sysadmin_context(), id=ds["id"], title="Otro título")
    assert len(helpers.call_action("job_list")) == 1
    shown = helpers.call_action("package_show", id=ds["id"])
    moved = dict(shown["resources"][0], url=res["url"].replace("127.0.0.1:9", "127.0.0.1:10"))
    helpers.call_action("package_patch", context=sysadmin_context(), id=ds["id"], resources=[moved])
    jobs = helpers.call_action("job_list")
    assert len(jobs) == 2 and all(res["id"] in j["title"] for j in jobs)
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_fingerprint"] == \
        "url:" + moved["url"]
