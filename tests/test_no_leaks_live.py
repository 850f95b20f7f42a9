"""The no-leaks crawl of every page, over HTTP against the live portal.

The live test portal (`services/ckan.sh live-test`: gunicorn, a jobs worker,
the plan's institutions and the demo data) gets, through its API, what
tests/test_no_leaks.py builds in-process: organization A (``sesan``) holds a
private dataset of every type, a private series with a public release, a
draft, a private harvest source, a DataStore table and a resource view, all
carrying secret words. Then every GET route the application registers is
requested over HTTP, with those objects' names and ids as arguments, as
anonymous and as an editor of organization B (see OUTSIDERS). No answer may
carry a secret or be a 5xx (the instance's .run/log/live-test-web.log has the
traceback of any). The objects are purged afterwards, so the other tests of
the live portal never see them.
"""
import json
import os
import time

import pytest
import requests

from tests.helpers import valid
from tests.test_no_leaks import EXTRA_URLS, OUTSIDERS, SECRETS, TYPES, _leaks, _route_urls, \
    secret_data


def _user(api, name, org=None, role=None):
    user = api.action.user_create(name=name, email=name + "@example.gob.gt",
                                  password="Clave-segura-%s-1" % name)
    if org:
        api.action.organization_member_create(id=org, username=name, role=role)
    user["token"] = api.action.api_token_create(user=name, name="crawl")["token"]
    return user


@pytest.fixture(scope="module")
def live_world(portal):
    from ckanapi import RemoteCKAN

    import ckan.tests.helpers as helpers

    admin = portal["api"]
    org_a = admin.action.organization_show(id="sesan")
    users = {"anonymous": None,
             "editor_a": _user(admin, "fuga-editor-a", "sesan", "editor"),
             "admin_a": _user(admin, "fuga-admin-a", "sesan", "admin"),
             "editor_b": _user(admin, "fuga-editor-b", "mintrab", "editor")}
    editor = RemoteCKAN(portal["url"], apikey=users["editor_a"]["token"])
    created = []

    def make(**data):
        # CKAN ignores ``state`` from an editor (only package admins and
        # sysadmins set it through the API): the draft comes from a sysadmin
        client = admin if data.get("state") == "draft" else editor
        dataset = client.action.package_create(**data)
        created.append(dataset["id"])
        return dataset

    series = make(**valid("dataset", type="dataset_series", name="serie-secreta-live",
                          owner_org=org_a["id"], private=True,
                          title="Serie %s" % SECRETS["series"],
                          notes="Serie interna %s" % SECRETS["series"],
                          series_order_field="temporal_start"))
    datasets = []
    for dataset_type in TYPES + ("draft",):
        if dataset_type == "draft":
            data = secret_data("dataset", org_a["id"], "secreto-live-draft", private=False,
                               state="draft", title="Borrador %s" % SECRETS["draft"])
        else:
            data = secret_data(dataset_type, org_a["id"], "secreto-live-" + dataset_type)
            if "oc4ids_id" in data:
                data["oc4ids_id"] = "oc4ids-gt0001-secreto-live"
        datasets.append(make(**data))
    make(**valid("dataset", name="entrega-publica-live", owner_org=org_a["id"],
                 in_series=[series["name"]], title="Entrega publica"))
    resource = datasets[0]["resources"][0]
    editor.action.datastore_create(resource_id=resource["id"], force=True,
                                   fields=[{"id": "texto", "type": "text"}],
                                   records=[{"texto": SECRETS["table"]}])
    view = editor.action.resource_view_create(resource_id=resource["id"],
                                              view_type="datatables_view",
                                              title=SECRETS["view"],
                                              description=SECRETS["view"])
    source = RemoteCKAN(portal["url"], apikey=users["admin_a"]["token"]).action \
        .harvest_source_create(name="cosecha-secreta-live", title="Cosecha %s" % SECRETS["harvest"],
                               notes=SECRETS["harvest"], source_type="dcat_rdf",
                               url="http://127.0.0.1:9/%s.ttl" % SECRETS["harvest"],
                               owner_org=org_a["id"], private=True)
    created.append(source["id"])
    # the jobs worker checks the new resources (their links fail): let it
    # finish, so that the crawl reads datasets that no longer change
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(
            r.get("ogp_check_status") == "pending" for d in datasets
            for r in editor.action.package_show(id=d["id"]).get("resources", [])):
        time.sleep(1)
    activity = editor.action.package_activity_list(id=datasets[0]["id"])[0]
    datasets = [editor.action.package_show(id=d["id"]) for d in datasets]
    try:
        yield {"url": portal["url"], "org_a": org_a, "users": users, "datasets": datasets,
               "series": series, "resource": resource, "view": view, "source": source,
               "activity": activity,
               # the routes come from the same application, built in-process
               "app": helpers._get_test_app()}
    finally:
        for pkg_id in reversed(created):
            admin.action.dataset_purge(id=pkg_id)


