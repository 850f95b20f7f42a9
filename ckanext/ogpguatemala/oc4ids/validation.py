"""Validating OC4IDS JSON (a project package or a single project).

Pure Python (no CKAN imports)::

    result = validate(raw_bytes, load_schemas(location))
    result == {
        "valid": False,
        "kind": "package",            # "package" | "project" | None
        "projects": 3,
        "errors": [
            {"path": "/projects/0/status", "code": "codelist",
             "codelist": "projectStatus",
             "message": {"msgid": "%(value)s is not a value of the ...",
                         "params": {"value": {"msgid": "'%(text)s'", ...},
                                    "codelist": "projectStatus", ...}}},
        ],
        "error_count": 1,             # before the cap
        "truncated": False,           # True when errors were capped
        "checked_at": "2025-01-31T18:00:00Z",
    }

``message`` is a gettext message (English ``msgid`` and its ``params``,
which may themselves be messages), rendered in the reader's language with
:func:`ckanext.ogpguatemala.messages.render`. ``path`` is a JSON pointer
("" is the whole document). For a missing required field it points at the
field that should be there ("/projects/0/id"). Errors are sorted by path
(array indexes numerically) and capped at :data:`MAX_ERRORS`. ``validate``
never raises.

Error codes: ``too_large``, ``empty``, ``bad_encoding``, ``not_json``
(with ``line`` and ``column``), ``not_object``, ``no_projects``,
``too_deep``, ``schema_unavailable``, ``internal``, ``duplicate_id`` and,
from the schema, ``required``, ``type``, ``codelist`` (closed codelist),
``enum``, ``format``, ``minItems``, ``maxItems``, ``minLength``,
``maxLength``, ``minProperties``, ``uniqueItems``, ``pattern``,
``additionalProperties``, ``minimum``, ``maximum``, ``schema`` (anything
else).
"""
from __future__ import annotations

import datetime
import json
import logging

from ckanext.ogpguatemala.messages import N_, Msg

from .explain import MAX_COLLECT, error as _error, json_pointer, json_type, schema_errors, show, type_name
from .schema import SchemaLoadError, Schemas, load_schemas

log = logging.getLogger(__name__)

__all__ = ["validate", "DEFAULT_MAX_BYTES", "MAX_ERRORS", "MAX_COLLECT", "json_pointer"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200

PACKAGE_KEYS = ("version", "publisher", "publishedDate", "uri")

# What Python's JSON parser says (JSONDecodeError.msg starts with one).
_JSON_REASONS = (
    N_("Expecting value"),
    N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
    N_("Extra data"),
)

_EMPTY_FILE = N_("The file is empty.")
_TOO_DEEP = N_("The JSON is nested too deeply.")


# ---------------------------------------------------------------------------
# Helpers


def _sort_key(error: dict):
    parts = []
    for token in error["path"].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return (parts, error["code"])


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _mb(n: int) -> str:
    """Bytes as megabytes for a message: "10", "1.5", "0.00098" (a decimal
    point, as Guatemala writes numbers)."""
    value = n / (1024 * 1024)
    if value >= 10:
        return f"{value:.0f}"
    if value >= 0.1:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2g}"


def _result(valid, kind, projects, errors, checked_at, total=None) -> dict:
    total = len(errors) if total is None else total
    errors = sorted(errors, key=_sort_key)
    truncated = len(errors) > MAX_ERRORS or total > len(errors)
    return {
        "valid": valid,
        "kind": kind,
        "projects": projects,
        "errors": errors[:MAX_ERRORS],
        "error_count": total,
        "truncated": truncated,
        "checked_at": checked_at,
    }


def _duplicate_ids(projects: list) -> list[dict]:
    seen: dict[str, int] = {}
    out = []
    for i, project in enumerate(projects):
        pid = project.get("id") if isinstance(project, dict) else None
        if not isinstance(pid, str) or not pid:
            continue
        if pid in seen:
            out.append(_error(
                f"/projects/{i}/id", "duplicate_id",
                N_("The project identifier %(id)s is repeated: project %(other)s already uses it."),
                {"id": show(pid), "other": seen[pid]},
            ))
        else:
            seen[pid] = i
    return out


# ---------------------------------------------------------------------------
# Parsing


class _BadConstant(ValueError):
    pass


def _reject_constant(name):
    raise _BadConstant(name)


def _size_error(size: int, max_bytes: int) -> dict:
    if size == max_bytes + 1:
        # Callers read at most max_bytes + 1 bytes: the real size is unknown.
        msgid = N_("The file is larger than the maximum allowed of %(max)s MB.")
    else:
        msgid = N_("The file is %(size)s MB; the maximum allowed is %(max)s MB.")
    return _error("", "too_large", msgid, {"size": _mb(size), "max": _mb(max_bytes)}, size=size, max_bytes=max_bytes)


