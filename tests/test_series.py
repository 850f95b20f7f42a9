"""Dataset series on the real stack: a ``dataset_series`` dataset and its
releases (datasets of the other types naming it in ``in_series``), the
navigation ckanext-dataset-series adds to ``package_show``, validation of the
link, access to private series, the series page and the DCAT-AP 3 RDF
(dcat:DatasetSeries, dcat:inSeries, first/last/prev/next)."""
import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan.plugins import toolkit as tk
from ckanext.dcat.processors import RDFSerializer

from tests.helpers import COMMON, create, dataset_count

DCAT = "http://www.w3.org/ns/dcat#"


def _series(context, org, name="serie-movilidad", **extra):
    fields = dict(
        type="dataset_series", name=name, title="Informes mensuales de movilidad laboral",
        notes="Un informe por mes.", owner_org=org["id"], frequency="MONTHLY",
        ogp_milestones=["PAN6-C6-H2"], contact_name=COMMON["contact_name"],
        contact_email=COMMON["contact_email"], tags=[{"name": "movilidad"}],
    )
    fields.update(extra)
    return helpers.call_action("package_create", context=dict(context), **fields)


def _release(context, org, series, month, **extra):
    extra.setdefault("in_series", [series])
    return create(context, "mintrab-movilidad", name="movilidad-%s" % month,
                  owner_org=org["id"], reporting_month=month,
                  temporal_start=month + "-01", temporal_end=month + "-28", **extra)


@pytest.fixture
def published(stack):
    admin = factories.Sysadmin()
    context = {"user": admin["name"]}
    org = factories.Organization(name="mintrab")
    series = _series(context, org)
    # created out of order: the series orders them by period
    months = ["2024-03", "2024-01", "2024-02", "2024-05"]
    releases = {m: _release(context, org, series["name"], m) for m in months}
    return {"context": context, "org": org, "series": series, "releases": releases}


def test_releases_are_linked_by_id_and_navigable(published):
    series, releases = published["series"], published["releases"]
    jan = releases["2024-01"]
    # given by URL name, stored as the series' id
    assert jan["in_series"] == [series["id"]]
    shown = helpers.call_action("package_show", id=releases["2024-02"]["id"])
    nav = shown["series_navigation"]
    assert [n["name"] for n in nav] == ["serie-movilidad"]
    assert nav[0]["previous"]["name"] == "movilidad-2024-01"
    assert nav[0]["next"]["name"] == "movilidad-2024-03"
    first = helpers.call_action("package_show", id=jan["id"])["series_navigation"][0]
    assert first["previous"] is None and first["next"]["name"] == "movilidad-2024-02"
    whole = helpers.call_action("package_show", id=series["id"])
    assert whole["type"] == "dataset_series"
    assert whole["series_order_field"] == "temporal_start"
    assert whole["series_navigation"]["count"] == 4
    assert whole["series_navigation"]["first"]["name"] == "movilidad-2024-01"
    assert whole["series_navigation"]["last"]["name"] == "movilidad-2024-05"


def test_series_releases_in_order_with_missing_periods(published):
    from ckanext.ogpguatemala.series import releases

    out = releases(helpers.call_action("package_show", id=published["series"]["id"]))
    assert [r["period"] for r in out["releases"]] == ["2024-01", "2024-02", "2024-03", "2024-05"]
    assert out["count"] == 4
    # April 2024 is missing, and so is every month after May up to last month
    assert out["coverage"]["missing"][0] == "2024-04"
    assert "2024-06" in out["coverage"]["missing"]
    assert out["coverage"]["covered"] == 4


@pytest.mark.parametrize("value, msgid", [
    (["no-existe"], 'There is no dataset series "%(series)s".'),
    ("[not json", "Give the series as a list of series names or ids."),
    ([{"id": "x"}], "Give the series as a list of series names or ids."),
])
def test_bad_series_is_a_validation_error_and_writes_nothing(published, value, msgid):
    before = dataset_count()
    with pytest.raises(tk.ValidationError) as err:
        _release(published["context"], published["org"], "x", "2024-07", in_series=value)
    assert err.value.error_dict["in_series"][0].startswith(msgid.split("%")[0])
    assert dataset_count() == before