def _session(world, role):
    session = requests.Session()
    user = world["users"][role]
    if user:
        session.headers["Authorization"] = user["token"]
    return session


# Requests in flight at once: the live portal runs 2 gunicorn workers, and
# the crawl spends its time waiting for them (OGP_CRAWL_PARALLEL to stress it).
PARALLEL = int(os.environ.get("OGP_CRAWL_PARALLEL", "3"))


def test_no_page_of_the_live_portal_reveals_a_secret(live_world, capsys):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    urls = list(_route_urls(live_world)) + [("extra", u) for u in EXTRA_URLS]
    local = threading.local()

    def fetch(job):
        role, endpoint, url = job
        sessions = getattr(local, "sessions", None)
        if sessions is None:
            sessions = local.sessions = {r: _session(live_world, r) for r in OUTSIDERS}
        response = sessions[role].get(live_world["url"] + url, allow_redirects=False,
                                      timeout=120)
        problems = []
        if response.status_code >= 500:
            # the instance's log (.run/log/live-test-web.log) has the traceback
            problems.append("%s %s %s: HTTP %s" % (role, endpoint, url, response.status_code))
        leaked = _leaks(response.text + json.dumps(dict(response.headers)), url)
        if leaked:
            problems.append("%s %s %s: %s" % (role, endpoint, url, ", ".join(leaked)))
        return response.status_code, problems

    jobs = [(role, endpoint, url) for role in OUTSIDERS for endpoint, url in urls]
    problems, statuses = [], {}
    with ThreadPoolExecutor(PARALLEL) as pool:
        for status, found in pool.map(fetch, jobs):
            statuses[status] = statuses.get(status, 0) + 1
            problems += found
    with capsys.disabled():
        print("\ncrawled %d page requests over HTTP (%d URLs x %d users, %d in flight); "
              "statuses %s" % (len(jobs), len(urls), len(OUTSIDERS), PARALLEL, statuses))
    assert not problems, "\n".join(problems)


def test_the_live_crawl_reaches_the_secrets_when_allowed(live_world):
    """The same portal shows the secrets to organization A's editor, so the
    outsiders' silence is not a crawl that never reached them."""
    session = _session(live_world, "editor_a")
    seen = set()
    for url in ("/dataset/secreto-live-sinsan-nutricion", "/dataset/?q=%s" % SECRETS["title"],
                "/dataset_series/serie-secreta-live", "/harvest/cosecha-secreta-live",
                "/api/2/util/tag/autocomplete?incomplete=zorvak",
                "/dataset/secreto-live-draft"):
        response = session.get(live_world["url"] + url, timeout=60)
        assert response.status_code == 200, url
        seen |= set(_leaks(response.text, ""))
    assert {SECRETS["title"], SECRETS["notes"], SECRETS["tag"], SECRETS["series"],
            SECRETS["harvest"], SECRETS["draft"]} <= seen
