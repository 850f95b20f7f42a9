"""OC4IDS (Open Contracting for Infrastructure Data Standard) support.

Pure Python: no CKAN imports here or in the submodules, so they can be
used (and tested) without a CKAN app. CKAN-facing code builds on:

* :func:`load_schemas` (``schema``) — schemas, codelists and Spanish
  codelist labels from a directory, a file path or a URL; cached per
  location;
* :func:`validate` (``validation``) — validates a project package or a
  single project and returns bilingual, JSON-pointer-located errors;
* :func:`project_to_fields`, :func:`fields_to_project`,
  :func:`build_package` (``mapping``) — OC4IDS project <-> CKAN dataset
  fields, and project packages for publication.
"""
from .mapping import build_package, fields_to_project, project_to_fields
from .schema import Schemas, SchemaLoadError, clear_cache, load_schemas
from .validation import DEFAULT_MAX_BYTES, MAX_ERRORS, validate

__all__ = [
    "Schemas",
    "SchemaLoadError",
    "load_schemas",
    "clear_cache",
    "validate",
    "DEFAULT_MAX_BYTES",
    "MAX_ERRORS",
    "project_to_fields",
    "fields_to_project",
    "build_package",
]
