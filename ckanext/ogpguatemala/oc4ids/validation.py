"""Validating OC4IDS JSON (a project package or a single project).

Pure Python (no CKAN imports)::

    result = validate(raw_bytes, load_schemas(location))
    result == {
        "valid": False,
        "kind": "package",            # "package" | "project" | None
        "projects": 3,
        "errors": [
            {"path": "/projects/0/status", "code": "codelist",
             "message": {"es": "...", "en": "..."}, ...},
        ],
        "error_count": 1,             # before the cap
        "truncated": False,           # True when errors were capped
        "checked_at": "2025-01-31T18:00:00Z",
    }

``path`` is a JSON pointer ("" is the whole document). For a missing
required field it points at the field that should be there
("/projects/0/id"). Errors are sorted by path (array indexes numerically)
and capped at :data:`MAX_ERRORS`. ``validate`` never raises.

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
from typing import Any

from .schema import SchemaLoadError, Schemas, load_schemas

log = logging.getLogger(__name__)

__all__ = ["validate", "DEFAULT_MAX_BYTES", "MAX_ERRORS", "json_pointer"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200
# Stop collecting schema errors after this many (a file that is wrong
# everywhere would otherwise produce one per field).
MAX_COLLECT = 5000
# A closed codelist's allowed values are listed in the message when short.
MAX_LISTED_CODES = 12

PACKAGE_KEYS = ("version", "publisher", "publishedDate", "uri")

_TYPE_ES = {
    "string": "texto",
    "number": "un número",
    "integer": "un número entero",
    "boolean": "verdadero o falso (true/false)",
    "array": "una lista",
    "object": "un objeto",
    "null": "nulo (null)",
}
_TYPE_EN = {
    "string": "a string (text)",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list (array)",
    "object": "an object",
    "null": "null",
}

_JSON_MESSAGES_ES = {
    "Expecting value": "se esperaba un valor",
    "Expecting ',' delimiter": "falta una coma",
    "Expecting ':' delimiter": "faltan los dos puntos «:»",
    "Expecting property name enclosed in double quotes": "se esperaba un nombre de campo entre comillas dobles",
    "Unterminated string starting at": "hay un texto sin comillas de cierre",
    "Invalid control character at": "hay un carácter de control no válido",
    "Invalid \\escape": "hay una secuencia de escape «\\» no válida",
    "Invalid \\uXXXX escape": "hay una secuencia «\\u» no válida",
    "Extra data": "hay contenido después del final del JSON",
}


# ---------------------------------------------------------------------------
# Helpers


def json_pointer(parts) -> str:
    """``["projects", 0, "a/b"]`` -> ``"/projects/0/a~1b"``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _sort_key(error: dict):
    parts = []
    for token in error["path"].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return (parts, error["code"])


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _error(path: str, code: str, es: str, en: str, **extra) -> dict:
    out = {"path": path, "code": code, "message": {"es": es, "en": en}}
    out.update(extra)
    return out


def _fmt_mb(n: int, lang: str) -> str:
    value = n / (1024 * 1024)
    if value >= 10:
        text = f"{value:.0f}"
    elif value >= 0.1:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.2g}"
    return text.replace(".", ",") if lang == "es" else text


def _show(value: Any, limit: int = 80) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _q(value: Any, lang: str) -> str:
    """A value quoted for a message: «x» (es) / 'x' (en) for strings."""
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:79] + "…"
        return f"«{text}»" if lang == "es" else f"'{text}'"
    return _show(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float,)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _field(parts) -> str:
    for p in reversed(list(parts)):
        if isinstance(p, str):
            return p
    return ""


