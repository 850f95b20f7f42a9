"""Readable dataset and resource pages: values as a person reads them.

The formatting is written once, as pure functions (no CKAN, no request):

- dates ``dd/mm/aaaa`` (:func:`format_date`), months ``marzo 2024`` /
  ``March 2024`` (:func:`format_month`), reference periods;
- amounts with their currency, ``Q 85,000,000.00`` for quetzales and the
  ISO code otherwise, ``USD 1,250.50`` (:func:`format_amount`); counts with
  thousands separators; percentages;
- coordinates ``14.6349° N, 90.5069° O``; Guatemala's bounding box;
- an OC4IDS project's budget against its final value (:func:`budget_progress`).

The template helpers below (``ogp_format_*``, ``ogp_project_summary``,
``ogp_resource_items``…) are thin: they take the page's language and
CKAN's schema and call those functions. The display snippets of the
dataset types (``templates/scheming/display_snippets/ogp_*.html``) call the
helpers; the outline of the departments the project map draws is served at
``/geo/departamentos.geojson`` (``data/geo/``, Natural Earth).
"""
from __future__ import annotations

import datetime
import decimal
import functools
import json
import os
import re

GEO_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "geo")
OUTLINE_FILE = os.path.join(GEO_DIR, "gt-departamentos.geojson")

# Currencies written with their symbol; every other one with its ISO code.
CURRENCY_SYMBOLS = {"GTQ": "Q"}
DEFAULT_CURRENCY = "GTQ"
# Amount field -> the field that holds its currency (the currency rows are
# not shown on their own: the amount carries it).
AMOUNT_CURRENCY = {
    "budget_amount": "budget_currency",
    "budget_executed": "budget_currency",
    "completion_final_value": "completion_final_currency",
}
# Hemisphere letters of a coordinate, per language (O = oeste).
HEMISPHERES = {"es": ("N", "S", "E", "O"), "en": ("N", "S", "E", "W")}

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEARS = re.compile(r"^(\d{4})\s*[/–-]\s*(\d{4})$")


# ------------------------------------------------------------------ pure
def is_empty(value) -> bool:
    """Nothing to show: None, blank text, an empty list/dict or "[]"."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in ("", "[]", "{}")
    if isinstance(value, (list, tuple, dict, set)):
        return all(is_empty(v) for v in value) if not isinstance(value, dict) else not value
    return False


def parse_date(value) -> datetime.date | None:
    """A date from ``YYYY-MM-DD`` (a time part is ignored) or a date object."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def format_date(value) -> str:
    """Guatemalan format: '2024-03-05' -> '05/03/2024'. Text that is not a
    date is returned as it is ('' for nothing)."""
    day = parse_date(value)
    if day:
        return day.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def format_month(value, lang: str = "es") -> str:
    """'2024-03' (or a full date) -> 'marzo 2024' / 'March 2024'."""
    from babel.dates import format_date as babel_date

    text = "" if value is None else str(value).strip()
    match = _MONTH.match(text)
    day = parse_date(text)
    if match and 1 <= int(match.group(2)) <= 12:
        day = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    if not day:
        return text
    return babel_date(day, "MMMM y", locale=_lang(lang))


def format_period(value, lang: str = "es") -> str:
    """A reference period: '2022' as is, '2022-06' as a month, '2014/2015'
    as '2014–2015', a full date as a date."""
    text = "" if value is None else str(value).strip()
    years = _YEARS.match(text)
    if years:
        return "%s–%s" % years.groups()
    if _MONTH.match(text):
        return format_month(text, lang)
    if parse_date(text):
        return format_date(text)
    return text


