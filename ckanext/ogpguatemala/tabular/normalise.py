"""Normalising cells where the schema is strict (enums, codes, numbers).

Ministries write "H", "masculino", "EE.UU.", "Q 3,500.00", "Huehuetenango";
the schema wants "Hombre", "US", "3500.00", "13". :func:`normalise_columns`
rewrites the cells it recognises and leaves the rest as written, for
Frictionless to report. Values are compared through
:func:`ckanext.ogpguatemala.text.fold` (lower case, no accents, no
apostrophes, punctuation as spaces). Departments and municipalities by name
become INE codes through :mod:`ckanext.ogpguatemala.geo`.
"""
from __future__ import annotations

import re

from ckanext.ogpguatemala.tabular.schema import pattern
from ckanext.ogpguatemala.text import fold

# The codes the schema accepts (its pattern constraints).
DEPARTMENT_CODE = re.compile(pattern("departamento_origen"))
MUNICIPALITY_CODE = re.compile(pattern("municipio_origen"))

_SEXO = {
    "hombre": "Hombre", "hombres": "Hombre", "h": "Hombre", "masculino": "Hombre",
    "masc": "Hombre", "varon": "Hombre", "male": "Hombre", "man": "Hombre",
    "mujer": "Mujer", "mujeres": "Mujer", "femenino": "Mujer", "fem": "Mujer",
    "f": "Mujer", "female": "Mujer", "woman": "Mujer",
}
# "M" is Mujer in an H/M column and Masculino (Hombre) in an M/F column;
# decided per file (see normalise_columns), left as is when both or neither
# of H and F appear.

_MAYA_COMMUNITIES = (
    # The 22 Mayan linguistic communities, official and older spellings.
    "achi", "akateka", "akateko", "acateco", "awakateka", "awakateko", "aguacateco",
    "chalchiteka", "chalchiteko", "chalchiteco", "chorti", "chuj", "itza", "ixil",
    "jakalteka", "jakalteko", "jacalteco", "popti", "kiche", "quiche", "kaqchikel",
    "cakchiquel", "mam", "mopan", "poqomam", "pocomam", "poqomchi", "pocomchi",
    "qanjobal", "kanjobal", "qeqchi", "kekchi", "sakapulteka", "sakapulteko",
    "sacapulteco", "sipakapense", "sipacapense", "tektiteka", "tektiteko",
    "tectiteco", "tzutujil", "tzutuhil", "uspanteka", "uspanteko", "uspanteco",
)
_IDENTIDAD = {
    **{k: "Maya" for k in ("maya", "mayas", "pueblo maya", *_MAYA_COMMUNITIES)},
    **{k: "Garífuna" for k in ("garifuna", "garifunas", "pueblo garifuna")},
    **{k: "Xinka" for k in ("xinka", "xinca", "xinkas", "xincas", "pueblo xinka", "pueblo xinca")},
    **{
        k: "Ladino/Mestizo"
        for k in (
            "ladino", "ladina", "ladinos", "ladinas", "mestizo", "mestiza", "mestizos",
            "ladino mestizo", "ladina mestiza", "mestizo ladino", "mestiza ladina",
            "ladino a", "mestizo a", "ladino a mestizo a",
        )
    },
    # INE 2018 lists Afrodescendiente/Creole/Afromestizo and Extranjero as
    # their own categories; this report's list folds them into "Otro".
    **{
        k: "Otro"
        for k in (
            "otro", "otra", "otros", "otras", "other", "afrodescendiente",
            "afro descendiente", "creole", "afromestizo", "afromestiza",
            "extranjero", "extranjera",
        )
    },
}

# Destination countries written as names or alpha-3 codes; any alpha-2 code
# in any case is accepted as such.
_PAIS = {
    **dict.fromkeys(
        ("usa", "eeuu", "ee uu", "e e u u", "eua", "e u a", "estados unidos",
         "estados unidos de america", "united states", "united states of america"),
        "US",
    ),
    **dict.fromkeys(("can", "canada"), "CA"),
    **dict.fromkeys(("mex", "mexico"), "MX"),
    **dict.fromkeys(("esp", "espana", "spain"), "ES"),
    **dict.fromkeys(("gtm", "guatemala"), "GT"),
    **dict.fromkeys(("slv", "el salvador"), "SV"),
    **dict.fromkeys(("hnd", "honduras"), "HN"),
    **dict.fromkeys(("blz", "belice", "belize"), "BZ"),
    **dict.fromkeys(("cri", "costa rica"), "CR"),
    **dict.fromkeys(("pan", "panama"), "PA"),
    **dict.fromkeys(("nic", "nicaragua"), "NI"),
    **dict.fromkeys(("deu", "alemania", "germany"), "DE"),
    **dict.fromkeys(("kor", "corea", "corea del sur", "republica de corea", "south korea"), "KR"),
    **dict.fromkeys(("isr", "israel"), "IL"),
    **dict.fromkeys(("gbr", "reino unido", "united kingdom"), "GB"),
}

