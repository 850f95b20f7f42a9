"""No private or draft dataset reaches anyone outside its organization.

Organization A (``sesan``) holds a private dataset of every type, a private
dataset series with a public release, a draft, a private harvest source, a
DataStore table and a resource view, each carrying unique secret words in
its title, notes, tags, resource names and a field of its own type. Then
every action is called as anonymous and as an editor of organization B, with the secret datasets'
names, ids, resources, views and activities in its arguments and searches
that would match them. Nothing may answer with a secret word or a 500.

Every GET route is crawled the same way over HTTP against the live portal
(tests/test_no_leaks_live.py, which uses the URLs built here). The routes
and actions come from the running application, so a route or action added
later (by CKAN, an extension or us) is crawled too.
"""
import json
import re
import urllib.parse

import pytest

import ckan.tests.helpers as helpers

from tests.conftest import fresh_site
from tests.helpers import make_people, valid

SECRETS = {
    "title": "zorvaktitulo", "notes": "zorvaknotas", "tag": "zorvaketiqueta",
    "resource": "zorvakrecurso", "field": "zorvakcampo", "table": "zorvaktabla",
    "view": "zorvakvista", "series": "zorvakserie", "draft": "zorvakborrador",
    "harvest": "zorvakcosecha", "format": "zorvakformato",
}
FOUND = re.compile("|".join(SECRETS.values()), re.I)

# A free-text field of each type's own, where a secret also goes.
DOMAIN_FIELD = {
    "dataset": "provenance", "sinsan-nutricion": "indicator",
    "mintrab-movilidad": "source_register", "conamigua-informe": "provenance",
    "oc4ids-proyecto": "purpose",
}
TYPES = tuple(DOMAIN_FIELD)

# The people outside organization A (who must see nothing of it): nobody
# logged in, and organization B's editor. A registered user without
# organization is not crawled again: CKAN gives them a subset of what B's
# editor gets (the "public" and "creator-<id>" permission labels, no
# organization), and the access matrix tests them operation by operation.
OUTSIDERS = ("anonymous", "editor_b")

# Routes not crawled, and why.
SKIPPED_ENDPOINTS = {
    "api.action": "every action is called by test_no_action_reveals_a_secret",
    "static": "the application's static files",
    "webassets.index": "compiled JavaScript and CSS",
}


def secret_data(dataset_type, org_id, name, **extra):
    """A valid private dataset of ``dataset_type`` in ``org_id`` carrying the
    secrets in its title, notes, tag, resource and own field."""
    data = valid(dataset_type, name=name, owner_org=org_id, private=True,
                 title="Datos %s %s" % (SECRETS["title"], dataset_type),
                 notes="Notas internas: %s." % SECRETS["notes"],
                 tags=[{"name": SECRETS["tag"]}],
                 resources=[{"name": SECRETS["resource"], "format": SECRETS["format"],
                             "description": SECRETS["resource"],
                             "url": "http://127.0.0.1:9/%s.csv" % SECRETS["resource"]}])
    data[DOMAIN_FIELD[dataset_type]] = "Fuente %s" % SECRETS["field"]
    data.update(extra)
    return data


