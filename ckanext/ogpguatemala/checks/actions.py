"""Actions of the file checks: the dataset writes that schedule them
(chained onto CKAN's own, after the write's shape is checked) and
``ogp_resource_check``."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import translate
from ckanext.ogpguatemala.security import shapes

from . import checkers, jobs
from .fields import FINGERPRINT, PREMARK_FLAG, STATUS, WRITE_FLAG


def _write(up_func, context, data_dict):
    """CKAN's dataset write, then the checks it made due.

    With background checks, linked files that are new or changed are marked
    ``pending`` by the write itself (``fields.PREMARK_FLAG``) and only their
    jobs are queued afterwards; anything else due (an upload) is scheduled
    after the write. A write nested in another action (defer_commit) is not
    committed yet: the outer action's own call schedules the checks."""
    shapes.check(data_dict)
    if context.get("defer_commit"):
        return up_func(context, data_dict)
    premark = jobs.is_async() and not context.get(WRITE_FLAG)
    before = _queued(data_dict.get("id") or data_dict.get("name")) if premark else {}
    context[PREMARK_FLAG] = premark
    try:
        result = up_func(context, data_dict)
    finally:
        context.pop(PREMARK_FLAG, None)
    pkg_id = result if isinstance(result, str) else result.get("id")
    if premark:  # the write's result already shows them pending
        jobs.queue_premarked(pkg_id, before)
    if jobs.schedule(pkg_id, context) and isinstance(result, dict):
        # what the client gets back shows the new check status
        return tk.get_action("package_show")(
            {"user": context.get("user"), "ignore_auth": True, "use_cache": False}, {"id": pkg_id})
    return result


def _queued(id_or_name) -> dict:
    """{resource id: fingerprint} of the dataset's resources already pending."""
    pkg = model.Package.get(id_or_name) if isinstance(id_or_name, str) and id_or_name else None
    if pkg is None:
        return {}
    return {r.id: (r.extras or {}).get(FINGERPRINT) for r in pkg.resources
            if (r.extras or {}).get(STATUS) == "pending"}


@tk.chained_action
def package_create(up_func, context, data_dict):
    return _write(up_func, context, data_dict)


@tk.chained_action
def package_update(up_func, context, data_dict):
    return _write(up_func, context, data_dict)


def ogp_resource_check(context, data_dict):
    """Re-run the file check of a resource (e.g. after the file behind a
    link changed). With background checks (the portal's default) the check
    is queued and ``{"resource_id", "status": "pending", "job_id"}`` is
    returned; otherwise it runs now and its result is returned. Allowed to
    whoever may edit the resource.

    :param id: resource id
    """
    rid = data_dict.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise tk.ValidationError({"id": [translate("Missing resource id")]})
    res = model.Resource.get(rid.strip())
    if res is None or res.state != "active":
        raise tk.ObjectNotFound(translate("Resource '%(id)s' not found", id=rid))
    tk.check_access("ogp_resource_check", context, {"id": res.id})
    pkg = res.package
    if not checkers.applies(pkg.type, {"format": res.format, "url": res.url}):
        raise tk.ValidationError({"id": [translate(
            "This resource has no check (type %(type)s, format %(format)s)",
            type=pkg.type, format=res.format or "?")]})
    return jobs.request_check(res.id)


def get_actions() -> dict:
    return {"package_create": package_create, "package_update": package_update,
            "ogp_resource_check": ogp_resource_check}
