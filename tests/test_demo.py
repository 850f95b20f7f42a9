"""The demo data (`ckan ogpguatemala load-demo`) on the real stack.

The full load runs once for the module (through CKAN's CLI, twice: the second
run must change nothing); every test reads what it left. Expected values come
from the demo's own generators and the plan registry, never typed here."""
import datetime as dt
import json
import os
import stat
import time

import pytest

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import ckan.tests.helpers as helpers
from ckan.lib import search

from ckanext.ogpguatemala import demo, tabular
from ckanext.ogpguatemala.checks import fetch
from ckanext.ogpguatemala.demo import infrastructure, mintrab, periods, reports, users
from ckanext.ogpguatemala.observatory import figures
from ckanext.ogpguatemala.registry import get_registry
from tests.helpers import spanish, valid

pytestmark = pytest.mark.usefixtures("with_plugins")


def _summary(created, updated, failed):
    return spanish("Demo datasets: %(created)s created, %(updated)s updated, %(failed)s rejected",
                   created=created, updated=updated, failed=failed)


def _all_datasets():
    return helpers.call_action("package_search", q="*:*", rows=1000,
                               include_private=True)["results"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, reset_db, migrate_db_for):
    """An empty portal with the plan's organizations, loaded twice with the
    demo data as `make run` does it."""
    from ckan.cli.cli import ckan

    plugins.load_all()
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    migrate_db_for("ogpguatemala")
    search.clear_all()
    users_file = str(tmp_path_factory.mktemp("run") / "demo-users.json")
    runner = helpers.CKANCliRunner(env={"CKAN_INI": tk.config["__file__"]})
    registry = runner.invoke(ckan, ["ogpguatemala", "load-registry"])
    assert registry.exit_code == 0, registry.output
    args = ["ogpguatemala", "load-demo", "--users-file", users_file]
    started = time.monotonic()
    first = runner.invoke(ckan, args)
    seconds = time.monotonic() - started
    assert first.exit_code == 0, first.output
    modified = {d["name"]: d["metadata_modified"] for d in _all_datasets()}
    with open(users_file) as f:
        saved_users = f.read()
    second = runner.invoke(ckan, args)
    assert second.exit_code == 0, second.output
    print("load-demo: first run %.1f s" % seconds)
    return {"first": first.output, "second": second.output, "seconds": seconds,
            "modified": modified, "users_file": users_file, "saved_users": saved_users,
            "day": demo.today()}


def _timeliness(day, org, dataset_type, programme=""):
    """The observatory's row for the demo series of these releases: the
    periodic demo datasets are releases of a dataset series."""
    from ckanext.ogpguatemala.demo import series

    name = series.SERIES[(org, dataset_type, programme, _FREQUENCY[dataset_type])][0]
    rows = [t for t in figures.figures(organization=org, today=day)["timeliness"]
            if (t.get("series") or {}).get("name") == name]
    assert len(rows) == 1, rows
    assert rows[0]["type"] == "dataset_series"
    return rows[0]


_FREQUENCY = {"mintrab-movilidad": "MONTHLY", "dataset": "ANNUAL_3", "conamigua-informe": "ANNUAL_3"}


# ------------------------------------------------------------------ the load
def test_loads_every_type_and_every_commitment_of_the_6th_plan(loaded):
    datasets = _all_datasets()
    count = len(datasets)
    assert _summary(count, 0, 0) in loaded["first"]
    types = set(tk.get_action("scheming_dataset_schema_list")({}, {}))
    assert {d["type"] for d in datasets} == types
    for commitment in get_registry().plans["PAN6"].commitments:
        linked = [d for d in datasets if commitment.code in d["ogp_commitments"]]
        assert linked, commitment.code
        # published by the institutions the plan makes responsible for it
        assert {d["organization"]["name"] for d in linked} <= set(commitment.institutions)
    # the descriptions say they are demonstrations
    assert all("demostración" in d["notes"].lower() for d in datasets)


