"""The guided publishing flow, on the real web app, database and Solr:
"Add dataset" leads to the type chooser (/publicar), each type's form comes
in sections with help texts, the milestone picker groups plan → commitment
→ milestone with the type's and the institution's commitments first, what
it posts creates the dataset, and errors show next to their fields in the
page's language with what was typed kept."""
from __future__ import annotations

import glob
import os
from typing import NamedTuple
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

import ckanext.ogpguatemala.schemas
from ckanext.ogpguatemala.registry import get_registry
from tests.helpers import spanish, valid

SCHEMAS_DIR = os.path.dirname(ckanext.ogpguatemala.schemas.__file__)


def _load(name):
    with open(os.path.join(SCHEMAS_DIR, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


PRESETS = {p["preset_name"]: p["values"] for p in _load("presets.yaml")["presets"]}
SCHEMAS = {s["dataset_type"]: s for s in (_load(os.path.basename(p)) for p in
                                          glob.glob(os.path.join(SCHEMAS_DIR, "*.yaml")))
           if "dataset_type" in s}
TYPES = sorted(SCHEMAS)
# The mapping of the issue: type → the commitment it serves.
TYPE_COMMITMENT = {
    "sinsan-nutricion": "PAN6-C2",
    "oc4ids-proyecto": "PAN6-C3",
    "conamigua-informe": "PAN6-C4",
    "mintrab-movilidad": "PAN6-C6",
}


def form_fields(dataset_type) -> list[dict]:
    """The type's fields as written in its YAML, presets expanded, in order,
    only those with a form widget."""
    out = []
    for field in SCHEMAS[dataset_type]["dataset_fields"]:
        field = dict(PRESETS.get(field.get("preset"), {}), **field)
        if field.get("form_snippet", "x") is not None:
            out.append(field)
    return out


class Publisher(NamedTuple):
    user: str
    org: str        # organization id
    org_name: str
    token: str


def _publisher(org_name=None) -> Publisher:
    user = factories.User()
    org_fields = {"name": org_name} if org_name else {}
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}], **org_fields)
    token = factories.APIToken(user=user["name"])["token"]
    return Publisher(user["name"], org["id"], org["name"], token)


@pytest.fixture
def editor(stack):
    """An editor of an organization that is no registry institution."""
    return _publisher()


def page(app, url, publisher, **kwargs):
    res = app.get(url, headers={"Authorization": publisher.token}, **kwargs)
    assert res.status_code == 200, (url, res.status_code)
    return BeautifulSoup(res.body, "html.parser")


def picker_groups(soup, plan=None):
    scope = soup.select_one("#ogp-milestone-picker")
    selector = "details.ogp-commitment-group"
    if plan:
        selector = 'fieldset[data-plan="%s"] ' % plan + selector
    return scope.select(selector)


def suggested_codes(soup) -> list[str]:
    return [d["data-commitment"] for d in picker_groups(soup) if "ogp-suggested" in d["class"]]


# ------------------------------------------------------------ the chooser
@pytest.mark.parametrize("prefix,lang", [("", "es"), ("/en", "en")])
def test_chooser_lists_every_type_with_its_explanation(app, editor, prefix, lang):
    soup = page(app, prefix + "/publicar?owner_org=" + editor.org_name, editor)
    choices = {a["data-type"]: a for a in soup.select("a.ogp-type-choice")}
    assert set(choices) == set(TYPES)
    for name, a in choices.items():
        schema = SCHEMAS[name]
        text = " ".join(a.get_text().split())
        assert " ".join(schema["ogp_label"][lang].split()) in text
        assert " ".join(schema["ogp_about"][lang].split()) in text
        # the button's organization goes along (by id, as the form's
        # publisher list names it) to the type's own form
        link = urlparse(a["href"])
        assert link.path == "%s/%s/new" % (prefix, name)
        assert parse_qs(link.query) == {"owner_org": [editor.org]}
    # the general type comes last
    assert list(choices)[-1] == "dataset"


def test_chooser_keeps_the_group_and_recommends_the_institutions_type(app, stack):
    mintrab = _publisher("mintrab")
    soup = page(app, "/publicar?group=" + mintrab.org, mintrab)
    for a in soup.select("a.ogp-type-choice"):
        assert parse_qs(urlparse(a["href"]).query) == {"group": [mintrab.org]}
    recommended = [a["data-type"] for a in soup.select("a.ogp-type-choice.ogp-type-recommended")]
    assert recommended == ["mintrab-movilidad"]


