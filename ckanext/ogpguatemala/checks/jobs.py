"""When checks run, and the job that runs one.

:func:`schedule` runs after a dataset write is committed (see
``checks.actions``); :func:`check_resource` is the background job (and the
synchronous path). Both write only through ``resource_patch``, flagged so
that their own writes do not schedule further checks.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import site_context
from ckanext.ogpguatemala.messages import N_, Msg

from . import checkers, fetch, tables
from .fields import FINGERPRINT, REPORT, STATUS, WRITE_FLAG

log = logging.getLogger(__name__)
JOB_TIMEOUT = 1800  # seconds: a large report over a slow link
# Resources being checked by this process: the writes a check causes (the
# DataStore marking the resource active, the views) must not check it again.
_CHECKING: set = set()


def is_async() -> bool:
    return tk.config.get("ckanext.ogpguatemala.checks_async")


def _resource_dict(res) -> dict:
    out = dict(res.extras or {})
    out.update(id=res.id, url=res.url, url_type=res.url_type, format=res.format,
               package_id=res.package_id)
    return out


def _save(resource_id: str, values: dict) -> None:
    tk.get_action("resource_patch")(site_context(**{WRITE_FLAG: True}),
                                    dict(values, id=resource_id))


def due(package_id: str) -> list[tuple[dict, str]]:
    """The dataset's checked resources whose file is not the one last
    checked (or queued): [(resource, fingerprint)]."""
    pkg = model.Package.get(package_id)
    if pkg is None or pkg.state == "deleted":
        return []
    out = []
    for res in pkg.resources:
        resource = _resource_dict(res)
        if resource["id"] in _CHECKING or not checkers.applies(pkg.type, resource):
            continue
        print_ = fetch.fingerprint(resource)
        if resource.get(FINGERPRINT) != print_ or not resource.get(STATUS):
            out.append((resource, print_))
    return out


def schedule(package_id: str, context: dict) -> bool:
    """Queue (or, in synchronous mode, run) the checks a write made due.
    Returns whether anything was written."""
    if context.get(WRITE_FLAG):
        return False
    todo = due(package_id)
    if not todo:
        return False
    if not is_async():
        for resource, _print in todo:
            check_resource(resource["id"])
        return True
    _mark_pending(todo)
    for resource, _print in todo:
        _enqueue(resource["id"])
    return True


def queue_premarked(package_id: str, before: dict) -> bool:
    """Queue the checks of the resources the write itself marked pending
    (see ``fields.PREMARK_FLAG``): pending now, and not pending with the
    same file before it. ``before``: {resource id: fingerprint} of those
    pending before the write. Returns whether any was queued."""
    pkg = model.Package.get(package_id)
    if pkg is None:
        return False
    queued = False
    for res in pkg.resources:
        extras = res.extras or {}
        if res.state != "active" or extras.get(STATUS) != "pending":
            continue
        if res.id in before and before[res.id] == extras.get(FINGERPRINT):
            continue  # its job is queued already
        _enqueue(res.id)
        queued = True
    return queued


def _mark_pending(todo: list[tuple[dict, str]]) -> None:
    """Mark resources ``pending`` with the fingerprint of the file queued.

    This is bookkeeping, not an edit: the values go straight onto the
    resource rows in one commit -- not a ``resource_patch`` per resource,
    each a whole dataset update (validation, an activity, an index) -- then
    the dataset is re-indexed once. The result the job saves later is a
    normal ``resource_patch``."""
    from ckan.lib import search

    packages = set()
    for resource, print_ in todo:
        res = model.Resource.get(resource["id"])
        res.extras = dict(res.extras or {}, **{STATUS: "pending", FINGERPRINT: print_})
        packages.add(res.package_id)
    model.repo.commit()
    for package_id in packages:
        # no commit of its own: Solr's soft commit shows it within a second
        search.rebuild(package_id, defer_commit=True)


def _enqueue(resource_id: str) -> dict:
    job = tk.enqueue_job(check_resource, [resource_id],
                         title="ogpguatemala: check resource %s" % resource_id,
                         rq_kwargs={"timeout": JOB_TIMEOUT})
    return {"resource_id": resource_id, "status": "pending", "job_id": job.id}


def request_check(resource_id: str, print_: str | None = None) -> dict | None:
    """Check a resource: queue the job (marking the resource ``pending``)
    or, in synchronous mode, run it now and return its result."""
    if not is_async():
        return check_resource(resource_id)
    res = model.Resource.get(resource_id)
    if print_ is None:
        print_ = fetch.fingerprint(_resource_dict(res))
    _mark_pending([(_resource_dict(res), print_)])
    return _enqueue(resource_id)


def check_resource(resource_id: str) -> dict | None:
    """The job: check one resource's file now, save the result on it and,
    for a table that passed, load its records into the DataStore.
    Returns the result (None if the resource is gone or not checked)."""
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active" or res.package.state == "deleted":
        return None
    pkg_id, pkg_type = res.package.id, res.package.type
    resource = _resource_dict(res)
    checker = checkers.checker_for(pkg_type, resource)
    if checker is None:
        if resource.get(STATUS):  # e.g. its format changed while queued
            _save(resource_id, {STATUS: "", REPORT: "", FINGERPRINT: ""})
            tables.unload(resource_id)
        return None
    print_ = fetch.fingerprint(resource)
    _CHECKING.add(resource_id)
    try:
        result = _check_and_load(resource_id, pkg_id, pkg_type, resource, checker)
    finally:
        _CHECKING.discard(resource_id)
    _save(resource_id, {
        STATUS: "valid" if result.get("valid") else "invalid",
        REPORT: json.dumps(result, ensure_ascii=False, default=str),
        FINGERPRINT: print_,
    })
    log.info("checked resource %s: %s", resource_id, "valid" if result.get("valid") else "invalid")
    return dict(result, resource_id=resource_id)


def _check_and_load(resource_id, pkg_id, pkg_type, resource, checker) -> dict:
    with tempfile.TemporaryDirectory(prefix="ogp-clean-") as tmp:
        clean_path = os.path.join(tmp, "clean.csv")
        try:
            result = checkers.run(pkg_type, resource, clean_path)
            if result.get("valid") and checker.on_valid:
                checker.on_valid(pkg_id, result)
        except Exception:  # noqa: BLE001 - a bug must leave a clear state, not "pending"
            log.exception("checking resource %s failed", resource_id)
            result = checkers.failure("internal-error", Msg(N_(
                "The file check could not be completed because of an internal error; "
                "please tell the portal team.")))
            result["checker"] = checker.name
        if checker.tabular:
            result["datastore"] = tables.after_check(resource_id, pkg_type, result, clean_path)
    result.pop("_document", None)
    return result
