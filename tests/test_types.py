"""The four dataset types (`dataset`, `sinsan-nutricion`, `mintrab-movilidad`,
`conamigua-informe`), end to end against the real database, Solr and web app:
forms, round trips, required fields, invalid values, search, updates.

Everything is done as an *editor* (not a sysadmin) of the publishing
organization. Every rejection is checked the same way (`assert_rejected`): a
`ValidationError` whose error_dict names exactly the field, a message that
says what is wrong, and no dataset written.

Messages are gettext msgids rendered in the request's language. Actions
called directly (`helpers.call_action`) run outside any request, so they get
the English msgids (and English field labels); the Spanish of the portal's
default language is checked through the web API
(`test_api_messages_in_the_request_language`).
"""
from __future__ import annotations

import glob
import os
import re
from typing import NamedTuple

import pytest
import yaml

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckanext.scheming.helpers import scheming_field_choices

import ckanext.ogpguatemala.schemas
from ckanext.ogpguatemala.linking import in_registry_order
from ckanext.ogpguatemala.registry import get_registry
from tests.helpers import VALID, dataset_count, valid

SCHEMAS_DIR = os.path.dirname(ckanext.ogpguatemala.schemas.__file__)
TYPES = ["dataset", "sinsan-nutricion", "mintrab-movilidad", "conamigua-informe"]

# Marker for "leave this key out of what is sent".
ABSENT = object()

# Required in every type (the shared presets).
SHARED_REQUIRED = {"title", "name", "notes", "owner_org", "ogp_milestones",
                   "contact_email", "frequency", "geo_level"}
TYPE_REQUIRED = {
    "dataset": set(),
    "sinsan-nutricion": {"sinsan_pillar", "indicator", "target_population", "data_source",
                         "unit_of_measure", "reference_period"},
    "mintrab-movilidad": {"reporting_month", "programme", "destination_countries",
                          "employers_count", "applicants_count", "placed_count",
                          "source_register"},
    "conamigua-informe": {"report_kind", "report_year", "participating_institutions"},
}
# owner_org is checked by CKAN's owner_org_validator, whose message depends
# on who asks; it is tested on its own (test_owner_org_required).
CORE_REQUIRED = ("owner_org",)

# Institutions responsible for the milestone each VALID dataset fulfils.
INSTITUTIONS = {
    "dataset": ["cpcc"],                  # PAN6-C1-H4
    "sinsan-nutricion": ["sesan"],        # PAN6-C2-H1
    "mintrab-movilidad": ["mintrab"],     # PAN6-C6-H2
    "conamigua-informe": ["conamigua"],   # PAN6-C4-H3
}
INTEGER_FIELDS = {
    "mintrab-movilidad": ("employers_count", "applicants_count", "placed_count"),
    "conamigua-informe": ("report_year",),
}


# ---------------------------------------------------------------- helpers
class Publisher(NamedTuple):
    user: str      # user name (an editor of org)
    org: str       # organization id
    token: str     # API token, for the web forms


@pytest.fixture
def editor(stack):
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    token = factories.APIToken(user=user["name"])["token"]
    return Publisher(user["name"], org["id"], token)


def payload(dataset_type, publisher, **overrides):
    """A complete valid dataset of the type, named ``ds-<type>`` unless
    ``overrides`` say otherwise (ABSENT removes a key)."""
    data = valid(dataset_type, name="ds-" + dataset_type, owner_org=publisher.org)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not ABSENT}


def create(publisher, data):
    return helpers.call_action("package_create", context={"user": publisher.user}, **data)


def show(id_):
    return helpers.call_action("package_show", id=id_)


def schema_fields(dataset_type) -> dict:
    schema = helpers.call_action("scheming_dataset_schema_show", type=dataset_type)
    return {f["field_name"]: f for f in schema["dataset_fields"]}


def search_names(**params) -> list[str]:
    return sorted(d["name"] for d in helpers.call_action("package_search", **params)["results"])


def assert_rejected(publisher, field, message, action="package_create", **data):
    """``action`` raises a ValidationError on ``field`` only, whose messages
    are ``message`` (the whole text) and nothing else; no dataset is written."""
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as exc:
        helpers.call_action(action, context={"user": publisher.user}, **data)
    errors = exc.value.error_dict
    assert errors == {field: [message]}
    assert dataset_count() == before
    return errors[field]