# Keys with symbols ("q.", "us$", "€") are matched as written (lower case).
_MONEDA = {
    **dict.fromkeys(("q", "q.", "gtq", "quetzal", "quetzales"), "GTQ"),
    **dict.fromkeys(
        ("$", "us$", "usd", "dolar", "dolares", "dolar estadounidense",
         "dolares estadounidenses", "us dollar", "us dollars"),
        "USD",
    ),
    **dict.fromkeys(("cad", "cad$", "c$", "dolar canadiense", "dolares canadienses"), "CAD"),
    **dict.fromkeys(("mxn", "peso mexicano", "pesos mexicanos"), "MXN"),
    **dict.fromkeys(("eur", "€", "euro", "euros"), "EUR"),
}

_H2_RE = re.compile(r"^h\s*-?\s*2\s*-?\s*([ab])$", re.I)
_EDAD_RE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(?:a[nñ]os?)?\.?$", re.I)
_MONEY_RE = re.compile(
    r"^(?P<sign>-)?\s*(?:us\$|cad\$|c\$|q\.?|gtq|usd|cad|mxn|eur|€|\$)?\s*"
    r"(?P<neg>-)?\s*(?P<num>\d[\d.,\s\u00a0\u202f]*)\s*"
    r"(?:q|gtq|usd|cad|mxn|eur|€|quetzales|d[oó]lares)?\.?$",
    re.I,
)
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$|\.\d{3},\d{1,2}$")


def _lookup(table: dict[str, str], value: str) -> str | None:
    found = table.get(value.strip().lower())
    if found is None:
        found = table.get(fold(value))
    return found


def _norm_identidad(value: str) -> str:
    found = _lookup(_IDENTIDAD, value)
    if found:
        return found
    # "Maya K'iche'", "Maya - Mam", "Pueblo Maya Q'eqchi'"
    words = fold(value).split()
    if words and ("maya" in words[:2]) and len(words) <= 4:
        return "Maya"
    return value


def _norm_pais(value: str) -> str:
    text = value.strip()
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text.upper()
    return _lookup(_PAIS, text) or value


def _norm_moneda(value: str) -> str:
    text = value.strip()
    found = _lookup(_MONEDA, text)
    if found:
        return found
    if len(text) == 3 and text.isalpha() and text.isascii():
        return text.upper()
    return value


def _norm_visa(value: str) -> str:
    text = " ".join(value.split())
    match = _H2_RE.match(text)
    if match:
        return "H-2" + match.group(1).upper()
    if text.lower() == "tn":
        return "TN"
    return text


def _norm_edad(value: str) -> str:
    match = _EDAD_RE.match(value.strip())
    return str(int(match.group(1))) if match else value


def _norm_salario(value: str, comma_decimal: bool) -> str:
    """'Q 3,500.00' -> '3500.00'; '3.500,50' -> '3500.50'; '$15.81' -> '15.81';
    '-100' stays negative (caught by the minimum). Unparseable: unchanged."""
    text = value.strip()
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    match = _MONEY_RE.match(text)
    if not match:
        return value
    negative = bool(match.group("sign") or match.group("neg"))
    num = re.sub(r"[\s\u00a0\u202f]", "", match.group("num"))
    has_dot, has_comma = "." in num, "," in num
    if has_dot and has_comma:
        decimal = "." if num.rfind(".") > num.rfind(",") else ","
    elif has_comma or has_dot:
        sep = "," if has_comma else "."
        parts = num.split(sep)
        grouped = len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        if len(parts) > 2:
            decimal = None if grouped else "?"
        elif grouped and (sep == "," or comma_decimal):
            # "3,500" is three thousand five hundred; so is "3.500" in a
            # column that writes decimals with a comma.
            decimal = None
        else:
            decimal = sep
        if decimal == "?":
            return value
    else:
        decimal = None
    if decimal is None:
        digits = num.replace(".", "").replace(",", "")
    else:
        group = "," if decimal == "." else "."
        whole, _, frac = num.replace(group, "").rpartition(decimal)
        if not whole or not frac or decimal in whole:
            return value
        digits = whole + "." + frac
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        return value
    return ("-" if negative else "") + digits


