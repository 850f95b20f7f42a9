"""The guided publishing flow.

- ``/publicar``: "Add dataset" first asks which kind of data. Every dataset
  type is listed with the name and one-line explanation its schema gives
  (top-level ``ogp_label`` and ``ogp_about``, ``{es:, en:}``), linking to
  that type's form with the ``owner_org`` / ``group`` the button carried.
- The type's form in sections: a field with ``form_section: {es:, en:}``
  (and optionally ``form_section_help``) starts a section that runs to the
  next one (:func:`ogp_form_sections`; template
  ``scheming/package/snippets/package_form.html``).
- The milestone picker (``scheming/form_snippets/ogp_milestones.html``):
  plan → commitment → milestone, with the commitments suggested for the
  type (schema key ``ogp_suggested_commitments``) and for the publisher's
  institution (its milestones name that institution) first and open
  (:func:`ogp_milestone_picker`).

Organizations are matched to registry institutions by name: ``ckan
ogpguatemala load-registry`` creates one organization per institution,
named by its slug.
"""
from __future__ import annotations

from flask import Blueprint, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import linking
from ckanext.ogpguatemala.helpers import ogp_text
from ckanext.ogpguatemala.registry import get_registry

bp = Blueprint("ogp_publish", __name__)

GENERAL_TYPE = "dataset"


# ------------------------------------------------------------------ types
def _schemas() -> dict:
    from ckanext.scheming.helpers import scheming_dataset_schemas

    return scheming_dataset_schemas() or {}


def ogp_dataset_types() -> list[dict]:
    """Every dataset type, in the configured order with the general type
    last: ``{type, label, about, suggested_commitments}`` (label and about
    in the page's language; the type name when the schema gives none)."""
    out = []
    for name, schema in _schemas().items():
        out.append({
            "type": name,
            "label": ogp_text(schema.get("ogp_label")) or name,
            "about": ogp_text(schema.get("ogp_about")),
            "suggested_commitments": list(schema.get("ogp_suggested_commitments") or []),
        })
    return sorted(out, key=lambda t: t["type"] == GENERAL_TYPE)


def type_suggestions(dataset_type: str) -> list[str]:
    schema = _schemas().get(dataset_type) or {}
    return list(schema.get("ogp_suggested_commitments") or [])


# ---------------------------------------------------- publisher, institution
def _user_organizations() -> list[dict]:
    """Organizations the current user may create datasets in (every one for
    a sysadmin), in the order the form's publisher list shows them."""
    if not tk.current_user or tk.current_user.is_anonymous:
        return []
    return tk.h.organizations_available("create_dataset")


def _institution(org: dict | None) -> str | None:
    """The registry institution an organization stands for, by its name."""
    return org["name"] if org and org["name"] in get_registry().institutions else None


def _organization(id_or_name) -> dict | None:
    org = model.Group.get(str(id_or_name)) if id_or_name else None
    return {"id": org.id, "name": org.name} if org is not None and org.is_organization else None


def _publisher(data, orgs) -> dict | None:
    """The organization the form will submit, as its publisher list shows
    it: the chosen one (by id) when the user may publish in it, else the
    first the user may publish in."""
    chosen = (data or {}).get("owner_org") or (data or {}).get("group_id")
    return next((o for o in orgs if o["id"] == chosen), orgs[0] if orgs else None)


def institution_commitments(slug: str | None) -> list[str]:
    """Commitments with a milestone for which ``slug`` answers."""
    if not slug:
        return []
    reg = get_registry()
    return [c.code for c in reg.commitments.values()
            if any(slug in reg.milestone_institutions(m) for m in c.milestones)]


def suggested_commitments(dataset_type: str, institution: str | None) -> list[str]:
    """The type's commitments, then the institution's, each once, only
    commitments that have milestones to choose."""
    reg = get_registry()
    out = []
    for code in type_suggestions(dataset_type) + institution_commitments(institution):
        if code in reg.commitments and reg.commitments[code].milestones and code not in out:
            out.append(code)
    return out


# ------------------------------------------------------------ form sections
def ogp_form_sections(fields) -> list[dict]:
    """The form's fields (those with a widget) cut into sections where a
    field carries ``form_section``: ``[{title, help, fields}]``; fields
    before the first section go in one without a title."""
    sections: list[dict] = []
    for field in fields:
        if "form_snippet" in field and field["form_snippet"] is None:
            continue
        if field.get("form_section") or not sections:
            sections.append({"title": field.get("form_section"),
                             "help": field.get("form_section_help"), "fields": []})
        sections[-1]["fields"].append(field)
    return sections


