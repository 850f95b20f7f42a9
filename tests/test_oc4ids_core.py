"""The pure-Python OC4IDS core: schema loading, validation, mapping.

No CKAN imports: these run against the OC4IDS 0.9.5 release files shipped
in the extension (``oc4ids/standard/0.9.5``, the default location) and the
standard's example project package, copied to ``tests/data/oc4ids``.
"""
import copy
import csv
import io
import json
import os
import shutil
import socket

import pytest
import yaml
from babel.messages.pofile import read_po

from ckanext.ogpguatemala.oc4ids import (
    PACKAGED,
    SchemaLoadError,
    build_package,
    clear_cache,
    codelist_choices,
    fields_to_project,
    load_schemas,
    project_to_fields,
    resolve_location,
    validate,
)
from ckanext.ogpguatemala.oc4ids.schema import po_translations
from tests.helpers import english

EXAMPLE = os.path.join(os.path.dirname(__file__), "data", "oc4ids", "example.json")
FORM_SCHEMA = os.path.join(os.path.dirname(PACKAGED), "..", "..", "schemas", "oc4ids_proyecto.yaml")


@pytest.fixture(scope="module")
def schemas():
    return load_schemas(PACKAGED)


@pytest.fixture(scope="module")
def example_bytes():
    with open(EXAMPLE, "rb") as f:
        return f.read()


@pytest.fixture
def example(example_bytes):
    return json.loads(example_bytes)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def codes(result):
    return [e["code"] for e in result["errors"]]


def text(error):
    """An error's message in English: its id with its values filled in (the
    Spanish rendering is the catalogue's job, tested in test_i18n)."""
    return english(error["message"])


def only_error(result, code):
    assert result["valid"] is False
    assert codes(result) == [code], result["errors"]
    error = result["errors"][0]
    assert isinstance(error["path"], str)
    assert set(error["message"]) == {"msgid", "params"} and text(error)
    return error


def _copy_standard(tmp_path, *names):
    for name in names:
        src = os.path.join(PACKAGED, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, tmp_path / name)


# ---------------------------------------------------------------------------
# Schema loading


def test_example_is_a_valid_package(schemas, example_bytes):
    result = validate(example_bytes, schemas)
    assert result["valid"] is True, result["errors"]
    assert result["kind"] == "package"
    assert result["projects"] == len(json.loads(example_bytes)["projects"]) == 1
    assert result["errors"] == [] and result["truncated"] is False
    assert result["checked_at"].endswith("Z")


def test_single_project_is_validated_as_project(schemas, example):
    result = validate(json.dumps(example["projects"][0]), schemas)
    assert result["valid"] is True, result["errors"]
    assert result["kind"] == "project" and result["projects"] == 1


def test_default_location_is_the_packaged_copy_and_needs_no_network(no_network, example_bytes):
    assert resolve_location("") == resolve_location(None) == resolve_location("  ") == PACKAGED
    assert resolve_location(" /srv/oc4ids ") == "/srv/oc4ids"
    assert resolve_location("https://x.org/project-schema.json") == "https://x.org/project-schema.json"
    clear_cache()
    default = load_schemas("")
    assert default is load_schemas() is load_schemas(PACKAGED)
    assert default.location == PACKAGED and default.version == "0.9.5"
    assert validate(example_bytes, default)["valid"] is True
    # an empty location given to validate means the packaged copy too
    assert validate(example_bytes, "")["valid"] is True
    assert default.codelist_label("projectSector", "health", "es") == "Salud"


def test_directory_and_file_locations_give_the_same_schemas():
    clear_cache()
    by_dir = load_schemas(PACKAGED)
    by_file = load_schemas(os.path.join(PACKAGED, "project-schema.json"))
    by_package_file = load_schemas(os.path.join(PACKAGED, "project-package-schema.json"))
    assert by_dir.project_schema == by_file.project_schema == by_package_file.project_schema
    assert by_dir.package_schema == by_file.package_schema
    assert by_dir.codelist("projectStatus") == by_file.codelist("projectStatus")
    assert by_dir.version == "0.9.5"
    # cached per location: read once per process
    assert load_schemas(PACKAGED) is by_dir


