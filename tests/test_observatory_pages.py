"""The /observatorio pages on the real stack: overview and drill-downs in
Spanish and English, the charts' canvases beside their tables and Chart.js
served by the portal itself, the CSV/JSON downloads equal to the tables,
private and draft datasets changing nothing, the status badges, and the
sysadmins' assessment form."""
import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, spanish, sysadmin_context

SITE_HOST = "test.ckan.net"  # ckan.site_url of the test configuration


@pytest.fixture
def portal(stack):
    """Public datasets of three institutions: MSPAS (PAN6-C3-H1), SESAN
    (PAN6-C2-H1) and MINTRAB (a monthly series with gaps, PAN6-C6-H2)."""
    context = sysadmin_context()
    orgs = {name: factories.Organization(name=name) for name in ("mspas", "sesan", "mintrab")}
    create(context, name="obras-salud", title="Obras de salud 2024",
           owner_org=orgs["mspas"]["id"], ogp_milestones=["PAN6-C3-H1"])
    create(context, "sinsan-nutricion", name="desnutricion-cronica",
           owner_org=orgs["sesan"]["id"])
    for month in ("2024-01", "2024-03"):
        create(context, "mintrab-movilidad", name="movilidad-%s" % month,
               owner_org=orgs["mintrab"]["id"], reporting_month=month)
    return {"context": context, "orgs": orgs}


def _hidden_datasets(portal):
    """A private dataset (in an organization of its own) and a draft one."""
    hidden = factories.Organization(name="oculta")
    create(portal["context"], name="obras-privadas", owner_org=hidden["id"], private=True,
           ogp_milestones=["PAN6-C3-H1", "PAN6-C3-H2"])
    create(portal["context"], name="obras-borrador", owner_org=portal["orgs"]["mspas"]["id"],
           state="draft", ogp_milestones=["PAN6-C3-H2"])
    create(portal["context"], "mintrab-movilidad", name="movilidad-privada", private=True,
           owner_org=portal["orgs"]["mintrab"]["id"], reporting_month="2024-02")


def _soup(res):
    assert res.status_code == 200, res.status_code
    return BeautifulSoup(res.body, "html.parser")


def _table(soup, table_id):
    """{row key: [data-value of each cell that has one]} of a page table."""
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    return {tr["data-key"]: [td["data-value"] for td in tr.find_all("td") if td.has_attr("data-value")]
            for tr in table.find_all("tr") if tr.has_attr("data-key")}


def _export(app, name, **params):
    """(columns, rows) of a download, CSV and JSON checked to agree."""
    res = app.get("/observatorio/datos/%s.csv" % name, query_string=params)
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/csv")
    assert "charset=utf-8" in res.headers["Content-Type"].lower()
    table = list(csv.reader(io.StringIO(res.get_data(as_text=True))))
    as_json = app.get("/observatorio/datos/%s.json" % name, query_string=params).json
    assert as_json["columns"] == table[0]
    assert [["" if v is None else str(v) for v in row] for row in as_json["rows"]] == table[1:]
    return table[0], [dict(zip(table[0], row)) for row in table[1:]]


def _by(rows, key, *columns):
    return {row[key]: [row[c] for c in columns] for row in rows}


def _figures():
    return helpers.call_action("ogp_observatory_show", context={"user": ""})


# ------------------------------------------------------------------ pages
def test_overview_in_spanish_and_english(app, portal):
    es = app.get("/observatorio")
    assert es.status_code == 200
    assert '<html lang="es"' in es.body
    for msgid in ("Open data observatory", "Progress by commitment", "Openness by institution",
                  "Publications over time", "Calendar of milestones",
                  "How each figure is computed", "What counts"):
        assert spanish(msgid) in es.body, msgid
        assert spanish(msgid) != msgid, "untranslated: %r" % msgid
    en = app.get("/en/observatorio")
    assert en.status_code == 200
    assert '<html lang="en"' in en.body
    for msgid in ("Open data observatory", "Progress by commitment", "Calendar of milestones",
                  "What counts"):
        assert msgid in en.body
    assert spanish("Progress by commitment") not in en.body
    # the header links to the observatory in both languages
    assert 'href="/observatorio"' in es.body and 'href="/en/observatorio"' in en.body


