"""DCAT-AP 3 feeds: conformance to the official SHACL shapes, the parse
direction (what a harvester running ckanext-dcat reads back), the HTTP
endpoints, and privacy. Real database and Solr; the shapes are the official
DCAT-AP 3.0.1 files, copied into tests/data/dcat-ap-3.0.1 (see tests/data/SOURCES.md)."""
import json
import os

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer

from ckanext.ogpguatemala import geo
from ckanext.ogpguatemala.dcat import places
from ckanext.ogpguatemala.dcat.recommended import RECOMMENDED_NOT_FILLED, distribution_description

from tests.helpers import VALID, create, sysadmin_context

SHAPES = os.path.join(os.path.dirname(__file__), "data", "dcat-ap-3.0.1")
SH = "http://www.w3.org/ns/shacl#"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
GTM = URIRef("http://publications.europa.eu/resource/authority/country/GTM")
TYPES = sorted(VALID)
RESOURCE = {
    "dataset": ("informe.csv", "CSV"),
    "sinsan-nutricion": ("indicador.csv", "CSV"),
    "mintrab-movilidad": ("informe.xlsx", "XLSX"),
    "conamigua-informe": ("informe.pdf", "PDF"),
    "oc4ids-proyecto": ("proyecto.json", "JSON"),
}

# Shapes of mdr-vocabularies.shape.ttl that cannot apply to a Guatemalan
# portal, with the reason. Everything else must hold with zero violations.
NOT_APPLICABLE = {
    # dct:publisher must be an entry of the EU Publications Office
    # corporate-body table, which lists EU institutions and bodies only;
    # Guatemalan ministries are not and cannot be in it.
    str(DCTERMS.publisher): "EU corporate-body table lists EU bodies only",
    # dct:spatial must be an EU country/place/continent or a GeoNames URI.
    # Guatemala itself is given as the EU country GTM (which passes); its
    # departments and municipalities use the national INE codes, which have
    # no entry in the EU place table.
    str(DCTERMS.spatial): "INE departments/municipalities are not in the EU place table",
}


def _complete(dataset_type, org, context, **extra):
    filename, fmt = RESOURCE[dataset_type]
    return create(
        context, dataset_type,
        name="dcat-%s" % dataset_type, owner_org=org["id"],
        resources=[{"url": "http://127.0.0.1:9/" + filename, "format": fmt,
                    "name": filename, "description": "Archivo de datos"}],
        **extra,
    )


@pytest.fixture
def datasets(stack):
    context = sysadmin_context()
    org = factories.Organization(name="gae", title="GAE")
    return {t: _complete(t, org, context) for t in TYPES}


def _graph(dataset_dict) -> Graph:
    serializer = RDFSerializer()
    serializer.graph_from_dataset(dataset_dict)
    return serializer.g


def _violations(graph, shapes_file, severity="Violation"):
    """The results of one severity (sh:Violation, sh:Warning) of validating
    ``graph`` against one of the official shapes files."""
    _conforms, results, _text = validate(graph, shacl_graph=os.path.join(SHAPES, shapes_file))
    out = []
    for result in results.subjects(URIRef(SH + "resultSeverity"), URIRef(SH + severity)):
        out.append({
            "focus": str(results.value(result, URIRef(SH + "focusNode"))),
            "path": str(results.value(result, URIRef(SH + "resultPath"))),
            "message": str(results.value(result, URIRef(SH + "resultMessage"))),
        })
    return out


@pytest.mark.parametrize("dataset_type", TYPES)
def test_every_type_conforms_to_dcat_ap_3(datasets, dataset_type):
    graph = _graph(datasets[dataset_type])
    # the combined official shapes (mandatory, cardinality and range)
    assert _violations(graph, "dcat-ap-SHACL.ttl") == []
    assert _violations(graph, "shapes.ttl") == []
    assert _violations(graph, "range.ttl") == []
    # recommended properties are warnings there; none may be a violation
    assert _violations(graph, "shapes_recommended.ttl") == []


