"""Tabular check of MINTRAB's monthly labour-mobility report.

6th Open Government Action Plan, commitment 6, milestone 2: a monthly report
with, per worker, destination country, sex, visa type, age, sector, work
performed, self-identified cultural identity, wage and place of origin
(department and municipality). The columns, types and constraints are the
Frictionless Table Schema in ``data/mintrab-movilidad.tableschema.json``.

:func:`validate_report` takes the file as ministries produce it and returns a
plain, JSON-serialisable result; it never raises for a bad file.

Pipeline
--------
1. Read (size limit first), recognise the format by content: XLSX (zip),
   known binary formats (rejected), or delimited text.
2. Text: UTF-8 (with or without BOM), then Windows-1252; UTF-16 with BOM
   (Excel's "Unicode text"). Delimiter sniffed among ``,`` ``;`` tab ``|``;
   an Excel ``sep=;`` first line is honoured.
3. Header: the first row (within the first 20 non-blank rows) that names at
   least three report columns, so title rows above the table are skipped.
   Labels are compared without case, accents, punctuation, bracketed notes
   ("Salario (Q)") or filler words ("de", "código"), and through the
   synonyms in :data:`HEADER_SYNONYMS`. Unknown columns are ignored.
4. Cells are trimmed and normalised where the schema is strict (enums,
   codes, numbers): see :func:`_normalise_columns`.
5. Frictionless validates the normalised rows against the schema; then the
   municipality/department cross-check runs on the normalised values.

Row numbers are those a person sees in a spreadsheet: the file's first
row is 1 (normally the header), each CSV record is one row.

Pure Python: no CKAN imports. ``geo`` (INE codes) is imported lazily.
"""
from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import json
import logging
import os
import re
import unicodedata
from collections import Counter
from typing import Any, Iterable

from ckanext.ogpguatemala.messages import Message

log = logging.getLogger(__name__)

__all__ = [
    "SCHEMA_PATH",
    "MAX_BYTES",
    "MAX_ERRORS",
    "MAX_XLSX_CELLS",
    "HEADER_SYNONYMS",
    "OPTIONAL_COLUMNS",
    "load_schema",
    "validate_report",
]

SCHEMA_PATH = os.path.join(
    os.path.dirname(__file__), "data", "mintrab-movilidad.tableschema.json"
)
MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 100
# A 20 MB XLSX can unzip to far more: stop reading the sheet past this many
# cells (a 50,000-row report with a dozen columns is 600,000).
MAX_XLSX_CELLS = 5_000_000

# Columns the file may leave out altogether. Every other schema field is a
# column the report must have (its cells may still be optional:
# trabajo_realizado is not "required" in the schema).
OPTIONAL_COLUMNS = frozenset({"moneda_salario"})

# A header row must name at least this many report columns to be taken for
# the header when it is not the first non-blank row.
_MIN_HEADER_MATCHES = 3
_HEADER_SCAN_ROWS = 20

# Header label -> field. Keys are compared after _label_key() (lower case,
# no accents, bracketed notes and filler words removed, words joined by "_"),
# so "País de destino", "PAIS DESTINO" and "pais_destino" are one key. Each
# field's own name and schema title are accepted too.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "pais_destino": (
        "pais_destino", "pais", "destino", "pais_trabajo", "pais_labora",
        "pais_donde_labora", "pais_empleo", "destination", "country",
        "destination_country", "country_destination", "country_work",
    ),
    "sexo": ("sexo", "genero", "sex", "gender"),
    "tipo_visa": (
        "tipo_visa", "visa", "tipo_visado", "visado", "clase_visa",
        "categoria_visa", "visa_type", "type_visa",
    ),
    "edad": ("edad", "edad_anos", "anos", "age"),
    "sector": (
        "sector", "sector_economico", "sector_actividad", "rama_actividad",
        "actividad_economica", "economic_sector", "industry",
    ),
    "trabajo_realizado": (
        "trabajo_realizado", "trabajo", "trabajo_desempena", "trabajo_que_desempena",
        "trabajo_realizar", "ocupacion", "puesto", "puesto_trabajo", "oficio",
        "labor", "labor_realizada", "actividad_realizada", "work_performed",
        "work", "occupation", "job",
    ),
    "identidad_cultural": (
        "identidad_cultural", "pertenencia_cultural", "identidad_cultural_autoidentificada",
        "pertenencia_cultural_autoidentificada", "autoidentificacion",
        "autoidentificacion_cultural", "autoidentificacion_etnica",
        "pertenencia_etnica", "pertenencia_sociocultural", "etnia", "grupo_etnico",
        "pueblo", "pueblo_pertenencia", "cultural_identity", "ethnicity",
    ),
    "salario": (
        "salario", "salarios", "sueldo", "salario_mensual", "salario_hora",
        "salario_por_hora", "salario_devengado", "remuneracion", "ingreso",
        "wage", "wages", "salary", "pay",
    ),
    "moneda_salario": (
        "moneda_salario", "moneda", "divisa", "tipo_moneda", "currency",
        "wage_currency", "salary_currency",
    ),
    "departamento_origen": (
        "departamento_origen", "departamento", "depto", "depto_origen",
        "departamento_procedencia", "procedencia_departamento",
        "department", "department_origin", "origin_department",
    ),
    "municipio_origen": (
        "municipio_origen", "municipio", "muni", "municipio_procedencia",
        "procedencia_municipio", "municipality", "municipality_origin",
        "origin_municipality",
    ),
}