def _secret_dataset(dataset_type, org, user, **extra):
    name = extra.pop("name", "secreto-" + dataset_type)
    data = secret_data(dataset_type, org["id"], name, **extra)
    return helpers.call_action("package_create", context={"user": user["name"]}, **data)


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for):
    fresh_site(reset_db, migrate_db_for)
    people = make_people()
    org_a, users = people["org_a"], people["users"]
    editor = users["editor_a"]
    as_editor = {"user": editor["name"]}
    series = helpers.call_action(
        "package_create", context=dict(as_editor),
        **valid("dataset", type="dataset_series", name="serie-secreta", owner_org=org_a["id"],
                private=True, title="Serie %s" % SECRETS["series"],
                notes="Serie interna %s" % SECRETS["series"], series_order_field="temporal_start"))
    datasets = [_secret_dataset(t, org_a, editor) for t in TYPES]
    datasets.append(_secret_dataset("dataset", org_a, editor, name="secreto-borrador",
                                    private=False, state="draft",
                                    title="Borrador %s" % SECRETS["draft"]))
    public_release = helpers.call_action(
        "package_create", context=dict(as_editor),
        **valid("dataset", name="entrega-publica", owner_org=org_a["id"],
                in_series=[series["name"]], title="Entrega publica"))
    # a DataStore table and a view of the private general dataset's file
    resource = datasets[0]["resources"][0]
    helpers.call_action("datastore_create", context=dict(as_editor), resource_id=resource["id"],
                        force=True, fields=[{"id": "texto", "type": "text"}],
                        records=[{"texto": SECRETS["table"]}])
    view = helpers.call_action("resource_view_create", context=dict(as_editor),
                               resource_id=resource["id"], view_type="datatables_view",
                               title=SECRETS["view"], description=SECRETS["view"])
    source = helpers.call_action(
        "harvest_source_create", context={"user": users["admin_a"]["name"]},
        name="cosecha-secreta", title="Cosecha %s" % SECRETS["harvest"],
        notes=SECRETS["harvest"], url="http://127.0.0.1:9/%s.ttl" % SECRETS["harvest"],
        source_type="dcat_rdf", owner_org=org_a["id"], private=True)
    activities = helpers.call_action("package_activity_list", context={"ignore_auth": True},
                                     id=datasets[0]["id"])
    datasets = [helpers.call_action("package_show", context={"ignore_auth": True}, id=d["id"])
                for d in datasets]
    return dict(people, datasets=datasets, series=series, release=public_release,
                resource=resource, view=view, source=source, activity=activities[0],
                app=helpers._get_test_app())


def _leaks(text, request_text):
    """The secret words in ``text`` that the request itself did not carry."""
    asked = request_text.lower()
    return sorted({m.group(0).lower() for m in FOUND.finditer(text)} - {
        s for s in SECRETS.values() if s in asked})


def _headers(world, role):
    user = world["users"][role]
    return {"Authorization": user["token"]} if user else {}


# --- routes -----------------------------------------------------------------

def _subjects(world, first_segment):
    """Argument values for the routes under ``/<first_segment>/``."""
    org = world["org_a"]["name"]
    common = {"lang": "es", "ver": "3", "path": "x", "token": "x", "storage_name": "x",
              "location": "x", "code": "PAN6-C2", "name": org, "source": world["source"]["name"]}
    datasets = []
    for d in world["datasets"] + [world["series"]]:
        res = d["resources"][0] if d.get("resources") else {}
        datasets.append(dict(common, type=d["type"], id=d["name"], _id=d["name"],
                             resource_id=res.get("id", "x"),
                             view_id=world["view"]["id"] if res.get("id") == world["resource"]["id"]
                             else "x", activity_id=world["activity"]["id"],
                             filename=SECRETS["resource"] + ".csv"))
    datasets.append(dict(datasets[0], id=world["datasets"][0]["id"], _id=world["datasets"][0]["id"]))
    if first_segment in ("organization", "group", "feeds"):
        return [dict(common, id=org)]
    if first_segment == "user":
        return [dict(common, id=world["users"][r]["name"]) for r in ("editor_a", "admin_a")]
    if first_segment == "harvest":
        return [dict(common, id=world["source"]["name"]), dict(common, id=world["source"]["id"])]
    if first_segment in ("compromisos", "observatorio"):
        return [dict(common, code=c, filename=f) for c, f in (
            ("PAN6-C1", "commitments.csv"), ("PAN6-C2", "milestones.json"),
            ("PAN6-C3", "institutions.csv"), ("PAN6-C4", "timeliness.csv"),
            ("PAN6-C6", "publications.json"), ("PAN6-C2-H1", "timeliness.json"))]
    if first_segment == "dataset":
        return datasets
    typed = [d for d in datasets if d["type"] == first_segment]
    return typed or datasets + [dict(common, id=org)]


ARG = re.compile(r"<(?:[^:>]+:)?([a-z_]+)(?:\([^)]*\))?>")


