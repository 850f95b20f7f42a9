"""Loading the OC4IDS schemas and codelists from a configured location.

Pure Python (no CKAN imports). ``load_schemas(location)`` accepts

* nothing (``None`` or an empty string): the OC4IDS 0.9.5 release files
  shipped in this package (:data:`PACKAGED`); no network is needed;
* a directory that holds ``project-schema.json``,
  ``project-package-schema.json``, ``codelists/*.csv`` and, optionally,
  ``locale-es/*.po`` (the layout of the standard's release files);
* the path of ``project-schema.json`` inside such a directory (a path to
  ``project-package-schema.json`` is accepted too and means the same
  directory);
* an ``http(s)://`` URL of ``project-schema.json`` (or of the directory,
  ending in ``/``); siblings are fetched with ``requests`` and a timeout.
  ``file://`` URLs are treated as paths.

The result is cached per location for the life of the process, so files
are read (or fetched) once; a URL that fails is not tried again for
:data:`FAILURE_TTL` seconds. Nothing is ever fetched to resolve the
package schema's ``$ref`` to the project schema: that reference is bound
to the project schema found at the location.

Codelists: every property annotated ``"codelist": "x.csv",
"openCodelist": false`` is closed. OC4IDS 0.9.5 already carries an
``enum`` equal to the CSV's codes on every closed codelist, so the enum is
what is enforced (errors are reported once, as ``codelist`` errors). For a
schema whose closed codelist has no ``enum`` the validator built here
checks values against the CSV's ``Code`` column instead (custom
``codelist`` keyword). Spanish titles come from the location's
``locale-es`` catalogue, then from :data:`PORTAL_TRANSLATIONS_ES` for the
titles the standard leaves untranslated.
"""
from __future__ import annotations

import copy
import csv
import functools
import io
import json
import logging
import os
import posixpath
import re
import threading
import time
from typing import Any
from urllib.parse import urlparse

from ckanext.ogpguatemala.messages import N_, Msg

from .formats import format_checker
from .source import (
    DEFAULT_TIMEOUT,
    PACKAGE_SCHEMA,
    PACKAGED,
    PROJECT_SCHEMA,
    STANDARD_DIR,
    Reader,
    SchemaLoadError,
    resolve_location,
    split_location,
)

log = logging.getLogger(__name__)

# PACKAGED and SchemaLoadError are re-exported (``schema.PACKAGED``).
__all__ = ["PACKAGED", "SchemaLoadError", "Schemas", "load_schemas", "clear_cache", "codelist_choices", "po_translations"]

# Spanish titles, written for this portal, of codelist entries that the
# standard's locale-es leaves untranslated; the standard's own win.
PORTAL_TRANSLATIONS_ES = os.path.join(STANDARD_DIR, "portal-es.po")

CODELIST_DIR = "codelists"
LOCALE_ES_DIR = "locale-es"
# The file name the standard's release uses; the only one tried over HTTP
# (a remote directory cannot be listed).
LOCALE_ES_FILE = "infrastructure-codelists.po"
# Seconds during which a URL that could not be loaded is not tried again
# (forms and checks would otherwise wait for the timeout every time).
FAILURE_TTL = 60.0


# ---------------------------------------------------------------------------
# Gettext .po files, read with Babel


def po_translations(text: str) -> dict[str, str]:
    """``{msgid: msgstr}`` of the translated, non-fuzzy, context-free,
    singular entries of a .po file (obsolete ``#~`` entries are left out).
    Raises :class:`SchemaLoadError` for a file Babel cannot read."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except (PoFileError, ValueError) as e:
        raise SchemaLoadError(N_("Not a gettext .po file: %(error)s"), error=e) from e
    return {
        m.id: m.string
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
        and not m.fuzzy and not m.context
    }


@functools.lru_cache(maxsize=1)
def _portal_translations() -> dict[str, str]:
    try:
        with open(PORTAL_TRANSLATIONS_ES, encoding="utf-8") as f:
            return po_translations(f.read())
    except (OSError, SchemaLoadError) as e:
        log.warning("OC4IDS portal codelist translations not loaded: %s", e)
        return {}


# ---------------------------------------------------------------------------
# Schema walking


def _walk(node: Any, pointer: str = ""):
    """Yields (json pointer, dict) for every object in a schema."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{i}")


