"""OC4IDS (Open Contracting for Infrastructure Data Standard) support.

Pure Python: no CKAN imports here or in the submodules, so they can be
used (and tested) without a CKAN app. CKAN-facing code builds on:

* :func:`load_schemas` (``schema``) — schemas, codelists and Spanish
  codelist labels from a directory, a file path or a URL, or (by default)
  the OC4IDS 0.9.5 release files shipped in ``standard/0.9.5``; cached per
  location; :func:`codelist_choices` gives a codelist as form choices;
* :func:`validate` (``validation``) — validates a project package or a
  single project and returns JSON-pointer-located errors whose messages
  are gettext ids with their values (``{"msgid", "params"}``);
* :func:`project_to_fields`, :func:`fields_to_project`,
  :func:`build_package` (``mapping``) — OC4IDS project <-> CKAN dataset
  fields, and project packages for publication.
"""
from .source import PACKAGED, resolve_location
from .mapping import build_package, fields_to_project, project_to_fields
from .schema import Schemas, SchemaLoadError, clear_cache, codelist_choices, load_schemas
from .validation import DEFAULT_MAX_BYTES, MAX_ERRORS, validate

__all__ = [
    "PACKAGED",
    "Schemas",
    "SchemaLoadError",
    "resolve_location",
    "load_schemas",
    "clear_cache",
    "codelist_choices",
    "validate",
    "DEFAULT_MAX_BYTES",
    "MAX_ERRORS",
    "project_to_fields",
    "fields_to_project",
    "build_package",
]
