"""Uploads over the size limit get a clear refusal in the request's language.

CKAN refuses a file larger than ``ckan.max_resource_size`` (MB) while
``resource_create`` / ``resource_update`` store it: the partial file is
removed and the transaction is not committed, so nothing is written, but
the ValidationError says only "File upload too large", in English. Here it
names the limit, in the request's language.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.messages import translate

CKAN_MESSAGE = "File upload too large"


def _explained(up_func, context, data_dict):
    try:
        return up_func(context, data_dict)
    except tk.ValidationError as error:
        errors = error.error_dict if isinstance(error.error_dict, dict) else {}
        if errors.get("upload") == [CKAN_MESSAGE]:
            limit = tk.config.get("ckan.max_resource_size")
            errors["upload"] = [translate(
                "The file is larger than the %(limit)s MB this portal accepts; nothing was "
                "saved", limit=limit)]
            raise tk.ValidationError(errors)
        raise


@tk.chained_action
def resource_create(up_func, context, data_dict):
    return _explained(up_func, context, data_dict)


@tk.chained_action
def resource_update(up_func, context, data_dict):
    return _explained(up_func, context, data_dict)


def get_actions() -> dict:
    return {"resource_create": resource_create, "resource_update": resource_update}
