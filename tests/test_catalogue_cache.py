"""The catalogue cache (catalogue_cache.py): the DCAT catalogue pages are
kept in Redis for anonymous visitors and built again after any change of
the public catalogue; signed-in users are never served from it nor stored
in it; the dataset page's publisher box reads its organization once and
without counts."""
import pytest
from rdflib import Graph, URIRef

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, sysadmin_context

pytestmark = pytest.mark.usefixtures("stack", "clean_db", "clean_index")

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def titles(body):
    graph = Graph().parse(data=body, format="turtle")
    return {str(graph.value(s, URIRef("http://purl.org/dc/terms/title")))
            for s in graph.subjects(RDF_TYPE, DCAT_DATASET)}


@pytest.fixture
def org():
    return factories.Organization(name="sesan-cache", title="SESAN")


def test_feed_follows_every_change_of_the_public_catalogue(app, org):
    ctx = sysadmin_context()
    first = create(ctx, name="cache-uno", title="Conjunto uno", owner_org=org["id"])

    miss = app.get("/catalog.ttl")
    assert miss.headers["X-Cache"] == "MISS"
    hit = app.get("/catalog.ttl")
    assert hit.headers["X-Cache"] == "HIT"
    assert hit.body == miss.body
    assert hit.headers["Content-Type"] == miss.headers["Content-Type"]
    assert titles(hit.body) == {"Conjunto uno"}

    steps = [
        # (what changes, the titles the feed then lists)
        (lambda: create(ctx, name="cache-dos", title="Conjunto dos", owner_org=org["id"]),
         {"Conjunto uno", "Conjunto dos"}),
        (lambda: helpers.call_action("package_patch", context=sysadmin_context(),
                                     id=first["id"], title="Conjunto uno revisado"),
         {"Conjunto uno revisado", "Conjunto dos"}),
        (lambda: helpers.call_action("package_patch", context=sysadmin_context(),
                                     id="cache-dos", private=True),
         {"Conjunto uno revisado"}),
        (lambda: helpers.call_action("package_patch", context=sysadmin_context(),
                                     id="cache-dos", private=False),
         {"Conjunto uno revisado", "Conjunto dos"}),
        (lambda: helpers.call_action("package_delete", context=sysadmin_context(),
                                     id="cache-dos"),
         {"Conjunto uno revisado"}),
        (lambda: create(ctx, name="cache-tres", title="Conjunto tres", owner_org=org["id"]),
         {"Conjunto uno revisado", "Conjunto tres"}),
        (lambda: helpers.call_action("dataset_purge", context=sysadmin_context(),
                                     id="cache-tres"),
         {"Conjunto uno revisado"}),
        # a publisher edited: built again (the feed shows what the index holds)
        (lambda: helpers.call_action("organization_patch", context=sysadmin_context(),
                                     id=org["id"], title="SESAN renombrada"),
         {"Conjunto uno revisado"}),
    ]
    for change, expected in steps:
        change()
        after = app.get("/catalog.ttl")
        assert after.headers["X-Cache"] == "MISS", expected
        assert titles(after.body) == expected
        assert app.get("/catalog.ttl").headers["X-Cache"] == "HIT"


def test_each_format_and_page_is_kept_apart(app, org):
    create(sysadmin_context(), name="cache-formatos", title="Formatos", owner_org=org["id"])
    for ext, content_type in [("ttl", "text/turtle"), ("xml", "application/rdf+xml"),
                              ("jsonld", "application/ld+json")]:
        assert app.get("/catalog.%s" % ext).headers["X-Cache"] == "MISS"
        hit = app.get("/catalog.%s" % ext)
        assert hit.headers["X-Cache"] == "HIT"
        assert hit.headers["Content-Type"].startswith(content_type), hit.headers["Content-Type"]
        assert "Formatos" in hit.body
    assert app.get("/catalog.ttl?page=1").headers["X-Cache"] == "MISS"
    assert app.get("/catalog.ttl?q=formatos").headers["X-Cache"] == "MISS"
    assert app.get("/en/catalog.ttl").headers["X-Cache"] == "MISS"


def test_signed_in_users_are_neither_served_nor_stored(app, org):
    create(sysadmin_context(), name="cache-publico", title="Publico", owner_org=org["id"])
    create(sysadmin_context(), name="cache-privado", title="Privado secreto",
           owner_org=org["id"], private=True)
    admin = factories.Sysadmin()
    token = factories.APIToken(user=admin["name"])["token"]

    signed_in = app.get("/catalog.ttl", headers={"Authorization": token})
    assert signed_in.status_code == 200
    assert "X-Cache" not in signed_in.headers
    # what the signed-in request built was not kept for visitors
    anonymous = app.get("/catalog.ttl")
    assert anonymous.headers["X-Cache"] == "MISS"
    assert "Privado secreto" not in anonymous.body
    # nor is a visitor's page served to the signed-in user
    assert "X-Cache" not in app.get("/catalog.ttl", headers={"Authorization": token}).headers


def test_an_empty_catalogue_is_not_kept(app):
    res = app.get("/catalog.ttl")
    assert res.status_code == 200
    assert "X-Cache" not in res.headers
    assert titles(res.body) == set()


def test_dataset_page_shows_its_publisher_without_counting(app, org):
    helpers.call_action("organization_patch", context=sysadmin_context(), id=org["id"],
                        description="Secretaría de Seguridad Alimentaria y Nutricional.")
    create(sysadmin_context(), name="cache-pagina", owner_org=org["id"])
    body = app.get("/dataset/cache-pagina").body
    box = body[body.index('id="organization-info"'):]
    box = box[:box.index("</section>")]
    assert "SESAN" in box
    assert "Secretaría de Seguridad Alimentaria y Nutricional." in box
    assert "/organization/about/sesan-cache" in box


def test_the_home_page_is_never_kept_but_negotiated_rdf_is(app, org):
    """With content negotiation, ckanext-dcat serves "/" with its catalogue
    view: the home page (a page with a form token) is not a feed."""
    create(sysadmin_context(), name="cache-inicio", title="Inicio", owner_org=org["id"])
    for _ in range(2):
        home = app.get("/")
        assert home.status_code == 200
        assert "X-Cache" not in home.headers
        assert "<html" in home.body
    turtle = {"Accept": "text/turtle"}
    assert app.get("/", headers=turtle).headers["X-Cache"] == "MISS"
    negotiated = app.get("/", headers=turtle)
    assert negotiated.headers["X-Cache"] == "HIT"
    assert negotiated.headers["Content-Type"].startswith("text/turtle")
    assert titles(negotiated.body) == {"Inicio"}
    assert "X-Cache" not in app.get("/").headers