def test_missing_location_raises_and_validate_reports_it(tmp_path, example_bytes):
    with pytest.raises(SchemaLoadError) as err:
        load_schemas(str(tmp_path / "nowhere"))
    # a message to translate, with the location as its value
    assert err.value.message.msgid == "OC4IDS schema location not found: %(location)s"
    assert str(err.value) == "OC4IDS schema location not found: %s" % (tmp_path / "nowhere")
    result = validate(example_bytes, str(tmp_path / "nowhere"))
    assert only_error(result, "schema_unavailable")


@pytest.fixture
def http_location():
    from tests.helpers import FileServer

    with FileServer(PACKAGED) as server:
        yield server.url + "/"


def test_url_location(http_location, example_bytes):
    clear_cache()
    schemas = load_schemas(http_location + "project-schema.json")
    local = load_schemas(PACKAGED)
    assert schemas.project_schema == local.project_schema
    assert schemas.package_schema == local.package_schema
    assert validate(example_bytes, schemas)["valid"] is True
    bad = json.loads(example_bytes)
    bad["projects"][0]["status"] = "bogus"
    assert codes(validate(json.dumps(bad), schemas)) == ["codelist"]
    # codelists and Spanish labels come from the same server
    assert schemas.codelist("projectStatus") == local.codelist("projectStatus")
    assert schemas.codelist_label("projectSector", "health", "es") == "Salud"
    # a URL of the directory works too
    assert load_schemas(http_location).project_schema == local.project_schema


def test_unreachable_url_raises_and_is_not_retried_at_once(monkeypatch):
    clear_cache()
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/project-schema.json"
    with pytest.raises(SchemaLoadError):
        load_schemas(url, timeout=2)

    # for a while the failure is remembered: forms and checks do not wait
    # for the network again
    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    with pytest.raises(SchemaLoadError):
        load_schemas(url, timeout=2)
    clear_cache()
    with pytest.raises(AssertionError, match="network used"):
        load_schemas(url, timeout=2)


# ---------------------------------------------------------------------------
# Codelists


def _csv_codes(name):
    with open(os.path.join(PACKAGED, "codelists", name + ".csv"), encoding="utf-8") as f:
        return [row["Code"] for row in csv.DictReader(f)]


def test_codelists_with_spanish_labels(schemas):
    status = schemas.codelist("projectStatus")
    assert [row["code"] for row in status] == [
        "identification", "preparation", "implementation", "completion",
        "maintenance", "decommissioning", "decommissioned", "cancelled",
    ]
    completion = next(row for row in status if row["code"] == "completion")
    assert completion["title"] == {"en": "Completion", "es": "Finalización"}
    # upstream CSV has "implementation,implementation" (lower case, untranslated)
    implementation = next(row for row in status if row["code"] == "implementation")
    assert implementation["title"] == {"en": "Implementation", "es": "Implementación"}
    assert schemas.codelist("projectSector.csv")[0]["code"] == "education"
    assert schemas.codelist_label("currency", "GTQ", "es") == "Quetzal"
    assert schemas.codelist("noSuchList") == []
    assert schemas.is_closed("projectStatus") and not schemas.is_closed("projectSector")


def test_form_choices_are_the_codelists_of_the_loaded_schema(schemas):
    with open(FORM_SCHEMA, encoding="utf-8") as f:
        form = yaml.safe_load(f)
    names = [field["ogp_codelist"] for field in form["dataset_fields"] if "ogp_codelist" in field]
    assert names == ["projectStatus", "projectType", "projectSector"]
    for name in names:
        choices = codelist_choices(schemas, name)
        # the codes the validator enforces, in the standard's order
        assert [c["value"] for c in choices] == schemas.codelist_codes(name) == _csv_codes(name)
        for choice in choices:
            assert set(choice["label"]) == {"es", "en"} and all(choice["label"].values()), choice
    assert codelist_choices(schemas, "projectSector")[1] == {"value": "health", "label": {"en": "Health", "es": "Salud"}}