def test_a_second_run_creates_and_changes_nothing(loaded):
    assert _summary(0, 0, 0) in loaded["second"]
    assert spanish("Demo datasets unchanged: %(count)s", count=len(loaded["modified"])) \
        in loaded["second"]
    assert {d["name"]: d["metadata_modified"] for d in _all_datasets()} == loaded["modified"]


def test_oc4ids_projects_come_through_the_import_with_their_place_and_amounts(loaded):
    projects = {i["name"]: i for i in infrastructure.build()}
    assert {i["owner_org"] for i in projects.values()} == {"mspas", "mineduc"}
    for name, item in projects.items():
        pkg = helpers.call_action("package_show", id=name)
        assert pkg["type"] == "oc4ids-proyecto"
        assert pkg["organization"]["name"] == item["owner_org"]
        assert pkg["oc4ids_original"] == item["project"]  # stored by the import's check
        assert [r["ogp_check_status"] for r in pkg["resources"]] == ["valid"]
        lon, lat = item["project"]["locations"][0]["geometry"]["coordinates"]
        assert (float(pkg["longitude"]), float(pkg["latitude"])) == (lon, lat)
        assert -92.3 < lon < -88.2 and 13.7 < lat < 17.9  # Guatemala, longitude first
        assert pkg["budget_currency"] == "GTQ" and float(pkg["budget_amount"]) > 0
        assert pkg["project_status"] == item["project"]["status"]
    finished = [helpers.call_action("package_show", id=n) for n, i in projects.items()
                if i["project"].get("completion")]
    assert finished and all(p["completion_final_currency"] == "GTQ" for p in finished)


# ------------------------------------------------------------------ MINTRAB
def test_every_generated_mintrab_report_passes_the_check(loaded):
    reports_ = [d for d in _all_datasets() if d["type"] == "mintrab-movilidad"]
    expected = {mintrab.dataset_name(p, m) for p in mintrab.PROGRAMMES
                for m in mintrab.months_due(p, loaded["day"]) if mintrab.published(p, m)}
    assert {d["name"] for d in reports_} == expected
    for pkg in reports_:
        (resource,) = pkg["resources"]
        assert resource["ogp_check_status"] == "valid", pkg["name"]
        with open(fetch.upload_path(resource), "rb") as f:
            result = tabular.validate_report(f.read(), "report.csv")
        assert result["valid"] and result["errors"] == []
        assert result["rows"] == pkg["placed_count"] <= pkg["applicants_count"]


def test_the_monthly_series_has_gaps_the_observatory_reports(loaded):
    day = loaded["day"]
    for programme in mintrab.PROGRAMMES:
        due = mintrab.months_due(programme, day)
        skipped = [m for m in due if not mintrab.published(programme, m)]
        series = _timeliness(day, "mintrab", "mintrab-movilidad", programme.code)
        assert series["first"] == programme.first
        assert series["covered"] == len(due) - len(skipped)
        assert set(skipped) <= set(series["missing"])
        # beyond the skipped months, only those too recent to be published yet
        assert all(m > due[-1] for m in set(series["missing"]) - set(skipped))
        assert series["timeliness"] < 100
    main = mintrab.PROGRAMMES[0]
    assert main.first == "2023-08"
    assert [m for m in mintrab.months_due(main, day) if not mintrab.published(main, m)]


# ------------------------------------------------------------ four-monthly
def test_one_four_monthly_report_is_late(loaded):
    day = loaded["day"]
    late = "%d-C%d" % (reports.LATE[0], periods.CUATRIMESTRES.index(reports.LATE[1]) + 1)
    caimus = _timeliness(day, "mingob", "dataset")
    assert caimus["frequency"] == "ANNUAL_3"
    assert late in caimus["missing"]
    # it ended long ago: more than a year before the load
    last_month = periods.cuatrimestre_months(*reports.LATE)[-1]
    assert periods.month_index(last_month) < periods.month_index(periods.this_month(day)) - 12
    conamigua = _timeliness(day, "conamigua", "conamigua-informe")
    assert conamigua["frequency"] == "ANNUAL_3" and late not in conamigua["missing"]
    assert conamigua["covered"] == len(periods.cuatrimestres(reports.FIRST_TERM, day))
    assert caimus["covered"] == conamigua["covered"] - 1


