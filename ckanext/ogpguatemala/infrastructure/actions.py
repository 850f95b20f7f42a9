"""API actions of OC4IDS imports, and who may call them.

``ogp_oc4ids_import`` imports the project package at a URL into an
organization: as a background job with the portal's default
``ckanext.ogpguatemala.checks_async`` (it returns at once, state
``pending``), at once otherwise. ``ogp_oc4ids_import_show`` and
``ogp_oc4ids_import_list`` give the state and, when done, the summary.
Whoever may create datasets in the organization may use them.
"""
from __future__ import annotations

import json
import uuid

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import active_organization
from ckanext.ogpguatemala.messages import translate

from . import importing


def _organization(value):
    org = active_organization(value)
    if org is None:
        raise tk.ValidationError({"organization": [translate(
            "Organization '%(org)s' does not exist", org=value if isinstance(value, str) else "")]})
    return org


def _as_dict(task) -> dict:
    value = json.loads(task.value or "{}")
    return dict(value, id=task.key, organization=task.entity_id, state=task.state,
                error=task.error or None, updated=task.last_updated.isoformat())


def ogp_oc4ids_import(context, data_dict):
    """Import an OC4IDS project package from a URL.

    :param source: http(s) URL of the project package (JSON)
    :param organization: id or name of the publishing organization
    :param milestone: the milestone code the projects fulfil (e.g. PAN6-C3-H1)
    :param contact_email: contact point for projects that give none
        (default ``datos@<organization>.gob.gt``)
    :param frequency: update frequency code (default ``IRREG``)
    :returns: ``{"id", "state", ...}`` (see ``ogp_oc4ids_import_show``)
    """
    from ckanext.ogpguatemala.checks.jobs import is_async
    from ckanext.ogpguatemala.linking import problem_with

    source = data_dict.get("source")
    if not isinstance(source, str) or not source.strip().startswith(("http://", "https://")):
        raise tk.ValidationError({"source": [translate(
            "Give the http(s) URL of an OC4IDS project package")]})
    org = _organization(data_dict.get("organization"))
    org_id = org.id
    tk.check_access("ogp_oc4ids_import", context, {"organization": org_id})
    milestone = data_dict.get("milestone")
    problem = problem_with(milestone.strip().upper()) if isinstance(milestone, str) else \
        translate("Choose a milestone")
    if problem:
        raise tk.ValidationError({"milestone": [problem]})
    key = uuid.uuid4().hex
    defaults = importing.defaults_for(org.name, data_dict.get("contact_email"),
                                      data_dict.get("frequency") or "IRREG")
    args = [key, source.strip(), org_id, milestone.strip().upper(), defaults]
    if is_async():
        importing.record(org_id, key, "pending", {"source": args[1], "milestone": args[3]})
        tk.enqueue_job(importing.import_job, args, title="ogpguatemala: OC4IDS import %s" % key,
                       rq_kwargs={"timeout": 3600})
    else:
        importing.import_job(*args)
    return ogp_oc4ids_import_show(dict(context, ignore_auth=True), {"id": key})


def _task(key):
    task = model.Session.query(model.TaskStatus).filter_by(
        task_type=importing.TASK_TYPE, key=key).first() if isinstance(key, str) else None
    if task is None:
        raise tk.ObjectNotFound(translate("Import '%(id)s' not found", id=key))
    return task


def ogp_oc4ids_import_show(context, data_dict):
    """The state of an import: ``pending``, ``running``, ``done`` (with its
    ``summary``: created, updated, rejected) or ``error`` (with ``error``).

    :param id: the id ``ogp_oc4ids_import`` returned
    """
    task = _task(data_dict.get("id"))
    tk.check_access("ogp_oc4ids_import", context, {"organization": task.entity_id})
    return _as_dict(task)


def ogp_oc4ids_import_list(context, data_dict):
    """The organization's imports, newest first.

    :param organization: id or name of the organization
    """
    org_id = _organization(data_dict.get("organization")).id
    tk.check_access("ogp_oc4ids_import", context, {"organization": org_id})
    tasks = model.Session.query(model.TaskStatus).filter_by(
        task_type=importing.TASK_TYPE, entity_id=org_id).order_by(
        model.TaskStatus.last_updated.desc()).limit(100)
    return [_as_dict(t) for t in tasks]


def ogp_oc4ids_import_auth(context, data_dict):
    """Those who may create datasets in the organization."""
    from ckan import authz

    return authz.is_authorized("package_create", context,
                               {"owner_org": data_dict.get("organization")})


def get_actions() -> dict:
    return {f.__name__: f for f in (ogp_oc4ids_import, ogp_oc4ids_import_show,
                                    ogp_oc4ids_import_list)}


def get_auth_functions() -> dict:
    return {"ogp_oc4ids_import": ogp_oc4ids_import_auth}
