"""Public API actions of the plan registry (see README, "API").

All are GET-able (side-effect free) and open to anonymous users; dataset
counts cover public, active datasets only.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import observatory
from ckanext.ogpguatemala.messages import both
from ckanext.ogpguatemala.registry import get_registry


def _id(data_dict: dict, kind: str) -> str:
    value = data_dict.get("id")
    if not isinstance(value, str) or not value.strip():
        raise tk.ValidationError({"id": [both(
            "Falta el código del %s" % kind[0], "Missing %s code" % kind[1]
        )]})
    return value.strip().upper()


def _not_found(kind, code):
    raise tk.ObjectNotFound(both(
        "No existe el %s «%s» en el registro" % (kind[0], code),
        "There is no %s '%s' in the registry" % (kind[1], code),
    ))


@tk.side_effect_free
def ogp_plan_list(context, data_dict):
    """Every plan with its commitments (codes, titles, institutions,
    milestone and public dataset counts).

    :rtype: list of dicts
    """
    tk.check_access("ogp_plan_list", context, data_dict)
    c = observatory.counts()
    return [observatory.plan_summary(p, c) for p in get_registry().plans.values()]


@tk.side_effect_free
def ogp_plan_show(context, data_dict):
    """One plan with its commitments and milestones and dataset counts.

    :param id: plan code, e.g. ``PAN6``
    """
    tk.check_access("ogp_plan_show", context, data_dict)
    code = _id(data_dict, ("plan", "plan"))
    plan = get_registry().plans.get(code) or _not_found(("plan", "plan"), code)
    return observatory.plan_summary(plan, observatory.counts(), with_milestones=True)


@tk.side_effect_free
def ogp_commitment_show(context, data_dict):
    """One commitment with its milestones and dataset counts.

    :param id: commitment code, e.g. ``PAN6-C3``
    """
    tk.check_access("ogp_commitment_show", context, data_dict)
    kind = ("compromiso", "commitment")
    code = _id(data_dict, kind)
    commitment = get_registry().commitments.get(code) or _not_found(kind, code)
    return observatory.commitment_summary(commitment, observatory.counts(), with_milestones=True)


@tk.side_effect_free
def ogp_milestone_show(context, data_dict):
    """One milestone with its dataset count.

    :param id: milestone code, e.g. ``PAN6-C3-H1``
    """
    tk.check_access("ogp_milestone_show", context, data_dict)
    kind = ("hito", "milestone")
    code = _id(data_dict, kind)
    milestone = get_registry().milestones.get(code) or _not_found(kind, code)
    return observatory.milestone_summary(milestone, observatory.counts())


def ogp_resource_check(context, data_dict):
    """Run a resource's file check again (e.g. the file behind its link
    changed) and return the report.

    :param id: resource id
    """
    from ckan import model
    from ckan.lib.search import rebuild

    from ckanext.ogpguatemala import resource_checks

    kind = ("recurso", "resource")
    rid = data_dict.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise tk.ValidationError({"id": [both("Falta el id del recurso", "Missing resource id")]})
    res = model.Resource.get(rid.strip())
    if res is None or res.state != "active":
        _not_found(kind, rid)
    tk.check_access("ogp_resource_check", context, {"id": res.id})
    pkg = res.package
    if not resource_checks.applies(pkg.type, {"format": res.format, "url": res.url}):
        raise tk.ValidationError({"id": [both(
            "Este recurso no tiene comprobación (tipo %s, formato %s)" % (pkg.type, res.format or "?"),
            "This resource has no check (type %s, format %s)" % (pkg.type, res.format or "?"),
        )]})
    results = resource_checks.check_dataset(pkg.id, force=True, only=res.id)
    model.repo.commit()
    rebuild(pkg.id)
    return results[0]


def get_actions() -> dict:
    return {
        f.__name__: f
        for f in (ogp_plan_list, ogp_plan_show, ogp_commitment_show, ogp_milestone_show,
                  ogp_resource_check)
    }