# Words dropped from header labels before comparison. "código" is dropped so
# that "Código de municipio" finds municipio_origen; when a file has both a
# code column and a name column for the same field the code column wins.
_LABEL_FILLER = frozenset(
    "de del la el los las en y o a al por the of in".split()
)
_LABEL_CODE_WORDS = frozenset({"codigo", "cod", "code", "no", "num", "numero"})

# Value variants, compared after _value_key() (lower case, no accents, no
# apostrophes, punctuation as spaces).
_SEXO = {
    "hombre": "Hombre", "hombres": "Hombre", "h": "Hombre", "masculino": "Hombre",
    "masc": "Hombre", "varon": "Hombre", "male": "Hombre", "man": "Hombre",
    "mujer": "Mujer", "mujeres": "Mujer", "femenino": "Mujer", "fem": "Mujer",
    "f": "Mujer", "female": "Mujer", "woman": "Mujer",
}
# "M" is Mujer in an H/M column and Masculino (Hombre) in an M/F column;
# decided per file (see _normalise_columns), left as is when both or neither
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

_DEP_RE = re.compile(r"^(0[1-9]|1[0-9]|2[0-2])$")
_MUN_RE = re.compile(r"^\d{4}$")
_H2_RE = re.compile(r"^h\s*-?\s*2\s*-?\s*([ab])$", re.I)
_EDAD_RE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(?:a[nñ]os?)?\.?$", re.I)
_MONEY_RE = re.compile(
    r"^(?P<sign>-)?\s*(?:us\$|cad\$|c\$|q\.?|gtq|usd|cad|mxn|eur|€|\$)?\s*"
    r"(?P<neg>-)?\s*(?P<num>\d[\d.,\s\u00a0\u202f]*)\s*"
    r"(?:q|gtq|usd|cad|mxn|eur|€|quetzales|d[oó]lares)?\.?$",
    re.I,
)

_BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "XLS/DOC (OLE2)"),
    (b"\x1f\x8b", "GZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
)


# ---------------------------------------------------------------------------
# Result and messages

class _Errors:
    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, row: int | None, column: str | None, code: str, message: Message) -> None:
        self.items.append(
            {"row": row, "column": column, "code": code, "message": message._asdict()}
        )