def _or(words: list[str], lang: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    joiner = " o " if lang == "es" else " or "
    return ", ".join(words[:-1]) + joiner + words[-1]


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


# ---------------------------------------------------------------------------
# jsonschema errors -> bilingual messages


def _translate(err) -> list[dict]:
    parts = list(err.absolute_path)
    path = json_pointer(parts)
    field = _field(parts)
    kw = err.validator
    value = err.instance
    schema = err.schema if isinstance(err.schema, dict) else {}
    f_es = f"«{field}»" if field else "El documento"
    f_en = f"'{field}'" if field else "The document"
    list_es = f"La lista «{field}»" if field else "El documento"
    list_en = f"The list '{field}'" if field else "The document"
    obj_es = f"El objeto «{field}»" if field else "El documento"
    obj_en = f"The object '{field}'" if field else "The document"

    if kw == "required":
        missing = [
            p for p in (err.validator_value or [])
            if isinstance(value, dict) and p not in value and err.message.startswith(repr(p))
        ] or [p for p in (err.validator_value or []) if isinstance(value, dict) and p not in value][:1]
        out = []
        for prop in missing:
            where_es = where_en = ""
            if parts and isinstance(parts[-1], int) and field:
                where_es = f" en el elemento {parts[-1]} de «{field}»"
                where_en = f" in item {parts[-1]} of '{field}'"
            elif field:
                where_es, where_en = f" en «{field}»", f" in '{field}'"
            out.append(
                _error(
                    json_pointer(parts + [prop]),
                    "required",
                    f"Falta el campo obligatorio «{prop}»{where_es}.",
                    f"Required field '{prop}' is missing{where_en}.",
                )
            )
        return out

    if kw == "type":
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        actual = _json_type(value)
        es = (
            f"{f_es} debe ser {_or([_TYPE_ES.get(t, t) for t in expected], 'es')}, "
            f"pero es {_TYPE_ES.get(actual, actual)}: {_show(value)}."
        )
        en = (
            f"{f_en} must be {_or([_TYPE_EN.get(t, t) for t in expected], 'en')}, "
            f"but it is {_TYPE_EN.get(actual, actual)}: {_show(value)}."
        )
        if isinstance(value, str) and ("number" in expected or "integer" in expected):
            try:
                float(value.replace(",", ""))
            except ValueError:
                pass
            else:
                es += " Escriba el número sin comillas."
                en += " Write the number without quotes."
        return [_error(path, "type", es, en)]

    if kw in ("enum", "codelist"):
        codelist = err.validator_value if kw == "codelist" else schema.get("codelist") or schema.get("x-codelist")
        allowed = [] if kw == "codelist" else [e for e in (err.validator_value or []) if e is not None]
        if codelist:
            name = codelist[:-4] if codelist.endswith(".csv") else codelist
            es = f"{_q(value, 'es')} no es un valor de la lista de códigos {name}"
            en = f"{_q(value, 'en')} is not a value of the {name} codelist"
            code = "codelist"
        else:
            es = f"{_q(value, 'es')} no es un valor permitido para {f_es}"
            en = f"{_q(value, 'en')} is not an allowed value for {f_en}"
            code = "enum"
        if 0 < len(allowed) <= MAX_LISTED_CODES:
            listed = ", ".join(str(a) for a in allowed)
            es += f". Valores permitidos: {listed}"
            en += f". Allowed values: {listed}"
        return [_error(path, code, es + ".", en + ".", **({"codelist": name} if codelist else {}))]

    if kw == "format":
        fmt = err.validator_value
        if fmt == "date-time":
            es = (
                f"{f_es} debe ser una fecha y hora RFC 3339 con zona horaria "
                f"(p. ej. 2024-05-31T00:00:00-06:00); se recibió {_show(value)}."
            )
            en = (
                f"{f_en} must be an RFC 3339 date and time with a time zone "
                f"(e.g. 2024-05-31T00:00:00-06:00); got {_show(value)}."
            )
        elif fmt == "uri":
            es = f"{f_es} debe ser una dirección URI completa (p. ej. https://ejemplo.gob.gt/...); se recibió {_show(value)}."
            en = f"{f_en} must be a full URI (e.g. https://example.gob.gt/...); got {_show(value)}."
        elif fmt == "email":
            es = f"{f_es} debe ser una dirección de correo electrónico; se recibió {_show(value)}."
            en = f"{f_en} must be an email address; got {_show(value)}."
        else:
            es = f"{f_es} no tiene el formato {fmt}; se recibió {_show(value)}."
            en = f"{f_en} is not in the {fmt} format; got {_show(value)}."
        return [_error(path, "format", es, en, format=fmt)]

    if kw in ("minItems", "maxItems"):
        n = err.validator_value
        if kw == "minItems" and n == 1:
            es = f"{list_es} no puede estar vacía; omítala si no tiene elementos."
            en = f"{list_en} must not be empty; leave it out if there are no items."
        elif kw == "minItems":
            es = f"{list_es} debe tener al menos {n} elementos."
            en = f"{list_en} must have at least {n} items."
        else:
            es = f"{list_es} puede tener como máximo {n} elementos."
            en = f"{list_en} can have at most {n} items."
        return [_error(path, kw, es, en)]

    if kw in ("minLength", "maxLength"):
        n = err.validator_value
        if kw == "minLength" and n == 1:
            es = f"{f_es} no puede ser un texto vacío; omita el campo si no tiene valor."
            en = f"{f_en} must not be an empty string; leave the field out if it has no value."
        elif kw == "minLength":
            es = f"{f_es} debe tener al menos {n} caracteres."
            en = f"{f_en} must be at least {n} characters long."
        else:
            es = f"{f_es} puede tener como máximo {n} caracteres."
            en = f"{f_en} can be at most {n} characters long."
        return [_error(path, kw, es, en)]

    if kw in ("minProperties", "maxProperties"):
        n = err.validator_value
        if kw == "minProperties" and n == 1:
            es = f"{obj_es} no puede estar vacío; omítalo si no tiene datos."
            en = f"{obj_en} must not be empty; leave it out if it has no data."
        elif kw == "minProperties":
            es = f"{obj_es} debe tener al menos {n} campos."
            en = f"{obj_en} must have at least {n} fields."
        else:
            es = f"{obj_es} puede tener como máximo {n} campos."
            en = f"{obj_en} can have at most {n} fields."
        return [_error(path, kw, es, en)]

    if kw == "uniqueItems":
        index = parts[-1] if parts and isinstance(parts[-1], int) else "?"
        es = f"El elemento {index} de la lista {f_es} repite el elemento {err.validator_value}."
        en = f"Item {index} of the list {f_en} repeats item {err.validator_value}."
        return [_error(path, "uniqueItems", es, en)]

    if kw == "pattern":
        es = f"{f_es} no tiene el formato esperado ({err.validator_value}); se recibió {_show(value)}."
        en = f"{f_en} does not have the expected format ({err.validator_value}); got {_show(value)}."
        if field == "version":
            es += " La versión va como mayor.menor, p. ej. «0.9»."
            en += " The version is major.minor, e.g. '0.9'."
        return [_error(path, "pattern", es, en)]

    if kw == "additionalProperties" and isinstance(value, dict):
        import re

        known = set(schema.get("properties") or {})
        patterns = [re.compile(p) for p in (schema.get("patternProperties") or {})]
        extras = [k for k in value if k not in known and not any(p.search(k) for p in patterns)]
        return [
            _error(
                json_pointer(parts + [k]),
                "additionalProperties",
                f"El campo «{k}» no está permitido aquí.",
                f"The field '{k}' is not allowed here.",
            )
            for k in extras
        ] or [_error(path, "additionalProperties", "Hay campos no permitidos.", err.message)]

    if kw in ("minimum", "maximum"):
        n = err.validator_value
        exclusive = schema.get("exclusiveMinimum" if kw == "minimum" else "exclusiveMaximum") is True
        if kw == "minimum":
            rel_es, rel_en = ("mayor que", "greater than") if exclusive else ("mayor o igual que", "at least")
        else:
            rel_es, rel_en = ("menor que", "less than") if exclusive else ("menor o igual que", "at most")
        es = f"{f_es} debe ser {rel_es} {n}; se recibió {_show(value)}."
        en = f"{f_en} must be {rel_en} {n}; got {_show(value)}."
        return [_error(path, kw, es, en)]

    return [
        _error(
            path,
            "schema",
            f"{f_es} no cumple el esquema OC4IDS ({kw}): {err.message[:300]}",
            f"{f_en} does not conform to the OC4IDS schema ({kw}): {err.message[:300]}",
        )
    ]


# Errors that add nothing when the value at the same path has the wrong type.
_AFTER_TYPE = {"codelist", "enum", "format", "minLength", "maxLength", "pattern", "minimum", "maximum"}


def _schema_errors(validator, doc) -> tuple[list[dict], int, bool]:
    raw = []
    capped = False
    for err in validator.iter_errors(doc):
        raw.append(err)
        if len(raw) >= MAX_COLLECT:
            capped = True
            break
    errors = [e for err in raw for e in _translate(err)]
    typed = {e["path"] for e in errors if e["code"] == "type"}
    errors = [e for e in errors if not (e["code"] in _AFTER_TYPE and e["path"] in typed)]
    # "{}" lacks "id": saying it is also empty adds nothing.
    lacking = {e["path"].rsplit("/", 1)[0] for e in errors if e["code"] == "required"}
    errors = [e for e in errors if not (e["code"] == "minProperties" and e["path"] in lacking)]
    return errors, len(errors), capped


def _duplicate_ids(projects: list) -> list[dict]:
    seen: dict[str, int] = {}
    out = []
    for i, project in enumerate(projects):
        pid = project.get("id") if isinstance(project, dict) else None
        if not isinstance(pid, str) or not pid:
            continue
        if pid in seen:
            out.append(
                _error(
                    f"/projects/{i}/id",
                    "duplicate_id",
                    f"El identificador de proyecto {_show(pid)} se repite: ya lo usa el proyecto {seen[pid]}.",
                    f"The project identifier {_show(pid)} is repeated: project {seen[pid]} already uses it.",
                )
            )
        else:
            seen[pid] = i
    return out


# ---------------------------------------------------------------------------
# Parsing


class _BadConstant(ValueError):
    pass


def _reject_constant(name):
    raise _BadConstant(name)


def _parse(data, max_bytes: int):
    """-> (document, None) or (None, error dict)."""
    if data is None:
        return None, _error("", "empty", "El archivo está vacío.", "The file is empty.")
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
            "", "not_json", "El contenido recibido no es JSON.", f"The content received is not JSON ({type(data).__name__})."
        )

    if size > max_bytes:
        es = f"El archivo pesa {_fmt_mb(size, 'es')} MB; el máximo permitido es {_fmt_mb(max_bytes, 'es')} MB."
        en = f"The file is {_fmt_mb(size, 'en')} MB; the maximum allowed is {_fmt_mb(max_bytes, 'en')} MB."
        if size == max_bytes + 1:
            # Callers read at most max_bytes + 1 bytes: the real size is unknown.
            es = f"El archivo supera el máximo permitido de {_fmt_mb(max_bytes, 'es')} MB."
            en = f"The file is larger than the maximum allowed of {_fmt_mb(max_bytes, 'en')} MB."
        return None, _error("", "too_large", es, en, size=size, max_bytes=max_bytes)

    if isinstance(data, bytes):
        try:
            text = data.decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            return None, _error(
                "",
                "bad_encoding",
                "El archivo no está codificado en UTF-8.",
                "The file is not encoded in UTF-8.",
            )
    else:
        text = data
    text = text.lstrip("\ufeff")

    if not text.strip():
        return None, _error("", "empty", "El archivo está vacío.", "The file is empty.")

    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as e:
        reason_es = next((v for k, v in _JSON_MESSAGES_ES.items() if e.msg.startswith(k)), e.msg)
        return None, _error(
            "",
            "not_json",
            f"El archivo no es JSON válido: {reason_es} (línea {e.lineno}, columna {e.colno}).",
            f"The file is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno}).",
            line=e.lineno,
            column=e.colno,
        )
    except _BadConstant as e:
        return None, _error(
            "",
            "not_json",
            f"El archivo no es JSON válido: {e} no es un número JSON.",
            f"The file is not valid JSON: {e} is not a JSON number.",
        )
    except RecursionError:
        return None, _error(
            "",
            "too_deep",
            "El JSON tiene demasiados niveles de anidamiento.",
            "The JSON is nested too deeply.",
        )


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
    :func:`~.schema.load_schemas`.
    """
    checked_at = _now()
    try:
        return _validate(data, schemas, max_bytes, checked_at)
    except Exception:  # never raise for bad input
        log.exception("OC4IDS validation failed unexpectedly")
        return _result(
            False,
            None,
            0,
            [
                _error(
                    "",
                    "internal",
                    "No se pudo validar el archivo por un error interno.",
                    "The file could not be validated because of an internal error.",
                )
            ],
            checked_at,
        )


def _validate(data, schemas, max_bytes, checked_at) -> dict:
    doc, error = _parse(data, max_bytes)
    if error:
        return _result(False, None, 0, [error], checked_at)

    if not isinstance(doc, dict):
        hint_es = hint_en = ""
        if isinstance(doc, list):
            hint_es = ' Si es una lista de proyectos, inclúyala en un paquete: {"version": "0.9", "uri": …, "publisher": …, "publishedDate": …, "projects": […]}.'
            hint_en = ' If it is a list of projects, wrap it in a package: {"version": "0.9", "uri": …, "publisher": …, "publishedDate": …, "projects": […]}.'
        actual = _json_type(doc)
        return _result(
            False,
            None,
            0,
            [
                _error(
                    "",
                    "not_object",
                    f"El documento debe ser un objeto JSON (un paquete de proyectos OC4IDS o un proyecto), "
                    f"pero es {_TYPE_ES.get(actual, actual)}.{hint_es}",
                    f"The document must be a JSON object (an OC4IDS project package or a project), "
                    f"but it is {_TYPE_EN.get(actual, actual)}.{hint_en}",
                )
            ],
            checked_at,
        )

    kind = _kind(doc)
    if kind is None:
        es = "El paquete no tiene la lista «projects»: un paquete de proyectos OC4IDS debe incluir al menos un proyecto."
        en = "The package has no 'projects' list: an OC4IDS project package must include at least one project."
        if "releases" in doc or "records" in doc:
            es += " Parece un paquete OCDS (de contrataciones), no OC4IDS."
            en += " It looks like an OCDS (contracting) package, not OC4IDS."
        return _result(False, None, 0, [_error("/projects", "no_projects", es, en)], checked_at)

    projects = 1
    if kind == "package":
        projects = len(doc["projects"]) if isinstance(doc["projects"], list) else 0

    if not isinstance(schemas, Schemas):
        try:
            schemas = load_schemas(schemas)
        except SchemaLoadError as e:
            log.error("OC4IDS schema unavailable: %s", e)
            return _result(
                False,
                kind,
                projects,
                [
                    _error(
                        "",
                        "schema_unavailable",
                        "El esquema OC4IDS no está disponible; no se pudo validar el archivo.",
                        "The OC4IDS schema is unavailable; the file could not be validated.",
                    )
                ],
                checked_at,
            )

    validator = schemas.package_validator if kind == "package" else schemas.project_validator
    try:
        errors, total, capped = _schema_errors(validator, doc)
    except RecursionError:
        return _result(
            False,
            kind,
            projects,
            [_error("", "too_deep", "El JSON tiene demasiados niveles de anidamiento.", "The JSON is nested too deeply.")],
            checked_at,
        )
    if kind == "package" and isinstance(doc["projects"], list):
        dup = _duplicate_ids(doc["projects"])
        errors += dup
        total += len(dup)
    result = _result(not errors, kind, projects, errors, checked_at, total)
    if capped:
        result["truncated"] = True
    return result