def canonical(field: dict, values: list) -> list:
    """Multi-valued fields are stored deduplicated and in the order of their
    choice list (vocabulary / INE code / registry order), whatever order they
    were sent in."""
    if field["field_name"] == "ogp_milestones":
        return in_registry_order(values)
    order = [c["value"] for c in scheming_field_choices(field)]
    return sorted(dict.fromkeys(values), key=order.index)


# -------------------------------------------------- 1. types and forms
def _shipped_types() -> set[str]:
    """The dataset_type of every schema file the extension ships."""
    types = set()
    for path in glob.glob(os.path.join(SCHEMAS_DIR, "*.yaml")):
        with open(path, encoding="utf-8") as f:
            schema = yaml.safe_load(f)
        if "dataset_type" in schema:  # not presets.yaml
            types.add(schema["dataset_type"])
    return types


def test_schema_list_has_the_four_types_and_nothing_foreign(stack):
    listed = helpers.call_action("scheming_dataset_schema_list")
    assert len(listed) == len(set(listed))
    assert set(TYPES) <= set(listed)
    # Other types the extension ships (added after these four) may be listed
    # too, but nothing else (no scheming fallback, no foreign schema).
    assert set(listed) == _shipped_types()


@pytest.mark.parametrize("dataset_type", TYPES)
def test_schema_marks_the_expected_fields_required(stack, dataset_type):
    required = {n for n, f in schema_fields(dataset_type).items() if f.get("required")}
    assert required == SHARED_REQUIRED | TYPE_REQUIRED[dataset_type]


def _commitments_with_milestones() -> int:
    plans = helpers.call_action("ogp_plan_list")
    return sum(1 for p in plans for c in p["commitments"] if c["milestone_count"])


@pytest.mark.parametrize("dataset_type", TYPES)
def test_create_form_renders_for_an_editor(app, editor, dataset_type):
    page = app.get("/%s/new" % dataset_type, headers={"Authorization": editor.token})
    assert page.status_code == 200
    body = page.body

    # The milestone picker: one checkbox per milestone, grouped by commitment
    # (tests/test_publishing_flow.py checks it in detail).
    picker = re.search(r'<div id="ogp-milestone-picker".*?</fieldset>\s*</div>', body, re.S)
    assert picker, "no milestone picker"
    groups = re.findall(r'<details class="ogp-commitment-group[^"]*"\s+data-commitment="(PAN\d+-C\d+)"'
                        r'(?:(?!</details>).)*?name="ogp_milestones"', picker.group(0), re.S)
    assert len(groups) == _commitments_with_milestones()
    assert 'name="ogp_milestones" value="%s"' % VALID[dataset_type]["ogp_milestones"][0] \
        in picker.group(0)

    # Every field of this type that has a form widget, and none of the
    # fields that only other types have.
    own = {n for n, f in schema_fields(dataset_type).items()
           if f.get("form_snippet", "default") is not None}
    for name in own:
        assert 'name="%s"' % name in body, name
    others = set().union(*(schema_fields(t) for t in TYPES if t != dataset_type)) \
        - set(schema_fields(dataset_type))
    for name in others:
        assert 'name="%s"' % name not in body, name


@pytest.mark.parametrize("dataset_type", TYPES)
def test_type_specific_fields_in_their_own_form(app, editor, dataset_type):
    specific = {
        "dataset": [],
        "sinsan-nutricion": ["sinsan_pillar", "reference_period", "target_population"],
        "mintrab-movilidad": ["reporting_month", "placed_count", "destination_countries"],
        "conamigua-informe": ["report_kind", "report_cuatrimestre", "budget_executed"],
    }[dataset_type]
    body = app.get("/%s/new" % dataset_type, headers={"Authorization": editor.token}).body
    for name in specific:
        assert 'name="%s"' % name in body


@pytest.mark.parametrize("dataset_type", TYPES)
def test_edit_form_renders_for_an_editor_with_stored_values(app, editor, dataset_type):
    ds = create(editor, payload(dataset_type, editor, title="Título para editar"))
    page = app.get("/%s/edit/%s" % (dataset_type, ds["name"]),
                   headers={"Authorization": editor.token})
    assert page.status_code == 200
    assert "Título para editar" in page.body
    milestone = VALID[dataset_type]["ogp_milestones"][0]
    assert re.search(r'name="ogp_milestones" value="%s" checked' % milestone, page.body)