@pytest.mark.parametrize("dataset_type", TYPES)
def test_recommended_properties_missing_only_where_documented(datasets, dataset_type):
    """Every recommended property is given, except those documented in
    RECOMMENDED_NOT_FILLED (and there only where the reason applies)."""
    graph = _graph(datasets[dataset_type])
    warnings = _violations(graph, "shapes_recommended.ttl", "Warning")
    assert {w["path"] for w in warnings} <= set(RECOMMENDED_NOT_FILLED), warnings
    for w in warnings:
        if w["path"] in (str(DCAT.bbox), str(DCAT.centroid)):
            place = w["focus"].rsplit("/", 1)[-1]
            assert len(place) == 4 or place.startswith("punto-"), w  # municipality, project point
    ref = next(graph.subjects(DCTERMS.identifier, None))
    # the resource's own description is kept, not replaced by the generated one
    distribution = graph.value(ref, DCAT.distribution)
    assert [str(d) for d in graph.objects(distribution, DCTERMS.description)] == ["Archivo de datos"]
    # departments and the country carry the outline's centroid and bounding box
    for place in graph.objects(ref, DCTERMS.spatial):
        code = str(graph.value(place, DCTERMS.identifier) or "")
        if place == GTM or len(code) == 2:
            assert len(list(graph.objects(place, DCAT.centroid))) == 1, place
            assert len(list(graph.objects(place, DCAT.bbox))) == 1, place


def test_place_extents_come_from_the_outline():
    """Each INE department has the outline's box and centroid, inside the
    country's box; municipalities have none (no coordinates in the portal)."""
    country = places.shape("GTM")
    west, south, east, north = country.box
    assert -93 < west < east < -88 and 13 < south < north < 18.5  # Guatemala
    for code in geo.DEPARTMENTS:
        shape = places.shape(code)
        w, s, e, n = shape.box
        assert west <= w < e <= east and south <= s < n <= north, code
        lon, lat = shape.centroid()
        assert w < lon < e and s < lat < n, code
        assert shape.centroid_wkt() == "POINT(%s %s)" % (lon, lat)
        assert shape.bbox_wkt().startswith("POLYGON((%s %s, " % (round(w, 4), round(s, 4)))
    # the country's centroid is the area-weighted mean of the departments'
    total = sum(places.shape(c).area for c in geo.DEPARTMENTS)
    mean_lon = sum(places.shape(c).area * places.shape(c).centroid()[0]
                   for c in geo.DEPARTMENTS) / total
    assert abs(country.centroid()[0] - mean_lon) < 1e-3
    assert places.shape("0101") is None and places.shape("99") is None


def test_generated_distribution_description():
    texts = distribution_description({"name": "informe.csv", "format": "CSV"}, "Informe <b>")
    assert texts["es"] == "«informe.csv»: datos en formato CSV del conjunto de datos «Informe <b>»."
    assert "CSV data" in texts["en"] and "Informe <b>" in texts["en"]
    texts = distribution_description({"url": "http://x/y/datos.bin", "format": ""}, "T")
    assert texts["es"] == "«datos.bin»: recurso del conjunto de datos «T»."


def _named_exception(v) -> bool:
    """A violation of one of the NOT_APPLICABLE shapes (the shape's own
    result, or its detail about the publisher or INE location node)."""
    if v["path"] in NOT_APPLICABLE:
        return True
    if "/organization/" in v["focus"] and v["path"] in ("None", str(SKOS.inScheme)):
        return True  # publisher not in the EU corporate-body table
    if "/geo/ine/" in v["focus"] and v["path"] == "None":
        return True  # INE location not in the EU place table
    return False


@pytest.mark.parametrize("dataset_type", TYPES)
def test_controlled_vocabularies_except_named_shapes(datasets, dataset_type):
    graph = _graph(datasets[dataset_type])
    violations = _violations(graph, "mdr-vocabularies.shape.ttl")
    assert [v for v in violations if not _named_exception(v)] == []
    # frequency, language, themes, file types, licence and publisher types
    # and the country are all in their EU vocabularies: no violation names them
    assert not any("frequency" in v["message"] or "language" in v["message"]
                   or "data-theme" in v["message"] for v in violations)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_commitment_link_and_standard_uris_in_graph(datasets, dataset_type):
    ds = datasets[dataset_type]
    graph = _graph(ds)
    ref = next(graph.subjects(DCTERMS.identifier, None))
    relations = {str(o) for o in graph.objects(ref, DCTERMS.relation)}
    milestone = ds["ogp_milestones"][0]
    commitment = milestone.rsplit("-", 1)[0]
    assert "http://test.ckan.net/compromisos/%s" % milestone in relations
    assert "http://test.ckan.net/compromisos/%s" % commitment in relations
    m_ref = URIRef("http://test.ckan.net/compromisos/%s" % milestone)
    labels = {l.language for l in graph.objects(m_ref, SKOS.prefLabel)}
    assert labels == {"es", "en"}
    assert graph.value(m_ref, SKOS.broader) == URIRef("http://test.ckan.net/compromisos/" + commitment)
    frequency = graph.value(ref, DCTERMS.accrualPeriodicity)
    assert str(frequency).startswith("http://publications.europa.eu/resource/authority/frequency/")
    themes = {str(o).rsplit("/", 1)[-1] for o in graph.objects(ref, URIRef("http://www.w3.org/ns/dcat#theme"))}
    assert themes, "every type has EU data themes"
    spatial = {str(o) for o in graph.objects(ref, DCTERMS.spatial)}
    assert "http://publications.europa.eu/resource/authority/country/GTM" in spatial


