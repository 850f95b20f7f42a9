"""The portal's identity and home page on the real stack: the commitments of
the current plan with the observatory's progress, the types and institutions
with public counts only, the newest public datasets, Spanish at / and
English at /en/, the configured name, logo and intro, no trace of CKAN's
placeholder home, and user text escaped."""
import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.registry import get_registry
from tests.helpers import create, spanish, sysadmin_context

PLACEHOLDERS = ("Bienvenido a CKAN", "Welcome to CKAN", "420 x 220", "placeholder-420x220",
                "This is a nice introductory paragraph", "This is a featured section",
                "ckan-logo.png", "ckan-logo-full.png")
TYPES = ("dataset", "sinsan-nutricion", "mintrab-movilidad", "conamigua-informe",
         "oc4ids-proyecto")


@pytest.fixture
def portal(stack):
    """Public datasets of three institutions, and a private and a draft one
    that must change nothing on the home page."""
    context = sysadmin_context()
    orgs = {name: factories.Organization(name=name)
            for name in ("mspas", "sesan", "mintrab", "oculta")}
    create(context, name="obras-salud", title="Obras de salud 2024",
           owner_org=orgs["mspas"]["id"], ogp_milestones=["PAN6-C3-H1"])
    create(context, "sinsan-nutricion", name="desnutricion-cronica",
           title="Desnutrición crónica por departamento", owner_org=orgs["sesan"]["id"])
    for month in ("2024-01", "2024-03"):
        create(context, "mintrab-movilidad", name="movilidad-%s" % month,
               title="Movilidad laboral %s" % month, owner_org=orgs["mintrab"]["id"],
               reporting_month=month)
    create(context, "oc4ids-proyecto", name="hospital-privado", title="Hospital privado secreto",
           owner_org=orgs["oculta"]["id"], private=True,
           ogp_milestones=["PAN6-C3-H1", "PAN6-C3-H2"])
    create(context, name="borrador-oculto", title="Borrador oculto", state="draft",
           owner_org=orgs["mspas"]["id"], ogp_milestones=["PAN6-C3-H2"])
    return {"context": context, "orgs": orgs}


def _soup(res):
    assert res.status_code == 200, res.status_code
    return BeautifulSoup(res.body, "html.parser")


def _public_counts(field):
    """Public, active datasets per value of ``field``, as an anonymous search sees them."""
    result = helpers.call_action("package_search", context={"user": ""}, q="*:*", rows=0,
                                 include_private=False, include_drafts=False,
                                 **{"facet.field": [field], "facet.limit": -1})
    return result["facets"][field]


def _sysadmin_headers():
    user = factories.Sysadmin()
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


# ------------------------------------------------------------------ commitments
def test_the_six_commitments_with_the_observatorys_progress(app, portal):
    reg = get_registry()
    figures = helpers.call_action("ogp_observatory_show", context={"user": ""}, plan="PAN6")
    expected = {c["code"]: c for c in figures["commitments"]}
    with_data = {}
    for m in figures["milestones"]:
        with_data[m["commitment"]] = with_data.get(m["commitment"], 0) + bool(m["datasets"])
    assert with_data["PAN6-C3"] == 1 and expected["PAN6-C3"]["datasets"] == 1  # not the private one

    for url, lang in (("/", "es"), ("/en/", "en")):
        soup = _soup(app.get(url))
        assert soup.find("html")["lang"] == lang
        section = soup.find("section", id="ogp-home-commitments")
        cards = section.select(".ogp-commitment-card")
        assert [c["data-commitment"] for c in cards] == ["PAN6-C%d" % n for n in range(1, 7)]
        for card in cards:
            row = expected[card["data-commitment"]]
            bar = card.select_one("div.progress > div.progress-bar[role=progressbar]")
            assert bar["aria-valuenow"] == str(row["progress"])
            assert "width: %d%%" % row["progress"] in bar["style"]
            title = reg.commitments[row["code"]].title[lang]
            assert title in card.get_text(" ")
            links = [a["href"] for a in card.find_all("a")]
            prefix = "/en" if lang == "en" else ""
            assert prefix + "/observatorio/compromiso/" + row["code"] in links
            assert prefix + "/compromisos/" + row["code"] in links
            if lang == "en":
                text = " ".join(card.get_text(" ").split())
                assert "%d of %d milestones fulfilled" % (
                    row["status_counts"].get("cumplido", 0), row["milestones"]) in text
                assert "%d of %d milestones with published data" % (
                    with_data.get(row["code"], 0), row["milestones"]) in text
                assert "Public datasets: %d" % row["datasets"] in text


