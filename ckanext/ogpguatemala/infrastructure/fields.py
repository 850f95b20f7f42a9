"""Validators of the ``oc4ids-proyecto`` fields."""
from __future__ import annotations

import json
import re

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.checks.fields import WRITE_FLAG
from ckanext.ogpguatemala.messages import translate

ID_PATTERN = re.compile(r"^oc4ids-[a-z0-9]{6}-\S+$")


def with_oc4ids_id(value: str):
    """Datasets (not deleted) whose ``oc4ids_id`` is ``value``. CKAN 2.12
    keeps extras in the package row's JSONB ``extras`` column."""
    return model.Session.query(model.Package).filter(
        model.Package.extras["oc4ids_id"].astext == value,
        model.Package.state != "deleted",
    )


def ogp_oc4ids_id(key, data, errors, context):
    """An OC4IDS project identifier (``oc4ids-`` + 6-character prefix + local
    id), used by no other dataset."""
    value = data.get(key)
    if value in (None, tk.missing, ""):
        return
    value = str(value).strip()
    data[key] = value
    if not ID_PATTERN.match(value):
        errors[key].append(translate(
            "'%(value)s' is not an OC4IDS identifier (oc4ids-<6-character prefix>-<local id>)",
            value=value))
        return
    this_id = data.get(key[:-1] + ("id",))
    other = with_oc4ids_id(value).with_entities(model.Package.name)
    if this_id and this_id is not tk.missing:
        other = other.filter(model.Package.id != this_id)
    name = other.first()
    if name:
        errors[key].append(translate(
            "The identifier '%(value)s' is already used by dataset '%(name)s'",
            value=value, name=name[0]))


def ogp_keep_stored(key, data, errors, context):
    """Dataset fields only the portal writes (the original project JSON):
    whatever a client sends is replaced by the stored value."""
    if context.get(WRITE_FLAG):
        return
    pkg_id = data.get(key[:-1] + ("id",))
    pkg = model.Package.get(pkg_id) if pkg_id and pkg_id is not tk.missing else None
    value = pkg.extras.get(key[-1]) if pkg is not None else None
    if value is None:
        data.pop(key, None)
        raise tk.StopOnError  # nothing to store (skips convert_to_extras)
    data[key] = value


def ogp_json_output(value):
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value
