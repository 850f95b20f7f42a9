"""Wrong requests get a clear answer, not a 500.

CKAN's API view turns ValidationError, NotAuthorized and NotFound into 409,
403 and 404, but some actions of CKAN and of the extensions the portal runs
read a parameter with ``data_dict["name"]`` and crash with a KeyError when it
is missing, and some pages (xloader's DataStore page, the activity plugin's
"changes" page, resource view forms) let NotAuthorized or NotFound escape.
Both became an "Internal Server Error". Here:

- the actions that crash on a missing parameter (``GUARDED``) answer as
  CKAN answers a ValidationError: 409, ``{"<parameter>": ["Missing value"]}``
  in the request's language (a parameter of the wrong kind: 409 on
  ``request``);
- ``/catalog.<format>`` and ``/dataset/<id>.<format>`` with a format
  ckanext-dcat cannot write are a 404;
- NotAuthorized, NotFound and ValidationError escaping a page become CKAN's
  403, 404 and 400 error pages;
- ckanext-harvest 1.6.3 builds its actions and auth functions in one shared
  dict and exports every function of its modules, so mail helpers, a class
  and (depending on load order) auth functions show up as API actions; they
  cannot be called with a context and data dict and always crashed. The API
  answers them 400 "Action name not known", as CKAN answers an unknown name.
"""
from __future__ import annotations

import json

from werkzeug import exceptions

import ckan.plugins as p
import ckan.plugins.toolkit as tk

# ckanext-harvest 1.6.3 exports every function of its action module,
# helpers included; none of these takes (context, data_dict).
NOT_ACTIONS = ("InactiveSource", "auth_allow_anonymous_access", "get_mail_extra_vars",
               "prepare_error_mail", "prepare_summary_mail", "send_error_email", "send_mail",
               "send_summary_email", "harvest_sources_clear")

# Actions of CKAN and its extensions that crash on a missing or malformed
# parameter instead of answering with a ValidationError (found by
# tests/test_no_leaks.py calling every action with wrong arguments), by the
# plugin that provides them.
GUARDED = {
    None: ("group_autocomplete", "organization_autocomplete", "task_status_update_many",
           "package_collaborator_list", "user_invite", "organization_member_create",
           "organization_member_delete", "group_member_create", "group_member_delete"),
    "datastore": ("datastore_run_triggers", "datastore_search_sql"),
    "harvest": ("harvest_source_show_status", "harvest_log_list", "harvest_job_list",
                "harvest_job_create", "harvest_objects_import", "harvest_sources_reindex",
                "harvest_sources_job_history_clear", "harvest_source_job_history_clear",
                "harvest_source_index_clear", "harvest_source_delete", "harvest_source_clear",
                "harvest_jobs_run", "harvest_job_create_all", "harvest_job_abort"),
}


@tk.chained_action
def harvest_abort_failed_jobs(up_func, context, data_dict):
    """ckanext-harvest reads ``life_span`` with int() before anything else."""
    try:
        int(data_dict.get("life_span"))
    except (TypeError, ValueError):
        raise tk.ValidationError({"life_span": [tk._("Please enter an integer value")]})
    return up_func(context, data_dict)


def _guarded(name):
    """``name`` answering a missing parameter with a ValidationError on it,
    and a parameter of the wrong kind with a ValidationError on the request."""
    def action(up_func, context, data_dict):
        try:
            return up_func(context, data_dict)
        except KeyError as error:
            key = error.args[0] if error.args else None
            if isinstance(key, str) and key not in (data_dict or {}):
                raise tk.ValidationError({key: [tk._("Missing value")]})
            raise
        except AssertionError:
            # CKAN asserts a user or an object it expects from the arguments
            if not context.get("user"):
                raise tk.NotAuthorized(tk._("Not authorized"))
            raise tk.ValidationError({"request": [tk._("Missing value")]})
        except (TypeError, ValueError, AttributeError) as error:
            raise tk.ValidationError({"request": [
                tk._("Invalid request: %s") % type(error).__name__]})

    action.__name__ = name
    return tk.chained_action(action)


@tk.chained_auth_function
def harvest_log_list_auth(next_auth, context, data_dict):
    """ckanext-harvest defines no auth function for ``harvest_log_list``; its
    shared registry puts the action itself there, which then recurses.
    Harvest logs name sources and their errors: sysadmins only (who pass
    every auth function without calling it)."""
    return {"success": False, "msg": tk._("Only sysadmins may read the harvest logs")}


def get_auth_functions() -> dict:
    return {"harvest_log_list": harvest_log_list_auth} if p.plugin_loaded("harvest") else {}


def get_actions() -> dict:
    actions = {}
    for plugin, names in GUARDED.items():
        if plugin is None or p.plugin_loaded(plugin):
            actions.update({name: _guarded(name) for name in names})
    if p.plugin_loaded("harvest"):
        actions["harvest_abort_failed_jobs"] = harvest_abort_failed_jobs
    return actions


def _page_error(http_error):
    def handler(error):
        from flask import current_app, request

        if request.endpoint == "api.action":
            raise error
        message = getattr(error, "message", "") or ""
        if isinstance(error, tk.ValidationError):
            message = "; ".join("%s: %s" % (k, v) for k, v in (error.error_summary or {}).items())
        return current_app.handle_http_exception(http_error(message or None))

    return handler


def _refuse_not_actions():
    from flask import Response, request

    if request.endpoint == "api.action" and \
            (request.view_args or {}).get("logic_function") in NOT_ACTIONS:
        body = {"help": request.url, "success": False, "error": {
            "message": tk._("Action name not known: %s") % request.view_args["logic_function"]}}
        return Response(json.dumps(body), status=400,
                        content_type="application/json;charset=utf-8")
    return None


DCAT_ENDPOINTS = ("dcat.read_catalog", "dcat.read_dataset", "dcat.read_dataset_series")


def _unknown_rdf_format():
    """ckanext-dcat serializes ``/catalog.<anything>`` with rdflib, which
    raises on a format it has no serializer for: a 404 instead."""
    from flask import request
    from ckanext.dcat.utils import CONTENT_TYPES

    fmt = (request.view_args or {}).get("_format")
    if request.endpoint in DCAT_ENDPOINTS and fmt and fmt not in CONTENT_TYPES:
        return tk.abort(404, tk._("Not found"))
    return None


def install(app):
    app.before_request(_refuse_not_actions)
    app.before_request(_unknown_rdf_format)
    app.register_error_handler(tk.NotAuthorized, _page_error(exceptions.Forbidden))
    app.register_error_handler(tk.ObjectNotFound, _page_error(exceptions.NotFound))
    app.register_error_handler(tk.ValidationError, _page_error(exceptions.BadRequest))
    return app