def test_spanish_labels_come_from_the_packaged_po(schemas):
    with open(os.path.join(PACKAGED, "locale-es", "infrastructure-codelists.po"), "rb") as f:
        catalog = read_po(f)
    for name in ("projectStatus", "projectType", "projectSector"):
        for row in schemas.codelist(name):
            official = catalog.get(row["title"]["en"])
            if official is not None and official.string:
                assert row["title"]["es"] == official.string, row
    assert schemas.codelist_label("projectType", "construction", "es") == catalog.get("Construction").string


def test_spanish_labels_of_another_location_and_the_portals_own(tmp_path):
    # titles the standard leaves untranslated get the portal's Spanish ...
    assert load_schemas(PACKAGED).codelist_label("projectStatus", "maintenance", "es") == "Mantenimiento"
    # ... but a location's own catalogue wins, for those and the others
    _copy_standard(tmp_path, "project-schema.json", "project-package-schema.json", "codelists")
    (tmp_path / "locale-es").mkdir()
    (tmp_path / "locale-es" / "codelists.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Health"\nmsgstr "Sanidad"\n\nmsgid "Maintenance"\nmsgstr "Conservación"\n',
        encoding="utf-8",
    )
    other = load_schemas(str(tmp_path))
    assert other.codelist_label("projectSector", "health", "es") == "Sanidad"
    assert other.codelist_label("projectStatus", "maintenance", "es") == "Conservación"
    assert other.codelist_label("projectSector", "education", "es") == "Education"  # not in its catalogue


def test_po_translations():
    text = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#. Title\nmsgid "Health"\nmsgstr "Salud"\n\n'
        '#, fuzzy\nmsgid "Road"\nmsgstr "Camino"\n\n'
        'msgctxt "x"\nmsgid "Port"\nmsgstr "Puerto"\n\n'
        'msgid "Long"\nmsgstr ""\n"Lar"\n"go \\"x\\""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Viejo"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n'
    )
    assert po_translations(text) == {"Health": "Salud", "Long": 'Largo "x"'}
    with pytest.raises(SchemaLoadError):
        po_translations('msgid "a"\nmsgstr "b"\nnonsense here\n')


def test_closed_codelist_without_enum_is_enforced_from_csv(tmp_path, schemas, example):
    # 0.9.5 carries enums for its closed codelists; a schema that does not
    # is checked against the CSV's codes instead.
    _copy_standard(tmp_path, "project-package-schema.json", "codelists")
    project_schema = copy.deepcopy(schemas.project_schema)
    del project_schema["properties"]["status"]["enum"]
    del project_schema["definitions"]["ContractingProcessSummary"]["properties"]["nature"]["items"]["enum"]
    (tmp_path / "project-schema.json").write_text(json.dumps(project_schema))

    custom = load_schemas(str(tmp_path))
    project = example["projects"][0]
    project["status"] = "bogus"
    project["contractingProcesses"][0]["summary"]["nature"] = ["construction", "nonsense"]
    result = validate(json.dumps(project), custom)
    assert [(e["path"], e["code"]) for e in result["errors"]] == [
        ("/contractingProcesses/0/summary/nature/1", "codelist"),
        ("/status", "codelist"),
    ]
    assert result["errors"][1]["codelist"] == "projectStatus"
    assert text(result["errors"][1]) == "'bogus' is not a value of the projectStatus codelist."
    # without a codelist CSV a closed list cannot be enforced: refuse to load
    shutil.rmtree(tmp_path / "codelists")
    clear_cache()
    with pytest.raises(SchemaLoadError):
        load_schemas(str(tmp_path))


# ---------------------------------------------------------------------------
# Broken input


def test_not_json(schemas):
    error = only_error(validate(b'{"projects": [\n  {"id": "x",}\n]}', schemas), "not_json")
    assert error["path"] == ""
    assert (error["line"], error["column"]) == (2, 14)
    assert error["message"]["params"]["line"] == 2 and error["message"]["params"]["column"] == 14
    assert text(error) == "The file is not valid JSON: Expecting property name enclosed in double quotes (line 2, column 14)."


def test_nan_is_not_json(schemas):
    only_error(validate('{"id": "x", "budget": NaN}', schemas), "not_json")


def test_array(schemas, example):
    error = only_error(validate(json.dumps(example["projects"]), schemas), "not_object")
    assert error["path"] == ""
    only_error(validate("42", schemas), "not_object")


