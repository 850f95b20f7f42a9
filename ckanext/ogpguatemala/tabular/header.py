"""Finding the header row and mapping its labels onto the schema's fields.

The header is the first row (within the first :data:`_HEADER_SCAN_ROWS`
non-blank rows) that names at least :data:`_MIN_HEADER_MATCHES` report
columns, so title rows above the table are skipped; failing that, the first
non-blank row unless a later one names more columns.

Labels are compared through :func:`label_key`: without case, accents,
punctuation, bracketed notes ("Salario (Q)") or filler words ("de",
"código"), and through the synonyms in :data:`HEADER_SYNONYMS`. Each field's
own name and schema title are accepted too. Unknown columns are ignored.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from ckanext.ogpguatemala.tabular.schema import fields
from ckanext.ogpguatemala.text import fold, strip_accents

# A header row must name at least this many report columns to be taken for
# the header when it is not the first non-blank row.
_MIN_HEADER_MATCHES = 3
_HEADER_SCAN_ROWS = 20

# Header label -> field. Keys are compared after label_key(), so
# "País de destino", "PAIS DESTINO" and "pais_destino" are one key.
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
_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]")


def label_key(label: str) -> tuple[str, bool]:
    """('pais_destino', False) for ' País de destino '; the flag tells
    whether the label spoke of a code ("Código de municipio")."""
    text = strip_accents(str(label).lower())
    # a bracketed note is dropped, unless it is all the label has
    words = (fold(_BRACKETS.sub(" ", text)) or fold(text)).split()
    is_code = any(w in _LABEL_CODE_WORDS for w in words)
    words = [w for w in words if w not in _LABEL_FILLER and w not in _LABEL_CODE_WORDS]
    return "_".join(words), is_code


@functools.lru_cache(maxsize=1)
def _label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, field in fields().items():
        for label in (name, field.get("title", ""), *HEADER_SYNONYMS.get(name, ())):
            key = label_key(label)[0]
            if key:
                index.setdefault(key, name)
    return index


def match_header(row: list[str]) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
    """Map a header row onto fields: ({field: column index}, duplicates as
    [(index, field, index of the column kept)])."""
    index = _label_index()
    found: dict[str, tuple[int, bool]] = {}
    duplicates: list[tuple[int, str, int]] = []
    for i, label in enumerate(row):
        key, is_code = label_key(label)
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


def is_blank(row: Iterable[str]) -> bool:
    return all(not (c or "").strip() for c in row)


def find_header(rows: list[list[str]]):
    """(header row index, mapping, duplicates) or None. Reads rows up to the
    first that names :data:`_MIN_HEADER_MATCHES` columns, or up to the
    :data:`_HEADER_SCAN_ROWS`-th non-blank row (:func:`header_rows_needed`)."""
    candidates = []
    for i, row in enumerate(rows):
        if is_blank(row):
            continue
        mapping, duplicates = match_header(row)
        candidates.append((i, mapping, duplicates))
        if len(mapping) >= _MIN_HEADER_MATCHES:
            return i, mapping, duplicates
        if len(candidates) >= _HEADER_SCAN_ROWS:
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


def header_rows_needed(rows: list[list[str]]) -> bool:
    """Whether :func:`find_header` could use rows after ``rows``."""
    nonblank = [row for row in rows if not is_blank(row)]
    if len(nonblank) >= _HEADER_SCAN_ROWS:
        return False
    return not (nonblank and len(match_header(nonblank[-1])[0]) >= _MIN_HEADER_MATCHES)


def header_score(rows: list[list[str]]) -> int | None:
    """How many report columns the header found in ``rows`` names (a
    workbook's sheets are scored with it); None without a header."""
    found = find_header(rows)
    return len(found[1]) if found else None
