"""Field validators of the dataset schemas, with bilingual messages.

Every error names the field (scheming puts it under the field's key) and
says in Spanish and English what is wrong and what is accepted. Validators
that need the field definition (its label, its choices) are scheming
validators; the ones that take arguments are written in the schema as
``ogp_integer(0)`` or ``ogp_not_before(temporal_start)``.

Values with several items are stored as JSON lists (scheming's convention)
and come back as lists through ``ogp_codes_output``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.ogpguatemala import geo, vocabularies
from ckanext.ogpguatemala.linking import parse_codes
from ckanext.ogpguatemala.messages import both

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")
REFERENCE_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?(/\d{4}(-(0[1-9]|1[0-2]))?)?$")


def _label(field: dict, lang: str) -> str:
    label = field.get("label") or field.get("field_name")
    if isinstance(label, dict):
        return label.get(lang) or label.get("es") or field["field_name"]
    return str(label)


def _empty(value) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip()) \
        or (isinstance(value, (list, tuple)) and not value)


def _sibling(key, name):
    return key[:-1] + (name,)


# ---------------------------------------------------------------- presence
@scheming_validator
def ogp_required(field, schema):
    """Not empty; names the field in both languages."""
    def validator(key, data, errors, context):
        if _empty(data.get(key)) or data.get(key) == "[]":
            errors[key].append(both(
                "«%s» es obligatorio" % _label(field, "es"),
                "'%s' is required" % _label(field, "en"),
            ))
            raise StopOnError
    return validator


# ----------------------------------------------------------------- choices
def _field_choices(field) -> list[dict]:
    """[{'value', 'label'}] from ``choices`` or a ``choices_helper``."""
    if "choices" in field:
        return field["choices"]
    helper = field.get("choices_helper")
    if helper:
        from ckanext.ogpguatemala import helpers

        return getattr(helpers, helper)(field)
    raise ValueError("field %s has no choices" % field["field_name"])


def _normaliser(field):
    vocab = field.get("ogp_vocabulary")
    if vocab == "frequencies":
        return lambda v: vocabularies.normalise_frequency(v) or v
    if vocab == "countries":
        return lambda v: str(v).strip().upper()
    if vocab == "departments":
        return lambda v: geo.find_department(v) or v
    if vocab == "municipalities":
        return lambda v: geo.find_municipality(v) or v
    return lambda v: str(v).strip()


def _bad_choice(field, value, allowed):
    sample = ", ".join(allowed[:8]) + (", …" if len(allowed) > 8 else "")
    return both(
        "«%s» no es un valor válido de «%s» (valores: %s)" % (value, _label(field, "es"), sample),
        "'%s' is not a valid value of '%s' (values: %s)" % (value, _label(field, "en"), sample),
    )


@scheming_validator
def ogp_choice(field, schema):
    """One value from the field's choices (codes, labels or URIs of a
    vocabulary are normalised to its code)."""
    normalise = _normaliser(field)

    def validator(key, data, errors, context):
        value = data.get(key)
        if _empty(value):
            data[key] = field.get("default", "") if value is missing else ""
            return
        allowed = [c["value"] for c in _field_choices(field)]
        value = normalise(value)
        if value not in allowed:
            errors[key].append(_bad_choice(field, data.get(key), allowed))
            return
        data[key] = value
    return validator


@scheming_validator
def ogp_multiple_choice(field, schema):
    """Several values from the field's choices; stored as a JSON list."""
    normalise = _normaliser(field)

    def validator(key, data, errors, context):
        raw_value = data.get(key)
        if raw_value is missing and field.get("default"):
            raw_value = field["default"]
        values = parse_codes(raw_value, upper=False)
        allowed = [c["value"] for c in _field_choices(field)]
        out = []
        for raw in values:
            value = normalise(raw)
            if value not in allowed:
                errors[key].append(_bad_choice(field, raw, allowed))
            elif value not in out:
                out.append(value)
        out.sort(key=allowed.index)
        data[key] = json.dumps(out)
    return validator


# -------------------------------------------------------------- formats
@scheming_validator
def ogp_email(field, schema):
    def validator(value, context):
        if _empty(value):
            return ""
        value = str(value).strip()
        if not EMAIL.match(value):
            raise tk.Invalid(both(
                "«%s» no es una dirección de correo válida (ejemplo: datos@institucion.gob.gt)" % value,
                "'%s' is not a valid email address (example: datos@institucion.gob.gt)" % value,
            ))
        return value
    return validator


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


@scheming_validator
def ogp_date(field, schema):
    """An ISO date (YYYY-MM-DD), stored as such."""
    def validator(value, context):
        if _empty(value):
            return ""
        parsed = _parse_date(value)
        if parsed is None or not (isinstance(value, dt.date) or DATE.match(str(value).strip())):
            raise tk.Invalid(both(
                "«%s» no es una fecha válida para «%s»; use AAAA-MM-DD" % (value, _label(field, "es")),
                "'%s' is not a valid date for '%s'; use YYYY-MM-DD" % (value, _label(field, "en")),
            ))
        return parsed.isoformat()
    return validator


