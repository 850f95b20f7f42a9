"""The four dataset types (`dataset`, `sinsan-nutricion`, `mintrab-movilidad`,
`conamigua-informe`), end to end against the real database, Solr and web app:
forms, round trips, required fields, invalid values, search, updates.

Everything is done as an *editor* (not a sysadmin) of the publishing
organization. Every rejection is checked the same way (`assert_rejected`): a
`ValidationError` whose error_dict names exactly the field, a bilingual
message with the Spanish part first, and no dataset written.
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
# name and owner_org are checked by CKAN's own validators (not_empty,
# owner_org_validator), whose messages are CKAN's, not the extension's
# bilingual ones; they are tested on their own (test_name_and_owner_org_required).
CORE_REQUIRED = ("name", "owner_org")

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


def assert_bilingual(messages, es=None, en=None):
    """Every message is '<Spanish> / <English>'; when given, the Spanish
    needle is in the part before the first ' / ' and the English one after."""
    assert messages
    for msg in messages:
        assert " / " in msg, msg
        spanish, english = msg.split(" / ", 1)
        if es:
            assert es in spanish, (es, msg)
        if en:
            assert en in english, (en, msg)
    return messages


def assert_rejected(publisher, field, es, en, action="package_create", **data):
    """``action`` raises a ValidationError on ``field`` only, bilingual, and
    no dataset is written."""
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as exc:
        helpers.call_action(action, context={"user": publisher.user}, **data)
    errors = exc.value.error_dict
    assert list(errors) == [field], errors
    assert_bilingual(errors[field], es, en)
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

    select = re.search(r'<select[^>]*name="ogp_milestones"[^>]*>(.*?)</select>', body, re.S)
    assert select, "no milestone select"
    assert "multiple" in select.group(0)[:select.group(0).index(">")]
    optgroups = re.findall(r'<optgroup label="(PAN\d+-C\d+) · [^"]+">', select.group(1))
    assert len(optgroups) == _commitments_with_milestones()
    assert 'value="%s"' % VALID[dataset_type]["ogp_milestones"][0] in select.group(1)

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
    assert re.search(r'<option value="%s"\s+selected' % milestone, page.body)


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
def _required_message(field: dict):
    """(Spanish, English) needles of the 'required' message of a field."""
    if field["field_name"] == "ogp_milestones":
        return "Indique al menos un hito", "Give at least one action-plan milestone"
    return ("«%s» es obligatorio" % field["label"]["es"],
            "'%s' is required" % field["label"]["en"])


@pytest.mark.parametrize("missing_as", [ABSENT, ""], ids=["absent", "empty"])
@pytest.mark.parametrize("dataset_type", TYPES)
def test_each_required_field_missing_is_rejected(editor, dataset_type, missing_as):
    fields = schema_fields(dataset_type)
    required = [n for n, f in fields.items() if f.get("required") and n not in CORE_REQUIRED]
    assert SHARED_REQUIRED - set(CORE_REQUIRED) <= set(required)
    for name in required:
        es, en = _required_message(fields[name])
        assert_rejected(editor, name, es, en,
                        **payload(dataset_type, editor, **{name: missing_as}))


@pytest.mark.parametrize("missing_as", [ABSENT, ""], ids=["absent", "empty"])
@pytest.mark.parametrize("field", CORE_REQUIRED)
@pytest.mark.parametrize("dataset_type", TYPES)
def test_name_and_owner_org_required(editor, dataset_type, field, missing_as):
    # CKAN's own checks: the error names the field, nothing is written; the
    # message is CKAN's ("Missing value", "An organization must be provided").
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as exc:
        create(editor, payload(dataset_type, editor, **{field: missing_as}))
    assert list(exc.value.error_dict) == [field]
    assert dataset_count() == before


# ------------------------------------------------------- 4. invalid values
# (case id, overrides, field named, Spanish needle, English needle)
COMMON_INVALID = [
    ("unknown-department", {"geo_departments": ["23"]}, "geo_departments",
     "«23» no es un código de departamento del INE", "'23' is not an INE department code"),
    ("municipality-outside-department",
     {"geo_level": "municipal", "geo_departments": ["09"], "geo_municipalities": ["0101"]},
     "geo_municipalities",
     "El municipio 0101 (Guatemala) pertenece al departamento 01",
     "Municipality 0101 (Guatemala) belongs to department 01"),
    ("unknown-municipality",
     {"geo_level": "municipal", "geo_departments": ["09"], "geo_municipalities": ["9999"]},
     "geo_municipalities",
     "«9999» no es un código de municipio del INE", "'9999' is not an INE municipality code"),
    ("unknown-municipality-alone",
     {"geo_level": "municipal", "geo_departments": ABSENT, "geo_municipalities": ["9999"]},
     "geo_municipalities",
     "«9999» no es un código de municipio del INE", "'9999' is not an INE municipality code"),
    ("unknown-frequency", {"frequency": "SOMETIMES"}, "frequency",
     "«SOMETIMES» no es un valor válido de «Frecuencia de actualización»",
     "'SOMETIMES' is not a valid value of 'Update frequency'"),
    ("unknown-milestone", {"ogp_milestones": ["PAN6-C9-H9"]}, "ogp_milestones",
     "«PAN6-C9-H9» no es un hito conocido", "'PAN6-C9-H9' is not a known milestone"),
    ("end-before-start", {"temporal_start": "2024-06-01", "temporal_end": "2024-01-31"},
     "temporal_end",
     "La fecha final (2024-01-31) es anterior a la inicial (2024-06-01)",
     "The end date (2024-01-31) is before the start date (2024-06-01)"),
    ("email-no-domain", {"contact_email": "datos@"}, "contact_email",
     "«datos@» no es una dirección de correo válida", "'datos@' is not a valid email address"),
    ("email-not-an-address", {"contact_email": "no es correo"}, "contact_email",
     "«no es correo» no es una dirección de correo válida",
     "'no es correo' is not a valid email address"),
    ("national-with-departments",
     {"geo_level": "nacional", "geo_departments": ["09"], "geo_municipalities": []},
     "geo_level", "Con cobertura «nacional» no se indican departamentos",
     "With 'national' coverage no departments"),
    ("national-with-municipalities",
     {"geo_level": "nacional", "geo_departments": [], "geo_municipalities": ["0901"]},
     "geo_level", "Con cobertura «nacional» no se indican departamentos ni municipios",
     "With 'national' coverage no departments or municipalities"),
]

BELOW_ZERO = ("es menor que el mínimo permitido (0)", "is below the allowed minimum (0)")

# (dataset type, case id, overrides, field named, Spanish needle, English needle)
TYPE_INVALID = [
    ("mintrab-movilidad", "negative-employers", {"employers_count": -1}, "employers_count",
     "-1 " + BELOW_ZERO[0], "-1 " + BELOW_ZERO[1]),
    ("mintrab-movilidad", "negative-applicants", {"applicants_count": -5}, "applicants_count",
     "-5 " + BELOW_ZERO[0], "-5 " + BELOW_ZERO[1]),
    ("mintrab-movilidad", "negative-placed", {"placed_count": -2}, "placed_count",
     "-2 " + BELOW_ZERO[0], "-2 " + BELOW_ZERO[1]),
    ("mintrab-movilidad", "placed-more-than-applicants", {"placed_count": 341}, "placed_count",
     "341 no puede ser mayor que «applicants_count» (340)",
     "341 cannot be larger than 'applicants_count' (340)"),
    ("mintrab-movilidad", "count-not-a-number", {"employers_count": "doce"}, "employers_count",
     "«doce» no es un número entero", "'doce' is not a whole number"),
    ("mintrab-movilidad", "unknown-country", {"destination_countries": ["US", "XX"]},
     "destination_countries", "«XX» no es un valor válido de «Países de destino»",
     "'XX' is not a valid value of 'Destination countries'"),
    ("mintrab-movilidad", "month-13", {"reporting_month": "2024-13"}, "reporting_month",
     "«2024-13» no es un mes válido", "'2024-13' is not a valid month"),
    ("mintrab-movilidad", "month-in-words", {"reporting_month": "marzo"}, "reporting_month",
     "«marzo» no es un mes válido", "'marzo' is not a valid month"),
    ("conamigua-informe", "unknown-institution",
     {"participating_institutions": ["conamigua", "ministerio_de_magia"]},
     "participating_institutions",
     "«ministerio_de_magia» no es un valor válido de «Instituciones participantes»",
     "'ministerio_de_magia' is not a valid value of 'Participating institutions'"),
    ("conamigua-informe", "year-1999", {"report_year": 1999}, "report_year",
     "1999 es menor que el mínimo permitido (2000)", "1999 is below the allowed minimum (2000)"),
    ("conamigua-informe", "cuatrimestre-absent", {"report_cuatrimestre": ABSENT},
     "report_cuatrimestre", "Obligatorio cuando «report_kind» es «informe_cuatrimestral»",
     "Required when 'report_kind' is 'informe_cuatrimestral'"),
    ("conamigua-informe", "cuatrimestre-none", {"report_cuatrimestre": None},
     "report_cuatrimestre", "Obligatorio cuando «report_kind» es «informe_cuatrimestral»",
     "Required when 'report_kind' is 'informe_cuatrimestral'"),
    ("conamigua-informe", "cuatrimestre-empty", {"report_cuatrimestre": ""},
     "report_cuatrimestre", "Obligatorio cuando «report_kind» es «informe_cuatrimestral»",
     "Required when 'report_kind' is 'informe_cuatrimestral'"),
    ("conamigua-informe", "negative-budget", {"budget_executed": "-1"}, "budget_executed",
     "El monto no puede ser negativo", "The amount cannot be negative"),
    ("conamigua-informe", "cuatrimestre-IV", {"report_cuatrimestre": "IV"}, "report_cuatrimestre",
     "«IV» no es un valor válido de «Cuatrimestre»", "'IV' is not a valid value of 'Four-month period'"),
    ("sinsan-nutricion", "unknown-pillar", {"sinsan_pillar": "pesca"}, "sinsan_pillar",
     "«pesca» no es un valor válido de «Pilar de la SAN»",
     "'pesca' is not a valid value of 'Food and nutrition security pillar'"),
    ("sinsan-nutricion", "period-backwards", {"reference_period": "2015/2014"}, "reference_period",
     "El periodo «2015/2014» termina antes de empezar", "The period '2015/2014' ends before it starts"),
    ("sinsan-nutricion", "period-in-words", {"reference_period": "hace poco"}, "reference_period",
     "«hace poco» no es un periodo válido", "'hace poco' is not a valid period"),
    ("sinsan-nutricion", "unknown-population", {"target_population": ["marcianos"]},
     "target_population", "«marcianos» no es un valor válido de «Población objetivo»",
     "'marcianos' is not a valid value of 'Target population'"),
]

INVALID = [
    pytest.param(t, overrides, field, es, en, id="%s-%s" % (t, case))
    for t in TYPES for case, overrides, field, es, en in COMMON_INVALID
] + [
    pytest.param(t, overrides, field, es, en, id="%s-%s" % (t, case))
    for t, case, overrides, field, es, en in TYPE_INVALID
]


@pytest.mark.parametrize("dataset_type,overrides,field,es,en", INVALID)
def test_invalid_value_rejected_on_create(editor, dataset_type, overrides, field, es, en):
    assert_rejected(editor, field, es, en, **payload(dataset_type, editor, **overrides))


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
@pytest.mark.parametrize("dataset_type,overrides,field,es,en", INVALID)
def test_invalid_patch_changes_nothing(editor, dataset_type, overrides, field, es, en):
    ds = create(editor, payload(dataset_type, editor))
    before = show(ds["id"])
    # A patch cannot leave a key out; None clears it instead.
    patch = {k: (None if v is ABSENT else v) for k, v in overrides.items()}
    assert_rejected(editor, field, es, en, action="package_patch", id=ds["id"], **patch)
    assert show(ds["id"]) == before


# ------------------------------------------ 8. bilingual, also when combined
@pytest.mark.parametrize("dataset_type", TYPES)
def test_many_wrong_fields_at_once_each_get_their_bilingual_message(editor, dataset_type):
    """One request with a wrong value in many fields (one case per field,
    the geography cases left out since they overlap): every field is named,
    no other, and each message is Spanish first, then English."""
    cases = [(o, f, es, en) for _, o, f, es, en in COMMON_INVALID if not f.startswith("geo_")]
    cases += [(o, f, es, en) for t, _, o, f, es, en in TYPE_INVALID if t == dataset_type]
    per_field, overrides = {}, {}
    for case_overrides, field, es, en in cases:
        if field not in per_field:
            per_field[field] = (es, en)
            overrides.update(case_overrides)
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as exc:
        create(editor, payload(dataset_type, editor, **overrides))
    errors = exc.value.error_dict
    assert set(errors) == set(per_field)
    for field, (es, en) in per_field.items():
        assert_bilingual(errors[field], es, en)
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