@pytest.mark.parametrize("data", [b"", "", b"  \n\t", None, b"\xef\xbb\xbf  "])
def test_empty(schemas, data):
    only_error(validate(data, schemas), "empty")


def test_too_large(schemas, example_bytes):
    result = validate(example_bytes, schemas, max_bytes=1024)
    error = only_error(result, "too_large")
    assert error["path"] == ""
    assert error["message"]["msgid"] == "The file is %(size)s MB; the maximum allowed is %(max)s MB."
    size = "%.2g" % (len(example_bytes) / (1024 * 1024))
    assert text(error) == "The file is %s MB; the maximum allowed is 0.00098 MB." % size
    # checked before parsing: not even JSON gets that far
    only_error(validate(b"x" * 2048, schemas, max_bytes=1024), "too_large")
    assert text(validate(b" " * (11 * 1024 * 1024), schemas)["errors"][0]) == (
        "The file is 11 MB; the maximum allowed is 10 MB."
    )
    # read up to the limit and one byte more: the real size is unknown
    capped = only_error(validate(b" " * (1024 + 1), schemas, max_bytes=1024), "too_large")
    assert text(capped) == "The file is larger than the maximum allowed of 0.00098 MB."


def test_bad_encoding(schemas):
    only_error(validate(b'{"id": "\xff"}', schemas), "bad_encoding")


def test_package_without_projects(schemas, example):
    del example["projects"]
    error = only_error(validate(json.dumps(example), schemas), "no_projects")
    assert error["path"] == "/projects"


def test_wrong_type(schemas, example):
    example["projects"][0]["budget"]["amount"]["amount"] = "40000000"
    error = only_error(validate(json.dumps(example), schemas), "type")
    assert error["path"] == "/projects/0/budget/amount/amount"
    assert text(error) == (
        "'amount' must be a number, but it is a string (text): \"40000000\". Write the number without quotes."
    )
    # the parts are messages of their own, translated when shown
    params = error["message"]["params"]
    assert params["subject"] == {"msgid": "'%(text)s'", "params": {"text": "amount"}}
    assert params["expected"] == {"msgid": "a number", "params": {}}


def test_closed_codelist_violation(schemas, example):
    example["projects"][0]["status"] = "bogus"
    error = only_error(validate(json.dumps(example), schemas), "codelist")
    assert error["path"] == "/projects/0/status"
    assert error["codelist"] == "projectStatus"
    assert text(error).startswith("'bogus' is not a value of the projectStatus codelist. Allowed values: identification,")
    assert error["message"]["params"]["value"] == {"msgid": "'%(text)s'", "params": {"text": "bogus"}}


def test_closed_codelist_in_array_and_open_codelist(schemas, example):
    project = example["projects"][0]
    project["sector"] = ["transport", "my.own.sector"]  # open: fine
    project["contractingProcesses"][1]["summary"]["nature"] = ["nonsense"]  # closed
    project["budget"]["amount"]["currency"] = "QQQ"  # closed
    result = validate(json.dumps(example), schemas)
    assert [(e["path"], e["code"]) for e in result["errors"]] == [
        ("/projects/0/budget/amount/currency", "codelist"),
        ("/projects/0/contractingProcesses/1/summary/nature/0", "codelist"),
    ]
    assert "contractNature" in text(result["errors"][1])


def test_required_format_and_other_messages(schemas, example):
    project = example["projects"][0]
    del project["id"]
    project["updated"] = "2018-12-10"  # a date, not a date-time
    project["sector"] = []
    project["title"] = ""
    project["parties"].append(copy.deepcopy(project["parties"][0]))
    example["version"] = "0.9.5"
    result = validate(json.dumps(example), schemas)
    got = {(e["path"], e["code"]) for e in result["errors"]}
    n = len(project["parties"]) - 1
    assert got == {
        ("/projects/0/id", "required"),
        ("/projects/0/updated", "format"),
        ("/projects/0/sector", "minItems"),
        ("/projects/0/title", "minLength"),
        (f"/projects/0/parties/{n}", "uniqueItems"),
        ("/version", "pattern"),
    }
    by_code = {e["code"]: e for e in result["errors"]}
    assert by_code["required"]["message"] == {
        "msgid": "Required field '%(field)s' is missing in item %(index)s of '%(list)s'.",
        "params": {"field": "id", "index": 0, "list": "projects"},
    }
    assert text(by_code["required"]) == "Required field 'id' is missing in item 0 of 'projects'."
    assert "RFC 3339" in text(by_code["format"])
    assert text(by_code["minItems"]) == "The list 'sector' must not be empty; leave it out if there are no items."
    assert text(by_code["uniqueItems"]) == f"Item {n} of the list 'parties' repeats item 0."
    assert text(by_code["pattern"]).endswith("The version is major.minor, e.g. '0.9'.")