def test_each_chart_has_its_table_and_chartjs_is_served_by_the_portal(app, portal):
    soup = _soup(app.get("/observatorio"))
    for figure in ("progreso", "apertura", "publicaciones"):
        canvas = soup.find("canvas", id="%s-chart" % figure)
        assert canvas is not None and canvas["role"] == "img" and canvas["aria-label"]
        table = soup.find("table", attrs={"data-ogp-chart": "%s-chart" % figure})
        assert table is not None and table.caption.get_text(strip=True)
        assert table.find("th", attrs={"data-ogp-series": True}) is not None
    assert soup.find("table", id="calendario-table") is not None
    scripts = [s["src"] for s in soup.find_all("script", src=True)]
    chartjs = [s for s in scripts if s.endswith("chart.umd.min.js")]
    ours = [s for s in scripts if s.endswith("observatory.js")]
    assert len(chartjs) == 1 and len(ours) == 1
    assert scripts.index(chartjs[0]) < scripts.index(ours[0])
    bundle = app.get(chartjs[0])
    assert bundle.status_code == 200 and "Chart.js v4.6.1" in bundle.get_data(as_text=True)
    drawing = app.get(ours[0]).get_data(as_text=True)
    assert "data-ogp-chart" in drawing and "new window.Chart" in drawing


@pytest.mark.parametrize("url", ["/observatorio", "/en/observatorio",
                                 "/observatorio/compromiso/PAN6-C3",
                                 "/observatorio/institucion/mintrab"])
def test_nothing_is_loaded_from_another_host(app, portal, url):
    soup = _soup(app.get(url))
    loaded = [t.get("src") or t.get("href") for t in soup.find_all(["script", "link", "img", "iframe"])]
    loaded += [a["href"] for a in soup.select("article.ogp-observatory a[href]")]
    for address in filter(None, loaded):
        host = urlsplit(address).hostname
        assert host in (None, SITE_HOST), address
    article = str(soup.select_one("article.ogp-observatory"))
    assert re.findall(r"https?://[\w.-]+", article.replace("https://" + SITE_HOST, "")) == []


def test_commitment_and_institution_drilldowns(app, portal):
    soup = _soup(app.get("/observatorio/compromiso/pan6-c3"))
    milestones = _table(soup, "hitos-table")
    data = {m["code"]: m for m in _figures()["milestones"]}
    assert set(milestones) == {"PAN6-C3-H1", "PAN6-C3-H2"}
    for code, (due, status, datasets, last, estimate, assessment) in milestones.items():
        m = data[code]
        assert [due, status, datasets, last, estimate, assessment] == [
            m["due"], m["status"], str(m["datasets"]), m["last_publication"] or "", m["estimate"], ""]
    assert soup.find("canvas", id="hitos-chart") is not None
    assert soup.find(id="PAN6-C3-H1").find(attrs={"data-status": data["PAN6-C3-H1"]["status"]})
    assert "MSPAS" in soup.get_text()

    en = _soup(app.get("/en/observatorio/institucion/mintrab"))
    assert en.find("html")["lang"] == "en"
    trend = _table(en, "tendencia-table")
    mintrab = next(i for i in _figures()["institutions"] if i["name"] == "mintrab")
    assert trend == {p["month"]: [str(p["datasets"])] for p in mintrab["trend"]}
    (series,) = _table(en, "puntualidad-table").values()
    (expected,) = [t for t in _figures()["timeliness"] if t["organization"] == "mintrab"]
    assert series == [str(expected[k]) for k in ("expected", "covered", "timeliness")]
    assert expected["covered"] == 2 and "2024-02" in expected["missing"]
    text = en.get_text(" ")
    assert "2024-02" in text  # the missing months are listed
    assert "Timeliness of periodic publications" in text