def test_progress_follows_what_is_published(app, portal):
    """MSPAS answers for both milestones of PAN6-C3 and publishes for the
    first (50 %; the private and draft datasets of the second count for
    nothing); publishing a public dataset for the second fulfils it."""
    before = _soup(app.get("/")).select_one('[data-commitment="PAN6-C3"] .progress-bar')
    assert before["aria-valuenow"] == "50"
    create(portal["context"], name="obras-salud-h2", owner_org=portal["orgs"]["mspas"]["id"],
           ogp_milestones=["PAN6-C3-H2"])
    row = next(c for c in helpers.call_action("ogp_observatory_show", context={"user": ""},
                                              plan="PAN6")["commitments"]
               if c["code"] == "PAN6-C3")
    after = _soup(app.get("/")).select_one('[data-commitment="PAN6-C3"] .progress-bar')
    assert row["progress"] == 100 and after["aria-valuenow"] == "100"


# ------------------------------------------------------------------ types, institutions, newest
def test_type_counts_are_public_datasets_only(app, portal):
    public = _public_counts("dataset_type")
    assert public.get("oc4ids-proyecto", 0) == 0  # only the private project exists
    assert model.Session.query(model.Package).filter_by(type="oc4ids-proyecto").count() == 1
    for headers in ({}, _sysadmin_headers()):  # the same for a sysadmin
        soup = _soup(app.get("/", headers=headers))
        assert bool(soup.select_one(".account.authed")) == bool(headers)
        cards = soup.select("#ogp-home-types .ogp-type-card")
        shown = {c["data-type"]: int(c.select_one(".ogp-count").get_text(strip=True))
                 for c in cards}
        assert set(TYPES) <= set(shown)
        assert shown == {t: public.get(t, 0) for t in shown}
        assert shown["mintrab-movilidad"] == 2 and shown["oc4ids-proyecto"] == 0
        assert "Hospital privado secreto" not in soup.get_text()
        assert "Borrador oculto" not in soup.get_text()
        institutions = {li["data-organization"]: int(li.select_one(".badge").get_text(strip=True))
                        for li in soup.select("#ogp-home-institutions .ogp-institution")}
        assert institutions["oculta"] == 0 and institutions["mintrab"] == 2
        assert institutions["mspas"] == 1 and institutions["sesan"] == 1


def test_each_type_links_to_the_search_filtered_by_it(app, portal):
    soup = _soup(app.get("/"))
    for card in soup.select("#ogp-home-types .ogp-type-card"):
        page = _soup(app.get(card["href"]))
        names = {a["href"].rstrip("/").rsplit("/", 1)[-1]
                 for a in page.select(".dataset-heading a[href]")}
        expected = {"dataset": {"obras-salud"}, "sinsan-nutricion": {"desnutricion-cronica"},
                    "mintrab-movilidad": {"movilidad-2024-01", "movilidad-2024-03"}}
        assert names == expected.get(card["data-type"], set()), card["href"]


def test_newest_public_datasets_first(app, portal):
    for n in range(4):
        create(portal["context"], name="reciente-%d" % n, title="Reciente %d" % n,
               owner_org=portal["orgs"]["sesan"]["id"])
    newest = helpers.call_action("package_search", context={"user": ""}, q="*:*", rows=6,
                                 sort="metadata_created desc", include_private=False)["results"]
    soup = _soup(app.get("/", headers=_sysadmin_headers()))
    items = soup.select("#ogp-home-newest .ogp-newest__item")
    assert [i["data-dataset"] for i in items] == [d["name"] for d in newest]
    assert items[0]["data-dataset"] == "reciente-3" and len(items) == 6
    link = items[0].find("a")["href"]
    assert link == "/dataset/reciente-3" and app.get(link).status_code == 200


