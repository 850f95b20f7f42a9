"""OC4IDS infrastructure projects in CKAN (issue 5), on the real stack:
PostgreSQL, Solr, file storage, the official OC4IDS 0.9.5 files shipped in
the extension and the standard's example package in tests/data/oc4ids/.
Projects are imported with the `import-oc4ids` command (run
through CKAN's click app), uploaded as resources through the API, and
published at /oc4ids-proyecto/<name>/oc4ids.json and /oc4ids/paquete.json.
Remote schemas are served by a throw-away HTTP server on 127.0.0.1."""
import copy
import functools
import json
import os

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.oc4ids import PACKAGED, clear_cache, load_schemas
from ckanext.ogpguatemala.oc4ids.validation import validate
from tests.helpers import (
    COMMON, FileServer, assert_translated, dataset_count, english, spanish, sysadmin_context,
)

SHARED = PACKAGED  # the OC4IDS 0.9.5 release files shipped in the extension
EXAMPLE = os.path.join(os.path.dirname(__file__), "data", "oc4ids", "example.json")
TYPE = "oc4ids-proyecto"


# ------------------------------------------------------------------ data
def _example_bytes():
    with open(EXAMPLE, "rb") as f:
        return f.read()


def _example():
    return json.loads(_example_bytes())


def _load(name):
    with open(os.path.join(SHARED, name), encoding="utf-8") as f:
        return json.load(f)


@functools.lru_cache(maxsize=None)
def _official_schemas():
    return load_schemas(SHARED)


def _project_validator():
    return jsonschema.Draft4Validator(
        _load("project-schema.json"), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _package_validator():
    """The package schema with its $ref to the project schema bound to the
    local copy (nothing is fetched)."""
    project = _load("project-schema.json")
    registry = Registry().with_resource(
        project["id"], Resource.from_contents(project, default_specification=DRAFT4))
    return jsonschema.Draft4Validator(
        _load("project-package-schema.json"), registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _schema_errors(validator, doc):
    return ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message)
            for e in validator.iter_errors(doc)]


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, (dict, list)):
        content = json.dumps(content, ensure_ascii=False)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def _report(resource):
    assert resource["ogp_check_status"] in ("valid", "invalid")
    return json.loads(resource["ogp_check_report"])


def _codes(report):
    return [e["code"] for e in report["errors"]]


def _summary(created, updated, rejected):
    """The import's closing line, in the portal's language (Spanish)."""
    return spanish("Created: %(created)s, updated: %(updated)s, rejected: %(rejected)s",
                   created=created, updated=updated, rejected=rejected)