def test_anonymous_is_sent_to_login(app, stack):
    for prefix in ("", "/en"):
        res = app.get(prefix + "/publicar?owner_org=x", follow_redirects=False)
        assert res.status_code == 302
        target = urlparse(res.headers["Location"])
        assert target.path == prefix + "/user/login"
        assert parse_qs(target.query)["next"] == [prefix + "/publicar?owner_org=x"]


def test_user_without_organization_gets_a_message(app, stack):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    res = app.get("/publicar", headers={"Authorization": token})
    assert res.status_code == 200
    soup = BeautifulSoup(res.body, "html.parser")
    message = soup.select_one("#ogp-publish-no-organization")
    assert message is not None
    assert spanish("You cannot publish yet: your account is not an editor of any institution on this portal.") \
        in message.get_text()
    assert soup.select("a.ogp-type-choice") == []


def test_add_dataset_buttons_lead_to_the_chooser(app, editor):
    on_org = page(app, "/organization/" + editor.org_name, editor).select_one("a.ogp-add-dataset")
    link = urlparse(on_org["href"])
    assert (link.path, parse_qs(link.query)) == ("/publicar", {"owner_org": [editor.org]})
    for url in ("/dataset/", "/dashboard/datasets", "/en/dataset/"):
        button = page(app, url, editor).select_one("a.ogp-add-dataset")
        assert urlparse(button["href"]).path == ("/en" if url.startswith("/en") else "") + "/publicar"
    # with no dataset yet, the dashboard's "Create one now?" goes there too
    empty = page(app, "/dashboard/datasets", editor).select_one("p.empty a")
    assert urlparse(empty["href"]).path == "/publicar"


# ------------------------------------------------------------- the form
@pytest.mark.parametrize("dataset_type", TYPES)
def test_form_in_sections_with_legends_and_help(app, editor, dataset_type):
    fields = form_fields(dataset_type)
    for lang, prefix in (("es", ""), ("en", "/en")):
        soup = page(app, "%s/%s/new" % (prefix, dataset_type), editor)
        sections = soup.select("form#dataset-edit fieldset.ogp-form-section")
        legends = [s.find("legend", recursive=False).get_text(strip=True) for s in sections]
        assert legends == [f["form_section"][lang] for f in fields if "form_section" in f]
        # a series has no "where" (its releases do): what, who, when, plan, other
        assert len(legends) >= (5 if dataset_type == "dataset_series" else 6)
        for section, field in zip(sections, [f for f in fields if "form_section" in f]):
            assert section.select_one(".ogp-form-section-help").get_text(strip=True) \
                == field["form_section_help"][lang]
        # every field sits in the section its YAML puts it in, with its help
        section_of = {}
        for i, field in enumerate(fields):
            current = legends.index(field["form_section"][lang]) if "form_section" in field \
                else section_of[fields[i - 1]["field_name"]]
            section_of[field["field_name"]] = current
            assert field.get("help_text"), "%s has no help text" % field["field_name"]
            where = sections[current]
            assert where.select_one('[name="%s"]' % field["field_name"]), (field["field_name"], legends[current])
            assert " ".join(field["help_text"][lang].split()) in " ".join(where.get_text().split())


@pytest.mark.parametrize("dataset_type", TYPES)
def test_form_order_what_who_when_where_plan(stack, dataset_type):
    names = [f["field_name"] for f in form_fields(dataset_type)]
    steps = ("title", "owner_org", "temporal_start", "geo_level", "ogp_milestones")
    if dataset_type == "dataset_series":  # periods and places are the releases'
        steps = ("title", "owner_org", "frequency", "ogp_milestones")
    order = [names.index(n) for n in steps]
    assert order == sorted(order)


# ---------------------------------------------------- the milestone picker
@pytest.mark.parametrize("dataset_type", TYPES)
def test_picker_groups_plans_commitments_milestones(app, editor, dataset_type):
    soup = page(app, "/%s/new" % dataset_type, editor)
    picker = soup.select_one("div#ogp-milestone-picker")
    assert picker.select_one('input#ogp-milestone-filter[type="search"]') is not None
    reg = get_registry()
    assert [f["data-plan"] for f in picker.select("fieldset[data-plan]")] == list(reg.plans)
    for plan in reg.plans.values():
        fieldset = picker.select_one('fieldset[data-plan="%s"]' % plan.code)
        assert plan.code in fieldset.find("legend").get_text()
        groups = picker_groups(soup, plan.code)
        assert sorted(g["data-commitment"] for g in groups) == sorted(c.code for c in plan.commitments)
        for group in groups:
            commitment = reg.commitments[group["data-commitment"]]
            boxes = group.select('input[type="checkbox"][name="ogp_milestones"]')
            assert [b["value"] for b in boxes] == [m.code for m in commitment.milestones]
            for box, m in zip(boxes, commitment.milestones):
                label = " ".join(box.find_parent("label").get_text().split())
                assert m.code in label and m.end[:4] in label
                for slug in reg.milestone_institutions(m):
                    assert reg.institution_label(slug) in label
    # PAN5 has commitments but no milestones in the registry
    assert picker_groups(soup, "PAN5") and not picker.select('fieldset[data-plan="PAN5"] input')
    # the old select2/autocomplete widget is gone
    assert not soup.select('select[name="ogp_milestones"]')