def _parse(data, max_bytes: int):
    """-> (document, None) or (None, error dict)."""
    if data is None:
        return None, _error("", "empty", _EMPTY_FILE)
    if isinstance(data, (dict, list)):
        return data, None
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, str):
        size = len(data) if len(data) > max_bytes else len(data.encode("utf-8", "surrogatepass"))
    elif isinstance(data, bytes):
        size = len(data)
    else:
        return None, _error(
            "", "not_json", N_("The content received is not JSON (%(type)s)."), {"type": type(data).__name__}
        )

    if size > max_bytes:
        return None, _size_error(size, max_bytes)

    if isinstance(data, bytes):
        try:
            text = data.decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            return None, _error("", "bad_encoding", N_("The file is not encoded in UTF-8."))
    else:
        text = data
    text = text.lstrip("\ufeff")

    if not text.strip():
        return None, _error("", "empty", _EMPTY_FILE)

    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as e:
        reason = next((Msg(r) for r in _JSON_REASONS if e.msg.startswith(r)), e.msg)
        return None, _error(
            "", "not_json", N_("The file is not valid JSON: %(reason)s (line %(line)s, column %(column)s)."),
            {"reason": reason, "line": e.lineno, "column": e.colno}, line=e.lineno, column=e.colno,
        )
    except _BadConstant as e:
        return None, _error(
            "", "not_json", N_("The file is not valid JSON: %(constant)s is not a JSON number."), {"constant": str(e)}
        )
    except RecursionError:
        return None, _error("", "too_deep", _TOO_DEEP)


def _kind(doc: dict) -> str | None:
    if "projects" in doc:
        return "package"
    if any(k in doc for k in ("version", "publisher", "publishedDate")):
        return None
    if "id" in doc:
        return "project"
    if "uri" in doc:
        return None
    return "project"


# ---------------------------------------------------------------------------


def validate(data, schemas, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Validate OC4IDS JSON; see the module docstring for the result.

    ``data``: bytes or str (an already parsed dict/list is accepted too).
    ``schemas``: a :class:`~.schema.Schemas` or a location for
    :func:`~.schema.load_schemas` (empty: the packaged copy).
    """
    checked_at = _now()
    try:
        return _validate(data, schemas, max_bytes, checked_at)
    except Exception:  # never raise for bad input
        log.exception("OC4IDS validation failed unexpectedly")
        error = _error("", "internal", N_("The file could not be validated because of an internal error."))
        return _result(False, None, 0, [error], checked_at)


def _not_object(doc) -> dict:
    if isinstance(doc, list):
        msgid = N_(
            "The document must be a JSON object (an OC4IDS project package or a project), but it is "
            "%(actual)s. If it is a list of projects, wrap it in a package: {\"version\": \"0.9\", "
            "\"uri\": …, \"publisher\": …, \"publishedDate\": …, \"projects\": […]}."
        )
    else:
        msgid = N_(
            "The document must be a JSON object (an OC4IDS project package or a project), but it is %(actual)s."
        )
    return _error("", "not_object", msgid, {"actual": type_name(json_type(doc))})


def _no_projects(doc: dict) -> dict:
    if "releases" in doc or "records" in doc:
        msgid = N_(
            "The package has no 'projects' list: an OC4IDS project package must include at least one project. "
            "It looks like an OCDS (contracting) package, not OC4IDS."
        )
    else:
        msgid = N_("The package has no 'projects' list: an OC4IDS project package must include at least one project.")
    return _error("/projects", "no_projects", msgid)


def _validate(data, schemas, max_bytes, checked_at) -> dict:
    doc, error = _parse(data, max_bytes)
    if error:
        return _result(False, None, 0, [error], checked_at)
    if not isinstance(doc, dict):
        return _result(False, None, 0, [_not_object(doc)], checked_at)

    kind = _kind(doc)
    if kind is None:
        return _result(False, None, 0, [_no_projects(doc)], checked_at)

    projects = 1
    if kind == "package":
        projects = len(doc["projects"]) if isinstance(doc["projects"], list) else 0

    if not isinstance(schemas, Schemas):
        try:
            schemas = load_schemas(schemas)
        except SchemaLoadError as e:
            log.error("OC4IDS schema unavailable: %s", e)
            error = _error(
                "", "schema_unavailable", N_("The OC4IDS schema is unavailable; the file could not be validated.")
            )
            return _result(False, kind, projects, [error], checked_at)

    validator = schemas.package_validator if kind == "package" else schemas.project_validator
    try:
        errors, total, capped = schema_errors(validator, doc)
    except RecursionError:
        return _result(False, kind, projects, [_error("", "too_deep", _TOO_DEEP)], checked_at)
    if kind == "package" and isinstance(doc["projects"], list):
        dup = _duplicate_ids(doc["projects"])
        errors += dup
        total += len(dup)
    result = _result(not errors, kind, projects, errors, checked_at, total)
    if capped:
        result["truncated"] = True
    return result