def test_a_plain_dataset_is_not_a_series(published):
    with pytest.raises(tk.ValidationError) as err:
        _release(published["context"], published["org"],
                 published["releases"]["2024-01"]["name"], "2024-07")
    assert "not a dataset series" in err.value.error_dict["in_series"][0]


def test_only_publishers_of_the_series_add_releases(published):
    other = factories.Organization(name="conamigua")
    editor = factories.User()
    helpers.call_action("organization_member_create", id=other["id"],
                        username=editor["name"], role="editor")
    with pytest.raises(tk.ValidationError) as err:
        create({"user": editor["name"], "ignore_auth": False}, "mintrab-movilidad", name="ajeno",
               owner_org=other["id"], in_series=["serie-movilidad"])
    assert "may not add releases" in err.value.error_dict["in_series"][0]


def test_private_series_is_not_named_to_outsiders(published):
    context, org = published["context"], published["org"]
    secret = _series(context, org, name="serie-secreta", title="Serie secreta XQZ", private=True)
    public = _release(context, org, secret["name"], "2024-09")
    anonymous = helpers.call_action("package_show", context={"user": "", "ignore_auth": False},
                                    id=public["id"])
    assert "XQZ" not in json.dumps(anonymous)
    inside = helpers.call_action("package_show", context=dict(context, ignore_auth=False),
                                 id=public["id"])
    assert inside["series_navigation"][0]["title"] == "Serie secreta XQZ"


def test_series_and_releases_in_dcat(published):
    series, releases = published["series"], published["releases"]
    feb = helpers.call_action("package_show", id=releases["2024-02"]["id"])
    graph = Graph().parse(data=RDFSerializer().serialize_dataset(feb, _format="turtle"),
                          format="turtle")
    ref = URIRef(tk.config["ckan.site_url"] + "/dataset/" + feb["id"])
    series_ref = URIRef(tk.config["ckan.site_url"] + "/dataset/" + series["id"])
    assert (ref, URIRef(DCAT + "inSeries"), series_ref) in graph
    prev = graph.value(ref, URIRef(DCAT + "prev"))
    assert str(prev).endswith(releases["2024-01"]["id"])
    whole = helpers.call_action("package_show", id=series["id"])
    graph = Graph().parse(data=RDFSerializer().serialize_dataset(whole, _format="turtle"),
                          format="turtle")
    assert (series_ref, RDF.type, URIRef(DCAT + "DatasetSeries")) in graph
    assert str(graph.value(series_ref, URIRef(DCAT + "first"))).endswith(releases["2024-01"]["id"])
    assert str(graph.value(series_ref, URIRef(DCAT + "last"))).endswith(releases["2024-05"]["id"])


def test_series_page_lists_releases_in_order(published, app):
    res = app.get("/dataset_series/serie-movilidad")
    assert res.status_code == 200
    body = res.body
    positions = [body.index("movilidad-%s" % m) for m in ("2024-01", "2024-02", "2024-03", "2024-05")]
    assert positions == sorted(positions)
    # the release page names its series
    res = app.get("/mintrab-movilidad/movilidad-2024-02")
    assert "serie-movilidad" in res.body


def test_observatory_timeliness_counts_each_series(published):
    from ckanext.ogpguatemala.observatory import figures

    context, org = published["context"], published["org"]
    # a monthly report of the same programme outside the series is its own row
    create(context, "mintrab-movilidad", name="suelto-2024-02", owner_org=org["id"],
           reporting_month="2024-02", temporal_start="2024-02-01")
    rows = {t["type"]: t for t in figures.figures()["timeliness"] if t["organization"] == "mintrab"}
    assert set(rows) == {"dataset_series", "mintrab-movilidad"}
    series = rows["dataset_series"]
    assert series["series"] == {"name": "serie-movilidad",
                                "title": "Informes mensuales de movilidad laboral"}
    assert series["first"] == "2024-01" and series["missing"][0] == "2024-04"
    assert rows["mintrab-movilidad"]["first"] == "2024-02"