@scheming_validator
def ogp_month(field, schema):
    """A month, YYYY-MM."""
    def validator(value, context):
        if _empty(value):
            return ""
        value = str(value).strip()
        if not MONTH.match(value):
            raise tk.Invalid(both(
                "«%s» no es un mes válido para «%s»; use AAAA-MM (p. ej. 2024-03)" % (value, _label(field, "es")),
                "'%s' is not a valid month for '%s'; use YYYY-MM (e.g. 2024-03)" % (value, _label(field, "en")),
            ))
        return value
    return validator


@scheming_validator
def ogp_reference_period(field, schema):
    """A year, a month, or an interval of them: 2021, 2021-06, 2014/2015."""
    def validator(value, context):
        if _empty(value):
            return ""
        sent = str(value).strip()
        value = sent.replace(" ", "")
        if not REFERENCE_PERIOD.match(value):
            raise tk.Invalid(both(
                "«%s» no es un periodo válido; use AAAA, AAAA-MM o un intervalo como 2014/2015" % sent,
                "'%s' is not a valid period; use YYYY, YYYY-MM or an interval such as 2014/2015" % sent,
            ))
        if "/" in value:
            start, end = value.split("/")
            if end < start:
                raise tk.Invalid(both(
                    "El periodo «%s» termina antes de empezar" % value,
                    "The period '%s' ends before it starts" % value,
                ))
        return value
    return validator


# -------------------------------------------------------------- numbers
def ogp_integer(minimum=None, maximum=None):
    """A whole number within [minimum, maximum] (either may be None)."""
    def validator(value, context):
        if _empty(value):
            return None
        try:
            number = int(str(value).strip())
            if isinstance(value, float) and value != int(value):
                raise ValueError
        except (TypeError, ValueError):
            raise tk.Invalid(both(
                "«%s» no es un número entero" % value, "'%s' is not a whole number" % value
            ))
        if minimum is not None and number < minimum:
            raise tk.Invalid(both(
                "%s es menor que el mínimo permitido (%s)" % (number, minimum),
                "%s is below the allowed minimum (%s)" % (number, minimum),
            ))
        if maximum is not None and number > maximum:
            raise tk.Invalid(both(
                "%s es mayor que el máximo permitido (%s)" % (number, maximum),
                "%s is above the allowed maximum (%s)" % (number, maximum),
            ))
        return number
    return validator


def ogp_number(minimum=None, maximum=None):
    """A decimal number within [minimum, maximum] (e.g. a latitude)."""
    def validator(value, context):
        if _empty(value):
            return ""
        try:
            number = float(str(value).strip().replace(",", "."))
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
        except ValueError:
            raise tk.Invalid(both("«%s» no es un número" % value, "'%s' is not a number" % value))
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise tk.Invalid(both(
                "%s está fuera del rango permitido (%s a %s)" % (number, minimum, maximum),
                "%s is outside the allowed range (%s to %s)" % (number, minimum, maximum),
            ))
        return str(number)
    return validator


def ogp_amount(minimum=0):
    """A decimal amount (money), not below ``minimum``; stored as a string."""
    def validator(value, context):
        if _empty(value):
            return ""
        try:
            number = Decimal(str(value).strip().replace(",", ""))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise tk.Invalid(both(
                "«%s» no es un monto válido (use números, p. ej. 125000.50)" % value,
                "'%s' is not a valid amount (use digits, e.g. 125000.50)" % value,
            ))
        if minimum is not None and number < Decimal(str(minimum)):
            raise tk.Invalid(both(
                "El monto no puede ser negativo" if minimum == 0 else "El monto es menor que %s" % minimum,
                "The amount cannot be negative" if minimum == 0 else "The amount is below %s" % minimum,
            ))
        return str(number)
    return validator


# --------------------------------------------------------- cross-field
def ogp_not_before(other):
    """This date is not before the date in field ``other`` (e.g. end ≥ start)."""
    def validator(key, data, errors, context):
        end = _parse_date(data.get(key)) if not _empty(data.get(key)) else None
        start_raw = data.get(_sibling(key, other))
        start = _parse_date(start_raw) if not _empty(start_raw) else None
        if end and start and end < start:
            errors[key].append(both(
                "La fecha final (%s) es anterior a la inicial (%s)" % (end, start),
                "The end date (%s) is before the start date (%s)" % (end, start),
            ))
    return validator


