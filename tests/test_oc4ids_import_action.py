"""`ogp_oc4ids_import`: an OC4IDS package at a URL imported by a publisher
through the API — at once (the test default) or as a background job run by
a real `ckan jobs worker --burst` — with its state recorded for
`ogp_oc4ids_import_show` / `_list`. The package is served by a local HTTP
server on 127.0.0.1."""
import os
import subprocess
import sys

import pytest

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import FileServer, spanish

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "oc4ids")
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")


@pytest.fixture
def setup(stack, clean_queues, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", os.path.join(ROOT, ".run", "test-storage"))
    editor = factories.User()
    other = factories.User()
    org = factories.Organization(name="cost-guatemala",
                                 users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(name="otra", users=[{"name": other["name"], "capacity": "editor"}])
    with FileServer(DATA) as server:
        yield {"editor": editor, "other": other, "org": org, "server": server}


def _call(user, **data):
    return helpers.call_action("ogp_oc4ids_import", context={"user": user["name"],
                                                             "ignore_auth": False}, **data)


def _request(setup, **over):
    data = {"source": setup["server"] + "/example.json", "organization": "cost-guatemala",
            "milestone": "pan6-c3-h1"}
    data.update(over)
    return data


def test_import_now_creates_the_projects_and_records_the_summary(setup):
    out = _call(setup["editor"], **_request(setup))
    assert out["state"] == "done", out
    assert out["summary"]["created"] == ["oc4ids-bu3kcz-m75-junctions-4-to-5-smart-motorway"]
    assert out["summary"]["rejected"] == []
    ds = helpers.call_action("package_show", id=out["summary"]["created"][0])
    assert ds["owner_org"] == setup["org"]["id"] and ds["ogp_milestones"] == ["PAN6-C3-H1"]
    assert ds["contact_email"] == "datos@cost-guatemala.gob.gt"
    assert ds["resources"][0]["ogp_check_status"] == "valid"
    listed = helpers.call_action("ogp_oc4ids_import_list", context={"user": setup["editor"]["name"],
                                                                    "ignore_auth": False},
                                 organization="cost-guatemala")
    assert [i["id"] for i in listed] == [out["id"]]


@pytest.mark.ckan_config("ckanext.ogpguatemala.checks_async", "true")
def test_import_of_a_url_runs_in_the_jobs_worker(setup, ckan_config):
    out = _call(setup["editor"], **_request(setup))
    assert out["state"] == "pending"
    assert helpers.call_action("package_search", fq="dataset_type:oc4ids-proyecto")["count"] == 0
    assert len(helpers.call_action("job_list")) == 1
    run = subprocess.run([CKAN, "-c", ckan_config["__file__"], "jobs", "worker", "--burst"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    shown = helpers.call_action("ogp_oc4ids_import_show", context={
        "user": setup["editor"]["name"], "ignore_auth": False}, id=out["id"])
    assert shown["state"] == "done", shown
    assert shown["summary"]["created"] == ["oc4ids-bu3kcz-m75-junctions-4-to-5-smart-motorway"]
    assert helpers.call_action("package_search", fq="dataset_type:oc4ids-proyecto")["count"] == 1


def test_unreachable_source_ends_in_error_state(setup):
    out = _call(setup["editor"], **_request(setup, source=setup["server"] + "/no-existe.json"))
    assert out["state"] == "error"
    # recorded in the portal's default language (Spanish), whoever reads it
    assert out["error"].startswith(spanish("Could not download %(url)s (%(reason)s)").split("%(")[0])
    assert helpers.call_action("package_search", fq="dataset_type:oc4ids-proyecto")["count"] == 0


@pytest.mark.parametrize("field, value", [
    ("source", "/etc/passwd"),       # no local paths through the API
    ("source", ""),
    ("organization", "no-existe"),
    ("milestone", "PAN6-C3"),        # a commitment, not a milestone
    ("milestone", None),
])
def test_bad_requests_name_the_field_and_change_nothing(setup, field, value):
    data = _request(setup)
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    with pytest.raises(logic.ValidationError) as e:
        _call(setup["editor"], **data)
    assert list(e.value.error_dict) == [field]
    assert helpers.call_action("package_search", fq="dataset_type:oc4ids-proyecto")["count"] == 0


def test_only_publishers_of_the_organization_may_import_or_see_imports(setup):
    with pytest.raises(logic.NotAuthorized):
        _call(setup["other"], **_request(setup))
    with pytest.raises(logic.NotAuthorized):
        helpers.call_action("ogp_oc4ids_import", context={"user": "", "ignore_auth": False},
                            **_request(setup))
    out = _call(setup["editor"], **_request(setup))
    with pytest.raises(logic.NotAuthorized):
        helpers.call_action("ogp_oc4ids_import_show", context={
            "user": setup["other"]["name"], "ignore_auth": False}, id=out["id"])
    with pytest.raises(logic.NotFound):
        helpers.call_action("ogp_oc4ids_import_show", id="no-existe")
