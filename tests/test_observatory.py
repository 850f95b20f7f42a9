"""The observatory pages and the registry API actions, with public and
private datasets in the real database and Solr core."""
import pytest

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, sysadmin_context

PUBLIC_TITLE = "Proyectos de infraestructura hospitalaria 2024"
PRIVATE_TITLE = "Borrador confidencial de obras del MSPAS"


@pytest.fixture
def linked(stack):
    context = sysadmin_context()
    org = factories.Organization(name="mspas")
    public = create(context, name="obras-salud", title=PUBLIC_TITLE, notes="x",
                    owner_org=org["id"], ogp_milestones=["PAN6-C3-H1"])
    private = create(context, name="obras-privadas", title=PRIVATE_TITLE, notes="x",
                     owner_org=org["id"], private=True,
                     ogp_milestones=["PAN6-C3-H1", "PAN6-C3-H2"])
    draft = create(context, name="obras-borrador", title="Borrador", notes="x",
                   owner_org=org["id"], state="draft", ogp_milestones=["PAN6-C3-H2"])
    return {"context": context, "public": public, "private": private, "draft": draft}


def test_plan_list_counts_public_datasets_only(linked):
    plans = helpers.call_action("ogp_plan_list", context={"user": ""})
    assert [p["code"] for p in plans] == ["PAN6", "PAN5"]
    pan6 = plans[0]
    assert pan6["commitment_count"] == 6 and pan6["milestone_count"] == 20
    assert pan6["dataset_count"] == 1
    c3 = next(c for c in pan6["commitments"] if c["code"] == "PAN6-C3")
    assert c3["dataset_count"] == 1
    assert c3["title"]["es"].startswith("Fortalecimiento de la Transparencia")
    assert [i["slug"] for i in c3["institutions"]] == ["mspas", "mineduc"]


def test_counts_ignore_privates_even_for_a_sysadmin(linked):
    c3 = helpers.call_action("ogp_commitment_show", context=dict(linked["context"]), id="PAN6-C3")
    assert c3["dataset_count"] == 1
    by_code = {m["code"]: m["dataset_count"] for m in c3["milestones"]}
    assert by_code == {"PAN6-C3-H1": 1, "PAN6-C3-H2": 0}


def test_show_actions(linked):
    plan = helpers.call_action("ogp_plan_show", id="pan6")
    assert plan["code"] == "PAN6" and len(plan["commitments"]) == 6
    assert sum(len(c["milestones"]) for c in plan["commitments"]) == 20
    m = helpers.call_action("ogp_milestone_show", id="PAN6-C3-H1")
    assert m["commitment"] == "PAN6-C3" and m["plan"] == "PAN6"
    assert m["dataset_count"] == 1
    assert (m["start"], m["end"], m["extended_end"]) == ("2023-07", "2024-01", "2025-06")


@pytest.mark.parametrize("action,code", [
    ("ogp_plan_show", "PAN9"),
    ("ogp_commitment_show", "PAN6-C9"),
    ("ogp_milestone_show", "PAN6-C3-H7"),
    ("ogp_commitment_show", "PAN6-C3-H1"),
])
def test_unknown_ids_not_found(stack, action, code):
    with pytest.raises(logic.NotFound):
        helpers.call_action(action, id=code)


def test_missing_id_is_a_validation_error(stack):
    with pytest.raises(logic.ValidationError) as exc:
        helpers.call_action("ogp_commitment_show")
    assert "id" in exc.value.error_dict


def test_actions_over_http_anonymous(app, linked):
    res = app.get("/api/3/action/ogp_commitment_show", query_string={"id": "PAN6-C3"})
    assert res.status_code == 200
    assert res.json["result"]["dataset_count"] == 1
    res = app.get("/api/3/action/ogp_milestone_show", query_string={"id": "NOPE"})
    assert res.status_code == 404


def test_index_page(app, linked):
    page = app.get("/compromisos")
    assert page.status_code == 200
    body = page.body
    assert "6to. Plan de Acción Nacional de Gobierno Abierto 2023-2025" in body
    assert "Fortalecimiento de la Transparencia" in body
    assert "/compromisos/PAN6-C3" in body
    assert "/compromisos/PAN5-C12" in body


