"""Hostile input, generated (Hypothesis): wrong types, huge strings, unicode,
nested objects, HTML/JS, Solr syntax and unknown keys, fed to package_create
and package_update of every type, to every action of the extension and to
the query parameters of the extension's pages.

The only outcomes allowed: success with a valid stored dataset, or
ValidationError / NotFound / NotAuthorized with a message; never another
exception (a 500 over HTTP), never a half-written dataset.
"""
import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
import ckan.tests.helpers as helpers
from ckan import model

from tests.helpers import VALID, valid

NASTY = ["*:*", ") OR (", "{!lucene}name:*", "{!func}sum(1,1)", "<script>alert(1)</script>",
         "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "\x00", "\u202e\u0000\ufeff",
         "x" * 20000, "á" * 5000, "../../../../etc/passwd", "%00", "${jndi:ldap://x}",
         "PAN6-C2-H1 OR PAN6-C3-H1", "[]", "{}", "null", "-1", "1e400", "NaN"]
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(NASTY))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                   TEXT)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
ALLOWED = (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized)
TYPES = tuple(VALID)
EXAMPLES = 25
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _ctx(world, role="editor_a"):
    return {"user": world["users"][role]["name"], "ignore_auth": False}


def _fields(dataset_type):
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type)
    return [f["field_name"] for f in schema["dataset_fields"]] + ["unknown_key", "resources",
                                                                  "extras", "groups"]


def _count():
    model.Session.remove()
    return model.Session.query(model.Package).count()


def _check_error(error):
    if isinstance(error, tk.ValidationError):
        assert error.error_dict, "a ValidationError names its fields"
        for key, messages in error.error_dict.items():
            assert messages, key


def _assert_stored_and_valid(world, dataset_type, name):
    """What was stored reads back and passes validation again unchanged."""
    stored = helpers.call_action("package_show", context=_ctx(world), id=name)
    assert stored["type"] == dataset_type
    helpers.call_action("package_update", context=_ctx(world), **stored)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_package_create_with_a_hostile_field(world, dataset_type):
    fields = _fields(dataset_type)

    @SETTINGS
    @given(field=st.sampled_from(fields), value=VALUE)
    def attempt(field, value):
        world["n"] += 1
        name = "hostil-%d" % world["n"]
        data = valid(dataset_type, name=name, owner_org=world["org_a"]["id"])
        if dataset_type == "oc4ids-proyecto":
            data["oc4ids_id"] = "oc4ids-gt0001-" + name
        data[field] = value
        before = _count()
        try:
            helpers.call_action("package_create", context=_ctx(world), **data)
        except ALLOWED as error:
            _check_error(error)
            assert _count() == before, "a refused dataset left rows behind"
            return
        _assert_stored_and_valid(world, dataset_type, data["name"] if field != "name"
                                 else helpers.call_action("package_search", q="*:*", rows=1,
                                                          sort="metadata_created desc",
                                                          include_private=True)["results"][0]["id"])

    attempt()


@pytest.mark.parametrize("dataset_type", TYPES)
def test_package_update_with_a_hostile_field_changes_nothing_when_refused(world, dataset_type):
    world["n"] += 1
    data = valid(dataset_type, name="base-%d" % world["n"], owner_org=world["org_a"]["id"])
    if dataset_type == "oc4ids-proyecto":
        data["oc4ids_id"] = "oc4ids-gt0001-base-%d" % world["n"]
    original = helpers.call_action("package_create", context=_ctx(world), **data)
    fields = [f for f in _fields(dataset_type) if f not in ("name", "id")]

    @SETTINGS
    @given(field=st.sampled_from(fields), value=VALUE)
    def attempt(field, value):
        current = helpers.call_action("package_show", context=_ctx(world), id=original["id"])
        try:
            helpers.call_action("package_update", context=_ctx(world),
                                **dict(current, **{field: value}))
        except ALLOWED as error:
            _check_error(error)
            after = helpers.call_action("package_show", context=_ctx(world), id=original["id"])
            assert after == current, "a refused update changed the dataset"
            return
        _assert_stored_and_valid(world, dataset_type, original["id"])

    attempt()


# Every action of the extension, with the parameters it knows and a few it does not.
ACTIONS = {
    "ogp_plan_list": ("all_fields",),
    "ogp_plan_show": ("id",),
    "ogp_commitment_show": ("id",),
    "ogp_milestone_show": ("id",),
    "ogp_observatory_show": ("plan", "commitment", "organization"),
    "ogp_assessment_list": ("milestone",),
    "ogp_assessment_create": ("milestone", "value", "date", "note", "evidence_url"),
    "ogp_resource_check": ("id",),
    "ogp_oc4ids_import": ("source", "organization", "milestone", "contact_email", "frequency"),
    "ogp_oc4ids_import_show": ("id",),
    "ogp_oc4ids_import_list": ("organization",),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_extension_actions_answer_hostile_input_with_a_clear_error(world, action):
    keys = st.sampled_from(ACTIONS[action] + ("unknown", "q", "__junk"))

    @SETTINGS
    @given(data=st.dictionaries(keys, VALUE, max_size=5))
    def attempt(data):
        for role in ("sysadmin", "editor_a", "anonymous"):
            user = world["users"][role]
            try:
                tk.get_action(action)({"user": user["name"] if user else "",
                                       "ignore_auth": False}, json.loads(json.dumps(data)))
            except ALLOWED as error:
                _check_error(error)
            finally:
                model.Session.rollback()

    attempt()


PAGES = ("/compromisos", "/observatorio", "/observatorio/datos/milestones.csv",
         "/observatorio/datos/timeliness.json", "/oc4ids/paquete.json", "/catalog.ttl",
         "/dataset/", "/sinsan-nutricion/", "/publicar")
PARAMS = ("q", "plan", "commitment", "organization", "page", "sort", "modified_since",
          "ogp_milestones", "tags", "type", "res_format")


def test_the_extensions_pages_answer_hostile_parameters(world):
    app = helpers._get_test_app()
    page_params = st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=4)

    @SETTINGS
    @given(path=st.sampled_from(PAGES), params=page_params)
    def attempt(path, params):
        url = path + "?" + urllib.parse.urlencode(params)
        try:
            response = app.get(url)
        except Exception as error:  # the test client re-raises what would be a 500
            raise AssertionError("%s: %r" % (url, error))
        assert response.status_code < 500, url

    attempt()
