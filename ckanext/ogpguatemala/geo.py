"""Guatemala's departments and municipalities, with INE codes.

Pure Python: no CKAN imports. The data ships with the extension in
``data/gt_ine.csv`` (columns ``departamento_codigo, departamento,
municipio_codigo, municipio``; UTF-8) and is read once, at import.

Codes are strings: departments are two digits (``"01"`` Guatemala ..
``"22"`` Jutiapa); municipalities are four digits whose first two are
their department (``"0901"`` Quetzaltenango, Quetzaltenango).

Name look-ups compare names through :func:`normalise` (case, accents,
punctuation and spacing ignored). Departments may also be named with or
without a leading article ("Quiché" / "El Quiché"). A few municipalities
are better known by a longer or differently spelt official name than the
one INE's list uses; those are accepted as aliases (see ``_MUNICIPALITY_ALIASES``).
"""
from __future__ import annotations

import csv
import os
import re

from ckanext.ogpguatemala.text import fold

__all__ = [
    "DEPARTMENTS",
    "MUNICIPALITIES",
    "department_name",
    "municipality_name",
    "department_of",
    "municipalities_of",
    "normalise",
    "find_department",
    "find_municipality",
    "department_choices",
    "municipality_choices",
]

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "gt_ine.csv")

_ARTICLE = re.compile(r"^(?:el|la|los|las) ")


def normalise(name: str) -> str:
    """Comparison key for a place name (:func:`text.fold`): lower-case, no
    accents, apostrophes dropped (K'iche' -> kiche), other punctuation as
    single spaces, trimmed.

    >>> normalise(" Quetzaltenángo ") == normalise("QUETZALTENANGO")
    True
    """
    return fold(name)


