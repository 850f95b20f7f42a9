"""Search facets on the dataset types' key fields (SINSAN pillar, MINTRAB
programme and destination country, OC4IDS sector and status, CONAMIGUA
period), on the real Solr: counts of public datasets only, filtering on the
general search and on each type's page, labels in Spanish and English."""
import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala import search
from tests.helpers import create, spanish, sysadmin_context

TYPE_FACETS = ["sinsan_pillar", "programme", "destination_countries", "project_sector",
               "project_status", "conamigua_period"]


@pytest.fixture
def catalogue(stack):
    """Public datasets of every type with different key values, and private
    and draft ones that must never be counted."""
    context = sysadmin_context()
    orgs = {n: factories.Organization(name=n)
            for n in ("sesan", "mintrab", "mspas", "conamigua", "gae")}

    def add(dataset_type, name, **fields):
        org = {"sinsan-nutricion": "sesan", "mintrab-movilidad": "mintrab",
               "oc4ids-proyecto": "mspas", "conamigua-informe": "conamigua"}.get(dataset_type, "gae")
        return create(context, dataset_type, name=name, owner_org=orgs[org]["id"], **fields)

    add("sinsan-nutricion", "san-acceso-1", title="Acceso uno", sinsan_pillar="acceso")
    add("sinsan-nutricion", "san-acceso-2", title="Acceso dos", sinsan_pillar="acceso")
    add("sinsan-nutricion", "san-consumo", title="Consumo", sinsan_pillar="consumo")
    add("sinsan-nutricion", "san-privado", sinsan_pillar="acceso", private=True)
    add("sinsan-nutricion", "san-borrador", sinsan_pillar="consumo", state="draft")
    add("mintrab-movilidad", "mov-eeuu", reporting_month="2024-01",
        programme="movilidad_laboral_eeuu", destination_countries=["US"])
    add("mintrab-movilidad", "mov-canada", reporting_month="2024-02",
        programme="trabajadores_temporales_canada", destination_countries=["CA", "US"])
    add("mintrab-movilidad", "mov-privado", reporting_month="2024-03",
        programme="trabajadores_temporales_canada", destination_countries=["MX"], private=True)
    add("oc4ids-proyecto", "obra-escuela", oc4ids_id="oc4ids-gt0001-escuela",
        project_sector=["education"], project_status="completion")
    add("oc4ids-proyecto", "obra-hospital", oc4ids_id="oc4ids-gt0001-hospital",
        project_sector=["health"], project_status="implementation")
    add("conamigua-informe", "informe-2024-i", report_year=2024, report_cuatrimestre="I")
    add("conamigua-informe", "informe-2024-ii", report_year=2024, report_cuatrimestre="II")
    add("conamigua-informe", "estrategia-2023", report_year=2023, report_kind="estrategia_plan",
        report_cuatrimestre="")
    add("dataset", "general")
    return context


def _facets(**extra):
    return helpers.call_action(
        "package_search", context={"user": ""}, rows=0,
        **{"facet.field": TYPE_FACETS, "facet.limit": -1}, **extra)


def test_counts_per_value_of_public_datasets_only(catalogue):
    facets = _facets()["facets"]
    assert facets["sinsan_pillar"] == {"acceso": 2, "consumo": 1}
    assert facets["programme"] == {"movilidad_laboral_eeuu": 1, "trabajadores_temporales_canada": 1}
    assert facets["destination_countries"] == {"US": 2, "CA": 1}
    assert facets["project_sector"] == {"education": 1, "health": 1}
    assert facets["project_status"] == {"completion": 1, "implementation": 1}
    assert facets["conamigua_period"] == {"2024-I": 1, "2024-II": 1, "2023": 1}


def test_filters_through_the_api_with_public_names(catalogue):
    found = helpers.call_action("package_search", fq='sinsan_pillar:"acceso"')
    assert sorted(d["name"] for d in found["results"]) == ["san-acceso-1", "san-acceso-2"]
    found = helpers.call_action("package_search", fq='conamigua_period:"2024-II"')
    assert [d["name"] for d in found["results"]] == ["informe-2024-ii"]
    found = helpers.call_action("package_search", fq="destination_countries:CA")
    assert [d["name"] for d in found["results"]] == ["mov-canada"]
    # the derived period is for the index only, never stored on the dataset
    shown = helpers.call_action("package_show", id="informe-2024-i")
    assert "conamigua_period" not in shown