# ------------------------------------------------ 2. complete round trip
@pytest.mark.parametrize("dataset_type", TYPES)
def test_complete_dataset_round_trips(editor, dataset_type):
    sent = payload(dataset_type, editor)
    created = create(editor, sent)
    shown = show(created["id"])
    fields = schema_fields(dataset_type)

    mismatches = {}
    for key, value in sent.items():
        if key == "tags":
            got, expected = [t["name"] for t in shown["tags"]], [t["name"] for t in value]
        elif key == "owner_org":
            got, expected = shown["owner_org"], editor.org
        elif isinstance(value, list):
            got, expected = shown.get(key), canonical(fields[key], value)
        else:
            got, expected = shown.get(key), value
        if got != expected or type(got) is not type(expected):
            mismatches[key] = (expected, got)
    assert mismatches == {}

    # Integers come back as JSON numbers, as sent: CKAN keeps extras as text
    # ("12"), so these fields carry `output_validators: int_validator`.
    # Amounts (budget_executed) are decimals and stay strings ("1250000.50"),
    # so no float rounding creeps in.
    for key in INTEGER_FIELDS.get(dataset_type, ()):
        assert type(shown[key]) is int and shown[key] == sent[key]

    milestones = sent["ogp_milestones"]
    assert shown["ogp_commitments"] == sorted({m.rsplit("-", 1)[0] for m in milestones})
    assert shown["ogp_plans"] == sorted({m.split("-")[0] for m in milestones})
    assert shown["ogp_institutions"] == INSTITUTIONS[dataset_type]
    assert shown["type"] == dataset_type

    assert search_names(fq="dataset_type:%s" % dataset_type) == [sent["name"]]


def test_multi_valued_fields_are_stored_in_vocabulary_order(editor):
    ds = create(editor, payload("mintrab-movilidad", editor,
                                destination_countries=["US", "MX", "CA", "US"]))
    # Spanish-name order of the country vocabulary: Canadá, Estados Unidos, México.
    assert show(ds["id"])["destination_countries"] == ["CA", "US", "MX"]


def test_each_type_is_found_by_its_type(editor):
    for dataset_type in TYPES:
        create(editor, payload(dataset_type, editor))
    for dataset_type in TYPES:
        assert search_names(fq="dataset_type:%s" % dataset_type) == ["ds-" + dataset_type]
    facets = helpers.call_action("package_search", rows=0, **{"facet.field": ["dataset_type"]})
    assert facets["facets"]["dataset_type"] == {t: 1 for t in TYPES}


# ----------------------------------------------- 3. required fields missing
def _required_message(field: dict) -> str:
    """The message a missing required field gets (English: no request)."""
    if field["field_name"] == "ogp_milestones":
        examples = ", ".join(list(get_registry().milestones)[:2])
        return ("Give at least one action-plan milestone this dataset fulfils (codes such as %s)"
                % examples)
    return "Missing value"  # CKAN's not_empty, through scheming_required


@pytest.mark.parametrize("missing_as", [ABSENT, ""], ids=["absent", "empty"])
@pytest.mark.parametrize("dataset_type", TYPES)
def test_each_required_field_missing_is_rejected(editor, dataset_type, missing_as):
    fields = schema_fields(dataset_type)
    required = [n for n, f in fields.items() if f.get("required") and n not in CORE_REQUIRED]
    assert SHARED_REQUIRED - set(CORE_REQUIRED) <= set(required)
    for name in required:
        assert_rejected(editor, name, _required_message(fields[name]),
                        **payload(dataset_type, editor, **{name: missing_as}))


@pytest.mark.parametrize("missing_as", [ABSENT, ""], ids=["absent", "empty"])
@pytest.mark.parametrize("dataset_type", TYPES)
def test_owner_org_required(editor, dataset_type, missing_as):
    assert_rejected(editor, "owner_org", "An organization must be provided",
                    **payload(dataset_type, editor, owner_org=missing_as))


# ------------------------------------------------------- 4. invalid values
# What a wrong value gets: the extension's messages, or CKAN's and
# scheming's own for the choice lists (scheming_choices: OneOf for a list in
# the schema, "unexpected choice" for a vocabulary; scheming_multiple_choice).
NATIONAL_WITH_PLACES = ("With 'national' coverage no departments or municipalities are given; "
                        "choose 'departmental' or 'municipal'")
# Both fields named by their labels (and the value by its label).
CUATRIMESTRE_REQUIRED = "Required when 'Report kind' is 'Four-monthly accountability report'"

