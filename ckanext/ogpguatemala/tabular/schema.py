"""The report's Frictionless Table Schema, ``data/mintrab-movilidad.tableschema.json``.

Its fields are the report's columns, in order; their types and constraints
are what Frictionless checks (see :mod:`.check`). Read once per process.
"""
from __future__ import annotations

import functools
import json
import os

SCHEMA_PATH = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "data", "mintrab-movilidad.tableschema.json"
)

# Columns the file may leave out altogether. Every other schema field is a
# column the report must have (its cells may still be optional:
# trabajo_realizado is not "required" in the schema).
OPTIONAL_COLUMNS = frozenset({"moneda_salario"})


@functools.lru_cache(maxsize=1)
def _schema_descriptor() -> str:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return f.read()


def load_schema() -> dict:
    """The report's Table Schema descriptor (a fresh copy)."""
    return json.loads(_schema_descriptor())


@functools.lru_cache(maxsize=1)
def fields() -> dict[str, dict]:
    """{field name: field descriptor}, in the schema's order (shared: do not modify)."""
    return {f["name"]: f for f in load_schema()["fields"]}


@functools.lru_cache(maxsize=1)
def frictionless_schema():
    """The schema as a ``frictionless.Schema`` (shared: do not modify), whose
    fields Frictionless matches to a file's labels by name, a file having
    only some of them (``fieldsMatch: superset``)."""
    from frictionless import Schema  # lazy: a heavy import

    descriptor = load_schema()
    descriptor["fieldsMatch"] = "superset"
    return Schema.from_descriptor(descriptor)


def pattern(name: str) -> str:
    """The ``pattern`` constraint of field ``name``."""
    return fields()[name]["constraints"]["pattern"]