def test_type_error_hides_enum_error_on_same_value(schemas, example):
    example["projects"][0]["status"] = 5
    only_error(validate(json.dumps(example), schemas), "type")


def test_duplicate_project_ids(schemas, example):
    second = copy.deepcopy(example["projects"][0])
    second["title"] = "Another"
    example["projects"].append(second)
    result = validate(json.dumps(example), schemas)
    assert result["projects"] == 2
    error = only_error(result, "duplicate_id")
    assert error["path"] == "/projects/1/id"


def test_errors_sorted_by_path_and_capped(schemas, example):
    project = example["projects"][0]
    example["projects"] = []
    for i in range(120):
        p = copy.deepcopy(project)
        p["id"] = f"p-{i}"
        p["status"] = "bogus"
        p["type"] = "bogus"
        example["projects"].append(p)
    result = validate(json.dumps(example), schemas)
    assert result["error_count"] == 240 and result["truncated"] is True
    assert len(result["errors"]) == 200
    paths = [e["path"] for e in result["errors"]]
    assert paths[:4] == ["/projects/0/status", "/projects/0/type", "/projects/1/status", "/projects/1/type"]
    assert paths[-1] == "/projects/99/type"  # numeric, not string, order


def test_project_or_package_detection(schemas):
    assert validate('{"id": "x"}', schemas)["kind"] == "project"
    only_error(validate('{"version": "0.9", "id": "x"}', schemas), "no_projects")
    only_error(validate('{"uri": "https://x", "publisher": {"name": "y"}}', schemas), "no_projects")
    result = validate("{}", schemas)
    assert result["kind"] == "project"
    assert [(e["path"], e["code"]) for e in result["errors"]] == [("/id", "required")]
    result = validate('{"projects": {}}', schemas)
    assert result["kind"] == "package" and "type" in codes(result)


@pytest.mark.parametrize("data", ["[" * 100000, '{"a":' * 5000 + "1" + "}" * 5000, b"\x00\x01", object()])
def test_never_raises(schemas, data):
    result = validate(data, schemas)
    assert result["valid"] is False and result["errors"]


def _messages(message):
    yield message
    for value in message["params"].values():
        if isinstance(value, dict):
            yield from _messages(value)


def test_messages_are_gettext_ids_with_language_neutral_values(schemas, example):
    project = example["projects"][0]
    project["status"] = "bogus"
    project["budget"]["amount"]["amount"] = "40000000"
    project["sector"] = []
    del project["id"]
    inputs = [json.dumps(example), b"", b"[1]", b'{"a": 1,}', b'{"version": "1.1", "releases": []}', b"x" * 2048]
    errors = [e for data in inputs for e in validate(data, schemas, max_bytes=1024 if data == inputs[-1] else 10**7)["errors"]]
    assert {e["code"] for e in errors} >= {"codelist", "type", "minItems", "required", "empty", "not_object",
                                           "not_json", "no_projects", "too_large"}
    for error in errors:
        json.dumps(error)  # stored as JSON on the resource
        for message in _messages(error["message"]):
            assert set(message) == {"msgid", "params"}, error
            assert not any(k.endswith(("_es", "_en")) or k in ("es", "en") for k in message["params"]), error
        assert "%(" not in text(error), error


# ---------------------------------------------------------------------------
# Mapping