def test_theme_mapping():
    from ckanext.ogpguatemala.dcat.profiles import THEMES

    assert THEMES["sinsan-nutricion"] == ["HEAL", "AGRI"]
    assert THEMES["mintrab-movilidad"] == ["SOCI", "ECON"]


ROUND_TRIP = ("ogp_milestones", "geo_level", "geo_departments", "geo_municipalities",
              "frequency", "temporal_start", "temporal_end")


@pytest.mark.parametrize("dataset_type", TYPES)
def test_round_trip_through_the_parser(datasets, dataset_type):
    original = datasets[dataset_type]
    turtle = _graph(original).serialize(format="turtle")
    parser = RDFParser()
    parser.parse(turtle, _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    back = parsed[0]
    for key in ROUND_TRIP:
        assert back.get(key) == original.get(key), key
    # formats come back as written (CSV), not as the EU file-type URI
    assert [r["format"] for r in back["resources"]] == [r["format"] for r in original["resources"]]
    if dataset_type == "oc4ids-proyecto":
        assert back["oc4ids_id"] == original["oc4ids_id"]
        assert float(back["latitude"]) == float(original["latitude"])
    else:
        # a department's or the country's centroid is not read as a project's point
        assert "latitude" not in back and "longitude" not in back


def test_parsed_dataset_can_be_created_again(datasets):
    """A harvester's CKAN with this extension accepts what it parses."""
    original = datasets["sinsan-nutricion"]
    parser = RDFParser()
    parser.parse(_graph(original).serialize(format="turtle"), _format="turtle")
    harvested = next(parser.datasets())
    fields = {k: harvested[k] for k in ("title", "notes") + ROUND_TRIP if k in harvested}
    fields.update(type="dataset", name="cosechado", owner_org=original["owner_org"],
                  contact_email="datos@institucion.gob.gt", language=["SPA"])
    again = helpers.call_action("package_create", context=sysadmin_context(), **fields)
    assert again["ogp_milestones"] == original["ogp_milestones"]
    assert again["ogp_commitments"] == original["ogp_commitments"]


PRIVATE_TITLE = "Planilla confidencial sin publicar"


@pytest.fixture
def with_private(datasets):
    org = factories.Organization(name="mingob")
    private = create(sysadmin_context(), name="privado-dcat", title=PRIVATE_TITLE,
                     owner_org=org["id"], private=True)
    draft = create(sysadmin_context(), name="borrador-dcat", title=PRIVATE_TITLE + " (borrador)",
                   owner_org=org["id"], state="draft")
    return {"private": private, "draft": draft, "public": datasets}


@pytest.mark.parametrize("ext", ["ttl", "rdf", "jsonld", "xml"])
def test_catalog_lists_public_datasets_only(app, with_private, ext):
    res = app.get("/catalog.%s" % ext)
    assert res.status_code == 200
    body = res.body
    for ds in with_private["public"].values():
        assert ds["title"] in body or ds["id"] in body
    assert PRIVATE_TITLE not in body
    assert with_private["private"]["id"] not in body


def test_catalog_is_paged_and_described_in_spanish(app, with_private):
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    catalog = next(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                  URIRef("http://www.w3.org/ns/dcat#Catalog")))
    assert str(graph.value(catalog, DCTERMS.title)).startswith("Datos Abiertos")
    languages = {str(o) for o in graph.objects(catalog, DCTERMS.language)}
    assert "http://publications.europa.eu/resource/authority/language/SPA" in languages
    assert graph.value(catalog, DCTERMS.publisher) is not None
    # the served page, catalogue record included (test.ini sets no site description)
    for shapes in ("dcat-ap-SHACL.ttl", "shapes.ttl", "range.ttl"):
        assert _violations(graph, shapes) == [], shapes
    page2 = app.get("/catalog.ttl?page=2")
    assert page2.status_code in (200, 404)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_dataset_endpoints_for_every_type(app, datasets, dataset_type):
    ds = datasets[dataset_type]
    for ext in ("ttl", "rdf", "jsonld"):
        res = app.get("/dataset/%s.%s" % (ds["name"], ext))
        assert res.status_code == 200, (dataset_type, ext)
        assert "compromisos/%s" % ds["ogp_milestones"][0] in res.body


