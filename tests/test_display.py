"""Readable dataset and resource pages: the formatters (pure functions of
portal/display.py) and every type's page on the real stack, in Spanish and
English — labels not codes, Guatemalan dates, amounts with their currency,
no empty rows, the OC4IDS project box and map, user input escaped."""
import datetime
import json
import os
import re

import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala import geo
from ckanext.ogpguatemala.portal import display
from tests.helpers import create, spanish, sysadmin_context

TYPES = ("dataset", "sinsan-nutricion", "mintrab-movilidad", "conamigua-informe", "oc4ids-proyecto")
ORG_OF = {"dataset": "gae", "sinsan-nutricion": "sesan", "mintrab-movilidad": "mintrab",
          "conamigua-informe": "conamigua", "oc4ids-proyecto": "mspas"}


# ------------------------------------------------------------- formatters
@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "05/03/2024"),
    ("2024-03-05T10:20:30.123456", "05/03/2024"),
    (datetime.date(2025, 11, 30), "30/11/2025"),
    ("not a date", "not a date"),
    (None, ""),
    ("2024-02-30", "2024-02-30"),
])
def test_dates_in_guatemalan_format(value, expected):
    assert display.format_date(value) == expected


def test_months_in_words_in_each_language():
    assert display.format_month("2024-03", "es") == "marzo 2024"
    assert display.format_month("2024-03", "en") == "March 2024"
    assert display.format_month("2023-12-01", "es") == "diciembre 2023"
    assert display.format_month("2024-13", "es") == "2024-13"


def test_reference_periods():
    assert display.format_period("2014/2015") == "2014–2015"
    assert display.format_period("2022") == "2022"
    assert display.format_period("2022-06", "es") == "junio 2022"
    assert display.format_period("2022-06", "en") == "June 2022"


@pytest.mark.parametrize("value, currency, expected", [
    ("85000000", "GTQ", "Q 85,000,000.00"),
    (85000000, None, "Q 85,000,000.00"),
    ("1250.5", "USD", "USD 1,250.50"),
    ("0", "EUR", "EUR 0.00"),
    ("1250000.50", "gtq", "Q 1,250,000.50"),
    ("n/a", "GTQ", "n/a"),
])
def test_amounts_with_their_currency(value, currency, expected):
    assert display.format_amount(value, currency) == expected


def test_numbers_percentages_sizes():
    assert display.format_number(12500) == "12,500"
    assert display.format_number("340") == "340"
    assert display.format_number("1234.5") == "1,234.5"
    assert display.format_percent(95.0) == "95 %"
    assert display.format_percent(7.25) == "7.2 %"
    assert display.format_percent(112.4) == "112 %"
    assert display.format_size(1155) == "1.1 KB"
    assert display.format_size(512) == "512 B"
    assert display.format_size(5 * 1024 * 1024) == "5.0 MB"


def test_coordinates_with_hemispheres():
    assert display.format_coordinates("14.6349", "-90.5069", "es") == "14.6349° N, 90.5069° O"
    assert display.format_coordinates(14.6349, -90.5069, "en") == "14.6349° N, 90.5069° W"
    assert display.format_coordinates(-33.45, 151.2, "en") == "33.45° S, 151.2° E"
    assert display.format_coordinates(None, "-90.5") == ""


def test_budget_against_final_value():
    assert display.budget_progress("85000000", "80750000") == {"percent": 95.0, "bar": 95.0,
                                                               "over": False}
    over = display.budget_progress(100, 120)
    assert over["over"] is True and over["bar"] == 100.0 and round(over["percent"]) == 120
    assert display.budget_progress(None, 5) is None
    assert display.budget_progress(0, 5) is None


@pytest.mark.parametrize("value, empty", [
    (None, True), ("", True), ("  ", True), ([], True), ("[]", True), ({}, True), ([""], True),
    ("0", False), (0, False), (False, False), (["01"], False), ("x", False),
])
def test_what_counts_as_empty(value, empty):
    assert display.is_empty(value) is empty