def test_project_to_fields_on_the_example(example):
    project = example["projects"][0]
    fields = project_to_fields(project)
    point = next(loc["geometry"]["coordinates"] for loc in project["locations"] if loc.get("geometry", {}).get("type") == "Point")
    authority = project["publicAuthority"]["name"]
    assert fields == {
        "oc4ids_id": project["id"],
        "title": project["title"],
        "notes": project["description"],
        "project_status": project["status"],
        "project_type": project["type"],
        "project_sector": project["sector"],
        "purpose": project["purpose"],
        "public_authority": authority,
        "budget_amount": project["budget"]["amount"]["amount"],
        "budget_currency": project["budget"]["amount"]["currency"],
        "project_period_start": project["period"]["startDate"][:10],
        "project_period_end": project["period"]["endDate"][:10],
        # GeoJSON order is [longitude, latitude]
        "longitude": point[0],
        "latitude": point[1],
        "contracting_processes_count": len(project["contractingProcesses"]),
        "completion_end_date": project["completion"]["endDate"][:10],
        "completion_final_value": project["completion"]["finalValue"]["amount"],
        "completion_final_currency": project["completion"]["finalValue"]["currency"],
    }
    # the example is not from Guatemala: no INE codes
    assert "geo_departments" not in fields and "geo_level" not in fields


def test_public_authority_from_parties(example):
    project = example["projects"][0]
    party = next(p for p in project["parties"] if "publicAuthority" in p.get("roles", []))
    project["publicAuthority"] = {"id": party["id"]}
    assert project_to_fields(project)["public_authority"] == party["name"]
    del project["publicAuthority"]
    assert project_to_fields(project)["public_authority"] == party["name"]


def test_guatemalan_locations_resolve_to_ine_codes():
    project = {
        "id": "x",
        "locations": [
            {"id": "1", "address": {"region": "Quetzaltenango", "locality": "Quetzaltenango", "countryName": "Guatemala"}},
            {"id": "2", "address": {"region": "El Quiché"}},
            {"id": "3", "address": {"locality": "Huehuetenango"}},
            {"id": "4", "address": {"region": "Santa Rosa", "countryName": "Honduras"}},
            {"id": "5", "geometry": {"type": "Point", "coordinates": [-91.52, 14.84]}},
        ],
    }
    fields = project_to_fields(project)
    assert fields["geo_municipalities"] == ["0901", "1301"]
    assert fields["geo_departments"] == ["09", "14", "13"]
    assert fields["geo_level"] == "municipal"
    assert (fields["latitude"], fields["longitude"]) == (14.84, -91.52)
    assert project_to_fields({"id": "y", "locations": [{"id": "1", "address": {"region": "Petén"}}]})["geo_level"] == "departamental"


def test_round_trip_validates(schemas, example):
    project = example["projects"][0]
    rebuilt = fields_to_project(project_to_fields(project))
    result = validate(json.dumps(rebuilt), schemas)
    assert result["valid"] is True, result["errors"]
    expected = project_to_fields(project)
    del expected["contracting_processes_count"]  # read only: not mapped back
    assert project_to_fields(rebuilt) == expected


def test_round_trip_over_the_original_keeps_it(schemas, example):
    project = example["projects"][0]
    fields = project_to_fields(project)
    pkg = dict(fields, oc4ids_original=project, metadata_modified="2024-05-01T12:34:56.789")
    rebuilt = fields_to_project(pkg)
    assert rebuilt == dict(project, updated="2024-05-01T12:34:56Z")
    # edits in CKAN are laid over the original
    pkg.update(project_status="completion", budget_amount="45,000,000", purpose="", latitude=51.5, longitude=-0.12)
    rebuilt = fields_to_project(pkg)
    assert rebuilt["status"] == "completion"
    assert rebuilt["budget"]["amount"] == {"amount": 45000000, "currency": "GBP"}
    assert rebuilt["budget"]["budgetBreakdowns"] == project["budget"]["budgetBreakdowns"]
    assert "purpose" not in rebuilt
    assert rebuilt["locations"][0]["geometry"]["coordinates"] == [-0.12, 51.5]
    assert rebuilt["contractingProcesses"] == project["contractingProcesses"]
    assert validate(json.dumps(rebuilt), schemas)["valid"] is True


