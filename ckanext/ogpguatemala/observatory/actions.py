"""``ogp_observatory_show``: the observatory's figures through the API."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import active_organization
from ckanext.ogpguatemala.registry import get_registry

from . import figures


@tk.side_effect_free
def ogp_observatory_show(context, data_dict):
    """Every figure of the observatory (public datasets only): milestones with
    status and estimate, commitments with progress, institutions with
    openness, timeliness and rank, periodic series, publications per month.

    :param plan: plan code (optional, e.g. ``PAN6``)
    :param commitment: commitment code (optional, e.g. ``PAN6-C3``)
    :param organization: organization name or id (optional)
    """
    tk.check_access("ogp_observatory_show", context, data_dict)
    reg = get_registry()
    errors, args = {}, {}
    for field, table, message in (
            ("plan", reg.plans, tk._("'%(value)s' is not a plan of the registry")),
            ("commitment", reg.commitments, tk._("'%(value)s' is not a commitment of the registry"))):
        value = data_dict.get(field)
        if value in (None, ""):
            continue
        code = value.strip().upper() if isinstance(value, str) else None
        if code not in table:
            errors[field] = [message % {"value": value}]
        args[field] = code
    org = data_dict.get("organization")
    if org not in (None, ""):
        group = active_organization(org)
        if group is None:
            errors["organization"] = [tk._("Organization '%(org)s' does not exist")
                                      % {"org": org}]
        else:
            args["organization"] = group.name
    if errors:
        raise tk.ValidationError(errors)
    return figures.figures(**args)


@tk.auth_allow_anonymous_access
def ogp_observatory_show_auth(context, data_dict):
    return {"success": True}


def get_actions():
    return {"ogp_observatory_show": ogp_observatory_show}


def get_auth_functions():
    return {"ogp_observatory_show": ogp_observatory_show_auth}
