"""Web pages of the observatory: /compromisos and /compromisos/<code>."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import observatory
from ckanext.ogpguatemala.registry import get_registry

observatory_bp = Blueprint("ogp_observatory", __name__)


@observatory_bp.route("/compromisos")
def index():
    reg = get_registry()
    c = observatory.counts()
    plans = [observatory.plan_summary(p, c) for p in reg.plans.values()]
    return tk.render("ogpguatemala/observatory/index.html", {"plans": plans})


# Datasets listed under each milestone on a commitment's page.
DATASETS_PER_MILESTONE = 10


@observatory_bp.route("/compromisos/<code>")
def show(code):
    # imported here: ckanext-dcat's utils import CKAN's own views
    from ckanext.ogpguatemala.dcat import views as rdf

    reg = get_registry()
    code, _, ext = code.partition(".")
    code = code.upper()
    rdf_format = rdf.requested_format(ext)
    if rdf_format:
        return rdf.rdf_response(code, rdf_format)
    kind = reg.kind_of(code)
    if kind == "plan":
        return tk.redirect_to(tk.url_for("ogp_observatory.index") + "#" + code)
    if kind == "milestone":
        m = reg.milestones[code]
        return tk.redirect_to(
            tk.url_for("ogp_observatory.show", code=m.commitment_code) + "#" + code
        )
    if kind != "commitment":
        return tk.abort(404, tk._("Commitment not found"))
    commitment = reg.commitments[code]
    summary = observatory.commitment_summary(commitment, observatory.counts(), with_milestones=True)
    for m in summary["milestones"]:
        # the first ones by title; the page links to the search for all
        m["datasets"] = observatory.datasets_of(m["code"], DATASETS_PER_MILESTONE) \
            if m["dataset_count"] else []
    return tk.render(
        "ogpguatemala/observatory/commitment.html",
        {"commitment": summary, "plan": reg.plans[commitment.plan_code]},
    )


oc4ids_bp = Blueprint("ogp_oc4ids", __name__)


def _json(data):
    import json

    from flask import Response

    return Response(json.dumps(data, ensure_ascii=False, indent=1),
                    mimetype="application/json; charset=utf-8")


@oc4ids_bp.route("/oc4ids-proyecto/<id>/oc4ids.json")
def oc4ids_project(id):
    """One project as OC4IDS. Private datasets only for those who may see them."""
    from ckanext.ogpguatemala.infrastructure import DATASET_TYPE, publishing

    try:
        pkg = tk.get_action("package_show")({}, {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    if pkg.get("type") != DATASET_TYPE:
        return tk.abort(404, tk._("Dataset not found"))
    return _json(publishing.project_of(pkg))


@oc4ids_bp.route("/oc4ids/paquete.json")
def oc4ids_package():
    """Every public project as an OC4IDS project package."""
    from flask import Response

    from ckanext.ogpguatemala.infrastructure import publishing

    uri = tk.url_for("ogp_oc4ids.oc4ids_package", _external=True)
    text = publishing.package_json(uri)
    if text is None:
        # OC4IDS requires at least one project in a package.
        response = _json({"error": "No hay proyectos públicos todavía / "
                                   "There are no public projects yet"})
        response.status_code = 404
        return response
    return Response(text, mimetype="application/json; charset=utf-8")


def get_blueprints():
    return [observatory_bp, oc4ids_bp]