def test_downloads_equal_the_page_tables(app, portal):
    soup = _soup(app.get("/observatorio"))
    _cols, commitments = _export(app, "commitments", plan="PAN6")
    assert _table(soup, "progreso-table") == _by(
        commitments, "code", "milestones", "progress", "datasets", "estimate", "openness")
    _cols, institutions = _export(app, "institutions")
    assert _table(soup, "apertura-table") == _by(
        institutions, "name", "rank", "datasets", "openness", "timeliness")
    assert {"mspas", "sesan", "mintrab"} <= set(_table(soup, "apertura-table"))
    _cols, publications = _export(app, "publications")
    assert _table(soup, "publicaciones-table") == _by(publications, "month", "datasets")
    _cols, milestones = _export(app, "milestones", plan="PAN6")
    assert _table(soup, "calendario-table") == _by(
        milestones, "code", "status", "datasets", "estimate", "assessment")
    assert len(milestones) == 20

    institution = _soup(app.get("/observatorio/institucion/mintrab"))
    _cols, series = _export(app, "timeliness", organization="mintrab")
    assert {row["organization"] for row in series} == {"mintrab"}
    page = _table(institution, "puntualidad-table")
    assert sorted(page.values()) == sorted(
        [row["expected"], row["covered"], row["timeliness"]] for row in series)
    assert "2024-02" in series[0]["missing"].split()
    # every download link of the pages works
    for link in soup.select("a[data-ogp-export]") + institution.select("a[data-ogp-export]"):
        assert app.get(link["href"]).status_code == 200, link["href"]


def test_private_and_draft_datasets_change_no_figure(app, portal):
    def snapshot():
        pages = {url: {t["id"]: _table(soup, t["id"]) for t in soup.find_all("table", id=True)}
                 for url in ("/observatorio", "/observatorio/compromiso/PAN6-C3",
                             "/observatorio/institucion/mintrab", "/observatorio/institucion/mspas")
                 for soup in [_soup(app.get(url))]}
        downloads = {name: _export(app, name) for name in
                     ("milestones", "commitments", "institutions", "timeliness", "publications")}
        return pages, downloads

    before = snapshot()
    _hidden_datasets(portal)
    assert snapshot() == before
    assert app.get("/observatorio/institucion/oculta").status_code == 404


@pytest.mark.parametrize("url", [
    "/observatorio?plan=PAN9",
    "/observatorio/compromiso/PAN6-C99",
    "/observatorio/institucion/no-existe",
    "/observatorio/datos/no-existe.csv",
    "/observatorio/datos/milestones.xml",
    "/observatorio/datos/milestones",
    "/observatorio/datos/milestones.csv?plan=PAN9",
    "/observatorio/datos/milestones.json?commitment=PAN6-C99",
    "/observatorio/datos/institutions.csv?organization=no-existe",
])
def test_unknown_codes_tables_and_formats_are_not_found(app, stack, url):
    assert app.get(url).status_code == 404


def test_a_milestone_code_leads_to_its_commitment(app, stack):
    res = app.get("/observatorio/compromiso/pan6-c3-h1", follow_redirects=False)
    assert res.status_code == 302
    assert res.location.endswith("/observatorio/compromiso/PAN6-C3#PAN6-C3-H1")


# ----------------------------------------------------------------- badges
def test_status_badges_on_the_commitment_and_dataset_pages(app, portal):
    status = {m["code"]: m["status"] for m in _figures()["milestones"]}
    commitment = _soup(app.get("/compromisos/PAN6-C3"))
    badges = {b.find_parent("section")["id"]: b["data-status"]
              for b in commitment.select(".ogp-status")}
    assert badges == {"PAN6-C3-H1": status["PAN6-C3-H1"], "PAN6-C3-H2": status["PAN6-C3-H2"]}
    dataset = _soup(app.get("/dataset/obras-salud"))
    (badge,) = dataset.select(".ogp-commitment-box .ogp-status")
    assert badge["data-status"] == status["PAN6-C3-H1"]
    assert badge.get_text(strip=True) == spanish(
        {"sin_iniciar": "Not started", "en_curso": "In progress", "por_vencer": "Due soon",
         "vencido": "Overdue", "cumplido": "Fulfilled"}[status["PAN6-C3-H1"]])
    assert badge["href"].endswith("/observatorio/compromiso/PAN6-C3#PAN6-C3-H1")


