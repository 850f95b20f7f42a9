"""What the extension's actions, commands and jobs share: the context its
own writes run under, and looking up the organization a request names."""
import ckan.model as model
import ckan.plugins.toolkit as tk


def site_context(**extra) -> dict:
    """Act as the site user, past authorisation checks."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return dict({"user": site_user["name"], "ignore_auth": True}, **extra)


def active_organization(value):
    """The active organization named (name or id) by ``value``, or None."""
    group = model.Group.get(value.strip()) if isinstance(value, str) and value.strip() else None
    return group if group is not None and group.is_organization and group.state == "active" \
        else None
