"""Loading the OC4IDS schemas and codelists from a configured location.

Pure Python (no CKAN imports). ``load_schemas(location)`` accepts

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
are read (or fetched) once. Nothing is ever fetched to resolve the
package schema's ``$ref`` to the project schema: that reference is bound
to the project schema found at the location.

Codelists: every property annotated ``"codelist": "x.csv",
"openCodelist": false`` is closed. OC4IDS 0.9.5 already carries an
``enum`` equal to the CSV's codes on every closed codelist, so the enum is
what is enforced (errors are reported once, as ``codelist`` errors). For a
schema whose closed codelist has no ``enum`` the validator built here
checks values against the CSV's ``Code`` column instead (custom
``codelist`` keyword).
"""
from __future__ import annotations

import copy
import csv
import io
import json
import logging
import os
import posixpath
import re
import threading
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

log = logging.getLogger(__name__)

__all__ = [
    "PROJECT_SCHEMA",
    "PACKAGE_SCHEMA",
    "Schemas",
    "SchemaLoadError",
    "load_schemas",
    "clear_cache",
    "parse_po",
]

PROJECT_SCHEMA = "project-schema.json"
PACKAGE_SCHEMA = "project-package-schema.json"
CODELIST_DIR = "codelists"
LOCALE_ES_DIR = "locale-es"
# The file name the standard's release uses; the only one tried over HTTP
# (a remote directory cannot be listed).
LOCALE_ES_FILE = "infrastructure-codelists.po"
DEFAULT_TIMEOUT = 10.0


class SchemaLoadError(Exception):
    """The schemas could not be read from the configured location."""


class _Missing(SchemaLoadError):
    """A file that is not at the location (404 / no such file)."""


# ---------------------------------------------------------------------------
# Reading files from a directory or a base URL


class _Reader:
    """Reads sibling files of the configured location."""

    def __init__(self, base: str, is_url: bool, timeout: float):
        self.base = base  # directory path, or URL ending in "/"
        self.is_url = is_url
        self.timeout = timeout

    def where(self, relpath: str) -> str:
        if self.is_url:
            return self.base + relpath
        return os.path.join(self.base, *relpath.split("/"))

    def read_text(self, relpath: str) -> str:
        where = self.where(relpath)
        if not self.is_url:
            try:
                with open(where, "rb") as f:
                    raw = f.read()
            except FileNotFoundError as e:
                raise _Missing(f"{where}: not found") from e
            except OSError as e:
                raise SchemaLoadError(f"{where}: {e}") from e
            return raw.decode("utf-8-sig")

        import requests  # lazy: only needed for URL locations

        try:
            response = requests.get(where, timeout=self.timeout)
        except requests.RequestException as e:
            raise SchemaLoadError(f"{where}: {e}") from e
        if response.status_code == 404:
            raise _Missing(f"{where}: HTTP 404")
        if response.status_code != 200:
            raise SchemaLoadError(f"{where}: HTTP {response.status_code}")
        return response.content.decode("utf-8-sig")

    def list_dir(self, reldir: str, suffix: str) -> list[str]:
        """Files in a sub-directory ending in ``suffix`` (local only)."""
        if self.is_url:
            return []
        path = self.where(reldir)
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return []
        return [f"{reldir}/{n}" for n in names if n.endswith(suffix)]


def _split_location(location: str) -> tuple[str, bool, str]:
    """-> (base, is_url, project schema file name)."""
    if not isinstance(location, str) or not location.strip():
        raise SchemaLoadError("no OC4IDS schema location configured")
    location = location.strip()
    parsed = urlparse(location)
    scheme = parsed.scheme.lower()

    if scheme in ("http", "https"):
        if parsed.path.endswith(".json"):
            cut = location.rfind("/", 0, len(location) - len(parsed.query or "") - 1)
            base, name = location[: cut + 1], posixpath.basename(parsed.path)
        else:
            base, name = location.rstrip("/") + "/", PROJECT_SCHEMA
        if name == PACKAGE_SCHEMA:
            name = PROJECT_SCHEMA
        return base, True, name

    if scheme == "file":
        location = url2pathname(unquote(parsed.path))

    path = os.path.abspath(os.path.expanduser(location))
    if os.path.isdir(path):
        return path, False, PROJECT_SCHEMA
    if os.path.isfile(path):
        name = os.path.basename(path)
        if name == PACKAGE_SCHEMA:
            name = PROJECT_SCHEMA
        return os.path.dirname(path), False, name
    raise SchemaLoadError(f"OC4IDS schema location not found: {location}")


# ---------------------------------------------------------------------------
# Gettext .po files (only what the standard's codelist catalogues need)