# (case id, overrides, field named, whole message)
COMMON_INVALID = [
    ("unknown-department", {"geo_departments": ["23"]}, "geo_departments",
     "'23' is not an INE department code (01 to 22)"),
    ("municipality-outside-department",
     {"geo_level": "municipal", "geo_departments": ["09"], "geo_municipalities": ["0101"]},
     "geo_municipalities",
     "Municipality 0101 (Guatemala) belongs to department 01 (Guatemala), which is not "
     "among the chosen departments"),
    ("unknown-municipality",
     {"geo_level": "municipal", "geo_departments": ["09"], "geo_municipalities": ["9999"]},
     "geo_municipalities", "'9999' is not an INE municipality code (4 digits, e.g. 0101)"),
    ("unknown-municipality-alone",
     {"geo_level": "municipal", "geo_departments": ABSENT, "geo_municipalities": ["9999"]},
     "geo_municipalities", "'9999' is not an INE municipality code (4 digits, e.g. 0101)"),
    ("unknown-frequency", {"frequency": "SOMETIMES"}, "frequency",
     'unexpected choice "SOMETIMES"'),
    ("unknown-milestone", {"ogp_milestones": ["PAN6-C9-H9"]}, "ogp_milestones",
     "'PAN6-C9-H9' is not a known milestone. Choose milestones from the plan registry "
     "(codes such as PAN6-C1-H1, PAN6-C1-H2; full list at /compromisos or through the "
     "ogp_plan_list action)"),
    ("end-before-start", {"temporal_start": "2024-06-01", "temporal_end": "2024-01-31"},
     "temporal_end", "The end date (2024-01-31) is before the start date (2024-06-01)"),
    ("start-not-a-date", {"temporal_start": "2024-31-01"}, "temporal_start",
     "'2024-31-01' is not a valid date for 'Temporal coverage (start)'; use YYYY-MM-DD"),
    ("email-no-domain", {"contact_email": "datos@"}, "contact_email",
     "'datos@' is not a valid email address (example: datos@institucion.gob.gt)"),
    ("email-not-an-address", {"contact_email": "no es correo"}, "contact_email",
     "'no es correo' is not a valid email address (example: datos@institucion.gob.gt)"),
    ("national-with-departments",
     {"geo_level": "nacional", "geo_departments": ["09"], "geo_municipalities": []},
     "geo_level", NATIONAL_WITH_PLACES),
    ("national-with-municipalities",
     {"geo_level": "nacional", "geo_departments": [], "geo_municipalities": ["0901"]},
     "geo_level", NATIONAL_WITH_PLACES),
    ("unknown-level", {"geo_level": "planetaria"}, "geo_level",
     "Value must be one of ['nacional', 'departamental', 'municipal']"),
]

