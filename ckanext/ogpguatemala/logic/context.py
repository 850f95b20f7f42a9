"""The context the extension's own writes run under (CLI commands, jobs)."""
import ckan.plugins.toolkit as tk


def site_context(**extra) -> dict:
    """Act as the site user, past authorisation checks."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return dict({"user": site_user["name"], "ignore_auth": True}, **extra)