_PO_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_PO_CONT = re.compile(r'^"(.*)"\s*$')
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _po_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text: str) -> dict[str, str]:
    """``{msgid: msgstr}`` for the translated, non-fuzzy, context-free
    entries of a .po file (obsolete ``#~`` entries are skipped)."""
    out: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    key = None

    def flush():
        msgid = entry.get("msgid")
        msgstr = entry.get("msgstr", entry.get("msgstr[0]"))
        if msgid and msgstr and not fuzzy and "msgctxt" not in entry:
            out[msgid] = msgstr

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue
        new_entry = not line or line.startswith(("#", "msgid ", "msgctxt "))
        if new_entry and any(k.startswith("msgstr") for k in entry):
            flush()
            entry, fuzzy, key = {}, False, None
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        m = _PO_LINE.match(line)
        if m:
            key = m.group(1)
            entry[key] = _po_unescape(m.group(2))
            continue
        m = _PO_CONT.match(line)
        if m and key:
            entry[key] += _po_unescape(m.group(1))
    flush()
    return out


# ---------------------------------------------------------------------------
# Formats. jsonschema's own checker only checks "date-time" and "uri" when
# the optional rfc3339-validator / rfc3987 packages are installed (they are
# not, in CKAN's environment) and would otherwise accept anything silently.

_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$"
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def is_date_time(value: Any) -> bool:
    """RFC 3339 ``date-time`` (``2024-05-31T00:00:00Z``, ``...-06:00``)."""
    import datetime

    if not isinstance(value, str):
        return True
    m = _DATE_TIME.match(value)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    if second > 60:  # 60: leap second
        return False
    if m.group(8) and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def is_uri(value: Any) -> bool:
    """An absolute URI (scheme, then no spaces or characters URIs forbid)."""
    return not isinstance(value, str) or bool(_URI.match(value))


def is_email(value: Any) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _format_checker():
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(is_date_time)
    checker.checks("uri")(is_uri)
    checker.checks("email")(is_email)
    return checker


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
        reader: _Reader | None = None,
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
                        raise SchemaLoadError(f"closed codelist {name}.csv is missing at {location}")
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

        The Spanish title comes from ``locale-es`` (the English one when no
        translation is there). Without a CSV at the location, the schema's
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
                raise SchemaLoadError(f"{label} is not a valid draft-04 schema: {e.message}") from e

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
                    raise SchemaLoadError(f"{PACKAGE_SCHEMA} refers to {ref}, which cannot be resolved offline")
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
        checker = _format_checker()
        self.project_validator = cls(project, registry=registry, format_checker=checker)
        self.package_validator = cls(package, registry=registry, format_checker=checker)

    def __repr__(self) -> str:
        return f"<Schemas OC4IDS {self.version or '?'} from {self.location}>"


# ---------------------------------------------------------------------------

_CACHE: dict[tuple, Schemas] = {}
_CACHE_LOCK = threading.Lock()


def _load_json(reader: _Reader, name: str) -> dict:
    text = reader.read_text(name)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise SchemaLoadError(f"{reader.where(name)} is not JSON: {e}") from e
    if not isinstance(data, dict):
        raise SchemaLoadError(f"{reader.where(name)} is not a JSON object")
    return data


def _load_translations(reader: _Reader) -> dict[str, str]:
    names = reader.list_dir(LOCALE_ES_DIR, ".po") if not reader.is_url else [f"{LOCALE_ES_DIR}/{LOCALE_ES_FILE}"]
    out: dict[str, str] = {}
    for name in names:
        try:
            out.update(parse_po(reader.read_text(name)))
        except SchemaLoadError as e:  # optional
            log.info("OC4IDS Spanish codelist labels not loaded: %s", e)
    return out


def load_schemas(location: str, *, timeout: float = DEFAULT_TIMEOUT) -> Schemas:
    """The OC4IDS schemas at ``location`` (see the module docstring),
    cached per location. Raises :class:`SchemaLoadError`."""
    base, is_url, name = _split_location(location)
    key = (base, is_url, name)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached

    reader = _Reader(base, is_url, timeout)
    project = _load_json(reader, name)
    package = _load_json(reader, PACKAGE_SCHEMA)
    schemas = Schemas(
        location.strip(),
        project,
        package,
        reader=reader,
        translations_es=_load_translations(reader),
    )
    with _CACHE_LOCK:
        return _CACHE.setdefault(key, schemas)


def clear_cache() -> None:
    """Forget every loaded location (tests; configuration reloads)."""
    with _CACHE_LOCK:
        _CACHE.clear()