def test_commitment_page_shows_public_dataset_only(app, linked):
    page = app.get("/compromisos/PAN6-C3")
    assert page.status_code == 200
    body = page.body
    assert PUBLIC_TITLE in body
    assert PRIVATE_TITLE not in body
    assert "/dataset/obras-salud" in body
    assert "PAN6-C3-H2" in body  # every milestone is listed, with its dates
    assert "MSPAS" in body


def test_commitment_page_lists_ten_per_milestone_and_links_to_all(app, stack):
    """However many datasets a milestone gathers, its section lists the first
    ten by title and links to the search of all of them."""
    context = sysadmin_context()
    org = factories.Organization(name="mspas")
    for i in range(12):
        create(context, name="obra-%02d" % i, title="Obra %02d" % i, owner_org=org["id"],
               ogp_milestones=["PAN6-C3-H1"])
    create(context, name="obra-oculta", title="Obra 00 privada", owner_org=org["id"], private=True,
           ogp_milestones=["PAN6-C3-H1"])
    page = app.get("/compromisos/PAN6-C3").body
    listed = [i for i in range(12) if "/dataset/obra-%02d" % i in page]
    assert listed == list(range(10))
    assert "obra-oculta" not in page
    assert "/dataset/?ogp_milestones=PAN6-C3-H1" in page
    assert "Los 12 conjuntos de datos de este hito" in page
    # the milestone without datasets says so, with no link
    assert "ogp_milestones=PAN6-C3-H2" not in page


def test_private_dataset_absent_even_for_logged_in_sysadmin(app, linked):
    user = factories.Sysadmin()
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}
    page = app.get("/compromisos/PAN6-C3", headers=headers)
    assert PRIVATE_TITLE not in page.body
    index = app.get("/compromisos", headers=headers)
    assert index.status_code == 200


def test_code_urls(app, stack):
    assert app.get("/compromisos/PAN6-C99").status_code == 404
    res = app.get("/compromisos/PAN6-C3-H1", follow_redirects=False)
    assert res.status_code == 302 and res.location.endswith("/compromisos/PAN6-C3#PAN6-C3-H1")
    res = app.get("/compromisos/PAN6", follow_redirects=False)
    assert res.status_code == 302 and res.location.endswith("/compromisos#PAN6")


def test_dataset_page_box_links_commitment(app, linked):
    page = app.get("/dataset/obras-salud")
    assert page.status_code == 200
    assert "ogp-commitment-box" in page.body
    assert 'href="/compromisos/PAN6-C3"' in page.body
    assert 'href="/compromisos/PAN6-C3-H1"' in page.body


def test_search_page_has_plan_facets(app, linked):
    page = app.get("/dataset/")
    assert page.status_code == 200
    assert "PAN6-C3 · Fortalecimiento de la Transparencia" in page.body
    assert PRIVATE_TITLE not in page.body


def test_spanish_by_default_english_available(app, stack):
    es = app.get("/compromisos").body
    assert "Planes de Acción de Gobierno Abierto" in es
    assert "Acciones Orientadas al Fortalecimiento de la Seguridad Alimentaria" in es
    en = app.get("/en/compromisos").body
    assert "Open Government action plans" in en
    assert "Actions Aimed at Strengthening Food and Nutrition Security" in en


PAN7 = __import__("os").path.join(__import__("os").path.dirname(__file__), "data", "registry", "pan7.yaml")


@pytest.mark.ckan_config("ckanext.ogpguatemala.registry_files", PAN7)
def test_a_future_plan_comes_from_configuration(app, stack):
    context = sysadmin_context()
    org = factories.Organization(name="gae")
    create(context, name="pan7-datos", title="Datos PAN7", notes="x",
           owner_org=org["id"], ogp_milestones=["PAN7-C1-H1"])
    plans = helpers.call_action("ogp_plan_list")
    assert [p["code"] for p in plans] == ["PAN7", "PAN6", "PAN5"]
    assert plans[0]["dataset_count"] == 1
    assert "Datos PAN7" in app.get("/compromisos/PAN7-C1").body


def test_dataset_page_hides_empty_fields(app, stack):
    org = factories.Organization(name="cpcc")
    create(sysadmin_context(), name="sin-procedencia", owner_org=org["id"], provenance="",
           geo_level="nacional", geo_departments=[], geo_municipalities=[])
    body = app.get("/dataset/sin-procedencia").body
    assert "Cobertura geográfica" in body  # a filled field is shown
    assert "Procedencia / fuente" not in body
    assert "Municipios" not in body
