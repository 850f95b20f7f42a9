"""The portal as it is served in production: gunicorn with several workers
and a CKAN jobs worker, started by the project's own scripts
(`services/ckan.sh live-test`) on 127.0.0.1 with their own database, Solr
core and Redis db. Requests go over HTTP with ckanapi, as a publisher's
script or the web UI would send them."""
import json
import os
import time

import requests

from tests.conftest import ROOT
from tests.conftest import service_script as _script
from tests.helpers import valid

DATA = os.path.join(ROOT, "tests", "data", "mintrab")

# The `portal` fixture (the live test portal, shared with test_browser) is in
# tests/conftest.py.


def test_served_by_gunicorn_workers_and_a_jobs_worker(portal):
    status = _script("web.sh", "status", "live-test")
    lines = [line for line in status.splitlines() if line.strip()]
    gunicorn = [line for line in lines if "gunicorn" in line]
    assert len(gunicorn) >= 3, status  # the master and at least two workers
    assert any("jobs worker" in line for line in lines), status
    info = requests.get(portal["url"] + "/api/3/action/status_show", timeout=10).json()["result"]
    assert "ogpguatemala" in info["extensions"]


def test_report_upload_returns_at_once_and_the_job_checks_it(portal):
    api = portal["api"]
    org = api.action.organization_create(name="mintrab-live", title="MINTRAB")
    ds = api.action.package_create(**valid("mintrab-movilidad", name="movilidad-live-2024-03",
                                           owner_org=org["id"]))
    with open(os.path.join(DATA, "valid.csv"), "rb") as f:
        res = api.action.resource_create(package_id=ds["id"], name="Reporte marzo 2024",
                                         format="CSV", upload=f)
    # the upload's own request does not run the check
    assert res["ogp_check_status"] == "pending"

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        shown = api.action.resource_show(id=res["id"])
        if shown["ogp_check_status"] != "pending":
            break
        time.sleep(0.5)
    assert shown["ogp_check_status"] == "valid", shown
    report = json.loads(shown["ogp_check_report"])
    assert report["rows"] == 12 and report["errors"] == []

    # the publisher sees the result on the resource page, in Spanish and English
    page = requests.get("%s/dataset/%s/resource/%s" % (portal["url"], ds["name"], res["id"]),
                        timeout=30)
    assert page.status_code == 200 and "Archivo válido" in page.text
    page = requests.get("%s/en/dataset/%s/resource/%s" % (portal["url"], ds["name"], res["id"]),
                        timeout=30)
    assert "Valid file" in page.text


def test_invalid_report_is_flagged_on_the_live_portal(portal):
    api = portal["api"]
    ds = api.action.package_create(**valid("mintrab-movilidad", name="movilidad-live-2024-04",
                                           reporting_month="2024-04", owner_org="mintrab-live"))
    with open(os.path.join(DATA, "missing-sexo.csv"), "rb") as f:
        res = api.action.resource_create(package_id=ds["id"], name="Reporte abril 2024",
                                         format="CSV", upload=f)
    assert res["ogp_check_status"] == "pending"
    deadline = time.monotonic() + 90
    while api.action.resource_show(id=res["id"])["ogp_check_status"] == "pending":
        assert time.monotonic() < deadline, "the jobs worker did not check the file"
        time.sleep(0.5)
    shown = api.action.resource_show(id=res["id"])
    assert shown["ogp_check_status"] == "invalid"
    page = requests.get("%s/dataset/%s/resource/%s" % (portal["url"], ds["name"], res["id"]),
                        timeout=30)
    assert "Archivo con errores" in page.text and "sexo" in page.text