def test_private_and_draft_datasets_have_no_rdf(app, with_private):
    for key in ("private", "draft"):
        res = app.get("/dataset/%s.ttl" % with_private[key]["name"])
        assert res.status_code in (403, 404)
        assert PRIVATE_TITLE not in res.body


def test_schema_org_json_ld_in_dataset_pages(app, datasets):
    page = app.get("/dataset/%s" % datasets["sinsan-nutricion"]["name"])
    marker = '<script type="application/ld+json">'
    assert marker in page.body
    start = page.body.index(marker)
    block = page.body[page.body.index(">", start) + 1:page.body.index("</script>", start)]
    data = json.loads(block)
    assert "Dataset" in json.dumps(data)


@pytest.mark.parametrize("path,accept", [
    ("/compromisos/PAN6-C3.ttl", None),
    ("/compromisos/PAN6-C3", "text/turtle"),
])
def test_commitment_uris_answer_rdf(app, stack, path, accept):
    headers = {"Accept": accept} if accept else {}
    res = app.get(path, headers=headers)
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=res.body, format="turtle")
    ref = URIRef("http://test.ckan.net/compromisos/PAN6-C3")
    labels = {l.language: str(l) for l in graph.objects(ref, SKOS.prefLabel)}
    assert labels["es"].startswith("Fortalecimiento de la Transparencia")
    assert labels["en"]
    narrower = {str(o) for o in graph.objects(ref, SKOS.narrower)}
    assert narrower == {"http://test.ckan.net/compromisos/PAN6-C3-H1",
                        "http://test.ckan.net/compromisos/PAN6-C3-H2"}


def test_commitment_uri_other_formats_and_unknown(app, stack):
    res = app.get("/compromisos/PAN6-C3-H1.jsonld")
    assert res.status_code == 200 and "PAN6-C3-H1" in res.body
    assert app.get("/compromisos/PAN6.rdf").status_code == 200
    assert app.get("/compromisos/PAN6-C9.ttl").status_code == 404
    assert app.get("/compromisos/PAN6-C3.exe").status_code == 404
    assert app.get("/compromisos/PAN6-C3", headers={"Accept": "text/html"}).status_code == 200


@pytest.mark.parametrize("ext,accept,mimetype,rdflib_format", [
    ("rdf", "application/rdf+xml", "application/rdf+xml", "xml"),
    ("xml", None, "application/rdf+xml", "xml"),
    ("jsonld", "application/ld+json", "application/ld+json", "json-ld"),
    ("n3", "text/n3", "text/n3", "n3"),
])
def test_commitment_uri_every_rdf_format(app, stack, ext, accept, mimetype, rdflib_format):
    """The extensions and media types of ckanext-dcat's own endpoints, by
    extension and (where the media type is not ambiguous) by Accept header."""
    responses = [app.get("/compromisos/PAN6-C3-H1.%s" % ext)]
    if accept:
        responses.append(app.get("/compromisos/PAN6-C3-H1", headers={"Accept": accept}))
    for res in responses:
        assert res.status_code == 200
        assert res.headers["Content-Type"] == mimetype + "; charset=utf-8"
        graph = Graph().parse(data=res.body, format=rdflib_format)
        base = "http://test.ckan.net/compromisos/"
        assert (URIRef(base + "PAN6-C3-H1"), SKOS.broader, URIRef(base + "PAN6-C3")) in graph


def test_browsers_get_the_commitment_page(app, stack):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "*/*"):
        res = app.get("/compromisos/PAN6-C3", headers={"Accept": accept})
        assert res.status_code == 200
        assert res.headers["Content-Type"].startswith("text/html")
