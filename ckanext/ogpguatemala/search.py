"""Search: how the commitment link and geography reach Solr and come back.

CKAN's own Solr schema (which we use unchanged) indexes unknown fields as
single-valued strings, so a dataset that fulfils several milestones could
not be indexed under ``ogp_milestones``. Multi-valued fields go to the
schema's ``vocab_*`` dynamic fields (multi-valued strings) instead. Clients
never see that: ``fq=ogp_commitments:PAN6-C3``, ``facet.field=["ogp_plans"]``
and ``?ogp_milestones=PAN6-C3-H1`` on the search page are rewritten on the
way in, and facet names are rewritten back on the way out.

The dataset types' key fields are facets too (:data:`TYPE_FACETS`): the
general search page shows them all, a type's own page (``/<type>/``) those
of its type. Their items are labelled in the page's language from the
types' own choices (``portal.display.choice_labels``). CONAMIGUA's period
(year and four-month term) is indexed as one value, ``conamigua_period``
(``2024-I``).
"""
from __future__ import annotations

import re

from ckanext.ogpguatemala import linking
from ckanext.ogpguatemala.messages import N_
from ckanext.ogpguatemala.registry import get_registry, text

# Public name -> Solr field. Values are JSON lists stored on the dataset.
MULTI_VALUED = {
    "ogp_milestones": "vocab_ogp_milestones",
    "ogp_commitments": "vocab_ogp_commitments",
    "ogp_plans": "vocab_ogp_plans",
    "ogp_institutions": "vocab_ogp_institutions",
    "geo_departments": "vocab_geo_departments",
    "geo_municipalities": "vocab_geo_municipalities",
    "language": "vocab_language",
    "target_population": "vocab_target_population",
    "disaggregations": "vocab_disaggregations",
    "destination_countries": "vocab_destination_countries",
    "participating_institutions": "vocab_participating_institutions",
    "approaches": "vocab_approaches",
    "project_sector": "vocab_project_sector",
}
_TO_PUBLIC = {v: k for k, v in MULTI_VALUED.items()}

# Facets on the types' key fields: public name -> (dataset type, facet
# title). Single-valued fields are indexed under their own name (CKAN's
# schema indexes unknown fields as strings); multi-valued ones as above.
TYPE_FACETS = {
    "sinsan_pillar": ("sinsan-nutricion", N_("Food and nutrition security pillar")),
    "programme": ("mintrab-movilidad", N_("Labour-mobility programme")),
    "destination_countries": ("mintrab-movilidad", N_("Destination country")),
    "project_sector": ("oc4ids-proyecto", N_("Project sector")),
    "project_status": ("oc4ids-proyecto", N_("Project status")),
    "conamigua_period": ("conamigua-informe", N_("Reporting period")),
}
CONAMIGUA_TYPE = "conamigua-informe"
_FIELD_IN_QUERY = re.compile(
    r"(?<![\w.])(%s)(?=\s*:)" % "|".join(sorted(MULTI_VALUED, key=len, reverse=True))
)


def before_index(pkg_dict: dict) -> dict:
    """IPackageController.before_dataset_index."""
    # Derived values are recomputed from the milestones so that the index
    # follows the registry even for datasets stored before a registry change.
    milestones = linking.parse_codes(pkg_dict.get("ogp_milestones"))
    if milestones:
        pkg_dict.update(linking.derive(milestones))
        pkg_dict["ogp_milestones"] = milestones
    for public, solr_field in MULTI_VALUED.items():
        values = linking.parse_codes(pkg_dict.pop(public, None), upper=False)
        if values:
            pkg_dict[solr_field] = values
    period = conamigua_period(pkg_dict)
    if period:
        pkg_dict["conamigua_period"] = period
    from ckanext.ogpguatemala.observatory import indexing

    return indexing.before_index(pkg_dict)


