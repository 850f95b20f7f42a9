"""DCAT-AP 3 conformance of what the portal really serves: the live test
portal (`portal` fixture: gunicorn, the plan's institutions and the demo
data with its uploaded files and imported OC4IDS projects, plus the
observatory's own dataset published here as `make run` does) is read over
HTTP — every page of /catalog.ttl and one /dataset/<name>.ttl of each type —
and validated with pyshacl against the official DCAT-AP 3.0.1 shapes
shipped in tests/data/dcat-ap-3.0.1 (see tests/data/SOURCES.md)."""
import collections
import os
import subprocess

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from ckanext.dcat.processors import RDFParser
from ckanext.ogpguatemala.dcat.media_types import IANA, registered
from ckanext.ogpguatemala.dcat.recommended import (
    RECOMMENDED_NOT_FILLED, catalog_license, distribution_description)
from ckanext.ogpguatemala.infrastructure.settings import codelist_choices

from tests.conftest import ROOT
from tests.test_dcat import _named_exception, _violations

DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
HYDRA_NEXT = URIRef("http://www.w3.org/ns/hydra/core#nextPage")
MANDATORY_AND_RANGE = ("dcat-ap-SHACL.ttl", "shapes.ttl", "range.ttl")


def _get(url):
    res = requests.get(url, timeout=120)
    assert res.status_code == 200, (url, res.status_code)
    # Turtle is UTF-8 (RDF 1.1 Turtle); requests would guess ISO-8859-1
    return Graph().parse(data=res.content.decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def live(portal):
    """The portal with the observatory's dataset, its catalogue pages (each
    page's graph, following hydra:nextPage) and its public datasets."""
    subprocess.run([os.path.join(ROOT, ".venv", "bin", "ckan"), "-c", portal["ini"],
                    "ogpguatemala", "publish-observatory"], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    pages, url = [], portal["url"] + "/catalog.ttl"
    while url:
        assert len(pages) < 50, "the catalogue's pages do not end"
        pages.append(_get(url))
        following = list(pages[-1].objects(None, HYDRA_NEXT))
        url = str(following[0]) if following else None
    datasets = portal["api"].action.package_search(rows=1000)["results"]
    return {"pages": pages, "datasets": datasets, "url": portal["url"]}


def test_catalogue_pages_list_every_public_dataset(live):
    served = set()
    for page in live["pages"]:
        served |= {str(d) for d in page.subjects(RDF.type, URIRef(DCAT + "Dataset"))}
    assert len(served) == len(live["datasets"])
    types = {ds["type"] for ds in live["datasets"]}
    # every type, imported OC4IDS projects and the observatory's dataset
    assert types == {"dataset", "sinsan-nutricion", "mintrab-movilidad",
                     "conamigua-informe", "oc4ids-proyecto", "dataset_series"}
    assert any(ds.get("oc4ids_id") for ds in live["datasets"])
    assert any(ds["name"] == "observatorio-datos-abiertos" for ds in live["datasets"])


def test_every_catalogue_page_has_no_violation(live):
    for number, page in enumerate(live["pages"], 1):
        for shapes in MANDATORY_AND_RANGE:
            assert _violations(page, shapes) == [], (number, shapes)
        # the EU controlled vocabularies, except the two named in test_dcat
        # (the catalogue's own publisher is not in the EU table either)
        catalog = next(page.subjects(RDF.type, URIRef(DCAT + "Catalog")))
        publisher = str(page.value(catalog, DCTERMS.publisher))
        violations = _violations(page, "mdr-vocabularies.shape.ttl")
        assert [v for v in violations if not _named_exception(v) and not (
            v["focus"] == publisher and v["path"] in ("None", str(SKOS.inScheme)))] == [], number
        # recommended properties are warnings there; none may be a violation
        assert _violations(page, "shapes_recommended.ttl") == [], number


def _short(uri_):
    for prefix, ns in (("dcat", DCAT), ("dct", str(DCTERMS)), ("dcatap", DCATAP),
                       ("foaf", str(FOAF)), ("skos", str(SKOS))):
        if str(uri_).startswith(ns):
            return "%s:%s" % (prefix, str(uri_)[len(ns):])
    return str(uri_)


@pytest.fixture(scope="module")
def recommended(live):
    """The warnings of shapes_recommended.ttl on every catalogue page, with
    the classes of their focus node."""
    out = []
    for page in live["pages"]:
        for w in _violations(page, "shapes_recommended.ttl", "Warning"):
            classes = sorted(_short(c) for c in page.objects(URIRef(w["focus"]), RDF.type))
            out.append(dict(w, classes="/".join(classes)))
    return out


def test_recommended_warnings_are_the_documented_ones(live, recommended, record_property):
    """Recommended properties are missing only where RECOMMENDED_NOT_FILLED
    gives the reason; any other recommended warning fails. The counts by
    focus class and path are printed and recorded (junit property)."""
    counts = collections.Counter((w["classes"], _short(w["path"])) for w in recommended)
    record_property("recommended_warnings", dict(("%s %s" % k, n) for k, n in counts.items()))
    print("\nrecommended-level warnings of the live catalogue (%d):" % len(recommended))
    for (classes, path), n in sorted(counts.items()):
        print("%6d  %-20s %s" % (n, classes, path))
    assert {w["path"] for w in recommended} <= set(RECOMMENDED_NOT_FILLED)
    series_described = {w["focus"] for w in recommended if w["classes"] == "dcat:Dataset/dcat:DatasetSeries"}
    by_uri = {"%s/dataset/%s" % (live["url"], ds["id"]): ds for ds in live["datasets"]}
    for w in recommended:
        place = w["focus"].rsplit("/geo/ine/", 1)[-1]
        if w["path"] == DCATAP + "availability":
            assert w["classes"] == "dcat:Distribution", w
        elif w["classes"] == "dcat:Dataset" and w["path"] in EMPTY_WHEN_NOT_GIVEN:
            # a dataset its publisher gave no keywords, period or files
            # (e.g. one published through the form by the browser tests)
            ds = by_uri[w["focus"]]
            assert not ds.get(EMPTY_WHEN_NOT_GIVEN[w["path"]]), (w, ds["name"])
            assert ds["type"] != "oc4ids-proyecto" or w["path"] == DCAT + "distribution", w
        elif w["path"] == DCAT + "distribution":
            assert w["classes"] == "dcat:Dataset/dcat:DatasetSeries", w  # a series
        elif w["path"] in (str(DCTERMS.publisher), DCAT + "contactPoint"):
            # a series named by a release on a page that does not list it;
            # the page that lists it describes it fully
            assert w["classes"] == "dcat:DatasetSeries", w
            assert w["focus"] in series_described, w
        elif w["path"] == DCAT + "centroid":
            assert len(place) == 4 and place.isdigit(), w  # a municipality
        else:  # dcat:bbox: a municipality or an infrastructure project's point
            assert len(place) == 4 and place.isdigit() or place.startswith("punto-"), w


# Recommended dataset properties that come from optional fields: missing
# exactly when the dataset has no value (path -> the CKAN field).
EMPTY_WHEN_NOT_GIVEN = {DCAT + "keyword": "tags", str(DCTERMS.temporal): "temporal_start",
                        DCAT + "distribution": "resources"}


def _catalogue_graph(live):
    graph = Graph()
    for page in live["pages"]:
        graph += page
    return graph


def test_recommended_values_come_from_the_data(with_plugins, live):
    graph = _catalogue_graph(live)
    catalog = next(graph.subjects(RDF.type, URIRef(DCAT + "Catalog")))
    assert graph.value(catalog, DCTERMS.license) == URIRef(catalog_license())
    oldest = min(ds["metadata_created"] for ds in live["datasets"])[:10]
    assert str(graph.value(catalog, DCTERMS.issued)) == oldest
    taxonomies = set(graph.objects(catalog, URIRef(DCAT + "themeTaxonomy")))
    themes = set(graph.objects(None, URIRef(DCAT + "theme")))
    assert themes and {graph.value(t, SKOS.inScheme) for t in themes} <= taxonomies
    sectors = {c["value"]: c["label"] for c in codelist_choices("projectSector")}
    for ds in live["datasets"]:
        ref = URIRef("%s/dataset/%s" % (live["url"], ds["id"]))
        for resource in ds["resources"]:
            texts = {l.language: str(l) for l in graph.objects(
                _distribution(graph, live["url"], ds, resource), DCTERMS.description)}
            if resource.get("description"):
                assert texts == {None: resource["description"]}
            else:
                assert texts == distribution_description(resource, ds["title"])
        if ds["type"] == "oc4ids-proyecto" and not ds.get("temporal_start"):
            period = graph.value(ref, DCTERMS.temporal)
            assert str(graph.value(period, URIRef(DCAT + "startDate"))) == ds["project_period_start"]
            assert str(graph.value(period, URIRef(DCAT + "endDate"))) == ds["project_period_end"]
            keywords = {str(k) for k in graph.objects(ref, URIRef(DCAT + "keyword"))}
            assert {sectors[s]["es"] for s in ds["project_sector"]} <= keywords, ds["name"]
    # departments and Guatemala have one centroid and one bounding box each
    located = 0
    for place in set(graph.subjects(RDF.type, DCTERMS.Location)):
        code = str(graph.value(place, DCTERMS.identifier) or "")
        if len(code) == 2 or str(place).endswith("/country/GTM"):
            located += 1
            assert len(set(graph.objects(place, URIRef(DCAT + "centroid")))) == 1, place
            assert len(set(graph.objects(place, URIRef(DCAT + "bbox")))) == 1, place
    assert located > 1


def _one_of_each_type(datasets):
    chosen = {}
    for ds in datasets:
        # a dataset with uploaded files where the type has one
        uploads = any(r.get("url_type") == "upload" for r in ds["resources"])
        if ds["type"] not in chosen or uploads and not chosen[ds["type"]][1]:
            chosen[ds["type"]] = (ds, uploads)
    return [ds for ds, _uploads in chosen.values()]


def test_dataset_of_each_type_has_no_violation(live):
    chosen = _one_of_each_type(live["datasets"])
    assert len(chosen) == 6  # the five types and a dataset series
    for ds in chosen:
        graph = _get("%s/dataset/%s.ttl" % (live["url"], ds["name"]))
        for shapes in MANDATORY_AND_RANGE:
            assert _violations(graph, shapes) == [], (ds["name"], shapes)


def test_every_dataset_page_has_no_violation(live):
    """Every public dataset's own RDF (with the series navigation the
    catalogue pages lack), validated together: the shapes are per node."""
    merged = Graph()
    for ds in live["datasets"]:
        merged += _get("%s/dataset/%s.ttl" % (live["url"], ds["name"]))
    datasets = set(merged.subjects(RDF.type, URIRef(DCAT + "Dataset")))
    assert len(datasets) == len(live["datasets"])
    # releases point to their neighbours and series to their ends
    assert list(merged.subject_objects(URIRef(DCAT + "prev")))
    assert list(merged.subject_objects(URIRef(DCAT + "last")))
    for shapes in MANDATORY_AND_RANGE:
        assert _violations(merged, shapes) == [], shapes


def _distribution(graph, base, ds, resource):
    ref = URIRef("%s/dataset/%s/resource/%s" % (base, ds["id"], resource["id"]))
    assert (ref, RDF.type, URIRef(DCAT + "Distribution")) in graph, ref
    return ref


def test_media_types_are_iana_iris(live):
    graph = Graph()
    for page in live["pages"]:
        graph += page
    checked = set()
    for ds in live["datasets"]:
        for resource in ds["resources"]:
            ref = _distribution(graph, live["url"], ds, resource)
            values = list(graph.objects(ref, URIRef(DCAT + "mediaType")))
            expected = registered(resource.get("mimetype")) or registered(resource.get("format"))
            if expected is None:
                assert values == [], (ds["name"], resource["format"])
                continue
            assert values == [URIRef(IANA + expected)], (ds["name"], resource["format"])
            assert (values[0], RDF.type, DCTERMS.MediaType) in graph
            checked.add((expected, resource.get("url_type") == "upload"))
    # uploaded CSV and JSON files (their mimetype set by CKAN) are among them
    assert ("text/csv", True) in checked and ("application/json", True) in checked
    assert not any(isinstance(v, Literal) for v in graph.objects(None, URIRef(DCAT + "mediaType")))


def test_catalogue_homepage_is_a_document(live):
    for page in live["pages"]:
        catalog = next(page.subjects(RDF.type, URIRef(DCAT + "Catalog")))
        homepages = list(page.objects(catalog, FOAF.homepage))
        assert homepages == [URIRef(live["url"] + "/")]
        assert (homepages[0], RDF.type, FOAF.Document) in page
        assert requests.get(str(homepages[0]), timeout=30).status_code == 200


def test_harvester_reads_plain_media_types_back(with_plugins, live):
    """ckanext-dcat's parser (what a harvester runs) with this profile gets
    ``text/csv`` back, not the IRI."""
    ds = next(d for d in _one_of_each_type(live["datasets"])
              if any(r.get("url_type") == "upload" for r in d["resources"]))
    parser = RDFParser()
    parser.parse(requests.get("%s/dataset/%s.ttl" % (live["url"], ds["name"]),
                              timeout=60).text, _format="turtle")
    parsed = next(parser.datasets())
    assert sorted(str(r.get("mimetype")) for r in parsed["resources"]) == \
        sorted(str(registered(r.get("mimetype")) or registered(r.get("format")))
               for r in ds["resources"])
    assert not any(IANA in str(r.get("mimetype")) for r in parsed["resources"])


def test_only_registered_iana_types_become_media_types():
    assert registered("text/csv") == "text/csv"
    assert registered("text/csv; charset=utf-8") == "text/csv"
    assert registered(IANA + "application/json") == "application/json"
    assert registered("XLSX") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert registered(".geojson") == "application/geo+json"
    for unregistered in ("application/x-zip-compressed", "text/x-csv", "SHP", "", None,
                         "http://example.org/csv"):
        assert registered(unregistered) is None, unregistered