# ------------------------------------------------------------------ identity, language
@pytest.mark.parametrize("url", ["/", "/en/"])
def test_no_ckan_placeholder_and_the_portals_own_emblem(app, portal, url):
    res = app.get(url)
    soup = _soup(res)
    for text in PLACEHOLDERS:
        assert text not in res.body, text
    brand = soup.select_one(".masthead .ogp-brand")
    assert brand.select_one(".ogp-brand__name").get_text(strip=True) == \
        "Datos Abiertos — Gobierno Abierto Guatemala (pruebas)"
    emblem = app.get(brand.find("img")["src"])
    assert emblem.status_code == 200 and "<svg" in emblem.get_data(as_text=True)
    icon = soup.find("link", rel="icon")
    assert icon["href"] == brand.find("img")["src"] and icon["type"] == "image/svg+xml"
    form = soup.select_one("form#ogp-home-search")
    assert form["action"] == ("/en" if url == "/en/" else "") + "/dataset/"
    assert form.find("input", attrs={"name": "q"}) is not None


def test_spanish_first_english_at_en(app, portal):
    es, en = app.get("/").body, app.get("/en/").body
    for msgid in ("Browse by type of data", "Newest datasets", "Institutions",
                  "Progress in the observatory", "Search the data"):
        assert spanish(msgid) in es, msgid
        assert msgid in en, msgid
    plan = get_registry().plans["PAN6"].title
    assert plan["es"] in es and plan["en"] in en and plan["es"] not in en
    for body, prefix in ((es, ""), (en, "/en")):
        footer = BeautifulSoup(body, "html.parser").find("footer")
        hrefs = [a["href"] for a in footer.find_all("a")]
        assert prefix + "/compromisos" in hrefs and prefix + "/observatorio" in hrefs
        assert any("/api/" in h for h in hrefs)
        assert footer.select_one("a.ckan-footer-logo") is not None  # CKAN's credit stays


@pytest.mark.ckan_config("ckan.site_title", "Portal <b>Prueba</b>")
@pytest.mark.ckan_config("ckan.site_logo", "/imagenes/logo-portal.png")
@pytest.mark.ckan_config("ckan.site_description", 'Datos "abiertos" <de prueba>')
@pytest.mark.ckan_config("ckan.favicon", "/imagenes/icono.ico")
@pytest.mark.ckan_config("ckanext.ogpguatemala.home_intro", "Intro **propia** del portal.")
@pytest.mark.ckan_config("ckanext.ogpguatemala.home_intro_en", "The portal's *own* intro.")
def test_configured_title_logo_description_and_intro(app, stack):
    res = app.get("/")
    es = _soup(res)
    assert es.find("meta", attrs={"name": "description"})["content"] == 'Datos "abiertos" <de prueba>'
    assert "<de prueba>" not in res.body
    logo = es.select_one(".masthead a.logo img")
    assert logo["src"].endswith("/imagenes/logo-portal.png")
    assert logo["alt"] == "Portal <b>Prueba</b>"
    assert es.select_one(".ogp-brand") is None
    assert es.find("link", rel="icon")["href"] == "/imagenes/icono.ico"
    assert "<b>Prueba</b>" not in str(es.find("head").title)
    assert "Portal &lt;b&gt;Prueba&lt;/b&gt;" in str(es.find("head").title)
    assert "<strong>propia</strong>" in str(es.select_one(".ogp-hero__intro"))
    en = _soup(app.get("/en/"))
    intro = en.select_one(".ogp-hero__intro")
    assert "<em>own</em>" in str(intro) and "propia" not in intro.get_text()


def test_user_text_is_escaped(app, portal):
    create(portal["context"], name="con-script", owner_org=portal["orgs"]["sesan"]["id"],
           title="<script>alert('titulo')</script> Datos",
           notes="<script>alert('notas')</script> Descripción <b>negrita</b>")
    body = app.get("/").body
    assert "<script>alert(" not in body
    assert "&lt;script&gt;alert(" in body
    assert "<b>negrita</b>" not in body