def test_booleans_and_choices():
    assert display.as_boolean(True) is True and display.as_boolean("false") is False
    assert display.as_boolean("sí") is True and display.as_boolean("maybe") is None
    choices = [{"value": "acceso", "label": {"es": "Acceso a los alimentos", "en": "Access to food"}},
               {"value": "MSPAS", "label": "MSPAS"}]
    assert display.choice_label(choices, "acceso", "en") == "Access to food"
    assert display.choice_label(choices, "acceso", "es") == "Acceso a los alimentos"
    assert display.choice_label(choices, "MSPAS", "en") == "MSPAS"
    assert display.choice_label(choices, "otro", "es") == "otro"


def test_guatemala_bounding_box():
    assert display.in_guatemala("14.6349", "-90.5069")
    assert display.in_guatemala(17.8, -89.2)  # Petén
    assert not display.in_guatemala(52.25, -0.11)
    assert not display.in_guatemala(None, -90.5)


def test_outline_has_every_ine_department_and_is_small():
    size = os.path.getsize(display.OUTLINE_FILE)
    assert size < 300 * 1024
    with open(display.OUTLINE_FILE, encoding="utf-8") as f:
        outline = json.load(f)
    features = outline["features"]
    assert [f["properties"]["code"] for f in features] == list(geo.DEPARTMENTS)
    for feature in features:
        assert feature["properties"]["name"] == geo.DEPARTMENTS[feature["properties"]["code"]]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    south, west, north, east = display.outline_bounds()
    assert 13.5 < south < 14 and 17.7 < north < 18 and -92.5 < west < -92 and -88.5 < east < -88
    assert os.path.exists(os.path.join(display.GEO_DIR, "SOURCE.md"))


# ------------------------------------------------------------- pages
def _soup(res):
    assert res.status_code == 200, res.status_code
    return BeautifulSoup(res.body, "html.parser")


def _rows(soup):
    """{label: text} of the dataset page's additional-info table."""
    table = soup.select_one("section.additional-info table")
    assert table is not None
    return {tr.th.get_text(" ", strip=True): tr.td.get_text(" ", strip=True)
            for tr in table.select("tbody tr")}


@pytest.fixture
def datasets(stack):
    context = sysadmin_context()
    out = {}
    for dataset_type in TYPES:
        org = factories.Organization(name=ORG_OF[dataset_type])
        out[dataset_type] = create(context, dataset_type, name="ds-" + dataset_type,
                                   owner_org=org["id"])
    return out


def _page(app, dataset, lang=""):
    return _soup(app.get("%s/%s/%s" % (lang, dataset["type"], dataset["name"])))


def test_every_type_shows_labels_not_codes_and_no_empty_rows(app, datasets):
    # codes stored by each type that must not reach the reader
    codes = {
        "dataset": ["ANNUAL", "SPA", "municipal", "0901"],
        "sinsan-nutricion": ["utilizacion_biologica", "ninos_0_59_meses", "ensmi_2014_2015",
                             "departamento"],
        "mintrab-movilidad": ["movilidad_laboral_eeuu", "2024-03"],
        "conamigua-informe": ["informe_cuatrimestral", "territorial", "1250000.50", "GTQ"],
        "oc4ids-proyecto": ["implementation", "construction", "health", "15000000.00", "IRREG"],
    }
    for dataset_type, dataset in datasets.items():
        rows = _rows(_page(app, dataset))
        assert rows, dataset_type
        for label, text in rows.items():
            assert text, "empty row %r on %s" % (label, dataset_type)
            for code in codes[dataset_type]:
                assert text != code and code not in text.split(), (dataset_type, label, text)
        # shared fields, as a person reads them
        assert rows["Cobertura temporal (inicio)"] == "01/01/2024"
        assert rows["Cobertura temporal (fin)"] == "31/12/2024"
        assert rows["Idiomas"] == "Español"
        assert rows["Departamentos"] == " ".join(
            geo.department_name(code) for code in dataset["geo_departments"])
        if dataset["geo_municipalities"]:
            [code] = dataset["geo_municipalities"]
            assert rows["Municipios"] == "%s (%s)" % (
                geo.municipality_name(code), geo.department_name(geo.department_of(code)))