def _load(path: str = DATA_FILE):
    departments: dict[str, str] = {}
    municipalities: dict[str, tuple[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            dep = row["departamento_codigo"].strip()
            dep_name = row["departamento"].strip()
            mun = row["municipio_codigo"].strip()
            mun_name = row["municipio"].strip()
            if not (re.fullmatch(r"\d{2}", dep) and re.fullmatch(r"\d{4}", mun)):
                raise ValueError(f"{path}: bad codes in row {row!r}")
            if mun[:2] != dep:
                raise ValueError(f"{path}: {mun} is not in department {dep}")
            if departments.setdefault(dep, dep_name) != dep_name:
                raise ValueError(f"{path}: department {dep} has two names")
            if mun in municipalities:
                raise ValueError(f"{path}: municipality {mun} repeated")
            municipalities[mun] = (mun_name, dep)
    return (
        dict(sorted(departments.items())),
        dict(sorted(municipalities.items())),
    )


DEPARTMENTS, MUNICIPALITIES = _load()

# Official or common names that differ from the spelling in INE's list
# (typos, short forms) -> municipality code.
_MUNICIPALITY_ALIASES = {
    "San Miguel Petapa": "0117",
    "San Agustín Acasaguastlán": "0203",
    "La Antigua Guatemala": "0301",
    "Santiago Sacatepéquez": "0306",
    "San Juan Comalapa": "0404",
    "San Miguel Pochuta": "0408",
    "Nueva Tiquisate": "0506",
    "Tiquisate": "0506",
    "San Ildefonso Ixtahuacán": "1309",
    "Santiago Chimaltenango": "1330",
    "Santa María Cahabón": "1612",
    "Melchor de Mencos": "1711",
    "San José Acatempa": "2216",
    "Quesada": "2217",
}


def _department_key(name: str) -> str:
    return _ARTICLE.sub("", normalise(name))


_DEPARTMENT_INDEX: dict[str, str] = {
    _department_key(name): code for code, name in DEPARTMENTS.items()
}
if len(_DEPARTMENT_INDEX) != len(DEPARTMENTS):  # pragma: no cover - data check
    raise ValueError("two departments share a normalised name")


def _build_municipality_index():
    index: dict[str, list[str]] = {}
    for code, (name, _dep) in MUNICIPALITIES.items():
        index.setdefault(normalise(name), []).append(code)
    for alias, code in _MUNICIPALITY_ALIASES.items():
        codes = index.setdefault(normalise(alias), [])
        if code not in codes:
            codes.append(code)
    return {key: tuple(codes) for key, codes in index.items()}


# normalised name -> every municipality code with that name (most have one;
# "San José", "Santa Bárbara", "Concepción", ... have two).
_MUNICIPALITY_INDEX: dict[str, tuple[str, ...]] = _build_municipality_index()

_MUNICIPALITIES_BY_DEPARTMENT: dict[str, list[str]] = {code: [] for code in DEPARTMENTS}
for _code, (_name, _dep) in MUNICIPALITIES.items():
    _MUNICIPALITIES_BY_DEPARTMENT[_dep].append(_code)
del _code, _name, _dep


def _as_code(value, width: int) -> str | None:
    """'1' / ' 01 ' / 1 -> '01' (width 2); None if not a plain number that fits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > width:
        return None
    return value.zfill(width)


def department_name(code) -> str | None:
    """Name of the department with that code ("01" -> "Guatemala")."""
    return DEPARTMENTS.get(code) if isinstance(code, str) else None


def municipality_name(code) -> str | None:
    """Name of the municipality with that code ("0901" -> "Quetzaltenango")."""
    entry = MUNICIPALITIES.get(code) if isinstance(code, str) else None
    return entry[0] if entry else None


def department_of(municipality_code) -> str | None:
    """Department code of a municipality ("0901" -> "09")."""
    entry = MUNICIPALITIES.get(municipality_code) if isinstance(municipality_code, str) else None
    return entry[1] if entry else None


def municipalities_of(department_code) -> list[str]:
    """Municipality codes of a department, in code order ([] if unknown)."""
    if not isinstance(department_code, str):
        return []
    return list(_MUNICIPALITIES_BY_DEPARTMENT.get(department_code, ()))


def find_department(name_or_code) -> str | None:
    """Department code from a code ("01", "1") or a name in any case, with
    or without accents or a leading article ("Quiché", "El Quiché")."""
    code = _as_code(name_or_code, 2)
    if code is not None:
        return code if code in DEPARTMENTS else None
    if not isinstance(name_or_code, str) or not name_or_code.strip():
        return None
    return _DEPARTMENT_INDEX.get(_department_key(name_or_code))


def find_municipality(name_or_code, department=None) -> str | None:
    """Municipality code from a code ("0901", "901") or a name.

    ``department`` (a code or a name) chooses between municipalities that
    share a name ("San José" is in Escuintla and in Petén). A name that is
    ambiguous without a department gives None; so does a department that
    does not exist, or one that does not contain the municipality found.
    """
    dep = None
    if department is not None and not (isinstance(department, str) and not department.strip()):
        dep = find_department(department)
        if dep is None:
            return None

    code = _as_code(name_or_code, 4)
    if code is not None and len(str(name_or_code).strip()) >= 3:
        if code not in MUNICIPALITIES:
            return None
        candidates: tuple[str, ...] = (code,)
    elif isinstance(name_or_code, str) and name_or_code.strip():
        candidates = _MUNICIPALITY_INDEX.get(normalise(name_or_code), ())
    else:
        return None

    if dep is not None:
        candidates = tuple(c for c in candidates if c[:2] == dep)
    return candidates[0] if len(candidates) == 1 else None


def _lang(lang) -> str:
    # ckanext-scheming calls a choices_helper with the field dict.
    return lang if isinstance(lang, str) else "es"


def department_choices(lang="es") -> list[dict]:
    """``[{"value": "01", "label": "Guatemala"}, ...]`` in code order.

    Place names are proper nouns, so the label is the same in every
    language; ``lang`` is accepted (and may be the scheming field dict) for
    a uniform helper signature.
    """
    _lang(lang)
    return [{"value": code, "label": name} for code, name in DEPARTMENTS.items()]


def municipality_choices(lang="es") -> list[dict]:
    """``[{"value": "0101", "label": "Guatemala (Guatemala)"}, ...]`` in code
    order; the department in brackets tells same-named places apart."""
    _lang(lang)
    return [
        {"value": code, "label": f"{name} ({DEPARTMENTS[dep]})"}
        for code, (name, dep) in MUNICIPALITIES.items()
    ]