def _result(fmt, encoding, delimiter, rows, errors: list[dict], truncated=False) -> dict:
    result = {
        "valid": not errors,
        "rows": rows,
        "encoding": encoding,
        "delimiter": delimiter,
        "format": fmt,
        "errors": errors,
        "checked_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if truncated:
        result["truncated"] = True
    return result


def _fail(code: str, message: Message, fmt=None, encoding=None, delimiter=None) -> dict:
    errors = _Errors()
    errors.add(None, None, code, message)
    return _result(fmt, encoding, delimiter, 0, errors.items)


_M = Message
MSG = {
    "file-too-large": _M(
        "El archivo pesa {size} MB y el máximo es {limit} MB.",
        "The file is {size} MB; the limit is {limit} MB.",
    ),
    "too-many-cells": _M(
        "La hoja tiene más de {limit} celdas; divida el reporte o guárdelo como CSV.",
        "The sheet has more than {limit} cells; split the report or save it as CSV.",
    ),
    "internal-error": _M(
        "No se pudo completar la revisión del archivo por un error interno; "
        "avise al equipo del portal.",
        "The file check could not be completed because of an internal error; "
        "please tell the portal team.",
    ),
    "file-not-found": _M("No se encontró el archivo «{path}».", "File not found: '{path}'."),
    "source-error": _M("No se pudo leer el archivo: {detail}", "The file could not be read: {detail}"),
    "empty-file": _M("El archivo está vacío.", "The file is empty."),
    "not-tabular": _M(
        "El archivo no es una tabla CSV ni XLSX (parece {kind}). Guárdelo como CSV o XLSX.",
        "The file is not a CSV or XLSX table (it looks like {kind}). Save it as CSV or XLSX.",
    ),
    "xls-not-supported": _M(
        "El formato Excel antiguo (.xls) no se admite. Guárdelo como .xlsx o CSV.",
        "The old Excel format (.xls) is not supported. Save it as .xlsx or CSV.",
    ),
    "invalid-xlsx": _M(
        "No se pudo abrir el archivo como libro XLSX ({detail}). Guárdelo como .xlsx o CSV.",
        "The file could not be opened as an XLSX workbook ({detail}). Save it as .xlsx or CSV.",
    ),
    "encoding-error": _M(
        "No se pudo leer el texto: no es UTF-8 ni Windows-1252. Guarde el archivo como CSV UTF-8.",
        "The text could not be read: it is neither UTF-8 nor Windows-1252. Save the file as UTF-8 CSV.",
    ),
    "malformed-csv": _M(
        "El CSV está mal formado cerca de la fila {row}: {detail}",
        "The CSV is malformed near row {row}: {detail}",
    ),
    "no-header": _M(
        "No se encontró una fila de encabezados con las columnas del reporte "
        "(p. ej. {examples}). La primera fila debe contener los nombres de las columnas.",
        "No header row with the report's columns was found "
        "(e.g. {examples}). The first row must hold the column names.",
    ),
    "no-data-rows": _M(
        "El archivo tiene encabezados pero ninguna fila de datos.",
        "The file has a header but no data rows.",
    ),
    "missing-label": _M(
        "Falta la columna obligatoria «{field}» ({title_es}).",
        "The required column '{field}' ({title_en}) is missing.",
    ),
    "duplicate-label": _M(
        "La columna «{label}» repite «{field}», que ya da la columna «{first}»; se usa solo la primera.",
        "Column '{label}' repeats '{field}', already given by column '{first}'; only the first is used.",
    ),
    "extra-cell": _M(
        "Fila {row}: tiene más celdas ({cells}) que encabezados ({labels}); "
        "revise separadores o comillas.",
        "Row {row}: it has more cells ({cells}) than header labels ({labels}); "
        "check delimiters or quoting.",
    ),
    "unclosed-quote": _M(
        "Fila {row}: una celda ocupa {lines} líneas y contiene separadores; "
        "probablemente falta cerrar unas comillas (\").",
        "Row {row}: a cell spans {lines} lines and contains delimiters; "
        "a quotation mark (\") was probably left open.",
    ),
    "blank-row": _M(
        "Fila {row}: está vacía en todas las columnas del reporte.",
        "Row {row}: every report column is empty.",
    ),
    "required": _M(
        "Fila {row}, columna «{field}»: la celda está vacía y el dato es obligatorio.",
        "Row {row}, column '{field}': the cell is empty and the value is required.",
    ),
    "enum": _M(
        "Fila {row}, columna «{field}»: «{value}» no es un valor admitido; use {allowed_es}.",
        "Row {row}, column '{field}': '{value}' is not an accepted value; use {allowed_en}.",
    ),
    "enum-sexo-ambiguous": _M(
        "Fila {row}, columna «{field}»: «{value}» es ambiguo (¿Mujer o Masculino?) porque la "
        "columna no usa de forma consistente H/M ni M/F; escriba «Hombre» o «Mujer».",
        "Row {row}, column '{field}': '{value}' is ambiguous (Mujer or Masculino?) because the "
        "column does not consistently use H/M or M/F; write 'Hombre' or 'Mujer'.",
    ),
    "minimum": _M(
        "Fila {row}, columna «{field}»: {value} es menor que el mínimo permitido ({limit}).",
        "Row {row}, column '{field}': {value} is below the allowed minimum ({limit}).",
    ),
    "maximum": _M(
        "Fila {row}, columna «{field}»: {value} es mayor que el máximo permitido ({limit}).",
        "Row {row}, column '{field}': {value} is above the allowed maximum ({limit}).",
    ),
    "pattern": _M(
        "Fila {row}, columna «{field}»: «{value}» no es {what_es}.",
        "Row {row}, column '{field}': '{value}' is not {what_en}.",
    ),
    "constraint": _M(
        "Fila {row}, columna «{field}»: «{value}» no cumple la restricción {constraint}.",
        "Row {row}, column '{field}': '{value}' breaks the {constraint} constraint.",
    ),
    "type-integer": _M(
        "Fila {row}, columna «{field}»: «{value}» no es un número entero.",
        "Row {row}, column '{field}': '{value}' is not a whole number.",
    ),
    "type-number": _M(
        "Fila {row}, columna «{field}»: «{value}» no es un número.",
        "Row {row}, column '{field}': '{value}' is not a number.",
    ),
    "type": _M(
        "Fila {row}, columna «{field}»: «{value}» no es del tipo {type}.",
        "Row {row}, column '{field}': '{value}' is not of type {type}.",
    ),
    "unknown-municipality": _M(
        "Fila {row}, columna «municipio_origen»: {value} no es un código de municipio del INE.",
        "Row {row}, column 'municipio_origen': {value} is not an INE municipality code.",
    ),
    "municipality-department-mismatch": _M(
        "Fila {row}, columna «municipio_origen»: el municipio {value} ({name}) pertenece al "
        "departamento {mun_dep} ({mun_dep_name}), no al {dep} ({dep_name}).",
        "Row {row}, column 'municipio_origen': municipality {value} ({name}) belongs to "
        "department {mun_dep} ({mun_dep_name}), not {dep} ({dep_name}).",
    ),
    "other": _M(
        "Fila {row}, columna «{field}»: {note}",
        "Row {row}, column '{field}': {note}",
    ),
}

_ENUM_HINT = {
    # field -> (Spanish, English) description of the accepted values, where
    # listing the enum would not help.
    "pais_destino": (
        "un código de país ISO 3166-1 alfa-2 (p. ej. US, CA, MX)",
        "an ISO 3166-1 alpha-2 country code (e.g. US, CA, MX)",
    ),
    "moneda_salario": (
        "un código de moneda ISO 4217 (p. ej. USD, CAD, GTQ)",
        "an ISO 4217 currency code (e.g. USD, CAD, GTQ)",
    ),
}
_PATTERN_HINT = {
    "departamento_origen": (
        "un código de departamento del INE de 2 dígitos (01 a 22) ni un nombre de departamento",
        "a 2-digit INE department code (01 to 22) or a department name",
    ),
    "municipio_origen": (
        "un código de municipio del INE de 4 dígitos (p. ej. 1301) ni un nombre de municipio del departamento",
        "a 4-digit INE municipality code (e.g. 1301) or the name of a municipality in the department",
    ),
}


# ---------------------------------------------------------------------------
# Schema

@functools.lru_cache(maxsize=1)
def _schema_descriptor() -> str:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return f.read()


def load_schema() -> dict:
    """The report's Table Schema descriptor (a fresh copy)."""
    return json.loads(_schema_descriptor())


@functools.lru_cache(maxsize=1)
def _fields() -> dict[str, dict]:
    return {f["name"]: f for f in load_schema()["fields"]}


@functools.lru_cache(maxsize=1)
def _label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, field in _fields().items():
        for label in (name, field.get("title", ""), *HEADER_SYNONYMS.get(name, ())):
            key = _label_key(label)[0]
            if key:
                index.setdefault(key, name)
    return index


# ---------------------------------------------------------------------------
# Normalisation helpers

def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]")