def _map_cells(col: list[str], func) -> None:
    """Apply ``func`` to the non-empty cells of ``col`` (once per distinct value)."""
    memo: dict[str, str] = {}
    for i, v in enumerate(col):
        if v:
            if v not in memo:
                memo[v] = func(v)
            col[i] = memo[v]


def _normalise_sexo(col: list[str], state: dict) -> set[int]:
    """Normalise in place; the indexes whose "M" stays ambiguous."""
    ambiguous: set[int] = set()
    keys = state.setdefault("sexo", set())
    keys.update(k for k in {fold(v) for v in col if v} if k in ("h", "f"))
    m_is = None
    if "h" in keys and "f" not in keys:
        m_is = "Mujer"
    elif "f" in keys and "h" not in keys:
        m_is = "Hombre"
    for i, v in enumerate(col):
        if not v:
            continue
        if fold(v) == "m":
            if m_is:
                col[i] = m_is
            else:
                ambiguous.add(i)
        else:
            col[i] = _lookup(_SEXO, v) or v
    return ambiguous


def normalise_columns(columns: dict[str, list[str]], state: dict | None = None) -> set[int]:
    """Normalise the cells ({field: cells}) in place; returns the data
    indexes (0-based) whose sexo value is an ambiguous "M".

    A file read in chunks passes the same ``state`` (a dict) with each: the
    conventions decided per column (M for Mujer or Masculino, a decimal
    comma) then hold from the first chunk that shows them to the end."""
    state = {} if state is None else state
    ambiguous = _normalise_sexo(columns["sexo"], state) if "sexo" in columns else set()
    for field, func in (
        ("identidad_cultural", _norm_identidad),
        ("pais_destino", _norm_pais),
        ("moneda_salario", _norm_moneda),
        ("tipo_visa", _norm_visa),
        ("edad", _norm_edad),
    ):
        if field in columns:
            _map_cells(columns[field], func)
    if "salario" in columns:
        col = columns["salario"]
        comma_decimal = state["comma"] = state.get("comma") or any(
            _DECIMAL_COMMA.search(v) for v in col if v)
        for i, v in enumerate(col):
            if v:
                col[i] = _norm_salario(v, comma_decimal)
    _normalise_places(columns)
    return ambiguous


def _department_code(value: str, find_department) -> str:
    code = None
    if value.isdigit() and len(value) < 2:
        code = value.zfill(2)
    elif find_department is not None and not value.isdigit():
        code = find_department(value)
    return code or value


def _municipality_code(value: str, dep: str | None, find_municipality) -> str:
    if value.isdigit():
        return value.zfill(4) if len(value) == 3 else value
    if find_municipality is None:
        return value
    code = None
    try:
        if dep:
            code = find_municipality(value, dep)
        if code is None:
            code = find_municipality(value)
    except Exception:  # noqa: BLE001 - a look-up must not break the check
        code = None
    return code or value


def _normalise_places(columns: dict[str, list[str]]) -> None:
    from ckanext.ogpguatemala import geo  # lazy: reads the INE list once

    find_department = getattr(geo, "find_department", None)
    find_municipality = getattr(geo, "find_municipality", None)
    deps = columns.get("departamento_origen")
    muns = columns.get("municipio_origen")
    if deps is not None:
        memo: dict[str, str] = {}
        for i, v in enumerate(deps):
            if v and not DEPARTMENT_CODE.match(v):
                if v not in memo:
                    memo[v] = _department_code(v, find_department)
                deps[i] = memo[v]
    if muns is not None:
        for i, v in enumerate(muns):
            if v and not MUNICIPALITY_CODE.match(v):
                dep = deps[i] if deps is not None else None
                dep = dep if dep and DEPARTMENT_CODE.match(dep) else None
                muns[i] = _municipality_code(v, dep, find_municipality)