def _codelist_name(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    name = value.strip()
    return name[:-4] if name.endswith(".csv") else name


def _item_enum(node: dict):
    items = node.get("items")
    return items.get("enum") if isinstance(items, dict) else None


def _version_from_id(schema: dict) -> str | None:
    ident = schema.get("id") or schema.get("$id") or ""
    m = re.search(r"/(\d+)__(\d+)(?:__(\d+))?/", ident)
    if not m:
        return None
    return ".".join(g for g in m.groups() if g is not None)


class Schemas:
    """The project and package schemas, codelists and Spanish labels of one
    location. Build with :func:`load_schemas`; treat as read-only."""

    def __init__(
        self,
        location: str,
        project_schema: dict,
        package_schema: dict,
        *,
        reader: Reader | None = None,
        translations_es: dict[str, str] | None = None,
    ):
        self.location = location
        self.project_schema = project_schema
        self.package_schema = package_schema
        self.version = _version_from_id(project_schema)
        self._reader = reader
        self.translations_es = translations_es or {}
        self._codelists: dict[str, list[dict]] = {}
        self._lock = threading.Lock()

        # name -> {"open": bool, "enum": [...] | None, "pointers": [...]}
        self.codelist_info: dict[str, dict] = {}
        for pointer, node in _walk(project_schema):
            name = _codelist_name(node.get("codelist"))
            if not name:
                continue
            info = self.codelist_info.setdefault(name, {"open": True, "enum": None, "pointers": []})
            info["pointers"].append(pointer)
            if node.get("openCodelist") is False:
                info["open"] = False
            enum = node.get("enum") or _item_enum(node)
            if isinstance(enum, list) and info["enum"] is None:
                info["enum"] = [e for e in enum if e is not None]

        # Closed codelists the schema does not enforce with an enum: their
        # CSV must be readable now, or validation would silently pass.
        self._closed_codes: dict[str, frozenset] = {}
        for pointer, node in _walk(project_schema):
            name = _codelist_name(node.get("codelist"))
            if name and node.get("openCodelist") is False and not ("enum" in node or _item_enum(node)):
                if name not in self._closed_codes:
                    rows = self._read_codelist(name)
                    if rows is None:
                        raise SchemaLoadError(
                            N_("The closed codelist %(codelist)s.csv is missing at %(location)s"),
                            codelist=name, location=location,
                        )
                    self._closed_codes[name] = frozenset(r["code"] for r in rows)

        self._build_validators()

    # -- codelists ---------------------------------------------------------

    def codelist_names(self) -> list[str]:
        """Names (without ``.csv``) of the codelists the project schema uses."""
        return sorted(self.codelist_info)

    def is_closed(self, name: str) -> bool:
        info = self.codelist_info.get(_codelist_name(name) or "")
        return bool(info) and not info["open"]

    def _read_codelist(self, name: str) -> list[dict] | None:
        if self._reader is None:
            return None
        try:
            text = self._reader.read_text(f"{CODELIST_DIR}/{name}.csv")
        except SchemaLoadError as e:
            log.warning("OC4IDS codelist %s unavailable: %s", name, e)
            return None
        rows = []
        for row in csv.DictReader(io.StringIO(text)):
            code = (row.get("Code") or row.get("code") or "").strip()
            if not code:
                continue
            title_en = (row.get("Title") or row.get("Title_en") or "").strip() or code
            title_es = self.translations_es.get(title_en) or title_en
            if title_en[:1].islower():
                # 0.9.5's projectStatus has "implementation,implementation"
                # (lower case, and left untranslated in locale-es).
                title_en = title_en[:1].upper() + title_en[1:]
                if title_es.lower() == title_en.lower():
                    title_es = self.translations_es.get(title_en) or title_en
            rows.append({"code": code, "title": {"en": title_en, "es": title_es}})
        return rows

    def codelist(self, name: str) -> list[dict]:
        """``[{"code": "completion", "title": {"en": "Completion", "es":
        "Finalización"}}, ...]`` in the CSV's order.

        The Spanish title comes from ``locale-es``, then from the portal's
        :data:`PORTAL_TRANSLATIONS_ES` (the English one when neither has
        it). Without a CSV at the location, the schema's
        enum (if any) is used with the codes as titles; an unknown name
        gives ``[]``.
        """
        name = _codelist_name(name) or ""
        with self._lock:
            cached = self._codelists.get(name)
        if cached is not None:
            return copy.deepcopy(cached)
        rows = self._read_codelist(name) if name else None
        if rows is not None:
            with self._lock:
                self._codelists[name] = rows
            return copy.deepcopy(rows)
        # Not cached: a passing network failure should not stick.
        enum = (self.codelist_info.get(name) or {}).get("enum") or []
        return [{"code": c, "title": {"en": c, "es": c}} for c in enum]

    def codelist_codes(self, name: str) -> list[str]:
        return [row["code"] for row in self.codelist(name)]

    def codelist_label(self, name: str, code: str, lang: str = "es") -> str | None:
        """Title of a code in ``lang`` ("es" or "en"); None if not in the list."""
        for row in self.codelist(name):
            if row["code"] == code:
                return row["title"].get(lang) or row["title"]["en"]
        return None

    # -- validators --------------------------------------------------------

    def _build_validators(self) -> None:
        import jsonschema
        from jsonschema import ValidationError
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource
        from referencing.jsonschema import DRAFT4

        for schema, label in ((self.project_schema, PROJECT_SCHEMA), (self.package_schema, PACKAGE_SCHEMA)):
            try:
                jsonschema.Draft4Validator.check_schema(schema)
            except jsonschema.SchemaError as e:
                raise SchemaLoadError(
                    N_("%(file)s is not a valid draft-04 schema: %(error)s"), file=label, error=e.message
                ) from e

        project = copy.deepcopy(self.project_schema)
        # Closed codelists on arrays carry their enum on "items"; copy the
        # codelist name there so an enum error can name its codelist.
        for _pointer, node in _walk(project):
            name = _codelist_name(node.get("codelist"))
            items = node.get("items")
            if name and isinstance(items, dict) and "enum" in items:
                items["x-codelist"] = name
        package = copy.deepcopy(self.package_schema)
        # jsonschema re-picks the validator class from "$schema" when it
        # follows a $ref into a schema that has one (the project schema,
        # from the package), which would drop the keywords added below.
        # Both are draft-04 (checked above), so the key can go.
        project.pop("$schema", None)
        package.pop("$schema", None)

        # Bind every external $ref of the package schema that names the
        # project schema (whatever its host/version) to the local copy.
        project_uris = {u for u in (project.get("id"), project.get("$id")) if isinstance(u, str) and u}
        for _pointer, node in _walk(package):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                uri = ref.split("#", 1)[0]
                if posixpath.basename(urlparse(uri).path) == PROJECT_SCHEMA:
                    project_uris.add(uri)
                else:
                    raise SchemaLoadError(
                        N_("%(file)s refers to %(ref)s, which cannot be resolved offline"), file=PACKAGE_SCHEMA, ref=ref
                    )
        if not project_uris:
            project_uris.add("urn:oc4ids:project-schema")

        def offline(uri: str):
            raise NoSuchResource(ref=uri)

        resource = Resource.from_contents(project, default_specification=DRAFT4)
        registry = Registry(retrieve=offline).with_resources((uri, resource) for uri in project_uris)

        closed_codes = self._closed_codes

        def codelist_keyword(validator, value, instance, schema):
            name = _codelist_name(value)
            if not name or name not in closed_codes:
                return  # open, or enforced by an enum
            codes = closed_codes[name]
            if isinstance(instance, str):
                if instance not in codes:
                    yield ValidationError(f"{instance!r} is not in codelist {name}", validator_value=name)
            elif isinstance(instance, list):
                for i, item in enumerate(instance):
                    if isinstance(item, str) and item not in codes:
                        yield ValidationError(
                            f"{item!r} is not in codelist {name}", path=(i,), instance=item, validator_value=name
                        )

        def unique_items(validator, unique, instance, schema):
            # jsonschema's check is quadratic and puts the repr of the whole
            # array in its message (megabytes for a big package); this one
            # hashes and points at the repeated item.
            if not unique or not validator.is_type(instance, "array"):
                return
            seen: dict[str, int] = {}
            for i, item in enumerate(instance):
                try:
                    key = json.dumps(item, sort_keys=True, separators=(",", ":"), default=str)
                except (TypeError, ValueError):
                    continue
                if key in seen:
                    yield ValidationError(
                        f"item {i} repeats item {seen[key]}", path=(i,), instance=item, validator_value=seen[key]
                    )
                else:
                    seen[key] = i

        cls = jsonschema.validators.extend(
            jsonschema.Draft4Validator,
            {"codelist": codelist_keyword, "uniqueItems": unique_items},
        )
        checker = format_checker()
        self.project_validator = cls(project, registry=registry, format_checker=checker)
        self.package_validator = cls(package, registry=registry, format_checker=checker)

    def __repr__(self) -> str:
        return f"<Schemas OC4IDS {self.version or '?'} from {self.location}>"


# ---------------------------------------------------------------------------

_CACHE: dict[tuple, Schemas] = {}
_FAILED: dict[tuple, tuple[float, Msg]] = {}  # URL locations that failed
_CACHE_LOCK = threading.Lock()


def _load_json(reader: Reader, name: str) -> dict:
    text = reader.read_text(name)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise SchemaLoadError(N_("%(location)s is not JSON: %(error)s"), location=reader.where(name), error=e) from e
    if not isinstance(data, dict):
        raise SchemaLoadError(N_("%(location)s is not a JSON object"), location=reader.where(name))
    return data


def _load_translations(reader: Reader) -> dict[str, str]:
    """The portal's Spanish codelist titles, overridden by the location's."""
    names = reader.list_dir(LOCALE_ES_DIR, ".po") if not reader.is_url else [f"{LOCALE_ES_DIR}/{LOCALE_ES_FILE}"]
    out = dict(_portal_translations())
    for name in names:
        try:
            out.update(po_translations(reader.read_text(name)))
        except SchemaLoadError as e:  # optional
            log.info("OC4IDS Spanish codelist labels not loaded: %s", e)
    return out


def load_schemas(location: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> Schemas:
    """The OC4IDS schemas at ``location`` (see the module docstring; empty
    means the packaged copy), cached per location. Raises
    :class:`SchemaLoadError`."""
    base, is_url, name = split_location(location)
    key = (base, is_url, name)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        failed = _FAILED.get(key)
    if cached is not None:
        return cached
    if failed is not None and time.monotonic() - failed[0] < FAILURE_TTL:
        raise SchemaLoadError(failed[1].msgid, **failed[1].params)

    reader = Reader(base, is_url, timeout)
    try:
        project = _load_json(reader, name)
        package = _load_json(reader, PACKAGE_SCHEMA)
        schemas = Schemas(
            resolve_location(location),
            project,
            package,
            reader=reader,
            translations_es=_load_translations(reader),
        )
    except SchemaLoadError as e:
        if is_url:
            with _CACHE_LOCK:
                _FAILED[key] = (time.monotonic(), e.message)
        raise
    with _CACHE_LOCK:
        _FAILED.pop(key, None)
        return _CACHE.setdefault(key, schemas)


def clear_cache() -> None:
    """Forget every loaded location (tests; configuration reloads)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _FAILED.clear()


def codelist_choices(schemas: Schemas, name: str) -> list[dict]:
    """Form choices of a codelist: ``[{"value": code, "label": {"es": ...,
    "en": ...}}]`` in the CSV's order (titles as :meth:`Schemas.codelist`
    gives them)."""
    return [{"value": row["code"], "label": row["title"]} for row in schemas.codelist(name)]