# ------------------------------------------------------------------ editors
def test_one_editor_per_institution_with_the_saved_password(loaded):
    path = loaded["users_file"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as f:
        text = f.read()
    assert text == loaded["saved_users"]  # the second run reused the passwords
    saved = {u["name"]: u for u in json.loads(text)["users"]}
    assert spanish("Demo editors: %(created)s created, %(updated)s updated, %(same)s unchanged; "
                   "passwords in %(path)s", created=0, updated=0, same=len(saved),
                   path=path) in loaded["second"]
    institutions = get_registry().institutions
    assert set(saved) == {users.user_name(slug) for slug in institutions}
    for slug in institutions:
        name = users.user_name(slug)
        assert model.User.by_name(name).validate_password(saved[name]["password"])
        orgs = helpers.call_action("organization_list_for_user", id=name,
                                   permission="create_dataset")
        assert [o["name"] for o in orgs] == [slug]
        capacities = {m.capacity for m in model.Session.query(model.Member).filter_by(
            table_name="user", table_id=model.User.by_name(name).id, state="active")}
        assert capacities == {"editor"}


def test_an_editor_publishes_in_its_organization_and_nowhere_else(loaded):
    context = {"user": users.user_name("sesan"), "ignore_auth": False}
    pkg = helpers.call_action("package_create", context=dict(context), **valid(
        "sinsan-nutricion", name="prueba-editor-sesan", owner_org="sesan"))
    try:
        assert pkg["organization"]["name"] == "sesan"
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("package_create", context=dict(context), **valid(
                "mintrab-movilidad", name="prueba-editor-fuera", owner_org="mintrab"))
    finally:
        helpers.call_action("dataset_purge", id=pkg["id"])


# ---------------------------------------------------------- dates, pure
def test_periods_are_relative_to_the_load_date():
    day = dt.date(2026, 11, 21)
    assert periods.last_published_month(day) == "2026-09"
    assert periods.last_published_month(dt.date(2027, 1, 3)) == "2026-11"
    assert periods.cuatrimestres((2023, "III"), day)[-1] == (2026, "II")
    assert periods.cuatrimestres((2023, "III"), dt.date(2027, 2, 28))[-1] == (2026, "III")
    assert periods.month_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert periods.month_name("2024-03") == "marzo de 2024"
    # the same date gives the same data
    assert mintrab.build(day)[5]["files"][0]["data"] == mintrab.build(day)[5]["files"][0]["data"]


# ------------------------------------------------------------- every page
def test_every_page_of_every_demo_dataset_renders_in_both_languages(loaded, app):
    """What a visitor can open on a fresh portal answers 200: each dataset's
    page and its resources' pages, each type's search, the home, the
    commitments and the observatory, in Spanish, and in English too for all
    but the datasets after the first of each type."""
    datasets = _all_datasets()
    pages = ["/", "/compromisos", "/observatorio", "/dataset/", "/publicar"]
    pages += ["/%s/" % t for t in tk.get_action("scheming_dataset_schema_list")({}, {})]
    pages += ["/compromisos/%s" % c.code for c in get_registry().plans["PAN6"].commitments]
    english, types_in_english = set(pages), set()
    for pkg in datasets:
        own = ["/%s/%s" % (pkg["type"], pkg["name"])]
        own += ["/%s/%s/resource/%s" % (pkg["type"], pkg["name"], r["id"])
                for r in pkg["resources"]]
        if pkg["type"] not in types_in_english:  # the first dataset of its type
            types_in_english.add(pkg["type"])
            english.update(own)
        pages += own
    failed = []
    for path in pages:
        for prefix in ("", "/en") if path in english else ("",):
            response = app.get(prefix + path, status=None, follow_redirects=False)
            # /publicar sends an anonymous visitor to the login page
            expected = (302,) if path == "/publicar" else (200,)
            if response.status_code not in expected:
                failed.append((prefix + path, response.status_code))
    assert not failed, failed
    assert len(pages) > 2 * len(datasets)
