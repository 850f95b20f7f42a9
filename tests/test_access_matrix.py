"""Who may do what: the access rules of the portal as one table.

Each row is an operation a person can try through the API; each column one
of the seven kinds of people (``tests.helpers.ROLES``): anonymous, a
registered user of no organization, a member, an editor and an admin of
organization A (``sesan``), an editor of organization B (``mintrab``) and a
sysadmin. A cell is one test: the operation run through CKAN's action layer
as that person, allowed or refused exactly as the table says. The table is
also in the README ("Access rules").
"""
import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
import ckan.tests.helpers as helpers

from tests.helpers import ROLES, valid

ALL = set(ROLES)
REGISTERED = ALL - {"anonymous"}
MEMBERS_A = {"member_a", "editor_a", "admin_a", "sysadmin"}
EDITORS_A = {"editor_a", "admin_a", "sysadmin"}
ADMINS_A = {"admin_a", "sysadmin"}
EDITORS_B = {"editor_b", "sysadmin"}
SYSADMIN = {"sysadmin"}


def _as_sysadmin(world):
    return {"user": world["users"]["sysadmin"]["name"], "ignore_auth": False}


def _new(world, org="org_a", dataset_type="dataset", **fields):
    """A fresh dataset of organization A (or B), made by the sysadmin."""
    world["n"] += 1
    data = valid("dataset" if dataset_type == "dataset_series" else dataset_type,
                 name="matriz-%d" % world["n"], owner_org=world[org]["id"], type=dataset_type)
    data.update(fields)
    return helpers.call_action("package_create", context=_as_sysadmin(world), **data)


def _name(world, prefix):
    world["n"] += 1
    return "%s-%d" % (prefix, world["n"])


def _typed(world, dataset_type):
    name = _name(world, "tipo")
    data = valid(dataset_type, name=name, owner_org=world["org_a"]["id"])
    if dataset_type == "oc4ids-proyecto":
        data["oc4ids_id"] = "oc4ids-gt0001-" + name
    return data


def _series(world, org="org_a"):
    return _new(world, org, dataset_type="dataset_series", series_order_field="temporal_start")


def _call(action, ctx, **data):
    return tk.get_action(action)(dict(ctx), data)


def _csv_upload():
    return FileStorage(io.BytesIO(b"a,b\n1,2\n"), filename="datos.csv", content_type="text/csv")


def _mintrab_file(world):
    """A MINTRAB dataset of A with a linked CSV (its resources have a check)."""
    return _new(world, dataset_type="mintrab-movilidad", resources=[
        {"name": "reporte", "format": "CSV", "url": "http://127.0.0.1:9/reporte.csv"}])


def _found_private(world, ctx):
    private = _new(world, private=True)
    found = _call("package_search", ctx, q="name:" + private["name"], include_private=True)
    if not found["count"]:
        raise tk.NotAuthorized("not in the results")


def _datastore_rows(world, ctx):
    ds = _new(world, private=True, resources=[{"name": "t", "url": "http://127.0.0.1:9/t.csv",
                                               "format": "CSV"}])
    rid = ds["resources"][0]["id"]
    helpers.call_action("datastore_create", context=_as_sysadmin(world), resource_id=rid,
                        force=True, fields=[{"id": "a", "type": "int"}], records=[{"a": 1}])
    _call("datastore_search", ctx, resource_id=rid)


def _into_series_of_a(world, ctx):
    """A dataset of B put into a series of A."""
    series = _series(world)
    dataset = _new(world, org="org_b")
    _call("package_patch", ctx, id=dataset["id"], in_series=[series["id"]])


def _harvest_source(world, ctx):
    world["n"] += 1
    _call("harvest_source_create", ctx, name="fuente-%d" % world["n"], title="Fuente",
          url="http://127.0.0.1:9/feed-%d.ttl" % world["n"], source_type="dcat_rdf",
          owner_org=world["org_a"]["id"])


def _harvest_job(world, ctx):
    world["n"] += 1
    source = helpers.call_action(
        "harvest_source_create", context=_as_sysadmin(world), name="fuente-%d" % world["n"],
        title="Fuente", url="http://127.0.0.1:9/feed-%d.ttl" % world["n"],
        source_type="dcat_rdf", owner_org=world["org_a"]["id"])
    _call("harvest_job_create", ctx, source_id=source["id"])


