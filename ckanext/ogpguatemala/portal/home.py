"""The portal's identity and home page.

- Identity: CKAN's own ``ckan.site_title``, ``ckan.site_logo`` and
  ``ckan.site_description``. With no logo configured (or CKAN's default
  logo) the header shows the portal's emblem (``public/ogpguatemala/``)
  beside its name, never the CKAN logo (:func:`ogp_site_logo`).
- The home page (``templates/home/``), from :func:`ogp_home`: the current
  plan's commitments with their progress from the observatory
  (``observatory.figures``), the dataset types and institutions with their
  public dataset counts and the newest public datasets.

Two Solr queries, whoever is looking (only public, active datasets are
shown or counted): the observatory's facet query over the plan, and one
search for the newest datasets with the type and organization facets.
Plus one database query for the organizations' names.
"""
from __future__ import annotations

import logging

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError

from ckanext.ogpguatemala.helpers import ogp_lang, ogp_text
from ckanext.ogpguatemala.portal import forms
from ckanext.ogpguatemala.registry import get_registry

log = logging.getLogger(__name__)
# CKAN's own logo, the default of ``ckan.site_logo``: never shown here.
CKAN_LOGOS = ("/base/images/ckan-logo.png", "/base/images/ckan-logo-full.png")
# CKAN's default favicon, replaced by the portal's emblem.
CKAN_FAVICON = "/base/images/ckan.ico"
EMBLEM = "/ogpguatemala/emblem.svg"
NEWEST = 6
INSTITUTIONS = 12
_NEWEST_FIELDS = ["id", "name", "title", "dataset_type", "organization", "notes",
                  "metadata_created", "num_resources"]


# ---------------------------------------------------------------- identity
def ogp_site_logo() -> str:
    """The configured logo (``ckan.site_logo``, editable by sysadmins), or ""
    when there is none or it is CKAN's default logo."""
    logo = (getattr(tk.g, "site_logo", None) or tk.config.get("ckan.site_logo") or "").strip()
    if not logo or logo.split("?")[0].endswith(CKAN_LOGOS):
        return ""
    return logo


def ogp_favicon() -> str:
    """The configured ``ckan.favicon``, or the portal's emblem instead of
    CKAN's default icon."""
    icon = (getattr(tk.g, "favicon", None) or tk.config.get("ckan.favicon") or "").strip()
    if not icon or icon.split("?")[0].endswith(CKAN_FAVICON):
        return tk.h.url_for_static(EMBLEM)
    return icon


def ogp_home_intro() -> str:
    """The intro paragraph of the home page in the page's language
    (``ckanext.ogpguatemala.home_intro`` / ``…_en``); "" for the built-in one."""
    key = "ckanext.ogpguatemala.home_intro"
    if ogp_lang() == "en":
        key += "_en"
    return (tk.config.get(key) or "").strip()


# ---------------------------------------------------------------- figures
def _commitments(plan_code: str) -> list[dict]:
    """The plan's commitments with the observatory's figures: progress (share
    of milestones fulfilled), milestones with published data, datasets."""
    from ckanext.ogpguatemala.observatory import figures

    data = figures.figures(plan=plan_code)
    with_data: dict[str, int] = {}
    for m in data["milestones"]:
        if m["datasets"]:
            with_data[m["commitment"]] = with_data.get(m["commitment"], 0) + 1
    reg = get_registry()
    out = []
    for row in data["commitments"]:
        commitment = reg.commitments[row["code"]]
        out.append({
            "code": row["code"], "number": commitment.number,
            "title": ogp_text(commitment.title),
            "milestones": row["milestones"],
            "fulfilled": row["status_counts"].get("cumplido", 0),
            "with_data": with_data.get(row["code"], 0),
            "datasets": row["datasets"],
            "progress": row["progress"] or 0,
            "estimate": row["estimate"],
        })
    return out


