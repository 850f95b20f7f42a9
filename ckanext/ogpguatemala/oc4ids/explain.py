"""OC4IDS schema errors (from jsonschema) as located, translatable errors.

Pure Python (no CKAN imports). Each error is ``{"path": <JSON pointer>,
"code": <keyword>, "message": {"msgid", "params"}, ...}``; see
:mod:`.validation` for the codes.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ckanext.ogpguatemala.messages import N_, Msg

__all__ = ["json_pointer", "error", "show", "json_type", "type_name", "schema_errors"]

# Stop collecting schema errors after this many (a file that is wrong
# everywhere would otherwise produce one per field).
MAX_COLLECT = 5000
# A closed codelist's allowed values are listed in the message when short.
MAX_LISTED_CODES = 12

# JSON types as messages say them.
_TYPES = {
    "string": N_("a string (text)"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "array": N_("a list (array)"),
    "object": N_("an object"),
    "null": N_("null"),
}


def json_pointer(parts) -> str:
    """``["projects", 0, "a/b"]`` -> ``"/projects/0/a~1b"``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def error(path: str, code: str, msgid: str, params: dict | None = None, **extra) -> dict:
    """An error dict; ``message`` is ``Msg(msgid, params).as_dict()``."""
    out = {"path": path, "code": code, "message": Msg(msgid, params or {}).as_dict()}
    out.update(extra)
    return out


def show(value: Any, limit: int = 80) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(text: str) -> Msg:
    """'x' in English, «x» in Spanish."""
    return Msg(N_("'%(text)s'"), {"text": text})


def _value(value: Any):
    """A value for a message: a quoted string, or the JSON of the rest."""
    if isinstance(value, str):
        return _quoted(value if len(value) <= 80 else value[:79] + "…")
    return show(value)


_SUBJECTS = {"list": N_("The list '%(field)s'"), "object": N_("The object '%(field)s'")}


def _subject(field: str, kind: str = "field") -> Msg:
    """What an error is about: 'field', the list 'field', the object
    'field', or the document itself (no field name)."""
    if not field:
        return Msg(N_("The document"))
    return Msg(_SUBJECTS[kind], {"field": field}) if kind in _SUBJECTS else _quoted(field)


def json_type(value: Any) -> str:
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


def type_name(name: str):
    """A JSON type ("string") as messages say it ("a string (text)")."""
    return Msg(_TYPES[name]) if name in _TYPES else name


def _field(parts) -> str:
    for p in reversed(list(parts)):
        if isinstance(p, str):
            return p
    return ""


def _or(words: list):
    """Messages (or plain words) as one: "a, b or c"."""
    if len(words) <= 1:
        return words[0] if words else ""
    head = words[0]
    for word in words[1:-1]:
        head = Msg("%(a)s, %(b)s", {"a": head, "b": word})  # nothing to translate
    return Msg(N_("%(first)s or %(last)s"), {"first": head, "last": words[-1]})


# ---------------------------------------------------------------------------

# keyword -> (what the subject is, message when the limit is 1, message)
_LIMITS = {
    "minItems": (
        "list",
        N_("%(subject)s must not be empty; leave it out if there are no items."),
        N_("%(subject)s must have at least %(n)s items."),
    ),
    "maxItems": ("list", None, N_("%(subject)s can have at most %(n)s items.")),
    "minLength": (
        "field",
        N_("%(subject)s must not be an empty string; leave the field out if it has no value."),
        N_("%(subject)s must be at least %(n)s characters long."),
    ),
    "maxLength": ("field", None, N_("%(subject)s can be at most %(n)s characters long.")),
    "minProperties": (
        "object",
        N_("%(subject)s must not be empty; leave it out if it has no data."),
        N_("%(subject)s must have at least %(n)s fields."),
    ),
    "maxProperties": ("object", None, N_("%(subject)s can have at most %(n)s fields.")),
}

# (keyword, exclusive) -> message
_BOUNDS = {
    ("minimum", False): N_("%(subject)s must be at least %(limit)s; got %(value)s."),
    ("minimum", True): N_("%(subject)s must be greater than %(limit)s; got %(value)s."),
    ("maximum", False): N_("%(subject)s must be at most %(limit)s; got %(value)s."),
    ("maximum", True): N_("%(subject)s must be less than %(limit)s; got %(value)s."),
}

_FORMATS = {
    "date-time": N_(
        "%(subject)s must be an RFC 3339 date and time with a time zone "
        "(e.g. 2024-05-31T00:00:00-06:00); got %(value)s."
    ),
    "uri": N_("%(subject)s must be a full URI (e.g. https://example.gob.gt/...); got %(value)s."),
    "email": N_("%(subject)s must be an email address; got %(value)s."),
}


def _required(err, parts: list, field: str) -> list[dict]:
    value = err.instance
    missing = [
        p for p in (err.validator_value or [])
        if isinstance(value, dict) and p not in value and err.message.startswith(repr(p))
    ] or [p for p in (err.validator_value or []) if isinstance(value, dict) and p not in value][:1]
    if field and parts and isinstance(parts[-1], int):
        msgid = N_("Required field '%(field)s' is missing in item %(index)s of '%(list)s'.")
        where = {"index": parts[-1], "list": field}
    elif field:
        msgid, where = N_("Required field '%(field)s' is missing in '%(parent)s'."), {"parent": field}
    else:
        msgid, where = N_("Required field '%(field)s' is missing."), {}
    return [error(json_pointer(parts + [prop]), "required", msgid, dict(where, field=prop)) for prop in missing]