def _route_urls(world):
    flask_app = world["app"].flask_app
    seen = set()
    for rule in sorted(flask_app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        path = rule.rule
        if not rule.arguments:
            urls = [path, path + "?q=%s&incomplete=zorvak" % SECRETS["notes"],
                    path + "?tags=%s&res_format=%s" % (SECRETS["tag"], SECRETS["format"])]
        else:
            segment = path.strip("/").split("/")[0]
            urls = []
            for values in _subjects(world, segment):
                url = ARG.sub(lambda m: urllib.parse.quote(str(values.get(m.group(1), "x")), safe=""),
                              path)
                urls.append(url)
                if "<_format>" in path:
                    urls += [url.rsplit(".", 1)[0] + "." + f for f in ("ttl", "jsonld", "xml")]
        for url in urls:
            if url not in seen:
                seen.add(url)
                yield rule.endpoint, url


EXTRA_URLS = (
    "/dataset/?q=organization:sesan",
    "/dataset/?q=*:*&sort=metadata_modified+desc",
    "/catalog.ttl?modified_since=2000-01-01",
    "/catalog.jsonld?q=%s" % SECRETS["notes"],
    "/observatorio/datos/timeliness.csv?organization=sesan",
    "/observatorio/datos/publications.json?organization=sesan",
    "/observatorio/institucion/sesan",
    "/oc4ids/paquete.json?organization=sesan",
    "/api/2/util/tag/autocomplete?incomplete=zorvak",
    "/api/2/util/resource/format_autocomplete?incomplete=zorvak",
    "/api/2/util/dataset/autocomplete?incomplete=secreto",
)


# --- actions ----------------------------------------------------------------

# Words in an action's name that mark it as writing something.
WRITES = re.compile(r"create|update|patch|delete|purge|revoke|clear|abort|run|import|follow|"
                    r"reorder|revise|invite|send|submit|hook|mark|register|rename|pin|transfer|"
                    r"scan|reindex|cancel|check|assessment_create|bulk", re.I)


def _action_params(world):
    ds = world["datasets"]
    res = world["resource"]["id"]
    ids = [d["id"] for d in ds] + [d["name"] for d in ds[:2]] + [
        world["series"]["id"], res, world["view"]["id"], world["activity"]["id"],
        world["org_a"]["id"], world["source"]["id"], world["users"]["editor_a"]["name"]]
    params = [{}] + [{"id": i, "include_datasets": True, "include_private": True,
                      "include_drafts": True, "all_fields": True} for i in ids]
    params += [
        {"resource_id": res}, {"resource_id": "_table_metadata"},
        {"sql": 'SELECT * FROM "%s"' % res}, {"sql": 'SELECT * FROM "_table_metadata"'},
        {"q": SECRETS["notes"], "include_private": True, "include_drafts": True},
        {"q": "zorvak", "query": "zorvak", "incomplete": "zorvak"},
        {"fq": "organization:sesan", "include_private": True, "rows": 1000},
        {"id": world["org_a"]["id"], "object_type": "package"},
        {"source_id": world["source"]["id"]}, {"organization": "sesan"},
        {"all_fields": True, "limit": 1000}, {"vocabulary_id": "x"},
    ]
    return params


def test_no_action_reveals_a_secret(world):
    from ckan.logic import _actions

    app = world["app"]
    names = sorted(_actions)
    params = _action_params(world)
    problems, calls, statuses = [], 0, {}
    for role in OUTSIDERS:
        headers = dict(_headers(world, role), **{"Content-Type": "application/json"})
        for name in names:
            for data in (params[:2] if WRITES.search(name) else params):
                body = json.dumps(data)
                calls += 1
                try:
                    response = app.post("/api/3/action/" + name, data=body, headers=headers)
                except Exception as error:  # the test client re-raises what would be a 500
                    problems.append("%s %s %s: HTTP 500 %r" % (role, name, body, error))
                    continue
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                text = response.get_data(as_text=True)
                if response.status_code >= 500:
                    problems.append("%s %s %s: HTTP %s %s" % (role, name, body,
                                                             response.status_code, text[:200]))
                leaked = _leaks(text, body)
                if leaked:
                    problems.append("%s %s %s: %s" % (role, name, body, ", ".join(leaked)))
    print("called %d actions %d times; statuses %s" % (len(names), calls, statuses))
    assert not problems, "\n".join(problems)
    # nothing the outsiders did changed organization A's private datasets
    for before in world["datasets"]:
        after = helpers.call_action("package_show", context={"ignore_auth": True}, id=before["id"])
        assert after["metadata_modified"] == before["metadata_modified"], after["name"]