def _search() -> dict:
    """One search as an anonymous visitor: the newest public datasets and the
    public counts per type and per organization."""
    return tk.get_action("package_search")({"user": "", "ignore_auth": True}, {
        "q": "*:*", "fq": "+capacity:public", "rows": NEWEST,
        "sort": "metadata_created desc",
        "include_private": False, "include_drafts": False,
        "fl": _NEWEST_FIELDS,
        "facet": "true", "facet.field": ["dataset_type", "organization"],
        "facet.limit": -1, "facet.mincount": 1,
    })


def _type_url(dataset_type: str) -> str:
    """The search filtered by one type: the type's own search page (the
    default type's page may list every type, so it is filtered too)."""
    if dataset_type == "dataset":
        return tk.h.url_for("dataset.search", dataset_type="dataset")
    try:
        return tk.h.url_for("%s.search" % dataset_type)
    except Exception:  # noqa: BLE001 - a type without its own pages
        return tk.h.url_for("dataset.search", dataset_type=dataset_type)


def _types(counts: dict[str, int]) -> list[dict]:
    """Each dataset type (named as the publishing flow names it) with its
    public count; types only the index knows come last, by their name."""
    types = forms.ogp_dataset_types()
    known = {t["type"] for t in types}
    types += [{"type": t, "label": t} for t in sorted(counts) if t not in known]
    return [{"type": t["type"], "label": t["label"], "count": counts.get(t["type"], 0),
             "url": _type_url(t["type"])} for t in types]


def _institutions(counts: dict[str, int]) -> list[dict]:
    """The active organizations, most public datasets first."""
    reg = get_registry()
    rows = model.Session.query(model.Group.name, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").all()
    out = []
    for name, title in rows:
        inst = reg.institutions.get(name)
        out.append({
            "name": name,
            "acronym": inst.acronym if inst else "",
            "title": ogp_text(inst.name) if inst else (title or name),
            "count": counts.get(name, 0),
        })
    out.sort(key=lambda i: (-i["count"], (i["acronym"] or i["title"]).lower()))
    return out


def _newest(results: list[dict], titles: dict[str, str]) -> list[dict]:
    return [{
        "name": r.get("name"), "title": r.get("title") or r.get("name"),
        "type": r.get("dataset_type") or "dataset",
        "organization": titles.get(r.get("organization") or "", r.get("organization") or ""),
        "notes": r.get("notes") or "", "created": r.get("metadata_created"),
        "resources": r.get("num_resources") or 0,
    } for r in results]


def home_data() -> dict:
    reg = get_registry()
    plan = next(iter(reg.plans.values()), None)
    commitments = _commitments(plan.code) if plan else []
    result = _search()
    facets = result.get("facets") or {}
    institutions = _institutions(dict(facets.get("organization") or {}))
    types = _types(dict(facets.get("dataset_type") or {}))
    labels = {i["name"]: i["acronym"] or i["title"] for i in institutions}
    return {
        "plan": plan,
        "plan_title": ogp_text(plan.title) if plan else "",
        "commitments": commitments,
        "milestones": sum(c["milestones"] for c in commitments),
        "fulfilled": sum(c["fulfilled"] for c in commitments),
        "datasets": result["count"],
        "types": types,
        "type_labels": {t["type"]: t["label"] for t in types},
        "institutions": institutions[:INSTITUTIONS],
        "organizations": len(institutions),
        "publishing": sum(1 for n in (facets.get("organization") or {}).values() if n),
        "newest": _newest(result["results"], labels),
    }


def _home_data_or_none() -> dict | None:
    try:
        return home_data()
    except SearchError:
        log.exception("home page: the search index cannot be queried")
        return None


def ogp_home() -> dict | None:
    """Everything the home page shows, computed once per request; None when
    the search index cannot be queried (the page says so instead of failing)."""
    if flask.has_request_context():
        if not hasattr(flask.g, "ogp_home"):
            flask.g.ogp_home = _home_data_or_none()
        return flask.g.ogp_home
    return _home_data_or_none()


def get_helpers() -> dict:
    return {f.__name__: f for f in (ogp_site_logo, ogp_favicon, ogp_home_intro, ogp_home)}


def get_blueprints() -> list:
    return []