# (dataset type, case id, overrides, field named, whole message)
TYPE_INVALID = [
    ("mintrab-movilidad", "negative-employers", {"employers_count": -1}, "employers_count",
     "-1 is below the allowed minimum (0)"),
    ("mintrab-movilidad", "negative-applicants", {"applicants_count": -5}, "applicants_count",
     "-5 is below the allowed minimum (0)"),
    ("mintrab-movilidad", "negative-placed", {"placed_count": -2}, "placed_count",
     "-2 is below the allowed minimum (0)"),
    ("mintrab-movilidad", "placed-more-than-applicants", {"placed_count": 341}, "placed_count",
     "341 cannot be larger than 'Number of applicants' (340)"),
    ("mintrab-movilidad", "count-not-a-number", {"employers_count": "doce"}, "employers_count",
     "'doce' is not a whole number"),
    ("mintrab-movilidad", "unknown-country", {"destination_countries": ["US", "XX"]},
     "destination_countries", 'unexpected choice "XX"'),
    ("mintrab-movilidad", "unknown-programme", {"programme": "bracero"}, "programme",
     "Value must be one of ['movilidad_laboral_eeuu', 'trabajadores_temporales_canada', "
     "'trabajador_fronterizo_mexico', 'otro']"),
    ("mintrab-movilidad", "month-13", {"reporting_month": "2024-13"}, "reporting_month",
     "'2024-13' is not a valid month for 'Reporting month'; use YYYY-MM (e.g. 2024-03)"),
    ("mintrab-movilidad", "month-in-words", {"reporting_month": "marzo"}, "reporting_month",
     "'marzo' is not a valid month for 'Reporting month'; use YYYY-MM (e.g. 2024-03)"),
    ("conamigua-informe", "unknown-institution",
     {"participating_institutions": ["conamigua", "ministerio_de_magia"]},
     "participating_institutions", 'unexpected choice "ministerio_de_magia"'),
    ("conamigua-informe", "year-1999", {"report_year": 1999}, "report_year",
     "1999 is below the allowed minimum (2000)"),
    ("conamigua-informe", "year-2101", {"report_year": 2101}, "report_year",
     "2101 is above the allowed maximum (2100)"),
    ("conamigua-informe", "cuatrimestre-absent", {"report_cuatrimestre": ABSENT},
     "report_cuatrimestre", CUATRIMESTRE_REQUIRED),
    ("conamigua-informe", "cuatrimestre-none", {"report_cuatrimestre": None},
     "report_cuatrimestre", CUATRIMESTRE_REQUIRED),
    ("conamigua-informe", "cuatrimestre-empty", {"report_cuatrimestre": ""},
     "report_cuatrimestre", CUATRIMESTRE_REQUIRED),
    ("conamigua-informe", "negative-budget", {"budget_executed": "-1"}, "budget_executed",
     "The amount cannot be negative"),
    ("conamigua-informe", "budget-in-words", {"budget_executed": "un millón"}, "budget_executed",
     "'un millón' is not a valid amount (use digits, e.g. 125000.50)"),
    ("conamigua-informe", "cuatrimestre-IV", {"report_cuatrimestre": "IV"}, "report_cuatrimestre",
     "Value must be one of ['I', 'II', 'III']"),
    ("sinsan-nutricion", "unknown-pillar", {"sinsan_pillar": "pesca"}, "sinsan_pillar",
     "Value must be one of ['disponibilidad', 'acceso', 'consumo', 'utilizacion_biologica']"),
    ("sinsan-nutricion", "period-backwards", {"reference_period": "2015/2014"}, "reference_period",
     "The period '2015/2014' ends before it starts"),
    ("sinsan-nutricion", "period-in-words", {"reference_period": "hace poco"}, "reference_period",
     "'hace poco' is not a valid period; use YYYY, YYYY-MM or an interval such as 2014/2015"),
    ("sinsan-nutricion", "unknown-population", {"target_population": ["marcianos"]},
     "target_population", 'unexpected choice "marcianos"'),
]

INVALID = [
    pytest.param(t, overrides, field, message, id="%s-%s" % (t, case))
    for t in TYPES for case, overrides, field, message in COMMON_INVALID
] + [
    pytest.param(t, overrides, field, message, id="%s-%s" % (t, case))
    for t, case, overrides, field, message in TYPE_INVALID
]


@pytest.mark.parametrize("dataset_type,overrides,field,message", INVALID)
def test_invalid_value_rejected_on_create(editor, dataset_type, overrides, field, message):
    assert_rejected(editor, field, message, **payload(dataset_type, editor, **overrides))


def test_api_messages_in_the_request_language(app, editor):
    """Through the web API the messages come in the request's language:
    Spanish (the portal's default) without a prefix, English under /en/.
    The field is named by its label in that language; CKAN's own messages
    come from CKAN's catalogue, scheming's from ours (it ships no Spanish)."""
    sent = payload("dataset", editor, title="", temporal_start="2024-31-01", frequency="SOMETIMES")
    headers = {"Authorization": editor.token}
    before = dataset_count()
    es = app.post("/api/3/action/package_create", json=sent, headers=headers, status=409)
    en = app.post("/en/api/3/action/package_create", json=sent, headers=headers, status=409)
    es, en = es.json["error"], en.json["error"]
    assert es["temporal_start"] == [
        "«2024-31-01» no es una fecha válida para «Cobertura temporal (inicio)»; use AAAA-MM-DD"]
    assert en["temporal_start"] == [
        "'2024-31-01' is not a valid date for 'Temporal coverage (start)'; use YYYY-MM-DD"]
    assert (es["title"], en["title"]) == (["Falta el valor"], ["Missing value"])
    assert (es["frequency"], en["frequency"]) == (['opción no válida: "SOMETIMES"'],
                                                  ['unexpected choice "SOMETIMES"'])
    assert set(es) == set(en) == {"__type", "title", "temporal_start", "frequency"}
    assert dataset_count() == before