@pytest.mark.parametrize("dataset_type", TYPES)
def test_picker_suggests_the_types_commitment_first_and_open(app, editor, dataset_type):
    soup = page(app, "/%s/new" % dataset_type, editor)
    expected = [TYPE_COMMITMENT[dataset_type]] if dataset_type in TYPE_COMMITMENT else []
    assert suggested_codes(soup) == expected
    groups = picker_groups(soup, "PAN6")
    for i, group in enumerate(groups):
        suggested = "ogp-suggested" in group["class"]
        assert group.has_attr("open") == suggested
        assert (spanish("Suggested") in group.find("summary").get_text()) == suggested
        if suggested:
            assert i < len(expected)  # suggested ones first


def test_picker_suggests_the_institutions_commitments(app, stack):
    # SESAN answers for the milestones of PAN6-C2 only; MINTRAB for PAN6-C6
    sesan = _publisher("sesan")
    soup = page(app, "/dataset/new", sesan)
    assert suggested_codes(soup) == ["PAN6-C2"]
    assert [g["data-commitment"] for g in picker_groups(soup, "PAN6")][0] == "PAN6-C2"
    # the type's commitment, then the institution's, both open and first
    mintrab = _publisher("mintrab")
    soup = page(app, "/sinsan-nutricion/new?owner_org=" + mintrab.org, mintrab)
    assert suggested_codes(soup) == ["PAN6-C2", "PAN6-C6"]
    assert [g["data-commitment"] for g in picker_groups(soup, "PAN6")][:2] == ["PAN6-C2", "PAN6-C6"]
    # the institution follows the chosen publisher, not only the user's first one
    soup = page(app, "/dataset/new?owner_org=" + sesan.org, mintrab)
    assert suggested_codes(soup) == ["PAN6-C6"]  # mintrab may not publish for sesan


def _form(dataset_type, publisher, **overrides):
    """What the browser posts for a complete dataset of the type (multiple
    values of one name as a list)."""
    data = valid(dataset_type, name="form-" + dataset_type, owner_org=publisher.org)
    data.pop("type")
    data["tag_string"] = ",".join(t["name"] for t in data.pop("tags"))
    data.update(overrides)
    form = {k: (v if isinstance(v, list) else str(v)) for k, v in data.items() if v is not None}
    form.update({"_ckan_phase": "dataset_new_1", "pkg_name": "", "save": ""})
    return form


def test_posting_two_checkboxes_creates_the_dataset_then_its_files(app, stack):
    sesan = _publisher("sesan")
    headers = {"Authorization": sesan.token}
    res = app.post("/sinsan-nutricion/new", headers=headers, follow_redirects=False,
                   data=_form("sinsan-nutricion", sesan, ogp_milestones=["PAN6-C3-H1", "PAN6-C2-H1"]))
    assert res.status_code == 302, res.body[:2000]
    # the second stage: the files
    assert urlparse(res.headers["Location"]).path == "/sinsan-nutricion/form-sinsan-nutricion/resource/new"
    shown = helpers.call_action("package_show", id="form-sinsan-nutricion")
    assert shown["state"] == "draft"
    assert shown["ogp_milestones"] == ["PAN6-C2-H1", "PAN6-C3-H1"]
    assert shown["ogp_commitments"] == ["PAN6-C2", "PAN6-C3"]
    res = app.post("/sinsan-nutricion/form-sinsan-nutricion/resource/new", headers=headers,
                   follow_redirects=False,
                   data={"url": "https://datos.example.gt/indicador.csv", "name": "Indicador",
                         "format": "CSV", "save": "go-metadata", "id": ""})
    assert res.status_code == 302
    shown = helpers.call_action("package_show", id="form-sinsan-nutricion")
    assert shown["state"] == "active" and len(shown["resources"]) == 1
    # the edit form shows both checked
    soup = page(app, "/sinsan-nutricion/edit/form-sinsan-nutricion", sesan)
    checked = [b["value"] for b in soup.select('#ogp-milestone-picker input[type="checkbox"][checked]')]
    assert checked == ["PAN6-C2-H1", "PAN6-C3-H1"]


