"""Public API actions of the plan registry (see README, "API").

All are GET-able (side-effect free) and open to anonymous users; dataset
counts cover public, active datasets only.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import observatory
from ckanext.ogpguatemala.registry import get_registry


def _entry(data_dict: dict, table: dict, missing_message: str, not_found: str):
    """The registry entry named by ``id``: a ValidationError on ``id`` when it
    is missing, ObjectNotFound when the registry has no such code."""
    value = data_dict.get("id")
    if not isinstance(value, str) or not value.strip():
        raise tk.ValidationError({"id": [missing_message]})
    code = value.strip().upper()
    if code not in table:
        raise tk.ObjectNotFound(not_found % {"code": code})
    return table[code]


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
    plan = _entry(data_dict, get_registry().plans, tk._("Missing plan code"),
                  tk._("There is no plan '%(code)s' in the registry"))
    return observatory.plan_summary(plan, observatory.counts(), with_milestones=True)


@tk.side_effect_free
def ogp_commitment_show(context, data_dict):
    """One commitment with its milestones and dataset counts.

    :param id: commitment code, e.g. ``PAN6-C3``
    """
    tk.check_access("ogp_commitment_show", context, data_dict)
    commitment = _entry(data_dict, get_registry().commitments, tk._("Missing commitment code"),
                        tk._("There is no commitment '%(code)s' in the registry"))
    return observatory.commitment_summary(commitment, observatory.counts(), with_milestones=True)


@tk.side_effect_free
def ogp_milestone_show(context, data_dict):
    """One milestone with its dataset count.

    :param id: milestone code, e.g. ``PAN6-C3-H1``
    """
    tk.check_access("ogp_milestone_show", context, data_dict)
    milestone = _entry(data_dict, get_registry().milestones, tk._("Missing milestone code"),
                       tk._("There is no milestone '%(code)s' in the registry"))
    return observatory.milestone_summary(milestone, observatory.counts())


def get_actions() -> dict:
    return {
        f.__name__: f
        for f in (ogp_plan_list, ogp_plan_show, ogp_commitment_show, ogp_milestone_show)
    }