# ------------------------------------------------------------- assessments
def _auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


FORM = {"value": "substantial", "date": "2025-07-01", "note": "Revisión del equipo de GAE",
        "evidence_url": "https://evidencia.example.org/acta.pdf"}


def test_the_assessment_form_is_for_sysadmins_only(app, portal):
    assert _soup(app.get("/observatorio/compromiso/PAN6-C3")).select("form[id^=assess-]") == []
    user = factories.User()
    page = _soup(app.get("/observatorio/compromiso/PAN6-C3", headers=_auth(user)))
    assert page.select("form[id^=assess-]") == []
    sysadmin = factories.Sysadmin()
    page = _soup(app.get("/observatorio/compromiso/PAN6-C3", headers=_auth(sysadmin)))
    forms = page.select("form[id^=assess-]")
    assert [f["id"] for f in forms] == ["assess-PAN6-C3-H1", "assess-PAN6-C3-H2"]
    fields = {i["name"] for i in forms[0].find_all(["input", "select", "textarea"])}
    assert {"value", "date", "note", "evidence_url"} <= fields
    assert forms[0]["action"] == "/observatorio/hito/PAN6-C3-H1/evaluacion"


def test_a_sysadmin_records_an_assessment_shown_in_the_history(app, portal):
    sysadmin = factories.Sysadmin()
    res = app.post("/observatorio/hito/PAN6-C3-H1/evaluacion", data=FORM,
                   headers=_auth(sysadmin), follow_redirects=False)
    assert res.status_code == 302
    assert res.location.endswith("/observatorio/compromiso/PAN6-C3#PAN6-C3-H1")
    (recorded,) = helpers.call_action("ogp_assessment_list", milestone="PAN6-C3-H1")
    assert (recorded["value"], recorded["author"]) == ("substantial", sysadmin["name"])

    page = _soup(app.get("/observatorio/compromiso/PAN6-C3"))
    history = page.find("table", id="PAN6-C3-H1-history")
    assert FORM["note"] in history.get_text()
    assert history.find("a")["href"] == FORM["evidence_url"]
    assert _table(page, "hitos-table")["PAN6-C3-H1"][-1] == "substantial"
    overview = _soup(app.get("/observatorio"))
    assert _table(overview, "calendario-table")["PAN6-C3-H1"][-1] == "substantial"
    _cols, rows = _export(app, "milestones", commitment="PAN6-C3")
    assert _by(rows, "code", "assessment", "assessment_date")["PAN6-C3-H1"] == \
        ["substantial", "2025-07-01"]


def test_a_refused_assessment_names_its_fields_and_records_nothing(app, portal):
    sysadmin = factories.Sysadmin()
    res = app.post("/observatorio/hito/PAN6-C3-H1/evaluacion",
                   data=dict(FORM, value="excelente", evidence_url="ftp://x"),
                   headers=_auth(sysadmin))
    assert res.status_code == 200
    form = BeautifulSoup(res.body, "html.parser").find("form", id="assess-PAN6-C3-H1")
    text = form.get_text(" ")
    assert "excelente" in text and "ftp://x" in text  # both errors, beside their fields
    assert form.find("textarea", attrs={"name": "note"}).get_text() == FORM["note"]
    assert helpers.call_action("ogp_assessment_list", milestone="PAN6-C3-H1") == []


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_only_sysadmins_may_post_an_assessment(app, portal, who):
    headers = _auth(factories.User()) if who == "user" else {}
    res = app.post("/observatorio/hito/PAN6-C3-H1/evaluacion", data=FORM, headers=headers)
    assert res.status_code == 403
    assert helpers.call_action("ogp_assessment_list", milestone="PAN6-C3-H1") == []
    assert app.post("/observatorio/hito/PAN6-C3-H9/evaluacion", data=FORM,
                    headers=_auth(factories.Sysadmin())).status_code == 404