# --------------------------------------------------------- milestone picker
def _milestone_entry(reg, milestone, selected) -> dict:
    return {
        "code": milestone.code,
        "text": ogp_text(milestone.text),
        "institutions": [reg.institution_label(s) for s in reg.milestone_institutions(milestone)],
        "end": milestone.end,
        "extended_end": milestone.extended_end,
        "checked": milestone.code in selected,
    }


def ogp_milestone_picker(field, data, dataset_type) -> dict:
    """What the milestone picker shows: ``plans`` (each with its
    commitments, suggested ones first, each with its milestones),
    ``unknown`` (chosen codes the registry does not know: kept, checked),
    ``suggested`` (codes) and, for the script that follows a change of
    publisher, ``type_suggested`` and ``org_institutions`` (org id → slug)."""
    reg = get_registry()
    data = data or {}
    selected = set(linking.parse_codes(data.get(field["field_name"])))
    orgs = _user_organizations()
    suggested = suggested_commitments(dataset_type, _institution(_publisher(data, orgs)))
    plans = []
    for plan in reg.plans.values():
        commitments = []
        for order, c in enumerate(plan.commitments):
            milestones = [_milestone_entry(reg, m, selected) for m in c.milestones]
            slugs = []
            for m in c.milestones:
                slugs += [s for s in reg.milestone_institutions(m) if s not in slugs]
            commitments.append({
                "code": c.code,
                "title": ogp_text(c.title),
                "order": order,
                "milestones": milestones,
                "institutions": slugs,
                "suggested": c.code in suggested,
                "open": c.code in suggested or any(m["checked"] for m in milestones),
            })
        commitments.sort(key=lambda c: (not c["suggested"], c["order"]))
        plans.append({"code": plan.code, "title": ogp_text(plan.title), "commitments": commitments})
    return {
        "plans": plans,
        "unknown": [c for c in linking.parse_codes(data.get(field["field_name"]))
                    if c not in reg.milestones],
        "suggested": suggested,
        "type_suggested": [c for c in suggested if c in type_suggestions(dataset_type)],
        "org_institutions": {o["id"]: o["name"] for o in orgs if o["name"] in reg.institutions},
    }


# ------------------------------------------------------------ the chooser
def ogp_publish_url(group=None) -> str:
    """Where "Add dataset" leads: the type chooser, with the organization
    of the page it is on (or the ``group`` the button was given)."""
    params = {}
    page_group = getattr(tk.g, "group_dict", None) or {}
    if group:
        params["group"] = group
    elif page_group.get("is_organization") and page_group.get("id"):
        params["owner_org"] = page_group["id"]
    return tk.url_for("ogp_publish.choose", **params)


@bp.route("/publicar")
def choose():
    """Which kind of data? One link per dataset type to its form."""
    if not tk.current_user or tk.current_user.is_anonymous:
        here = tk.url_for("ogp_publish.choose", **request.args.to_dict())
        return tk.redirect_to(tk.url_for("user.login", next=here))
    organizations = _user_organizations()
    # The button's organization, as the form's publisher list names it (by id).
    owner_org = request.args.get("owner_org") or ""
    group = request.args.get("group") or ""
    carried = next((o for o in organizations if owner_org in (o["id"], o["name"])), None)
    params = {k: v for k, v in (("owner_org", carried and carried["id"]), ("group", group)) if v}
    if carried or group:
        institutions = {_institution(carried or _organization(group))}
    elif not tk.current_user.sysadmin:
        institutions = {_institution(o) for o in organizations}
    else:
        institutions = set()
    mine = {c for slug in institutions for c in institution_commitments(slug)}
    types = []
    for t in ogp_dataset_types():
        types.append(dict(
            t, url=tk.url_for(t["type"] + ".new", **params),
            recommended=bool(mine & set(t["suggested_commitments"])),
        ))
    return tk.render("ogpguatemala/publish/choose.html", {
        "types": types,
        "organizations": organizations,
        "organization": carried,
    })


@tk.chained_helper
def humanize_entity_type(next_helper, entity_type, object_type, purpose):
    """Creating a dataset of any type is "Create Dataset" (the form says
    which kind), not CKAN's "Create Sinsan-nutricion"."""
    if entity_type == "package" and purpose in ("create label", "create title") \
            and object_type in _schemas():
        return None
    return next_helper(entity_type, object_type, purpose)


def get_helpers() -> dict:
    return {f.__name__: f for f in (ogp_dataset_types, ogp_form_sections, ogp_milestone_picker,
                                     ogp_publish_url, humanize_entity_type)}


def get_blueprints() -> list:
    return [bp]
