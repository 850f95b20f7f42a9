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


def ogp_check_field(key, data, errors, context):
    """Validator of the check fields: only the checks write them. Whatever a
    client sends is replaced by the stored value (dropped if none)."""
    if context.get(WRITE_FLAG):
        value = data.get(key)
    else:
        value = stored(data.get(key[:-1] + ("id",))).get(key[-1])
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