def _guatemalan_dataset(**extra):
    pkg = {
        "id": "6d2c1c5e-0000-4000-8000-000000000001",
        "name": "escuela-oficial-rural-mixta",
        "title": "Ampliación de la Escuela Oficial Rural Mixta",
        "notes": "Construcción de 4 aulas.",
        "project_status": "implementation",
        "project_type": "expansion",
        "project_sector": ["education"],
        "purpose": "Ampliar la cobertura educativa.",
        "public_authority": "Ministerio de Educación",
        "budget_amount": "1,500,000.50",
        "budget_currency": "",
        "project_period_start": "2024-01-15",
        "project_period_end": "2024-12-31",
        "geo_departments": ["09"],
        "geo_municipalities": ["0901"],
        "latitude": "14.8347",
        "longitude": "-91.5180",
        "completion_end_date": "",
        "completion_final_value": "",
        "completion_final_currency": "",
        "metadata_modified": "2024-05-01T12:34:56.123456",
    }
    pkg.update(extra)
    return pkg


def test_fields_to_project_from_a_dataset(schemas):
    project = fields_to_project(_guatemalan_dataset())
    assert validate(json.dumps(project), schemas)["valid"] is True
    assert project["id"] == "6d2c1c5e-0000-4000-8000-000000000001"
    assert project["updated"] == "2024-05-01T12:34:56Z"
    assert project["budget"]["amount"] == {"amount": 1500000.5, "currency": "GTQ"}
    assert project["period"]["startDate"] == "2024-01-15T00:00:00-06:00"
    assert project["publicAuthority"]["name"] == "Ministerio de Educación"
    party = next(p for p in project["parties"] if p["id"] == project["publicAuthority"]["id"])
    assert party["roles"] == ["publicAuthority"]
    assert project["locations"] == [
        {
            "id": "1",
            "description": "Quetzaltenango, Quetzaltenango",
            "address": {"locality": "Quetzaltenango", "region": "Quetzaltenango", "countryName": "Guatemala"},
            "geometry": {"type": "Point", "coordinates": [-91.518, 14.8347]},
        }
    ]
    assert "completion" not in project
    fields = project_to_fields(project)
    assert fields["geo_municipalities"] == ["0901"] and fields["geo_departments"] == ["09"]
    assert fields["oc4ids_id"] == project["id"]


def test_build_package_validates(schemas):
    projects = [
        fields_to_project(_guatemalan_dataset()),
        fields_to_project(
            _guatemalan_dataset(
                id="6d2c1c5e-0000-4000-8000-000000000002",
                oc4ids_id="oc4ids-xxxxxx-hospital-1",
                project_sector="health",
                public_authority="Ministerio de Salud Pública y Asistencia Social",
                geo_municipalities=[],
                geo_departments=["17"],
                latitude="",
                longitude="",
                project_status="completion",
                completion_end_date="2024-11-30",
                completion_final_value=1600000,
            )
        ),
    ]
    package = build_package(
        projects,
        uri="https://datos.gob.gt/oc4ids/paquete.json",
        publisher_name="Gobierno Abierto Guatemala",
        published_date="2024-05-01",
        license="https://creativecommons.org/licenses/by/4.0/",
    )
    assert package["version"] == "0.9"
    assert package["publishedDate"] == "2024-05-01T00:00:00Z"
    assert package["publisher"] == {"name": "Gobierno Abierto Guatemala"}
    result = validate(json.dumps(package), schemas)
    assert result["valid"] is True, result["errors"]
    assert result["kind"] == "package" and result["projects"] == 2
    assert projects[1]["locations"] == [
        {"id": "1", "description": "Petén", "address": {"region": "Petén", "countryName": "Guatemala"}}
    ]
    assert projects[1]["completion"] == {
        "endDate": "2024-11-30T00:00:00-06:00",
        "finalValue": {"amount": 1600000, "currency": "GTQ"},
    }
    no_license = build_package(projects, uri="https://x.gt/p.json", publisher_name="X", published_date="2024-05-01T10:00:00-06:00", license="")
    assert "license" not in no_license and no_license["publishedDate"] == "2024-05-01T10:00:00-06:00"
    assert validate(json.dumps(no_license), schemas)["valid"] is True