def _xloader(world, ctx):
    resource = _mintrab_file(world)["resources"][0]["id"]
    # xloader refuses to queue without the token its job calls back with
    with helpers.changed_config("ckanext.xloader.api_token", "token-de-prueba"):
        _call("xloader_submit", ctx, resource_id=resource)


def _oc4ids_import(world, ctx):
    _call("ogp_oc4ids_import", ctx, source="http://127.0.0.1:9/paquete.json",
          organization=world["org_a"]["name"], milestone="PAN6-C3-H1")


# (operation, who may, how it is tried). Refusal is NotAuthorized, except
# where the operation names another field-level answer below.
MATRIX = [
    ("create a dataset in A", EDITORS_A,
     lambda w, c: _call("package_create", c, **valid(
         "dataset", name=_name(w, "nuevo"), owner_org=w["org_a"]["id"]))),
    ("create a dataset in B", EDITORS_B,
     lambda w, c: _call("package_create", c, **valid(
         "dataset", name=_name(w, "nuevo-b"), owner_org=w["org_b"]["id"]))),
    ("create a dataset of each extension type in A", EDITORS_A,
     lambda w, c: [_call("package_create", c, **_typed(w, t))
                   for t in ("sinsan-nutricion", "mintrab-movilidad", "conamigua-informe",
                             "oc4ids-proyecto")]),
    ("view a public dataset of A", ALL, lambda w, c: _call("package_show", c, id=_new(w)["id"])),
    ("view a private dataset of A", MEMBERS_A,
     lambda w, c: _call("package_show", c, id=_new(w, private=True)["id"])),
    ("find a private dataset of A in search", MEMBERS_A, _found_private),
    ("view a draft of A", MEMBERS_A,
     lambda w, c: _call("package_show", c, id=_new(w, state="draft")["id"])),
    ("view the activity of a private dataset of A", MEMBERS_A,
     lambda w, c: _call("package_activity_list", c, id=_new(w, private=True)["id"])),
    ("edit a dataset of A", EDITORS_A,
     lambda w, c: _call("package_patch", c, id=_new(w)["id"], title="Nuevo título")),
    ("delete a dataset of A", EDITORS_A, lambda w, c: _call("package_delete", c, id=_new(w)["id"])),
    ("purge a dataset of A", SYSADMIN, lambda w, c: _call("dataset_purge", c, id=_new(w)["id"])),
    ("make a dataset of A private", EDITORS_A,
     lambda w, c: _call("package_patch", c, id=_new(w)["id"], private=True)),
    ("make a private dataset of A public", EDITORS_A,
     lambda w, c: _call("package_patch", c, id=_new(w, private=True)["id"], private=False)),
    ("make datasets of A public in bulk", ADMINS_A,
     lambda w, c: _call("bulk_update_public", c, org_id=w["org_a"]["id"],
                        datasets=[_new(w, private=True)["id"]])),
    ("move a dataset of A to B", SYSADMIN,
     lambda w, c: _call("package_owner_org_update", c, id=_new(w)["id"],
                        organization_id=w["org_b"]["id"])),
    ("upload a file to a dataset of A", EDITORS_A,
     lambda w, c: _call("resource_create", c, package_id=_new(w)["id"], name="subida",
                        format="CSV", url="", upload=_csv_upload())),
    ("link a file to a dataset of A", EDITORS_A,
     lambda w, c: _call("resource_create", c, package_id=_new(w)["id"], name="enlace",
                        format="CSV", url="http://127.0.0.1:9/datos.csv")),
    ("re-run the check of a file of A (ogp_resource_check)", EDITORS_A,
     lambda w, c: _call("ogp_resource_check", c, id=_mintrab_file(w)["resources"][0]["id"])),
    ("load a table of A into the DataStore", EDITORS_A,
     lambda w, c: _call("datastore_create", c, resource_id=_mintrab_file(w)["resources"][0]["id"],
                        force=True, fields=[{"id": "a", "type": "int"}], records=[{"a": 1}])),
    ("read the DataStore rows of a private dataset of A", MEMBERS_A, _datastore_rows),
    ("send a file of A to xloader", EDITORS_A,
     lambda w, c: _xloader(w, c)),
    ("import OC4IDS projects into A", EDITORS_A, _oc4ids_import),
    ("list the OC4IDS imports of A", EDITORS_A,
     lambda w, c: _call("ogp_oc4ids_import_list", c, organization=w["org_a"]["name"])),
    ("create a dataset series in A", EDITORS_A,
     lambda w, c: _call("package_create", c, **valid(
         "dataset", type="dataset_series", name=_name(w, "serie"), owner_org=w["org_a"]["id"],
         series_order_field="temporal_start"))),
    ("put a dataset of B into a series of A", SYSADMIN, _into_series_of_a),
    ("create a harvest source in A", EDITORS_A, _harvest_source),
    ("start a harvest job of a source of A", EDITORS_A, _harvest_job),
    ("add a member to A", ADMINS_A,
     lambda w, c: _call("organization_member_create", c, id=w["org_a"]["id"],
                        username=w["users"]["registered"]["name"], role="member")),
    ("edit organization A", ADMINS_A,
     lambda w, c: _call("organization_patch", c, id=w["org_a"]["id"], description="Nueva")),
    ("create an organization", SYSADMIN,
     lambda w, c: _call("organization_create", c, name=_name(w, "org"), title="Nueva")),
    ("record a milestone assessment", SYSADMIN,
     lambda w, c: _call("ogp_assessment_create", c, milestone="PAN6-C2-H1", value="complete",
                        date="2025-01-15", note="Verificado.")),
    ("read milestone assessments", ALL,
     lambda w, c: _call("ogp_assessment_list", c, milestone="PAN6-C2-H1")),
    ("read the plan, a commitment and a milestone", ALL,
     lambda w, c: (_call("ogp_plan_list", c), _call("ogp_plan_show", c, id="PAN6"),
                   _call("ogp_commitment_show", c, id="PAN6-C2"),
                   _call("ogp_milestone_show", c, id="PAN6-C2-H1"))),
    ("read the observatory", ALL, lambda w, c: _call("ogp_observatory_show", c)),
]