def test_type_values_in_spanish_and_english(app, datasets):
    es = {t: _rows(_page(app, d)) for t, d in datasets.items()}
    en = {t: _rows(_page(app, d, "/en")) for t, d in datasets.items()}

    assert es["dataset"]["Frecuencia de actualización"] == "Anual"
    assert en["dataset"]["Update frequency"] == "Annual"
    assert es["dataset"]["Cobertura geográfica"] == "Municipal"

    assert es["sinsan-nutricion"]["Pilar de la SAN"] == "Utilización biológica"
    assert en["sinsan-nutricion"]["Food and nutrition security pillar"] == "Biological utilisation"
    assert es["sinsan-nutricion"]["Periodo de referencia"] == "2014–2015"
    assert en["sinsan-nutricion"]["Target population"] == "Children 0–59 months"

    assert es["mintrab-movilidad"]["Mes del informe"] == "marzo 2024"
    assert en["mintrab-movilidad"]["Reporting month"] == "March 2024"
    assert es["mintrab-movilidad"]["Países de destino"] == "Canadá Estados Unidos"
    assert en["mintrab-movilidad"]["Destination countries"] == "Canada United States"
    assert es["mintrab-movilidad"]["Número de solicitantes"] == "340"

    assert es["conamigua-informe"]["Presupuesto ejecutado"] == "Q 1,250,000.50"
    assert es["conamigua-informe"]["Cuatrimestre"] == "I (enero–abril)"
    assert en["conamigua-informe"]["Four-month period"] == "I (January–April)"
    assert es["conamigua-informe"]["Departamentos"] == " ".join(
        geo.DEPARTMENTS[code] for code in ("12", "13"))
    assert "Moneda" not in es["conamigua-informe"]  # the amount carries it

    oc4ids_es, oc4ids_en = es["oc4ids-proyecto"], en["oc4ids-proyecto"]
    assert oc4ids_es["Presupuesto del proyecto"] == "Q 15,000,000.00"
    assert oc4ids_es["Estado del proyecto"] == "Implementación"
    assert oc4ids_en["Project status"] == "Implementation"
    assert oc4ids_es["Periodo del proyecto (inicio)"] == "01/02/2024"
    assert oc4ids_es["Latitud"] == "14.6349° N"
    assert oc4ids_es["Longitud"] == "90.5069° O"
    assert oc4ids_en["Longitude"] == "90.5069° W"
    assert "Moneda del presupuesto" not in oc4ids_es


def test_oc4ids_project_box_budget_and_map(app, stack):
    context = sysadmin_context()
    org = factories.Organization(name="mspas")
    create(context, "oc4ids-proyecto", name="hospital-zona-18", owner_org=org["id"],
           budget_amount="85000000", completion_final_value="80750000",
           completion_final_currency="GTQ", completion_end_date="2025-12-15")
    soup = _page(app, {"type": "oc4ids-proyecto", "name": "hospital-zona-18"})
    box = soup.select_one("section.ogp-project-box")
    assert box is not None
    text = box.get_text(" ", strip=True)
    assert "Q 85,000,000.00" in text and "Q 80,750,000.00" in text
    assert "Implementación" in text and "Construcción" in text and "Salud" in text
    assert "01/02/2024 – 30/11/2025" in text and "15/12/2025" in text
    bar = box.select_one("[role=progressbar]")
    assert bar["aria-valuenow"] == "95.0"
    assert "95 %" in text
    # the map's container with the coordinates, and the coordinates as text
    map_div = soup.select_one("div#ogp-project-map")
    assert map_div["data-lat"] == "14.6349" and map_div["data-lon"] == "-90.5069"
    assert map_div["data-departments"] == "01"
    outline = app.get(map_div["data-outline"])
    assert outline.status_code == 200
    assert outline.headers["Content-Type"].startswith("application/geo+json")
    assert len(json.loads(outline.body)["features"]) == 22
    assert "14.6349° N, 90.5069° O" in box.select_one("figcaption").get_text()
    assert "Guatemala (Guatemala)" in box.select_one("figcaption").get_text()

    en = _page(app, {"type": "oc4ids-proyecto", "name": "hospital-zona-18"}, "/en")
    en_box = en.select_one("section.ogp-project-box").get_text(" ", strip=True)
    assert "Implementation" in en_box and "14.6349° N, 90.5069° W" in en_box