def test_posting_one_checkbox_sends_a_string_and_works(app, editor):
    res = app.post("/dataset/new", headers={"Authorization": editor.token}, follow_redirects=False,
                   data=_form("dataset", editor, ogp_milestones="PAN6-C1-H4"))
    assert res.status_code == 302
    assert helpers.call_action("package_show", id="form-dataset")["ogp_milestones"] == ["PAN6-C1-H4"]


# ----------------------------------------------- errors next to their fields
def _error_of(soup, control):
    """The error text shown in the form group of ``control`` (a CSS selector)."""
    group = soup.select_one(control).find_parent(class_="form-group")
    assert "error" in group["class"], control
    return group.select_one(".error-block").get_text(" ", strip=True)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_errors_next_to_their_fields_in_the_page_language_values_kept(app, editor, prefix):
    english = prefix == "/en"
    form = _form("dataset", editor, temporal_start="2024-13-45", title="Mi título <b>tecleado</b>",
                 contact_email="datos@institucion.gob.gt")
    form.pop("ogp_milestones")
    res = app.post(prefix + "/dataset/new", headers={"Authorization": editor.token}, data=form)
    assert res.status_code == 200
    soup = BeautifulSoup(res.body, "html.parser")

    label = "Temporal coverage (start)" if english else "Cobertura temporal (inicio)"
    msgid = "'%(value)s' is not a valid date for '%(field)s'; use YYYY-MM-DD"
    date_error = (msgid % {"value": "2024-13-45", "field": label}) if english \
        else spanish(msgid, value="2024-13-45", field=label)
    assert _error_of(soup, "#field-temporal_start") == date_error

    picker = soup.select_one("#ogp-milestone-picker")
    assert "error" in picker["class"]
    shown = picker.select_one("#field-ogp_milestones-error").get_text(" ", strip=True)
    msgid = "Give at least one action-plan milestone this dataset fulfils (codes such as %(examples)s)"
    examples = ", ".join(list(get_registry().milestones)[:2])
    assert shown == ((msgid % {"examples": examples}) if english else spanish(msgid, examples=examples))
    assert picker["aria-describedby"] == "field-ogp_milestones-error"

    # what was typed stays, escaped
    assert soup.select_one("#field-title")["value"] == "Mi título <b>tecleado</b>"
    assert "<b>tecleado</b>" not in res.body
    assert soup.select_one("#field-temporal_start")["value"] == "2024-13-45"
    assert soup.select_one("#field-contact_email")["value"] == "datos@institucion.gob.gt"
    assert model.Package.get("form-dataset") is None


def test_type_field_error_and_chosen_milestones_kept(app, editor):
    form = _form("mintrab-movilidad", editor, reporting_month="marzo",
                 ogp_milestones=["PAN6-C6-H2", "PAN6-C4-H3"])
    for prefix, expected in (("", spanish("'%(value)s' is not a valid month for '%(field)s'; use YYYY-MM (e.g. 2024-03)",
                                           value="marzo", field="Mes del informe")),
                             ("/en", "'marzo' is not a valid month for 'Reporting month'; use YYYY-MM (e.g. 2024-03)")):
        res = app.post(prefix + "/mintrab-movilidad/new", headers={"Authorization": editor.token}, data=form)
        soup = BeautifulSoup(res.body, "html.parser")
        assert _error_of(soup, "#field-reporting_month") == expected
        checked = [b["value"] for b in soup.select('#ogp-milestone-picker input[type="checkbox"][checked]')]
        assert checked == ["PAN6-C6-H2", "PAN6-C4-H3"]  # the suggested PAN6-C6 first
        # the commitments holding them are open, whether suggested or not
        assert picker_groups(soup, "PAN6")[0]["data-commitment"] == "PAN6-C6"
        opened = [g["data-commitment"] for g in picker_groups(soup) if g.has_attr("open")]
        assert sorted(opened) == ["PAN6-C4", "PAN6-C6"]


def test_unknown_chosen_codes_stay_checked(app, editor):
    form = _form("dataset", editor, ogp_milestones=["PAN6-C9-H1", "PAN6-C1-H4"])
    res = app.post("/dataset/new", headers={"Authorization": editor.token}, data=form)
    soup = BeautifulSoup(res.body, "html.parser")
    picker = soup.select_one("#ogp-milestone-picker")
    unknown = picker.select_one("fieldset.ogp-milestone-unknown")
    assert [b["value"] for b in unknown.select('input[checked]')] == ["PAN6-C9-H1"]
    assert "PAN6-C9-H1" in picker.select_one("#field-ogp_milestones-error").get_text()
    assert [b["value"] for b in picker.select('input[checked]')] == ["PAN6-C9-H1", "PAN6-C1-H4"]