# Operations whose refusal is a field error rather than NotAuthorized: the
# series validator answers on ``in_series`` that the series may not be updated.
REFUSED_WITH = {"put a dataset of B into a series of A": (tk.NotAuthorized, tk.ValidationError)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", [row[0] for row in MATRIX])
def test_access_matrix(world, operation, role):
    allowed, attempt = next((row[1], row[2]) for row in MATRIX if row[0] == operation)
    user = world["users"][role]
    ctx = {"user": user["name"] if user else "", "ignore_auth": False}
    refusals = REFUSED_WITH.get(operation, (tk.NotAuthorized,))
    try:
        attempt(world, ctx)
        outcome = True
    except refusals as error:
        outcome = False
        if isinstance(error, tk.ValidationError):
            assert "in_series" in error.error_dict, error.error_dict
    assert outcome == (role in allowed), "%s as %s: %s" % (
        operation, role, "allowed" if outcome else "refused")


def test_the_matrix_covers_every_action_of_the_extension():
    """Each action this extension adds or chains appears in some row."""
    import inspect

    from ckanext.ogpguatemala.plugin import OgpGuatemalaPlugin
    from ckanext.ogpguatemala.security import errors, listings, uploads

    own = set(OgpGuatemalaPlugin().get_actions())
    listed = " ".join(inspect.getsource(row[2]) for row in MATRIX)
    not_in_table = {
        # reads of an import's state (same rule as the list)
        "ogp_oc4ids_import_show",
        # harvest source update: the same rule as create (package_update)
        "harvest_source_update",
        # CKAN's and the extensions' actions narrowed for privacy or guarded
        # against wrong input: every one is called by test_no_leaks
    } | set(listings.get_actions()) | set(errors.get_actions()) | set(
        # CKAN's upload actions with a clearer size-limit message; who may
        # upload is the "upload or link a file" row
        uploads.get_actions())
    missing = {a for a in own - not_in_table if a not in listed and
               a not in ("package_create", "package_update", "package_show")}
    assert not missing, missing
