"""The observatory's figures on the real stack: statuses against the plan's
calendar (dates frozen with freezegun), timeliness of a monthly series,
openness scores, what private and draft datasets change (nothing), and the
API action that returns the same figures."""
import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.observatory import figures, openness
from tests.helpers import create, sysadmin_context

pytestmark = pytest.mark.usefixtures("stack")


def _milestone(data, code):
    return next(m for m in data["milestones"] if m["code"] == code)


def _institution(data, name):
    return next(i for i in data["institutions"] if i["name"] == name)


def _without_time(data):
    return {k: v for k, v in data.items() if k != "generated"}


@pytest.fixture
def orgs():
    return {name: factories.Organization(name=name)
            for name in ("sesan", "mintrab", "gae", "mspas", "conamigua")}


def test_nothing_published_and_due_date_passed_is_overdue(orgs):
    with freeze_time("2025-07-15"):
        data = figures.figures()
    h3 = _milestone(data, "PAN6-C1-H3")  # due 2025-06 (extended end)
    assert h3["due"] == "2025-06"
    assert (h3["status"], h3["estimate"], h3["datasets"]) == ("vencido", "no_evidence", 0)


def test_milestone_status_follows_the_calendar_and_the_publishers(orgs):
    context = sysadmin_context()
    with freeze_time("2024-06-15"):
        before = _milestone(figures.figures(), "PAN6-C2-H1")
    assert (before["status"], before["estimate"]) == ("sin_iniciar", "no_evidence")
    # a dataset by another institution is progress, not fulfilment
    create(context, "sinsan-nutricion", name="indicador-gae", owner_org=orgs["gae"]["id"])
    with freeze_time("2024-06-15"):
        started = _milestone(figures.figures(), "PAN6-C2-H1")
    assert (started["status"], started["estimate"], started["datasets"]) == \
        ("en_curso", "limited", 1)
    assert started["institutions_publishing"] == []
    with freeze_time("2025-04-15"):  # within 90 days of the extended end (2025-06)
        assert _milestone(figures.figures(), "PAN6-C2-H1")["status"] == "por_vencer"
    # the responsible institution (SESAN) publishes: fulfilled, whenever
    create(context, "sinsan-nutricion", name="indicador-sesan", owner_org=orgs["sesan"]["id"])
    for day in ("2024-06-15", "2026-01-10"):
        with freeze_time(day):
            done = _milestone(figures.figures(), "PAN6-C2-H1")
        assert (done["status"], done["estimate"]) == ("cumplido", "complete"), day
        assert done["institutions_publishing"] == ["sesan"]
        assert done["last_publication"] == dt.date.today().isoformat() or day
    commitment = next(c for c in figures.figures()["commitments"] if c["code"] == "PAN6-C2")
    assert commitment["datasets"] == 2 and commitment["status_counts"]["cumplido"] == 1
    # the badges' lighter query gives every milestone the same status
    with freeze_time("2025-04-15"):
        full = {m["code"]: m["status"] for m in figures.figures()["milestones"]}
        assert figures.milestone_statuses() == full
    assert full["PAN6-C2-H1"] == "cumplido" and full["PAN6-C2-H2"] == "por_vencer"


def test_monthly_series_lists_exactly_the_missing_months(orgs):
    context = sysadmin_context()
    for month in ("2024-01", "2024-02", "2024-04", "2024-06"):
        create(context, "mintrab-movilidad", name="movilidad-%s" % month,
               owner_org=orgs["mintrab"]["id"], reporting_month=month)
    with freeze_time("2024-07-10"):  # July is not over: expected up to June
        data = figures.figures()
    (series,) = data["timeliness"]
    assert (series["organization"], series["type"], series["frequency"]) == \
        ("mintrab", "mintrab-movilidad", "MONTHLY")
    assert series["programme"] == "movilidad_laboral_eeuu"
    assert (series["first"], series["last_expected"]) == ("2024-01", "2024-06")
    assert series["missing"] == ["2024-03", "2024-05"]
    assert (series["expected"], series["covered"], series["timeliness"]) == (6, 4, 67)
    assert _institution(data, "mintrab")["timeliness"] == 67