def _items(soup, name):
    """{label: count} of a facet box of the search page (None without the box)."""
    nav = soup.find("nav", attrs={"aria-label": lambda v: v and v.endswith(_title(name))})
    if nav is None:
        return None
    out = {}
    for a in nav.select("a"):
        label = a.get("data-bs-title") or a.select_one(".item-label").get_text(strip=True)
        out[label] = int(a.select_one(".item-count").get_text(strip=True))
    return out


_LANG = {"lang": "es"}


def _title(name):
    english = dict((k, t) for k, (_kind, t) in search.TYPE_FACETS.items())[name]
    return english if _LANG["lang"] == "en" else spanish(english)


def _page(app, url, lang="es"):
    _LANG["lang"] = lang
    res = app.get(url)
    assert res.status_code == 200, url
    return BeautifulSoup(res.body, "html.parser")


def _result_names(soup):
    return sorted(a["href"].rstrip("/").rsplit("/", 1)[-1]
                  for a in soup.select(".dataset-heading a"))


def test_general_search_shows_every_type_facet_with_labels(app, catalogue):
    soup = _page(app, "/dataset/")
    assert _items(soup, "sinsan_pillar") == {"Acceso a los alimentos": 2, "Consumo de alimentos": 1}
    assert _items(soup, "destination_countries") == {"Estados Unidos": 2, "Canadá": 1}
    assert _items(soup, "project_sector") == {"Educación": 1, "Salud": 1}
    assert _items(soup, "project_status") == {"Finalización": 1, "Implementación": 1}
    assert _items(soup, "conamigua_period") == {
        "2024 · I (enero–abril)": 1, "2024 · II (mayo–agosto)": 1, "2023": 1}
    programmes = _items(soup, "programme")
    assert programmes == {"Programa de Movilidad Laboral – Estados Unidos (visas H-2A/H-2B)": 1,
                          "Programa de Trabajadores Temporales – Canadá": 1}

    en = _page(app, "/en/dataset/", "en")
    assert _items(en, "sinsan_pillar") == {"Access to food": 2, "Food consumption": 1}
    assert _items(en, "destination_countries") == {"United States": 2, "Canada": 1}
    assert _items(en, "project_status") == {"Completion": 1, "Implementation": 1}
    assert _items(en, "conamigua_period")["2024 · I (January–April)"] == 1


def test_facet_filter_on_general_search_and_type_page(app, catalogue):
    for url in ("/dataset/?sinsan_pillar=acceso", "/sinsan-nutricion/?sinsan_pillar=acceso"):
        soup = _page(app, url)
        assert _result_names(soup) == ["san-acceso-1", "san-acceso-2"], url
        assert _items(soup, "sinsan_pillar") == {"Acceso a los alimentos": 2}
    soup = _page(app, "/mintrab-movilidad/?destination_countries=CA")
    assert _result_names(soup) == ["mov-canada"]
    soup = _page(app, "/conamigua-informe/?conamigua_period=2024-I")
    assert _result_names(soup) == ["informe-2024-i"]
    soup = _page(app, "/oc4ids-proyecto/?project_status=completion&project_sector=education")
    assert _result_names(soup) == ["obra-escuela"]


def test_type_pages_show_their_own_facets(app, catalogue):
    soup = _page(app, "/mintrab-movilidad/")
    assert _items(soup, "programme") is not None
    assert _items(soup, "destination_countries") == {"Estados Unidos": 2, "Canadá": 1}
    assert _items(soup, "sinsan_pillar") is None and _items(soup, "project_sector") is None
    soup = _page(app, "/oc4ids-proyecto/")
    assert _items(soup, "project_sector") == {"Educación": 1, "Salud": 1}
    assert _items(soup, "programme") is None
    # the general search hides a type's facet while it has nothing to offer
    soup = _page(app, "/dataset/?programme=movilidad_laboral_eeuu")
    assert _items(soup, "programme") is not None
    assert soup.find(string=lambda s: s and s.strip() == spanish("Project sector")) is None


def test_type_facets_per_page():
    assert search.type_facets("dataset") == TYPE_FACETS
    assert search.type_facets("mintrab-movilidad") == ["programme", "destination_countries"]
    assert search.type_facets("conamigua-informe") == ["conamigua_period"]
    assert search.conamigua_period({"type": "conamigua-informe", "report_year": 2024,
                                    "report_cuatrimestre": "III"}) == "2024-III"
    assert search.conamigua_period({"type": "conamigua-informe", "report_year": "2023"}) == "2023"
    assert search.conamigua_period({"type": "dataset", "report_year": 2024}) is None