def _label_key(label: str) -> tuple[str, bool]:
    """('pais_destino', False) for ' País de destino '; the flag tells
    whether the label spoke of a code ("Código de municipio")."""
    text = _strip_accents(str(label).lower())
    stripped = _BRACKETS.sub(" ", text)
    if _NON_WORD.sub("", stripped):
        text = stripped
    words = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    is_code = any(w in _LABEL_CODE_WORDS for w in words)
    words = [w for w in words if w not in _LABEL_FILLER and w not in _LABEL_CODE_WORDS]
    return "_".join(words), is_code


@functools.lru_cache(maxsize=4096)
def _value_key(value: str) -> str:
    text = _strip_accents(value.lower())
    return " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split())


def _lookup(table: dict[str, str], value: str) -> str | None:
    found = table.get(value.strip().lower())
    if found is None:
        found = table.get(_value_key(value))
    return found


def _norm_identidad(value: str) -> str:
    found = _lookup(_IDENTIDAD, value)
    if found:
        return found
    key = _value_key(value)
    # "Maya K'iche'", "Maya - Mam", "Pueblo Maya Q'eqchi'"
    words = key.split()
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


_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$|\.\d{3},\d{1,2}$")


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


# ---------------------------------------------------------------------------
# Reading

class _Problem(Exception):
    """A file-level problem: becomes the result's single error."""

    def __init__(self, code: str, message: Message, fmt=None, encoding=None, delimiter=None):
        super().__init__(code)
        self.code, self.message = code, message
        self.fmt, self.encoding, self.delimiter = fmt, encoding, delimiter


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _read_source(source, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            raise _Problem("file-not-found", MSG["file-not-found"].format(path=path))
        except OSError as exc:
            raise _Problem("source-error", MSG["source-error"].format(detail=exc.strerror or exc))
        if size > max_bytes:
            raise _Problem(
                "file-too-large",
                MSG["file-too-large"].format(size=_mb(size), limit=_mb(max_bytes)),
            )
        try:
            with open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as exc:
            raise _Problem("source-error", MSG["source-error"].format(detail=exc.strerror or exc))
    elif hasattr(source, "read"):
        try:
            data = source.read(max_bytes + 1)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad source
            raise _Problem("source-error", MSG["source-error"].format(detail=exc))
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise _Problem(
            "source-error",
            MSG["source-error"].format(detail=f"unsupported source {type(source).__name__}"),
        )
    if len(data) > max_bytes:
        raise _Problem(
            "file-too-large",
            MSG["file-too-large"].format(size=_mb(len(data)), limit=_mb(max_bytes)),
        )
    return data


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise _Problem("encoding-error", MSG["encoding-error"], fmt="csv")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _Problem("encoding-error", MSG["encoding-error"], fmt="csv")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _Problem("encoding-error", MSG["encoding-error"], fmt="csv")


_CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample into the most rows of one,
    widest, length (ties: the order above)."""
    best, best_score = ",", (0, 0)
    sample = [line for line in lines if line.strip()]
    for delim in _CANDIDATE_DELIMITERS:
        try:
            lengths = [len(r) for r in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        counts = Counter(n for n in lengths if n > 1)
        if not counts:
            continue
        width, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (freq, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(data: bytes) -> tuple[list[list[str]], str, str]:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise _Problem("not-tabular", MSG["not-tabular"].format(kind="binario / binary"))
    lines = text.splitlines()
    skip = 0
    delimiter = None
    if lines and re.fullmatch(r'"?sep=(.)"?\s*', lines[0], re.I):
        delimiter = re.fullmatch(r'"?sep=(.)"?\s*', lines[0], re.I).group(1)
        skip = 1
    if delimiter is None:
        delimiter = _sniff_delimiter(lines[:50])
    # No cell can be longer than the text. (Frictionless raises this
    # process-wide limit to 2**31 when its CSV parser is imported; raising it
    # here too keeps the result independent of import order.)
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    rows: list[list[str]] = [[] for _ in range(skip)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for i, row in enumerate(reader):
            if i < skip:
                continue
            rows.append(row)
    except csv.Error as exc:
        raise _Problem(
            "malformed-csv",
            MSG["malformed-csv"].format(row=len(rows) + 1, detail=exc),
            fmt="csv", encoding=encoding, delimiter=delimiter,
        )
    return rows, encoding, delimiter


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a requirement
        raise _Problem("invalid-xlsx", MSG["invalid-xlsx"].format(detail="openpyxl missing"), fmt="xlsx")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/XML errors of all kinds
        raise _Problem(
            "invalid-xlsx", MSG["invalid-xlsx"].format(detail=type(exc).__name__), fmt="xlsx"
        )
    try:
        if not wb.worksheets:
            return []
        ws = wb.worksheets[0]
        rows: list[list[str]] = []
        budget = MAX_XLSX_CELLS
        for row in ws.iter_rows(min_row=1, values_only=True):
            budget -= len(row)
            if budget < 0:
                raise _Problem("file-too-large", MSG["too-many-cells"].format(
                    limit=f"{MAX_XLSX_CELLS:,}".replace(",", " ")), fmt="xlsx")
            rows.append([_xlsx_cell(v) for v in row])
        return rows
    except _Problem:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _Problem(
            "invalid-xlsx", MSG["invalid-xlsx"].format(detail=type(exc).__name__), fmt="xlsx"
        )
    finally:
        wb.close()


def _guess_format(filename: str) -> str | None:
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".csv", ".txt", ".tsv", ""):
        return "csv"
    return None


def _read_table(data: bytes, filename: str) -> tuple[list[list[str]], str, str, str | None]:
    """(rows, format, encoding, delimiter)"""
    guess = _guess_format(filename)
    if not data:
        raise _Problem("empty-file", MSG["empty-file"], fmt=guess)
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(data), "xlsx", "utf-8", None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Problem("xls-not-supported", MSG["xls-not-supported"])
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise _Problem("not-tabular", MSG["not-tabular"].format(kind=kind))
    if guess == "xlsx":
        raise _Problem("invalid-xlsx", MSG["invalid-xlsx"].format(detail="not a zip"), fmt="xlsx")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Problem("not-tabular", MSG["not-tabular"].format(kind="binario / binary"))
    rows, encoding, delimiter = _read_csv(data)
    return rows, "csv", encoding, delimiter


# ---------------------------------------------------------------------------
# Header

def _match_header(row: list[str]) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
    """Map a header row onto fields: ({field: column index}, duplicates as
    [(index, field, index of the column kept)])."""
    index = _label_index()
    found: dict[str, tuple[int, bool]] = {}
    duplicates: list[tuple[int, str, int]] = []
    for i, label in enumerate(row):
        key, is_code = _label_key(label)
        field = index.get(key)
        if field is None:
            continue
        if field not in found:
            found[field] = (i, is_code)
            continue
        kept, kept_is_code = found[field]
        if is_code != kept_is_code:
            # a code column and a name column for the same field: use the code
            if is_code:
                found[field] = (i, True)
            continue
        duplicates.append((i, field, kept))
    return {field: i for field, (i, _c) in found.items()}, duplicates


def _is_blank(row: Iterable[str]) -> bool:
    return all(not (c or "").strip() for c in row)


def _find_header(rows: list[list[str]]):
    """(header row index, mapping, duplicates) or None."""
    candidates = []
    seen = 0
    for i, row in enumerate(rows):
        if _is_blank(row):
            continue
        mapping, duplicates = _match_header(row)
        candidates.append((i, mapping, duplicates))
        seen += 1
        if len(mapping) >= _MIN_HEADER_MATCHES:
            return i, mapping, duplicates
        if seen >= _HEADER_SCAN_ROWS:
            break
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (len(c[1]), -c[0]))
    if not best[1]:
        return None
    # Few columns recognised: the header is the first non-blank row unless
    # a later one recognises more.
    first = candidates[0]
    return best if len(best[1]) > len(first[1]) else first


# ---------------------------------------------------------------------------
# Cell normalisation

def _normalise_columns(columns: dict[str, list[str]]) -> set[int]:
    """Normalise the cells in place; returns the data indexes (0-based) whose
    sexo value is an ambiguous "M"."""
    ambiguous: set[int] = set()
    if "sexo" in columns:
        col = columns["sexo"]
        keys = {_value_key(v) for v in col if v}
        m_is = None
        if "h" in keys and "f" not in keys:
            m_is = "Mujer"
        elif "f" in keys and "h" not in keys:
            m_is = "Hombre"
        for i, v in enumerate(col):
            if not v:
                continue
            key = _value_key(v)
            if key == "m":
                if m_is:
                    col[i] = m_is
                else:
                    ambiguous.add(i)
            else:
                col[i] = _lookup(_SEXO, v) or v
    if "identidad_cultural" in columns:
        col = columns["identidad_cultural"]
        memo: dict[str, str] = {}
        for i, v in enumerate(col):
            if v:
                if v not in memo:
                    memo[v] = _norm_identidad(v)
                col[i] = memo[v]
    for field, func in (
        ("pais_destino", _norm_pais),
        ("moneda_salario", _norm_moneda),
        ("tipo_visa", _norm_visa),
        ("edad", _norm_edad),
    ):
        if field in columns:
            col = columns[field]
            memo = {}
            for i, v in enumerate(col):
                if v:
                    if v not in memo:
                        memo[v] = func(v)
                    col[i] = memo[v]
    if "salario" in columns:
        col = columns["salario"]
        comma_decimal = any(_DECIMAL_COMMA.search(v) for v in col if v)
        for i, v in enumerate(col):
            if v:
                col[i] = _norm_salario(v, comma_decimal)
    _normalise_places(columns)
    return ambiguous


def _normalise_places(columns: dict[str, list[str]]) -> None:
    from ckanext.ogpguatemala import geo  # lazy: reads the INE list once

    find_department = getattr(geo, "find_department", None)
    find_municipality = getattr(geo, "find_municipality", None)
    deps = columns.get("departamento_origen")
    muns = columns.get("municipio_origen")
    if deps is not None:
        memo: dict[str, str] = {}
        for i, v in enumerate(deps):
            if not v or _DEP_RE.match(v):
                continue
            if v not in memo:
                code = None
                if v.isdigit() and len(v) < 2:
                    code = v.zfill(2)
                elif find_department is not None and not v.isdigit():
                    code = find_department(v)
                memo[v] = code or v
            deps[i] = memo[v]
    if muns is not None:
        for i, v in enumerate(muns):
            if not v or _MUN_RE.match(v):
                continue
            if v.isdigit():
                if len(v) == 3:
                    muns[i] = v.zfill(4)
                continue
            if find_municipality is None:
                continue
            dep = deps[i] if deps is not None and deps[i] and _DEP_RE.match(deps[i]) else None
            code = None
            try:
                if dep:
                    code = find_municipality(v, dep)
                if code is None:
                    code = find_municipality(v)
            except Exception:  # noqa: BLE001 - a look-up must not break the check
                code = None
            if code:
                muns[i] = code


# ---------------------------------------------------------------------------
# Frictionless

def _clip(value: str, limit: int = 60) -> str:
    """A cell as quoted in a message: one line, at most ``limit`` characters."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)


def _translate(error, row: int, field: str, ambiguous_rows: set[int],
               raw_value: str | None = None) -> tuple[str, Message]:
    kind = error.type
    value = raw_value if raw_value is not None else getattr(error, "cell", "")
    value = _clip("" if value is None else str(value))
    fdesc = _fields().get(field, {})
    ctx = {"row": row, "field": field, "value": value}
    if kind == "constraint-error":
        match = _CONSTRAINT_NOTE.search(getattr(error, "note", "") or "")
        constraint = match.group(1) if match else ""
        limit = match.group(2) if match else ""
        if constraint == "required":
            return kind, MSG["required"].format(**ctx)
        if constraint == "enum":
            if field == "sexo" and row in ambiguous_rows:
                return kind, MSG["enum-sexo-ambiguous"].format(**ctx)
            if field in _ENUM_HINT:
                es, en = _ENUM_HINT[field]
            else:
                values = fdesc.get("constraints", {}).get("enum", [])
                es = ", ".join(f"«{v}»" for v in values)
                en = ", ".join(f"'{v}'" for v in values)
            return kind, MSG["enum"].format(allowed_es=es, allowed_en=en, **ctx)
        if constraint in ("minimum", "maximum"):
            return kind, MSG[constraint].format(limit=limit, **ctx)
        if constraint == "pattern":
            es, en = _PATTERN_HINT.get(
                field, (f"del formato {limit}", f"in the format {limit}")
            )
            return kind, MSG["pattern"].format(what_es=es, what_en=en, **ctx)
        return kind, MSG["constraint"].format(constraint=constraint or "?", **ctx)
    if kind == "type-error":
        ftype = fdesc.get("type", "")
        key = f"type-{ftype}" if f"type-{ftype}" in MSG else "type"
        return kind, MSG[key].format(type=ftype, **ctx)
    if kind == "blank-row":
        return kind, MSG["blank-row"].format(row=row)
    note = getattr(error, "message", "") or kind
    return kind, MSG["other"].format(note=note, **ctx)


def _frictionless_errors(fields: list[str], data: list[list[str]], row_numbers: list[int],
                         ambiguous: set[int], limit: int, errors: _Errors,
                         raw: dict[str, list[str]]) -> None:
    """Validate with Frictionless (at most ``limit`` errors); add them,
    translated, quoting the cell as the file wrote it (``raw``)."""
    from frictionless import Resource, Schema

    descriptor = load_schema()
    descriptor["fields"] = [f for f in descriptor["fields"] if f["name"] in fields]
    schema = Schema.from_descriptor(descriptor)
    ambiguous_rows = {row_numbers[i] for i in ambiguous}
    # Rows are read through the row stream rather than Resource.validate():
    # the same per-cell checks (types, constraints, blank rows) without the
    # report, which deep-copies the inline data. The header is ours, built
    # from the schema, so there are no label errors to collect.
    items = []
    with Resource(data=[fields, *data], schema=schema) as resource:
        for frow in resource.row_stream:
            row_errors = frow.errors
            if row_errors:
                items.extend(row_errors)
                if len(items) >= limit:
                    break
    for error in items:
        fric_row = getattr(error, "row_number", None)
        index = fric_row - 2 if isinstance(fric_row, int) else -1
        row = row_numbers[index] if 0 <= index < len(data) else None
        field = getattr(error, "field_name", None) or None
        raw_value = raw[field][index] if field in raw and 0 <= index < len(data) else None
        code, message = _translate(error, row, field, ambiguous_rows, raw_value)
        errors.add(row, field, code, message)


def _place_errors(columns: dict[str, list[str]], row_numbers: list[int], errors: _Errors) -> None:
    muns = columns.get("municipio_origen")
    if muns is None:
        return
    from ckanext.ogpguatemala import geo

    deps = columns.get("departamento_origen")
    for i, mun in enumerate(muns):
        if not mun or not _MUN_RE.match(mun):
            continue
        row = row_numbers[i]
        entry = geo.MUNICIPALITIES.get(mun)
        if entry is None:
            errors.add(row, "municipio_origen", "unknown-municipality",
                       MSG["unknown-municipality"].format(row=row, value=mun))
            continue
        if deps is None:
            continue
        dep = deps[i]
        if dep and _DEP_RE.match(dep) and entry[1] != dep:
            errors.add(
                row, "municipio_origen", "municipality-department-mismatch",
                MSG["municipality-department-mismatch"].format(
                    row=row, value=mun, name=entry[0], mun_dep=entry[1],
                    mun_dep_name=geo.DEPARTMENTS.get(entry[1], "?"),
                    dep=dep, dep_name=geo.DEPARTMENTS.get(dep, "?"),
                ),
            )


# ---------------------------------------------------------------------------
# Entry point

def validate_report(source, filename: str = "", max_bytes: int = MAX_BYTES,
                    max_errors: int = MAX_ERRORS) -> dict:
    """Check a MINTRAB labour-mobility report file.

    ``source``: the file's bytes, a path (str or PathLike) or a binary file
    object. ``filename`` is only a hint (an ``.xlsx`` name that is not a zip
    is reported as such). Returns::

        {"valid": bool, "rows": int, "encoding": str|None,
         "delimiter": str|None, "format": "csv"|"xlsx"|None,
         "errors": [{"row": int|None, "column": str|None, "code": str,
                     "message": {"es": str, "en": str}}, ...],
         "checked_at": "2025-01-31T12:00:00+00:00"}

    plus ``"truncated": True`` when more than ``max_errors`` errors were
    found (only the first ``max_errors``, in row order, are listed).
    ``encoding`` is "utf-8", "utf-8-sig" (BOM), "cp1252" or "utf-16" for
    text, "utf-8" for XLSX, None when the file could not be read as a table
    (then ``format`` may be None too). ``rows`` counts data rows below the
    header, trailing blank rows excluded. Never raises for a bad file.
    """
    try:
        data = _read_source(source, max_bytes)
        rows, fmt, encoding, delimiter = _read_table(data, filename)
    except _Problem as problem:
        return _fail(problem.code, problem.message, problem.fmt, problem.encoding,
                     problem.delimiter)
    except Exception:  # noqa: BLE001 - a bug here must not break an upload
        log.exception("tabular: reading %r failed", filename)
        return _fail("internal-error", MSG["internal-error"])
    try:
        return _check_rows(rows, fmt, encoding, delimiter, max_errors)
    except Exception:  # noqa: BLE001
        log.exception("tabular: checking %r failed", filename)
        return _fail("internal-error", MSG["internal-error"], fmt, encoding, delimiter)


def _check_rows(rows: list[list[str]], fmt: str, encoding: str, delimiter: str | None,
                max_errors: int) -> dict:
    while rows and _is_blank(rows[-1]):
        rows.pop()
    if not rows:
        return _fail("empty-file", MSG["empty-file"], fmt, encoding, delimiter)

    found = _find_header(rows)
    fields_meta = _fields()
    if found is None:
        examples = ", ".join(fields_meta[f].get("title", f) for f in list(fields_meta)[:4])
        return _fail("no-header", MSG["no-header"].format(examples=examples),
                     fmt, encoding, delimiter)
    header_index, mapping, duplicates = found
    header = rows[header_index]
    body = rows[header_index + 1:]
    row_numbers = list(range(header_index + 2, header_index + 2 + len(body)))
    errors = _Errors()

    if not body:
        return _fail("no-data-rows", MSG["no-data-rows"], fmt, encoding, delimiter)

    header_row = header_index + 1
    for name, fdesc in fields_meta.items():
        if name not in mapping and name not in OPTIONAL_COLUMNS:
            title = fdesc.get("title", name)
            errors.add(None, name, "missing-label", MSG["missing-label"].format(
                field=name, title_es=title, title_en=title))
    for i, field, kept in duplicates:
        errors.add(header_row, field, "duplicate-label", MSG["duplicate-label"].format(
            label=header[i].strip(), field=field, first=header[kept].strip()))

    # Header width: last non-empty label; trailing empty cells beyond it are
    # ignored, non-empty ones are extra cells.
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    present = [name for name in fields_meta if name in mapping]
    columns: dict[str, list[str]] = {name: [] for name in present}
    for r, row in zip(row_numbers, body):
        n = len(row)
        if delimiter:
            for cell in row:
                if cell.count("\n") >= 2 and delimiter in cell:
                    errors.add(r, None, "unclosed-quote", MSG["unclosed-quote"].format(
                        row=r, lines=cell.count("\n") + 1))
                    break
        if n > width and not _is_blank(row[width:]):
            last = max(j for j in range(width, n) if (row[j] or "").strip()) + 1
            errors.add(r, None, "extra-cell",
                       MSG["extra-cell"].format(row=r, cells=last, labels=width))
        for name in present:
            j = mapping[name]
            columns[name].append(row[j].strip() if j < n and row[j] else "")

    raw = {name: list(cells) for name, cells in columns.items()}
    ambiguous = _normalise_columns(columns)
    data = [list(cells) for cells in zip(*(columns[name] for name in present))] if present else []
    _frictionless_errors(present, data, row_numbers, ambiguous, max_errors + 1, errors, raw)
    _place_errors(columns, row_numbers, errors)

    order = {name: i for i, name in enumerate(fields_meta)}
    items = sorted(
        errors.items,
        key=lambda e: (
            e["row"] is not None,
            e["row"] or 0,
            # a row's structural error (no column) first: it explains the rest
            order.get(e["column"], -1),
        ),
    )
    truncated = len(items) > max_errors
    return _result(fmt, encoding, delimiter, len(body), items[:max_errors], truncated)
