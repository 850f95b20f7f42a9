"""Settings of the OC4IDS type: the schema location and size limit, and the
choices of the ``oc4ids-proyecto`` form (read from the same codelists the
validator uses)."""
from __future__ import annotations

import functools
import logging

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.oc4ids import schema

log = logging.getLogger(__name__)


def schema_location() -> str:
    return tk.config.get("ckanext.ogpguatemala.oc4ids_schema")


def schemas():
    """The configured OC4IDS schemas (read once per process and location)."""
    return schema.load_schemas(schema_location())


def max_bytes() -> int:
    return tk.config.get("ckanext.ogpguatemala.oc4ids_max_bytes")


def codelist_choices(name: str) -> list[dict]:
    """[{value, label: {es, en}}] of a codelist of the configured schemas
    (the codes the validator enforces). When the configured location cannot
    be loaded, those of the copy shipped with the extension, so that the
    form still renders offline."""
    try:
        loaded = schemas()
    except schema.SchemaLoadError as e:
        log.warning("OC4IDS schema at %r unavailable (%s): form choices from the packaged copy",
                    schema_location(), e)
        loaded = schema.load_schemas(schema.PACKAGED)
    return schema.codelist_choices(loaded, name)


@functools.lru_cache(maxsize=1)
def currency_choices() -> list[dict]:
    import pycountry

    first = ["GTQ", "USD", "EUR"]
    codes = sorted((c.alpha_3 for c in pycountry.currencies), key=lambda c: (c not in first, c))
    return [{"value": c, "label": c} for c in codes]