# --------------------------------------------- 5. frequency normalisation
@pytest.mark.parametrize("sent,code", [
    ("http://publications.europa.eu/resource/authority/frequency/MONTHLY", "MONTHLY"),
    ("https://publications.europa.eu/resource/authority/frequency/ANNUAL_3", "ANNUAL_3"),
    ("cuatrimestral", "ANNUAL_3"),   # three times a year; the EU table has no TRIANNUAL
    ("Cuatrimestral", "ANNUAL_3"),
    ("mensual", "MONTHLY"),
    ("ANNUAL", "ANNUAL"),
])
def test_frequency_stored_as_eu_code(editor, sent, code):
    ds = create(editor, payload("dataset", editor, frequency=sent))
    assert ds["frequency"] == code
    assert show(ds["id"])["frequency"] == code


# --------------------------------------------------------- 6. geography
@pytest.mark.parametrize("departments", [ABSENT, [], ""], ids=["absent", "empty-list", "empty"])
def test_departments_filled_from_municipalities(editor, departments):
    ds = create(editor, payload("dataset", editor, geo_level="municipal",
                                geo_departments=departments,
                                geo_municipalities=["0901", "0101"]))
    shown = show(ds["id"])
    assert shown["geo_departments"] == ["01", "09"]
    assert shown["geo_municipalities"] == ["0101", "0901"]


def test_departments_searchable_and_faceted(editor):
    create(editor, payload("dataset", editor, name="municipios", geo_level="municipal",
                           geo_departments=ABSENT, geo_municipalities=["0101", "0901"]))
    create(editor, payload("conamigua-informe", editor, name="departamentos",
                           geo_departments=["12", "09"]))
    create(editor, payload("sinsan-nutricion", editor, name="nacional", geo_level="nacional",
                           geo_departments=[], geo_municipalities=[]))

    assert search_names(fq='geo_departments:"09"') == ["departamentos", "municipios"]
    assert search_names(fq='geo_departments:"01"') == ["municipios"]
    assert search_names(fq="geo_departments:12") == ["departamentos"]

    result = helpers.call_action("package_search", rows=0,
                                 **{"facet.field": ["geo_departments"]})
    assert result["facets"]["geo_departments"] == {"01": 1, "09": 2, "12": 1}
    items = {i["name"]: i for i in result["search_facets"]["geo_departments"]["items"]}
    assert items["09"]["count"] == 2


# ----------------------------------------- 7. invalid update changes nothing
@pytest.mark.parametrize("dataset_type,overrides,field,message", INVALID)
def test_invalid_patch_changes_nothing(editor, dataset_type, overrides, field, message):
    ds = create(editor, payload(dataset_type, editor))
    before = show(ds["id"])
    # A patch cannot leave a key out; None clears it instead.
    patch = {k: (None if v is ABSENT else v) for k, v in overrides.items()}
    assert_rejected(editor, field, message, action="package_patch", id=ds["id"], **patch)
    assert show(ds["id"]) == before


# ------------------------------------------- 8. many wrong fields at once
@pytest.mark.parametrize("dataset_type", TYPES)
def test_many_wrong_fields_at_once_each_get_their_message(editor, dataset_type):
    """One request with a wrong value in many fields (one case per field and
    per key sent, the geography cases left out since they overlap): every
    field is named, no other, each with its own message."""
    cases = [(o, f, m) for _, o, f, m in COMMON_INVALID if not f.startswith("geo_")]
    cases += [(o, f, m) for t, _, o, f, m in TYPE_INVALID if t == dataset_type]
    per_field, overrides = {}, {}
    for case_overrides, field, message in cases:
        if field not in per_field and not set(case_overrides) & set(overrides):
            per_field[field] = [message]
            overrides.update(case_overrides)
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as exc:
        create(editor, payload(dataset_type, editor, **overrides))
    assert exc.value.error_dict == per_field
    assert dataset_count() == before


# ------------------------------------------------------------ 9. licence
@pytest.mark.parametrize("license_id,stored", [
    (ABSENT, "CC-BY-4.0"),
    ("", "CC-BY-4.0"),
    ("CC0-1.0", "CC0-1.0"),
])
@pytest.mark.parametrize("dataset_type", TYPES)
def test_license_defaults_to_cc_by_4(editor, dataset_type, license_id, stored):
    ds = create(editor, payload(dataset_type, editor, license_id=license_id))
    assert show(ds["id"])["license_id"] == stored