def as_decimal(value) -> decimal.Decimal | None:
    if isinstance(value, bool) or is_empty(value):
        return None
    try:
        number = decimal.Decimal(str(value).strip().replace(",", ""))
    except (decimal.InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_amount(value, currency: str | None = DEFAULT_CURRENCY) -> str:
    """'85000000' -> 'Q 85,000,000.00'; ('1250.5', 'USD') -> 'USD 1,250.50'.
    Text that is not a number is returned as it is."""
    number = as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    code = (currency or DEFAULT_CURRENCY).strip().upper()
    return "%s %s" % (CURRENCY_SYMBOLS.get(code, code), "{:,.2f}".format(number))


def format_number(value) -> str:
    """Counts with thousands separators: 12500 -> '12,500'; decimals kept."""
    number = as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if number == number.to_integral_value():
        return "{:,}".format(int(number))
    return "{:,}".format(number)


def format_percent(value) -> str:
    """95.04 -> '95 %', 7.25 -> '7.3 %' (one decimal under 10)."""
    number = float(value)
    text = "%.1f" % number if abs(number) < 10 and number != int(number) else "%d" % round(number)
    return "%s %%" % text


def format_coordinate(value, axis: str, lang: str = "es") -> str:
    """One coordinate with its hemisphere: (14.6349, 'lat') -> '14.6349° N',
    (-90.5069, 'lon') -> '90.5069° O' ('W' in English)."""
    north, south, east, west = HEMISPHERES[_lang(lang)]
    number = as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if axis == "lat":
        side = north if number >= 0 else south
    else:
        side = east if number >= 0 else west
    return "%s° %s" % (("%.4f" % abs(number)).rstrip("0").rstrip("."), side)


def format_coordinates(lat, lon, lang: str = "es") -> str:
    """(14.6349, -90.5069) -> '14.6349° N, 90.5069° O'; '' without both."""
    if as_decimal(lat) is None or as_decimal(lon) is None:
        return ""
    return "%s, %s" % (format_coordinate(lat, "lat", lang), format_coordinate(lon, "lon", lang))


def as_boolean(value) -> bool | None:
    """True/False from a boolean or its usual spellings; None otherwise."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in ("true", "yes", "si", "sí", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    return None


def budget_progress(budget, final) -> dict | None:
    """The final value against the budget: ``{"percent": 95.0, "bar": 95.0,
    "over": False}`` (``bar`` capped at 100), or None without both amounts
    or with a zero budget."""
    b, f = as_decimal(budget), as_decimal(final)
    if b is None or f is None or b <= 0:
        return None
    percent = float(f / b * 100)
    return {"percent": percent, "bar": min(percent, 100.0), "over": f > b}


@functools.lru_cache(maxsize=1)
def outline_bounds() -> tuple[float, float, float, float]:
    """(south, west, north, east) of the departments' outline."""
    with open(OUTLINE_FILE, encoding="utf-8") as f:
        features = json.load(f)["features"]
    lons, lats = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in features:
        walk(feature["geometry"]["coordinates"])
    return min(lats), min(lons), max(lats), max(lons)


def in_guatemala(lat, lon, margin: float = 0.25) -> bool:
    """Whether the point falls in (or just around) Guatemala's bounding box."""
    la, lo = as_decimal(lat), as_decimal(lon)
    if la is None or lo is None:
        return False
    south, west, north, east = outline_bounds()
    return (south - margin <= float(la) <= north + margin
            and west - margin <= float(lo) <= east + margin)


def in_lang(label, lang: str = "es") -> str:
    """A scheming label (text or {es, en}) in ``lang``, Spanish as fallback."""
    if isinstance(label, dict):
        return label.get(_lang(lang)) or label.get("es") or label.get("en") or ""
    return "" if label is None else str(label)


def choice_label(choices, value, lang: str = "es") -> str:
    """The label of ``value`` among scheming ``choices`` (the value itself
    when it is not one of them)."""
    for choice in choices or ():
        if choice.get("value") == value:
            return in_lang(choice.get("label"), lang) or str(value)
    return "" if value is None else str(value)


def _lang(lang) -> str:
    lang = (lang or "es")[:2].lower() if isinstance(lang, str) else "es"
    return lang if lang in HEMISPHERES else "es"


# ------------------------------------------------------- CKAN-facing part
def _page_lang() -> str:
    from ckanext.ogpguatemala.helpers import ogp_lang

    return ogp_lang()


def _field(dataset_type: str, field_name: str) -> dict | None:
    from ckanext.scheming.helpers import scheming_field_by_name, scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return scheming_field_by_name(schema.get("dataset_fields", []), field_name)


def field_choices(field) -> list[dict]:
    from ckanext.scheming.helpers import scheming_field_choices

    return (scheming_field_choices(field) or []) if field else []


def choice_labels(dataset_type: str, field_name: str, lang: str | None = None) -> dict:
    """value -> label in ``lang`` (the page's) of a field of a dataset type."""
    lang = lang or _page_lang()
    return {c["value"]: in_lang(c.get("label"), lang)
            for c in field_choices(_field(dataset_type, field_name))}


def _code_label(field, choices, value, lang) -> str:
    from ckanext.ogpguatemala import vocabularies

    if isinstance(value, str) and "://" in value and field.get("ogp_vocabulary"):
        value = vocabularies.by_uri(field["ogp_vocabulary"], value) or value
    return choice_label(choices, value, lang)


def ogp_choice_label(field, value) -> str:
    """A stored code as its label: a choice of the field, or a vocabulary
    URI (an EU frequency URI) read back as its code first."""
    return _code_label(field, field_choices(field), value, _page_lang())


def ogp_choice_labels(field, values) -> list[str]:
    """Several codes as labels, in the order of the field's choices (values
    that are not choices last, as they are)."""
    from ckanext.ogpguatemala.text import split_values

    choices, lang = field_choices(field), _page_lang()
    order = {c.get("value"): i for i, c in enumerate(choices)}
    values = sorted(split_values(values), key=lambda v: order.get(v, len(order)))
    return [_code_label(field, choices, v, lang) for v in values]


def ogp_place_names(field_name: str, values) -> list[str]:
    """INE codes as names: departments by name, municipalities as
    'Name (Department)'; unknown codes as they are."""
    from ckanext.ogpguatemala import geo
    from ckanext.ogpguatemala.text import split_values

    names = []
    for code in split_values(values):
        if field_name == "geo_municipalities" and geo.municipality_name(code):
            names.append("%s (%s)" % (geo.municipality_name(code),
                                      geo.department_name(geo.department_of(code))))
        else:
            names.append(geo.department_name(code) or geo.municipality_name(code) or code)
    return names


def ogp_format_date(value) -> str:
    return format_date(value)


def ogp_format_month(value) -> str:
    return format_month(value, _page_lang())


def ogp_format_period(value) -> str:
    return format_period(value, _page_lang())


def ogp_format_number(value) -> str:
    return format_number(value)


def ogp_field_amount(field_name: str, data: dict) -> str:
    """An amount field with the currency its dataset gives it."""
    currency = data.get(AMOUNT_CURRENCY.get(field_name, "")) or (
        data.get("budget_currency") if field_name == "completion_final_value" else None)
    return format_amount(data.get(field_name), currency or DEFAULT_CURRENCY)


def ogp_coordinate(value, field_name: str) -> str:
    return format_coordinate(value, "lat" if field_name == "latitude" else "lon", _page_lang())


def ogp_yes_no(value) -> str:
    import ckan.plugins.toolkit as tk

    flag = as_boolean(value)
    if flag is None:
        return "" if value is None else str(value)
    return tk._("Yes") if flag else tk._("No")


def ogp_is_empty(value) -> bool:
    return is_empty(value)


def ogp_project_summary(pkg: dict) -> dict:
    """What the project box of an OC4IDS dataset shows, ready to print."""
    from ckanext.ogpguatemala.text import split_values

    lang = _page_lang()
    kind = pkg.get("type") or "oc4ids-proyecto"

    def label(field_name):
        value = pkg.get(field_name)
        return choice_labels(kind, field_name, lang).get(value, value) if value else ""

    sectors = choice_labels(kind, "project_sector", lang)
    budget_currency = pkg.get("budget_currency") or DEFAULT_CURRENCY
    final_currency = pkg.get("completion_final_currency") or budget_currency
    budget = as_decimal(pkg.get("budget_amount"))
    final = as_decimal(pkg.get("completion_final_value"))
    same_currency = budget_currency.upper() == final_currency.upper()
    lat, lon = pkg.get("latitude"), pkg.get("longitude")
    has_point = as_decimal(lat) is not None and as_decimal(lon) is not None
    start, end = pkg.get("project_period_start"), pkg.get("project_period_end")
    return {
        "status": pkg.get("project_status") or "",
        "status_label": label("project_status"),
        "type_label": label("project_type"),
        "sectors": [sectors.get(s, s) for s in split_values(pkg.get("project_sector"))],
        "authority": pkg.get("public_authority") or "",
        "period": " – ".join(format_date(d) for d in (start, end) if d) if (start or end) else "",
        "completion_date": format_date(pkg.get("completion_end_date")),
        "budget": format_amount(budget, budget_currency) if budget is not None else "",
        "final": format_amount(final, final_currency) if final is not None else "",
        "progress": budget_progress(budget, final) if same_currency else None,
        "point": {
            "lat": str(as_decimal(lat)), "lon": str(as_decimal(lon)),
            "text": format_coordinates(lat, lon, lang),
            "in_guatemala": in_guatemala(lat, lon),
        } if has_point else None,
        "departments": split_values(pkg.get("geo_departments")),
        "places": (ogp_place_names("geo_municipalities", pkg.get("geo_municipalities"))
                   or ogp_place_names("geo_departments", pkg.get("geo_departments"))),
    }


def ogp_percent(value) -> str:
    return format_percent(value)


# Resource keys that say nothing to a reader (ids, internal state, the
# stored check results shown by their own box) or that the page shows in
# its own rows.
RESOURCE_HIDDEN = {
    "id", "package_id", "position", "state", "url_type", "has_views", "datastore_active",
    "datastore_contains_all_records_of_source_file", "cache_url", "cache_last_updated",
    "mimetype_inner", "tracking_summary", "ogp_check_status", "ogp_check_report",
    "ogp_check_fingerprint", "created", "metadata_modified", "last_modified", "format",
    "name", "description", "url", "resource_type", "hash",
}


def format_size(value) -> str:
    """Bytes as a reader reads them: 1155 -> '1.1 KB', 2500000 -> '2.4 MB'."""
    number = as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    size, unit = float(number), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            break
        size /= 1024
    return "%d %s" % (size, unit) if unit == "B" else "%.1f %s" % (size, unit)


def resource_value(key: str, value):
    """One extra field of a resource, readable (dates, sizes, numbers);
    booleans stay booleans, for the caller to say in the page's language."""
    if key == "size":
        return format_size(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        return format_number(value)
    if isinstance(value, str) and parse_date(value) and _DATE.match(value.strip()):
        return format_date(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def ogp_resource_items(res: dict) -> list[tuple[str, str]]:
    """The resource's other fields worth a row: not empty, not internal,
    dates dd/mm/aaaa, sizes and numbers readable, booleans as Sí/No."""
    import ckan.plugins.toolkit as tk

    labels = {"size": tk._("Size"), "mimetype": tk._("Media type")}
    rows = []
    for key, value in res.items():
        if key in RESOURCE_HIDDEN or key.startswith("_") or is_empty(value):
            continue
        shown = resource_value(key, value)
        if isinstance(shown, bool):
            shown = ogp_yes_no(shown)
        rows.append((labels.get(key) or key.replace("_", " ").capitalize(), shown))
    return sorted(rows)


def ogp_type_facet_names() -> list[str]:
    """The dataset types' facets (``search.TYPE_FACETS``)."""
    from ckanext.ogpguatemala import search

    return list(search.TYPE_FACETS)


@functools.lru_cache(maxsize=1)
def ogp_map_available() -> bool:
    """Whether Leaflet is installed (``npm ci`` in assets/, run by ``make``)."""
    return os.path.exists(os.path.join(os.path.dirname(os.path.dirname(__file__)), "assets",
                                       "node_modules", "leaflet", "dist", "leaflet.js"))


def outline():
    """``/geo/departamentos.geojson``: the departments' outline (Natural Earth)."""
    import flask

    response = flask.send_file(OUTLINE_FILE, mimetype="application/geo+json", max_age=86400)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def get_helpers() -> dict:
    return {f.__name__: f for f in (
        ogp_is_empty, ogp_format_date, ogp_format_month, ogp_format_period, ogp_format_number,
        ogp_field_amount, ogp_coordinate, ogp_yes_no, ogp_choice_label,
        ogp_choice_labels, ogp_place_names, ogp_project_summary, ogp_percent,
        ogp_resource_items, ogp_map_available, ogp_type_facet_names,
    )}


def get_blueprints() -> list:
    import flask

    bp = flask.Blueprint("ogp_display", __name__)
    bp.add_url_rule("/geo/departamentos.geojson", "outline", outline)
    return [bp]