def test_project_in_other_currency_over_budget_and_outside_guatemala(app, stack):
    context = sysadmin_context()
    org = factories.Organization(name="mspas")
    create(context, "oc4ids-proyecto", name="puente-usd", owner_org=org["id"],
           budget_amount="1000.00", budget_currency="USD", completion_final_value="1250.5",
           completion_final_currency="USD", latitude="52.2571", longitude="-0.1163")
    soup = _page(app, {"type": "oc4ids-proyecto", "name": "puente-usd"})
    box = soup.select_one("section.ogp-project-box")
    text = box.get_text(" ", strip=True)
    assert "USD 1,000.00" in text and "USD 1,250.50" in text
    assert box.select_one("[role=progressbar]")["aria-valuenow"] == "100.0"
    assert "125 %" in text
    # a point far from Guatemala: no map, the coordinates as text
    assert soup.select_one("div#ogp-project-map") is None
    assert "52.2571° N, 0.1163° O" in box.get_text()


def test_user_input_is_escaped(app, stack):
    context = sysadmin_context()
    org = factories.Organization(name="mspas")
    evil = '<script>alert("x")</script>'
    create(context, "oc4ids-proyecto", name="obra-con-html", owner_org=org["id"],
           title="Obra " + evil, public_authority="Autoridad " + evil,
           version="1.0", contact_name='Unidad <img src=x onerror="alert(1)">')
    res = app.get("/oc4ids-proyecto/obra-con-html")
    assert res.status_code == 200
    assert evil not in res.body and "<img src=x" not in res.body
    soup = BeautifulSoup(res.body, "html.parser")
    assert "Autoridad " + evil in soup.select_one("section.ogp-project-box").get_text()
    assert soup.select_one("div#ogp-project-map")["data-label"] == "Obra " + evil


def test_resource_page_has_readable_rows_only(app, stack):
    context = sysadmin_context()
    org = factories.Organization(name="gae")
    dataset = create(context, name="con-recurso", owner_org=org["id"])
    resource = helpers.call_action(
        "resource_create", context=dict(context), package_id=dataset["id"],
        url="http://example.com/datos.csv", name="Datos", format="CSV",
        size=1155, api_available=True, coverage_note="")
    soup = _soup(app.get("/dataset/con-recurso/resource/%s" % resource["id"]))
    # the additional-information table (the file check's report has its own)
    table = soup.select_one('table[data-module="table-toggle-more"]')
    rows = {tr.th.get_text(" ", strip=True): tr.td.get_text(" ", strip=True)
            for tr in table.select("tbody tr")}
    for label, text in rows.items():
        assert text, "empty row %r" % label
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert today in rows.values()
    assert rows["Api available"] == spanish("Yes")
    assert "1.1 KB" in rows.values()  # size, in bytes on the resource
    assert rows["Formato"] == "CSV"
    for internal in ("Package id", "Position", "State", "Url type", "Id", "Coverage note"):
        assert internal not in rows
    assert not any(re.fullmatch(r"[0-9a-f-]{36}", text) for text in rows.values())