# -------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def _fresh_schema_cache():
    """Schemas are cached per location; tests that change the location
    must not leak into others."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def env(stack, tmp_path, ckan_config, monkeypatch):
    storage = tmp_path / "storage"
    storage.mkdir()
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(storage))
    org = factories.Organization(name="mspas")
    env = {"context": sysadmin_context(), "org": org, "tmp": tmp_path, "storage": str(storage),
           "ini": ckan_config["__file__"]}
    env["cli_ini"] = _cli_ini(env)
    return env


def _cli_ini(env, **options):
    """A configuration file for the command: test.ini, with the test's file
    storage (so imported files stay in tmp_path) and ``options``. The
    command loads it afresh, as a deployment would."""
    options.setdefault("ckan.storage_path", env["storage"])
    options.setdefault("ckanext.ogpguatemala.oc4ids_schema", SHARED)
    ini = env["tmp"] / ("cli-%d.ini" % len(list(env["tmp"].glob("cli-*.ini"))))
    ini.write_text("[app:main]\nuse = config:%s\n%s" % (env["ini"], "".join(
        "%s = %s\n" % item for item in options.items())))
    return str(ini)


def _import(cli, env, source, org="mspas", milestone="PAN6-C3-H1", config=None):
    from ckan.cli.cli import ckan

    return cli.invoke(ckan, ["-c", config or env["cli_ini"], "ogpguatemala", "import-oc4ids",
                             str(source), "--org", org, "--milestone", milestone])


def _project_dataset(env, **fields):
    """An oc4ids-proyecto dataset created through the API with the common
    metadata and whatever project fields the test types."""
    data = copy.deepcopy(COMMON)
    data.update(type=TYPE, owner_org=env["org"]["id"], ogp_milestones=["PAN6-C3-H1"])
    data.update(fields)
    return helpers.call_action("package_create", context=dict(env["context"]), **data)


def _upload(create_with_upload, env, dataset, data, filename="proyecto.json", fmt="JSON"):
    return create_with_upload(data, filename, context=dict(env["context"]),
                              package_id=dataset["id"], name=filename, format=fmt)


def _by_oc4ids_id(oc4ids_id):
    result = helpers.call_action("package_search", fq='oc4ids_id:"%s"' % oc4ids_id,
                                 include_private=True)
    assert result["count"] == 1, result
    return helpers.call_action("package_show", id=result["results"][0]["id"])


@pytest.fixture
def schema_server():
    """The official OC4IDS 0.9.5 folder over HTTP."""
    with FileServer(SHARED) as server:
        yield server


# ===================================================== 1. import the example
def test_official_example_is_valid_with_the_extensions_validator():
    result = validate(_example_bytes(), _official_schemas())
    assert result["valid"] is True, result["errors"]
    assert result["kind"] == "package"
    assert result["projects"] == len(_example()["projects"])


def test_import_official_example_creates_one_dataset_per_project(env, cli, app):
    example = _example()
    before = dataset_count()
    result = _import(cli, env, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert _summary(len(example["projects"]), 0, 0) in result.output
    assert dataset_count() == before + len(example["projects"])

    found = helpers.call_action("package_search", fq="ogp_commitments:PAN6-C3", rows=50)
    assert found["count"] == len(example["projects"])

    for project in example["projects"]:
        ds = _by_oc4ids_id(project["id"])
        assert ds["name"] in [d["name"] for d in found["results"]]
        assert ds["type"] == TYPE
        assert ds["organization"]["name"] == "mspas"
        assert ds["oc4ids_id"] == project["id"]
        assert ds["title"] == project["title"]
        assert ds["notes"] == project["description"]
        assert ds["project_status"] == project["status"]
        assert ds["project_type"] == project["type"]
        assert ds["project_sector"] == project["sector"]
        assert ds["purpose"] == project["purpose"]
        assert float(ds["budget_amount"]) == project["budget"]["amount"]["amount"]
        assert ds["budget_currency"] == project["budget"]["amount"]["currency"]
        assert ds["project_period_start"] == project["period"]["startDate"][:10]
        assert ds["project_period_end"] == project["period"]["endDate"][:10]
        assert ds["public_authority"] == project["publicAuthority"]["name"]
        assert ds["ogp_milestones"] == ["PAN6-C3-H1"]
        assert ds["ogp_commitments"] == ["PAN6-C3"]
        assert ds["ogp_plans"] == ["PAN6"]

        # the project's JSON is attached, checked and valid
        [resource] = ds["resources"]
        assert resource["format"] == "JSON" and resource["url_type"] == "upload"
        assert resource["ogp_check_status"] == "valid"
        report = _report(resource)
        assert report["valid"] is True and report["errors"] == []
        assert report["checker"] == "oc4ids-0.9"
        # and what is stored is the project itself
        download = app.get(resource["url"].replace("http://test.ckan.net", ""))
        assert download.status_code == 200
        assert json.loads(download.body) == project


def test_import_creates_one_dataset_per_project_of_a_larger_package(env, cli):
    package = _example()
    second = copy.deepcopy(package["projects"][0])
    second["id"] = "oc4ids-bu3kcz-segundo-proyecto"
    second["title"] = "Segundo proyecto del paquete"
    second["status"] = "implementation"
    package["projects"].append(second)
    before = dataset_count()

    result = _import(cli, env, _write(env["tmp"], "dos.json", package))
    assert result.exit_code == 0, result.output
    assert _summary(2, 0, 0) in result.output
    assert dataset_count() == before + 2
    assert _by_oc4ids_id(second["id"])["title"] == "Segundo proyecto del paquete"
    assert _by_oc4ids_id(second["id"])["project_status"] == "implementation"
    assert helpers.call_action("package_search", fq="ogp_milestones:PAN6-C3-H1")["count"] == 2


# ===================================================== 2. re-import updates
def test_reimport_updates_instead_of_duplicating(env, cli):
    example = _example()
    project = example["projects"][0]
    assert _import(cli, env, EXAMPLE).exit_code == 0
    count = dataset_count()
    ds = _by_oc4ids_id(project["id"])

    again = _import(cli, env, EXAMPLE)
    assert again.exit_code == 0, again.output
    assert _summary(0, 1, 0) in again.output
    assert "~ %s" % ds["name"] in again.output
    assert dataset_count() == count
    same = _by_oc4ids_id(project["id"])
    assert same["id"] == ds["id"]
    assert len(same["resources"]) == 1  # the file is replaced, not added
    assert same["resources"][0]["ogp_check_status"] == "valid"

    # a changed title in the source updates the dataset
    project["title"] = "Ampliación M75, título corregido"
    changed = _import(cli, env, _write(env["tmp"], "cambiado.json", example))
    assert changed.exit_code == 0, changed.output
    assert _summary(0, 1, 0) in changed.output
    assert dataset_count() == count
    updated = _by_oc4ids_id(project["id"])
    assert updated["id"] == ds["id"]
    assert updated["title"] == "Ampliación M75, título corregido"
    assert updated["oc4ids_original"]["title"] == "Ampliación M75, título corregido"
    assert len(updated["resources"]) == 1
    found = helpers.call_action("package_search", q='title:"corregido"', fq="ogp_commitments:PAN6-C3")
    assert [d["id"] for d in found["results"]] == [ds["id"]]


# ===================================================== 3. broken inputs
def _package_without_projects():
    package = _example()
    del package["projects"]
    return package


def _with_project_change(change):
    package = _example()
    change(package["projects"][0])
    return package


def _lead(msgid):
    """The Spanish text of a message up to its first value."""
    return spanish(msgid).split("%(")[0].strip()


# (content, what the command says: a fixed part of its Spanish message or a JSON pointer)
BROKEN = {
    "not_json": (b'{"version": "0.9", "projects": [', _lead(
        "The file is not valid JSON: %(reason)s (line %(line)s, column %(column)s).")),
    "array": (json.dumps(_example()["projects"]), _lead(
        "The document must be a JSON object (an OC4IDS project package or a project), "
        "but it is %(actual)s.")),
    "empty": (b"", spanish("The file is empty.")),
    "no_projects": (_package_without_projects(), _lead(
        "The package has no 'projects' list: an OC4IDS project package must include at "
        "least one project.")),
    "type": (
        _with_project_change(lambda p: p["budget"]["amount"].update(amount="40000000")),
        "/projects/0/budget/amount/amount",
    ),
    "codelist": (
        _with_project_change(lambda p: p.update(status="bogus")),
        "/projects/0/status",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_refused_with_its_error_and_creates_nothing(env, cli, case):
    content, message = BROKEN[case]
    path = _write(env["tmp"], "%s.json" % case, content)
    before = dataset_count()
    result = _import(cli, env, path)
    assert result.exit_code != 0, result.output
    assert message in result.output, result.output
    assert dataset_count() == before
    assert helpers.call_action("package_search", fq="dataset_type:%s" % TYPE)["count"] == 0


def test_wrong_type_and_codelist_violation_say_what_is_wrong(env, cli):
    typed = _import(cli, env, _write(env["tmp"], "t.json", BROKEN["type"][0]))
    assert _summary(0, 0, 1) in typed.output
    assert "debe ser un número" in typed.output, typed.output
    bogus = _import(cli, env, _write(env["tmp"], "c.json", BROKEN["codelist"][0]))
    assert _summary(0, 0, 1) in bogus.output
    assert "bogus" in bogus.output and "projectStatus" in bogus.output, bogus.output


def test_file_larger_than_the_limit_is_refused(env, cli):
    assert os.path.getsize(EXAMPLE) > 1000
    ini = _cli_ini(env, **{"ckanext.ogpguatemala.oc4ids_max_bytes": 1000})
    before = dataset_count()
    result = _import(cli, env, EXAMPLE, config=ini)
    assert result.exit_code != 0
    assert _lead("The file is larger than the maximum allowed of %(max)s MB.") in result.output, \
        result.output
    assert dataset_count() == before


def test_unknown_organization_is_refused(env, cli):
    before = dataset_count()
    result = _import(cli, env, EXAMPLE, org="no-existe")
    assert result.exit_code != 0
    assert spanish("Organization '%(org)s' does not exist", org="no-existe") in result.output, \
        result.output
    assert dataset_count() == before


@pytest.mark.parametrize("milestone, message", [
    ("PAN6-C3-H9", "PAN6-C3-H9"),
    ("PAN6-C3", "«PAN6-C3» es un compromiso, no un hito"),
])
def test_unknown_milestone_is_refused(env, cli, milestone, message):
    before = dataset_count()
    result = _import(cli, env, EXAMPLE, milestone=milestone)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert _summary(0, 0, 0).split(":")[0] not in result.output
    assert dataset_count() == before


def test_missing_source_file_is_refused(env, cli):
    result = _import(cli, env, str(env["tmp"] / "no-existe.json"))
    assert result.exit_code != 0
    assert _lead("Could not read %(path)s (%(reason)s)") in result.output, result.output


def test_package_with_a_valid_and_an_invalid_project(env, cli):
    package = _example()
    bad = copy.deepcopy(package["projects"][0])
    bad["id"] = "oc4ids-bu3kcz-proyecto-malo"
    bad["status"] = "bogus"
    package["projects"].append(bad)
    before = dataset_count()

    result = _import(cli, env, _write(env["tmp"], "mixto.json", package))
    assert _summary(1, 0, 1) in result.output
    assert "x oc4ids-bu3kcz-proyecto-malo" in result.output
    assert "/projects/1/status" in result.output and "bogus" in result.output
    assert result.exit_code != 0  # something was rejected
    assert dataset_count() == before + 1
    assert _by_oc4ids_id(package["projects"][0]["id"])["resources"][0]["ogp_check_status"] == "valid"
    assert helpers.call_action("package_search", fq='oc4ids_id:"oc4ids-bu3kcz-proyecto-malo"',
                               include_private=True)["count"] == 0


# ======================================= 4. uploads on oc4ids-proyecto datasets
def test_invalid_upload_is_stored_on_the_resource_and_shown(env, create_with_upload, app):
    ds = _project_dataset(env, name="proyecto-con-errores")
    package = _example()
    package["projects"][0]["status"] = "bogus"
    package["projects"][0]["budget"]["amount"]["amount"] = "mucho"
    res = _upload(create_with_upload, env, ds, json.dumps(package).encode())

    assert res["ogp_check_status"] == "invalid"
    report = _report(res)
    assert report["valid"] is False and report["checker"] == "oc4ids-0.9"
    paths = {e["path"]: e["code"] for e in report["errors"]}
    assert paths["/projects/0/status"] == "codelist"
    assert paths["/projects/0/budget/amount/amount"] == "type"
    assert_translated(report)
    # stored: resource_show gives the same
    shown = helpers.call_action("resource_show", id=res["id"])
    assert shown["ogp_check_status"] == "invalid"
    assert json.loads(shown["ogp_check_report"])["errors"] == report["errors"]
    # the invalid file fills nothing
    assert not helpers.call_action("package_show", id=ds["id"]).get("project_status")

    page = app.get("/%s/%s/resource/%s" % (TYPE, ds["name"], res["id"]))
    assert page.status_code == 200
    assert "ogp-check-report" in page.body
    assert "/projects/0/status" in page.body
    assert "/projects/0/budget/amount/amount" in page.body


def _too_large():
    return b'{"version": "0.9", "projects": []' + b" " * 2000 + b"}"


BAD_UPLOADS = {
    "not_json": (b"esto no es JSON", "not_json"),
    "array": (b"[1, 2, 3]", "not_object"),
    "empty": (b"", "empty"),
    "too_large": (_too_large(), "too_large"),
    "codelist": (json.dumps(_with_project_change(lambda p: p.update(status="bogus"))).encode(),
                 "codelist"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_upload_gets_its_error_code_and_never_a_500(env, create_with_upload, app, case,
                                                        ckan_config, monkeypatch):
    content, code = BAD_UPLOADS[case]
    if case == "too_large":
        monkeypatch.setitem(ckan_config, "ckanext.ogpguatemala.oc4ids_max_bytes", 1000)
    ds = _project_dataset(env, name="proyecto-%s" % case.replace("_", "-"))
    res = _upload(create_with_upload, env, ds, content)
    assert res["ogp_check_status"] == "invalid"
    report = _report(res)
    assert code in _codes(report), report
    assert_translated(report)
    if case == "too_large":
        # the file is read up to the limit: its size is not reported as the limit's
        assert "larger than the maximum allowed" in english(report["errors"][0]["message"]), report
    assert helpers.call_action("resource_show", id=res["id"])["ogp_check_status"] == "invalid"
    page = app.get("/%s/%s/resource/%s" % (TYPE, ds["name"], res["id"]))
    assert page.status_code == 200
    assert "ogp-check-report" in page.body
    assert app.get("/%s/%s" % (TYPE, ds["name"])).status_code == 200


def test_valid_upload_fills_empty_fields_and_typed_values_win(env, create_with_upload):
    project = _example()["projects"][0]
    ds = _project_dataset(env, name="proyecto-tecleado", title="Título que escribió el publicador",
                          purpose="Propósito que escribió el publicador")
    assert not ds.get("project_status") and not ds.get("budget_amount")

    res = _upload(create_with_upload, env, ds, _example_bytes(), filename="example.json")
    assert res["ogp_check_status"] == "valid", _report(res)["errors"]
    report = _report(res)
    assert {"project_status", "project_sector", "budget_amount"} <= set(report["filled_fields"])
    assert "title" not in report["filled_fields"] and "purpose" not in report["filled_fields"]

    shown = helpers.call_action("package_show", id=ds["id"])
    # typed by the publisher: kept
    assert shown["title"] == "Título que escribió el publicador"
    assert shown["purpose"] == "Propósito que escribió el publicador"
    assert shown["notes"] == COMMON["notes"]
    # empty: filled from the project
    assert shown["project_status"] == project["status"]
    assert shown["project_type"] == project["type"]
    assert shown["project_sector"] == project["sector"]
    assert float(shown["budget_amount"]) == project["budget"]["amount"]["amount"]
    assert shown["budget_currency"] == project["budget"]["amount"]["currency"]
    assert shown["project_period_start"] == project["period"]["startDate"][:10]
    assert shown["public_authority"] == project["publicAuthority"]["name"]
    assert shown["oc4ids_original"]["id"] == project["id"]
    # and indexed with what was filled
    found = helpers.call_action("package_search", fq='project_status:"%s"' % project["status"])
    assert [d["id"] for d in found["results"]] == [ds["id"]]


def test_upload_of_a_single_project_fills_too(env, create_with_upload):
    project = _example()["projects"][0]
    ds = _project_dataset(env, name="proyecto-suelto")
    res = _upload(create_with_upload, env, ds, json.dumps(project).encode())
    assert res["ogp_check_status"] == "valid", _report(res)["errors"]
    assert _report(res)["kind"] == "project"
    shown = helpers.call_action("package_show", id=ds["id"])
    assert shown["project_status"] == project["status"]
    assert shown["title"] == COMMON["title"]


# ===================================================== 5. one project out
def _assert_valid_project(doc):
    result = validate(json.dumps(doc).encode(), _official_schemas())
    assert result["valid"] is True and result["kind"] == "project", result["errors"]
    assert _schema_errors(_project_validator(), doc) == []


def test_exported_project_of_an_imported_dataset_is_valid(env, cli, app):
    project = _example()["projects"][0]
    assert _import(cli, env, EXAMPLE).exit_code == 0
    ds = _by_oc4ids_id(project["id"])
    response = app.get("/%s/%s/oc4ids.json" % (TYPE, ds["name"]))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    doc = json.loads(response.body)
    _assert_valid_project(doc)
    assert doc["id"] == project["id"]
    assert doc["title"] == project["title"]
    assert doc["status"] == project["status"]
    assert doc["budget"]["amount"] == project["budget"]["amount"]
    # what the dataset does not map survives from the original file
    assert doc["contractingProcesses"] == project["contractingProcesses"]


def test_exported_project_of_a_typed_dataset_is_valid(env, app):
    ds = _project_dataset(
        env, name="proyecto-a-mano", oc4ids_id="oc4ids-abc123-hospital-01",
        project_status="implementation", project_type="construction",
        project_sector=["health"], purpose="Atender a la población de Mixco.",
        public_authority="Ministerio de Salud Pública y Asistencia Social",
        budget_amount="15000000.50", budget_currency="GTQ",
        project_period_start="2024-01-15", project_period_end="2025-06-30",
        latitude="14.6349", longitude="-90.5069")
    response = app.get("/%s/%s/oc4ids.json" % (TYPE, ds["name"]))
    assert response.status_code == 200
    doc = json.loads(response.body)
    _assert_valid_project(doc)
    assert doc["id"] == "oc4ids-abc123-hospital-01"
    assert doc["status"] == "implementation" and doc["sector"] == ["health"]
    assert doc["budget"]["amount"] == {"amount": 15000000.5, "currency": "GTQ"}
    assert doc["publicAuthority"]["name"] == "Ministerio de Salud Pública y Asistencia Social"


def test_private_project_is_404_for_anonymous_users(env, app):
    ds = _project_dataset(env, name="proyecto-privado", private=True,
                          oc4ids_id="oc4ids-priv01-oculto")
    assert app.get("/%s/%s/oc4ids.json" % (TYPE, ds["name"])).status_code == 404
    assert app.get("/%s/%s/oc4ids.json" % (TYPE, ds["id"])).status_code == 404
    # a dataset of another type, or none, is not a project either
    assert app.get("/%s/no-existe/oc4ids.json" % TYPE).status_code == 404
    general = helpers.call_action("package_create", context=dict(env["context"]),
                                  **dict(copy.deepcopy(COMMON), name="general",
                                         owner_org=env["org"]["id"], ogp_milestones=["PAN6-C1-H4"]))
    assert app.get("/%s/%s/oc4ids.json" % (TYPE, general["name"])).status_code == 404


def test_private_project_is_visible_to_its_editors(env, app):
    user = factories.SysadminWithToken()
    ds = _project_dataset(env, name="proyecto-privado-2", private=True)
    response = app.get("/%s/%s/oc4ids.json" % (TYPE, ds["name"]),
                       headers={"Authorization": user["token"]})
    assert response.status_code == 200
    _assert_valid_project(json.loads(response.body))


# ===================================================== 6. the package
def test_package_of_public_projects_is_valid_and_has_no_private_project(env, cli, app):
    example = _example()
    assert _import(cli, env, EXAMPLE).exit_code == 0
    typed = _project_dataset(env, name="proyecto-publico", oc4ids_id="oc4ids-abc123-publico-01",
                             project_status="preparation")
    _project_dataset(env, name="proyecto-secreto", private=True,
                     title="Proyecto Secreto Zafiro", oc4ids_id="oc4ids-zaf123-secreto-99")

    response = app.get("/oc4ids/paquete.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    package = json.loads(response.body)
    for key in ("version", "uri", "publisher", "publishedDate", "license", "projects"):
        assert package.get(key), key
    assert package["uri"].endswith("/oc4ids/paquete.json")
    assert _schema_errors(_package_validator(), package) == []
    result = validate(response.body, _official_schemas())
    assert result["valid"] is True and result["kind"] == "package", result["errors"]

    ids = sorted(p["id"] for p in package["projects"])
    assert ids == sorted([p["id"] for p in example["projects"]] + [typed["oc4ids_id"]])
    assert "oc4ids-zaf123-secreto-99" not in response.body
    assert "Zafiro" not in response.body


def test_package_follows_every_change_of_a_public_project(env, app):
    """The package is kept between requests (publishing.package_json); an
    edit, a project turned private, a new one or a deletion shows at once."""
    def ids_and_titles():
        response = app.get("/oc4ids/paquete.json")
        if response.status_code == 404:
            return None
        return sorted((p["id"], p["title"]) for p in json.loads(response.body)["projects"])

    one = _project_dataset(env, name="proyecto-uno", title="Puente uno", oc4ids_id="oc4ids-abc123-uno")
    assert ids_and_titles() == [("oc4ids-abc123-uno", "Puente uno")]
    assert ids_and_titles() == [("oc4ids-abc123-uno", "Puente uno")]  # served again
    helpers.call_action("package_patch", context=dict(env["context"]), id=one["id"],
                        title="Puente uno, corregido")
    assert ids_and_titles() == [("oc4ids-abc123-uno", "Puente uno, corregido")]
    two = _project_dataset(env, name="proyecto-dos", title="Escuela dos", oc4ids_id="oc4ids-abc123-dos")
    assert ids_and_titles() == [("oc4ids-abc123-dos", "Escuela dos"),
                                ("oc4ids-abc123-uno", "Puente uno, corregido")]
    helpers.call_action("package_patch", context=dict(env["context"]), id=two["id"], private=True)
    assert ids_and_titles() == [("oc4ids-abc123-uno", "Puente uno, corregido")]
    helpers.call_action("package_delete", context=dict(env["context"]), id=one["id"])
    assert ids_and_titles() is None


# ===================================================== 7. schema location
def test_schema_served_over_http_is_used(env, create_with_upload, ckan_config, monkeypatch,
                                        schema_server):
    monkeypatch.setitem(ckan_config, "ckanext.ogpguatemala.oc4ids_schema",
                        schema_server.url + "/project-schema.json")
    ds = _project_dataset(env, name="proyecto-esquema-remoto")
    res = _upload(create_with_upload, env, ds, _example_bytes(), filename="example.json")
    assert res["ogp_check_status"] == "valid", _report(res)["errors"]
    assert "/project-schema.json" in schema_server.requests
    assert "/project-package-schema.json" in schema_server.requests

    # the same remote schema rejects what the standard rejects
    bad = _example()
    bad["projects"][0]["status"] = "bogus"
    res = _upload(create_with_upload, env, ds, json.dumps(bad).encode(), filename="malo.json")
    assert res["ogp_check_status"] == "invalid"
    assert "codelist" in _codes(_report(res))


def test_unavailable_schema_is_a_clear_error_on_the_resource(env, create_with_upload, app,
                                                             ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.ogpguatemala.oc4ids_schema",
                        str(env["tmp"] / "no-existe" / "project-schema.json"))
    ds = _project_dataset(env, name="proyecto-sin-esquema")
    res = _upload(create_with_upload, env, ds, _example_bytes(), filename="example.json")
    assert res["ogp_check_status"] == "invalid"
    report = _report(res)
    assert _codes(report) == ["schema_unavailable"]
    assert_translated(report)
    # nothing was filled from an unchecked file
    assert not helpers.call_action("package_show", id=ds["id"]).get("project_status")
    page = app.get("/%s/%s/resource/%s" % (TYPE, ds["name"], res["id"]))
    assert page.status_code == 200 and "ogp-check-report" in page.body


def test_unreachable_schema_url_is_a_clear_error_on_the_resource(env, create_with_upload,
                                                                 ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.ogpguatemala.oc4ids_schema",
                        "http://127.0.0.1:9/oc4ids/project-schema.json")
    ds = _project_dataset(env, name="proyecto-esquema-caido")
    res = _upload(create_with_upload, env, ds, _example_bytes(), filename="example.json")
    assert res["ogp_check_status"] == "invalid"
    assert _codes(_report(res)) == ["schema_unavailable"]


def test_unavailable_schema_stops_the_import_cleanly(env, cli):
    # The command loads its own configuration file, so the location is
    # changed there.
    ini = _cli_ini(env, **{"ckanext.ogpguatemala.oc4ids_schema": env["tmp"] / "no-existe"})
    before = dataset_count()
    result = _import(cli, env, EXAMPLE, config=ini)
    assert result.exit_code != 0
    assert _lead("The OC4IDS schema is unavailable; the file could not be validated (%(reason)s)") \
        in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert dataset_count() == before


# ===================================================== 8. unique oc4ids_id
def test_oc4ids_id_is_unique(env):
    first = _project_dataset(env, name="proyecto-uno", oc4ids_id="oc4ids-abc123-hospital-01")
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as err:
        _project_dataset(env, name="proyecto-dos", oc4ids_id="oc4ids-abc123-hospital-01")
    assert list(err.value.error_dict) == ["oc4ids_id"]
    assert "proyecto-uno" in err.value.error_dict["oc4ids_id"][0]
    assert dataset_count() == before
    # the dataset that owns it can be saved again
    patched = helpers.call_action("package_patch", context=dict(env["context"]), id=first["id"],
                                  oc4ids_id="oc4ids-abc123-hospital-01", title="Otro título")
    assert patched["title"] == "Otro título"
    # and another dataset cannot take it by an update either
    other = _project_dataset(env, name="proyecto-tres", oc4ids_id="oc4ids-abc123-hospital-03")
    with pytest.raises(logic.ValidationError) as err:
        helpers.call_action("package_patch", context=dict(env["context"]), id=other["id"],
                            oc4ids_id="oc4ids-abc123-hospital-01")
    assert list(err.value.error_dict) == ["oc4ids_id"]


@pytest.mark.parametrize("bad", ["hospital-01", "oc4ids-abc-hospital", "oc4ids-ABC123-x",
                                 "oc4ids-abc123-"])
def test_malformed_oc4ids_id_is_refused(env, bad):
    before = dataset_count()
    with pytest.raises(logic.ValidationError) as err:
        _project_dataset(env, name="proyecto-mal-id", oc4ids_id=bad)
    assert list(err.value.error_dict) == ["oc4ids_id"]
    assert "OC4IDS" in err.value.error_dict["oc4ids_id"][0]
    assert dataset_count() == before


def test_imported_id_is_taken(env, cli):
    project = _example()["projects"][0]
    assert _import(cli, env, EXAMPLE).exit_code == 0
    with pytest.raises(logic.ValidationError) as err:
        _project_dataset(env, name="copia-del-importado", oc4ids_id=project["id"])
    assert list(err.value.error_dict) == ["oc4ids_id"]


def test_package_without_public_projects_is_404_not_an_invalid_package(app, stack):
    res = app.get("/oc4ids/paquete.json")
    assert res.status_code == 404
    assert "no public projects" in res.body
