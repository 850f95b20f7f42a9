"""The extension's additions to ``package_show`` (one chained action):
series the caller may not see are not named (series.py), and harvest
sources read from the search cache get their fields back (harvest.py)."""
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import harvest, series


@tk.side_effect_free
@tk.chained_action
def package_show(up_func, context, data_dict):
    pkg = up_func(context, data_dict)
    series.hide_unseen_series(context, pkg)
    harvest.restore_source_fields(pkg)
    return pkg


def get_actions() -> dict:
    return {"package_show": package_show}