def ogp_not_more_than(other):
    """This count is not larger than the count in field ``other``."""
    def validator(key, data, errors, context):
        other_key = _sibling(key, other)
        if _empty(data.get(key)) or _empty(data.get(other_key)) or errors.get(other_key):
            # Nothing to compare (``int(missing)`` would raise a stray, English-only
            # "Missing value" here), or the other count is already wrong.
            return
        try:
            this = int(data.get(key))
            limit = int(data.get(other_key))
        except (TypeError, ValueError):
            return
        if this > limit:
            errors[key].append(both(
                "%s no puede ser mayor que «%s» (%s)" % (this, other, limit),
                "%s cannot be larger than '%s' (%s)" % (this, other, limit),
            ))
    return validator


def ogp_required_when(other, value):
    """Required when field ``other`` has ``value``."""
    def validator(key, data, errors, context):
        other_value = data.get(_sibling(key, other))
        # (``str(missing)`` would raise a stray "Missing value" on this field.)
        if not _empty(other_value) and str(other_value) == value and _empty(data.get(key)):
            errors[key].append(both(
                "Obligatorio cuando «%s» es «%s»" % (other, value),
                "Required when '%s' is '%s'" % (other, value),
            ))
    return validator


# ------------------------------------------------------------ geography
def _codes_at(data, key, name):
    return parse_codes(data.get(_sibling(key, name)), upper=False)


@scheming_validator
def ogp_geo_level(field, schema):
    """nacional / departamental / municipal, consistent with the places given."""
    def validator(key, data, errors, context):
        level = data.get(key)
        level = "" if _empty(level) else str(level).strip().lower()
        if errors.get(_sibling(key, "geo_departments")):
            # Validated first (navl goes alphabetically) and already rejected, its
            # bad codes dropped: "give at least one department" would mislead.
            return
        departments = _codes_at(data, key, "geo_departments")
        municipalities = _codes_at(data, key, "geo_municipalities")
        if level == "nacional" and (departments or municipalities):
            errors[key].append(both(
                "Con cobertura «nacional» no se indican departamentos ni municipios; "
                "elija «departamental» o «municipal»",
                "With 'national' coverage no departments or municipalities are given; "
                "choose 'departmental' or 'municipal'",
            ))
        elif level == "departamental" and not departments:
            errors[key].append(both(
                "Con cobertura «departamental» indique al menos un departamento",
                "With 'departmental' coverage give at least one department",
            ))
        elif level == "municipal" and not municipalities:
            errors[key].append(both(
                "Con cobertura «municipal» indique al menos un municipio",
                "With 'municipal' coverage give at least one municipality",
            ))
    return validator


@scheming_validator
def ogp_geo_departments(field, schema):
    """INE department codes (or names); stored as codes. When none are given
    but municipalities are, their departments are filled in."""
    def validator(key, data, errors, context):
        out = []
        for raw in parse_codes(data.get(key), upper=False):
            code = geo.find_department(raw)
            if not code:
                errors[key].append(both(
                    "«%s» no es un código de departamento del INE (01 a 22)" % raw,
                    "'%s' is not an INE department code (01 to 22)" % raw,
                ))
            elif code not in out:
                out.append(code)
        if not out and not errors[key]:
            for raw in _codes_at(data, key, "geo_municipalities"):
                dept = geo.department_of(geo.find_municipality(raw) or "")
                if dept and dept not in out:
                    out.append(dept)
        data[key] = json.dumps(sorted(out))
    return validator


@scheming_validator
def ogp_geo_municipalities(field, schema):
    """INE municipality codes; each must belong to one of the departments
    given (when departments are given)."""
    def validator(key, data, errors, context):
        departments = set()
        for raw in _codes_at(data, key, "geo_departments"):
            code = geo.find_department(raw)
            if code:
                departments.add(code)
        out = []
        for raw in parse_codes(data.get(key), upper=False):
            code = geo.find_municipality(raw)
            if not code:
                errors[key].append(both(
                    "«%s» no es un código de municipio del INE (4 dígitos, p. ej. 0101)" % raw,
                    "'%s' is not an INE municipality code (4 digits, e.g. 0101)" % raw,
                ))
                continue
            dept = geo.department_of(code)
            if departments and dept not in departments:
                errors[key].append(both(
                    "El municipio %s (%s) pertenece al departamento %s (%s), que no está entre "
                    "los departamentos elegidos" % (code, geo.municipality_name(code), dept,
                                                     geo.department_name(dept)),
                    "Municipality %s (%s) belongs to department %s (%s), which is not among "
                    "the chosen departments" % (code, geo.municipality_name(code), dept,
                                                geo.department_name(dept)),
                ))
            elif code not in out:
                out.append(code)
        data[key] = json.dumps(sorted(out))
    return validator


def get_validators() -> dict:
    return {
        f.__name__: f
        for f in (ogp_required, ogp_choice, ogp_multiple_choice, ogp_email, ogp_date,
                  ogp_month, ogp_reference_period, ogp_integer, ogp_number, ogp_amount,
                  ogp_not_before, ogp_not_more_than, ogp_required_when,
                  ogp_geo_level, ogp_geo_departments, ogp_geo_municipalities)
    }