def _explain(err) -> list[dict]:
    """One jsonschema error as error dicts (several for ``required`` and
    ``additionalProperties``: one per field)."""
    parts = list(err.absolute_path)
    path = json_pointer(parts)
    field = _field(parts)
    kw = err.validator
    value = err.instance
    schema = err.schema if isinstance(err.schema, dict) else {}
    subject = _subject(field)

    if kw == "required":
        return _required(err, parts, field)

    if kw == "type":
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        params = {
            "subject": subject,
            "expected": _or([type_name(t) for t in expected]),
            "actual": type_name(json_type(value)),
            "value": show(value),
        }
        msgid = N_("%(subject)s must be %(expected)s, but it is %(actual)s: %(value)s.")
        if isinstance(value, str) and ("number" in expected or "integer" in expected):
            try:
                float(value.replace(",", ""))
            except ValueError:
                pass
            else:
                msgid = N_(
                    "%(subject)s must be %(expected)s, but it is %(actual)s: %(value)s. "
                    "Write the number without quotes."
                )
        return [error(path, "type", msgid, params)]

    if kw in ("enum", "codelist"):
        codelist = err.validator_value if kw == "codelist" else schema.get("codelist") or schema.get("x-codelist")
        allowed = [] if kw == "codelist" else [e for e in (err.validator_value or []) if e is not None]
        listed = 0 < len(allowed) <= MAX_LISTED_CODES
        if codelist:
            name = codelist[:-4] if codelist.endswith(".csv") else codelist
            params, extra = {"value": _value(value), "codelist": name}, {"codelist": name}
            msgid = (
                N_("%(value)s is not a value of the %(codelist)s codelist. Allowed values: %(allowed)s.")
                if listed else N_("%(value)s is not a value of the %(codelist)s codelist.")
            )
        else:
            params, extra = {"value": _value(value), "subject": subject}, {}
            msgid = (
                N_("%(value)s is not an allowed value for %(subject)s. Allowed values: %(allowed)s.")
                if listed else N_("%(value)s is not an allowed value for %(subject)s.")
            )
        if listed:
            params["allowed"] = ", ".join(str(a) for a in allowed)
        return [error(path, "codelist" if codelist else "enum", msgid, params, **extra)]

    if kw == "format":
        fmt = err.validator_value
        msgid = _FORMATS.get(fmt, N_("%(subject)s is not in the %(format)s format; got %(value)s."))
        return [error(path, "format", msgid, {"subject": subject, "value": show(value), "format": fmt}, format=fmt)]

    if kw in _LIMITS:
        kind, empty, limited = _LIMITS[kw]
        n = err.validator_value
        if empty and n == 1:
            return [error(path, kw, empty, {"subject": _subject(field, kind)})]
        return [error(path, kw, limited, {"subject": _subject(field, kind), "n": n})]

    if kw == "uniqueItems":
        index = parts[-1] if parts and isinstance(parts[-1], int) else "?"
        return [error(
            path, "uniqueItems", N_("Item %(index)s of the list %(subject)s repeats item %(other)s."),
            {"index": index, "subject": subject, "other": err.validator_value},
        )]

    if kw == "pattern":
        msgid = N_("%(subject)s does not have the expected format (%(pattern)s); got %(value)s.")
        if field == "version":
            msgid = N_(
                "%(subject)s does not have the expected format (%(pattern)s); got %(value)s. "
                "The version is major.minor, e.g. '0.9'."
            )
        return [error(path, "pattern", msgid, {"subject": subject, "pattern": err.validator_value, "value": show(value)})]

    if kw == "additionalProperties" and isinstance(value, dict):
        known = set(schema.get("properties") or {})
        patterns = [re.compile(p) for p in (schema.get("patternProperties") or {})]
        extras = [k for k in value if k not in known and not any(p.search(k) for p in patterns)]
        return [
            error(json_pointer(parts + [k]), "additionalProperties",
                  N_("The field '%(field)s' is not allowed here."), {"field": k})
            for k in extras
        ] or [error(path, "additionalProperties", N_("Some fields are not allowed here: %(error)s"),
                    {"error": err.message[:300]})]

    if kw in ("minimum", "maximum"):
        exclusive = schema.get("exclusiveMinimum" if kw == "minimum" else "exclusiveMaximum") is True
        params = {"subject": subject, "limit": err.validator_value, "value": show(value)}
        return [error(path, kw, _BOUNDS[(kw, exclusive)], params)]

    return [error(
        path, "schema", N_("%(subject)s does not conform to the OC4IDS schema (%(keyword)s): %(error)s"),
        {"subject": subject, "keyword": kw, "error": err.message[:300]},
    )]


# Errors that add nothing when the value at the same path has the wrong type.
_AFTER_TYPE = {"codelist", "enum", "format", "minLength", "maxLength", "pattern", "minimum", "maximum"}


def schema_errors(validator, doc) -> tuple[list[dict], int, bool]:
    """-> (errors, how many, whether collecting stopped at MAX_COLLECT)."""
    raw = []
    capped = False
    for err in validator.iter_errors(doc):
        raw.append(err)
        if len(raw) >= MAX_COLLECT:
            capped = True
            break
    errors = [e for err in raw for e in _explain(err)]
    typed = {e["path"] for e in errors if e["code"] == "type"}
    errors = [e for e in errors if not (e["code"] in _AFTER_TYPE and e["path"] in typed)]
    # "{}" lacks "id": saying it is also empty adds nothing.
    lacking = {e["path"].rsplit("/", 1)[0] for e in errors if e["code"] == "required"}
    errors = [e for e in errors if not (e["code"] == "minProperties" and e["path"] in lacking)]
    return errors, len(errors), capped
