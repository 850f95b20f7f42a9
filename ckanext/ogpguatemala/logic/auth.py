"""Auth for the registry actions: the plan is public information."""
import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def _public(context, data_dict):
    return {"success": True}


def ogp_resource_check(context, data_dict):
    """Whoever may edit the resource may re-run its check."""
    from ckan import authz

    return authz.is_authorized("resource_update", context, data_dict)


def get_auth_functions() -> dict:
    auth = {
        name: _public
        for name in ("ogp_plan_list", "ogp_plan_show", "ogp_commitment_show", "ogp_milestone_show")
    }
    auth["ogp_resource_check"] = ogp_resource_check
    return auth