def conamigua_period(pkg_dict: dict) -> str | None:
    """A CONAMIGUA report's period as one value: ``2024-I`` (year and
    four-month term), ``2024`` without a term; None for other types."""
    if pkg_dict.get("type") != CONAMIGUA_TYPE:
        return None
    year = str(pkg_dict.get("report_year") or "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    term = str(pkg_dict.get("report_cuatrimestre") or "").strip()
    return "%s-%s" % (year, term) if term else year


def rewrite_query(value: str) -> str:
    return _FIELD_IN_QUERY.sub(lambda m: MULTI_VALUED[m.group(1)], value)


def before_search(search_params: dict) -> dict:
    """IPackageController.before_dataset_search: public names -> Solr fields."""
    for key in ("fq", "q"):
        if isinstance(search_params.get(key), str):
            search_params[key] = rewrite_query(search_params[key])
    if isinstance(search_params.get("fq_list"), list):
        search_params["fq_list"] = [rewrite_query(f) for f in search_params["fq_list"]]
    fields = search_params.get("facet.field")
    if isinstance(fields, list):
        search_params["facet.field"] = [MULTI_VALUED.get(f, f) for f in fields]
    return search_params


def after_search(search_results: dict, search_params: dict) -> dict:
    """IPackageController.after_dataset_search: Solr fields -> public names,
    and readable labels on the commitment facets."""
    for key in ("facets", "search_facets"):
        facets = search_results.get(key)
        if isinstance(facets, dict):
            for solr_field, public in _TO_PUBLIC.items():
                if solr_field in facets:
                    facets[public] = facets.pop(solr_field)
                    if isinstance(facets[public], dict) and facets[public].get("title") == solr_field:
                        facets[public]["title"] = public
    search_facets = search_results.get("search_facets") or {}
    for name, facet in search_facets.items():
        if not isinstance(facet, dict):
            continue
        if name in TYPE_FACETS:
            labeller = _type_labeller(name)
        else:
            labeller = _LABELLERS.get(name)
        if labeller:
            for item in facet.get("items", []):
                item["display_name"] = labeller(item["name"])
    return search_results


def _type_labeller(name: str):
    """value -> label of a type facet, the choices read once per search."""
    from ckanext.ogpguatemala.portal import display

    dataset_type = TYPE_FACETS[name][0]
    if name == "conamigua_period":
        terms = display.choice_labels(dataset_type, "report_cuatrimestre", _lang())

        def period(value):
            year, _sep, term = value.partition("-")
            return "%s · %s" % (year, terms.get(term, term)) if term else year

        return period
    labels = display.choice_labels(dataset_type, name, _lang())
    return lambda value: labels.get(value) or value


def _lang() -> str:
    try:
        from ckan.plugins import toolkit as tk

        return (tk.h.lang() or "es")[:2]
    except Exception:  # outside a request (CLI, background jobs)
        return "es"


def _label_commitment(code):
    c = get_registry().commitments.get(code)
    return "%s · %s" % (code, text(c.title, _lang())) if c else code


def _label_milestone(code):
    m = get_registry().milestones.get(code)
    if not m:
        return code
    label = text(m.text, _lang())
    return "%s · %s" % (code, label if len(label) <= 70 else label[:69] + "…")


def _label_plan(code):
    p = get_registry().plans.get(code)
    if not p:
        return code
    years = "%s–%s" % (p.start[:4], p.end[:4]) if p.start and p.end else ""
    return "%s (%s)" % (code, years) if years else code


def _label_institution(slug):
    return get_registry().institution_label(slug)


def _label_department(code):
    try:
        from ckanext.ogpguatemala import geo

        return geo.department_name(code) or code
    except ImportError:
        return code


_LABELLERS = {
    "ogp_plans": _label_plan,
    "ogp_commitments": _label_commitment,
    "ogp_milestones": _label_milestone,
    "ogp_institutions": _label_institution,
    "geo_departments": _label_department,
}


def type_facets(package_type: str | None = None) -> list[str]:
    """The type facets a search page shows: all of them on the general page
    (``dataset``), a type's own on its page, none on another type's."""
    if not package_type or package_type == "dataset":
        return list(TYPE_FACETS)
    return [name for name, (kind, _title) in TYPE_FACETS.items() if kind == package_type]


def _package_type_of_request() -> str | None:
    try:
        import flask

        if flask.has_request_context() and flask.request.view_args:
            return flask.request.view_args.get("package_type")
    except RuntimeError:
        pass
    return None


def facets(facets_dict: dict, package_type: str | None = None) -> dict:
    """IFacets: the plan facets first, then the type facets of the page
    (:func:`type_facets`), then CKAN's own."""
    from collections import OrderedDict

    from ckan.plugins import toolkit as tk

    _ = tk._
    ours = OrderedDict([
        ("ogp_plans", _("Action plan")),
        ("ogp_commitments", _("Commitment")),
        ("ogp_milestones", _("Milestone")),
        ("ogp_institutions", _("Responsible institution")),
        ("geo_departments", _("Department")),
    ])
    for name in type_facets(package_type or _package_type_of_request()):
        ours[name] = _(TYPE_FACETS[name][1])
    for key, value in facets_dict.items():
        ours.setdefault(key, value)
    facets_dict.clear()
    facets_dict.update(ours)
    return facets_dict


def count_by(public_fields, fq: str = "") -> dict[str, dict[str, int]]:
    """Public-dataset counts per value of each field, from Solr facets.

    Runs package_search with include_private=False as the anonymous user, so
    private and draft datasets are never counted, whoever is looking.
    """
    from ckan.plugins import toolkit as tk

    result = tk.get_action("package_search")(
        {"user": ""},
        {
            "q": "*:*",
            "fq": fq,
            "rows": 0,
            "include_private": False,
            "include_drafts": False,
            "facet": "true",
            "facet.field": list(public_fields),
            "facet.limit": -1,
            "facet.mincount": 1,
        },
    )
    facets = result.get("facets", {})
    counts = {f: dict(facets.get(f, {})) for f in public_fields}
    counts["_total"] = result["count"]
    return counts