def test_four_monthly_reports_are_a_series_too(orgs):
    context = sysadmin_context()
    for year, term in ((2024, "I"), (2024, "III")):
        create(context, "conamigua-informe", name="informe-%d-%s" % (year, term.lower()),
               owner_org=orgs["conamigua"]["id"], report_year=year, report_cuatrimestre=term)
    with freeze_time("2025-02-01"):
        (series,) = figures.figures()["timeliness"]
    assert series["frequency"] == "ANNUAL_3"
    assert series["missing"] == ["2024-C2"] and series["last_expected"] == "2024-C3"


def _with_resource(context, name, org, fmt, license_id, **fields):
    ds = create(context, "dataset", name=name, owner_org=org, license_id=license_id, **fields)
    helpers.call_action("resource_create", context=dict(context), package_id=ds["id"],
                        url="https://datos.example.gt/%s.%s" % (name, fmt.lower()),
                        format=fmt, name="Datos")
    return helpers.call_action("package_show", id=ds["id"])


def test_openness_of_an_open_csv_beats_a_licence_less_pdf_by_the_documented_points(orgs):
    context = sysadmin_context()
    csv = _with_resource(context, "abierto-csv", orgs["sesan"]["id"], "CSV", "CC-BY-4.0")
    pdf = _with_resource(context, "cerrado-pdf", orgs["gae"]["id"], "PDF", "notspecified")
    from ckanext.ogpguatemala.observatory.indexing import metadata_fields

    for pkg in (csv, pdf):  # the same, complete metadata: only the documented criteria differ
        assert openness.missing_metadata(pkg, metadata_fields("dataset")) == []
    data = figures.figures()
    open_score, closed_score = _institution(data, "sesan")["openness"], \
        _institution(data, "gae")["openness"]
    points = openness.POINTS
    # same metadata and access; the CSV adds the licence and both format criteria
    assert open_score - closed_score == \
        points["open_licence"] + points["machine_readable"] + points["non_proprietary"]
    assert closed_score == points["metadata"] + points["access"]
    assert csv["isopen"] is True and pdf["isopen"] is False
    commitment = next(c for c in data["commitments"] if c["code"] == "PAN6-C1")
    assert commitment["openness"] == round((open_score + closed_score) / 2)
    ranks = {i["name"]: i["rank"] for i in data["institutions"]}
    assert ranks["sesan"] < ranks["gae"]


def test_private_and_draft_datasets_change_no_figure(orgs):
    context = sysadmin_context()
    create(context, "sinsan-nutricion", name="publico", owner_org=orgs["sesan"]["id"])
    with freeze_time("2024-06-15"):
        before = _without_time(figures.figures())
    create(context, "sinsan-nutricion", name="privado", owner_org=orgs["sesan"]["id"],
           private=True)
    create(context, "sinsan-nutricion", name="borrador", owner_org=orgs["gae"]["id"],
           state="draft")
    create(context, "mintrab-movilidad", name="privado-mintrab", owner_org=orgs["mintrab"]["id"],
           private=True)
    with freeze_time("2024-06-15"):
        after = _without_time(figures.figures())
    assert after == before
    assert before["datasets"] == 1


def test_action_returns_the_figures_and_checks_its_filters(orgs):
    create(sysadmin_context(), "sinsan-nutricion", name="publico", owner_org=orgs["sesan"]["id"])
    with freeze_time("2024-06-15"):
        shown = helpers.call_action("ogp_observatory_show", context={"user": ""}, plan="pan6")
        direct = figures.figures(plan="PAN6")
    assert _without_time(shown) == _without_time(direct)
    only = helpers.call_action("ogp_observatory_show", commitment="PAN6-C2", organization="sesan")
    assert [c["code"] for c in only["commitments"]] == ["PAN6-C2"]
    assert [i["name"] for i in only["institutions"]] == ["sesan"]
    for field, value in (("plan", "PAN9"), ("commitment", "PAN6-C9"), ("organization", "nadie"),
                         ("plan", ["PAN6"])):
        with pytest.raises(logic.ValidationError) as e:
            helpers.call_action("ogp_observatory_show", **{field: value})
        assert list(e.value.error_dict) == [field]
