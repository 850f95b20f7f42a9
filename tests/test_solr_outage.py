"""Solr outage: with Solr stopped, writes fail with a clear 503 and change
nothing, pages that need search say that search is unavailable, and after
Solr returns `ckan search-index rebuild` makes search match the database.

These tests stop a Solr, so they run their own: a second Solr started by
the project's script (services/solr.sh with OGP_SOLR_PORT=8984 and its own
home and core), which the rest of the suite never uses.
"""
import os
import subprocess

import pytest

import ckan.model as model
import ckan.tests.helpers as helpers

from tests.conftest import ROOT, service_script
from tests.helpers import make_people, spanish, valid

PORT = os.environ.get("OGP_OUTAGE_SOLR_PORT", "8984")
CORE = "ckan_outage"
SOLR_URL = "http://127.0.0.1:%s/solr/%s" % (PORT, CORE)
ENV = dict(os.environ, OGP_SOLR_PORT=PORT, OGP_SOLR_HOME=os.path.join(ROOT, ".run", "solr-outage"),
           OGP_SOLR_CORES=CORE, OGP_SOLR_HEAP="256m")

READ = "The search service is not available right now. Try again in a few minutes."
WRITE = ("The search service is not available right now, so nothing was saved. "
         "Try again in a few minutes.")

pytestmark = [pytest.mark.ckan_config("solr_url", SOLR_URL),
              pytest.mark.usefixtures("outage_solr", "stack")]


def solr(*args):
    service_script("solr.sh", *args, env=ENV)


@pytest.fixture(scope="module")
def outage_solr():
    solr("start")
    yield
    solr("stop")


@pytest.fixture
def people():
    return make_people()


def _api(app, action, token, lang="", **data):
    response = app.post("%s/api/3/action/%s" % (lang, action), json=data,
                        headers={"Authorization": token})
    return response.status_code, response.json, response.headers


def _row(name):
    """The dataset as stored in PostgreSQL (None if it is not there)."""
    model.Session.remove()
    pkg = model.Package.get(name)
    if pkg is None:
        return None
    return {"title": pkg.title, "notes": pkg.notes, "modified": pkg.metadata_modified,
            "resources": sorted(r.name for r in pkg.resources), "state": pkg.state}


def test_writes_fail_with_503_and_change_nothing(app, people):
    editor = people["users"]["editor_a"]
    org = people["org_a"]
    existing = helpers.call_action("package_create", context={"user": editor["name"]},
                                   **valid("sinsan-nutricion", name="antes-del-corte",
                                           owner_org=org["id"]))
    before = _row("antes-del-corte")
    solr("stop")
    try:
        status, body, headers = _api(app, "package_create", editor["token"],
                                     **valid("dataset", name="durante-el-corte",
                                             owner_org=org["id"]))
        assert status == 503, body
        assert headers["Retry-After"]
        assert body["error"]["message"] == spanish(WRITE)
        assert _row("durante-el-corte") is None

        # an update, a patch and a new resource of the existing dataset
        changed = dict(existing, title="Título cambiado durante el corte")
        for action, data in (("package_update", changed),
                             ("package_patch", {"id": existing["id"], "notes": "cambiadas"}),
                             ("resource_create", {"package_id": existing["id"],
                                                  "name": "recurso-del-corte",
                                                  "url": "http://127.0.0.1:9/x.csv"})):
            status, body, _ = _api(app, action, editor["token"], **data)
            assert status == 503, (action, body)
            assert _row("antes-del-corte") == before, action

        # English callers get the English message
        status, body, _ = _api(app, "package_patch", editor["token"], lang="/en",
                               id=existing["id"], notes="changed")
        assert (status, body["error"]["message"]) == (503, WRITE)

        # reading one dataset needs no search; searching answers 503
        status, body, _ = _api(app, "package_show", editor["token"], id="antes-del-corte")
        assert status == 200 and body["result"]["title"] == existing["title"]
        status, body, _ = _api(app, "package_search", editor["token"], q="nutricion")
        assert (status, body["error"]["message"]) == (503, spanish(READ))
    finally:
        solr("start")
    # back up: the same write succeeds, and search finds it
    status, body, _ = _api(app, "package_create", editor["token"],
                           **valid("dataset", name="durante-el-corte", owner_org=org["id"]))
    assert status == 200, body
    found = helpers.call_action("package_search", q="name:durante-el-corte")
    assert found["count"] == 1


PAGES = ("/", "/dataset/", "/sinsan-nutricion/", "/compromisos", "/compromisos/PAN6-C2",
         "/observatorio", "/organization/sesan", "/catalog.ttl")


def test_pages_that_search_say_it_is_unavailable(app, people):
    helpers.call_action("package_create", context={"user": people["users"]["editor_a"]["name"]},
                        **valid("dataset", name="visible-sin-buscador",
                                owner_org=people["org_a"]["id"]))
    solr("stop")
    try:
        for lang, message in (("", spanish(READ)), ("/en", READ)):
            for page in PAGES:
                response = app.get(lang + page)
                assert response.status_code == 503, lang + page
                assert response.headers["Retry-After"], page
                assert message in response.get_data(as_text=True), lang + page
            # a dataset's own page does not need search
            response = app.get(lang + "/dataset/visible-sin-buscador")
            assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    finally:
        solr("start")


def test_rebuild_restores_search_after_the_index_is_lost(app, people, request, tmp_path):
    editor = people["users"]["editor_a"]
    names = ["reconstruir-%d" % i for i in range(6)]
    for name in names:
        helpers.call_action("package_create", context={"user": editor["name"]},
                            **valid("dataset", name=name, owner_org=people["org_a"]["id"],
                                    private=name.endswith("5")))
    # Solr comes back with an empty index (its disk was replaced)
    solr("clear", CORE)
    assert helpers.call_action("package_search", q="*:*", include_private=True)["count"] == 0

    ini = tmp_path / "outage.ini"
    ini.write_text("[app:main]\nuse = config:%s\nsolr_url = %s\n"
                   % (os.path.abspath(request.config.getoption("ckan_ini")), SOLR_URL))
    out = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ckan"), "-c", str(ini),
                          "search-index", "rebuild"], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]

    model.Session.remove()
    in_db = {p.name for p in model.Session.query(model.Package).filter_by(state="active")}
    context = {"user": editor["name"]}
    found = helpers.call_action("package_search", context=context, q="*:*",
                                include_private=True, rows=1000)
    assert {d["name"] for d in found["results"]} == in_db == set(names)
    # the index holds each dataset's latest version
    for result in found["results"]:
        stored = helpers.call_action("package_show", context=context, id=result["id"])
        assert result["metadata_modified"] == stored["metadata_modified"]
    # and the private one is still private
    anonymous = helpers.call_action("package_search", context={"user": ""}, q="*:*", rows=1000)
    assert "reconstruir-5" not in {d["name"] for d in anonymous["results"]}
