"""Auth for the registry actions: the plan is public information."""
import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def _public(context, data_dict):
    return {"success": True}


def get_auth_functions() -> dict:
    return {
        name: _public
        for name in ("ogp_plan_list", "ogp_plan_show", "ogp_commitment_show", "ogp_milestone_show")
    }
