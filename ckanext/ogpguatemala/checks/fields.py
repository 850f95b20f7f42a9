"""The three resource fields that hold a file check's result."""
from __future__ import annotations

import json

import ckan.model as model
import ckan.plugins.toolkit as tk

STATUS, REPORT, FINGERPRINT = "ogp_check_status", "ogp_check_report", "ogp_check_fingerprint"
FIELDS = (STATUS, REPORT, FINGERPRINT)
# Set in the context of the writes the checks themselves make.
WRITE_FLAG = "ogp_check_write"


def stored(resource_id) -> dict:
    """The check fields as stored on the resource row."""
    if not resource_id or resource_id is tk.missing:
        return {}
    res = model.Resource.get(resource_id)
    extras = (res.extras or {}) if res is not None else {}
    return {k: extras[k] for k in FIELDS if k in extras}


# Set by the dataset writes (checks.actions) when checks run in the
# background: a linked file that is new or changed is marked ``pending`` in
# the write itself (see ``_queued_now``), so queueing its check needs no
# second write of the dataset.
PREMARK_FLAG = "ogp_check_premark"


def _queued_now(key, data, context, current: dict) -> dict | None:
    """The check fields of a resource whose linked file this write makes due
    ({STATUS: "pending", FINGERPRINT: ...}), or None. Uploads are left to
    the check scheduled after the write (their file is stored later)."""
    if not context.get(PREMARK_FLAG):
        return None
    from . import checkers

    prefix = key[:-1]
    url = data.get(prefix + ("url",))
    if not isinstance(url, str) or not url or data.get(prefix + ("url_type",)) == "upload":
        return None
    resource = {"url": url, "format": data.get(prefix + ("format",)) or ""}
    dataset_type = data.get(("type",))
    if not isinstance(dataset_type, str) or not checkers.applies(dataset_type, resource):
        return None
    fingerprint = "url:%s" % url
    if current.get(FINGERPRINT) == fingerprint and current.get(STATUS):
        return None
    return {STATUS: "pending", FINGERPRINT: fingerprint, REPORT: current.get(REPORT)}


def ogp_check_field(key, data, errors, context):
    """Validator of the check fields: only the checks write them. Whatever a
    client sends is replaced by the stored value (dropped if none)."""
    if context.get(WRITE_FLAG):
        value = data.get(key)
    else:
        current = stored(data.get(key[:-1] + ("id",)))
        queued = _queued_now(key, data, context, current)
        value = (queued or current).get(key[-1])
    if value is tk.missing:
        value = None
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value


def report_of(resource: dict) -> dict | None:
    """A resource's stored report as a dict (None when there is none)."""
    raw = resource.get(REPORT)
    if not raw:
        return None
    if isinstance(raw, dict):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None
