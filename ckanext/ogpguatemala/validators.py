"""Field validators of the dataset schemas: what ckanext-scheming lacks.

Presence and choices are scheming's (``scheming_required``,
``scheming_choices``, ``scheming_multiple_choice``). This module adds:

- normalising before scheming's choice check: ``ogp_code`` reads a frequency
  given as an EU code, URI or label as its code; ``ogp_codes`` reads the
  values of a multi-valued field from a list, a JSON list or a comma-separated
  string (country codes in upper case, the field's ``default`` when absent);
- formats: email, ISO date, month, reference period, integers, decimal
  numbers and amounts;
- checks across fields (end after start, placed ≤ applicants, required when
  another field has a value) and INE geography.

Messages are English msgids translated with ``tk._`` when raised, so CKAN
renders them in the request's language (Spanish by default, English under
``/en/``). A field is named by its label in that language
(``scheming_language_text``). Validators that take arguments are written in
the schema as ``ogp_integer(0)`` or ``ogp_not_before(temporal_start)``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

import ckan.plugins.toolkit as tk

from ckanext.scheming.helpers import scheming_language_text
from ckanext.scheming.validation import scheming_validator

from ckanext.ogpguatemala import geo, vocabularies
from ckanext.ogpguatemala.linking import parse_codes
from ckanext.ogpguatemala.messages import N_

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")
REFERENCE_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?(/\d{4}(-(0[1-9]|1[0-2]))?)?$")

# What scheming_choices / scheming_multiple_choice say of a value that is not
# among the choices (scheming's own, and CKAN's OneOf). Neither ships them in
# Spanish: marked here so that our catalogue carries the Spanish, which
# CKAN merges over its own.
CHOICE_MESSAGES = (N_('unexpected choice "%s"'), N_("Value must be one of %s"))

def language_text(text) -> str:
    """A ``{es, en}`` text (or a plain one) in the request's language, by
    scheming's rule. Outside a request (scripts, ``call_action`` in tests)
    there is no language: English, like the untranslated msgids."""
    try:
        return scheming_language_text(text)
    except RuntimeError:
        return scheming_language_text(text, "en")

def _label(field: dict) -> str:
    return language_text(field.get("label") or field["field_name"])

def _schema_field(schema: dict, name: str) -> dict:
    """The definition of another field of the same schema (by name)."""
    for field in schema.get("dataset_fields", []) + schema.get("resource_fields", []):
        if field["field_name"] == name:
            return field
    return {"field_name": name}

def _empty(value) -> bool:
    return value is tk.missing or value is None or (isinstance(value, str) and not value.strip()) \
        or (isinstance(value, (list, tuple)) and not value)

def _sibling(key, name):
    return key[:-1] + (name,)

# ------------------------------------ normalising before scheming's choices
def _to_code(field):
    vocab = field.get("ogp_vocabulary")
    if vocab == "frequencies":
        return lambda v: vocabularies.normalise_frequency(v) or str(v).strip()
    if vocab == "countries":
        return lambda v: str(v).strip().upper()
    return lambda v: str(v).strip()

@scheming_validator
def ogp_code(field, schema):
    """Before ``scheming_choices``: the value as the code the choices use
    (a frequency's EU code from its code, URI or Spanish/English label)."""
    to_code = _to_code(field)

    def validator(value, context):
        return value if _empty(value) else to_code(value)
    return validator

@scheming_validator
def ogp_codes(field, schema):
    """Before ``scheming_multiple_choice``: the values sent (a list, a JSON
    list or a string separated by commas) as a list of codes, blanks dropped;
    the field's ``default`` when the key is absent."""
    to_code = _to_code(field)

    def validator(key, data, errors, context):
        value = data.get(key)
        if value is tk.missing:
            if not field.get("default"):
                return
            value = field["default"]
        data[key] = [to_code(v) for v in parse_codes(value, upper=False)]
    return validator

# -------------------------------------------------------------- formats
def ogp_email(value, context):
    if _empty(value):
        return ""
    value = str(value).strip()
    if not EMAIL.match(value):
        raise tk.Invalid(tk._("'%(value)s' is not a valid email address (example: datos@institucion.gob.gt)")
                         % {"value": value})
    return value

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
            raise tk.Invalid(tk._("'%(value)s' is not a valid date for '%(field)s'; use YYYY-MM-DD")
                             % {"value": value, "field": _label(field)})
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
            raise tk.Invalid(
                tk._("'%(value)s' is not a valid month for '%(field)s'; use YYYY-MM (e.g. 2024-03)")
                % {"value": value, "field": _label(field)})
        return value
    return validator

def ogp_reference_period(value, context):
    """A year, a month, or an interval of them: 2021, 2021-06, 2014/2015."""
    if _empty(value):
        return ""
    sent = str(value).strip()
    value = sent.replace(" ", "")
    if not REFERENCE_PERIOD.match(value):
        raise tk.Invalid(
            tk._("'%(value)s' is not a valid period; use YYYY, YYYY-MM or an interval such as 2014/2015")
            % {"value": sent})
    if "/" in value:
        start, end = value.split("/")
        if end < start:
            raise tk.Invalid(tk._("The period '%(value)s' ends before it starts") % {"value": value})
    return value

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
            raise tk.Invalid(tk._("'%(value)s' is not a whole number") % {"value": value})
        if minimum is not None and number < minimum:
            raise tk.Invalid(tk._("%(number)s is below the allowed minimum (%(minimum)s)")
                             % {"number": number, "minimum": minimum})
        if maximum is not None and number > maximum:
            raise tk.Invalid(tk._("%(number)s is above the allowed maximum (%(maximum)s)")
                             % {"number": number, "maximum": maximum})
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
            raise tk.Invalid(tk._("'%(value)s' is not a number") % {"value": value})
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise tk.Invalid(tk._("%(number)s is outside the allowed range (%(minimum)s to %(maximum)s)")
                             % {"number": number, "minimum": minimum, "maximum": maximum})
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
            raise tk.Invalid(tk._("'%(value)s' is not a valid amount (use digits, e.g. 125000.50)")
                             % {"value": value})
        if minimum is not None and number < Decimal(str(minimum)):
            if minimum == 0:
                raise tk.Invalid(tk._("The amount cannot be negative"))
            raise tk.Invalid(tk._("The amount is below %(minimum)s") % {"minimum": minimum})
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
            errors[key].append(tk._("The end date (%(end)s) is before the start date (%(start)s)")
                               % {"end": end, "start": start})
    return validator

def ogp_not_more_than(other):
    """This count is not larger than the count in field ``other``."""
    @scheming_validator
    def with_schema(field, schema):
        other_field = _schema_field(schema, other)

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
                errors[key].append(tk._("%(value)s cannot be larger than '%(other)s' (%(limit)s)")
                                   % {"value": this, "other": _label(other_field), "limit": limit})
        return validator
    return with_schema

def _choice_label(field: dict, value) -> str:
    for choice in field.get("choices", []):
        if choice["value"] == value:
            return language_text(choice["label"])
    return value

def ogp_required_when(other, value):
    """Required when field ``other`` has ``value``."""
    @scheming_validator
    def with_schema(field, schema):
        other_field = _schema_field(schema, other)

        def validator(key, data, errors, context):
            other_value = data.get(_sibling(key, other))
            # (``str(missing)`` would raise a stray "Missing value" on this field.)
            if not _empty(other_value) and str(other_value) == value and _empty(data.get(key)):
                errors[key].append(tk._("Required when '%(other)s' is '%(value)s'") % {
                    "other": _label(other_field), "value": _choice_label(other_field, value)})
        return validator
    return with_schema

# ------------------------------------------------------------ geography
def _codes_at(data, key, name):
    return parse_codes(data.get(_sibling(key, name)), upper=False)

def ogp_geo_level(key, data, errors, context):
    """nacional / departamental / municipal, consistent with the places given
    (after ``scheming_choices`` has checked the value itself)."""
    level = data.get(key)
    level = "" if _empty(level) else str(level).strip().lower()
    if errors.get(_sibling(key, "geo_departments")):
        # Validated first (navl goes alphabetically) and already rejected, its
        # bad codes dropped: "give at least one department" would mislead.
        return
    departments = _codes_at(data, key, "geo_departments")
    municipalities = _codes_at(data, key, "geo_municipalities")
    if level == "nacional" and (departments or municipalities):
        errors[key].append(tk._("With 'national' coverage no departments or municipalities are given; choose 'departmental' or 'municipal'"))
    elif level == "departamental" and not departments:
        errors[key].append(tk._("With 'departmental' coverage give at least one department"))
    elif level == "municipal" and not municipalities:
        errors[key].append(tk._("With 'municipal' coverage give at least one municipality"))

def ogp_geo_departments(key, data, errors, context):
    """INE department codes (or names); stored as codes. When none are given
    but municipalities are, their departments are filled in."""
    out = []
    for raw in parse_codes(data.get(key), upper=False):
        code = geo.find_department(raw)
        if not code:
            errors[key].append(tk._("'%(value)s' is not an INE department code (01 to 22)") % {"value": raw})
        elif code not in out:
            out.append(code)
    if not out and not errors[key]:
        for raw in _codes_at(data, key, "geo_municipalities"):
            dept = geo.department_of(geo.find_municipality(raw) or "")
            if dept and dept not in out:
                out.append(dept)
    data[key] = json.dumps(sorted(out))

def ogp_geo_municipalities(key, data, errors, context):
    """INE municipality codes; each must belong to one of the departments
    given (when departments are given)."""
    departments = {code for code in map(geo.find_department, _codes_at(data, key, "geo_departments"))
                   if code}
    out = []
    for raw in parse_codes(data.get(key), upper=False):
        code = geo.find_municipality(raw)
        if not code:
            errors[key].append(tk._("'%(value)s' is not an INE municipality code (4 digits, e.g. 0101)")
                               % {"value": raw})
            continue
        dept = geo.department_of(code)
        if departments and dept not in departments:
            errors[key].append(tk._("Municipality %(code)s (%(name)s) belongs to department %(department)s (%(department_name)s), which is not among the chosen departments") % {
                "code": code, "name": geo.municipality_name(code),
                "department": dept, "department_name": geo.department_name(dept)})
        elif code not in out:
            out.append(code)
    data[key] = json.dumps(sorted(out))

def get_validators() -> dict:
    return {
        f.__name__: f
        for f in (ogp_code, ogp_codes, ogp_email, ogp_date, ogp_month, ogp_reference_period,
                  ogp_integer, ogp_number, ogp_amount, ogp_not_before, ogp_not_more_than,
                  ogp_required_when, ogp_geo_level, ogp_geo_departments, ogp_geo_municipalities)
    }
