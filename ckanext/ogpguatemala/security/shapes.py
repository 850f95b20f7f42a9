"""The shape of a dataset write, checked before CKAN's validators run.

CKAN's core validators assume the JSON types a web form sends: a list of
strings in ``tag_string`` (``TypeError`` on ``[null]`` or ``false``), a
string in ``owner_org`` (a database error on ``false``), dicts in
``resources`` and ``tags``. Through the API any JSON arrives, and those
crashes were 500s (found by tests/test_hostile_input.py). Here a value of the
wrong kind is a ValidationError on its field, in the request's language,
before anything is read or written.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import translate

# field: what it must be ("text": string or null; "text-or-texts"; "records": list of objects)
CORE = {
    "name": "text", "title": "text", "notes": "text", "owner_org": "text", "url": "text",
    "version": "text", "author": "text", "author_email": "text", "maintainer": "text",
    "maintainer_email": "text", "license_id": "text", "state": "text", "type": "text",
    "id": "text", "tag_string": "text-or-texts", "tags": "records", "resources": "records",
    "extras": "records", "groups": "records",
}


def _ok(kind, value) -> bool:
    if kind == "text":
        return value is None or isinstance(value, str)
    if kind == "text-or-texts":
        return value is None or isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
    if kind == "records":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return True


def check(data_dict) -> None:
    """Raise a ValidationError naming each core field of the wrong kind."""
    if not isinstance(data_dict, dict):
        raise tk.ValidationError({"data": [translate("Expected a JSON object")]})
    errors = {}
    for field, kind in CORE.items():
        if field in data_dict and not _ok(kind, data_dict[field]):
            errors[field] = [translate("Wrong type")]
    for i, resource in enumerate(data_dict.get("resources") or []):
        bad = [k for k in ("url", "name", "format", "description", "id")
               if k in resource and not _ok("text", resource[k])]
        if bad:
            errors.setdefault("resources", []).append(
                translate("Wrong type") + " (%d: %s)" % (i + 1, ", ".join(bad)))
    for i, tag in enumerate(data_dict.get("tags") or []):
        if not _ok("text", tag.get("name")):
            errors.setdefault("tags", [translate("Wrong type")])
    if errors:
        raise tk.ValidationError(errors)
